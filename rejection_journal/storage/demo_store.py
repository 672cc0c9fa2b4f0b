"""Demo data in the open journal: added to an empty journal only, each item marked (see
:mod:`rejection_journal.storage.demo`), and removed again as a whole, with undo."""

from __future__ import annotations

from collections.abc import Iterable

from rejection_journal.domain.demo import DemoKind, DemoMark
from rejection_journal.domain.picker import Ladder
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.runs import RunRecord
from rejection_journal.storage import demo as demo_marks
from rejection_journal.storage import ladders as ladder_queries
from rejection_journal.storage.demo import RemovedDemo
from rejection_journal.storage.entries import EntryStore
from rejection_journal.storage.errors import JournalNotEmptyError
from rejection_journal.storage.models import Attempt
from rejection_journal.storage.rows import attempt_row, challenge_ids
from rejection_journal.storage.session import owned, writes


class DemoStore(EntryStore):
    """Adding, listing and removing the demo data."""

    @writes
    def add_demo_data(self, records: Iterable[AttemptRecord], ladders: Iterable[Ladder],
                      runs: Iterable[RunRecord]) -> tuple[int, int, int]:
        """Demo entries (:meth:`add_demo_attempts`), ladders and runs, all or nothing, into an
        empty journal; each is marked as demo data, with the fingerprint of what it holds
        (storage/demo.py).  Returns the counts."""
        ladders, runs = list(ladders), list(runs)
        with self._transaction():
            count = self.add_demo_attempts(records)
            stored_ladders = [ladder_queries.write_ladder(ladder, keep_times=True)[0]
                              for ladder in ladders]
            stored_runs = [ladder_queries.write_run(run, keep_times=True) for run in runs]
            demo_marks.mark([*demo_marks.ladder_marks(stored_ladders),
                             *demo_marks.run_marks(stored_runs)])
            return count, len(ladders), len(runs)

    @writes
    def add_demo_attempts(self, records: Iterable[AttemptRecord]) -> int:
        """Insert synthetic attempts into an *empty* journal, all or nothing, each marked as
        demo data with its revision (what the demo gave it)."""
        with self._transaction():
            if self.attempt_count():
                raise JournalNotEmptyError(
                    f"The journal at {self.data_dir} already has entries; demo data is "
                    "only added to an empty journal so it never mixes with real entries."
                )
            ids = challenge_ids()
            rows = [attempt_row(r.validated(), ids) for r in records]
            for start in range(0, len(rows), 200):
                Attempt.insert_many(rows[start : start + 200]).execute()
            demo_marks.mark(DemoMark(DemoKind.ENTRY, str(row["uuid"]), str(row["revision"]))
                            for row in rows)
        return len(rows)

    @owned
    def demo_marks(self) -> list[DemoMark]:
        """The marks of the demo items still in the journal (what an export carries)."""
        return demo_marks.present_marks()

    @owned
    def has_demo_data(self) -> bool:
        """True while anything demo data added (an entry, a ladder, a run) is still here."""
        return demo_marks.has_demo()

    @writes
    def remove_demo_data(self) -> RemovedDemo:
        """Delete every entry, ladder and run demo data added that is still as the demo gave
        it, in one transaction; keep (unmarked) the ones the user changed.  Returns what went
        and the counts (``.result``), to put it back with :meth:`restore_demo_data`."""
        with self._transaction():
            return demo_marks.remove(self.attempts_by_uuid)

    @writes
    def restore_demo_data(self, removed: RemovedDemo) -> None:
        """Put back exactly what :meth:`remove_demo_data` took (undo), in one transaction."""
        with self._transaction():
            demo_marks.restore(removed)
