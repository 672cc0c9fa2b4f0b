"""Full-text search over the entries' texts (schema 3.1's ``attempt_fts`` index).

What the user types becomes a safe FTS5 query (:func:`parse_query`): plain words are each
quoted and must all be found, the last one also as the start of a longer word (so a search
can follow the typing).  Someone who writes FTS5's own syntax (``OR``, ``NOT``, ``"a
phrase"``, ``NEAR(…)``, ``lesson:word``, ``word*``) gets it as written; if SQLite cannot read
it, :class:`SearchSyntaxError` says what is wrong in one line.

Only the page asked for is ranked out (``ORDER BY bm25(…) LIMIT``; bm25 ranks the newest
:data:`RANK_WINDOW` matches, older ones follow newest first), and only its entries' texts are
read and marked (:func:`rejection_journal.domain.search.mark`), so the first page
of a search for a common word is cheap at 100,000 entries.  A journal without the index
(an old schema read as it is) is scanned with ``LIKE`` instead, giving hits of the same shape.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.search import (
    SearchHit,
    SearchTerm,
    mark,
    mark_count,
    snippet,
    too_long,
    words,
)
from rejection_journal.domain.text_match import fold
from rejection_journal.storage.errors import StorageError
from rejection_journal.storage.migrations import SEARCHED_COLUMNS
from rejection_journal.storage.models import database

#: bm25 weight of each searched column, in SEARCHED_COLUMNS order: a word in the ask counts most
COLUMN_WEIGHTS = (5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
assert len(COLUMN_WEIGHTS) == len(SEARCHED_COLUMNS)
#: how many of the newest matches bm25 ranks; older ones follow, newest first (see
#: :func:`_ranked_ids`: it keeps the first page of a very common word cheap)
RANK_WINDOW = 2000


class SearchSyntaxError(StorageError):
    """The search used FTS5 syntax that SQLite cannot read; the message says what is wrong."""


class SearchTooLongError(StorageError):
    """The search is longer than :data:`~rejection_journal.domain.search.MAX_SEARCH_WORDS`
    words (or characters): refused before anything is searched, in one plain line."""


class SearchCancelledError(StorageError):
    """A newer search (or Esc) made this one unwanted; it stopped part way."""


#: how many SQLite virtual-machine steps run between two looks at "cancelled?"
_PROGRESS_STEPS = 1000

Cancelled = Callable[[], bool]


def _refuse_too_long(text: str) -> None:
    why = too_long(text)
    if why is not None:
        raise SearchTooLongError(why)


@contextlib.contextmanager
def _cancellable(cancelled: Cancelled | None) -> Iterator[None]:
    """Stop the queries run meanwhile (this thread's connection) once ``cancelled()`` says
    so: SQLite's progress handler interrupts them, and :class:`SearchCancelledError` says so."""
    if cancelled is None:
        yield
        return
    if cancelled():
        raise SearchCancelledError("The search was cancelled.")
    connection = database.connection()
    connection.set_progress_handler(lambda: 1 if cancelled() else 0, _PROGRESS_STEPS)
    try:
        yield
    except (peewee.OperationalError, sqlite3.OperationalError):
        if cancelled():
            raise SearchCancelledError("The search was cancelled.") from None
        raise
    finally:
        connection.set_progress_handler(None, 0)


@dataclass(frozen=True, slots=True)
class Query:
    """What a search asks for: the FTS5 query, and the words to mark in what it finds."""

    fts: str
    terms: tuple[SearchTerm, ...]
    #: written by the user in FTS5 syntax (so an error there is theirs to fix)
    syntax: bool


_OPERATOR = re.compile(r"(?:^|\s)(?:AND|OR|NOT)(?=\s|$)|\bNEAR\s*\(")
_COLUMN_FILTER = re.compile(
    r"(?:^|[\s(])-?(?:\{[^}]*\}|(?:" + "|".join(SEARCHED_COLUMNS) + r"))\s*:", re.IGNORECASE)
_SYNTAX_CHARS = re.compile(r'["()*^]')
#: what is left of a query in FTS5 syntax once its operators and column names are taken out
_SYNTAX_NOISE = re.compile(
    r"\b(?:AND|OR|NOT|NEAR)\b|\{[^}]*\}\s*:|\b(?:" + "|".join(SEARCHED_COLUMNS) + r")\s*:",
)


def uses_syntax(text: str) -> bool:
    """True if ``text`` is written in FTS5's query syntax rather than as plain words."""
    return bool(_SYNTAX_CHARS.search(text) or _OPERATOR.search(text)
                or _COLUMN_FILTER.search(text))


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def parse_query(text: str) -> Query | None:
    """The FTS5 query for what the user typed, or None when it holds no word to look for."""
    if uses_syntax(text):
        terms: list[SearchTerm] = []
        for found in re.finditer(r'"([^"]*)"(\*?)|([^\s"]+)', _SYNTAX_NOISE.sub(" ", text)):
            phrase, star, bare = found.group(1), found.group(2), found.group(3)
            chunk = phrase if phrase is not None else bare.rstrip("*")
            prefix = bool(star) if phrase is not None else bare.endswith("*")
            found_words = words(chunk)
            terms.extend(SearchTerm(fold(w), prefix and i == len(found_words) - 1)
                         for i, w in enumerate(found_words))
        return Query(text.strip(), tuple(terms), syntax=True)
    parts = [part for part in text.split() if words(part)]
    if not parts:
        return None
    # The last word is still being typed unless a space follows it: match it as a prefix too.
    typing = not text[-1:].isspace()
    quoted = [_quoted(part) for part in parts]
    if typing:
        quoted[-1] += "*"
    terms = []
    for n, part in enumerate(parts):
        part_words = words(part)
        terms.extend(SearchTerm(fold(w), typing and n == len(parts) - 1
                                and i == len(part_words) - 1)
                     for i, w in enumerate(part_words))
    return Query(" ".join(quoted), tuple(terms), syntax=False)


def _syntax_error(text: str, exc: BaseException) -> SearchSyntaxError | None:
    """The user's FTS5 syntax, explained in one line; None if ``exc`` is something else."""
    detail = str(exc)
    near = re.search(r'fts5: syntax error near "(.*)"', detail)
    if near is not None:
        what = (f"something unexpected near “{near.group(1)}”" if near.group(1)
                else "it stops where more was expected (after an OR, AND, NOT or bracket)")
    elif "unterminated string" in detail:
        what = "a quotation mark is not closed"
    elif detail.startswith("no such column"):
        column = detail.partition(":")[2].strip()
        what = (f"there is no field called “{column}” (the fields are "
                f"{', '.join(SEARCHED_COLUMNS)})")
    elif detail.startswith("fts5:") or "unknown special query" in detail:
        what = detail.removeprefix("fts5:").strip()
    else:
        return None
    return SearchSyntaxError(
        f"The search “{' '.join(text.split())}” can't be read: {what}. Write plain words, or "
        "put them in double quotes to search for them as they are.")


def has_index() -> bool:
    """True if the open journal has the full-text index (schema 3.1 and later)."""
    return database.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attempt_fts'"
    ).fetchone() is not None


_TEXT_COLUMNS = ", ".join(f'"{c}"' for c in SEARCHED_COLUMNS)


def _run(text: str, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
    try:
        return list(database.execute_sql(sql, params).fetchall())
    except (peewee.OperationalError, sqlite3.OperationalError) as exc:
        error = _syntax_error(text, exc)
        if error is None:
            raise
        raise error from None


def search(text: str, limit: int, offset: int,
           cancelled: Cancelled | None = None) -> list[SearchHit]:
    """The hits for ``text``, best first: ``limit`` of them after the first ``offset``.

    Raises :class:`SearchTooLongError` for a search too long to run, and (once ``cancelled()``
    is true, checked as it runs) :class:`SearchCancelledError`."""
    _refuse_too_long(text)
    query = parse_query(text)
    if query is None or limit <= 0:
        return []
    with _cancellable(cancelled):
        return _search(text, query, limit, max(0, offset), cancelled)


def _search(text: str, query: Query, limit: int, offset: int,
            cancelled: Cancelled | None) -> list[SearchHit]:
    if has_index():
        ids = _ranked_ids(text, query.fts, limit, offset)
    else:
        where, params = _like_where(query)
        ask_first = " AND ".join('"ask" LIKE ? ESCAPE \'\\\'' for _ in query.terms) or "0"
        ids = [row[0] for row in _run(
            text,
            f'SELECT "id" FROM "attempt" WHERE {where} ORDER BY ({ask_first}) DESC, '
            '"attempted_on" DESC, "created_at" DESC, "id" DESC LIMIT ? OFFSET ?',
            (*params, *[_like(t) for t in query.terms], limit, offset))]
    return _hits(ids, query.terms, cancelled)


def _ranked_ids(text: str, fts: str, limit: int, offset: int) -> list[int]:
    """Rows ``offset`` to ``offset + limit`` of the hits, best first.

    bm25 ranks the newest :data:`RANK_WINDOW` matches (all of them, for all but the most
    common words); any older ones follow, newest first.  Ranking every one of 60,000 matches
    would cost more than a plain scan, and for a word found that often, the recent entries
    are the ones worth seeing first.
    """
    weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
    ranked = (f'SELECT rowid FROM "attempt_fts" WHERE "attempt_fts" MATCH ? {{where}} '
              f'ORDER BY bm25("attempt_fts", {weights}) LIMIT ? OFFSET ?')
    edge = _run(text, 'SELECT rowid FROM "attempt_fts" WHERE "attempt_fts" MATCH ? '
                'ORDER BY rowid DESC LIMIT 1 OFFSET ?', (fts, RANK_WINDOW - 1))
    if not edge:  # no more matches than the window holds: rank them all
        return [row[0] for row in _run(text, ranked.format(where=""), (fts, limit, offset))]
    oldest_ranked = edge[0][0]
    ids: list[int] = []
    if offset < RANK_WINDOW:
        ids = [row[0] for row in _run(text, ranked.format(where="AND rowid >= ?"),
                                      (fts, oldest_ranked, min(limit, RANK_WINDOW - offset),
                                       offset))]
    rest = limit - len(ids)
    if rest > 0:
        ids += [row[0] for row in _run(
            text, 'SELECT rowid FROM "attempt_fts" WHERE "attempt_fts" MATCH ? AND rowid < ? '
            'ORDER BY rowid DESC LIMIT ? OFFSET ?',
            (fts, oldest_ranked, rest, max(0, offset - RANK_WINDOW)))]
    return ids


def count(text: str, cancelled: Cancelled | None = None) -> int:
    """How many entries ``text`` finds (raises like :func:`search`)."""
    _refuse_too_long(text)
    query = parse_query(text)
    if query is None:
        return 0
    with _cancellable(cancelled):
        if has_index():
            rows = _run(text, 'SELECT count(*) FROM "attempt_fts" WHERE "attempt_fts" MATCH ?',
                        (query.fts,))
        else:
            where, params = _like_where(query)
            rows = _run(text, f'SELECT count(*) FROM "attempt" WHERE {where}', params)
    return int(rows[0][0])


def _like(term: SearchTerm) -> str:
    escaped = term.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _like_where(query: Query) -> tuple[str, list[object]]:
    """Every term found in some searched column (a journal without the index)."""
    if not query.terms:
        return "0", []
    one = "(" + " OR ".join(f'"{c}" LIKE ? ESCAPE \'\\\'' for c in SEARCHED_COLUMNS) + ")"
    params: list[object] = []
    for term in query.terms:
        params.extend([_like(term)] * len(SEARCHED_COLUMNS))
    return " AND ".join([one] * len(query.terms)), params


def _hits(ids: list[int], terms: tuple[SearchTerm, ...],
          cancelled: Cancelled | None = None) -> list[SearchHit]:
    """The hits for attempt rows ``ids`` (in that order), their matched words marked."""
    if not ids:
        return []
    rows = database.execute_sql(
        f'SELECT "id", "uuid", date("attempted_on"), "outcome", {_TEXT_COLUMNS} '
        f'FROM "attempt" WHERE "id" IN ({", ".join("?" for _ in ids)})', ids).fetchall()
    by_id = {row[0]: row for row in rows}
    hits = []
    for row_id in ids:
        row = by_id.get(row_id)
        if row is None:
            continue  # the index named an entry that is gone: show the others
        if cancelled is not None and cancelled():
            raise SearchCancelledError("The search was cancelled.")
        _id, uuid, day, outcome, *texts = row
        marked = [mark(text or "", terms) for text in texts]
        counts = [mark_count(m) for m in marked]
        # The ask is always shown (marked): the snippet adds the other field with most
        # matches, earlier fields winning ties; only when none has one, the ask itself.
        best = max(range(1, len(marked)), key=lambda i: (counts[i], -i))
        if counts[best] == 0:
            best = 0
        hits.append(SearchHit(
            uuid=uuid, attempted_on=date.fromisoformat(day), ask=marked[0],
            outcome=Outcome(outcome) if outcome else None,
            field=SEARCHED_COLUMNS[best], snippet=snippet(marked[best])))
    return hits
