"""Escaping is structural (relais.render.markup): text is escaped unless it is Markup, and the code cannot build
HTML any other way without a test failing."""

from __future__ import annotations

import ast
import dataclasses
from html import escape
from pathlib import Path

import pytest

from directory_fixture import load_fixture_directory, public_by_id
from relais.model.public import public_directory
from relais.render.markup import EMPTY, Markup, each, escaped, fill, html, join
from relais.render.pages import PageSettings, Writer
from support import AS_OF, REPO

PACKAGE = REPO / "scripts" / "relais"
MARKUP_MODULE = PACKAGE / "render" / "markup.py"
# It inserts the computed policy into pages the engine wrote: no data, and its quotes must stay as they are.
CSP_MODULE = PACKAGE / "render" / "csp.py"
TRICKY = """<script>alert("x")</script> & l'eau"""


def python_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "node_modules" not in path.parts)


def located(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(REPO)}:{getattr(node, 'lineno', 0)}"


def test_text_is_escaped_as_the_standard_library_does() -> None:
    assert html("<p>{}</p>", TRICKY) == f"<p>{escape(TRICKY)}</p>"
    assert "&#x27;" in html("{}", "l'eau") and "&quot;" in html("{}", '"')
    assert isinstance(html("<p>{}</p>", TRICKY), Markup)


def test_markup_goes_in_as_it_is_and_is_not_escaped_twice() -> None:
    inner = html("<b>{}</b>", "a & b")
    assert html("<p>{}</p>", inner) == "<p><b>a &amp; b</b></p>"
    assert html("<p>{one}{two}</p>", one=inner, two="<") == "<p><b>a &amp; b</b>&lt;</p>"


def test_numbers_are_written_and_anything_else_is_refused() -> None:
    assert html("<td>{}</td>", 12) == "<td>12</td>"
    for value in (None, 1.5, True, ["x"]):
        with pytest.raises(TypeError, match="cannot put a"):
            html("{}", value)


def test_a_translated_sentence_is_text_and_its_values_text_or_markup() -> None:
    sentence = "Vérifié le {date} par {role} <selon l'équipe>"
    filled = fill(sentence, date=html("<time>{}</time>", "1 mai"), role="A & B")
    assert filled == "Vérifié le <time>1 mai</time> par A &amp; B &lt;selon l&#x27;équipe&gt;"


def test_each_fills_the_template_once_per_row() -> None:
    rows = [("a&b", html("<i>x</i>")), ("c", 3)]
    assert each("<li>{}{}</li>", rows, "\n") == "<li>a&amp;b<i>x</i></li>\n<li>c3</li>"
    assert each("<li>{}</li>", []) == ""


def test_join_escapes_its_text_parts_and_a_text_separator() -> None:
    assert join([html("<i>a</i>"), "<b>"]) == "<i>a</i>&lt;b&gt;"
    assert join(["a", "b"], html("<br>")) == "a<br>b"
    assert join(["a", "b"], " & ") == "a &amp; b"
    assert join([]) == EMPTY == ""
    assert escaped("<") == "&lt;"


def test_a_service_name_with_markup_reaches_the_page_as_text(tmp_path: Path) -> None:
    directory = public_directory(load_fixture_directory(tmp_path / "directory"))
    service = dataclasses.replace(public_by_id(directory, "test-centre-ecoute"), name={"fr": TRICKY})
    page = Writer(directory, "fr", PageSettings(repo_url="", as_of=AS_OF)).service_page(service)
    assert f'<h1 data-pagefind-weight="10">{escape(TRICKY)}</h1>' in page.body
    assert "<script>" not in page.body


def test_only_the_markup_module_escapes_or_declares_markup() -> None:
    """A second `escape` or a `Markup(...)` elsewhere would reopen the door the module closes."""
    found = []
    for path in python_files():
        if path == MARKUP_MODULE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in {"html", "markupsafe"}:
                names = {alias.name for alias in node.names}
                if names & {"escape", "Markup"}:
                    found.append(f"{located(path, node)} imports {sorted(names)} from {node.module}")
            elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Markup":
                found.append(f"{located(path, node)} calls Markup()")
            elif isinstance(node, ast.Attribute) and node.attr == "escape" and getattr(node.value, "id", "") == "html":
                found.append(f"{located(path, node)} calls html.escape")
    assert found == []


def _literal_template(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, ast.IfExp) and _literal_template(node.body) and _literal_template(node.orelse)


def test_every_template_is_a_literal_in_the_code() -> None:
    """`html()` and `each()` trust their template as markup: built from data, it would carry data unescaped."""
    found = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            called = isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in {
                "html",
                "each",
            }
            if called and (not node.args or not _literal_template(node.args[0])):
                found.append(located(path, node))
    assert found == []


def test_renderers_build_no_html_in_f_strings() -> None:
    """HTML written as an f-string escapes only what its author remembered to escape."""
    found = []
    for path in sorted((PACKAGE / "render").glob("*.py")):
        if path == CSP_MODULE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in node.values):
                literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                if "<" in literal:
                    found.append(f"{located(path, node)}: {literal[:60]!r}")
    assert found == []
