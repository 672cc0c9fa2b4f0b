"""A report to keep, or to bring to someone you trust: the use case behind *Journal ▸ Make a
report…* and ``rejection-journal report``.

:func:`gather_report` collects the numbers of the first page from the chart registry's own
loaders (so they are the numbers the charts draw, their CSVs hold and ``report --format
json`` prints) and the sentences from :mod:`rejection_journal.charts.describe`.
:func:`save_report` draws the PDF (:mod:`rejection_journal.charts.report`), atomically.

**Private by default**: no free text goes in unless the user picks entries
(:attr:`ReportChoice.entry_uuids`), and the names of people asked only with
:attr:`ReportChoice.include_names` as well.

Matplotlib is imported only inside the functions that need the registry: the rest of the
services, and the command line's start, stay free of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from statistics import fmean
from typing import TYPE_CHECKING, Any

from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.domain.entry_list import DEFAULT_SORT, EntryFilter
from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.report import (
    EmptyReportError,
    LadderLine,
    ReportChart,
    ReportChoice,
    ReportData,
    ReportEntry,
    ReportSummary,
    SavedReport,
)

if TYPE_CHECKING:
    from rejection_journal.services.journal_service import JournalService

#: below this many finished entries the report is one calm page (charts of a few dots
#: say nothing yet)
CHARTS_FROM = 5
#: at most this many ladders get a page of their own
MAX_LADDER_PAGES = 6

__all__ = ["CHARTS_FROM", "EmptyReportError", "LadderLine", "ReportChart", "ReportChoice",
           "ReportData", "ReportEntry", "ReportSummary", "SavedReport", "gather_report",
           "period_words", "report_entries", "save_report"]


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def period_words(flt: ChartFilter) -> str:
    """The report's period in words ("1 November 2026 to 30 November 2026")."""
    if flt.since is not None and flt.until is not None:
        return f"{_day(flt.since)} to {_day(flt.until)}"
    if flt.since is not None:
        return f"from {_day(flt.since)}"
    if flt.until is not None:
        return f"up to {_day(flt.until)}"
    return "everything in the journal"


def report_entries(service: JournalService, flt: ChartFilter) -> list[ReportEntry]:
    """The entries of the period (and category) that have a reflection or a lesson, oldest
    first: what the user may pick to go in."""
    category = Category(flt.category) if flt.category else None
    uuids = service.attempt_uuids_sorted(
        DEFAULT_SORT, EntryFilter(category=category, since=flt.since, until=flt.until))
    found = service.attempts_by_uuid(uuids)
    records = sorted((found[u] for u in uuids if u in found),
                     key=lambda r: (r.attempted_on, r.created_at))
    return [ReportEntry(r.uuid, r.attempted_on, r.ask,
                        r.outcome.label if r.outcome else "Not finished yet",
                        r.who_asked.strip(), r.reflection.strip(), r.lesson.strip())
            for r in records if r.reflection.strip() or r.lesson.strip()]


def _mean(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def gather_report(service: JournalService, choice: ReportChoice) -> ReportData:
    """Every number, sentence and chart of the report; raises :class:`EmptyReportError` when
    the period holds no entry."""
    from rejection_journal.charts.describe import describe
    from rejection_journal.charts.registry import kind_named

    flt = choice.flt
    rows = service.chart_rows(flt)
    if not rows:
        raise EmptyReportError(f"there are no entries {_in_period(flt)}, so there is "
                               "nothing to report")
    loaded = {name: kind_named(name).load(service, flt)
              for name in ("gap", "calibration", "belief", "outcomes", "reasons")}
    outcomes = loaded["outcomes"]
    totals = {label: sum(row) for label, row in zip(outcomes.labels, outcomes.counts,
                                                     strict=True)}
    count = {o: totals.get(o.value, 0) for o in Outcome}
    finished = sum(count.values())
    gap = loaded["gap"]
    points = gap.series.points
    half = len(points) // 2
    cal = loaded["calibration"]
    ladders = _ladders(service, flt)
    pause = service.pause_suggestion()
    sentences = {name: describe(name, data) for name, data in loaded.items()}
    summary = ReportSummary(
        period=period_words(flt),
        since=flt.since.isoformat() if flt.since else None,
        until=flt.until.isoformat() if flt.until else None,
        category=flt.category,
        entries=len(rows), open=outcomes.open_count, finished=finished,
        asks=finished - count[Outcome.DIDNT_ASK],
        no=count[Outcome.NO], yes=count[Outcome.YES], partly=count[Outcome.PARTIAL],
        no_response=count[Outcome.NO_RESPONSE], didnt_ask=count[Outcome.DIDNT_ASK],
        rated=len(points),
        mean_anticipated=_mean([p.anticipated for p in points]),
        mean_actual=_mean([p.actual for p in points]),
        gap_first_half=_mean([p.gap for p in points[:half]]) if half else None,
        gap_second_half=_mean([p.gap for p in points[len(points) - half:]]) if half else None,
        predicted=cal.count,
        mean_predicted_pct=None if cal.mean_predicted is None else cal.mean_predicted * 100,
        observed_no_pct=None if cal.rejection_rate is None else cal.rejection_rate * 100,
        brier=cal.brier,
        ladders=tuple(LadderLine(goal, len(p.rungs), sum(1 for r in p.rungs if r.tried))
                      for goal, p in ladders),
        pause_suggested=pause is not None,
        sentences=sentences,
    )
    charts: list[ReportChart] = []
    if finished >= CHARTS_FROM:
        for name, data in loaded.items():
            kind = kind_named(name)
            if not kind.is_empty(data):
                charts.append(ReportChart(name, kind.title, data, sentences[name]))
        for goal, progress in ladders[:MAX_LADDER_PAGES]:
            if not progress.is_empty:
                charts.append(ReportChart("ladder", f"Ladder “{goal}”", progress,
                                          describe("ladder", progress)))
    picked = set(choice.entry_uuids)
    entries = tuple(e for e in report_entries(service, flt) if e.uuid in picked)
    return ReportData(choice, summary, _paragraphs(summary, pause.message if pause else ""),
                      _small_print(summary), tuple(charts), entries, choice.include_names)


def _in_period(flt: ChartFilter) -> str:
    words = period_words(flt)
    where = "in the journal" if words == "everything in the journal" else (
        f"from {words}" if " to " in words else words)
    if flt.category:
        where += f" in the category '{flt.category}'"
    return where


def _ladders(service: JournalService, flt: ChartFilter) -> list[tuple[str, Any]]:
    from rejection_journal.charts.registry import kind_named

    kind = kind_named("ladder")
    if flt.ladder is not None:
        found = service.find_ladder(flt.ladder)
        chosen = [found] if found is not None else []
    else:
        chosen = service.ladders()
    out = []
    for ladder in chosen:
        one = ChartFilter(flt.since, flt.until, flt.category, ladder.uuid)
        out.append((ladder.goal, kind.load(service, one)))
    return out


def _paragraphs(s: ReportSummary, pause_message: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    what = _plural(s.entries, "entry", "entries")
    parts = [f"This report covers {s.period}"
             + (f", asks in the category '{s.category}' only" if s.category else "")
             + f". The journal holds {what} in that time."]
    if s.asks:
        parts.append(f"You made {_plural(s.asks, 'ask')} and collected "
                     f"{_plural(s.no + s.no_response, 'no', 'no’s')}"
                     + (f" ({s.no_response:,} of them no response)" if s.no_response else "")
                     + f"; {_plural(s.yes, 'yes', 'yeses')} and "
                     f"{s.partly:,} partly or a counter-offer.")
    else:
        parts.append("No ask in this time has its after half written yet.")
    if s.didnt_ask:
        parts.append(f"{_plural(s.didnt_ask, 'time')} you chose not to ask, and wrote it "
                     "down anyway: that counts as practice in noticing.")
    if s.open:
        parts.append(f"{_plural(s.open, 'entry', 'entries')} still wait"
                     f"{'s' if s.open == 1 else ''} for what happened.")
    out.append(("What you tried", " ".join(parts)))
    if s.rated and s.mean_anticipated is not None and s.mean_actual is not None:
        said = (f"Before {'your one rated ask' if s.rated == 1 else f'your {s.rated:,} rated asks'}"
                f" you expected, on average, {s.mean_anticipated:.1f} out of 10 discomfort; "
                f"afterwards it felt like {s.mean_actual:.1f}.")
        if s.gap_first_half is not None and s.gap_second_half is not None and s.rated >= 4:
            said += (f" In the first half of the period the fear ran {_signed(s.gap_first_half)}"
                     f" the feeling; in the second half {_signed(s.gap_second_half)}.")
        out.append(("What you feared and how it felt", said))
    else:
        out.append(("What you feared and how it felt",
                    "No ask in this time is rated both before and after, so there is no "
                    "comparison yet."))
    if s.predicted and s.mean_predicted_pct is not None and s.observed_no_pct is not None:
        diff = s.mean_predicted_pct - s.observed_no_pct
        plain = ("you expected more no’s than came" if diff > 5
                 else "more no’s came than you expected" if diff < -5
                 else "your guesses were close to what happened")
        out.append(("How well you predicted a no",
                    f"Over {_plural(s.predicted, 'ask')} you guessed, on average, a "
                    f"{s.mean_predicted_pct:.0f}% chance of a no, and a no came "
                    f"{s.observed_no_pct:.0f}% of the time: {plain}."))
    if s.ladders:
        lines = "; ".join(f"“{line.goal}”: {line.tried} of {_plural(line.steps, 'step')} "
                          "tried" for line in s.ladders)
        out.append(("Fear ladders", f"{lines}."))
    out.append(("Taking care", pause_message or (
        "Right now the journal does not suggest a pause: the last few entries show no "
        "worrying trend.")))
    return tuple(out)


def _signed(gap: float) -> str:
    if abs(gap) < 0.05:
        return "level with"
    return f"{abs(gap):.1f} points {'above' if gap > 0 else 'below'}"


def _small_print(s: ReportSummary) -> str:
    parts = ["Discomfort is rated from 0 to 10. “No response” counts as a no; “didn’t ask” "
             "is not an ask."]
    if s.brier is not None:
        parts.append(f"Brier score of the predictions: {s.brier:.2f} (0 is perfect, 0.25 is "
                     "what always guessing 50% scores).")
    parts.append("Made with Rejection Journal, a self-help journal: not therapy, and not a "
                 "diagnosis.")
    return " ".join(parts)


def save_report(service: JournalService, choice: ReportChoice, out: Path, *,
                force: bool = False) -> SavedReport:
    """Write the report of ``choice`` to ``out`` as a PDF, atomically. Refuses (before
    anything is drawn) the journal's own files, folders and devices, and an existing file
    unless ``force`` (``fileio.check_export_target``: the rules every export follows);
    raises :class:`EmptyReportError`, writing nothing, when the period holds no entry."""
    from rejection_journal.charts.report import save_report_pdf
    from rejection_journal.fileio import check_export_target

    out = check_export_target(out, service.data_dir, force=force)
    data = gather_report(service, choice)
    pages = save_report_pdf(data, out)
    return SavedReport(out, pages, len(data.charts), len(data.entries))
