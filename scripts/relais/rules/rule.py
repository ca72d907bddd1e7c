"""One validation rule: a stable id, a severity, a message template, a hint and a description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from relais.core.diagnostics import Diagnostic, Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    message: str
    hint: str
    description: str = ""

    def at(self, path: str, line: int, col: int, **fields: Any) -> Diagnostic:
        return Diagnostic(
            path=path,
            line=line,
            col=col,
            rule=self.id,
            severity=self.severity,
            message=self.message.format(**fields),
            hint=self.hint.format(**fields),
        )
