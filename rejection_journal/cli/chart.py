"""``chart``: save a chart, or the numbers it plots, as a file."""

from __future__ import annotations

import argparse
from pathlib import Path

from rejection_journal.cli.common import (
    CommandError,
    no_cycle_collection,
    output_file,
)


def cmd_chart(args: argparse.Namespace, data_dir: Path) -> str:
    # Only Matplotlib-free modules here: the chart is drawn by the service (chart_files).
    from rejection_journal.charts.formats import (
        DATA_FORMATS,
        DEFAULT_DPI,
        EXPORT_FORMATS,
        resolve_target,
    )
    from rejection_journal.charts.kinds import KIND_INFO
    from rejection_journal.domain.chart_stats import ChartFilter
    from rejection_journal.services.chart_files import save_chart
    from rejection_journal.services.opening import has_journal, reading

    if args.list:
        width = max(len(kind.name) for kind in KIND_INFO)
        return "\n".join(f"{kind.name:<{width}}  {kind.title}: {kind.description}"
                         for kind in KIND_INFO)
    if args.out is None:
        raise CommandError("say where to write the chart with --out FILE (or use --list)")
    if args.since and args.until and args.since > args.until:
        raise CommandError(f"--since {args.since} is after --until {args.until}; nothing "
                           "to chart")
    path, fmt = resolve_target(args.out, None, {**EXPORT_FORMATS, **DATA_FORMATS})
    out = output_file(path, data_dir, force=args.force)
    if not has_journal(data_dir):
        raise CommandError(f"no journal in {data_dir}")
    flt = ChartFilter(args.since, args.until, args.category, args.ladder)
    with no_cycle_collection(), reading(data_dir) as service:
        if args.kind == "ladder" and args.ladder is not None \
                and service.find_ladder(args.ladder) is None:
            goals = ", ".join(f"'{ladder.goal}'" for ladder in service.ladders())
            raise CommandError(f"there is no ladder called '{args.ladder}' in the journal "
                               + (f"(its ladders: {goals})" if goals else "(it has none yet)"))
        saved = save_chart(service, args.kind, flt, out, fmt,
                           size=(args.width or 8.0, args.height or 5.5),
                           dpi=args.dpi or DEFAULT_DPI)
    what = (f"the {saved.kind} chart" if saved.rows is None
            else f"the numbers of the {saved.kind} chart ({saved.rows:,} rows)")
    notes = [note for note in (
        saved.left_out,
        f"{saved.open_count:,} open entr{'y' if saved.open_count == 1 else 'ies'} not "
        "counted until finished" if saved.open_count else "",
        saved.happened) if note]
    empty = " (nothing to show yet: it says so)" if saved.empty else ""
    return f"Saved {what} to {out}{empty}" + "".join(f" ({note})" for note in notes)
