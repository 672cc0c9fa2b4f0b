"""Crash-safe writes: the target is either the old file or the whole new one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rejection_journal.fileio import (
    TargetExistsError,
    UnsafeTargetError,
    atomic_target,
    check_export_target,
    write_atomic,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def open_umask():
    old = os.umask(0o000)  # the most permissive umask must still give a private file
    yield
    os.umask(old)


def test_a_new_file_gets_the_content_and_is_private(tmp_path: Path, open_umask) -> None:
    out = tmp_path / "notes.txt"
    write_atomic(out, b"hello")
    assert out.read_bytes() == b"hello"
    assert _mode(out) == 0o600
    assert _names(tmp_path) == ["notes.txt"]


def test_an_existing_file_is_replaced_whole_and_made_private(tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    out.write_bytes(b"a much longer old content " * 1000)
    out.chmod(0o644)
    write_atomic(out, b"short")
    assert out.read_bytes() == b"short"
    assert _mode(out) == 0o600
    assert _names(tmp_path) == ["notes.txt"]


def test_a_chosen_mode_is_honoured(tmp_path: Path) -> None:
    out = tmp_path / "shared.txt"
    write_atomic(out, b"x", mode=0o644)
    assert _mode(out) == 0o644


def test_a_failing_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    out.write_bytes(b"precious")
    with pytest.raises(TypeError):
        write_atomic(out, "not bytes")  # type: ignore[arg-type]
    assert out.read_bytes() == b"precious"
    assert _names(tmp_path) == ["notes.txt"]


def test_an_error_half_way_through_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    out.write_bytes(b"precious")
    with pytest.raises(RuntimeError, match="power cut"), atomic_target(out) as handle:
        handle.write(b"half a new fi")
        raise RuntimeError("power cut")
    assert out.read_bytes() == b"precious"
    assert _names(tmp_path) == ["notes.txt"]


def test_a_missing_folder_is_reported_and_not_created(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "notes.txt", b"x")
    assert _names(tmp_path) == []


def test_a_folder_in_the_way_is_left_alone_and_no_temp_remains(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.mkdir()
    with pytest.raises(OSError):
        write_atomic(target, b"x")
    assert target.is_dir()
    assert _names(tmp_path) == ["notes.txt"]


# -- where an export may go ------------------------------------------------------------------

_AS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="making a device node needs root (tests run as root here and in CI)",
)


def _null_device(path: Path) -> Path:
    """A character device like /dev/null, made in a test folder (never the real one)."""
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    return path


def test_a_write_through_a_symlink_replaces_the_target_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    (tmp_path / "synced").mkdir()
    real = tmp_path / "synced" / "export.json"
    real.write_bytes(b"old")
    link = tmp_path / "export.json"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert _names(tmp_path) == ["export.json", "synced"]
    assert _names(tmp_path / "synced") == ["export.json"]


def test_a_fifo_is_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeTargetError, match="not a regular file"):
        write_atomic(fifo, b"data")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert _names(tmp_path) == ["pipe"]


@_AS_ROOT
def test_a_device_node_is_never_replaced(tmp_path: Path) -> None:
    device = _null_device(tmp_path / "null")
    link = tmp_path / "to-null"
    link.symlink_to(device)
    for target in (device, link):
        with pytest.raises(UnsafeTargetError, match="device"):
            write_atomic(target, b"data")
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert link.is_symlink()
    assert _names(tmp_path) == ["null", "to-null"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder with the journal's own files in it."""
    folder = tmp_path / "data"
    (folder / "backups").mkdir(parents=True)
    for name in ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm",
                 "journal.lock", "ui-state.ini", "journal.damaged-20260101T000000Z.sqlite3",
                 "backups/journal-20261123T183005Z-daily.sqlite3"):
        (folder / name).write_bytes(b"precious")
    return folder


@pytest.mark.parametrize("name", [
    "journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm", "journal.sqlite3-journal",
    "journal.lock", "ui-state.ini", "journal.damaged-20260101T000000Z.sqlite3",
    "backups/journal-20261123T183005Z-daily.sqlite3", "backups/new.json",
])
def test_the_data_folders_own_files_are_refused_even_with_force(
    data_dir: Path, name: str
) -> None:
    with pytest.raises(UnsafeTargetError, match="journal's own"):
        check_export_target(data_dir / name, data_dir, force=True)


def test_a_symlink_to_the_journal_is_refused(tmp_path: Path, data_dir: Path) -> None:
    link = tmp_path / "innocent.json"
    link.symlink_to(data_dir / "journal.sqlite3")
    (tmp_path / "data-link").symlink_to(data_dir)
    for target in (link, tmp_path / "data-link" / "journal.sqlite3",
                   data_dir / "backups" / ".." / "journal.sqlite3"):
        with pytest.raises(UnsafeTargetError, match="journal's own"):
            check_export_target(target, data_dir, force=True)


def test_a_hard_link_to_the_journal_is_refused(tmp_path: Path, data_dir: Path) -> None:
    twin = tmp_path / "twin.json"
    os.link(data_dir / "journal.sqlite3", twin)
    with pytest.raises(UnsafeTargetError, match="journal's own"):
        check_export_target(twin, data_dir, force=True)


def test_other_files_in_the_data_folder_are_fine(data_dir: Path) -> None:
    assert check_export_target(data_dir / "export.json", data_dir) == data_dir / "export.json"


def test_folders_fifos_and_missing_folders_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeTargetError, match="is a folder"):
        check_export_target(tmp_path, None, force=True)
    with pytest.raises(UnsafeTargetError, match="not a regular file"):
        check_export_target(fifo, None, force=True)
    with pytest.raises(UnsafeTargetError, match="does not exist"):
        check_export_target(tmp_path / "nowhere" / "x.json", None, force=True)


@_AS_ROOT
def test_devices_are_refused(tmp_path: Path) -> None:
    device = _null_device(tmp_path / "null")
    with pytest.raises(UnsafeTargetError, match="device"):
        check_export_target(device, None, force=True)


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    assert check_export_target(out, None) == out
    out.write_bytes(b"old")
    with pytest.raises(TargetExistsError, match="already exists"):
        check_export_target(out, None)
    assert check_export_target(out, None, force=True) == out


def test_every_refusal_is_one_line(tmp_path: Path, data_dir: Path) -> None:
    weird = tmp_path / "two\nlines.json"
    weird.write_bytes(b"")
    with pytest.raises(UnsafeTargetError) as caught:
        check_export_target(weird, None)
    assert "\n" not in str(caught.value)
