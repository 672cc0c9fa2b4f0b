"""What changed in the journal, announced by the use cases so views update only what they show.

A save announces one changed entry and the fields that differ; the entries list updates one
row, and the chart redraws only if a field it plots changed.  An import or a restore that may
have changed anything announces ``everything``.  Qt-free: ``ui/changes.py`` turns these into
signals.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum


class Entity(StrEnum):
    ATTEMPT = "attempt"
    CHALLENGE = "challenge"
    #: a fear ladder (its goal or rungs); UUIDs in ``added``/``changed``/``removed``
    LADDER = "ladder"
    #: a challenge run
    RUN = "run"
    #: the calendar day moved on (``changed`` holds the new date, ISO): nothing stored
    #: changed, but whatever depends on "today" (today's challenge, date presets) did
    DAY = "day"


@dataclass(frozen=True, slots=True)
class Change:
    """One announcement: which records of ``entity`` were added, changed or removed.

    ``fields`` names the attributes that changed (``None``: unknown, treat as any).
    ``everything`` means the whole journal may differ (import, restore): reload.
    """

    entity: Entity = Entity.ATTEMPT
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    fields: frozenset[str] | None = None
    everything: bool = False

    @classmethod
    def reset(cls) -> Change:
        return cls(everything=True)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.added or self.changed or self.removed)

    def touches(self, fields: Iterable[str]) -> bool:
        """Could this change alter something computed from ``fields`` of ``entity``?"""
        if self.everything or self.added or self.removed:
            return True
        if not self.changed:
            return False
        return self.fields is None or not self.fields.isdisjoint(fields)


Listener = Callable[[Change], None]


def report_listener_bug(error: BaseException) -> None:
    """A listener failed: a bug in a view, not a failure of the use case that announced the
    change (it has committed).  Reported like any unexpected error, through
    ``sys.excepthook``: in the window, a calm message and ``last-error.txt``."""
    sys.excepthook(type(error), error, error.__traceback__)


class ChangeBus:
    """Publish/subscribe for :class:`Change`; listeners are called in subscription order.

    A listener that fails is reported (``on_listener_error``, once per announcement) and never
    raised into the use case that published: a save that committed is not turned into a
    reported failure by a view that could not show it."""

    def __init__(self, on_listener_error: Callable[[BaseException], None] = report_listener_bug
                 ) -> None:
        self._listeners: list[Listener] = []
        self.on_listener_error = on_listener_error

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` on every change; returns a function that unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, change: Change) -> None:
        """Tell every listener; one failing listener does not keep the others uninformed."""
        if change.is_empty:
            return
        failure: BaseException | None = None
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception as exc:  # reported below, after everyone has heard
                failure = failure or exc
        if failure is not None:
            self.on_listener_error(failure)
