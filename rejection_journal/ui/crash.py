"""Unexpected errors (bugs) end in a calm message and a log file, never a raw traceback."""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from rejection_journal import APP_NAME, __version__
from rejection_journal.fileio import write_atomic
from rejection_journal.ui.dialogs import Dialogs

CRASH_LOG = "last-error.txt"


def install_excepthook(dialogs: Dialogs, data_dir: Path) -> None:
    """Replace ``sys.excepthook``: write the details to DATA_DIR/last-error.txt, tell the user."""
    previous = sys.excepthook
    showing = False

    def hook(kind: type[BaseException], error: BaseException,
             tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        log = data_dir / CRASH_LOG
        try:
            write_atomic(log, f"{APP_NAME} {__version__}, {datetime.now():%Y-%m-%d %H:%M:%S}\n"
                              f"{details}".encode())
            where = f"The details were saved to {log}."
        except OSError:
            where = ""
        sys.stderr.write(details)
        if showing:
            return
        showing = True
        try:
            dialogs.error(
                "Something went wrong",
                "Rejection Journal ran into a problem it did not expect. Everything you had "
                f"saved is safe; the last action may not have finished. {where}",
            )
        finally:
            showing = False

    sys.excepthook = hook
