"""Calm banners above the panes: demo data is showing, and the gentle pause suggestion.

The pause rule itself is in ``domain/wellbeing.py``; these widgets only show what it says.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rejection_journal.domain.wellbeing import PauseSuggestion
from rejection_journal.ui.appearance import set_palette_style, set_toned_style

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


def _lay_out(banner: QWidget, frame: QFrame, words: QWidget | QVBoxLayout,
             *buttons: QPushButton) -> None:
    """The banner's words at the left of ``frame``, its buttons at the right."""
    row = QHBoxLayout(frame)
    row.setContentsMargins(10, 6, 6, 6)
    if isinstance(words, QVBoxLayout):
        row.addLayout(words, 1)
    else:
        row.addWidget(words, 1)
    for button in buttons:
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
    outer = QVBoxLayout(banner)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(frame)


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
        _lay_out(self, frame, self.label, self.remove_button)
        self.remove_button.clicked.connect(self.removeRequested)
        self.hide()


class PauseBanner(QWidget):
    """A gentle suggestion to pause, take smaller steps or talk to someone; dismissible."""

    dismissed = Signal()
    guidanceRequested = Signal()
    #: Help ▸ If you are struggling: where to find help now
    crisisRequested = Signal()

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
        # A link-like button (keyboard and screen reader reach it; nothing opens the network)
        self.crisis_button = QPushButton("If you are struggling, here is where to find help")
        self.crisis_button.setObjectName("pauseCrisisLink")
        self.crisis_button.setFlat(True)
        self.crisis_button.setCursor(Qt.CursorShape.PointingHandCursor)
        set_palette_style(self.crisis_button, "QPushButton { color: palette(link);"
                                         " text-decoration: underline; padding: 1px 0;"
                                         " text-align: left; }")
        self.crisis_button.setToolTip("Emergency services, a doctor, a crisis line in your "
                                      "country (Help ▸ If you are struggling, Ctrl+Shift+H)")
        text.addWidget(self.crisis_button, 0, Qt.AlignmentFlag.AlignLeft)
        _lay_out(self, frame, text, self.guidance_button, self.dismiss_button)
        self.dismiss_button.clicked.connect(self.dismissed)
        self.guidance_button.clicked.connect(self.guidanceRequested)
        self.crisis_button.clicked.connect(self.crisisRequested)
        self.hide()

    def show_suggestion(self, suggestion: PauseSuggestion | None) -> None:
        """Show ``suggestion`` (None: hide the banner)."""
        self.suggestion = suggestion
        if suggestion is None:
            self.hide()
            return
        self.label.setText(suggestion.message)
        self.show()


class EveningBanner(QWidget):
    """In the evening, while entries are open: a gentle note in the window itself (no
    system tray needed), with the review one click away; put away until tomorrow."""

    reviewRequested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame = _banner("eveningBanner", "evening")
        self.label = QLabel()
        self.label.setObjectName("eveningMessage")
        self.label.setWordWrap(True)
        self.review_button = QPushButton("Review now")
        self.review_button.setToolTip("Step through the open entries (Ctrl+R)")
        self.dismiss_button = QPushButton("Not tonight")
        self.dismiss_button.setToolTip("Hide this until tomorrow evening")
        _lay_out(self, frame, self.label, self.review_button, self.dismiss_button)
        self.review_button.clicked.connect(self.reviewRequested)
        self.dismiss_button.clicked.connect(self.dismissed)
        self.hide()

    def show_text(self, text: str | None) -> None:
        """Show ``text`` (None: hide the banner)."""
        if text is None:
            self.hide()
            return
        self.label.setText(text)
        self.show()
