"""`rejection-journal challenges` and `today`, and `chart --ladder NAME`, as real subprocesses."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import same_clock

from .conftest import Run


@pytest.fixture(scope="module")
def demo(launcher: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo journal with ladders and a run (read-only use)."""
    data = tmp_path_factory.mktemp("ladder-demo") / "data"
    done = subprocess.run([str(launcher), "--data-dir", str(data), "demo", "--entries", "90"],
                          capture_output=True, text=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                               **same_clock()})
    assert done.returncode == 0, done.stderr
    assert "fear ladders" in done.stdout and "1 challenge run" in done.stdout
    return data


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def _error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rejection-journal"), result.stderr
    return lines[0]


def test_challenges_lists_the_library_and_own_as_json(run_cli: Run, demo: Path) -> None:
    result = run_cli("--data-dir", str(demo), "challenges", "--format", "json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) >= 150
    assert {"id", "title", "how_to", "category", "level", "built_in"} <= set(items[0])
    assert all(item["built_in"] for item in items)
    assert {item["level"] for item in items} == set(range(1, 11))


def test_challenges_filters_by_category_levels_and_words(run_cli: Run, demo: Path) -> None:
    def listed(*args: str) -> list[dict[str, object]]:
        result = run_cli("--data-dir", str(demo), "challenges", "--format", "json", *args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    career = listed("--category", "career", "--min-level", "8", "--max-level", "10")
    assert career and all(c["category"] == "career" and 8 <= c["level"] <= 10  # type: ignore[operator]
                          for c in career)
    assert all(c["level"] == 4 for c in listed("--level", "4"))
    found = listed("--search", "RAISE")
    assert found and all("raise" in f"{c['title']} {c['how_to']}".lower() for c in found)
    text = run_cli("--data-dir", str(demo), "challenges", "--search", "zzqqxx")
    assert text.returncode == 0 and "No challenges match" in text.stdout


@pytest.mark.parametrize(("args", "words"), [
    (("challenges", "--category", "sports"), "unknown category 'sports'"),
    (("challenges", "--level", "11"), "levels go from 1 to 10, not 11"),
    (("challenges", "--min-level", "0"), "levels go from 1 to 10, not 0"),
    (("challenges", "--min-level", "7", "--max-level", "3"), "--min-level 7 is above"),
    (("challenges", "--level", "3", "--min-level", "2"), "either --level"),
    (("today", "--date", "2026-02-30"), "not a real date"),
    (("today", "--date", "tomorrow"), "not a date like"),
    (("today", "--format", "yaml"), "invalid choice"),
])
def test_bad_input_is_one_line_and_a_failure(run_cli: Run, demo: Path, args: tuple[str, ...],
                                             words: str) -> None:
    assert words in _error_line(run_cli("--data-dir", str(demo), *args))


def test_today_is_the_same_for_the_same_date_and_prefers_the_ladder_step(
        run_cli: Run, demo: Path) -> None:
    before = _snapshot(demo)
    first = run_cli("--data-dir", str(demo), "today", "--date", "2026-05-01")
    second = run_cli("--data-dir", str(demo), "today", "--date", "2026-05-01")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and first.stdout.startswith(
        "Challenge for 2026-05-01: ")
    assert "on your ladder “Ask for a raise”" in first.stdout
    data = json.loads(run_cli("--data-dir", str(demo), "today", "--date", "2026-05-01",
                              "--format", "json").stdout)
    assert data["date"] == "2026-05-01" and data["ladder"]["goal"] == "Ask for a raise"
    assert data["title"] in first.stdout
    assert _snapshot(demo) == before, "reading commands write nothing"


def test_today_without_a_journal_suggests_from_the_library_and_creates_nothing(
        run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "none"
    runs = [run_cli("--data-dir", str(data), "today", "--date", "2026-01-05", "--format",
                    "json") for _ in range(2)]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    assert json.loads(runs[0].stdout)["ladder"] is None
    assert not data.exists()


def test_chart_ladder_by_name_with_demo_data(run_cli: Run, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "ladder.csv"
    result = run_cli("--data-dir", str(demo), "chart", "--kind", "ladder", "--ladder",
                     "ask for a RAISE", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "nothing to show" not in result.stdout
    rows = out.read_text("utf-8").splitlines()
    assert rows[0] == "rung,name,attempts,anticipated,actual" and len(rows) >= 3
    png = tmp_path / "ladder.png"
    assert run_cli("--data-dir", str(demo), "chart", "--kind", "ladder", "--ladder",
                   "Make new friends in town", "--out", str(png)).returncode == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    line = _error_line(run_cli("--data-dir", str(demo), "chart", "--kind", "ladder",
                               "--ladder", "Climb Everest", "--out", str(tmp_path / "x.csv")))
    assert "no ladder called 'Climb Everest'" in line and "Ask for a raise" in line
    assert not (tmp_path / "x.csv").exists()


def test_a_listing_cut_short_by_its_reader_says_nothing_and_shows_no_traceback(
    launcher: Path, tmp_path: Path,
) -> None:
    # `rejection-journal challenges | head -1`: the reader has gone (here before the listing
    # is written: a listing smaller than the pipe's buffer would fit in it whole)
    listing = subprocess.Popen([str(launcher), "--data-dir", str(tmp_path / "data"),
                                "challenges"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                               **same_clock()})
    assert listing.stdout is not None and listing.stderr is not None
    listing.stdout.close()
    errors = listing.stderr.read().decode()
    listing.stderr.close()
    assert listing.wait(timeout=60) == 141
    assert errors == ""


def test_search_ignores_accents_as_the_picker_does(run_cli, tmp_path: Path) -> None:
    """`challenges --search cafe` finds the café challenges: the same rule as the picker's
    search (domain/picker.py matches_search over domain/text_match.py)."""
    import json

    from rejection_journal.domain.library import builtin_challenges
    from rejection_journal.domain.picker import matches_search

    data = str(tmp_path / "none")  # no journal: the library
    wanted = sorted(c.uuid for c in builtin_challenges() if matches_search(c, "cafe"))
    assert wanted, "the library has café challenges"
    for query in ("cafe", "CAFÉ", "Café"):
        found = run_cli("--data-dir", data, "challenges", "--search", query, "--format", "json")
        assert found.returncode == 0, found.stderr
        assert sorted(item["id"] for item in json.loads(found.stdout)) == wanted, query
