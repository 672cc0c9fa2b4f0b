"""Hermetic test set-up: offscreen Qt, a test application name, no real profile touched."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Nothing above imports Qt or Matplotlib; set their environment before anything does:
# offscreen, on a fixed 1440x900 screen at 96 DPI, so sizes are the same on every machine.
_SCREEN = Path(__file__).with_name("offscreen-screen.json")
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ["QT_API"] = "pyside6"
os.environ.pop("REJECTION_JOURNAL_DATA_DIR", None)

from rejection_journal.storage import Journal, open_journal  # noqa: E402

#: what moves a process's clock (libfaketime, `make test-dates`) and its time zone
_CLOCK_VARIABLES = ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_RESET", "TZ")


def same_clock() -> dict[str, str]:
    """The variables a subprocess with a clean environment needs to keep this process's
    clock (under `make test-dates`, the faked one): add them to its ``env``."""
    return {name: os.environ[name] for name in _CLOCK_VARIABLES if name in os.environ}


def isolate_profile(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every default location (HOME, XDG folders, the default journal) under ``home``."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("REJECTION_JOURNAL_DATA_DIR", str(home / "default-journal"))


@pytest.fixture(autouse=True)
def _isolated_profile(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every default location at a temp folder, so no test can reach the real profile.
    (A module-scoped fixture, set up before this one, calls :func:`isolate_profile` itself.)"""
    isolate_profile(tmp_path_factory.mktemp("home"), monkeypatch)


@pytest.fixture(autouse=True)
def _no_journal_outlives_its_test() -> Iterator[None]:
    """Close whatever journal a test left open, whatever happened in it: a test that fails
    half-way must be reported once, not again by every later test as "already open"."""
    yield
    from rejection_journal.storage.journal import current_journal

    leftover = current_journal()
    if leftover is not None:
        leftover.close()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = open_journal(tmp_path / "journal")
    try:
        yield j
    finally:
        j.close()


#: the audit events of a process starting another (subprocess, multiprocessing, os.system, ...)
_SPAWN_EVENTS = frozenset({"subprocess.Popen", "os.posix_spawn", "os.spawn", "os.fork",
                           "os.forkpty", "os.exec", "os.system"})
#: what the running test has started, while a fast-loop test runs (None otherwise)
_spawned: list[str] | None = None


def _note_spawns(event: str, args: tuple[object, ...]) -> None:
    if _spawned is not None and event in _SPAWN_EVENTS:
        _spawned.append(f"{event} {args[:2]!r}")


sys.addaudithook(_note_spawns)


@pytest.fixture(autouse=True)
def _the_fast_loop_stays_in_process(request: pytest.FixtureRequest) -> Iterator[None]:
    """`make test-fast` runs tests/unit minus the ``subprocess`` mark: no windows, no processes.
    A test there that opens a window fails at once; one that starts a process unmarked fails
    at its end, so the fast loop stays what it says."""
    global _spawned
    if "unit" not in Path(str(request.node.path)).parts:
        yield
        return
    windows = {"qtbot", "qapp", "qtmodeltester"} & set(request.fixturenames)
    if windows:
        pytest.fail(f"tests/unit is the fast loop: no windows ({', '.join(sorted(windows))}); "
                    "widget tests belong in tests/gui")
    if request.node.get_closest_marker("subprocess") is not None:
        yield
        return
    started: list[str] = []
    _spawned = started
    try:
        yield
    finally:
        _spawned = None
    if started:
        pytest.fail("this test starts another process; mark it @pytest.mark.subprocess so "
                    "`make test-fast` leaves it out: " + "; ".join(started[:3]))


_RELIABILITY_FILES = ("test_import_fuzz.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in tests/reliability/, and the fuzzing, is a long trial: ``reliability``."""
    for item in items:
        path = Path(str(item.path))
        if "reliability" in path.parts or path.name in _RELIABILITY_FILES:
            item.add_marker(pytest.mark.reliability)
