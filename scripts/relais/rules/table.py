"""The rule catalogue as a table for people: printed by `relais rules`, copied into the three CONTRIBUTING files.

Reads `relais.rules` only; the table is never written by hand, so a new rule cannot be missing from the guide.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

from relais.rules import Rule, all_rules

START_MARKER = "<!-- relais:rules:start -->"
END_MARKER = "<!-- relais:rules:end -->"
CONTRIBUTING_FILES = ("CONTRIBUTING.md", "CONTRIBUTING.en.md", "CONTRIBUTING.ar.md")
# Shown instead of a hint that is entirely computed from the problem found (e.g. DIR003's `{hint}`).
HINT_WITH_THE_MESSAGE = "The message says what to change for this value."

_TABLE_BLOCK = re.compile(re.escape(START_MARKER) + r".*?" + re.escape(END_MARKER), re.DOTALL)


class MarkersMissing(Exception):
    """A CONTRIBUTING file lacks the start or end marker of the generated table."""


def generic_template(template: str) -> str:
    """A message or hint template with each `{field}` shown as `<field>` and `{{` `}}` as single braces."""
    parts: list[str] = []
    for literal, field, _, _ in Formatter().parse(template):
        parts.append(literal)
        if field is not None:
            parts.append(f"<{field}>")
    return "".join(parts)


def _is_only_a_placeholder(template: str) -> bool:
    parsed = list(Formatter().parse(template))
    return len(parsed) == 1 and not parsed[0][0].strip() and parsed[0][1] is not None


def markdown_cell(text: str) -> str:
    """Text for one table cell of GitHub Markdown: code spans kept, `<`, `>` and `|` unable to break the table."""
    pieces = re.split(r"(`[^`]*`)", " ".join(text.split()))
    cell = []
    for piece in pieces:
        if piece.startswith("`") and piece.endswith("`") and len(piece) > 1:
            cell.append(piece.replace("|", r"\|"))
        else:
            cell.append(piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", r"\|"))
    return "".join(cell)


def meaning(entry: Rule) -> str:
    """What the rule means: its description, else its message with the placeholders shown generically."""
    return entry.description or generic_template(entry.message)


def how_to_fix(entry: Rule) -> str:
    return HINT_WITH_THE_MESSAGE if _is_only_a_placeholder(entry.hint) else generic_template(entry.hint)


def render_markdown(rules: list[Rule]) -> str:
    lines = ["| id | severity | title | what it means | how to fix |", "| --- | --- | --- | --- | --- |"]
    for entry in rules:
        cells = (entry.id, str(entry.severity), entry.title, meaning(entry), how_to_fix(entry))
        lines.append("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def render_text(rules: list[Rule]) -> str:
    """For a terminal: one block per rule, the id and severity first so `grep DIR012` finds it."""
    blocks = []
    for entry in rules:
        blocks.append(
            f"{entry.id} {entry.severity}: {entry.title}\n    means: {meaning(entry)}\n    fix:   {how_to_fix(entry)}"
        )
    blocks.append(f"{len(rules)} rules")
    return "\n".join(blocks)


def with_rule_table(text: str, table: str) -> str:
    """`text` with everything between the two markers replaced by `table`. Raises MarkersMissing."""
    if START_MARKER not in text or END_MARKER not in text or text.index(START_MARKER) > text.index(END_MARKER):
        raise MarkersMissing(f"the markers {START_MARKER} and {END_MARKER} must both be present, in that order")
    return _TABLE_BLOCK.sub(lambda _: f"{START_MARKER}\n{table}{END_MARKER}", text, count=1)


def write_contributing_tables(root: Path, rules: list[Rule] | None = None) -> list[Path]:
    """Rewrite the table in each CONTRIBUTING file of `root`. Returns the files whose content changed."""
    table = render_markdown(rules if rules is not None else all_rules())
    changed: list[Path] = []
    for name in CONTRIBUTING_FILES:
        path = root / name
        try:
            text = path.read_text(encoding="utf-8")
            updated = with_rule_table(text, table)
        except MarkersMissing as problem:
            raise MarkersMissing(f"{name}: {problem}") from None
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            changed.append(path)
    return changed
