"""Rules for YAML hazards, in any YAML file and in guideline front matter."""

from __future__ import annotations

from relais.rules.rule import ERROR, WARNING, Rule  # noqa: F401

RULES: tuple[Rule, ...] = (
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
)
