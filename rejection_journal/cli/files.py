"""The commands that move the journal's data: demo data, export, import, backups, restore and
earlier versions of an entry."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rejection_journal.cli.common import (
    PROG,
    CommandError,
    no_cycle_collection,
    one_line,
    output_file,
    sole_writer,
)
from rejection_journal.cli.passphrase import ENV_BACKUP_PASSPHRASE, backup_source


def cmd_demo(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.services.opening import has_journal, writing

    if args.remove:
        if args.seed is not None:
            raise CommandError("--seed goes with --entries, not with --remove")
        if not has_journal(data_dir):
            raise CommandError(f"no journal in {data_dir}")
        with sole_writer(data_dir, "remove demo data"), writing(data_dir) as service:
            return service.remove_demo_data().summary()
    with sole_writer(data_dir, "add demo data"), writing(data_dir) as service:
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


def cmd_export(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.services.files import export_to
    from rejection_journal.services.opening import has_journal, reading
    from rejection_journal.services.protection import EXPORT_WARNING, is_protected

    out = output_file(args.out, data_dir, force=args.force)
    if not has_journal(data_dir):
        raise CommandError(f"no journal in {data_dir}")
    # Read-only, always: an export writes nothing into the journal's folder, so a journal on a
    # read-only disk (or in a read-only folder) can be exported too.
    with reading(data_dir) as service:
        count = export_to(service, out, args.format)
    message = f"Exported {count} attempts to {out}"
    if is_protected(data_dir):
        message += f"\n{EXPORT_WARNING}"
    return message


#: how many entries with both versions an import names, before "and N more"
_CONFLICTS_LISTED = 10


def cmd_import(args: argparse.Namespace, data_dir: Path) -> str:
    from rejection_journal.services import JournalService
    from rejection_journal.services.files import merge_file
    from rejection_journal.services.opening import writing

    # The whole file is checked before the journal is opened: a bad file changes nothing.
    with no_cycle_collection():
        plan = JournalService.read_import(args.file.expanduser())
        with sole_writer(data_dir, "import"), writing(data_dir) as service:
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


def cmd_versions(args: argparse.Namespace, data_dir: Path) -> str:
    from datetime import UTC

    from rejection_journal.services.files import bring_back_version, entry_versions
    from rejection_journal.services.opening import has_journal, reading, writing

    if not has_journal(data_dir):
        raise CommandError(f"no journal in {data_dir}")
    if args.restore is not None:
        with sole_writer(data_dir, "bring back a version"), writing(data_dir) as service:
            restored, changed = bring_back_version(service, args.entry, args.restore)
        if not changed:
            return f"Version {args.restore} is what the entry holds now; nothing changed."
        return (f"Brought back version {args.restore} of \"{one_line(restored.ask)}\"; the "
                f"version it replaced is kept as version 1 ('{PROG} versions {args.entry}').")
    # Listing reads only: it works beside the running app and on a read-only journal.
    with reading(data_dir) as service:
        current, versions = entry_versions(service, args.entry)
    if not versions:
        return f"\"{one_line(current.ask)}\" has no earlier versions."
    lines = [f"\"{one_line(current.ask)}\": {len(versions)} kept version"
             f"{'s' if len(versions) != 1 else ''}, newest first"]
    for version in versions:
        when = version.saved_at.replace(tzinfo=UTC).astimezone()
        origin = "imported, changed on both sides" if version.conflict else "before a change"
        fields = version.differs_in
        differs = ("differs in: " + ", ".join(fields)) if fields else "same as now"
        lines.append(f"{version.number:>3}  {when:%Y-%m-%d %H:%M}  {origin:<31}  {differs}")
    lines.append(f"Bring one back with '{PROG} versions {args.entry} --restore N'.")
    return "\n".join(lines)


def cmd_backup(args: argparse.Namespace, data_dir: Path) -> str:
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


def cmd_restore(args: argparse.Namespace, data_dir: Path) -> str:
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
    if args.backup_passphrase_fd is not None or ENV_BACKUP_PASSPHRASE in os.environ:
        return _restore_other_passphrase(args, data_dir, source)
    verify_backup(source)  # a bad file is refused before anything else happens
    with sole_writer(data_dir, "restore"):
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


def _restore_other_passphrase(args: argparse.Namespace, data_dir: Path, source: Path) -> str:
    """Restore a backup made under another passphrase; the journal keeps the one it has."""
    from rejection_journal.services.protection import restore_protected

    backup_passphrase = backup_source(args).read()
    with sole_writer(data_dir, "restore"):
        saved = restore_protected(data_dir, source, None, backup_passphrase)
    message = f"Restored the journal from {source.name}; it keeps the passphrase it had."
    if saved is not None:
        message += (f" The journal as it was is kept as {saved.path.name}"
                    f" ('{PROG} restore {saved.path.name}' undoes this).")
    return message
