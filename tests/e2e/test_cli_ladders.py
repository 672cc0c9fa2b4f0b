"""`rejection-journal ladders`, as a real subprocess: it prints the numbers the Ladders tab shows
(``JournalService.ladder_overview``, the call ``ui/ladders.py`` makes), in JSON and as text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rejection_journal.domain.ladders import LadderOverview
from rejection_journal.domain.picker import Step
from rejection_journal.services.opening import reading, writing
from tests.conftest import same_clock

from .conftest import Run


@pytest.fixture(scope="module")
def demo(launcher: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo journal with three ladders, their rungs tried to different degrees."""
    data = tmp_path_factory.mktemp("ladders-demo") / "data"
    done = subprocess.run([str(launcher), "--data-dir", str(data), "demo", "--entries", "300"],
                          capture_output=True, text=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                               **same_clock()})
    assert done.returncode == 0, done.stderr
    return data


def _overviews(data: Path) -> list[LadderOverview]:
    """What the Ladders tab shows for each ladder, from the service itself."""
    with reading(data) as service:
        return [service.ladder_overview(ladder.uuid) for ladder in service.ladders()]


def _expected(overview: LadderOverview) -> dict[str, object]:
    suggestion = overview.suggestion
    return {
        "uuid": overview.ladder.uuid,
        "goal": overview.ladder.goal,
        "rungs": [{"challenge_uuid": s.rung.challenge_uuid, "title": s.rung.title,
                   "level": s.rung.level, "tries": s.attempts,
                   "latest_expected": s.latest_anticipated, "latest_felt": s.latest_actual}
                  for s in overview.rungs],
        "next": {"index": suggestion.index,
                 "challenge_uuid": suggestion.rung.challenge_uuid if suggestion.rung else None,
                 "reason": suggestion.explanation},
    }


def test_ladders_json_is_what_the_service_gives_the_ladders_tab(run_cli: Run,
                                                                 demo: Path) -> None:
    result = run_cli("--data-dir", str(demo), "ladders", "--format", "json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    overviews = _overviews(demo)
    assert printed == [_expected(o) for o in overviews]
    # The demo's ladders are worth comparing: tried and untried rungs, a next rung on each.
    rungs = [r for ladder in printed for r in ladder["rungs"]]
    assert len(printed) == 3
    assert any(r["tries"] == 0 for r in rungs) and any(r["tries"] >= 2 for r in rungs)
    assert any(r["latest_felt"] is not None for r in rungs)
    assert all(ladder["next"]["challenge_uuid"] is not None for ladder in printed)


def test_ladders_text_shows_each_rung_and_the_next_one_as_the_service_does(
        run_cli: Run, demo: Path) -> None:
    result = run_cli("--data-dir", str(demo), "ladders")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.rstrip("\n").split("\n\n")
    overviews = _overviews(demo)
    assert len(blocks) == len(overviews)
    for block, overview in zip(blocks, overviews, strict=True):
        lines = block.splitlines()
        assert lines[0] == f"{overview.ladder.goal}  ({overview.ladder.uuid})"
        suggestion = overview.suggestion
        rung_lines = lines[1:1 + len(overview.rungs)]
        for line, stats in zip(rung_lines, overview.rungs, strict=True):
            assert f"{stats.index + 1}. L{stats.rung.level} · {stats.rung.title} — " in line
            said = line.split(" — ", 1)[1]
            if stats.attempts == 0:
                assert said == "not tried yet"
            else:
                tries = f"{stats.attempts} tr{'y' if stats.attempts == 1 else 'ies'}"
                assert said.startswith(tries)
                if stats.latest_anticipated is not None:
                    assert f"expected {stats.latest_anticipated}" in said
                if stats.latest_actual is not None:
                    assert f"felt {stats.latest_actual}" in said
            is_next = suggestion.step is not Step.EMPTY and suggestion.index == stats.index
            assert line.startswith("▶") == is_next
        assert suggestion.rung is not None and suggestion.index is not None
        assert lines[-1] == (f"  Next: step {suggestion.index + 1}, “{suggestion.rung.title}”. "
                             f"{suggestion.explanation}")


def test_no_ladders_is_a_calm_line_and_writes_nothing(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "none"
    text = run_cli("--data-dir", str(data), "ladders")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("No ladders yet") and text.stderr == ""
    as_json = run_cli("--data-dir", str(data), "ladders", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == []
    assert not data.exists()  # reading only: no journal, no folder made


def test_a_ladder_without_steps_says_so(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with writing(data) as service:
        ladder = service.new_ladder("Speak up in meetings")
        explanation = service.ladder_suggestion(ladder.uuid).explanation
    printed = json.loads(run_cli("--data-dir", str(data), "ladders", "--format", "json").stdout)
    assert printed == [{"uuid": ladder.uuid, "goal": "Speak up in meetings", "rungs": [],
                        "next": {"index": None, "challenge_uuid": None,
                                 "reason": explanation}}]
    text = run_cli("--data-dir", str(data), "ladders")
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines() == [f"Speak up in meetings  ({ladder.uuid})",
                                        "  no steps yet", f"  {explanation}"]


def test_version_imports_no_storage() -> None:
    """``--version`` answers before the journal's layers load (the CLI's imports are lazy)."""
    probe = ("import sys\nfrom rejection_journal.cli import main\n"
             "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
             "loaded = [m for m in sys.modules if m.split('.')[0] in ('peewee', 'playhouse')"
             " or m.startswith(('rejection_journal.storage', 'rejection_journal.services'))]\n"
             "print(loaded)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
