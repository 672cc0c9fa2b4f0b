"""Undo and redo of journal edits, Qt-free.

A :class:`Step` remembers, for each entry it touched, the record before and after (``None``:
the entry did not exist).  Undoing writes the "before" side back; redoing writes the "after"
side.  An entry is brought back whole, with its UUID and creation time, so undoing a delete
restores exactly what was deleted.  A fear ladder's save, rename, reorder or delete is a step
too: its touch holds the :class:`~rejection_journal.domain.picker.Ladder` before and after,
and (for a delete) the runs that were on it, linked to it again when it comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rejection_journal.domain.picker import Ladder
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage.import_undo import ImportChanges

#: how many steps are remembered (older ones are forgotten, the journal is not affected)
UNDO_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Touch:
    uuid: str
    before: AttemptRecord | Ladder | None
    after: AttemptRecord | Ladder | None
    #: a ladder's touch: the runs on it, linked to it again whenever it is brought back
    runs: tuple[str, ...] = ()

    @property
    def is_ladder(self) -> bool:
        return isinstance(self.before, Ladder) or isinstance(self.after, Ladder)


class Reversible(Protocol):
    """A step that is not a list of touches and knows its own way back and forth (removing
    demo data: one transaction each way)."""

    def undo(self) -> None: ...

    def redo(self) -> object: ...


@dataclass(frozen=True, slots=True)
class Step:
    """One undoable action, e.g. ``Save “Ask for a discount”`` or ``Delete “…”``."""

    description: str
    touches: tuple[Touch, ...]
    #: set instead of ``touches`` by a step that undoes and redoes itself
    action: Reversible | None = None
    #: an import: every row it changed (entries, challenges, ladders, runs, histories),
    #: written back in one transaction
    import_changes: ImportChanges | None = None
    #: for an import's step: True when applying it takes the import back
    undoing: bool = False

    def reversed(self) -> Step:
        return Step(self.description,
                    tuple(Touch(t.uuid, t.after, t.before, t.runs) for t in self.touches),
                    self.action, self.import_changes, not self.undoing)

    @property
    def size(self) -> int:
        """How many records applying it writes (an import's: what its progress counts)."""
        if self.import_changes is not None:
            return self.import_changes.size
        return len(self.touches)


class UndoStack:
    def __init__(self, limit: int = UNDO_LIMIT) -> None:
        self._done: list[Step] = []
        self._undone: list[Step] = []
        self._limit = limit

    def push(self, step: Step) -> None:
        self._done.append(step)
        del self._done[: -self._limit]
        self._undone.clear()

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()

    @property
    def undo_text(self) -> str | None:
        return self._done[-1].description if self._done else None

    @property
    def redo_text(self) -> str | None:
        return self._undone[-1].description if self._undone else None

    def peek(self, *, redo: bool = False) -> Step | None:
        """The step :meth:`take_undo` (or :meth:`take_redo`) would take, left where it is."""
        side = self._undone if redo else self._done
        return side[-1] if side else None

    def take_undo(self) -> Step | None:
        """The step to undo, moved to the redo side (call :meth:`restore_undo` if it fails)."""
        if not self._done:
            return None
        step = self._done.pop()
        self._undone.append(step)
        return step

    def take_redo(self) -> Step | None:
        if not self._undone:
            return None
        step = self._undone.pop()
        self._done.append(step)
        return step

    def restore_undo(self) -> None:
        """Undoing the last step failed: put it back where it was."""
        self._done.append(self._undone.pop())

    def restore_redo(self) -> None:
        self._undone.append(self._done.pop())
