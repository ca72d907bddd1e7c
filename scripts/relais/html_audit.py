"""Second line of defence: parse every built page and allow only the elements and attributes our templates and the
theme produce. Reports `site/page.html:line:col: SAF007 ...`; never changes the site.
"""

from __future__ import annotations

import re
from concurrent.futures import ProcessPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from relais.diagnostics import Diagnostic
from relais.rules import rule

GLOBAL_ATTRIBUTES = {"class", "id", "lang", "dir", "title", "role", "hidden", "tabindex", "translate"}
GLOBAL_PREFIXES = ("aria-", "data-md-", "data-pagefind-", "data-relais-")
ELEMENT_ATTRIBUTES: dict[str, set[str]] = {
    **{
        tag: set()
        for tag in (
            "html",
            "head",
            "body",
            "header",
            "footer",
            "main",
            "nav",
            "article",
            "aside",
            "section",
            "div",
            "span",
            "p",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "ul",
            "li",
            "dl",
            "dt",
            "dd",
            "em",
            "strong",
            "b",
            "i",
            "u",
            "small",
            "sub",
            "sup",
            "br",
            "hr",
            "blockquote",
            "pre",
            "code",
            "kbd",
            "bdi",
            "bdo",
            "mark",
            "del",
            "ins",
            "s",
            "table",
            "thead",
            "tbody",
            "tfoot",
            "tr",
            "caption",
            "figure",
            "figcaption",
            "summary",
            "noscript",
            "title",
            "pagefind-results",
            "pagefind-summary",
            "pagefind-filter-pane",
            "svg",
            "path",
            "g",
            "circle",
            "rect",
        )
    },
    "a": {"href", "hreflang", "rel", "target"},
    "abbr": set(),
    "ol": {"start", "type"},
    "td": {"align", "style", "colspan", "rowspan"},
    "th": {"align", "style", "colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "details": {"open"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "input": {
        "type",
        "name",
        "placeholder",
        "autocomplete",
        "checked",
        "value",
        "for",
        "autocapitalize",
        "autocorrect",
        "spellcheck",
        "required",
    },
    "label": {"for"},
    "button": {"type"},
    "form": {"action", "method", "name"},
    "link": {"href", "rel", "hreflang", "type", "sizes", "media"},
    "meta": {"charset", "content", "name", "http-equiv", "property"},
    "script": {"src", "type", "defer", "async"},
    "pagefind-config": {"bundle-path"},
    "pagefind-input": {"placeholder"},
}
SVG_ATTRIBUTES = {
    "viewbox",
    "xmlns",
    "width",
    "height",
    "d",
    "fill",
    "stroke",
    "stroke-width",
    "fill-rule",
    "clip-rule",
    "transform",
    "cx",
    "cy",
    "r",
    "x",
    "y",
}
INPUT_TYPES = {"checkbox", "radio", "search", "text", "hidden"}
URL_ATTRIBUTES = {"href", "src", "action"}
SAFE_LINK_SCHEMES = {"", "http", "https", "mailto", "tel"}
SAFE_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$")
# Allowed in the frame the theme draws around the content, never inside the content (`<article>`): the theme's
# own inline scripts carry no attribute, so an inline script written in a page looks just like them.
FRAME_ONLY = {"script", "link", "meta", "form", "input", "button"}
# Markup inside an attribute value is text to this parser, but a browser running scripts ends a <noscript> at the
# first `</noscript>` even inside quotes, and reads what follows as tags. Our templates never write it.
MARKUP_IN_VALUE = re.compile(r"<[A-Za-z/!?]")


class _Auditor(HTMLParser):
    def __init__(self, site_host: str) -> None:
        super().__init__(convert_charrefs=True)
        self.site_host = site_host
        self.problems: list[tuple[int, int, str]] = []
        self.content: tuple[tuple[int, int], tuple[int, int]] = ((0, 0), (0, 0))

    def flag(self, what: str) -> None:
        line, offset = self.getpos()
        self.problems.append((line, offset + 1, what))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ELEMENT_ATTRIBUTES.get(tag)
        if allowed is None:
            self.flag(f"a `<{tag}>` element")
            return
        if tag in FRAME_ONLY and self.content[0] < self.getpos() < self.content[1]:
            self.flag(f"a `<{tag}>` element inside the page content")
        for name, value in attrs:
            self.check_attribute(tag, name, value or "", allowed)
        if tag == "input" and (dict(attrs).get("type") or "text") not in INPUT_TYPES:
            self.flag(f"an input of type `{dict(attrs).get('type')}`")

    handle_startendtag = handle_starttag

    def set_content(self, text: str) -> None:
        """Where the content is: from the first `<article` to the last `</article>`, whatever the page closes."""
        start, end = text.find("<article"), text.rfind("</article>")
        if 0 <= start < end:
            self.content = (_position(text, start), _position(text, end))

    def check_attribute(self, tag: str, name: str, value: str, allowed: set[str]) -> None:
        if MARKUP_IN_VALUE.search(value):
            self.flag(f"markup inside the attribute `{name}` of `<{tag}>`")
        if name.startswith("on"):
            self.flag(f"an event handler `{name}` on `<{tag}>`")
        elif not (
            name in allowed
            or name in GLOBAL_ATTRIBUTES
            or name.startswith(GLOBAL_PREFIXES)
            or (tag in {"svg", "path", "g", "circle", "rect"} and name in SVG_ATTRIBUTES)
        ):
            self.flag(f"the attribute `{name}` on `<{tag}>`")
        elif name == "style" and not SAFE_STYLE.match(value):
            self.flag(f"a style `{value[:40]}` on `<{tag}>`")
        elif name in URL_ATTRIBUTES:
            self.check_url(tag, name, value)

    def check_url(self, tag: str, name: str, value: str) -> None:
        # Browsers read `\` as `/` in http(s) URLs: `/\\evil.example/x.png` loads from evil.example.
        url = urlparse(re.sub(r"[\x00-\x20]", "", value).replace("\\", "/"))
        if url.scheme.lower() not in SAFE_LINK_SCHEMES:
            self.flag(f"a `{url.scheme}:` URL in `{name}` of `<{tag}>`")
        elif tag in {"script", "img", "link", "form"} and url.netloc and url.netloc != self.site_host:
            self.flag(f"a resource from another host ({url.netloc}) in `<{tag}>`")


def _position(text: str, offset: int) -> tuple[int, int]:
    """(line, column) as HTMLParser.getpos() counts them: lines from 1, columns from 0."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1)


def audit_page(path: Path, site_dir: Path, site_host: str, shown_as: str = "") -> list[Diagnostic]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return audit_text(text, f"{shown_as or site_dir.name}/{path.relative_to(site_dir).as_posix()}", site_host)


def audit_text(text: str, shown: str, site_host: str) -> list[Diagnostic]:
    """A whole page: the theme's frame may hold scripts and forms, the content (`<article>`) may not."""
    auditor = _Auditor(site_host)
    auditor.set_content(text)
    auditor.feed(text)
    auditor.close()
    return [rule("SAF007").at(shown, line, col, what=what) for line, col, what in auditor.problems]


def audit_content(html: str, shown: str, site_host: str, at: tuple[int, int] = (1, 0)) -> list[Diagnostic]:
    """Content written into a page at line/column `at` (0-based column): every tag is content, reported where it
    lands in the page. Service pages are audited this way as they are filled, their shared frame once."""
    auditor = _Auditor(site_host)
    auditor.content = ((0, 0), (len(html) + 2, 0))
    auditor.feed(html)
    auditor.close()
    return [
        rule("SAF007").at(shown, at[0] + line - 1, col + (at[1] if line == 1 else 0), what=what)
        for line, col, what in auditor.problems
    ]


def _audit_batch(args: tuple[list[Path], Path, str, str]) -> list[Diagnostic]:
    paths, site_dir, site_host, shown_as = args
    return [d for path in paths for d in audit_page(path, site_dir, site_host, shown_as)]


def audit_site(
    site_dir: Path, site_url: str, workers: int = 2, shown_as: str = "", audited_already: tuple[str, ...] = ()
) -> list[Diagnostic]:
    """Audit every HTML page of the built site. Uses `workers` processes. `shown_as` names the folder in reports
    (the build audits a staging folder that becomes `site/`). Folders in `audited_already` (site-relative, ending
    with "/") were audited as they were written (service pages: `relais.pages.write_service_pages`)."""
    pages = sorted(  # Pagefind's bundle has none; a page under docs/pagefind/ is a page
        path
        for path in site_dir.rglob("*.html")
        if not path.relative_to(site_dir).as_posix().startswith(audited_already or ("\0",))
    )
    host = urlparse(site_url).netloc
    if workers <= 1 or len(pages) < 200:
        return _audit_batch((pages, site_dir, host, shown_as))
    batches = [(pages[i::workers], site_dir, host, shown_as) for i in range(workers)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [d for found in pool.map(_audit_batch, batches) for d in found]
