"""Every released schema's journal upgrades to the current one; a failed step changes nothing."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.paths import database_path
from rejection_journal.storage import NewerJournalError, migrations, open_journal
from rejection_journal.storage.export import attempt_to_dict, export_document
from rejection_journal.storage.revisions import revision

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _fixtures() -> dict[migrations.SchemaVersion, Path]:
    """The fixture journal of each released schema: ``schema-v3.sqlite3``, ``schema-v3.1...``"""
    found = {}
    for path in FIXTURES.glob("schema-v*.sqlite3"):
        match = re.fullmatch(r"schema-v(\d+)(?:\.(\d+))?\.sqlite3", path.name)
        assert match, path
        found[migrations.SchemaVersion(int(match[1]), int(match[2] or 0))] = path
    return found


#: the fields schema 3.4 added, as an entry from before it reads: an ask, no experiment
_ADDED_IN_3_4: dict[str, object] = {
    "kind": "ask", "ask_mode": None, "feared_outcome": "", "fear_likelihood": None,
                 "safety_behaviours": [], "awaiting_answer": False, "follow_up_on": None,
                 "fear_happened": None, "fear_likelihood_after": None, "surprise": None,
                 "safety_dropped": []}


def _as_schema_3(item: dict[str, object]) -> dict[str, object]:
    """An attempt as exported before schema 3, as it reads after upgrading: its one ``reason``
    is the one item of ``reasons``; the fields schema 3 added are empty, and those schema 3.4
    added hold their defaults."""
    item = {**_ADDED_IN_3_4, **item}
    if "reason" not in item:
        return item
    converted = {key: value for key, value in item.items() if key != "reason"}
    converted.update(reasons=[item["reason"]] if item["reason"] else [], who_asked="",
                     other_reason="", hopefulness=None, next_discomfort=None,
                     next_no_chance=None)
    return converted


def _install(fixture: Path, tmp_path: Path) -> Path:
    data = tmp_path / "journal"
    data.mkdir(mode=0o700)
    shutil.copyfile(fixture, database_path(data))
    return data


def test_there_is_a_fixture_for_every_released_schema() -> None:
    assert sorted(_fixtures()) == [version for version, _step in migrations.MIGRATIONS], (
        "add one with tests/fixtures/make_schema_fixture.py when a schema is released"
    )


@pytest.mark.parametrize("version", sorted(_fixtures()), ids=str)
def test_released_journal_upgrades_and_keeps_everything(
    version: migrations.SchemaVersion, tmp_path: Path
) -> None:
    fixture = _fixtures()[version]
    expected = json.loads(fixture.with_suffix(".expected.json").read_text("utf-8"))
    data = _install(fixture, tmp_path)
    with open_journal(data) as journal:
        assert int(journal_pragma("user_version")) == migrations.SCHEMA.user_version
        assert journal_pragma("integrity_check") == "ok"
        document = export_document(journal)
        history = {uuid: [{"kind": v.kind, "revision": v.revision,
                           "record": attempt_to_dict(v.record)}
                          for v in journal.attempt_versions(uuid)]
                   for uuid in expected.get("history", {})}
        records = {a.uuid: a for a in journal.attempts()}
        stored = journal.record_revisions()  # as the migration stored them, not recomputed
        stored_revisions = [
            {"revision": stored[kind][item["uuid"]][0]}
            for kind, key in (("ladder", "ladders"), ("run", "runs"), ("challenge", "challenges"))
            for item in document[key]]
        checks = [{"uuid": c.uuid, "taken_on": c.taken_on.isoformat(), "overall": c.overall,
                   "categories": {category.value: score for category, score in c.categories},
                   "answers": {key: list(pair) for key, pair in c.answers}}
                  for c in journal.self_checks()]
    # schema 3.3 keeps the self-check's results with their date (none before it)
    assert checks == expected.get("self_checks", [])
    assert len(document["attempts"]) == len(expected["attempts"])
    for item, before in zip(document["attempts"], expected["attempts"], strict=True):
        # every field it had is kept, exactly (schema 3 moved the one reason into "reasons";
        # its revision stays the same)
        before = _as_schema_3(before)
        assert {key: item[key] for key in before} == before
        if "revision" not in before:
            # schema 2 added revisions: computed from what the entry holds, no history yet
            assert item["revision"] == revision(records[item["uuid"]])
            assert item["earlier_revisions"] == []
    assert history == {uuid: [{**version, "record": _as_schema_3(version["record"])}
                              for version in versions]
                       for uuid, versions in expected.get("history", {}).items()}
    challenges = {c["uuid"]: c for c in document["challenges"]}
    library = {c.uuid: c for c in builtin_challenges()}
    for challenge in expected["challenges"]:
        # schema 3.2 gave challenges their revisions (checked below): the rest is kept
        challenges[challenge["uuid"]] = {k: challenges[challenge["uuid"]][k] for k in challenge}
        if challenge["is_custom"] or challenge["uuid"] not in library:
            assert challenges[challenge["uuid"]] == challenge
        else:  # built-in texts follow the library the app ships; the archive flag is kept
            built_in = library[challenge["uuid"]]
            assert challenges[challenge["uuid"]] == {
                **challenge, "title": built_in.title, "how_to": built_in.how_to,
                "respect_note": built_in.respect_note, "level": built_in.level,
                "category": built_in.category.value,
            }
    assert set(library) <= set(challenges)
    assert any(c["is_custom"] for c in document["challenges"])
    # schema 3.1 added fear ladders and challenge runs: kept exactly
    def without_revisions(items: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{k: v for k, v in item.items() if k not in ("revision", "earlier_revisions")}
                for item in items]

    assert without_revisions(document["ladders"]) == without_revisions(expected.get("ladders", []))
    assert without_revisions(document["runs"]) == without_revisions(expected.get("runs", []))
    # schema 3.2 gave each challenge, ladder and run the revision of what it is, no history
    for key in ("challenges", "ladders", "runs"):
        assert all(item["earlier_revisions"] == [] for item in document[key])
    assert [item["revision"] for item in stored_revisions] == [
        item["revision"] for item in document["ladders"] + document["runs"]
        + document["challenges"]]


def journal_pragma(name: str) -> str:
    from rejection_journal.storage.models import database

    return str(database.pragma(name))


def _changes() -> int:
    from rejection_journal.storage.models import database

    return int(database.execute_sql('SELECT "changes" FROM "journal_meta"').fetchone()[0])


def _columns(db: Path, table: str) -> list[str]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    finally:
        connection.close()


def test_a_failed_migration_changes_nothing(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    data = _install(_fixtures()[migrations.SchemaVersion(1)], tmp_path)
    with open_journal(data) as journal:
        before = export_document(journal)

    def broken_step(db: SqliteDatabase) -> None:
        db.execute_sql("ALTER TABLE attempt ADD COLUMN mood TEXT")
        db.execute_sql("UPDATE attempt SET ask = 'overwritten'")
        raise RuntimeError("step failed half-way")

    following = migrations.SchemaVersion(migrations.SCHEMA.major + 1)
    monkeypatch.setattr(migrations, "MIGRATIONS",
                        (*migrations.MIGRATIONS, (following, broken_step)))
    monkeypatch.setattr(migrations, "SCHEMA", following)
    with pytest.raises(RuntimeError, match="half-way"):
        open_journal(data)
    from rejection_journal.storage.models import current_database

    assert current_database() is None, "a failed open leaves no connection behind"
    monkeypatch.undo()

    assert "mood" not in _columns(database_path(data), "attempt")
    with open_journal(data) as journal:
        assert int(journal_pragma("user_version")) == migrations.SCHEMA.user_version
        after = export_document(journal)
    before.pop("exported_at")
    after.pop("exported_at")
    assert after == before


def test_a_journal_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    data = _install(_fixtures()[migrations.SchemaVersion(1)], tmp_path)
    db = database_path(data)
    connection = sqlite3.connect(db)
    connection.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    connection.close()
    before = db.read_bytes()
    with pytest.raises(NewerJournalError, match="newer version"):
        open_journal(data)
    assert db.read_bytes() == before
    assert sorted(p.name for p in data.iterdir()) == ["journal.sqlite3"]


def _schema(db: Path) -> dict[str, list[tuple[str, str, int, object]]]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {table: [tuple(row[1:5]) for row in
                        connection.execute(f"PRAGMA table_info({table})")]
                for table in tables}
    finally:
        connection.close()


def test_a_new_journal_and_an_upgraded_one_have_the_same_schema_as_the_models(
    tmp_path: Path,
) -> None:
    from rejection_journal.storage.models import MODELS

    with open_journal(tmp_path / "new"):
        pass
    upgraded = _install(_fixtures()[migrations.SchemaVersion(1)], tmp_path)
    with open_journal(upgraded):
        pass
    new = _schema(database_path(tmp_path / "new"))
    assert _schema(database_path(upgraded)) == new
    # every table is a model's, but the full-text index (SQLite's own FTS5 tables)
    search_index = {name for name in new if name.startswith("attempt_fts")}
    assert search_index == {"attempt_fts", "attempt_fts_data", "attempt_fts_idx",
                            "attempt_fts_docsize", "attempt_fts_config"}
    assert sorted(set(new) - search_index) == sorted(m._meta.table_name for m in MODELS)
    for model in MODELS:
        columns = [name for name, *_ in new[model._meta.table_name]]
        assert columns == [field.column_name for field in model._meta.sorted_fields]


def test_schema_1_is_created_exactly_as_release_1_created_it(tmp_path: Path) -> None:
    db = tmp_path / "v1.sqlite3"
    database = SqliteDatabase(str(db))
    with database.atomic():
        migrations.MIGRATIONS[0][1](database)
    database.close()
    assert _schema(db) == _schema(_fixtures()[migrations.SchemaVersion(1)])


def test_schema_versions_pack_major_and_minor_and_read_old_plain_majors() -> None:
    version = migrations.SchemaVersion
    assert version.from_user_version(2) == version(2, 0), "journals so far hold a plain major"
    assert version(2, 0).user_version == 2
    assert version(2, 3).user_version == 2 << 16 | 3
    assert version.from_user_version(2 << 16 | 3) == version(2, 3)
    assert version(2, 3) > version(2, 0) > version(1, 9)
    assert str(version(2, 3)) == "2.3"


def test_a_newer_minor_version_opens_and_a_newer_major_is_refused(tmp_path: Path) -> None:
    """A later release may add an index or an optional table as a new *minor* version: this
    release still opens (and writes) that journal.  A new *major* changes what is there."""
    data = tmp_path / "journal"
    with open_journal(data) as journal:
        journal.save_attempt(AttemptRecord(ask="Ask for a table by the window",
                                           attempted_on=date(2026, 11, 2)))
    db = database_path(data)
    newer_minor = migrations.SCHEMA.major << 16 | (migrations.SCHEMA.minor + 1)
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE later_release_search (attempt_id INTEGER, words TEXT)")
    connection.execute(f"PRAGMA user_version = {newer_minor}")
    connection.commit()
    connection.close()
    with open_journal(data) as journal:
        assert journal.attempt_count() == 1
        journal.save_attempt(AttemptRecord(ask="Ask for a later checkout",
                                           attempted_on=date(2026, 11, 3)))
        assert int(journal_pragma("user_version")) == newer_minor, "left as the newer one set it"
    newer_major = (migrations.SCHEMA.major + 1) << 16
    connection = sqlite3.connect(db)
    connection.execute(f"PRAGMA user_version = {newer_major}")
    connection.commit()
    connection.close()
    with pytest.raises(NewerJournalError, match=rf"schema {migrations.SCHEMA.major + 1}\.0"):
        open_journal(data)


def test_schema_3_3_keeps_self_checks_and_counts_their_changes(tmp_path: Path) -> None:
    """The 3.2 journal upgraded: a self-check result saved is kept with its date, and saving
    or removing it counts as a change of the journal (what backups are judged by)."""
    from rejection_journal.domain.plan import TakenCheck, check_items

    data = _install(_fixtures()[migrations.SchemaVersion(3, 2)], tmp_path)
    answers = {item.id: (4, 3) for item in check_items()}
    with open_journal(data) as journal:
        before = int(journal_pragma("user_version"))
        count = _changes()
        taken = journal.save_self_check(TakenCheck.of(answers, date(2026, 12, 1)))
        assert _changes() == count + 1
        assert journal.self_checks() == [taken]
        assert taken.overall == 16.0  # 4 × (7 − 3) for every situation
        journal.delete_self_check(taken.uuid)
        assert _changes() == count + 2
        assert journal.self_checks() == []
    assert before == migrations.SCHEMA.user_version  # upgraded through 3.3 to the current


def test_the_schema_3_2_release_still_opens_a_3_3_journal() -> None:
    """3.3 only adds a table: a release that knows 3.2 finds all it knows and opens it."""
    schema_3_3 = migrations.KNOWN_SCHEMAS[migrations.SchemaVersion(3, 3)]
    known_by_3_2 = migrations.KNOWN_SCHEMAS[migrations.SchemaVersion(3, 2)]
    assert set(schema_3_3) - set(known_by_3_2) == {"self_check_result"}
    assert all(known_by_3_2[table] <= schema_3_3[table] for table in known_by_3_2)


def test_a_newer_minor_that_lost_a_known_column_is_foreign() -> None:
    schema = dict(migrations.KNOWN_SCHEMAS[migrations.SCHEMA])
    newer_minor = migrations.SCHEMA.major << 16 | (migrations.SCHEMA.minor + 1)
    assert not migrations.is_foreign(newer_minor, {**schema, "extra": frozenset({"id"})})
    schema["attempt"] = schema["attempt"] - {"lesson"}
    assert migrations.is_foreign(newer_minor, schema)


def _list_indexes(db: Path) -> set[str]:
    connection = sqlite3.connect(db)
    try:
        return {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'attempt_list_%'")}
    finally:
        connection.close()


LIST_INDEXES = {"attempt_list_date", "attempt_list_gap", "attempt_list_expected",
                "attempt_list_felt"}


def test_schema_3_5_adds_the_entries_lists_indexes_only(tmp_path: Path) -> None:
    """The 3.3 journal upgraded gains the list's indexes and no table or column."""
    data = _install(_fixtures()[migrations.SchemaVersion(3, 3)], tmp_path)
    assert _list_indexes(database_path(data)) == set()
    with open_journal(data):
        assert int(journal_pragma("user_version")) == migrations.SchemaVersion(3, 5).user_version
    assert _list_indexes(database_path(data)) == LIST_INDEXES
    assert (migrations.KNOWN_SCHEMAS[migrations.SchemaVersion(3, 5)]
            == migrations.KNOWN_SCHEMAS[migrations.SchemaVersion(3, 4)])


def test_the_schema_3_4_release_opens_and_writes_a_3_5_journal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the 3.4 release does with a 3.5 journal: it opens it (a newer minor holding all it
    knows), leaves its version alone, and its writes keep the indexes up to date (SQLite
    does), so the list reads right again when 3.5 opens it."""
    from rejection_journal.domain.entry_list import EntryFilter, EntrySort, SortColumn

    data = _install(_fixtures()[migrations.SchemaVersion(3, 5)], tmp_path)
    release_3_4 = tuple(m for m in migrations.MIGRATIONS if m[0] <= migrations.SchemaVersion(3, 4))
    monkeypatch.setattr(migrations, "MIGRATIONS", release_3_4)
    monkeypatch.setattr(migrations, "SCHEMA", migrations.SchemaVersion(3, 4))
    monkeypatch.delitem(migrations.KNOWN_SCHEMAS, migrations.SchemaVersion(3, 5))
    with open_journal(data) as journal:
        saved = journal.save_attempt(AttemptRecord(
            ask="Ask for the corner table", attempted_on=date(2026, 11, 25),
            anticipated_discomfort=10, actual_discomfort=0, outcome=Outcome.YES))
        assert int(journal_pragma("user_version")) == migrations.SchemaVersion(3, 5).user_version
    monkeypatch.undo()
    with open_journal(data) as journal:
        assert journal_pragma("integrity_check") == "ok"
        by_gap = EntrySort(SortColumn.GAP)
        assert journal.entry_page(by_gap, EntryFilter(), 0, 1)[0].uuid == saved.uuid
        assert journal.entry_position(by_gap, EntryFilter(), saved.uuid) == 0
    assert _list_indexes(database_path(data)) == LIST_INDEXES
