"""Each city's emergency card: dated numbers from a cited public source, or plainly "to be filled" with the steps.

Relais publishes no emergency number without a source: the real cities have none yet, so their cards ask the
local team to fill them. Numbers here are fictitious fixtures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from relais.model.directory import City, EmergencyCard, EmergencyNumber, Vocabulary
from relais.model.public import PublicDirectory
from relais.render.pages import PageSettings, Writer
from support import AS_OF, BuiltSite
from test_directory_rules import CARD, PLACES, assert_found, check, line_of


def city_with(card: EmergencyCard | None) -> City:
    return City(
        "ville-test",
        "MA",
        {"fr": "Ville-Test", "en": "Test-Town", "ar": "مدينة الاختبار"},
        "Africa/Casablanca",
        emergency=card,
    )


def writer(language: str, as_of: date = AS_OF) -> Writer:
    directory = PublicDirectory(Vocabulary(), {}, ())
    return Writer(directory, language, PageSettings(repo_url="", as_of=as_of))


FICTITIOUS = EmergencyCard(
    "2026-11-01",
    (
        EmergencyNumber(
            {"fr": "Ambulance fictive", "en": "Fictitious ambulance"},
            "1 5",
            "Liste fictive",
            "Relais (tests)",
            "2026-10-01",
            "https://example.org/liste",
        ),
    ),
)


def test_a_checked_card_shows_each_number_with_its_source_and_the_date() -> None:
    html = writer("en").emergency_card(city_with(FICTITIOUS), "../../../")
    assert '<a href="tel:15" dir="ltr"><bdi>1 5</bdi></a>' in html
    assert "Fictitious ambulance" in html and "Source: Liste fictive, Relais (tests), 2026-10-01" in html
    assert '<a href="https://example.org/liste" rel="noopener">' in html
    assert '<time datetime="2026-11-01">' in html and 'role="alert"' not in html


def test_an_unfilled_card_on_paper_leaves_lines_to_write_the_numbers() -> None:
    html = writer("en").emergency_card(city_with(None), "../../../../", on_paper=True)
    assert html.count("<li>") == 5 and "<li>Police: </li>" in html and "<ol>" not in html


def test_a_card_checked_more_than_a_year_ago_warns() -> None:
    html = writer("fr", date(2028, 1, 1)).emergency_card(city_with(FICTITIOUS), "../../../")
    assert 'role="alert"' in html and "revérifiés" in html


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_a_city_without_a_checked_card_says_to_fill_it_and_how(language: str) -> None:
    html = writer(language).emergency_card(city_with(None), "../../../")
    assert "tel:" not in html and html.count("<li>") == 4
    assert 'href="../../../guides/orientation/mecanismes-orientation/#urgences-police"' in html


@pytest.mark.build
def test_every_city_page_and_sheet_carries_the_card(built_site: BuiltSite) -> None:
    for root, words in (("", "À compléter par"), ("en/", "To be filled in"), ("ar/", "يملؤها")):
        for page in ("annuaire/ma/casablanca/index.html", "annuaire/ma/casablanca/imprimer/index.html"):
            html = built_site.html(root + page)
            assert 'class="admonition danger relais-emergency"' in html and words in html, (root, page)
    sheet = built_site.html("annuaire/ma/casablanca/imprimer/index.html")
    assert 'class="relais-emergency__blank"' in sheet and "<li>Ambulance : </li>" in sheet  # lines to write in
    assert 'href="../../../../guides/orientation/mecanismes-orientation/#urgences-police"' in sheet


def test_a_card_validates_with_its_source(tmp_path: Path) -> None:
    assert check(tmp_path, {"places.yml": PLACES + CARD}) == []


def test_a_number_without_a_source_is_refused(tmp_path: Path) -> None:
    source_line = next(line for line in CARD.splitlines(keepends=True) if "source:" in line)
    places = PLACES + CARD.replace(source_line, "")
    diagnostics = check(tmp_path, {"places.yml": places})
    assert [d.rule for d in diagnostics] == ["DIR002"] and "`source`" in diagnostics[0].message


def test_a_source_that_is_not_a_web_address_is_refused(tmp_path: Path) -> None:
    places = PLACES + CARD.replace('date: "2026-10-01"}', 'date: "2026-10-01", url: "seeds/liste.txt"}')
    diagnostics = check(tmp_path, {"places.yml": places})
    assert_found(diagnostics, ("DIR034", "directory/places.yml", line_of(places, "seeds/liste.txt")))
