"""Fear ladders as the UI shows them: each rung with what the user's history says about it.

Pure Python, no Qt, no storage. The ladder itself (:class:`~rejection_journal.domain.picker.
Ladder`, a goal and its :class:`~rejection_journal.domain.picker.Rung` s, easiest first) and
the next-rung rule (:func:`~rejection_journal.domain.picker.next_rung`) live in
:mod:`rejection_journal.domain.picker`; this module adds

* :func:`validated_ladder`: the value rules a ladder must follow before it is stored;
* :func:`rung_stats`: per rung, the latest anticipated and actual discomfort and how many
  entries it has, computed from past entries;
* :func:`ladder_overview`: the ladder, those stats and the suggested next rung, in one record;
* :func:`with_variety`: the variety rule.  When a rung has become calm (settled: the
  next-rung rule would move up, or say the top is reached) and every try there that says how
  the ask was made used the same way (in person, phone, message, online), the suggestion is
  that rung once more, made a different way (the first way in :class:`AskMode` order not yet
  used there), before moving up: varied practice makes the learning stick.  One such try in a
  different way is enough (a "once more", not a new rung); tries that do not say how they
  were made neither ask for it nor count as it, so entries written before ways were recorded
  change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from rejection_journal.domain.experiment import AskMode
from rejection_journal.domain.picker import (
    HistoryEntry,
    Ladder,
    Rung,
    Step,
    Suggestion,
    attempts_by_rung,
    completed_tries,
    next_rung,
)
from rejection_journal.domain.records import (
    LEVEL_MAX,
    LEVEL_MIN,
    TITLE_MAX,
    ValidationError,
    check_int_range,
    check_text,
)

#: a ladder holds at most this many rungs (a hierarchy of fears is usually 5-15 steps)
MAX_RUNGS = 50


def validated_ladder(ladder: Ladder) -> Ladder:
    """Return ``ladder`` if it can be stored, else raise :class:`ValidationError`.

    The goal is required text of at most 300 characters; rungs name a challenge each, at most
    :data:`MAX_RUNGS`, and no challenge twice (a step is climbed once).
    """
    try:
        check_text(ladder.goal, "goal", limit=TITLE_MAX, required=True)
    except ValidationError as exc:
        raise ValidationError("goal", exc.message, label="Goal") from None
    if not isinstance(ladder.rungs, tuple):
        raise ValidationError("rungs", "must be a list of steps", label="Steps")
    if len(ladder.rungs) > MAX_RUNGS:
        raise ValidationError("rungs", f"a ladder holds at most {MAX_RUNGS} steps, not "
                              f"{len(ladder.rungs)}", label="Steps")
    seen: set[str] = set()
    for rung in ladder.rungs:
        if not isinstance(rung, Rung) or not isinstance(rung.challenge_uuid, str) \
                or not rung.challenge_uuid:
            raise ValidationError("rungs", "each step must name a challenge", label="Steps")
        if rung.challenge_uuid in seen:
            title = rung.title or rung.challenge_uuid
            raise ValidationError("rungs", f"“{title}” is on this ladder twice",
                                  label="Steps")
        seen.add(rung.challenge_uuid)
        if rung.level is not None:
            check_int_range(rung.level, "level", LEVEL_MIN, LEVEL_MAX, optional=False)
    return ladder


@dataclass(frozen=True, slots=True)
class RungStats:
    """What the user's entries say about one rung.

    ``attempts`` counts the entries that count as a try (``picker.completed_tries``, the one
    rule the next-rung suggestion uses too: asked, answered, felt discomfort rated; an open
    entry or a "didn't ask" is not a try); ``latest_anticipated``/``latest_actual`` are the
    ratings of the latest try (both from the same entry), ``None`` before the first;
    ``last_on`` that try's date.
    """

    index: int  # 0 = the easiest rung
    rung: Rung
    attempts: int
    latest_anticipated: int | None
    latest_actual: int | None
    last_on: date | None


def rung_stats(rungs: Iterable[Rung], history: Iterable[HistoryEntry]) -> tuple[RungStats, ...]:
    """Per rung, in ladder order: entries, latest anticipated and actual discomfort.

    ``history`` may hold any entries (only those of the rungs' challenges count); entries on
    the same day count in the order given, so pass them oldest first.
    """
    rungs = tuple(rungs)
    grouped = attempts_by_rung(rungs, history)
    out = []
    for index, rung in enumerate(rungs):
        tries = completed_tries(grouped.get(rung.challenge_uuid, ()))
        latest = tries[-1] if tries else None
        out.append(RungStats(index, rung, len(tries),
                             None if latest is None else latest.anticipated_discomfort,
                             None if latest is None else latest.actual_discomfort,
                             None if latest is None else latest.attempted_on))
    return tuple(out)


#: what a rung without a try says (the Ladders tab, ``ladders``, the ladder chart)
NOT_TRIED_YET = "not tried yet"


def rung_summary(stats: RungStats) -> str:
    """"2 tries · last: expected 6, felt 3" (or "not tried yet"): a rung's tries and the
    ratings of the latest, as the Ladders tab and ``rejection-journal ladders`` say it."""
    if stats.attempts == 0:
        return NOT_TRIED_YET
    said = f"{stats.attempts} tr{'y' if stats.attempts == 1 else 'ies'}"
    ratings = [f"{name} {value}" for name, value in
               (("expected", stats.latest_anticipated), ("felt", stats.latest_actual))
               if value is not None]
    return said + (" · last: " + ", ".join(ratings) if ratings else "")


@dataclass(frozen=True, slots=True)
class LadderOverview:
    """A ladder as its view shows it: the ladder, each rung's stats, the suggested next rung."""

    ladder: Ladder
    rungs: tuple[RungStats, ...]
    suggestion: Suggestion


def _ways(entries: Iterable[HistoryEntry]) -> set[AskMode]:
    """The ways the tries among ``entries`` were made (those that say)."""
    return {mode for entry in completed_tries(entries)
            if isinstance(mode := getattr(entry, "ask_mode", None), AskMode)}


def with_variety(suggestion: Suggestion, grouped: Mapping[str, Iterable[HistoryEntry]],
                 rungs: tuple[Rung, ...]) -> Suggestion:
    """``suggestion`` (from :func:`next_rung`), or the settled rung once more in a different
    way (see the module docstring: the variety rule)."""
    if suggestion.index is None:
        return suggestion
    if suggestion.step is Step.MOVE_UP:
        calm = suggestion.index - 1
    elif suggestion.step is Step.TOP:
        calm = suggestion.index
    else:
        return suggestion
    rung = rungs[calm]
    ways = _ways(grouped.get(rung.challenge_uuid, ()))
    if len(ways) != 1:
        return suggestion
    (used,) = ways
    other = next(mode for mode in AskMode if mode is not used)
    return Suggestion(
        Step.VARY, calm, rung,
        f"This step has become calm — do it once more {other.label.lower()} instead of "
        f"{used.label.lower()} before moving up: practising in a different way makes what "
        "you learned stick.")


def suggest(rungs: tuple[Rung, ...], history: Iterable[HistoryEntry]) -> Suggestion:
    """The next-rung suggestion with the variety rule (:func:`with_variety`)."""
    grouped = attempts_by_rung(rungs, history)
    return with_variety(next_rung(rungs, grouped), grouped, rungs)


def ladder_overview(ladder: Ladder, history: Iterable[HistoryEntry]) -> LadderOverview:
    """The ladder with its per-rung stats and the next-rung suggestion (:func:`suggest`)."""
    entries = list(history)
    return LadderOverview(ladder, rung_stats(ladder.rungs, entries),
                          suggest(ladder.rungs, entries))


@dataclass(frozen=True, slots=True)
class DeletedLadder:
    """A ladder as it was when deleted, and the runs that were on it (they lose the link):
    everything :meth:`Journal.restore_ladder` needs to bring it back for an undo."""

    ladder: Ladder
    run_uuids: tuple[str, ...] = ()
