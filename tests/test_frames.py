"""Service pages are filled into a frame the engine renders once per language (relais.render.frames)."""

from __future__ import annotations

import dataclasses
import gzip
import re
from pathlib import Path

import pytest

from directory_fixture import load_fixture_directory, public_by_id, service_by_id
from relais.check.html_audit import audit_content
from relais.model.directory import Service
from relais.model.public import public_directory
from relais.pipeline.build import BuildFailed, build_project
from relais.render import markup
from relais.render.frames import (
    BODY_TOKEN,
    DESCRIPTION_TOKEN,
    FRAME_SLUG,
    H1_NOTE,
    TITLE_TOKEN,
    FramedPage,
    FrameError,
    expand_sitemap,
    split_frame,
    without_indentation,
    write_framed_pages,
)
from relais.render.pages import PageSettings, Writer
from sitecheck import elements, is_indexed, pagefind_fragments
from support import AS_OF, FIXTURES, BuiltSite, copy_project

SERVICES = sorted(p.stem for p in (FIXTURES / "directory" / "services").rglob("*.yml"))
ROOTS = ("", "en/", "ar/")
SITE_URL = "https://relais-hub.github.io/relais/"
FRAME = (
    f"<html><head><title>{TITLE_TOKEN} - Relais</title>"
    f'<meta name="description" content="{DESCRIPTION_TOKEN}">'
    f'<link rel="canonical" href="https://x.example/annuaire/services/{FRAME_SLUG}/"></head>'
    f'<body><span>{TITLE_TOKEN}</span><a href="../../../en/annuaire/services/{FRAME_SLUG}/">en</a>'
    f'<article><div class="relais-content" data-pagefind-body>{H1_NOTE}{BODY_TOKEN}</div></article></body></html>'
)


def test_values_are_escaped_and_every_hole_is_filled(tmp_path: Path) -> None:
    page = FramedPage(
        slug="test-a", title="A <b>&</b>\n  B", description='say "hi"', body=markup.html("<p>ok</p>"), indexed=True
    )

    (written,) = write_framed_pages(split_frame(FRAME), [page], tmp_path)
    html = written.read_text(encoding="utf-8")
    assert written == tmp_path / "test-a" / "index.html"
    assert "<title>A &lt;b&gt;&amp;&lt;/b&gt; B - Relais</title>" in html
    assert "<span>A &lt;b&gt;&amp;&lt;/b&gt; B</span>" in html
    assert 'content="say &quot;hi&quot;"' in html
    assert 'href="https://x.example/annuaire/services/test-a/"' in html
    assert 'href="../../../en/annuaire/services/test-a/"' in html
    assert '<div class="relais-content" data-pagefind-body><p>ok</p></div>' in html
    assert "RelaisFrame" not in html and FRAME_SLUG not in html and "<!--" not in html


def test_a_body_of_text_is_refused_rather_than_written_unescaped(tmp_path: Path) -> None:
    page = FramedPage(slug="test-c", title="C", description="", body="<p>text, not markup</p>")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="body is given str, not Markup"):
        write_framed_pages(split_frame(FRAME), [page], tmp_path)
    assert not (tmp_path / "test-c" / "index.html").exists()


def test_unindexed_pages_lose_only_the_search_body_mark(tmp_path: Path) -> None:
    page = FramedPage(slug="test-b", title="B", description="", body=markup.html("<p>closed</p>"), indexed=False)
    (written,) = write_framed_pages(split_frame(FRAME), [page], tmp_path)
    html = written.read_text(encoding="utf-8")
    assert '<div class="relais-content"><p>closed</p></div>' in html and "data-pagefind-body" not in html


@pytest.mark.parametrize(
    ("changed", "what"),
    [
        (TITLE_TOKEN, "title"),
        (DESCRIPTION_TOKEN, "description"),
        (FRAME_SLUG, "slug"),
        (BODY_TOKEN, "body"),
        (H1_NOTE, "note before the content"),
    ],
)
def test_a_frame_the_engine_altered_is_refused(changed: str, what: str) -> None:
    with pytest.raises(FrameError, match=what):
        split_frame(FRAME.replace(changed, "changed by the engine"))


def test_a_frame_with_two_content_holes_is_refused() -> None:
    with pytest.raises(FrameError, match="2 times"):
        split_frame(FRAME.replace("</body>", f"{BODY_TOKEN}</body>"))


def test_sitemap_entries_of_the_frame_become_one_per_page(tmp_path: Path) -> None:
    entry = "\n    <url>\n        <loc>https://x.example/{}/annuaire/services/{}/</loc>\n    </url>"
    text = "<urlset>" + entry.format("fr", "guide") + entry.format("fr", FRAME_SLUG) + "\n</urlset>\n"
    (tmp_path / "sitemap.xml").write_text(text, encoding="utf-8")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode(), mtime=1700000000))
    expand_sitemap(tmp_path, ["a", "b"])
    expanded = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert expanded == "<urlset>" + "".join(entry.format("fr", s) for s in ("guide", "a", "b")) + "\n</urlset>\n"
    compressed = (tmp_path / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(compressed).decode() == expanded
    assert int.from_bytes(compressed[4:8], "little") == 1700000000


INDENTED = """
<!doctype html>
<html lang="fr">
  <head>
    <script>var  a = 1;
      var b = 2;</script>
    <style>
      p { color: red }
    </style>

  </head>
  <body>
    Made with
    <a href="x">Material</a>

    <pre>
  kept
\t  as is
    </pre>
    <TEXTAREA name="t">
  typed
    </TEXTAREA >
  </body>
</html>
"""


def shown_text(html: str) -> str:
    """The text a browser shows outside pre and textarea: runs of whitespace are one space."""
    return " ".join(re.sub(r"<(pre|textarea).*?</\1\s*>", "", html, flags=re.S | re.I).split())


def test_indentation_and_blank_lines_go_but_every_newline_and_kept_block_stays() -> None:
    squeezed = without_indentation(INDENTED)
    outside_kept_blocks = re.sub(r"<(pre|textarea|script|style).*?</\1\s*>", "<kept>", squeezed, flags=re.S | re.I)
    assert "\n " not in outside_kept_blocks and "\n\t" not in outside_kept_blocks
    assert "\n\n" not in outside_kept_blocks
    assert shown_text(squeezed) == shown_text(INDENTED)
    for block in ("<script>var  a = 1;\n      var b = 2;</script>", "<style>\n      p { color: red }\n    </style>"):
        assert block in squeezed
    assert "<pre>\n  kept\n\t  as is\n    </pre>" in squeezed
    assert '<TEXTAREA name="t">\n  typed\n    </TEXTAREA >' in squeezed
    assert "Made with\n<a" in squeezed  # the space between the words is still there


def test_the_frame_is_kept_without_its_indentation_but_a_script_around_a_hole_is_kept_whole() -> None:
    script = f'<script>\n    var page = "{FRAME_SLUG}";\n    go(page)</script>'
    indented = FRAME.replace("<body>", "<body>\n\n    ").replace("<article>", "\n      <article>" + script)
    frame = split_frame(indented)
    joined = "".join(frame.pieces)
    assert "<body>\n<span>" in joined and "\n\n" not in joined
    assert '<script>\n    var page = "' in frame.pieces[-3] and '";\n    go(page)</script>' in frame.pieces[-2]


# --- In the built site -----------------------------------------------------------------------------------------


def test_no_trace_of_the_frame_is_left_in_the_site(built_site: BuiltSite) -> None:
    for path in built_site.site.rglob("*"):
        assert FRAME_SLUG not in path.as_posix()
        if path.suffix in {".html", ".xml", ".json", ".csv"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert FRAME_SLUG not in text and "RelaisFrame" not in text and H1_NOTE not in text, path


def test_service_pages_carry_their_own_title_canonical_url_and_language_links(built_site: BuiltSite) -> None:
    html = built_site.html("en/annuaire/services/test-centre-ecoute/index.html")
    assert "<title>TEST fictitious listening centre - Relais</title>" in html
    assert f'<link rel="canonical" href="{SITE_URL}en/annuaire/services/test-centre-ecoute/">' in html
    links = {e.attrs["hreflang"]: e.attrs["href"] for e in elements(html) if e.attrs.get("hreflang")}
    assert links == {
        "fr": "../../../../annuaire/services/test-centre-ecoute/",
        "en": "./",
        "ar": "../../../../ar/annuaire/services/test-centre-ecoute/",
    }
    assert [e.tag for e in elements(html)].count("h1") == 1


def test_sitemap_lists_every_service_in_every_language(built_site: BuiltSite) -> None:
    sitemap = built_site.html("sitemap.xml")
    for root in ROOTS:
        for service_id in SERVICES:
            assert f"<loc>{SITE_URL}{root}annuaire/services/{service_id}/</loc>" in sitemap
    assert gzip.decompress((built_site.site / "sitemap.xml.gz").read_bytes()).decode() == sitemap


def test_every_service_open_to_referral_is_in_the_search_index(built_site: BuiltSite) -> None:
    urls = {fragment["url"] for fragment in pagefind_fragments(built_site.site)}
    for root in ROOTS:
        for service_id in SERVICES:  # the fixtures' services are all active or temporarily closed
            assert is_indexed(built_site.html(f"{root}annuaire/services/{service_id}/index.html"))
            assert any(url.endswith(f"/{root}annuaire/services/{service_id}/") for url in urls), (root, service_id)


@pytest.mark.parametrize(("status", "indexed"), [("active", True), ("inactive", False), ("defunct", False)])
def test_inactive_and_defunct_services_are_left_out_of_search(tmp_path: Path, status: str, indexed: bool) -> None:
    directory = load_fixture_directory(tmp_path / "directory")
    service = service_by_id(directory, "test-centre-ecoute")
    service.data["status"] = status
    public = public_directory(directory)
    page = Writer(public, "fr", PageSettings(repo_url="", as_of=AS_OF)).service_page(public_by_id(public, service.id))
    assert page.indexed is indexed and page.slug == "test-centre-ecoute"


def test_labels_and_links_stay_out_of_the_search_index_but_names_and_places_do_not(built_site: BuiltSite) -> None:
    fragment = next(
        f for f in pagefind_fragments(built_site.site) if f["url"].endswith("/en/annuaire/services/test-centre-ecoute/")
    )
    content = fragment["content"]
    assert "TEST fictitious listening centre" in content and "Casablanca" in content
    for boilerplate in ("Suggest a correction", "Opening hours", "How to refer", "Sources"):
        assert boilerplate not in content, boilerplate


def test_markup_in_a_service_content_is_reported_where_it_lands_in_the_page(tmp_path: Path) -> None:
    frame = split_frame(FRAME.replace("<body>", "<body>\n\n").replace(H1_NOTE, "\n  " + H1_NOTE))
    body = markup.html('<p>ok</p>\n<p>x <iframe src="https://evil.example/"></iframe></p>')
    (problem,) = audit_content(body, "site/x/index.html", "relais-hub.github.io", frame.content_position())
    (written,) = write_framed_pages(frame, [FramedPage("x", "X", "", body)], tmp_path)
    line = written.read_text(encoding="utf-8").split("\n")[problem.line - 1]
    assert problem.rule == "SAF007" and "iframe" in problem.message
    assert line.index("<iframe") + 1 == problem.col


@pytest.mark.build
def test_a_build_whose_service_content_carries_foreign_markup_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render = Writer.service_page

    def with_script(self: Writer, service: Service) -> FramedPage:
        page = render(self, service)
        if service.id == "test-centre-ecoute" and self.language == "ar":
            # A template with a script in it, as a careless change could write: text would have been escaped.
            return dataclasses.replace(page, body=markup.html("{}<script>alert(1)</script>", page.body))
        return page

    monkeypatch.setattr(Writer, "service_page", with_script)
    project = copy_project(tmp_path, directory_fixture=FIXTURES / "directory")
    with pytest.raises(BuildFailed) as failure:
        build_project(project, AS_OF)
    assert [(d.rule, d.path) for d in failure.value.diagnostics] == [
        ("SAF007", "site/ar/annuaire/services/test-centre-ecoute/index.html")
    ]
    assert not project.site_dir.exists()
