"""Rules for hostile or unsafe content: markup that runs code, raw data files, links leaving the site, built HTML."""

from __future__ import annotations

from relais.rules.rule import ERROR, Rule

RULES: tuple[Rule, ...] = (
    Rule(
        "SAF001",
        ERROR,
        "dangerous HTML tag",
        "the page contains a `<{tag}>` tag",
        "Remove it: guideline pages are plain Markdown (headings, lists, tables, admonitions).",
        "Tags that run code or load content from elsewhere (script, iframe, object, embed, style, link, meta, base, "
        "form) are refused in guideline Markdown.",
    ),
    Rule(
        "SAF002",
        ERROR,
        "event handler attribute",
        "the page sets an event handler attribute `{attribute}`",
        "Remove the attribute (also from `{{: ... }}` attribute lists).",
        "Attributes such as onclick= or onerror= run JavaScript; they are refused however they are written.",
    ),
    Rule(
        "SAF003",
        ERROR,
        "dangerous link",
        "a link uses the `{scheme}` scheme",
        "Link only to pages of this site (relative .md links) or to https:// addresses.",
        "javascript:, data: and vbscript: links run code or embed content; obfuscated forms (entities, tabs) too.",
    ),
    Rule(
        "SAF004",
        ERROR,
        "style loading a resource",
        "a `style` attribute or block loads a resource with `url(`",
        "Remove the style; the theme provides the layout.",
        "CSS url() can request third-party hosts or smuggle script in old browsers.",
    ),
    Rule(
        "SAF005",
        ERROR,
        "data file in docs/",
        "`{name}` would be copied as-is into the public site",
        "Move data to directory/ (YAML) or delete the file; docs/ holds pages and images only.",
        "Non-Markdown files under docs/ are published unchanged; .yml, .yaml, .csv and .json never belong there.",
    ),
    Rule(
        "SAF006",
        ERROR,
        "link outside the site",
        "link `{target}` points outside the documentation folder",
        "Link to a page under docs/ with a relative path, or to a full https:// address.",
        "Relative links that climb out of docs/ or absolute file paths break on the published site.",
    ),
    Rule(
        "SAF007",
        ERROR,
        "unexpected element in built page",
        "built page contains {what}",
        "Find which content or template produced it; only the theme's and our templates' elements are allowed.",
        "A check of the built HTML (parsed) that allows only the tags and attributes our templates and the theme "
        "produce: a second line of defence behind the content rules.",
    ),
    Rule(
        "SAF008",
        ERROR,
        "broken internal link",
        "link `{target}` points to a page that does not exist",
        "Check the path relative to this page (e.g. `../orientation/mecanismes-orientation.md`).",
        "Links between pages are checked before the build.",
    ),
    Rule(
        "SAF009",
        ERROR,
        "broken anchor",
        "link `{target}`: the page has no heading with the anchor `#{anchor}`",
        "Use the anchor shown by the ¶ sign next to the heading, or link to the page without `#...`.",
        "Anchors must match a heading of the target page.",
    ),
    Rule(
        "SAF010",
        ERROR,
        "invisible or bidirectional control character",
        "{where} contains an invisible or bidirectional control character ({character})",
        "Retype the text without it; in an Arabic page (.ar.md) only the marks Arabic needs (U+200C to U+200F, "
        "U+061C) are allowed in prose, never in a link.",
        "Overrides and invisible characters can make a link, a number or a sentence display differently from what "
        'it is ("Trojan Source"); they are refused in links everywhere and in prose outside Arabic.',
    ),
)
