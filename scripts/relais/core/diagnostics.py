"""Located diagnostics an editor can act on: `path:line:col: RULE-ID message` plus a hint.

This module only represents, sorts and prints diagnostics; deciding what is wrong is the validators' job.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int
    col: int
    rule: str
    severity: Severity
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.rule)

    def as_text(self) -> str:
        label = "" if self.is_error else "[warning] "
        text = f"{self.path}:{self.line}:{self.col}: {self.rule} {label}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    unique = {(d.sort_key(), d.message): d for d in diagnostics}
    return sorted(unique.values(), key=lambda d: (d.sort_key(), d.message))


def summary_line(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def render_text(diagnostics: list[Diagnostic]) -> str:
    lines = [d.as_text() for d in diagnostics]
    lines.append(summary_line(diagnostics))
    return "\n".join(lines)


def render_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([asdict(d) for d in diagnostics], ensure_ascii=False, indent=2)
