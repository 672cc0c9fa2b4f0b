"""Build my plan: a short self-check, its result in plain words, and a first ladder from it.

Pure Python, no Qt, no storage, no clock. Original content; the structure of the self-check
follows the Adult Rejection Sensitivity Questionnaire (Downey & Feldman): each situation is
rated twice, 1-6, for *how anxious would you feel asking?* and *how likely is it they'd say
yes?*.

The score (:func:`score_answers`)
    Per situation: anxiety × (7 − expected acceptance), from 1 to 36. A category's score is
    the mean over its situations; the overall score the mean over all of them. It is a
    snapshot of how asking feels today, not a diagnosis.

The plan rule (:func:`propose_plan`)
    * *Where it starts.* The situations are taken from the smallest ask to the biggest; the
      first one rated hard (anxious 4 or more of 6) is where fear starts to bite. The ladder
      starts two levels below it (at least level 1), so the first step is doable today. When
      nothing was rated hard it starts two levels below the biggest situation's level + 2.
    * *How high it goes.* From the start up to five levels above it, never above the ceiling
      (``max_level``, 1-10).
    * *Which categories.* Rungs are shared out between the categories in proportion to their
      scores (largest remainder; a tie goes to the category earlier in the list), the goal's
      category counting double. A category with too few challenges in range passes its extra
      seats on to the next highest.
    * *Which challenges.* Each category's rungs are spread evenly along the ladder; rung *i*
      aims at a level climbing evenly from the start to the top, and takes its category's
      challenge nearest that level, preferring a way of asking (the title's first word) not
      used yet; ties go to the lower level, then the title, alphabetically. Archived
      challenges and those already *settled* (the last two tries felt easier, the next-rung
      rule's own test) are skipped.
    * *Order.* Easiest first: levels never go down along the ladder.
    * Each rung carries a one-line reason. Same answers, goal, ceiling and library: same plan.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from rejection_journal.domain.enums import Category
from rejection_journal.domain.picker import (
    TRIES_NEEDED,
    HistoryEntry,
    completed_tries,
    felt_easier,
)
from rejection_journal.domain.records import LEVEL_MAX, LEVEL_MIN, ChallengeRecord, new_uuid
from rejection_journal.domain.text_match import match_key

SELF_CHECK_FILE = "self_check.toml"
#: both ratings go from 1 to 6
RATING_MIN, RATING_MAX = 1, 6
#: an anxiety rating at or above this marks a situation as "hard"
HARD_ANXIETY = 4
#: the ladder starts this many levels below where fear starts to bite
START_BELOW = 2
#: and climbs at most this many levels above its start
CLIMB = 5
RUNGS_MIN, RUNGS_MAX, RUNGS_DEFAULT = 6, 10, 8
#: per situation the score goes from 1 to 36
SCORE_MAX = RATING_MAX * (RATING_MAX + 1 - RATING_MIN)

ANXIETY_QUESTION = "How anxious would you feel asking?"
ANXIETY_ENDS = ("not at all anxious", "very anxious")
ACCEPTANCE_QUESTION = "How likely is it they'd say yes?"
ACCEPTANCE_ENDS = ("very unlikely", "very likely")
NOT_A_DIAGNOSIS = ("This is not a diagnosis or a test of you: it is a snapshot of how asking "
                   "feels today, to help pick first steps. It will change as you practise.")

#: how each category is said in a sentence ("asking at work feels hardest")
_ASKING = {
    Category.EVERYDAY: "asking in shops and in the street",
    Category.SOCIAL: "asking friends and acquaintances",
    Category.CAREER: "asking at work",
    Category.CREATIVE: "asking about your creative work",
    Category.ROMANCE: "asking about dates and closeness",
    Category.COMMUNITY: "asking neighbours and your community",
}


class SelfCheckError(ValueError):
    """The self-check file is malformed (a bug in the package)."""


class AnswersError(ValueError):
    """A set of answers cannot be scored; ``item`` names the situation at fault."""

    def __init__(self, item: str, message: str) -> None:
        super().__init__(f"{item}: {message}" if item else message)
        self.item = item
        self.message = message


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One situation of the self-check."""

    id: str
    category: Category
    level: int
    text: str


def asking_words(category: Category) -> str:
    """"asking at work": how a category is said in a sentence."""
    return _ASKING[category]


def parse_self_check(text: str) -> tuple[tuple[CheckItem, ...], dict[Category, tuple[str, ...]]]:
    """Read and check the self-check file: items, and the goal words per category."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SelfCheckError(f"{SELF_CHECK_FILE}: not valid TOML ({exc})") from None
    items: list[CheckItem] = []
    seen: set[str] = set()
    for number, entry in enumerate(data.get("item", []), start=1):
        if set(entry) != {"id", "category", "level", "text"}:
            raise SelfCheckError(f"item #{number}: needs exactly id, category, level, text")
        if entry["id"] in seen:
            raise SelfCheckError(f"item #{number}: id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        level = entry["level"]
        if not isinstance(level, int) or not LEVEL_MIN <= level <= LEVEL_MAX:
            raise SelfCheckError(f"item {entry['id']!r}: level must be 1-10")
        items.append(CheckItem(entry["id"], Category(entry["category"]), level,
                               entry["text"].strip()))
    words = {Category(name): tuple(w.lower() for w in values)
             for name, values in data.get("goal_words", {}).items()}
    return tuple(items), words


@cache
def _self_check() -> tuple[tuple[CheckItem, ...], dict[Category, tuple[str, ...]]]:
    text = resources.files(__package__).joinpath(SELF_CHECK_FILE).read_text(encoding="utf-8")
    return parse_self_check(text)


def check_items() -> tuple[CheckItem, ...]:
    """The situations of the self-check, in the order they are asked."""
    return _self_check()[0]


def goal_category(goal: str) -> Category | None:
    """The category a goal in the user's own words belongs to ("ask for a raise": career),
    by the words listed for each; None when no word matches. The category with the most
    matching words wins; a tie goes to the category earlier in the list."""
    key = f" {match_key(goal)} "
    best: tuple[int, Category | None] = (0, None)
    for category in Category:
        hits = sum(1 for word in _self_check()[1].get(category, ())
                   if f" {match_key(word)} " in key)
        if hits > best[0]:
            best = (hits, category)
    return best[1]


# -- answers and score ------------------------------------------------------------------------

Answers = Mapping[str, tuple[int, int]]


def validated_answers(raw: object, items: Sequence[CheckItem] | None = None
                      ) -> dict[str, tuple[int, int]]:
    """Check answers of the form ``{"item-id": [anxiety, acceptance], ...}``; raises
    :class:`AnswersError` naming the first item at fault (an unknown id, a missing item, a
    rating that is not a whole number from 1 to 6)."""
    items = check_items() if items is None else items
    if not isinstance(raw, Mapping):
        raise AnswersError("", 'answers must be an object like {"item-id": [anxiety, '
                               'acceptance], ...}')
    known = {item.id for item in items}
    for key in raw:
        if key not in known:
            raise AnswersError(str(key), "not an item of the self-check "
                                         "(see `rejection-journal plan questions`)")
    out: dict[str, tuple[int, int]] = {}
    for item in items:
        if item.id not in raw:
            raise AnswersError(item.id, "no answer for this item")
        pair = raw[item.id]
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise AnswersError(item.id, "needs two ratings, [anxiety, acceptance]")
        for name, value in zip(("anxiety", "acceptance"), pair, strict=True):
            if isinstance(value, bool) or not isinstance(value, int) \
                    or not RATING_MIN <= value <= RATING_MAX:
                raise AnswersError(item.id, f"the {name} rating must be a whole number from "
                                            f"{RATING_MIN} to {RATING_MAX}, not {value!r}")
        out[item.id] = (int(pair[0]), int(pair[1]))
    return out


def item_score(anxiety: int, acceptance: int) -> int:
    """Concern × (7 − expected acceptance): 1 (calm, sure of a yes) to 36."""
    return anxiety * (RATING_MAX + 1 - acceptance)


@dataclass(frozen=True, slots=True)
class CategoryScore:
    category: Category
    score: float  # mean item score, 1-36
    anxiety: float  # mean anxiety rating, 1-6


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The self-check's result: a score per category (in Category order) and overall."""

    overall: float
    categories: tuple[CategoryScore, ...]

    def of(self, category: Category) -> CategoryScore | None:
        return next((c for c in self.categories if c.category is category), None)


@dataclass(frozen=True, slots=True)
class TakenCheck:
    """A self-check as taken on a day, kept in the journal (schema 3.3): its overall score,
    the score per category and the answers, so it can be charted and compared over time."""

    taken_on: date
    overall: float
    categories: tuple[tuple[Category, float], ...]
    answers: tuple[tuple[str, tuple[int, int]], ...]
    uuid: str = field(default_factory=new_uuid)

    @classmethod
    def of(cls, answers: Answers, taken_on: date) -> TakenCheck:
        """``answers`` (validated) scored, as taken on ``taken_on``."""
        result = score_answers(answers)
        return cls(taken_on, result.overall,
                   tuple((c.category, c.score) for c in result.categories),
                   tuple(sorted((key, (a, b)) for key, (a, b) in answers.items())))


def score_answers(answers: Answers, items: Sequence[CheckItem] | None = None) -> CheckResult:
    """Score validated answers (see the module docstring)."""
    items = check_items() if items is None else items
    scores = {item.id: item_score(*answers[item.id]) for item in items}
    per: list[CategoryScore] = []
    for category in Category:
        mine = [item for item in items if item.category is category]
        if mine:
            per.append(CategoryScore(
                category,
                sum(scores[i.id] for i in mine) / len(mine),
                sum(answers[i.id][0] for i in mine) / len(mine)))
    overall = sum(scores.values()) / len(scores) if scores else 0.0
    return CheckResult(overall, tuple(per))


def _band(score: float) -> str:
    if score < 7:
        return "feels fairly easy"
    if score < 13:
        return "feels a little heavy"
    if score < 21:
        return "feels hard"
    return "feels very hard"


def result_sentences(result: CheckResult) -> list[str]:
    """The result in plain words: the hardest and easiest kind of asking, the overall picture,
    and that it is not a diagnosis."""
    lines: list[str] = []
    if result.categories:
        top = max(c.score for c in result.categories)
        low = min(c.score for c in result.categories)
        if top == low:
            lines.append("Every kind of asking feels about the same.")
        else:
            for score, word in ((top, "hardest"), (low, "easiest")):
                named = [asking_words(c.category) for c in result.categories
                         if c.score == score]
                if len(named) > 2:
                    said, verb = "every other kind of asking", "feels"
                elif len(named) == 2:
                    said, verb = f"{named[0]} and {named[1]}", "feel"
                else:
                    said, verb = named[0], "feels"
                lines.append(f"{said[0].upper()}{said[1:]} {verb} {word} "
                             f"({score:.0f} of {SCORE_MAX}).")
    lines.append(f"Overall, asking {_band(result.overall)} right now "
                 f"({result.overall:.1f} of {SCORE_MAX}).")
    lines.append(NOT_A_DIAGNOSIS)
    return lines


def category_line(score: CategoryScore) -> str:
    """"Career: 18 of 36 — feels hard"."""
    return (f"{score.category.label}: {score.score:.0f} of {SCORE_MAX} — "
            f"{_band(score.score)}")


# -- the plan ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PlanRung:
    challenge: ChallengeRecord
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    """A proposed ladder: rungs easiest first, each with its reason."""

    rungs: tuple[PlanRung, ...]
    start_level: int
    top_level: int
    max_level: int
    goal: str = ""
    goal_category: Category | None = None
    note: str = ""


def settled_challenges(history: Iterable[HistoryEntry], *, needed: int = TRIES_NEEDED
                       ) -> frozenset[str]:
    """Challenges whose last ``needed`` tries all felt easier (the next-rung rule's test)."""
    grouped: dict[str, list[HistoryEntry]] = {}
    for entry in history:
        if entry.challenge_uuid is not None:
            grouped.setdefault(entry.challenge_uuid, []).append(entry)
    settled = set()
    for uuid, entries in grouped.items():
        latest = completed_tries(entries)[-needed:]
        if len(latest) == needed and all(felt_easier(t) for t in latest):
            settled.add(uuid)
    return frozenset(settled)


def bite_item(answers: Answers, items: Sequence[CheckItem] | None = None) -> CheckItem | None:
    """The smallest ask rated hard (anxious 4 or more of 6); None when none was."""
    items = check_items() if items is None else items
    hard = [item for item in items if answers[item.id][0] >= HARD_ANXIETY]
    return min(hard, key=lambda i: (i.level, items.index(i))) if hard else None


def start_level(answers: Answers, max_level: int = LEVEL_MAX,
                items: Sequence[CheckItem] | None = None) -> int:
    """Where the ladder starts: two levels below where fear starts to bite, within 1..ceiling."""
    items = check_items() if items is None else items
    bite = bite_item(answers, items)
    bite_level = bite.level if bite is not None else max(i.level for i in items) + START_BELOW
    return max(LEVEL_MIN, min(max_level, bite_level - START_BELOW))


def share_out(weights: Mapping[Category, float], seats: int) -> dict[Category, int]:
    """Largest-remainder shares of ``seats`` in proportion to ``weights`` (ties: Category
    order). A larger weight never gets fewer seats than a smaller one."""
    order = list(Category)
    total = sum(weights.values())
    if total <= 0 or seats <= 0:
        return {c: 0 for c in weights}
    quotas = {c: seats * w / total for c, w in weights.items()}
    out = {c: int(q) for c, q in quotas.items()}
    left = seats - sum(out.values())
    ranked = sorted(weights, key=lambda c: (-(quotas[c] - out[c]), -weights[c], order.index(c)))
    for c in ranked[:left]:
        out[c] += 1
    return out


def _verb(challenge: ChallengeRecord) -> str:
    words = match_key(challenge.title).split()
    return words[0] if words else ""


def _seat_order(shares: Mapping[Category, int], rank: Mapping[Category, int]
                ) -> list[Category]:
    """The categories' seats interleaved evenly along the ladder: a category's k-th of n
    seats sits at (k + ½)/n; ties go to the higher-weighted category."""
    seats = [((k + 0.5) / n, rank[c], c) for c, n in shares.items() for k in range(n)]
    return [c for _pos, _rank, c in sorted(seats)]


def _nearest(pool: Sequence[ChallengeRecord], target: float, verbs: set[str]
             ) -> ChallengeRecord:
    return min(pool, key=lambda c: (abs(c.level - target), _verb(c) in verbs, c.level,
                                    match_key(c.title)))


def _rating_words(anxiety: float) -> str:
    return f"{round(anxiety)} of {RATING_MAX}"


def propose_plan(answers: Answers, library: Iterable[ChallengeRecord], *, goal: str = "",
                 max_level: int = LEVEL_MAX, rungs: int = RUNGS_DEFAULT,
                 skip: Iterable[str] = (), items: Sequence[CheckItem] | None = None) -> Plan:
    """A first ladder from validated ``answers`` and the challenges of ``library`` (archived
    ones and those in ``skip`` are left out); see the module docstring for the rule."""
    items = check_items() if items is None else items
    if not LEVEL_MIN <= max_level <= LEVEL_MAX:
        raise ValueError(f"the ceiling must be a level from {LEVEL_MIN} to {LEVEL_MAX}")
    rungs = max(RUNGS_MIN, min(RUNGS_MAX, rungs))
    result = score_answers(answers, items)
    low = start_level(answers, max_level, items)
    high = min(max_level, low + CLIMB)
    skipped = set(skip)
    eligible = [c for c in library
                if not c.archived and c.uuid not in skipped and low <= c.level <= high]
    by_category: dict[Category, list[ChallengeRecord]] = {c: [] for c in Category}
    for challenge in eligible:
        by_category[challenge.category].append(challenge)

    aimed = goal_category(goal) if goal.strip() else None
    peak = max((c.score for c in result.categories), default=1.0)
    weights = {c.category: c.score + (peak if c.category is aimed else 0.0)
               for c in result.categories}
    for category in Category:
        weights.setdefault(category, 0.0)
    order = sorted(Category, key=lambda c: (-weights[c], list(Category).index(c)))

    seats = min(rungs, len(eligible))
    shares = share_out(weights, seats)
    # a category without enough challenges in range passes its extra seats on
    extra = 0
    for category in order:
        have = len(by_category[category])
        if shares[category] > have:
            extra += shares[category] - have
            shares[category] = have
    for category in order:
        room = len(by_category[category]) - shares[category]
        take = min(room, extra)
        shares[category] += take
        extra -= take

    rank = {c: i for i, c in enumerate(order)}
    sequence = _seat_order(shares, rank)
    picked: list[ChallengeRecord] = []
    verbs: set[str] = set()
    for index, category in enumerate(sequence):
        target = low + (high - low) * index / max(1, len(sequence) - 1)
        pool = [c for c in by_category[category] if c not in picked]
        choice = _nearest(pool, target, verbs)
        picked.append(choice)
        verbs.add(_verb(choice))
    picked.sort(key=lambda c: (c.level, rank[c.category], match_key(c.title)))

    bite = bite_item(answers, items)
    plan_rungs = []
    for index, challenge in enumerate(picked):
        plan_rungs.append(PlanRung(challenge, _reason(index, challenge, result, aimed, goal,
                                                      bite, low)))
    note = ""
    if len(picked) < RUNGS_MIN:
        note = (f"Only {len(picked)} challenges fit between level {low} and level {high}; "
                "raise the ceiling, or unarchive some challenges, for a longer ladder.")
    return Plan(tuple(plan_rungs), low, high, max_level, goal.strip(), aimed, note)


def _reason(index: int, challenge: ChallengeRecord, result: CheckResult,
            aimed: Category | None, goal: str, bite: CheckItem | None, low: int) -> str:
    score = result.of(challenge.category)
    felt = f"{asking_words(challenge.category)} felt {_rating_words(score.anxiety)}" \
        if score is not None else ""
    if index == 0:
        if bite is not None:
            return (f"A doable first step: level {low}, a little below where "
                    f"{asking_words(bite.category)} starts to feel hard.")
        return f"A doable first step at level {low}: nothing you rated felt hard."
    if aimed is challenge.category and goal.strip():
        return f"Towards your goal “{goal.strip()}”."
    if score is not None and score.anxiety >= HARD_ANXIETY - 1:
        return f"Because {felt}."
    if score is not None:
        return f"For variety: {felt}, an easier kind of ask."
    return "For variety."


def alternatives(plan_uuids: Sequence[str], challenge: ChallengeRecord,
                 library: Iterable[ChallengeRecord], *, max_level: int = LEVEL_MAX,
                 skip: Iterable[str] = (), limit: int = 8) -> list[ChallengeRecord]:
    """Similar challenges to swap ``challenge`` for: the same category, a level within one of
    it, not archived, not skipped, not on the plan already; closest level first."""
    used = set(plan_uuids) | set(skip)
    found = [c for c in library
             if not c.archived and c.uuid not in used and c.category is challenge.category
             and abs(c.level - challenge.level) <= 1 and c.level <= max_level]
    found.sort(key=lambda c: (abs(c.level - challenge.level), c.level, match_key(c.title)))
    return found[:limit]


def plan_lines(plan: Plan) -> list[str]:
    """The plan as text, one rung a line (the CLI's text format)."""
    lines = []
    for number, rung in enumerate(plan.rungs, start=1):
        c = rung.challenge
        lines.append(f"{number:2}. [level {c.level}, {c.category.label}] {c.title}")
        lines.append(f"    {rung.reason}")
    return lines
