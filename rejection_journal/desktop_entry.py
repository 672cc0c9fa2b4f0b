"""The per-user menu entry: ``--install-desktop-entry`` and ``--uninstall-desktop-entry``.

Installs the desktop entry, the hicolor icons and the AppStream metainfo that ship inside the
package (``rejection_journal/resources/desktop``, so it works from a wheel, pip or pipx) into
``$XDG_DATA_HOME`` (default ``~/.local/share``). ``Exec=`` gets the launcher's absolute path,
because a graphical session's ``PATH`` often lacks ``~/.local/bin`` or a venv's ``bin``.
Uninstalling removes exactly the files installing writes (and the folders left empty by that).

Qt-free and standard library only: it runs without a display.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rejection_journal import APP_ID

LAUNCHER = "rejection-journal"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
FILE_MODE = 0o644
_SAFE_ARG = re.compile(r"[A-Za-z0-9_./+:@,-]+")


@dataclass(frozen=True)
class Target:
    """Where each file goes under one data folder (``$XDG_DATA_HOME``)."""

    data_home: Path

    @property
    def desktop(self) -> Path:
        return self.data_home / "applications" / f"{APP_ID}.desktop"

    @property
    def metainfo(self) -> Path:
        return self.data_home / "metainfo" / f"{APP_ID}.metainfo.xml"

    @property
    def icon_theme(self) -> Path:
        return self.data_home / "icons" / "hicolor"

    def icon(self, size: int | None) -> Path:
        if size is None:
            return self.icon_theme / "scalable" / "apps" / f"{APP_ID}.svg"
        return self.icon_theme / f"{size}x{size}" / "apps" / f"{APP_ID}.png"

    def files(self) -> list[Path]:
        return [self.desktop, self.metainfo, self.icon(None), *map(self.icon, ICON_SIZES)]


def data_home() -> Path:
    """``$XDG_DATA_HOME`` if set to an absolute path (as the spec says), else ~/.local/share."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The absolute command that starts this installation of the app.

    A PyInstaller build is its own executable; a pip/pipx install has the ``rejection-journal``
    script beside its interpreter; failing both, the script we were started as, and as a last
    resort ``python -m rejection_journal``.
    """
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).absolute())]
    beside = Path(sys.executable).absolute().with_name(LAUNCHER)
    if os.access(beside, os.X_OK):
        return [str(beside)]
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is not None and started.name == LAUNCHER and started.is_file():
        return [str(started.resolve())]
    return [str(Path(sys.executable).absolute()), "-m", "rejection_journal"]


def exec_arg(arg: str) -> str:
    """Quote one argument for the ``Exec`` key (Desktop Entry Specification, "The Exec key").

    Arguments with reserved characters go in double quotes with ``" ` $ \\`` backslash-escaped;
    then the general string escaping doubles every backslash; a literal ``%`` becomes ``%%``.
    """
    if not _SAFE_ARG.fullmatch(arg):
        for char in ("\\", '"', "`", "$"):
            arg = arg.replace(char, "\\" + char)
        arg = f'"{arg}"'.replace("\\", "\\\\")
    return arg.replace("%", "%%")


def desktop_entry_text(template: str, command: list[str]) -> str:
    """The packaged entry with ``Exec``/``TryExec`` pointing at ``command``."""
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(exec_arg(arg) for arg in command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0].replace("\\", "\\\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` whole (temporary file + rename), readable by everyone like any icon."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _refresh_caches(target: Target) -> None:
    """Refresh caches that already exist (never create one: uninstall would leave it behind)."""
    jobs = (
        ("update-desktop-database", target.desktop.parent / "mimeinfo.cache",
         ["-q", str(target.desktop.parent)]),
        ("gtk-update-icon-cache", target.icon_theme / "icon-theme.cache",
         ["-q", "-f", "-t", str(target.icon_theme)]),
    )
    for tool, cache, args in jobs:
        program = shutil.which(tool)
        if program and cache.is_file():
            subprocess.run([program, *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False, timeout=60)


def install(target: Target | None = None, command: list[str] | None = None) -> list[Path]:
    """Install the menu entry, icons and metainfo; returns the files written (idempotent)."""
    target = target or Target(data_home())
    command = command or launcher_command()
    source = resources.files("rejection_journal") / "resources"
    desktop = source / "desktop"
    template = (desktop / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    contents = {
        target.desktop: desktop_entry_text(template, command).encode("utf-8"),
        target.metainfo: (desktop / f"{APP_ID}.metainfo.xml").read_bytes(),
        target.icon(None): (source / "icon.svg").read_bytes(),
    }
    for size in ICON_SIZES:
        contents[target.icon(size)] = (
            desktop / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        ).read_bytes()
    for path, data in contents.items():
        _write(path, data)
    _refresh_caches(target)
    return list(contents)


def _prune_empty(folders: Iterable[Path], stop: Path) -> None:
    for folder in sorted(set(folders), key=lambda p: len(p.parts), reverse=True):
        while folder != stop and stop in folder.parents:
            try:
                folder.rmdir()
            except OSError:  # not empty (or gone): keep it and everything above it
                break
            folder = folder.parent


def uninstall(target: Target | None = None) -> list[Path]:
    """Remove exactly the files :func:`install` writes; returns those that were there."""
    target = target or Target(data_home())
    removed = []
    for path in target.files():
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    _prune_empty((path.parent for path in target.files()), target.data_home)
    _refresh_caches(target)
    return removed


def run(action: str) -> str:
    """The CLI's ``--install-desktop-entry`` / ``--uninstall-desktop-entry``: a report line."""
    target = Target(data_home())
    if action == "uninstall":
        removed = uninstall(target)
        if not removed:
            return f"No Rejection Journal menu entry to remove in {target.data_home}"
        return (f"Removed the Rejection Journal menu entry, icons and metainfo "
                f"({len(removed)} files) from {target.data_home}")
    command = launcher_command()
    install(target, command)
    message = (f"Installed the Rejection Journal menu entry {target.desktop}, starting "
               f"{' '.join(command)}; some desktops show it only after you log in again")
    if "%" in " ".join(command):
        message += (" (the path contains '%', which some menus mishandle; install the app "
                    "somewhere without it if the entry does not show)")
    return message


# -- start at login (XDG autostart) ---------------------------------------------------------------

def config_home() -> Path:
    """``$XDG_CONFIG_HOME`` if set to an absolute path (as the spec says), else ~/.config."""
    value = os.environ.get("XDG_CONFIG_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".config"


def autostart_path() -> Path:
    """Where the login entry lives (XDG Autostart Specification: ``$XDG_CONFIG_HOME/autostart``)."""
    return config_home() / "autostart" / f"{APP_ID}.desktop"


def autostart_enabled() -> bool:
    return autostart_path().is_file()


def set_autostart(enabled: bool, command: list[str] | None = None) -> Path:
    """Write (atomically) or remove the login entry; returns its path.  The entry is the
    packaged desktop entry with ``Exec`` pointing at this installation, like the menu's."""
    from rejection_journal.fileio import write_atomic

    path = autostart_path()
    if not enabled:
        path.unlink(missing_ok=True)
        return path
    template = (resources.files("rejection_journal") / "resources" / "desktop"
                / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    text = desktop_entry_text(template, command or launcher_command())
    text += "X-GNOME-Autostart-enabled=true\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"), FILE_MODE)
    return path
