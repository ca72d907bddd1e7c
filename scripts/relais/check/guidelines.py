"""Check the pages under docs/: front matter against directory/schema/guideline.schema.json and the taxonomy,
then the text (length, contact details, sources) and the translations' revisions.

Pages in, diagnostics out; it reads only the schema and, when not given, a translation's French page.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from relais.check.translations import (
    REVISION_PATTERN,
    file_revision,
    is_tracked,
    recorded_revision,
    source_revision,
)
from relais.core.diagnostics import Diagnostic
from relais.core.project import Project, find_project_root
from relais.i18n.ui_strings import DEFAULT_LANGUAGE
from relais.model.directory import Term, Vocabulary
from relais.model.guidelines import GuidelinePage
from relais.model.yamldoc import JsonPath
from relais.rules import (
    DOC002,
    DOC003,
    DOC004,
    DOC005,
    DOC009,
    DOC010,
    DOC011,
    DOC012,
    DOC013,
    DOC014,
    DOC015,
    DOC016,
    DOC017,
    DOC018,
    DOC019,
    rule,
)

SCHEMA_NAME = "guideline.schema.json"
# The copy of this checkout, for pages outside a project (test fixtures).
_CHECKOUT_SCHEMA = Path(__file__).resolve().parents[3] / "directory" / "schema" / SCHEMA_NAME

GUIDELINE_PAGE = "guidelinePage"
SITE_PAGE = "sitePage"
GUIDES_PREFIX = "guides/"
SEARCH_TEMPLATE = "relais-search.html"
MINIMUM_WORDS = 600


def check_guideline_pages(
    pages: list[GuidelinePage], vocabulary: Vocabulary, docs_dir: Path, as_of: date
) -> list[Diagnostic]:
    """Every problem of every page, unsorted (the caller sorts)."""
    schema_path = schema_file(docs_dir)
    french_pages = {page.base_uri: page for page in pages if page.language == DEFAULT_LANGUAGE}
    diagnostics: list[Diagnostic] = []
    for page in pages:
        kind = page_kind(page)
        diagnostics.extend(_front_matter(page, kind, schema_path))
        if kind == GUIDELINE_PAGE:
            diagnostics.extend(_vocabulary(page, vocabulary))
            diagnostics.extend(_review_date(page, as_of))
            diagnostics.extend(_review_sign_off(page))
        diagnostics.extend(_plain_text(page))
        diagnostics.extend(_body(page, kind))
        diagnostics.extend(_translation(page, docs_dir, french_pages))
        diagnostics.extend(_sensitive_mark(page, french_pages))
    return diagnostics


def is_marked_sensitive(meta: dict[str, Any]) -> bool:
    return meta.get("sensitive") is True


def _sensitive_mark(page: GuidelinePage, french_pages: dict[str, GuidelinePage]) -> Iterator[Diagnostic]:
    """A translation shows Quick exit exactly when its French page does."""
    french = french_pages.get(page.base_uri)
    if page.language == DEFAULT_LANGUAGE or french is None or page.front_matter is None:
        return
    here, there = is_marked_sensitive(page.meta), is_marked_sensitive(french.meta)
    if here == there:
        return
    line, col = page.front_matter.key_position(("sensitive",)) if "sensitive" in page.meta else (1, 1)
    source = PurePosixPath(page.display_path).with_name(PurePosixPath(page.base_uri).name).as_posix()
    marked = {True: "is", False: "is not"}
    fix = "Write `sensitive: true`" if there else "Delete the line `sensitive: true`"
    yield DOC019.at(page.display_path, line, col, here=marked[here], french=marked[there], fix=fix, source=source)


def page_kind(page: GuidelinePage) -> str:
    """Pages under guides/ follow the full contract; the home, search and other site pages need a title and a
    description only."""
    if page.meta.get("template") == SEARCH_TEMPLATE or not page.src_uri.startswith(GUIDES_PREFIX):
        return SITE_PAGE
    return GUIDELINE_PAGE


# --- Front matter against the schema ---------------------------------------------------------------------------


def schema_file(docs_dir: Path) -> Path:
    """The project's own contract, else this checkout's (for loose pages such as test fixtures)."""
    candidate = Project.at(find_project_root(docs_dir)).schema_dir / SCHEMA_NAME
    return candidate if candidate.is_file() else _CHECKOUT_SCHEMA


def _schema(path: Path) -> dict[str, Any]:
    return _schema_version(path, path.stat().st_mtime_ns)


@functools.cache
def _schema_version(path: Path, modified: int) -> dict[str, Any]:
    """Read once per version of the file, so a long `relais serve` sees an edited schema."""
    return json.loads(path.read_text(encoding="utf-8"))


def _validator(path: Path, kind: str) -> Draft202012Validator:
    return _validator_version(path, kind, path.stat().st_mtime_ns)


@functools.cache
def _validator_version(path: Path, kind: str, modified: int) -> Draft202012Validator:
    entry = {**_schema_version(path, modified), "$ref": f"#/$defs/{kind}"}
    return Draft202012Validator(entry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node` merged with what its local `$ref` chain points to; the outer keywords win."""
    merged = dict(node)
    while "$ref" in merged:
        target: Any = schema
        for part in merged.pop("$ref").removeprefix("#/").split("/"):
            target = target[part]
        merged = {**target, **merged}
    return merged


def expected_value(schema: dict[str, Any], kind: str, path: JsonPath) -> str:
    """What the schema says about the field at `path`: the most specific description along the way."""
    node = _resolved(schema, schema["$defs"][kind])
    found = str(node.get("description", ""))
    for part in path:
        child = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
        if not isinstance(child, dict):
            break
        node = _resolved(schema, child)
        found = str(node.get("description", found))
    return found


def dotted(path: JsonPath) -> str:
    """`review.date`: the keys leading to a field."""
    return ".".join(str(part) for part in path if isinstance(part, str))


def field_name(path: JsonPath) -> str:
    """`review.date`, `topics` (item 2): how an editor finds a value in the front matter."""
    if not path:
        return "the front matter"
    items = [part for part in path if isinstance(part, int)]
    return f"`{dotted(path)}` (item {items[-1] + 1})" if items else f"`{dotted(path)}`"


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    text = str(value)
    return f"`{text[:57]}...`" if len(text) > 60 else f"`{text}`"


_TYPE_WORDS = {
    "string": "text",
    "array": "a list, e.g. [first-id, second-id]",
    "object": "a group of `key: value` lines",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def problem_text(error: ValidationError) -> str:
    """The schema error in words for editors (not for programmers)."""
    value, limit = error.instance, error.validator_value
    if error.validator in ("type", "minLength", "minProperties") and value in (None, "", {}):
        return "is empty"
    if error.validator == "type":
        return f"must be {_TYPE_WORDS.get(str(limit), str(limit))}, not {_shown(value)}"
    if error.validator == "enum":
        return f"must be {' or '.join(f'`{option}`' for option in limit)}, not {_shown(value)}"
    if error.validator == "pattern":
        return f"is not written as expected: {_shown(value)}"
    if error.validator == "format":
        return f"is not a real {limit}: {_shown(value)}"
    if error.validator == "minItems":
        return "is an empty list" if not value else f"needs at least {limit} items"
    if error.validator == "maxItems":
        return f"has {len(value)} items; at most {limit} are allowed"
    if error.validator == "uniqueItems":
        return "lists the same id more than once"
    return error.message


def _suggestion(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


# Several keywords can fail on one value (a date both badly written and impossible): report the most telling one.
_PRIORITY = {"type": 0, "enum": 1, "minLength": 2, "pattern": 3, "format": 4}


def _front_matter(page: GuidelinePage, kind: str, schema_path: Path) -> list[Diagnostic]:
    doc = page.front_matter
    if doc is None:
        # Without a match, the body is the whole file: no header at all. Otherwise DOC001 or YML* said why.
        has_none = page.body_line == 1 and not page.body.startswith("---")
        return [DOC002.at(page.display_path, 1, 1)] if has_none else []
    schema = _schema(schema_path)
    errors = sorted(
        _validator(schema_path, kind).iter_errors(doc.value),
        key=lambda e: (doc.position(tuple(e.absolute_path)), _PRIORITY.get(str(e.validator), 9)),
    )
    diagnostics: list[Diagnostic] = []
    reported: set[tuple[str, JsonPath]] = set()
    for error in errors:
        path: JsonPath = tuple(error.absolute_path)
        if error.validator == "required":
            if ("required", path) not in reported:  # one error per missing key, each listing them all
                reported.add(("required", path))
                diagnostics.extend(_missing(page, kind, schema, path, error))
        elif error.validator == "additionalProperties":
            allowed = list(error.schema.get("properties", {}))
            for key in [k for k in error.instance if k not in allowed]:
                diagnostics.append(_unknown_key(page, (*path, key), allowed, _suggestion(key, allowed)))
        elif ("value", path) not in reported:
            reported.add(("value", path))
            line, col = doc.position(path)
            diagnostics.append(
                DOC005.at(
                    page.display_path,
                    line,
                    col,
                    field=field_name(path),
                    problem=problem_text(error),
                    expected=expected_value(schema, kind, path),
                )
            )
    if page.language == DEFAULT_LANGUAGE and "translation" in page.meta:
        allowed = [key for key in schema["$defs"][kind]["properties"] if key != "translation"]
        only_translations = " (only translations, .en.md and .ar.md files, record `translation`)"
        diagnostics.append(_unknown_key(page, ("translation",), allowed, only_translations))
    return diagnostics


def _missing(
    page: GuidelinePage, kind: str, schema: dict[str, Any], parent: JsonPath, error: ValidationError
) -> Iterator[Diagnostic]:
    assert page.front_matter is not None
    line, col = page.front_matter.key_position(parent) if parent else (1, 1)
    place = f"under `{dotted(parent)}:`" if parent else "to the front matter"
    for key in [k for k in error.validator_value if k not in error.instance]:
        yield DOC003.at(
            page.display_path,
            line,
            col,
            field=dotted((*parent, key)),
            key=key,
            place=place,
            expected=expected_value(schema, kind, (*parent, key)),
        )


def _unknown_key(page: GuidelinePage, path: JsonPath, allowed: list[str], suggestion: str) -> Diagnostic:
    assert page.front_matter is not None
    line, col = page.front_matter.key_position(path)
    return DOC004.at(
        page.display_path,
        line,
        col,
        field=dotted(path),
        suggestion=suggestion,
        allowed=", ".join(f"`{key}`" for key in allowed),
    )


# --- Front matter against the taxonomy and the calendar ---------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_VOCABULARY_FIELDS: tuple[tuple[JsonPath, str, str, str], ...] = (
    (("topics",), "DOC006", "topics", "topic"),
    (("audiences",), "DOC007", "audiences", "audience"),
    (("refer", "categories"), "DOC008", "categories", "service category"),
    (("refer", "populations"), "DOC008", "populations", "population"),
)


def _at_path(meta: dict[str, Any], path: JsonPath) -> Any:
    value: Any = meta
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _vocabulary(page: GuidelinePage, vocabulary: Vocabulary) -> Iterator[Diagnostic]:
    if page.front_matter is None:
        return
    for path, rule_id, section, kind in _VOCABULARY_FIELDS:
        terms: dict[str, Term] = getattr(vocabulary, section)
        values = _at_path(page.meta, path)
        if not terms or not isinstance(values, list):  # no taxonomy loaded: the directory checks say why
            continue
        for index, value in enumerate(values):
            if isinstance(value, str) and value not in terms:
                line, col = page.front_matter.position((*path, index))
                yield rule(rule_id).at(
                    page.display_path,
                    line,
                    col,
                    id=value,
                    kind=kind,
                    suggestion=_suggestion(value, list(terms)),
                    allowed=", ".join(terms),
                )


def _review_date(page: GuidelinePage, as_of: date) -> Iterator[Diagnostic]:
    written = _at_path(page.meta, ("review", "date"))
    if not isinstance(written, str) or not _ISO_DATE.fullmatch(written):
        return  # DOC005 reports it
    try:
        reviewed_on = date.fromisoformat(written)
    except ValueError:
        return  # DOC005 reports it
    if reviewed_on > as_of and page.front_matter:
        line, col = page.front_matter.position(("review", "date"))
        yield DOC013.at(page.display_path, line, col, date=written, as_of=as_of.isoformat())


def _review_sign_off(page: GuidelinePage) -> Iterator[Diagnostic]:
    """A page is "reviewed" only once a named qualified reviewer signed it off; every guideline says which
    standards it was checked against."""
    review = page.meta.get("review")
    if not isinstance(review, dict) or page.front_matter is None:
        return  # DOC002/DOC005 report it
    if review.get("status") == "reviewed" and not isinstance(review.get("reviewed_by"), dict):
        line, col = page.front_matter.position(("review", "status"))
        yield DOC017.at(page.display_path, line, col)
    if not page.is_section_index and "checked_against" not in review:
        line, col = page.front_matter.key_position(("review",))
        yield DOC018.at(page.display_path, line, col)


def _plain_text(page: GuidelinePage) -> Iterator[Diagnostic]:
    for key in ("title", "description"):
        value = page.meta.get(key)
        if not isinstance(value, str) or page.front_matter is None:
            continue
        found = []
        if "\n" in value or "\r" in value:
            found.append("a line break")
        if "<" in value or ">" in value:
            found.append("`<` or `>`")
        if found:
            line, col = page.front_matter.position((key,))
            yield DOC012.at(page.display_path, line, col, field=key, what=" and ".join(found))


# --- The text of the page ----------------------------------------------------------------------------------------

_SOURCES_HEADING = re.compile(r"^##[ \t]+(?:sources|المصادر)[ \t]*#*[ \t]*$", re.IGNORECASE)
_SECTION_HEADING = re.compile(r"^#{1,2}[ \t]")
_LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# "Title, Organisation, year": two separators (a comma, or the Arabic comma) before the year.
_CITATION_SEPARATOR = re.compile(r"[,،]")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_ADMONITION_MARKER = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+", re.MULTILINE)
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\]\([^)]*\)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
# Eight digits or more, each group separated by at most one space, dot or dash, with or without a leading +.
_PHONE = re.compile(r"(?<![\w+])\+?\d(?:[ .\-]?\d){7,}(?!\w)")
_NOT_A_PHONE = (
    re.compile(r"\d{4}-\d{2}-\d{2}"),  # 2026-11-23
    re.compile(r"\d{1,2}[.\-]\d{1,2}[.\-]\d{4}"),  # 23.11.2026
    re.compile(r"(?:(?:19|20)\d{2}[ .\-]?)+"),  # years side by side: 2019-2020, 2007 2016
    re.compile(r"[1-9]\d{0,2}(?P<sep>[ .])\d{3}(?:(?P=sep)\d{3})+"),  # amounts: 169 100 000
)


def sources_span(lines: list[str]) -> tuple[int, int] | None:
    """Index of the Sources heading and of the first line after its section, or None."""
    start = next((i for i, line in enumerate(lines) if _SOURCES_HEADING.match(line)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _SECTION_HEADING.match(lines[i])), len(lines))
    return start, end


def count_words(body: str) -> int:
    """Words with at least one letter, outside the Sources section and link addresses."""
    lines = body.splitlines()
    span = sources_span(lines)
    if span:
        lines = lines[: span[0]] + lines[span[1] :]
    text = _ADMONITION_MARKER.sub("", _LINK_TARGET.sub("]", "\n".join(lines)))
    return sum(1 for token in text.split() if any(char.isalpha() for char in token))


def contact_details(line: str) -> Iterator[tuple[int, str, str]]:
    """(column, kind, text) of each e-mail address and phone number in a line of text."""
    for match in _EMAIL.finditer(line):
        yield match.start() + 1, "e-mail address", match.group()
    addresses = [match.span() for match in _URL.finditer(line)]
    for match in _PHONE.finditer(line):
        inside_address = any(start <= match.start() < end for start, end in addresses)
        if not inside_address and not any(p.fullmatch(match.group()) for p in _NOT_A_PHONE):
            yield match.start() + 1, "phone number", match.group()


def _body(page: GuidelinePage, kind: str) -> Iterator[Diagnostic]:
    lines = page.body.splitlines()
    for offset, line in enumerate(lines):
        for col, what, text in contact_details(line):
            yield DOC010.at(page.display_path, page.body_line + offset, col, kind=what, text=text)
    is_guideline = kind == GUIDELINE_PAGE and not page.is_section_index
    if is_guideline and page.language == DEFAULT_LANGUAGE:
        words = count_words(page.body)
        if words < MINIMUM_WORDS:
            first_text = next((i for i, line in enumerate(lines) if line.strip()), 0)
            line = page.body_line + first_text
            yield DOC009.at(page.display_path, line, 1, count=words, minimum=MINIMUM_WORDS)
    yield from _sources(page, lines, required=is_guideline)


def _sources(page: GuidelinePage, lines: list[str], required: bool) -> Iterator[Diagnostic]:
    span = sources_span(lines)
    if span is None:
        if required:
            line = page.body_line + max(len(lines) - 1, 0)  # where the section would go: the last line
            problem = "the page has no `## Sources` section"
            yield DOC011.at(page.display_path, line, 1, problem=problem)
        return
    start, end = span
    items = [i for i in range(start + 1, end) if _LIST_ITEM.match(lines[i])]
    if not items:
        problem = "the section lists no source"
        yield DOC011.at(page.display_path, page.body_line + start, 1, problem=problem)
    for first in items:
        last = first + 1  # an item goes on over its indented continuation lines
        while last < end and lines[last][:1] in (" ", "\t") and lines[last].strip() and last not in items:
            last += 1
        citation = " ".join(lines[first:last])
        years = list(_YEAR.finditer(citation))  # the last one is the citation's; a title may hold one too
        year = years[-1] if years else None
        if not year:
            problem = "this source has no year (19xx or 20xx)"
            yield DOC011.at(page.display_path, page.body_line + first, 1, problem=problem)
        elif len(_CITATION_SEPARATOR.findall(citation[: year.start()])) < 2:
            problem = "this source names no organisation (write: Title, Organisation, year)"
            yield DOC011.at(page.display_path, page.body_line + first, 1, problem=problem)


# --- Translations --------------------------------------------------------------------------------------------------


def _translation(page: GuidelinePage, docs_dir: Path, french_pages: dict[str, GuidelinePage]) -> Iterator[Diagnostic]:
    if page.language == DEFAULT_LANGUAGE:
        return
    source_display = PurePosixPath(page.display_path).with_name(PurePosixPath(page.base_uri).name).as_posix()
    french = french_pages.get(page.base_uri)
    current = source_revision(french.body) if french else file_revision(docs_dir / page.base_uri)
    if current is None:
        yield DOC015.at(page.display_path, 1, 1, source=source_display)
        return
    if not is_tracked(page.src_uri) or page.front_matter is None:
        return
    recorded = recorded_revision(page.meta)
    translation = page.meta.get("translation")
    if isinstance(translation, dict) and "source_revision" in translation:
        if recorded is None or not REVISION_PATTERN.match(recorded) or recorded == current:
            return  # a badly written revision is reported by DOC005
        line, col = page.front_matter.position(("translation", "source_revision"))
        yield DOC014.at(page.display_path, line, col, recorded=recorded, current=current, source=source_display)
        return
    line, col = page.front_matter.key_position(("translation",)) if "translation" in page.meta else (1, 1)
    yield DOC016.at(page.display_path, line, col, current=current)
