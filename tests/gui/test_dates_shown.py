"""One date format across the app, following the user's locale (issue 20): the same day read
"2026-12-06" in the list, "Sun 6 Dec 2026" in the editor and the review, "6 Dec" in the picker
and "Sun 06 Dec 2026" in search."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, QLocale, Qt

from rejection_journal.domain.entry_list import SortColumn
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.ui.dates import date_format, day_text
from rejection_journal.ui.entries_model import column_index
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.picker import SUBTITLE_ROLE, UUID_ROLE


@pytest.fixture(params=["C", "en_US", "de_DE"])
def locale(request: pytest.FixtureRequest) -> Iterator[QLocale]:
    """The user's locale (windows made after this take it as their own)."""
    before = QLocale()
    QLocale.setDefault(QLocale(request.param))
    yield QLocale()
    QLocale.setDefault(before)


def test_a_day_reads_the_same_in_the_list_editor_review_and_picker(
        qtbot, locale: QLocale, make_window: Callable[[], MainWindow]) -> None:
    window = make_window()
    service = window.service
    day = service.today() - timedelta(days=9)  # not "today", which some places say in words
    challenge = service.challenges()[0]
    record = service.save(AttemptRecord(ask="Ask for a discount", attempted_on=day,
                                        anticipated_discomfort=7,
                                        challenge_uuid=challenge.uuid))
    shown = day_text(day)
    assert shown == locale.toString(QDate(day.year, day.month, day.day), date_format(locale))
    assert day.isoformat() not in shown or locale.dateFormat().startswith("yyyy")

    # the entries list
    window.entries.reload(select_uuid=record.uuid)
    model = window.entries.model
    cell = model.index(model.row_of(record.uuid), column_index(SortColumn.DATE))
    assert cell.data(Qt.ItemDataRole.DisplayRole) == shown

    # the editor: its date field and its heading
    window.open_attempt(record.uuid)
    assert window.editor.current_uuid == record.uuid
    assert window.editor.attempted_on.text() == shown
    assert f"Entry of {shown}" in window.editor.heading.text()

    # the picker: "done 1× · last …"
    items = [window.picker.list.item(row) for row in range(window.picker.list.count())]
    item = next(i for i in items if i.data(UUID_ROLE) == challenge.uuid)
    assert str(item.data(SUBTITLE_ROLE)).endswith(f" · done 1× · last {shown}")

    # the evening review of open entries
    review = window.evening.start_review()
    assert review is not None
    assert review.before.text().startswith(f"{shown} · ")
    review.controller.done()
    review.accept()
