from __future__ import annotations

from datetime import date

from pytestqt.modeltest import ModelTester

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import JournalService
from rejection_journal.storage import Journal
from rejection_journal.ui.dates import day_text
from rejection_journal.ui.entries_model import PAGE, AttemptTableModel


def test_empty_model_passes_qt_model_checks(qtmodeltester: ModelTester, journal: Journal) -> None:
    model = AttemptTableModel(JournalService(journal))
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_model_with_many_rows_passes_checks_and_loads_lazily(
    qtmodeltester: ModelTester, journal: Journal
) -> None:
    journal.add_demo_attempts(
        generate_attempts(journal.challenges(), PAGE * 2 + 17, seed=5, today=date(2026, 11, 1))
    )
    model = AttemptTableModel(JournalService(journal))
    assert model.rowCount() == PAGE * 2 + 17
    assert model._cache == {}, "rows are fetched only when shown"
    newest = model.index(0, 0).data()
    assert len(model._cache) == PAGE
    assert newest == day_text(date(2026, 11, 1))  # as everywhere (ui/dates.py)
    last = model.rowCount() - 1
    assert model.index(last, 0).data()
    oldest = model.record_at(last)
    assert oldest is not None and oldest.attempted_on <= date(2026, 11, 1)
    assert len(model._cache) == PAGE + 17
    qtmodeltester.check(model)


def test_reload_picks_up_new_rows(journal: Journal) -> None:
    model = AttemptTableModel(JournalService(journal))
    journal.add_demo_attempts(generate_attempts(journal.challenges(), 3, seed=1,
                                                today=date(2026, 11, 23)))
    assert model.rowCount() == 0
    model.reload()
    assert model.rowCount() == 3


def _rows(model: AttemptTableModel) -> list[tuple[str, str]]:
    return [(model.index(r, 0).data(), model.index(r, 1).data())
            for r in range(model.rowCount())]


def test_saves_insert_update_move_and_remove_single_rows_without_a_reset(
    qtbot, qtmodeltester: ModelTester, journal: Journal
) -> None:
    journal.add_demo_attempts(
        generate_attempts(journal.challenges(), PAGE + 50, seed=3, today=date(2026, 11, 1)))
    service = JournalService(journal)
    model = AttemptTableModel(service)
    service.changes.subscribe(model.apply_change)
    qtmodeltester.check(model)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    total = model.rowCount()

    with qtbot.waitSignal(model.rowsInserted, timeout=1000):
        newest = service.save(AttemptRecord(ask="Newest ask", attempted_on=date(2026, 11, 2)))
    assert _rows(model)[0] == (day_text(date(2026, 11, 2)), "Newest ask")

    middle = model.record_at(total // 2)
    assert middle is not None
    with qtbot.waitSignal(model.rowsInserted, timeout=1000):
        older = service.save(AttemptRecord(ask="Back-dated ask", attempted_on=middle.attempted_on))
    assert model.row_of(older.uuid) > 0
    days = [record.attempted_on for r in range(model.rowCount())
            if (record := model.record_at(r)) is not None]
    assert len(days) == model.rowCount() and days == sorted(days, reverse=True)

    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        service.save(newest.replace(ask="Newest ask, reworded"))
    assert _rows(model)[0] == (day_text(date(2026, 11, 2)), "Newest ask, reworded")

    service.save(newest.replace(ask="Moved to the past", attempted_on=date(2020, 1, 1)))
    assert _rows(model)[-1] == (day_text(date(2020, 1, 1)), "Moved to the past")

    with qtbot.waitSignal(model.rowsRemoved, timeout=1000):
        service.delete(older.uuid)
    assert model.row_of(older.uuid) == -1
    service.undo()
    assert model.row_of(older.uuid) > 0

    assert resets == [], "a save never resets the whole model"
    assert model.rowCount() == total + 2
    assert _rows(model) == _rows(AttemptTableModel(service)), "same rows as a fresh load"
    qtmodeltester.check(model)


def test_the_model_keeps_a_window_of_rows_and_stays_right_outside_it(
    qtbot, qtmodeltester: ModelTester, journal: Journal
) -> None:
    """The list holds the pages around what was shown last (WINDOW rows), never every entry;
    a save of an entry outside the window still lands it in its place (the count tells
    whether it was listed before; if it may have moved unseen, the list reads afresh)."""
    from rejection_journal.ui.entries_model import WINDOW

    total = WINDOW + PAGE + 5
    journal.add_demo_attempts(
        generate_attempts(journal.challenges(), total, seed=8, today=date(2026, 11, 1)))
    service = JournalService(journal)
    model = AttemptTableModel(service)
    service.changes.subscribe(model.apply_change)
    assert model.rowCount() == total
    shown = [model.uuid_at(row) for row in range(total)]
    assert shown == service.attempt_uuids_sorted()
    assert len(model._rows) <= WINDOW and len(model._cache) <= WINDOW
    assert set(model._cache) == set(model._rows.values())
    assert 3 not in model._rows, "the first page left the window"
    far = service.attempt(shown[3])
    assert far is not None
    # moved from outside the window (its old row unknown here) to the very end
    service.save(far.replace(attempted_on=date(2001, 1, 1)))
    assert model.rowCount() == total
    assert model.row_of(far.uuid) == total - 1
    assert model.uuid_at(total - 1) == far.uuid
    # a new entry goes to its place, from outside the window too
    with qtbot.waitSignal(model.rowsInserted, timeout=1000):
        new = service.save(AttemptRecord(ask="Newest", attempted_on=date(2026, 11, 2)))
    assert model.row_of(new.uuid) == 0
    assert [model.uuid_at(r) for r in range(model.rowCount())] == service.attempt_uuids_sorted()
    qtmodeltester.check(model)
