"""The chart export dialog: file, format, size (with presets), PNG resolution, transparency,
light or dark.

The file name's extension and the format choice follow each other: typing ``.svg`` picks
SVG, picking PDF rewrites a known extension to ``.pdf``. So the format written is always the
one the user set last, and never differs from the file's name.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from rejection_journal.charts.formats import (
    DPI_MAX,
    DPI_MIN,
    EXPORT_FORMATS,
    SIZE_MAX,
    SIZE_MIN,
    SIZE_PRESETS,
    ChartExportRequest,
)

FORMAT_LABELS = {"png": "PNG image (*.png)", "svg": "SVG vector image (*.svg)",
                 "pdf": "PDF document (*.pdf)"}
CUSTOM_SIZE = "Custom"


class ChartExportDialog(QDialog):
    def __init__(self, request: ChartExportRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export chart")
        self.setObjectName("chartExportDialog")
        self._initial = request
        self.path_edit = QLineEdit(str(request.path))
        self.path_edit.setMinimumWidth(320)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.format_combo = QComboBox()
        for fmt, label in FORMAT_LABELS.items():
            self.format_combo.addItem(label, fmt)
        self.size_combo = QComboBox()
        self.size_combo.addItems([*SIZE_PRESETS, CUSTOM_SIZE])
        self.width_spin = self._inches(request.width)
        self.height_spin = self._inches(request.height)
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_spin)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_spin)
        size_row.addWidget(QLabel("inches"))
        size_row.addStretch(1)
        self.dpi_spin = QSpinBox()
        self.dpi_spin.setRange(DPI_MIN, DPI_MAX)
        self.dpi_spin.setSingleStep(50)
        self.dpi_spin.setSuffix(" dpi")
        self.dpi_spin.setValue(max(DPI_MIN, min(DPI_MAX, request.dpi)))
        self.pixels = QLabel()
        dpi_row = QHBoxLayout()
        dpi_row.addWidget(self.dpi_spin)
        dpi_row.addWidget(self.pixels, 1)
        self.transparent_check = QCheckBox("Transparent background")
        self.transparent_check.setChecked(request.transparent)
        self.dark_check = QCheckBox("Dark background")
        self.dark_check.setToolTip("Draw the chart in the dark theme (otherwise it is light, "
                                   "whatever the window's appearance)")
        self.dark_check.setChecked(request.dark)

        self.width_spin.setAccessibleName("Width in inches")
        self.height_spin.setAccessibleName("Height in inches")
        form = QFormLayout(self)
        file_label = QLabel("File:")
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, path_row)
        form.addRow("Format:", self.format_combo)
        form.addRow("Size:", self.size_combo)
        form.addRow("", size_row)
        dpi_label = QLabel("Resolution (PNG):")
        dpi_label.setBuddy(self.dpi_spin)
        form.addRow(dpi_label, dpi_row)
        form.addRow("", self.transparent_check)
        form.addRow("", self.dark_check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

        self._set_format(request.fmt or EXPORT_FORMATS.get(request.path.suffix.lower(), "png"))
        self._match_preset()
        self.format_combo.currentIndexChanged.connect(self._format_chosen)
        self.path_edit.textEdited.connect(self._path_typed)
        self.size_combo.currentTextChanged.connect(self._preset_chosen)
        for spin in (self.width_spin, self.height_spin):
            spin.valueChanged.connect(self._size_typed)
        self.dpi_spin.valueChanged.connect(self._update_pixels)
        self._update_pixels()

    @staticmethod
    def _inches(value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(SIZE_MIN, SIZE_MAX)
        spin.setDecimals(2)
        spin.setSingleStep(0.5)
        spin.setValue(max(SIZE_MIN, min(SIZE_MAX, value)))
        return spin

    # -- format and file name follow each other ---------------------------------------------
    @property
    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def _set_format(self, fmt: str) -> None:
        index = self.format_combo.findData(fmt)
        if index >= 0:
            self.format_combo.setCurrentIndex(index)
        self._update_pixels()

    def _format_chosen(self) -> None:
        path = Path(self.path_edit.text())
        if path.suffix.lower() in EXPORT_FORMATS:
            self.path_edit.setText(str(path.with_suffix("." + self.fmt)))
        self._update_pixels()

    def _path_typed(self, text: str) -> None:
        fmt = EXPORT_FORMATS.get(Path(text).suffix.lower())
        if fmt is not None and fmt != self.fmt:
            self.format_combo.blockSignals(True)
            self._set_format(fmt)
            self.format_combo.blockSignals(False)

    def _browse(self) -> None:
        filters = ";;".join(FORMAT_LABELS.values())
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export chart", self.path_edit.text(), filters, FORMAT_LABELS[self.fmt])
        if not path:
            return
        fmt = next((f for f, label in FORMAT_LABELS.items() if label == chosen), self.fmt)
        typed = EXPORT_FORMATS.get(Path(path).suffix.lower())
        if typed is None:
            path += "." + fmt  # no extension typed: the chosen filter's
            typed = fmt
        self.path_edit.setText(path)
        self.format_combo.blockSignals(True)
        self._set_format(typed)
        self.format_combo.blockSignals(False)

    # -- size ---------------------------------------------------------------------------------
    def _match_preset(self) -> None:
        size = (round(self.width_spin.value(), 2), round(self.height_spin.value(), 2))
        name = next((n for n, s in SIZE_PRESETS.items() if (round(s[0], 2), round(s[1], 2))
                     == size), CUSTOM_SIZE)
        self.size_combo.blockSignals(True)
        self.size_combo.setCurrentText(name)
        self.size_combo.blockSignals(False)

    def _preset_chosen(self, name: str) -> None:
        if name in SIZE_PRESETS:
            width, height = SIZE_PRESETS[name]
            for spin, value in ((self.width_spin, width), (self.height_spin, height)):
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)
            self._update_pixels()

    def _size_typed(self) -> None:
        self._match_preset()
        self._update_pixels()

    def _update_pixels(self) -> None:
        png = self.fmt == "png"
        self.dpi_spin.setEnabled(png)
        if png:
            dpi = self.dpi_spin.value()
            self.pixels.setText(f"= {round(self.width_spin.value() * dpi):,} × "
                                f"{round(self.height_spin.value() * dpi):,} pixels")
        else:
            self.pixels.setText("(vector: sharp at any size)")

    def request(self) -> ChartExportRequest:
        """What the dialog now says (the format chosen; a known extension agrees with it)."""
        return replace(self._initial, path=Path(self.path_edit.text()).expanduser(),
                       fmt=self.fmt, width=self.width_spin.value(),
                       height=self.height_spin.value(), dpi=self.dpi_spin.value(),
                       transparent=self.transparent_check.isChecked(),
                       dark=self.dark_check.isChecked())
