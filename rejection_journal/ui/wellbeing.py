"""Calm banners above the panes: demo data is showing, and the gentle pause suggestion.

The pause rule itself is in ``domain/wellbeing.py``; these widgets only show what it says.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rejection_journal.domain.wellbeing import PauseSuggestion
from rejection_journal.ui.appearance import set_toned_style

DEMO_TEXT = ("You are looking at demo entries, made up to show how the journal works. Your "
             "own entries can sit beside them; removing the demo ones leaves yours alone, "
             "and any demo entry you have written in.")
PAUSE_TITLE = "Maybe time for a breather"


def _banner(name: str, tone: str) -> QFrame:
    """A tinted frame; ``tone`` names the tints (ui/appearance.py TONES), light or dark."""
    frame = QFrame()
    frame.setObjectName(name)
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    set_toned_style(
        frame, f"QFrame#{name} {{{{ background: {{{tone}_bg}}; border: 1px solid"
        f" {{{tone}_border}}; border-radius: 4px; }}}} QFrame#{name} QLabel"
        f" {{{{ color: {{{tone}_fg}}; }}}}")
    return frame


class DemoBanner(QWidget):
    """Shown while any demo item is in the journal; one button removes them all."""

    removeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame = _banner("demoBanner", "note")
        self.label = QLabel(DEMO_TEXT)
        self.label.setWordWrap(True)
        self.remove_button = QPushButton("Remove demo data")
        self.remove_button.setToolTip("Delete the demo entries in one step; yours, and any "
                                      "you changed, stay")
        row = QHBoxLayout(frame)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignVCenter)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.remove_button.clicked.connect(self.removeRequested)
        self.hide()


class PauseBanner(QWidget):
    """A gentle suggestion to pause, take smaller steps or talk to someone; dismissible."""

    dismissed = Signal()
    guidanceRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame = _banner("pauseBanner", "calm")
        self.title = QLabel(f"<b>{PAUSE_TITLE}</b>")
        self.label = QLabel()
        self.label.setObjectName("pauseMessage")
        self.label.setWordWrap(True)
        self.suggestion: PauseSuggestion | None = None
        self.guidance_button = QPushButton("When to pause…")
        self.guidance_button.setToolTip("Safety, respect, and when to pause")
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setToolTip("Hide this until things look harder, or for two weeks")
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.label)
        row = QHBoxLayout(frame)
        row.setContentsMargins(10, 6, 6, 6)
        row.addLayout(text, 1)
        row.addWidget(self.guidance_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignVCenter)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.dismiss_button.clicked.connect(self.dismissed)
        self.guidance_button.clicked.connect(self.guidanceRequested)
        self.hide()

    def show_suggestion(self, suggestion: PauseSuggestion | None) -> None:
        """Show ``suggestion`` (None: hide the banner)."""
        self.suggestion = suggestion
        if suggestion is None:
            self.hide()
            return
        self.label.setText(suggestion.message)
        self.show()
