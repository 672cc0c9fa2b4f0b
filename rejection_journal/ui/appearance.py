"""View ▸ Appearance: System, Light or Dark, remembered with the window's other UI state.

Dark means the whole application: a dark palette (on Qt's Fusion style, which draws every
widget from the palette), the banners (their tints come from :func:`set_toned_style`, here
re-applied on every switch) and the charts (the chart pane redraws on the palette change
in the theme :func:`rejection_journal.ui.theme.chart_theme_for` reads from the palette).
*System* follows the platform: Qt's colour scheme (a dark GNOME/GTK, KDE, Windows or macOS
setting), else a ``GTK_THEME`` ending in ``:dark``.
"""

from __future__ import annotations

import os
import weakref

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QStyleFactory, QWidget

from rejection_journal.ui.theme import is_dark

SYSTEM, LIGHT, DARK = "system", "light", "dark"
APPEARANCES = {SYSTEM: "&System", LIGHT: "&Light", DARK: "&Dark"}
SETTING = "view/appearance"

#: the tints banners and messages use, light and dark; a style template names them
#: ``{info_bg}`` and so on (see :func:`set_toned_style`)
TONES: dict[str, dict[str, str]] = {
    LIGHT: {
        "info_bg": "#e8f0fb", "info_fg": "#1d3557", "info_border": "#c5d6ee",
        "calm_bg": "#eaf3f6", "calm_fg": "#173b4a", "calm_border": "#bcd6e0",
        "note_bg": "#fff6dd", "note_fg": "#4d3b00", "note_border": "#ecd89a",
        "evening_bg": "#f1eefa", "evening_fg": "#2e2552", "evening_border": "#cfc6ea",
        "ok_bg": "#eef6ee", "ok_fg": "#1f3d1f",
        "error_bg": "#fde8e8", "error_fg": "#7f1d1d", "error_text": "#b42318",
        "muted": "#6b7280",
    },
    DARK: {
        "info_bg": "#1c2b40", "info_fg": "#d5e3f7", "info_border": "#34527a",
        "calm_bg": "#17323b", "calm_fg": "#cde6ee", "calm_border": "#2f5d6c",
        "note_bg": "#3a3015", "note_fg": "#f5e3a8", "note_border": "#6b5a24",
        "evening_bg": "#2a2540", "evening_fg": "#e2dcf5", "evening_border": "#4a4270",
        "ok_bg": "#1d3320", "ok_fg": "#cfe8cf",
        "error_bg": "#4a1d1d", "error_fg": "#fbd5d5", "error_text": "#ff8a80",
        "muted": "#9aa4ae",
    },
}

_TEMPLATE = "tonedStyle"
#: the widgets whose style sheets follow the appearance (toned, or reading ``palette(...)``):
#: only these are restyled on a switch, never every widget of the application (walking
#: ``allWidgets()`` touched Qt's own widgets, some of which go while others are restyled)
_STYLED: weakref.WeakSet[QWidget] = weakref.WeakSet()


def tones(dark: bool | None = None) -> dict[str, str]:
    """The tints for the application's current palette (or the one asked for)."""
    if dark is None:
        dark = is_dark(QGuiApplication.palette())
    return TONES[DARK if dark else LIGHT]


def set_toned_style(widget: QWidget, template: str) -> None:
    """Give ``widget`` the style sheet ``template`` with the current tints filled in; it is
    filled in again whenever the appearance changes."""
    widget.setProperty(_TEMPLATE, template)
    widget.setStyleSheet(template.format(**tones()))
    _STYLED.add(widget)


def set_palette_style(widget: QWidget, sheet: str) -> None:
    """Give ``widget`` a style sheet that reads the palette (``palette(link)`` …): Qt reads
    those colours when the sheet is set, so it is set again whenever the appearance changes."""
    widget.setStyleSheet(sheet)
    _STYLED.add(widget)


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#2b2d30", roles.WindowText: "#e6edf3", roles.Base: "#1e1f22",
        roles.AlternateBase: "#26282b", roles.ToolTipBase: "#2b2d30",
        roles.ToolTipText: "#e6edf3", roles.PlaceholderText: "#8b949e", roles.Text: "#e6edf3",
        roles.Button: "#33363a", roles.ButtonText: "#e6edf3", roles.BrightText: "#ff8a80",
        roles.Light: "#4a4f57", roles.Midlight: "#3a3f45", roles.Mid: "#5a606a",
        roles.Dark: "#17181a", roles.Shadow: "#000000", roles.Highlight: "#2f6feb",
        roles.HighlightedText: "#ffffff", roles.Link: "#6cb6ff", roles.LinkVisited: "#c4b5fd",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#6e7681"))
    palette.setColor(disabled, roles.Base, QColor("#26282b"))
    return palette


def system_is_dark(app: QGuiApplication) -> bool:
    """Does the platform ask for dark (Qt's colour scheme, else a dark ``GTK_THEME``)?"""
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return os.environ.get("GTK_THEME", "").lower().endswith(":dark")


#: the application's own style and palette before any appearance was applied
_platform: tuple[str, QPalette] | None = None


def apply_appearance(choice: str) -> None:
    """Make the whole application System, Light or Dark, and re-tint the toned widgets."""
    global _platform
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if _platform is None:
        _platform = (app.style().name(), QPalette(app.palette()))
    style, palette = _platform
    dark = choice == DARK or (choice == SYSTEM and system_is_dark(app))
    if dark and not is_dark(palette):
        style, palette = "Fusion", dark_palette()
    elif not dark and is_dark(palette):
        fusion = QStyleFactory.create("Fusion")
        style, palette = "Fusion", fusion.standardPalette()
    if app.style().name().lower() != style.lower():
        app.setStyle(style)
    app.setPalette(palette)
    # Qt posts the palette change to every widget: deliver it now, so the window and the
    # chart (which redraws on it) are in the new look when this returns.
    QApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
    values = tones(dark)
    for widget in list(_STYLED):
        if not shiboken6.isValid(widget):
            continue
        template = widget.property(_TEMPLATE)
        if isinstance(template, str):
            widget.setStyleSheet(template.format(**values))
        elif "palette(" in (sheet := widget.styleSheet()):
            # Qt reads a style sheet's palette(...) colours when the sheet is set: set it
            # again for the new palette.
            widget.setStyleSheet("")
            widget.setStyleSheet(sheet)


class Appearance(QObject):
    """The View ▸ Appearance choices (one checked), the setting behind them, and following
    the platform's colour scheme while *System* is chosen."""

    changed = Signal(str)

    def __init__(self, settings: QSettings, parent: QObject | None = None, *,
                 remember: bool = True) -> None:
        super().__init__(parent)
        self._settings = settings
        self._remember = remember  # a read-only journal's folder gets nothing written
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        tips = {SYSTEM: "Follow the system's light or dark setting",
                LIGHT: "Always light", DARK: "Always dark: the window, banners and charts"}
        for name, text in APPEARANCES.items():
            action = QAction(text, self)
            action.setCheckable(True)
            action.setData(name)
            action.setStatusTip(tips[name])
            self.group.addAction(action)
            self.actions[name] = action
        chosen = settings.value(SETTING, SYSTEM)
        self._current = chosen if chosen in APPEARANCES else SYSTEM
        self.actions[self._current].setChecked(True)
        self.group.triggered.connect(lambda action: self.choose(str(action.data())))
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._platform_changed)
        apply_appearance(self._current)

    @property
    def current(self) -> str:
        return self._current

    def menu(self, parent: QWidget) -> QMenu:
        menu = QMenu("&Appearance", parent)
        menu.setObjectName("appearanceMenu")
        menu.addActions(list(self.actions.values()))
        return menu

    def choose(self, name: str) -> None:
        if name not in APPEARANCES:
            raise ValueError(f"unknown appearance '{name}'")
        self._current = name
        self.actions[name].setChecked(True)
        if self._remember:
            self._settings.setValue(SETTING, name)
            self._settings.sync()
        apply_appearance(name)
        self.changed.emit(name)

    def _platform_changed(self) -> None:
        if self._current == SYSTEM:
            apply_appearance(SYSTEM)
