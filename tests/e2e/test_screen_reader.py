"""Issue 20, screen readers: the running app's real accessibility tree, as Orca reads it.

The installed app runs on a virtual display (Xvfb) in its own D-Bus session
(``dbus-run-session``) with the AT-SPI bus (at-spi2-core) and Qt's accessibility bridge on;
tests/e2e/atspi_tree.py, run by the system Python (python3-gi), reads the tree over D-Bus.
On the demo journal: the chart says what it shows, and no control is nameless.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from rejection_journal.charts.describe import describe
from rejection_journal.charts.registry import kind_named
from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.services import JournalService
from rejection_journal.storage import open_journal
from tests.conftest import same_clock

from .conftest import Run

TREE = Path(__file__).with_name("atspi_tree.py")
SYSTEM_PYTHON = "/usr/bin/python3"
#: the roles of what a user operates (cells and list items are content, named by their text)
INTERACTIVE = {"push button", "toggle button", "check box", "radio button", "combo box",
               "text", "entry", "spin box", "spin button", "slider", "date editor", "table",
               "tree table", "list", "list box", "tree", "page tab", "button menu"}


def unnamed(nodes: list[dict[str, object]]) -> list[str]:
    """The showing interactive nodes a screen reader has no name for. A combo box's name is
    its current value on Linux: it is named only by a label (the labelled-by relation)."""
    found = []
    for node in nodes:
        role = str(node["role"])
        if role not in INTERACTIVE:
            continue
        labels = [str(name) for name in node["labelled_by"]]  # type: ignore[attr-defined]
        if any(label.strip() for label in labels):
            continue
        if role != "combo box" and str(node["name"]).strip():
            continue
        found.append(f"{role} {node['name']!r} ({node['description']!r})")
    return found


def _missing() -> list[str]:
    missing = [tool for tool in ("dbus-run-session",) if shutil.which(tool) is None]
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        missing.append("at-spi2-core")
    if subprocess.run([SYSTEM_PYTHON, "-c", "from gi.repository import Gio"],
                      capture_output=True).returncode != 0:
        missing.append("python3-gi")
    return missing


@pytest.mark.serial  # a loaded machine can keep the chart from drawing within the minute
def test_the_accessibility_tree_names_every_control_and_describes_the_chart(
        launcher: Path, display: str, run_cli: Run, tmp_path: Path) -> None:
    missing = _missing()
    assert not missing, f"needs {', '.join(missing)} (`bash .ci/run` installs them)"
    data = tmp_path / "journal"
    made = run_cli("--data-dir", str(data), "demo", "--entries", "60")
    assert made.returncode == 0, made.stderr
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "home"), "DISPLAY": display,
           "LANG": "C.UTF-8", "REJECTION_JOURNAL_DATA_DIR": str(data),
           "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", **same_clock()}
    tree = tmp_path / "tree.json"
    dumped = subprocess.run(
        ["dbus-run-session", "--", SYSTEM_PYTHON, str(TREE), "rejection-journal", "90",
         "Chart: ", str(tree), "--", str(launcher)],
        env=env, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert dumped.returncode == 0, dumped.stdout[-2000:] + dumped.stderr[-4000:]
    nodes: list[dict[str, object]] = json.loads(tree.read_text(encoding="utf-8"))

    charts = [n for n in nodes if str(n["name"]).startswith("Chart: ")]
    assert [n["name"] for n in charts] == ["Chart: Anticipated vs actual discomfort"]
    journal = open_journal(data, read_only=True)
    try:
        service = JournalService(journal)
        gap = kind_named("gap")
        expected = describe("gap", gap.load(service, ChartFilter()))
    finally:
        journal.close()
    assert charts[0]["description"] == expected
    assert str(expected).startswith("Over the last 30 asks you expected")
    assert any(n["name"] == "Chart pane" for n in nodes)

    assert len([n for n in nodes if n["role"] == "combo box"]) >= 10, "the whole window read"
    assert unnamed(nodes) == []
