"""What an import changed, row by row, so that undoing it (and redoing it) is exact and atomic.

While :func:`~rejection_journal.storage.merge.apply_import` writes, a :class:`ChangeRecorder`
reads every row the file could touch (entries, challenges, ladders with their rungs, runs)
before and after, and notes the history versions the import stored or pruned.  The
:class:`ImportChanges` it leaves holds, for each record that changed, its row as it was and as
it is: undo writes the "before" rows back, redo the "after" rows, each in **one** SQLite
transaction (:func:`apply_changes`), so an app killed in the middle leaves the journal as it
was before or as it is after, never a mix.  Rows are kept exactly as SQLite stores them
(revisions included), so after an undo a second import of the same file does what the first
one did.

A record changed since the import by something that is not on the undo stack (a custom
challenge edited, a run ended) is left as it is now: its current row is not the one the step
expects, and it is counted instead of overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rejection_journal.storage.models import database

Progress = Callable[[int, int], None]
#: rows written between two progress reports
CHUNK = 200

#: the tables whose rows an import changes, parents first (redo order; undo goes backwards)
TABLES = ("challenge", "attempt", "ladder", "challenge_run", "self_check_result")
#: the history tables: versions an import adds (and, for entries, prunes)
ATTEMPT_VERSION = "attempt_version"
RECORD_VERSION = "record_version"
#: a ladder's rungs, kept in its row image under this key: (challenge_id, position) pairs
RUNGS = "__rungs__"

Row = dict[str, object]


@dataclass(frozen=True, slots=True)
class RowChange:
    uuid: str
    before: Row | None
    after: Row | None


@dataclass(slots=True)
class ImportChanges:
    """Everything one import changed (see the module's docstring)."""

    rows: dict[str, list[RowChange]] = field(default_factory=dict)
    #: history rows the import stored, by table (whole rows, ids included)
    versions_added: dict[str, list[Row]] = field(default_factory=dict)
    #: entry history rows the import pruned (the oldest beyond the number kept)
    versions_removed: list[Row] = field(default_factory=list)

    @property
    def size(self) -> int:
        """How many rows undoing this writes (what progress counts)."""
        return (sum(len(changes) for changes in self.rows.values())
                + sum(len(rows) for rows in self.versions_added.values())
                + len(self.versions_removed))

    @property
    def is_empty(self) -> bool:
        return self.size == 0

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))


def _select(table: str, column: str, keys: Sequence[object]) -> list[Row]:
    rows: list[Row] = []
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        cursor = database.execute_sql(
            f'SELECT * FROM "{table}" WHERE "{column}" IN ({marks})', chunk)
        names = [d[0] for d in cursor.description]
        rows.extend(dict(zip(names, values, strict=True)) for values in cursor.fetchall())
    return rows


def snapshot(table: str, uuids: Sequence[str]) -> dict[str, Row]:
    """The rows of ``table`` with these UUIDs, exactly as stored (a ladder with its rungs)."""
    rows = {str(row["uuid"]): row for row in _select(table, "uuid", uuids)}
    if table == "ladder" and rows:
        by_id = {row["id"]: row for row in rows.values()}
        for row in by_id.values():
            row[RUNGS] = []
        rungs = database.execute_sql(
            'SELECT "ladder_id", "challenge_id", "position" FROM "ladder_rung" WHERE '
            f'"ladder_id" IN ({", ".join("?" * len(by_id))}) ORDER BY "ladder_id", '
            '"position", "id"', list(by_id))
        for ladder_id, challenge_id, position in rungs:
            rungs_of = by_id[ladder_id][RUNGS]
            assert isinstance(rungs_of, list)
            rungs_of.append((challenge_id, position))
    return rows


def _max_id(table: str) -> int:
    row = database.execute_sql(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"').fetchone()
    return int(row[0])


class ChangeRecorder:
    """Reads what an import may touch before it writes (:meth:`__init__`) and after
    (:meth:`finish`); both inside the import's transaction."""

    def __init__(self, uuids: dict[str, Sequence[str]]) -> None:
        self._uuids = {table: list(dict.fromkeys(uuids.get(table, ()))) for table in TABLES}
        self._before = {table: snapshot(table, keys) for table, keys in self._uuids.items()}
        self._first_new = {table: _max_id(table) for table in (ATTEMPT_VERSION, RECORD_VERSION)}
        #: pruned history rows, filled by ``prune_history(removed=...)``
        self.removed: list[Row] = []

    def finish(self) -> ImportChanges:
        changes = ImportChanges()
        for table, keys in self._uuids.items():
            after = snapshot(table, keys)
            before = self._before[table]
            found = [RowChange(uuid, before.get(uuid), after.get(uuid)) for uuid in keys
                     if before.get(uuid) != after.get(uuid)]
            if found:
                changes.rows[table] = found
        for table, first in self._first_new.items():
            cursor = database.execute_sql(
                f'SELECT * FROM "{table}" WHERE "id" > ? ORDER BY "id"', (first,))
            names = [d[0] for d in cursor.description]
            added = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
            if added:
                changes.versions_added[table] = added
        changes.versions_removed = [row for row in self.removed
                                    if int(str(row["id"])) <= self._first_new[ATTEMPT_VERSION]]
        return changes


# -- writing one side back -------------------------------------------------------------------

def _insert(table: str, rows: Iterable[Row]) -> None:
    rows = [{k: v for k, v in row.items() if k != RUNGS} for row in rows]
    if not rows:
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    sql = f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(names))})'
    database.cursor().executemany(sql, [tuple(row[n] for n in names) for row in rows])


def _update(table: str, rows: Iterable[Row]) -> None:
    rows = list(rows)
    if not rows:
        return
    names = [name for name in rows[0] if name not in ("id", "uuid", RUNGS)]
    sets = ", ".join(f'"{name}" = ?' for name in names)
    database.cursor().executemany(
        f'UPDATE "{table}" SET {sets} WHERE "uuid" = ?',
        [(*(row[n] for n in names), row["uuid"]) for row in rows])


def _delete(table: str, column: str, keys: Sequence[object]) -> None:
    database.cursor().executemany(f'DELETE FROM "{table}" WHERE "{column}" = ?',
                                  [(key,) for key in keys])


def _write_rungs(rows: Iterable[Row]) -> None:
    for row in rows:
        ladder_id = row["id"]
        database.execute_sql('DELETE FROM "ladder_rung" WHERE "ladder_id" = ?', (ladder_id,))
        rungs = row.get(RUNGS) or []
        assert isinstance(rungs, list)
        database.cursor().executemany(
            'INSERT INTO "ladder_rung" ("ladder_id", "challenge_id", "position") '
            'VALUES (?, ?, ?)', [(ladder_id, challenge, position) for challenge, position in rungs])


def _restore_table(table: str, changes: Sequence[RowChange], undo: bool,
                   step: Callable[[int], None]) -> int:
    """Write one side of ``changes`` to ``table``; returns how many records were left alone
    because they have changed since."""
    kept = 0
    for start in range(0, len(changes), CHUNK):
        chunk = changes[start : start + CHUNK]
        current = snapshot(table, [change.uuid for change in chunk])
        inserts: list[Row] = []
        updates: list[Row] = []
        deletes: list[str] = []
        for change in chunk:
            expected, target = (change.after, change.before) if undo else \
                (change.before, change.after)
            if current.get(change.uuid) != expected:
                kept += 1
            elif target is None:
                deletes.append(change.uuid)
            elif expected is None:
                inserts.append(target)
            else:
                updates.append(target)
        if table == "challenge" and deletes:
            # a challenge something else now uses (an entry left as it is) stays
            used = _referenced([current[uuid]["id"] for uuid in deletes])
            kept += sum(1 for uuid in deletes if current[uuid]["id"] in used)
            deletes = [uuid for uuid in deletes if current[uuid]["id"] not in used]
        _delete(table, "uuid", deletes)
        _insert(table, inserts)
        _update(table, updates)
        if table == "ladder":
            _write_rungs([*inserts, *updates])
        step(len(chunk))
    return kept


def counting(progress: Progress | None, total: int) -> Callable[[int], None]:
    """A ``step(count)`` that adds up what is done and reports ``progress(done, total)``."""
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    return step


def apply_changes(changes: ImportChanges, *, undo: bool,
                  progress: Progress | None = None) -> int:
    """Write back what ``changes`` recorded: the rows as they were before the import
    (``undo``) or after it (redo).  The caller holds one transaction around it.  Returns how
    many records were left as they are because they changed since."""
    step = counting(progress, changes.size)
    step(0)
    kept = 0
    for table in (reversed(TABLES) if undo else TABLES):
        kept += _restore_table(table, changes.rows.get(table, []), undo, step)
    added = changes.versions_added
    if undo:
        for table, rows in added.items():
            _delete(table, "id", [row["id"] for row in rows])
            step(len(rows))
        _insert(ATTEMPT_VERSION, _with_parent(changes.versions_removed))
    else:
        for table, rows in added.items():
            _insert(table, _with_parent(rows) if table == ATTEMPT_VERSION else rows)
            step(len(rows))
        _delete(ATTEMPT_VERSION, "id", [row["id"] for row in changes.versions_removed])
    step(len(changes.versions_removed))
    return kept


def _referenced(challenge_ids: Sequence[object]) -> set[object]:
    used = {row["challenge_id"] for row in _select("attempt", "challenge_id", challenge_ids)}
    return used | {row["challenge_id"]
                   for row in _select("ladder_rung", "challenge_id", challenge_ids)}


def _with_parent(rows: Sequence[Row]) -> list[Row]:
    """The entry history rows whose entry is in the journal (one left as it is since may
    have been deleted) and that are not there already."""
    if not rows:
        return []
    parents = {row["id"] for row in _select("attempt", "id", list({r["attempt_id"] for r in rows}))}
    present = {row["id"] for row in _select(ATTEMPT_VERSION, "id", [r["id"] for r in rows])}
    return [row for row in rows if row["attempt_id"] in parents and row["id"] not in present]
