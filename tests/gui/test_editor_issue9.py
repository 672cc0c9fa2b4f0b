"""Issue 9: the editor never loses or changes a word."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel

from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal
from rejection_journal.ui.dialogs import UnsavedChoice
from rejection_journal.ui.experiment_form import SafetyPicker
from rejection_journal.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs


def _show(qtbot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)


def test_the_first_digit_typed_after_start_lands_in_the_rating(
    qtbot, window: MainWindow
) -> None:
    """A spin box showing "Not rated" took the first key as text after "Not rated", which its
    validator refused: the digit was dropped.  The rating is now a plain typed number."""
    _show(qtbot, window)
    window.picker.list.setCurrentRow(0)
    qtbot.mouseClick(window.picker.start_button, Qt.MouseButton.LeftButton)
    editor = window.editor
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.anticipated)
    qtbot.keyClicks(QApplication.focusWidget(), "7")
    assert editor.anticipated.text() == "7"
    assert editor.anticipated.value() == 7

    # Ctrl+N: the cursor is in the first field, and the first key lands there.
    assert isinstance(window.dialogs, FakeDialogs)
    window.dialogs.unsaved_answers.append(UnsavedChoice.DISCARD)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.ask)
    qtbot.keyClicks(QApplication.focusWidget(), "Ask")
    assert editor.ask.text() == "Ask"


def test_an_out_of_range_value_stays_is_named_beside_it_and_the_message_goes_when_fixed(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    _show(qtbot, window)
    editor = window.editor
    editor.ask.setText("Ask for a discount")
    editor.lesson.setFocus()
    qtbot.keyClicks(editor.anticipated, "15")
    qtbot.keyClicks(editor.predicted, "150")
    assert editor.anticipated.text() == "15", "never clamped"
    assert editor.predicted.text() == "150", "never truncated"
    beside: QLabel = editor.field_errors[editor.anticipated]
    assert beside.isVisible()
    assert beside.text() == "Must be from 0 to 10, not 15."
    assert editor.field_errors[editor.predicted].text() == "Must be from 0 to 100, not 150."

    assert editor.save() is None
    assert journal.attempt_count() == 0
    assert editor.error_label.text() == ("Not saved yet — Anticipated discomfort: must be from "
                                         "0 to 10, not 15 (and 1 more, marked below).")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.anticipated)  # the first

    editor.anticipated.setText("5")
    assert not beside.isVisible()
    editor.predicted.setText("50")
    assert not editor.field_errors[editor.predicted].isVisible()
    assert not editor.error_label.isVisible(), "the message goes once all is fixed"
    stored = editor.save()
    assert stored is not None
    assert (stored.anticipated_discomfort, stored.predicted_no_chance) == (5, 50)


def test_an_outcome_round_trip_keeps_the_reasons_and_only_visible_fields_are_stored(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    record = journal.save_attempt(AttemptRecord(
        ask="Ask for a later checkout", attempted_on=date(2026, 11, 20), outcome=Outcome.NO,
        actual_discomfort=3, reasons=(Reason.TIMING, Reason.POLICY),
        other_reason="Full hotel", asked_why=True, next_discomfort=4, next_no_chance=60,
        hopefulness=1, who_asked="The receptionist"))
    window.entries.reload()
    window.entries.table.selectRow(0)
    editor = window.editor
    assert editor.current_uuid == record.uuid
    assert not editor.is_dirty

    no, yes = (editor.outcome.findData(o.value) for o in (Outcome.NO, Outcome.YES))
    editor.outcome.setCurrentIndex(yes)  # e.g. a mouse wheel over the combo
    assert not editor.reason_boxes[Reason.TIMING].isVisibleTo(editor), "hidden for a yes"
    assert editor.is_dirty
    assert editor.record_from_form().reasons == ()  # a yes stores no reasons ...
    editor.outcome.setCurrentIndex(no)
    # ... but nothing was cleared: back on "No", everything is as it was
    assert editor.reason_boxes[Reason.TIMING].isChecked()
    assert editor.reason_boxes[Reason.POLICY].isChecked()
    assert editor.other_reason.text() == "Full hotel"
    assert editor.asked_why.isChecked()
    assert not editor.is_dirty, "back to what is saved: nothing unsaved"
    assert not window.isWindowModified()

    editor.outcome.setCurrentIndex(yes)
    stored = editor.save()
    assert stored is not None
    assert (stored.outcome, stored.reasons, stored.other_reason, stored.asked_why) == (
        Outcome.YES, (), "", False)
    assert (stored.next_discomfort, stored.next_no_chance, stored.who_asked) == (
        4, 60, "The receptionist")


def test_deleting_needs_no_question_and_undo_brings_the_entry_back(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    record = journal.save_attempt(AttemptRecord(
        ask="Ask for a table by the window", attempted_on=date(2026, 11, 20),
        outcome=Outcome.NO, reasons=(Reason.TIMING,), lesson="Book ahead"))
    window.entries.reload()
    _show(qtbot, window)
    window.entries.table.selectRow(0)
    window.entries.table.setFocus()
    qtbot.waitUntil(lambda: window.entries.table.hasFocus())
    qtbot.keyClick(window.entries.table, Qt.Key.Key_Delete)  # no modal: FakeDialogs would fail
    assert journal.attempt_count() == 0
    assert window.entries.model.rowCount() == 0
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    assert window.undo_action.isEnabled()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = journal.attempt(record.uuid)
    assert back is not None
    assert back.replace(updated_at=record.updated_at) == record, "back whole, same UUID"
    assert window.entries.model.rowCount() == 1

    window.redo_action.trigger()
    assert journal.attempt_count() == 0
    window.undo_action.trigger()
    window.entries.table.selectRow(0)
    window.delete_action.trigger()  # Edit > Delete entry
    assert journal.attempt_count() == 0


def test_mnemonics_are_unique_and_alt_f_is_the_file_menu(window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton, QGroupBox

    keys: list[str] = []
    texts = [action.text() for action in window.menuBar().actions()]
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.window() is window:
            texts.append(widget.text())
    texts += [box.title() for box in window.findChildren(QGroupBox)]
    for text in texts:
        # "&amp;" in a rich-text label ("Everyday &amp; shops" on today's card, on the days
        # its challenge is an everyday one) is an HTML entity, not a mnemonic
        cleaned = re.sub(r"&(?:[a-zA-Z]+|#[0-9]+);", "", text) if "<" in text else text
        cleaned = cleaned.replace("&&", "")
        if "&" in cleaned:
            keys.append(cleaned[cleaned.index("&") + 1].lower())
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert {"f", "e", "h"} <= set(keys)


def test_every_input_has_a_visible_label_and_an_accessible_name(window: MainWindow) -> None:
    editor = window.editor
    buddies = {label.buddy() for label in editor.findChildren(QLabel) if label.buddy()}
    for widget in editor._inputs():
        if widget in editor.reason_boxes.values() or widget is editor.asked_why or (
                isinstance(widget, QCheckBox) and isinstance(widget.parent(), SafetyPicker)):
            assert isinstance(widget, QCheckBox) and widget.text()  # its own label
            assert not isinstance(widget.parent(), SafetyPicker) or widget.accessibleName()
            continue
        assert widget in buddies, widget.objectName() or widget
        assert widget.accessibleName()
