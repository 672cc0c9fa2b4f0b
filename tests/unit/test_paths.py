"""Where the journal lives, and that its folder is private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from rejection_journal.paths import (
    DB_FILENAME,
    ENV_DATA_DIR,
    UI_STATE_FILENAME,
    DataDirError,
    database_path,
    default_data_dir,
    ensure_private_dir,
    resolve_data_dir,
    ui_state_path,
)


def test_an_explicit_folder_wins_over_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert resolve_data_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_the_environment_variable_is_used_when_no_folder_is_given(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, f"  {tmp_path / 'from-env'}  ")
    assert resolve_data_dir() == tmp_path / "from-env"


def test_without_either_the_platform_folder_is_used(monkeypatch) -> None:
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    assert resolve_data_dir() == default_data_dir()
    assert "rejection-journal" in str(default_data_dir())


@pytest.mark.parametrize("value", ["", "   ", "\t\n"])
def test_an_empty_environment_variable_is_an_error_not_the_default_journal(
    monkeypatch, value
) -> None:
    # Set but empty is almost always a script's mistake (an unset variable expanded);
    # falling back to the real journal would point the command at the wrong one.
    monkeypatch.setenv(ENV_DATA_DIR, value)
    with pytest.raises(DataDirError, match=ENV_DATA_DIR):
        resolve_data_dir()


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_explicit_folder_is_an_error_even_with_the_environment_set(
    tmp_path, monkeypatch, value
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    with pytest.raises(DataDirError, match="--data-dir"):
        resolve_data_dir(value)


def test_relative_and_home_paths_become_absolute(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir("~/journal") == tmp_path / "journal"
    assert resolve_data_dir("relative") == tmp_path / "relative"
    assert resolve_data_dir("relative").is_absolute()


def test_private_folders_are_created_owner_only(tmp_path: Path) -> None:
    folder = ensure_private_dir(tmp_path / "a" / "b")
    assert folder.is_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_existing_open_folder_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o755)
    (folder / "keep.txt").write_text("kept")
    ensure_private_dir(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / "keep.txt").read_text() == "kept"


def test_the_journal_and_window_state_live_in_the_data_folder(tmp_path: Path) -> None:
    assert database_path(tmp_path) == tmp_path / DB_FILENAME
    assert ui_state_path(tmp_path) == tmp_path / UI_STATE_FILENAME
    assert DB_FILENAME != UI_STATE_FILENAME
