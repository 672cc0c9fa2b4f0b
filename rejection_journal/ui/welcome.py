"""The first-run welcome: what rejection therapy is, that this is not therapy, when to leave
it for now, an offer of demo entries to look around with, and of *Build my plan*.

Shown once (``welcome/shown`` in ui-state.ini) and always reachable from Help ▸ Welcome….
It is opened without blocking (``open()``): the window behind it is already usable.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rejection_journal import APP_NAME
from rejection_journal.domain.guidance import NOT_THERAPY

WELCOME_HTML = f"""
<h2>Welcome to {APP_NAME}</h2>
<p><b>Rejection therapy</b> is the practice of asking, on purpose, for small things where
"no" is a perfectly acceptable answer — a discount, a seat by the window, feedback on your
work — so that hearing "no" slowly loses its sting.</p>
<p>This journal helps you do it with care. Before an ask, note how uncomfortable you expect
to feel and how likely a "no" seems. Afterwards, often in the evening, write down what really
happened. Over the weeks most people find their fear was bigger than the moment itself.</p>
<p><b>{NOT_THERAPY}</b></p>
<h4>When to leave it for now</h4>
<ul>
<li>If you are in a crisis, or living with severe anxiety or depression: please talk to a
doctor or a mental-health professional first.</li>
<li>If asking leaves you more hopeless, or anxious for days afterwards: pause, take a much
smaller step, or talk it over with someone you trust. The journal will gently say so too if
your recent entries point that way.</li>
<li>Never where a "no" would cost the other person something, or to pressure anyone. When
someone says no, thank them and let it be.</li>
</ul>
<p>Everything stays on this computer: no account, no network.</p>
"""

DEMO_NOTE = ("Not sure yet? Look around a journal filled with demo entries first. They are "
             "clearly marked, and one click removes them all.")
NO_DEMO_NOTE = "Your journal already has entries, so no demo entries are offered."


class WelcomeDialog(QDialog):
    """The welcome.  ``demoRequested`` fires (and the dialog closes) when the user asks for
    demo entries; "Start my journal" just closes it."""

    demoRequested = Signal()
    planRequested = Signal()

    def __init__(self, can_add_demo: bool, parent: QWidget | None = None, *,
                 can_plan: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        text = QLabel(WELCOME_HTML)
        text.setObjectName("welcomeText")
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel(DEMO_NOTE if can_add_demo else NO_DEMO_NOTE)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-style: italic;")
        self.demo_button = QPushButton("Explore with &demo entries")
        self.demo_button.setVisible(can_add_demo)
        self.demo_button.setAutoDefault(False)
        self.plan_button = QPushButton("&Build my plan…")
        self.plan_button.setToolTip("A short self-check that proposes a first ladder of "
                                    "small, doable steps")
        self.plan_button.setVisible(can_plan)
        self.plan_button.setAutoDefault(False)
        self.start_button = QPushButton("&Start my journal")
        self.start_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.plan_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.demo_button.clicked.connect(self._demo)
        self.plan_button.clicked.connect(self._plan)
        self.start_button.clicked.connect(self.accept)
        # It sits over the window (window-modal): the app's Quit still works from here.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        shortcut = QShortcut(self)
        shortcut.setKeys(quit_keys or [QKeySequence("Ctrl+Q")])
        shortcut.activated.connect(self._quit)

    def _quit(self) -> None:
        window = self.parentWidget()
        self.reject()
        if window is not None:
            window.close()

    def _demo(self) -> None:
        self.accept()
        self.demoRequested.emit()

    def _plan(self) -> None:
        self.accept()
        self.planRequested.emit()
