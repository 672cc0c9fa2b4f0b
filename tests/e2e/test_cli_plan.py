"""`rejection-journal plan questions` and `plan propose`, as real subprocesses: the items, the
proposed ladder (the same for the same answers), --save, and bad answer files (exit 2, one
line naming the item, nothing saved)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rejection_journal.domain.plan import check_items
from rejection_journal.services.opening import reading

from .conftest import Run

ITEMS = check_items()


def _answers(tmp_path: Path, **changes: object) -> Path:
    raw: dict[str, object] = {item.id: [2, 5] for item in ITEMS}
    for item in ITEMS:
        if item.category.value == "career":
            raw[item.id] = [5, 2]
    raw.update(changes)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_questions_lists_every_item_and_both_scales(run_cli: Run, tmp_path: Path) -> None:
    done = run_cli("--data-dir", str(tmp_path / "data"), "plan", "questions", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [i["id"] for i in data["items"]] == [i.id for i in ITEMS]
    assert [s["name"] for s in data["scales"]] == ["anxiety", "acceptance"]
    assert all(s["min"] == 1 and s["max"] == 6 for s in data["scales"])
    text = run_cli("--data-dir", str(tmp_path / "data"), "plan", "questions")
    assert text.returncode == 0
    assert all(item.id in text.stdout and item.text in text.stdout for item in ITEMS)
    assert "How anxious would you feel asking?" in text.stdout
    assert not (tmp_path / "data").exists(), "questions writes nothing"


def test_propose_is_the_same_for_the_same_answers(run_cli: Run, tmp_path: Path) -> None:
    answers = _answers(tmp_path)
    args = ("--data-dir", str(tmp_path / "data"), "plan", "propose", "--answers", str(answers),
            "--goal", "ask for a raise", "--max-level", "7", "--format", "json")
    first, second = run_cli(*args), run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    levels = [r["level"] for r in data["rungs"]]
    assert 6 <= len(levels) <= 10 and levels == sorted(levels) and max(levels) <= 7
    assert all(set(r) == {"challenge_id", "title", "level", "category", "reason"}
               for r in data["rungs"])
    assert data["goal_category"] == "career" and data["saved_as"] is None
    text = run_cli(*args[:-2])
    assert text.returncode == 0
    assert "Asking at work feels hardest" in text.stdout and "not a diagnosis" in text.stdout
    assert data["rungs"][0]["title"] in text.stdout
    assert not (tmp_path / "data").exists(), "without --save nothing is written"


def test_save_creates_the_ladder(run_cli: Run, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    answers = _answers(tmp_path)
    done = run_cli("--data-dir", str(data_dir), "plan", "propose", "--answers", str(answers),
                   "--goal", "ask for a raise", "--save", "--format", "json")
    assert done.returncode == 0, done.stderr
    proposal = json.loads(done.stdout)
    assert proposal["saved_as"] == "ask for a raise"
    again = run_cli("--data-dir", str(data_dir), "plan", "propose", "--answers", str(answers),
                    "--goal", "ask for a raise", "--save")
    assert again.returncode == 0, again.stderr
    assert "Saved as the ladder “ask for a raise (2)”" in again.stdout
    with reading(data_dir) as service:
        ladders = service.ladders()
    assert [ladder.goal for ladder in ladders] == ["ask for a raise", "ask for a raise (2)"]
    assert [r.challenge_uuid for r in ladders[0].rungs] == [
        r["challenge_id"] for r in proposal["rungs"]]


@pytest.mark.parametrize("change, named", [
    ({"not-an-item": [2, 2]}, "not-an-item"),
    ({ITEMS[4].id: [7, 2]}, ITEMS[4].id),
    ({ITEMS[5].id: [3]}, ITEMS[5].id),
    ({ITEMS[0].id: None}, ITEMS[0].id),
])
def test_a_bad_answers_file_names_the_item_and_saves_nothing(
        run_cli: Run, tmp_path: Path, change: dict[str, object], named: str) -> None:
    data_dir = tmp_path / "data"
    answers = _answers(tmp_path, **change)
    if None in change.values():  # a missing item
        raw = json.loads(answers.read_text())
        raw = {k: v for k, v in raw.items() if v is not None}
        answers.write_text(json.dumps(raw))
    done = run_cli("--data-dir", str(data_dir), "plan", "propose", "--answers", str(answers),
                   "--save")
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert f"'{named}'" in done.stderr and "nothing was saved" in done.stderr
    assert not data_dir.exists(), "nothing saved"


def test_an_answers_file_that_is_not_json(run_cli: Run, tmp_path: Path) -> None:
    bad = tmp_path / "answers.json"
    bad.write_text("{shop-directions: 1", encoding="utf-8")
    done = run_cli("--data-dir", str(tmp_path / "data"), "plan", "propose", "--answers",
                   str(bad))
    assert done.returncode == 2
    assert "not JSON" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    missing = run_cli("--data-dir", str(tmp_path / "data"), "plan", "propose", "--answers",
                      str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
