"""The editors' unsaved drafts (schema 3): what a form holds but has not saved, kept across
a crash."""

from __future__ import annotations

from rejection_journal.domain.records import utcnow
from rejection_journal.storage.models import Draft
from rejection_journal.storage.session import JournalCore, owned, writes


class DraftStore(JournalCore):
    """The journal's drafts, one per editor key."""

    @writes
    def save_draft(self, key: str, content: str, entry_uuid: str | None) -> None:
        """Keep what editor ``key`` holds but has not saved (``content``: the form as typed)."""
        with self._transaction():
            (Draft.insert(key=key, entry_uuid=entry_uuid, saved_at=utcnow(), content=content)
             .on_conflict(conflict_target=[Draft.key],
                          update={Draft.entry_uuid: entry_uuid, Draft.saved_at: utcnow(),
                                  Draft.content: content})
             .execute())

    @owned
    def draft(self, key: str) -> tuple[str, str | None] | None:
        """(content, entry UUID) of editor ``key``'s draft, or None if it has none."""
        row = (Draft.select(Draft.content, Draft.entry_uuid).where(Draft.key == key)
               .tuples().first())
        return (row[0], row[1]) if row is not None else None

    @writes
    def delete_draft(self, key: str) -> None:
        if self.read_only_reason is not None:
            return  # a read-only journal has no draft to forget
        with self._transaction():
            Draft.delete().where(Draft.key == key).execute()
