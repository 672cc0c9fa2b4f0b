"""``rejection-journal --install-desktop-entry`` / ``--uninstall-desktop-entry`` from the installed
launcher, in a scratch HOME / XDG_DATA_HOME."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from importlib import resources
from pathlib import Path

import pytest

from rejection_journal import APP_ID
from rejection_journal.desktop_entry import ICON_SIZES, Target, desktop_entry_text, install

PACKAGED = resources.files("rejection_journal") / "resources"


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder under ``root``."""
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*"))}


def entry_values(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("needs desktop-file-validate (apt: desktop-file-utils; .ci/run installs it)")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_install_writes_entry_icons_and_metainfo_with_the_launchers_absolute_path(
    run_cli, launcher: Path, tmp_path: Path
) -> None:
    data_home = tmp_path / "xdg data"
    result = run_cli("--install-desktop-entry", env={"XDG_DATA_HOME": str(data_home)})
    assert result.returncode == 0, result.stderr
    assert "Installed the Rejection Journal menu entry" in result.stdout

    target = Target(data_home)
    entry = entry_values(target.desktop)
    assert entry["Exec"] == str(launcher)  # venv paths here are plain: no quoting needed
    assert entry["TryExec"] == str(launcher)
    assert entry["Icon"] == APP_ID
    validate(target.desktop)
    assert target.metainfo.read_bytes() == (
        PACKAGED / "desktop" / f"{APP_ID}.metainfo.xml").read_bytes()
    assert target.icon(None).read_bytes() == (PACKAGED / "icon.svg").read_bytes()
    for size in ICON_SIZES:
        assert target.icon(size).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for path in target.files():
        assert path.stat().st_mode & 0o777 == 0o644, path
    assert not (tmp_path / "home").exists(), "nothing outside XDG_DATA_HOME"

    before = tree(data_home)
    assert run_cli("--install-desktop-entry",
                   env={"XDG_DATA_HOME": str(data_home)}).returncode == 0
    assert tree(data_home) == before, "installing again changes nothing"


def test_uninstall_removes_exactly_what_install_wrote(
    run_cli, tmp_path: Path
) -> None:
    share = tmp_path / "home" / ".local" / "share"  # the default without XDG_DATA_HOME
    other_app = share / "applications" / "org.example.Other.desktop"
    other_icon = share / "icons" / "hicolor" / "48x48" / "apps" / "org.example.Other.png"
    journal = share / "rejection-journal" / "journal.sqlite3"
    for path in (other_app, other_icon, journal):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"not ours")
    before = tree(share)

    assert run_cli("--install-desktop-entry").returncode == 0
    assert Target(share).desktop.is_file()
    removed = run_cli("--uninstall-desktop-entry")
    assert removed.returncode == 0, removed.stderr
    assert f"({len(Target(share).files())} files)" in removed.stdout
    assert tree(share) == before, "everything else (the journal too) is left as it was"

    again = run_cli("--uninstall-desktop-entry")
    assert again.returncode == 0 and "No Rejection Journal menu entry" in again.stdout


def test_uninstall_leaves_no_folders_it_created(run_cli, tmp_path: Path) -> None:
    data_home = tmp_path / "data"
    data_home.mkdir()
    env = {"XDG_DATA_HOME": str(data_home)}
    assert run_cli("--install-desktop-entry", env=env).returncode == 0
    assert run_cli("--uninstall-desktop-entry", env=env).returncode == 0
    assert list(data_home.iterdir()) == []


def test_desktop_entry_options_do_not_go_with_a_command(run_cli) -> None:
    result = run_cli("--install-desktop-entry", "backup")
    assert result.returncode == 2
    assert "does not go with a command" in result.stderr
    both = run_cli("--install-desktop-entry", "--uninstall-desktop-entry")
    assert both.returncode == 2


def test_unwritable_data_home_is_one_line_and_exit_1(run_cli, tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("in the way")
    result = run_cli("--install-desktop-entry", env={"XDG_DATA_HOME": str(blocker / "share")})
    assert result.returncode == 1
    assert result.stderr.startswith("rejection-journal: could not install the menu entry: ")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("folder", ["with space", "quote\"d", "dollar$HOME", "back\\slash",
                                    "tick`s"])
def test_exec_quoting_survives_gio_launch(tmp_path: Path, folder: str) -> None:
    """The written Exec line starts the right program, whatever its path contains."""
    gio = shutil.which("gio")
    if gio is None:
        pytest.skip("needs gio (apt: libglib2.0-bin; .ci/run installs it)")
    marker = tmp_path / "launched"
    program = tmp_path / folder / "rejection-journal"
    program.parent.mkdir()
    program.write_text(f"#!/bin/sh\necho \"$0\" > '{marker}'\n")
    program.chmod(0o755)
    target = Target(tmp_path / "share")
    install(target, [str(program)])
    validate(target.desktop)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    result = subprocess.run([gio, "launch", str(target.desktop)], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # polling a file the launched program writes, with a deadline
    assert marker.read_text().strip() == str(program)


def test_percent_in_the_path_is_escaped_as_the_spec_says() -> None:
    """GLib then hides the entry anyway (it checks Exec's program unescaped): documented."""
    text = desktop_entry_text("Exec=x\nTryExec=x\n", ["/opt/100% sure/rejection-journal"])
    assert text == ('Exec="/opt/100%% sure/rejection-journal"\n'
                    "TryExec=/opt/100% sure/rejection-journal\n")
