"""``rejection-journal``: opens the window, or runs a subcommand for scripting.

Every subcommand exits non-zero with a one-line message on bad input and writes nothing then.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rejection_journal.cli.chart import cmd_chart
from rejection_journal.cli.common import COMMAND_NAMES, PROG, BadInputError, CommandError
from rejection_journal.cli.files import (
    cmd_backup,
    cmd_demo,
    cmd_export,
    cmd_import,
    cmd_restore,
    cmd_versions,
)
from rejection_journal.cli.parser import build_parser
from rejection_journal.cli.passphrase import (
    cmd_change_passphrase,
    cmd_protect,
    cmd_unprotect,
    journal_source,
)
from rejection_journal.cli.plan import cmd_plan
from rejection_journal.cli.reading import cmd_challenges, cmd_ladders, cmd_search, cmd_today
from rejection_journal.cli.report import cmd_report
from rejection_journal.paths import DataDirError, resolve_data_dir

if TYPE_CHECKING:
    from rejection_journal.services.errors import DamagedJournalError


COMMANDS: dict[str, Callable[[argparse.Namespace, Path], str]] = {
    "challenges": cmd_challenges,
    "today": cmd_today,
    "ladders": cmd_ladders,
    "demo": cmd_demo,
    "export": cmd_export,
    "chart": cmd_chart,
    "import": cmd_import,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "versions": cmd_versions,
    "search": cmd_search,
    "report": cmd_report,
    "plan": cmd_plan,
    "protect": cmd_protect,
    "unprotect": cmd_unprotect,
    "change-passphrase": cmd_change_passphrase,
}
#: commands that ask for passphrases themselves (they change the journal's protection)
_OWN_PASSPHRASES = ("protect", "unprotect", "change-passphrase")
assert tuple(COMMANDS) == COMMAND_NAMES


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
        message = _run(args, data_dir)
    except DamagedJournalError as exc:
        print(f"{PROG}: {_damaged_message(exc, args)}", file=sys.stderr)
        return 1
    except BadInputError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
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


def _run(args: argparse.Namespace, data_dir: Path) -> str:
    """Run the command; a protected journal is unlocked first (its passphrase asked once)."""
    if args.command in _OWN_PASSPHRASES:
        return COMMANDS[args.command](args, data_dir)
    from rejection_journal.services.protection import unlocked

    with unlocked(data_dir, journal_source(args).read):
        return COMMANDS[args.command](args, data_dir)


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
