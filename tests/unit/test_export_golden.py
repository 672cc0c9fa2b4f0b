"""Exports come out byte for byte as before the attempt's fields were described once.

tests/fixtures/export-golden/ was written by tests/fixtures/make_export_golden.py: ``export.json``
and ``export.csv`` from the code before domain/fields.py existed (format 3), ``export-v4.json``
when format 4 added ladders and runs, ``export-v5.json`` when format 5 gave challenges,
ladders and runs their revisions, ``export-v6.json``/``export-v6.csv`` when format 6 added the
experiment, the kinds of entry and the self-check's results.  The same procedure must still
give the same bytes, and the older files must still import whole.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rejection_journal.storage import open_journal
from rejection_journal.storage.export import EXPORT_FORMAT_VERSION, export_document
from rejection_journal.storage.import_schema import read_plan
from rejection_journal.storage.merge import apply_import
from rejection_journal.storage.models import Challenge
from tests.fixtures.make_export_golden import CURRENT, CURRENT_CSV, HERE, make


def test_json_and_csv_exports_are_byte_for_byte_what_they_were(tmp_path: Path) -> None:
    data, table = make(tmp_path)
    assert data == (HERE / CURRENT).read_bytes()
    assert table == (HERE / CURRENT_CSV).read_bytes()


def test_the_csv_keeps_every_column_and_value_of_the_format_3_csv(tmp_path: Path) -> None:
    """Format 6 adds columns (and the golden journal more rows): each old column keeps its
    place among the old ones and every old row its values."""
    _data, table = make(tmp_path)
    old = list(csv.DictReader(io.StringIO((HERE / "export.csv").read_bytes().decode("utf-8-sig"))))
    new = list(csv.DictReader(io.StringIO(table.decode("utf-8-sig"))))
    old_columns = list(old[0])
    assert [c for c in new[0] if c in old_columns] == old_columns
    by_uuid = {row["uuid"]: row for row in new}
    assert [{k: by_uuid[row["uuid"]][k] for k in old_columns} for row in old] == old


def test_the_format_4_golden_carries_the_ladder_without_its_missing_rung() -> None:
    document = json.loads((HERE / "export-v4.json").read_text("utf-8"))
    assert document["format_version"] == 4
    (ladder,) = document["ladders"]
    assert len(ladder["rungs"]) == 2 and "33333333" not in json.dumps(ladder)
    assert [run["ladder_uuid"] for run in document["runs"]] == [None, ladder["uuid"]]


def test_the_format_3_golden_still_imports_whole(tmp_path: Path) -> None:
    old = json.loads((HERE / "export.json").read_text("utf-8"))
    assert old["format_version"] == 3
    with open_journal(tmp_path / "journal") as journal:
        Challenge.delete().where(Challenge.is_custom == False).execute()  # noqa: E712
        result = apply_import(journal, read_plan(HERE / "export.json"))
        assert result.added_attempts == len(old["attempts"])
        document = export_document(journal)
    for key in ("challenges", "attempts"):
        # format 5 gives challenges their revisions; all the rest is as it was
        assert [{k: item[k] for k in before} for item, before
                in zip(document[key], old[key], strict=True)] == old[key]
    assert (document["ladders"], document["runs"]) == ([], [])


def test_the_format_4_golden_still_imports_whole_and_exports_as_the_current_format(
    tmp_path: Path,
) -> None:
    old = json.loads((HERE / "export-v4.json").read_text("utf-8"))
    with open_journal(tmp_path / "journal") as journal:
        Challenge.delete().where(Challenge.is_custom == False).execute()  # noqa: E712
        result = apply_import(journal, read_plan(HERE / "export-v4.json"))
        assert (result.added_attempts, result.added_ladders, result.added_runs) == (
            len(old["attempts"]), len(old["ladders"]), len(old["runs"]))
        document = export_document(journal)
    assert document["format_version"] == EXPORT_FORMAT_VERSION
    for key in ("challenges", "attempts", "ladders", "runs"):
        # what format 4 held, unchanged; format 5 adds each record's revisions
        assert [{k: item[k] for k in before} for item, before
                in zip(document[key], old[key], strict=True)] == old[key]
        assert all(len(item["revision"]) == 32 for item in document[key])


def test_the_format_5_golden_still_imports_whole_and_exports_as_format_6(tmp_path: Path) -> None:
    old = json.loads((HERE / "export-v5.json").read_text("utf-8"))
    assert old["format_version"] == 5
    with open_journal(tmp_path / "journal") as journal:
        Challenge.delete().where(Challenge.is_custom == False).execute()  # noqa: E712
        result = apply_import(journal, read_plan(HERE / "export-v5.json"))
        assert result.added_attempts == len(old["attempts"])
        document = export_document(journal)
    assert document["format_version"] == 6
    for key in ("challenges", "attempts", "ladders", "runs"):
        assert [{k: item[k] for k in before} for item, before
                in zip(document[key], old[key], strict=True)] == old[key]
    # what format 6 added holds its defaults: an ask, no experiment, not waiting
    assert {(a["kind"], a["feared_outcome"], a["awaiting_answer"])
            for a in document["attempts"]} == {("ask", "", False)}
    assert document["self_checks"] == []


def test_format_6_round_trips_through_export_and_import(tmp_path: Path) -> None:
    golden = json.loads((HERE / CURRENT).read_text("utf-8"))
    with open_journal(tmp_path / "a") as journal:
        Challenge.delete().where(Challenge.is_custom == False).execute()  # noqa: E712
        result = apply_import(journal, read_plan(HERE / CURRENT))
        assert result.added_self_checks == 1
        again = apply_import(journal, read_plan(HERE / CURRENT))
        assert (again.added_attempts, again.added_self_checks) == (0, 0)
        document = export_document(journal)
    for key in ("challenges", "attempts", "ladders", "runs", "self_checks"):
        assert document[key] == golden[key], key
    kinds = {a["ask"]: (a["kind"], a["awaiting_answer"], a["fear_happened"])
             for a in document["attempts"]}
    assert kinds["My sister said no to the trip"] == ("happened_to_me", False, None)
    assert kinds["Apply for the design job"] == ("ask", True, None)
    assert kinds["Ask a stranger for directions"] == ("ask", False, "partly")
