"""Issue 22: the challenge library is cached beside the journal, checked by the library file's
hash — a start reads the cache instead of parsing the file, and a cache of another library
(a new version of the app) or a damaged one is never used."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rejection_journal.domain import library
from rejection_journal.domain.library import builtin_challenges, read_library
from rejection_journal.storage import open_journal
from rejection_journal.storage.library_cache import CACHE_FILENAME, load_library


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """As in a new process: no library read yet; counts how often the file is parsed."""
    parsed: list[int] = []
    real = library.read_library

    def counting(data: bytes) -> tuple[tuple[str, library.ChallengeRecord], ...]:
        parsed.append(1)
        return real(data)

    monkeypatch.setattr(library, "_loaded", None)
    monkeypatch.setattr("rejection_journal.storage.library_cache.read_library", counting)
    yield parsed
    library.use_library(real(library.library_bytes()))  # the next test finds it as shipped


def test_the_first_start_parses_and_caches_the_next_reads_the_cache(
        tmp_path: Path, fresh_process: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    expected = read_library(library.library_bytes())
    open_journal(tmp_path).close()
    assert fresh_process == [1]
    cache = tmp_path / CACHE_FILENAME
    assert cache.is_file() and cache.stat().st_mode & 0o077 == 0  # private, like the journal

    monkeypatch.setattr(library, "_loaded", None)  # a second start
    with open_journal(tmp_path) as journal:
        assert fresh_process == [1], "the library was parsed again though the cache matched"
        assert library._library() == expected
        assert builtin_challenges() == tuple(record for _slug, record in expected)
        stored = {c.uuid: c.title for c in journal.challenges() if not c.is_custom}
    assert stored == {record.uuid: record.title for _slug, record in expected}


def _rewrite(cache: Path, change: object) -> None:
    document = json.loads(cache.read_text(encoding="utf-8"))
    change(document)  # type: ignore[operator]
    cache.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize("damage", [
    "another library", "a changed title", "not JSON", "rows of the wrong shape",
])
def test_a_cache_of_another_library_or_a_damaged_one_is_parsed_afresh_and_rewritten(
        tmp_path: Path, fresh_process: list[int], monkeypatch: pytest.MonkeyPatch,
        damage: str) -> None:
    load_library(tmp_path)
    cache = tmp_path / CACHE_FILENAME
    good = cache.read_bytes()
    if damage == "another library":  # what a new version of the app finds
        _rewrite(cache, lambda d: d.update(library_sha256="0" * 64))
    elif damage == "a changed title":
        _rewrite(cache, lambda d: d["rows"][0].__setitem__(2, "Something else"))
    elif damage == "not JSON":
        cache.write_bytes(good[: len(good) // 2])
    else:
        _rewrite(cache, lambda d: d.update(rows=[[1, 2]]))
    monkeypatch.setattr(library, "_loaded", None)
    load_library(tmp_path)
    assert fresh_process == [1, 1]
    assert library._library() == read_library(library.library_bytes())
    assert cache.read_bytes() == good  # written again, as the file ships


def test_a_folder_that_cannot_take_the_cache_still_opens(
        tmp_path: Path, fresh_process: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / CACHE_FILENAME).mkdir()  # not a file: the cache cannot be written there
    with open_journal(tmp_path) as journal:
        assert len([c for c in journal.challenges() if not c.is_custom]) == len(
            read_library(library.library_bytes()))
    assert fresh_process == [1]
