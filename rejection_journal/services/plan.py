"""Build my plan, as a use case: score a self-check, propose a first ladder from the journal's
own challenges, and save it (optionally starting a 30-day run on it). The rules are in
:mod:`rejection_journal.domain.plan`; the window and ``rejection-journal plan`` both call here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.picker import Ladder, Rung
from rejection_journal.domain.plan import (
    Answers,
    CheckResult,
    Plan,
    alternatives,
    propose_plan,
    score_answers,
    settled_challenges,
)
from rejection_journal.domain.records import LEVEL_MAX, ChallengeRecord
from rejection_journal.domain.runs import RunRecord
from rejection_journal.domain.text_match import match_key
from rejection_journal.services.journal_service import JournalService

#: a saved plan without a goal of its own is called this (numbered when taken)
DEFAULT_GOAL = "My first plan"
RUN_DAYS = 30


@dataclass(frozen=True, slots=True)
class Proposal:
    result: CheckResult
    plan: Plan


class PlanSource:
    """The challenges a plan may use: the journal's (or, with no journal yet, the built-in
    library), and the ones to leave out because they are already settled."""

    def __init__(self, service: JournalService | None) -> None:
        if service is None:
            self.library: list[ChallengeRecord] = list(builtin_challenges())
            self.settled: frozenset[str] = frozenset()
        else:
            self.library = service.challenges(include_archived=True)
            self.settled = settled_challenges(service.journal.challenge_history())

    def propose(self, answers: Answers, *, goal: str = "", max_level: int = LEVEL_MAX
                ) -> Proposal:
        """Validated ``answers`` scored, and the proposed ladder (deterministic)."""
        return Proposal(score_answers(answers),
                        propose_plan(answers, self.library, goal=goal, max_level=max_level,
                                     skip=self.settled))

    def similar(self, plan_uuids: Sequence[str], challenge: ChallengeRecord,
                max_level: int = LEVEL_MAX) -> list[ChallengeRecord]:
        """Challenges to swap ``challenge`` for (same category, a level within one)."""
        return alternatives(plan_uuids, challenge, self.library, max_level=max_level,
                            skip=self.settled)


def free_goal(service: JournalService, goal: str) -> str:
    """``goal`` (or :data:`DEFAULT_GOAL`), numbered "(2)", "(3)" ... when a ladder has it."""
    base = " ".join(goal.split()) or DEFAULT_GOAL
    taken = {match_key(ladder.goal) for ladder in service.ladders()}
    name, number = base, 1
    while match_key(name) in taken:
        number += 1
        name = f"{base} ({number})"
    return name


def save_plan(service: JournalService, challenges: Sequence[ChallengeRecord], goal: str = "",
              *, start_run: bool = False) -> tuple[Ladder, RunRecord | None]:
    """Save the (possibly edited) plan as an ordinary ladder, easiest first; undoable like
    any new ladder. ``start_run``: also start a 30-day run on it today."""
    name = free_goal(service, goal)
    ladder = service.save_ladder(Ladder(name, tuple(Rung(c.uuid) for c in challenges)),
                                 description=f"Build my plan: {name}")
    run = service.start_run(RUN_DAYS, ladder_uuid=ladder.uuid) if start_run else None
    return ladder, run
