"""The window's shortcuts win over what a focused field would do with the same keys.

A focused widget is asked first (Qt's ``ShortcutOverride``) whether it wants a key for
itself; a one-line field says yes to Ctrl+E (with the X11, GNOME and KDE key bindings it is
"end of line"), so *File ▸ Export chart…* never heard it while the cursor was in *What you
ask*.  :class:`WindowShortcutsWin` answers that question for every widget of the window:
a key sequence that is one of the window's own actions goes to the action.

The exceptions are a text field's own undo and redo: Ctrl+Z in a field takes back typing
(the text's undo), as everywhere else on the desktop; from anywhere else it is *Edit ▸ Undo*.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

#: the modifiers a shortcut of ours carries (plain keys stay with the focused widget)
_SHORTCUT_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                       | Qt.KeyboardModifier.MetaModifier)
_FUNCTION_KEYS = range(Qt.Key.Key_F1.value, Qt.Key.Key_F35.value + 1)
#: what a text field keeps for itself: its own undo and redo of typing
_TEXT_KEEPS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
_TEXT_WIDGETS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox)


def _is_text_field(widget: QWidget) -> bool:
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, _TEXT_WIDGETS)


class WindowShortcutsWin(QObject):
    """Installed on the application for one window (its child: it goes with the window)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("windowShortcutsWin")
        self._window = window
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def sequences(self) -> set[QKeySequence]:
        """The key sequences of the window's enabled actions (menus, panes, the evening)."""
        return {sequence for action in self._window.findChildren(QAction)
                if action.isEnabled() for sequence in action.shortcuts()
                if not sequence.isEmpty()}

    def claims(self, widget: QWidget, event: QKeyEvent) -> bool:
        """Is ``event`` (pressed in ``widget``) one of the window's shortcuts?"""
        if not (event.modifiers() & _SHORTCUT_MODIFIERS) and event.key() not in _FUNCTION_KEYS:
            return False  # typing, arrows, Tab, Delete: the widget's
        if _is_text_field(widget) and any(event.matches(key) for key in _TEXT_KEEPS):
            return False
        pressed = QKeySequence(event.keyCombination())
        return any(pressed.matches(sequence) is QKeySequence.SequenceMatch.ExactMatch
                   for sequence in self.sequences())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QWidget)
                and isinstance(event, QKeyEvent) and watched.window() is self._window
                and self.claims(watched, event)):
            event.ignore()
            return True  # not offered to the widget: the window's action takes the key
        return False
