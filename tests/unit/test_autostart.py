"""The login (XDG autostart) entry: written atomically where XDG_CONFIG_HOME says, removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from rejection_journal import APP_ID
from rejection_journal.desktop_entry import autostart_enabled, autostart_path, set_autostart


def test_autostart_entry_follows_xdg_config_home(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert autostart_path() == tmp_path / "cfg" / "autostart" / f"{APP_ID}.desktop"
    assert not autostart_enabled()
    path = set_autostart(True, ["/opt/rj/rejection journal"])
    text = path.read_text(encoding="utf-8")
    assert 'Exec="/opt/rj/rejection journal"' in text
    assert "X-GNOME-Autostart-enabled=true" in text and text.startswith("[Desktop Entry]")
    assert autostart_enabled()
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no temp file left"
    set_autostart(False)
    assert not path.exists() and not autostart_enabled()
    set_autostart(False)  # removing twice is fine


def test_relative_xdg_config_home_is_ignored(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/cfg")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart_path() == tmp_path / ".config" / "autostart" / f"{APP_ID}.desktop"
