"""Revisions of an entry: what lets two journals merge without trusting either one's clock.

An attempt's *revision* is a hash of what the user wrote in it (every field the user sees,
never the timestamps), so two machines that hold the same words hold the same revision, and a
clock that runs a year ahead changes nothing. Each attempt also remembers the revisions it had
before (its *earlier revisions*, newest first); an export carries both, so an import can tell
"the file's copy was edited after mine" (take it) from "both were edited" (keep mine, keep the
file's in the entry's history, and say so). The rules are in docs/json-format.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from json import encoder as json_encoder
from typing import Any

from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.experiment import AskMode, EntryKind, FearHappened
from rejection_journal.domain.picker import Ladder
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord
from rejection_journal.domain.runs import RunRecord

#: The user-visible fields a revision covers, in the order they are hashed: schema 1's
#: (``reason`` there is the one reason when there is exactly one, else null) ...
_RECIPE_1_FIELDS = (
    "challenge_uuid", "ask", "attempted_on",
    "anticipated_discomfort", "predicted_no_chance", "feelings_before", "worst_case",
    "outcome", "actual_discomfort", "feelings_after", "reason", "asked_why", "reflection",
    "lesson",
)
#: ... then schema 3's, hashed only when one of them is not empty (see :func:`revision`), so
#: every entry that does not use them keeps the revision it had.
ADDED_FIELDS = (
    "who_asked", "reasons", "other_reason", "hopefulness", "next_discomfort", "next_no_chance",
    # schema 3.4's, in the same object: an entry that leaves them all at their defaults keeps
    # the revision it had
    "kind", "ask_mode", "feared_outcome", "fear_likelihood", "safety_behaviours",
    "awaiting_answer", "follow_up_on", "fear_happened", "fear_likelihood_after", "surprise",
    "safety_dropped",
)
#: Every user-visible attribute a revision covers (what :func:`differing_fields` compares).
REVISION_FIELDS = (*(name for name in _RECIPE_1_FIELDS if name != "reason"), *ADDED_FIELDS)
#: Names the recipe, so a later change of fields can never collide with these hashes.
_RECIPE = "rejection-journal/attempt/1"
#: A revision is this many lowercase hex digits (128 bits of SHA-256).
REVISION_LENGTH = 32
#: How many earlier revisions an entry remembers (and an export carries), newest first.
#: Past this, a merge may call an edit a conflict that was not one: safe, never a loss.
EARLIER_REVISIONS_KEPT = 50
#: How many stored versions of each kind an entry keeps in its history.
VERSIONS_KEPT = 20

#: kinds of stored version
EARLIER = "earlier"     # what the entry held before it was edited (or replaced by an import)
CONFLICT = "conflict"   # an imported copy that was not kept because both sides had changed


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# The C encoder behind json.dumps, built once: a fresh encoder per entry was half the cost
# of hashing 100,000 entries on import. Same output as json.dumps(..., ensure_ascii=False,
# separators=(",", ":")). (typeshed leaves the private factory out: typed here.)
_c_make_encoder: Callable[..., Callable[[object, int], Iterable[str]]] | None = getattr(
    json_encoder, "c_make_encoder", None)
_C_ENCODER = (
    _c_make_encoder(None, _ENCODER.default, json_encoder.encode_basestring, None,
                    ":", ",", False, False, True)
    if _c_make_encoder is not None else None
)


def _compact_json(values: list[object]) -> str:
    if _C_ENCODER is not None:
        return "".join(_C_ENCODER(values, 0))
    return _ENCODER.encode(values)  # pragma: no cover - Pythons without the C accelerator


def revision_of_values(values: tuple[object, ...]) -> str:
    """The revision of :data:`REVISION_FIELDS` given as plain JSON values (dates as ISO text,
    enums as their value, ``asked_why`` as a boolean)."""
    payload = _compact_json([_RECIPE, *values])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:REVISION_LENGTH]


def added_values(record: AttemptRecord) -> dict[str, object]:
    """The fields schema 3 added that ``record`` uses (not empty or null), as JSON values.

    ``reasons`` counts as used only when there are two or more: a single reason is hashed in
    schema 1's ``reason`` place, as it always was.
    """
    values: dict[str, object] = {}
    if record.who_asked:
        values["who_asked"] = record.who_asked
    if len(record.reasons) > 1:
        values["reasons"] = [reason.value for reason in record.reasons]
    if record.other_reason:
        values["other_reason"] = record.other_reason
    for name in ("hopefulness", "next_discomfort", "next_no_chance"):
        value = getattr(record, name)
        if value is not None:
            values[name] = value
    # schema 3.4: each only when not its default
    if record.kind is not EntryKind.ASK:
        values["kind"] = record.kind.value
    if record.ask_mode is not None:
        values["ask_mode"] = record.ask_mode.value
    if record.feared_outcome:
        values["feared_outcome"] = record.feared_outcome
    if record.fear_likelihood is not None:
        values["fear_likelihood"] = record.fear_likelihood
    if record.safety_behaviours:
        values["safety_behaviours"] = list(record.safety_behaviours)
    if record.awaiting_answer:
        values["awaiting_answer"] = True
    if record.follow_up_on is not None:
        values["follow_up_on"] = record.follow_up_on.isoformat()
    if record.fear_happened is not None:
        values["fear_happened"] = record.fear_happened.value
    for name in ("fear_likelihood_after", "surprise"):
        value = getattr(record, name)
        if value is not None:
            values[name] = value
    if record.safety_dropped:
        values["safety_dropped"] = list(record.safety_dropped)
    return values


def revision(record: AttemptRecord) -> str:
    """The revision of ``record``: the same words give the same revision on every machine.

    The recipe of schema 1 and 2 is kept: an entry that leaves every field schema 3 added
    empty (and has at most one reason) has the revision it always had.  When it uses one, an
    object of just the used ones (keys in :data:`ADDED_FIELDS` order) is hashed after
    ``lesson`` (docs/json-format.md).
    """
    single = record.reasons[0].value if len(record.reasons) == 1 else None
    values: tuple[object, ...] = (
        record.challenge_uuid, record.ask, record.attempted_on.isoformat(),
        record.anticipated_discomfort, record.predicted_no_chance, record.feelings_before,
        record.worst_case, record.outcome.value if record.outcome else None,
        record.actual_discomfort, record.feelings_after,
        single, bool(record.asked_why),
        record.reflection, record.lesson,
    )
    added = added_values(record)
    if added:
        values = (*values, added)
    return revision_of_values(values)


# -- ladders, runs and the user's own challenges (schema 3.2) -------------------------------
# Each has a revision too, a hash of what it *is* (never its timestamps), and remembers its
# earlier revisions, so they merge like entries: no clock decides (docs/json-format.md).

#: the kinds of record, other than entries, that carry revisions (``record_version.record_kind``)
LADDER_KIND = "ladder"
RUN_KIND = "run"
CHALLENGE_KIND = "challenge"


def _revision_of(recipe: str, values: list[object]) -> str:
    payload = _compact_json([recipe, *values])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:REVISION_LENGTH]


def ladder_revision_of(goal: str, rung_uuids: Iterable[str]) -> str:
    """A ladder's revision: its goal and its rungs' challenge UUIDs, in order."""
    return _revision_of("rejection-journal/ladder/1", [goal, list(rung_uuids)])


def ladder_revision(ladder: Ladder) -> str:
    return ladder_revision_of(ladder.goal, (r.challenge_uuid for r in ladder.rungs))


def run_revision(run: RunRecord) -> str:
    """A run's revision: its start, length, ladder, categories and end."""
    return _revision_of("rejection-journal/run/1", [
        run.started_on.isoformat(), run.length_days, run.ladder_uuid,
        [c.value for c in run.categories],
        None if run.ended_on is None else run.ended_on.isoformat()])


def challenge_revision(challenge: ChallengeRecord) -> str:
    """A challenge's revision: its title, category, level, how-to, respect note and whether
    it is archived."""
    return _revision_of("rejection-journal/challenge/1", [
        challenge.title, challenge.category.value, challenge.level, challenge.how_to,
        challenge.respect_note, bool(challenge.archived)])


def effective_revisions(stored: str, earlier: tuple[str, ...], current: str
                        ) -> tuple[str, tuple[str, ...]]:
    """A record's revisions as they are true of what it holds now (``current``): a stored
    revision that is empty or out of date (written by a release before schema 3.2, which
    opens such a journal too) counts as the one the record was changed from."""
    if stored == current:
        return current, earlier
    if not stored:
        return current, earlier
    return current, after_edit(stored, earlier)


def join_revisions(revisions: tuple[str, ...] | list[str]) -> str:
    """How earlier revisions are stored in one column: newest first, space-separated."""
    return " ".join(revisions[:EARLIER_REVISIONS_KEPT])


def split_revisions(text: str | None) -> tuple[str, ...]:
    return tuple(text.split()) if text else ()


def after_edit(current: str, earlier: tuple[str, ...]) -> tuple[str, ...]:
    """The earlier revisions of an entry edited away from ``current``: a history, newest
    first, so a revision may appear twice (an edit taken back)."""
    return (current, *earlier)[:EARLIER_REVISIONS_KEPT]


# -- a whole record as JSON (the history keeps every field, timestamps included) ----------

def _stamp(value: datetime) -> str:
    return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def record_to_json(record: AttemptRecord) -> str:
    values: dict[str, Any] = {}
    for name in AttemptRecord.__dataclass_fields__:
        value = getattr(record, name)
        if isinstance(value, datetime):
            value = _stamp(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, StrEnum):
            value = value.value
        elif isinstance(value, tuple):  # reasons, safety behaviours
            value = [getattr(item, "value", item) for item in value]
        values[name] = value
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def record_from_json(text: str) -> AttemptRecord:
    """The record :func:`record_to_json` wrote; ``ValueError``/``KeyError`` if it is not one."""
    values = json.loads(text)
    if not isinstance(values, dict):
        raise ValueError("not a stored entry")
    values["attempted_on"] = date.fromisoformat(values["attempted_on"])
    for name in ("created_at", "updated_at"):
        values[name] = datetime.fromisoformat(values[name].removesuffix("Z"))
    values["outcome"] = Outcome(values["outcome"]) if values["outcome"] else None
    if "reason" in values:  # stored by schema 2, before an entry could have several reasons
        old = values.pop("reason")
        values.setdefault("reasons", [old] if old else [])
    values["reasons"] = tuple(Reason(value) for value in values.get("reasons", ()))
    # schema 3.4 (a version stored before it has none of these: the defaults)
    values["kind"] = EntryKind(values.get("kind", EntryKind.ASK.value))
    for name, kind in (("ask_mode", AskMode), ("fear_happened", FearHappened)):
        values[name] = kind(values[name]) if values.get(name) else None
    if values.get("follow_up_on"):
        values["follow_up_on"] = date.fromisoformat(values["follow_up_on"])
    for name in ("safety_behaviours", "safety_dropped"):
        values[name] = tuple(values.get(name, ()))
    return AttemptRecord(**values)


@dataclass(frozen=True, slots=True)
class SavedVersion:
    """One version in an entry's history; ``number`` 1 is the most recently stored."""

    number: int
    kind: str
    revision: str
    saved_at: datetime
    record: AttemptRecord


def differing_fields(a: AttemptRecord, b: AttemptRecord) -> list[str]:
    """The user-visible fields in which ``a`` and ``b`` differ, in :data:`REVISION_FIELDS`
    order."""
    return [name for name in REVISION_FIELDS if getattr(a, name) != getattr(b, name)]
