"""Attempts as the older export formats wrote them (for tests that build such files)."""

from __future__ import annotations

from typing import Any

#: the attempt keys format 3 added; formats 1 and 2 have ``reason`` instead of ``reasons``
ADDED_IN_3 = ("who_asked", "reasons", "other_reason", "hopefulness", "next_discomfort",
              "next_no_chance")


def as_format(item: dict[str, Any], format_version: int) -> dict[str, Any]:
    """``item`` (an attempt as the current format writes it) as ``format_version`` wrote it:
    one ``reason`` (or null) in place of ``reasons``, without the keys format 3 added.
    Refuses (AssertionError) an item that an older format could not have held."""
    if format_version >= 3:
        return dict(item)
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
