"""The one writer of every CSV Relais publishes (services, 4W, coverage and gap tables).

Each cell is neutralised when a spreadsheet would run it as a formula (CSV injection); files are UTF-8 with a
byte-order mark and CRLF line ends, so spreadsheet programs read French and Arabic text right.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Numbers (a negative longitude) and phone lists (+212...; 15) are read as values, never as formulas.
_PLAIN_VALUE = re.compile(r"[+-]?\d+(?:\.\d+)?|\+?\d+(?:; \+?\d+)*")


def spreadsheet_safe(cell: object) -> str:
    """A cell as text, with a leading apostrophe when a spreadsheet would run it as a formula."""
    text = "" if cell is None else str(cell)
    if text.startswith(_FORMULA_START) and not _PLAIN_VALUE.fullmatch(text):
        return "'" + text
    return text


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """The table as CSV text: a header of `columns`, then one line per row (a missing cell is empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(column) for column in columns])
    for row in rows:
        writer.writerow([spreadsheet_safe(row.get(column, "")) for column in columns])
    return buffer.getvalue()


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(columns, rows), encoding="utf-8-sig", newline="")
    return path
