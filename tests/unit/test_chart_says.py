"""Issue 19: what each chart says, on a real journal through the service — open entries in
every chart, untried ladder rungs on the ladder chart, and the calibration CSV's rows."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from rejection_journal.charts.export import csv_text
from rejection_journal.charts.registry import KIND_NAMES, KINDS, ChartKind, kind_named
from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.storage import Journal

TODAY = date(2026, 3, 10)


@pytest.fixture
def service(journal: Journal) -> JournalService:
    return JournalService(journal, clock=FixedClock(TODAY))


def _texts(figure: Figure) -> str:
    return "\n".join(t.get_text() for t in figure.findobj(Text) if t.get_text())


def _finished(challenge: str, day: date, *, before: int = 7, after: int = 3,
              chance: int = 60, outcome: Outcome = Outcome.NO) -> AttemptRecord:
    return AttemptRecord(ask="A step", attempted_on=day, challenge_uuid=challenge,
                         anticipated_discomfort=before, predicted_no_chance=chance,
                         outcome=outcome, actual_discomfort=after,
                         reasons=(Reason.TIMING,) if outcome is Outcome.NO else (),
                         next_discomfort=before - 1, next_no_chance=max(0, chance - 10))


def _open(challenge: str, day: date) -> AttemptRecord:
    return AttemptRecord(ask="Still to do", attempted_on=day, challenge_uuid=challenge,
                         anticipated_discomfort=6, predicted_no_chance=50)


def _ladder_journal(service: JournalService) -> str:
    """A ladder of three steps: the first tried twice, the second once, the third not yet;
    two open entries on its first step."""
    a, b, c = (ch.uuid for ch in service.challenges()[:3])
    ladder = service.new_ladder("Ask for a raise", [a, b, c])
    service.save(_finished(a, TODAY - timedelta(days=5), before=8, after=4))
    service.save(_finished(a, TODAY - timedelta(days=4), before=6, after=2,
                           outcome=Outcome.YES))
    service.save(_finished(b, TODAY - timedelta(days=3), before=9, after=5))
    service.save(_open(a, TODAY - timedelta(days=1)))
    service.save(_open(a, TODAY))
    return ladder.uuid


@pytest.mark.parametrize("kind", KINDS, ids=KIND_NAMES)
def test_every_chart_names_its_open_entries(service: JournalService, kind: ChartKind) -> None:
    """Issue 19: the gap, belief and ladder charts did not say how many entries are open."""
    uuid = _ladder_journal(service)
    flt = ChartFilter(ladder=uuid)
    data = kind.load(service, flt)
    assert data.open_count == 2
    assert "2 open entries" in _texts(kind.figure(data))
    # a filter that leaves the open entries out leaves them out of the count too
    earlier = ChartFilter(until=TODAY - timedelta(days=2), ladder=uuid)
    assert kind.load(service, earlier).open_count == 0
    assert "open entr" not in _texts(kind.figure(kind.load(service, earlier)))


def test_one_open_entry_is_said_in_the_singular(service: JournalService) -> None:
    a = service.challenges()[0].uuid
    service.save(_finished(a, TODAY - timedelta(days=1)))
    service.save(_open(a, TODAY))
    gap = kind_named("gap")
    assert "1 open entry not counted until finished." in _texts(
        gap.figure(gap.load(service, ChartFilter())))


def test_rungs_not_tried_yet_are_on_the_ladder_chart(service: JournalService) -> None:
    """Issue 19: the third step, never tried, was left off the chart and its CSV."""
    uuid = _ladder_journal(service)
    ladder = kind_named("ladder")
    data = ladder.load(service, ChartFilter(ladder=uuid))
    header, rows = ladder.csv(data)
    table = list(csv.DictReader(io.StringIO(csv_text(header, rows))))
    assert [(r["rung"], r["attempts"], r["anticipated"], r["actual"]) for r in table] == [
        ("1", "2", "7.0", "3.0"), ("2", "1", "9.0", "5.0"), ("3", "0", "", "")]
    texts = _texts(ladder.figure(data))
    assert texts.count("not tried yet") == 1
    # the tries counted are the Ladders tab's
    overview = service.ladder_overview(uuid)
    assert [s.attempts for s in overview.rungs] == [int(r["attempts"]) for r in table]


def test_the_calibration_csv_marks_its_summary_row_and_bins_take_their_lower_edge(
        service: JournalService) -> None:
    """Issue 19: the summary row sat among the bins in the same columns, unmarked; a
    prediction of exactly 40 % goes to the bin that starts at 40 (docs/charts.md)."""
    a = service.challenges()[0].uuid
    for i, (chance, outcome) in enumerate([(40, Outcome.NO), (40, Outcome.YES),
                                           (39, Outcome.NO), (100, Outcome.NO),
                                           (0, Outcome.YES)]):
        service.save(_finished(a, TODAY - timedelta(days=i), chance=chance, outcome=outcome))
    kind = kind_named("calibration")
    data = kind.load(service, ChartFilter())
    header, rows = kind.csv(data)
    table = list(csv.DictReader(io.StringIO(csv_text(header, rows))))
    assert header[0] == "row"
    assert [r["row"] for r in table] == ["bin", "bin", "bin", "bin", "summary"]
    bins = {(r["predicted_from_pct"], r["predicted_to_pct"]): r["asks"] for r in table[:-1]}
    assert bins == {("0", "20"): "1", ("20", "40"): "1", ("40", "60"): "2", ("80", "100"): "1"}
    summary = table[-1]
    assert (summary["predicted_from_pct"], summary["predicted_to_pct"], summary["asks"]) == (
        "0", "100", "5")
    assert float(summary["brier"]) == pytest.approx(data.brier)
    assert all(r["brier"] == "" for r in table[:-1])
