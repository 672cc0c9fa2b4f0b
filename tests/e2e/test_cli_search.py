"""`rejection-journal search`: ranked hits as text or JSON, one plain line for bad syntax,
bounded --limit, and it only reads (beside a running app, too)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.lock import journal_lock, try_lock
from rejection_journal.storage import Journal, open_journal

from .conftest import Run


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "journal"
    with open_journal(folder) as journal:
        _fill(journal)
    yield folder


def _fill(journal: Journal) -> dict[str, str]:
    entries = {
        "lesson": AttemptRecord(ask="Ask for a discount", attempted_on=date(2026, 3, 1),
                                outcome=Outcome.NO, lesson="Try the bakery on Sunday"),
        "ask": AttemptRecord(ask="Ask the bakery for yesterday's bread",
                             attempted_on=date(2026, 3, 2)),
        "other": AttemptRecord(ask="Ask a stranger the time", attempted_on=date(2026, 3, 3)),
    }
    return {key: journal.save_attempt(record).uuid for key, record in entries.items()}


def test_text_output_lists_ranked_hits_with_id_date_ask_and_snippet(run_cli: Run,
                                                                     data: Path) -> None:
    result = run_cli("--data-dir", str(data), "search", "bakery")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.strip().split("\n\n")
    assert len(blocks) == 2
    first, second = (block.splitlines() for block in blocks)
    assert first[0].startswith("2026-03-02  ") and first[0].endswith("(open)")
    assert first[1] == "  Ask the **bakery** for yesterday's bread"
    assert second[0].startswith("2026-03-01  ") and second[0].endswith("(No)")
    assert second[1] == "  Ask for a discount"
    assert second[2] == "  Lesson: Try the **bakery** on Sunday"


def test_json_output_is_a_list_of_hits_a_script_can_read(run_cli: Run, data: Path) -> None:
    with open_journal(data, read_only=True) as journal:
        expected = [h.uuid for h in journal.search("bak")]
    result = run_cli("--data-dir", str(data), "search", "bak", "--format", "json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert [hit["uuid"] for hit in hits] == expected and len(hits) == 2
    lesson = hits[1]
    assert lesson == {
        "uuid": expected[1], "date": "2026-03-01", "ask": "Ask for a discount",
        "outcome": "no", "field": "lesson", "snippet": "Try the bakery on Sunday",
        "ask_matches": [], "snippet_matches": [[8, 14]],
    }


def test_several_words_must_all_be_found_and_limit_caps_the_hits(run_cli: Run,
                                                                 data: Path) -> None:
    result = run_cli("--data-dir", str(data), "search", "bakery", "sun", "--format", "json")
    assert [hit["field"] for hit in json.loads(result.stdout)] == ["lesson"]
    result = run_cli("--data-dir", str(data), "search", "ask", "--limit", "1", "--format",
                     "json")
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 1


def test_nothing_found_says_so_calmly(run_cli: Run, data: Path) -> None:
    result = run_cli("--data-dir", str(data), "search", "walrus")
    assert (result.returncode, result.stdout.strip()) == (0, "Nothing found for “walrus”.")
    result = run_cli("--data-dir", str(data), "search", "walrus", "--format", "json")
    assert (result.returncode, json.loads(result.stdout)) == (0, [])


@pytest.mark.parametrize(("query", "says"), [
    ("bakery OR", "it stops where more was expected"),
    ('"bakery', "a quotation mark is not closed"),
    ("{mood}: calm", "there is no field called “mood”"),
])
def test_fts_syntax_errors_get_one_line_and_exit_1(run_cli: Run, data: Path, query: str,
                                                   says: str) -> None:
    result = run_cli("--data-dir", str(data), "search", query)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"rejection-journal: The search “{query}” can't be read: ")
    assert says in lines[0]


@pytest.mark.parametrize("limit", ["0", "1001", "-3", "many"])
def test_limit_outside_1_to_1000_is_a_usage_error(run_cli: Run, data: Path,
                                                  limit: str) -> None:
    result = run_cli("--data-dir", str(data), "search", "bakery", f"--limit={limit}")
    assert result.returncode == 2
    assert "--limit" in result.stderr and "Traceback" not in result.stderr


def test_no_journal_is_one_line(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("--data-dir", str(tmp_path / "none"), "search", "bakery")
    assert result.returncode == 1
    assert result.stderr.strip() == f"rejection-journal: no journal in {tmp_path / 'none'}"
    assert not (tmp_path / "none").exists()


def test_search_reads_beside_the_running_app_and_writes_nothing(run_cli: Run,
                                                                tmp_path: Path) -> None:
    """As the app: the one-writer lock held and the journal open, an entry only in its -wal."""
    folder = tmp_path / "journal"
    with open_journal(folder) as journal:
        lock = journal_lock(folder)
        assert try_lock(lock, folder)
        try:
            uuids = _fill(journal)
            assert (folder / "journal.sqlite3-wal").stat().st_size > 0
            before = _digest(folder)
            result = run_cli("--data-dir", str(folder), "search", "bakery", "--format", "json")
            assert result.returncode == 0, result.stderr
            assert [hit["uuid"] for hit in json.loads(result.stdout)] == [uuids["ask"],
                                                                          uuids["lesson"]]
            assert _digest(folder) == before
        finally:
            lock.unlock()


def test_a_huge_search_gets_one_line_and_exit_1(run_cli: Run, data: Path) -> None:
    """A pasted page took seconds and printed it all back (issue 18 item 13)."""
    words = ["bakery", "bread", "Sunday", "discount"] * 1250
    result = run_cli("--data-dir", str(data), "search", *words)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("rejection-journal: That search is too long (5,000 words): "
                             "search for up to 64 words (1,000 characters) at a time.\n")
