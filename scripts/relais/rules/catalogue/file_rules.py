"""Rules for the file system as input: links, files nobody would read, empty files, static files that could run."""

from __future__ import annotations

from relais.rules.rule import ERROR, Rule

RULES: tuple[Rule, ...] = (
    Rule(
        "FIL001",
        ERROR,
        "symbolic link",
        "`{name}` is a symbolic link; Relais never follows links",
        "Replace the link by a copy of the file or folder itself.",
        "A link under docs/, directory/ or overrides/ could publish a file from anywhere on the machine; it is "
        "refused without being read.",
    ),
    Rule(
        "FIL002",
        ERROR,
        "file that Relais does not read",
        "`{name}` is not a place where Relais reads {kind}",
        "{hint}",
        "Every file under directory/ and docs/ is read or refused: a misspelt folder or a stray file would "
        "otherwise be ignored without a word.",
    ),
    Rule(
        "FIL003",
        ERROR,
        "wrong file extension",
        "`{name}` ends in `{suffix}`; Relais reads `{expected}` files here",
        "Rename the file so that it ends in `{expected}` (lower case).",
        "Only one spelling of each extension is read, so that no file is skipped because of its name.",
    ),
    Rule(
        "FIL004",
        ERROR,
        "empty file",
        "`{name}` is empty",
        "Write its content, or delete the file.",
        "An empty file is almost always a mistake (a failed copy or save); it is never skipped silently.",
    ),
    Rule(
        "FIL005",
        ERROR,
        "file type not allowed in docs/",
        "`{name}` ({suffix}) would be published as it is",
        "docs/ holds Markdown pages (.md) and images (.png, .jpg, .webp, .gif, .avif, checked .svg); put other "
        "material in a page or ask a maintainer.",
        "HTML, XML, scripts and other files are copied unchanged into the public site, where they could run code "
        "or carry data nobody checked.",
    ),
    Rule(
        "FIL006",
        ERROR,
        "unsafe SVG image",
        "SVG `{name}` contains {what}",
        "Export the image again as a plain SVG (no scripts, links, embedded HTML, styles or entities), or as PNG.",
        "An SVG opened on its own can run scripts and load other sites; only drawing elements are allowed.",
    ),
)
