"""Where `export` and `chart` write: only regular files, never the journal's own files or a
device, and an existing file only with --force."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import same_clock

from .conftest import Run

_AS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="making a device node needs root (tests run as root here and in CI)",
)


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def _one_line(stderr: str, prefix: str = "rejection-journal: ") -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(prefix), stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture(scope="module")
def _template(launcher: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal with a few entries, a backup and the window-state file, made once."""
    folder = tmp_path_factory.mktemp("template") / "journal"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder.parent),
           "LANG": "C.UTF-8", **same_clock()}
    for args in (["demo", "--entries", "30"], ["backup"]):
        subprocess.run([str(launcher), "--data-dir", str(folder), *args], env=env, check=True,
                       capture_output=True, timeout=120)
    (folder / "ui-state.ini").write_text("[window]\n")
    return folder


@pytest.fixture
def data(_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template journal for one test."""
    return Path(shutil.copytree(_template, tmp_path / "journal"))


@pytest.mark.parametrize("name", ["journal.sqlite3", "journal.sqlite3-wal",
                                  "journal.sqlite3-shm", "journal.lock", "ui-state.ini",
                                  "backup"])
def test_the_journals_own_files_are_refused_even_with_force(
    run_cli: Run, data: Path, name: str
) -> None:
    if name == "backup":
        target = next((data / "backups").iterdir())
    else:
        target = data / name
        if not target.exists():
            target.write_bytes(b"")  # the app's -wal/-shm/lock, as they are while it runs
    before = _digest(data)
    for fmt in ("json", "csv"):
        result = run_cli("--data-dir", str(data), "export", "--format", fmt,
                         "--out", str(target), "--force")
        assert result.returncode == 1
        assert "journal's own files" in _one_line(result.stderr)
        assert _digest(data) == before


def test_chart_refuses_the_backups_folder(run_cli: Run, data: Path) -> None:
    target = data / "backups" / "chart.png"
    result = run_cli("--data-dir", str(data), "chart", "--out", str(target), "--force")
    assert result.returncode == 1
    assert "journal's own files" in _one_line(result.stderr)
    assert not target.exists()


def test_a_symlink_to_the_journal_is_refused(run_cli: Run, data: Path, tmp_path: Path) -> None:
    before = _digest(data)
    for name, points_to in (("innocent.json", "journal.sqlite3"), ("chart.png", "journal.lock")):
        link = tmp_path / name
        link.symlink_to(data / points_to)
        command = (["export", "--format", "json", "--out", str(link)] if name.endswith(".json")
                   else ["chart", "--out", str(link)])
        result = run_cli("--data-dir", str(data), *command, "--force")
        assert result.returncode == 1
        assert "journal's own files" in _one_line(result.stderr)
        assert link.is_symlink()
    assert _digest(data) == before
    with sqlite3.connect(data / "journal.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM attempt").fetchone() == (30,)


@_AS_ROOT
@pytest.mark.parametrize("out_name", ["null.json", "full.png"])
def test_a_device_is_refused_and_left_a_device(
    run_cli: Run, data: Path, tmp_path: Path, out_name: str
) -> None:
    # Copies of /dev/null and /dev/full in a test folder: the real ones are never at risk.
    device = tmp_path / out_name
    minor = 3 if out_name.startswith("null") else 7
    os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, minor))
    command = (["export", "--format", "json", "--out", str(device)]
               if out_name.endswith(".json") else ["chart", "--out", str(device)])
    result = run_cli("--data-dir", str(data), *command, "--force")
    assert result.returncode == 1
    assert "device" in _one_line(result.stderr)
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_fifo_or_folder_is_refused(run_cli: Run, data: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for target, words in ((fifo, "not a regular file"), (tmp_path, "is a folder")):
        result = run_cli("--data-dir", str(data), "export", "--format", "json",
                         "--out", str(target), "--force", timeout=60)
        assert result.returncode == 1
        assert words in _one_line(result.stderr)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("command", ["json", "csv", "chart"])
def test_an_existing_file_is_replaced_only_with_force(
    run_cli: Run, data: Path, tmp_path: Path, command: str
) -> None:
    out = tmp_path / ("out.png" if command == "chart" else f"out.{command}")
    out.write_bytes(b"keep me")
    args = (["chart", "--out", str(out)] if command == "chart"
            else ["export", "--format", command, "--out", str(out)])
    result = run_cli("--data-dir", str(data), *args)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "already exists" in line and "--force" in line
    assert out.read_bytes() == b"keep me"

    result = run_cli("--data-dir", str(data), *args, "--force")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() != b"keep me"


def test_a_symlinked_export_is_written_through_and_the_link_kept(
    run_cli: Run, data: Path, tmp_path: Path
) -> None:
    synced = tmp_path / "synced"
    synced.mkdir()
    (synced / "journal.json").write_text("{}")
    link = tmp_path / "journal.json"
    link.symlink_to(synced / "journal.json")
    result = run_cli("--data-dir", str(data), "export", "--format", "json", "--out", str(link),
                     "--force")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert '"attempts"' in (synced / "journal.json").read_text()


# -- chart -----------------------------------------------------------------------------------

_MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".svg": b"<?xml", ".pdf": b"%PDF"}


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".PNG"])
def test_chart_writes_the_format_of_the_extension(
    run_cli: Run, data: Path, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"gap{suffix}"
    result = run_cli("--data-dir", str(data), "chart", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    assert out.read_bytes().startswith(_MAGIC[suffix.lower()])
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("name", ["gap.bmp", "gap.txt", "gap", "gap.png.json"])
def test_chart_refuses_other_extensions_with_exit_2(
    run_cli: Run, data: Path, tmp_path: Path, name: str
) -> None:
    out = tmp_path / name
    result = run_cli("--data-dir", str(data), "chart", "--out", str(out))
    assert result.returncode == 2
    line = _one_line(result.stderr, prefix="rejection-journal chart: error: argument --out: ")
    assert ".png, .svg, .pdf or .csv" in line  # (.csv: the plotted numbers, issue 11)
    assert not out.exists()


def test_chart_of_an_empty_or_missing_journal(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("--data-dir", str(tmp_path / "none"), "chart", "--out",
                     str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert "no journal" in _one_line(result.stderr)
    assert not (tmp_path / "none").exists()


def test_chart_leaves_out_dates_it_cannot_draw_and_still_exports(
    run_cli: Run, data: Path, tmp_path: Path
) -> None:
    # An old journal may hold dates from before the accepted range was enforced.
    with sqlite3.connect(data / "journal.sqlite3") as db:
        db.execute("UPDATE attempt SET attempted_on = '0001-01-01' WHERE id = (SELECT min(id) "
                   "FROM attempt WHERE actual_discomfort IS NOT NULL)")
        db.execute("UPDATE attempt SET attempted_on = '9999-12-31' WHERE id = (SELECT max(id) "
                   "FROM attempt WHERE actual_discomfort IS NOT NULL)")
    db.close()
    for suffix in (".png", ".svg", ".pdf"):
        out = tmp_path / f"gap{suffix}"
        result = run_cli("--data-dir", str(data), "chart", "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert out.read_bytes().startswith(_MAGIC[suffix])
        assert "2 entries" in result.stdout and "left out" in result.stdout
