"""Translation status: revisions, stamping, the maintainers' report, the status pages and the reader's note."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import jinja2
import markdown
import pytest

from relais.check.guidelines import check_guideline_pages
from relais.check.project import load_guideline_pages
from relais.check.translations import (
    TranslationState,
    source_revision,
    stamp_translations,
    translation_status,
    with_source_revision,
    write_status_pages,
)
from relais.cli import main
from relais.model.directory import Vocabulary
from relais.pipeline.build import build_project
from relais.site.mkdocs_hooks import on_page_context
from relais.site.pagecontext import page_context
from support import AS_OF, REPO, copy_project

FRENCH_BODY = "\nTexte français fictif.\n\n## Sources\n\n- Document fictif, Organisation imaginaire, 2020\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def front_matter(title: str, extra: str = "") -> str:
    return (
        f'---\ntitle: "{title}"\ndescription: "Page fictive des tests."\ntopics: [sujet-essai]\n'
        f"audiences: [public-essai]\nreview:\n  status: draft\n  date: 2026-11-23\n{extra}---\n"
    )


def recorded(revision: str) -> str:
    return f'translation:\n  source_revision: "{revision}"\n'


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A fictitious docs/ folder: one page with an up-to-date English and an outdated Arabic translation, one page
    whose English translation records nothing and has no Arabic translation, and a home page."""
    docs_dir = tmp_path / "docs"
    current = source_revision(FRENCH_BODY)
    write(docs_dir / "guides" / "essai" / "alpha.md", front_matter("Alpha fictif") + FRENCH_BODY)
    write(docs_dir / "guides" / "essai" / "alpha.en.md", front_matter("Fictitious alpha", recorded(current)) + "\nEN\n")
    write(docs_dir / "guides" / "essai" / "alpha.ar.md", front_matter("ألفا", recorded("0" * 12)) + "\nAR\n")
    write(docs_dir / "guides" / "essai" / "beta.md", front_matter("Bêta | <fictif> & co") + FRENCH_BODY + "Bêta.\n")
    write(docs_dir / "guides" / "essai" / "beta.en.md", front_matter("Fictitious beta") + "\nEN\n")
    write(docs_dir / "index.md", '---\ntitle: "Accueil"\ndescription: "Accueil fictif."\n---\n\nAccueil.\n')
    write(docs_dir / "index.en.md", '---\ntitle: "Home"\ndescription: "Fictitious home."\n---\n\nHome.\n')
    return docs_dir


# --- Revisions ---------------------------------------------------------------------------------------------------


def test_revision_is_the_start_of_the_sha256_of_the_whitespace_normalised_body() -> None:
    assert source_revision("Texte fictif.") == hashlib.sha256(b"Texte fictif.").hexdigest()[:12] == "c51b1901a7bd"
    assert source_revision("\n  Texte\n   fictif.\n\n") == source_revision("Texte fictif.")
    assert source_revision("Texte fictif modifié.") != source_revision("Texte fictif.")


def test_editing_the_front_matter_does_not_change_the_revision(docs: Path) -> None:
    before = translation_status(docs)[0].revision
    french = docs / "guides" / "essai" / "alpha.md"
    french.write_text(front_matter("Alpha fictif, titre modifié", "refer:\n  categories: [x]\n") + FRENCH_BODY)
    assert translation_status(docs)[0].revision == before


# --- Status ------------------------------------------------------------------------------------------------------


def test_each_translation_is_missing_up_to_date_outdated_or_unknown(docs: Path) -> None:
    states = {s.base_uri: s.states for s in translation_status(docs)}
    assert states == {
        "guides/essai/alpha.md": {"en": TranslationState.UP_TO_DATE, "ar": TranslationState.OUTDATED},
        "guides/essai/beta.md": {"en": TranslationState.UNKNOWN, "ar": TranslationState.MISSING},
    }


def test_report_prints_a_table_and_a_summary(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(docs.parent), "report", "translations"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["page", "en", "ar"]
    assert lines[1].split() == ["guides/essai/alpha.md", "up", "to", "date", "outdated"]
    assert lines[2].split() == ["guides/essai/beta.md", "unknown", "missing"]
    assert "en: 0 missing, 1 up to date, 0 outdated, 1 unknown" in lines
    assert "ar: 1 missing, 0 up to date, 1 outdated, 0 unknown" in lines


def test_report_in_json_for_machines(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(docs.parent), "report", "translations", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pages"][0] == {
        "page": "guides/essai/alpha.md",
        "title": "Alpha fictif",
        "source_revision": source_revision(FRENCH_BODY),
        "en": "up to date",
        "ar": "outdated",
    }
    assert report["summary"]["ar"] == {"missing": 1, "up to date": 0, "outdated": 1, "unknown": 0}


# --- Stamping ------------------------------------------------------------------------------------------------------


def test_stamp_records_the_revision_and_keeps_every_other_byte(docs: Path) -> None:
    beta_en = docs / "guides" / "essai" / "beta.en.md"
    before = beta_en.read_text(encoding="utf-8")
    changed = stamp_translations(docs)
    assert sorted(p.name for p in changed) == ["alpha.ar.md", "beta.en.md"]
    after = beta_en.read_text(encoding="utf-8")
    beta_revision = source_revision(FRENCH_BODY + "Bêta.\n")
    assert after == before.replace("---\n\nEN", f"{recorded(beta_revision)}---\n\nEN")
    assert {state for s in translation_status(docs) for state in s.states.values()} == {
        TranslationState.UP_TO_DATE,
        TranslationState.MISSING,
    }
    assert stamp_translations(docs) == []  # nothing left to do
    assert (docs / "index.en.md").read_text(encoding="utf-8").count("translation") == 0  # only guides/ is tracked


def test_stamp_replaces_a_revision_in_place_and_keeps_comments_around() -> None:
    text = '---\ntitle: "T"\ntranslation:   # from the French page\n    source_revision: "000000000000"\nx: 1\n---\nB\n'
    assert with_source_revision(text, "abcdefabcdef") == text.replace("000000000000", "abcdefabcdef")


def test_stamp_rewrites_a_one_line_translation_block() -> None:
    text = '---\ntitle: "T"\ntranslation: {source_revision: "000000000000"}\n---\nB\n'
    stamped = with_source_revision(text, "abcdefabcdef")
    assert stamped == '---\ntitle: "T"\ntranslation:\n  source_revision: "abcdefabcdef"\n---\nB\n'


def test_stamp_leaves_broken_front_matter_alone() -> None:
    assert with_source_revision("---\ntitle: [unclosed\n---\nB\n", "abcdefabcdef") is None
    assert with_source_revision("No front matter.\n", "abcdefabcdef") is None


def test_stamped_revision_that_looks_like_a_number_stays_text() -> None:
    stamped = with_source_revision('---\ntitle: "T"\n---\nB\n', "123456789012")
    assert stamped is not None and 'source_revision: "123456789012"' in stamped


def test_stamped_translations_pass_the_checks(docs: Path) -> None:
    from relais.core.project import Project

    stamp_translations(docs)
    pages, problems = load_guideline_pages(Project.at(docs.parent))
    diagnostics = check_guideline_pages(pages, Vocabulary(), docs, date(2026, 11, 23))
    assert problems == [] and [d for d in diagnostics if d.rule in {"DOC014", "DOC015", "DOC016"}] == []


# --- Status pages for editors ---------------------------------------------------------------------------------------


def test_status_pages_are_written_in_the_three_languages(docs: Path, tmp_path: Path) -> None:
    out_dir = docs / "editeurs"
    written = write_status_pages(docs, out_dir)
    assert [p.name for p in written] == ["traductions.md", "traductions.en.md", "traductions.ar.md"]
    french, english, arabic = (p.read_text(encoding="utf-8") for p in written)
    assert "| [Alpha fictif](../guides/essai/alpha.md) | à jour | à revoir |" in french
    assert "| [Alpha fictif](../guides/essai/alpha.md) | up to date | outdated |" in english
    assert "| [Alpha fictif](../guides/essai/alpha.md) | محدّثة | تحتاج إلى مراجعة |" in arabic
    assert french.startswith('---\ntitle: "État des traductions"\ndescription: "')


def test_status_page_titles_cannot_break_the_table_or_inject_html(docs: Path) -> None:
    page = write_status_pages(docs, docs / "editeurs")[1].read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if "beta.md" in line)
    assert row.startswith(r"| [Bêta \| &lt;fictif&gt; &amp; co](../guides/essai/beta.md) |")
    html = markdown.markdown(page.split("---\n", 2)[2], extensions=["tables", "attr_list", "md_in_html"])
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert len(cells) == 6 and "<fictif>" not in html
    assert "Bêta | &lt;fictif&gt; &amp; co</a>" in cells[3]


# --- The note on outdated translations ------------------------------------------------------------------------------


def test_page_context_marks_only_outdated_translations(docs: Path) -> None:
    def outdated(src_uri: str, meta: dict[str, object], docs_dir: Path | None = docs) -> bool:
        return page_context("en", "en", meta, src_uri, docs_dir=docs_dir)["is_outdated"]

    current = {"translation": {"source_revision": source_revision(FRENCH_BODY)}}
    old = {"translation": {"source_revision": "0" * 12}}
    assert outdated("guides/essai/alpha.en.md", old)
    assert not outdated("guides/essai/alpha.en.md", current)
    assert not outdated("guides/essai/beta.en.md", {})  # unknown is not outdated
    assert not outdated("guides/essai/alpha.md", old)  # the French page itself
    assert not outdated("index.en.md", old)  # site pages are not tracked
    assert not outdated("guides/essai/alpha.en.md", old, docs_dir=None)


def test_hook_passes_the_docs_folder(docs: Path) -> None:
    page = SimpleNamespace(
        meta={"translation": {"source_revision": "0" * 12}},
        file=SimpleNamespace(src_uri="guides/essai/alpha.ar.md"),
        url="ar/guides/essai/alpha/",
    )
    config = SimpleNamespace(theme={"language": "ar"}, docs_dir=str(docs), repo_url="")
    context = on_page_context({"i18n_file_locale": "ar"}, page, config, nav=None)
    assert context["relais"]["is_outdated"] is True


def render_main_template(relais: dict[str, object]) -> str:
    loader = jinja2.DictLoader(
        {
            "main.html": (REPO / "overrides" / "main.html").read_text(encoding="utf-8"),
            "base.html": "{% block content %}PAGE{% endblock %}",
        }
    )
    environment = jinja2.Environment(loader=loader, autoescape=True)
    environment.filters["url"] = lambda value: value  # MkDocs' filter; unused by the blocks rendered here
    return environment.get_template("main.html").render(relais=relais)


def test_outdated_translation_shows_the_note_outside_the_search_index() -> None:
    context = page_context("ar", "ar", {}, "guides/essai/alpha.ar.md")
    html = render_main_template({**context, "is_outdated": True})
    note = re.search(r'<div class="[^"]*relais-banner--outdated"[^>]*>\s*<p>(.*?)</p>', html)
    assert note is not None and "data-pagefind-ignore" in note.group(0)
    assert note.group(1) == context["ui"]["outdated"]
    assert "relais-banner--outdated" not in render_main_template({**context, "is_outdated": False})


@pytest.mark.build
def test_built_site_shows_the_note_on_the_outdated_translation_only(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    stamp_translations(project.docs_dir)
    french = project.docs_dir / "guides" / "enfants" / "enfants-non-accompagnes.md"
    french.write_text(french.read_text(encoding="utf-8") + "\nPhrase fictive ajoutée après la traduction.\n")
    build_project(project, AS_OF)
    site = project.site_dir

    def has_note(page: str) -> bool:
        return "relais-banner--outdated" in (site / page).read_text(encoding="utf-8")

    assert has_note("en/guides/enfants/enfants-non-accompagnes/index.html")
    assert has_note("ar/guides/enfants/enfants-non-accompagnes/index.html")
    assert not has_note("guides/enfants/enfants-non-accompagnes/index.html")
    assert not has_note("en/guides/enfants/index.html")
    assert "à revoir" in (site / "editeurs" / "traductions" / "index.html").read_text(encoding="utf-8")
