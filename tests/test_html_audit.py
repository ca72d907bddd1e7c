"""The second line of defence: the audit of the built HTML reports, with page and line, every element and attribute
that neither our templates nor the theme produce, and nothing on the pages they do produce.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from relais.check import project as checked_project
from relais.check.html_audit import _Auditor, _position, _regular_and_clean, audit_site, fast_findings
from relais.core.diagnostics import Diagnostic
from relais.pipeline.build import BuildFailed, build_project
from support import AS_OF, FIXTURES, BuiltSite, copy_project

SITE_URL = "https://relais-hub.github.io/relais/"
# Hand-written pages: head, then the content in <article> as the theme lays it out. Line 4 is the place to test.
PAGE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Page fictive</title>
{head}
</head>
<body>
<article class="md-content__inner md-typeset">
<h1 id="titre">Page fictive</h1>
{content}
</article>
</body>
</html>
"""
HEAD_LINE, CONTENT_LINE = 4, 9

# (name, where, markup, what the report must say)
FORBIDDEN = [
    ("script-from-another-host", "head", '<script src="https://evil.example/x.js"></script>', "another host"),
    ("script-protocol-relative", "head", '<script src="//evil.example/x.js"></script>', "another host"),
    ("script-backslash-host", "head", '<script src="/\\evil.example/x.js"></script>', "another host"),
    ("stylesheet-from-another-host", "head", '<link rel="stylesheet" href="https://evil.example/x.css">', "host"),
    ("inline-script-in-content", "content", "<script>alert(1)</script>", "`<script>` element inside the page"),
    ("iframe", "content", '<iframe src="https://example.org/"></iframe>', "`<iframe>` element"),
    ("object", "content", '<object data="fictif.swf"></object>', "`<object>` element"),
    ("onerror", "content", '<img src="x.png" alt="" onerror="alert(1)">', "event handler `onerror`"),
    ("javascript-href", "content", '<a href="javascript:alert(1)">x</a>', "`javascript:` URL"),
    ("javascript-href-tab-entity", "content", '<a href="jav&#x09;ascript:alert(1)">x</a>', "`javascript:` URL"),
    ("javascript-href-colon-entity", "content", '<a href="javascript&colon;alert(1)">x</a>', "`javascript:` URL"),
    ("data-href", "content", '<a href="data:text/html;base64,PGI+eDwvYj4=">x</a>', "`data:` URL"),
    ("style-on-div", "content", '<div style="background:url(https://evil.example/x.png)">x</div>', "`style`"),
    ("style-with-url-on-cell", "content", '<table><tr><td style="background:url(x.png)">x</td></tr></table>', "style"),
    ("unknown-element", "content", "<marquee>x</marquee>", "`<marquee>` element"),
    ("form-in-content", "content", '<form action="/relais/envoi"></form>', "`<form>` element inside the page"),
    (
        "noscript-mutation",
        "content",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
        "markup inside the attribute `title` of `<p>`",
    ),
]


def write_page(site: Path, relative: str, head: str = "", content: str = "<p>Texte fictif.</p>") -> Path:
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(head=head, content=content), encoding="utf-8")
    return path


def texts(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.as_text() for d in diagnostics]


@pytest.mark.parametrize(("where", "markup", "said"), [c[1:] for c in FORBIDDEN], ids=[c[0] for c in FORBIDDEN])
def test_forbidden_markup_is_reported_with_page_and_line(tmp_path: Path, where: str, markup: str, said: str) -> None:
    site = tmp_path / "site"
    write_page(site, "guides/page-fictive/index.html", **{where: markup})
    found = audit_site(site, SITE_URL)
    line = HEAD_LINE if where == "head" else CONTENT_LINE
    assert [(d.rule, d.path, d.line) for d in found] == [("SAF007", "site/guides/page-fictive/index.html", line)], (
        texts(found)
    )
    assert said in found[0].message, found[0].message


def test_the_page_stays_clean_without_the_forbidden_markup(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_page(site, "index.html", head='<script src="assets/app.js"></script><script>var fictif = 1;</script>')
    assert audit_site(site, SITE_URL) == []


def test_closing_the_content_early_does_not_move_a_script_out_of_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_page(site, "index.html", content="</article><script>alert(1)</script>")
    assert [(d.rule, d.line) for d in audit_site(site, SITE_URL)] == [("SAF007", CONTENT_LINE)]


def test_a_page_under_a_pagefind_folder_is_audited_too(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_page(site, "pagefind/index.html", content="<iframe></iframe>")
    assert [d.path for d in audit_site(site, SITE_URL)] == ["site/pagefind/index.html"]


def test_every_page_is_audited_in_worker_processes_too(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for number in range(200):
        write_page(site, f"page-{number:03d}/index.html", content="<marquee>x</marquee>" if number == 150 else "")
    found = audit_site(site, SITE_URL, workers=2)
    assert [(d.path, d.line) for d in found] == [("site/page-150/index.html", CONTENT_LINE)]


REAL_PAGES = [
    "index.html",
    "404.html",
    "ar/index.html",
    "recherche/index.html",
    "guides/fondements/ne-pas-nuire/index.html",
    "annuaire/services/test-centre-ecoute/index.html",
    "en/annuaire/services/test-refuge-confidentiel/index.html",
]


@pytest.fixture
def real_pages(built_site: BuiltSite, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for relative in REAL_PAGES:
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(built_site.site / relative, site / relative)
    return site


def test_pages_of_a_real_build_give_no_report(real_pages: Path) -> None:
    assert audit_site(real_pages, SITE_URL) == []


def test_markup_slipped_into_a_real_page_is_found_at_its_line(real_pages: Path) -> None:
    page = real_pages / "guides/fondements/ne-pas-nuire/index.html"
    lines = page.read_text(encoding="utf-8").split("\n")
    content = next(i for i, line in enumerate(lines) if "<article" in line) + 3
    lines.insert(content, '<p><img src="x.png" alt="" onerror="alert(1)"><script>alert(2)</script></p>')
    page.write_text("\n".join(lines), encoding="utf-8")
    found = audit_site(real_pages, SITE_URL)
    assert [(d.path, d.line) for d in found] == [("site/guides/fondements/ne-pas-nuire/index.html", content + 1)] * 2
    assert {d.message for d in found} == {
        "built page contains an event handler `onerror` on `<img>`",
        "built page contains a `<script>` element inside the page content",
    }


@pytest.mark.build
def test_the_build_refuses_what_the_content_rules_let_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the content rules switched off, the audit alone stops a hostile page: nothing is published."""
    monkeypatch.setattr(checked_project, "check_content_safety", lambda *args, **kwargs: [])
    project = copy_project(
        tmp_path,
        [(FIXTURES / "safety" / "pages" / "page-hostile.md", "page-hostile.md")],
        directory_fixture=FIXTURES / "directory",
    )
    with pytest.raises(BuildFailed) as failure:
        build_project(project, AS_OF)
    pages = {d.path.split("/", 1)[1] for d in failure.value.diagnostics if d.rule == "SAF007"}
    assert pages == {"page-hostile/index.html", "en/page-hostile/index.html", "ar/page-hostile/index.html"}, texts(
        failure.value.diagnostics
    )
    assert not project.site_dir.exists()


# --- The fast reading gives the parser's verdict, or steps aside --------------------------------------------------

SNIPPETS = [
    "<p>",
    "</p>",
    "text ",
    "\n",
    '<a href="../x/">',
    '<a href="javascript:alert(1)">',
    '<a href="&#106;avascript:alert(1)">',
    '<img src="https://evil.example/x.png" alt="">',
    '<img src="x.png" onerror="alert(1)">',
    '<div style="color:red">',
    '<div style="text-align: right">',
    '<input type="file">',
    "<script>if (a < b) { x = '<p>' }</script>",
    '<script src="https://evil.example/x.js"></script>',
    "<style>p > a { color: red }</style>",
    "<!-- a comment with <b> -->",
    "<iframe>",
    '<svg viewBox="0 0 4 4"><path d="M0 0h4"/></svg>',
    '<span title="a &lt;b&gt;">',
    "<br/>",
    "<BR>",
    '<A HREF="VBSCRIPT:x">',
    '<p\nclass="x"\n>',
    "<article>",
    "</article>",
    '<form action="https://evil.example/">',
    '<a href="x" href="javascript:y">',
]


# Not regular: a page holding one of these is read by the parser whole.
IRREGULAR = ["<a href='java&#x73;cript:x'>", '<span title="<b>">', "a < b", "<![CDATA[x]]>", "<p <script>"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS), max_size=30), st.just("") | st.sampled_from(IRREGULAR), st.integers(0, 30))
def test_the_fast_reading_agrees_with_the_html_parser(parts: list[str], odd: str, where: int) -> None:
    parts.insert(min(where, len(parts)), odd)
    text = "<!doctype html>\n<html><body>" + "".join(parts) + "</body></html>\n"
    start, end = text.find("<article"), text.rfind("</article>")
    content = (start, end) if 0 <= start < end else (-1, -1)
    auditor = _Auditor("relais-hub.github.io")
    if content[0] >= 0:
        auditor.content = (_position(text, content[0]), _position(text, content[1]))
    auditor.feed(text)
    auditor.close()
    if _regular_and_clean(text, content, "relais-hub.github.io"):
        assert auditor.problems == []
    fast = fast_findings(text, content, "relais-hub.github.io")
    event("read by the parser" if fast is None else "read the fast way")
    if fast is None:
        assert odd
        return
    assert [(*_position(text, offset), what) for offset, what in fast] == [
        (line, col - 1, what) for line, col, what in auditor.problems
    ]


def test_every_page_of_a_real_build_is_read_the_fast_way(built_site: BuiltSite) -> None:
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        text = page.read_text(encoding="utf-8")
        content = (text.find("<article"), text.rfind("</article>"))
        assert fast_findings(text, content, "relais-hub.github.io") is not None, page
