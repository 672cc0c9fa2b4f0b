"""``rejection-journal``: opens the window, or runs a subcommand for scripting.

Every subcommand exits non-zero with a one-line message on bad input and writes nothing then.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import shlex
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from rejection_journal import __version__
from rejection_journal.paths import ENV_DATA_DIR, DataDirError, resolve_data_dir

if TYPE_CHECKING:
    from rejection_journal.domain.ladders import LadderOverview
    from rejection_journal.domain.records import ChallengeRecord
    from rejection_journal.services import JournalService
    from rejection_journal.services.errors import DamagedJournalError

PROG = "rejection-journal"
MAX_DEMO_ENTRIES = 200_000


class CommandError(Exception):
    """A one-line, user-facing reason a command did nothing."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _whole_number(text: str, low: int, high: int, range_text: str | None = None) -> int:
    """``text`` as a whole number from ``low`` to ``high``, or argparse's one-line error
    (``range_text``: how the range is said, e.g. "levels go from 1 to 10")."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not low <= value <= high:
        said = range_text or f"must be from {low:,} to {high:,}"
        raise argparse.ArgumentTypeError(f"{said}, not {value}")
    return value


def _entries(text: str) -> int:
    return _whole_number(text, 1, MAX_DEMO_ENTRIES)


def _chart_file(text: str) -> Path:
    """``chart --out``: the format comes from the extension, checked before anything runs."""
    from rejection_journal.charts.export import (
        DATA_FORMATS,
        EXPORT_FORMATS,
        ChartExportError,
        resolve_target,
    )

    path = Path(text).expanduser()
    try:
        resolve_target(path, None, {**EXPORT_FORMATS, **DATA_FORMATS})
    except ChartExportError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return path


def _chart_kind(text: str) -> str:
    from rejection_journal.charts.registry import KIND_NAMES

    if text not in KIND_NAMES:
        raise argparse.ArgumentTypeError(
            f"unknown chart kind '{text}': choose from {', '.join(KIND_NAMES)}")
    return text


def _dpi(text: str) -> int:
    from rejection_journal.charts.export import DPI_MAX, DPI_MIN

    return _whole_number(text, DPI_MIN, DPI_MAX)


def _inches(text: str) -> float:
    from rejection_journal.charts.export import SIZE_MAX, SIZE_MIN

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of inches") from None
    if not SIZE_MIN <= value <= SIZE_MAX:
        raise argparse.ArgumentTypeError(
            f"must be from {SIZE_MIN:g} to {SIZE_MAX:g} inches, not {text}")
    return value


def _day(text: str) -> date:
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-01-31")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a real date") from None


def _category(text: str) -> str:
    from rejection_journal.domain.enums import Category

    names = [c.value for c in Category]
    if text.lower() not in names:
        raise argparse.ArgumentTypeError(
            f"unknown category '{text}': choose from {', '.join(names)}")
    return text.lower()


def _level(text: str) -> int:
    from rejection_journal.domain.records import LEVEL_MAX, LEVEL_MIN

    return _whole_number(text, LEVEL_MIN, LEVEL_MAX,
                         f"levels go from {LEVEL_MIN} to {LEVEL_MAX}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="A private journal for rejection therapy. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"use the journal in DIR (default: ${ENV_DATA_DIR} or your user data folder)",
    )
    menu = parser.add_mutually_exclusive_group()
    menu.add_argument("--install-desktop-entry", dest="desktop_entry", action="store_const",
                      const="install", help="add Rejection Journal to your desktop's application "
                      "menu (for this user; files go under $XDG_DATA_HOME or ~/.local/share)")
    menu.add_argument("--uninstall-desktop-entry", dest="desktop_entry", action="store_const",
                      const="uninstall", help="remove that menu entry and its icons again")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser("demo", help="fill an EMPTY journal with realistic synthetic "
                          "attempts, or remove them again")
    demo_action = demo.add_mutually_exclusive_group(required=True)
    demo_action.add_argument("--entries", type=_entries, metavar="N",
                             help="how many attempts to create")
    demo_action.add_argument("--remove", action="store_true",
                             help="remove the demo data; demo items you changed stay, as "
                             "your own")
    demo.add_argument("--seed", type=int, metavar="S",
                      help="random seed, for repeatable demo content (default 0; with "
                      "--entries)")

    challenges = sub.add_parser("challenges", help="list the challenge library and your own "
                                "challenges (filter by category, level, words)")
    challenges.add_argument("--category", type=_category, metavar="C",
                            help="only challenges of this category")
    challenges.add_argument("--level", type=_level, metavar="N",
                            help="only challenges of this level (1 to 10)")
    challenges.add_argument("--min-level", type=_level, metavar="N",
                            help="only challenges of at least this level")
    challenges.add_argument("--max-level", type=_level, metavar="M",
                            help="only challenges of at most this level")
    challenges.add_argument("--search", metavar="TEXT",
                            help="only challenges whose title or how-to holds every word")
    challenges.add_argument("--format", choices=("text", "json"), default="text")

    today = sub.add_parser("today", help="print the day's suggested challenge (the same all "
                           "day; your current ladder step when you are climbing one)")
    today.add_argument("--date", type=_day, metavar="YYYY-MM-DD",
                       help="the day to suggest for (default: today)")
    today.add_argument("--format", choices=("text", "json"), default="text")

    ladders = sub.add_parser("ladders", help="list your fear ladders: each step's tries and "
                             "latest ratings, and the step to practise next")
    ladders.add_argument("--format", choices=("text", "json"), default="text")

    export = sub.add_parser("export", help="export the journal as JSON (everything) or CSV")
    export.add_argument("--format", choices=("json", "csv"), required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help="file to write (replaced whole, or not at all)")
    export.add_argument("--force", action="store_true",
                        help="replace FILE if it already exists")

    chart = sub.add_parser("chart", help="save a chart (or the numbers it plots) as a file; "
                           "--list names the kinds")
    chart.add_argument("--list", action="store_true", help="name the chart kinds and stop")
    chart.add_argument("--kind", type=_chart_kind, default="gap", metavar="KIND",
                       help="which chart (default: gap; see --list)")
    chart.add_argument("--out", type=_chart_file, metavar="FILE",
                       help="file to write: .png, .svg, .pdf, or .csv for the plotted numbers "
                       "(the extension decides)")
    chart.add_argument("--dpi", type=_dpi, metavar="N",
                       help="PNG resolution, dots per inch (72 to 600; default 150)")
    chart.add_argument("--width", type=_inches, metavar="INCHES", help="default 8")
    chart.add_argument("--height", type=_inches, metavar="INCHES", help="default 5.5")
    chart.add_argument("--since", type=_day, metavar="YYYY-MM-DD",
                       help="only entries from this day on")
    chart.add_argument("--until", type=_day, metavar="YYYY-MM-DD",
                       help="only entries up to this day")
    chart.add_argument("--category", type=_category, metavar="C",
                       help="only asks from challenges of this category")
    chart.add_argument("--ladder", metavar="NAME", help="the ladder to chart (kind 'ladder')")
    chart.add_argument("--force", action="store_true",
                       help="replace FILE if it already exists")

    backup = sub.add_parser("backup", help="back up the journal now (into the backups folder)")
    backup.add_argument("--use-linked-folder", action="store_true",
                        help="the backups folder is a link to a folder you chose elsewhere: "
                             "use it from now on (its permissions are left as they are)")
    restore = sub.add_parser(
        "restore", help="list backups, or restore one (the current journal is backed up first)"
    )
    restore.add_argument("file", nargs="?", metavar="FILE",
                         help="a backup file, or just its name as listed (omit to list backups)")

    imp = sub.add_parser("import", help="merge a JSON export into the journal (by UUID; "
                         "nothing is deleted, a bad file changes nothing)")
    imp.add_argument("file", type=Path, metavar="FILE",
                     help="a file written by 'export --format json'")

    versions = sub.add_parser(
        "versions", help="list an entry's earlier versions, or bring one back (--restore N)"
    )
    versions.add_argument("entry", metavar="ENTRY-UUID", help="the entry's UUID")
    versions.add_argument("--restore", type=_version_number, metavar="N",
                          help="bring back version N as listed (the current one is kept)")

    search = sub.add_parser("search", help="find entries by what they say (ranked, best first)")
    search.add_argument("text", nargs="+", metavar="TEXT",
                        help="words to find (all of them; the last also as a word's start), "
                        "or an SQLite FTS5 query: OR, NOT, \"a phrase\", NEAR(a b), lesson:word")
    search.add_argument("--limit", type=_search_limit, default=20, metavar="N",
                        help=f"show at most N hits (1 to {MAX_SEARCH_HITS:,}; default 20)")
    search.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (matched words in **bold**) or json (default: text)")
    return parser


MAX_SEARCH_HITS = 1000


def _search_limit(text: str) -> int:
    return _whole_number(text, 1, MAX_SEARCH_HITS)


def _version_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


@contextlib.contextmanager
def _sole_writer(data_dir: Path, action: str) -> Iterator[None]:
    """Hold the journal's one-writer lock for ``action``; refuse while the app or another
    command has it, naming which (and its PID)."""
    from rejection_journal.lock import (
        LockUnavailableError,
        find_holder,
        journal_lock,
        try_lock,
    )
    from rejection_journal.paths import ensure_private_dir
    from rejection_journal.services.opening import read_only_reason

    reason = read_only_reason(data_dir)
    if reason is not None:
        raise CommandError(f"the journal in {data_dir} is read-only because {reason}; "
                           f"make it writable, then {action}")
    ensure_private_dir(data_dir)
    lock = journal_lock(data_dir)
    try:
        taken = try_lock(lock, data_dir)
    except LockUnavailableError as exc:  # a full disk, a holder that cannot be checked
        raise CommandError(str(exc)) from None
    if not taken:
        holder = find_holder(lock, data_dir, COMMANDS)
        pid = f" (PID {holder.pid})" if holder.pid else ""
        if holder.command is None:
            raise CommandError(
                f"the journal is open in Rejection Journal{pid}; close the app, then {action}"
            )
        pid = f", PID {holder.pid}" if holder.pid else ""
        raise CommandError(
            f"the journal is in use by another {PROG} command ('{holder.command}'{pid}); "
            f"wait for it to finish, then {action}"
        )
    try:
        yield
    finally:
        lock.unlock()


def _cmd_demo(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.services.opening import has_journal, writing

    if args.remove:
        if args.seed is not None:
            raise CommandError("--seed goes with --entries, not with --remove")
        if not has_journal(data_dir):
            raise CommandError(f"no journal in {data_dir}")
        with _sole_writer(data_dir, "remove demo data"), writing(data_dir) as service:
            return service.remove_demo_data().summary()
    with _sole_writer(data_dir, "add demo data"), writing(data_dir) as service:
        if service.attempt_count():
            raise CommandError(
                f"the journal in {data_dir} already has entries; demo data only goes into an "
                "empty journal (try --data-dir with a new folder)"
            )
        ladders, runs = len(service.ladders()), len(service.runs())
        count = service.add_demo_data(args.entries, seed=args.seed or 0)
        ladders, runs = len(service.ladders()) - ladders, len(service.runs()) - runs
    return (f"Added {count} demo attempts, {ladders} fear ladders and {runs} challenge "
            f"run{'' if runs == 1 else 's'} to {data_dir}")


def _output_file(path: Path, data_dir: Path, *, force: bool) -> Path:
    """Where an export or image may be written: a regular file, not the journal's own."""
    from rejection_journal.fileio import TargetExistsError, UnsafeTargetError, check_export_target

    try:
        return check_export_target(path, data_dir, force=force)
    except TargetExistsError as exc:
        raise CommandError(f"{exc}; add --force to replace it") from None
    except UnsafeTargetError as exc:
        raise CommandError(str(exc)) from None


@contextlib.contextmanager
def _reading_service(data_dir: Path) -> Iterator[JournalService | None]:
    """The journal's service, opened read-only (safe beside the running app and on a
    read-only disk); None when there is no journal yet (the built-in library still is)."""
    from rejection_journal.services.opening import reading_if_any

    with reading_if_any(data_dir) as service:
        yield service


def _challenge_item(challenge: ChallengeRecord) -> dict[str, object]:
    return {"id": challenge.uuid, "title": challenge.title, "how_to": challenge.how_to,
            "respect_note": challenge.respect_note, "category": challenge.category.value,
            "level": challenge.level, "built_in": not challenge.is_custom}


def _cmd_challenges(args: argparse.Namespace, data_dir: Path) -> str:
    import json

    from rejection_journal.domain.library import builtin_challenges
    from rejection_journal.domain.picker import matches_search

    if args.level is not None and (args.min_level is not None or args.max_level is not None):
        raise CommandError("give either --level or --min-level/--max-level, not both")
    low = args.level if args.level is not None else (args.min_level or 1)
    high = args.level if args.level is not None else (args.max_level or 10)
    if low > high:
        raise CommandError(f"--min-level {low} is above --max-level {high}; no level is both")
    with _reading_service(data_dir) as service:
        found = list(builtin_challenges()) if service is None else service.challenges()
    found.sort(key=lambda c: (c.level, c.title.casefold()))
    # the picker's own search rule (case and accents ignored: "cafe" finds "café")
    chosen = [
        c for c in found
        if (args.category is None or c.category.value == args.category)
        and low <= c.level <= high and matches_search(c, args.search or "")
    ]
    if args.format == "json":
        return json.dumps([_challenge_item(c) for c in chosen], ensure_ascii=False, indent=2)
    if not chosen:
        return "No challenges match these filters; try a wider level range or fewer words."
    return "\n".join(f"{c.level:>2}  {c.category.label:<20}  {c.title}"
                     + ("  (your own)" if c.is_custom else "") for c in chosen)


def _cmd_today(args: argparse.Namespace, data_dir: Path) -> str:
    import json

    from rejection_journal.domain.library import builtin_challenges
    from rejection_journal.domain.picker import todays_challenge
    from rejection_journal.services.clock import Clock

    day = args.date or Clock().today()
    ladder_note: dict[str, object] | None = None
    with _reading_service(data_dir) as service:
        if service is None:
            pick = todays_challenge(day, builtin_challenges(), [])
        else:
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
                           "ladder": ladder_note}, ensure_ascii=False, indent=2)
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
        if stats.attempts == 0:
            said = "not tried yet"
        else:
            said = f"{stats.attempts} tr{'y' if stats.attempts == 1 else 'ies'}"
            ratings = [f"{name} {value}" for name, value in
                       (("expected", stats.latest_anticipated), ("felt", stats.latest_actual))
                       if value is not None]
            if ratings:
                said += " · last: " + ", ".join(ratings)
        lines.append(f"{mark} {stats.index + 1:>2}. {level}{title} — {said}")
    if suggestion.rung is not None and suggestion.index is not None:
        lines.append(f"  Next: step {suggestion.index + 1}, "
                     f"“{suggestion.rung.title or 'this step'}”. {suggestion.explanation}")
    else:
        lines.append(f"  {suggestion.explanation}")
    return lines


def _cmd_ladders(args: argparse.Namespace, data_dir: Path) -> str:
    import json

    # The same calls the Ladders tab makes (JournalService.ladder_overview); nothing is
    # computed here.  Reads only: works beside the running app and on a read-only disk.
    with _reading_service(data_dir) as service:
        overviews = [] if service is None else [service.ladder_overview(ladder.uuid)
                                                for ladder in service.ladders()]
    if args.format == "json":
        return json.dumps([_ladder_item(o) for o in overviews], ensure_ascii=False, indent=2)
    if not overviews:
        return NO_LADDERS_TEXT
    return "\n\n".join("\n".join(_ladder_lines(o)) for o in overviews)


def _cmd_export(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.services.files import export_to
    from rejection_journal.services.opening import has_journal, reading

    out = _output_file(args.out, data_dir, force=args.force)
    if not has_journal(data_dir):
        raise CommandError(f"no journal in {data_dir}")
    # Read-only, always: an export writes nothing into the journal's folder, so a journal on a
    # read-only disk (or in a read-only folder) can be exported too.
    with reading(data_dir) as service:
        count = export_to(service, out, args.format)
    return f"Exported {count} attempts to {out}"


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a command loads a whole journal or import file:
    the rows and records hold no cycles (reference counting frees them), yet with 100,000
    entries the collector would walk them again and again (about a sixth of a chart
    export's time, a tenth of an import's)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _cmd_chart(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.charts.export import (
        DATA_FORMATS,
        DEFAULT_DPI,
        EXPORT_FORMATS,
        resolve_target,
        save_csv,
        save_figure,
    )
    from rejection_journal.charts.gap import left_out_note
    from rejection_journal.charts.registry import KINDS, kind_named
    from rejection_journal.domain.chart_stats import ChartFilter, GapView
    from rejection_journal.services.opening import has_journal, reading

    if args.list:
        width = max(len(kind.name) for kind in KINDS)
        return "\n".join(f"{kind.name:<{width}}  {kind.title}: {kind.description}"
                         for kind in KINDS)
    if args.out is None:
        raise CommandError("say where to write the chart with --out FILE (or use --list)")
    if args.since and args.until and args.since > args.until:
        raise CommandError(f"--since {args.since} is after --until {args.until}; nothing "
                           "to chart")
    path, fmt = resolve_target(args.out, None, {**EXPORT_FORMATS, **DATA_FORMATS})
    out = _output_file(path, data_dir, force=args.force)
    if not has_journal(data_dir):
        raise CommandError(f"no journal in {data_dir}")
    kind = kind_named(args.kind)
    flt = ChartFilter(args.since, args.until, args.category, args.ladder)
    with _no_cycle_collection(), reading(data_dir) as service:
        if kind.name == "ladder" and args.ladder is not None \
                and service.find_ladder(args.ladder) is None:
            goals = ", ".join(f"'{ladder.goal}'" for ladder in service.ladders())
            raise CommandError(f"there is no ladder called '{args.ladder}' in the journal "
                               + (f"(its ladders: {goals})" if goals else "(it has none yet)"))
        data = kind.load(service, flt)
    if fmt == "csv":
        header, rows = kind.csv(data)
        save_csv(header, rows, out)
        what = f"the numbers of the {kind.name} chart ({len(rows):,} rows)"
    else:
        size = (args.width or 8.0, args.height or 5.5)
        save_figure(kind.figure(data, size=size), out, dpi=args.dpi or DEFAULT_DPI, fmt=fmt)
        what = f"the {kind.name} chart"
    note = left_out_note(data) if isinstance(data, GapView) else ""
    empty = " (nothing to show yet: it says so)" if kind.is_empty(data) else ""
    return f"Saved {what} to {out}{empty}" + (f" ({note})" if note else "")


#: how many entries with both versions an import names, before "and N more"
_CONFLICTS_LISTED = 10


def _cmd_import(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.services import JournalService
    from rejection_journal.services.files import merge_file
    from rejection_journal.services.opening import writing

    # The whole file is checked before the journal is opened: a bad file changes nothing.
    with _no_cycle_collection():
        plan = JournalService.read_import(args.file.expanduser())
        with _sole_writer(data_dir, "import"), writing(data_dir) as service:
            # A pre-import backup is made only if the import will change something.
            result = merge_file(service, plan)
    lines = [result.summary()]
    if result.conflict_uuids:
        shown = result.conflict_uuids[:_CONFLICTS_LISTED]
        more = len(result.conflict_uuids) - len(shown)
        lines.append(f"Both versions are kept for (see them with '{PROG} versions "
                     "ENTRY-UUID'):")
        lines.extend(f"  {uuid}" for uuid in shown)
        if more:
            lines.append(f"  and {more:,} more")
    return "\n".join(lines)


def _one_line(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cmd_versions(args: argparse.Namespace, data_dir: Path) -> str:
    from datetime import UTC

    from rejection_journal.services.files import bring_back_version, entry_versions
    from rejection_journal.services.opening import has_journal, reading, writing

    if not has_journal(data_dir):
        raise CommandError(f"no journal in {data_dir}")
    if args.restore is not None:
        with _sole_writer(data_dir, "bring back a version"), writing(data_dir) as service:
            restored, changed = bring_back_version(service, args.entry, args.restore)
        if not changed:
            return f"Version {args.restore} is what the entry holds now; nothing changed."
        return (f"Brought back version {args.restore} of \"{_one_line(restored.ask)}\"; the "
                f"version it replaced is kept as version 1 ('{PROG} versions {args.entry}').")
    # Listing reads only: it works beside the running app and on a read-only journal.
    with reading(data_dir) as service:
        current, versions = entry_versions(service, args.entry)
    if not versions:
        return f"\"{_one_line(current.ask)}\" has no earlier versions."
    lines = [f"\"{_one_line(current.ask)}\": {len(versions)} kept version"
             f"{'s' if len(versions) != 1 else ''}, newest first"]
    for version in versions:
        when = version.saved_at.replace(tzinfo=UTC).astimezone()
        origin = "imported, changed on both sides" if version.conflict else "before a change"
        fields = version.differs_in
        differs = ("differs in: " + ", ".join(fields)) if fields else "same as now"
        lines.append(f"{version.number:>3}  {when:%Y-%m-%d %H:%M}  {origin:<31}  {differs}")
    lines.append(f"Bring one back with '{PROG} versions {args.entry} --restore N'.")
    return "\n".join(lines)


def _cmd_search(args: argparse.Namespace, data_dir: Path) -> str:
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
                 f"  {_one_line(bold(hit.ask), 200)}"]
        if hit.field != "ask":
            lines.append(f"  {label(hit.field)}: {_one_line(bold(hit.snippet), 200)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _cmd_backup(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.paths import database_path
    from rejection_journal.services.files import back_up

    path = database_path(data_dir)
    if not path.is_file():
        raise CommandError(f"no journal in {data_dir}")
    # Safe while the app has the journal open: SQLite's online backup sees every saved entry.
    info, folder = back_up(data_dir, use_linked_folder=args.use_linked_folder)
    chosen = ("" if folder is None else
              f"\nBackups go to {folder} from now on; its permissions were left as they are.")
    return f"Backed up the journal to {info.path}{chosen}"


def _size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _find_backup(text: str, folder: Path, journal_id: str | None) -> Path:
    """A backup given as a path, or as just its file name from the list (then it must be one
    of this journal's: a shared folder's other backups are restored only by their path)."""
    from rejection_journal.services.files import backup_journal_id, short_id

    given = Path(text).expanduser()
    if given.name == text and (folder / text).is_file():
        theirs = backup_journal_id(folder / text)
        if theirs is not None and journal_id is not None and theirs != journal_id:
            raise CommandError(
                f"{text} is a backup of another journal (id {short_id(theirs)}), not of this "
                f"one (id {short_id(journal_id)}); to restore it here anyway, give its full "
                "path")
        return folder / text
    if given.is_file():
        return given.absolute()
    if given.exists():
        raise CommandError(f"{given} is not a file")
    raise CommandError(f"no backup called {text} (run '{PROG} restore' to list the backups)")


def _cmd_restore(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.paths import backups_dir
    from rejection_journal.services.files import (
        journal_backups,
        journal_id,
        restore_from,
        verify_backup,
    )

    folder = backups_dir(data_dir)
    if args.file is None:
        backups = journal_backups(data_dir)
        if not backups:
            return f"No backups yet in {folder}"
        return "\n".join(
            f"{b.local_time:%Y-%m-%d %H:%M:%S}  {b.kind:<13}  {_size_text(b.size):>8}  {b.path}"
            for b in backups
        )

    source = _find_backup(args.file, folder, journal_id(data_dir))
    verify_backup(source)  # a bad file is refused before anything else happens
    with _sole_writer(data_dir, "restore"):
        done = restore_from(data_dir, source)
    message = f"Restored the journal from {source.name}."
    if done.foreign_note is not None:
        message += f" {done.foreign_note}"
    if done.saved is not None:
        message += (f" The journal as it was is kept as {done.saved.path.name}"
                    f" ('{PROG} restore {done.saved.path.name}' undoes this).")
    elif done.was_damaged:
        kept = done.damaged_copy.name if done.damaged_copy else "a copy"
        message += f" The damaged journal was kept as {kept}."
    return message


COMMANDS = {
    "challenges": _cmd_challenges,
    "today": _cmd_today,
    "ladders": _cmd_ladders,
    "demo": _cmd_demo,
    "export": _cmd_export,
    "chart": _cmd_chart,
    "import": _cmd_import,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "versions": _cmd_versions,
    "search": _cmd_search,
}


def _damaged_message(exc: DamagedJournalError, args: argparse.Namespace) -> str:
    """The damage, and the one command that brings the newest good backup back."""
    if exc.backup is None:
        return f"{exc.damage.message} It has been left as it was; there is no backup to restore."
    data_dir = f" --data-dir {shlex.quote(args.data_dir)}" if args.data_dir else ""
    return (f"{exc.damage.message} It has been left as it was; "
            f"'{PROG}{data_dir} restore {exc.backup.name}' brings back the newest good backup.")


def _desktop_entry(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from rejection_journal import desktop_entry

    if args.command is not None:
        parser.error(f"--{args.desktop_entry}-desktop-entry does not go with a command")
    try:
        print(desktop_entry.run(args.desktop_entry))
    except OSError as exc:
        print(f"{PROG}: could not {args.desktop_entry} the menu entry: "
              f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.desktop_entry is not None:
        return _desktop_entry(parser, args)
    try:
        data_dir = resolve_data_dir(args.data_dir)
    except DataDirError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    # Everything this process creates (journal, WAL, backups, exports, lock) is private.
    os.umask(0o077)
    if args.command is None:
        from rejection_journal.app import run_gui

        return run_gui(data_dir)

    from rejection_journal.domain.records import ValidationError
    from rejection_journal.services.errors import (
        LOW_LEVEL_ERRORS,
        DamagedJournalError,
        EnvironmentStorageError,
        StorageError,
        classify,
    )

    try:
        message = COMMANDS[args.command](args, data_dir)
    except DamagedJournalError as exc:
        print(f"{PROG}: {_damaged_message(exc, args)}", file=sys.stderr)
        return 1
    except (CommandError, StorageError, ValidationError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except LOW_LEVEL_ERRORS as exc:
        # The machine's fault (disk full, read-only, ...) in its own words; else as below.
        found = classify(exc)
        if isinstance(found, EnvironmentStorageError):
            print(f"{PROG}: {found}", file=sys.stderr)
        elif isinstance(exc, OSError):
            print(f"{PROG}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
                  file=sys.stderr)
        else:
            print(f"{PROG}: {_unexpected(exc, data_dir, argv)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: never a traceback on the terminal
        print(f"{PROG}: {_unexpected(exc, data_dir, argv)}", file=sys.stderr)
        return 1
    try:
        print(message)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): it has what it wanted. No traceback; stdout goes
        # to /dev/null so Python's own flush at exit cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + 13  # SIGPIPE, as other command-line tools report it
    return 0




def _unexpected(exc: BaseException, data_dir: Path, argv: Sequence[str] | None) -> str:
    """One calm line for an error nobody expected; the details go to DATA_DIR/last-error.txt
    (as the app's own crash handler does) if the data folder exists and takes the file."""
    import traceback

    from rejection_journal.error_log import write_error_log

    details = "".join(traceback.format_exception(exc))
    command = shlex.join([PROG, *(sys.argv[1:] if argv is None else argv)])
    try:
        if not data_dir.is_dir():
            raise FileNotFoundError(str(data_dir))
        log = write_error_log(data_dir, f"{command}\n{details}")
    except OSError:
        summary = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return f"something unexpected went wrong, so the command did not finish ({summary})"
    return f"something unexpected went wrong, so the command did not finish; details are in {log}"
