"""Every path the app uses, in one place.

The journal lives in the platform's user data folder (XDG on Linux, AppData on Windows,
Application Support on macOS).  ``--data-dir DIR`` or ``REJECTION_JOURNAL_DATA_DIR`` point
everything, including the window-state file, at another folder: tests use it to stay away
from the real profile.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

ENV_DATA_DIR = "REJECTION_JOURNAL_DATA_DIR"
DB_FILENAME = "journal.sqlite3"
UI_STATE_FILENAME = "ui-state.ini"

DIR_MODE = 0o700
FILE_MODE = 0o600


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("rejection-journal", appauthor=False, roaming=True))


class DataDirError(ValueError):
    """The data folder given is empty: refused rather than falling back to the real journal."""


def resolve_data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: explicit override, then the environment variable, then the default.

    An empty or blank override, or an environment variable that is set but empty, raises
    :class:`DataDirError`: it is almost always a script's mistake (an unset variable
    expanded), and the default would quietly point the command at the user's real journal.
    """
    if override is not None:
        if not os.fspath(override).strip():
            raise DataDirError(
                "--data-dir is empty; give a folder, or leave the option out to use your "
                "usual journal"
            )
        return Path(override).expanduser().absolute()
    env = os.environ.get(ENV_DATA_DIR)
    if env is not None:
        if not env.strip():
            raise DataDirError(
                f"{ENV_DATA_DIR} is set but empty; set it to a folder, or unset it to use "
                "your usual journal"
            )
        return Path(env.strip()).expanduser().absolute()
    return default_data_dir()


def restrict_mode(target: Path | int, allowed: int) -> int:
    """Take away every permission bit of ``target`` that ``allowed`` lacks; returns the mode.

    The app only ever *removes* permissions (privacy), never adds them: a folder or journal
    the user made read-only stays read-only.  ``target`` is a path or an open descriptor.
    Nothing is changed (no call that could fail on a read-only disk) when the mode already
    fits.
    """
    current = stat.S_IMODE(os.fstat(target).st_mode if isinstance(target, int)
                           else os.stat(target).st_mode)
    wanted = current & allowed
    if wanted != current:
        if isinstance(target, int):
            os.fchmod(target, wanted)
        else:
            os.chmod(target, wanted)
    return wanted


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it readable by its owner only.

    An existing folder loses group and other permissions but gains none.
    """
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    restrict_mode(path, DIR_MODE)
    return path


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


def ui_state_path(data_dir: Path) -> Path:
    return data_dir / UI_STATE_FILENAME


BACKUPS_DIRNAME = "backups"
LOCK_FILENAME = "journal.lock"
BACKUPS_CHOICE_FILENAME = "backups-folder-chosen"


def backups_dir(data_dir: Path) -> Path:
    """Automatic and manual backups of the journal (inside the private data folder)."""
    return data_dir / BACKUPS_DIRNAME


def backups_choice_path(data_dir: Path) -> Path:
    """Where the user's choice of a backups folder elsewhere (``backups`` is a link to it) is
    kept: that folder's real path.  Without it, a linked backups folder is refused."""
    return data_dir / BACKUPS_CHOICE_FILENAME


def lock_path(data_dir: Path) -> Path:
    """Held by the one process allowed to write the journal."""
    return data_dir / LOCK_FILENAME


#: Files the app keeps directly in the data folder (besides everything in ``backups/``).
OWN_FILENAMES = frozenset({
    DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", f"{DB_FILENAME}-journal",
    LOCK_FILENAME, UI_STATE_FILENAME, BACKUPS_CHOICE_FILENAME,
})
#: ... and names starting with these: damaged copies kept aside, temp copies of the journal.
OWN_PREFIXES = (f"{Path(DB_FILENAME).stem}.damaged-", f".{DB_FILENAME}.")


def is_own_file(data_dir: Path, path: Path) -> bool:
    """Is ``path`` one of the journal's own files in ``data_dir`` (the journal, its side files,
    lock, window state, damaged copies, anything in ``backups/``)?  Pass both resolved."""
    if path.parent == data_dir:
        return path.name in OWN_FILENAMES or path.name.startswith(OWN_PREFIXES)
    backups = backups_dir(data_dir)
    return path == backups or backups in path.parents
