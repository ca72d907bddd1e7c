"""HTML comments written in Markdown are notes for editors: they never reach the published page.

Python-Markdown passes raw `<!-- ... -->` through unchanged, so a "hidden" note (a shelter's street, a colleague's
number) would be readable in the page source. Comments shown as code are escaped (`&lt;!--`) and stay.
"""

from __future__ import annotations

OPEN, CLOSE = "<!--", "-->"


def without_html_comments(html: str) -> str:
    """`html` with every comment removed; an unclosed comment runs to the end, as it does in a browser. Linear."""
    parts: list[str] = []
    position = 0
    while (start := html.find(OPEN, position)) != -1:
        parts.append(html[position:start])
        end = html.find(CLOSE, start + len(OPEN))
        if end == -1:
            return "".join(parts)
        position = end + len(CLOSE)
    parts.append(html[position:])
    return "".join(parts)
