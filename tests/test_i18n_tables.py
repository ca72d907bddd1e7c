"""Every string table has every key in every site language, with the same placeholders, and the site languages are
the ones `mkdocs.yml` builds."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml

from relais.i18n.directory_strings import DIRECTORY_UI
from relais.i18n.export_words import EXPORT_WORDS
from relais.i18n.hours_text import DAY_NAMES
from relais.i18n.hours_text import WORDS as HOURS_WORDS
from relais.i18n.page_text import (
    CHANGES_PAGE_TEXT,
    SCAFFOLD_PAGE_TEXT,
    TOPIC_PAGE_TEXT,
    TRANSLATION_STATE_LABELS,
    TRANSLATION_STATUS_TEXT,
)
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, DIRECTION, LANGUAGES, UI

REPO = Path(__file__).resolve().parent.parent

# Tables keyed by language, then by string id.
BY_LANGUAGE: dict[str, dict[str, dict[str, str]]] = {
    "ui_strings.UI": UI,
    "directory_strings.DIRECTORY_UI": DIRECTORY_UI,
    "hours_text.WORDS": HOURS_WORDS,
    "page_text.TOPIC_PAGE_TEXT": TOPIC_PAGE_TEXT,
    "page_text.CHANGES_PAGE_TEXT": CHANGES_PAGE_TEXT,
    "page_text.TRANSLATION_STATUS_TEXT": TRANSLATION_STATUS_TEXT,
    "page_text.TRANSLATION_STATE_LABELS": TRANSLATION_STATE_LABELS,
    "page_text.SCAFFOLD_PAGE_TEXT": SCAFFOLD_PAGE_TEXT,
}


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def mkdocs_locales() -> list[dict[str, object]]:
    config = yaml.unsafe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))  # our file; it has !!python tags
    plugin = next(entry["i18n"] for entry in config["plugins"] if isinstance(entry, dict) and "i18n" in entry)
    return plugin["languages"]


# The scaffold's French strings are blanks to fill; its translations quote the French title: compare them with English.
PLACEHOLDERS_FROM = {"page_text.SCAFFOLD_PAGE_TEXT": "en"}


def table_problems(table: dict[str, dict[str, str]], placeholders_from: str = DEFAULT_LANGUAGE) -> list[str]:
    """What is missing or different from the French strings, one line per problem."""
    problems = (
        [f"languages {sorted(table)} instead of {sorted(LANGUAGES)}"] if sorted(table) != sorted(LANGUAGES) else []
    )
    source = table.get(DEFAULT_LANGUAGE, {})
    model = table.get(placeholders_from, {})
    for language in LANGUAGES:
        strings = table.get(language, {})
        problems.extend(f"{language}: no {key!r}" for key in source if key not in strings)
        problems.extend(f"{language}: {key!r} is not in French" for key in strings if key not in source)
        problems.extend(
            f"{language}: {key!r} has placeholders {sorted(placeholders(strings[key]))}"
            for key in model
            if key in strings
            and placeholders(strings[key]) != placeholders(model[key])
            and (language != DEFAULT_LANGUAGE or placeholders_from == DEFAULT_LANGUAGE)
        )
    return problems


@pytest.mark.parametrize("name", sorted(BY_LANGUAGE))
def test_a_table_has_every_key_in_every_language_with_the_french_placeholders(name: str) -> None:
    assert table_problems(BY_LANGUAGE[name], PLACEHOLDERS_FROM.get(name, DEFAULT_LANGUAGE)) == []


def test_a_missing_key_an_extra_key_and_a_lost_placeholder_are_caught() -> None:
    broken = {language: dict(TOPIC_PAGE_TEXT[language]) for language in LANGUAGES}
    del broken["ar"]["empty"]
    broken["en"]["extra"] = "Extra"
    broken["en"]["topic_description"] = "Relais guidance pages on this topic."
    assert table_problems(broken) == [
        "en: 'extra' is not in French",
        "en: 'topic_description' has placeholders []",
        "ar: no 'empty'",
    ]


def test_export_words_are_in_every_language_with_the_same_placeholders() -> None:
    for key, by_language in EXPORT_WORDS.items():
        assert sorted(by_language) == sorted(LANGUAGES), key
        for language in LANGUAGES:
            assert placeholders(by_language[language]) == placeholders(by_language[DEFAULT_LANGUAGE]), key


def test_every_language_names_the_seven_days() -> None:
    assert sorted(DAY_NAMES) == sorted(LANGUAGES)
    assert all(len(names) == 7 and len(set(names)) == 7 for names in DAY_NAMES.values())


def test_the_site_languages_are_the_locales_mkdocs_builds_in_the_same_order() -> None:
    locales = mkdocs_locales()
    assert [locale["locale"] for locale in locales] == list(LANGUAGES)
    assert [locale["locale"] for locale in locales if locale.get("default")] == [DEFAULT_LANGUAGE]
    assert sorted(DIRECTION) == sorted(LANGUAGES)
    assert [language for language, direction in DIRECTION.items() if direction == "rtl"] == ["ar"]
