"""Dates are shown in one format, the user's locale's (ui/dates.py, issue 20): no other module
of the interface formats a day itself."""

from __future__ import annotations

import re
from pathlib import Path

import rejection_journal.ui

UI = Path(rejection_journal.ui.__file__).parent
#: a day formatted by hand: an f-string's or strftime's date fields, or a date field's own
#: display format ("HH:mm" for a time of day is fine)
_BY_HAND = re.compile(r"%[aAbBdmyY]|setDisplayFormat\(\"[^\"]*[dMy]")


def test_only_ui_dates_formats_a_day_for_the_user() -> None:
    found = [f"{path.name}:{number}: {line.strip()}"
             for path in sorted(UI.glob("*.py")) if path.name != "dates.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if _BY_HAND.search(line)]
    assert not found, "format days with ui.dates.day_text or date_format:\n" + "\n".join(found)
