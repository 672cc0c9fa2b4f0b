"""How text is matched, written once: the picker's search and the CLI's ``challenges
--search``, the full-text search's words, the boundary guard's names and asks, ladder goals and
near-duplicate titles all compare text through here.

The rule: Unicode compatibility forms are unified (NFKD: "ﬁ" is "fi", a full-width "Ａ" is
"A"), accents are dropped ("Café" is "cafe"), case is folded ("Straße" is "strasse") and runs of
white space are one space, trimmed at both ends.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """``text`` without case, accents or compatibility forms; its spaces as they were."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def match_key(text: str) -> str:
    """``text`` as two texts are compared: :func:`fold`, with white space collapsed."""
    return " ".join(fold(text).split())


def words(text: str) -> list[str]:
    """The words of ``text`` as they are matched (split on white space)."""
    return fold(text).split()
