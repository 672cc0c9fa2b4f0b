"""Crash-safe writes: the target is either the old file or the whole new one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rejection_journal.fileio import atomic_target, write_atomic


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
