"""Topic pages: one page per topic and language, titles in the reader's language, links MkDocs can check."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from relais.check.project import load_guideline_pages
from relais.core.project import Project
from relais.model.directory import Vocabulary, vocabulary_from
from relais.model.yamldoc import read_yaml_mapping
from relais.pipeline.build import build_project
from relais.render.topics import write_topic_pages
from support import AS_OF, copy_project

FIXTURES = Path(__file__).parent / "fixtures" / "guidelines"
LINK = re.compile(r"\]\(([^)]+)\)")


def write(path: Path, title: str, topics: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'---\ntitle: "{title}"\ndescription: "Description fictive de {title}."\ntopics: {topics}\n---\n\nTexte.\n',
        encoding="utf-8",
    )


def fixture_vocabulary() -> Vocabulary:
    doc, _ = read_yaml_mapping(FIXTURES / "taxonomy.yml", "taxonomy.yml")
    assert doc is not None
    return vocabulary_from(doc.value)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """Fictitious pages: one translated into English only, one in French only with a title full of Markdown."""
    guides = tmp_path / "docs" / "guides"
    write(guides / "essai" / "alpha.md", "Alpha fictif", "[sujet-essai, autre-sujet]")
    write(guides / "essai" / "alpha.en.md", "Fictitious alpha", "[sujet-essai, autre-sujet]")
    write(guides / "essai" / "beta.md", "Bêta *fictif* | <b>gras</b> & [lien](x.md)", "[sujet-essai]")
    write(guides / "essai" / "index.md", "Section fictive", "[sujet-essai]")  # a section index is not listed
    write(tmp_path / "docs" / "hors-guides.md", "Hors des guides", "[sujet-essai]")  # nor a page outside guides/
    return Project.at(tmp_path)


def generate(project: Project) -> dict[str, str]:
    pages, _ = load_guideline_pages(project)
    out_dir = project.docs_dir / "sujets"
    written = write_topic_pages(pages, fixture_vocabulary(), out_dir)
    return {path.relative_to(out_dir).as_posix(): path.read_text(encoding="utf-8") for path in written}


def items(page: str) -> list[str]:
    return [line for line in page.splitlines() if line.startswith("- ")]


def test_one_page_per_topic_and_language_and_an_index(project: Project) -> None:
    assert sorted(generate(project)) == sorted(
        f"{name}{suffix}.md"
        for name in ("index", "sujet-essai", "autre-sujet", "sujet-vide")
        for suffix in ("", ".en", ".ar")
    )


def test_index_lists_every_topic_with_its_number_of_pages(project: Project) -> None:
    pages = generate(project)
    assert items(pages["index.md"]) == [
        "- [Sujet d'essai](sujet-essai.md) (2)",
        "- [Autre sujet](autre-sujet.md) (1)",
        "- [Sujet sans page](sujet-vide.md) (0)",
    ]
    assert items(pages["index.ar.md"])[0] == "- [موضوع تجريبي](sujet-essai.md) (2)"
    assert pages["index.en.md"].startswith('---\ntitle: "Topics"\ndescription: "')


def test_translated_title_when_it_exists_else_the_french_title_marked(project: Project) -> None:
    pages = generate(project)
    english = items(pages["sujet-essai.en.md"])
    assert english[0].startswith("- [Fictitious alpha](../guides/essai/alpha.md) — ")
    assert english[1].startswith(r"- [Bêta \*fictif\* \| &lt;b&gt;gras&lt;/b&gt; &amp; \[lien\]\(x.md\)]")
    assert r"(../guides/essai/beta.md) \(in French\) — " in english[1]
    assert r"\(بالفرنسية\)" in items(pages["sujet-essai.ar.md"])[1]
    french = items(pages["sujet-essai.md"])
    assert french[0].startswith("- [Alpha fictif](../guides/essai/alpha.md) — Description fictive")
    assert "en français" not in pages["sujet-essai.md"]


def test_section_indexes_and_pages_outside_guides_are_not_listed(project: Project) -> None:
    page = generate(project)["sujet-essai.md"]
    assert "Section fictive" not in page and "Hors des guides" not in page


def test_topic_without_pages_says_so(project: Project) -> None:
    page = generate(project)["sujet-vide.en.md"]
    assert items(page) == [] and "No guidance page on this topic yet." in page


def test_links_point_at_the_french_source_files(project: Project) -> None:
    out_dir = project.docs_dir / "sujets"
    for name, page in generate(project).items():
        for target in LINK.findall(page.split("---\n", 2)[2]):
            if target == "x.md":  # inside the escaped title, not a link
                continue
            assert not re.search(r"\.(en|ar)\.md$", target), (name, target)
            assert (out_dir / target).resolve().is_file(), (name, target)


def test_titles_are_printed_as_text_not_markup(project: Project) -> None:
    page = generate(project)["sujet-essai.md"]
    html = markdown.markdown(page.split("---\n", 2)[2], extensions=["attr_list", "md_in_html", "tables"])
    assert "<b>" not in html and "<em>" not in html
    assert html.count("<a ") == 3  # two pages and the way back to all topics
    assert "Bêta *fictif* | &lt;b&gt;gras&lt;/b&gt; &amp; [lien](x.md)</a>" in html


def test_unchanged_pages_are_not_rewritten(project: Project) -> None:
    generate(project)
    index = project.docs_dir / "sujets" / "index.md"
    index.touch()
    stamp = index.stat().st_mtime_ns
    generate(project)
    assert index.stat().st_mtime_ns == stamp


@pytest.mark.build
def test_mkdocs_accepts_the_topic_pages_of_the_real_guides(tmp_path: Path) -> None:
    """MkDocs builds in strict mode: a broken link in a generated page fails the build."""
    project = copy_project(tmp_path)
    build_project(project, AS_OF)
    english = (project.site_dir / "en" / "sujets" / "enfants" / "index.html").read_text(encoding="utf-8")
    assert "Unaccompanied and separated children" in english
    assert 'href="../../guides/enfants/enfants-non-accompagnes/"' in english
