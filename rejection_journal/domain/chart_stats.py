"""The numbers behind every chart kind, from plain rows: no Qt, no Matplotlib, no peewee.

Rules for entries that are not a finished ask (the README repeats them):

* **Open entries** (no outcome yet) are in no chart: they have no after half to compare with.
  Each summary counts them (``open_count``) so a chart can say how many are waiting.
* **"Didn't ask"** entries are not asks: they are left out of the gap (the after rating is not
  the feeling of an ask), of calibration and of the rejection rate (no answer to compare the
  prediction with) and of the reasons. The outcomes chart shows them as their own bar, because
  seeing how often fear won is part of the picture.
* **No response** counts as a "no" (as :attr:`Outcome.is_rejection` says); **partly /
  counter-offer** counts as not a "no".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter, sub
from typing import NamedTuple

from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.picker import (
    HistoryEntry,
    Rung,
    attempts_by_rung,
    completed_tries,
)
from rejection_journal.domain.records import DATE_MAX, DATE_MIN
from rejection_journal.domain.stats import GapPoint, GapSeries, auto_window, rolling_mean

#: above this many entries, the gap chart draws averages per day/week/month instead of
#: single entries (drawing cost stops growing with the journal)
AGGREGATE_ABOVE = 400
DAY, WEEK, MONTH, QUARTER, YEAR = "day", "week", "month", "quarter", "year"
#: at most this many bars in the outcomes and reasons charts, lines in the aggregated ones
MAX_BARS, MAX_STEPS = 40, 130


class ChartRow(NamedTuple):
    """One entry as the charts need it (no texts): what storage hands the chart loaders."""

    uuid: str
    day: date
    category: str | None
    anticipated: int | None
    actual: int | None
    predicted_no: int | None
    outcome: str | None
    #: the reasons given for a no, as stored: values separated by spaces (None: none)
    reason: str | None


@dataclass(frozen=True, slots=True)
class ChartFilter:
    """Which entries a chart shows: a date range (inclusive, either end open), a challenge
    category (``None``: all) and a ladder (issue 8; ``None``: all)."""

    since: date | None = None
    until: date | None = None
    category: str | None = None
    ladder: str | None = None

    def admits(self, row: ChartRow) -> bool:
        return self.admits_entry(row.day, row.category)

    def admits_entry(self, day: date, category: str | None) -> bool:
        """Whether an entry of ``day`` on a challenge of ``category`` is in the chart."""
        if self.since is not None and day < self.since:
            return False
        if self.until is not None and day > self.until:
            return False
        return self.category is None or category == self.category


def _outcome(row: ChartRow) -> Outcome | None:
    return Outcome(row.outcome) if row.outcome else None


def _in_range(row: ChartRow) -> bool:
    return DATE_MIN <= row.day <= DATE_MAX


def open_count(rows: Iterable[ChartRow]) -> int:
    return sum(1 for row in rows if not row.outcome)


# -- periods ---------------------------------------------------------------------------------

def period_start(day: date, period: str) -> date:
    """The first day of the day/week (Monday)/month/year that holds ``day``."""
    if period == DAY:
        return day
    if period == WEEK:
        return day - timedelta(days=day.weekday())
    if period == MONTH:
        return day.replace(day=1)
    if period == QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if period == YEAR:
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown period {period!r}")


def period_count(first: date, last: date, period: str) -> int:
    """How many days/weeks/months/quarters/years ``first``..``last`` touches."""
    if period == DAY:
        return (last - first).days + 1
    if period == WEEK:
        return (period_start(last, WEEK) - period_start(first, WEEK)).days // 7 + 1
    months = (last.year - first.year) * 12 + last.month - first.month
    if period == MONTH:
        return months + 1
    if period == QUARTER:
        return ((last.year - first.year) * 12 + (last.month - 1) // 3 * 3
                - (first.month - 1) // 3 * 3) // 3 + 1
    return last.year - first.year + 1


def choose_period(first: date, last: date, *, most: int = MAX_BARS,
                  finest: str = WEEK) -> str:
    """The finest of day (if ``finest``)/week/month/quarter/year that cuts ``first``..``last``
    into at most ``most`` periods (a year if none does): the bars stay readable, and the
    drawing costs the same for ten years of entries as for one."""
    order = (DAY, WEEK, MONTH, QUARTER, YEAR)
    for period in order[order.index(finest):]:
        if period_count(first, last, period) <= most:
            return period
    return YEAR


# -- the gap ---------------------------------------------------------------------------------

def gap_window(count: int) -> int:
    """How many entries the gap's rolling mean averages: none (1, the real values) under 10
    entries, then a few, a week's worth from 35, growing past 1,050 (see :func:`auto_window`)."""
    if count < 10:
        return 1
    if count < 35:
        return count // 5
    return auto_window(count)


def gap_from_rows(rows: Iterable[ChartRow]) -> GapSeries:
    """Anticipated vs actual of every finished ask rated both times, oldest first; the
    window follows :func:`gap_window`. Open and "didn't ask" entries are not in it."""
    return gap_from_points(rated_points(rows))


def rated_points(rows: Iterable[ChartRow]) -> list[GapPoint]:
    """The gap's points of ``rows``: every finished ask rated both times, in their order."""
    didnt_ask = Outcome.DIDNT_ASK.value
    # (unpacked, not read by attribute, and made with tuple.__new__ rather than the named
    # tuple's Python-level __new__: 100,000 rows load noticeably faster)
    return [
        _new_tuple(GapPoint, (day, before, after, uuid))
        for uuid, day, _category, before, after, _chance, outcome, _reason in rows
        if before is not None and after is not None and outcome and outcome != didnt_ask
    ]


def gap_from_points(rated: Sequence[GapPoint]) -> GapSeries:
    """The gap series of ``rated`` (every finished ask rated both times, as storage's
    gap-only query gives them): those dated out of range are left out, and counted."""
    points = sorted([p for p in rated if DATE_MIN <= p.day <= DATE_MAX], key=_day)
    window = gap_window(len(points))
    anticipated = [p.anticipated for p in points]
    actual = [p.actual for p in points]
    return GapSeries(
        points=tuple(points),
        rolling_gap=rolling_mean(list(map(sub, anticipated, actual)), window),
        window=window,
        rolling_anticipated=rolling_mean(anticipated, window),
        rolling_actual=rolling_mean(actual, window),
        left_out=len(rated) - len(points),
    )


_day = attrgetter("day")
_new_tuple = tuple.__new__


@dataclass(frozen=True, slots=True)
class GapBin:
    start: date
    count: int
    anticipated: float
    actual: float

    @property
    def gap(self) -> float:
        return self.anticipated - self.actual


def gap_bins(points: Sequence[GapPoint], period: str) -> tuple[GapBin, ...]:
    """Mean anticipated and actual discomfort per ``period``, oldest first (empty periods
    are skipped)."""
    sums: dict[date, list[int]] = {}
    day: date | None = None
    acc = [0, 0, 0]
    for p in points:
        if p.day != day:  # the points come by day: one look-up per day, not per point
            day = p.day
            acc = sums.setdefault(period_start(day, period), [0, 0, 0])
        acc[0] += 1
        acc[1] += p.anticipated
        acc[2] += p.actual
    return tuple(GapBin(start, n, before / n, after / n)
                 for start, (n, before, after) in sorted(sums.items()))


def gap_period(series: GapSeries) -> str | None:
    """``None`` (draw single entries) up to :data:`AGGREGATE_ABOVE` entries; else the period
    to average over, day/week/month/year by the span (day only if the span is short)."""
    if len(series.points) <= AGGREGATE_ABOVE:
        return None
    return choose_period(series.points[0].day, series.points[-1].day, most=MAX_STEPS,
                         finest=DAY)


@dataclass(frozen=True, slots=True)
class GapView:
    """What the gap chart draws: the series, and (above :data:`AGGREGATE_ABOVE` entries)
    the period it averages over and the averages, computed once when the data is loaded."""

    series: GapSeries
    period: str | None
    bins: tuple[GapBin, ...]
    #: entries (in the chart's filter) still waiting for their after half: not drawn
    open_count: int = 0
    #: rejections that happened to the user (in the chart's filter): no prediction, not drawn
    happened_to_me: int = 0

    @property
    def points(self) -> tuple[GapPoint, ...]:
        return self.series.points

    @property
    def is_empty(self) -> bool:
        return self.series.is_empty

    @property
    def left_out(self) -> int:
        return self.series.left_out


def gap_view(series: GapSeries, open_count: int = 0) -> GapView:
    period = gap_period(series)
    return GapView(series, period, () if period is None else gap_bins(series.points, period),
                   open_count)


# -- calibration -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Asks whose predicted chance of "no" is from ``low`` (inclusive) to ``high``
    (exclusive; the last bin also holds 100): a prediction on an edge goes to the bin that
    starts there, so 40 % is in 40–60 (or 40–50), 0 % in the first bin, 100 % in the last."""

    low: int  # predicted chance of no, percent, inclusive
    high: int  # exclusive, except the last bin, which holds 100
    count: int
    mean_predicted: float  # 0..1
    observed_no: float  # share of these asks that got a no, 0..1


@dataclass(frozen=True, slots=True)
class Calibration:
    bins: tuple[CalibrationBin, ...]
    count: int  # asks with a prediction and an answer
    brier: float | None  # mean of (predicted - outcome)², 0 (perfect) .. 1
    mean_predicted: float | None  # 0..1
    rejection_rate: float | None  # 0..1
    open_count: int = 0
    not_asked: int = 0
    #: rejections that happened to the user (in the chart's filter): no prediction, not drawn
    happened_to_me: int = 0

    @property
    def is_empty(self) -> bool:
        return self.count == 0


def calibration_bin_width(count: int) -> int:
    """20 points wide while there are fewer than 50 asks (fewer, fuller bins), then 10."""
    return 20 if count < 50 else 10


def calibration(rows: Iterable[ChartRow]) -> Calibration:
    """Predicted chance of "no" against what happened, for every finished ask that had a
    prediction. "Didn't ask" and open entries are counted, not used."""
    pairs: list[tuple[int, int]] = []
    open_entries = not_asked = 0
    for row in rows:
        outcome = _outcome(row)
        if outcome is None:
            open_entries += 1
            continue
        if not outcome.was_asked:
            not_asked += 1
            continue
        if row.predicted_no is None or not _in_range(row):
            continue
        pairs.append((row.predicted_no, 1 if outcome.is_rejection else 0))
    if not pairs:
        return Calibration((), 0, None, None, None, open_entries, not_asked)
    width = calibration_bin_width(len(pairs))
    grouped: dict[int, list[tuple[int, int]]] = {}
    for predicted, no in pairs:
        low = min(predicted // width * width, 100 - width)
        grouped.setdefault(low, []).append((predicted, no))
    bins = tuple(
        CalibrationBin(low, low + width, len(items),
                       sum(p for p, _ in items) / len(items) / 100,
                       sum(n for _, n in items) / len(items))
        for low, items in sorted(grouped.items())
    )
    n = len(pairs)
    return Calibration(
        bins=bins,
        count=n,
        brier=sum((p / 100 - no) ** 2 for p, no in pairs) / n,
        mean_predicted=sum(p for p, _ in pairs) / n / 100,
        rejection_rate=sum(no for _, no in pairs) / n,
        open_count=open_entries,
        not_asked=not_asked,
    )


# -- outcomes and reasons per period ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PeriodCounts:
    """How many of each label fell in each period; ``labels`` in drawing order."""

    period: str
    starts: tuple[date, ...]
    labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # counts[label_index][period_index]
    open_count: int = 0
    without_reason: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.starts

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.counts)


def _per_period(items: Sequence[tuple[date, str]], labels: Sequence[str],
                period: str | None) -> tuple[str, tuple[date, ...], tuple[tuple[int, ...], ...]]:
    if not items:
        return period or WEEK, (), tuple(() for _ in labels)
    if period is None:
        period = choose_period(min(d for d, _ in items), max(d for d, _ in items))
    table: dict[date, dict[str, int]] = {}
    for day, label in items:
        cell = table.setdefault(period_start(day, period), {})
        cell[label] = cell.get(label, 0) + 1
    starts = tuple(sorted(table))
    return period, starts, tuple(tuple(table[s].get(label, 0) for s in starts)
                                 for label in labels)


OUTCOME_ORDER = (Outcome.NO, Outcome.NO_RESPONSE, Outcome.PARTIAL, Outcome.YES,
                 Outcome.DIDNT_ASK)


def outcomes_per_period(rows: Iterable[ChartRow], period: str | None = None) -> PeriodCounts:
    """Finished entries per week/month (``None``: chosen by the span), by outcome; open
    entries are counted apart."""
    items: list[tuple[date, str]] = []
    open_entries = 0
    for row in rows:
        if not row.outcome:
            open_entries += 1
        elif _in_range(row):
            items.append((row.day, row.outcome))
    labels = tuple(o.value for o in OUTCOME_ORDER)
    chosen, starts, counts = _per_period(items, labels, period)
    return PeriodCounts(chosen, starts, labels, counts, open_count=open_entries)


def reasons_per_period(rows: Iterable[ChartRow], period: str | None = None) -> PeriodCounts:
    """The reasons given for no / no response / partly, per week/month; answers without a
    reason are counted apart (``without_reason``)."""
    items: list[tuple[date, str]] = []
    open_entries = without = 0
    for row in rows:
        outcome = _outcome(row)
        if outcome is None:
            open_entries += 1
        elif outcome.can_have_reason and _in_range(row):
            if row.reason:
                items.extend((row.day, value) for value in row.reason.split())
            else:
                without += 1
    labels = tuple(r.value for r in Reason)
    chosen, starts, counts = _per_period(items, labels, period)
    return PeriodCounts(chosen, starts, labels, counts, open_count=open_entries,
                        without_reason=without)


# -- the belief update (fields from issue 9) ------------------------------------------------

class BeliefPair(NamedTuple):
    """An entry's prediction before the ask and what the user then expects next time.

    Either measure may be missing (``None``); issue 9 adds the "next time" fields."""

    uuid: str
    day: date
    discomfort_before: int | None
    discomfort_next: int | None
    no_chance_before: int | None = None
    no_chance_next: int | None = None


@dataclass(frozen=True, slots=True)
class BeliefSeries:
    """Per entry, oldest first: how much the ask moved the next prediction (next − before;
    negative: expects it to be easier / a "no" less likely next time)."""

    uuids: tuple[str, ...]
    days: tuple[date, ...]
    discomfort_change: tuple[float | None, ...]
    no_chance_change: tuple[float | None, ...]
    rolling_discomfort: tuple[float, ...]  # over entries that have the discomfort pair
    window: int
    #: above AGGREGATE_ABOVE entries: the period averaged over, and (start, entries, mean)
    period: str | None = None
    bins: tuple[tuple[date, int, float], ...] = ()
    #: entries (in the chart's filter) still waiting for their after half: not drawn
    open_count: int = 0
    #: rejections that happened to the user (in the chart's filter): no prediction, not drawn
    happened_to_me: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.uuids

    @property
    def mean_discomfort_change(self) -> float | None:
        values = [v for v in self.discomfort_change if v is not None]
        return sum(values) / len(values) if values else None


def belief_updates(pairs: Iterable[BeliefPair], open_count: int = 0) -> BeliefSeries:
    """Pairs with at least one complete (before, next) measure, oldest first; ``open_count``
    entries are still open (the chart says so)."""
    kept = sorted(
        (p for p in pairs if DATE_MIN <= p.day <= DATE_MAX and (
            (p.discomfort_before is not None and p.discomfort_next is not None)
            or (p.no_chance_before is not None and p.no_chance_next is not None))),
        key=lambda p: p.day,
    )

    def change(before: int | None, after: int | None) -> float | None:
        return None if before is None or after is None else float(after - before)

    discomfort = tuple(change(p.discomfort_before, p.discomfort_next) for p in kept)
    present = [v for v in discomfort if v is not None]
    window = gap_window(len(present))
    series = BeliefSeries(
        uuids=tuple(p.uuid for p in kept),
        days=tuple(p.day for p in kept),
        discomfort_change=discomfort,
        no_chance_change=tuple(change(p.no_chance_before, p.no_chance_next) for p in kept),
        rolling_discomfort=rolling_mean(present, window),
        window=window,
        open_count=open_count,
    )
    period = belief_period(series)
    if period is None:
        return series
    return dataclasses.replace(series, period=period, bins=belief_bins(series, period))


def belief_period(series: BeliefSeries) -> str | None:
    """Like :func:`gap_period`: ``None`` (single entries) up to :data:`AGGREGATE_ABOVE`."""
    if len(series.uuids) <= AGGREGATE_ABOVE:
        return None
    return choose_period(min(series.days), max(series.days), most=MAX_STEPS, finest=DAY)


def belief_bins(series: BeliefSeries, period: str) -> tuple[tuple[date, int, float], ...]:
    """(period start, entries, mean change in expected discomfort) per period."""
    sums: dict[date, list[float]] = {}
    for day, change in zip(series.days, series.discomfort_change, strict=True):
        if change is not None:
            acc = sums.setdefault(period_start(day, period), [0, 0.0])
            acc[0] += 1
            acc[1] += change
    return tuple((start, int(n), total / n) for start, (n, total) in sorted(sums.items()))


# -- ladders (issue 8) -----------------------------------------------------------------------

class LadderChartData(NamedTuple):
    """What the ladder chart is drawn from: the ladder's goal, its rungs (easiest first; none
    when there is no such ladder) and every entry on them, oldest first."""

    goal: str
    rungs: tuple[Rung, ...]
    history: Sequence[HistoryEntry]


@dataclass(frozen=True, slots=True)
class RungSummary:
    rung: int  # 0 = the easiest
    name: str
    #: the entries that count as a try (``picker.completed_tries``); 0: not tried yet
    count: int
    anticipated: float | None
    actual: float | None

    @property
    def tried(self) -> bool:
        return self.count > 0


@dataclass(frozen=True, slots=True)
class LadderProgress:
    ladder: str
    #: every rung of the ladder, easiest first, tried or not
    rungs: tuple[RungSummary, ...]
    #: entries on its rungs still waiting for their after half (in the date range)
    open_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not any(r.count for r in self.rungs)


def ladder_progress(data: LadderChartData, flt: ChartFilter | None = None) -> LadderProgress:
    """Mean anticipated and actual discomfort of each rung's tries (what counts as a try:
    ``picker.completed_tries``, the rule the Ladders tab and the next-rung suggestion use),
    every rung easiest first; a rung not tried yet has a count of 0 and no means. Only
    entries from ``flt.since`` to ``flt.until`` count."""
    flt = flt or ChartFilter()
    history = [e for e in data.history
               if (flt.since is None or e.attempted_on >= flt.since)
               and (flt.until is None or e.attempted_on <= flt.until)]
    grouped = attempts_by_rung(data.rungs, history)

    def mean(values: list[int]) -> float | None:
        return sum(values) / len(values) if values else None

    summaries = []
    for index, rung in enumerate(data.rungs):
        tries = completed_tries(grouped.get(rung.challenge_uuid, ()))
        summaries.append(RungSummary(
            index, rung.title, len(tries),
            mean([e.anticipated_discomfort for e in tries
                  if e.anticipated_discomfort is not None]),
            mean([e.actual_discomfort for e in tries if e.actual_discomfort is not None])))
    waiting = sum(1 for entries in grouped.values() for e in entries if e.outcome is None)
    return LadderProgress(data.goal, tuple(summaries), waiting)


# -- headline figures ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Headline:
    month_gap: float | None  # this month's average gap
    month_gap_change: float | None  # minus last month's
    brier: float | None


def _month_mean(points: Sequence[GapPoint], first: date, last: date) -> float | None:
    gaps = [p.gap for p in points if first <= p.day <= last]
    return sum(gaps) / len(gaps) if gaps else None


def headline(rows: Iterable[ChartRow], today: date) -> Headline:
    """This calendar month's average gap, its change since last month, and the Brier score
    of every finished ask.  One pass over ``rows`` (which may be an iterator), keeping only
    the two months' rows."""
    month = today.replace(day=1)
    previous = (month - timedelta(days=1)).replace(day=1)
    first, last = max(previous, DATE_MIN), min(today, DATE_MAX)
    recent: list[ChartRow] = []

    def passing() -> Iterator[ChartRow]:
        for row in rows:
            if first <= row.day <= last:
                recent.append(row)
            yield row

    brier = calibration(passing()).brier
    points = rated_points(recent)
    this_gap = _month_mean(points, month, today)
    last_gap = _month_mean(points, previous, month - timedelta(days=1))
    change = None if this_gap is None or last_gap is None else this_gap - last_gap
    return Headline(this_gap, change, brier)


@dataclass(frozen=True, slots=True)
class SelfCheckSeries:
    """The self-check's overall score (1-36) each time it was taken, oldest first."""

    points: tuple[tuple[date, float], ...]
    #: entries within the filter still waiting for their after half (every chart says so)
    open_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.points


def self_check_series(taken: Iterable[tuple[date, float]], flt: ChartFilter,
                      open_count: int = 0) -> SelfCheckSeries:
    """(day, overall score) of each self-check within ``flt``'s dates, oldest first.  The
    overall score is over every kind of asking: the category filter does not apply."""
    return SelfCheckSeries(tuple(sorted(
        ((day, score) for day, score in taken
         if (flt.since is None or day >= flt.since) and (flt.until is None or day <= flt.until)),
        key=lambda point: point[0])), open_count)
