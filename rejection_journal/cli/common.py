"""What every command shares: the program's name, the one-line error, the writer lock, and
the read-only service."""

from __future__ import annotations

import argparse
import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rejection_journal.services import JournalService

#: the subcommands, as the writer lock names another command that holds the journal
COMMAND_NAMES = ("challenges", "today", "ladders", "demo", "export", "chart", "import",
                 "backup", "restore", "versions", "search", "report", "plan", "protect",
                 "unprotect", "change-passphrase")


PROG = "rejection-journal"


class CommandError(Exception):
    """A one-line, user-facing reason a command did nothing."""


class BadInputError(CommandError):
    """A file given to a command is not what it should be: one line, exit status 2."""


def whole_number(text: str, low: int, high: int, range_text: str | None = None) -> int:
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


@contextlib.contextmanager
def sole_writer(data_dir: Path, action: str) -> Iterator[None]:
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
        holder = find_holder(lock, data_dir, COMMAND_NAMES)
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


def output_file(path: Path, data_dir: Path, *, force: bool) -> Path:
    """Where an export or image may be written: a regular file, not the journal's own."""
    from rejection_journal.fileio import TargetExistsError, UnsafeTargetError, check_export_target

    try:
        return check_export_target(path, data_dir, force=force)
    except TargetExistsError as exc:
        raise CommandError(f"{exc}; add --force to replace it") from None
    except UnsafeTargetError as exc:
        raise CommandError(str(exc)) from None


@contextlib.contextmanager
def reading_service(data_dir: Path) -> Iterator[JournalService | None]:
    """The journal's service, opened read-only (safe beside the running app and on a
    read-only disk); None when there is no journal yet (the built-in library still is)."""
    from rejection_journal.services.opening import reading_if_any

    with reading_if_any(data_dir) as service:
        yield service


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
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


def one_line(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
