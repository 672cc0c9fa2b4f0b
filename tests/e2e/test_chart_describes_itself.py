"""Exported charts describe themselves: the PDF's title, subject and keywords (as ``pdfinfo``
reads them), the SVG's ``<title>`` and ``<desc>``, the PNG's Title and Description text
chunks; and no exported image carries the pane's on-screen "click a dot" instruction."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from rejection_journal.charts.kinds import KIND_INFO, KindInfo

from .conftest import Run, demo_journal

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def demo(launcher: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal of 25 demo entries: few enough for the gap chart's single dots."""
    return demo_journal(launcher, tmp_path_factory.mktemp("describe-demo") / "data", 25)


def _poppler(tool: str, *args: str | Path) -> str:
    exe = shutil.which(tool)
    assert exe, f"{tool} missing: install poppler-utils (.ci/run does)"
    return subprocess.run([exe, *args], capture_output=True, text=True, check=True).stdout


def png_text(data: bytes) -> dict[str, str]:
    """The PNG's tEXt, zTXt and iTXt chunks, parsed by hand."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    texts: dict[str, str] = {}
    pos = 8
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            texts[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            texts[key.decode("latin-1")] = zlib.decompress(rest[1:]).decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _translated, _, value = rest.partition(b"\0")
            texts[key.decode("latin-1")] = (zlib.decompress(value) if compressed
                                            else value).decode("utf-8")
    return texts


def _export(run_cli: Run, demo: Path, out: Path, kind: str) -> None:
    result = run_cli("--data-dir", str(demo), "chart", "--kind", kind, "--out", str(out),
                     "--dpi", "72", "--width", "7", "--height", "4.5")
    assert result.returncode == 0, result.stderr


def _check_all_formats(run_cli: Run, demo: Path, tmp_path: Path, kind: str,
                       title: str) -> None:
    pdf, svg, png = (tmp_path / f"{kind}.{ext}" for ext in ("pdf", "svg", "png"))
    for out in (pdf, svg, png):
        _export(run_cli, demo, out, kind)

    info = dict(line.split(":", 1) for line in _poppler("pdfinfo", pdf).splitlines()
                if ":" in line)
    assert info["Title"].strip() == f"{title}, all time"
    subject = info["Subject"].strip()
    assert subject.endswith(".") and len(subject) > 20
    assert "rejection journal" in info["Keywords"]
    assert "click" not in _poppler("pdftotext", pdf, "-").lower()

    root = ET.fromstring(svg.read_bytes())
    # The title and the description are the first children of <svg> (what readers look for).
    assert [child.tag for child in root][:2] == [f"{SVG}title", f"{SVG}desc"]
    assert root.findtext(f"{SVG}title") == f"{title}, all time"
    assert root.findtext(f"{SVG}desc") == subject
    assert "click" not in svg.read_text().lower()

    texts = png_text(png.read_bytes())
    assert texts["Title"] == f"{title}, all time"
    assert texts["Description"] == subject
    assert not any("click" in value.lower() for value in texts.values())


def test_the_gap_chart_describes_itself_in_every_format(
    run_cli: Run, demo: Path, tmp_path: Path
) -> None:
    _check_all_formats(run_cli, demo, tmp_path, "gap", "Anticipated vs actual discomfort")
    info = _poppler("pdfinfo", tmp_path / "gap.pdf")
    # (the 25 demo entries hold three rejections that happened to the user and three
    # entries waiting for an answer since issue 21: neither is a rated ask)
    assert "Over your 15 rated asks you expected" in info
    # ... and it says how many rejections that happened to the user it leaves out
    assert "3 rejections that happened to you are not in this chart: they have no " \
        "prediction to check." in " ".join(info.split())


def test_the_learned_chart_describes_itself_in_every_format(
    run_cli: Run, demo: Path, tmp_path: Path
) -> None:
    _check_all_formats(run_cli, demo, tmp_path, "learned", "What you learned")
    info = _poppler("pdfinfo", tmp_path / "learned.pdf")
    assert "asks with a named fear" in info


@pytest.mark.slow  # 15 runs of the CLI: `make test` runs it
@pytest.mark.parametrize("info", [k for k in KIND_INFO if k.name != "gap"],
                         ids=lambda k: k.name)
def test_every_kind_describes_itself(run_cli: Run, demo: Path, tmp_path: Path,
                                     info: KindInfo) -> None:
    _check_all_formats(run_cli, demo, tmp_path, info.name, info.title)
