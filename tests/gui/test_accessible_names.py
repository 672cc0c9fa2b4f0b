"""Issue 20, screen readers: every window and dialog the app opens, walked widget by widget —
each interactive widget has a name a screen reader can say (tests/gui/accessible_names.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QDialog, QWidget

from rejection_journal.charts.formats import ChartExportRequest
from rejection_journal.domain.enums import Reason
from rejection_journal.domain.reminder import ReminderSettings
from rejection_journal.storage.backup_list import BackupInfo
from rejection_journal.ui.backup_dialog import RestoreDialog
from rejection_journal.ui.challenge_dialog import ChallengeDialog
from rejection_journal.ui.chart_export_dialog import ChartExportDialog
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.plan_dialog import PlanDialog
from rejection_journal.ui.reminder import ReminderDialog
from rejection_journal.ui.report_dialog import ReportDialog
from rejection_journal.ui.review import ReviewDialog
from rejection_journal.ui.welcome import WelcomeDialog

from .accessible_names import unnamed_widgets


def _with_demo(qtbot, window: MainWindow) -> MainWindow:
    window.service.add_demo_data(40)
    window.chart.activate()  # the chart's toolbar and table toggle
    _ = window.ladders  # the Ladders & runs tab, built when first shown
    return window


def _dialogs(window: MainWindow, tmp_path: Path) -> list[QDialog]:
    backup = BackupInfo(tmp_path / "journal-2026-12-01.sqlite3", "daily",
                        datetime(2026, 12, 1, 20, 0), 4096)
    return [
        ChallengeDialog(window.service, None, "Ask for a discount", window),
        ChartExportDialog(ChartExportRequest(path=tmp_path / "chart.png"), window),
        RestoreDialog([backup], window),
        ReminderDialog(ReminderSettings(), True, window),
        ReviewDialog(window.service, window.dialogs, window),
        ReportDialog(window.service, window.dialogs, window),
        WelcomeDialog(True, window),
        _plan_on_its_last_page(window),
    ]


def _plan_on_its_last_page(window: MainWindow) -> PlanDialog:
    """Build my plan, answered, on the proposal (every page's controls exist throughout)."""
    dialog = PlanDialog(window.service, window)
    dialog.set_answers({item_id: (3, 4) for item_id in dialog.anxiety})
    dialog.go_next()
    dialog.go_next()
    return dialog


def test_every_interactive_widget_of_the_main_window_has_a_name(qtbot, window: MainWindow
                                                                ) -> None:
    _with_demo(qtbot, window)
    unnamed = unnamed_widgets(window)
    assert not unnamed, f"{len(unnamed)} unnamed:\n" + "\n".join(unnamed)


def test_every_interactive_widget_of_every_dialog_has_a_name(qtbot, window: MainWindow,
                                                             tmp_path: Path) -> None:
    _with_demo(qtbot, window)
    unnamed: list[str] = []
    for dialog in _dialogs(window, tmp_path):
        unnamed += [f"{type(dialog).__name__}: {name}" for name in unnamed_widgets(dialog)]
        dialog.deleteLater()
    assert not unnamed, f"{len(unnamed)} unnamed:\n" + "\n".join(unnamed)


def test_a_reason_box_keeps_its_own_text_in_a_group_named_for_the_reasons(
        window: MainWindow) -> None:
    form = window.editor.after
    timing = form.reason_boxes[Reason.TIMING]
    assert isinstance(timing, QCheckBox)
    assert timing.accessibleName() in ("", timing.text())
    group: QWidget = form.reasons_box
    assert group.accessibleName() == "Reasons for the no"
    assert group.isAncestorOf(timing)
