"""The catalogue of validation rules, assembled from `relais.rules.catalogue`, one module per kind of content.

Validators emit diagnostics only through this catalogue; the tests and the editors' guide read it too. Checks bind
the rules they use as constants (`from relais.rules import DIR028`): an id that is not in the catalogue fails at
import, not on the day the check first runs.
"""

from __future__ import annotations

from relais.rules.catalogue import (
    directory_rules,
    file_rules,
    guideline_rules,
    import_rules,
    safety_rules,
    yaml_rules,
)
from relais.rules.rule import ERROR, WARNING, Rule

__all__ = ["ERROR", "WARNING", "Rule", "all_rules", "rule"]

CATALOGUE: tuple[Rule, ...] = (
    *yaml_rules.RULES,
    *directory_rules.RULES,
    *guideline_rules.RULES,
    *safety_rules.RULES,
    *file_rules.RULES,
    *import_rules.RULES,
)


def _registry(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for entry in rules:
        if entry.id in found:
            raise ValueError(f"rule id {entry.id} declared twice")
        found[entry.id] = entry
    return found


_RULES = _registry(CATALOGUE)


def rule(rule_id: str) -> Rule:
    return _RULES[rule_id]


def all_rules() -> list[Rule]:
    return sorted(_RULES.values(), key=lambda r: r.id)


def __getattr__(name: str) -> Rule:
    """`from relais.rules import DIR028`: the rule with that id, or an import error for an unknown id."""
    if name in _RULES:
        return _RULES[name]
    raise AttributeError(f"module 'relais.rules' has no rule or attribute {name!r}")
