"""The agreement test (issue 19, item 8): on a seeded demo journal, what the window shows
equals what the real command line prints as JSON and what the chart CSVs hold.

Every number below is read twice — once off a widget of the running window, once from a
``rejection-journal`` subprocess on the same journal file — and the two must match. A view
that computes a number on its own (a second copy of a rule) makes this test fail the day it
starts to drift. The window and the subprocess share one "today": the window's FixedClock is
the computer's date at the start, and the CLI is given it (``today --date``) or keeps the same
clock (``same_clock``: libfaketime under ``make test-dates``).
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from matplotlib.text import Text

from rejection_journal.domain.ladders import RungStats, rung_summary
from rejection_journal.domain.picker import Rung
from rejection_journal.services import Clock, FixedClock
from rejection_journal.ui.chart_pane import ChartPane
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.picker import SUBTITLE_ROLE, UUID_ROLE, usage_text
from rejection_journal.ui.review import open_entries_text
from tests.e2e.conftest import launcher, run_cli  # noqa: F401 (fixtures: the real CLI)
from tests.gui.conftest import FakeDialogs

KINDS = ("gap", "calibration", "belief", "outcomes", "reasons", "ladder")
#: the kinds that need a prediction: they leave out the rejections that happened to the user
PREDICTED = ("gap", "calibration", "belief")


@pytest.fixture
def clock() -> FixedClock:
    """The window's today: the computer's date when the test starts (the CLI's too)."""
    return FixedClock(Clock().today())


class Cli:
    """The installed ``rejection-journal`` on the window's journal, as a subprocess."""

    def __init__(self, run: Callable[..., subprocess.CompletedProcess[str]],
                 data_dir: Path) -> None:
        self._run = run
        self._data_dir = data_dir

    def text(self, *args: str) -> str:
        done = self._run("--data-dir", str(self._data_dir), *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.text(*args, "--format", "json"))

    def chart_csv(self, kind: str, out: Path, *extra: str) -> tuple[list[dict[str, str]], str]:
        """The chart's CSV rows, and what the command said of it."""
        said = self.text("chart", "--kind", kind, "--out", str(out), *extra)
        with out.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle)), said


def _said_open(message: str) -> int:
    """The open count ``chart`` names ("(2 open entries not counted until finished)")."""
    found = re.search(r"\((\d[\d,]*) open entr(?:y|ies) not counted", message)
    return 0 if found is None else int(found.group(1).replace(",", ""))


def _said_happened(message: str) -> int:
    """The rejections that happened to the user ``chart`` says it leaves out."""
    found = re.search(r"\((\d[\d,]*) rejections? that happened to you", message)
    return 0 if found is None else int(found.group(1).replace(",", ""))


def _caption(pane: ChartPane) -> str:
    return "\n".join(t.get_text() for t in pane.figure.findobj(Text) if t.get_text())


def _show_kind(qtbot, pane: ChartPane, kind: str) -> None:
    if pane.kind != kind:
        with qtbot.waitSignal(pane.redrawn, timeout=20_000):
            pane.set_kind(kind)


@pytest.fixture
def seeded(qtbot, window: MainWindow) -> MainWindow:
    """The window after *Add demo data* (the same service call as ``rejection-journal demo``):
    entries, open ones among them, three ladders, a run."""
    assert window.evening.add_demo_data() > 0
    qtbot.waitUntil(lambda: window.ladders.ladder_combo.count() == 3)
    assert window.service.open_count() > 0, "the demo journal has open entries to agree on"
    return window


def test_the_window_the_cli_and_the_chart_files_agree(
        qtbot, seeded: MainWindow, run_cli: Callable[..., subprocess.CompletedProcess[str]],  # noqa: F811
        dialogs: FakeDialogs, tmp_path: Path, clock: FixedClock) -> None:
    window = seeded
    today: date = clock.today()
    cli = Cli(run_cli, window.service.data_dir)

    # -- the open count: status bar, `today`, and (below) every chart and the evening summary
    said_today = cli.json("today", "--date", today.isoformat())
    open_count = said_today["open_entries"]
    assert open_count > 0
    button = window.evening.open_button
    assert button.isVisible() and button.text() == open_entries_text(open_count)

    # -- today's card: the picker's and `today`'s (the ladder's next step, if it is one)
    card = window.picker.todays_challenge
    assert card is not None and card.uuid == said_today["id"]
    assert said_today["title"] in window.picker.today_title.text()

    # -- the picker's counts ("done 3× · last 12 Nov") against `challenges`' done/last_done
    listed = {c["id"]: c for c in cli.json("challenges")}
    shown = [window.picker.list.item(row) for row in range(window.picker.list.count())]
    assert shown, "the picker lists challenges"
    done_somewhere = 0
    for item in shown:
        said = listed[item.data(UUID_ROLE)]
        usage = (None if said["done"] == 0
                 else (said["done"], date.fromisoformat(said["last_done"])))
        done_somewhere += said["done"] > 0
        assert str(item.data(SUBTITLE_ROLE)).endswith(f" · {usage_text(usage, today)}"), \
            said["title"]
    assert done_somewhere, "some challenges shown have been done"

    # -- the Ladders tab: each ladder's rows and its next step, against `ladders`
    ladders = cli.json("ladders")
    panel = window.ladders
    assert [panel.ladder_combo.itemData(i) for i in range(panel.ladder_combo.count())] == \
        [ladder["uuid"] for ladder in ladders]
    for ladder in ladders:
        panel.ladder_combo.setCurrentIndex(panel.ladder_combo.findData(ladder["uuid"]))
        assert panel.current_ladder_uuid() == ladder["uuid"]
        rows = [(panel.rungs.item(r).data(UUID_ROLE), str(panel.rungs.item(r).data(SUBTITLE_ROLE)))
                for r in range(panel.rungs.count())]
        expected = []
        for index, rung in enumerate(ladder["rungs"]):
            stats = RungStats(index, Rung(rung["challenge_uuid"], rung["title"], rung["level"]),
                              rung["tries"], rung["latest_expected"], rung["latest_felt"], None)
            said = rung_summary(stats)
            expected.append((rung["challenge_uuid"],
                             f"▶ Next · {said}" if ladder["next"]["index"] == index else said))
        assert rows == expected, ladder["goal"]
        if ladder["next"]["challenge_uuid"] is not None:
            assert ladder["next"]["reason"] in panel.suggestion_label.text()

    # -- every chart: the pane's CSV export equals `chart --out X.csv`, and the open count
    #    its caption names equals the one `chart` reports (and the one the status bar shows)
    pane = window.chart
    pane.activate()
    assert pane.range_combo.currentText() == "All time"
    files: dict[str, list[dict[str, str]]] = {}
    for kind in KINDS:
        _show_kind(qtbot, pane, kind)
        csv_rows, message = cli.chart_csv(kind, tmp_path / f"cli-{kind}.csv")
        files[kind] = csv_rows
        dialogs.save_paths.append(tmp_path / f"window-{kind}.csv")
        exported = pane.export_data()
        assert exported is not None
        assert exported.read_text(encoding="utf-8") == \
            (tmp_path / f"cli-{kind}.csv").read_text(encoding="utf-8"), kind
        said_open = _said_open(message)
        if kind != "ladder":  # the ladder chart counts the open entries on its rungs only
            assert said_open == open_count, kind
        caption = _caption(pane)
        if said_open:
            assert f"{said_open:,} open entr" in caption, kind
        else:
            assert "open entr" not in caption, kind
        # (issue 21) the charts that need a prediction name the rejections that happened to
        # the user they leave out: `chart`, the caption and the pane's description alike
        said_happened = _said_happened(message)
        if kind in PREDICTED:
            assert said_happened == window.service.happened_count() > 0, kind
            note = f"{said_happened:,} rejections that happened to you are not in this chart"
            assert note in " ".join(caption.split()), kind
            assert note in pane.canvas.accessibleDescription(), kind
        else:
            assert said_happened == 0, kind

    # the ladder chart and `ladders`: the same tries per rung (the latest ladder's)
    latest = window.service.find_ladder(None)
    assert latest is not None
    by_uuid = {ladder["uuid"]: ladder for ladder in ladders}
    assert [int(r["attempts"]) for r in files["ladder"]] == \
        [rung["tries"] for rung in by_uuid[latest.uuid]["rungs"]]

    # -- the chart headline: this month's gap and the Brier score, from the CSVs
    summary = [r for r in files["calibration"] if r["row"] == "summary"]
    assert len(summary) == 1
    headline = pane.headline.text()
    assert f"Brier score: <b>{float(summary[0]['brier']):.2f}</b>" in headline
    assert "date" in files["gap"][0], "a demo journal's gap CSV lists single entries"
    month = today.replace(day=1)
    gaps = [float(r["gap"]) for r in files["gap"] if date.fromisoformat(r["date"]) >= month]
    if gaps:
        assert f"This month's average gap: <b>{sum(gaps) / len(gaps):+.1f}</b>" in headline
    else:
        assert "This month's average gap" not in headline

    # -- the evening summary: what still waits is the open count everyone else names
    review = window.evening.start_review()
    assert review is not None
    review.finish()  # the Done button: end here, show the summary
    assert review.pages.currentIndex() == 1
    still = (f"{open_count} entry is still open" if open_count == 1
             else f"{open_count} entries are still open")
    assert still in review.summary_label.text()
    review.close()
