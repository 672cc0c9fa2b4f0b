"""What screen readers need that Qt does not do by itself.

Qt on Linux announces a combo box by its current value ("All time"), whatever its accessible
name: the name of a combo box reaches a screen reader (over AT-SPI) only through a label whose
buddy it is (the labelled-by relation). :func:`label_combo_boxes` gives every named combo box
that has no such label an unseen one of its name; on Windows and macOS the accessible name
itself is read.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QWidget


def has_label(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return parent is not None and any(
        label.buddy() is widget for label in parent.findChildren(QLabel))


def label_combo_boxes(root: QWidget) -> None:
    """Give each combo box in ``root`` that has an accessible name and no label a hidden
    label of that name (call it once the widgets are in their layouts)."""
    for combo in root.findChildren(QComboBox):
        name = combo.accessibleName()
        parent = combo.parentWidget()
        if not name or parent is None or has_label(combo):
            continue
        label = QLabel(name, parent)
        label.setObjectName("screenReaderLabel")
        label.setBuddy(combo)
        label.hide()
