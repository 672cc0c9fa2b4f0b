"""Schema versions kept in ``PRAGMA user_version``; each step a small named function.

A step and its version bump run in one transaction, so a failed migration changes nothing.
"""

from __future__ import annotations

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
