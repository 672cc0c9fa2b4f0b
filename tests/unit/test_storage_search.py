"""Full-text search: the index stays in step with every way an entry changes, and searches
rank, mark, fold accents, follow the typing and explain bad syntax (real SQLite files)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.search import (
    MARK_END,
    MARK_START,
    bold,
    marked_spans,
    snippet,
    unmark,
)
from rejection_journal.paths import database_path
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.storage import Journal, open_journal
from rejection_journal.storage.models import database
from rejection_journal.storage.search import SearchSyntaxError, parse_query

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DAY = date(2026, 11, 20)


def _entry(ask: str, **values: object) -> AttemptRecord:
    return AttemptRecord(ask=ask, attempted_on=values.pop("attempted_on", DAY),  # type: ignore[arg-type]
                         **values)  # type: ignore[arg-type]


@pytest.fixture
def service(journal: Journal) -> JournalService:
    return JournalService(journal, clock=FixedClock(DAY))


def _found(service: JournalService, text: str) -> list[str]:
    return [hit.uuid for hit in service.search(text)]


def _index_agrees(journal: Journal) -> None:
    """SQLite's own check that the external-content index matches the attempt table."""
    database.execute_sql("""INSERT INTO "attempt_fts"("attempt_fts", rank) """
                         "VALUES ('integrity-check', 1)")


# -- kept in step ----------------------------------------------------------------------------

def test_a_saved_entry_is_found_by_any_of_its_texts(service: JournalService) -> None:
    entry = service.save(_entry("Ask for a window seat", feelings_before="Jittery hands",
                                worst_case="A sharp refusal", outcome=Outcome.YES,
                                feelings_after="Giddy", reflection="Surprisingly kind",
                                lesson="Breathe first"))
    for word in ("window", "jittery", "sharp", "giddy", "surprisingly", "breathe"):
        assert _found(service, word) == [entry.uuid], word
    _index_agrees(service.journal)


def test_an_edit_replaces_the_old_words_in_the_index(service: JournalService) -> None:
    entry = service.save(_entry("Ask about the walrus"))
    service.save(entry.replace(ask="Ask about the otter"))
    assert _found(service, "otter") == [entry.uuid]
    assert _found(service, "walrus") == []
    _index_agrees(service.journal)


def test_a_deleted_entry_is_no_longer_found(service: JournalService) -> None:
    entry = service.save(_entry("Ask about the walrus"))
    service.delete(entry.uuid)
    assert _found(service, "walrus") == []
    assert service.search_count("walrus") == 0
    _index_agrees(service.journal)


def test_undo_and_redo_of_edits_and_deletes_keep_the_index_in_step(
        service: JournalService) -> None:
    entry = service.save(_entry("Ask about the walrus"))
    service.save(entry.replace(ask="Ask about the otter"))
    service.undo()  # the edit
    assert (_found(service, "walrus"), _found(service, "otter")) == ([entry.uuid], [])
    service.redo()
    assert (_found(service, "walrus"), _found(service, "otter")) == ([], [entry.uuid])
    service.delete(entry.uuid)
    assert _found(service, "otter") == []
    service.undo()  # the delete
    assert _found(service, "otter") == [entry.uuid]
    service.undo()  # the edit again
    service.undo()  # the first save: the entry goes
    assert _found(service, "walrus") == [] and _found(service, "otter") == []
    _index_agrees(service.journal)


def test_an_import_and_its_undo_keep_the_index_in_step(service: JournalService,
                                                       tmp_path: Path) -> None:
    entry = service.save(_entry("Ask about the walrus", lesson="Pelicans are patient"))
    service.export(tmp_path / "all.json", force=False)
    service.delete(entry.uuid)
    assert _found(service, "pelicans") == []
    service.import_plan(service.read_import(tmp_path / "all.json"))
    assert _found(service, "pelicans") == [entry.uuid]
    assert _found(service, "walrus") == [entry.uuid]
    service.undo()  # the import
    assert _found(service, "pelicans") == []
    _index_agrees(service.journal)


@pytest.mark.parametrize("backed_up", ["before the edit", "after the edit"])
def test_a_restored_backup_brings_its_own_index(service: JournalService,
                                                backed_up: str) -> None:
    entry = service.save(_entry("Ask about the walrus"))
    backup = service.backup_now() if backed_up == "before the edit" else None
    service.save(entry.replace(ask="Ask about the otter"))
    if backup is None:
        backup = service.backup_now()
    service.save(entry.replace(ask="Ask about the heron"))
    service.restore(backup.path)
    expected = "walrus" if backed_up == "before the edit" else "otter"
    for word in ("walrus", "otter", "heron"):
        assert _found(service, word) == ([entry.uuid] if word == expected else []), word
    _index_agrees(service.journal)


def test_the_upgrade_to_schema_3_1_indexes_every_existing_entry(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    data.mkdir(mode=0o700)
    shutil.copyfile(FIXTURES / "schema-v3.sqlite3", database_path(data))
    with sqlite3.connect(database_path(data)) as old:
        uuid, = old.execute("SELECT uuid FROM attempt WHERE lesson LIKE 'Ça valait%'"
                            ).fetchone()
        total, = old.execute("SELECT count(*) FROM attempt WHERE feelings_before LIKE "
                             "'%curious%'").fetchone()
    old.close()
    with open_journal(data) as journal:
        hits = journal.search("ca valait")  # the accent folded away, too
        assert [hit.uuid for hit in hits] == [uuid]
        assert hits[0].field == "lesson"
        assert unmark(hits[0].snippet).startswith("Ça valait le coup")
        assert journal.search_count("curious") == total > 0
        _index_agrees(journal)


# -- what a search finds and how ---------------------------------------------------------------

def test_accents_and_case_are_ignored_both_ways(service: JournalService) -> None:
    cafe = service.save(_entry("Ask the Café owner for a discount"))
    assert _found(service, "cafe") == [cafe.uuid]
    assert _found(service, "CAFÉ") == [cafe.uuid]
    hit, = service.search("cafe ")
    assert hit.ask == f"Ask the {MARK_START}Café{MARK_END} owner for a discount"


def test_a_match_in_the_ask_ranks_before_one_in_the_other_texts(
        service: JournalService) -> None:
    in_lesson = service.save(_entry("Ask for a discount", lesson="Try the bakery on Sunday"))
    in_ask = service.save(_entry("Ask the bakery for yesterday's bread"))
    in_feelings = service.save(_entry("Ask a stranger the time",
                                      feelings_before="Thought about the bakery all day"))
    order = _found(service, "bakery")
    assert order[0] == in_ask.uuid
    assert set(order) == {in_ask.uuid, in_lesson.uuid, in_feelings.uuid}


def test_every_plain_word_must_be_found_and_the_last_one_is_a_prefix_while_typing(
        service: JournalService) -> None:
    one = service.save(_entry("Ask for a window seat", lesson="Smile first"))
    service.save(_entry("Ask for a window table"))
    assert _found(service, "win") == _found(service, "window")
    assert len(_found(service, "win")) == 2
    assert _found(service, "window sm") == [one.uuid]
    assert _found(service, "window smi ") == [], "a space ends the word: no prefix then"
    assert _found(service, "sm window") == [], "only the word being typed is a prefix"


def test_fts_syntax_written_by_the_user_is_used(service: JournalService) -> None:
    seat = service.save(_entry("Ask for a window seat", lesson="Smile first"))
    table = service.save(_entry("Ask for a corner table"))
    assert set(_found(service, "seat OR table")) == {seat.uuid, table.uuid}
    assert _found(service, "ask NOT seat") == [table.uuid]
    assert _found(service, '"window seat"') == [seat.uuid]
    assert _found(service, '"seat window"') == []
    assert _found(service, "lesson:smile") == [seat.uuid]
    assert _found(service, "ask:smile") == []
    assert _found(service, "NEAR(window seat, 2)") == [seat.uuid]


@pytest.mark.parametrize(("text", "says"), [
    ("seat OR", "it stops where more was expected"),
    ('"window seat', "a quotation mark is not closed"),
    ("{mood}: calm", "there is no field called “mood”"),
    ("NOT seat", "something unexpected near “NOT”"),
])
def test_syntax_sqlite_cannot_read_gets_one_plain_line(service: JournalService, text: str,
                                                      says: str) -> None:
    service.save(_entry("Ask for a window seat"))
    with pytest.raises(SearchSyntaxError) as caught:
        service.search(text)
    message = str(caught.value)
    assert says in message and "\n" not in message
    assert message.startswith(f"The search “{text}” can't be read")
    with pytest.raises(SearchSyntaxError):
        service.search_count(text)


@pytest.mark.parametrize("text", ["", "   ", "\t\n", "!!! ?", "--"])
def test_no_words_find_nothing(service: JournalService, text: str) -> None:
    service.save(_entry("Ask for a window seat"))
    assert service.search(text) == []
    assert service.search_count(text) == 0


def test_quotes_and_punctuation_in_plain_words_are_harmless(service: JournalService) -> None:
    entry = service.save(_entry("Ask what “done” looks like", lesson="Don't over-think it"))
    assert _found(service, "don't over-think") == [entry.uuid]
    assert _found(service, "c++") == []


def test_a_hit_has_the_entry_its_date_outcome_and_a_snippet_of_the_best_field(
        service: JournalService) -> None:
    long_text = " ".join(f"word{i}" for i in range(40)) + " the heron waited " + " ".join(
        f"more{i}" for i in range(40))
    done = service.save(_entry("Ask about birds", reflection=long_text, outcome=Outcome.NO,
                               attempted_on=date(2026, 11, 2)))
    hit, = service.search("heron")
    assert (hit.uuid, hit.attempted_on, hit.outcome, hit.is_open) == (
        done.uuid, date(2026, 11, 2), Outcome.NO, False)
    assert hit.field == "reflection"
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert f"{MARK_START}heron{MARK_END}" in hit.snippet
    assert len(hit.snippet.split()) <= 16
    assert hit.ask == "Ask about birds"
    assert bold(hit.snippet).count("**heron**") == 1
    plain = unmark(hit.snippet)
    assert [plain[a:b] for a, b in marked_spans(hit.snippet)] == ["heron"]
    planned = service.save(_entry("Ask about the heron"))
    hit = next(h for h in service.search("heron") if h.uuid == planned.uuid)
    assert hit.is_open and hit.field == "ask" and hit.snippet == hit.ask


def test_limit_and_offset_page_through_the_ranked_hits(service: JournalService) -> None:
    for n in range(7):
        service.save(_entry(f"Ask number {n} about the heron"))
    everything = _found(service, "heron")
    assert len(everything) == 7 == service.search_count("heron")
    pages = [hit.uuid for start in range(0, 7, 3) for hit in service.search("heron", 3, start)]
    assert pages == everything
    assert service.search("heron", 0) == []


def test_a_journal_without_the_index_is_scanned_with_hits_of_the_same_shape(
        service: JournalService) -> None:
    """An old schema read as it is has no ``attempt_fts``: the scan finds the same entries."""
    in_lesson = service.save(_entry("Ask for a discount", lesson="Try the bakery on Sunday"))
    in_ask = service.save(_entry("Ask the bakery for bread"))
    indexed = service.search("bakery")
    for statement in ('DROP TRIGGER "attempt_fts_insert"', 'DROP TRIGGER "attempt_fts_update"',
                      'DROP TRIGGER "attempt_fts_delete"', 'DROP TABLE "attempt_fts"'):
        database.execute_sql(statement)
    scanned = service.search("bakery")
    assert [h.uuid for h in scanned] == [in_ask.uuid, in_lesson.uuid]
    assert sorted(scanned, key=lambda h: h.uuid) == sorted(indexed, key=lambda h: h.uuid)
    assert service.search_count("bak") == 2
    assert [h.uuid for h in service.search("bakery sun")] == [in_lesson.uuid]
    assert service.search("") == []
    assert service.search("50%_off") == []


# -- the pieces, without a journal -------------------------------------------------------------

def test_plain_words_become_quoted_terms() -> None:
    query = parse_query('say "hi" to c++')
    assert query is not None and query.syntax  # a quote is syntax
    query = parse_query("say hi to everyone")
    assert query is not None and not query.syntax
    assert query.fts == '"say" "hi" "to" "everyone"*'
    assert parse_query("or and not near") is not None
    assert not parse_query("or and not near").syntax  # type: ignore[union-attr]


def test_a_snippet_is_one_line() -> None:
    assert snippet(f"first line\nsecond {MARK_START}word{MARK_END}\n\nthird") == (
        f"first line second {MARK_START}word{MARK_END} third")


def test_beyond_the_rank_window_older_matches_follow_newest_first(
        service: JournalService, monkeypatch: pytest.MonkeyPatch) -> None:
    """bm25 ranks only the newest RANK_WINDOW matches (a word in every entry stays cheap);
    paging still walks every match exactly once."""
    from rejection_journal.storage import search as search_module

    saved = [service.save(_entry(f"Entry {n} about the heron" + (" heron" * (n % 3))))
             for n in range(8)]
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    everything = _found(service, "heron")
    newest = {e.uuid for e in saved[-3:]}
    assert set(everything[:3]) == newest, "the newest three are ranked first"
    assert everything[3:] == [e.uuid for e in reversed(saved[:-3])]
    pages = [hit.uuid for start in range(0, 8, 2) for hit in service.search("heron", 2, start)]
    assert pages == everything and len(set(pages)) == 8
    assert service.search("heron", 5, 1) == service.search("heron")[1:6]


# -- issue 18 item 13: too long, and cancellable -------------------------------------------

def test_a_search_longer_than_the_limit_is_refused_in_one_line(journal) -> None:
    from rejection_journal.domain.search import MAX_SEARCH_WORDS
    from rejection_journal.storage.search import SearchTooLongError

    journal.save_attempt(AttemptRecord(ask="Ask the bakery", attempted_on=date(2024, 5, 1)))
    assert len(journal.search(" ".join(["bakery"] * MAX_SEARCH_WORDS))) == 1
    for text in (" ".join(["bakery"] * 5000), "b" * 1001):
        with pytest.raises(SearchTooLongError) as caught:
            journal.search(text)
        assert "\n" not in str(caught.value) and "too long" in str(caught.value)
        with pytest.raises(SearchTooLongError):
            journal.search_count(text)


def test_a_cancelled_search_stops_part_way_and_the_next_one_runs(journal) -> None:
    from rejection_journal.storage.search import SearchCancelledError

    for i in range(400):
        journal.save_attempt(AttemptRecord(ask=f"Ask the bakery {i}", attempted_on=date(2024, 5, 1),
                                           reflection="bread " * 50))
    looks = 0

    def cancelled() -> bool:  # set once SQLite has been running a while
        nonlocal looks
        looks += 1
        return looks > 3

    with pytest.raises(SearchCancelledError):
        journal.search("bread", limit=400, cancelled=cancelled)
    assert looks > 3, "SQLite asked as it ran (its progress handler)"
    with pytest.raises(SearchCancelledError):
        journal.search_count("bread", cancelled=lambda: True)
    assert len(journal.search("bread", limit=400)) == 400, "no handler left behind"
    assert journal.search_count("bread") == 400
