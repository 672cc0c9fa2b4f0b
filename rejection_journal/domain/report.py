"""What a report holds (issue 25), as plain records: services/report.py gathers them,
charts/report.py draws them. No Qt, no Matplotlib, no peewee."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rejection_journal.domain.chart_stats import ChartFilter


class EmptyReportError(ValueError):
    """The period holds no entry: there is nothing to report (never an empty file)."""


@dataclass(frozen=True, slots=True)
class ReportChoice:
    """What the user chose to put in the report."""

    flt: ChartFilter = field(default_factory=ChartFilter)
    #: the entries whose reflection and lesson go in (none: no free text at all)
    entry_uuids: tuple[str, ...] = ()
    #: the names of the people asked, for the entries picked above
    include_names: bool = False


@dataclass(frozen=True, slots=True)
class LadderLine:
    goal: str
    steps: int
    tried: int


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """The first page's numbers (``report --format json`` prints exactly these)."""

    period: str
    since: str | None
    until: str | None
    category: str | None
    entries: int
    open: int
    finished: int
    asks: int
    no: int
    yes: int
    partly: int
    no_response: int
    didnt_ask: int
    #: asks rated before and after (what the gap chart draws)
    rated: int
    mean_anticipated: float | None
    mean_actual: float | None
    #: mean gap (anticipated - actual) over the first and the second half of the rated asks
    gap_first_half: float | None
    gap_second_half: float | None
    #: asks with a predicted chance of no and an answer (the calibration chart's summary)
    predicted: int
    mean_predicted_pct: float | None
    observed_no_pct: float | None
    brier: float | None
    ladders: tuple[LadderLine, ...]
    pause_suggested: bool
    sentences: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """An entry that can be picked: only these texts ever reach the report."""

    uuid: str
    day: date
    ask: str
    outcome: str
    who_asked: str
    reflection: str
    lesson: str


@dataclass(frozen=True, slots=True)
class ReportChart:
    kind: str
    title: str
    data: Any
    sentence: str


@dataclass(frozen=True, slots=True)
class ReportData:
    choice: ReportChoice
    summary: ReportSummary
    #: the first page in words: (heading, paragraph) in order
    paragraphs: tuple[tuple[str, str], ...]
    small_print: str
    charts: tuple[ReportChart, ...]
    entries: tuple[ReportEntry, ...]
    include_names: bool


@dataclass(frozen=True, slots=True)
class SavedReport:
    path: Path
    pages: int
    charts: int
    entries: int
