"""``report``: a PDF of a period to keep, or to bring to someone you trust (issue 25); or,
with ``--format json``, the first page's numbers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rejection_journal.cli.common import CommandError, no_cycle_collection, output_file


def cmd_report(args: argparse.Namespace, data_dir: Path) -> str:
    # Only Matplotlib-free modules here: the PDF is drawn by the service (services/report).
    from rejection_journal.domain.chart_stats import ChartFilter
    from rejection_journal.services.opening import has_journal, reading
    from rejection_journal.services.report import (
        EmptyReportError,
        ReportChoice,
        gather_report,
        report_entries,
        save_report,
    )

    if args.since and args.until and args.since > args.until:
        raise CommandError(f"--since {args.since} is after --until {args.until}; nothing "
                           "to report")
    if args.format == "pdf":
        if args.out is None:
            raise CommandError("say where to write the report with --out FILE.pdf")
        if args.out.suffix.lower() != ".pdf":
            raise CommandError(f"the report is a PDF: name the file {args.out.stem}.pdf")
        out = output_file(args.out, data_dir, force=args.force)
    elif args.out is not None:
        raise CommandError("--format json prints the numbers; it does not take --out")
    if not has_journal(data_dir):
        raise CommandError(f"no journal in {data_dir}")
    flt = ChartFilter(args.since, args.until, args.category, args.ladder)
    with no_cycle_collection(), reading(data_dir) as service:
        if args.ladder is not None and service.find_ladder(args.ladder) is None:
            goals = ", ".join(f"'{ladder.goal}'" for ladder in service.ladders())
            raise CommandError(f"there is no ladder called '{args.ladder}' in the journal "
                               + (f"(its ladders: {goals})" if goals else "(it has none yet)"))
        picked = tuple(e.uuid for e in report_entries(service, flt)) \
            if args.include_reflections else ()
        choice = ReportChoice(flt, picked, include_names=args.include_names)
        try:
            if args.format == "json":
                return json.dumps(gather_report(service, choice).summary.as_json(),
                                  indent=2, ensure_ascii=False)
            saved = save_report(service, choice, out, force=True)  # checked above
        except EmptyReportError as exc:
            raise CommandError(str(exc)) from None
    words = [f"{saved.pages:,} page{'s' if saved.pages != 1 else ''}",
             f"{saved.charts:,} chart{'s' if saved.charts != 1 else ''}"]
    words.append(f"the reflections of {saved.entries:,} entr{'y' if saved.entries == 1 else 'ies'}"
                 if saved.entries else "no reflections (add --include-reflections)")
    return f"Saved the report to {saved.path}: {', '.join(words)}"
