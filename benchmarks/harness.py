"""The shared benchmark harness: figures, alternating runs, one table, one JSON file.

A :class:`Figure` is a name, what its baseline is, a target ratio and one ``measure``
callable: ``measure(False)`` takes the baseline's sample(s), ``measure(True)`` the subject's.
Each returns one number or a list of them (seconds, or what ``unit`` says). The two are run
alternately ``runs`` times (after one warm-up each, unless the figure says it needs none), so
machine noise hits both alike; the
result is the median of each, the ratio subject/baseline and whether it is within the target.

``BENCH_RUNS`` (default 5) sets how many alternating runs each figure gets.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
#: the installed command, as a user starts it
CLI = str(Path(sys.executable).with_name("rejection-journal"))
DEFAULT_RUNS = 5

Samples = float | Sequence[float]


def runs_from_env() -> int:
    value = os.environ.get("BENCH_RUNS", "")
    return max(1, int(value)) if value.strip() else DEFAULT_RUNS


@dataclass
class Figure:
    name: str
    baseline: str
    target: float | None  # ratio subject/baseline must be at most this; None: shown only
    measure: Callable[[bool], Samples]  # measure(False): baseline, measure(True): subject
    unit: str = "ms"  # "ms" (samples in seconds), or "MB"/"MiB" (samples as they are)
    runs: int | None = None  # fewer runs for a slow figure (None: BENCH_RUNS)
    warm_up: bool = True  # one untimed baseline and subject run first
    not_measured: str | None = None  # why it cannot be measured on this branch
    cleanup: Callable[[], None] | None = None  # called once the figure is done
    #: an absolute target instead of a ratio: the subject's median must be at most this
    #: (in ``unit``: ms or MB); the baseline is then shown for reference only
    limit: float | None = None


@dataclass
class Result:
    name: str
    baseline: str
    unit: str
    target: float | None
    baseline_median: float | None = None
    subject_median: float | None = None
    ratio: float | None = None
    samples: int = 0
    status: str = ""
    note: str = ""
    baseline_samples: list[float] = field(default_factory=list)
    subject_samples: list[float] = field(default_factory=list)


def _as_list(value: Samples) -> list[float]:
    return [float(value)] if isinstance(value, int | float) else [float(v) for v in value]


def run_figure(figure: Figure, runs: int) -> Result:
    result = Result(figure.name, figure.baseline, figure.unit, figure.target)
    if figure.not_measured:
        result.status = "not measured yet"
        result.note = figure.not_measured
        return result
    runs = min(runs, figure.runs or runs)
    print(f"  {figure.name} ({runs} runs)", flush=True)
    try:
        if figure.warm_up:  # OS file cache, font caches, .pyc files
            figure.measure(False)
            figure.measure(True)
        for _ in range(runs):
            result.baseline_samples += _as_list(figure.measure(False))
            result.subject_samples += _as_list(figure.measure(True))
    except Exception as exc:  # one broken figure must not lose the others' results
        result.status = "error"
        result.note = f"{type(exc).__name__}: {exc}"[:300]
        print(f"    failed: {result.note}", flush=True)
        return result
    finally:
        if figure.cleanup is not None:
            figure.cleanup()
    scale = 1000.0 if figure.unit == "ms" else 1.0
    result.baseline_median = statistics.median(result.baseline_samples) * scale
    result.subject_median = statistics.median(result.subject_samples) * scale
    result.samples = len(result.subject_samples)
    result.ratio = result.subject_median / result.baseline_median
    if figure.limit is not None:
        result.status = "met" if result.subject_median <= figure.limit else "MISSED"
        result.note = result.note or f"target: at most {figure.limit:g} {figure.unit}"
    elif figure.target is None:
        result.status = "info"
    else:
        result.status = "met" if result.ratio <= figure.target else "MISSED"
    return result


def _value(number: float | None, unit: str) -> str:
    if number is None:
        return "-"
    return f"{number:,.1f} {unit}" if number < 100 else f"{number:,.0f} {unit}"


def table(results: Sequence[Result]) -> str:
    header = ("Figure", "Baseline (same run)", "baseline", "measured", "ratio", "target",
              "result")
    rows = [header]
    for r in results:
        rows.append((
            r.name,
            r.baseline,
            _value(r.baseline_median, r.unit),
            _value(r.subject_median, r.unit),
            "-" if r.ratio is None else f"{r.ratio:.2f}x",
            "-" if r.target is None else f"<= {r.target:g}x",
            r.status,
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {2, 3, 4, 5}
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                 for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = [f"  {r.name}: {r.note}" for r in results if r.note]
    if notes:
        lines += ["", "Notes:", *notes]
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, Qt offscreen")


def write_json(results: Sequence[Result], runs: int, wall_s: float,
               path: Path = RESULTS / "latest.json") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "runs": runs,
        "wall_s": round(wall_s, 1),
        "figures": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path


def markdown(path: Path = RESULTS / "latest.json") -> str:
    """The results in ``path`` as the README's Markdown table, with the machine and date."""
    data = json.loads(path.read_text())
    lines = ["| Figure | Baseline (same run) | Baseline | Measured | Ratio | Target | Result |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in data["figures"]:
        ratio = "–" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        target = "–" if r["target"] is None else f"≤ {r['target']:g}×"
        status = r["status"] if r["status"] != "MISSED" else "**missed**"
        lines.append(f"| {r['name']} | {r['baseline']} | {_value(r['baseline_median'], r['unit'])}"
                     f" | {_value(r['subject_median'], r['unit'])} | {ratio} | {target} | "
                     f"{status} |".replace(" - |", " – |"))
    lines.append("")
    lines.append(f"Measured {data['created_at'][:10]} on {data['machine']}; {data['runs']} "
                 f"alternating runs per figure (fewer for the slowest), medians; the whole run "
                 f"took {data['wall_s'] / 60:.1f} min.")
    return "\n".join(lines)


# -- journals and processes ------------------------------------------------------------------

def child_env(**extra: str) -> dict[str, str]:
    """The environment of a measured process: offscreen Qt, no modal error box."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "QT_API": "pyside6", "REJECTION_JOURNAL_NO_ERROR_DIALOG": "1"}
    env.update(extra)
    return env


class Journals:
    """Demo journals made once per run (with the ``demo`` command) in a temp folder;
    :meth:`fresh` hands out a copy, so every start finds what a user's first start of the
    day finds (the daily backup due) and no run changes what the next one sees."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._templates: dict[int, Path] = {}
        self._copies = 0

    def template(self, entries: int) -> Path:
        if entries not in self._templates:
            folder = self.root / f"template-{entries}"
            started = time.perf_counter()
            if entries:
                subprocess.run([CLI, "--data-dir", str(folder), "demo", "--entries",
                                str(entries)], check=True, capture_output=True,
                               env=child_env())
            else:  # an empty journal: created (schema and challenges) and closed again
                subprocess.run([sys.executable, "-c",
                                "import sys; from pathlib import Path; "
                                "from rejection_journal.storage import open_journal; "
                                "open_journal(Path(sys.argv[1])).close()", str(folder)],
                               check=True, capture_output=True, env=child_env())
            print(f"  journal of {entries:,} demo entries made in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            self._templates[entries] = folder
        return self._templates[entries]

    def fresh(self, entries: int) -> Path:
        self._copies += 1
        target = self.root / f"copy-{self._copies}"
        shutil.copytree(self.template(entries), target)
        return target

    def discard(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="rejection-journal-bench-") as folder:
        yield Path(folder)


def seconds_to_line(command: Sequence[str], line: str, *, env: dict[str, str],
                    timeout: float = 120) -> float:
    """Seconds from spawning ``command`` to its printing ``line`` (measured from outside);
    the process is then left to finish on its own (it must exit by itself)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=env)
    elapsed: float | None = None
    try:
        assert process.stdout is not None
        for out in process.stdout:
            if out.strip() == line:
                elapsed = time.perf_counter() - start
                break
        process.stdout.close()
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if elapsed is None:
        raise RuntimeError(f"{Path(command[0]).name} exited ({process.returncode}) without "
                           f"printing {line!r}")
    return elapsed


def seconds_to_exit(command: Sequence[str], *, env: dict[str, str] | None = None,
                    timeout: float = 600) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env or child_env(),
                   timeout=timeout)
    return time.perf_counter() - start


def peak_rss_mb(command: Sequence[str], *, env: dict[str, str], timeout: float = 120) -> float:
    """Peak resident memory (ru_maxrss) of one child process, in MB.  Linux carries a
    parent's peak over fork and exec into the child's ru_maxrss, so measure before this
    process grows (bench.py runs the memory figure early)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env)
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the app did not exit in time")
        time.sleep(0.02)  # polling a child we started, not waiting for a test condition
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"the app exited with {process.returncode}")
    return usage.ru_maxrss / 1024  # kilobytes on Linux
