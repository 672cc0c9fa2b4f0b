"""Issue 21: the charts that need a prediction (gap, calibration, belief) leave out the
rejections that happened to the user, and each says how many: a caption line on the figure
and a sentence in its description, only when there are some; the CSV is the same either way.
Through the registry, on a real journal file."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from matplotlib.figure import Figure

from rejection_journal.charts.describe import describe
from rejection_journal.charts.registry import kind_named
from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.experiment import EntryKind
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.storage import Journal

TODAY = date(2026, 12, 6)
#: the kinds that need a prediction, and so leave the rejections that happened to me out
PREDICTED = ("gap", "calibration", "belief")
NOTE = "2 rejections that happened to you are not in this chart: they have no prediction"


def _service(journal: Journal, happened: int) -> JournalService:
    service = JournalService(journal, clock=FixedClock(TODAY))
    for days_ago in range(6):
        service.save(AttemptRecord(
            ask=f"Ask {days_ago}", attempted_on=TODAY - timedelta(days=days_ago),
            anticipated_discomfort=7, predicted_no_chance=60, outcome=Outcome.NO,
            actual_discomfort=3, next_discomfort=5, next_no_chance=50))
    for days_ago in range(happened):
        service.save(AttemptRecord(
            ask=f"My friend cancelled {days_ago}", attempted_on=TODAY - timedelta(days=days_ago),
            outcome=Outcome.NO, actual_discomfort=6, kind=EntryKind.HAPPENED_TO_ME))
    return service


def _caption(figure: Figure) -> str:
    label = figure._supxlabel  # type: ignore[attr-defined]  # the caption (charts/common.py)
    return "" if label is None else label.get_text().replace("\n", " ")


@pytest.mark.parametrize("name", PREDICTED)
def test_each_chart_that_needs_a_prediction_says_how_many_it_leaves_out(
        journal: Journal, name: str) -> None:
    kind = kind_named(name)
    service = _service(journal, 2)
    data = kind.load(service, ChartFilter())
    assert data.happened_to_me == 2
    assert NOTE in _caption(kind.figure(data))
    said = describe(name, data)
    assert said.endswith(f"{NOTE} to check.")
    # the CSV holds only what is plotted: the count changes nothing in it
    assert kind.csv(data) == kind.csv(dataclasses.replace(data, happened_to_me=0))
    # a filter that admits none of them: nothing said
    narrowed = kind.load(service, ChartFilter(since=TODAY + timedelta(days=1)))
    assert narrowed.happened_to_me == 0
    assert "happened to you" not in _caption(kind.figure(narrowed))


@pytest.mark.parametrize("name", PREDICTED)
def test_nothing_is_said_when_no_rejection_happened_to_me(journal: Journal, name: str) -> None:
    kind = kind_named(name)
    data = kind.load(_service(journal, 0), ChartFilter())
    assert data.happened_to_me == 0
    assert "happened to you" not in _caption(kind.figure(data))
    assert "happened to you" not in describe(name, data)


def test_the_count_follows_the_filter_and_one_is_said_in_the_singular(
        journal: Journal) -> None:
    service = _service(journal, 2)
    # the two are on today and yesterday
    assert service.happened_count(ChartFilter(until=TODAY - timedelta(days=1))) == 1
    assert service.happened_count(ChartFilter(category=Category.SOCIAL.value)) == 0
    data = kind_named("gap").load(service, ChartFilter(since=TODAY))
    assert data.happened_to_me == 1
    assert describe("gap", data).endswith(
        "1 rejection that happened to you is not in this chart: it has no prediction to "
        "check.")


def test_a_rejection_that_happened_to_me_never_reaches_a_chart_of_predictions_even_rated(
        journal: Journal) -> None:
    """The editor keeps *Expected discomfort* and *Chance of "no"* for this kind too, and an
    import may carry them: whatever such an entry holds, the gap, calibration and belief
    charts (and the headline and the report, which read the same rows) leave it out — it is
    counted once, as left out, never also drawn; outcomes still count it."""
    service = _service(journal, 0)
    baseline = {name: kind_named(name).load(service, ChartFilter()) for name in PREDICTED}
    outcomes = kind_named("outcomes")
    outcomes_before = outcomes.csv(outcomes.load(service, ChartFilter()))
    service.save(AttemptRecord(
        ask="My sister said no to the trip", attempted_on=TODAY, kind=EntryKind.HAPPENED_TO_ME,
        anticipated_discomfort=9, predicted_no_chance=10, outcome=Outcome.NO,
        actual_discomfort=8, next_discomfort=4, next_no_chance=20))
    for name in PREDICTED:
        kind = kind_named(name)
        data = kind.load(service, ChartFilter())
        assert data.happened_to_me == 1, name
        assert kind.csv(data) == kind.csv(baseline[name]), f"{name} drew it too"
    assert len(service.gap_points(ChartFilter())) == 6
    assert outcomes.csv(outcomes.load(service, ChartFilter())) != outcomes_before
