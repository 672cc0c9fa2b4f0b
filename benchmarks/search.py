"""Search speed: the first page of a full-text search vs a LIKE scan of the same texts.

    python benchmarks/search.py [--journal DIR] [--entries 100000] [--runs 7] [--json FILE]

With no ``--journal``, a demo journal of ``--entries`` entries is made in a temp folder.  For
each common word, the first page (50 hits, ranked, marked: ``Journal.search``) is timed
against ``SELECT … WHERE ask LIKE '%word%' OR feelings_before LIKE … `` over the same six
texts (what a search without the index must do); the two alternate so machine noise hits
both alike.  Medians and the ratio FTS/LIKE are printed (target: ≤ 0.25).
``measure(journal_path)`` returns the figures for the benchmarks runner.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_RATIO = 0.25
PAGE = 50
#: common words of the demo data (each in a fifth or more of its entries)
WORDS = ("nervous", "smile", "relieved", "laugh")


def measure(journal_path: Path, *, words: tuple[str, ...] = WORDS, runs: int = 7
            ) -> dict[str, Any]:
    """Median milliseconds of the FTS first page and of the LIKE scan, per word and over all
    words, and their ratio.  ``journal_path`` is the journal's folder (or its file)."""
    from rejection_journal.storage import open_journal
    from rejection_journal.storage.migrations import SEARCHED_COLUMNS
    from rejection_journal.storage.models import database

    data_dir = journal_path.parent if journal_path.is_file() else journal_path
    like = " OR ".join(f'"{c}" LIKE ?' for c in SEARCHED_COLUMNS)
    scan = f'SELECT "uuid", "attempted_on", "ask" FROM "attempt" WHERE {like}'
    per_word: dict[str, dict[str, float | int]] = {}
    all_fts: list[float] = []
    all_like: list[float] = []
    with open_journal(data_dir, read_only=True) as journal:
        entries = journal.attempt_count()
        for word in words:
            fts_times: list[float] = []
            like_times: list[float] = []
            journal.search(word, PAGE)  # warm the page cache alike for both
            database.execute_sql(scan, [f"%{word}%"] * len(SEARCHED_COLUMNS)).fetchall()
            for _ in range(runs):
                start = time.perf_counter()
                hits = journal.search(word, PAGE)
                fts_times.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                rows = database.execute_sql(
                    scan, [f"%{word}%"] * len(SEARCHED_COLUMNS)).fetchall()
                like_times.append((time.perf_counter() - start) * 1000)
            assert len(hits) == min(PAGE, len(rows)), (word, len(hits), len(rows))
            fts, scanned = statistics.median(fts_times), statistics.median(like_times)
            per_word[word] = {"matches": len(rows), "fts_first_page_ms": round(fts, 2),
                              "like_scan_ms": round(scanned, 2),
                              "ratio": round(fts / scanned, 3)}
            all_fts.extend(fts_times)
            all_like.extend(like_times)
    fts_ms, like_ms = statistics.median(all_fts), statistics.median(all_like)
    return {"entries": entries, "page": PAGE, "runs": runs, "words": per_word,
            "fts_first_page_ms": round(fts_ms, 2), "like_scan_ms": round(like_ms, 2),
            "ratio": round(fts_ms / like_ms, 3), "target_ratio": TARGET_RATIO}


def _demo_journal(folder: Path, entries: int) -> Path:
    launcher = Path(sys.executable).with_name("rejection-journal")
    subprocess.run([str(launcher), "--data-dir", str(folder), "demo", "--entries",
                    str(entries), "--seed", "1"], check=True, capture_output=True)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journal", type=Path, help="an existing journal folder")
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, metavar="FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rj-bench-search-") as tmp:
        journal = args.journal or _demo_journal(Path(tmp) / "journal", args.entries)
        result = measure(journal, runs=args.runs)
    for word, figures in result["words"].items():
        print(f"  {word:<10} {figures['matches']:>7,} matches  FTS first page "
              f"{figures['fts_first_page_ms']:7.1f} ms  LIKE scan {figures['like_scan_ms']:7.1f}"
              f" ms  ratio {figures['ratio']:.2f}")
    verdict = "ok" if result["ratio"] <= TARGET_RATIO else "MISSED"
    print(f"search at {result['entries']:,} entries: FTS first page {result['fts_first_page_ms']}"
          f" ms vs LIKE scan {result['like_scan_ms']} ms (median), ratio {result['ratio']:.2f}"
          f" (target ≤ {TARGET_RATIO}) {verdict}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
