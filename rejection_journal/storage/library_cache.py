"""The challenge library, cached next to the journal (issue 22: not parsed at every start).

Parsing and checking ``challenges.toml`` takes tens of milliseconds at every start.  The
checked result is kept as JSON in ``library-cache.json`` in the journal's folder, with the
SHA-256 of the library file it came from and of its own rows: a start reads it only when both
match (a new version of the app, with another library, or a damaged cache is parsed afresh
and the cache written again).  Nothing is written beside a read-only journal.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from rejection_journal.domain.enums import Category
from rejection_journal.domain.library import (
    library_bytes,
    library_loaded,
    read_library,
    use_library,
)
from rejection_journal.domain.records import ChallengeRecord
from rejection_journal.fileio import write_atomic

CACHE_FILENAME = "library-cache.json"
#: the cache's own layout; another one is read as no cache
CACHE_FORMAT = 1

Rows = list[list[object]]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _rows_bytes(rows: Rows) -> bytes:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _from_cache(path: Path, library_sha256: str) -> tuple[tuple[str, ChallengeRecord], ...]:
    """The cached library, if ``path`` holds the cache of this very library file; raises
    ``OSError``/``ValueError``/``KeyError``/``TypeError`` otherwise."""
    cached = json.loads(path.read_bytes())
    if cached["format"] != CACHE_FORMAT or cached["library_sha256"] != library_sha256:
        raise ValueError("a cache of another library")
    rows = cached["rows"]
    if cached["rows_sha256"] != _digest(_rows_bytes(rows)):
        raise ValueError("a damaged cache")
    return tuple(
        (str(slug), ChallengeRecord(uuid=str(uuid), title=str(title),
                                    category=Category(category), level=int(level),
                                    how_to=str(how_to), respect_note=str(note)))
        for slug, uuid, title, category, level, how_to, note in rows)


def load_library(data_dir: Path) -> None:
    """Make the library of this process the checked one, from the cache in ``data_dir`` when
    it matches the file shipped; otherwise parse the file and write the cache (quietly
    skipped if the folder cannot be written)."""
    if library_loaded():
        return
    data = library_bytes()
    library_sha256 = _digest(data)
    path = data_dir / CACHE_FILENAME
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        use_library(_from_cache(path, library_sha256))
        return
    entries = read_library(data)
    use_library(entries)
    rows: Rows = [[slug, r.uuid, r.title, r.category.value, r.level, r.how_to, r.respect_note]
                  for slug, r in entries]
    document = {"format": CACHE_FORMAT, "library_sha256": library_sha256,
                "rows_sha256": _digest(_rows_bytes(rows)), "rows": rows}
    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(document, ensure_ascii=False).encode("utf-8"))
