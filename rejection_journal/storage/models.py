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
    TextField,
)

from rejection_journal.storage.sqlite_files import TrackedSqliteDatabase

#: The one database of the process, initialised by :func:`rejection_journal.storage.open_journal`.
#: While it is connected its file is "live": no plain descriptor of it is opened (sqlite_files).
database = TrackedSqliteDatabase(None)


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

    class Meta:
        table_name = "attempt"


MODELS = (Challenge, Attempt)
