"""Exports come out byte for byte as before the attempt's fields were described once.

tests/fixtures/export-golden/ was written by tests/fixtures/make_export_golden.py from the code
before domain/fields.py existed; the same procedure must still give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.make_export_golden import HERE, make


def test_json_and_csv_exports_are_byte_for_byte_what_they_were(tmp_path: Path) -> None:
    data, table = make(tmp_path)
    assert data == (HERE / "export.json").read_bytes()
    assert table == (HERE / "export.csv").read_bytes()
