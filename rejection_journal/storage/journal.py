"""The journal: opening the database and every query the app and CLI need.

Widgets and commands call these methods and get domain records back; no SQL lives elsewhere.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import peewee
from peewee import fn

from rejection_journal.domain.enums import Category, Outcome, Reason
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord, utcnow
from rejection_journal.paths import FILE_MODE, backups_dir, database_path, ensure_private_dir
from rejection_journal.storage.backup import (
    MANUAL,
    PRE_MIGRATION,
    BackupInfo,
    create_backup,
    daily_backup_if_due,
    damaged_journal_error,
)
from rejection_journal.storage.errors import (
    JournalNotEmptyError,
    StorageError,
    classify,
)
from rejection_journal.storage.health import check_journal
from rejection_journal.storage.migrations import migrate, pending, refuse_newer
from rejection_journal.storage.models import Attempt, Challenge, database
from rejection_journal.storage.sqlite_files import create_empty

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "secure_delete": 1,
    "busy_timeout": 5000,
}

_ATTEMPT_FIELDS = (
    "ask",
    "attempted_on",
    "anticipated_discomfort",
    "predicted_no_chance",
    "feelings_before",
    "worst_case",
    "actual_discomfort",
    "feelings_after",
    "asked_why",
    "reflection",
    "lesson",
    "created_at",
    "updated_at",
)


def open_journal(data_dir: Path, *, daily_backup: bool = False) -> Journal:
    """Open (creating if needed) the journal in ``data_dir``; the folder is made private.

    A damaged journal file raises :class:`DamagedJournalError` and is left untouched.  Before a
    schema migration the journal is backed up ("pre-migration"); if that backup fails, nothing
    is migrated.  With ``daily_backup`` (the app passes it) today's "daily" backup is made if
    it is due; a failure there does not stop the journal from opening and is kept in
    :attr:`Journal.backup_error`.
    """
    try:
        ensure_private_dir(data_dir)
        path = database_path(data_dir)
        backups = backups_dir(data_dir)
        if not database.is_closed():
            database.close()  # first: the check below must not read a file open in SQLite
        damage = check_journal(path)  # reads only: a damaged file stays byte-for-byte
        if damage is not None:
            raise damaged_journal_error(damage, backups)
        if not path.exists():
            # Create the file ourselves so it is private from the first byte.
            create_empty(path, FILE_MODE)
        os.chmod(path, FILE_MODE)
        # Switching to WAL rewrites the file header, so it waits until the version check has
        # passed: a journal from a newer app must be left byte-for-byte untouched.
        connection_pragmas = {k: v for k, v in PRAGMAS.items() if k != "journal_mode"}
        database.init(str(path), pragmas=connection_pragmas)
        database.connect()
        version = refuse_newer(database)
        if version >= 1 and pending(database):
            # An upgrade must never lose anything: keep the journal as it was before it.
            create_backup(path, backups, PRE_MIGRATION)
        database.pragma("journal_mode", PRAGMAS["journal_mode"])
        migrate(database)
        journal = Journal(data_dir, path)
        journal.sync_builtin_challenges()
    except StorageError:
        if not database.is_closed():
            database.close()
        raise
    except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
        if not database.is_closed():
            database.close()
        raise classify(exc) from exc
    except BaseException:  # a bug (e.g. in a migration step): still never leave it half-open
        if not database.is_closed():
            database.close()
        raise
    if daily_backup:
        try:
            journal.daily_backup = daily_backup_if_due(path, backups)
        except StorageError as exc:
            journal.backup_error = exc
    return journal


def _challenge_record(row: Challenge) -> ChallengeRecord:
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


_ATTEMPT_COLUMNS = (
    Attempt.uuid,
    Challenge.uuid,
    Attempt.outcome,
    Attempt.reason,
    *(getattr(Attempt, name) for name in _ATTEMPT_FIELDS),
)


def _attempt_record(row: tuple[object, ...]) -> AttemptRecord:
    """Build a record from a row of :data:`_ATTEMPT_COLUMNS` (tuples: ~3x cheaper than models)."""
    uuid, challenge_uuid, outcome, reason, *values = row
    return AttemptRecord(
        uuid=uuid,  # type: ignore[arg-type]
        challenge_uuid=challenge_uuid,  # type: ignore[arg-type]
        outcome=Outcome(outcome) if outcome else None,
        reason=Reason(reason) if reason else None,
        **dict(zip(_ATTEMPT_FIELDS, values, strict=True)),  # type: ignore[arg-type]
    )


class Journal:
    """An open journal. One per process; close it when done."""

    def __init__(self, data_dir: Path, path: Path) -> None:
        self.data_dir = data_dir
        self.path = path
        #: the "daily" backup made when this journal was opened, if one was due
        self.daily_backup: BackupInfo | None = None
        #: why that daily backup could not be made (the journal opened anyway), for a notice
        self.backup_error: StorageError | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        if not database.is_closed():
            database.close()

    def reopen(self) -> None:
        """Open this journal's file again (after a restore replaced it while closed).

        Every query goes through the one process database, so this object, and every widget
        holding it, sees the new file. Raises like :func:`open_journal`.
        """
        open_journal(self.data_dir)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- backups ---------------------------------------------------------------------------
    @property
    def backups_dir(self) -> Path:
        return backups_dir(self.data_dir)

    def backup(self, kind: str = MANUAL) -> BackupInfo:
        """Back up the journal now (it stays open); rotates old backups of the same group."""
        return create_backup(self.path, self.backups_dir, kind)

    # -- challenges ------------------------------------------------------------------------
    def sync_builtin_challenges(self) -> int:
        """Add built-in challenges this journal does not have yet; returns how many."""
        known = {uuid for (uuid,) in Challenge.select(Challenge.uuid).tuples()}
        missing = [c for c in builtin_challenges() if c.uuid not in known]
        if not missing:
            return 0
        now = utcnow()
        with database.atomic():
            for c in missing:
                Challenge.create(
                    uuid=c.uuid, title=c.title, category=c.category.value, level=c.level,
                    how_to=c.how_to, respect_note=c.respect_note, is_custom=False,
                    archived=False, created_at=now, updated_at=now,
                )
        return len(missing)

    def challenges(self, *, include_archived: bool = False) -> list[ChallengeRecord]:
        query = Challenge.select().order_by(Challenge.level, Challenge.title)
        if not include_archived:
            query = query.where(Challenge.archived == False)  # noqa: E712
        return [_challenge_record(row) for row in query]

    def challenge(self, uuid: str) -> ChallengeRecord | None:
        row = Challenge.get_or_none(Challenge.uuid == uuid)
        return _challenge_record(row) if row else None

    # -- attempts --------------------------------------------------------------------------
    def _attempt_query(self) -> peewee.ModelSelect:
        return (
            Attempt.select(*_ATTEMPT_COLUMNS)
            .join(Challenge, peewee.JOIN.LEFT_OUTER)
            .tuples()
        )

    def attempt_count(self) -> int:
        return Attempt.select().count()

    def attempt_uuids(self) -> list[str]:
        """Every attempt's UUID, newest first (the entries list shows them in this order)."""
        query = Attempt.select(Attempt.uuid).order_by(
            Attempt.attempted_on.desc(), Attempt.created_at.desc(), Attempt.id.desc()
        )
        return [uuid for (uuid,) in query.tuples()]

    def attempts_by_uuid(self, uuids: Sequence[str]) -> dict[str, AttemptRecord]:
        out: dict[str, AttemptRecord] = {}
        for start in range(0, len(uuids), 500):
            chunk = list(uuids[start : start + 500])
            for row in self._attempt_query().where(Attempt.uuid.in_(chunk)):
                record = _attempt_record(row)
                out[record.uuid] = record
        return out

    def attempt(self, uuid: str) -> AttemptRecord | None:
        return self.attempts_by_uuid([uuid]).get(uuid)

    def attempts(self) -> list[AttemptRecord]:
        """Every attempt, oldest first."""
        query = self._attempt_query().order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        return [_attempt_record(row) for row in query]

    def discomfort_ratings(self) -> list[tuple[date, int, int]]:
        """(day, anticipated, actual) of every attempt rated both before and after, oldest
        first: all the gap chart needs, without loading whole entries."""
        query = (
            Attempt.select(fn.date(Attempt.attempted_on).coerce(False),
                           Attempt.anticipated_discomfort,
                           Attempt.actual_discomfort)
            .where(Attempt.anticipated_discomfort.is_null(False)
                   & Attempt.actual_discomfort.is_null(False))
            .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        )
        # date() hands back plain ISO text, which fromisoformat reads far faster than peewee's
        # general-purpose date parsing (it matters at 100,000 entries).
        return [(date.fromisoformat(day), before, after)
                for day, before, after in query.tuples()]

    def _challenge_ids(self) -> dict[str, int]:
        return dict(Challenge.select(Challenge.uuid, Challenge.id).tuples())

    def _row_values(
        self, record: AttemptRecord, challenge_ids: dict[str, int] | None = None
    ) -> dict[str, object]:
        challenge_id = None
        if record.challenge_uuid is not None:
            if challenge_ids is None:
                challenge = Challenge.get_or_none(Challenge.uuid == record.challenge_uuid)
                challenge_id = challenge.id if challenge else None
            else:
                challenge_id = challenge_ids.get(record.challenge_uuid)
            if challenge_id is None:
                raise StorageError(f"Unknown challenge {record.challenge_uuid}")
        values: dict[str, object] = {name: getattr(record, name) for name in _ATTEMPT_FIELDS}
        values["uuid"] = record.uuid
        values["challenge"] = challenge_id
        values["outcome"] = record.outcome.value if record.outcome else None
        values["reason"] = record.reason.value if record.reason else None
        return values

    def save_attempt(self, record: AttemptRecord) -> AttemptRecord:
        """Insert or update ``record`` (by UUID) in one transaction; returns what was stored."""
        record = record.replace(updated_at=utcnow()).validated()
        try:
            with database.atomic():
                values = self._row_values(record)
                existing = Attempt.get_or_none(Attempt.uuid == record.uuid)
                if existing is None:
                    Attempt.insert(**values).execute()
                else:
                    values.pop("created_at")
                    Attempt.update(**values).where(Attempt.id == existing.id).execute()
        except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
            raise classify(exc) from exc
        stored = self.attempt(record.uuid)
        assert stored is not None
        return stored

    def delete_attempt(self, uuid: str) -> bool:
        with database.atomic():
            return Attempt.delete().where(Attempt.uuid == uuid).execute() > 0

    def add_demo_attempts(self, records: Iterable[AttemptRecord]) -> int:
        """Insert synthetic attempts into an *empty* journal, all or nothing."""
        with database.atomic():
            if self.attempt_count():
                raise JournalNotEmptyError(
                    f"The journal at {self.data_dir} already has entries; demo data is only "
                    "added to an empty journal so it never mixes with real entries."
                )
            ids = self._challenge_ids()
            rows = [self._row_values(r.validated(), ids) for r in records]
            for start in range(0, len(rows), 200):
                Attempt.insert_many(rows[start : start + 200]).execute()
        return len(rows)
