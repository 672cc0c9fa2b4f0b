"""The challenge picker's rules, as pure functions: no Qt, no storage.

Callers pass plain records in (challenges, past entries) and get records back. Past entries can
be :class:`~rejection_journal.domain.records.AttemptRecord` objects or the smaller
:class:`PastAttempt`; anything with the same attribute names works.

Today's challenge (:func:`todays_challenge`)
    The same for the same date on every launch: each challenge gets a score from a SHA-256 hash
    of the ISO date and its UUID, and the lowest score wins. That spreads picks evenly over the
    library, does not depend on the order challenges are listed in, and adding a challenge to
    the library only changes the days it wins. Archived challenges are never picked. If the
    user is working on a ladder, its current rung is today's challenge: repeating a step until
    it feels easier is the point. Otherwise challenges with an entry in the last ``recent_days``
    days are skipped; when every challenge has one, the least recently done are picked from.

Draw a card (:func:`draw_card`)
    A random pick from the list given (the caller applies the filters), avoiding the challenges
    of the user's last few entries and any just drawn, when anything else is left.

The next-rung rule (:func:`next_rung`)
    A ladder's rungs go from the easiest step to the hardest. A *try* at a rung is an entry for
    its challenge with an answer recorded and the actual discomfort rated; open entries and
    "didn't ask" don't count. A try *felt easier* when its actual discomfort was 3 or less out
    of 10, or when it was at least 3 points below what was anticipated and no more than 6. A
    rung is *settled* when its last two tries both felt easier. The suggestion is always the
    lowest rung that is not settled yet, so no rung is ever skipped: stay on a step until the
    discomfort there has come down, then move up one step. This is the graded-exposure rule of
    a fear hierarchy (move on once the fear at the current step has dropped, or once it has
    turned out clearly lower than expected), counted over two tries so one lucky day is not
    enough. When every rung is settled, the user is at the top.

The boundary guard (:func:`boundary_match`)
    A gentle reminder before saving when an earlier entry (a) named the same person, compared
    after Unicode NFKC normalisation, case folding and collapsing spaces, so "Tom", " tom " and
    "ＴＯＭ" are one person; (b) recorded the answer "no" (a yes, a partial yes, no response
    or "didn't ask" never trigger it); and (c) was a similar ask: the same challenge, or asks
    sharing at least half of the meaningful words of the shorter one, after dropping small
    words and the request verbs themselves ("ask", "borrow", "lend", ...), so "borrow his
    ladder" matches "could Tom lend me the ladders?" but not "borrow his drill". Words of the
    person's name don't count, so "ask Tom for a coffee" and "ask Tom for his car" differ.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import AskMode
from rejection_journal.domain.records import ChallengeRecord, new_uuid, utcnow
from rejection_journal.domain.text_match import fold, match_key

EASY_THRESHOLD = 3  # actual discomfort at or below this felt easy
EASIER_MARGIN = 3  # ... or at least this far below what was anticipated
EASIER_CEILING = 6  # ... while still no higher than this
TRIES_NEEDED = 2  # consecutive easier tries that settle a rung
RECENT_DAYS = 14
RECENT_ENTRIES = 10


# -- inputs ---------------------------------------------------------------------------------
class HistoryEntry(Protocol):
    """What the rules read from a past entry (an AttemptRecord has all of it)."""

    @property
    def challenge_uuid(self) -> str | None: ...
    @property
    def attempted_on(self) -> date: ...
    @property
    def anticipated_discomfort(self) -> int | None: ...
    @property
    def actual_discomfort(self) -> int | None: ...
    @property
    def outcome(self) -> Outcome | None: ...


class PastAsk(Protocol):
    """What the boundary guard reads from a past entry."""

    @property
    def person(self) -> str: ...
    @property
    def ask(self) -> str: ...
    @property
    def challenge_uuid(self) -> str | None: ...
    @property
    def attempted_on(self) -> date: ...
    @property
    def outcome(self) -> Outcome | None: ...


AskT = TypeVar("AskT", bound=PastAsk)


@dataclass(frozen=True, slots=True)
class PastAttempt:
    """A minimal past entry for the rules (tests, and callers that load only a few columns)."""

    challenge_uuid: str | None
    attempted_on: date
    anticipated_discomfort: int | None = None
    actual_discomfort: int | None = None
    outcome: Outcome | None = None
    person: str = ""
    ask: str = ""
    uuid: str = ""
    #: how the ask was made (None: not said): what the variety rule reads (domain/ladders.py)
    ask_mode: AskMode | None = None


@dataclass(frozen=True, slots=True)
class Rung:
    """One step of a ladder: a challenge (built-in or the user's own)."""

    challenge_uuid: str
    title: str = ""
    #: the challenge's difficulty, 1-10 (None when not known, e.g. a bare test rung)
    level: int | None = None


@dataclass(frozen=True, slots=True)
class Ladder:
    """A personal fear ladder: a goal and its rungs, easiest first."""

    goal: str
    rungs: tuple[Rung, ...] = ()
    uuid: str = field(default_factory=new_uuid)
    # Bookkeeping (UTC, naive): not part of what the ladder *is*, so not compared
    created_at: datetime = field(default_factory=utcnow, compare=False)
    updated_at: datetime = field(default_factory=utcnow, compare=False)


class Step(StrEnum):
    EMPTY = "empty"  # the ladder has no rungs yet
    START = "start"  # first rung, not tried yet
    REPEAT = "repeat"  # stay on this rung
    MOVE_UP = "move_up"  # the rung below is settled: on to this one
    VARY = "vary"  # this rung is settled: once more in a different way (domain/ladders.py)
    TOP = "top"  # every rung is settled


@dataclass(frozen=True, slots=True)
class Suggestion:
    step: Step
    index: int | None  # 0-based position of the suggested rung in the ladder
    rung: Rung | None
    explanation: str  # one plain, warm sentence for the UI


# -- today's challenge and drawing a card -----------------------------------------------------
def _day_score(day: date, challenge_uuid: str) -> bytes:
    return hashlib.sha256(f"{day.isoformat()}|{challenge_uuid}".encode()).digest()


def todays_challenge(
    day: date,
    challenges: Iterable[ChallengeRecord],
    history: Iterable[HistoryEntry],
    *,
    current_rung: Rung | None = None,
    recent_days: int = RECENT_DAYS,
) -> ChallengeRecord | None:
    """The challenge suggested for ``day`` (see the module docstring); None if none is left."""
    pool = {c.uuid: c for c in challenges if not c.archived}
    if not pool:
        return None
    if current_rung is not None and current_rung.challenge_uuid in pool:
        return pool[current_rung.challenge_uuid]
    last_done: dict[str, date] = {}
    for entry in history:
        uuid, on = entry.challenge_uuid, entry.attempted_on
        if uuid is not None and on <= day and on > last_done.get(uuid, date.min):
            last_done[uuid] = on
    cutoff = day - timedelta(days=recent_days)
    candidates = [c for c in pool.values() if last_done.get(c.uuid, date.min) <= cutoff]
    if not candidates:  # everything was done recently: the least recently done ones
        oldest = min(last_done[uuid] for uuid in pool)
        candidates = [c for c in pool.values() if last_done[c.uuid] == oldest]
    return min(candidates, key=lambda c: _day_score(day, c.uuid))


def draw_card(
    challenges: Sequence[ChallengeRecord],
    history: Iterable[HistoryEntry],
    rng: random.Random,
    *,
    recent: int = RECENT_ENTRIES,
    exclude: Collection[str] = (),
) -> ChallengeRecord | None:
    """A random challenge from ``challenges`` (already filtered by the caller), never archived.

    Avoids the challenges of the last ``recent`` entries and the UUIDs in ``exclude`` (e.g.
    cards drawn a moment ago) while anything else is left; None for an empty list.
    """
    pool = [c for c in challenges if not c.archived]
    if not pool:
        return None
    entries = sorted(history, key=lambda e: e.attempted_on)
    recent_uuids = {e.challenge_uuid for e in entries[-recent:]} if recent > 0 else set()
    for avoid in (recent_uuids | set(exclude), set(exclude)):
        candidates = [c for c in pool if c.uuid not in avoid]
        if candidates:
            return rng.choice(candidates)
    return rng.choice(pool)


# -- the next rung ------------------------------------------------------------------------------
def attempts_by_rung(
    rungs: Iterable[Rung], history: Iterable[HistoryEntry]
) -> dict[str, list[HistoryEntry]]:
    """The entries of each rung's challenge, by challenge UUID, in the order given."""
    wanted = {r.challenge_uuid for r in rungs}
    grouped: dict[str, list[HistoryEntry]] = {uuid: [] for uuid in wanted}
    for entry in history:
        uuid = entry.challenge_uuid
        if uuid is not None and uuid in wanted:
            grouped[uuid].append(entry)
    return grouped


def completed_tries(entries: Iterable[HistoryEntry]) -> list[HistoryEntry]:
    """Entries that count as a try (answered, not "didn't ask", actual discomfort rated),
    oldest first (entries on the same day keep the order given)."""
    tries = [
        e for e in entries
        if e.outcome is not None and e.outcome.was_asked and e.actual_discomfort is not None
    ]
    return sorted(tries, key=lambda e: e.attempted_on)


def _calm(entry: HistoryEntry, threshold: int) -> bool:
    return entry.actual_discomfort is not None and entry.actual_discomfort <= threshold


def _easier_than_feared(entry: HistoryEntry, margin: int, ceiling: int) -> bool:
    actual, anticipated = entry.actual_discomfort, entry.anticipated_discomfort
    return (
        actual is not None and anticipated is not None
        and actual <= ceiling and anticipated - actual >= margin
    )


def felt_easier(
    entry: HistoryEntry,
    *,
    threshold: int = EASY_THRESHOLD,
    margin: int = EASIER_MARGIN,
    ceiling: int = EASIER_CEILING,
) -> bool:
    """A try felt easier: calm (at or below ``threshold``), or clearly below what was feared."""
    return _calm(entry, threshold) or _easier_than_feared(entry, margin, ceiling)


_TRIES_WORDS = {1: "last try", 2: "last two tries", 3: "last three tries"}


def next_rung(
    ladder_rungs: Sequence[Rung],
    attempts_by_rung: Mapping[str, Iterable[HistoryEntry]],
    *,
    threshold: int = EASY_THRESHOLD,
    margin: int = EASIER_MARGIN,
    ceiling: int = EASIER_CEILING,
    needed: int = TRIES_NEEDED,
) -> Suggestion:
    """Which rung to practise next, and why, by the rule in the module docstring.

    ``attempts_by_rung`` maps a rung's challenge UUID to its entries (see
    :func:`attempts_by_rung`); rungs missing from it have no entries yet.
    """
    if needed < 1:
        raise ValueError("needed must be at least 1")
    if not ladder_rungs:
        return Suggestion(Step.EMPTY, None, None,
                          "Add a first, small step to this ladder to begin.")

    def easier(entry: HistoryEntry) -> bool:
        return felt_easier(entry, threshold=threshold, margin=margin, ceiling=ceiling)

    tries_words = _TRIES_WORDS.get(needed, f"last {needed} tries")
    settled_tries: list[HistoryEntry] = []
    for index, rung in enumerate(ladder_rungs):
        tries = completed_tries(attempts_by_rung.get(rung.challenge_uuid, ()))
        latest = tries[-needed:]
        if len(latest) == needed and all(easier(t) for t in latest):
            settled_tries = latest
            continue
        if not tries and index == 0:
            return Suggestion(Step.START, index, rung,
                              "Start with the first step: it is the smallest one on your ladder.")
        if not tries:
            if all(_calm(t, threshold) for t in settled_tries):
                how = "felt fairly calm"
            else:
                how = "felt a lot easier than you feared"
            return Suggestion(Step.MOVE_UP, index, rung,
                              f"Your {tries_words} at the step below {how} — "
                              "ready for this one?")
        last = tries[-1]
        if easier(last):
            text = ("That last try felt easier — one more like it here, and you'll be ready "
                    "for the next step.")
        else:
            text = (f"It still felt hard last time ({last.actual_discomfort} out of 10); "
                    "staying on this step a little longer is how it gets easier.")
        return Suggestion(Step.REPEAT, index, rung, text)
    top = len(ladder_rungs) - 1
    return Suggestion(Step.TOP, top, ladder_rungs[top],
                      "Every step on this ladder has got easier — keep practising the top one, "
                      "or add a harder step when you feel ready.")


# -- the boundary guard -----------------------------------------------------------------------
def normalise_person(name: str) -> str:
    """How two names are compared (``domain/text_match.py``: case, accents and spaces
    ignored)."""
    return match_key(name)


_WORD = re.compile(r"\w+")
_STOP_TEXT = """
    a an the and or but if of to in on at for from with without by about into onto over
    up down out off as so than then too very just also again still
    i me my mine we us our you your yours he him his she her hers they them their theirs it
    its this that these those there here
    is am are was were be been being do does did done have has had having get got getting
    can could would will shall should may might must
    please maybe kindly some any one
    ask asks asked asking borrow borrows borrowed borrowing lend lends lent lending
    want wants wanted like liked need needs needed request requested let lets
    whether what when where which who how why
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())


def ask_words(text: str) -> frozenset[str]:
    """The meaningful words of an ask: normalised, without small words, plurals trimmed."""
    words = set()
    for word in _WORD.findall(fold(text)):
        if len(word) < 2 or word.isdigit() or word in _STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return frozenset(words)


def similar_asks(
    first: str, second: str, *, overlap: float = 0.5, ignore: Collection[str] = ()
) -> bool:
    """At least ``overlap`` of the shorter ask's meaningful words are in the other one.

    Words in ``ignore`` (e.g. the person's own name) don't count.
    """
    a, b = ask_words(first) - set(ignore), ask_words(second) - set(ignore)
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= overlap


def boundary_match(
    new_person: str,
    new_ask: str,
    past: Iterable[AskT],
    *,
    challenge_uuid: str | None = None,
) -> AskT | None:
    """The most recent earlier entry that asked the same person for a similar thing and got
    a "no" (see the module docstring), for a gentle reminder; None when there is none."""
    person = normalise_person(new_person)
    if not person:
        return None
    name_words = ask_words(new_person)
    found: AskT | None = None
    for entry in past:
        if entry.outcome is not Outcome.NO or normalise_person(entry.person) != person:
            continue
        same_challenge = challenge_uuid is not None and entry.challenge_uuid == challenge_uuid
        if (same_challenge or similar_asks(new_ask, entry.ask, ignore=name_words)) and (
            found is None or entry.attempted_on >= found.attempted_on
        ):
            found = entry
    return found


# -- the picker's list: search, filters, near-duplicate titles ------------------------------------
def search_key(text: str) -> str:
    """``text`` as search compares it (``domain/text_match.py``), so "Café", "cafe" and
    "CAFÉ" are one word."""
    return match_key(text)


def matches_search(challenge: ChallengeRecord, query: str) -> bool:
    """Every word of ``query`` is in the challenge's title or how-to (case and accents
    ignored); an empty query matches everything."""
    words = search_key(query).split()
    if not words:
        return True
    haystack = search_key(f"{challenge.title}\n{challenge.how_to}")
    return all(word in haystack for word in words)


def filter_challenges(
    challenges: Iterable[ChallengeRecord],
    *,
    category: str | None = None,
    min_level: int = 1,
    max_level: int = 10,
    query: str = "",
    include_archived: bool = False,
) -> list[ChallengeRecord]:
    """The challenges shown for these filters, in the order given."""
    low, high = min(min_level, max_level), max(min_level, max_level)
    return [
        c for c in challenges
        if (include_archived or not c.archived)
        and (category is None or c.category.value == category)
        and low <= c.level <= high
        and matches_search(c, query)
    ]


_PUNCTUATION = re.compile(r"[^\w\s]")
#: how alike two titles must be (difflib ratio of their normalised forms) to be called near
NEAR_DUPLICATE_RATIO = 0.85


def title_key(title: str) -> str:
    """A title as near-duplicate checks compare it: accents, case, punctuation and extra
    spaces ignored ("Ask for  a DISCOUNT!" -> "ask for a discount")."""
    return " ".join(_PUNCTUATION.sub(" ", search_key(title)).replace("_", " ").split())


def _title_words(key: str) -> frozenset[str]:
    return frozenset(word for word in key.split() if word not in _STOP_WORDS and len(word) > 1)


def near_duplicates(
    title: str,
    challenges: Iterable[ChallengeRecord],
    *,
    ignore_uuid: str | None = None,
    ratio: float = NEAR_DUPLICATE_RATIO,
) -> list[ChallengeRecord]:
    """Challenges (archived ones too) whose title is the same as or very like ``title``.

    Alike means: equal once accents, case, punctuation and spacing are ignored; or a
    :class:`difflib.SequenceMatcher` ratio of at least ``ratio`` between those forms (a typo,
    a plural, a word swapped for a close one); or the same meaningful words in another order
    ("Ask a stranger for directions" / "For directions, ask a stranger"). ``ignore_uuid`` is
    the challenge being edited. The closest come first.
    """
    from difflib import SequenceMatcher

    key = title_key(title)
    if not key:
        return []
    words = _title_words(key)
    scored: list[tuple[float, ChallengeRecord]] = []
    for challenge in challenges:
        if challenge.uuid == ignore_uuid:
            continue
        other = title_key(challenge.title)
        if not other:
            continue
        if other == key:
            score = 2.0
        elif words and words == _title_words(other):
            score = 1.5
        else:
            score = SequenceMatcher(None, key, other, autojunk=False).ratio()
            if score < ratio:
                continue
        scored.append((score, challenge))
    scored.sort(key=lambda pair: -pair[0])
    return [challenge for _score, challenge in scored]
