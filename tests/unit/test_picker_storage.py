"""Issue 8, picker panel: challenge usage, custom challenges and the boundary guard's query,
on a real SQLite journal; and the near-duplicate and search rules of the domain."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.picker import (
    filter_challenges,
    matches_search,
    near_duplicates,
    title_key,
)
from rejection_journal.domain.records import (
    AttemptRecord,
    ChallengeRecord,
    ValidationError,
    new_uuid,
)
from rejection_journal.services import Change, Entity, FixedClock, JournalService
from rejection_journal.storage import Journal, StorageError, open_journal

DAY = date(2026, 11, 12)


def _custom(title: str = "Ask the library for a quiet room", **changes: object) -> ChallengeRecord:
    base = ChallengeRecord(uuid=new_uuid(), title=title, category=Category.COMMUNITY, level=2,
                           how_to="At the desk, ask if a study room is free.", is_custom=True)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


# -- domain: near-duplicates and search -------------------------------------------------------
def test_title_key_ignores_case_spaces_accents_and_punctuation() -> None:
    assert title_key("  Ask for a DISCOUNT!! ") == "ask for a discount"
    assert title_key("Ask the café — for a refill?") == title_key("ask the cafe for a refill")


@pytest.mark.parametrize("typed", [
    "ask for a discount",            # case
    "Ask  for a   discount!",        # spaces, punctuation
    "Ask for a discont",             # a typo
    "Ask for discounts",             # plural, a small word dropped
    "For a discount, ask",           # the same words in another order
])
def test_near_duplicates_finds_alike_titles(typed: str) -> None:
    existing = _custom("Ask for a discount")
    other = _custom("Sing in the park")
    assert near_duplicates(typed, [other, existing]) == [existing]


def test_near_duplicates_leaves_different_titles_and_the_edited_one_alone() -> None:
    existing = _custom("Ask for a discount")
    assert near_duplicates("Ask for a refund", [existing]) == []
    assert near_duplicates("Ask for a discount at the bakery on Sunday", [existing]) == []
    assert near_duplicates("", [existing]) == []
    assert near_duplicates("Ask for a discount", [existing], ignore_uuid=existing.uuid) == []


def test_near_duplicates_puts_the_exact_match_first_and_includes_archived() -> None:
    close = _custom("Ask for a discounts")
    exact = _custom("ask for a discount", archived=True)
    assert near_duplicates("Ask for a discount", [close, exact]) == [exact, close]


def test_built_in_library_has_no_near_duplicate_titles() -> None:
    library = builtin_challenges()
    pairs = [(c.title, [d.title for d in near_duplicates(c.title, library, ignore_uuid=c.uuid)])
             for c in library]
    assert [p for p in pairs if p[1]] == []


def test_search_matches_title_and_how_to_ignoring_case_and_accents() -> None:
    challenge = _custom("Ask the Café for a refill", how_to="Smile and ask the BARISTA.")
    assert matches_search(challenge, "cafe")
    assert matches_search(challenge, "CAFÉ refill")
    assert matches_search(challenge, "barista")
    assert matches_search(challenge, "   ")
    assert not matches_search(challenge, "cafe discount")


def test_filter_challenges_by_category_level_range_search_and_archive() -> None:
    library = builtin_challenges()
    shown = filter_challenges(library, category="social", min_level=3, max_level=4)
    assert shown and all(c.category is Category.SOCIAL and 3 <= c.level <= 4 for c in shown)
    assert filter_challenges(library, min_level=5, max_level=5) == filter_challenges(
        library, min_level=5, max_level=5, query="")
    assert filter_challenges(library, query="zzzqqq-nothing") == []
    archived = _custom(archived=True)
    assert filter_challenges([archived]) == []
    assert filter_challenges([archived], include_archived=True) == [archived]
    # a range typed the wrong way round still means the same levels
    assert filter_challenges(library, min_level=4, max_level=3) == filter_challenges(
        library, min_level=3, max_level=4)


# -- storage ----------------------------------------------------------------------------------
def test_challenge_usage_counts_entries_and_last_date_per_challenge(journal: Journal) -> None:
    first, second = journal.challenges()[:2]
    for day in (date(2026, 11, 1), date(2026, 11, 12), date(2026, 10, 5)):
        journal.save_attempt(AttemptRecord(ask="x", attempted_on=day, challenge_uuid=first.uuid))
    journal.save_attempt(AttemptRecord(ask="y", attempted_on=date(2026, 9, 1),
                                       challenge_uuid=second.uuid))
    journal.save_attempt(AttemptRecord(ask="free-form", attempted_on=date(2026, 11, 13)))
    assert journal.challenge_usage() == {first.uuid: (3, date(2026, 11, 12)),
                                         second.uuid: (1, date(2026, 9, 1))}
    assert journal.challenge_usage(until=date(2026, 11, 1)) == {
        first.uuid: (2, date(2026, 11, 1)), second.uuid: (1, date(2026, 9, 1))}


def test_challenge_usage_counts_every_entry_of_a_big_journal(tmp_path: Path) -> None:
    # Speed is a benchmark's business (the guide: no timed unit tests); this checks the
    # one GROUP BY query counts every entry, across many challenges and days.
    with open_journal(tmp_path / "big") as journal:
        challenges = journal.challenges()
        rng = random.Random(3)
        start_day = date(2000, 1, 1)
        records = [AttemptRecord(ask="a", attempted_on=start_day + timedelta(days=i % 9000),
                                 challenge_uuid=rng.choice(challenges).uuid)
                   for i in range(5_000)]
        journal.add_demo_attempts(records)
        usage = journal.challenge_usage()
        assert sum(count for count, _last in usage.values()) == 5_000
        assert max(last for _count, last in usage.values()) == start_day + timedelta(days=4999)


def test_save_challenge_adds_and_edits_the_users_own(journal: Journal) -> None:
    record = _custom()
    stored = journal.save_challenge(dataclasses.replace(record, is_custom=False))
    assert stored == record  # a new challenge is always the user's own
    edited = journal.save_challenge(dataclasses.replace(stored, title="Ask for a quiet corner",
                                                        level=3))
    assert (edited.title, edited.level) == ("Ask for a quiet corner", 3)
    assert journal.challenge(record.uuid) == edited
    assert record.uuid in {c.uuid for c in journal.challenges()}


def test_save_challenge_archives_any_but_edits_only_custom(journal: Journal) -> None:
    built_in = journal.challenges()[0]
    archived = journal.save_challenge(dataclasses.replace(built_in, archived=True))
    assert archived.archived and not archived.is_custom
    assert built_in.uuid not in {c.uuid for c in journal.challenges()}
    assert built_in.uuid in {c.uuid for c in journal.challenges(include_archived=True)}
    with pytest.raises(StorageError, match="comes with the app"):
        journal.save_challenge(dataclasses.replace(built_in, title="Mine now"))
    assert journal.challenge(built_in.uuid) == archived
    back = journal.save_challenge(dataclasses.replace(archived, archived=False))
    assert not back.archived
    # the library sync on the next open keeps the user's archive flag
    journal.save_challenge(dataclasses.replace(back, archived=True))
    journal.sync_builtin_challenges()
    assert journal.challenge(built_in.uuid).archived  # type: ignore[union-attr]


def test_save_challenge_validates_and_writes_nothing(journal: Journal) -> None:
    before = journal.challenges(include_archived=True)
    with pytest.raises(ValidationError) as caught:
        journal.save_challenge(_custom(title="   "))
    assert caught.value.attribute == "title"
    with pytest.raises(ValidationError):
        journal.save_challenge(_custom(level=11))
    assert journal.challenges(include_archived=True) == before


def test_save_challenge_refused_read_only(tmp_path: Path) -> None:
    with open_journal(tmp_path / "j"):
        pass
    with open_journal(tmp_path / "j", read_only=True) as journal, \
            pytest.raises(StorageError, match="read"):
        journal.save_challenge(_custom())


def test_asks_refused_by_finds_the_nos_of_one_person(journal: Journal) -> None:
    def save(ask: str, who: str, outcome: Outcome | None, day: int) -> AttemptRecord:
        return journal.save_attempt(AttemptRecord(ask=ask, attempted_on=date(2026, 11, day),
                                                  who_asked=who, outcome=outcome))

    no = save("Borrow his ladder", "my neighbour Tom", Outcome.NO, 2)
    save("Borrow his drill", "Tom", Outcome.NO, 3)
    save("Borrow his car", " my  NEIGHBOUR tom ", Outcome.YES, 4)
    save("Ask for help", "my neighbour Tom", None, 5)
    again = save("Lend me a saw", "MY NEIGHBOUR TOM", Outcome.NO, 6)
    found = journal.asks_refused_by("  my neighbour   tom")
    assert [(p.uuid, p.ask, p.outcome) for p in found] == [
        (no.uuid, "Borrow his ladder", Outcome.NO), (again.uuid, "Lend me a saw", Outcome.NO)]
    assert found[0].person == "my neighbour Tom" and found[0].attempted_on == date(2026, 11, 2)
    assert journal.asks_refused_by("  ") == []


# -- service ----------------------------------------------------------------------------------
def test_service_save_challenge_announces_added_and_changed(journal: Journal) -> None:
    service = JournalService(journal)
    heard: list[Change] = []
    service.changes.subscribe(heard.append)
    record = service.save_challenge(_custom())
    service.save_challenge(dataclasses.replace(record, archived=True))
    service.save_challenge(dataclasses.replace(record, archived=True))  # nothing changed
    assert heard == [
        Change(entity=Entity.CHALLENGE, added=(record.uuid,)),
        Change(entity=Entity.CHALLENGE, changed=(record.uuid,), fields=frozenset({"archived"})),
    ]


def test_service_todays_challenge_is_stable_and_skips_recent(journal: Journal) -> None:
    service = JournalService(journal)
    today = service.todays_challenge(DAY)
    assert today is not None and today == service.todays_challenge(DAY)
    journal.save_attempt(AttemptRecord(ask="done", attempted_on=DAY - timedelta(days=1),
                                       challenge_uuid=today.uuid))
    assert service.todays_challenge(DAY) not in (None, today)
    rung_challenge = journal.challenges()[5]
    from rejection_journal.domain.picker import Rung
    assert service.todays_challenge(DAY, Rung(rung_challenge.uuid)) == rung_challenge


def test_service_draw_card_stays_in_the_list_and_avoids_recent(journal: Journal) -> None:
    service = JournalService(journal)
    pool = journal.challenges()[:3]
    journal.save_attempt(AttemptRecord(ask="x", attempted_on=DAY, challenge_uuid=pool[0].uuid))
    rng = random.Random(1)
    drawn = {service.draw_card(pool, rng, exclude=[pool[1].uuid]) for _ in range(20)}
    assert drawn == {pool[2]}
    assert service.draw_card([], rng) is None


def test_service_boundary_reminder_for_tom_and_the_ladder(journal: Journal) -> None:
    service = JournalService(journal, clock=FixedClock(DAY))
    first = service.save(AttemptRecord(ask="Ask to borrow his ladder again",
                                       attempted_on=DAY - timedelta(days=3),
                                       who_asked="my neighbour Tom", outcome=Outcome.NO))
    again = AttemptRecord(ask="Could Tom lend me the ladder?", attempted_on=DAY,
                          who_asked=" my neighbour  tom ")
    found = service.boundary_reminder(again)
    assert found is not None and found.uuid == first.uuid
    assert service.boundary_reminder(again.replace(who_asked="")) is None
    assert service.boundary_reminder(again.replace(who_asked="Anna")) is None
    assert service.boundary_reminder(again.replace(ask="Ask Tom round for coffee")) is None
    assert service.boundary_reminder(first) is None  # an entry is not its own reminder
