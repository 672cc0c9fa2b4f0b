"""``rejection-journal``: opens the window, or runs a subcommand for scripting.

Every subcommand exits non-zero with a one-line message on bad input and writes nothing then.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from rejection_journal import __version__
from rejection_journal.paths import ENV_DATA_DIR, resolve_data_dir

PROG = "rejection-journal"
MAX_DEMO_ENTRIES = 200_000


class CommandError(Exception):
    """A one-line, user-facing reason a command did nothing."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _entries(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= MAX_DEMO_ENTRIES:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_DEMO_ENTRIES:,}, not {value}")
    return value


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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser("demo", help="fill an EMPTY journal with realistic synthetic attempts")
    demo.add_argument("--entries", type=_entries, required=True, metavar="N",
                      help="how many attempts to create")
    demo.add_argument("--seed", type=int, default=0, metavar="S",
                      help="random seed, for repeatable demo data (default 0)")

    export = sub.add_parser("export", help="export the journal as JSON (everything) or CSV")
    export.add_argument("--format", choices=("json", "csv"), required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help="file to write (replaced whole, or not at all)")
    return parser


def _cmd_demo(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.domain.demo import generate_attempts
    from rejection_journal.storage import open_journal

    with open_journal(data_dir) as journal:
        if journal.attempt_count():
            raise CommandError(
                f"the journal in {data_dir} already has entries; demo data only goes into an "
                "empty journal (try --data-dir with a new folder)"
            )
        records = generate_attempts(journal.challenges(), args.entries, seed=args.seed)
        count = journal.add_demo_attempts(records)
    return f"Added {count} demo attempts to {data_dir}"


def _cmd_export(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.paths import database_path
    from rejection_journal.storage import open_journal
    from rejection_journal.storage.export import export_csv, export_json

    out: Path = args.out.expanduser()
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name")
    if not out.parent.is_dir():
        raise CommandError(f"folder {out.parent} does not exist")
    if not database_path(data_dir).exists():
        raise CommandError(f"no journal in {data_dir}")
    with open_journal(data_dir) as journal:
        count = (export_json if args.format == "json" else export_csv)(journal, out)
    return f"Exported {count} attempts to {out}"


COMMANDS = {"demo": _cmd_demo, "export": _cmd_export}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    # Everything this process creates (journal, WAL, backups, exports, lock) is private.
    os.umask(0o077)
    if args.command is None:
        from rejection_journal.app import run_gui

        return run_gui(data_dir)

    from rejection_journal.domain.records import ValidationError
    from rejection_journal.storage import StorageError

    try:
        message = COMMANDS[args.command](args, data_dir)
    except (CommandError, StorageError, ValidationError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{PROG}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    print(message)
    return 0
