"""The command line's arguments: every value is checked here, before anything runs."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import NoReturn

from rejection_journal import __version__
from rejection_journal.cli.common import PROG, whole_number
from rejection_journal.cli.passphrase import ENV_BACKUP_PASSPHRASE
from rejection_journal.cli.passphrase import add_commands as add_passphrase_commands
from rejection_journal.cli.passphrase import add_options as add_passphrase_option
from rejection_journal.cli.passphrase import fd_number as passphrase_fd
from rejection_journal.paths import ENV_DATA_DIR

MAX_DEMO_ENTRIES = 200_000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _entries(text: str) -> int:
    return whole_number(text, 1, MAX_DEMO_ENTRIES)


def _chart_file(text: str) -> Path:
    """``chart --out``: the format comes from the extension, checked before anything runs."""
    from rejection_journal.charts.formats import (
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
    from rejection_journal.charts.kinds import KIND_NAMES

    if text not in KIND_NAMES:
        raise argparse.ArgumentTypeError(
            f"unknown chart kind '{text}': choose from {', '.join(KIND_NAMES)}")
    return text


def _dpi(text: str) -> int:
    from rejection_journal.charts.formats import DPI_MAX, DPI_MIN

    return whole_number(text, DPI_MIN, DPI_MAX)


def _inches(text: str) -> float:
    from rejection_journal.charts.formats import SIZE_MAX, SIZE_MIN

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

    return whole_number(text, LEVEL_MIN, LEVEL_MAX,
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
    add_passphrase_option(parser)
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
    _add_period(chart)
    chart.add_argument("--ladder", metavar="NAME", help="the ladder to chart (kind 'ladder')")
    chart.add_argument("--force", action="store_true",
                       help="replace FILE if it already exists")

    _add_report(sub)

    backup = sub.add_parser("backup", help="back up the journal now (into the backups folder)")
    backup.add_argument("--use-linked-folder", action="store_true",
                        help="the backups folder is a link to a folder you chose elsewhere: "
                             "use it from now on (its permissions are left as they are)")
    restore = sub.add_parser(
        "restore", help="list backups, or restore one (the current journal is backed up first)"
    )
    restore.add_argument("file", nargs="?", metavar="FILE",
                         help="a backup file, or just its name as listed (omit to list backups)")
    restore.add_argument("--backup-passphrase-fd", type=passphrase_fd, metavar="N",
                         help="the backup was made under another passphrase: read it from file "
                         f"descriptor N; or set ${ENV_BACKUP_PASSPHRASE}")

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
    _plan_parser(sub)
    add_passphrase_commands(sub)
    for command in sub.choices.values():
        add_passphrase_option(command, top=False)
    return parser


def _plan_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    plan = sub.add_parser("plan", help="Build my plan: the self-check's situations, and a "
                          "first ladder proposed from your answers")
    steps = plan.add_subparsers(dest="plan_command", metavar="STEP", required=True,
                                parser_class=_Parser)
    questions = steps.add_parser("questions", help="print the situations and the two scales")
    questions.add_argument("--format", choices=("text", "json"), default="text")
    propose = steps.add_parser("propose", help="propose a ladder from an answers file")
    propose.add_argument("--answers", type=Path, required=True, metavar="FILE",
                         help='JSON: {"item-id": [anxiety, acceptance], ...}, each 1 to 6')
    propose.add_argument("--goal", metavar="TEXT", help="your goal in your own words, "
                         "e.g. \"ask for a raise\" (its kind of ask gets more steps)")
    propose.add_argument("--max-level", type=_level, default=10, metavar="N",
                         help="nothing above this level (1 to 10; default 10)")
    propose.add_argument("--format", choices=("text", "json"), default="text")
    propose.add_argument("--save", action="store_true",
                         help="save the proposal as a new ladder")


MAX_SEARCH_HITS = 1000


def _add_period(command: argparse.ArgumentParser) -> None:
    """``--since``, ``--until`` and ``--category``: which entries a chart or report reads."""
    command.add_argument("--since", type=_day, metavar="YYYY-MM-DD",
                         help="only entries from this day on")
    command.add_argument("--until", type=_day, metavar="YYYY-MM-DD",
                         help="only entries up to this day")
    command.add_argument("--category", type=_category, metavar="C",
                         help="only asks from challenges of this category")


def _add_report(sub: argparse._SubParsersAction[_Parser]) -> None:
    report = sub.add_parser("report", help="save a PDF report of a period to keep or to "
                            "bring to someone you trust (numbers only unless you add "
                            "--include-reflections)")
    _add_period(report)
    report.add_argument("--out", type=Path, metavar="FILE.pdf", help="the PDF to write "
                        "(replaced whole, or not at all)")
    report.add_argument("--format", choices=("pdf", "json"), default="pdf",
                        help="pdf (default), or json: print the first page's numbers")
    report.add_argument("--include-reflections", action="store_true",
                        help="add the reflections and lessons of the period's entries")
    report.add_argument("--include-names", action="store_true",
                        help="with --include-reflections: also the names of the people asked")
    report.add_argument("--ladder", metavar="NAME", help="only this fear ladder's page")
    report.add_argument("--force", action="store_true",
                        help="replace FILE if it already exists")


def _search_limit(text: str) -> int:
    return whole_number(text, 1, MAX_SEARCH_HITS)


def _version_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value
