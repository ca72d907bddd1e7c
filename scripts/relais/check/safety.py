"""Refuse unsafe guideline content before the build: markup that runs code, bad links, data files under docs/.

Reads page sources only; the built-HTML check (second line of defence) is `html_audit`.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor
from pymdownx.slugs import slugify

from relais.core.diagnostics import Diagnostic
from relais.core.project import GENERATED_FOLDERS
from relais.core.tree import regular_files
from relais.model.guidelines import GuidelinePage, language_of, split_front_matter
from relais.rules import SAF005, SAF006, SAF008, SAF009, SAF010, rule

DANGEROUS_TAGS = (
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "frame",
    "frameset",
    "applet",
    "svg",
    "math",
    "template",
)
DATA_SUFFIXES = (
    ".yml",
    ".yaml",
    ".csv",
    ".json",
    ".tsv",
    ".xlsx",
    ".xls",
    ".ods",
    ".sqlite",
    ".db",
    ".sql",
    ".geojson",
    ".kml",
    ".gpx",
    ".bak",
)
_TAG = re.compile(r"<\s*(" + "|".join(DANGEROUS_TAGS) + r")\b", re.IGNORECASE)
_EVENT = re.compile(r"(?<![\w-])(on[a-z]+)\s*=", re.IGNORECASE)
_SCHEME = re.compile(r"(javascript|vbscript|data)\s*:", re.IGNORECASE)
# CSS that fetches something: url(), image-set(), @import; in a style attribute, also any CSS escape (`u\72l(`).
_CSS_FETCH = re.compile(r"(?:url|image-set)\s*\(|@import", re.IGNORECASE)
_CSS_RESOURCE = re.compile(_CSS_FETCH.pattern + r"|\\", re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"style\s*=", re.IGNORECASE)
# What a browser reads as one start tag: quoted values may hold `>` and line breaks, an open quote runs on.
_START_TAG = re.compile(r"<[A-Za-z](?:[^>\"']|\"[^\"]*\"?|'[^']*'?)*>?")
_ATTR_LIST = re.compile(r"\{[^}\n]*\}?")
# A link whose destination starts on the next line: `[text](` or `[label]:` at the end of a line.
_OPENS_LINK = re.compile(r"\]\(\s*$|^\s*\[[^\]]+\]:\s*$")
_LINK = re.compile(
    r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^\s*\[(?!\^)[^\]]+\]:\s*<?([^\s>]+)>?|"
    r"(?:href|src)\s*=\s*[\"']?([^\"'\s>]+)",
    re.IGNORECASE | re.MULTILINE,
)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_HEADING_ID = re.compile(r"\{[^}]*#([\w\-]+)[^}]*\}\s*$")
_SETEXT_UNDERLINE = re.compile(r"^(?:=+|-+)[ \t]*$")
_slug = slugify(case="lower")

# How Python-Markdown and pymdownx.superfences read the page, followed closely enough to tell code (shown, never
# run) from markup. Where the page is laid out in a way this does not follow, nothing more is treated as code:
# a false alarm is an inconvenience, markup taken for code would be published unchecked.
_DELETED_BY_MARKDOWN = re.compile("[\x02\x03]")  # removed before parsing: `<scr\x02ipt>` becomes `<script>`
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FENCE_LIKE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})")
_PLAIN_FENCE = re.compile(r"^( *)(`{3,}|~{3,})(?:[ \t]*\.?[\w#.+-]+)?[ \t]*$")
_RAW_HTML_LINE = re.compile(r"^\s*<[A-Za-z/!?]")
_CODE_SPAN = BacktickInlineProcessor(BACKTICK_RE)
_TAB_LENGTH = 4


def _fenced_code(lines: list[str]) -> tuple[set[int], int]:
    """Indices of the lines superfences turns into code blocks, and the index from which the layout is not followed.

    Superfences only closes a fence with the same run of backticks or tildes at the same indentation, gives up
    on a block when a line is less indented, and leaves an unclosed fence as text.
    """
    code: set[int] = set()
    index = 0
    while index < len(lines):
        line = lines[index].expandtabs(_TAB_LENGTH)
        if not _FENCE_LIKE.match(line):
            index += 1
            continue
        opening = _PLAIN_FENCE.match(line)
        if not opening or _put_back_as_text(lines, index, len(opening.group(1))):  # options, a blockquote...
            return code, index
        indent, closing = len(opening.group(1)), re.compile(re.escape(opening.group(2)) + r"[ \t]*")
        block = [index]
        index = len(lines)  # an unclosed fence stays text, and nothing after it opens a fence
        for later in range(block[0] + 1, len(lines)):
            text = lines[later].expandtabs(_TAB_LENGTH)
            if text.strip() and text[:indent].strip(" "):
                index = later + 1  # less indented than the fence: superfences gives the block up
                break
            if text.strip() and closing.fullmatch(text[indent:]):
                code.update([*block, later])
                index = later + 1
                break
            block.append(later)
    return code, len(lines)


def _indentation(line: str) -> int:
    expanded = line.expandtabs(_TAB_LENGTH)
    return len(expanded) - len(expanded.lstrip(" "))


def _put_back_as_text(lines: list[str], index: int, fence_indent: int) -> bool:
    """Whether superfences puts the fence at line `index` back as text: its paragraph starts as indented code and
    the fence is not wholly inside that code. Paragraphs are split by blank lines, except that MkDocs drops
    leading empty lines and Python-Markdown keeps a whitespace-only first line."""
    first = next((i for i, line in enumerate(lines) if line), 0)
    start = index
    while start > first and (lines[start - 1].strip() or start - 1 == first):
        start -= 1
    code_indent = _indentation(lines[start])
    if code_indent < _TAB_LENGTH:
        return False
    return fence_indent < code_indent or any(
        line.strip() and _indentation(line) < code_indent for line in lines[start:index]
    )


def _code_spans(line: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the inline code spans of a line, found by Python-Markdown's own backtick processor."""
    index = 0
    while (match := _CODE_SPAN.compiled_re.search(line, index)) is not None:
        element, _, end = _CODE_SPAN.handleMatch(match, line)
        if isinstance(element, str):  # escaped backslashes: Markdown stores them away, a backtick after them opens
            line = line[: match.start()] + "\x00" * (match.end() - match.start()) + line[match.end() :]
        elif element is not None:
            yield match.start(), end
        index = max(end or 0, match.end())


def _masked_lines(body: str, code_spans: bool = True) -> list[str]:
    """Body lines with fenced code and (unless `code_spans` is false) inline code blanked out: code is shown, never
    run.

    Inline code is blanked only where it cannot be read otherwise: on a line that is the only one of its paragraph
    with backticks, before any raw HTML (whose text is not Markdown), outside tables.
    """
    lines = _LINE_BREAK.split(_DELETED_BY_MARKDOWN.sub("", body))
    code, followed_until = _fenced_code(lines)
    raw_html_from = next(
        (i for i, line in enumerate(lines) if i not in code and _RAW_HTML_LINE.match(line)), len(lines)
    )
    with_ticks_in_paragraph: dict[int, int] = {}
    paragraph = 0
    for i, line in enumerate(lines):
        if i in code or not line.strip():
            paragraph += 1
        elif "`" in line:
            with_ticks_in_paragraph[paragraph] = with_ticks_in_paragraph.get(paragraph, 0) + 1
    masked, paragraph = [], 0
    for i, line in enumerate(lines):
        if i in code or not line.strip():
            paragraph += 1
            masked.append("" if i in code else line)
            continue
        readable = code_spans and "`" in line and "|" not in line and i < min(followed_until, raw_html_from)
        if readable and with_ticks_in_paragraph.get(paragraph) == 1:
            for start, end in _code_spans(line):
                line = line[:start] + " " * (end - start) + line[end:]
        masked.append(line)
    return masked


def _normalised(line: str) -> str:
    """Undo entity and whitespace obfuscation (`jav&#x09;ascript:`) before matching."""
    return re.sub(r"[\x00-\x20]+", "", html.unescape(html.unescape(line)))


def _line_and_col(text: str, offset: int) -> tuple[int, int]:
    """0-based line and 1-based column of `offset` in `text`."""
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _attribute_contexts(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of every start tag, even spread over several lines, and of every `{: ...}` attribute list."""
    for pattern in (_START_TAG, _ATTR_LIST):
        for match in pattern.finditer(text):
            yield match.start(), match.group()


def _tag_problems(lines: list[str]) -> Iterator[tuple[str, int, int, dict[str, str]]]:
    for offset, line in enumerate(lines):
        for match in _TAG.finditer(line):
            yield "SAF001", offset, match.start() + 1, {"tag": match.group(1).lower()}


def _line_problems(lines: list[str]) -> Iterator[tuple[str, int, int, dict[str, str]]]:
    for offset, line in enumerate(lines):
        if "<" in line or "{" in line:  # an attribute of raw HTML or of an attr_list, not prose "on=..."
            for match in _EVENT.finditer(html.unescape(line)):
                yield "SAF002", offset, match.start() + 1, {"attribute": match.group(1).lower()}
        scheme = _SCHEME.search(_normalised(line))
        link_like = any(mark in line.lower() for mark in ("](", "href", "src", "]:", "<"))
        if scheme and (link_like or (offset > 0 and _OPENS_LINK.search(lines[offset - 1]))):
            yield "SAF003", offset, 1, {"scheme": scheme.group(1).lower() + ":"}
        if _CSS_FETCH.search(_normalised(line)) and "style" in line.lower():
            yield "SAF004", offset, line.lower().index("style") + 1, {}


def _attribute_problems(text: str) -> Iterator[tuple[str, int, int, dict[str, str]]]:
    """The same checks inside tags and attribute lists spread over several lines."""
    for start, context in _attribute_contexts(text):
        for match in _EVENT.finditer(context):
            yield "SAF002", *_line_and_col(text, start + match.start()), {"attribute": match.group(1).lower()}
        scheme = _SCHEME.search(_normalised(context))
        if scheme:
            first = next((i for i, part in enumerate(context.split("\n")) if _SCHEME.search(_normalised(part))), 0)
            yield "SAF003", _line_and_col(text, start)[0] + first, 1, {"scheme": scheme.group(1).lower() + ":"}
        style = _STYLE_ATTRIBUTE.search(context)
        if style and _CSS_RESOURCE.search(_normalised(context[style.start() :])):
            yield "SAF004", *_line_and_col(text, start + style.start()), {}


def markup_problems(page: GuidelinePage) -> list[Diagnostic]:
    # Code spans hide tags, but not attributes or links: Python-Markdown puts a code span's text back as plain
    # text into a link destination (`[x](`javascript:...`)`), and a code span can cut a raw tag in two.
    shown_code_hidden, code_blocks_hidden = _masked_lines(page.body), _masked_lines(page.body, code_spans=False)
    problems = (
        *_tag_problems(shown_code_hidden),
        *_line_problems(code_blocks_hidden),
        *_attribute_problems("\n".join(code_blocks_hidden)),
    )
    found: dict[tuple[str, int, str], Diagnostic] = {}
    for rule_id, offset, col, fields in problems:
        diagnostic = rule(rule_id).at(page.display_path, page.body_line + offset, col, **fields)
        found.setdefault((rule_id, diagnostic.line, diagnostic.message), diagnostic)
    return list(found.values())


# Zero-width space and joiner marks, direction marks, embeddings, overrides, isolates, the Arabic letter mark.
CONTROLS = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff]")
# What Arabic prose may need: zero-width non-joiner and joiner, left-to-right, right-to-left and Arabic letter marks.
ARABIC_MARKS = frozenset("\u200c\u200d\u200e\u200f\u061c")


def control_character_problems(page: GuidelinePage) -> list[Diagnostic]:
    """Controls in a link target are refused everywhere; in prose, only Arabic pages may use the Arabic marks."""
    found: list[Diagnostic] = []
    for line, col, target in _links(page):
        bad = CONTROLS.search(target)
        if bad:
            found.append(_control(page, line, col, f"link `{target[:60]}`", bad.group()))
    allowed = ARABIC_MARKS if page.language == "ar" else frozenset()
    reported = {d.line for d in found}
    for offset, text in enumerate(page.body.split("\n")):
        if page.body_line + offset in reported:
            continue
        for match in CONTROLS.finditer(text):
            if match.group() not in allowed:
                found.append(_control(page, page.body_line + offset, match.start() + 1, "the text", match.group()))
                break
    return found


def _control(page: GuidelinePage, line: int, col: int, where: str, character: str) -> Diagnostic:
    return SAF010.at(page.display_path, line, col, where=where, character=f"U+{ord(character):04X}")


def _links(page: GuidelinePage) -> Iterator[tuple[int, int, str]]:
    for offset, line in enumerate(_masked_lines(page.body)):
        for match in _LINK.finditer(line):
            target = next(group for group in match.groups() if group)
            yield page.body_line + offset, match.start() + 1, target


def _headings(body: str) -> Iterator[str]:
    """Heading texts of a page body: `# Title` lines and underlined (`===`, `---`) titles, not code."""
    lines = _masked_lines(body, code_spans=False)
    for index, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading:
            yield heading.group(2)
        elif (
            line.strip()
            and index + 1 < len(lines)
            and _SETEXT_UNDERLINE.match(lines[index + 1])
            and (index == 0 or not lines[index - 1].strip())
        ):
            yield line.strip()


@cache
def _anchors(path: Path) -> frozenset[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    body = split_front_matter(path.read_text(encoding="utf-8", errors="replace"), path.name)[1]
    for title in _headings(body):
        explicit = _HEADING_ID.search(title)
        if explicit:
            anchors.add(explicit.group(1))
            continue
        slug = _slug(re.sub(r"[*_`]", "", title), "-")
        count = seen.get(slug, 0)
        anchors.add(slug if count == 0 else f"{slug}_{count}")
        seen[slug] = count + 1
    return frozenset(anchors)


def _target_file(docs_dir: Path, target_uri: str, language: str) -> Path | None:
    """The file a link resolves to, preferring the linking page's language (static-i18n does the same)."""
    base = docs_dir / target_uri
    if base.suffix != ".md":
        base = base / "index.md" if not base.suffix else base
    if base.suffix != ".md":
        return base if _exists(base) else None
    translated = base.with_name(f"{base.stem}.{language}.md")
    if language != "fr" and _exists(translated):
        return translated
    return base if _exists(base) else None


def _exists(path: Path) -> bool:
    """Like Path.exists, but a name the file system cannot hold (too long, NUL) simply does not exist."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def link_problems(page: GuidelinePage, docs_dir: Path) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for line, col, target in _links(page):
        if re.match(r"^(https?:|mailto:|tel:)", target, re.IGNORECASE) or _SCHEME.match(_normalised(target)):
            continue  # external, or reported as SAF003
        if CONTROLS.search(target):
            continue  # reported as SAF010
        path_part, _, anchor = target.partition("#")
        if not path_part:
            own = page.path
            if anchor and anchor not in _anchors(own):
                found.append(SAF009.at(page.display_path, line, col, target=target, anchor=anchor))
            continue
        if path_part.startswith("/") or re.match(r"^[a-zA-Z]:[\\/]", path_part):
            found.append(SAF006.at(page.display_path, line, col, target=target))
            continue
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.src_uri), path_part))
        if resolved.startswith(".."):
            found.append(SAF006.at(page.display_path, line, col, target=target))
            continue
        if resolved.split("/")[0] in GENERATED_FOLDERS:
            continue  # written at build time; the engine's strict link check covers them
        target_file = _target_file(docs_dir, language_of(resolved)[1], page.language)
        if target_file is None:
            found.append(SAF008.at(page.display_path, line, col, target=target))
        elif anchor and target_file.suffix == ".md" and anchor not in _anchors(target_file):
            found.append(SAF009.at(page.display_path, line, col, target=target, anchor=anchor))
    return found


def data_files_in_docs(
    docs_dir: Path, display: Callable[[Path], str], skip_dirs: tuple[Path, ...] = ()
) -> list[Diagnostic]:
    found = []
    for path in regular_files(docs_dir, skip=skip_dirs):
        if path.suffix.lower() in DATA_SUFFIXES:
            found.append(SAF005.at(display(path), 1, 1, name=path.name))
    return found


def check_content_safety(
    pages: list[GuidelinePage], docs_dir: Path, display: Callable[[Path], str], skip_dirs: tuple[Path, ...] = ()
) -> list[Diagnostic]:
    found = data_files_in_docs(docs_dir, display, skip_dirs)
    _anchors.cache_clear()
    for page in pages:
        found += markup_problems(page) + link_problems(page, docs_dir) + control_character_problems(page)
    return found
