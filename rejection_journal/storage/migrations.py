"""Schema versions kept in ``PRAGMA user_version``; each step a small named function.

A step and its version bump run in one transaction, so a failed migration changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from peewee import SqliteDatabase

from rejection_journal.storage.errors import NewerJournalError

Migration = Callable[[SqliteDatabase], None]


def _v1_initial_schema(db: SqliteDatabase) -> None:
    from rejection_journal.storage.models import MODELS

    db.create_tables(MODELS, safe=False)


#: index i holds the step from version i to version i + 1
MIGRATIONS: tuple[Migration, ...] = (_v1_initial_schema,)
SCHEMA_VERSION = len(MIGRATIONS)

Schema = dict[str, frozenset[str]]

#: What a journal of each released schema version holds: its tables and their columns, written
#: out (never derived from the models, which follow the newest version).  Anything else is not
#: a Rejection Journal.  Adding a schema version adds one entry here.
KNOWN_SCHEMAS: dict[int, Schema] = {
    1: {
        "challenge": frozenset({
            "id", "uuid", "title", "category", "level", "how_to", "respect_note",
            "is_custom", "archived", "created_at", "updated_at",
        }),
        "attempt": frozenset({
            "id", "uuid", "challenge_id", "ask", "attempted_on", "anticipated_discomfort",
            "predicted_no_chance", "feelings_before", "worst_case", "outcome",
            "actual_discomfort", "feelings_after", "reason", "asked_why", "reflection",
            "lesson", "created_at", "updated_at",
        }),
    },
}


def read_schema(conn: sqlite3.Connection) -> Schema:
    """The tables of the database behind ``conn`` (SQLite's own ones left out), with columns."""
    names = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\'")]
    return {name: frozenset(row[1] for row in conn.execute(
        "SELECT * FROM pragma_table_info(?)", (name,))) for name in names}


def is_foreign(version: int, schema: Schema) -> bool:
    """True if a database at ``version`` holding ``schema`` cannot be a Rejection Journal.

    Version 0 is a journal not created yet: it holds no tables.  A version newer than this app
    is not judged here (:func:`refuse_newer` names it).
    """
    if version == 0:
        return bool(schema)
    if version < 0:
        return True
    known = KNOWN_SCHEMAS.get(version)
    return known is not None and schema != known


def current_version(db: SqliteDatabase) -> int:
    return int(db.pragma("user_version"))


def refuse_newer(db: SqliteDatabase) -> int:
    """Return the schema version, or raise :class:`NewerJournalError`; only reads, never writes."""
    version = current_version(db)
    if version > SCHEMA_VERSION:
        raise NewerJournalError(
            "This journal was written by a newer version of Rejection Journal "
            f"(schema {version}; this version understands up to {SCHEMA_VERSION}). "
            "It has been left untouched; please update the app."
        )
    return version


def pending(db: SqliteDatabase) -> list[int]:
    """The versions ``db`` still has to be migrated to, oldest first (empty when current).

    Refuses a journal from a newer version; only reads.
    """
    version = refuse_newer(db)
    return list(range(version + 1, SCHEMA_VERSION + 1))


def migrate(db: SqliteDatabase) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION`; refuse a journal from a newer version."""
    for target in pending(db):
        step = MIGRATIONS[target - 1]
        with db.atomic():
            step(db)
            db.pragma("user_version", target)
    return SCHEMA_VERSION
