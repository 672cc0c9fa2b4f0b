"""The evening reminder's rule: when a "N entries are open" notification is due.

Off unless the user switches it on.  While the app runs, a notification is due when the
chosen time of day has passed, none has been shown today, and at least one entry is open:
at most once a day, never about nothing.  Pure Python, so the rule is tested without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

#: the time offered until the user picks another
DEFAULT_TIME = time(21, 0)


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    enabled: bool = False
    at: time = DEFAULT_TIME
    #: start the app at login (an XDG autostart entry), so the reminder can come
    at_login: bool = False


def reminder_due(now: datetime, settings: ReminderSettings, last_shown: date | None,
                 open_count: int) -> bool:
    """Is a reminder due at ``now`` (local time)?"""
    return (settings.enabled and open_count > 0
            and now.time() >= settings.at
            and (last_shown is None or last_shown < now.date()))


def reminder_text(open_count: int) -> str:
    """The notification's words: what is open, and that it can wait."""
    if open_count == 1:
        return "One entry is waiting for its after half, whenever you are ready."
    return f"{open_count} entries are waiting for their after half, whenever you are ready."


def evening_banner_due(now: datetime, evening_from: time, dismissed_on: date | None,
                       open_count: int) -> bool:
    """The in-app evening banner (no tray needed): from ``evening_from`` (the reminder's
    time) until midnight, while an entry is open, unless it was put away today."""
    return open_count > 0 and now.time() >= evening_from and dismissed_on != now.date()


def evening_banner_text(open_count: int) -> str:
    """The banner's words: what is open and that it can wait (no jargon, no pressure)."""
    waiting = ("1 entry is still open" if open_count == 1
               else f"{open_count} entries are still open")
    return (f"It's evening: {waiting}, waiting for how it went. Whenever you are ready — "
            "or another evening.")


def parse_time(text: str, default: time = DEFAULT_TIME) -> time:
    """``"HH:MM"`` as a time; anything else (a damaged settings file): ``default``."""
    try:
        return time.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return default


def parse_day(text: object) -> date | None:
    """An ISO date kept in the settings file, or None if missing or damaged."""
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None
