"""Fear ladders and challenge runs (schema 3.1) as the open journal keeps them; the queries
themselves are in :mod:`rejection_journal.storage.ladders`."""

from __future__ import annotations

from datetime import date

from rejection_journal.domain.enums import Category
from rejection_journal.domain.ladders import DeletedLadder
from rejection_journal.domain.picker import Ladder, PastAttempt
from rejection_journal.domain.records import ValidationError
from rejection_journal.domain.runs import RunRecord
from rejection_journal.storage import ladders as ladder_queries
from rejection_journal.storage.session import JournalCore, owned, writes


class LadderStore(JournalCore):
    """The journal's ladders and runs."""

    @owned
    def ladders(self) -> list[Ladder]:
        """Every fear ladder, oldest first, each with its rungs easiest first."""
        return ladder_queries.all_ladders()

    @owned
    def ladder(self, uuid: str) -> Ladder | None:
        return ladder_queries.get_ladder(uuid)

    @owned
    def find_ladder(self, key: str | None) -> Ladder | None:
        """The ladder ``key`` names: its UUID, or its goal (case and spaces ignored); None:
        the ladder worked on most recently.  None when there is no such ladder."""
        return ladder_queries.find_ladder(key)

    @owned
    def recent_ladder_uuid(self) -> str | None:
        """The ladder with the latest entry on a rung (else the one changed last), or None."""
        return ladder_queries.recent_ladder_uuid()

    @owned
    def ladder_history(self, uuid: str) -> list[PastAttempt]:
        """The entries on the ladder's rungs (no texts), oldest first."""
        return ladder_queries.ladder_history(uuid)

    @owned
    def challenge_history(self) -> list[PastAttempt]:
        """Every entry made on a challenge (no texts), oldest first."""
        return ladder_queries.challenge_history()

    @writes
    def save_ladder(self, record: Ladder) -> Ladder:
        """Insert or update a ladder (by UUID): its goal, and its rungs replaced in the order
        given, all in one transaction.  Raises :class:`ValidationError` (a bad goal, a rung
        twice, a challenge not in the journal) or :class:`StorageError`; returns it as stored."""
        with self._transaction():
            same = ladder_queries.ladder_named(record.goal, other_than=record.uuid)
            if same is not None:
                raise ValidationError(
                    "goal", f"you already have a ladder “{same.goal}”: give this one another "
                    "goal, or add steps to that one", label="Goal")
            return ladder_queries.write_ladder(record)[0]

    @writes
    def delete_ladder(self, uuid: str) -> DeletedLadder | None:
        """Delete a ladder (runs on it keep going without it); returns what was deleted, for
        :meth:`restore_ladder`, or None if there was no such ladder."""
        with self._transaction():
            return ladder_queries.remove_ladder(uuid)

    @writes
    def restore_ladder(self, deleted: DeletedLadder) -> Ladder:
        """Bring a deleted ladder back as it was (UUID, goal, rungs, timestamps) and link its
        runs to it again (undo of :meth:`delete_ladder`)."""
        with self._transaction():
            return ladder_queries.bring_back_ladder(deleted)

    @owned
    def runs(self) -> list[RunRecord]:
        """Every challenge run, the earliest started first."""
        return ladder_queries.all_runs()

    @owned
    def run(self, uuid: str) -> RunRecord | None:
        return ladder_queries.get_run(uuid)

    @writes
    def save_run(self, record: RunRecord) -> RunRecord:
        """Insert or update a run (by UUID); its ladder must be in the journal."""
        with self._transaction():
            return ladder_queries.write_run(record)

    @writes
    def delete_run(self, uuid: str) -> RunRecord | None:
        """Delete a run; returns what it was (None if there was none)."""
        with self._transaction():
            return ladder_queries.remove_run(uuid)

    @owned
    def entries_between(self, since: date, until: date) -> list[PastAttempt]:
        """The entries dated ``since`` to ``until`` inclusive (no texts), oldest first: what
        a run's progress counts."""
        return ladder_queries.entries_between(since, until)

    @owned
    def challenge_categories(self) -> dict[str, Category]:
        """Every challenge's category, by UUID (a run on categories counts by them)."""
        return ladder_queries.challenge_categories()
