"""``rejection-journal plan``: the "Build my plan" self-check's items, and the ladder proposed
from a file of answers (saved with ``--save``). The rules are the domain's
(:mod:`rejection_journal.domain.plan`), reached through :mod:`rejection_journal.services.plan`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from rejection_journal.cli.common import BadInputError, CommandError, reading_service, sole_writer

if TYPE_CHECKING:
    from rejection_journal.services.plan import Proposal


def cmd_plan(args: argparse.Namespace, data_dir: Path) -> str:
    if args.plan_command == "questions":
        return _questions(args.format)
    return _propose(args, data_dir)


def _questions(fmt: str) -> str:
    from rejection_journal.domain.plan import (
        ACCEPTANCE_ENDS,
        ACCEPTANCE_QUESTION,
        ANXIETY_ENDS,
        ANXIETY_QUESTION,
        RATING_MAX,
        RATING_MIN,
        check_items,
    )

    items = check_items()
    scales = [{"name": "anxiety", "question": ANXIETY_QUESTION, "min": RATING_MIN,
               "max": RATING_MAX, "min_means": ANXIETY_ENDS[0], "max_means": ANXIETY_ENDS[1]},
              {"name": "acceptance", "question": ACCEPTANCE_QUESTION, "min": RATING_MIN,
               "max": RATING_MAX, "min_means": ACCEPTANCE_ENDS[0],
               "max_means": ACCEPTANCE_ENDS[1]}]
    if fmt == "json":
        return json.dumps({"scales": scales,
                           "items": [{"id": i.id, "category": i.category.value, "text": i.text}
                                     for i in items]}, ensure_ascii=False, indent=2)
    lines = ["Rate each situation twice, from 1 to 6:",
             f"  anxiety:    {ANXIETY_QUESTION} (1 {ANXIETY_ENDS[0]}, 6 {ANXIETY_ENDS[1]})",
             f"  acceptance: {ACCEPTANCE_QUESTION} (1 {ACCEPTANCE_ENDS[0]}, "
             f"6 {ACCEPTANCE_ENDS[1]})", ""]
    lines += [f"{i.id:<20} [{i.category.label}] {i.text}" for i in items]
    lines += ["", 'Answers file for `plan propose`: {"item-id": [anxiety, acceptance], ...}']
    return "\n".join(lines)


def _read_answers(path: Path) -> dict[str, tuple[int, int]]:
    from rejection_journal.domain.plan import AnswersError, validated_answers

    try:
        raw = json.loads(path.expanduser().read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInputError(f"cannot read the answers file {path}: "
                            f"{exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInputError(f"the answers file {path} is not JSON ({exc})") from None
    try:
        return validated_answers(raw)
    except AnswersError as exc:
        where = f"item '{exc.item}': " if exc.item else ""
        raise BadInputError(f"the answers file {path}: {where}{exc.message}; "
                            "nothing was saved") from None


def _propose(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.services.opening import writing
    from rejection_journal.services.plan import PlanSource, save_plan

    answers = _read_answers(args.answers)
    goal = args.goal or ""
    if args.save:
        with sole_writer(data_dir, "save the plan"), writing(data_dir) as service:
            proposal = PlanSource(service).propose(answers, goal=goal, max_level=args.max_level)
            if not proposal.plan.rungs:
                raise CommandError("no challenges fit this plan; try a higher --max-level")
            ladder, _run = save_plan(service, [r.challenge for r in proposal.plan.rungs], goal)
        saved: str | None = ladder.goal
    else:
        with reading_service(data_dir) as maybe:
            proposal = PlanSource(maybe).propose(answers, goal=goal, max_level=args.max_level)
        saved = None
    return _json(proposal, saved) if args.format == "json" else _text(proposal, saved)


def _json(proposal: Proposal, saved: str | None) -> str:
    result, plan = proposal.result, proposal.plan
    return json.dumps({
        "result": {"overall": round(result.overall, 2),
                   "categories": {c.category.value: round(c.score, 2)
                                  for c in result.categories}},
        "goal": plan.goal, "goal_category": plan.goal_category and plan.goal_category.value,
        "start_level": plan.start_level, "max_level": plan.max_level,
        "rungs": [{"challenge_id": r.challenge.uuid, "title": r.challenge.title,
                   "level": r.challenge.level, "category": r.challenge.category.value,
                   "reason": r.reason} for r in plan.rungs],
        "note": plan.note, "saved_as": saved,
    }, ensure_ascii=False, indent=2)


def _text(proposal: Proposal, saved: str | None) -> str:
    from rejection_journal.domain.plan import category_line, plan_lines, result_sentences

    lines = result_sentences(proposal.result)
    lines += ["", *(category_line(c) for c in proposal.result.categories), ""]
    lines.append(f"Proposed ladder (from level {proposal.plan.start_level}, nothing above "
                 f"{proposal.plan.max_level}):")
    lines += plan_lines(proposal.plan)
    if proposal.plan.note:
        lines += ["", proposal.plan.note]
    lines.append("")
    lines.append(f"Saved as the ladder “{saved}”." if saved is not None
                 else "Not saved: add --save to keep it as a ladder.")
    return "\n".join(lines)
