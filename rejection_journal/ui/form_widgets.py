"""Inputs of the entry forms that never change what was typed behind the user's back.

:class:`RatingEdit` takes a typed number and keeps it as typed, even out of range (a spin box
clamps "15" to 10 and drops digits it cannot take); the editor names the problem next to it.
:class:`GrowingTextEdit` grows with its text up to a limit and shows a counter near its
length limit.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.ui.appearance import set_toned_style

#: how a field's own error message looks, beside the field
FIELD_ERROR_STYLE = "color: {error_text};"

#: a rating box takes a sign, digits and decimal separators (up to eight characters): anything
#: out of range or not whole stays visible (and is named) instead of being refused keystroke
#: by keystroke — refusing just the "," of "7,5" would quietly turn it into 75
_RATING_PATTERN = QRegularExpression(r"[-+0-9.,\s\x{066B}\x{066C}\x{2212}]{0,8}")
#: what a whole number looks like: an optional minus sign and digits
_WHOLE = QRegularExpression(r"^-?[0-9]{1,4}$")


def with_clear_button(edit: QLineEdit, name: str = "Clear the search") -> QLineEdit:
    """Give ``edit`` Qt's clear button, named for screen readers (Qt leaves it nameless)."""
    edit.setClearButtonEnabled(True)
    for button in edit.findChildren(QToolButton):
        button.setAccessibleName(name)
        button.setToolTip(name)
    return edit


class RatingEdit(QLineEdit):
    """A whole number from ``low`` to ``high``, typed; empty means "not rated yet"."""

    def __init__(self, low: int, high: int, suffix: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.low, self.high = low, high
        self.setValidator(QRegularExpressionValidator(_RATING_PATTERN, self))
        self.setPlaceholderText(f"{low}–{high}{suffix}")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000 / 10") + 24)
        self.setToolTip(f"A whole number from {low} to {high}; leave empty if not rated yet")

    def value(self) -> int | None:
        """The number typed (in range or not), or None when nothing is typed.

        Raises ValueError when what is typed is not a whole number ("7,5", "-"): callers check
        :meth:`problem` first, and nothing typed is ever read as some other number."""
        text = self.text().strip()
        if text == "":
            return None
        if not _WHOLE.match(text).hasMatch():
            raise ValueError(f"not a whole number: {text!r}")
        return int(text)

    def setValue(self, value: int | None) -> None:
        self.setText("" if value is None else str(value))

    def problem(self) -> str | None:
        """What is wrong with what is typed, in words, or None."""
        text = self.text().strip()
        if text == "":
            return None
        if not _WHOLE.match(text).hasMatch():
            if text.strip("-+\u2212") == "":
                return f"type a whole number from {self.low} to {self.high}"
            return f"type a whole number from {self.low} to {self.high}, not {text}"
        value = self.value()
        if value is not None and not self.low <= value <= self.high:
            return f"must be from {self.low} to {self.high}, not {value}"
        return None


class GrowingTextEdit(QPlainTextEdit):
    """A text box that grows with its text from ``min_lines`` to ``max_lines`` (then scrolls);
    a counter appears when the text is within 10 % of ``limit`` characters."""

    def __init__(self, placeholder: str, limit: int, *, min_lines: int = 2, max_lines: int = 8,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.limit = limit
        self._min_lines, self._max_lines = min_lines, max_lines
        self.counter = QLabel()
        self.counter.setObjectName("textCounter")
        self.counter.hide()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self._update)
        self._update()

    def _line_height(self) -> int:
        return self.fontMetrics().lineSpacing()

    def _wanted_height(self) -> int:
        lines = max(1, int(self.document().size().height()))
        lines = max(self._min_lines, min(self._max_lines, lines))
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + int(2 * self.document().documentMargin())
        return lines * self._line_height() + frame + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._wanted_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(80, self._wanted_height())

    def _update(self) -> None:
        self.setFixedHeight(self._wanted_height())
        length = len(self.toPlainText())
        near = length >= self.limit * 0.9
        self.counter.setVisible(near)
        if near:
            left = self.limit - length
            self.counter.setText(f"{length:,} / {self.limit:,} characters"
                                 + (f" — {-left:,} too many" if left < 0 else ""))

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._update()  # wrapping changed: the line count may have too


def with_counter(box: GrowingTextEdit) -> QWidget:
    """``box`` with its length counter under it, at the right (its ``input_widget`` is the
    box, for its label's buddy)."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(box)
    column.addWidget(box.counter, 0, Qt.AlignmentFlag.AlignRight)
    holder.input_widget = box  # type: ignore[attr-defined]
    return holder


def with_error_label(rating: QWidget) -> tuple[QWidget, QLabel]:
    """``rating`` in a row with room beside it for a plain-language message naming what is
    wrong (hidden until there is one): the row (its ``input_widget`` is the rating, for its
    label's buddy) and the message label."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(rating)
    message = QLabel()
    message.setWordWrap(True)
    set_toned_style(message, FIELD_ERROR_STYLE)
    message.hide()
    row.addWidget(message, 1)
    row.addStretch(1)  # the rating stays at the left while there is no message
    holder.input_widget = rating  # type: ignore[attr-defined]
    return holder, message


class RatingMessages:
    """The rating-with-error rows of one form: each rating's message line beside it, shown
    while what is typed is wrong (the editor's and the review's ratings report through it)."""

    def __init__(self) -> None:
        #: each rating's message line
        self.labels: dict[RatingEdit, QLabel] = {}

    def row(self, rating: RatingEdit) -> QWidget:
        """``rating`` in its row with its message line (see :func:`with_error_label`)."""
        holder, self.labels[rating] = with_error_label(rating)
        return holder

    def show(self, rating: RatingEdit, problem: str | None = None) -> None:
        """Name ``problem`` (by default what is wrong with what is typed now) beside
        ``rating``, or hide its message when there is none."""
        problem = problem or rating.problem()
        message = self.labels[rating]
        message.setText(problem.capitalize() + "." if problem else "")
        message.setVisible(problem is not None)

    def hide_all(self) -> None:
        for message in self.labels.values():
            message.hide()

    def any_shown(self) -> bool:
        return any(message.isVisible() for message in self.labels.values())

    @staticmethod
    def problems(ratings: tuple[RatingEdit, ...],
                 within: QWidget) -> list[tuple[RatingEdit, str]]:
        """The ratings shown in ``within`` whose text is not acceptable, in ``ratings``'
        order, each with what is wrong."""
        return [(rating, problem) for rating in ratings
                if rating.isVisibleTo(within) and (problem := rating.problem()) is not None]


class DateBox(QDateEdit):
    """A date field that Tab leaves in one step, and that never quietly keeps another date
    than the one shown.

    A plain QDateEdit takes a Tab stop for each of its parts (day, month, year), so a rating
    typed after one Tab went into the year ("Sun 6 Dec 0000") and, when the keyboard left,
    the field went back to its old date without a word.  Here Tab and Shift+Tab go to the
    next and previous field (←/→ move between the parts), and while what is typed is not a
    date, and after the field refused it, ``problemChanged`` names it ("" once it is fine).
    """

    problemChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problem = ""
        self.setToolTip("Type the date or pick it (Alt+↓); ←/→ move between day, month and year")
        self.dateChanged.connect(lambda _day: self._set_problem(""))

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)  # the next field, not the next part

    def _shown_is_held(self) -> bool:
        return self.text() == self.textFromDateTime(self.dateTime())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if not self._shown_is_held():
            self._set_problem(f"Not a date yet — unless you finish it, the date stays "
                              f"{self.textFromDateTime(self.dateTime())}")
        elif self._problem.startswith("Not a date yet"):
            self._set_problem("")

    def focusOutEvent(self, event: QFocusEvent) -> None:
        typed = None if self._shown_is_held() else self.text()
        super().focusOutEvent(event)  # (Qt puts back the date it held)
        if typed is not None and not self._shown_is_held():
            self.setDateTime(self.dateTime())  # show the date that is kept
        if typed is not None:
            self._set_problem(f"“{typed}” is not a date, so the date stays "
                              f"{self.textFromDateTime(self.dateTime())}")

    def problem(self) -> str:
        return self._problem

    def _set_problem(self, problem: str) -> None:
        if problem != self._problem:
            self._problem = problem
            self.problemChanged.emit(problem)
