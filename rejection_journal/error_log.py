"""The details of an unexpected error, for the user to send us: DATA_DIR/last-error.txt.

Written the same way by the window's crash handler (``ui/crash.py``) and the command line.
The time in the first line is the wall clock's on purpose: it says when the error happened.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rejection_journal import APP_NAME, __version__
from rejection_journal.fileio import write_atomic

ERROR_LOG = "last-error.txt"


def write_error_log(data_dir: Path, details: str) -> Path:
    """Replace DATA_DIR/last-error.txt with ``details`` under a line naming the version and
    the time; returns its path.  Raises ``OSError`` if it cannot be written."""
    log = data_dir / ERROR_LOG
    write_atomic(log, f"{APP_NAME} {__version__}, {datetime.now():%Y-%m-%d %H:%M:%S}\n"
                      f"{details}".encode())
    return log
