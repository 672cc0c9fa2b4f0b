"""The chart kinds' names, titles and plotted fields, importable without Matplotlib (the
pane's selector and its change filter need them before the chart has loaded). The registry
(:mod:`rejection_journal.charts.registry`) adds loaders, builders and CSV to each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KindInfo:
    name: str
    title: str
    description: str
    #: the entry fields the kind plots: a change to anything else does not redraw it
    plotted_fields: frozenset[str]


#: what every kind's filter uses: the date and the challenge (its category)
_FILTERED = frozenset({"attempted_on", "challenge_uuid"})

KIND_INFO: tuple[KindInfo, ...] = (
    KindInfo("gap", "Anticipated vs actual discomfort",
             "how much you feared each ask against how it felt, and the gap over time",
             _FILTERED | {"anticipated_discomfort", "actual_discomfort", "outcome"}),
    KindInfo("calibration", "Predicted vs actual chance of no",
             "how often a no came against the chance you predicted (Brier score)",
             _FILTERED | {"predicted_no_chance", "outcome"}),
    KindInfo("belief", "Belief update",
             "how each ask changed what you expect next time",
             _FILTERED | {"anticipated_discomfort", "predicted_no_chance",
                          "next_discomfort", "next_no_chance"}),
    KindInfo("outcomes", "Outcomes over time",
             "what happened (no, yes, partly, no response, didn't ask) per week or month",
             _FILTERED | {"outcome"}),
    KindInfo("reasons", "Reasons over time",
             "why the answer was no, per week or month",
             _FILTERED | {"outcome", "reasons"}),
    # Ladders come with issue 8: the field linking an entry to its rung goes here.
    KindInfo("ladder", "Ladder progress",
             "anticipated vs actual discomfort per rung of a fear ladder",
             _FILTERED | {"anticipated_discomfort", "actual_discomfort"}),
    # the self-check's results (Build my plan), not entries: only the open-entries note
    # (like every chart's) follows the entries
    KindInfo("self-check", "Self-check over time",
             "your overall self-check score each time you took it",
             _FILTERED | {"outcome"}),
    # issue 21: each ask as a small experiment
    KindInfo("learned", "What you learned",
             "how likely your fear felt before each ask and afterwards, whether it happened, "
             "and how far it moved",
             _FILTERED | {"kind", "feared_outcome", "fear_likelihood", "fear_happened",
                          "fear_likelihood_after"}),
)

KIND_NAMES = tuple(info.name for info in KIND_INFO)

#: what the pane's headline (this month's gap, the Brier score) and every caption's count of
#: open entries read, whatever the kind
HEADLINE_FIELDS = frozenset({"attempted_on", "challenge_uuid", "anticipated_discomfort",
                             "actual_discomfort", "predicted_no_chance", "outcome"})
#: per kind, the entry fields the pane shows (the kind's plot, its caption and the headline):
#: a change to anything else does not redraw it
SHOWN_FIELDS: dict[str, frozenset[str]] = {
    info.name: info.plotted_fields | HEADLINE_FIELDS for info in KIND_INFO
}
#: any field any kind shows: a change to one of these makes a pane's cached rows stale
ANY_SHOWN = frozenset().union(*SHOWN_FIELDS.values())
