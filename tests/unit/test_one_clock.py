"""One clock: the service owns "today" and "now"; ``ui/`` and ``domain/`` never read the system
clock themselves (a widget that did would go on showing yesterday, and its tests would pass or
fail by the day they run)."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import rejection_journal
from rejection_journal.services import FixedClock

PACKAGE = Path(rejection_journal.__file__).parent

#: (object, attribute) pairs that read the wall clock
_CLOCK_READS = {
    ("date", "today"), ("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"),
    ("time", "time"), ("time", "localtime"), ("time", "gmtime"), ("time", "ctime"),
    ("QDate", "currentDate"), ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"), ("QDateTime", "currentSecsSinceEpoch"),
    ("QDateTime", "currentMSecsSinceEpoch"), ("QTime", "currentTime"),
}
#: the one exception: storage's bookkeeping stamps (created/updated, in UTC), never a day
_ALLOWED = {("domain/records.py", "utcnow")}


def _clock_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    relative = path.relative_to(PACKAGE).as_posix()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            pair = (node.value.id, node.attr)
            if pair in _CLOCK_READS:
                function = _enclosing_function(tree, node)
                if (relative, function) not in _ALLOWED:
                    found.append(f"{relative}:{node.lineno} {node.value.id}.{node.attr}")
        # a default argument such as ``now=datetime.now`` is a read too (caught above), and
        # so is a bare imported name: ``from time import time``
        if isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime"):
            for alias in node.names:
                if (node.module, alias.name) in _CLOCK_READS:
                    found.append(f"{relative}:{node.lineno} from {node.module} import "
                                 f"{alias.name}")
    return found


def _enclosing_function(tree: ast.AST, target: ast.AST) -> str | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                child is target for child in ast.walk(node)):
            return node.name
    return None


@pytest.mark.parametrize("layer", ["ui", "domain"])
def test_no_widget_or_rule_reads_the_system_clock(layer: str) -> None:
    reads = [read for path in sorted((PACKAGE / layer).rglob("*.py"))
             for read in _clock_reads(path)]
    assert not reads, "ask the service's clock instead:\n" + "\n".join(reads)


def test_the_checker_finds_a_clock_read(tmp_path: Path) -> None:
    sample = PACKAGE / "ui" / "_sample_for_test.py"
    sample.write_text("from datetime import date\n\ndef f():\n    return date.today()\n")
    try:
        assert _clock_reads(sample) == ["ui/_sample_for_test.py:4 date.today"]
    finally:
        sample.unlink()


def test_a_fixed_clock_stands_still_until_moved() -> None:
    clock = FixedClock(datetime(2027, 12, 31, 23, 59, 30))
    assert clock.today() == date(2027, 12, 31)
    clock.advance(timedelta(seconds=45))
    assert clock.today() == date(2028, 1, 1)
    clock.set(date(2028, 2, 29))
    assert clock.now() == datetime(2028, 2, 29, 12, 0)
