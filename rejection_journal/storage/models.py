"""peewee models, bound to one deferred database that is opened at startup."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)

#: The one database of the process, initialised by :func:`rejection_journal.storage.open_journal`.
database = SqliteDatabase(None)


class BaseModel(Model):
    class Meta:
        database = database


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
    reason = CharField(max_length=32, null=True)
    asked_why = BooleanField(default=False)
    reflection = TextField(default="")
    lesson = TextField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    # Schema 2: what the user wrote, hashed (see storage/revisions.py), and the revisions it
    # had before, newest first, space-separated.
    revision = CharField(max_length=32, default="")
    earlier_revisions = TextField(default="")

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


MODELS = (Challenge, Attempt, AttemptVersion)
