"""The report (issue 25): the first page's numbers are the chart CSVs' numbers, the report
is private by default, and an empty or tiny period makes nothing or one calm page."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from statistics import fmean

import pytest
from matplotlib.text import Text

from rejection_journal.charts.report import report_pages
from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.domain.enums import Outcome
from rejection_journal.fileio import UnsafeTargetError
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.services.chart_files import save_chart
from rejection_journal.services.report import (
    EmptyReportError,
    ReportChoice,
    gather_report,
    report_entries,
    save_report,
)
from rejection_journal.storage import Journal
from tests.unit.conftest import AttemptFactory

TODAY = date(2026, 11, 24)
PERIOD = ChartFilter(date(2026, 3, 1), date(2026, 10, 31))


@pytest.fixture
def service(journal: Journal) -> JournalService:
    return JournalService(journal, clock=FixedClock(TODAY))


@pytest.fixture
def demo(service: JournalService) -> JournalService:
    service.add_demo_data(150, seed=3)
    return service


def _csv(service: JournalService, kind: str, flt: ChartFilter, tmp_path: Path
         ) -> list[dict[str, str]]:
    out = tmp_path / f"{kind}-{flt.ladder or ''}.csv"
    save_chart(service, kind, flt, out, "csv", size=(8, 5.5), dpi=100)
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _words(service: JournalService, choice: ReportChoice) -> str:
    return "\n".join(text.get_text() for page in report_pages(gather_report(service, choice))
                     for text in page.findobj(Text))


def test_first_page_numbers_are_the_chart_csvs_numbers(demo: JournalService,
                                                       tmp_path: Path) -> None:
    summary = gather_report(demo, ReportChoice(PERIOD)).summary

    outcomes = _csv(demo, "outcomes", PERIOD, tmp_path)
    total = {o: sum(int(row[o.value]) for row in outcomes) for o in Outcome}
    assert summary.no == total[Outcome.NO] and summary.yes == total[Outcome.YES]
    assert summary.partly == total[Outcome.PARTIAL]
    assert summary.no_response == total[Outcome.NO_RESPONSE]
    assert summary.didnt_ask == total[Outcome.DIDNT_ASK]
    assert summary.asks == sum(total.values()) - total[Outcome.DIDNT_ASK] > 20

    gap = _csv(demo, "gap", PERIOD, tmp_path)
    assert "entry_uuid" in gap[0]  # one row per ask (not aggregated at this size)
    assert summary.rated == len(gap)
    assert summary.mean_anticipated == pytest.approx(fmean(float(r["anticipated"]) for r in gap))
    assert summary.mean_actual == pytest.approx(fmean(float(r["actual"]) for r in gap))
    half = len(gap) // 2
    assert summary.gap_first_half == pytest.approx(fmean(float(r["gap"]) for r in gap[:half]))
    assert summary.gap_second_half == pytest.approx(
        fmean(float(r["gap"]) for r in gap[len(gap) - half:]))

    (cal,) = [r for r in _csv(demo, "calibration", PERIOD, tmp_path) if r["row"] == "summary"]
    assert summary.predicted == int(cal["asks"])
    assert summary.mean_predicted_pct == pytest.approx(float(cal["mean_predicted_pct"]))
    assert summary.observed_no_pct == pytest.approx(float(cal["observed_no_pct"]))
    assert summary.brier == pytest.approx(float(cal["brier"]))

    assert len(summary.ladders) == len(demo.ladders()) > 0
    for line, ladder in zip(summary.ladders, demo.ladders(), strict=True):
        rungs = _csv(demo, "ladder", ChartFilter(PERIOD.since, PERIOD.until,
                                                 ladder=ladder.uuid), tmp_path)
        assert (line.goal, line.steps, line.tried) == (
            ladder.goal, len(rungs), sum(1 for r in rungs if int(r["attempts"])))


def test_first_page_says_the_numbers_in_words(demo: JournalService) -> None:
    data = gather_report(demo, ReportChoice(PERIOD))
    s = data.summary
    first = "\n".join(t.get_text() for t in report_pages(data)[0].findobj(Text))
    flat = " ".join(first.split())
    assert "1 March 2026 to 31 October 2026" in flat
    assert f"You made {s.asks:,} asks" in flat
    assert f"{s.no + s.no_response:,} no’s" in flat
    assert f"{s.mean_anticipated:.1f} out of 10" in flat
    assert f"a no came {s.observed_no_pct:.0f}% of the time" in flat
    assert f"Brier score of the predictions: {s.brier:.2f}" in flat
    assert "Page 1 of" in flat


def test_every_page_has_the_period_and_its_number(demo: JournalService) -> None:
    pages = report_pages(gather_report(demo, ReportChoice(PERIOD)))
    assert len(pages) > 5  # the first page and a page per chart with data
    for number, page in enumerate(pages, 1):
        words = [t.get_text() for t in page.findobj(Text)]
        assert f"Page {number} of {len(pages)}" in words
        assert any("1 March 2026 to 31 October 2026" in w for w in words)


def test_no_free_text_unless_entries_are_picked_and_names_only_when_ticked(
        service: JournalService, make_attempt: AttemptFactory) -> None:
    for day in range(1, 5):
        service.save(make_attempt(attempted_on=date(2026, 5, day),
                                  reflection=f"Secret reflection {day}",
                                  lesson=f"Quiet lesson {day}", who_asked=f"Pat Doe {day}",
                                  feelings_before="Butterflies", worst_case="They laugh"))
    flt = ChartFilter(date(2026, 5, 1), date(2026, 5, 31))
    private = _words(service, ReportChoice(flt))
    for secret in ("Secret reflection", "Quiet lesson", "Pat Doe", "Butterflies", "laugh"):
        assert secret not in private

    picked = report_entries(service, flt)[1].uuid
    chosen = _words(service, ReportChoice(flt, (picked,)))
    assert "Secret reflection 2" in chosen and "Quiet lesson 2" in chosen
    assert "Secret reflection 1" not in chosen and "Pat Doe" not in chosen
    named = _words(service, ReportChoice(flt, (picked,), include_names=True))
    assert "Pat Doe 2" in named and "Pat Doe 1" not in named


def test_a_tiny_period_is_one_calm_page(service: JournalService,
                                        make_attempt: AttemptFactory) -> None:
    for day in (3, 4):
        service.save(make_attempt(attempted_on=date(2026, 5, day)))
    data = gather_report(service, ReportChoice(ChartFilter(date(2026, 5, 1),
                                                           date(2026, 5, 31))))
    pages = report_pages(data)
    assert len(pages) == 1 and data.charts == ()
    words = " ".join(" ".join(t.get_text() for t in pages[0].findobj(Text)).split())
    assert "too few finished asks" in words and "no chart pages" in words
    assert "You made 2 asks" in words


def test_an_empty_period_writes_nothing(service: JournalService, make_attempt: AttemptFactory,
                                        tmp_path: Path) -> None:
    service.save(make_attempt(attempted_on=date(2026, 5, 3)))
    out = tmp_path / "report.pdf"
    with pytest.raises(EmptyReportError, match="no entries from 1 June 2026 to 30 June 2026"):
        save_report(service, ReportChoice(ChartFilter(date(2026, 6, 1), date(2026, 6, 30))),
                    out)
    assert not out.exists()


def test_the_journal_own_files_and_existing_files_are_refused(
        demo: JournalService, tmp_path: Path) -> None:
    with pytest.raises(UnsafeTargetError, match="journal's own files"):
        save_report(demo, ReportChoice(PERIOD), demo.path, force=True)
    out = tmp_path / "report.pdf"
    out.write_bytes(b"keep me")
    with pytest.raises(UnsafeTargetError, match="already exists"):
        save_report(demo, ReportChoice(PERIOD), out)
    assert out.read_bytes() == b"keep me"
    saved = save_report(demo, ReportChoice(PERIOD), out, force=True)
    assert out.read_bytes().startswith(b"%PDF") and saved.pages > 5
