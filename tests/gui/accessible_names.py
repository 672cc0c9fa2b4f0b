"""Which interactive widgets a screen reader would announce without a name.

A widget is named by its own accessible name, by its text (buttons and check boxes), or by a
label whose buddy it is — a combo box only by the label: Qt on Linux announces a combo box by
its current value whatever its accessible name (see rejection_journal/ui/accessible.py).
Qt's own parts of a composite widget (a combo box's line edit, a spin box's arrows, a view's
scroll bars and headers) are announced as the composite is, and are not looked at alone.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractSlider,
               QAbstractItemView, QTextEdit, QPlainTextEdit)
#: parts Qt builds inside these and announces as the whole
COMPOSITES = (QComboBox, QAbstractSpinBox, QAbstractItemView, QTabBar)


def _is_qt_part(widget: QWidget) -> bool:
    if isinstance(widget, (QScrollBar, QHeaderView)):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, COMPOSITES):
            return True
        parent = parent.parentWidget()
    return False


def _describe(widget: QWidget) -> str:
    path = []
    node: QWidget | None = widget
    while node is not None:
        path.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    return f"{type(widget).__name__} at {' < '.join(path)}"


def unnamed_widgets(root: QWidget) -> list[str]:
    """Every interactive widget in ``root`` (itself included) that has no name."""
    widgets = [root, *root.findChildren(QWidget)]
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel)
               if label.buddy() is not None and label.text().strip()}
    unnamed = []
    for widget in widgets:
        if not isinstance(widget, INTERACTIVE) or _is_qt_part(widget):
            continue
        if id(widget) in buddies:
            continue
        if widget.accessibleName().strip() and not isinstance(widget, QComboBox):
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        unnamed.append(_describe(widget))
    return unnamed
