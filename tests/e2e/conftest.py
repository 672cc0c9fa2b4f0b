from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import same_clock

LAUNCHER = Path(sys.executable).with_name("rejection-journal")

Run = Callable[..., subprocess.CompletedProcess[str]]
#: what the real-window tests need (`bash .ci/run` installs them)
NEEDS = ("Xvfb", "xdotool")


@pytest.fixture(scope="session")
def launcher() -> Path:
    assert LAUNCHER.exists(), (
        f"{LAUNCHER} missing: install the app into the test venv (make test does this)"
    )
    return LAUNCHER


@pytest.fixture
def run_cli(launcher: Path, tmp_path: Path) -> Run:
    """Run the installed ``rejection-journal`` as a subprocess with a clean environment."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
            pass_fds: tuple[int, ...] = ()) -> subprocess.CompletedProcess[str]:
        base = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path / "home"),
            "QT_QPA_PLATFORM": "offscreen",
            "LANG": "C.UTF-8",
            **same_clock(),
        }
        base.update(env or {})
        return subprocess.run([str(launcher), *args], capture_output=True, text=True,
                              env=base, timeout=timeout, stdin=subprocess.DEVNULL,
                              pass_fds=pass_fds)

    return run


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    """A virtual X display (Xvfb) for a real window."""
    missing = [tool for tool in NEEDS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {' and '.join(missing)} (`bash .ci/run` installs them)")
    # -displayfd: Xvfb picks a free display and writes its number once it is ready.
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def demo_journal(launcher: Path, data: Path, entries: int) -> Path:
    """A journal of ``entries`` demo entries in ``data``, made by the installed CLI."""
    subprocess.run([str(launcher), "--data-dir", str(data), "demo", "--entries", str(entries)],
                   check=True, capture_output=True, env={"QT_QPA_PLATFORM": "offscreen",
                                                         "PATH": "/usr/bin:/bin", **same_clock()})
    return data
