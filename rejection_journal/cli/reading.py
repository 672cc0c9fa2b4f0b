"""The commands that only read: the challenge library, today's challenge, the ladders and
search. Each works beside the running app and on a read-only journal."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rejection_journal.cli.common import CommandError, one_line, reading_service

if TYPE_CHECKING:
    from rejection_journal.domain.ladders import LadderOverview
    from rejection_journal.domain.records import ChallengeRecord


def _challenge_item(challenge: ChallengeRecord) -> dict[str, object]:
    return {"id": challenge.uuid, "title": challenge.title, "how_to": challenge.how_to,
            "respect_note": challenge.respect_note, "category": challenge.category.value,
            "level": challenge.level, "built_in": not challenge.is_custom}


def _usage_item(usage: tuple[int, date] | None) -> dict[str, object]:
    """How often a challenge was done and when last: the picker's "done 3× · last 12 Nov"
    (``JournalService.challenge_usage``, the same call the picker makes)."""
    count, last = usage if usage is not None else (0, None)
    return {"done": count, "last_done": None if last is None else last.isoformat()}


def cmd_challenges(args: argparse.Namespace, data_dir: Path) -> str:
    import json

    from rejection_journal.domain.library import builtin_challenges
    from rejection_journal.domain.picker import matches_search

    if args.level is not None and (args.min_level is not None or args.max_level is not None):
        raise CommandError("give either --level or --min-level/--max-level, not both")
    low = args.level if args.level is not None else (args.min_level or 1)
    high = args.level if args.level is not None else (args.max_level or 10)
    if low > high:
        raise CommandError(f"--min-level {low} is above --max-level {high}; no level is both")
    with reading_service(data_dir) as service:
        found = list(builtin_challenges()) if service is None else service.challenges()
        usage = {} if service is None else service.challenge_usage()
    found.sort(key=lambda c: (c.level, c.title.casefold()))
    # the picker's own search rule (case and accents ignored: "cafe" finds "café")
    chosen = [
        c for c in found
        if (args.category is None or c.category.value == args.category)
        and low <= c.level <= high and matches_search(c, args.search or "")
    ]
    if args.format == "json":
        return json.dumps([{**_challenge_item(c), **_usage_item(usage.get(c.uuid))}
                           for c in chosen], ensure_ascii=False, indent=2)
    if not chosen:
        return "No challenges match these filters; try a wider level range or fewer words."
    return "\n".join(f"{c.level:>2}  {c.category.label:<20}  {c.title}"
                     + ("  (your own)" if c.is_custom else "") for c in chosen)


def cmd_today(args: argparse.Namespace, data_dir: Path) -> str:
    import json

    from rejection_journal.domain.library import builtin_challenges
    from rejection_journal.domain.picker import todays_challenge
    from rejection_journal.services.clock import Clock

    day = args.date or Clock().today()
    ladder_note: dict[str, object] | None = None
    open_entries = 0
    with reading_service(data_dir) as service:
        if service is None:
            pick = todays_challenge(day, builtin_challenges(), [])
        else:
            # the status bar's "3 open entries — review" and every chart's open count
            open_entries = service.open_count()
            ladder = service.find_ladder(None)
            suggestion = None if ladder is None else service.ladder_suggestion(ladder.uuid)
            rung = None if suggestion is None else suggestion.rung
            pick = service.todays_challenge(day, rung)
            if ladder is not None and suggestion is not None and rung is not None \
                    and pick is not None and pick.uuid == rung.challenge_uuid:
                ladder_note = {"uuid": ladder.uuid, "goal": ladder.goal,
                               "step": (suggestion.index or 0) + 1,
                               "steps": len(ladder.rungs),
                               "why": suggestion.explanation}
    if pick is None:
        raise CommandError("there is no challenge to suggest: every challenge is archived")
    if args.format == "json":
        return json.dumps({"date": day.isoformat(), **_challenge_item(pick),
                           "ladder": ladder_note, "open_entries": open_entries},
                          ensure_ascii=False, indent=2)
    lines = [f"Challenge for {day.isoformat()}: {pick.title}",
             f"Level {pick.level} · {pick.category.label}"
             + (" · your own" if pick.is_custom else "")]
    if pick.how_to:
        lines.append(f"How: {pick.how_to}")
    if pick.respect_note:
        lines.append(f"Respect: {pick.respect_note}")
    if ladder_note is not None:
        lines.append(f"Step {ladder_note['step']} of {ladder_note['steps']} on your ladder "
                     f"“{ladder_note['goal']}”: {ladder_note['why']}")
    return "\n".join(lines)


NO_LADDERS_TEXT = ("No ladders yet. A ladder breaks a goal into small steps, easiest first; "
                   "start one on the window's Ladders tab.")


def _ladder_item(overview: LadderOverview) -> dict[str, object]:
    """One ladder as ``ladders --format json`` gives it: the service's numbers, unchanged."""
    suggestion = overview.suggestion
    return {
        "uuid": overview.ladder.uuid,
        "goal": overview.ladder.goal,
        "rungs": [{"challenge_uuid": stats.rung.challenge_uuid, "title": stats.rung.title,
                   "level": stats.rung.level, "tries": stats.attempts,
                   "latest_expected": stats.latest_anticipated,
                   "latest_felt": stats.latest_actual} for stats in overview.rungs],
        "next": {"index": suggestion.index,
                 "challenge_uuid": None if suggestion.rung is None
                 else suggestion.rung.challenge_uuid,
                 "reason": suggestion.explanation},
    }


def _ladder_lines(overview: LadderOverview) -> list[str]:
    """A ladder as readable lines: its goal, each step (▶ marks the next) and why that one."""
    from rejection_journal.domain.ladders import rung_summary
    from rejection_journal.domain.picker import Step

    suggestion = overview.suggestion
    lines = [f"{overview.ladder.goal}  ({overview.ladder.uuid})"]
    if not overview.rungs:
        lines.append("  no steps yet")
    for stats in overview.rungs:
        # marked as the Ladders tab marks it (ui/ladders.py)
        mark = "▶" if suggestion.step is not Step.EMPTY and suggestion.index == stats.index \
            else " "
        level = "" if stats.rung.level is None else f"L{stats.rung.level} · "
        title = stats.rung.title or "(a challenge no longer in the journal)"
        lines.append(f"{mark} {stats.index + 1:>2}. {level}{title} — {rung_summary(stats)}")
    if suggestion.rung is not None and suggestion.index is not None:
        lines.append(f"  Next: step {suggestion.index + 1}, "
                     f"“{suggestion.rung.title or 'this step'}”. {suggestion.explanation}")
    else:
        lines.append(f"  {suggestion.explanation}")
    return lines


def cmd_ladders(args: argparse.Namespace, data_dir: Path) -> str:
    import json

    # The same calls the Ladders tab makes (JournalService.ladder_overview); nothing is
    # computed here.  Reads only: works beside the running app and on a read-only disk.
    with reading_service(data_dir) as service:
        overviews = [] if service is None else [service.ladder_overview(ladder.uuid)
                                                for ladder in service.ladders()]
    if args.format == "json":
        return json.dumps([_ladder_item(o) for o in overviews], ensure_ascii=False, indent=2)
    if not overviews:
        return NO_LADDERS_TEXT
    return "\n\n".join("\n".join(_ladder_lines(o)) for o in overviews)


def cmd_search(args: argparse.Namespace, data_dir: Path) -> str:
    import json

    from rejection_journal.domain.labels import label
    from rejection_journal.domain.search import bold, marked_spans, unmark
    from rejection_journal.services.opening import has_journal, reading

    text = " ".join(args.text)
    if not has_journal(data_dir):
        raise CommandError(f"no journal in {data_dir}")
    # Reads only, like export: works beside the running app and on a read-only disk.
    with reading(data_dir) as service:
        hits = service.search(text, limit=args.limit)
    if args.format == "json":
        return json.dumps([
            {"uuid": hit.uuid, "date": hit.attempted_on.isoformat(), "ask": unmark(hit.ask),
             "outcome": hit.outcome.value if hit.outcome else None, "field": hit.field,
             "snippet": unmark(hit.snippet), "ask_matches": marked_spans(hit.ask),
             "snippet_matches": marked_spans(hit.snippet)}
            for hit in hits], ensure_ascii=False, indent=2)
    if not hits:
        return f"Nothing found for “{' '.join(text.split())}”."
    blocks = []
    for hit in hits:
        outcome = hit.outcome.label if hit.outcome else "open"
        lines = [f"{hit.attempted_on.isoformat()}  {hit.uuid}  ({outcome})",
                 f"  {one_line(bold(hit.ask), 200)}"]
        if hit.field != "ask":
            lines.append(f"  {label(hit.field)}: {one_line(bold(hit.snippet), 200)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
