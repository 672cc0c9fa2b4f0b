"""What import and export need of the open journal beyond its entries: the revisions and
histories of challenges, ladders and runs, and an import taken back or done again."""

from __future__ import annotations

from collections.abc import Callable

from rejection_journal.storage import ladders as ladder_queries
from rejection_journal.storage.import_undo import ImportChanges, apply_changes
from rejection_journal.storage.models import Challenge, ChallengeRun, RecordVersion, tuple_rows
from rejection_journal.storage.models import Ladder as LadderRow
from rejection_journal.storage.revisions import CHALLENGE_KIND, LADDER_KIND, RUN_KIND
from rejection_journal.storage.session import JournalCore, owned, writes


class Exchange(JournalCore):
    """Revisions for an export; an import's recorded changes applied or taken back."""

    @writes
    def apply_import_changes(self, changes: ImportChanges, *, undo: bool,
                             progress: Callable[[int, int], None] | None = None) -> int:
        """Take an import back (``undo``) or do it again, exactly as it was recorded, in one
        transaction: killed at any moment, the journal is as before or as after.  Returns how
        many records were left alone because they changed since (see import_undo)."""
        with self._transaction("IMMEDIATE"):
            return apply_changes(changes, undo=undo, progress=progress)

    @owned
    def record_revisions(self) -> dict[str, dict[str, ladder_queries.Revisions]]:
        """The revisions (and earlier ones) of every challenge, ladder and run, by kind
        (``"challenge"``, ``"ladder"``, ``"run"``) and UUID: what an export carries."""
        return {CHALLENGE_KIND: ladder_queries.revisions_by_uuid(Challenge),
                LADDER_KIND: ladder_queries.revisions_by_uuid(LadderRow),
                RUN_KIND: ladder_queries.revisions_by_uuid(ChallengeRun)}

    @owned
    def record_versions(self, kind: str, uuid: str) -> list[tuple[str, str, str]]:
        """The history of a challenge, ladder or run (``kind``): (kind of version — "earlier"
        or "conflict" —, revision, the record as the export's JSON), most recent first."""
        query = (RecordVersion.select(RecordVersion.kind, RecordVersion.revision,
                                      RecordVersion.record)
                 .where((RecordVersion.record_kind == kind) & (RecordVersion.uuid == uuid))
                 .order_by(RecordVersion.id.desc()))
        return [(str(k), str(r), str(text)) for k, r, text in tuple_rows(query)]
