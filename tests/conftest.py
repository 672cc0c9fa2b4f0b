"""Hermetic test set-up: offscreen Qt, a test application name, no real profile touched."""

from __future__ import annotations

import os

# Before anything imports Qt or Matplotlib.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["QT_API"] = "pyside6"
os.environ.pop("REJECTION_JOURNAL_DATA_DIR", None)

from collections.abc import Iterator
from pathlib import Path

import pytest

from rejection_journal.storage import Journal, open_journal


@pytest.fixture(autouse=True)
def _isolated_profile(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every default location at a temp folder, so no test can reach the real profile."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("REJECTION_JOURNAL_DATA_DIR", str(home / "default-journal"))


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = open_journal(tmp_path / "journal")
    try:
        yield j
    finally:
        j.close()
