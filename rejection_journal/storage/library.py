"""The challenge library: the built-in challenges kept up to date, the user's own saved, and
what choosing a challenge asks of past entries (how often each was done, who said no)."""

from __future__ import annotations

import dataclasses
from datetime import date

import peewee
from peewee import fn

from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.library import LibrarySync, builtin_challenges
from rejection_journal.domain.picker import PastAttempt, normalise_person
from rejection_journal.domain.records import ChallengeRecord, utcnow
from rejection_journal.storage import ladders as ladder_queries
from rejection_journal.storage.errors import StorageError
from rejection_journal.storage.library_cache import load_library
from rejection_journal.storage.models import Attempt, Challenge, tuple_rows
from rejection_journal.storage.revisions import (
    challenge_revision,
    join_revisions,
    split_revisions,
)
from rejection_journal.storage.session import JournalCore, owned, writes


def challenge_record(row: Challenge) -> ChallengeRecord:
    return ChallengeRecord(
        uuid=row.uuid,
        title=row.title,
        category=Category(row.category),
        level=row.level,
        how_to=row.how_to,
        respect_note=row.respect_note,
        is_custom=row.is_custom,
        archived=row.archived,
    )


class Library(JournalCore):
    """The journal's challenges."""

    @writes
    def sync_builtin_challenges(self) -> LibrarySync:
        """Bring this journal's built-in challenges up to date with the library shipped.

        New built-ins are added; a built-in whose title, how-to, respect note, level or
        category changed is updated in place (same UUID, so entries keep pointing at it).
        The user's own (custom) challenges and every challenge's ``archived`` flag are left
        alone, and so are built-ins a newer library no longer has (entries may use them).
        Returns how many were added and updated; nothing is written when nothing changed.
        """
        load_library(self.data_dir)  # from the cache beside the journal, if it matches
        fields = ("title", "how_to", "respect_note", "level", "category")
        query = Challenge.select(Challenge.uuid, Challenge.is_custom, Challenge.archived,
                                 *(getattr(Challenge, f) for f in fields))
        stored = {row[0]: row[1:] for row in tuple_rows(query)}
        missing: list[ChallengeRecord] = []
        changed: list[ChallengeRecord] = []
        for c in builtin_challenges():
            wanted = (c.title, c.how_to, c.respect_note, c.level, c.category.value)
            row = stored.get(c.uuid)
            if row is None:
                missing.append(c)
            elif not row[0] and tuple(row[2:]) != wanted:
                changed.append(dataclasses.replace(c, archived=bool(row[1])))
        if not missing and not changed:
            return LibrarySync(added=0, updated=0)
        now = utcnow()
        with self._transaction():
            for c in missing:
                Challenge.create(
                    uuid=c.uuid, title=c.title, category=c.category.value, level=c.level,
                    how_to=c.how_to, respect_note=c.respect_note, is_custom=False,
                    archived=False, created_at=now, updated_at=now,
                    revision=challenge_revision(dataclasses.replace(c, archived=False)),
                )
            for c in changed:
                Challenge.update(
                    title=c.title, category=c.category.value, level=c.level,
                    how_to=c.how_to, respect_note=c.respect_note, updated_at=now,
                    revision=challenge_revision(c),
                ).where((Challenge.uuid == c.uuid) & (Challenge.is_custom == False)).execute()  # noqa: E712
        return LibrarySync(added=len(missing), updated=len(changed))

    @owned
    def challenges(self, *, include_archived: bool = False) -> list[ChallengeRecord]:
        # plain tuples, not model instances: read three times as the window opens
        query = Challenge.select(Challenge.uuid, Challenge.title, Challenge.category,
                                 Challenge.level, Challenge.how_to, Challenge.respect_note,
                                 Challenge.is_custom, Challenge.archived,
                                 ).order_by(Challenge.level, Challenge.title)
        if not include_archived:
            query = query.where(Challenge.archived == False)  # noqa: E712
        return [ChallengeRecord(uuid=uuid, title=title, category=Category(category),
                                level=level, how_to=how_to, respect_note=respect_note,
                                is_custom=bool(is_custom), archived=bool(archived))
                for uuid, title, category, level, how_to, respect_note, is_custom, archived
                in tuple_rows(query)]

    @owned
    def challenge(self, uuid: str) -> ChallengeRecord | None:
        row = Challenge.get_or_none(Challenge.uuid == uuid)
        return challenge_record(row) if row else None

    @owned
    def challenge_usage(self, until: date | None = None) -> dict[str, tuple[int, date]]:
        """How many entries each challenge has and the date of its latest, by challenge UUID
        (challenges without entries are left out); only entries dated up to ``until`` when
        given.  One grouped query over the ``attempted_on`` index: quick at 100,000 entries."""
        query = (
            Attempt.select(Challenge.uuid, fn.COUNT(Attempt.id),
                           fn.MAX(fn.date(Attempt.attempted_on)).coerce(False))
            .join(Challenge)
            .group_by(Attempt.challenge)
        )
        if until is not None:
            query = query.where(Attempt.attempted_on <= until)
        return {uuid: (count, date.fromisoformat(last))
                for uuid, count, last in tuple_rows(query) if last}

    @writes
    def save_challenge(self, record: ChallengeRecord) -> ChallengeRecord:
        """Insert or update one of the user's own challenges (by UUID), or set the
        ``archived`` flag of any challenge; returns what was stored.

        A built-in challenge's text, level and category come from the library and are not
        changed here (a record that differs in them raises :class:`StorageError`); a new
        challenge is always stored as the user's own.  Raises ``ValidationError`` for an
        unacceptable value and :class:`StorageError` (sorted like :meth:`save_attempt`'s) when
        it cannot be written.
        """
        self._refuse_if_read_only()
        record.validated()
        now = utcnow()
        with self._transaction():
            row = Challenge.get_or_none(Challenge.uuid == record.uuid)
            if row is None:
                current = challenge_revision(record)
                Challenge.create(
                    uuid=record.uuid, title=record.title, category=record.category.value,
                    level=record.level, how_to=record.how_to,
                    respect_note=record.respect_note, is_custom=True,
                    archived=record.archived, created_at=now, updated_at=now,
                    revision=current,
                )
            elif row.is_custom:
                # what it is changed: its old revision becomes an earlier one, so an
                # import of an older copy cannot take it back (storage/merge.py)
                current, earlier = ladder_queries.next_revisions(
                    (row.revision, split_revisions(row.earlier_revisions)),
                    challenge_revision(record))
                Challenge.update(
                    title=record.title, category=record.category.value,
                    level=record.level, how_to=record.how_to,
                    respect_note=record.respect_note, archived=record.archived,
                    updated_at=now, revision=current,
                    earlier_revisions=join_revisions(earlier),
                ).where(Challenge.id == row.id).execute()
            else:
                built_in = challenge_record(row)
                if (record.title, record.category, record.level, record.how_to,
                        record.respect_note) != (built_in.title, built_in.category,
                                                 built_in.level, built_in.how_to,
                                                 built_in.respect_note):
                    raise StorageError(
                        f"“{built_in.title}” comes with the app and cannot be edited; "
                        "add your own version instead."
                    )
                Challenge.update(archived=record.archived, updated_at=now,
                                 revision=challenge_revision(
                                     dataclasses.replace(built_in, archived=record.archived)),
                                 ).where(Challenge.id == row.id).execute()
        stored = self.challenge(record.uuid)
        assert stored is not None
        return stored

    @owned
    def asks_refused_by(self, person: str) -> list[PastAttempt]:
        """Earlier entries that named ``person`` as who was asked and recorded a "no", oldest
        first: what the boundary guard compares a new ask with.  Names are compared as
        :func:`~rejection_journal.domain.picker.normalise_person` does (case, spaces and
        Unicode forms ignored)."""
        wanted = normalise_person(person)
        if not wanted:
            return []
        query = (
            Attempt.select(Attempt.uuid, Challenge.uuid,
                           fn.date(Attempt.attempted_on).coerce(False), Attempt.who_asked,
                           Attempt.ask)
            .join(Challenge, peewee.JOIN.LEFT_OUTER)
            .where((Attempt.outcome == Outcome.NO.value) & (Attempt.who_asked != ""))
            .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        )
        return [
            PastAttempt(challenge_uuid=challenge_uuid, attempted_on=date.fromisoformat(day),
                        outcome=Outcome.NO, person=who, ask=ask, uuid=uuid)
            for uuid, challenge_uuid, day, who, ask in tuple_rows(query)
            if day and normalise_person(who) == wanted
        ]

