"""The self-check's results (schema 3.3): each one taken, kept with its date."""

from __future__ import annotations

import json

from rejection_journal.domain.enums import Category
from rejection_journal.domain.plan import TakenCheck
from rejection_journal.domain.records import utcnow
from rejection_journal.storage.models import SelfCheckResult
from rejection_journal.storage.session import JournalCore, owned, writes


def _record(row: SelfCheckResult) -> TakenCheck:
    categories = json.loads(row.categories)
    answers = json.loads(row.answers)
    return TakenCheck(
        row.taken_on, row.overall,
        tuple((Category(key), float(value)) for key, value in categories.items()),
        tuple(sorted((key, (int(pair[0]), int(pair[1]))) for key, pair in answers.items())),
        row.uuid)


class SelfCheckStore(JournalCore):
    """The self-checks taken, oldest first."""

    @writes
    def save_self_check(self, record: TakenCheck) -> TakenCheck:
        """Keep ``record`` (a new one, or the same UUID's replaced)."""
        categories = json.dumps({c.value: score for c, score in record.categories})
        answers = json.dumps({key: list(pair) for key, pair in record.answers})
        with self._transaction():
            (SelfCheckResult.insert(uuid=record.uuid, taken_on=record.taken_on,
                                    overall=record.overall, categories=categories,
                                    answers=answers, created_at=utcnow())
             .on_conflict(conflict_target=[SelfCheckResult.uuid],
                          update={SelfCheckResult.taken_on: record.taken_on,
                                  SelfCheckResult.overall: record.overall,
                                  SelfCheckResult.categories: categories,
                                  SelfCheckResult.answers: answers})
             .execute())
        return record

    @owned
    def self_checks(self) -> list[TakenCheck]:
        """Every self-check taken, oldest first (by day, then as saved)."""
        query = SelfCheckResult.select().order_by(SelfCheckResult.taken_on,
                                                  SelfCheckResult.id)
        return [_record(row) for row in query]

    @writes
    def delete_self_check(self, uuid: str) -> TakenCheck | None:
        row = SelfCheckResult.get_or_none(SelfCheckResult.uuid == uuid)
        if row is None:
            return None
        with self._transaction():
            row.delete_instance()
        return _record(row)
