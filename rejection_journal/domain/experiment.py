"""Each ask as a small experiment: what was feared, whether it happened, what is believed now.

Before an ask the user may name the outcome they fear (``feared_outcome``), how likely it feels
(``fear_likelihood``, 0-100 %) and the safety behaviours they will try without; afterwards
whether it happened (:class:`FearHappened`: no, partly, yes), how likely it feels now
(``fear_likelihood_after``, a re-rating of the same fear), how surprised they were (0-10) and
which safety behaviours they dropped.  All of it is optional.

The numbers (the README's "What you feared, and what happened" states the rules and limits):

*violation*
    how far what happened was from what was expected, in percentage points: the likelihood
    given before minus what happened (no 0, partly 50, yes 100).  Positive: it went better than
    feared.  ``None`` when the likelihood or the answer to "Did it happen?" is missing.
*change*
    the likelihood before minus the likelihood now: how far the belief moved (positive: the
    fear got smaller).  ``None`` when either rating is missing.
*learning rate*
    the change relative to the violation: per entry ``change / violation``, defined only where
    the violation is not zero.  Over many entries: the least-squares slope through the origin
    of change on violation, ``sum(change * violation) / sum(violation ** 2)`` over the entries
    that have both; a zero violation adds nothing to either sum, and ``None`` when no entry
    has a violation other than zero.

Only entries that are asks count: "a rejection that happened to me" has no prediction.

Pure Python: no Qt, no storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from rejection_journal.domain.text_match import match_key

LIKELIHOOD_MIN, LIKELIHOOD_MAX = 0, 100
SURPRISE_MIN, SURPRISE_MAX = 0, 10
#: a safety behaviour in the user's own words: a short line
SAFETY_TEXT_MAX = 100
#: at most this many safety behaviours per entry
SAFETY_MAX = 20
#: how many entries the rolling change averages over (the "What you learned" chart)
ROLLING_ENTRIES = 5


class FearHappened(StrEnum):
    """"Did it happen?"."""

    NO = "no"
    PARTLY = "partly"
    YES = "yes"

    @property
    def label(self) -> str:
        return _HAPPENED_LABELS[self]

    @property
    def share(self) -> float:
        """How much of the feared outcome happened: 0, a half, or all of it."""
        return _HAPPENED_SHARE[self]


_HAPPENED_LABELS = {FearHappened.NO: "No", FearHappened.PARTLY: "Partly",
                    FearHappened.YES: "Yes"}
_HAPPENED_SHARE = {FearHappened.NO: 0.0, FearHappened.PARTLY: 0.5, FearHappened.YES: 1.0}


class AskMode(StrEnum):
    """How the ask was made."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    MESSAGE = "message"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return _MODE_LABELS[self]


_MODE_LABELS = {AskMode.IN_PERSON: "In person", AskMode.PHONE: "By phone",
                AskMode.MESSAGE: "By message", AskMode.ONLINE: "Online"}


class EntryKind(StrEnum):
    """What an entry records: an ask the user made, or a rejection that happened to them."""

    ASK = "ask"
    HAPPENED_TO_ME = "happened_to_me"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {EntryKind.ASK: "An ask I made",
                EntryKind.HAPPENED_TO_ME: "A rejection that happened to me"}

#: the pick-list of safety behaviours: stored key -> what the user reads.  Anything else
#: stored is a behaviour in the user's own words, stored as typed.
SAFETY_BEHAVIOURS: dict[str, str] = {
    "apologising": "Apologising a lot",
    "script": "Rehearsing a script word for word",
    "message_instead": "Asking by message instead of in person",
    "company": "Bringing someone along",
    "no_eye_contact": "Avoiding eye contact",
    "leaving": "Leaving straight away",
}


def safety_label(item: str) -> str:
    """What the user reads for a stored safety behaviour (a listed key, or their own words)."""
    return SAFETY_BEHAVIOURS.get(item, item)


# -- the numbers ------------------------------------------------------------------------------
class Experiment(Protocol):
    """What the numbers read from an entry (an AttemptRecord has all of it)."""

    @property
    def uuid(self) -> str: ...
    @property
    def attempted_on(self) -> date: ...
    @property
    def kind(self) -> EntryKind: ...
    @property
    def feared_outcome(self) -> str: ...
    @property
    def fear_likelihood(self) -> int | None: ...
    @property
    def fear_happened(self) -> FearHappened | None: ...
    @property
    def fear_likelihood_after(self) -> int | None: ...


def violation(likelihood: int | None, happened: FearHappened | None) -> float | None:
    """The likelihood given before minus what happened (0, 50 or 100), in points."""
    if likelihood is None or happened is None:
        return None
    return likelihood - 100 * happened.share


def change(before: int | None, after: int | None) -> int | None:
    """The likelihood before minus the likelihood now (positive: the fear got smaller)."""
    if before is None or after is None:
        return None
    return before - after


def entry_learning_rate(change_: float | None, violation_: float | None) -> float | None:
    """``change / violation`` for one entry; ``None`` where the violation is zero or either
    number is missing."""
    if change_ is None or violation_ is None or violation_ == 0:
        return None
    return change_ / violation_


def learning_rate(pairs: Iterable[tuple[float | None, float | None]]) -> float | None:
    """Over ``(change, violation)`` pairs: ``sum(c * v) / sum(v * v)`` where both are known;
    ``None`` when no known violation is other than zero."""
    top = bottom = 0.0
    for change_, violation_ in pairs:
        if change_ is None or violation_ is None:
            continue
        top += change_ * violation_
        bottom += violation_ * violation_
    return None if bottom == 0 else top / bottom


def is_experiment(entry: Experiment) -> bool:
    """An ask with something of the experiment filled in (a fear named or rated)."""
    return entry.kind is EntryKind.ASK and (
        bool(entry.feared_outcome.strip()) or entry.fear_likelihood is not None)


@dataclass(frozen=True, slots=True)
class ExperimentPoint:
    """One entry's experiment, as the chart and the summary read it."""

    uuid: str
    on: date
    feared_outcome: str
    before: int | None
    after: int | None
    happened: FearHappened | None
    violation: float | None
    change: int | None
    #: mean change over this entry and up to ROLLING_ENTRIES - 1 before it (those with one)
    rolling_change: float | None


def experiment_points(entries: Iterable[Experiment]) -> tuple[ExperimentPoint, ...]:
    """The experiments among ``entries`` (:func:`is_experiment`), oldest first, with the
    rolling mean of the change over the last :data:`ROLLING_ENTRIES` entries that have one."""
    chosen = sorted((e for e in entries if is_experiment(e)), key=lambda e: e.attempted_on)
    points = []
    recent: list[int] = []
    for entry in chosen:
        moved = change(entry.fear_likelihood, entry.fear_likelihood_after)
        if moved is not None:
            recent = [*recent, moved][-ROLLING_ENTRIES:]
        rolling = sum(recent) / len(recent) if recent else None
        points.append(ExperimentPoint(
            entry.uuid, entry.attempted_on, entry.feared_outcome.strip(), entry.fear_likelihood,
            entry.fear_likelihood_after, entry.fear_happened,
            violation(entry.fear_likelihood, entry.fear_happened), moved,
            None if moved is None else rolling))
    return tuple(points)


@dataclass(frozen=True, slots=True)
class ExperimentSummary:
    """Over time: how many experiments, the average change and the learning rate."""

    experiments: int
    average_change: float | None
    learning_rate: float | None
    #: entries left out: not asks (a rejection that happened to me) or with no fear named
    left_out: int


def summarise(entries: Iterable[Experiment]) -> ExperimentSummary:
    items = list(entries)
    points = experiment_points(items)
    changes = [p.change for p in points if p.change is not None]
    return ExperimentSummary(
        len(points), sum(changes) / len(changes) if changes else None,
        learning_rate((p.change, p.violation) for p in points), len(items) - len(points))


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def fear_sentence(points: Sequence[ExperimentPoint]) -> str | None:
    """The headline: the fear named most often (case, accents and spaces ignored; the latest
    wording shown), its first likelihood and its latest re-rating, and how often it happened.

    "Your fear “they'll laugh at me” went from 70 % to 35 % over 12 asks; it happened once."
    ``None`` when no fear is named.
    """
    groups: dict[str, list[ExperimentPoint]] = {}
    for point in points:
        if point.feared_outcome:
            groups.setdefault(match_key(point.feared_outcome), []).append(point)
    if not groups:
        return None
    # most asks; a tie goes to the fear named most recently
    group = max(groups.values(), key=lambda g: (len(g), g[-1].on))
    text = group[-1].feared_outcome
    asks = f"{len(group)} ask{'' if len(group) == 1 else 's'}"
    firsts = [p.before for p in group if p.before is not None]
    lasts = [p.after if p.after is not None else p.before for p in group
             if p.after is not None or p.before is not None]
    happened = sum(1 for p in group if p.happened is FearHappened.YES)
    partly = sum(1 for p in group if p.happened is FearHappened.PARTLY)
    if happened and partly:
        outcome = f"it happened {_times(happened)}, partly {_times(partly)}"
    elif happened:
        outcome = f"it happened {_times(happened)}"
    elif partly:
        outcome = f"it partly happened {_times(partly)}"
    elif any(p.happened is not None for p in group):
        outcome = "it never happened"
    else:
        outcome = "you have not yet said whether it happened"
    if firsts and lasts:
        return (f"Your fear “{text}” went from {firsts[0]} % to {lasts[-1]} % over {asks}; "
                f"{outcome}.")
    return f"You named the fear “{text}” in {asks}; {outcome}."

