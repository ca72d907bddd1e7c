"""Every guideline-page rule fires on its fictitious fixture, at the line an editor has to change."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from relais.check.guidelines import check_guideline_pages, contact_details, count_words
from relais.core.diagnostics import Diagnostic, Severity
from relais.model.directory import Vocabulary, vocabulary_from
from relais.model.guidelines import GuidelinePage, load_page, page_files
from relais.model.yamldoc import read_yaml_mapping
from relais.rules import all_rules
from support import AS_OF

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "guidelines"
DOCS = FIXTURES / "docs"

# rule -> (file under the fixture docs/, line) of every diagnostic the rule's fixture folder must produce.
EXPECTED: dict[str, list[tuple[str, int]]] = {
    "DOC001": [("guides/doc001/index.md", 1)],
    "DOC002": [("guides/doc002/index.md", 1)],
    "DOC003": [("guides/doc003/index.md", 1), ("guides/doc003/index.md", 5)],  # audiences; date under `review:`
    "DOC004": [("guides/doc004/index.md", 9), ("guides/doc004/index.md", 10)],  # misspelt; translation in French
    "DOC005": [("guides/doc005/index.md", line) for line in (2, 4, 5, 7, 8)],
    "DOC006": [("guides/doc006/index.md", 4)],
    "DOC007": [("guides/doc007/index.md", 7)],
    "DOC008": [("guides/doc008/index.md", 10), ("guides/doc008/index.md", 11)],
    "DOC009": [("guides/doc009/page-courte.md", 11)],  # the section index next to it may be short
    "DOC010": [("guides/doc010/index.md", 11), ("guides/doc010/index.md", 13)],  # not the years, dates, amounts
    "DOC011": [("guides/doc011/index.md", 16), ("guides/doc011/index.md", 19), ("guides/doc011/sans-sources.md", 11)],
    "DOC012": [("guides/doc012/index.md", 2), ("guides/doc012/index.md", 3)],
    "DOC013": [("guides/doc013/index.md", 8)],
    "DOC014": [("guides/doc014/index.en.md", 10)],
    "DOC015": [("guides/doc015/orpheline.en.md", 1)],
    "DOC016": [("guides/doc016/index.ar.md", 9), ("guides/doc016/index.en.md", 1)],
    "DOC017": [("guides/doc017/index.md", 7)],
    "DOC018": [("guides/doc018/sans-normes.md", 6)],  # not its section index, which states them
    "DOC019": [("guides/doc019/index.ar.md", 12), ("guides/doc019/index.en.md", 1)],  # false; missing
}
# A fixture without Sources is also a short page: that is expected, not a false alarm.
ALSO_REPORTED = {"DOC011": {"DOC009"}, "DOC018": {"DOC009"}}


def fixture_vocabulary() -> Vocabulary:
    doc, problems = read_yaml_mapping(FIXTURES / "taxonomy.yml", "taxonomy.yml")
    assert doc is not None and not problems
    return vocabulary_from(doc.value)


def load_pages(folder: Path, docs_dir: Path = DOCS) -> tuple[list[GuidelinePage], list[Diagnostic]]:
    pages: list[GuidelinePage] = []
    problems: list[Diagnostic] = []
    for path in page_files(folder):
        page, found = load_page(path, docs_dir, path.relative_to(docs_dir).as_posix())
        problems.extend(found)
        if page is not None:
            pages.append(page)
    return pages, problems


def check(folder: Path, docs_dir: Path = DOCS, as_of: date = AS_OF) -> list[Diagnostic]:
    pages, problems = load_pages(folder, docs_dir)
    return [*problems, *check_guideline_pages(pages, fixture_vocabulary(), docs_dir, as_of)]


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule_is_reported_on_its_fixture_at_the_line_to_change(rule_id: str) -> None:
    diagnostics = check(DOCS / "guides" / rule_id.lower())
    found = sorted((d.path, d.line) for d in diagnostics if d.rule == rule_id)
    assert found == sorted(EXPECTED[rule_id]), [d.as_text() for d in diagnostics]
    # DOC018 (standards not stated) came after these fixtures: only its own fixture is about it.
    unexpected = {d.rule for d in diagnostics} - {rule_id, "DOC018"} - ALSO_REPORTED.get(rule_id, set())
    assert not unexpected, [d.as_text() for d in diagnostics]
    assert all(d.hint and "{" not in d.message + d.hint for d in diagnostics)


def test_every_guideline_rule_has_a_fixture() -> None:
    assert {r.id for r in all_rules() if r.id.startswith("DOC")} == set(EXPECTED)


def test_every_guideline_rule_is_documented_for_editors() -> None:
    for entry in all_rules():
        if entry.id.startswith("DOC") and entry.id not in {"DOC001", "DOC002"}:
            assert entry.title and entry.message and entry.hint and entry.description, entry.id


def test_outdated_and_unrecorded_translations_are_warnings_the_rest_errors() -> None:
    warnings = {r.id for r in all_rules() if r.id.startswith("DOC") and r.severity is Severity.WARNING}
    assert warnings == {"DOC014", "DOC016", "DOC018"}


def test_complete_and_translated_section_has_no_diagnostic() -> None:
    assert check(DOCS / "guides" / "complet") == []


def test_site_pages_need_only_a_title_and_a_description() -> None:
    pages = [load_page(DOCS / name, DOCS, name)[0] for name in ("index.md", "recherche.md", "index.en.md")]
    diagnostics = check_guideline_pages([p for p in pages if p], fixture_vocabulary(), DOCS, AS_OF)
    assert [(d.path, d.rule, d.line) for d in diagnostics] == [("index.en.md", "DOC003", 1)]
    assert "`description`" in diagnostics[0].message


def test_misspelt_field_and_topic_get_a_did_you_mean() -> None:
    messages = [d.message for d in check(DOCS / "guides" / "doc004") + check(DOCS / "guides" / "doc006")]
    assert "unknown field `review.reviewer_rol` (did you mean `reviewer_role`?)" in messages
    assert "unknown topic `sujet-esai` (did you mean `sujet-essai`?)" in messages


def test_translation_block_on_a_french_page_is_refused() -> None:
    messages = [d.message for d in check(DOCS / "guides" / "doc004") if d.line == 10]
    assert messages == [
        "unknown field `translation` (only translations, .en.md and .ar.md files, record `translation`)"
    ]


def test_invalid_values_are_explained_in_words() -> None:
    messages = {d.line: d.message for d in check(DOCS / "guides" / "doc005")}
    assert messages[2] == "`title` is empty"
    assert messages[7] == "`review.status` must be `draft` or `reviewed`, not `final`"
    assert messages[8] == "`review.date` is not a real date: `2026-02-30`"
    assert messages[5].startswith("`audiences` must be a list")


def test_each_missing_field_is_reported_once(tmp_path: Path) -> None:
    page = tmp_path / "guides" / "vide" / "index.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: Page fictive\n---\n\nTexte.\n", encoding="utf-8")
    diagnostics = check(tmp_path / "guides", tmp_path)
    missing = sorted(d.message for d in diagnostics if d.rule == "DOC003")
    assert missing == [f"the field `{key}` is missing" for key in ("audiences", "description", "review", "topics")]


def test_front_matter_that_is_not_fields_is_one_error(tmp_path: Path) -> None:
    page = tmp_path / "guides" / "liste" / "index.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\n- une\n- liste\n---\n\nTexte.\n", encoding="utf-8")
    diagnostics = check(tmp_path / "guides", tmp_path)
    assert [(d.rule, d.line) for d in diagnostics] == [("DOC005", 2)]
    assert diagnostics[0].message.startswith("the front matter must be a group of `key: value` lines")


def test_the_tests_build_date_is_not_before_any_real_review_date() -> None:
    """The build tests use a fixed date; a page reviewed after it would fail ~160 of them with DOC013 at once."""
    later: list[str] = []
    for path in page_files(REPO / "docs"):
        page, _ = load_page(path, REPO / "docs", path.relative_to(REPO / "docs").as_posix())
        review = page.meta.get("review") if page is not None else None
        written = review.get("date") if isinstance(review, dict) else None
        if written is not None and date.fromisoformat(str(written)) > AS_OF:
            later.append(f"{path.relative_to(REPO)} ({written})")
    assert later == [], f"move AS_OF in tests/support.py on to a date after: {', '.join(later)}"


def test_review_on_the_build_date_is_not_in_the_future() -> None:
    diagnostics = check(DOCS / "guides" / "doc013", as_of=date(2027, 1, 1))
    assert diagnostics == []


# --- Contact details -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "+212 5 22 00 00 00",
        "0522000000",
        "05 22 00 00 00",
        "05.22.00.00.00",
        "05-22-00-00-00",
        "+223 20 00 00 00",
        "+22320000000",
    ],
)
def test_phone_numbers_are_found_in_any_usual_form(text: str) -> None:
    assert [(kind, found) for _, kind, found in contact_details(f"Appelez le {text}.")] == [("phone number", text)]


@pytest.mark.parametrize(
    "line",
    [
        "Le projet a commencé en 2019 et s'est achevé en 2020.",
        "Sur la période 2019-2020, puis 2021 2022.",
        "Relu le 2026-11-23, publié le 23.11.2026.",
        "Un budget de 169 100 000 francs CFA.",
        "1. premier point",
        "12. douzième point",
        "Voir le guide de 2007, révisé en 2016 (2e édition 2022).",
        "Au moins 1234567 personnes.",
    ],
)
def test_years_dates_amounts_and_numbered_lists_are_not_phone_numbers(line: str) -> None:
    assert list(contact_details(line)) == []


def test_email_address_is_found_with_its_column() -> None:
    assert list(contact_details("Écrire à equipe.fictive@exemple.org.")) == [
        (10, "e-mail address", "equipe.fictive@exemple.org")
    ]


# --- Length ------------------------------------------------------------------------------------------------------


def test_words_are_counted_without_sources_link_addresses_and_numbers() -> None:
    body = (
        "Un texte [avec un lien](../tres/long/chemin-vers-une-page.md) et 2026 | --- |\n"
        '!!! warning "Attention"\n'
        "    Deux mots.\n"
        "## Sources\n\n- Document fictif, Organisation, 2020\n\n## Après\n\nFin.\n"
    )
    # "Un texte avec un lien et", "Attention", "Deux mots.", "Après", "Fin."
    assert count_words(body) == 6 + 1 + 2 + 1 + 1


def write_guideline(docs_dir: Path, words: int) -> None:
    body = " ".join(["mot"] * words)
    page = docs_dir / "guides" / "essai" / "page-fictive.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        "---\n"
        'title: "Page fictive"\n'
        'description: "Page fictive des tests."\n'
        "topics: [sujet-essai]\n"
        "audiences: [public-essai]\n"
        "review:\n  status: draft\n  date: 2026-11-23\n  checked_against: [iasc-mhpss-2007]\n"
        "refer:\n  categories: [categorie-essai]\n  populations: [population-essai]\n"
        "---\n\n"
        f"{body}\n\n## Sources\n\n- Document fictif, Organisation imaginaire, 2020\n",
        encoding="utf-8",
    )


def test_guideline_page_of_600_words_is_long_enough(tmp_path: Path) -> None:
    write_guideline(tmp_path, 600)
    assert check(tmp_path / "guides", tmp_path) == []


def test_guideline_page_of_599_words_is_too_short(tmp_path: Path) -> None:
    write_guideline(tmp_path, 599)
    diagnostics = check(tmp_path / "guides", tmp_path)
    assert [(d.rule, d.line) for d in diagnostics] == [("DOC009", 15)]
    assert "599 words" in diagnostics[0].message


# --- The schema ----------------------------------------------------------------------------------------------------


def test_schema_is_valid_json_schema_2020_12() -> None:
    schema = json.loads((REPO / "directory" / "schema" / "guideline.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
