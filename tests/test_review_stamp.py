"""The review stamp of a guideline page: the standards it was checked against, and who signed it off."""

from __future__ import annotations

from relais.model.standards import STANDARDS
from relais.site.pagecontext import page_context

REVIEWED = {
    "review": {
        "status": "reviewed",
        "date": "2026-11-20",
        "checked_against": ["who-pfa-2011", "iasc-mhpss-2007"],
        "reviewed_by": {"name": "Relectrice Fictive", "qualification": "psychologue clinicienne (fictive)"},
    }
}


def context(meta: dict, language: str = "fr") -> dict:
    return page_context(language, language, meta, "guides/essai/page.md")


def test_a_signed_off_page_names_its_reviewer_and_the_date_in_the_readers_language() -> None:
    assert context(REVIEWED)["reviewed_by"] == (
        "Relu et validé par Relectrice Fictive (psychologue clinicienne (fictive)) le 20 novembre 2026."
    )
    assert context(REVIEWED, "en")["reviewed_by"].startswith("Reviewed and signed off by Relectrice Fictive")
    assert "2026" in context(REVIEWED, "ar")["reviewed_by"] or "٢٠٢٦" in context(REVIEWED, "ar")["reviewed_by"]


def test_the_standards_are_cited_in_the_pages_order() -> None:
    assert context(REVIEWED)["checked_against"] == [STANDARDS["who-pfa-2011"], STANDARDS["iasc-mhpss-2007"]]


def test_a_draft_has_no_sign_off_even_with_a_name() -> None:
    draft = {"review": {**REVIEWED["review"], "status": "draft"}}
    found = context(draft)
    assert found["is_draft"] and found["reviewed_by"] == ""
    assert len(found["checked_against"]) == 2


def test_every_standard_is_cited_with_organisation_and_year() -> None:
    for citation in STANDARDS.values():
        assert citation.endswith(")") and ", 20" in citation, citation


def test_the_schema_lists_exactly_the_standards_the_stamp_can_cite() -> None:
    import json

    from support import REPO

    schema = json.loads((REPO / "directory" / "schema" / "guideline.schema.json").read_text(encoding="utf-8"))
    enum = schema["$defs"]["review"]["properties"]["checked_against"]["items"]["enum"]
    assert enum == list(STANDARDS)
