from __future__ import annotations

from datetime import date

from pytestqt.modeltest import ModelTester

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.storage import Journal
from rejection_journal.ui.entries import PAGE, AttemptTableModel


def test_empty_model_passes_qt_model_checks(qtmodeltester: ModelTester, journal: Journal) -> None:
    model = AttemptTableModel(journal)
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_model_with_many_rows_passes_checks_and_loads_lazily(
    qtmodeltester: ModelTester, journal: Journal
) -> None:
    journal.add_demo_attempts(
        generate_attempts(journal.challenges(), PAGE * 2 + 17, seed=5, today=date(2026, 11, 1))
    )
    model = AttemptTableModel(journal)
    assert model.rowCount() == PAGE * 2 + 17
    assert model._cache == {}, "rows are fetched only when shown"
    newest = model.index(0, 0).data()
    assert len(model._cache) == PAGE
    assert newest == "2026-11-01"
    last = model.rowCount() - 1
    assert model.index(last, 0).data() <= newest
    assert len(model._cache) == PAGE + 17
    qtmodeltester.check(model)


def test_reload_picks_up_new_rows(journal: Journal) -> None:
    model = AttemptTableModel(journal)
    journal.add_demo_attempts(generate_attempts(journal.challenges(), 3, seed=1))
    assert model.rowCount() == 0
    model.reload()
    assert model.rowCount() == 3
