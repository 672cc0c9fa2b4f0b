"""docs/json-format.md's revision recipe, followed word for word here without the app's code,
gives the revision the app stores: a file made by the documented recipe is stored unchanged."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import pytest

from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.experiment import AskMode, EntryKind, FearHappened
from rejection_journal.storage.export import attempt_to_dict
from rejection_journal.storage.revisions import revision

from .conftest import AttemptFactory

_ADDED_IN_ORDER = ("who_asked", "reasons", "other_reason", "hopefulness", "next_discomfort",
                   "next_no_chance")
#: format 6's keys, in the documented order, with the default each is left out at
_ADDED_IN_6: tuple[tuple[str, Any], ...] = (
    ("kind", "ask"), ("ask_mode", None), ("feared_outcome", ""),
               ("fear_likelihood", None), ("safety_behaviours", []), ("awaiting_answer", False),
               ("follow_up_on", None), ("fear_happened", None), ("fear_likelihood_after", None),
               ("surprise", None), ("safety_dropped", []))


def documented_revision(item: dict[str, Any]) -> str:
    """The recipe of docs/json-format.md "Revisions", from an export's attempt object."""
    reasons = item["reasons"]
    values: list[Any] = [
        "rejection-journal/attempt/1", item["challenge_uuid"], item["ask"], item["attempted_on"],
        item["anticipated_discomfort"], item["predicted_no_chance"], item["feelings_before"],
        item["worst_case"], item["outcome"], item["actual_discomfort"], item["feelings_after"],
        reasons[0] if len(reasons) == 1 else None, bool(item["asked_why"]), item["reflection"],
        item["lesson"],
    ]
    used = {key: item[key] for key in _ADDED_IN_ORDER
            if (key == "reasons" and len(reasons) >= 2)
            or (key in ("who_asked", "other_reason") and item[key])
            or (key in ("hopefulness", "next_discomfort", "next_no_chance")
                and item[key] is not None)}
    used.update({key: item[key] for key, default in _ADDED_IN_6 if item[key] != default})
    if used:
        values.append(used)
    payload = json.dumps(values, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


@pytest.mark.parametrize("changes", [
    {},
    {"reasons": (Reason.TIMING,)},
    {"reasons": (Reason.TIMING, Reason.POLICY)},
    {"reasons": (Reason.POLICY, Reason.TIMING, Reason.PERSONAL), "other_reason": "Closing time",
     "who_asked": "The baker", "hopefulness": -1, "next_discomfort": 4, "next_no_chance": 30},
    {"who_asked": "Zoë — “the café”", "asked_why": False},
    {"outcome": None, "actual_discomfort": None, "reasons": (), "feelings_after": "",
     "reflection": "", "lesson": "", "asked_why": False},
    {"outcome": Outcome.PARTIAL, "hopefulness": 0, "next_no_chance": 0},
    {"kind": EntryKind.HAPPENED_TO_ME, "ask_mode": AskMode.PHONE, "feared_outcome": "Silence",
     "fear_likelihood": 0, "safety_behaviours": ("script", "Mine ✓"), "outcome": Outcome.NO,
     "fear_happened": FearHappened.PARTLY, "fear_likelihood_after": 40, "surprise": 0,
     "safety_dropped": ("script",)},
    {"outcome": None, "actual_discomfort": None, "reasons": (), "awaiting_answer": True,
     "follow_up_on": date(2026, 3, 1)},
])
def test_the_documented_recipe_gives_the_stored_revision(
    make_attempt: AttemptFactory, changes: dict[str, Any],
) -> None:
    record = make_attempt(**changes)
    assert documented_revision(attempt_to_dict(record)) == revision(record)
