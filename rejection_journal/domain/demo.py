"""Realistic synthetic attempts for demos, screenshots and benchmarks (never for real journals)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from rejection_journal.domain.enums import Category, Outcome, Reason
from rejection_journal.domain.experiment import (
    SAFETY_BEHAVIOURS,
    AskMode,
    EntryKind,
    FearHappened,
)
from rejection_journal.domain.picker import Ladder, Rung
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord
from rejection_journal.domain.runs import RunRecord

_FEELINGS_BEFORE = (
    "Tight chest, kept rehearsing the words.",
    "Nervous but curious.",
    "Almost talked myself out of it.",
    "Calmer than last time.",
    "Butterflies, sweaty palms.",
)
_FEELINGS_AFTER = (
    "Relieved. It was over in ten seconds.",
    "A bit flat, then fine.",
    "Proud that I asked at all.",
    "Embarrassed for a minute, then it passed.",
    "Lighter than I expected.",
)
_REFLECTIONS = (
    "They were busy; it had nothing to do with me.",
    "Nobody laughed. The worst case did not happen.",
    "I rushed the question. Slower next time.",
    "Asking why gave me a useful answer.",
    "The no was polite and quick.",
)
_LESSONS = (
    "Ask earlier in the day.",
    "Smile and pause after asking.",
    "A no is information, not a verdict.",
    "Smaller steps still count.",
    "Say thank you either way.",
)


MAX_SPAN_DAYS = 3650


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0))


#: where a demo item's UUID comes from: given the seeded generator, a UUID
UuidSource = Callable[[random.Random], str]


def seeded_uuid(rng: random.Random) -> str:
    """A UUID drawn from the seeded generator: the same seed, the same UUIDs (tests,
    benchmarks, fixtures; never a journal's demo data, see :func:`fresh_uuid`)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def fresh_uuid(rng: random.Random) -> str:
    """A new random UUID whatever the seed, so demo items never share a UUID across
    journals.  The seeded generator still draws its 128 bits: the content a seed gives
    stays exactly what it was."""
    rng.getrandbits(128)
    return str(uuid.uuid4())


def generate_attempts(
    challenges: Sequence[ChallengeRecord], count: int, *, today: date, seed: int = 0,
    now: datetime | None = None, new_uuid: UuidSource = seeded_uuid,
) -> list[AttemptRecord]:
    """``count`` attempts spread over past days, oldest first, with the gap slowly closing.

    The most recent few attempts are left open (no after half yet), as in a real journal.
    ``today`` is the local day the demo ends on (the caller asks its clock).  No timestamp is
    later than ``now`` (UTC; default: the start of ``today``): demo data exported just after
    midnight must not look as if it came from a clock running ahead.  ``new_uuid``
    gives each attempt its UUID (default: from the seed; :func:`fresh_uuid` for a journal).
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if not challenges:
        raise ValueError("need at least one challenge")
    rng = random.Random(seed)
    # The belief update and hopefulness (schema 3) draw from their own generator, so the
    # entries the same seed gave before stay exactly as they were.
    belief_rng = random.Random(f"belief-{seed}")
    latest = (now or _start_of(today)).replace(second=0, microsecond=0)
    # Roughly one attempt every 1-3 days, ending today; past ten years' worth, the same ten
    # years get busier instead of reaching back into history.
    spread = min(1.0, MAX_SPAN_DAYS / max(1, count * 1.6))
    offsets: list[int] = []
    day = 0.0
    for _ in range(count):
        offsets.append(int(day))
        day += rng.choice((0, 1, 1, 1, 2, 2, 3)) * spread
    offsets.reverse()
    sorted_challenges = sorted(challenges, key=lambda c: c.level)
    open_tail = min(2, count // 10)
    attempts: list[AttemptRecord] = []
    for i, offset in enumerate(offsets):
        progress = i / max(count - 1, 1)  # 0 = first attempt, 1 = latest
        # Climb the library slowly: a few rungs at a time, never straight to the hardest asks.
        ladder_pos = min(len(sorted_challenges) - 1,
                         int(progress * 0.8 * len(sorted_challenges)))
        pool = sorted_challenges[max(0, ladder_pos - 6) : ladder_pos + 1]
        challenge = rng.choice(pool)
        # Fear of the next ask eases as practice builds, even as the ladder climbs.
        anticipated = _clamp(rng.gauss(7.8 - 3.5 * progress + (challenge.level - 5) * 0.2, 1.0),
                             0, 10)
        predicted = _clamp(rng.gauss(75 - 30 * progress, 12), 0, 100)
        attempted_on = today - timedelta(days=offset)
        stamp = min(latest, datetime.combine(attempted_on,
                                             time(9 + rng.randrange(10), rng.randrange(60))))
        record = AttemptRecord(
            uuid=new_uuid(rng),
            ask=challenge.title,
            challenge_uuid=challenge.uuid,
            attempted_on=attempted_on,
            anticipated_discomfort=anticipated,
            predicted_no_chance=predicted,
            feelings_before=rng.choice(_FEELINGS_BEFORE),
            worst_case="They laugh at me." if rng.random() < 0.5 else "An awkward silence.",
            created_at=stamp,
            updated_at=stamp,
        )
        if i < count - open_tail:
            roll = rng.random()
            if roll < 0.45:
                outcome = Outcome.NO
            elif roll < 0.75:
                outcome = Outcome.YES
            elif roll < 0.87:
                outcome = Outcome.PARTIAL
            elif roll < 0.95:
                outcome = Outcome.NO_RESPONSE
            else:
                outcome = Outcome.DIDNT_ASK
            # Early on reality is far kinder than the fear; later the predictions calibrate.
            relief = 3.8 - 2.8 * progress
            actual = _clamp(rng.gauss(anticipated - relief, 1.3), 0, 10)
            reason = rng.choice(list(Reason)) if outcome.can_have_reason else None
            record = record.replace(
                outcome=outcome,
                actual_discomfort=actual,
                feelings_after=rng.choice(_FEELINGS_AFTER),
                reasons=(reason,) if reason is not None else (),
                asked_why=reason is not None and rng.random() < 0.4,
                reflection=rng.choice(_REFLECTIONS),
                lesson=rng.choice(_LESSONS),
                updated_at=min(latest, stamp + timedelta(hours=8)),
            )
            if outcome.was_asked:
                # Next time's prediction moves part of the way towards what happened.
                rejected = 100 if outcome.is_rejection else 0
                record = record.replace(
                    next_discomfort=_clamp((anticipated + actual) / 2
                                           + belief_rng.gauss(0, 0.7), 0, 10),
                    next_no_chance=_clamp((predicted + rejected) / 2
                                          + belief_rng.gauss(0, 8), 0, 100),
                    hopefulness=_clamp(belief_rng.gauss(0.6, 0.9), -2, 2),
                )
        attempts.append(record.validated())
    return attempts


# -- ladders and a run (issue 8) ----------------------------------------------------------------

#: the demo's ladders: a goal and the category its rungs come from
DEMO_LADDERS = (
    ("Ask for a raise", Category.CAREER),
    ("Make new friends in town", Category.SOCIAL),
    ("Pitch my own ideas", Category.CREATIVE),
)


@dataclass(frozen=True, slots=True)
class DemoData:
    """What ``rejection-journal demo`` writes: entries, fear ladders and one challenge run."""

    attempts: list[AttemptRecord]
    ladders: list[Ladder]
    runs: list[RunRecord]


def _demo_rungs(challenges: Sequence[ChallengeRecord], category: Category, size: int,
                rng: random.Random) -> tuple[Rung, ...]:
    """``size`` challenges of ``category`` from easy to hard, at distinct levels if possible."""
    pool = sorted((c for c in challenges if c.category is category and not c.archived),
                  key=lambda c: (c.level, c.title))
    by_level: dict[int, list[ChallengeRecord]] = {}
    for c in pool:
        by_level.setdefault(c.level, []).append(c)
    levels = sorted(by_level)
    if len(levels) >= size:
        step = (len(levels) - 1) / max(size - 1, 1)
        picked = [rng.choice(by_level[levels[round(i * step)]]) for i in range(size)]
    else:
        picked = sorted(rng.sample(pool, min(size, len(pool))), key=lambda c: c.level)
    return tuple(Rung(c.uuid, c.title, c.level) for c in picked)


def _ladder_attempts(ladder: Ladder, climbed: int, end: date, rng: random.Random,
                     latest: datetime, new_uuid: UuidSource) -> list[AttemptRecord]:
    """Entries climbing ``ladder``: the first ``climbed`` rungs settled (discomfort coming
    down over two or three tries), then a first try at the next rung; the last one on ``end``."""
    plan: list[tuple[Rung, int, int]] = []  # (rung, anticipated, actual)
    for index, rung in enumerate(ladder.rungs[: climbed + 1]):
        start = 6 + min(index, 2)  # the first try at a harder rung feels harder
        if index < climbed:  # settled: the last two tries felt calm
            actuals = [start - 1, 3, 2 - (index % 2)]
        else:  # the current rung: tried, still hard
            actuals = [start - 1, start - 2][: 1 + index % 2]
        for t, actual in enumerate(actuals):
            anticipated = _clamp(start + 1.5 - 0.8 * t + rng.gauss(0, 0.4), 0, 10)
            plan.append((rung, anticipated, _clamp(actual, 0, 10)))
    out = []
    day = end - timedelta(days=3 * (len(plan) - 1))
    for rung, anticipated, actual in plan:
        stamp = min(latest, datetime.combine(day, time(10 + rng.randrange(8), rng.randrange(60))))
        outcome = rng.choice((Outcome.NO, Outcome.NO, Outcome.YES, Outcome.PARTIAL))
        reason = rng.choice(list(Reason)) if outcome.can_have_reason else None
        out.append(AttemptRecord(
            uuid=new_uuid(rng), ask=rung.title, challenge_uuid=rung.challenge_uuid,
            attempted_on=day, anticipated_discomfort=anticipated,
            predicted_no_chance=_clamp(rng.gauss(65, 10), 0, 100),
            feelings_before=rng.choice(_FEELINGS_BEFORE), worst_case="An awkward silence.",
            outcome=outcome, actual_discomfort=actual,
            feelings_after=rng.choice(_FEELINGS_AFTER),
            reasons=(reason,) if reason is not None else (),
            reflection=rng.choice(_REFLECTIONS), lesson=rng.choice(_LESSONS),
            created_at=stamp, updated_at=stamp,
        ).validated())
        day += timedelta(days=3)
    return out


def generate_demo(
    challenges: Sequence[ChallengeRecord], count: int, *, seed: int = 0,
    today: date, now: datetime | None = None,
    new_uuid: UuidSource = fresh_uuid,
) -> DemoData:
    """``count`` entries (:func:`generate_attempts`), 2-3 fear ladders of 4-6 rungs each from
    ``challenges`` (easiest first) and one 30-day run on the first ladder, started 12 days ago.

    Some of the entries climb the ladders, their actual discomfort coming down over the tries
    so the ladder chart and the next-rung suggestion have something to show; the first
    ladder is the one worked on most recently.  The other entries never use a rung's
    challenge.  Same seed, same content; the UUIDs are new each time (``new_uuid``), so
    two journals' demo items never share one (an export of one imported into the other must
    not take the other's demo items for its own).
    """
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(f"ladders-{seed}")
    latest = (now or _start_of(today)).replace(second=0, microsecond=0)
    stamp = min(latest, datetime.combine(today - timedelta(days=90), time(8)))
    ladders = []
    for goal, category in DEMO_LADDERS[: 2 + rng.randrange(2)]:
        rungs = _demo_rungs(challenges, category, rng.randint(4, 6), rng)
        if len(rungs) >= 2:
            ladders.append(Ladder(goal, rungs, new_uuid(rng), created_at=stamp,
                                  updated_at=stamp))
    ladder_entries: list[AttemptRecord] = []
    budget = count // 3
    for index, ladder in enumerate(ladders):
        climbed = max(0, min(len(ladder.rungs) - 1, 2 - index))
        entries = _ladder_attempts(ladder, climbed, today - timedelta(days=1 + 9 * index),
                                   rng, latest, new_uuid)
        entries = entries[-budget:] if budget else []  # the latest, within the budget
        budget -= len(entries)
        ladder_entries.extend(entries)
    used = {r.challenge_uuid for ladder in ladders for r in ladder.rungs}
    rest = [c for c in challenges if c.uuid not in used] or list(challenges)
    attempts = generate_attempts(rest, count - len(ladder_entries), seed=seed, today=today,
                                 now=now, new_uuid=new_uuid) \
        if count - len(ladder_entries) > 0 else []
    merged = sorted([*attempts, *ladder_entries], key=lambda a: (a.attempted_on, a.created_at))
    merged = with_experiments(merged, ladders, seed=seed, today=today)
    started = today - timedelta(days=11)
    runs = [RunRecord(started, 30, new_uuid(rng), ladder_uuid=ladders[0].uuid if ladders
                      else None, created_at=stamp, updated_at=stamp)]
    return DemoData(merged, ladders, runs)


# -- experiments, waiting entries and rejections that happened (issue 21) ----------------------

#: what the demo's asks fear, and (by ladder goal) what each ladder's asks fear
_FEARS = ("They'll laugh at me", "I'll freeze and go red", "They'll think I'm rude",
          "An awkward silence")
_LADDER_FEARS = {"Ask for a raise": "My manager will think I'm ungrateful",
                 "Make new friends in town": "They'll be polite but never reply",
                 "Pitch my own ideas": "They'll say the idea is naive"}
#: rejections that happened to me: (what happened, who, feelings, reflection, lesson)
_HAPPENED = (
    ("My sister said she couldn't come to my birthday dinner", "My sister",
     "Hurt, then a bit silly for being hurt.", "She has two small kids and a night shift.",
     "Ask her what would work instead of waiting to be invited."),
    ("A date said they didn't feel a spark", "Sam", "Stung, but it was kind and clear.",
     "Two coffees is not a verdict on me.", "Clear answers are a gift."),
    ("My colleague turned down my offer to help with the report", "Priya",
     "Embarrassed for an afternoon.", "She wanted to own it; that is fair.",
     "Offer once, then let it be."),
)
_WAITING = ("Apply for the volunteer coordinator role", "Send my short story to a magazine",
            "Message the climbing club about joining the Tuesday group")


def with_experiments(attempts: list[AttemptRecord], ladders: Sequence[Ladder], *, seed: int,
                     today: date) -> list[AttemptRecord]:
    """``attempts`` filled in as small experiments: most asks name a fear, rate how likely it
    feels and (once answered) whether it happened and how likely it feels now, the fear
    fading with practice and over each ladder; some list safety behaviours to try without,
    and say how the ask was made; some reasons come in twos and threes.  Three of the
    answered entries become rejections that happened to the user and three recent ones wait
    for an answer (one of them due to be followed up today).  Same seed, same content; the
    count of entries does not change."""
    rng = random.Random(f"experiments-{seed}")
    ladder_fear = {r.challenge_uuid: _LADDER_FEARS.get(ladder.goal, _FEARS[0])
                   for ladder in ladders for r in ladder.rungs}
    tries: dict[str, int] = {}
    out: list[AttemptRecord] = []
    count = len(attempts)
    for i, record in enumerate(attempts):
        progress = i / max(count - 1, 1)
        fear = ladder_fear.get(record.challenge_uuid or "")
        if fear is None and rng.random() < 0.35:
            out.append(record)
            continue
        fear = fear or rng.choice(_FEARS)
        tries[fear] = tries.get(fear, 0) + 1
        before = _clamp(rng.gauss(78 - 40 * progress - 4 * tries[fear] ** 0.5, 8), 5, 100)
        mode = (AskMode.IN_PERSON if fear in _LADDER_FEARS.values()
                else rng.choice(list(AskMode)))
        safety: tuple[str, ...] = ()
        if rng.random() < 0.4:
            safety = tuple(rng.sample(list(SAFETY_BEHAVIOURS), rng.randint(1, 2)))
        changes: dict[str, object] = {"feared_outcome": fear, "fear_likelihood": before,
                                      "ask_mode": mode, "safety_behaviours": safety}
        if record.outcome is not None and record.outcome.was_asked:
            roll = rng.random()
            happened = (FearHappened.YES if roll < 0.08 else FearHappened.PARTLY
                        if roll < 0.22 else FearHappened.NO)
            moved = {FearHappened.NO: 0.45, FearHappened.PARTLY: 0.2, FearHappened.YES: -0.1}
            after = _clamp(before - before * moved[happened] + rng.gauss(0, 4), 0, 100)
            changes.update(fear_happened=happened, fear_likelihood_after=after,
                           surprise=_clamp(rng.gauss(before / 12, 1.5), 0, 10),
                           safety_dropped=safety[:1] if safety and rng.random() < 0.7 else ())
        if record.outcome is not None and record.outcome.can_have_reason \
                and rng.random() < 0.3:
            changes["reasons"] = tuple(sorted(rng.sample(list(Reason), rng.randint(2, 3)),
                                              key=list(Reason).index))
        out.append(record.replace(**changes).validated())
    return _with_waiting_and_happened(out, rng, today)


def _with_waiting_and_happened(attempts: list[AttemptRecord], rng: random.Random,
                               today: date) -> list[AttemptRecord]:
    answered = [i for i, a in enumerate(attempts)
                if a.outcome is Outcome.NO and a.challenge_uuid is not None]
    recent = [i for i, a in enumerate(attempts)
              if a.outcome is not None and 2 <= (today - a.attempted_on).days <= 20
              and i not in answered[-6:]]
    for (i, (ask, who, feelings, reflection, lesson)) in zip(
            answered[len(answered) // 3 :: max(1, len(answered) // 4)], _HAPPENED,
            strict=False):
        a = attempts[i]
        attempts[i] = AttemptRecord(
            ask=ask, attempted_on=a.attempted_on, uuid=a.uuid, kind=EntryKind.HAPPENED_TO_ME,
            who_asked=who, outcome=Outcome.NO, actual_discomfort=a.actual_discomfort,
            feelings_after=feelings, reasons=a.reasons or (Reason.THEIR_CONSTRAINTS,),
            reflection=reflection, lesson=lesson, created_at=a.created_at,
            updated_at=a.updated_at).validated()
    for days_after, (i, ask) in zip((None, 14, 21), zip(recent[-3:], _WAITING, strict=False),
                                    strict=False):
        a = attempts[i]
        follow_up = today - timedelta(days=1) if days_after is None \
            else a.attempted_on + timedelta(days=days_after)
        attempts[i] = AttemptRecord(
            ask=ask, attempted_on=a.attempted_on, uuid=a.uuid, ask_mode=AskMode.ONLINE,
            anticipated_discomfort=a.anticipated_discomfort,
            predicted_no_chance=a.predicted_no_chance, feelings_before=a.feelings_before,
            feared_outcome="Silence, forever", fear_likelihood=_clamp(rng.gauss(60, 10), 0, 100),
            awaiting_answer=True, follow_up_on=max(follow_up, a.attempted_on),
            created_at=a.created_at, updated_at=a.created_at).validated()
    return attempts


# -- telling demo items apart, and taking them away (issue 18) ---------------------------------

class DemoKind(StrEnum):
    """What a demo mark is on: the mark of an entry never touches a ladder of the same UUID."""

    ENTRY = "entry"
    LADDER = "ladder"
    RUN = "run"


@dataclass(frozen=True, slots=True)
class DemoMark:
    """One item the demo made: its kind, its UUID, and the fingerprint of what the demo gave
    it (an entry's revision; a ladder's goal and rungs; a run's fields).  An item whose
    fingerprint is no longer that is the user's: removing demo data keeps it."""

    kind: DemoKind
    uuid: str
    fingerprint: str


def _counted(counts: Sequence[tuple[int, str, str]]) -> str:
    """``[(3, "entry", "entries"), (1, "run", "runs")]`` as "3 entries and 1 run"."""
    words = [f"{n:,} {one if n == 1 else many}" for n, one, many in counts if n]
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True, slots=True)
class DemoRemoval:
    """What removing demo data did: the unchanged demo items it deleted, and the ones the
    user had changed, which it kept (unmarked: they are the user's now)."""

    removed_entries: int = 0
    removed_ladders: int = 0
    removed_runs: int = 0
    kept_entries: int = 0
    kept_ladders: int = 0
    kept_runs: int = 0

    @property
    def removed(self) -> int:
        return self.removed_entries + self.removed_ladders + self.removed_runs

    @property
    def kept(self) -> int:
        return self.kept_entries + self.kept_ladders + self.kept_runs

    def summary(self) -> str:
        """One line for the status bar and the command line."""
        removed = _counted(((self.removed_entries, "entry", "entries"),
                            (self.removed_ladders, "ladder", "ladders"),
                            (self.removed_runs, "run", "runs")))
        kept = _counted(((self.kept_entries, "entry", "entries"),
                         (self.kept_ladders, "ladder", "ladders"),
                         (self.kept_runs, "run", "runs")))
        text = f"Removed the demo data ({removed})." if removed else \
            "There was no unchanged demo data to remove."
        if not kept:
            return text + " Your own entries are untouched."
        it = "it is" if self.kept == 1 else "they are"
        return f"{text} Kept {kept} you had changed: {it} yours now."
