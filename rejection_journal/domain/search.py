"""What a search finds, and how its matched words are marked (pure Python: no Qt, no SQL).

Storage finds the entries (SQLite's full-text index, or a plain scan of an old journal) and
returns :class:`SearchHit` records whose ``ask`` and ``snippet`` carry the matched words
between :data:`MARK_START` and :data:`MARK_END`.  The window turns the marks into bold text
(after escaping the user's words as HTML), the command line into ``**bold**`` or plain text.

Words are compared the way the index's ``unicode61 remove_diacritics 2`` tokenizer compares
them: runs of letters and digits, case and accents ignored ("cafe" finds "Café").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.text_match import fold

#: put before each matched word
MARK_START = "\x02"
#: put after each matched word
MARK_END = "\x03"

#: how many words of context a snippet keeps around its first match
SNIPPET_WORDS = 16

#: the longest search taken: a few sentences.  A pasted page of thousands of words took
#: seconds to tens of seconds (every word must be found and marked) and finds nothing anyway
MAX_SEARCH_WORDS = 64
MAX_SEARCH_CHARACTERS = 1000

_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One entry a search found, best first.

    ``ask`` and ``snippet`` carry marks around the matched words; ``field`` is the attribute
    (``"lesson"``, ``"ask"``, …) whose text the snippet shows.
    """

    uuid: str
    attempted_on: date
    ask: str
    outcome: Outcome | None
    field: str
    snippet: str

    @property
    def is_open(self) -> bool:
        """The after half is still to be written."""
        return self.outcome is None


@dataclass(frozen=True, slots=True)
class SearchTerm:
    """A word to mark: ``text`` folded (see :func:`fold`), matching longer words if
    ``prefix``."""

    text: str
    prefix: bool = False

    def matches(self, folded_word: str) -> bool:
        return folded_word.startswith(self.text) if self.prefix else folded_word == self.text




def words(text: str) -> list[str]:
    """The words of ``text`` as the index splits it (letters and digits; the rest separates)."""
    return _TOKEN.findall(text)


def mark(text: str, terms: tuple[SearchTerm, ...] | list[SearchTerm]) -> str:
    """``text`` with every word that one of ``terms`` matches put between the marks."""
    if not terms:
        return text

    def one(match: re.Match[str]) -> str:
        folded = fold(match.group())
        if any(term.matches(folded) for term in terms):
            return f"{MARK_START}{match.group()}{MARK_END}"
        return match.group()

    return _TOKEN.sub(one, text)


def too_long(text: str) -> str | None:
    """Why ``text`` is too long to search for (one plain line), or None when it is not."""
    count = len(text.split())
    if count <= MAX_SEARCH_WORDS and len(text) <= MAX_SEARCH_CHARACTERS:
        return None
    size = (f"{count:,} words" if count > MAX_SEARCH_WORDS
            else f"{len(text):,} characters")
    return (f"That search is too long ({size}): search for up to {MAX_SEARCH_WORDS} words "
            f"({MAX_SEARCH_CHARACTERS:,} characters) at a time.")


def mark_count(marked: str) -> int:
    return marked.count(MARK_START)


def snippet(marked: str, size: int = SNIPPET_WORDS) -> str:
    """A short piece of ``marked`` (one line) around its first matched word, with "…" where
    text was left out.  Text without a match gives its beginning."""
    parts = marked.split()
    if not parts:
        return ""
    first = next((i for i, part in enumerate(parts) if MARK_START in part), 0)
    start = max(0, min(first - size // 4, len(parts) - size))
    end = min(len(parts), start + size)
    piece = " ".join(parts[start:end])
    return ("…" if start > 0 else "") + piece + ("…" if end < len(parts) else "")


def unmark(marked: str) -> str:
    """The text without its marks."""
    return marked.replace(MARK_START, "").replace(MARK_END, "")


def bold(marked: str) -> str:
    """The matched words as ``**word**`` (Markdown), for a terminal or a note."""
    return marked.replace(MARK_START, "**").replace(MARK_END, "**")


def marked_spans(marked: str) -> list[tuple[int, int]]:
    """(start, end) of each matched word in :func:`unmark` ``(marked)``."""
    spans: list[tuple[int, int]] = []
    plain_pos = 0
    start: int | None = None
    for char in marked:
        if char == MARK_START:
            start = plain_pos
        elif char == MARK_END:
            if start is not None:
                spans.append((start, plain_pos))
            start = None
        else:
            plain_pos += 1
    return spans
