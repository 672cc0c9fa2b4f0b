"""What changed in the journal, announced by the use cases so views update only what they show.

A save announces one changed entry, the fields that differ, and the *derived* state it
changed — today's suggested challenge, a ladder's progress, the picker's counts, the open
count, the pause suggestion (see :mod:`rejection_journal.services.derived`).  Each view asks
:meth:`Change.touches` about the kinds of thing it shows; none keeps a list of entry fields.
An import, a restore or demo data that may have changed anything announces ``everything``,
once.  Qt-free: ``ui/changes.py`` turns these into signals.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class Entity(StrEnum):
    """A kind of thing that can change: stored records, or state the service derives."""

    ATTEMPT = "attempt"
    CHALLENGE = "challenge"
    #: a fear ladder (its goal or rungs); UUIDs in ``added``/``changed``/``removed``
    LADDER = "ladder"
    #: a challenge run
    RUN = "run"
    #: a self-check taken (Build my plan), kept with its date
    SELF_CHECK = "self-check"
    #: the calendar day moved on (``changed`` holds the new date, ISO): nothing stored
    #: changed, but whatever depends on "today" (today's challenge, date presets) did
    DAY = "day"
    # -- derived state: never an announcement's ``entity``, named in its ``derived`` --------
    #: today's suggested challenge
    TODAY = "today"
    #: a ladder's tries per rung and its next rung
    LADDER_PROGRESS = "ladder-progress"
    #: a run's progress (days, asks, noes)
    RUN_PROGRESS = "run-progress"
    #: how often and when each challenge was done (the picker's counts)
    USAGE = "usage"
    #: how many entries wait for their after half
    OPEN_COUNT = "open-count"
    #: the gentle pause suggestion (the trend of recent entries)
    PAUSE = "pause"


#: the derived kinds (what :attr:`Change.derived` may name)
DERIVED = frozenset({Entity.TODAY, Entity.LADDER_PROGRESS, Entity.RUN_PROGRESS, Entity.USAGE,
                     Entity.OPEN_COUNT, Entity.PAUSE})

#: the derived state a change of each stored kind alters whatever the records hold (an
#: entry's change is worked out from the entry: :mod:`rejection_journal.services.derived`)
IMPLIED: dict[Entity, frozenset[Entity]] = {
    # a ladder's goal or rungs: its progress, the runs scoped to it, the current rung
    Entity.LADDER: frozenset({Entity.LADDER_PROGRESS, Entity.RUN_PROGRESS, Entity.TODAY}),
    # a challenge archived, renamed or added: what today's card may suggest and say
    Entity.CHALLENGE: frozenset({Entity.TODAY}),
    Entity.RUN: frozenset({Entity.RUN_PROGRESS}),
    # a new day: a new suggestion, "last: 3 days ago", a run's day, a dismissal's age
    Entity.DAY: frozenset({Entity.TODAY, Entity.USAGE, Entity.RUN_PROGRESS, Entity.PAUSE}),
}


@dataclass(frozen=True, slots=True)
class Change:
    """One announcement: which records of ``entity`` were added, changed or removed, and
    which derived state that altered.

    ``fields`` names the attributes that changed (``None``: unknown, treat as any).
    ``derived`` names the derived state (:data:`DERIVED`) the change altered.
    ``everything`` means the whole journal may differ (import, restore, demo data): reload.
    """

    entity: Entity = Entity.ATTEMPT
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    fields: frozenset[str] | None = None
    everything: bool = False
    derived: frozenset[Entity] = frozenset()

    def __post_init__(self) -> None:
        implied = IMPLIED.get(self.entity)
        if implied and (self.added or self.changed or self.removed):
            object.__setattr__(self, "derived", self.derived | implied)

    @classmethod
    def reset(cls) -> Change:
        return cls(everything=True)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.added or self.changed or self.removed
                    or self.derived)

    def touches(self, *kinds: Entity) -> bool:
        """Could this change alter something of one of these kinds — stored records of that
        entity, or derived state of that kind?"""
        if self.everything:
            return True
        if self.entity in kinds and (self.added or self.changed or self.removed):
            return True
        return not self.derived.isdisjoint(kinds)

    def alters_fields(self, fields: Iterable[str]) -> bool:
        """For views that plot entry fields (the charts, whose registry names the fields
        each kind plots): could this change alter one of ``fields`` of an entry?"""
        if self.everything:
            return True
        if self.entity is not Entity.ATTEMPT:
            return False
        if self.added or self.removed:
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

    A listener that fails is reported and never raised into the use case that published: a
    save that committed is not turned into a reported failure by a view that could not show
    it.  Each failing listener is *shown* once (``on_listener_error``: in the window, a calm
    message and ``last-error.txt``); when it fails again it is only logged, so a view that
    fails on every change does not put up a message per change."""

    def __init__(self, on_listener_error: Callable[[BaseException], None] = report_listener_bug
                 ) -> None:
        self._listeners: list[Listener] = []
        self._reported: list[Listener] = []  # (a list: bound methods compare by equality)
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
                if listener in self._reported or failure is not None:
                    log.error("a change listener failed again: %r", listener, exc_info=exc)
                    continue
                self._reported.append(listener)
                failure = exc
        if failure is not None:
            self.on_listener_error(failure)
