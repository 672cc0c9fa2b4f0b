"""The report as a PDF: a first page in words, one page per chart that has data, then the
reflections and lessons of the entries the user picked (only those).

Every page carries the period and its number ("Page 2 of 5"); the PDF has a title and a
subject, its fonts are embedded as TrueType (``pdf.fonttype`` 42, so ``pdftotext`` and
screen readers get the words) and the charts use the print theme, which reads in grey.
No Qt here; services/report.py gathers what goes in.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from rejection_journal.charts.registry import kind_named
from rejection_journal.charts.theme import PRINT
from rejection_journal.fileio import atomic_target

if TYPE_CHECKING:
    from rejection_journal.domain.report import ReportData, ReportEntry

#: A4 portrait, in inches
PAGE = (8.27, 11.69)
LEFT, RIGHT, TOP, BOTTOM = 0.09, 0.91, 0.93, 0.07
TITLE = "A report from my rejection journal"
INK, MUTED = "#111827", "#4b5563"
#: characters per line of body text (10 pt DejaVu Sans across the text width)
WRAP = 92


class _TextPages:
    """Pages of text written from the top down; a new page when one is full."""

    def __init__(self) -> None:
        self.pages: list[Figure] = []
        self._y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        self.pages.append(Figure(figsize=PAGE))
        self._y = TOP - 0.04

    def _room(self, height: float) -> None:
        if self._y - height < BOTTOM + 0.03:
            self._new_page()

    def line(self, text: str, *, size: float = 10, weight: str = "normal",
             colour: str = INK, gap: float = 0.0) -> None:
        height = size / 72 * 1.45 / PAGE[1]
        self._room(height + gap)
        self._y -= gap
        self.pages[-1].text(LEFT, self._y, text, fontsize=size, fontweight=weight,
                            color=colour, va="top", ha="left")
        self._y -= height

    def paragraph(self, text: str, *, size: float = 10, colour: str = INK,
                  gap: float = 0.006, width: int = WRAP) -> None:
        wrapped = textwrap.wrap(text, width=round(width * 10 / size)) or [""]
        for index, line in enumerate(wrapped):
            self.line(line, size=size, colour=colour, gap=gap if index == 0 else 0.0)

    def heading(self, text: str, *, size: float = 12, keep: float = 0.0) -> None:
        """A bold line; ``keep``: room (page fraction) to keep below it on the same page."""
        self._room(keep + 0.04)
        self.line(text, size=size, weight="bold", gap=0.018)


def _first_page(data: ReportData) -> list[Figure]:
    pages = _TextPages()
    pages.line(TITLE, size=18, weight="bold")
    pages.line(data.summary.period, size=12, colour=MUTED, gap=0.004)
    for heading, text in data.paragraphs:
        pages.heading(heading)
        pages.paragraph(text)
    if data.charts:
        pages.heading("What follows")
        pages.paragraph("One page per chart, each with the same words a screen reader "
                        "gives: " + ", ".join(chart.title for chart in data.charts) + ".")
    elif data.summary.finished:
        pages.heading("Charts")
        pages.paragraph("There are too few finished asks in this time for charts to say "
                        "much yet, so there are no chart pages.")
    if data.entries:
        pages.paragraph(f"Then the reflections and lessons of the {len(data.entries):,} "
                        f"entr{'y' if len(data.entries) == 1 else 'ies'} you chose to "
                        "include.", gap=0.01)
    else:
        pages.paragraph("No reflections, lessons or names of the people you asked are "
                        "included: this report holds numbers.", gap=0.01)
    pages.line("", gap=0.01)
    pages.paragraph(data.small_print, size=7.5, colour=MUTED)
    return pages.pages


def _chart_page(kind: str, chart_data: object, sentence: str) -> Figure:
    """The chart in the upper part of the page, its own caption below it, then its
    sentence; the title at the top (moved inside the page's margins)."""
    page = Figure(figsize=PAGE)
    figure = kind_named(kind).build(chart_data, PRINT, figure=page)
    heading, caption = figure.get_suptitle(), figure.get_supxlabel()
    figure.suptitle(heading, x=LEFT, y=TOP, ha="left", va="top", fontsize=13,
                    fontweight="bold", color=INK)
    below = 0.44
    if caption:
        figure.supxlabel(caption, x=LEFT, y=below, ha="left", va="top", fontsize=8,
                         color=MUTED, linespacing=1.4)
    engine = figure.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(LEFT - 0.04, below + 0.01, RIGHT - LEFT + 0.06,
                         TOP - 0.035 - below - 0.01))
    y = below - 0.012 * (caption.count("\n") + 1) - 0.04
    for line in textwrap.wrap(sentence, WRAP):
        figure.text(LEFT, y, line, fontsize=10, color=INK, va="top")
        y -= 10 / 72 * 1.45 / PAGE[1]
    return figure


def _entry_pages(entries: tuple[ReportEntry, ...], include_names: bool) -> list[Figure]:
    pages = _TextPages()
    pages.line("Reflections and lessons you chose to include", size=14, weight="bold")
    for entry in entries:
        pages.heading(f"{entry.day.day} {entry.day:%B %Y}: {entry.ask}", size=11, keep=0.06)
        said = f"What happened: {entry.outcome}."
        if include_names and entry.who_asked:
            said += f" Asked: {entry.who_asked}."
        pages.paragraph(said, colour=MUTED, gap=0.002)
        if entry.reflection:
            pages.paragraph("Reflection: " + entry.reflection)
        if entry.lesson:
            pages.paragraph("Lesson: " + entry.lesson)
    return pages.pages


def report_pages(data: ReportData) -> list[Figure]:
    """Every page of the report, numbered, with the period on each."""
    pages = _first_page(data)
    pages += [_chart_page(c.kind, c.data, c.sentence) for c in data.charts]
    if data.entries:
        pages += _entry_pages(data.entries, data.include_names)
    total = len(pages)
    for number, page in enumerate(pages, 1):
        page.text(LEFT, BOTTOM - 0.03, f"Rejection Journal report · {data.summary.period}",
                  fontsize=8, color=MUTED, va="bottom")
        page.text(RIGHT, BOTTOM - 0.03, f"Page {number} of {total}", fontsize=8,
                  color=MUTED, va="bottom", ha="right")
    return pages


def save_report_pdf(data: ReportData, path: Path) -> int:
    """Write the report to ``path`` atomically (a whole PDF or nothing); the page count."""
    pages = report_pages(data)
    metadata = {
        "Title": f"{TITLE}, {data.summary.period}",
        "Subject": "What I tried, what I feared, what happened and what I learned: "
                   f"{data.summary.entries:,} entries, {data.summary.period}",
        "Keywords": "rejection journal, rejection therapy, report",
        "Creator": "Rejection Journal",
        "CreationDate": None,
    }
    with matplotlib.rc_context({"pdf.fonttype": 42}), atomic_target(path) as tmp, \
            PdfPages(tmp, metadata=metadata) as pdf:
        for page in pages:
            pdf.savefig(page)
    return len(pages)
