"""Passphrases on the command line: never an argument (other users can read a process's
arguments).  Each comes from, in this order: ``--passphrase-fd N`` (the first line read from
file descriptor N), an environment variable (as borg and restic take theirs), or a prompt
when the command runs in a terminal.  And the commands that turn protection on, change it and
turn it off.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rejection_journal.cli.common import PROG, CommandError, sole_writer, whole_number

ENV_PASSPHRASE = "REJECTION_JOURNAL_PASSPHRASE"
ENV_NEW_PASSPHRASE = "REJECTION_JOURNAL_NEW_PASSPHRASE"
ENV_BACKUP_PASSPHRASE = "REJECTION_JOURNAL_BACKUP_PASSPHRASE"

#: the longest passphrase read from a descriptor (a runaway pipe is not a passphrase)
_MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Source:
    """Where one passphrase comes from: a descriptor, a variable, or the terminal."""

    what: str  # "the journal's passphrase", ...
    fd: int | None
    env: str
    option: str  # how to give it, for the message when there is no way to ask

    def read(self, *, twice: bool = False) -> str:
        """The passphrase; ``twice``: a new one, typed again at a prompt to catch typos."""
        if self.fd is not None:
            return _read_fd(self.fd)
        if self.env in os.environ:
            return os.environ[self.env]
        if not sys.stdin.isatty():
            raise CommandError(f"{self.what} is needed: give it with {self.option} N or in "
                               f"${self.env} (there is no terminal to ask in)")
        first = getpass.getpass(f"{self.what.capitalize()}: ")
        if twice and getpass.getpass("Once more, to be sure: ") != first:
            raise CommandError("the two passphrases were not the same; nothing was changed")
        return first


def _read_fd(fd: int) -> str:
    data = b""
    try:
        while b"\n" not in data and len(data) <= _MAX_BYTES:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        raise CommandError(f"could not read the passphrase from file descriptor {fd}: "
                           f"{exc.strerror or exc}") from None
    try:
        return data.split(b"\n", 1)[0].removesuffix(b"\r").decode("utf-8")
    except UnicodeDecodeError:
        raise CommandError(f"the passphrase read from file descriptor {fd} is not UTF-8 "
                           "text") from None


def journal_source(args: argparse.Namespace) -> Source:
    return Source("the journal's passphrase", args.passphrase_fd, ENV_PASSPHRASE,
                  "--passphrase-fd")


def new_source(args: argparse.Namespace) -> Source:
    fd = getattr(args, "new_passphrase_fd", None)
    return Source("the new passphrase", fd, ENV_NEW_PASSPHRASE, "--new-passphrase-fd")


def backup_source(args: argparse.Namespace) -> Source:
    fd = getattr(args, "backup_passphrase_fd", None)
    return Source("the backup's passphrase", fd, ENV_BACKUP_PASSPHRASE,
                  "--backup-passphrase-fd")


def add_options(parser: argparse.ArgumentParser, *, top: bool = True) -> None:
    """The option every command takes for an encrypted journal: before the command
    (``top``) or after it (a command's own, which leaves the first one alone if not given)."""
    parser.add_argument("--passphrase-fd", type=fd_number, metavar="N",
                        default=None if top else argparse.SUPPRESS,
                        help="read the journal's passphrase from file descriptor N (first "
                        f"line); or set ${ENV_PASSPHRASE}; in a terminal it is asked for")


def fd_number(text: str) -> int:
    return whole_number(text, 0, 2**31 - 1, "a file descriptor is a number from 0 up")


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    protect = sub.add_parser("protect", help="protect the journal with a passphrase (encrypt "
                             "it); its older backups are encrypted too")
    protect.add_argument("--remove-old-backups", action="store_true",
                         help="remove the backups made before instead of encrypting them")
    sub.add_parser("unprotect", help="remove the passphrase (the journal is stored in the "
                   "clear again)")
    change = sub.add_parser("change-passphrase", help="give the journal a new passphrase")
    change.add_argument("--new-passphrase-fd", type=fd_number, metavar="N",
                        help="read the new passphrase from file descriptor N; or set "
                        f"${ENV_NEW_PASSPHRASE}; in a terminal it is asked for")


def cmd_protect(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.services.protection import FORGOTTEN_WARNING, is_protected, protect

    _need_journal(data_dir)
    if is_protected(data_dir):
        raise CommandError("the journal is already protected with a passphrase; "
                           f"'{PROG} change-passphrase' gives it a new one")
    if sys.stdin.isatty() and args.passphrase_fd is None and ENV_PASSPHRASE not in os.environ:
        print(FORGOTTEN_WARNING, file=sys.stderr)
    passphrase = journal_source(args).read(twice=True)
    with sole_writer(data_dir, "protect the journal"):
        protect(data_dir, passphrase, remove_old_backups=args.remove_old_backups)
    backups = "removed" if args.remove_old_backups else "encrypted too"
    return (f"The journal is protected with a passphrase; the backups made before were "
            f"{backups}. Remember the passphrase: without it nobody can open the journal.")


def cmd_unprotect(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.services.protection import is_protected, unprotect

    _need_journal(data_dir)
    if not is_protected(data_dir):
        raise CommandError("the journal is not protected with a passphrase")
    passphrase = journal_source(args).read()
    with sole_writer(data_dir, "remove the passphrase"):
        unprotect(data_dir, passphrase)
    return ("The passphrase is removed: the journal is stored in the clear again. Backups "
            "made before keep the passphrase they were made with.")


def cmd_change_passphrase(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.services.protection import WrongPassphraseError as Wrong
    from rejection_journal.services.protection import (
        change_passphrase,
        check_passphrase,
        is_protected,
    )

    _need_journal(data_dir)
    if not is_protected(data_dir):
        raise CommandError("the journal is not protected with a passphrase; "
                           f"'{PROG} protect' gives it one")
    old = journal_source(args).read()
    if not check_passphrase(data_dir, old):  # before asking for a new one
        raise Wrong("That passphrase does not open this journal. Nothing was changed.")
    new = new_source(args).read(twice=True)
    with sole_writer(data_dir, "change the passphrase"):
        change_passphrase(data_dir, old, new)
    return ("The journal has its new passphrase. Backups made before keep the passphrase they "
            "were made with.")


def _need_journal(data_dir: Path) -> None:
    from rejection_journal.services.opening import has_journal

    if not has_journal(data_dir):
        raise CommandError(f"no journal in {data_dir}")
