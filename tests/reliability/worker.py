"""A process that writes to a journal through the app's real code until it is killed.

    python worker.py save DATA_DIR PREFIX       # saves attempts forever; prints each UUID
                                                # only after save_attempt() has returned
    python worker.py import DATA_DIR FILE       # imports FILE; prints progress, then "done"
    python worker.py undo-import DATA_DIR FILE  # imports FILE, prints "imported", undoes the
                                                # import printing its progress, then "done"

Used by the kill -9 trials in test_kill9.py. Nothing here is mocked.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import open_journal


def save_forever(data_dir: Path, prefix: str) -> None:
    journal = open_journal(data_dir)
    challenge = journal.challenges()[0]
    print("ready", flush=True)
    i = 0
    while True:
        record = AttemptRecord(
            ask=f"{prefix} ask {i}", attempted_on=date(2026, 1, 1 + i % 28),
            challenge_uuid=challenge.uuid, anticipated_discomfort=i % 11,
            predicted_no_chance=(i * 7) % 101, feelings_before="nervous " * (i % 50),
            outcome=Outcome.NO, actual_discomfort=(i + 3) % 11, reasons=(Reason.TIMING,),
            reflection="it went fine " * (i % 80),
        )
        journal.save_attempt(record)
        print(record.uuid, flush=True)
        i += 1


def import_once(data_dir: Path, file: Path) -> None:
    from rejection_journal.storage.merge import import_file

    journal = open_journal(data_dir)
    print("ready", flush=True)
    import_file(journal, file, progress=lambda done, total: print(f"progress {done}", flush=True))
    print("done", flush=True)
    journal.close()


def import_then_undo(data_dir: Path, file: Path) -> None:
    from rejection_journal.services import JournalService

    journal = open_journal(data_dir)
    service = JournalService(journal)
    service.import_plan(service.read_import(file))
    print("imported", flush=True)
    service.undo(progress=lambda done, total: print(f"progress {done}", flush=True))
    print("done", flush=True)
    journal.close()


if __name__ == "__main__":
    command, data, arg = sys.argv[1:4]
    if command == "save":
        save_forever(Path(data), arg)
    elif command == "undo-import":
        import_then_undo(Path(data), Path(arg))
    else:
        import_once(Path(data), Path(arg))
