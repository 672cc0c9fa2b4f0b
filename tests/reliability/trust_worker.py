"""A process that creates a new journal through the app's real code until it is killed.

    python trust_worker.py open DATA_DIR     # prints "ready", opens (creates and migrates)
                                            # the journal, prints "opened", closes it

Used by the kill -9 trials in test_kill9_trust.py. Nothing here is mocked.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rejection_journal.storage import open_journal

if __name__ == "__main__":
    command, data = sys.argv[1:3]
    assert command == "open"
    print("ready", flush=True)
    journal = open_journal(Path(data))
    print("opened", flush=True)
    journal.close()
    print("closed", flush=True)
