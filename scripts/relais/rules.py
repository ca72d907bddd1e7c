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


_CATALOGUE: tuple[Rule, ...] = (
    # --- YAML hazards (any YAML file, and guideline front matter) ---
    Rule(
        "YML001",
        ERROR,
        "YAML syntax error",
        "YAML syntax error: {problem}",
        "Check indentation (spaces, not tabs) and that every `key: value` is on its own line.",
    ),
    Rule(
        "YML002",
        ERROR,
        "not UTF-8",
        "the file is not valid UTF-8 text ({detail})",
        'Save the file as UTF-8 in your editor ("UTF-8" or "Unicode" encoding).',
    ),
    Rule(
        "YML003",
        ERROR,
        "byte order mark",
        "the file starts with a byte order mark (BOM)",
        "Save the file as UTF-8 without BOM.",
    ),
    Rule(
        "YML004",
        ERROR,
        "empty file",
        "the file is empty",
        "Fill the file from a template (`relais new service`) or delete it.",
    ),
    Rule(
        "YML005",
        ERROR,
        "top level is not a mapping",
        "the top level must be a mapping of `key: value` pairs, found {found}",
        "Start the file with `id: ...` and the other fields, one per line.",
    ),
    Rule(
        "YML006",
        ERROR,
        "ambiguous unquoted value",
        "unquoted value `{text}` is read as {meaning} by some YAML readers",
        'Put the value in quotes: "{text}".',
    ),
    Rule(
        "YML007",
        ERROR,
        "anchor or alias",
        "YAML anchors and aliases (`&name`, `*name`) are not allowed",
        "Write the value out in full where it is needed.",
    ),
    Rule(
        "YML008",
        ERROR,
        "explicit tag",
        "YAML tags such as `{tag}` are not allowed",
        "Remove the `!...` tag and write a plain value.",
    ),
    Rule(
        "YML009",
        ERROR,
        "duplicate key",
        "key `{key}` appears twice (first on line {first_line})",
        "Keep one `{key}:` line and delete the other.",
    ),
    Rule(
        "YML010",
        ERROR,
        "several documents",
        "the file holds more than one YAML document (`---`)",
        "Keep one record per file: remove the extra `---` line.",
    ),
    Rule(
        "YML011",
        ERROR,
        "nesting too deep",
        "the data is nested more than {limit} levels deep",
        "Flatten the structure; no field of the format is that deep.",
    ),
    Rule(
        "YML012",
        ERROR,
        "key is not text",
        "mapping keys must be plain text, found {found}",
        "Write keys as words, e.g. `name:`.",
    ),
    # --- Guideline pages (docs/**/*.md) ---
    Rule(
        "DOC001",
        ERROR,
        "front matter not closed",
        "the front matter starts with `---` but is never closed",
        "Add a line with `---` after the last front-matter field.",
    ),
    Rule(
        "DOC002",
        ERROR,
        "front matter missing",
        "the page has no front matter",
        "Start the page with `---`, the fields `title`, `description`, `topics`, `audiences`, `review`, then `---`.",
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _CATALOGUE}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def all_rules() -> list[Rule]:
    return sorted(RULES.values(), key=lambda r: r.id)
