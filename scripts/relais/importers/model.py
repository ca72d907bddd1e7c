"""What every importer produces and what the planner reads: imported records, their provenance and the report.

Plain data only; reading sources is done by the reader modules, deciding what changes by `plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from relais.core.diagnostics import Diagnostic
from relais.rules import rule


@dataclass(frozen=True)
class Where:
    """A place in an imported file: a JSON pointer, or a sheet row and column."""

    file: str
    pointer: str = ""
    row: int = 0
    col: int = 0
    sheet: str = ""

    def record(self) -> str:
        """The `sources[].record` value: `/services/3` or `4Ws!12`."""
        if self.pointer or not self.row:
            return self.pointer or "/"
        return f"{self.sheet}!{self.row}" if self.sheet else f"row {self.row}"

    def diagnostic(self, rule_id: str, **fields: Any) -> Diagnostic:
        if self.pointer and self.row:  # a record assembled from a table row: the row, then where in the record
            return rule(rule_id).at(f"{self.file}:{self.row}#{self.pointer}", 0, 0, **fields)
        path = f"{self.file}#{self.pointer}" if self.pointer else self.file
        if self.sheet and not self.pointer:
            path = f"{self.file}[{self.sheet}]"
        return rule(rule_id).at(path, self.row, self.col, **fields)

    def at(self, pointer_part: str | int) -> Where:
        return Where(self.file, f"{self.pointer}/{pointer_part}", self.row, self.col, self.sheet)

    def cell(self, col: int) -> Where:
        return Where(self.file, self.pointer, self.row, col, self.sheet)


@dataclass
class ImportedOrganization:
    slug: str
    data: dict[str, Any]  # our organisation fields except id and sources


@dataclass
class ImportedService:
    """One source record turned into our fields; `language` is the language of its text."""

    where: Where
    record_id: str | None
    language: str
    data: dict[str, Any]
    slug: str | None = None
    organization: ImportedOrganization | None = None
    missing_french: bool = False


@dataclass(frozen=True)
class ImportOptions:
    source_name: str
    as_of: date
    publisher: str | None = None
    country: str | None = None
    city: str | None = None
    organization: str | None = None
    categories: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    language: str | None = None
    theirs: bool = False


@dataclass
class ReadResult:
    services: list[ImportedService] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    publisher: str | None = None

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


class ImportFailed(Exception):
    """The source cannot be read at all; the diagnostics say where."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics
