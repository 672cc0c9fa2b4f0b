"""Issue 9: what was typed but not saved comes back after kill -9 and after SIGTERM.

The real app (``app_driver.py``: ``create_application`` + ``open_main_window``, offscreen) is
a child process; the test types into it, waits for it to say the draft is kept, kills it, and
starts it again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

DRIVER = Path(__file__).with_name("app_driver.py")


def _env(tmp_path: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path / "home"),
            "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}


class App:
    def __init__(self, data: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen([sys.executable, str(DRIVER), str(data)], env=env,
                                        text=True, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)
        assert self.read() == "ready"

    def read(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()

    def ask(self, command: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()


@pytest.mark.parametrize("how", ["kill -9", "SIGTERM"])
def test_a_draft_comes_back_after_the_app_is_killed(tmp_path: Path, how: str) -> None:
    data = tmp_path / "journal"
    env = _env(tmp_path)
    app = App(data, env)
    try:
        assert app.ask("draft") == "no-draft"
        assert app.ask("type Ask the neighbour to water my plants") == "drafted"
        if how == "kill -9":
            app.process.kill()
            assert app.process.wait(timeout=30) == -signal.SIGKILL
        else:
            assert app.ask("loop") == "looping"  # the app's own event loop, as run_gui runs
            app.process.send_signal(signal.SIGTERM)
            assert app.read() == "bye", "closed cleanly: the loop ended, the journal closed"
            assert app.process.wait(timeout=30) == 0
    finally:
        app.close()

    again = App(data, env)
    try:
        assert again.ask("draft") == "draft Ask the neighbour to water my plants"
        assert again.ask("quit") == "bye"
        assert again.process.wait(timeout=30) == 0
    finally:
        again.close()
