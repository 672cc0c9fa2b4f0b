"""The longest GUI-thread stall while Edit ▸ Undo takes back a 20,000-entry import, in the real
window on a 10,000-entry journal (benchmarks/undo_stall_probe.py); the baseline is the same
timer in the same window left idle."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from harness import CLI, HERE, Figure, Journals, child_env

PROBE = str(HERE / "undo_stall_probe.py")
IMPORTED = 20_000
JOURNAL = 10_000
#: issue 22: no GUI stall longer than this during the undo
LIMIT_MS = 100


def figures(journals: Journals) -> list[Figure]:
    exported: list[Path] = []

    def export() -> Path:
        if not exported:
            path = journals.root / f"export-{IMPORTED}.json"
            subprocess.run([CLI, "--data-dir", str(journals.template(IMPORTED)), "export",
                            "--format", "json", "--out", str(path)], check=True,
                           capture_output=True, env=child_env())
            exported.append(path)
        return exported[0]

    def stall(subject: bool) -> float:
        folder = journals.fresh(JOURNAL)
        command = [sys.executable, PROBE, "undo" if subject else "idle", str(folder)]
        if subject:
            command.append(str(export()))
        try:
            out = subprocess.run(command, check=True, capture_output=True, text=True,
                                 env=child_env(), timeout=600).stdout
        finally:
            journals.discard(folder)
        return float(json.loads(out.strip().splitlines()[-1])["stall_s"])

    return [Figure(f"Longest GUI stall during Undo of a {IMPORTED:,}-entry import, "
                   f"{JOURNAL:,} entries", "the same window idle", None, stall, runs=3,
                   warm_up=False, limit=LIMIT_MS)]
