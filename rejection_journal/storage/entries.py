"""Saving and reading entries, with their history (earlier versions kept on each edit)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import peewee

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord, utcnow
from rejection_journal.storage.errors import StorageError
from rejection_journal.storage.models import (
    Attempt,
    AttemptVersion,
    Challenge,
    Row,
    database,
    first_tuple,
    tuple_rows,
)
from rejection_journal.storage.revisions import (
    EARLIER,
    VERSIONS_KEPT,
    SavedVersion,
    after_edit,
    join_revisions,
    record_from_json,
    record_to_json,
    revision,
    split_revisions,
)
from rejection_journal.storage.rows import (
    DIRECT_ATTRIBUTES,
    RAW_COLUMNS,
    attempt_row,
    from_columns,
    split_reasons,
)
from rejection_journal.storage.session import JournalCore, owned, writes

ATTEMPT_COLUMNS = (
    Attempt.uuid,
    Challenge.uuid,
    Attempt.outcome,
    Attempt.reasons,
    # (schema 3.4's columns as SQLite holds them, converted by rows.CONVERTED: a third
    # cheaper than peewee's conversion of each value)
    *(getattr(Attempt, name).coerce(False) if name in RAW_COLUMNS else getattr(Attempt, name)
      for name in DIRECT_ATTRIBUTES),
)


def attempt_record(row: Row) -> AttemptRecord:
    """Build a record from a row of :data:`ATTEMPT_COLUMNS` (tuples: ~3x cheaper than models)."""
    uuid, challenge_uuid, outcome, reasons, *values = row
    return AttemptRecord(
        uuid=uuid,
        challenge_uuid=challenge_uuid,
        outcome=Outcome(outcome) if outcome else None,
        reasons=split_reasons(reasons),
        **from_columns(dict(zip(DIRECT_ATTRIBUTES, values, strict=True))),
    )


def attempt_query() -> peewee.ModelSelect[Attempt]:
    """The rows of :data:`ATTEMPT_COLUMNS`: read them with :func:`tuple_rows`."""
    return Attempt.select(*ATTEMPT_COLUMNS).join(Challenge, peewee.JOIN.LEFT_OUTER)


#: the ``attempt`` columns a save does not take from :func:`attempt_row`: the row id, and the
#: earlier revisions (an update sets them from the history; an insert has none yet)
_NOT_FROM_RECORD = frozenset({"id", "earlier_revisions"})


class _SaveSql:
    """The save path's SQL, built once from the model: peewee builds each query's SQL afresh,
    which costs several times what SQLite takes to run these one-row statements (Ctrl+S runs
    them all).

    The columns written are every field of the ``Attempt`` model but the row id (and
    ``earlier_revisions``, which the insert leaves at the model's default and the update sets
    from the history): a column added to the model is saved without touching this, and a
    column :func:`~rejection_journal.storage.rows.attempt_row` gives no value for fails the
    first save loudly rather than being dropped.  The read converts its values with the
    selected fields' ``python_value`` (as peewee's tuple rows do), the writes theirs with the
    columns' ``db_value`` (as peewee's insert and update do).
    """

    def __init__(self) -> None:
        read_columns = (Attempt.id, Attempt.revision, Attempt.earlier_revisions,
                        *ATTEMPT_COLUMNS)
        query = (Attempt.select(*read_columns).join(Challenge, peewee.JOIN.LEFT_OUTER)
                 .where(Attempt.uuid == ""))
        #: the entry with one UUID: its id, revision, earlier revisions, then a record's row
        self.read, _ = query.sql()
        self.converters = tuple(column.python_value for column in read_columns)
        self.challenge_id, _ = (Challenge.select(Challenge.id)
                                .where(Challenge.uuid == "").sql())
        #: the columns a record's values fill, in the model's order
        self.fields = tuple(field for field in Attempt._meta.sorted_fields
                            if field.name not in _NOT_FROM_RECORD)
        earlier = Attempt.earlier_revisions
        table = Attempt._meta.table_name
        inserted = [field.column_name for field in (*self.fields, earlier)]
        quoted = ", ".join(f'"{name}"' for name in inserted)
        marks = ", ".join("?" for _ in inserted)
        self.insert = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'
        self.no_earlier = earlier.db_value(earlier.default)
        #: the update leaves created_at alone and sets earlier_revisions (the last two marks)
        updated = [f.column_name for f in self.fields if f.name != "created_at"]
        sets = ", ".join(f'"{name}" = ?' for name in (*updated, earlier.column_name))
        self.update = f'UPDATE "{table}" SET {sets} WHERE "id" = ?'

    def read_row(self, uuid: str) -> Row | None:
        row = database.execute_sql(self.read, (uuid,)).fetchone()
        if row is None:
            return None
        return tuple(value if value is None else convert(value)
                     for convert, value in zip(self.converters, row, strict=True))

    def insert_values(self, values: dict[str, object]) -> list[object]:
        return [*(field.db_value(values[field.name]) for field in self.fields), self.no_earlier]

    def update_values(self, values: dict[str, object], earlier: str, row_id: int) -> list[object]:
        out = [field.db_value(values[field.name]) for field in self.fields
               if field.name != "created_at"]
        return [*out, earlier, row_id]


_save_sql: _SaveSql | None = None


def save_statements() -> _SaveSql:
    global _save_sql
    if _save_sql is None:
        _save_sql = _SaveSql()
    return _save_sql


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


class EntryStore(JournalCore):
    """The journal's entries: each read whole, saved (its earlier version kept), deleted."""

    @owned
    def attempt_count(self) -> int:
        return Attempt.select().count()

    @owned
    def open_attempts(self) -> list[AttemptRecord]:
        """Entries whose after half is still to be written, oldest first."""
        query = (attempt_query().where(Attempt.outcome.is_null())
                 .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id))
        return [attempt_record(row) for row in tuple_rows(query)]

    @owned
    def open_attempt_count(self) -> int:
        return Attempt.select().where(Attempt.outcome.is_null()).count()

    @owned
    def attempts_by_uuid(self, uuids: Sequence[str]) -> dict[str, AttemptRecord]:
        out: dict[str, AttemptRecord] = {}
        for start in range(0, len(uuids), 500):
            chunk = list(uuids[start : start + 500])
            for row in tuple_rows(attempt_query().where(Attempt.uuid.in_(chunk))):
                record = attempt_record(row)
                out[record.uuid] = record
        return out

    @owned
    def attempt(self, uuid: str) -> AttemptRecord | None:
        row = save_statements().read_row(uuid)
        return None if row is None else attempt_record(row[3:])

    @owned
    def attempts(self) -> list[AttemptRecord]:
        """Every attempt, oldest first."""
        query = attempt_query().order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        return [attempt_record(row) for row in tuple_rows(query)]

    @owned
    def attempt_revisions(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Every attempt's revision and earlier revisions (newest first), by UUID."""
        query = Attempt.select(Attempt.uuid, Attempt.revision, Attempt.earlier_revisions)
        return {uuid: (rev, split_revisions(earlier))
                for uuid, rev, earlier in tuple_rows(query)}

    @writes
    def save_attempt(self, record: AttemptRecord) -> AttemptRecord:
        """Insert or update ``record`` (by UUID) in one transaction; returns what was stored.

        When what the user wrote changes, the entry's previous version goes into its history
        (see :meth:`attempt_versions`), so an edit can always be taken back.
        """
        return self.save_attempt_from(record)[1]

    @writes
    def save_attempt_from(
        self, record: AttemptRecord,
    ) -> tuple[AttemptRecord | None, AttemptRecord]:
        """:meth:`save_attempt`, also returning what the entry was before (None: it is new),
        read in the same transaction: (before, stored)."""
        self._refuse_if_read_only()
        record = record.replace(updated_at=utcnow()).validated()
        statements = save_statements()
        with self._transaction():
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
                before = attempt_record(existing[3:])
                if values["revision"] != current:
                    self._keep_in_history(row_id, EARLIER, before)
                    earlier = join_revisions(after_edit(current, split_revisions(earlier)))
                database.execute_sql(statements.update,
                                     statements.update_values(values, earlier, row_id))
                # the stored entry keeps the time it was first made
                record = record.replace(created_at=before.created_at)
        # What was written reads back as the validated record it was made from (the row's
        # values convert back to the same ones), so it is not read again.
        return before, record

    def _keep_in_history(self, row_id: int, kind: str,
                         current: AttemptRecord | None = None) -> None:
        """Copy the attempt in row ``row_id``, as it is now (``current``, when the caller has
        just read it), into its history."""
        if current is None:
            row = first_tuple(attempt_query().where(Attempt.id == row_id))
            assert row is not None, row_id  # the caller has just read this row
            current = attempt_record(row)
        AttemptVersion.insert(attempt=row_id, revision=revision(current), kind=kind,
                              saved_at=utcnow(), record=record_to_json(current)).execute()
        prune_history([row_id])

    @writes
    def delete_attempt(self, uuid: str) -> bool:
        """Delete an entry (its history goes with it); False if there was none."""
        with self._transaction():
            deleted: int = Attempt.delete().where(Attempt.uuid == uuid).execute()
            return deleted > 0

    # -- history ---------------------------------------------------------------------------
    @owned
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

    @writes
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
