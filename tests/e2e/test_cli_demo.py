"""``rejection-journal demo --remove``, run as a user would (issue 18): what the user wrote in
a demo entry stays; one line says what went and how many were kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import Run


def _export(run_cli: Run, data: Path, out: Path) -> dict[str, Any]:
    result = run_cli("--data-dir", str(data), "export", "--format", "json", "--out", str(out),
                     "--force")
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return document


def test_demo_remove_keeps_the_entry_the_user_wrote_in_and_says_so(
    run_cli: Run, tmp_path: Path,
) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "30", "--seed", "2"
                   ).returncode == 0
    document = _export(run_cli, data, tmp_path / "before.json")
    assert document["format_version"] == 6, "a demo journal's export carries its marks"
    ladders, runs = len(document["ladders"]), len(document["runs"])
    # The user fills in the after half of an open demo entry (here: edited in an export and
    # imported back, which the journal takes as a later revision of its own copy).
    entry = next(a for a in document["attempts"]
                 if a["outcome"] is None and not a["awaiting_answer"])
    entry.update(outcome="yes", actual_discomfort=2, reflection="They said yes to my face.",
                 lesson="Ask before the fear gets loud.")
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    imported = run_cli("--data-dir", str(data), "import", str(edited))
    assert imported.returncode == 0, imported.stderr
    assert "1 updated" in imported.stdout
    assert f"The file holds {30 + ladders + runs} demo items" in imported.stdout

    result = run_cli("--data-dir", str(data), "demo", "--remove")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"Removed the demo data (29 entries, {ladders} ladders and {runs} run). "
        "Kept 1 entry you had changed: it is yours now."]

    after = _export(run_cli, data, tmp_path / "after.json")
    assert [a["uuid"] for a in after["attempts"]] == [entry["uuid"]]
    assert after["attempts"][0]["reflection"] == "They said yes to my face."
    assert after["format_version"] == 6 and "demo" not in after, "unmarked: the user's own"
    found = run_cli("--data-dir", str(data), "search", "face")
    assert found.returncode == 0 and entry["uuid"][:8] in found.stdout

    again = run_cli("--data-dir", str(data), "demo", "--remove")
    assert again.returncode == 0
    assert again.stdout.strip() == ("There was no unchanged demo data to remove. Your own "
                                    "entries are untouched.")


def test_demo_remove_refuses_calmly(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    for args, words, code in ((("demo", "--remove"), "no journal in", 1),
                              (("demo", "--remove", "--entries", "3"), "not allowed with", 2),
                              (("demo", "--remove", "--seed", "3"), "--seed goes with", 1)):
        result = run_cli("--data-dir", str(data), *args)
        assert result.returncode == code, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr, args
        assert result.stdout == ""
    assert not data.exists()
