"""Unexpected errors (bugs) end in a calm message and a log file, never a raw traceback."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from rejection_journal.error_log import ERROR_LOG, write_error_log
from rejection_journal.ui.dialogs import Dialogs

CRASH_LOG = ERROR_LOG


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
        try:
            log = write_error_log(data_dir, details)
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
