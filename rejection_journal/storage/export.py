"""JSON (full fidelity) and CSV (spreadsheet) exports, written atomically and privately.

The JSON format is documented in ``docs/json-format.md``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rejection_journal import __version__
from rejection_journal.domain.demo import DemoMark
from rejection_journal.domain.fields import ATTEMPT, ATTEMPT_FIELDS, CHALLENGE_FIELDS
from rejection_journal.domain.picker import Ladder
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord, utcnow
from rejection_journal.domain.runs import RunRecord
from rejection_journal.fileio import write_atomic
from rejection_journal.storage.import_experiment import self_check_to_dict
from rejection_journal.storage.journal import Journal
from rejection_journal.storage.migrations import SCHEMA_VERSION
from rejection_journal.storage.revisions import (
    CHALLENGE_KIND,
    LADDER_KIND,
    RUN_KIND,
    challenge_revision,
    effective_revisions,
    ladder_revision,
    run_revision,
)

FORMAT_NAME = "rejection-journal"
#: 2: each attempt carries ``revision`` and ``earlier_revisions`` (files of 1 still import)
#: 3: ``reasons`` (a list) instead of ``reason``; ``who_asked``, ``other_reason``,
#: ``hopefulness``, ``next_discomfort``, ``next_no_chance`` (files of 1 and 2 still import)
#: 4: ``ladders`` (fear ladders: goal and rungs by challenge UUID, easiest first) and ``runs``
#: (challenge runs) at the top level (files of 1 to 3 still import)
#: 5: challenges, ladders and runs carry ``revision`` and ``earlier_revisions`` too, and a
#: journal holding demo items writes ``demo`` at the top level: their marks (kind, UUID and the
#: fingerprint of what the demo gave the item).  Files of formats 1 to 4 still import.
#: 6: each attempt carries schema 3.4's fields (``kind``, ``ask_mode``, ``feared_outcome``,
#: ``fear_likelihood``, ``safety_behaviours``, ``awaiting_answer``, ``follow_up_on``,
#: ``fear_happened``, ``fear_likelihood_after``, ``surprise``, ``safety_dropped``), and
#: ``self_checks`` at the top level holds the self-check's results.  Files of formats 1 to 5
#: still import.
EXPORT_FORMAT_VERSION = 6

#: the CSV's first columns, before the attempt's challenge and its remaining fields
_CSV_LEAD = tuple(ATTEMPT[name].key for name in ("uuid", "attempted_on", "ask", "challenge_uuid"))
#: one row per attempt: its fields (domain/fields.py), with the challenge's category and level
#: after the challenge's UUID
CSV_COLUMNS = (
    *_CSV_LEAD,
    "challenge_category",
    "challenge_level",
    *(f.key for f in ATTEMPT_FIELDS if f.key not in _CSV_LEAD),
)
#: (JSON key, attribute) of each exported attempt and challenge field, in the record's order
_ATTEMPT_KEYS = tuple((f.key, f.attribute) for f in ATTEMPT_FIELDS)
_CHALLENGE_KEYS = tuple((f.key, f.attribute) for f in CHALLENGE_FIELDS)


def _timestamp(value: datetime) -> str:
    return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    if isinstance(value, tuple):  # reasons
        return [_json_value(item) for item in value]
    return value


def challenge_to_dict(c: ChallengeRecord) -> dict[str, Any]:
    return {key: _json_value(getattr(c, name)) for key, name in _CHALLENGE_KEYS}


def attempt_to_dict(a: AttemptRecord) -> dict[str, Any]:
    return {key: _json_value(getattr(a, name)) for key, name in _ATTEMPT_KEYS}


def export_document(journal: Journal) -> dict[str, Any]:
    marks = journal.demo_marks()
    stored = journal.record_revisions()

    def revised(kind: str, item: dict[str, Any], current: str) -> dict[str, Any]:
        revision, earlier = effective_revisions(*stored[kind].get(item["uuid"], ("", ())),
                                                current)
        return {**item, "revision": revision, "earlier_revisions": list(earlier)}

    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": EXPORT_FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": _timestamp(utcnow()),
        "challenges": [
            revised(CHALLENGE_KIND, challenge_to_dict(c), challenge_revision(c))
            for c in journal.challenges(include_archived=True)
        ],
        "attempts": _attempts_with_revisions(journal),
        "ladders": [revised(LADDER_KIND, ladder_to_dict(x), ladder_revision(x))
                    for x in journal.ladders()],
        "runs": [revised(RUN_KIND, run_to_dict(run), run_revision(run)) for run in journal.runs()],
        "self_checks": [self_check_to_dict(check) for check in journal.self_checks()],
    }
    if marks:
        document["demo"] = [demo_mark_to_dict(mark) for mark in marks]
    return document


def demo_mark_to_dict(mark: DemoMark) -> dict[str, Any]:
    """A demo item's mark as format 5 carries it."""
    return {"kind": mark.kind.value, "uuid": mark.uuid, "fingerprint": mark.fingerprint}


def ladder_to_dict(ladder: Ladder) -> dict[str, Any]:
    """A ladder as format 4 carries it: its rungs by challenge UUID, easiest first."""
    return {"uuid": ladder.uuid, "goal": ladder.goal,
            "rungs": [rung.challenge_uuid for rung in ladder.rungs],
            "created_at": _timestamp(ladder.created_at),
            "updated_at": _timestamp(ladder.updated_at)}


def run_to_dict(run: RunRecord) -> dict[str, Any]:
    return {"uuid": run.uuid, "started_on": run.started_on.isoformat(),
            "length_days": run.length_days, "ladder_uuid": run.ladder_uuid,
            "categories": [category.value for category in run.categories],
            "ended_on": None if run.ended_on is None else run.ended_on.isoformat(),
            "created_at": _timestamp(run.created_at), "updated_at": _timestamp(run.updated_at)}


def _attempts_with_revisions(journal: Journal) -> list[dict[str, Any]]:
    revisions = journal.attempt_revisions()
    attempts = []
    for record in journal.attempts():
        item = attempt_to_dict(record)
        current, earlier = revisions[record.uuid]
        item["revision"] = current
        item["earlier_revisions"] = list(earlier)
        attempts.append(item)
    return attempts


def export_json(journal: Journal, out: Path) -> int:
    """Write the whole journal as JSON; returns the number of attempts written."""
    document = export_document(journal)
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    write_atomic(out, data)
    return len(document["attempts"])


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """Spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(journal: Journal, out: Path) -> int:
    """Write one row per attempt (UTF-8 with BOM so spreadsheets detect the encoding)."""
    challenges = {c.uuid: c for c in journal.challenges(include_archived=True)}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for attempt in journal.attempts():
        row = attempt_to_dict(attempt)
        row["reasons"] = " ".join(row["reasons"])  # one cell: values, space-separated
        for key in ("safety_behaviours", "safety_dropped"):  # one cell: "; " between
            row[key] = "; ".join(row[key])
        challenge = challenges.get(attempt.challenge_uuid or "")
        row["challenge_category"] = challenge.category.value if challenge else ""
        row["challenge_level"] = challenge.level if challenge else ""
        writer.writerow({key: _csv_cell(row[key]) for key in CSV_COLUMNS})
        count += 1
    write_atomic(out, buffer.getvalue().encode("utf-8-sig"))
    return count
