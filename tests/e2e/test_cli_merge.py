"""Imports through the installed command: conflicts kept and brought back with ``versions``;
pre-import backups only when an import changes something."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from rejection_journal.domain.records import AttemptRecord, utcnow
from rejection_journal.paths import backups_dir
from rejection_journal.storage import entries as entries_module
from rejection_journal.storage import open_journal
from rejection_journal.storage.backup_list import list_backups
from rejection_journal.storage.export import export_document, export_json
from rejection_journal.storage.import_schema import parse_document
from rejection_journal.storage.merge import apply_import

from .conftest import Run

ENTRY = AttemptRecord(ask="Ask the neighbour to turn the music down",
                      attempted_on=date(2026, 2, 1), uuid="7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                      anticipated_discomfort=7, lesson="before")


def _kinds(data: Path) -> list[str]:
    return sorted(b.kind for b in list_backups(backups_dir(data)))


def test_clock_skew_conflict_is_reported_kept_and_brought_back_with_versions(
    run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    with open_journal(here) as journal:
        journal.save_attempt(ENTRY)
        shared = export_document(journal)
    with open_journal(elsewhere) as journal:
        apply_import(journal, parse_document(json.dumps(shared)))
        # This machine's clock runs most of a day fast: within what an import accepts as "not
        # in the future", yet its timestamp claims to be newer than the edit made here later.
        ahead = utcnow() + timedelta(hours=20)
        monkeypatch.setattr(entries_module, "utcnow", lambda: ahead)
        journal.save_attempt(ENTRY.replace(lesson="written on the fast machine"))
        monkeypatch.undo()
        export_json(journal, tmp_path / "from-elsewhere.json")
    with open_journal(here) as journal:
        journal.save_attempt(ENTRY.replace(lesson="written here, later"))

    result = run_cli("--data-dir", str(here), "import", str(tmp_path / "from-elsewhere.json"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("1 entry had changed here and in the file: your version was "
                             "kept; the imported one is saved in the entry's history.")
    assert lines[1:] == ["Both versions are kept for (see them with 'rejection-journal "
                         "versions ENTRY-UUID'):", f"  {ENTRY.uuid}"]
    with open_journal(here) as journal:
        assert journal.attempt(ENTRY.uuid).lesson == "written here, later"  # type: ignore[union-attr]

    listed = run_cli("--data-dir", str(here), "versions", ENTRY.uuid)
    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.splitlines()
    assert rows[0].startswith('"Ask the neighbour to turn the music down": 2 kept versions')
    assert rows[1].split()[0] == "1" and "imported, changed on both sides" in rows[1]
    assert rows[1].endswith("differs in: lesson")
    assert rows[2].split()[0] == "2" and "before a change" in rows[2]
    assert rows[3] == (f"Bring one back with 'rejection-journal versions {ENTRY.uuid} "
                       "--restore N'.")

    restored = run_cli("--data-dir", str(here), "versions", ENTRY.uuid, "--restore", "1")
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("Brought back version 1 of")
    with open_journal(here) as journal:
        assert journal.attempt(ENTRY.uuid).lesson == "written on the fast machine"  # type: ignore[union-attr]
        assert journal.attempt_versions(ENTRY.uuid)[0].record.lesson == "written here, later"


@pytest.mark.parametrize(("args", "words", "code"), [
    (("versions", "0b7e9a52-1111-4222-8333-944455556666"), "no entry", 1),
    (("versions", ENTRY.uuid, "--restore", "3"), "has no version 3", 1),
    (("versions", ENTRY.uuid, "--restore", "0"), "must be 1 or more", 2),
])
def test_versions_refuses_in_one_line(run_cli: Run, tmp_path: Path, args: tuple[str, ...],
                                      words: str, code: int) -> None:
    with open_journal(tmp_path / "j") as journal:
        journal.save_attempt(ENTRY)
    result = run_cli("--data-dir", str(tmp_path / "j"), *args)
    assert result.returncode == code
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_failed_and_no_op_imports_make_no_backup_and_keep_the_ones_that_matter(
    run_cli: Run, tmp_path: Path
) -> None:
    data = tmp_path / "journal"
    with open_journal(data) as journal:
        journal.save_attempt(ENTRY)
        for _ in range(3):
            journal.backup("manual")
        export_json(journal, tmp_path / "same.json")
        document: dict[str, Any] = export_document(journal)
    # the only undo of a restore: a pre-restore backup
    manual = list_backups(backups_dir(data))[0].path.name
    assert run_cli("--data-dir", str(data), "restore", manual).returncode == 0
    before = list_backups(backups_dir(data))
    assert sorted(b.kind for b in before) == ["manual", "manual", "manual", "pre-restore"]

    # passes every check of the file alone, but its challenge is nowhere: fails on import
    document["attempts"][0].update(uuid="0b7e9a52-1111-4222-8333-944455556666",
                                   challenge_uuid="0b7e9a52-2222-4222-8333-944455556666")
    failing = tmp_path / "failing.json"
    failing.write_text(json.dumps(document), encoding="utf-8")
    for _ in range(10):
        failed = run_cli("--data-dir", str(data), "import", str(failing))
        assert failed.returncode == 1
        assert "challenge_uuid: no challenge with this UUID" in failed.stderr
        nothing = run_cli("--data-dir", str(data), "import", str(tmp_path / "same.json"))
        assert nothing.returncode == 0, nothing.stderr
        assert nothing.stdout.startswith("Nothing to import")
    assert list_backups(backups_dir(data)) == before

    document["attempts"][0]["challenge_uuid"] = None
    changing = tmp_path / "changing.json"
    changing.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("--data-dir", str(data), "import", str(changing))
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    assert _kinds(data) == ["manual", "manual", "manual", "pre-import", "pre-restore"]
