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
)


def theme_named(name: str) -> ChartTheme:
    return DARK if name == "dark" else LIGHT
