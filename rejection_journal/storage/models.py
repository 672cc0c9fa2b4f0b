"""peewee models, bound to one deferred database that is opened at startup."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

import peewee
from peewee import (
    AutoField,
    BooleanField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from rejection_journal.storage.sqlite_files import TrackedSqliteDatabase


class _Savepoint(peewee._savepoint):
    """A nested ``atomic()`` block that, like :class:`JournalDatabase`, does not try to roll
    back what SQLite has already rolled back."""

    def rollback(self, begin: bool = True) -> None:
        if self.db.sqlite_rolled_back():
            return
        super().rollback(begin)


class JournalDatabase(TrackedSqliteDatabase):
    """SQLite as peewee drives it, except for one thing: after some errors (SQLITE_FULL,
    SQLITE_IOERR, SQLITE_NOMEM, ...) SQLite rolls the transaction back by itself.  peewee's
    ROLLBACK then fails with "cannot rollback - no transaction is active", and that error
    replaces the real one ("database or disk is full").  Here a rollback with no transaction
    left to roll back does nothing, so the real error reaches the caller."""

    def sqlite_rolled_back(self) -> bool:
        """True if the connection is open but SQLite holds no transaction any more."""
        return not self.is_closed() and not self.connection().in_transaction

    def rollback(self) -> None:
        if self.sqlite_rolled_back():
            return
        super().rollback()

    def savepoint(self) -> _Savepoint:
        return _Savepoint(self)


#: What the models query: a stand-in for the open journal's own database object, which
#: :func:`rejection_journal.storage.open_journal` creates (of any ``SqliteDatabase`` class:
#: SQLCipher later) and the journal owns.  Swapping the class touches no query.  While it is
#: connected its file is "live": no plain descriptor of it is opened (sqlite_files).
database = peewee.DatabaseProxy()


def current_database() -> peewee.SqliteDatabase | None:
    """The open journal's database object, or None when no journal is open."""
    return cast("peewee.SqliteDatabase | None", database.obj)


class BaseModel(Model):
    # peewee adds this primary key itself; the annotation (no value: nothing changes at run
    # time) only tells the type checker it is there.
    id: AutoField[int]

    class Meta:
        database = database


#: A row of a ``.tuples()`` query: its values as the selected fields give them.
Row = tuple[Any, ...]


def tuple_rows(query: peewee.BaseQuery) -> Iterable[Row]:
    """The rows of ``query`` as plain tuples (~3x cheaper than model instances).

    peewee's stubs type a query's rows as model instances whatever ``.tuples()`` asked for;
    this says what they are, once, instead of a cast at every call site.
    """
    return cast("Iterable[Row]", query.tuples())


def raw_rows(query: peewee.BaseQuery) -> Iterable[Row]:
    """The rows of ``query`` exactly as SQLite returns them: no peewee conversion per value
    (about 40 % cheaper than :func:`tuple_rows` for 100,000 rows).  Only for columns whose
    stored value is already what the caller wants (text, integers), never dates or booleans.
    """
    return cast("Iterable[Row]", database.execute(query))


def first_tuple(query: peewee.SelectBase) -> Row | None:
    """The first row of ``query`` as a plain tuple, or ``None`` when it has none."""
    return cast("Row | None", query.tuples().first())


class Challenge(BaseModel):
    uuid = CharField(max_length=36, unique=True)
    title = CharField(max_length=300)
    category = CharField(max_length=32, index=True)
    level = IntegerField()
    how_to = TextField(default="")
    respect_note = TextField(default="")
    is_custom = BooleanField(default=False)
    archived = BooleanField(default=False)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    # Schema 3.2: what it is, hashed (storage/revisions.py), and its earlier revisions,
    # newest first, space-separated: ladders, runs and challenges merge like entries.
    revision = CharField(max_length=32, default="")
    earlier_revisions = TextField(default="")

    class Meta:
        table_name = "challenge"


class Attempt(BaseModel):
    uuid = CharField(max_length=36, unique=True)
    challenge = ForeignKeyField(Challenge, null=True, on_delete="SET NULL", backref="attempts")
    ask = CharField(max_length=300)
    attempted_on = DateField(index=True)
    # Before
    anticipated_discomfort = IntegerField(null=True)
    predicted_no_chance = IntegerField(null=True)
    feelings_before = TextField(default="")
    worst_case = TextField(default="")
    # After
    outcome = CharField(max_length=16, null=True, index=True)
    actual_discomfort = IntegerField(null=True)
    feelings_after = TextField(default="")
    asked_why = BooleanField(default=False)
    reflection = TextField(default="")
    lesson = TextField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    # Schema 2: what the user wrote, hashed (see storage/revisions.py), and the revisions it
    # had before, newest first, space-separated.
    revision = CharField(max_length=32, default="")
    earlier_revisions = TextField(default="")
    # Schema 3: who was asked, any number of reasons (enum values, space-separated; schema 2's
    # single ``reason`` column was moved in here), a reason in the user's words, hopefulness
    # and the belief update.
    who_asked = TextField(default="")
    reasons = TextField(default="")
    other_reason = TextField(default="")
    hopefulness = IntegerField(null=True)
    next_discomfort = IntegerField(null=True)
    next_no_chance = IntegerField(null=True)
    # Schema 3.4: the ask as a small experiment, the kind of entry, how the ask was made and
    # waiting for an answer (domain/experiment.py).  The two lists of safety behaviours are
    # JSON lists of text ("" for none).
    kind = CharField(max_length=16, default="ask")
    ask_mode = CharField(max_length=16, null=True)
    feared_outcome = TextField(default="")
    fear_likelihood = IntegerField(null=True)
    safety_behaviours = TextField(default="")
    awaiting_answer = BooleanField(default=False)
    follow_up_on = DateField(null=True)
    fear_happened = CharField(max_length=8, null=True)
    fear_likelihood_after = IntegerField(null=True)
    surprise = IntegerField(null=True)
    safety_dropped = TextField(default="")

    class Meta:
        table_name = "attempt"


class AttemptVersion(BaseModel):
    """Schema 2: an entry's history. An earlier version (kept when it was edited or replaced
    by an import) or an imported copy not taken because both sides had changed."""

    attempt = ForeignKeyField(Attempt, on_delete="CASCADE", backref="versions")
    revision = CharField(max_length=32)
    kind = CharField(max_length=16)  # "earlier" | "conflict"
    saved_at = DateTimeField()
    record = TextField()  # the whole entry as JSON, timestamps included

    class Meta:
        table_name = "attempt_version"


class Draft(BaseModel):
    """Schema 3: what the editor held but had not saved (one row per editor, by ``key``).

    ``content`` is the form as typed (JSON of its texts), not a record: a draft may hold a
    value the record would refuse ("15" in a 0-10 rating), and it must come back as typed.
    """

    key = CharField(max_length=32, unique=True)
    entry_uuid = CharField(max_length=36, null=True)
    saved_at = DateTimeField()
    content = TextField()

    class Meta:
        table_name = "draft"


class Ladder(BaseModel):
    """Schema 3.1: a personal fear ladder, a goal and its rungs (:class:`LadderRung`)."""

    uuid = CharField(max_length=36, unique=True)
    goal = CharField(max_length=300)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    # Schema 3.2: what it is, hashed (storage/revisions.py), and its earlier revisions,
    # newest first, space-separated: ladders, runs and challenges merge like entries.
    revision = CharField(max_length=32, default="")
    earlier_revisions = TextField(default="")

    class Meta:
        table_name = "ladder"


class LadderRung(BaseModel):
    """One step of a ladder; ``position`` orders the rungs, easiest (0) first."""

    ladder = ForeignKeyField(Ladder, on_delete="CASCADE", backref="rungs")
    challenge = ForeignKeyField(Challenge, on_delete="CASCADE", backref="rungs")
    position = IntegerField()

    class Meta:
        table_name = "ladder_rung"


class ChallengeRun(BaseModel):
    """Schema 3.1: a 30- or 100-day run, optionally on one ladder or some categories
    (``categories``: category values separated by commas, empty for all)."""

    uuid = CharField(max_length=36, unique=True)
    started_on = DateField()
    length_days = IntegerField()
    ladder = ForeignKeyField(Ladder, null=True, on_delete="SET NULL", backref="runs")
    categories = TextField(default="")
    ended_on = DateField(null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    # Schema 3.2: what it is, hashed (storage/revisions.py), and its earlier revisions,
    # newest first, space-separated: ladders, runs and challenges merge like entries.
    revision = CharField(max_length=32, default="")
    earlier_revisions = TextField(default="")

    class Meta:
        table_name = "challenge_run"


class DemoItem(BaseModel):
    """Schema 3.1: the UUIDs of what demo data added, of any kind.  Emptied by schema 3.2
    (its marks moved to :class:`DemoMark`) and kept only so that the schema-3.1 release still
    opens the journal; this release never writes it."""

    uuid = CharField(max_length=36, primary_key=True)

    class Meta:
        table_name = "demo_item"


class DemoMark(BaseModel):
    """Schema 3.2: what the demo made, per kind (``entry``, ``ladder``, ``run``: an entry's
    mark never touches a ladder of the same UUID), with the fingerprint of what the demo gave
    it, so an item the user has changed since is told apart (storage/demo.py)."""

    kind = CharField(max_length=8)
    uuid = CharField(max_length=36)
    fingerprint = CharField(max_length=64)

    class Meta:
        table_name = "demo_mark"
        primary_key = CompositeKey("kind", "uuid")


class RecordVersion(BaseModel):
    """Schema 3.2: the history of a ladder, a run or a challenge (``record_kind``), by UUID:
    its copy an import replaced (``"earlier"``), or an imported copy not taken because both
    sides had changed (``"conflict"``), as the export's JSON of it."""

    record_kind = CharField(max_length=16)  # "ladder" | "run" | "challenge"
    uuid = CharField(max_length=36)
    revision = CharField(max_length=32)
    kind = CharField(max_length=16)  # "earlier" | "conflict"
    saved_at = DateTimeField()
    record = TextField()

    class Meta:
        table_name = "record_version"
        indexes = ((("record_kind", "uuid"), False),)


class JournalMeta(BaseModel):
    """Schema 3.2: one row, the journal's stable id and how many changes it has had (kept by
    triggers); every backup carries both (storage/backup.py)."""

    journal_id = CharField(max_length=32)
    changes = IntegerField()

    class Meta:
        table_name = "journal_meta"


class SelfCheckResult(BaseModel):
    """Schema 3.3: a self-check taken (Build my plan), with its date. ``categories`` is JSON
    of the score per category value, ``answers`` JSON of ``{"item-id": [anxiety, acceptance]}``.
    """

    uuid = CharField(max_length=36, unique=True)
    taken_on = DateField(index=True)
    overall = FloatField()
    categories = TextField()
    answers = TextField()
    created_at = DateTimeField()

    class Meta:
        table_name = "self_check_result"


MODELS = (Challenge, Attempt, AttemptVersion, Draft, Ladder, LadderRung, ChallengeRun,
          DemoItem, DemoMark, RecordVersion, JournalMeta, SelfCheckResult)


def chart_filtered(query: peewee.ModelSelect[Attempt], since: date | None, until: date | None,
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
