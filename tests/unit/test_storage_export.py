"""JSON and CSV exports: complete, private, and never half-written."""

from __future__ import annotations

import csv
import io
import json
import stat
import tempfile
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rejection_journal import __version__
from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.enums import Category, Outcome, Reason
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.records import DATE_MAX, DATE_MIN, TITLE_MAX, AttemptRecord, is_blank
from rejection_journal.storage import open_journal
from rejection_journal.storage.export import CSV_COLUMNS, export_csv, export_json

ATTEMPT_FIELDS = set(AttemptRecord.__dataclass_fields__)


def _parse_timestamp(text: str) -> datetime:
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text).replace(tzinfo=None)


def attempt_from_json(item: dict[str, Any]) -> AttemptRecord:
    """What an importer would do with one exported attempt."""
    return AttemptRecord(
        uuid=item["uuid"],
        ask=item["ask"],
        challenge_uuid=item["challenge_uuid"],
        attempted_on=date.fromisoformat(item["attempted_on"]),
        anticipated_discomfort=item["anticipated_discomfort"],
        predicted_no_chance=item["predicted_no_chance"],
        feelings_before=item["feelings_before"],
        worst_case=item["worst_case"],
        outcome=Outcome(item["outcome"]) if item["outcome"] is not None else None,
        actual_discomfort=item["actual_discomfort"],
        feelings_after=item["feelings_after"],
        reasons=tuple(Reason(value) for value in item["reasons"]),
        other_reason=item["other_reason"],
        who_asked=item["who_asked"],
        hopefulness=item["hopefulness"],
        next_discomfort=item["next_discomfort"],
        next_no_chance=item["next_no_chance"],
        asked_why=item["asked_why"],
        reflection=item["reflection"],
        lesson=item["lesson"],
        created_at=_parse_timestamp(item["created_at"]),
        updated_at=_parse_timestamp(item["updated_at"]),
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def filled(journal, make_attempt):
    """A journal with a challenge attempt, a free-form attempt and an open attempt."""
    journal.save_attempt(make_attempt(attempted_on=date(2024, 1, 5)))
    journal.save_attempt(make_attempt(
        challenge_uuid=None, ask="Ask my landlord to fix the heating, «now»",
        attempted_on=date(2024, 1, 6), outcome=Outcome.YES, reasons=(),
        reflection="Multi-line\nreflection, with \"quotes\" and commas",
    ))
    journal.save_attempt(AttemptRecord(ask="Ask for a raise", attempted_on=date(2024, 1, 7),
                                       anticipated_discomfort=9))
    return journal


# -- JSON ----------------------------------------------------------------------------------

def test_json_export_describes_itself(filled, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    assert export_json(filled, out) == 3
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "rejection-journal"
    assert doc["format_version"] == 6  # format 5: challenges', ladders' and runs' revisions
    assert doc["schema_version"] == 3
    assert doc["app_version"] == __version__
    exported_at = _parse_timestamp(doc["exported_at"])
    now = datetime.now(UTC).replace(tzinfo=None)
    assert abs((now - exported_at).total_seconds()) < 120


def test_json_export_holds_every_challenge_and_every_attempt_field(filled, tmp_path) -> None:
    out = tmp_path / "export.json"
    export_json(filled, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {c["uuid"] for c in doc["challenges"]} == {c.uuid for c in builtin_challenges()}
    for item in doc["challenges"]:
        assert Category(item["category"])
        assert set(item) == {"uuid", "title", "category", "level", "how_to", "respect_note",
                             "is_custom", "archived", "revision", "earlier_revisions"}
    assert len(doc["attempts"]) == 3
    for item in doc["attempts"]:
        # format 2: the record's fields, its revision and its earlier revisions
        assert set(item) == ATTEMPT_FIELDS | {"revision", "earlier_revisions"}
    assert [attempt_from_json(item) for item in doc["attempts"]] == filled.attempts()


def test_json_keeps_non_ascii_text_readable(filled, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    export_json(filled, out)
    assert "«now»" in out.read_text(encoding="utf-8")


def test_export_files_are_private(filled, tmp_path: Path) -> None:
    for name, export in (("e.json", export_json), ("e.csv", export_csv)):
        out = tmp_path / name
        export(filled, out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_exporting_into_a_missing_folder_fails_and_leaves_nothing(filled, tmp_path) -> None:
    for name, export in (("e.json", export_json), ("e.csv", export_csv)):
        with pytest.raises(FileNotFoundError):
            export(filled, tmp_path / "missing" / name)
    assert not (tmp_path / "missing").exists()
    assert _leftovers(tmp_path) == []


def test_an_existing_export_is_replaced_whole(filled, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    out.write_bytes(b"x" * 1_000_000)
    export_json(filled, out)
    doc = json.loads(out.read_text(encoding="utf-8"))  # no stale tail from the old file
    assert len(doc["attempts"]) == 3
    assert _leftovers(tmp_path) == []


def test_an_export_that_cannot_replace_its_target_leaves_no_temp_file(filled, tmp_path) -> None:
    target = tmp_path / "export.json"
    target.mkdir()  # a folder is in the way: the final rename fails
    (target / "keep.txt").write_text("mine")
    with pytest.raises(OSError):
        export_json(filled, target)
    assert (target / "keep.txt").read_text() == "mine"
    assert _leftovers(tmp_path) == []


def test_an_empty_journal_exports_its_challenges_and_no_attempts(journal, tmp_path) -> None:
    out = tmp_path / "empty.json"
    assert export_json(journal, out) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["attempts"] == []
    assert len(doc["challenges"]) == len(builtin_challenges())


# -- JSON round trip (property) ------------------------------------------------------------

_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
                max_size=40)
_ask = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
               min_size=1, max_size=TITLE_MAX).filter(lambda s: not is_blank(s))
_rating = st.none() | st.integers(0, 10)
_challenge_uuid = st.none() | st.sampled_from([c.uuid for c in builtin_challenges()])


@st.composite
def valid_attempts(draw: st.DrawFn) -> AttemptRecord:
    outcome = draw(st.none() | st.sampled_from(list(Outcome)))
    can_have_reason = outcome is not None and outcome.can_have_reason
    record = AttemptRecord(
        uuid=str(draw(st.uuids())),
        ask=draw(_ask),
        challenge_uuid=draw(_challenge_uuid),
        attempted_on=draw(st.dates(DATE_MIN, DATE_MAX)),
        anticipated_discomfort=draw(_rating),
        predicted_no_chance=draw(st.none() | st.integers(0, 100)),
        feelings_before=draw(_text),
        worst_case=draw(_text),
        outcome=outcome,
        actual_discomfort=draw(_rating) if outcome is not None else None,
        feelings_after=draw(_text),
        reasons=(tuple(draw(st.lists(st.sampled_from(list(Reason)), unique=True)))
                 if can_have_reason else ()),
        who_asked=draw(_text),
        hopefulness=draw(st.none() | st.integers(-2, 2)),
        next_discomfort=draw(st.none() | st.integers(0, 10)),
        next_no_chance=draw(st.none() | st.integers(0, 100)),
        asked_why=draw(st.booleans()),
        reflection=draw(_text),
        lesson=draw(_text),
        created_at=draw(st.datetimes()),
        updated_at=draw(st.datetimes()),
    )
    return record.validated()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(valid_attempts(), max_size=4, unique_by=lambda a: a.uuid))
def test_json_export_round_trips_every_field(attempts: list[AttemptRecord]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        journal = open_journal(Path(tmp) / "journal")
        try:
            stored = [journal.save_attempt(a) for a in attempts]
            out = Path(tmp) / "export.json"
            assert export_json(journal, out) == len(attempts)
            doc = json.loads(out.read_text(encoding="utf-8"))
        finally:
            journal.close()
    parsed = {item["uuid"]: attempt_from_json(item) for item in doc["attempts"]}
    assert set(parsed) == {a.uuid for a in attempts}
    for original, saved in zip(attempts, stored, strict=True):
        assert parsed[original.uuid] == saved
        # save_attempt stamps updated_at; every other field is the user's, kept exactly.
        assert parsed[original.uuid].replace(updated_at=original.updated_at) == original


# -- CSV -----------------------------------------------------------------------------------

def _read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_csv_has_a_header_and_one_row_per_attempt(filled, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    assert export_csv(filled, out) == 3
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets detect UTF-8
    rows = _read_csv(out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == list(CSV_COLUMNS)
    assert [row["uuid"] for row in rows] == [a.uuid for a in filled.attempts()]


def test_csv_values_match_the_journal(filled, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    export_csv(filled, out)
    first, free_form, still_open = _read_csv(out)
    challenge = builtin_challenges()[0]
    assert first["challenge_uuid"] == challenge.uuid
    assert first["challenge_category"] == challenge.category.value
    assert first["challenge_level"] == str(challenge.level)
    assert first["attempted_on"] == "2024-01-05"
    assert first["outcome"] == "no"
    assert first["reasons"] == "timing"
    assert first["anticipated_discomfort"] == "8"
    assert first["actual_discomfort"] == "3"
    assert first["created_at"].endswith("Z")
    assert free_form["challenge_uuid"] == ""
    assert free_form["challenge_category"] == ""
    assert free_form["reflection"] == "Multi-line\nreflection, with \"quotes\" and commas"
    assert free_form["ask"] == "Ask my landlord to fix the heating, «now»"
    assert still_open["outcome"] == ""
    assert still_open["actual_discomfort"] == ""
    assert still_open["predicted_no_chance"] == ""


def test_csv_of_an_empty_journal_is_just_the_header(journal, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    assert export_csv(journal, out) == 0
    assert out.read_bytes() == ("\ufeff" + ",".join(CSV_COLUMNS) + "\r\n").encode("utf-8")


def test_csv_of_a_demo_journal_has_every_category_filled(journal, tmp_path: Path) -> None:
    demo = generate_attempts(builtin_challenges(), 200, seed=3, today=date(2024, 6, 30))
    journal.add_demo_attempts(demo)
    out = tmp_path / "export.csv"
    assert export_csv(journal, out) == 200
    rows = _read_csv(out)
    assert len(rows) == 200
    assert all(Category(row["challenge_category"]) for row in rows)
    assert {row["uuid"] for row in rows} == {a.uuid for a in demo}
    assert all(str(uuid.UUID(row["uuid"])) == row["uuid"] for row in rows)


def test_csv_defuses_text_a_spreadsheet_would_run_as_a_formula(
    journal, make_attempt, tmp_path: Path
) -> None:
    journal.save_attempt(make_attempt(ask="=HYPERLINK(\"http://x\")", lesson="+1 for asking",
                                      reflection="-- calm"))
    out = tmp_path / "export.csv"
    export_csv(journal, out)
    (row,) = _read_csv(out)
    assert row["ask"] == "'=HYPERLINK(\"http://x\")"
    assert row["lesson"] == "'+1 for asking"
    assert row["reflection"] == "'-- calm"
    assert row["anticipated_discomfort"].isdigit(), "numbers stay numbers"
