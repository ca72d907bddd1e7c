"""The site layout has one owner: language roots, suffixes and directory paths are the same everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from relais.i18n.ui_strings import LANGUAGES
from relais.model.layout import (
    absolute_url,
    built_page,
    city_path,
    language_folder,
    language_root,
    page_suffix,
    service_path,
    up_to_language_root,
)


def test_french_is_at_the_root_and_other_languages_below_it() -> None:
    assert [language_root(language) for language in LANGUAGES] == ["", "en/", "ar/"]
    assert [page_suffix(language) for language in LANGUAGES] == ["", ".en", ".ar"]
    assert language_folder(Path("site"), "fr") == Path("site")
    assert language_folder(Path("site"), "ar") == Path("site/ar")


def test_directory_paths_and_public_addresses() -> None:
    assert service_path("ma-casablanca-x") == "annuaire/services/ma-casablanca-x/"
    assert city_path("MA", "casablanca") == "annuaire/ma/casablanca/"
    site = "https://relais-hub.github.io/relais/"
    assert absolute_url(site, "fr", service_path("x")) == "https://relais-hub.github.io/relais/annuaire/services/x/"
    assert absolute_url(site, "en", service_path("x")) == "https://relais-hub.github.io/relais/en/annuaire/services/x/"


def test_the_way_back_to_the_language_root() -> None:
    assert up_to_language_root("") == ""
    assert up_to_language_root("annuaire/") == "../"
    assert up_to_language_root("annuaire/ma/casablanca/") == "../../../"


@pytest.mark.parametrize(
    ("src_uri", "page"),
    [
        ("annuaire/ma/casablanca.md", "annuaire/ma/casablanca/index.html"),
        ("annuaire/ma/casablanca.en.md", "en/annuaire/ma/casablanca/index.html"),
        ("annuaire/index.ar.md", "ar/annuaire/index.html"),
        ("index.md", "index.html"),
        ("editeurs/changements.en.md", "en/editeurs/changements/index.html"),
    ],
)
def test_the_built_page_of_a_source_is_where_the_engine_writes_it(src_uri: str, page: str) -> None:
    assert built_page(src_uri) == page
