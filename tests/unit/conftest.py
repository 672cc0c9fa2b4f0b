"""Shared fixtures for the unit tests: real journals in temporary folders, real records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.records import AttemptRecord

AttemptFactory = Callable[..., AttemptRecord]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Where the journal lives (not created yet: opening the journal creates it)."""
    return tmp_path / "journal"


@pytest.fixture
def make_attempt() -> AttemptFactory:
    """Build a finished attempt on the first built-in challenge; keywords override fields."""
    challenge = builtin_challenges()[0]

    def build(**changes: object) -> AttemptRecord:
        values: dict[str, object] = {
            "ask": challenge.title,
            "challenge_uuid": challenge.uuid,
            "attempted_on": date(2024, 3, 10),
            "anticipated_discomfort": 8,
            "predicted_no_chance": 70,
            "feelings_before": "Tight chest.",
            "worst_case": "They laugh at me.",
            "outcome": Outcome.NO,
            "actual_discomfort": 3,
            "feelings_after": "Relieved.",
            "reasons": (Reason.TIMING,),
            "asked_why": True,
            "reflection": "They were busy.",
            "lesson": "Ask earlier in the day.",
        }
        values.update(changes)
        return AttemptRecord(**values)  # type: ignore[arg-type]

    return build
