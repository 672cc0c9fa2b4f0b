"""Light and dark chart palettes, picked to follow the app's palette."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChartTheme:
    name: str
    background: str
    foreground: str
    muted: str
    grid: str
    anticipated: str
    actual: str
    gap_fill: str
    rolling: str
    #: outcomes in :data:`~rejection_journal.domain.chart_stats.OUTCOME_ORDER`: no,
    #: no response, partly, yes, didn't ask
    outcomes: tuple[str, ...] = ("#c2410c", "#f59e0b", "#a78bfa", "#0f766e", "#9ca3af")
    #: one colour per reason, distinguishable on both backgrounds (Okabe–Ito)
    categorical: tuple[str, ...] = ("#e69f00", "#56b4e9", "#009e73", "#d55e00", "#cc79a7",
                                    "#0072b2", "#999999", "#f0e442")
    #: drawn in the window's chart pane, where a click on a dot opens its entry: only there
    #: do captions say so (an exported image carries no on-screen instructions)
    on_screen: bool = False


LIGHT = ChartTheme(
    name="light",
    background="#ffffff",
    foreground="#1f2328",
    muted="#6e7781",
    grid="#d8dee4",
    anticipated="#c2410c",
    actual="#0f766e",
    gap_fill="#fdba74",
    rolling="#6d28d9",
)

DARK = ChartTheme(
    name="dark",
    background="#1e1f22",
    foreground="#e6edf3",
    muted="#9aa4ae",
    grid="#3a3f45",
    anticipated="#fb923c",
    actual="#2dd4bf",
    gap_fill="#9a3412",
    rolling="#c4b5fd",
    outcomes=("#fb923c", "#fcd34d", "#c4b5fd", "#2dd4bf", "#6b7280"),
)

#: for paper, printed in colour or in grey: every colour a chart draws side by side has its
#: own lightness (grey values about 0.13, 0.31, 0.52, 0.76 and 0.91), so the report's
#: charts still read on a black-and-white printer
PRINT = ChartTheme(
    name="print",
    background="#ffffff",
    foreground="#111827",
    muted="#4b5563",
    grid="#e5e7eb",
    anticipated="#431407",
    actual="#14b8a6",
    gap_fill="#fed7aa",
    rolling="#1f2937",
    outcomes=("#431407", "#9a3412", "#c4b5fd", "#14b8a6", "#e5e7eb"),
)


def theme_named(name: str) -> ChartTheme:
    return DARK if name == "dark" else LIGHT
