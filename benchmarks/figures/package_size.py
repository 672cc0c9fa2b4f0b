"""The .deb's installed size (its ``Installed-Size`` field) against the 150 MiB aimed for.

Read from the package ``make package`` left in dist/ (building it takes minutes, so the
bench does not): not measured when there is none.  One reading, no runs to alternate.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from harness import Figure, Journals

DIST = Path(__file__).resolve().parents[2] / "dist"
AIMED_FOR_MIB = 150.0


def figures(journals: Journals) -> list[Figure]:
    debs = sorted(DIST.glob("rejection-journal_*.deb"), key=lambda p: p.stat().st_mtime)

    def installed(subject: bool) -> float:
        if not subject:
            return AIMED_FOR_MIB
        field = subprocess.run(["dpkg-deb", "--field", str(debs[-1]), "Installed-Size"],
                               capture_output=True, text=True, check=True).stdout
        return int(field) / 1024  # KiB -> MiB

    name = "Installed size of the .deb (MiB)"
    baseline = "150 MiB aimed for"
    if not debs:
        return [Figure(name, baseline, 1.0, installed, unit="MiB",
                       not_measured="no dist/rejection-journal_*.deb: run make package first")]
    return [Figure(name, baseline, 1.0, installed, unit="MiB", runs=1, warm_up=False)]
