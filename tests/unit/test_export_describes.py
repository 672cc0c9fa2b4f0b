"""What an exported chart says about itself: a title with the date range, one sentence from
the data for each kind, and no on-screen instruction in the figure that is exported."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from rejection_journal.charts.describe import describe
from rejection_journal.charts.export import (
    ExportText,
    date_range_words,
    export_text,
    save_figure,
)
from rejection_journal.charts.registry import KIND_NAMES, KINDS, ChartKind, kind_named
from rejection_journal.charts.theme import DARK, LIGHT
from rejection_journal.domain.chart_stats import ChartFilter, gap_from_rows, gap_view
from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.experiment import FearHappened
from rejection_journal.domain.plan import check_items
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.storage import Journal

TODAY = date(2026, 3, 10)


@pytest.fixture
def service(journal: Journal) -> JournalService:
    clock = FixedClock(TODAY - timedelta(days=20))
    service = JournalService(journal, clock=clock)
    # the self-check taken twice: 5 × (7 − 2) = 25 on each situation, then 3 × (7 − 4) = 9
    service.save_self_check({item.id: (5, 2) for item in check_items()})
    clock.set(TODAY)
    service.save_self_check({item.id: (3, 4) for item in check_items()})
    first, second = (ch.uuid for ch in service.challenges()[:2])
    service.new_ladder("Ask for a raise", [first, second])
    # (issue 21) each feared "They'll laugh": 70 → 50 %, 60 → 40 %, 80 → 70 % (it happened)
    for days_ago, (before, after, outcome, fear) in enumerate(
            [(8, 4, Outcome.NO, (70, FearHappened.NO, 50)),
             (6, 2, Outcome.YES, (60, FearHappened.NO, 40)),
             (9, 5, Outcome.NO, (80, FearHappened.YES, 70))]):
        service.save(AttemptRecord(
            ask="A step", attempted_on=TODAY - timedelta(days=days_ago), challenge_uuid=first,
            anticipated_discomfort=before, predicted_no_chance=60, outcome=outcome,
            actual_discomfort=after,
            reasons=(Reason.TIMING,) if outcome is Outcome.NO else (),
            next_discomfort=before - 1, next_no_chance=50, feared_outcome="They'll laugh",
            fear_likelihood=fear[0], fear_happened=fear[1], fear_likelihood_after=fear[2]))
    return service


def _words(figure: Figure) -> str:
    return " ".join(t.get_text() for t in figure.findobj(Text) if t.get_text())


# worked by hand from the three entries above: gaps 4, 4, 4; predicted 60 % each, two noes
# (Brier (0.16 + 0.36 + 0.16) / 3 = 0.23); next time one point and ten points lower
EXPECTED = {
    "gap": ("Over your 3 rated asks you expected 4.0 points more discomfort than you felt; "
            "too few asks yet to see a trend."),
    "calibration": ("Over 3 asks your predicted chance of no averaged 60%, and you got a no 67% "
                    "of the time (Brier score 0.23; 0 is perfect). More no's came than you "
                    "expected."),
    "belief": ("After your 3 asks you expected, on average, 1.0 point less discomfort next "
               "time, and a no 10 percentage points less likely."),
    "outcomes": "3 finished asks over 2 weeks: No 2, Yes 1. The most frequent outcome is No.",
    "reasons": ("2 reasons given for a no over 2 weeks: Timing 2. The most frequent is "
                "Timing."),
    "ladder": ("Ladder “Ask for a raise”: 1 of 2 steps tried; on the steps tried you expected "
               "4.0 points more discomfort than you felt."),
    "self-check": ("Self-check over time: taken 2 times; the overall score went from 25.0 on "
                   "18 Feb 2026 to 9.0 on 10 Mar 2026, 16.0 lower (easier)."),
    # changes 10, 20, 20 points: 16.7 on average; the first likelihood 80 %, the latest 50 %
    "learned": ("What you learned: 3 asks with a named fear; on average it felt 17 points "
                "less likely afterwards. Your fear “They'll laugh” went from 80 % to 50 % "
                "over 3 asks; it happened once."),
}
EMPTY = {
    "gap": ("Anticipated vs actual discomfort: no finished ask is rated both before and after "
            "yet, so there is no gap to show."),
    "calibration": ("Predicted vs actual chance of no: no finished ask has a predicted chance "
                    "of no yet."),
    "belief": ("Belief update: no finished ask has a next-time prediction yet, so there is no "
               "change to show."),
    "outcomes": "Outcomes over time: no finished ask yet.",
    "reasons": "Reasons over time: no reason given for a no yet.",
    "ladder": "Ladder “Ask for a raise”: 0 of 2 steps tried.",
    "self-check": "Self-check over time: you have not taken the self-check yet.",
    "learned": "What you learned: no entry names and rates a fear yet.",
}


@pytest.mark.parametrize("kind", KINDS, ids=KIND_NAMES)
def test_each_kind_says_in_one_sentence_what_its_data_shows(
    service: JournalService, kind: ChartKind
) -> None:
    flt = ChartFilter(since=TODAY - timedelta(days=29), until=TODAY)
    if kind.name == "ladder":
        flt = ChartFilter(since=flt.since, until=flt.until,
                          ladder=service.ladders()[0].uuid)
    data = kind.load(service, flt)
    about = export_text(kind.name, kind.title, data, flt)
    assert about.title == f"{kind.title}, 9 Feb 2026 to 10 Mar 2026"
    # the same sentence the pane gives screen readers
    assert about.description == describe(kind.name, data) == EXPECTED[kind.name]


def test_an_empty_chart_says_so(service: JournalService) -> None:
    flt = ChartFilter(since=date(2020, 1, 1), until=date(2020, 1, 31))
    for kind in KINDS:
        data = kind.load(service, flt)
        said = export_text(kind.name, kind.title, data, flt).description
        assert said == describe(kind.name, data) == EMPTY[kind.name]


def test_date_ranges_in_words() -> None:
    assert date_range_words(ChartFilter()) == "all time"
    assert date_range_words(ChartFilter(since=date(2026, 1, 5))) == "since 5 Jan 2026"
    assert date_range_words(ChartFilter(until=date(2026, 1, 5))) == "until 5 Jan 2026"


def test_the_svg_desc_is_escaped_and_follows_the_title(tmp_path: Path) -> None:
    figure = kind_named("gap").figure(gap_view(gap_from_rows([])), LIGHT)
    out = save_figure(figure, tmp_path / "a.svg",
                      about=ExportText("Mine <&> yours", "Less < more & \"so\"."))
    root = ET.fromstring(out.read_bytes())
    svg = "{http://www.w3.org/2000/svg}"
    assert [c.tag for c in root][:2] == [f"{svg}title", f"{svg}desc"]
    assert root.findtext(f"{svg}title") == "Mine <&> yours"
    assert root.findtext(f"{svg}desc") == "Less < more & \"so\"."


def test_the_click_hint_is_drawn_on_screen_only(service: JournalService) -> None:
    gap = kind_named("gap")
    data = gap.load(service, ChartFilter())
    for theme in (LIGHT, DARK):
        assert "click" not in _words(gap.figure(data, theme)).lower()
    on_screen = gap.figure(data, replace(LIGHT, on_screen=True))
    assert "click a dot to open its entry" in _words(on_screen)

