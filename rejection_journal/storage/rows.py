"""How a record is stored: one :class:`~rejection_journal.domain.records.AttemptRecord` as
the values of one row of the ``attempt`` table (a challenge: of the ``challenge`` table).

Saving an entry (:meth:`Journal.save_attempt`), adding demo entries and merging an import
(:mod:`rejection_journal.storage.merge`) all build their rows here, so an attempt is written
the same way whichever way it arrives.  The attributes come from the one description of an
entry's fields, :mod:`rejection_journal.domain.fields`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from rejection_journal.domain.enums import Reason
from rejection_journal.domain.experiment import AskMode, EntryKind, FearHappened
from rejection_journal.domain.fields import ATTEMPT_FIELDS, CHALLENGE_FIELDS
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord
from rejection_journal.storage.errors import StorageError
from rejection_journal.storage.models import Attempt, Challenge, tuple_rows
from rejection_journal.storage.revisions import revision

#: attributes stored otherwise than as they are: ``uuid`` (a column, but written and read
#: first), ``challenge_uuid`` (the challenge's row id), ``outcome`` (its enum value),
#: ``reasons`` (enum values, space-separated: :func:`join_reasons`), and schema 3.4's
#: :data:`CONVERTED` ones
_MAPPED = frozenset({"uuid", "challenge_uuid", "outcome", "reasons"})


def join_texts(items: tuple[str, ...]) -> str:
    """A list of short texts (safety behaviours) in one column: a JSON list, "" for none."""
    return json.dumps(list(items), ensure_ascii=False) if items else ""


def split_texts(text: str | None) -> tuple[str, ...]:
    """The texts :func:`join_texts` stored."""
    return tuple(str(item) for item in json.loads(text)) if text else ()


def _day_or_none(value: object) -> date | None:
    """A stored date (``YYYY-MM-DD`` as every save writes it) read as it is stored."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _enum_value(value: AskMode | FearHappened | None) -> str | None:
    return None if value is None else value.value


#: schema 3.4's attributes stored in their own column, but converted both ways:
#: attribute -> (to the column, from the column)
#: (read by value: a dict look-up is several times cheaper than calling the enum, and every
#: entry read whole goes through these)
_KINDS = {kind.value: kind for kind in EntryKind}
_MODES = {mode.value: mode for mode in AskMode}
_HAPPENED = {answer.value: answer for answer in FearHappened}
CONVERTED: dict[str, tuple[Callable[[Any], object], Callable[[Any], object]]] = {
    "kind": (lambda kind: kind.value, lambda value: _KINDS[value or "ask"]),
    "ask_mode": (_enum_value, lambda value: _MODES[value] if value else None),
    "fear_happened": (_enum_value, lambda value: _HAPPENED[value] if value else None),
    "safety_behaviours": (join_texts, split_texts),
    "safety_dropped": (join_texts, split_texts),
    "awaiting_answer": (bool, bool),
    "follow_up_on": (lambda day: day, _day_or_none),
}
#: the columns read as SQLite holds them (not through peewee): the ones converted above
RAW_COLUMNS = frozenset(CONVERTED) | {"feared_outcome", "fear_likelihood",
                                      "fear_likelihood_after", "surprise"}

#: The attempt's attributes stored as they are, each in the ``attempt`` column of its name,
#: in the record's order.
DIRECT_ATTRIBUTES: tuple[str, ...] = tuple(
    f.attribute for f in ATTEMPT_FIELDS if f.attribute not in _MAPPED
)


def to_column(name: str, value: object) -> object:
    """``value`` of attribute ``name`` as its column holds it."""
    convert = CONVERTED.get(name)
    return value if convert is None else convert[0](value)


def from_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The attributes of :data:`DIRECT_ATTRIBUTES` from what their columns hold (``values``,
    changed in place and returned)."""
    for name, (_to, back) in CONVERTED.items():
        values[name] = back(values[name])
    return values
assert all(name in Attempt._meta.fields for name in DIRECT_ATTRIBUTES), DIRECT_ATTRIBUTES


def join_reasons(reasons: tuple[Reason, ...]) -> str:
    """How an entry's reasons are stored in one column: their values, space-separated."""
    return " ".join(reason.value for reason in reasons)


def split_reasons(text: str | None) -> tuple[Reason, ...]:
    """The reasons :func:`join_reasons` stored (an empty column: none)."""
    return tuple(Reason(value) for value in text.split()) if text else ()


def challenge_ids() -> dict[str, int]:
    """Every challenge's row id, by UUID (to map many attempts with :func:`attempt_row`)."""
    return dict(tuple_rows(Challenge.select(Challenge.uuid, Challenge.id)))


def attempt_row(
    record: AttemptRecord, challenge_ids: dict[str, int] | None = None,
    revision_: str | None = None,
) -> dict[str, object]:
    """The ``attempt`` table's values for ``record`` (all but ``id`` and ``earlier_revisions``).

    ``challenge_ids`` (from :func:`challenge_ids`) saves a query per record when many are
    written; without it the challenge is looked up.  ``revision_`` is the record's revision
    when the caller has already computed it (else it is computed here).  Raises
    :class:`StorageError` if the record names a challenge the journal does not have.
    """
    challenge_id = None
    if record.challenge_uuid is not None:
        if challenge_ids is None:
            challenge = Challenge.get_or_none(Challenge.uuid == record.challenge_uuid)
            challenge_id = challenge.id if challenge else None
        else:
            challenge_id = challenge_ids.get(record.challenge_uuid)
        if challenge_id is None:
            raise StorageError(f"Unknown challenge {record.challenge_uuid}")
    values: dict[str, object] = {name: to_column(name, getattr(record, name))
                                 for name in DIRECT_ATTRIBUTES}
    values["uuid"] = record.uuid
    values["challenge"] = challenge_id
    values["outcome"] = record.outcome.value if record.outcome else None
    values["reasons"] = join_reasons(record.reasons)
    values["revision"] = revision_ if revision_ is not None else revision(record)
    return values


#: The challenge's attributes, each in the ``challenge`` column of its name.
CHALLENGE_ATTRIBUTES: tuple[str, ...] = tuple(f.attribute for f in CHALLENGE_FIELDS)
assert all(name in Challenge._meta.fields for name in CHALLENGE_ATTRIBUTES), CHALLENGE_ATTRIBUTES


def challenge_row(record: ChallengeRecord) -> dict[str, object]:
    """The ``challenge`` table's values for ``record`` (all but ``id`` and the timestamps)."""
    values: dict[str, object] = {name: getattr(record, name) for name in CHALLENGE_ATTRIBUTES}
    values["category"] = record.category.value
    return values
