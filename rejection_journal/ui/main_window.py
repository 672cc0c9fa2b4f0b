"""The main window: composition of the panes, menus, and one place where signals are wired."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rejection_journal import APP_NAME, __version__
from rejection_journal.domain.guidance import (
    ABOUT_HTML,
    CRISIS_HTML,
    CRISIS_TITLE,
    IS_THIS_FOR_ME_HTML,
    NOT_THERAPY,
)
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord
from rejection_journal.services import Change, Entity, JournalService
from rejection_journal.ui.accessible import label_combo_boxes
from rejection_journal.ui.after_paint import AfterFirstPaint
from rejection_journal.ui.appearance import Appearance, set_toned_style
from rejection_journal.ui.changes import ChangeSignals
from rejection_journal.ui.chart_preload import preload
from rejection_journal.ui.dialogs import Dialogs, UnsavedChoice
from rejection_journal.ui.edit_commands import EditCommands
from rejection_journal.ui.editor import AttemptEditor
from rejection_journal.ui.entries import EntriesView
from rejection_journal.ui.evening import EveningSession
from rejection_journal.ui.journal_actions import JournalActions
from rejection_journal.ui.lazy_pane import LazyPane
from rejection_journal.ui.panes import SidePanes, arrangement_for
from rejection_journal.ui.picker import ChallengePicker
from rejection_journal.ui.picker_tabs import PickerTabs
from rejection_journal.ui.protection import ProtectionActions
from rejection_journal.ui.search import SearchPane
from rejection_journal.ui.shortcuts import WindowShortcutsWin

if TYPE_CHECKING:
    from rejection_journal.ui.chart_pane import ChartPane
    from rejection_journal.ui.ladders import LadderPanel

#: how often the window looks whether the day has changed
DAY_CHECK_MS = 30_000

#: Help ▸ If you are struggling, from any field (Ctrl+H alone is a text field's backspace)
CRISIS_SHORTCUT = "Ctrl+Shift+H"

READ_ONLY_BANNER = ("This journal is read-only because {reason}, so changes can't be saved. "
                    "You can still read, export and chart it.")


class MainWindow(QMainWindow):
    def __init__(
        self,
        service: JournalService,
        *,
        settings: QSettings,
        dialogs: Dialogs | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        # Qt's conventions: "[*]" is where the modified mark goes (windowModified), and the
        # platform adds " — " and the application's display name unless the title ends in it:
        # "Rejection Journal", "*Rejection Journal", "*my other journal — Rejection Journal"
        self.setWindowTitle(f"[*]{service.journal_name or APP_NAME}")
        self.service = service
        self.journal = service.journal
        self.settings = settings
        self.dialogs = dialogs or Dialogs(self)
        if self.dialogs.parent is None:
            self.dialogs.parent = self  # dialogs made before the window now centre on it

        self.changes = ChangeSignals(service.changes, self)
        self.picker = ChallengePicker(service, dialogs=self.dialogs)
        # The ladders tab and the chart are built when first shown (ui/lazy_pane.py); each
        # is wired then (_ladders_built, _chart_built) and reads the journal as it is then.
        self.picker_tabs = PickerTabs(self.picker, self._make_ladders,
                                      built=self._ladders_built)
        self.editor = AttemptEditor(service, dialogs=self.dialogs)
        self.entries = EntriesView(service, settings=settings)
        self.chart_box: LazyPane[ChartPane] = LazyPane(self._make_chart, name="chartBox",
                                                       built=self._chart_built)
        self.journal_actions = JournalActions(service, self.dialogs, self, self._settle_unsaved)
        self.protection = ProtectionActions(service, self.dialogs, self, settings=settings,
                                            keep_draft=self.editor.write_draft,
                                            quit_app=self.quit_keeping_draft)

        # Challenges | editor | entries and chart; on smaller windows the side panes become
        # tabs (ui/panes.py), so the editor keeps its full height and nothing scrolls sideways.
        # The search field sits above the entries list; its hits take the list's place.
        self.search = SearchPane(service, covers=self.entries)
        self.entries_box = QWidget()
        self.entries_box.setObjectName("entriesBox")
        entries_layout = QVBoxLayout(self.entries_box)
        entries_layout.setContentsMargins(0, 0, 0, 0)
        entries_layout.setSpacing(2)
        entries_layout.addWidget(self.search)
        entries_layout.addWidget(self.entries, 1)
        self.panes = SidePanes(self.picker_tabs, self.entries_box, self.chart_box)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        for pane in (self.panes.picker_holder, self.editor, self.panes):
            self.main_splitter.addWidget(pane)
            self.main_splitter.setCollapsible(self.main_splitter.indexOf(pane), False)
        self.main_splitter.setStretchFactor(0, 2)
        self.main_splitter.setStretchFactor(1, 4)
        self.main_splitter.setStretchFactor(2, 5)
        self.main_splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.main_splitter)

        self.evening = EveningSession(
            self, service, settings, self.dialogs, self.editor,
            settle_unsaved=self._settle_unsaved, journal_replaced=self.journal_replaced,
            show_guidance=self.show_guidance,
            message=lambda text: self.statusBar().showMessage(text, 8000),
            build_plan=self.build_plan,
        )

        self._create_actions()
        self.report_dialog: QDialog | None = None
        self._create_menus()
        for more in self.menuBar().findChildren(QToolButton, "qt_menubar_ext_button"):
            more.setAccessibleName("More menus")
        self._add_search()
        self.read_only_banner: QLabel | None = None
        if service.read_only_reason is not None:
            self._show_read_only(service.read_only_reason)
        self._add_banners(self.evening.banners())
        self.statusBar().addPermanentWidget(self.evening.open_button)
        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        if service.backup_error is not None:
            self.statusBar().showMessage(
                f"Today's automatic backup could not be made: {service.backup_error}", 15000
            )
        else:
            self.statusBar().showMessage(NOT_THERAPY, 8000)
        self._update_counts()
        self.edit_commands = EditCommands(self)
        #: the window's shortcuts work whichever field has the keyboard (ui/shortcuts.py)
        self.shortcuts_win = WindowShortcutsWin(self)
        #: an app left open overnight moves to the new day by itself (the service announces it)
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(DAY_CHECK_MS)
        self._connect_signals()
        self.day_timer.start()
        self._restore_state()
        label_combo_boxes(self)
        # Matplotlib is imported in the background once the window has painted, whether or
        # not the chart is on screen (ui/chart_preload.py)
        AfterFirstPaint(self, preload, name="chartPreload")
        if service.read_only_reason is None and self.editor.restore_draft():
            self.setWindowModified(self.editor.is_dirty)

    # -- construction ----------------------------------------------------------------------
    @property
    def ladders(self) -> LadderPanel:
        """The Ladders & runs tab (built now if it was not yet)."""
        return self.picker_tabs.ladders

    @property
    def chart(self) -> ChartPane:
        """The chart pane (built now if it was not yet)."""
        return self.chart_box.pane

    def _make_ladders(self) -> LadderPanel:
        from rejection_journal.ui.ladders import LadderPanel

        return LadderPanel(self.service, dialogs=self.dialogs,
                           selected_challenge=self.picker.current_challenge)

    def _ladders_built(self, ladders: LadderPanel) -> None:
        ladders.planRequested.connect(self.build_plan)
        self.changes.changed.connect(ladders.apply_change)
        ladders.challengeStarted.connect(self.start_challenge)
        ladders.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        label_combo_boxes(ladders)

    def _make_chart(self) -> ChartPane:
        from rejection_journal.ui.chart_pane import ChartPane

        return ChartPane(self.service, dialogs=self.dialogs, settings=self.settings)

    def _chart_built(self, chart: ChartPane) -> None:
        self.panes.replace_chart(chart)
        self.changes.changed.connect(chart.apply_change)
        chart.entryActivated.connect(self.open_attempt)
        label_combo_boxes(chart)
        self._set_tab_order()

    def _action(self, text: str,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        return action

    def _create_actions(self) -> None:
        self.new_action = self._action("&New entry", QKeySequence.StandardKey.New,
                                       "Start a new, empty entry")
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save,
                                        "Save the entry being edited")
        self.export_chart_action = self._action("&Export chart…", "Ctrl+E",
                                                "Save the chart as PNG, SVG or PDF")
        self.export_journal_action = self._action(
            "Export &journal…", "Ctrl+Shift+E", "Save every entry as JSON (or CSV for spreadsheets)"
        )
        self.import_action = self._action("&Import journal…", "Ctrl+I",
                                          "Merge entries from a Rejection Journal export")
        self.backup_action = self._action("&Back up now", None,
                                          "Make a backup of the journal at once")
        self.restore_action = self._action("&Restore from backup…", None,
                                           "Go back to an earlier backup of the journal")
        self.undo_action = self._action("&Undo", QKeySequence.StandardKey.Undo,
                                        "Take back the last save, delete or import")
        self.redo_action = self._action("&Redo", QKeySequence("Ctrl+Shift+Z"),
                                        "Do again what was taken back")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"),
                                       QKeySequence(QKeySequence.StandardKey.Redo)])
        self.delete_action = self._action("&Delete entry", None,
                                          "Delete the selected entry (Undo brings it back)")
        self.quit_action = self._action("&Quit", "Ctrl+Q")  # (no StandardKey.Quit on Windows)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.guidance_action = self._action(
            "Is this for &me?", QKeySequence.StandardKey.HelpContents,
            "Safety, respect, and when to pause",
        )
        self.crisis_action = self._action(
            "If you are &struggling…", CRISIS_SHORTCUT,
            "Where to find help now: emergency services, a doctor, a crisis line")
        self.plan_action = self._action("&Build my plan…", None,
                                        "A short self-check that proposes a first ladder")
        self.about_action = self._action(f"&About {APP_NAME}")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.go_picker_action = self._action("&Challenges", "Ctrl+1",
                                             "Show the challenges and put the keyboard there")
        self.go_editor_action = self._action("E&ditor", "Ctrl+2", "Put the keyboard in the entry")
        self.go_entries_action = self._action("E&ntries", "Ctrl+3",
                                              "Show the list of entries and put the keyboard there")
        self.go_chart_action = self._action("C&hart", "Ctrl+4", "Show the chart")
        self.report_action = self._action("Make a &report…", None, "A PDF of a period to keep, "
                                          "or to bring to someone you trust")

    def _create_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_chart_action)
        file_menu.addAction(self.export_journal_action)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addActions(self.protection.actions())
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.delete_action)
        view_menu = self.menuBar().addMenu("&View")
        for action in (self.go_picker_action, self.go_editor_action, self.go_entries_action,
                       self.go_chart_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addMenu(self.entries.sort_menu(view_menu))
        view_menu.addMenu(self.entries.columns_menu(view_menu))
        # System, Light or Dark (remembered; nothing written beside a read-only journal)
        self.appearance = Appearance(self.settings, self,
                                     remember=self.service.read_only_reason is None)
        view_menu.addSeparator()
        view_menu.addMenu(self.appearance.menu(view_menu))
        journal_menu = self.menuBar().addMenu("&Journal")
        journal_menu.addAction(self.plan_action)
        journal_menu.addActions(self.evening.menu_actions())
        journal_menu.addSeparator()
        journal_menu.addAction(self.report_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.evening.welcome_action)
        help_menu.addAction(self.guidance_action)
        help_menu.addAction(self.crisis_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _add_search(self) -> None:
        """The search box above the entries list (its hits take the list's place), Ctrl+F
        and Edit ▸ Find…, and Enter on a hit opens it in the editor."""
        self.find_action = self._action("&Find…", QKeySequence.StandardKey.Find,
                                        "Search everything you wrote")
        self.addAction(self.find_action)
        for menu in self.menuBar().findChildren(QMenu):
            if menu.title().replace("&", "") == "Edit":
                menu.addSeparator()
                menu.addAction(self.find_action)
        self.find_action.triggered.connect(self.search.focus_field)
        self.search.hitActivated.connect(self.open_attempt)

    def _show_read_only(self, reason: str) -> None:
        """A calm banner saying why nothing can be saved; the actions that write are off."""
        banner = QLabel(READ_ONLY_BANNER.format(reason=reason))
        banner.setObjectName("readOnlyBanner")
        banner.setWordWrap(True)
        banner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        set_toned_style(
            banner, "QLabel#readOnlyBanner {{ background: {info_bg}; color: {info_fg};"
            " border: 1px solid {info_border}; border-radius: 4px; padding: 6px 10px; }}")
        # Above the panes, for as long as the window is open.
        panes = self.takeCentralWidget()
        assert panes is not None  # the window is built with its panes as central widget
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(banner)
        layout.addWidget(panes, 1)
        self.setCentralWidget(container)
        self.read_only_banner = banner
        why = f"Not available: this journal is read-only because {reason}."
        for action in (self.save_action, self.import_action, self.backup_action,
                       self.restore_action, self.undo_action, self.redo_action,
                       self.delete_action, self.plan_action):
            action.setEnabled(False)
            action.setStatusTip(why)
        self.editor.set_read_only(reason)

    def _add_banners(self, banners: list[QWidget]) -> None:
        """Calm banners (demo data, the pause suggestion) above the panes; each shows itself
        when it has something to say."""
        panes = self.takeCentralWidget()
        assert panes is not None
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for banner in banners:
            layout.addWidget(banner)
        layout.addWidget(panes, 1)
        self.setCentralWidget(container)

    def _connect_signals(self) -> None:
        self.new_action.triggered.connect(self.new_entry)
        self.save_action.triggered.connect(self.editor.save)
        self.export_chart_action.triggered.connect(self.export_chart)
        self.export_journal_action.triggered.connect(self.journal_actions.export_journal)
        self.import_action.triggered.connect(lambda: self.journal_actions.import_journal())
        self.backup_action.triggered.connect(self.journal_actions.backup_now)
        self.restore_action.triggered.connect(self.journal_actions.restore)
        self.journal_actions.journalChanged.connect(self.journal_replaced)
        self.journal_actions.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.quit_action.triggered.connect(self.close)
        self.guidance_action.triggered.connect(self.show_guidance)
        self.crisis_action.triggered.connect(self.show_crisis_help)
        self.evening.pause_banner.crisisRequested.connect(self.show_crisis_help)
        self.about_action.triggered.connect(self.show_about)
        self.report_action.triggered.connect(self.make_report)
        self.plan_action.triggered.connect(self.build_plan)

        self.day_timer.timeout.connect(self.service.check_day)
        # Each view hears every change and shows afresh what the change says it touched.
        self.changes.changed.connect(self._on_change)
        self.changes.changed.connect(self.picker.apply_change)
        self.changes.changed.connect(self.evening.apply_change)
        self.picker.challengeStarted.connect(self.start_challenge)
        self.picker.freeFormRequested.connect(self.new_entry)
        self.picker.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.editor.keepAsChallengeRequested.connect(self.keep_as_challenge)
        self.entries.attemptSelected.connect(self.open_attempt)
        self.editor.saved.connect(self._on_saved)
        self.editor.dirtyChanged.connect(self.setWindowModified)
        self.editor.newRequested.connect(self.new_entry)
        self.undo_action.triggered.connect(lambda: self.edit_commands.undo())
        self.redo_action.triggered.connect(lambda: self.edit_commands.redo())
        self.delete_action.triggered.connect(lambda: self.edit_commands.delete(None))
        self.entries.deleteRequested.connect(self.edit_commands.delete)
        self.go_picker_action.triggered.connect(lambda: self.go_to(self.picker))
        self.go_editor_action.triggered.connect(lambda: self.go_to(self.editor))
        self.go_entries_action.triggered.connect(lambda: self.go_to(self.entries))
        self.go_chart_action.triggered.connect(lambda: self.go_to(self.chart))

    # -- behaviour -------------------------------------------------------------------------
    def _settle_unsaved(self) -> bool:
        """Ask about unsaved edits; True when it is fine to replace what the editor shows."""
        if not self.editor.is_dirty:
            return True
        choice = self.dialogs.ask_unsaved(self.editor.describe())
        if choice is UnsavedChoice.SAVE:
            return self.editor.save() is not None
        if choice is UnsavedChoice.DISCARD:
            self.editor.discard_draft()
            return True
        return False

    def new_entry(self) -> None:
        if self._settle_unsaved():
            self.editor.start_new(None)
            self.entries.select(None)

    def start_challenge(self, challenge: ChallengeRecord) -> None:
        if self._settle_unsaved():
            self.editor.start_new(challenge)
            self.entries.select(None)
            self.statusBar().showMessage(
                f"Started “{challenge.title}”. Rate what you expect, then save.", 6000
            )

    def open_attempt(self, uuid: str) -> None:
        if uuid == self.editor.current_uuid:
            return
        if not self._settle_unsaved():
            self.entries.select(self.editor.current_uuid)
            return
        record = self.service.attempt(uuid)
        if record is not None:
            self.editor.load(record)
            self.picker.show_challenge(record.challenge_uuid,
                                       note="To show this entry's challenge")

    def keep_as_challenge(self, ask: str) -> None:
        """Keep the editor's free-form ask as one of the user's own challenges, and make
        the entry one of it."""
        saved = self.picker.add_challenge(ask)
        if saved is not None:
            self.editor.set_challenge(saved)
            self.statusBar().showMessage(
                f"Kept “{saved.title}” as your challenge. Save the entry to link it.", 8000)

    def _on_change(self, change: Change) -> None:
        """A use case changed the journal: the list keeps the editor's entry selected."""
        if change.entity is Entity.DAY:
            self.editor.day_changed()
        self.entries.apply_change(change, select_uuid=self.editor.current_uuid)
        self._update_counts()

    def _on_saved(self, _record: AttemptRecord) -> None:
        self.statusBar().showMessage("Saved.", 4000)

    def journal_replaced(self) -> None:
        """An import, a restore or demo data replaced what the journal holds: the editor
        starts a new entry.  (The views reload once each, on the service's reset.)"""
        self.editor.start_new(None)

    def _update_counts(self) -> None:
        total = self.entries.total_count()
        self.counts_label.setText(f"{total} entr{'y' if total == 1 else 'ies'}")

    def export_chart(self) -> Path | None:
        path = self.chart.export_dialog()
        if path is not None:
            self.statusBar().showMessage(f"Chart saved to {path}", 6000)
        return path

    def bring_to_front(self) -> None:
        """Another start of the app asked for this window: show it, un-minimised, on top
        (not while it is locked: the unlock screen is what shows then)."""
        if self.protection.is_locked:
            return
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def build_plan(self) -> None:
        """Build my plan; a saved plan is shown on the Ladders tab."""
        ladder = self.dialogs.build_plan(self.service)
        if ladder is not None:
            self.ladders.reload(select=ladder.uuid)
            self.picker_tabs.setCurrentWidget(self.ladders)
            self.panes.show_pane(self.picker_tabs)
            self.statusBar().showMessage(f"Saved your plan as the ladder “{ladder.goal}”.", 8000)

    def show_guidance(self) -> None:
        self.dialogs.info("Is this for me?", IS_THIS_FOR_ME_HTML)

    def show_crisis_help(self) -> None:
        self.dialogs.info(CRISIS_TITLE, CRISIS_HTML)

    def make_report(self) -> QDialog:
        """*Journal ▸ Make a report…*: one report dialog at a time, over the window."""
        from rejection_journal.ui.report_dialog import ReportDialog

        if self.report_dialog is not None:
            self.report_dialog.raise_()
            self.report_dialog.activateWindow()
            return self.report_dialog
        dialog = ReportDialog(self.service, self.dialogs, self)
        dialog.savedReport.connect(
            lambda path: self.statusBar().showMessage(f"Saved the report to {path}", 8000))
        dialog.finished.connect(self._report_closed)
        self.report_dialog = dialog
        dialog.show()
        return dialog

    def _report_closed(self) -> None:
        dialog, self.report_dialog = self.report_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def show_about(self) -> None:
        self.dialogs.about(
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>{ABOUT_HTML}<p>{NOT_THERAPY}</p>"
            f"<p>Your journal: <code>{self.service.path}</code></p>",
        )

    # -- panes -------------------------------------------------------------------------------
    def go_to(self, pane: QWidget) -> None:
        """Show ``pane`` (its tab, if it is in one) and put the keyboard there (Ctrl+1..4)."""
        if pane is self.picker:
            self.picker_tabs.setCurrentWidget(self.picker)
        holder = {self.entries: self.entries_box, self.picker: self.picker_tabs}
        self.panes.show_pane(holder.get(pane, pane))
        if pane is self.entries:
            self.entries.focus_list()
        elif pane is self.editor:
            self.editor.ask.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif pane is self.picker:
            self.picker.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.chart.kind_combo.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _arrange(self) -> None:
        """Fit the panes to the window's size (ui/panes.py) and keep the tab order visual."""
        if self.panes.arrange(arrangement_for(self.size())):
            self.main_splitter.refresh()  # the handle beside a hidden pane hides too
            self._set_tab_order()

    def focus_chain(self) -> list[QWidget]:
        """The window's inputs in visual order: challenges, editor, entries, chart."""
        picker = [self.picker.category, self.picker.list, self.picker.start_button,
                  self.picker.free_button]
        editor = [*self.editor._inputs(), self.editor.new_button, self.editor.save_button]
        chart: list[QWidget] = []
        if self.chart_box.is_built:  # (a chart built later joins the chain then)
            c = self.chart
            chart = [c.kind_combo, c.range_combo, c.since_edit, c.until_edit, c.category_combo,
                     c.export_button, c.csv_button, c.copy_button]
        side = [self.panes.tabs.tabBar()] if self.panes.tabs.count() else []
        if self.panes.tabs.indexOf(self.picker_tabs) >= 0:  # narrow: the challenges are a tab
            return [*editor, *side, *picker, self.search.field, *self.entries.focus_chain(),
                    *chart]
        return [*picker, *editor, *side, self.search.field, *self.entries.focus_chain(), *chart]

    def _set_tab_order(self) -> None:
        chain = self.focus_chain()
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    # -- window state ----------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = self.screen().availableGeometry()
            self.resize(min(1360, int(screen.width() * 0.92)),
                        min(820, int(screen.height() * 0.9)))
        self._arrange()
        for splitter in (self.main_splitter, self.panes.split):
            state = self.settings.value(f"window/{splitter.objectName()}")
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        tab = self.settings.value("window/sideTab")
        if isinstance(tab, str):
            self.panes.set_current_tab(tab)
        if self.settings.value("window/mainSplitter") is None:
            # Shares of the window's width: the challenges narrow, the editor and the list
            # wide enough for their fields and columns.
            width = max(self.width(), 800)
            if self.panes.picker_holder.isHidden():  # narrow: the challenges are a tab
                self.main_splitter.setSizes([0, int(width * 0.46), int(width * 0.54)])
            else:
                self.main_splitter.setSizes([int(width * 0.19), int(width * 0.39),
                                             int(width * 0.42)])
        if self.settings.value("window/sideSplitter") is None:
            # Entries above the chart: the list gets the larger share (a dozen rows or more
            # on a 900-pixel-tall window), the chart the rest.
            height = max(self.height(), 600)
            self.panes.split.setSizes([int(height * 0.55), int(height * 0.45)])

    def save_state(self) -> None:
        if self.service.read_only_reason is not None:
            return  # nothing is written beside a read-only journal, not even window sizes
        self.settings.setValue("window/geometry", self.saveGeometry())
        for splitter in (self.main_splitter, self.panes.split):
            self.settings.setValue(f"window/{splitter.objectName()}", splitter.saveState())
        self.settings.setValue("window/sideTab", self.panes.current_tab())
        self.settings.sync()

    def quit_keeping_draft(self) -> None:
        """Close without asking (a signal, a logout): unsaved text stays as a draft that the
        next start offers back."""
        self.editor.write_draft()
        self.evening.close_review()
        self._closing_for_session = True
        self.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if getattr(self, "_closing_for_session", False):
            self.save_state()
            event.accept()
            return
        if not self._settle_unsaved():
            event.ignore()
            return
        self.evening.close_review()
        if self.report_dialog is not None:
            self.report_dialog.close()
        self.save_state()
        event.accept()
