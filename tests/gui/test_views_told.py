"""Issue 19 part 3 through the real window: views are told what changed, not left to guess.

Today's challenge follows the ladder when two calm tries settle a rung (fields the picker never
listed); an import, a restore and demo data reload each view exactly once; a view that fails
on every change is shown once as a bug and never fails a save."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import Change
from rejection_journal.ui.crash import install_excepthook
from rejection_journal.ui.main_window import MainWindow

from .conftest import FakeDialogs


def test_two_calm_tries_at_a_rung_move_todays_card_to_the_next_rung(
    window: MainWindow,
) -> None:
    service = window.service
    by_level = sorted(service.challenges(), key=lambda c: (c.level, c.title))
    first, second = by_level[0], by_level[1]
    service.new_ladder("Ask for a raise", [first.uuid, second.uuid])
    assert window.picker.todays_challenge == first
    assert first.title in window.picker.today_title.text()
    for _ in range(2):
        # as the Ladders tab's "Start this step" leads to: the before half, then the after half
        planned = service.save(AttemptRecord(ask=first.title, challenge_uuid=first.uuid,
                                             attempted_on=service.today(),
                                             anticipated_discomfort=7))
        service.save(planned.replace(outcome=Outcome.YES, actual_discomfort=2))
    assert service.current_rung() is not None
    assert service.current_rung().challenge_uuid == second.uuid  # type: ignore[union-attr]
    assert window.picker.todays_challenge == second, "the card shows the next rung"
    assert second.title in window.picker.today_title.text()
    texts = window.ladders.rung_texts()  # the Ladders tab agrees
    assert texts[1][1].startswith("▶ Next") and not texts[0][1].startswith("▶ Next")


def _count_calls(monkeypatch: pytest.MonkeyPatch, counts: Counter[str], name: str,
                 owner: object, method: str) -> None:
    original: Callable[..., Any] = getattr(owner, method)

    def counted(*args: Any, **kwargs: Any) -> Any:
        counts[name] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, method, counted)


def _import_file(tmp_path: Path) -> Path:
    """A journal file from elsewhere with one entry this journal lacks."""
    from rejection_journal.storage.export import attempt_to_dict
    from rejection_journal.storage.revisions import revision

    record = AttemptRecord(ask="Ask for a later checkout", attempted_on=date(2026, 3, 2),
                           outcome=Outcome.YES, actual_discomfort=3)
    document = {
        "format": "rejection-journal", "format_version": 6, "schema_version": 3,
        "ladders": [], "runs": [], "self_checks": [],
        "app_version": "0.1.0", "exported_at": "2026-10-01T10:00:00Z", "challenges": [],
        "attempts": [{**attempt_to_dict(record), "revision": revision(record),
                      "earlier_revisions": []}],
    }
    path = tmp_path / "other.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


RESETS = ("import", "restore", "add demo data", "remove demo data", "undo an import")


@pytest.mark.parametrize("kind", RESETS)
def test_a_reset_reloads_each_view_exactly_once(
    qtbot, make_window, dialogs: FakeDialogs, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, kind: str,
) -> None:
    window: MainWindow = make_window()
    if not window.chart.is_active:
        with qtbot.waitSignal(window.chart.activated, timeout=20_000):
            pass
    service = window.service
    if kind == "restore":
        service.save(AttemptRecord(ask="Before the backup", attempted_on=service.today()))
        window.backup_action.trigger()
        service.save(AttemptRecord(ask="After the backup", attempted_on=service.today()))
    elif kind == "remove demo data":
        window.evening.add_demo_data()
    elif kind == "undo an import":
        dialogs.open_paths.append(_import_file(tmp_path))
        dialogs.confirm_answers.append(True)
        window.import_action.trigger()
    qtbot.waitUntil(lambda: not window.chart.is_stale, timeout=10_000)

    counts: Counter[str] = Counter()
    _count_calls(monkeypatch, counts, "picker", window.picker, "reload")
    _count_calls(monkeypatch, counts, "entries list", window.entries.model, "reload")
    _count_calls(monkeypatch, counts, "ladders tab", window.ladders, "reload")
    _count_calls(monkeypatch, counts, "chart's ladders", window.chart, "_fill_ladders")
    _count_calls(monkeypatch, counts, "chart", window.chart, "refresh")
    _count_calls(monkeypatch, counts, "review (open count)", window.evening.open_button,
                 "refresh")
    _count_calls(monkeypatch, counts, "pause banner", window.evening, "update_pause")
    resets: list[Change] = []
    service.changes.subscribe(lambda change: resets.append(change) if change.everything
                              else None)

    if kind == "import":
        dialogs.open_paths.append(_import_file(tmp_path))
        dialogs.confirm_answers.append(True)
        window.import_action.trigger()
    elif kind == "restore":
        dialogs.backup_choices.append(0)
        dialogs.confirm_answers.append(True)
        window.restore_action.trigger()
    elif kind == "add demo data":
        assert window.evening.add_demo_data() > 0
    elif kind == "remove demo data":
        assert window.evening.remove_demo_data() is not None
    else:
        window.undo_action.trigger()
        qtbot.waitUntil(lambda: len(resets) == 1, timeout=10_000)
    assert dialogs.errors == []
    assert len(resets) == 1, "the service announced one reset"
    qtbot.waitUntil(lambda: counts["chart"] == 1, timeout=10_000)
    qtbot.waitUntil(lambda: not window.chart.is_stale, timeout=10_000)
    assert dict(counts) == {"picker": 1, "entries list": 1, "ladders tab": 1,
                            "chart's ladders": 1, "chart": 1, "review (open count)": 1,
                            "pause banner": 1}
    assert window.counts_label.text().startswith(str(service.attempt_count()))


def test_a_view_that_fails_on_every_change_is_shown_once_and_saves_still_succeed(
    window: MainWindow, dialogs: FakeDialogs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    install_excepthook(dialogs, tmp_path)  # the app's: a calm message and last-error.txt

    def broken_view(_change: Change) -> None:
        raise RuntimeError("a widget's bug")

    window.service.changes.subscribe(broken_view)
    window.editor.ask.setText("Ask for a window seat")
    saved = [window.editor.save()]
    window.editor.start_new(None)
    window.editor.ask.setText("Ask for an aisle seat")
    saved.append(window.editor.save())
    saved.append(window.service.save(AttemptRecord(ask="Ask for a blanket",
                                                   attempted_on=window.service.today())))
    assert all(record is not None for record in saved), "each save reported as saved"
    assert window.entries.model.rowCount() == 3, "the working views still show them"
    assert len(dialogs.errors) == 1, "the bug is shown once, not once per change"
    assert dialogs.errors[0][0] == "Something went wrong"
    assert (tmp_path / "last-error.txt").exists()
