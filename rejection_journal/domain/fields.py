"""What an entry's fields are called: the one description of them.

The attributes themselves are the dataclasses in :mod:`rejection_journal.domain.records`;
this module adds, for each, the label a person reads ("Anticipated discomfort"), its key in a
JSON or CSV export (``anticipated_discomfort``) and whether it is bookkeeping the app keeps
rather than something the user wrote.  The value checks (``validated()``), the JSON and CSV
exports, the import, the storage row mapping and the editor's error display all read it, so
a new attribute is described here once (a missing description is refused at import time).

Pure Python: no Qt, no storage.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from rejection_journal.domain.labels import ATTEMPT_ROWS, CHALLENGE_ROWS, label
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord

__all__ = ["ATTEMPT", "ATTEMPT_FIELDS", "CHALLENGE", "CHALLENGE_FIELDS", "Field", "label"]


@dataclass(frozen=True, slots=True)
class Field:
    """One attribute of a record, as people and files know it."""

    #: the dataclass attribute, e.g. ``"anticipated_discomfort"``
    attribute: str
    #: what a person reads in the window and in messages, e.g. ``"Anticipated discomfort"``
    label: str
    #: the key in a JSON export and the column in a CSV export
    key: str
    #: kept by the app (timestamps), not something the user wrote
    bookkeeping: bool = False


class UndescribedFieldError(TypeError):
    """A record's attributes and their description here do not match (a programming error)."""


def describe(record_type: type, rows: Mapping[str, tuple[str, str, bool]]) -> tuple[Field, ...]:
    """One :class:`Field` per attribute of the dataclass ``record_type``, in its order.

    ``rows`` maps each attribute to ``(label, key, bookkeeping)``.  An attribute without a
    row, or a row without an attribute, raises :class:`UndescribedFieldError`.
    """
    names = [f.name for f in dataclasses.fields(record_type)]
    missing = [name for name in names if name not in rows]
    extra = [name for name in rows if name not in names]
    if missing or extra:
        raise UndescribedFieldError(
            f"{record_type.__name__}: describe every attribute once in domain/fields.py "
            f"(without a description: {', '.join(missing) or 'none'}; described but not an "
            f"attribute: {', '.join(extra) or 'none'})"
        )
    return tuple(Field(name, *rows[name]) for name in names)


#: every attribute of :class:`AttemptRecord`, in its order
ATTEMPT_FIELDS: tuple[Field, ...] = describe(AttemptRecord, ATTEMPT_ROWS)
#: every attribute of :class:`ChallengeRecord`, in its order
CHALLENGE_FIELDS: tuple[Field, ...] = describe(ChallengeRecord, CHALLENGE_ROWS)

ATTEMPT: dict[str, Field] = {f.attribute: f for f in ATTEMPT_FIELDS}
CHALLENGE: dict[str, Field] = {f.attribute: f for f in CHALLENGE_FIELDS}
