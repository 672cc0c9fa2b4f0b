"""Imported dates and timestamps the app cannot handle are refused, naming the record."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rejection_journal.domain.records import AttemptRecord, utcnow
from rejection_journal.storage import Journal
from rejection_journal.storage.export import (
    FORMAT_NAME,
    attempt_to_dict,
)
from rejection_journal.storage.import_decode import ImportValidationError
from rejection_journal.storage.merge import import_file
from tests.unit.legacy import as_format


def _stamp(value: datetime) -> str:
    return value.isoformat() + "Z"


@pytest.fixture
def document() -> dict[str, Any]:
    """An export holding three free-form attempts."""
    stamp = datetime(2024, 5, 3, 20, 0)
    return {
        "format": FORMAT_NAME, "format_version": 1, "challenges": [],
        "attempts": [
            as_format(attempt_to_dict(AttemptRecord(
                ask=f"Ask {day}", attempted_on=date(2024, 5, day), created_at=stamp,
                updated_at=stamp)), 1)
            for day in (1, 2, 3)
        ],
    }


def _import(journal: Journal, tmp_path: Path, doc: dict[str, Any]) -> ImportValidationError:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ImportValidationError) as caught:
        import_file(journal, path)
    assert journal.attempt_count() == 0  # nothing written
    return caught.value


@pytest.mark.parametrize("day", ["1899-12-31", "2101-01-01", "0001-01-01", "9999-12-31"])
def test_a_date_outside_the_range_is_refused_naming_the_record(
    journal: Journal, tmp_path: Path, document: dict[str, Any], day: str
) -> None:
    document["attempts"][1]["attempted_on"] = day
    error = _import(journal, tmp_path, document)
    assert error.record == "attempts[1]"
    assert error.field == "attempted_on"
    assert f"must be from 1900-01-01 to 2100-12-31, not {day}" in str(error)


@pytest.mark.parametrize("key", ["updated_at", "created_at"])
def test_a_timestamp_more_than_a_day_ahead_is_refused_naming_the_record(
    journal: Journal, tmp_path: Path, document: dict[str, Any], key: str
) -> None:
    ahead = utcnow() + timedelta(days=365)
    document["attempts"][2][key] = _stamp(ahead)
    error = _import(journal, tmp_path, document)
    message = str(error)
    assert error.record == "attempts[2]"
    assert error.field == key
    assert message.startswith(f"attempts[2] (uuid {document['attempts'][2]['uuid']}): {key}: ")
    assert "in the future" in message
    assert ahead.date().isoformat() in message
    assert "is the other computer's clock right?" in message


def test_a_timestamp_a_few_hours_ahead_is_accepted(
    journal: Journal, tmp_path: Path, document: dict[str, Any]
) -> None:
    # Clocks and time zones drift; anything within a day of this computer's clock is fine.
    document["attempts"][0]["updated_at"] = _stamp(utcnow() + timedelta(hours=20))
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert import_file(journal, path).added_attempts == 3
