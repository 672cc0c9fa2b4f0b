"""``rejection-journal``: opens the window, or runs a subcommand for scripting.

Every subcommand exits non-zero with a one-line message on bad input and writes nothing then.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from rejection_journal import __version__
from rejection_journal.paths import ENV_DATA_DIR, resolve_data_dir

if TYPE_CHECKING:
    from rejection_journal.storage.errors import DamagedJournalError

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
    menu = parser.add_mutually_exclusive_group()
    menu.add_argument("--install-desktop-entry", dest="desktop_entry", action="store_const",
                      const="install", help="add Rejection Journal to your desktop's application "
                      "menu (for this user; files go under $XDG_DATA_HOME or ~/.local/share)")
    menu.add_argument("--uninstall-desktop-entry", dest="desktop_entry", action="store_const",
                      const="uninstall", help="remove that menu entry and its icons again")
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

    sub.add_parser("backup", help="back up the journal now (into the backups folder)")
    restore = sub.add_parser(
        "restore", help="list backups, or restore one (the current journal is backed up first)"
    )
    restore.add_argument("file", nargs="?", metavar="FILE",
                         help="a backup file, or just its name as listed (omit to list backups)")

    imp = sub.add_parser("import", help="merge a JSON export into the journal (by UUID; "
                         "nothing is deleted, a bad file changes nothing)")
    imp.add_argument("file", type=Path, metavar="FILE",
                     help="a file written by 'export --format json'")
    return parser


@contextlib.contextmanager
def _sole_writer(data_dir: Path, action: str) -> Iterator[None]:
    """Hold the journal's one-writer lock for ``action``; refuse while the app has it open."""
    from rejection_journal.lock import journal_lock, try_lock
    from rejection_journal.paths import ensure_private_dir
    from rejection_journal.storage.readonly import read_only_reason

    reason = read_only_reason(data_dir)
    if reason is not None:
        raise CommandError(f"the journal in {data_dir} is read-only because {reason}; "
                           f"make it writable, then {action}")
    ensure_private_dir(data_dir)
    lock = journal_lock(data_dir)
    if not try_lock(lock, data_dir):
        raise CommandError(
            f"the journal is open in Rejection Journal; close the app, then {action}"
        )
    try:
        yield
    finally:
        lock.unlock()


def _cmd_demo(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.domain.demo import generate_attempts
    from rejection_journal.storage import open_journal

    with _sole_writer(data_dir, "add demo data"), open_journal(data_dir) as journal:
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
    # Read-only, always: an export writes nothing into the journal's folder, so a journal on a
    # read-only disk (or in a read-only folder) can be exported too.
    with open_journal(data_dir, read_only=True) as journal:
        count = (export_json if args.format == "json" else export_csv)(journal, out)
    return f"Exported {count} attempts to {out}"


def _cmd_import(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.storage import open_journal
    from rejection_journal.storage.importer import apply_import, read_plan

    # The whole file is checked before the journal is opened: a bad file changes nothing.
    plan = read_plan(args.file.expanduser())
    with _sole_writer(data_dir, "import"), open_journal(data_dir) as journal:
        journal.backup("pre-import")
        result = apply_import(journal, plan)
    return result.summary()


def _cmd_backup(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.paths import backups_dir, database_path
    from rejection_journal.storage.backup import MANUAL, create_backup, damaged_journal_error
    from rejection_journal.storage.health import check_journal

    path = database_path(data_dir)
    if not path.is_file():
        raise CommandError(f"no journal in {data_dir}")
    damage = check_journal(path)
    if damage is not None:
        raise damaged_journal_error(damage, backups_dir(data_dir))
    if path.stat().st_size == 0:
        raise CommandError(f"no journal in {data_dir}")
    # Safe while the app has the journal open: SQLite's online backup sees every saved entry.
    info = create_backup(path, backups_dir(data_dir), MANUAL)
    return f"Backed up the journal to {info.path}"


def _size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _find_backup(text: str, folder: Path) -> Path:
    """A backup given as a path, or as just its file name from the list."""
    given = Path(text).expanduser()
    if given.name == text and (folder / text).is_file():
        return folder / text
    if given.is_file():
        return given.absolute()
    if given.exists():
        raise CommandError(f"{given} is not a file")
    raise CommandError(f"no backup called {text} (run '{PROG} restore' to list the backups)")


def _cmd_restore(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.paths import backups_dir, database_path
    from rejection_journal.storage.backup import list_backups, restore_backup, verify_backup
    from rejection_journal.storage.health import check_journal, damaged_copies

    folder = backups_dir(data_dir)
    if args.file is None:
        backups = list_backups(folder)
        if not backups:
            return f"No backups yet in {folder}"
        return "\n".join(
            f"{b.local_time:%Y-%m-%d %H:%M:%S}  {b.kind:<13}  {_size_text(b.size):>8}  {b.path}"
            for b in backups
        )

    source = _find_backup(args.file, folder)
    verify_backup(source)  # a bad file is refused before anything else happens
    with _sole_writer(data_dir, "restore"):
        path = database_path(data_dir)
        damaged = path.is_file() and check_journal(path) is not None
        saved = restore_backup(source, data_dir)
    message = f"Restored the journal from {source.name}."
    if saved is not None:
        message += (f" The journal as it was is kept as {saved.path.name}"
                    f" ('{PROG} restore {saved.path.name}' undoes this).")
    elif damaged:
        kept = damaged_copies(data_dir)
        message += f" The damaged journal was kept as {kept[0].name if kept else 'a copy'}."
    return message


COMMANDS = {
    "demo": _cmd_demo,
    "export": _cmd_export,
    "import": _cmd_import,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
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
    data_dir = resolve_data_dir(args.data_dir)
    # Everything this process creates (journal, WAL, backups, exports, lock) is private.
    os.umask(0o077)
    if args.command is None:
        from rejection_journal.app import run_gui

        return run_gui(data_dir)

    from rejection_journal.domain.records import ValidationError
    from rejection_journal.storage import StorageError
    from rejection_journal.storage.errors import DamagedJournalError

    try:
        message = COMMANDS[args.command](args, data_dir)
    except DamagedJournalError as exc:
        print(f"{PROG}: {_damaged_message(exc, args)}", file=sys.stderr)
        return 1
    except (CommandError, StorageError, ValidationError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{PROG}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    print(message)
    return 0
