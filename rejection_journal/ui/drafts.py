"""What is typed and not saved, kept in the journal as a draft: one mechanism for every form.

A form (the editor, the evening review) owns a :class:`FormDraft` under its own key.  About a
second after the last keystroke (:meth:`FormDraft.schedule`) and on focus-out the form calls
:meth:`FormDraft.write` with what it holds, what it held when loaded and the entry's revision
then; only the fields the user changed are kept, so a draft brought back after something else
changed the entry (an import) changes only what the user changed (:meth:`Draft.over`), and
:meth:`Draft.changed_since` names what changed meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer

from rejection_journal.services import JournalService, StorageError

#: a draft is written this long after the last keystroke
DRAFT_DELAY_MS = 800


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft as kept: the entry it is of (None: a new one), the fields the user changed,
    the form as it was loaded, and the entry's revision then (None: not known)."""

    entry_uuid: str | None
    changes: dict[str, Any]
    base: dict[str, Any]
    revision: str | None

    def over(self, current: dict[str, Any]) -> dict[str, Any]:
        """The form state to show: ``current`` (the entry as saved now) with the fields the
        user changed put back."""
        return {**current, **self.changes}

    def changed_since(self, current: dict[str, Any], revision_now: str | None) -> list[str]:
        """The fields of ``current`` that changed after the draft was written (none when the
        entry's revision is the one the draft was based on)."""
        if revision_now == self.revision:
            return []
        return [name for name in current if name in self.base
                and current[name] != self.base[name]]


def encode(state: dict[str, Any], base: dict[str, Any], revision: str | None) -> str:
    """The stored text of a draft of ``state``, loaded as ``base`` at ``revision``."""
    return json.dumps({
        "changes": {name: value for name, value in state.items() if base.get(name) != value},
        "base": base,
        "revision": revision,
    }, ensure_ascii=False)


def decode(content: str, entry_uuid: str | None) -> Draft:
    """A stored draft; drafts older versions wrote (the editor's whole form and the form as
    saved, or the review's whole after half) give the same.  Raises ValueError, KeyError,
    TypeError or AttributeError on a text that is none of these."""
    data = json.loads(content)
    if "changes" in data:
        return Draft(entry_uuid, dict(data["changes"]), dict(data["base"]),
                     data.get("revision"))
    if "state" in data:
        state, base = dict(data["state"]), dict(data["saved"])
        return Draft(entry_uuid, {name: value for name, value in state.items()
                                  if base.get(name) != value}, base, None)
    return Draft(entry_uuid, dict(data), {}, None)  # the whole form, as typed


class FormDraft(QObject):
    """The draft of one form, kept in the journal under ``key``.  ``write_now`` is the form's
    own "keep what you hold" (it calls :meth:`write`); the timer calls it."""

    def __init__(self, service: JournalService, key: str, write_now: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.key = key
        #: a draft of this form may be in the journal (written here, or left by a last run)
        self.written = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(write_now)

    def schedule(self) -> None:
        """Write in a moment (again later if more is typed before then)."""
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def write(self, state: dict[str, Any], base: dict[str, Any], entry_uuid: str | None,
              revision: str | None) -> None:
        """Keep the fields of ``state`` that differ from ``base``.  Raises StorageError."""
        self._timer.stop()
        self._service.save_draft(self.key, encode(state, base, revision), entry_uuid)
        self.written = True

    def read(self) -> Draft | None:
        """The draft the journal holds for this form (one a last run left), or None; one that
        cannot be read is None too (and goes with the next :meth:`discard`)."""
        found = self._service.draft(self.key)
        if found is None:
            return None
        self.written = True
        content, entry_uuid = found
        try:
            return decode(content, entry_uuid)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def discard(self, entry_uuid: str | None = None, *, only_of: bool = False) -> None:
        """The draft goes (with ``only_of``: only if it is of ``entry_uuid``); it stays a
        little longer when the journal cannot be written just now."""
        if not self.written or self._service.read_only_reason is not None:
            return
        try:
            if only_of:
                found = self._service.draft(self.key)
                if found is None or found[1] != entry_uuid:
                    return
            self._service.discard_draft(self.key)
            self.written = False
        except StorageError:
            pass  # nothing lost: the draft only stays a little longer
