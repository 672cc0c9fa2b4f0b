"""How the app shows a date to the user, in one place, following the user's locale: the
entries list, the editor (its date field and heading), the review, the picker, search,
backups and runs all say the same day the same way. Files and the command line keep ISO dates
(``2026-12-06``); they are not shown here."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QLocale, QTime

#: where the locale names no usable short format ("C"): the app's own
FALLBACK_FORMAT = "ddd d MMM yyyy"


def date_format(locale: QLocale | None = None) -> str:
    """The Qt date format for a day: the weekday, then the locale's short date with the
    whole year ("Sun 12/6/2026" in the US, "Sun 06/12/2026" in Britain, "So. 06.12.2026" in
    Germany); also the display format of every date field."""
    locale = locale or QLocale()
    if locale.language() == QLocale.Language.C:
        return FALLBACK_FORMAT
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in short:
        short = short.replace("yy", "yyyy")
    return short if "ddd" in short else f"ddd {short}"


def day_text(day: date, locale: QLocale | None = None) -> str:
    """``day`` as the app shows it everywhere."""
    locale = locale or QLocale()
    return locale.toString(QDate(day.year, day.month, day.day), date_format(locale))


def moment_text(moment: datetime, locale: QLocale | None = None) -> str:
    """A day and a time of day (a backup's): "Sun 6 Dec 2026, 14:05"."""
    locale = locale or QLocale()
    time = QTime(moment.hour, moment.minute)
    return (f"{day_text(moment.date(), locale)}, "
            f"{locale.toString(time, QLocale.FormatType.ShortFormat)}")
