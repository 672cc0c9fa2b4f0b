"""The installed ``rejection-journal`` command, run as a user (or a script) would."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from rejection_journal import __version__

from .conftest import Run


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_version(run_cli: Run) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"rejection-journal {__version__}"


def test_demo_then_export_json_and_csv(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    result = run_cli("--data-dir", str(data), "demo", "--entries", "40", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "Added 40 demo attempts" in result.stdout
    assert oct(data.stat().st_mode & 0o777) == "0o700"
    assert oct((data / "journal.sqlite3").stat().st_mode & 0o777) == "0o600"

    out = tmp_path / "journal.json"
    result = run_cli("--data-dir", str(data), "export", "--format", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == "rejection-journal"
    assert document["schema_version"] == 3
    assert len(document["attempts"]) == 40
    assert len(document["challenges"]) >= 20
    first = document["attempts"][0]
    for field in ("uuid", "challenge_uuid", "ask", "attempted_on", "anticipated_discomfort",
                  "predicted_no_chance", "feelings_before", "worst_case", "outcome",
                  "actual_discomfort", "feelings_after", "reasons", "asked_why", "reflection",
                  "lesson", "created_at", "updated_at"):
        assert field in first
    assert oct(out.stat().st_mode & 0o777) == "0o600"

    out_csv = tmp_path / "journal.csv"
    result = run_cli("--data-dir", str(data), "export", "--format", "csv", "--out", str(out_csv))
    assert result.returncode == 0, result.stderr
    with out_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 40
    assert {r["uuid"] for r in rows} == {a["uuid"] for a in document["attempts"]}


def test_demo_is_repeatable_for_a_seed(run_cli: Run, tmp_path: Path) -> None:
    exports = []
    for name in ("a", "b"):
        data = tmp_path / name
        assert run_cli("--data-dir", str(data), "demo", "--entries", "12", "--seed", "3"
                       ).returncode == 0
        out = tmp_path / f"{name}.json"
        assert run_cli("--data-dir", str(data), "export", "--format", "json",
                       "--out", str(out)).returncode == 0
        exports.append([(a["ask"], a["attempted_on"], a["anticipated_discomfort"])
                        for a in json.loads(out.read_text())["attempts"]])
    assert exports[0] == exports[1]


def test_data_dir_from_environment(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "from-env"
    result = run_cli("demo", "--entries", "3", env={"REJECTION_JOURNAL_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert (data / "journal.sqlite3").exists()
    assert not (tmp_path / "home" / ".local").exists(), "the default location was not touched"


def test_demo_refuses_a_journal_with_entries_and_changes_nothing(
    run_cli: Run, tmp_path: Path
) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "5").returncode == 0
    before = _digest(data)
    result = run_cli("--data-dir", str(data), "demo", "--entries", "5")
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "already has entries" in result.stderr
    out = tmp_path / "after.json"
    run_cli("--data-dir", str(data), "export", "--format", "json", "--out", str(out))
    assert len(json.loads(out.read_text())["attempts"]) == 5
    assert set(_digest(data)) >= set(before)


def test_bad_arguments_give_one_line_and_write_nothing(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    cases = [
        ("demo", "--entries", "many"),
        ("demo", "--entries", "0"),
        ("demo", "--entries", "-3"),
        ("demo",),
        ("export", "--format", "xml", "--out", str(tmp_path / "x.xml")),
        ("export", "--format", "json"),
        ("frobnicate",),
    ]
    for args in cases:
        result = run_cli("--data-dir", str(data), *args)
        assert result.returncode == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (args, result.stderr)
        assert lines[0].startswith("rejection-journal"), lines
    assert not data.exists()
    assert not (tmp_path / "x.xml").exists()


def test_export_to_missing_folder_or_missing_journal_fails_cleanly(
    run_cli: Run, tmp_path: Path
) -> None:
    data = tmp_path / "journal"
    result = run_cli("--data-dir", str(data), "export", "--format", "json",
                     "--out", str(tmp_path / "x.json"))
    assert result.returncode == 1
    assert "no journal" in result.stderr
    assert not data.exists()

    assert run_cli("--data-dir", str(data), "demo", "--entries", "2").returncode == 0
    result = run_cli("--data-dir", str(data), "export", "--format", "csv",
                     "--out", str(tmp_path / "nowhere" / "x.csv"))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "does not exist" in result.stderr
    assert not (tmp_path / "nowhere").exists()


def test_export_replaces_an_existing_file_whole(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "4").returncode == 0
    out = tmp_path / "export.json"
    out.write_text("old content that is longer than nothing " * 1000)
    assert run_cli("--data-dir", str(data), "export", "--format", "json",
                   "--out", str(out), "--force").returncode == 0
    assert len(json.loads(out.read_text())["attempts"]) == 4
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_demo_is_refused_while_the_app_has_the_journal(run_cli: Run, tmp_path: Path) -> None:
    from rejection_journal.lock import journal_lock, try_lock
    from rejection_journal.paths import ensure_private_dir

    data = ensure_private_dir(tmp_path / "journal")
    lock = journal_lock(data)
    assert try_lock(lock, data)  # as the running app holds it
    try:
        result = run_cli("--data-dir", str(data), "demo", "--entries", "3")
    finally:
        lock.unlock()
    assert result.returncode == 1
    assert "close the app, then add demo data" in result.stderr
    assert not (data / "journal.sqlite3").exists()


# -- empty data folders ----------------------------------------------------------------------

_VARIABLE = "REJECTION_JOURNAL_DATA_DIR"
# (how the empty folder is given, the command, the option or variable the message must name)
_EMPTY_DATA_DIR_CASES = [
    pytest.param(["--data-dir", ""], {}, "backup", "--data-dir", id="empty option, backup"),
    pytest.param(["--data-dir", "  "], {}, "export", "--data-dir", id="blank option, export"),
    pytest.param(["--data-dir", ""], {}, "window", "--data-dir", id="empty option, window"),
    pytest.param([], {_VARIABLE: ""}, "backup", _VARIABLE, id="empty variable, backup"),
    pytest.param([], {_VARIABLE: " "}, "export", _VARIABLE, id="blank variable, export"),
    pytest.param([], {_VARIABLE: ""}, "window", _VARIABLE, id="empty variable, window"),
]


@pytest.mark.parametrize(("option", "env", "command", "named"), _EMPTY_DATA_DIR_CASES)
def test_an_empty_data_folder_is_refused_and_the_default_journal_left_alone(
    run_cli: Run, tmp_path: Path, command: str, option: list[str], env: dict[str, str],
    named: str,
) -> None:
    home = tmp_path / "home"
    out = tmp_path / "out.json"
    args = {"backup": ["backup"], "window": [],
            "export": ["export", "--format", "json", "--out", str(out)]}[command]
    # The default journal (XDG) exists: an empty path must not fall back to it.
    default = home / ".local" / "share" / "rejection-journal"
    result = run_cli("--data-dir", str(default), "demo", "--entries", "3")
    assert result.returncode == 0, result.stderr
    before = _digest(default)

    result = run_cli(*option, *args, env=env, timeout=60)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rejection-journal: ")
    assert named in lines[0] and "empty" in lines[0]
    assert _digest(default) == before
    assert not out.exists()
