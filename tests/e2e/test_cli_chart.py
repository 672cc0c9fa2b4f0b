"""`rejection-journal chart`: every kind in every format, and bad input refused whole."""

from __future__ import annotations

import csv
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from rejection_journal.charts.kinds import KIND_NAMES

from .conftest import Run, demo_journal


@pytest.fixture(scope="module")
def demo(launcher: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal of 60 demo entries (read-only use: chart never writes into it)."""
    return demo_journal(launcher, tmp_path_factory.mktemp("chart-demo") / "data", 60)


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("rejection-journal"), stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_list_names_every_kind(run_cli: Run, demo: Path) -> None:
    result = run_cli("--data-dir", str(demo), "chart", "--list")
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(KIND_NAMES)


@pytest.mark.slow  # 24 runs of the CLI (about 30 s on 2 cores): `make test` runs it
@pytest.mark.parametrize("kind", KIND_NAMES)
def test_every_kind_exports_as_png_svg_pdf_and_csv(
    run_cli: Run, demo: Path, tmp_path: Path, kind: str
) -> None:
    for suffix in (".png", ".svg", ".pdf", ".csv"):
        out = tmp_path / f"{kind}{suffix}"
        result = run_cli("--data-dir", str(demo), "chart", "--kind", kind, "--out", str(out),
                         "--dpi", "100", "--width", "7", "--height", "4.5")
        assert result.returncode == 0, result.stderr
        assert str(out) in result.stdout
        data = out.read_bytes()
        if suffix == ".png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            assert struct.unpack(">II", data[16:24]) == (700, 450)  # inches × DPI
        elif suffix == ".svg":
            root = ET.fromstring(data)
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            assert root.get("width", "").startswith("504")  # 7 in × 72 pt
        elif suffix == ".pdf":
            assert data.startswith(b"%PDF")
            assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1, "one page"
        else:
            header = next(csv.reader(data.decode().splitlines()))
            assert header and all(header)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_filters_narrow_what_is_charted(run_cli: Run, demo: Path, tmp_path: Path) -> None:
    everything = tmp_path / "all.csv"
    recent = tmp_path / "recent.csv"
    run_cli("--data-dir", str(demo), "chart", "--kind", "outcomes", "--out", str(everything))
    result = run_cli("--data-dir", str(demo), "chart", "--kind", "outcomes", "--out",
                     str(recent), "--since", "2000-01-01", "--category", "social")
    assert result.returncode == 0, result.stderr

    def total(path: Path) -> int:
        rows = list(csv.reader(path.read_text().splitlines()))[1:]
        return sum(int(v) for row in rows for v in row[1:])

    assert 0 < total(recent) < total(everything)


@pytest.mark.parametrize(("args", "says"), [
    (["--kind", "pie"], "unknown chart kind 'pie'"),
    (["--out-ext", ".bmp"], ".png, .svg, .pdf or .csv"),
    (["--dpi", "71"], "must be from 72 to 600"),
    (["--dpi", "601"], "must be from 72 to 600"),
    (["--dpi", "lots"], "not a whole number"),
    (["--since", "2026-13-01"], "not a real date"),
    (["--until", "yesterday"], "not a date like"),
    (["--width", "0.5"], "inches"),
    (["--category", "sport"], "unknown category"),
])
def test_bad_input_is_one_line_a_non_zero_exit_and_no_file(
    run_cli: Run, demo: Path, tmp_path: Path, args: list[str], says: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "chart.png"
    if args[0] == "--out-ext":
        out, args = folder / f"chart{args[1]}", []
    result = run_cli("--data-dir", str(demo), "chart", "--out", str(out), *args)
    assert result.returncode != 0
    assert says in _one_line(result.stderr)
    assert list(folder.iterdir()) == []


def test_since_after_until_is_refused(run_cli: Run, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.png"
    result = run_cli("--data-dir", str(demo), "chart", "--out", str(out),
                     "--since", "2026-02-01", "--until", "2026-01-01")
    assert result.returncode == 1
    assert "is after --until" in _one_line(result.stderr)
    assert not out.exists()
