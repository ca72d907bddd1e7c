"""Hostile guideline content is refused before the build, at the line an editor has to change.

Every SAF rule fires on its fictitious page under tests/fixtures/safety/docs; code that only shows markup is not
flagged; whatever Python-Markdown would publish as live markup is reported, however the page is laid out.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.check.safety import DANGEROUS_TAGS, check_content_safety, markup_problems
from relais.cli import main
from relais.core.diagnostics import Diagnostic
from relais.core.project import Project
from relais.model.guidelines import GuidelinePage, load_page, page_files
from relais.pipeline.build import BuildFailed, build_project
from relais.rules import all_rules
from support import AS_OF, FIXTURES, REPO, copy_project

pytestmark = pytest.mark.hostile

SAFETY = FIXTURES / "safety"
DOCS = SAFETY / "docs"

# rule -> (file under the fixture docs/, line) of every diagnostic the rule's fixture folder must produce.
EXPECTED: dict[str, list[tuple[str, int]]] = {
    "SAF001": [("saf001/index.md", line) for line in (7, 9, 11)],  # <script>, <iframe>, <object>
    # raw HTML, `{: onclick }` attribute list, md_in_html <div>, a tag spread over two lines
    "SAF002": [("saf002/index.md", line) for line in (7, 10, 12, 17)],
    # javascript:, jav&#x09;ascript:, JaVaScRiPt:, data:text/html, vbscript:, destination on the next line (x2)
    "SAF003": [("saf003/index.md", line) for line in (7, 9, 11, 13, 15, 18, 23)],
    "SAF004": [("saf004/index.md", line) for line in (7, 9, 11)],  # url(), CSS-escaped u\72l(, over two lines
    "SAF005": [(f"saf005/{name}", 1) for name in ("donnees.json", "export.csv", "fiche.yml", "trace.gpx")],
    "SAF006": [("saf006/index.md", 7), ("saf006/index.md", 9)],  # ../../../../etc/passwd, /abs/path.md
    "SAF008": [("saf008/index.md", 7)],
    # a missing heading, a missing anchor on the page itself, a "# comment" in code, a French anchor on the
    # Arabic translation
    # an override in a link, a right-to-left mark in French prose; in Arabic: a mark in a link and an override
    "SAF010": [("saf010/index.md", 7), ("saf010/index.md", 9), ("saf010/index.ar.md", 9), ("saf010/index.ar.md", 11)],
    "SAF009": [("saf009/index.md", 12), ("saf009/index.md", 14), ("saf009/index.md", 16), ("saf009/index.ar.md", 9)],
}


def shown(path: Path) -> str:
    return path.relative_to(DOCS).as_posix()


def load_pages(docs_dir: Path) -> list[GuidelinePage]:
    pages = []
    for path in page_files(docs_dir):
        page, problems = load_page(path, docs_dir, path.relative_to(docs_dir).as_posix())
        assert page is not None and not problems, [p.as_text() for p in problems]
        pages.append(page)
    return pages


@pytest.fixture(scope="module")
def fixture_diagnostics() -> list[Diagnostic]:
    return check_content_safety(load_pages(DOCS), DOCS, shown)


def texts(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.as_text() for d in diagnostics]


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule_is_reported_on_its_fixture_at_the_line_to_change(
    rule_id: str, fixture_diagnostics: list[Diagnostic]
) -> None:
    found = sorted((d.path, d.line) for d in fixture_diagnostics if d.rule == rule_id)
    assert found == sorted(EXPECTED[rule_id]), texts(fixture_diagnostics)
    own_folder = f"{rule_id.lower()}/"
    strangers = [d for d in fixture_diagnostics if d.path.startswith(own_folder) and d.rule != rule_id]
    assert not strangers, texts(strangers)
    assert all(d.is_error and "{" not in d.message for d in fixture_diagnostics)


def test_every_content_rule_has_a_fixture() -> None:
    # SAF007 is the audit of the built HTML: tests/test_html_audit.py
    assert {r.id for r in all_rules() if r.id.startswith("SAF")} - {"SAF007"} == set(EXPECTED)


def test_code_that_only_shows_markup_is_not_flagged(fixture_diagnostics: list[Diagnostic]) -> None:
    clean = [d for d in fixture_diagnostics if d.path in {"saf001/code-montre.md", "cible.md", "cible.ar.md"}]
    assert clean == [], texts(clean)


# --- What Python-Markdown makes of a page, as MkDocs configures it --------------------------------------------------


def markdown_like_mkdocs() -> markdown.Markdown:
    """Python-Markdown with MkDocs' built-in extensions and ours from mkdocs.yml, in MkDocs' order."""
    # Our own file; its toc slugify is a Python object, which only the unsafe loader builds.
    config = yaml.unsafe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions, configs = ["toc", "tables", "fenced_code"], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        if name not in extensions:
            extensions.append(name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


class _LiveMarkup(HTMLParser):
    """The rules a published page breaks, read from the HTML Python-Markdown produced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.broken: set[str] = set()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.broken.add("SAF001")
        for name, value in attrs:
            text = "".join(c for c in value or "" if c > " ").lower()
            if name in {"onclick", "onerror", "onload", "onmouseover"}:
                self.broken.add("SAF002")
            if name in {"href", "src", "data", "action"} and text.startswith(("javascript:", "vbscript:", "data:")):
                self.broken.add("SAF003")
            if name == "style" and "url(" in text:
                self.broken.add("SAF004")
            if name == "id" and tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                self.ids.add(value or "")

    handle_startendtag = handle_starttag


def published(body: str) -> _LiveMarkup:
    parser = _LiveMarkup()
    parser.feed(markdown_like_mkdocs().convert(body.lstrip("\n")))  # MkDocs drops the empty lines after the header
    parser.close()
    return parser


def reported(body: str) -> set[str]:
    page = GuidelinePage(Path("page.md"), "page.md", "page.md", "page.md", "fr", None, body, 1)
    return {d.rule for d in markup_problems(page)}


def test_valid_anchors_are_the_ids_the_engine_gives_the_headings(fixture_diagnostics: list[Diagnostic]) -> None:
    french = published((DOCS / "cible.md").read_text(encoding="utf-8").split("---\n", 2)[2]).ids
    arabic = published((DOCS / "cible.ar.md").read_text(encoding="utf-8").split("---\n", 2)[2]).ids
    valid = {"orientation-des-survivantes", "étapes-clés", "étapes-clés_1", "reseau-local", "accueil-sans-rendez-vous"}
    assert valid <= french
    assert "الإحالة-الآمنة" in arabic
    broken = {d.message.rsplit("#", 1)[1].rstrip("`") for d in fixture_diagnostics if d.rule == "SAF009"}
    assert broken == {
        "section-inexistante",
        "nulle-part",
        "pas-un-titre-un-commentaire-dans-du-code",
        "orientation-des-survivantes",
    }
    assert not broken & french - {"orientation-des-survivantes"}
    assert "orientation-des-survivantes" not in arabic  # so the Arabic page's French anchor is rightly refused


# Layouts that once hid live markup from the checks: each looks like code, or spreads over lines, and Markdown
# publishes it as HTML. (name, body, rule, line of the body)
BYPASSES = [
    ("mismatched-fence", "```\n~~~\n```\n<script>alert(1)</script>\n", "SAF001", 4),
    ("inline-triple-backticks", "```<b>x</b>```\n\n<script>alert(1)</script>\n", "SAF001", 3),
    ("unclosed-fence", "Texte\n\n```\n<script>alert(1)</script>\n", "SAF001", 4),
    ("escaped-backticks", "Texte \\`<iframe src='https://example.org/'></iframe>\\` fin\n", "SAF001", 1),
    ("escaped-backslash-then-code", "\\\\` a` <script>alert(1)</script> `b` \\\\`\n", "SAF001", 1),
    ("code-span-in-raw-html", "Texte\n\n<div>\n`<script>alert(1)</script>`\n</div>\n", "SAF001", 4),
    ("code-span-across-lines", "Texte `a\nb` <script>alert(1)</script> `c`\n", "SAF001", 2),
    ("fence-after-whitespace-line", "    \n```\n``` <script>alert(1)</script>\n```\n", "SAF001", 3),
    ("control-character-in-tag", "Texte <scr\x02ipt>alert(1)</script>\n", "SAF001", 1),
    ("tag-over-two-lines", 'Texte <img src="https://example.org/x.png"\nonerror="alert(1)"> fin\n', "SAF002", 2),
    ("quoted-greater-than", 'Texte <img alt=">" onerror="alert(1)"> fin\n', "SAF002", 1),
    ("code-span-cutting-a-tag", 'Texte <img src="x.png" alt="`" onerror="alert(1)" title="`"> fin\n', "SAF002", 1),
    ("code-span-as-link-destination", "[x](`javascript:alert(1)`)\n", "SAF003", 1),
    ("code-span-as-image-source", "![x](`javascript:alert(1)`)\n", "SAF003", 1),
    ("link-destination-on-next-line", "[x](\njavascript:alert(1))\n", "SAF003", 2),
    ("reference-on-next-line", "[x][r]\n\n[r]:\n    javascript:alert(1)\n", "SAF003", 4),
    ("href-on-next-line", '<a\nhref="javascript:alert(1)">x</a>\n', "SAF003", 2),
    ("style-over-two-lines", '<div style="background:\nurl(https://example.org/x.png)">x</div>\n', "SAF004", 1),
    ("css-escape", '<div style="background:u\\72l(https://example.org/x.png)">x</div>\n', "SAF004", 1),
]


@pytest.mark.parametrize(("body", "rule_id", "line"), [case[1:] for case in BYPASSES], ids=[c[0] for c in BYPASSES])
def test_markup_hidden_by_the_layout_is_still_reported(body: str, rule_id: str, line: int) -> None:
    if rule_id != "SAF004":  # Python-Markdown itself reads CSS escapes as text; the browser does not
        assert rule_id in published(body).broken, "the case no longer publishes live markup: update it"
    page = GuidelinePage(Path("page.md"), "page.md", "page.md", "page.md", "fr", None, body, 1)
    assert (rule_id, line) in {(d.rule, d.line) for d in markup_problems(page)}, texts(markup_problems(page))


# Pieces of Markdown that change how the lines around them are read: fences, backticks, raw HTML, indentation.
PIECES = [
    *["```", "~~~", "````", "  ```", "    ```", "```html", "``` {.py}", "> ```", "`", "``", "\\`", "\\\\`"],
    *["<div>", "</div>", '<div markdown="1">', "<!--", "-->", "    ", "\t", "- item", "    - sous-item", "> citation"],
    *["", "", "texte", "# Titre", "| a | b |", "|---|---|", "!!! note", "Terme", ":   définition", "[^1]: note"],
    *["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<img src="x"', 'onerror="alert(1)">'],
    *["[x](javascript:alert(1))", "[x](", "javascript:alert(1))", "[r]:", "[x][r]", '{: onclick="x" }'],
    *["[x](`javascript:alert(1)`)", 'alt="`"', "![x](", "<https://example.org/>", "\\", "*", "_"],
    *['<a href="jav&#x09;ascript:alert(1)">x</a>', '<p style="background:url(x)">', "<iframe src=x>", "<", '"'],
]
documents = st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map(" ".join), max_size=10).map(
    "\n".join
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_whatever_markdown_publishes_as_live_markup_is_reported(body: str) -> None:
    missed = published(body).broken - reported(body)
    assert not missed, f"{sorted(missed)} not reported in:\n{body}"


# --- Through the validator and the build, on a copy of the real project ----------------------------------------------

HOSTILE_PAGES = {
    "guides/page-hostile.md": "page-hostile.md",
    "guides/titre-script.md": "titre-script.md",
    "guides/entete-casse.md": "entete-casse.md",
}


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    extra = [(SAFETY / "pages" / source, target) for target, source in HOSTILE_PAGES.items()]
    return copy_project(tmp_path_factory.mktemp("hostile"), extra, directory_fixture=FIXTURES / "directory")


def located(diagnostics: list[Diagnostic], target: str) -> set[tuple[str, int]]:
    return {(d.rule, d.line) for d in diagnostics if d.path == f"docs/{target}"}


def test_validate_refuses_a_title_that_injects_a_script(
    hostile_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--project", str(hostile_project.root), "validate", "--as-of", AS_OF.isoformat()])
    output = capsys.readouterr().out
    assert status == 1
    assert "docs/guides/titre-script.md:2:8: DOC012 `title` contains `<` or `>`" in output, output


def test_validate_locates_a_yaml_error_in_front_matter(hostile_project: Project) -> None:
    path = hostile_project.docs_dir / "guides" / "entete-casse.md"
    page, problems = load_page(path, hostile_project.docs_dir, "docs/guides/entete-casse.md")
    assert page is not None and page.front_matter is None
    # The flow list opened on line 3 is found unclosed where the header ends (line 4).
    assert [(d.rule, d.line) for d in problems] == [("YML001", 4)], texts(problems)


@pytest.mark.build
def test_build_refuses_a_hostile_page_and_publishes_nothing(hostile_project: Project) -> None:
    with pytest.raises(BuildFailed) as failure:
        build_project(hostile_project, AS_OF)
    diagnostics = failure.value.diagnostics
    assert ("SAF001", 10) in located(diagnostics, "guides/page-hostile.md"), texts(diagnostics)
    assert ("DOC012", 2) in located(diagnostics, "guides/titre-script.md")
    assert ("YML001", 4) in located(diagnostics, "guides/entete-casse.md")  # the header is not published as text
    assert not hostile_project.site_dir.exists()
    assert not any(hostile_project.root.glob("site*")), "a staging folder was left behind"


def test_a_link_target_longer_than_the_file_system_allows_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_project(tmp_path)
    page = tmp_path / "docs" / "guides" / "fondements" / "pyramide-iasc.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + f"\n[trop long](../{'a' * 300}.md)\n", encoding="utf-8")
    assert main(["--project", str(tmp_path), "validate", "--as-of", AS_OF.isoformat()]) == 1
    out = capsys.readouterr().out
    line = len(text.splitlines()) + 2
    assert f"docs/guides/fondements/pyramide-iasc.md:{line}:11: SAF008" in out
