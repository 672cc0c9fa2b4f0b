"""Startup benchmark: time to first paint of the app vs a bare PySide6 window, same run.

    python benchmarks/startup.py [--runs N] [--entries N]

Each start is a fresh process (benchmarks/startup_probe.py), alternating bare and app so that
machine noise hits both alike. Prints medians and the ratio app/bare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBE = HERE / "startup_probe.py"


def probe(*args: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    out = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True, text=True,
                         env=env, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--entries", type=int, default=3650, help="demo entries in the journal")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "journal"
        subprocess.run([sys.executable, "-m", "rejection_journal", "--data-dir", str(data),
                        "demo", "--entries", str(args.entries)], check=True,
                       capture_output=True)
        probe("bare")  # warm the OS file cache for both
        probe("app", str(data))
        bare, app, chart = [], [], []
        for _ in range(args.runs):
            bare.append(probe("bare")["first_paint_s"])
            result = probe("app", str(data))
            assert result["matplotlib_at_first_paint"] is False, "Matplotlib loaded before paint"
            app.append(result["first_paint_s"])
            chart.append(result["chart_ready_s"])
    b, a, c = (statistics.median(x) for x in (bare, app, chart))
    print(f"journal: {args.entries} demo entries, {args.runs} runs each, medians")
    print(f"bare PySide6 window, first paint : {b * 1000:7.0f} ms")
    print(f"Rejection Journal, first paint   : {a * 1000:7.0f} ms   ({a / b:.2f}x bare)")
    print(f"Rejection Journal, chart drawn   : {c * 1000:7.0f} ms   ({c / b:.2f}x bare)")
    print("Matplotlib imported before first paint: never")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
