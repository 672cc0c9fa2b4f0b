"""Which derived state a change of stored records alters — said once, by the service.

Views show state the service derives from the entries: today's suggested challenge, a
ladder's progress and next rung, a run's progress, the picker's counts, the open count, the
pause suggestion.  A view cannot tell from an entry's changed fields whether that state moved
(the rung rule reads ratings and outcomes; the picker's counts read the challenge and the
date), so the service works it out here, from what each rule reads of an entry — the rules'
own input types in the domain — and names it in :attr:`Change.derived`.  Views subscribe to
the kinds they show (``change.touches(Entity.TODAY)``) and keep no field lists.

Changes of other kinds imply their derived state whatever the records say (a ladder's rungs
changed: its progress and today's suggestion may differ);
:data:`~rejection_journal.services.events.IMPLIED` says which.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable

from rejection_journal.domain.picker import HistoryEntry, PastAttempt
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.runs import RunEntry
from rejection_journal.domain.wellbeing import TrendPoint
from rejection_journal.services.events import Entity


def _reads(kind: type) -> tuple[str, ...]:
    """The attributes a rule's input type declares: a Protocol's properties or a
    dataclass's fields."""
    if dataclasses.is_dataclass(kind):
        return tuple(f.name for f in dataclasses.fields(kind))
    return tuple(name for name, value in vars(kind).items() if isinstance(value, property))


#: what the next-rung rule (and the ladder rows) read of an entry at a rung
_RUNG_READS = _reads(HistoryEntry)
#: what run progress reads of an entry
_RUN_READS = _reads(RunEntry)
#: what the picker's counts read: the challenge done and when
_USAGE_READS = ("challenge_uuid", "attempted_on")
assert set(_USAGE_READS) <= set(_reads(PastAttempt))
#: what the pause rule reads of a completed entry (and its date: the latest ones count)
_TREND_READS = ("attempted_on", *_reads(TrendPoint))


def _view(record: AttemptRecord | None, names: tuple[str, ...]) -> Hashable:
    return None if record is None else tuple(getattr(record, name) for name in names)


def attempt_derived(before: AttemptRecord | None, after: AttemptRecord | None, *,
                    is_rung: Callable[[str], bool]) -> frozenset[Entity]:
    """The derived state that replacing ``before`` by ``after`` (None: no entry) alters.
    ``is_rung(challenge_uuid)`` says whether a challenge is a rung of some ladder."""
    out: set[Entity] = set()

    def counted(record: AttemptRecord | None) -> AttemptRecord | None:
        return record if record is not None and record.challenge_uuid is not None else None

    if _view(counted(before), _USAGE_READS) != _view(counted(after), _USAGE_READS):
        out.add(Entity.USAGE)

    def at_rung(record: AttemptRecord | None) -> AttemptRecord | None:
        uuid = None if record is None else record.challenge_uuid
        return record if uuid is not None and is_rung(uuid) else None

    if _view(at_rung(before), _RUNG_READS) != _view(at_rung(after), _RUNG_READS):
        out.add(Entity.LADDER_PROGRESS)
    if Entity.USAGE in out or Entity.LADDER_PROGRESS in out:
        out.add(Entity.TODAY)  # the current rung, or one not done lately
    if _view(before, _RUN_READS) != _view(after, _RUN_READS):
        out.add(Entity.RUN_PROGRESS)

    def is_open(record: AttemptRecord | None) -> bool:
        return record is not None and record.is_open

    if is_open(before) != is_open(after):
        out.add(Entity.OPEN_COUNT)

    def completed(record: AttemptRecord | None) -> AttemptRecord | None:
        return None if record is None or record.is_open else record

    if _view(completed(before), _TREND_READS) != _view(completed(after), _TREND_READS):
        out.add(Entity.PAUSE)
    return frozenset(out)
