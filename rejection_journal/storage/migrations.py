"""Schema versions kept in ``PRAGMA user_version``; each step a small named function.

A step and its version bump run in one transaction, so a failed migration changes nothing.

Versions are *major.minor* (qutebrowser's scheme).  A new **minor** only adds things an older
release can ignore (an index, an optional table such as full-text search): a release that
knows the major opens the journal.  A new **major** changes what is there: older releases
refuse it, untouched.  ``user_version`` holds a plain major when the minor is 0 (every journal
so far: 1, 2), else ``major << 16 | minor``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from peewee import SqliteDatabase

from rejection_journal.storage.errors import NewerJournalError

Migration = Callable[[SqliteDatabase], None]

_MINOR_BITS = 16


@dataclass(frozen=True, order=True, slots=True)
class SchemaVersion:
    major: int
    minor: int = 0

    @classmethod
    def from_user_version(cls, value: int) -> SchemaVersion:
        if value < 1 << _MINOR_BITS:
            return cls(value, 0)
        return cls(value >> _MINOR_BITS, value & ((1 << _MINOR_BITS) - 1))

    @property
    def user_version(self) -> int:
        return self.major if self.minor == 0 else self.major << _MINOR_BITS | self.minor

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


#: Schema 1 exactly as release 1 created it (from its models). Written out, so that a new
#: journal goes through every step like an old one, whatever the models say today.
_V1_SQL = (
    'CREATE TABLE "challenge" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, '
    '"title" VARCHAR(300) NOT NULL, "category" VARCHAR(32) NOT NULL, "level" INTEGER NOT NULL, '
    '"how_to" TEXT NOT NULL, "respect_note" TEXT NOT NULL, "is_custom" INTEGER NOT NULL, '
    '"archived" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, '
    '"updated_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX "challenge_uuid" ON "challenge" ("uuid")',
    'CREATE INDEX "challenge_category" ON "challenge" ("category")',
    'CREATE TABLE "attempt" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, '
    '"challenge_id" INTEGER, "ask" VARCHAR(300) NOT NULL, "attempted_on" DATE NOT NULL, '
    '"anticipated_discomfort" INTEGER, "predicted_no_chance" INTEGER, '
    '"feelings_before" TEXT NOT NULL, "worst_case" TEXT NOT NULL, "outcome" VARCHAR(16), '
    '"actual_discomfort" INTEGER, "feelings_after" TEXT NOT NULL, "reason" VARCHAR(32), '
    '"asked_why" INTEGER NOT NULL, "reflection" TEXT NOT NULL, "lesson" TEXT NOT NULL, '
    '"created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, '
    'FOREIGN KEY ("challenge_id") REFERENCES "challenge" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "attempt_uuid" ON "attempt" ("uuid")',
    'CREATE INDEX "attempt_challenge_id" ON "attempt" ("challenge_id")',
    'CREATE INDEX "attempt_attempted_on" ON "attempt" ("attempted_on")',
    'CREATE INDEX "attempt_outcome" ON "attempt" ("outcome")',
)


def _v1_initial_schema(db: SqliteDatabase) -> None:
    for statement in _V1_SQL:
        db.execute_sql(statement)


_V2_SQL = (
    """ALTER TABLE "attempt" ADD COLUMN "revision" VARCHAR(32) NOT NULL DEFAULT ''""",
    """ALTER TABLE "attempt" ADD COLUMN "earlier_revisions" TEXT NOT NULL DEFAULT ''""",
    'CREATE TABLE "attempt_version" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"attempt_id" INTEGER NOT NULL, "revision" VARCHAR(32) NOT NULL, '
    '"kind" VARCHAR(16) NOT NULL, "saved_at" DATETIME NOT NULL, "record" TEXT NOT NULL, '
    'FOREIGN KEY ("attempt_id") REFERENCES "attempt" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "attempt_version_attempt_id" ON "attempt_version" ("attempt_id")',
)


def _v2_revisions_and_history(db: SqliteDatabase) -> None:
    """Every attempt gets its revision (a hash of what the user wrote) and a history table:
    merges stop trusting clocks (storage/revisions.py)."""
    from rejection_journal.storage.revisions import revision_of_values

    for statement in _V2_SQL:
        db.execute_sql(statement)
    cursor = db.execute_sql(
        'SELECT a."id", c."uuid", a."ask", a."attempted_on", a."anticipated_discomfort", '
        'a."predicted_no_chance", a."feelings_before", a."worst_case", a."outcome", '
        'a."actual_discomfort", a."feelings_after", a."reason", a."asked_why", '
        'a."reflection", a."lesson" '
        'FROM "attempt" AS a LEFT OUTER JOIN "challenge" AS c ON c."id" = a."challenge_id"'
    )
    updates = []
    for row_id, challenge, ask, day, *rest in cursor.fetchall():
        (anticipated, chance, before, worst, outcome, actual, after, reason, asked_why,
         reflection, lesson) = rest
        values = (challenge, ask, str(day)[:10], anticipated, chance, before, worst,
                  outcome or None, actual, after, reason or None, bool(asked_why),
                  reflection, lesson)
        updates.append((revision_of_values(values), row_id))
    db.cursor().executemany('UPDATE "attempt" SET "revision" = ? WHERE "id" = ?', updates)


_V3_SQL = (
    """ALTER TABLE "attempt" ADD COLUMN "who_asked" TEXT NOT NULL DEFAULT ''""",
    """ALTER TABLE "attempt" ADD COLUMN "reasons" TEXT NOT NULL DEFAULT ''""",
    """ALTER TABLE "attempt" ADD COLUMN "other_reason" TEXT NOT NULL DEFAULT ''""",
    'ALTER TABLE "attempt" ADD COLUMN "hopefulness" INTEGER',
    'ALTER TABLE "attempt" ADD COLUMN "next_discomfort" INTEGER',
    'ALTER TABLE "attempt" ADD COLUMN "next_no_chance" INTEGER',
    # The one reason of schema 1 and 2 becomes the first (and only) of the entry's reasons.
    """UPDATE "attempt" SET "reasons" = COALESCE("reason", '')""",
    'ALTER TABLE "attempt" DROP COLUMN "reason"',
    'CREATE TABLE "draft" ("id" INTEGER NOT NULL PRIMARY KEY, "key" VARCHAR(32) NOT NULL, '
    '"entry_uuid" VARCHAR(36), "saved_at" DATETIME NOT NULL, "content" TEXT NOT NULL)',
    'CREATE UNIQUE INDEX "draft_key" ON "draft" ("key")',
)


def _v3_belief_update_reasons_drafts(db: SqliteDatabase) -> None:
    """Who was asked, several reasons plus one in the user's words (the single ``reason`` is
    moved into them), hopefulness, the belief update, and the editor's unsaved draft.

    Revisions stay as they were: an entry with one reason and none of the new fields hashes
    exactly as before (storage/revisions.py), and every migrated entry is such an entry.
    """
    for statement in _V3_SQL:
        db.execute_sql(statement)


#: the entry texts full-text search looks through, in the index's column order (schema 3.1's;
#: schema 3.4 adds the feared outcome at the end: :data:`SEARCHED_COLUMNS`)
SEARCHED_COLUMNS_3_1 = ("ask", "feelings_before", "worst_case", "feelings_after", "reflection",
                        "lesson")
SEARCHED_COLUMNS = (*SEARCHED_COLUMNS_3_1, "feared_outcome")


def _fts_sql(columns: tuple[str, ...]) -> tuple[str, ...]:
    """The full-text index over ``columns`` of the attempt table and the triggers that keep
    it in step, then filled from the table."""
    names = ", ".join(f'"{c}"' for c in columns)
    new = ", ".join(f'new."{c}"' for c in columns)
    old = ", ".join(f'old."{c}"' for c in columns)
    return (
        f'CREATE VIRTUAL TABLE "attempt_fts" USING fts5({names}, content="attempt", '
        "content_rowid=\"id\", tokenize='unicode61 remove_diacritics 2')",
        f'CREATE TRIGGER "attempt_fts_insert" AFTER INSERT ON "attempt" BEGIN '
        f'INSERT INTO "attempt_fts"(rowid, {names}) VALUES (new."id", {new}); END',
        f'CREATE TRIGGER "attempt_fts_delete" AFTER DELETE ON "attempt" BEGIN '
        f'INSERT INTO "attempt_fts"("attempt_fts", rowid, {names}) '
        f'VALUES (\'delete\', old."id", {old}); END',
        f'CREATE TRIGGER "attempt_fts_update" AFTER UPDATE OF {names} ON "attempt" BEGIN '
        f'INSERT INTO "attempt_fts"("attempt_fts", rowid, {names}) '
        f'VALUES (\'delete\', old."id", {old}); '
        f'INSERT INTO "attempt_fts"(rowid, {names}) VALUES (new."id", {new}); END',
        """INSERT INTO "attempt_fts"("attempt_fts") VALUES ('rebuild')""",
    )


_V3_1_SQL = (
    # A fear ladder: a goal and its rungs (challenges), easiest first.
    'CREATE TABLE "ladder" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(36) NOT NULL, '
    '"goal" VARCHAR(300) NOT NULL, "created_at" DATETIME NOT NULL, '
    '"updated_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX "ladder_uuid" ON "ladder" ("uuid")',
    'CREATE TABLE "ladder_rung" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"ladder_id" INTEGER NOT NULL, "challenge_id" INTEGER NOT NULL, '
    '"position" INTEGER NOT NULL, '
    'FOREIGN KEY ("ladder_id") REFERENCES "ladder" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("challenge_id") REFERENCES "challenge" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "ladder_rung_ladder_id" ON "ladder_rung" ("ladder_id")',
    'CREATE INDEX "ladder_rung_challenge_id" ON "ladder_rung" ("challenge_id")',
    # A challenge run (30 or 100 days), optionally on one ladder or some categories.
    'CREATE TABLE "challenge_run" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"uuid" VARCHAR(36) NOT NULL, "started_on" DATE NOT NULL, "length_days" INTEGER NOT NULL, '
    '"ladder_id" INTEGER, "categories" TEXT NOT NULL, "ended_on" DATE, '
    '"created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, '
    'FOREIGN KEY ("ladder_id") REFERENCES "ladder" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "challenge_run_uuid" ON "challenge_run" ("uuid")',
    # What the welcome's demo data added (entries, ladders, runs, by UUID): removable in one step.
    'CREATE TABLE "demo_item" ("uuid" VARCHAR(36) NOT NULL PRIMARY KEY)',
    # How often and when last each challenge was done (the picker's counts, a ladder's
    # attempts): read from this index alone.
    'CREATE INDEX "attempt_challenge_id_attempted_on" ON "attempt" ("challenge_id", '
    '"attempted_on")',
    # Full-text search over the entry's texts, an external-content FTS5 index that SQLite
    # itself keeps in step with the attempt table through triggers: every save, edit,
    # delete, undo and import goes through them, and a restored backup carries its index.
    *_fts_sql(SEARCHED_COLUMNS_3_1),
)


def _v3_1_ladders_runs_search(db: SqliteDatabase) -> None:
    """Fear ladders and challenge runs, the demo data's marks, and the full-text index.

    A minor version: it only adds tables (and triggers that keep the index in step), so the
    schema-3 release still opens such a journal and its saves still update the index.
    """
    for statement in _V3_1_SQL:
        db.execute_sql(statement)


_V3_2_DEMO_SQL = (
    'CREATE TABLE "demo_mark" ("kind" VARCHAR(8) NOT NULL, "uuid" VARCHAR(36) NOT NULL, '
    '"fingerprint" VARCHAR(64) NOT NULL, PRIMARY KEY ("kind", "uuid"))',
)


def _v3_2_demo_marks_per_kind(db: SqliteDatabase) -> None:
    """Demo marks per kind of thing, each with the fingerprint of what the demo gave the item
    (storage/demo.py): removing demo data keeps what the user changed, and an entry's mark
    never deletes a ladder of the same UUID.

    Schema 3.1's marks (``demo_item``: bare UUIDs) move here, and ``demo_item`` is left empty
    (the 3.1 release still opens the journal; it then sees no demo data and deletes nothing).
    What the demo gave is worked out as well as it can be: an entry's oldest known revision
    (demo entries were stored with no earlier ones); a ladder's or run's content if it was
    never changed (``updated_at`` still its ``created_at``), else nothing that could match,
    so it counts as the user's.  A UUID marked on two kinds of thing is the crafted case:
    neither is marked.  Always the safe way: in doubt, an item is kept.
    """
    from rejection_journal.storage.demo import UNKNOWN, ladder_fingerprint_of, run_fingerprint_of

    for statement in _V3_2_DEMO_SQL:
        db.execute_sql(statement)
    found: dict[str, list[tuple[str, str]]] = {}
    for uuid, current, earlier in db.execute_sql(
            'SELECT a."uuid", a."revision", a."earlier_revisions" FROM "attempt" AS a '
            'JOIN "demo_item" AS d ON d."uuid" = a."uuid"').fetchall():
        older = str(earlier or "").split()
        found.setdefault(uuid, []).append(("entry", older[-1] if older else current))
    for row_id, uuid, goal, created, updated in db.execute_sql(
            'SELECT l."id", l."uuid", l."goal", l."created_at", l."updated_at" FROM "ladder" '
            'AS l JOIN "demo_item" AS d ON d."uuid" = l."uuid"').fetchall():
        rungs = [c for (c,) in db.execute_sql(
            'SELECT c."uuid" FROM "ladder_rung" AS r JOIN "challenge" AS c ON c."id" = '
            'r."challenge_id" WHERE r."ladder_id" = ? ORDER BY r."position", r."id"',
            (row_id,)).fetchall()]
        found.setdefault(uuid, []).append(
            ("ladder", ladder_fingerprint_of(goal, rungs) if created == updated else UNKNOWN))
    for uuid, started, length, ladder, categories, ended, created, updated in db.execute_sql(
            'SELECT r."uuid", r."started_on", r."length_days", l."uuid", r."categories", '
            'r."ended_on", r."created_at", r."updated_at" FROM "challenge_run" AS r '
            'JOIN "demo_item" AS d ON d."uuid" = r."uuid" '
            'LEFT JOIN "ladder" AS l ON l."id" = r."ladder_id"').fetchall():
        fingerprint = run_fingerprint_of(
            str(started)[:10], int(length), ladder,
            [c for c in str(categories or "").split(",") if c],
            None if ended is None else str(ended)[:10])
        found.setdefault(uuid, []).append(("run", fingerprint if created == updated
                                           else UNKNOWN))
    db.cursor().executemany(
        'INSERT INTO "demo_mark" ("kind", "uuid", "fingerprint") VALUES (?, ?, ?)',
        [(kind, uuid, fingerprint) for uuid, marks in found.items() if len(marks) == 1
         for kind, fingerprint in marks])
    db.execute_sql('DELETE FROM "demo_item"')


_V3_2_REVISION_SQL = (
    *(f'ALTER TABLE "{table}" ADD COLUMN "revision" VARCHAR(32) NOT NULL DEFAULT \'\''
      for table in ("challenge", "ladder", "challenge_run")),
    *(f'ALTER TABLE "{table}" ADD COLUMN "earlier_revisions" TEXT NOT NULL DEFAULT \'\''
      for table in ("challenge", "ladder", "challenge_run")),
    'CREATE TABLE "record_version" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"record_kind" VARCHAR(16) NOT NULL, "uuid" VARCHAR(36) NOT NULL, '
    '"revision" VARCHAR(32) NOT NULL, "kind" VARCHAR(16) NOT NULL, '
    '"saved_at" DATETIME NOT NULL, "record" TEXT NOT NULL)',
    'CREATE INDEX "record_version_record_kind_uuid" ON "record_version" ("record_kind", "uuid")',
)


def _v3_2_ladder_run_challenge_revisions(db: SqliteDatabase) -> None:
    """Ladders, runs and challenges get a revision (a hash of what they are) and earlier
    revisions, and a history table for the copies an import replaced or could not take: they
    merge like entries, no clock decides (storage/revisions.py).  A minor version: it only
    adds columns with defaults and a table."""
    from datetime import date

    from rejection_journal.domain.enums import Category
    from rejection_journal.domain.records import ChallengeRecord
    from rejection_journal.domain.runs import RunRecord
    from rejection_journal.storage.revisions import (
        challenge_revision,
        ladder_revision_of,
        run_revision,
    )

    for statement in _V3_2_REVISION_SQL:
        db.execute_sql(statement)
    rungs: dict[int, list[str]] = {}
    for ladder_id, uuid in db.execute_sql(
            'SELECT r."ladder_id", c."uuid" FROM "ladder_rung" AS r JOIN "challenge" AS c '
            'ON c."id" = r."challenge_id" ORDER BY r."ladder_id", r."position", r."id"'):
        rungs.setdefault(ladder_id, []).append(uuid)
    updates = [(ladder_revision_of(goal, rungs.get(row_id, [])), row_id)
               for row_id, goal in db.execute_sql('SELECT "id", "goal" FROM "ladder"')]
    db.cursor().executemany('UPDATE "ladder" SET "revision" = ? WHERE "id" = ?', updates)

    def day(value: object) -> date:
        return date.fromisoformat(str(value)[:10])

    updates = []
    for row_id, started, length, ladder, categories, ended in db.execute_sql(
            'SELECT r."id", r."started_on", r."length_days", l."uuid", r."categories", '
            'r."ended_on" FROM "challenge_run" AS r '
            'LEFT OUTER JOIN "ladder" AS l ON l."id" = r."ladder_id"'):
        run = RunRecord(day(started), length, ladder_uuid=ladder,
                        categories=tuple(Category(c) for c in categories.split(",") if c),
                        ended_on=None if ended is None else day(ended))
        updates.append((run_revision(run), row_id))
    db.cursor().executemany('UPDATE "challenge_run" SET "revision" = ? WHERE "id" = ?',
                            updates)
    updates = []
    for row_id, uuid, title, category, level, how_to, note, archived in db.execute_sql(
            'SELECT "id", "uuid", "title", "category", "level", "how_to", "respect_note", '
            '"archived" FROM "challenge"'):
        record = ChallengeRecord(uuid, title, Category(category), level, how_to, note,
                                 archived=bool(archived))
        updates.append((challenge_revision(record), row_id))
    db.cursor().executemany('UPDATE "challenge" SET "revision" = ? WHERE "id" = ?', updates)


#: the tables whose every change counts as a change of the journal (what a backup holds is
#: judged by the count, never by the clock: see storage/backup.py)
COUNTED_TABLES = ("attempt", "challenge", "ladder", "ladder_rung", "challenge_run")


def _v3_2_sql(journal_id: str) -> tuple[str, ...]:
    triggers = tuple(
        f'CREATE TRIGGER "journal_meta_count_{table}_{event.lower()}" AFTER {event} ON '
        f'"{table}" BEGIN UPDATE "journal_meta" SET "changes" = "changes" + 1; END'
        for table in COUNTED_TABLES for event in ("INSERT", "UPDATE", "DELETE"))
    return (
        # One row: which journal this is (its backups carry it), and how many changes it has
        # had (a backup's "latest change", whatever the clock said).
        'CREATE TABLE "journal_meta" ("id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1), '
        '"journal_id" VARCHAR(32) NOT NULL, "changes" INTEGER NOT NULL)',
        'INSERT INTO "journal_meta" ("id", "journal_id", "changes") '
        f"VALUES (1, '{journal_id}', 0)",
        *triggers,
    )


def _v3_2_journal_identity_and_change_count(db: SqliteDatabase) -> None:
    """Give the journal a stable, random id and a count of its changes, kept by SQLite itself.

    Every backup is a copy of the journal, so it carries both: backups of two journals sharing
    one folder are told apart by the id, and which backup holds the newest data by the count.
    A minor version: an older release ignores the table, and its saves still count.
    """
    import uuid

    for statement in _v3_2_sql(uuid.uuid4().hex):
        db.execute_sql(statement)


def _v3_2_demo_revisions_identity(db: SqliteDatabase) -> None:
    """Schema 3.2, one minor version (it only adds): demo marks per kind with what the demo
    gave each item; revisions with a history for ladders, runs and challenges; the journal's
    id and its count of changes (last, so the count starts after the upgrade's own writes)."""
    _v3_2_demo_marks_per_kind(db)
    _v3_2_ladder_run_challenge_revisions(db)
    _v3_2_journal_identity_and_change_count(db)


def _counting_triggers(table: str) -> tuple[str, ...]:
    return tuple(
        f'CREATE TRIGGER "journal_meta_count_{table}_{event.lower()}" AFTER {event} ON '
        f'"{table}" BEGIN UPDATE "journal_meta" SET "changes" = "changes" + 1; END'
        for event in ("INSERT", "UPDATE", "DELETE"))


_V3_3_SQL = (
    # Each self-check taken (Build my plan), kept with its date: the overall score, the score
    # per category ({"work": 12.5, ...}) and the answers ({"item-id": [anxiety, acceptance]}),
    # both as JSON.
    'CREATE TABLE "self_check_result" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"uuid" VARCHAR(36) NOT NULL, "taken_on" DATE NOT NULL, "overall" REAL NOT NULL, '
    '"categories" TEXT NOT NULL, "answers" TEXT NOT NULL, "created_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX "self_check_result_uuid" ON "self_check_result" ("uuid")',
    'CREATE INDEX "self_check_result_taken_on" ON "self_check_result" ("taken_on")',
    *_counting_triggers("self_check_result"),
)


def _v3_3_self_check_results(db: SqliteDatabase) -> None:
    """Schema 3.3, a minor version (it only adds): the self-check's results, with their date.

    The schema-3.2 release opens such a journal and ignores the table; its triggers keep
    counting changes to it either way.
    """
    for statement in _V3_3_SQL:
        db.execute_sql(statement)


_V3_4_SQL = (
    """ALTER TABLE "attempt" ADD COLUMN "kind" VARCHAR(16) NOT NULL DEFAULT 'ask'""",
    'ALTER TABLE "attempt" ADD COLUMN "ask_mode" VARCHAR(16)',
    """ALTER TABLE "attempt" ADD COLUMN "feared_outcome" TEXT NOT NULL DEFAULT ''""",
    'ALTER TABLE "attempt" ADD COLUMN "fear_likelihood" INTEGER',
    """ALTER TABLE "attempt" ADD COLUMN "safety_behaviours" TEXT NOT NULL DEFAULT ''""",
    'ALTER TABLE "attempt" ADD COLUMN "awaiting_answer" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "attempt" ADD COLUMN "follow_up_on" DATE',
    'ALTER TABLE "attempt" ADD COLUMN "fear_happened" VARCHAR(8)',
    'ALTER TABLE "attempt" ADD COLUMN "fear_likelihood_after" INTEGER',
    'ALTER TABLE "attempt" ADD COLUMN "surprise" INTEGER',
    """ALTER TABLE "attempt" ADD COLUMN "safety_dropped" TEXT NOT NULL DEFAULT ''""",
    # the full-text index covers the feared outcome too: built again with it as the last
    # column (earlier columns keep their places)
    'DROP TRIGGER "attempt_fts_insert"',
    'DROP TRIGGER "attempt_fts_delete"',
    'DROP TRIGGER "attempt_fts_update"',
    'DROP TABLE "attempt_fts"',
    *_fts_sql(SEARCHED_COLUMNS),
)


def _v3_4_experiments_waiting_kinds(db: SqliteDatabase) -> None:
    """Schema 3.4, a minor version (it only adds columns, with defaults, and a column of the
    full-text index): the ask as a small experiment (the feared outcome, its likelihood
    before and after, whether it happened, surprise, safety behaviours), waiting for an
    answer with a date to follow up, a rejection that happened to me, and how the ask was
    made.

    The schema-3.3 release opens such a journal: every column it knows is there, it ignores
    the new ones, and a row it writes gets their defaults (an ask, no experiment, not
    waiting); the index's triggers keep the index in step either way.
    """
    for statement in _V3_4_SQL:
        db.execute_sql(statement)


#: Schema 3.5's indexes: the entries list's orders (``storage/entry_list.py``), each ending in
#: the ties (date, time made, UUID) so a page at any offset, a sort click and "where does this
#: entry stand now" are answered from the index instead of sorting every entry.  The date one
#: also gives the charts their entries in date order.
_V3_5_SQL = (
    'CREATE INDEX IF NOT EXISTS "attempt_list_date" ON "attempt" '
    '("attempted_on", "created_at", "uuid")',
    'CREATE INDEX IF NOT EXISTS "attempt_list_gap" ON "attempt" '
    '(("anticipated_discomfort" - "actual_discomfort"), "attempted_on", "created_at", "uuid")',
    'CREATE INDEX IF NOT EXISTS "attempt_list_expected" ON "attempt" '
    '("anticipated_discomfort", "attempted_on", "created_at", "uuid")',
    'CREATE INDEX IF NOT EXISTS "attempt_list_felt" ON "attempt" '
    '("actual_discomfort", "attempted_on", "created_at", "uuid")',
)


def _v3_5_list_indexes(db: SqliteDatabase) -> None:
    """Schema 3.5, a minor version (it only adds indexes): the entries list's orders.

    An older release of schema 3 opens such a journal as it is (indexes are not part of what
    it checks) and SQLite keeps the indexes up to date on its writes too.
    """
    for statement in _V3_5_SQL:
        db.execute_sql(statement)


#: each step and the version it brings a journal to, oldest first
MIGRATIONS: tuple[tuple[SchemaVersion, Migration], ...] = (
    (SchemaVersion(1), _v1_initial_schema),
    (SchemaVersion(2), _v2_revisions_and_history),
    (SchemaVersion(3), _v3_belief_update_reasons_drafts),
    (SchemaVersion(3, 1), _v3_1_ladders_runs_search),
    (SchemaVersion(3, 2), _v3_2_demo_revisions_identity),
    (SchemaVersion(3, 3), _v3_3_self_check_results),
    (SchemaVersion(3, 4), _v3_4_experiments_waiting_kinds),
    (SchemaVersion(3, 5), _v3_5_list_indexes),
)
#: the schema this release writes
SCHEMA = MIGRATIONS[-1][0]
#: its major version: what exports and messages name
SCHEMA_VERSION = SCHEMA.major

Schema = dict[str, frozenset[str]]

#: What a journal of each released schema version holds: its tables and their columns, written
#: out (never derived from the models, which follow the newest version).  Anything else is not
#: a Rejection Journal.  Adding a schema version adds one entry here.
KNOWN_SCHEMAS: dict[SchemaVersion, Schema] = {
    SchemaVersion(1): {
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
# Schema 2 (each entry's revision and its history) adds to schema 1.
KNOWN_SCHEMAS[SchemaVersion(2)] = {
    "challenge": KNOWN_SCHEMAS[SchemaVersion(1)]["challenge"],
    "attempt": KNOWN_SCHEMAS[SchemaVersion(1)]["attempt"] | {"revision", "earlier_revisions"},
    "attempt_version": frozenset({"id", "attempt_id", "revision", "kind", "saved_at", "record"}),
}
# Schema 3 (several reasons instead of one, who was asked, hopefulness, the belief update, the
# editor's draft) changes schema 2's attempt table: a major version.
KNOWN_SCHEMAS[SchemaVersion(3)] = {
    "challenge": KNOWN_SCHEMAS[SchemaVersion(2)]["challenge"],
    "attempt": (KNOWN_SCHEMAS[SchemaVersion(2)]["attempt"] - {"reason"})
    | {"who_asked", "reasons", "other_reason", "hopefulness", "next_discomfort",
       "next_no_chance"},
    "attempt_version": KNOWN_SCHEMAS[SchemaVersion(2)]["attempt_version"],
    "draft": frozenset({"id", "key", "entry_uuid", "saved_at", "content"}),
}
# Schema 3.1 (ladders, runs, demo marks, the full-text index and its shadow tables) only adds.
KNOWN_SCHEMAS[SchemaVersion(3, 1)] = KNOWN_SCHEMAS[SchemaVersion(3)] | {
    "ladder": frozenset({"id", "uuid", "goal", "created_at", "updated_at"}),
    "ladder_rung": frozenset({"id", "ladder_id", "challenge_id", "position"}),
    "challenge_run": frozenset({"id", "uuid", "started_on", "length_days", "ladder_id",
                                "categories", "ended_on", "created_at", "updated_at"}),
    "demo_item": frozenset({"uuid"}),
    "attempt_fts": frozenset(SEARCHED_COLUMNS_3_1),
    "attempt_fts_data": frozenset({"id", "block"}),
    "attempt_fts_idx": frozenset({"segid", "term", "pgno"}),
    "attempt_fts_docsize": frozenset({"id", "sz"}),
    "attempt_fts_config": frozenset({"k", "v"}),
}
# Schema 3.2 (demo marks per kind; revisions of ladders, runs and challenges and their
# history; the journal's id and change count) only adds.
_REVISION_COLUMNS = frozenset({"revision", "earlier_revisions"})
KNOWN_SCHEMAS[SchemaVersion(3, 2)] = KNOWN_SCHEMAS[SchemaVersion(3, 1)] | {
    table: KNOWN_SCHEMAS[SchemaVersion(3, 1)][table] | _REVISION_COLUMNS
    for table in ("challenge", "ladder", "challenge_run")
} | {
    "demo_mark": frozenset({"kind", "uuid", "fingerprint"}),
    "record_version": frozenset({"id", "record_kind", "uuid", "revision", "kind", "saved_at",
                                 "record"}),
    # the journal's id and change count
    "journal_meta": frozenset({"id", "journal_id", "changes"}),
}

# Schema 3.3 (the self-check's results) only adds.
KNOWN_SCHEMAS[SchemaVersion(3, 3)] = KNOWN_SCHEMAS[SchemaVersion(3, 2)] | {
    "self_check_result": frozenset({"id", "uuid", "taken_on", "overall", "categories",
                                    "answers", "created_at"}),
}


# Schema 3.4 (the experiment, waiting, the kind of entry, the way of asking; the feared
# outcome in the full-text index) only adds columns.
KNOWN_SCHEMAS[SchemaVersion(3, 4)] = KNOWN_SCHEMAS[SchemaVersion(3, 3)] | {
    "attempt": KNOWN_SCHEMAS[SchemaVersion(3, 3)]["attempt"] | {
        "kind", "ask_mode", "feared_outcome", "fear_likelihood", "safety_behaviours",
        "awaiting_answer", "follow_up_on", "fear_happened", "fear_likelihood_after",
        "surprise", "safety_dropped"},
    "attempt_fts": frozenset(SEARCHED_COLUMNS),
}

# Schema 3.5 (the entries list's indexes) adds no table or column.
KNOWN_SCHEMAS[SchemaVersion(3, 5)] = dict(KNOWN_SCHEMAS[SchemaVersion(3, 4)])


def read_schema(conn: sqlite3.Connection) -> Schema:
    """The tables of the database behind ``conn`` (SQLite's own ones left out), with columns."""
    names = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\'")]
    return {name: frozenset(row[1] for row in conn.execute(
        "SELECT * FROM pragma_table_info(?)", (name,))) for name in names}


def is_foreign(version: int, schema: Schema) -> bool:
    """True if a database whose ``user_version`` is ``version`` and which holds ``schema``
    cannot be a Rejection Journal.

    0 is a journal not created yet: it holds no tables.  A newer *minor* of a known major may
    add tables and columns, so it must hold at least that major's; a newer *major* is not
    judged here (:func:`refuse_newer` names it).
    """
    if version == 0:
        return bool(schema)
    if version < 0:
        return True
    found = SchemaVersion.from_user_version(version)
    known = KNOWN_SCHEMAS.get(found)
    if known is not None:
        return schema != known
    if found.major > SCHEMA.major:
        return False
    if found.major == SCHEMA.major and found.minor > SCHEMA.minor:
        # a newer minor only adds: everything this release knows must still be there
        return any(not columns <= schema.get(table, frozenset())
                   for table, columns in KNOWN_SCHEMAS[SCHEMA].items())
    return True  # a version no release of ours ever wrote


def is_newer(version: int) -> bool:
    """Written by a release with a newer *major* schema: this one must not touch it."""
    return SchemaVersion.from_user_version(version).major > SCHEMA.major


def current_version(db: SqliteDatabase) -> SchemaVersion:
    return SchemaVersion.from_user_version(int(db.pragma("user_version")))


def refuse_newer(db: SqliteDatabase) -> SchemaVersion:
    """Return the schema version, or raise :class:`NewerJournalError` for a newer *major*
    (a newer minor of ours is fine); only reads, never writes."""
    version = current_version(db)
    if version.major > SCHEMA.major:
        raise NewerJournalError(
            "This journal was written by a newer version of Rejection Journal "
            f"(schema {version}; this version understands up to {SCHEMA}). "
            "It has been left untouched; please update the app."
        )
    return version


def pending(db: SqliteDatabase) -> list[SchemaVersion]:
    """The versions ``db`` still has to be migrated to, oldest first (empty when current).

    Refuses a journal from a newer major version; only reads.
    """
    version = refuse_newer(db)
    return [target for target, _step in MIGRATIONS if target > version]


def migrate(db: SqliteDatabase) -> SchemaVersion:
    """Bring the schema up to :data:`SCHEMA`; refuse a journal from a newer major version."""
    steps = dict(MIGRATIONS)
    for target in pending(db):
        with db.atomic():
            steps[target](db)
            db.pragma("user_version", target.user_version)
    return max(SCHEMA, current_version(db))
