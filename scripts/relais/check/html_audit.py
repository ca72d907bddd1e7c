"""Second line of defence: parse every built page and allow only the elements and attributes our templates and the
theme produce. Reports `site/page.html:line:col: SAF007 ...`; never changes the site.
"""

from __future__ import annotations

import re
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from relais.core.diagnostics import Diagnostic
from relais.rules import SAF007

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
    "button": {"type", "data-quick-exit", "data-offline-save", "data-offline-remove"},
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
        if tag in FRAME_ONLY and self.in_content():
            self.flag(f"a `<{tag}>` element inside the page content")
        for name, value in attrs:
            self.check_attribute(tag, name, value or "", allowed)
        if tag == "input" and (dict(attrs).get("type") or "text") not in INPUT_TYPES:
            self.flag(f"an input of type `{dict(attrs).get('type')}`")

    handle_startendtag = handle_starttag

    def in_content(self) -> bool:
        return self.content[0] < self.getpos() < self.content[1]

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
    start, end = text.find("<article"), text.rfind("</article>")
    content = (start, end) if 0 <= start < end else (-1, -1)
    found = _findings(text, content, site_host)
    return [SAF007.at(shown, line, col, what=what) for line, col, what in found]


def audit_content(html: str, shown: str, site_host: str, at: tuple[int, int] = (1, 0)) -> list[Diagnostic]:
    """Content written into a page at line/column `at` (0-based column): every tag is content, reported where it
    lands in the page. Service pages are audited this way as they are filled, their shared frame once."""
    found = _findings(html, (-1, len(html) + 1), site_host)
    return [
        SAF007.at(shown, at[0] + line - 1, col + (at[1] if line == 1 else 0), what=what) for line, col, what in found
    ]


def _findings(text: str, content: tuple[int, int], site_host: str) -> list[tuple[int, int, str]]:
    """(line, column from 1, what) of every problem; `content` is the offsets strictly inside which a tag is
    content. The fast reading below when the page allows it, else the HTML parser over the whole page."""
    if _regular_and_clean(text, content, site_host):
        return []
    fast = fast_findings(text, content, site_host)
    if fast is not None:
        return [(*_line_and_column(text, offset), what) for offset, what in fast]
    auditor = _Auditor(site_host)
    if content[0] >= 0:
        auditor.content = (_position(text, content[0]), _position(text, content[1]))
    auditor.feed(text)
    auditor.close()
    return auditor.problems


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    line, column = _position(text, offset)
    return line, column + 1


# --- The fast reading -------------------------------------------------------------------------------------------
# Parsing 60,000 pages with html.parser took longer than building them. Our pages are regular: every `<` opens a
# tag whose attribute values are double-quoted and hold no `<`, `>` or `"`, a closing tag, a comment or the
# doctype, and script and style text runs to its closing tag. For such a page the split into tags is the one a
# browser makes, so each tag can be audited alone, by the same parser, and the verdict on a tag's text reused on
# every page. A page with anything else (a stray `<`, a single-quoted value) gets the parser over the whole page.
_STRICT_TAG = re.compile(r'<([a-zA-Z][a-zA-Z0-9-]*)(?:\s+[^\s"\'<>/=]+(?:="[^"<>]*")?)*\s*/?>')
_END_TAG = re.compile(r"</[a-zA-Z][a-zA-Z0-9-]*\s*>")
_DOCTYPE = re.compile(r"<!doctype[^<>]*>", re.IGNORECASE)
_RAW_TEXT_END = {name: re.compile(f"</{name}[\\s/>]", re.IGNORECASE) for name in ("script", "style")}


_ATTRIBUTES = r'(?:\s+[^\s"\'<>/=]+(?:="[^"<>]*")?)*'
# Any markup of a regular page, a raw-text element whole; a lone "<" is what makes a page irregular.
_MARKUP = re.compile(
    r"<!--.*?-->|<!doctype[^<>]*>|</[a-z][a-z0-9-]*\s*>"
    rf"|<script\b{_ATTRIBUTES}\s*>.*?</script[\s/>]|<style\b{_ATTRIBUTES}\s*>.*?</style[\s/>]"
    rf"|<[a-z][a-z0-9-]*{_ATTRIBUTES}\s*/?>|<",
    re.IGNORECASE | re.DOTALL,
)


def _regular_and_clean(text: str, content: tuple[int, int], site_host: str) -> bool:
    """True when the page is regular and no tag in it has a problem: each distinct tag is looked at once per page,
    without keeping the order. Anything else goes to the ordered reading, which says where."""
    segments = _segments(text, content)
    if segments is None:
        return False
    for segment, in_content in segments:
        for markup in set(_MARKUP.findall(segment)):
            if markup == "<":
                return False
            if markup[1] in "!/":
                continue
            tag = _STRICT_TAG.match(markup)  # for a script or style element, its start tag
            if tag is None or _tag_findings(tag.group(0), in_content, site_host):
                return False
    return True


def _segments(text: str, content: tuple[int, int]) -> list[tuple[str, bool]] | None:
    """The page cut into (text, is content): before the content's opening tag, that tag, inside, after."""
    start, end = content
    if start < 0:
        return [(text, end > len(text))]
    opening = _STRICT_TAG.match(text, start)
    if opening is None:
        return None
    return [(text[:start], False), (opening.group(0), False), (text[opening.end() : end], True), (text[end:], False)]


def fast_findings(text: str, content: tuple[int, int], site_host: str) -> list[tuple[int, str]] | None:
    """(offset, what) of every problem, or None when the page is not regular enough to be read this way."""
    found: list[tuple[int, str]] = []
    offset = text.find("<")
    while offset != -1:
        tag = _STRICT_TAG.match(text, offset)
        if tag:
            in_content = content[0] < offset < content[1]
            found += [(offset, what) for what in _tag_findings(tag.group(0), in_content, site_host)]
            end = _end_of_tag(text, tag)
        else:
            end = _end_of_other_markup(text, offset)
        if end is None:
            return None
        offset = text.find("<", end)
    return found


def _end_of_tag(text: str, tag: re.Match[str]) -> int | None:
    raw_end = _RAW_TEXT_END.get(tag.group(1).lower())
    if raw_end is None:
        return tag.end()
    closing = raw_end.search(text, tag.end())
    return closing.start() if closing else None


def _end_of_other_markup(text: str, offset: int) -> int | None:
    for pattern in (_END_TAG, _DOCTYPE):
        match = pattern.match(text, offset)
        if match:
            return match.end()
    if text.startswith("<!--", offset):
        close = text.find("-->", offset + 4)
        return close + 3 if close != -1 else None
    return None


_ATTRIBUTE = re.compile(r'\s+([^\s"\'<>/=]+)(?:="([^"<>]*)")?')


class _TagChecker(_Auditor):
    """The auditor's checks on one regular tag, its attributes read as html.parser reads them (names lowercased,
    character references in values resolved)."""

    def __init__(self, site_host: str) -> None:
        super().__init__(site_host)
        self.inside = False
        self.found: list[str] = []

    def flag(self, what: str) -> None:
        self.found.append(what)

    def in_content(self) -> bool:
        return self.inside

    def check(self, tag: str, in_content: bool) -> tuple[str, ...]:
        self.inside, self.found = in_content, []
        match = _STRICT_TAG.match(tag)
        assert match is not None
        name = match.group(1)
        attrs: list[tuple[str, str | None]] = [
            (key.lower(), unescape(value)) for key, value in _ATTRIBUTE.findall(tag, 1 + len(name))
        ]
        self.handle_starttag(name.lower(), attrs)
        return tuple(self.found)


_CHECKERS: dict[str, _TagChecker] = {}


@lru_cache(maxsize=200_000)
def _tag_findings(tag: str, in_content: bool, site_host: str) -> tuple[str, ...]:
    checker = _CHECKERS.get(site_host) or _CHECKERS.setdefault(site_host, _TagChecker(site_host))
    return checker.check(tag, in_content)


def _audit_batch(args: tuple[list[Path], Path, str, str]) -> list[Diagnostic]:
    paths, site_dir, site_host, shown_as = args
    return [d for path in paths for d in audit_page(path, site_dir, site_host, shown_as)]


def audit_site(
    site_dir: Path, site_url: str, workers: int = 2, shown_as: str = "", audited_already: tuple[str, ...] = ()
) -> list[Diagnostic]:
    """Audit every HTML page of the built site. Uses `workers` processes. `shown_as` names the folder in reports
    (the build audits a staging folder that becomes `site/`). Folders in `audited_already` (site-relative, ending
    with "/") were audited as they were written (service pages: `relais.render.pages.write_service_pages`)."""
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
