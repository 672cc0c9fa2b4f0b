"""Attempts as the older export formats wrote them (for tests that build such files)."""

from __future__ import annotations

from typing import Any

#: the attempt keys format 3 added; formats 1 and 2 have ``reason`` instead of ``reasons``
ADDED_IN_3 = ("who_asked", "reasons", "other_reason", "hopefulness", "next_discomfort",
              "next_no_chance")
#: the attempt keys format 6 added, with their defaults (what an older file leaves them at)
ADDED_IN_6: dict[str, Any] = {
    "kind": "ask", "ask_mode": None, "feared_outcome": "", "fear_likelihood": None,
    "safety_behaviours": [], "awaiting_answer": False, "follow_up_on": None,
    "fear_happened": None, "fear_likelihood_after": None, "surprise": None,
    "safety_dropped": []}


def as_format(item: dict[str, Any], format_version: int) -> dict[str, Any]:
    """``item`` (an attempt as the current format writes it) as ``format_version`` wrote it:
    one ``reason`` (or null) in place of ``reasons``, without the keys format 3 added, and
    before format 6 without the keys it added.  Refuses (AssertionError) an item that an older
    format could not have held."""
    if format_version >= 6:
        return dict(item)
    for key, default in ADDED_IN_6.items():
        assert item.get(key, default) == default, f"format {format_version} had no {key}"
    item = {key: value for key, value in item.items() if key not in ADDED_IN_6}
    if format_version >= 3:
        return item
    reasons = item.get("reasons", [])
    assert len(reasons) <= 1, "formats 1 and 2 held one reason at most"
    converted: dict[str, Any] = {}
    for key, value in item.items():
        if key == "reasons":
            converted["reason"] = reasons[0] if reasons else None
        elif key in ADDED_IN_3:
            assert value in ("", None), f"formats 1 and 2 had no {key}"
        else:
            converted[key] = value
    return converted
