"""Read a spreadsheet (XLSX with openpyxl, or CSV) into rows of heading -> value, with sheet and row numbers.

Only reading; which heading means what is decided by `four_w` and `table`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relais.importers.model import ImportFailed, Where

HEADER_SEARCH_ROWS = 10


@dataclass
class Sheet:
    file: str
    name: str  # "" for a CSV file
    headings: list[str]
    header_row: int
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def where(self, row: int, heading: str | None = None) -> Where:
        col = self.headings.index(heading) + 1 if heading in self.headings else 0
        return Where(self.file, row=row, col=col, sheet=self.name)


def _failed(name: str, problem: str) -> ImportFailed:
    return ImportFailed([Where(name).diagnostic("IMP001", problem=problem)])


def _header_index(rows: list[list[Any]], is_header: Callable[[list[str]], bool]) -> int:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if is_header([str(c).strip() for c in row if c not in (None, "")]):
            return index
    return 0


def _sheet(file: str, name: str, raw: list[list[Any]], is_header: Callable[[list[str]], bool]) -> Sheet:
    start = _header_index(raw, is_header)
    headings = [str(c).strip() if c not in (None, "") else "" for c in (raw[start] if raw else [])]
    sheet = Sheet(file, name, headings, start + 1)
    for number, values in enumerate(raw[start + 1 :], start=start + 2):
        if all(v in (None, "") for v in values):
            continue
        row = {h: v for h, v in zip(headings, values, strict=False) if h and v not in (None, "")}
        sheet.rows.append((number, row))
    return sheet


def read_csv_sheet(path: Path, is_header: Callable[[list[str]], bool]) -> Sheet:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _failed(path.name, f"not UTF-8 text ({error.reason})") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        raw = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise _failed(path.name, f"malformed CSV ({error})") from None
    return _sheet(path.name, "", raw, is_header)


def read_xlsx_sheets(path: Path, is_header: Callable[[list[str]], bool]) -> list[Sheet]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _failed(path.name, f"not an .xlsx workbook ({error})") from None
    try:
        return [
            _sheet(path.name, sheet.title, [list(r) for r in sheet.iter_rows(values_only=True)], is_header)
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def read_sheets(path: Path, is_header: Callable[[list[str]], bool]) -> list[Sheet]:
    if not path.is_file():
        raise _failed(path.name, "no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx_sheets(path, is_header)
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return [read_csv_sheet(path, is_header)]
    raise _failed(path.name, "expected a .xlsx or .csv file")
