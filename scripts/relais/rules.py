"""The catalogue of validation rules: one stable id, a message template, a hint and a description each.

Validators emit diagnostics only through this catalogue; the tests and the editors' guide read it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from relais.diagnostics import Diagnostic, Severity

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


def _catalogue() -> tuple[Rule, ...]:
    from relais.catalogue import directory_rules, guideline_rules, import_rules, safety_rules, yaml_rules

    rules = (*yaml_rules.RULES, *directory_rules.RULES, *guideline_rules.RULES, *safety_rules.RULES)
    return (*rules, *import_rules.RULES)


_RULES: dict[str, Rule] = {}


def _registry() -> dict[str, Rule]:
    if not _RULES:
        for entry in _catalogue():
            if entry.id in _RULES:
                raise ValueError(f"rule id {entry.id} declared twice")
            _RULES[entry.id] = entry
    return _RULES


def rule(rule_id: str) -> Rule:
    return _registry()[rule_id]


def all_rules() -> list[Rule]:
    return sorted(_registry().values(), key=lambda r: r.id)
