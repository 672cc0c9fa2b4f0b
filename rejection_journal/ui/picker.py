"""Challenge picker pane: browse the library by category and start an attempt."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.enums import Category
from rejection_journal.domain.records import ChallengeRecord
from rejection_journal.services import JournalService

UUID_ROLE = Qt.ItemDataRole.UserRole


class ChallengePicker(QWidget):
    """Lists challenges; ``challengeStarted`` carries the chosen :class:`ChallengeRecord`."""

    challengeStarted = Signal(object)
    freeFormRequested = Signal()

    def __init__(self, service: JournalService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("challengePicker")
        self._service = service
        self._challenges: dict[str, ChallengeRecord] = {}

        heading = QLabel("<b>Challenges</b>")
        self.category = QComboBox()
        self.category.setAccessibleName("Category")
        self.category.addItem("All categories", None)
        for category in Category:
            self.category.addItem(category.label, category.value)

        self.list = QListWidget()
        self.list.setAccessibleName("Challenge list")
        self.list.setAlternatingRowColors(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details = QTextBrowser()
        self.details.setOpenExternalLinks(False)
        self.details.setMinimumHeight(140)

        self.start_button = QPushButton("&Start this challenge")
        self.start_button.setDefault(True)
        self.start_button.setToolTip("Fill a new entry with this challenge (Enter)")
        self.free_button = QPushButton("Free-form ask…")
        self.free_button.setToolTip("Start an entry for an ask that is not in the list")

        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button, 1)
        buttons.addWidget(self.free_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.category)
        layout.addWidget(self.list, 3)
        layout.addWidget(self.details, 2)
        layout.addLayout(buttons)

        self.category.currentIndexChanged.connect(self.reload)
        self.list.currentItemChanged.connect(self._show_details)
        self.list.itemActivated.connect(lambda _item: self._start())
        self.start_button.clicked.connect(self._start)
        self.free_button.clicked.connect(self.freeFormRequested)
        self.reload()

    def reload(self) -> None:
        wanted = self.category.currentData()
        self._challenges = {c.uuid: c for c in self._service.challenges()}
        self.list.clear()
        for challenge in self._challenges.values():
            if wanted and challenge.category.value != wanted:
                continue
            item = QListWidgetItem(f"L{challenge.level}  ·  {challenge.title}")
            item.setData(UUID_ROLE, challenge.uuid)
            item.setToolTip(f"{challenge.category.label}, level {challenge.level} of 10")
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self._show_details(None)

    def current_challenge(self) -> ChallengeRecord | None:
        item = self.list.currentItem()
        return self._challenges.get(item.data(UUID_ROLE)) if item else None

    def select_challenge(self, uuid: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(UUID_ROLE) == uuid:
                self.list.setCurrentRow(row)
                return True
        return False

    def _show_details(self, _item: QListWidgetItem | None) -> None:
        challenge = self.current_challenge()
        self.start_button.setEnabled(challenge is not None)
        if challenge is None:
            self.details.setHtml("<p>No challenges in this category yet.</p>")
            return
        self.details.setHtml(
            f"<h3>{escape(challenge.title)}</h3>"
            f"<p><i>{escape(challenge.category.label)} · level {challenge.level} of 10</i></p>"
            f"<p><b>How:</b> {escape(challenge.how_to)}</p>"
            f"<p><b>Respect:</b> {escape(challenge.respect_note)}</p>"
        )

    def _start(self) -> None:
        challenge = self.current_challenge()
        if challenge is not None:
            self.challengeStarted.emit(challenge)
