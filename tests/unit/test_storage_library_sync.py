"""Upgrading a journal's built-in challenges to the library a new version ships (issue 8)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from rejection_journal.domain.enums import Category
from rejection_journal.domain.library import LibrarySync, builtin_challenges, library_uuid
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.paths import DB_FILENAME
from rejection_journal.storage import open_journal

RAISE = library_uuid("ask-for-raise")
TIME = library_uuid("ask-the-time")
DATE = library_uuid("ask-on-date")
NEW = library_uuid("ask-for-promotion")  # not in the first release
CUSTOM = "0b7e3c1e-5f0e-4a8e-9d7c-2f1f5c0e9a11"


def _rows(path: Path) -> dict[str, tuple[object, ...]]:
    with sqlite3.connect(path) as raw:
        rows = raw.execute(
            "SELECT uuid, title, how_to, respect_note, level, category, is_custom, archived,"
            " created_at, updated_at FROM challenge").fetchall()
    raw.close()
    return {row[0]: row[1:] for row in rows}


def _make_it_an_old_journal(path: Path) -> None:
    """What a journal written by an older version looks like: older texts and levels, one
    built-in archived by the user, the user's own challenge, and a built-in it never had."""
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE challenge SET title = 'Ask for a pay rise', how_to = 'Old how.',"
                    " respect_note = 'Old note.', level = 8, archived = 1 WHERE uuid = ?",
                    (RAISE,))
        raw.execute("UPDATE challenge SET how_to = 'Old how.' WHERE uuid = ?", (TIME,))
        raw.execute("UPDATE challenge SET category = 'social', level = 7 WHERE uuid = ?", (DATE,))
        raw.execute("DELETE FROM challenge WHERE uuid = ?", (NEW,))
        raw.execute(
            "INSERT INTO challenge (uuid, title, category, level, how_to, respect_note,"
            " is_custom, archived, created_at, updated_at) VALUES"
            " (?, 'Ask Tom to lend me his ladder', 'community', 2, 'My own how.', '', 1, 0,"
            " '2024-01-01 10:00:00', '2024-01-02 10:00:00')", (CUSTOM,))
    raw.close()


def test_an_upgrade_updates_built_in_texts_and_keeps_archive_flags_and_own_challenges(
    data_dir: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    with open_journal(data_dir) as journal:
        saved = journal.save_attempt(make_attempt(challenge_uuid=RAISE, ask="Asked for a raise"))
        path = journal.path
        _make_it_an_old_journal(path)
        before = _rows(path)

        assert journal.sync_builtin_challenges() == LibrarySync(added=1, updated=3)

        after = _rows(path)
        library = {c.uuid: c for c in builtin_challenges()}
        for uuid in (RAISE, TIME, DATE, NEW):
            c = library[uuid]
            assert after[uuid][:6] == (c.title, c.how_to, c.respect_note, c.level,
                                       c.category.value, 0), uuid
        assert after[RAISE][6] == 1, "the user's archive flag was lost"
        assert after[DATE][4] == Category.ROMANCE.value
        assert after[NEW][6] == 0
        assert after[CUSTOM] == before[CUSTOM], "the user's own challenge was touched"
        untouched = set(before) - {RAISE, TIME, DATE, CUSTOM}
        assert {u: after[u] for u in untouched} == {u: before[u] for u in untouched}
        assert journal.attempt(saved.uuid) == saved  # the entry still points at its challenge
        assert journal.challenge(RAISE).archived  # type: ignore[union-attr]
        assert journal.challenge(CUSTOM).is_custom  # type: ignore[union-attr]

        assert journal.sync_builtin_challenges() == LibrarySync(added=0, updated=0)
        assert _rows(path) == after


def test_opening_an_old_journal_upgrades_it(data_dir: Path) -> None:
    open_journal(data_dir).close()
    _make_it_an_old_journal(data_dir / DB_FILENAME)
    with open_journal(data_dir) as journal:
        raise_challenge = journal.challenge(RAISE)
        assert raise_challenge is not None
        assert raise_challenge.title == "Ask for a raise"
        assert raise_challenge.archived
        assert journal.challenge(NEW) is not None
        assert journal.challenge(CUSTOM).title == "Ask Tom to lend me his ladder"  # type: ignore[union-attr]
        assert journal.sync_builtin_challenges() == LibrarySync(0, 0)


def test_a_built_in_the_library_dropped_stays_for_the_entries_that_use_it(
    data_dir: Path, make_attempt: Callable[..., AttemptRecord]
) -> None:
    gone = "1d6a3a0e-6c1f-4f57-8a54-9b2f1d3c4e5f"
    with open_journal(data_dir) as journal:
        with sqlite3.connect(journal.path) as raw:
            raw.execute(
                "INSERT INTO challenge (uuid, title, category, level, how_to, respect_note,"
                " is_custom, archived, created_at, updated_at) VALUES (?, 'Retired one',"
                " 'social', 3, 'How.', 'Note.', 0, 0, '2024-01-01', '2024-01-01')", (gone,))
        raw.close()
        saved = journal.save_attempt(make_attempt(challenge_uuid=gone))
        assert journal.sync_builtin_challenges() == LibrarySync(0, 0)
        assert journal.challenge(gone).title == "Retired one"  # type: ignore[union-attr]
        assert journal.attempt(saved.uuid) == saved
