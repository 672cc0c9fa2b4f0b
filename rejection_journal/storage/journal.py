"""The journal: opening the database and every query the app and CLI need.

Widgets and commands call these methods and get domain records back; no SQL lives elsewhere.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import peewee
from peewee import fn

from rejection_journal.domain.chart_stats import BeliefPair, ChartRow, LadderAttempt
from rejection_journal.domain.demo import DemoKind, DemoMark
from rejection_journal.domain.entry_list import (
    DEFAULT_SORT,
    Completion,
    EntryFilter,
    EntrySort,
    SortColumn,
)
from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.ladders import DeletedLadder
from rejection_journal.domain.library import LibrarySync, builtin_challenges
from rejection_journal.domain.picker import Ladder, PastAttempt, normalise_person
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord, ValidationError, utcnow
from rejection_journal.domain.runs import RunRecord
from rejection_journal.domain.search import SearchHit
from rejection_journal.paths import (
    FILE_MODE,
    backups_dir,
    database_path,
    ensure_private_dir,
    restrict_mode,
)
from rejection_journal.storage import demo as demo_marks
from rejection_journal.storage import ladders as ladder_queries
from rejection_journal.storage.backup import (
    MANUAL,
    PRE_MIGRATION,
    BackupInfo,
    create_backup,
    daily_backup_if_due,
    damaged_journal_error,
    remove_leftovers,
)
from rejection_journal.storage.demo import RemovedDemo
from rejection_journal.storage.errors import (
    EnvironmentStorageError,
    JournalNotEmptyError,
    ReadOnlyJournalError,
    StorageError,
    classify,
    path_too_long,
    watch_folder,
)
from rejection_journal.storage.health import check_journal, move_aside, side_file
from rejection_journal.storage.import_undo import ImportChanges, apply_changes
from rejection_journal.storage.migrations import migrate, pending, refuse_newer
from rejection_journal.storage.models import (
    Attempt,
    AttemptVersion,
    Challenge,
    ChallengeRun,
    Draft,
    JournalDatabase,
    LadderRung,
    RecordVersion,
    Row,
    database,
    first_tuple,
    raw_rows,
    tuple_rows,
)
from rejection_journal.storage.models import Ladder as LadderRow
from rejection_journal.storage.readonly import (
    ReadOnlySource,
    read_only_reason,
    read_only_source,
    remove_leftover_copies,
)
from rejection_journal.storage.revisions import (
    CHALLENGE_KIND,
    EARLIER,
    LADDER_KIND,
    RUN_KIND,
    VERSIONS_KEPT,
    SavedVersion,
    after_edit,
    challenge_revision,
    join_revisions,
    record_from_json,
    record_to_json,
    revision,
    split_revisions,
)
from rejection_journal.storage.rows import (
    DIRECT_ATTRIBUTES,
    attempt_row,
    challenge_ids,
    split_reasons,
)
from rejection_journal.storage.search import SearchSyntaxError
from rejection_journal.storage.search import count as search_count
from rejection_journal.storage.search import search as search_hits
from rejection_journal.storage.sqlite_files import create_empty

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "secure_delete": 1,
    "busy_timeout": 5000,
}
#: a read-only journal: no journal_mode switch (that writes), and SQLite refuses any write
READ_ONLY_PRAGMAS = {"foreign_keys": 1, "busy_timeout": 5000, "query_only": 1}

def open_journal(data_dir: Path, *, read_only: bool = False, daily_backup: bool = False,
                 database_class: type[JournalDatabase] = JournalDatabase) -> Journal:
    """Open (creating if needed) the journal in ``data_dir``; the folder is made private.

    With ``read_only`` nothing at all is written: no file or side file is created, no
    permission changes, no migration, no daily backup (see :func:`_open_read_only`).  Without
    it, a journal that cannot be written (read-only file, folder or disk) raises
    :class:`ReadOnlyJournalError` before anything is touched.  Permissions are only ever
    narrowed, never widened.

    A damaged journal file raises :class:`DamagedJournalError` and is left untouched.  Before a
    schema migration the journal is backed up ("pre-migration"); if that backup fails, nothing
    is migrated.  With ``daily_backup`` (the app passes it) today's "daily" backup is made if
    it is due; a failure there does not stop the journal from opening and is kept in
    :attr:`Journal.backup_error`.

    A journal owns its database object (of ``database_class``; SQLCipher's later).  One journal
    is open per process: opening another while one is open raises
    :class:`JournalAlreadyOpenError` rather than re-pointing the first one's queries.
    """
    _refuse_second(data_dir)
    watch_folder(data_dir)  # errors say what the disk or the path did (see classify)
    too_long = path_too_long(database_path(data_dir))
    if too_long is not None:
        raise too_long
    if read_only:
        return _open_read_only(data_dir, database_class)
    db: JournalDatabase | None = None
    try:
        reason = read_only_reason(data_dir)
        if reason is not None:
            raise ReadOnlyJournalError(reason)
        ensure_private_dir(data_dir)
        path = database_path(data_dir)
        backups = backups_dir(data_dir)
        remove_leftovers(data_dir)  # of killed restores and backups (never a running one's)
        damage = check_journal(path)  # reads only: a damaged file stays byte-for-byte
        if damage is not None:
            raise damaged_journal_error(damage, backups, path)
        _set_aside_log_of_empty_file(path)
        if not path.exists():
            # Create the file ourselves so it is private from the first byte.
            create_empty(path, FILE_MODE)
        restrict_mode(path, FILE_MODE)
        _drop_read_only_copy()
        # Switching to WAL rewrites the file header, so it waits until the version check has
        # passed: a journal from a newer app must be left byte-for-byte untouched.
        connection_pragmas = {k: v for k, v in PRAGMAS.items() if k != "journal_mode"}
        db = database_class(str(path), pragmas=connection_pragmas, uri=False)
        database.initialize(db)
        db.connect()
        version = refuse_newer(db)
        if version.major >= 1 and pending(db):
            # An upgrade must never lose anything: keep the journal as it was before it.
            create_backup(path, backups, PRE_MIGRATION)
        db.pragma("journal_mode", PRAGMAS["journal_mode"])
        migrate(db)
        journal = Journal(data_dir, path, db)
        journal.sync_builtin_challenges()
    except StorageError:
        _abandon(db)
        raise
    except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
        _abandon(db)
        raise classify(exc) from exc
    except BaseException:  # a bug (e.g. in a migration step): still never leave it half-open
        _abandon(db)
        raise
    if daily_backup:
        try:
            journal.daily_backup = daily_backup_if_due(path, backups)
        except StorageError as exc:
            journal.backup_error = exc
    return journal


#: the private temp copy a read-only journal is read from, if it needed one
_read_only_copy: ReadOnlySource | None = None
#: the journal open in this process, if any (it owns the database the models query)
_owner: Journal | None = None


class JournalAlreadyOpenError(StorageError):
    """A second journal was opened while one is open in this process; nothing was changed."""


def current_journal() -> Journal | None:
    """The journal open in this process, if any."""
    return _owner


def _refuse_second(data_dir: Path) -> None:
    if _owner is not None:
        raise JournalAlreadyOpenError(
            f"The journal in {_owner.data_dir} is still open in this program; close it before "
            f"opening the one in {data_dir}."
        )


def _abandon(db: peewee.SqliteDatabase | None) -> None:
    """A failed open: close what it opened and leave no database behind the models."""
    if db is not None and not db.is_closed():
        db.close()
    if database.obj is db:
        database.initialize(None)


def _drop_read_only_copy() -> None:
    global _read_only_copy
    if _read_only_copy is not None:
        _read_only_copy.cleanup()
        _read_only_copy = None


def _no_journal_yet(data_dir: Path, reason: str | None) -> StorageError:
    tail = f" It cannot be created there because {reason}." if reason else ""
    return EnvironmentStorageError(f"There is no journal in {data_dir} yet.{tail}")


def _open_read_only(data_dir: Path, database_class: type[JournalDatabase]) -> Journal:
    """Open the journal in ``data_dir`` for reading only, writing nothing at all.

    Every committed entry is read, including those still in the ``-wal``
    (:func:`~rejection_journal.storage.readonly.read_only_source` picks how).  A journal that
    needs a migration is refused: upgrading it needs a writable folder.
    """
    global _read_only_copy
    detected = read_only_reason(data_dir)
    path = database_path(data_dir)
    source: ReadOnlySource | None = None
    db: JournalDatabase | None = None
    _drop_read_only_copy()
    remove_leftover_copies(path)  # of killed read-only commands (never a running one's)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            raise _no_journal_yet(data_dir, detected)
        damage = check_journal(path)  # reads only
        if damage is not None:
            raise damaged_journal_error(damage, backups_dir(data_dir), path)
        source = read_only_source(path)
        db = database_class(source.uri, pragmas=READ_ONLY_PRAGMAS, uri=True)
        database.initialize(db)
        db.connect()
        version = refuse_newer(db)
        if pending(db):
            if version.major == 0 and not db.get_tables():
                raise _no_journal_yet(data_dir, detected)
            raise EnvironmentStorageError(
                f"The journal in {data_dir} needs upgrading before this version of Rejection "
                "Journal can read it, and upgrading needs a folder it can write to"
                + (f" ({detected})" if detected else "")
                + ". Open it once where it can be written, then try again."
            )
        _read_only_copy, source = source, None
        return Journal(data_dir, path, db,
                       read_only_reason=detected or "it was opened for reading only")
    except StorageError:
        _close_after_failure(db, source)
        raise
    except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
        _close_after_failure(db, source)
        raise classify(exc) from exc
    except BaseException:
        _close_after_failure(db, source)
        raise


def _close_after_failure(db: peewee.SqliteDatabase | None, source: ReadOnlySource | None
                         ) -> None:
    _abandon(db)
    if source is not None:
        source.cleanup()


def _set_aside_log_of_empty_file(path: Path) -> None:
    """A new journal killed in its first open can leave an empty file beside a log.  SQLite
    would delete such a log on opening; it is moved aside instead, so no byte is ever lost."""
    try:
        empty = path.stat().st_size == 0
    except FileNotFoundError:
        return
    if empty and any(os.path.lexists(side_file(path, s)) for s in ("-wal", "-shm")):
        move_aside(path, side_files_only=True)


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
    Attempt.reasons,
    *(getattr(Attempt, name) for name in DIRECT_ATTRIBUTES),
)


def _attempt_record(row: Row) -> AttemptRecord:
    """Build a record from a row of :data:`_ATTEMPT_COLUMNS` (tuples: ~3x cheaper than models)."""
    uuid, challenge_uuid, outcome, reasons, *values = row
    return AttemptRecord(
        uuid=uuid,
        challenge_uuid=challenge_uuid,
        outcome=Outcome(outcome) if outcome else None,
        reasons=split_reasons(reasons),
        **dict(zip(DIRECT_ATTRIBUTES, values, strict=True)),
    )


_new_tuple = tuple.__new__


def _chart_day(stored: object) -> date | None:
    """The day of a stored ``attempted_on`` as SQLite's ``date()`` reads it (None: no day).

    A day stored as ``YYYY-MM-DD`` (as every save writes it) is that day; anything else is
    left to SQLite, so the charts read every stored value as they always have.
    """
    if isinstance(stored, str) and len(stored) == 10:
        try:
            day = date.fromisoformat(stored)
        except ValueError:
            pass
        else:
            if day.isoformat() == stored:
                return day
    (text,) = database.execute_sql("SELECT date(?)", (stored,)).fetchone()
    return date.fromisoformat(text) if text else None


class _SaveSql:
    """The save path's SQL, built once: peewee builds each query's SQL afresh, which costs
    several times what SQLite takes to run these one-row statements (Ctrl+S runs them all).

    Each statement says exactly what peewee would send: the read converts its values with
    the selected fields' ``python_value`` (as peewee's tuple rows do), the writes theirs with
    the columns' ``db_value`` (as peewee's insert and update do), and the insert adds the
    model's defaults for the columns the row leaves out (as peewee's insert does).
    """

    def __init__(self) -> None:
        read_columns = (Attempt.id, Attempt.revision, Attempt.earlier_revisions,
                        *_ATTEMPT_COLUMNS)
        query = (Attempt.select(*read_columns).join(Challenge, peewee.JOIN.LEFT_OUTER)
                 .where(Attempt.uuid == ""))
        #: the entry with one UUID: its id, revision, earlier revisions, then a record's row
        self.read, _ = query.sql()
        self.converters = tuple(column.python_value for column in read_columns)
        self.challenge_id, _ = (Challenge.select(Challenge.id)
                                .where(Challenge.uuid == "").sql())
        fields = Attempt._meta.fields
        columns = (*DIRECT_ATTRIBUTES, "uuid", "challenge", "outcome", "reasons", "revision")
        self.fields = tuple(fields[name] for name in columns)
        defaults = Attempt._meta.defaults
        self.defaults = tuple((field, default) for field, default in defaults.items()
                              if field.name not in columns)
        table = Attempt._meta.table_name
        names = [field.column_name for field in (*self.fields, *(f for f, _ in self.defaults))]
        quoted = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" for _ in names)
        self.insert = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'
        #: the update leaves created_at alone and sets earlier_revisions (the last two marks)
        updated = [f.column_name for f in self.fields if f.name != "created_at"]
        sets = ", ".join(f'"{name}" = ?' for name in (*updated, "earlier_revisions"))
        self.update = f'UPDATE "{table}" SET {sets} WHERE "id" = ?'

    def read_row(self, uuid: str) -> Row | None:
        row = database.execute_sql(self.read, (uuid,)).fetchone()
        if row is None:
            return None
        return tuple(value if value is None else convert(value)
                     for convert, value in zip(self.converters, row, strict=True))

    def insert_values(self, values: dict[str, object]) -> list[object]:
        out = [field.db_value(values[field.name]) for field in self.fields]
        out += [field.db_value(default() if callable(default) else default)
                for field, default in self.defaults]
        return out

    def update_values(self, values: dict[str, object], earlier: str, row_id: int) -> list[object]:
        out = [field.db_value(values[field.name]) for field in self.fields
               if field.name != "created_at"]
        return [*out, earlier, row_id]


_save_sql: _SaveSql | None = None


def _save_statements() -> _SaveSql:
    global _save_sql
    if _save_sql is None:
        _save_sql = _SaveSql()
    return _save_sql


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _chart_filtered(query: peewee.ModelSelect[Attempt], since: date | None, until: date | None,
                    category: str | None) -> peewee.ModelSelect[Attempt]:
    """``query`` (attempts joined with their challenge) limited to the entries dated from
    ``since`` to ``until`` (inclusive, either end open) of one challenge ``category``."""
    if since is not None:
        query = query.where(Attempt.attempted_on >= since)
    if until is not None:
        query = query.where(Attempt.attempted_on <= until)
    if category is not None:
        query = query.where(Challenge.category == category)
    return query


#: the SQL expression each column of the entries list sorts by (called: fields are per-query)
_SORT_EXPRESSIONS: dict[SortColumn, Callable[[], peewee.ColumnBase]] = {
    SortColumn.DATE: lambda: Attempt.attempted_on,
    SortColumn.ASK: lambda: Attempt.ask.collate("NOCASE"),
    SortColumn.CATEGORY: lambda: Challenge.category,
    SortColumn.LEVEL: lambda: Challenge.level,
    SortColumn.EXPECTED: lambda: Attempt.anticipated_discomfort,
    SortColumn.NO_CHANCE: lambda: Attempt.predicted_no_chance,
    SortColumn.FELT: lambda: Attempt.actual_discomfort,
    # NULL when either rating is missing, so those entries sort last
    SortColumn.GAP: lambda: Attempt.anticipated_discomfort - Attempt.actual_discomfort,
    SortColumn.OUTCOME: lambda: Attempt.outcome,
}
NO_FILTER = EntryFilter()


def _first_column(query: peewee.SelectBase) -> list[str]:
    """The first column of ``query``'s rows, straight from the cursor: peewee's row
    wrapping would double the time of 100,000 rows."""
    return [row[0] for row in database.execute(query).fetchall()]


def _entry_filtered(query: peewee.ModelSelect[Attempt], flt: EntryFilter
                    ) -> peewee.ModelSelect[Attempt]:
    """``query`` limited to the entries ``flt`` admits (joined with Challenge if it filters
    by category)."""
    if flt.outcome is not None:
        query = query.where(Attempt.outcome == flt.outcome.value)
    if flt.category is not None:
        query = query.where(Challenge.category == flt.category.value)
    if flt.since is not None:
        query = query.where(Attempt.attempted_on >= flt.since)
    if flt.until is not None:
        query = query.where(Attempt.attempted_on <= flt.until)
    if flt.completion is Completion.OPEN:
        query = query.where(Attempt.outcome.is_null())
    elif flt.completion is Completion.COMPLETED:
        query = query.where(Attempt.outcome.is_null(False))
    if flt.ladder is not None:
        # the entries of the ladder's rungs (its challenges); an unknown ladder admits none
        rungs = (LadderRung.select(LadderRung.challenge).join(LadderRow)
                 .where(LadderRow.uuid == flt.ladder))
        query = query.where(Attempt.challenge.in_(rungs))
    return query


def _owned(
    method: Callable[Concatenate[Journal, _P], _R],
) -> Callable[Concatenate[Journal, _P], _R]:
    """A method that queries the journal: refused unless this journal is the one open."""

    @functools.wraps(method)
    def checked(self: Journal, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if _owner is not self:
            raise StorageError(f"The journal in {self.data_dir} is closed; open it again to "
                               "use it.")
        return method(self, *args, **kwargs)

    return checked


def _writes(
    method: Callable[Concatenate[Journal, _P], _R],
) -> Callable[Concatenate[Journal, _P], _R]:
    """A method that writes the journal: refused unless this journal is the one open, and
    whatever the machine does to it (a full disk, a locked or read-only database, an I/O
    error) comes out as one calm :class:`StorageError`, never a raw SQLite or OS error.
    Every write in this class goes through here; a :class:`ValidationError` passes through."""

    @functools.wraps(method)
    def checked(self: Journal, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if _owner is not self:
            raise StorageError(f"The journal in {self.data_dir} is closed; open it again to "
                               "use it.")
        try:
            return method(self, *args, **kwargs)
        except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
            raise classify(exc) from exc

    checked.writes = True  # type: ignore[attr-defined]
    return checked


class Journal:
    """An open journal, owning its database object. One per process; close it when done."""

    def __init__(self, data_dir: Path, path: Path, db: JournalDatabase, *,
                 read_only_reason: str | None = None) -> None:
        global _owner
        self.data_dir = data_dir
        self.path = path
        self._db = db
        _owner = self
        #: why this journal cannot be written ("… because <this>"), or None when it can
        self.read_only_reason = read_only_reason
        #: the "daily" backup made when this journal was opened, if one was due
        self.daily_backup: BackupInfo | None = None
        #: why that daily backup could not be made (the journal opened anyway), for a notice
        self.backup_error: StorageError | None = None
        #: worker threads reading with their own connection (see :meth:`worker_connection`)
        self._workers = threading.Condition()
        self._worker_count = 0

    @property
    def read_only(self) -> bool:
        """True when this journal was opened read-only: every write method refuses."""
        return self.read_only_reason is not None

    def _refuse_if_read_only(self) -> None:
        if self.read_only_reason is not None:
            raise ReadOnlyJournalError(self.read_only_reason)

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return _owner is self and not self._db.is_closed()

    def close(self) -> None:
        """Close the database (if this journal is the one open); closing twice is fine."""
        global _owner
        if _owner is not self:
            return
        with self._workers:  # a worker's connection must not outlive the journal's
            self._workers.wait_for(lambda: self._worker_count == 0, timeout=30)
            if not self._db.is_closed():
                self._db.close()
            if database.obj is self._db:
                database.initialize(None)
            _owner = None
            watch_folder(None)
        _drop_read_only_copy()

    def reopen(self) -> None:
        """Open this journal's file again (after a restore replaced it while closed).

        This object takes over the fresh connection, so every widget holding it sees the new
        file.  Raises like :func:`open_journal`.
        """
        global _owner
        self.close()
        fresh = open_journal(self.data_dir, read_only=self.read_only,
                             database_class=type(self._db))
        self._db, self.read_only_reason = fresh._db, fresh.read_only_reason
        _owner = self

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- backups ---------------------------------------------------------------------------
    @property
    def backups_dir(self) -> Path:
        return backups_dir(self.data_dir)

    @_writes
    def backup(self, kind: str = MANUAL) -> BackupInfo:
        """Back up the journal now (it stays open); rotates old backups of the same group."""
        self._refuse_if_read_only()
        return create_backup(self.path, self.backups_dir, kind)

    # -- challenges ------------------------------------------------------------------------
    @_writes
    def sync_builtin_challenges(self) -> LibrarySync:
        """Bring this journal's built-in challenges up to date with the library shipped.

        New built-ins are added; a built-in whose title, how-to, respect note, level or
        category changed is updated in place (same UUID, so entries keep pointing at it).
        The user's own (custom) challenges and every challenge's ``archived`` flag are left
        alone, and so are built-ins a newer library no longer has (entries may use them).
        Returns how many were added and updated; nothing is written when nothing changed.
        """
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
        self._refuse_if_read_only()
        now = utcnow()
        with database.atomic():
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

    @_owned
    def challenges(self, *, include_archived: bool = False) -> list[ChallengeRecord]:
        query = Challenge.select().order_by(Challenge.level, Challenge.title)
        if not include_archived:
            query = query.where(Challenge.archived == False)  # noqa: E712
        return [_challenge_record(row) for row in query]

    @_owned
    def challenge(self, uuid: str) -> ChallengeRecord | None:
        row = Challenge.get_or_none(Challenge.uuid == uuid)
        return _challenge_record(row) if row else None

    @_owned
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

    @_writes
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
        try:
            with database.atomic():
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
                    built_in = _challenge_record(row)
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
        except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
            raise classify(exc) from exc
        stored = self.challenge(record.uuid)
        assert stored is not None
        return stored

    @_owned
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

    # -- attempts --------------------------------------------------------------------------
    def _attempt_query(self) -> peewee.ModelSelect[Attempt]:
        """The rows of :data:`_ATTEMPT_COLUMNS`: read them with :func:`tuple_rows`."""
        return (
            Attempt.select(*_ATTEMPT_COLUMNS)
            .join(Challenge, peewee.JOIN.LEFT_OUTER)
        )

    @_owned
    def attempt_count(self) -> int:
        return Attempt.select().count()

    @_owned
    def attempt_uuids(self) -> list[str]:
        """Every attempt's UUID, newest first (the entries list shows them in this order)."""
        query = Attempt.select(Attempt.uuid).order_by(
            Attempt.attempted_on.desc(), Attempt.created_at.desc(), Attempt.id.desc()
        )
        return [uuid for (uuid,) in tuple_rows(query)]

    @_owned
    def attempt_uuids_sorted(self, sort: EntrySort = DEFAULT_SORT,
                             flt: EntryFilter = NO_FILTER, *,
                             among: Sequence[str] | None = None) -> list[str]:
        """The UUIDs of the entries ``flt`` admits, in the order ``sort`` asks for (see
        :mod:`rejection_journal.domain.entry_list`: empty values last, ties newest first).

        All of it happens in SQLite, so 100,000 entries come back as one list of strings.
        With ``among``, only those UUIDs are considered (a few saved entries: "does the
        filter still admit them?").
        """
        expression = _SORT_EXPRESSIONS[sort.column]()
        ascending_ties = sort.column is SortColumn.DATE and not sort.descending
        ties = (Attempt.attempted_on, Attempt.created_at, Attempt.uuid)
        order = [expression.desc(nulls="LAST") if sort.descending
                 else expression.asc(nulls="LAST")]
        order += [t.asc() if ascending_ties else t.desc() for t in ties]
        query = Attempt.select(Attempt.uuid)
        if sort.column in (SortColumn.CATEGORY, SortColumn.LEVEL) or flt.category is not None:
            query = query.join(Challenge, peewee.JOIN.LEFT_OUTER)
        query = _entry_filtered(query, flt).order_by(*order)
        if among is None:
            return _first_column(query)
        wanted = list(among)
        out: list[str] = []
        for start in range(0, len(wanted), 500):
            out += _first_column(query.where(Attempt.uuid.in_(wanted[start : start + 500])))
        return out

    @contextlib.contextmanager
    def worker_connection(self) -> Iterator[None]:
        """For a worker thread (the entries list sorts 100,000 entries off the GUI thread):
        its own connection to this journal, opened here and closed on leaving, so no
        connection outlives the work.  :meth:`close` waits for these to finish."""
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("worker_connection() is for worker threads; the main thread "
                               "has the journal's own connection")
        with self._workers:
            if _owner is not self:
                raise StorageError(f"The journal in {self.data_dir} is closed.")
            self._worker_count += 1
        try:
            with self._db.connection_context():
                yield
        finally:
            with self._workers:
                self._worker_count -= 1
                self._workers.notify_all()

    @_owned
    def open_attempts(self) -> list[AttemptRecord]:
        """Entries whose after half is still to be written, oldest first."""
        query = (self._attempt_query().where(Attempt.outcome.is_null())
                 .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id))
        return [_attempt_record(row) for row in tuple_rows(query)]

    @_owned
    def open_attempt_count(self) -> int:
        return Attempt.select().where(Attempt.outcome.is_null()).count()

    @_owned
    def attempts_by_uuid(self, uuids: Sequence[str]) -> dict[str, AttemptRecord]:
        out: dict[str, AttemptRecord] = {}
        for start in range(0, len(uuids), 500):
            chunk = list(uuids[start : start + 500])
            for row in tuple_rows(self._attempt_query().where(Attempt.uuid.in_(chunk))):
                record = _attempt_record(row)
                out[record.uuid] = record
        return out

    @_owned
    def attempt(self, uuid: str) -> AttemptRecord | None:
        row = _save_statements().read_row(uuid)
        return None if row is None else _attempt_record(row[3:])

    @_owned
    def attempts(self) -> list[AttemptRecord]:
        """Every attempt, oldest first."""
        query = self._attempt_query().order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        return [_attempt_record(row) for row in tuple_rows(query)]

    @_owned
    def attempt_revisions(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Every attempt's revision and earlier revisions (newest first), by UUID."""
        query = Attempt.select(Attempt.uuid, Attempt.revision, Attempt.earlier_revisions)
        return {uuid: (rev, split_revisions(earlier))
                for uuid, rev, earlier in tuple_rows(query)}

    @_owned
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
                for day, before, after in tuple_rows(query)]

    @_owned
    def chart_rows(self, since: date | None = None, until: date | None = None,
                   category: str | None = None) -> list[ChartRow]:
        """Every entry as the charts need it (no texts), oldest first, optionally only those
        from ``since`` to ``until`` (inclusive) and of one challenge ``category``: tuples,
        not whole records, so ten years of entries load in a blink."""
        # The challenge's category comes from a small dict rather than a join (100,000
        # look-ups cost a third of the query), and the stored day as written rather than
        # through SQL's date(): see _chart_day.  The join stays when it filters.
        query = (
            Attempt.select(Attempt.uuid, Attempt.attempted_on.coerce(False), Attempt.challenge,
                           Attempt.anticipated_discomfort, Attempt.actual_discomfort,
                           Attempt.predicted_no_chance, Attempt.outcome, Attempt.reasons)
            .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        )
        if category is not None:
            query = query.join(Challenge, peewee.JOIN.LEFT_OUTER)
        query = _chart_filtered(query, since, until, category)
        categories: dict[int | None, str | None] = dict(
            raw_rows(Challenge.select(Challenge.id, Challenge.category)))
        days: dict[object, date | None] = {}
        rows = []
        for uuid, stored, challenge, before, after, chance, outcome, reason in raw_rows(query):
            day = days.get(stored)
            if day is None:
                day = days[stored] = _chart_day(stored)
                if day is None:
                    continue
            # (tuple.__new__: a ChartRow exactly, without NamedTuple's Python-level __new__,
            # a third of the cost of building 100,000 of them)
            rows.append(_new_tuple(ChartRow, (uuid, day, categories.get(challenge), before,
                                              after, chance, outcome or None, reason or None)))
        return rows

    @_owned
    def belief_pairs(self, since: date | None = None, until: date | None = None,
                     category: str | None = None) -> list[BeliefPair]:
        """Each completed entry's predictions before the ask and for next time (the belief
        update), oldest first, filtered like :meth:`chart_rows`; entries that recorded no
        "next time" expectation are left out."""
        query = (
            Attempt.select(Attempt.uuid, fn.date(Attempt.attempted_on).coerce(False),
                           Attempt.anticipated_discomfort, Attempt.next_discomfort,
                           Attempt.predicted_no_chance, Attempt.next_no_chance)
            .join(Challenge, peewee.JOIN.LEFT_OUTER)
            .where(Attempt.next_discomfort.is_null(False)
                   | Attempt.next_no_chance.is_null(False))
            .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        )
        query = _chart_filtered(query, since, until, category)
        return [BeliefPair(uuid, date.fromisoformat(day), before, after, chance, chance_next)
                for uuid, day, before, after, chance, chance_next in raw_rows(query) if day]

    @_owned
    def search(self, text: str, limit: int = 50, offset: int = 0,
               cancelled: Callable[[], bool] | None = None) -> list[SearchHit]:
        """The entries whose texts hold ``text``, best first (bm25, the ask weighted most):
        ``limit`` after the first ``offset``, matched words marked (see domain/search.py).

        Plain words must all be found, the last also as a prefix; FTS5 syntax is used as
        written, and one SQLite cannot read raises :class:`SearchSyntaxError`.  Empty text
        finds nothing.  A journal without the full-text index is scanned instead.  A search
        too long to run raises ``SearchTooLongError``; once ``cancelled()`` is true (a newer
        search came) it stops with ``SearchCancelledError``.
        """
        try:
            return search_hits(text, limit, offset, cancelled)
        except SearchSyntaxError:
            raise
        except (peewee.PeeweeException, sqlite3.Error) as exc:
            raise classify(exc) from exc

    @_owned
    def search_count(self, text: str, cancelled: Callable[[], bool] | None = None) -> int:
        """How many entries :meth:`search` finds for ``text`` in all."""
        try:
            return search_count(text, cancelled)
        except SearchSyntaxError:
            raise
        except (peewee.PeeweeException, sqlite3.Error) as exc:
            raise classify(exc) from exc

    @_writes
    def save_attempt(self, record: AttemptRecord) -> AttemptRecord:
        """Insert or update ``record`` (by UUID) in one transaction; returns what was stored.

        When what the user wrote changes, the entry's previous version goes into its history
        (see :meth:`attempt_versions`), so an edit can always be taken back.
        """
        return self.save_attempt_from(record)[1]

    @_writes
    def save_attempt_from(
        self, record: AttemptRecord,
    ) -> tuple[AttemptRecord | None, AttemptRecord]:
        """:meth:`save_attempt`, also returning what the entry was before (None: it is new),
        read in the same transaction: (before, stored)."""
        self._refuse_if_read_only()
        record = record.replace(updated_at=utcnow()).validated()
        statements = _save_statements()
        try:
            with database.atomic():
                ids: dict[str, int] = {}
                if record.challenge_uuid is not None:
                    found = database.execute_sql(statements.challenge_id,
                                                 (record.challenge_uuid,)).fetchone()
                    if found is not None:
                        ids[record.challenge_uuid] = found[0]
                values = attempt_row(record, ids)
                existing = statements.read_row(record.uuid)
                if existing is None:
                    before = None
                    database.execute_sql(statements.insert, statements.insert_values(values))
                else:
                    row_id, current, earlier = existing[:3]
                    before = _attempt_record(existing[3:])
                    if values["revision"] != current:
                        self._keep_in_history(row_id, EARLIER, before)
                        earlier = join_revisions(after_edit(current, split_revisions(earlier)))
                    database.execute_sql(statements.update,
                                         statements.update_values(values, earlier, row_id))
                    # the stored entry keeps the time it was first made
                    record = record.replace(created_at=before.created_at)
        except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
            raise classify(exc) from exc
        # What was written reads back as the validated record it was made from (the row's
        # values convert back to the same ones), so it is not read again.
        return before, record

    def _keep_in_history(self, row_id: int, kind: str,
                         current: AttemptRecord | None = None) -> None:
        """Copy the attempt in row ``row_id``, as it is now (``current``, when the caller has
        just read it), into its history."""
        if current is None:
            row = first_tuple(self._attempt_query().where(Attempt.id == row_id))
            assert row is not None, row_id  # the caller has just read this row
            current = _attempt_record(row)
        AttemptVersion.insert(attempt=row_id, revision=revision(current), kind=kind,
                              saved_at=utcnow(), record=record_to_json(current)).execute()
        prune_history([row_id])

    # -- history ---------------------------------------------------------------------------
    @_owned
    def attempt_versions(self, uuid: str) -> list[SavedVersion]:
        """The versions kept in an entry's history, most recently stored first (number 1).

        ``kind`` is ``"earlier"`` (what it held before an edit, a restore or an import
        replaced it) or ``"conflict"`` (an imported copy that was not taken because the entry
        had changed here too). Raises :class:`StorageError` if there is no such entry.
        """
        row = Attempt.get_or_none(Attempt.uuid == uuid)
        if row is None:
            raise StorageError(f"There is no entry {uuid} in this journal.")
        query = (AttemptVersion
                 .select(AttemptVersion.kind, AttemptVersion.revision, AttemptVersion.saved_at,
                         AttemptVersion.record)
                 .where(AttemptVersion.attempt == row.id)
                 .order_by(AttemptVersion.id.desc()))
        versions = []
        for number, (kind, rev, saved_at, text) in enumerate(tuple_rows(query), start=1):
            try:
                record = record_from_json(text)
            except (ValueError, KeyError, TypeError):
                raise StorageError(
                    f"Version {number} of entry {uuid} cannot be read; its history is damaged."
                ) from None
            versions.append(SavedVersion(number, kind, rev, saved_at, record))
        return versions

    @_writes
    def restore_attempt_version(self, uuid: str, number: int) -> AttemptRecord:
        """Bring back version ``number`` (as listed by :meth:`attempt_versions`) of an entry.

        The entry as it is now goes into its history first, so this too can be undone.
        Returns the entry as stored. Raises :class:`StorageError` for an unknown entry or
        number.
        """
        self._refuse_if_read_only()
        versions = self.attempt_versions(uuid)
        if not 1 <= number <= len(versions):
            held = (f"it has versions 1 to {len(versions)}" if versions
                    else "it has no earlier versions")
            raise StorageError(f"Entry {uuid} has no version {number}; {held}.")
        current = self.attempt(uuid)
        assert current is not None
        chosen = versions[number - 1].record
        return self.save_attempt(chosen.replace(uuid=uuid, created_at=current.created_at))

    # -- ladders and runs (schema 3.1) ---------------------------------------------------------
    def _write(self, action: Callable[[], _R]) -> _R:
        """Run ``action`` in one transaction on a writable journal; errors sorted like
        :meth:`save_attempt`'s (a :class:`ValidationError` passes through unchanged)."""
        self._refuse_if_read_only()
        try:
            with database.atomic():
                return action()
        except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
            raise classify(exc) from exc

    @_owned
    def ladders(self) -> list[Ladder]:
        """Every fear ladder, oldest first, each with its rungs easiest first."""
        return ladder_queries.all_ladders()

    @_owned
    def ladder(self, uuid: str) -> Ladder | None:
        return ladder_queries.get_ladder(uuid)

    @_owned
    def find_ladder(self, key: str | None) -> Ladder | None:
        """The ladder ``key`` names: its UUID, or its goal (case and spaces ignored); None:
        the ladder worked on most recently.  None when there is no such ladder."""
        return ladder_queries.find_ladder(key)

    @_owned
    def recent_ladder_uuid(self) -> str | None:
        """The ladder with the latest entry on a rung (else the one changed last), or None."""
        return ladder_queries.recent_ladder_uuid()

    @_owned
    def ladder_history(self, uuid: str) -> list[PastAttempt]:
        """The entries on the ladder's rungs (no texts), oldest first."""
        return ladder_queries.ladder_history(uuid)

    @_owned
    def ladder_attempts(self, name: str | None, since: date | None = None,
                        until: date | None = None) -> list[LadderAttempt]:
        """The answered entries on the rungs of the ladder ``name`` means (see
        :meth:`find_ladder`), from ``since`` to ``until`` inclusive, for the ladder chart;
        empty when there is no such ladder."""
        found = ladder_queries.find_ladder(name)
        if found is None:
            return []
        return ladder_queries.ladder_attempts(found.uuid, since, until)

    @_writes
    def save_ladder(self, record: Ladder) -> Ladder:
        """Insert or update a ladder (by UUID): its goal, and its rungs replaced in the order
        given, all in one transaction.  Raises :class:`ValidationError` (a bad goal, a rung
        twice, a challenge not in the journal) or :class:`StorageError`; returns it as stored."""
        def write() -> Ladder:
            same = ladder_queries.ladder_named(record.goal, other_than=record.uuid)
            if same is not None:
                raise ValidationError(
                    "goal", f"you already have a ladder “{same.goal}”: give this one another "
                    "goal, or add steps to that one", label="Goal")
            return ladder_queries.write_ladder(record)[0]

        return self._write(write)

    @_writes
    def delete_ladder(self, uuid: str) -> DeletedLadder | None:
        """Delete a ladder (runs on it keep going without it); returns what was deleted, for
        :meth:`restore_ladder`, or None if there was no such ladder."""
        return self._write(lambda: ladder_queries.remove_ladder(uuid))

    @_writes
    def restore_ladder(self, deleted: DeletedLadder) -> Ladder:
        """Bring a deleted ladder back as it was (UUID, goal, rungs, timestamps) and link its
        runs to it again (undo of :meth:`delete_ladder`)."""
        return self._write(lambda: ladder_queries.bring_back_ladder(deleted))

    @_owned
    def apply_import_changes(self, changes: ImportChanges, *, undo: bool,
                             progress: Callable[[int, int], None] | None = None) -> int:
        """Take an import back (``undo``) or do it again, exactly as it was recorded, in one
        transaction: killed at any moment, the journal is as before or as after.  Returns how
        many records were left alone because they changed since (see import_undo)."""
        self._refuse_if_read_only()
        try:
            with database.atomic("IMMEDIATE"):
                return apply_changes(changes, undo=undo, progress=progress)
        except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
            raise classify(exc) from exc

    @_owned
    def record_revisions(self) -> dict[str, dict[str, ladder_queries.Revisions]]:
        """The revisions (and earlier ones) of every challenge, ladder and run, by kind
        (``"challenge"``, ``"ladder"``, ``"run"``) and UUID: what an export carries."""
        return {CHALLENGE_KIND: ladder_queries.revisions_by_uuid(Challenge),
                LADDER_KIND: ladder_queries.revisions_by_uuid(LadderRow),
                RUN_KIND: ladder_queries.revisions_by_uuid(ChallengeRun)}

    @_owned
    def record_versions(self, kind: str, uuid: str) -> list[tuple[str, str, str]]:
        """The history of a challenge, ladder or run (``kind``): (kind of version — "earlier"
        or "conflict" —, revision, the record as the export's JSON), most recent first."""
        query = (RecordVersion.select(RecordVersion.kind, RecordVersion.revision,
                                      RecordVersion.record)
                 .where((RecordVersion.record_kind == kind) & (RecordVersion.uuid == uuid))
                 .order_by(RecordVersion.id.desc()))
        return [(str(k), str(r), str(text)) for k, r, text in tuple_rows(query)]

    @_owned
    def runs(self) -> list[RunRecord]:
        """Every challenge run, the earliest started first."""
        return ladder_queries.all_runs()

    @_owned
    def run(self, uuid: str) -> RunRecord | None:
        return ladder_queries.get_run(uuid)

    @_writes
    def save_run(self, record: RunRecord) -> RunRecord:
        """Insert or update a run (by UUID); its ladder must be in the journal."""
        return self._write(lambda: ladder_queries.write_run(record))

    @_writes
    def delete_run(self, uuid: str) -> RunRecord | None:
        """Delete a run; returns what it was (None if there was none)."""
        return self._write(lambda: ladder_queries.remove_run(uuid))

    @_owned
    def entries_between(self, since: date, until: date) -> list[PastAttempt]:
        """The entries dated ``since`` to ``until`` inclusive (no texts), oldest first."""
        return ladder_queries.entries_between(since, until)

    @_owned
    def challenge_categories(self) -> dict[str, Category]:
        """Every challenge's category, by UUID."""
        return ladder_queries.challenge_categories()

    @_writes
    def add_demo_data(self, records: Iterable[AttemptRecord], ladders: Iterable[Ladder],
                      runs: Iterable[RunRecord]) -> tuple[int, int, int]:
        """Demo entries (:meth:`add_demo_attempts`), ladders and runs, all or nothing, into an
        empty journal; each is marked as demo data, with the fingerprint of what it holds
        (storage/demo.py).  Returns the counts."""
        ladders, runs = list(ladders), list(runs)

        def add() -> tuple[int, int, int]:
            count = self.add_demo_attempts(records)
            stored_ladders = [ladder_queries.write_ladder(ladder, keep_times=True)[0]
                              for ladder in ladders]
            stored_runs = [ladder_queries.write_run(run, keep_times=True) for run in runs]
            demo_marks.mark([*demo_marks.ladder_marks(stored_ladders),
                             *demo_marks.run_marks(stored_runs)])
            return count, len(ladders), len(runs)

        return self._write(add)

    @_owned
    def demo_marks(self) -> list[DemoMark]:
        """The marks of the demo items still in the journal (what an export carries)."""
        return demo_marks.present_marks()

    @_owned
    def has_demo_data(self) -> bool:
        """True while anything demo data added (an entry, a ladder, a run) is still here."""
        return demo_marks.has_demo()

    @_writes
    def remove_demo_data(self) -> RemovedDemo:
        """Delete every entry, ladder and run demo data added that is still as the demo gave
        it, in one transaction; keep (unmarked) the ones the user changed.  Returns what went
        and the counts (``.result``), to put it back with :meth:`restore_demo_data`."""
        return self._write(lambda: demo_marks.remove(self.attempts_by_uuid))

    @_writes
    def restore_demo_data(self, removed: RemovedDemo) -> None:
        """Put back exactly what :meth:`remove_demo_data` took (undo), in one transaction."""
        self._write(lambda: demo_marks.restore(removed))

    # -- the editor's unsaved draft (schema 3) -------------------------------------------------
    @_writes
    def save_draft(self, key: str, content: str, entry_uuid: str | None) -> None:
        """Keep what editor ``key`` holds but has not saved (``content``: the form as typed)."""
        self._refuse_if_read_only()
        try:
            with database.atomic():
                (Draft.insert(key=key, entry_uuid=entry_uuid, saved_at=utcnow(),
                              content=content)
                 .on_conflict(conflict_target=[Draft.key],
                              update={Draft.entry_uuid: entry_uuid, Draft.saved_at: utcnow(),
                                      Draft.content: content})
                 .execute())
        except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
            raise classify(exc) from exc

    @_owned
    def draft(self, key: str) -> tuple[str, str | None] | None:
        """(content, entry UUID) of editor ``key``'s draft, or None if it has none."""
        row = (Draft.select(Draft.content, Draft.entry_uuid).where(Draft.key == key)
               .tuples().first())
        return (row[0], row[1]) if row is not None else None

    @_writes
    def delete_draft(self, key: str) -> None:
        if self.read_only_reason is not None:
            return  # a read-only journal has no draft to forget
        try:
            with database.atomic():
                Draft.delete().where(Draft.key == key).execute()
        except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
            raise classify(exc) from exc

    @_writes
    def delete_attempt(self, uuid: str) -> bool:
        """Delete an entry (its history goes with it); False if there was none."""
        self._refuse_if_read_only()
        with database.atomic():
            deleted: int = Attempt.delete().where(Attempt.uuid == uuid).execute()
            return deleted > 0

    @_writes
    def add_demo_attempts(self, records: Iterable[AttemptRecord]) -> int:
        """Insert synthetic attempts into an *empty* journal, all or nothing, each marked as
        demo data with its revision (what the demo gave it)."""
        self._refuse_if_read_only()
        try:
            with database.atomic():
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
        except (peewee.PeeweeException, sqlite3.Error, OSError) as exc:
            raise classify(exc) from exc
        return len(rows)

    @_owned
    def recent_completed(self, limit: int) -> list[tuple[int | None, int | None]]:
        """(actual discomfort, hopefulness) of the ``limit`` most recent completed entries,
        oldest first: what the pause suggestion looks at, without loading whole entries."""
        query = (Attempt.select(Attempt.actual_discomfort, Attempt.hopefulness)
                 .where(Attempt.outcome.is_null(False))
                 .order_by(Attempt.attempted_on.desc(), Attempt.created_at.desc(),
                           Attempt.id.desc())
                 .limit(limit))
        return [(actual, hopeful) for actual, hopeful in tuple_rows(query)][::-1]


def prune_history(row_ids: Iterable[int] | None = None, *,
                  removed: list[dict[str, object]] | None = None) -> None:
    """Keep the newest :data:`VERSIONS_KEPT` versions of each kind per entry (of ``row_ids``,
    or of every entry).  ``removed``, when given, receives the rows deleted (an import's
    undo puts them back)."""
    where = ""
    params: list[int] = []
    if row_ids is not None:
        params = list(row_ids)
        if not params:
            return
        where = f'WHERE "attempt_id" IN ({", ".join("?" for _ in params)})'
    pruned = ('SELECT "id" FROM (SELECT "id", ROW_NUMBER() OVER (PARTITION BY "attempt_id", '
              f'"kind" ORDER BY "id" DESC) AS "n" FROM "attempt_version" {where}) WHERE "n" > ?')
    if removed is not None:
        cursor = database.execute_sql(
            f'SELECT * FROM "attempt_version" WHERE "id" IN ({pruned})', (*params, VERSIONS_KEPT))
        names = [d[0] for d in cursor.description]
        removed.extend(dict(zip(names, row, strict=True)) for row in cursor.fetchall())
    database.execute_sql(f'DELETE FROM "attempt_version" WHERE "id" IN ({pruned})',
                         (*params, VERSIONS_KEPT))
