"""Issue 21: no combination of the experiment's optional fields (and the kinds of entry and
waiting) breaks saving, the JSON and CSV exports, the import, or the charts."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rejection_journal.charts.describe import describe
from rejection_journal.charts.registry import kind_named
from rejection_journal.domain.after_half import keep_applicable
from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import (
    SAFETY_BEHAVIOURS,
    AskMode,
    EntryKind,
    FearHappened,
)
from rejection_journal.domain.records import AttemptRecord, is_blank
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.storage import Journal
from rejection_journal.storage.export import attempt_to_dict, export_csv, export_document
from rejection_journal.storage.import_schema import parse_document
from rejection_journal.storage.merge import apply_import

TODAY = date(2026, 12, 6)
_SETTINGS = settings(max_examples=25, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow,
                                            HealthCheck.function_scoped_fixture])

_safety = st.lists(st.one_of(st.sampled_from(list(SAFETY_BEHAVIOURS)),
                             st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl",
                                                                         "Zp")),
                                     min_size=1, max_size=20).filter(
                                         lambda text: not is_blank(text))),
                   max_size=4, unique=True).map(tuple)
_likelihood = st.none() | st.integers(0, 100)


@st.composite
def entries(draw: st.DrawFn) -> AttemptRecord:
    """Any valid combination: the experiment's fields given or not, either kind, waiting or
    answered (the after fields only with an outcome, as the one rule says)."""
    outcome = draw(st.none() | st.sampled_from(list(Outcome)))
    waiting = outcome is None and draw(st.booleans())
    after = keep_applicable(outcome, {
        "fear_happened": draw(st.none() | st.sampled_from(list(FearHappened))),
        "fear_likelihood_after": draw(_likelihood),
        "surprise": draw(st.none() | st.integers(0, 10)),
        "safety_dropped": draw(_safety)})
    return AttemptRecord(
        ask=draw(st.sampled_from(("Ask for a discount", "Apply for the job", "Ça va?"))),
        attempted_on=TODAY - timedelta(days=draw(st.integers(0, 400))),
        outcome=outcome, kind=draw(st.sampled_from(list(EntryKind))),
        ask_mode=draw(st.none() | st.sampled_from(list(AskMode))),
        feared_outcome=draw(st.sampled_from(("", "They'll laugh", "  I'll freeze  "))),
        fear_likelihood=draw(_likelihood), safety_behaviours=draw(_safety),
        awaiting_answer=waiting,
        follow_up_on=(TODAY + timedelta(days=draw(st.integers(-30, 30)))
                      if waiting and draw(st.booleans()) else None),
        **after).validated()


def _source(service: JournalService) -> Any:
    return service


def test_any_combination_saves_exports_imports_and_charts(journal: Journal,
                                                          tmp_path: Path) -> None:
    service = JournalService(journal, clock=FixedClock(TODAY))
    learned = kind_named("learned")
    ran = 0

    @_SETTINGS
    @given(st.lists(entries(), min_size=1, max_size=6))
    def check(records: list[AttemptRecord]) -> None:
        nonlocal ran
        ran += 1
        saved = [service.save(record) for record in records]
        for record in saved:
            assert journal.attempt(record.uuid) == record
        document = export_document(journal)
        again = parse_document(json.dumps(document))
        by_uuid = {a.uuid: a for a in again.attempts}
        for record in saved:
            assert attempt_to_dict(by_uuid[record.uuid]) == attempt_to_dict(record)
        assert export_csv(journal, tmp_path / "out.csv") == len(document["attempts"])
        data = learned.load(_source(service), ChartFilter())
        figure = learned.figure(data)
        figure.draw_without_rendering()
        assert describe("learned", data).endswith(".")
        assert learned.csv(data)[0]
        for record in saved:
            service.delete(record.uuid)
        # imported back whole
        assert apply_import(journal, again).added_attempts == len(saved)
        for record in saved:
            assert journal.attempt(record.uuid) == record
            service.delete(record.uuid)

    check()
    assert ran >= 15
