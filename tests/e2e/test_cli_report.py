"""`rejection-journal report` (issue 25): a numbered PDF with metadata and extractable text,
private by default, that agrees with `chart --format csv`; an empty range is one line."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Outcome
from tests.conftest import same_clock

from .conftest import Run, demo_journal

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None
                                or shutil.which("pdftotext") is None,
                                reason="needs poppler-utils (pdfinfo, pdftotext)")

REFLECTION = "The barista smiled and I stayed calm"
NAME = "Robin Quill"


@pytest.fixture(scope="module")
def journal(launcher: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 demo entries, one of them with a known reflection and name (a copy made by
    export, changed, and imported into a new journal)."""
    demo = demo_journal(launcher, tmp_path_factory.mktemp("report") / "demo", 60)
    data = tmp_path_factory.mktemp("report") / "data"
    known = tmp_path_factory.mktemp("import") / "known.json"
    export = subprocess.run([str(launcher), "--data-dir", str(demo), "export", "--format",
                             "json", "--out", str(known)], capture_output=True, text=True,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                 **same_clock()})
    assert export.returncode == 0, export.stderr
    document = json.loads(known.read_text(encoding="utf-8"))
    entry = next(e for e in document["attempts"] if e["outcome"] == Outcome.NO.value)
    entry.update(reflection=REFLECTION, who_asked=NAME, )
    known.write_text(json.dumps(document), encoding="utf-8")
    done = subprocess.run([str(launcher), "--data-dir", str(data), "import", str(known)],
                          capture_output=True, text=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                 **same_clock()})
    assert done.returncode == 0, done.stderr
    return data


def _info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return {k.strip(): v.strip() for k, _, v in
            (line.partition(":") for line in out.stdout.splitlines())}


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                         check=True)
    return " ".join(out.stdout.split())


def test_report_has_pages_metadata_text_and_embedded_fonts(run_cli: Run, journal: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    done = run_cli("--data-dir", str(journal), "report", "--out", str(out))
    assert done.returncode == 0, done.stderr
    info = _info(out)
    pages = int(info["Pages"])
    assert pages > 3 and f"Saved the report to {out}: {pages} pages" in done.stdout
    assert info["Title"].startswith("A report from my rejection journal")
    assert "entries" in info["Subject"]
    text = _text(out)
    assert "What you tried" in text and "How well you predicted a no" in text
    assert f"Page {pages} of {pages}" in text
    assert text.count("Rejection Journal report") == pages  # the period on every page
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in f"{line} " for line in fonts)
    assert all("TrueType" in line for line in fonts)


def test_private_by_default(run_cli: Run, journal: Path, tmp_path: Path) -> None:
    plain, included, named = (tmp_path / f"{n}.pdf" for n in ("plain", "refl", "named"))
    for out, extra in ((plain, ()), (included, ("--include-reflections",)),
                       (named, ("--include-reflections", "--include-names"))):
        done = run_cli("--data-dir", str(journal), "report", "--out", str(out), *extra)
        assert done.returncode == 0, done.stderr
    assert REFLECTION not in _text(plain) and NAME not in _text(plain)
    assert REFLECTION in _text(included) and NAME not in _text(included)
    assert REFLECTION in _text(named) and NAME in _text(named)


def test_json_agrees_with_the_chart_csvs(run_cli: Run, journal: Path, tmp_path: Path) -> None:
    done = run_cli("--data-dir", str(journal), "report", "--format", "json")
    assert done.returncode == 0, done.stderr
    numbers = json.loads(done.stdout)
    out = tmp_path / "outcomes.csv"
    chart = run_cli("--data-dir", str(journal), "chart", "--kind", "outcomes", "--out", str(out))
    assert chart.returncode == 0, chart.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = {o: sum(int(r[o.value]) for r in rows) for o in Outcome}
    assert (numbers["no"], numbers["yes"], numbers["didnt_ask"]) == (
        total[Outcome.NO], total[Outcome.YES], total[Outcome.DIDNT_ASK])
    cal_out = tmp_path / "cal.csv"
    assert run_cli("--data-dir", str(journal), "chart", "--kind", "calibration", "--out",
                   str(cal_out)).returncode == 0
    with cal_out.open(encoding="utf-8", newline="") as handle:
        (summary,) = [r for r in csv.DictReader(handle) if r["row"] == "summary"]
    assert numbers["predicted"] == int(summary["asks"])
    assert numbers["brier"] == pytest.approx(float(summary["brier"]))
    pdf = tmp_path / "r.pdf"
    assert run_cli("--data-dir", str(journal), "report", "--out", str(pdf)).returncode == 0
    assert f"You made {numbers['asks']:,} asks" in _text(pdf)


def test_an_empty_range_is_one_line_and_no_file(run_cli: Run, journal: Path,
                                                tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    done = run_cli("--data-dir", str(journal), "report", "--since", "1999-01-01", "--until",
                   "1999-12-31", "--out", str(out))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "rejection-journal: there are no entries from 1 January 1999 to 31 December 1999, "
        "so there is nothing to report"]
    assert not out.exists()


def test_an_existing_file_needs_force_and_the_journal_is_refused(
        run_cli: Run, journal: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"mine")
    done = run_cli("--data-dir", str(journal), "report", "--out", str(out))
    assert done.returncode == 1 and "add --force" in done.stderr
    assert out.read_bytes() == b"mine"
    link = tmp_path / "sneaky.pdf"
    link.symlink_to(journal / "journal.sqlite3")
    done = run_cli("--data-dir", str(journal), "report", "--out", str(link), "--force")
    assert done.returncode == 1 and "journal's own files" in done.stderr
