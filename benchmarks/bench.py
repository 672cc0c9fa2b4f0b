"""``make bench``: every performance figure of issue 13 in one run, one table, one JSON file.

    python benchmarks/bench.py [--only SUBSTRING]      # BENCH_RUNS=N (default 5)

Demo journals (1,000 / 10,000 / 100,000 entries, and an empty one) are made once per run with
the ``demo`` command in a temp folder. Every figure alternates its baseline and its subject
``BENCH_RUNS`` times after a warm-up and reports the medians and their ratio against the
target (see harness.py). The table is printed at the end and written to
benchmarks/results/latest.json. Exit status 0 even when a target is missed (the table says
so); 1 if a figure could not be measured at all because of an error.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from figures import (
    charts,
    importing,
    memory,
    package_size,
    protection,
    saving,
    search,
    sorted_list,
    startup,
    undo_stall,
)
from harness import (
    Journals,
    machine,
    markdown,
    run_figure,
    runs_from_env,
    scratch,
    table,
    write_json,
)

#: memory runs before anything that grows this process: a child's ru_maxrss starts from its
#: parent's peak (Linux carries it over fork and exec), so after the in-process chart figures
#: every child would report this process's ~400 MB
MODULES = (startup, memory, saving, charts, importing, search, sorted_list, undo_stall,
           protection, package_size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only figures whose name contains this")
    parser.add_argument("--markdown", action="store_true",
                        help="print the last results (results/latest.json) as a Markdown table "
                        "for the README, and stop")
    args = parser.parse_args()
    if args.markdown:
        print(markdown())
        return 0
    runs = runs_from_env()
    started = time.perf_counter()
    print(f"make bench: {runs} alternating runs per figure on {machine()}", flush=True)
    with scratch() as root:
        os.environ.setdefault("MPLCONFIGDIR", str(root / "mplconfig"))
        # Measured processes start as on a user's machine, with compiled .pyc files (the
        # warm-up run writes them here), even where PYTHONDONTWRITEBYTECODE is set.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        journals = Journals(root)
        results = []
        for module in MODULES:
            for figure in module.figures(journals):
                if args.only.lower() in figure.name.lower():
                    results.append(run_figure(figure, runs))
    wall = time.perf_counter() - started
    print()
    print(table(results))
    path = write_json(results, runs, wall)
    print(f"\n{runs} runs per figure, {wall:.0f} s in all; written to {path}")
    return 1 if any(r.status == "error" for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
