"""A process that turns a journal's passphrase protection on or off through the app's real
code, until it is killed.

    python protect_worker.py protect DATA_DIR      # the passphrase in the environment:
    python protect_worker.py unprotect DATA_DIR    # REJECTION_JOURNAL_PASSPHRASE

Prints "ready" before starting and "done" after.  Used by the kill -9 loop in
test_kill9_protect.py.  Nothing here is mocked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rejection_journal.storage.protection import protect, unprotect

if __name__ == "__main__":
    command, data = sys.argv[1:3]
    passphrase = os.environ["REJECTION_JOURNAL_PASSPHRASE"]
    print("ready", flush=True)
    {"protect": protect, "unprotect": unprotect}[command](Path(data), passphrase)
    print("done", flush=True)
