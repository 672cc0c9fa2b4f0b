"""The chart's numbers as a table: what *Show as table* puts in the chart's place — the rows
of the chart's CSV export (the registry's ``csv``), in a table a screen reader can walk
cell by cell; the entries' identifiers (UUIDs, for spreadsheets that join them) are left
out. The choice is remembered (``SHOW_TABLE_KEY``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QWidget,
)

SHOW_TABLE_KEY = "chart/showTable"


def column_title(name: str) -> str:
    """A CSV column's name as a heading: "week_starting" -> "Week starting"; the drawn lines
    (running means, "line_gap") -> "Trend: gap"."""
    if name.startswith("line_"):
        name = f"trend:_{name.removeprefix('line_')}"
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def shown_columns(header: Sequence[str]) -> list[int]:
    """The CSV columns the table shows: all but the entries' identifiers."""
    return [i for i, name in enumerate(header) if not name.endswith("uuid")]


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


class ChartTable(QTableWidget):
    """Read-only rows of numbers, one column per CSV column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartTable")
        self.setAccessibleName("Chart data")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def show_rows(self, title: str, description: str, header: Sequence[str],
                  rows: Sequence[Sequence[object]]) -> None:
        self.setAccessibleName(f"{title}, as a table")
        self.setAccessibleDescription(description)
        columns = shown_columns(header)
        self.setUpdatesEnabled(False)
        try:
            self.clear()
            self.setColumnCount(len(columns))
            self.setRowCount(len(rows))
            self.setHorizontalHeaderLabels([column_title(header[i]) for i in columns])
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            for r, row in enumerate(rows):
                for c, value in enumerate(row[i] for i in columns):
                    item = QTableWidgetItem(cell_text(value))
                    if isinstance(value, (int, float)):
                        item.setTextAlignment(right)
                    self.setItem(r, c, item)
        finally:
            self.setUpdatesEnabled(True)


def table_toggle(settings: QSettings | None) -> QToolButton:
    """The *Show as table* button, checked as it was left."""
    button = QToolButton()
    button.setObjectName("chartShowTable")
    button.setText("Show as table")
    button.setToolTip("Show the numbers this chart plots as a table")
    button.setCheckable(True)
    if settings is not None:
        button.setChecked(str(settings.value(SHOW_TABLE_KEY, "false")).lower() == "true")
    return button
