"""Directory exports (issue 3): HSDS 3.0 JSON per language, services.csv and 4w.csv, with confidentiality kept."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from jsonschema import Draft202012Validator

from directory_fixture import load_fixture_directory, load_real_directory, service_by_id
from relais.check.directory import check_directory
from relais.export.csv_tables import spreadsheet_safe
from relais.export.open_data import (
    fixed_utc_offset,
    hsds_document,
    weekly_openings,
    write_exports,
    write_hsds_json,
)
from relais.i18n.ui_strings import LANGUAGES
from relais.model.directory import Directory
from relais.model.public import public_directory
from support import AS_OF, FIXTURES

SITE_URL = "https://relais-hub.github.io/relais/"
CONFIDENTIAL = "test-refuge-confidentiel"
EXPORT_FILES = ("hsds-fr.json", "hsds-en.json", "hsds-ar.json", "services.csv", "4w.csv")
URL_KEYS = {"url", "website", "uri", "term_uri", "schedule_link"}


@cache
def hsds_service_validator() -> Draft202012Validator:
    schema = json.loads((FIXTURES / "hsds" / "service.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def hsds_term_validator() -> Draft202012Validator:
    """The taxonomy term schema, as the compiled service schema nests it in an attribute."""
    service = json.loads((FIXTURES / "hsds" / "service.json").read_text(encoding="utf-8"))
    schema = service["properties"]["attributes"]["items"]["properties"]["taxonomy_term"]
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    return load_fixture_directory(tmp_path / "directory")


def export(directory: Directory, out_dir: Path) -> dict[str, Path]:
    written = write_exports(public_directory(directory), out_dir, AS_OF, SITE_URL)
    assert sorted(p.name for p in written) == sorted(EXPORT_FILES)
    return {path.name: path for path in written}


def hsds_services(files: dict[str, Path], language: str) -> dict[str, dict[str, Any]]:
    """The services of one HSDS file, by the last part of their page URL (our id)."""
    document = json.loads(files[f"hsds-{language}.json"].read_text(encoding="utf-8"))
    assert document["hsds_version"] == "3.0"
    assert document["language"] == language
    return {service["url"].rstrip("/").rsplit("/", 1)[1]: service for service in document["services"]}


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair of a JSON value, depth first, in document order."""
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            yield inner_key, inner
            yield from walk(inner, inner_key)
    elif isinstance(value, list):
        for inner in value:
            yield from walk(inner, key)


def ids_of(service: dict[str, Any]) -> list[str]:
    return [value for key, value in walk(service) if key == "id" or key.endswith("_id")]


def assert_valid_hsds(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in hsds_service_validator().iter_errors(service)]
        assert not errors, f"{name}: {errors}"
        for value in ids_of(service):
            assert str(uuid.UUID(value)) == value, f"{name}: {value} is not a canonical UUID"
        for key, value in walk(service):
            if key in URL_KEYS:  # the installed jsonschema cannot check format "uri": check it here
                url = urlparse(value)
                assert url.scheme in {"http", "https"} and url.netloc, f"{name}: {key} {value}"


def test_fixture_directory_passes_validation(directory: Directory) -> None:
    errors = [d.as_text() for d in check_directory(directory, AS_OF) if d.is_error]
    assert not errors


def test_every_exported_service_validates_against_hsds_in_every_language(directory: Directory, tmp_path: Path) -> None:
    files = export(directory, tmp_path / "out")
    for language in LANGUAGES:
        services = hsds_services(files, language)
        assert sorted(services) == sorted(s.id for s in directory.services)
        assert_valid_hsds(services)


def test_the_json_written_service_by_service_is_the_whole_document(directory: Directory, tmp_path: Path) -> None:
    for language in LANGUAGES:
        path = tmp_path / f"{language}.json"
        write_hsds_json(path, public_directory(directory), language, AS_OF, SITE_URL)
        document = hsds_document(public_directory(directory), language, AS_OF, SITE_URL)
        text = path.read_text(encoding="utf-8")
        assert document["services"] and json.loads(text) == document
        # the head, one line a service, the line between, one line a term, the end
        assert len(text.splitlines()) == len(document["services"]) + len(document["taxonomy_terms"]) + 3
    empty = dataclasses.replace(public_directory(directory), services=())
    write_hsds_json(tmp_path / "empty.json", empty, "fr", AS_OF, SITE_URL)
    assert json.loads((tmp_path / "empty.json").read_text(encoding="utf-8")) == hsds_document(
        empty, "fr", AS_OF, SITE_URL
    )


def test_the_schema_check_rejects_a_broken_service(directory: Directory, tmp_path: Path) -> None:
    service = hsds_services(export(directory, tmp_path / "out"), "fr")["test-centre-ecoute"]
    broken = {**service, "id": "test-centre-ecoute", "status": "open"}
    messages = " ".join(e.message for e in hsds_service_validator().iter_errors(broken))
    assert "is not a 'uuid'" in messages
    assert "'open' is not one of" in messages


def test_ids_are_identical_across_builds_and_languages(directory: Directory, tmp_path: Path) -> None:
    first = export(directory, tmp_path / "first")
    second = export(directory, tmp_path / "second")
    for name in EXPORT_FILES:
        assert first[name].read_bytes() == second[name].read_bytes(), f"{name} differs between two builds"
    by_language = {language: hsds_services(first, language) for language in LANGUAGES}
    for service_id, service in by_language["fr"].items():
        assert service["id"] == str(uuid.UUID(service["id"]))
        for language in ("en", "ar"):
            assert ids_of(by_language[language][service_id]) == ids_of(service)
    all_service_ids = [s["id"] for s in by_language["fr"].values()]
    assert len(set(all_service_ids)) == len(all_service_ids)


def test_services_are_sorted_by_id_in_every_export(directory: Directory, tmp_path: Path) -> None:
    files = export(directory, tmp_path / "out")
    expected = sorted(s.id for s in directory.services)
    assert list(hsds_services(files, "ar")) == expected
    assert [row["id"] for row in csv_rows(files["services.csv"])] == expected


def test_confidential_service_has_no_location_in_any_export(directory: Directory, tmp_path: Path) -> None:
    files = export(directory, tmp_path / "out")
    for language in LANGUAGES:
        service = hsds_services(files, language)[CONFIDENTIAL]
        keys = {key for key, _ in walk(service)}
        assert not keys & {"service_at_locations", "location", "addresses", "latitude", "longitude", "transportation"}
        assert "phones" not in service and "email" not in service
        assert not {"phones", "email", "website"} & set(service["organization"])
        [front_door] = service["contacts"]
        assert front_door["email"] == "orientation@example.org"
        assert [p["number"] for p in front_door["phones"]] == ["+212522999904"]
    row = next(r for r in csv_rows(files["services.csv"]) if r["id"] == CONFIDENTIAL)
    assert (row["address"], row["latitude"], row["longitude"], row["website"]) == ("", "", "", "")
    assert (row["phones_e164"], row["email"]) == ("+212522999904", "orientation@example.org")
    four_w = [r for r in csv_rows(files["4w.csv"]) if r["service_id"] == CONFIDENTIAL]
    assert four_w and all(r["city"] == "Casablanca" and not r["mobile_cities"] for r in four_w)


def test_location_injected_into_a_confidential_record_reaches_no_export(directory: Directory, tmp_path: Path) -> None:
    # The validator refuses such a record; the exporter must not rely on that.
    confidential = service_by_id(directory, CONFIDENTIAL)
    confidential.data["location"] = {
        "address": {"fr": "MARQUEUR-CANARI-123", "en": "CANARY-MARKER-EN", "ar": "علامة-الكناري"},
        "directions": {"fr": "DIRECTIONS-CANARI-456"},
        "latitude": 12.3456789,
        "longitude": -98.7654321,
    }
    confidential.data["phones"] = [{"number": "+212 5 37 12 34 56", "type": "voice"}]
    confidential.data["email"] = "fuite-canari@example.org"
    confidential.data["website"] = "https://canari.example.org/fuite"
    files = export(directory, tmp_path / "out")
    markers = [
        "CANARI",
        "CANARY",
        "الكناري",
        "12.3456789",
        "98.7654321",
        "12.34567",
        "98.76543",
        "+212537123456",
        "37 12 34 56",
        "fuite-canari",
        "canari.example.org",
    ]
    for name in EXPORT_FILES:
        text = files[name].read_text(encoding="utf-8-sig")
        leaked = [marker for marker in markers if marker.lower() in text.lower()]
        assert not leaked, f"{name} leaks {leaked}"
    # The same fields of a public service are exported: the check above can fail.
    assert "12 rue Imaginaire" in files["hsds-fr.json"].read_text(encoding="utf-8")
    assert "33.5731" in files["services.csv"].read_text(encoding="utf-8-sig")


def test_phones_are_e164_and_short_codes_are_kept_as_written(directory: Directory, tmp_path: Path) -> None:
    files = export(directory, tmp_path / "out")
    service = hsds_services(files, "en")["test-centre-ecoute"]
    assert [(p["number"], p["type"]) for p in service["phones"]] == [
        ("+212522999902", "voice"),
        ("+212699999903", "cell"),
        ("15", "voice"),
    ]
    assert [p["number"] for p in service["organization"]["phones"]] == ["+212522999901"]
    rows = {r["id"]: r for r in csv_rows(files["services.csv"])}
    assert rows["test-centre-ecoute"]["phones_e164"] == "+212522999902; +212699999903; 15"
    assert rows["test-service-perime"]["phones_e164"] == "+22320229905"


def test_english_export_falls_back_to_french_for_untranslated_text(directory: Directory, tmp_path: Path) -> None:
    english = hsds_services(export(directory, tmp_path / "out"), "en")
    untranslated = english["test-service-perime"]
    assert untranslated["name"] == "Groupe de parole fictif TEST (ancien)"
    assert untranslated["description"].startswith("Service fictif des tests : groupe de parole")
    translated = english["test-centre-ecoute"]
    assert translated["name"] == "TEST fictitious listening centre"
    assert translated["application_process"].startswith("Referral by phone")


def test_each_language_file_links_to_the_page_in_its_language(directory: Directory, tmp_path: Path) -> None:
    files = export(directory, tmp_path / "out")
    path = "annuaire/services/test-centre-ecoute/"
    assert hsds_services(files, "fr")["test-centre-ecoute"]["url"] == SITE_URL + path
    assert hsds_services(files, "en")["test-centre-ecoute"]["url"] == SITE_URL + "en/" + path
    assert hsds_services(files, "ar")["test-centre-ecoute"]["url"] == SITE_URL + "ar/" + path


def hsds_terms(files: dict[str, Path], language: str) -> dict[str, dict[str, Any]]:
    document = json.loads(files[f"hsds-{language}.json"].read_text(encoding="utf-8"))
    return {term["id"]: term for term in document["taxonomy_terms"]}


def test_categories_are_taxonomy_terms_in_the_file_language_under_their_pyramid_layer(
    directory: Directory, tmp_path: Path
) -> None:
    files = export(directory, tmp_path / "out")
    listed = hsds_terms(files, "ar")
    arabic = hsds_services(files, "ar")["test-centre-ecoute"]
    terms = {listed[a["taxonomy_term_id"]]["code"]: a for a in arabic["attributes"]}
    category = terms["consultation-sante-mentale"]
    assert category["link_type"] == "service_category"
    category_term = listed[category["taxonomy_term_id"]]
    assert category_term["name"] == "استشارة في الصحة النفسية"
    assert category_term["language"] == "ar"
    layer = terms["iasc-layer-4"]
    assert layer["value"] == "4"
    assert category_term["parent_id"] == layer["taxonomy_term_id"]
    assert (
        terms["iasc-layer-3"]["taxonomy_term_id"]
        == listed[terms["soutien-psychosocial-individuel"]["taxonomy_term_id"]]["parent_id"]
    )


def test_each_term_is_listed_once_valid_and_every_attribute_names_a_listed_term(
    directory: Directory, tmp_path: Path
) -> None:
    files = export(directory, tmp_path / "out")
    validator = hsds_term_validator()
    for language in LANGUAGES:
        document = json.loads(files[f"hsds-{language}.json"].read_text(encoding="utf-8"))
        ids = [term["id"] for term in document["taxonomy_terms"]]
        assert len(ids) == len(set(ids))
        for term in document["taxonomy_terms"]:
            assert not [e.message for e in validator.iter_errors(term)], term
        named = {a["taxonomy_term_id"] for s in document["services"] for a in s["attributes"]}
        parents = {t["parent_id"] for t in document["taxonomy_terms"] if "parent_id" in t}
        assert named | parents == set(ids)
        assert all("taxonomy_term" not in a for s in document["services"] for a in s["attributes"])


def test_services_csv_has_one_row_per_service(directory: Directory, tmp_path: Path) -> None:
    rows = csv_rows(export(directory, tmp_path / "out")["services.csv"])
    assert len(rows) == len(directory.services) == 4
    by_id = {row["id"]: row for row in rows}
    listening = by_id["test-centre-ecoute"]
    assert listening["name"] == "Centre d'écoute fictif TEST"
    assert listening["categories"] == "Soutien psychosocial individuel; Consultation en santé mentale"
    assert listening["pyramid_layers"] == "3; 4"
    assert (listening["latitude"], listening["longitude"]) == ("33.5731", "-7.5898")
    assert by_id["test-service-perime"]["stale"] == "true"
    assert by_id["test-centre-ecoute"]["stale"] == "false"
    assert by_id["test-equipe-mobile"]["mobile_area"] == "Cercle de Kita et ville de Kayes"


def test_4w_has_one_row_per_service_and_category_with_its_pyramid_layer(directory: Directory, tmp_path: Path) -> None:
    rows = csv_rows(export(directory, tmp_path / "out")["4w.csv"])
    assert len(rows) == sum(len(s.categories) for s in directory.services) == 7
    layers = {(r["service_id"], r["category_id"]): r["pyramid_layer"] for r in rows}
    assert layers[("test-refuge-confidentiel", "hebergement-urgence")] == "1"
    assert layers[("test-refuge-confidentiel", "prise-en-charge-vbg")] == "3"
    assert layers[("test-centre-ecoute", "consultation-sante-mentale")] == "4"
    mobile = next(r for r in rows if r["service_id"] == "test-equipe-mobile")
    assert (mobile["organization_acronym"], mobile["city"], mobile["mobile_cities"]) == ("AFT", "Kita", "Kayes")
    assert mobile["category_label"] == "Premiers secours psychologiques"


def test_csv_cell_beginning_with_equals_is_neutralised(directory: Directory, tmp_path: Path) -> None:
    service_by_id(directory, "test-centre-ecoute").data["name"]["fr"] = '=HYPERLINK("https://example.org","x")'
    files = export(directory, tmp_path / "out")
    row = next(r for r in csv_rows(files["services.csv"]) if r["id"] == "test-centre-ecoute")
    assert row["name"] == '\'=HYPERLINK("https://example.org","x")'
    assert row["phones_e164"].startswith("+212")  # phone numbers are left as they are
    assert row["longitude"] == "-7.5898"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("+212522999902; 15", "+212522999902; 15"),
        ("-7.5898", "-7.5898"),
        ("Centre d'écoute", "Centre d'écoute"),
    ],
)
def test_spreadsheet_formulas_are_neutralised_but_numbers_and_phones_kept(cell: str, expected: str) -> None:
    assert spreadsheet_safe(cell) == expected


def test_simple_weekly_hours_become_structured_only_where_the_offset_is_fixed(
    directory: Directory, tmp_path: Path
) -> None:
    services = hsds_services(export(directory, tmp_path / "out"), "fr")
    [bamako] = services["test-service-perime"]["schedules"]
    assert bamako["description"] == "Tu,Th 14:00-17:00"
    assert (bamako["freq"], bamako["byday"], bamako["opens_at"], bamako["closes_at"], bamako["timezone"]) == (
        "WEEKLY",
        "TU,TH",
        "14:00Z",
        "17:00Z",
        0,
    )
    # Morocco leaves UTC+1 for Ramadan: one offset would be wrong part of the year.
    [casablanca] = services["test-centre-ecoute"]["schedules"]
    assert casablanca == {
        "id": casablanca["id"],
        "service_id": services["test-centre-ecoute"]["id"],
        "description": "Mo-Fr 08:30-16:30; Sa 09:00-12:00",
    }


def test_weekly_openings_read_only_simple_rules() -> None:
    openings = weekly_openings("Mo-Fr 08:30-16:30; Sa 09:00-12:00,14:00-16:00")
    assert openings is not None
    assert [(o.days, o.opens, o.closes) for o in openings] == [
        ((0, 1, 2, 3, 4), "08:30", "16:30"),
        ((5,), "09:00", "12:00"),
        ((5,), "14:00", "16:00"),
    ]
    for unsupported in (
        "Mo-Fr 08:00-12:00; We 14:00-16:00",  # the later rule replaces Wednesday: not additive
        "24/7",
        "Mo-Fr 08:00-12:00; PH off",
        "Fr-Mo 10:00-12:00",
        "Mo 22:00-02:00",
        "Mo 08:00-12:00,11:00-13:00",
        "Mo 25:00-26:00",
        "",
    ):
        assert weekly_openings(unsupported) is None, unsupported


def test_fixed_utc_offset_is_none_where_the_clock_changes() -> None:
    assert fixed_utc_offset("Africa/Bamako", AS_OF.year) == timedelta(0)
    assert fixed_utc_offset("Africa/Casablanca", AS_OF.year) is None
    assert fixed_utc_offset("Europe/Paris", AS_OF.year) is None
    assert fixed_utc_offset("Not/AZone", AS_OF.year) is None


def test_real_directory_exports_and_validates(tmp_path: Path) -> None:
    directory = load_real_directory()
    assert not [d.as_text() for d in check_directory(directory, AS_OF) if d.is_error]
    assert len(directory.services) >= 3  # three today; the test must not break when editors add entries
    files = export(directory, tmp_path / "out")
    for language in LANGUAGES:
        services = hsds_services(files, language)
        assert sorted(services) == sorted(s.id for s in directory.services)
        assert_valid_hsds(services)
    assert len(csv_rows(files["services.csv"])) == len(directory.services)
    assert len(csv_rows(files["4w.csv"])) == sum(len(s.categories) for s in directory.services)


def test_structured_hours_carry_the_fixed_offset_of_the_city(directory: Directory, tmp_path: Path) -> None:
    bamako = directory.countries["ML"].cities["bamako"]
    directory.countries["ML"].cities["bamako"] = replace(bamako, timezone="Africa/Nairobi")  # always UTC+3
    [schedule] = hsds_services(export(directory, tmp_path / "out"), "en")["test-service-perime"]["schedules"]
    assert (schedule["opens_at"], schedule["closes_at"], schedule["timezone"]) == ("14:00+03:00", "17:00+03:00", 3)


def test_every_csv_the_build_writes_neutralises_formulas(tmp_path: Path) -> None:
    """One writer for every table: a category label that starts like a formula is neutralised in the coverage
    tables too, and every file is UTF-8 with a byte-order mark."""
    from relais.export import write_all_exports
    from relais.model.public import public_directory

    directory = load_fixture_directory(tmp_path / "directory")
    term = directory.vocabulary.categories["soutien-psychosocial-individuel"]
    directory.vocabulary.categories[term.id] = dataclasses.replace(term, label={"fr": '=HYPERLINK("x")'})
    written = write_all_exports(public_directory(directory), tmp_path / "out", AS_OF, SITE_URL)
    tables = [path for path in written if path.suffix == ".csv"]
    assert len(tables) > 3 and all(path.read_bytes().startswith(b"\xef\xbb\xbf") for path in tables)
    for path in tables:
        cells = [cell for row in csv.reader(io.StringIO(path.read_text("utf-8-sig"))) for cell in row]
        assert not any(cell.startswith("=") for cell in cells), path.name
    coverage = (tmp_path / "out" / "couverture" / "ma-casablanca.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK" in coverage
