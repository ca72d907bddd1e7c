"""Every directory rule (DIR001-DIR033) and the YAML hazards of service files, each on a small fictitious case.

Each case writes a `directory/` folder (the real taxonomy and places, one fictitious organisation, the files of the
case) into a temporary project, loads it and checks it, then asserts the rule, the file and the line.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.check.directory import check_directory
from relais.cli import main
from relais.core.diagnostics import Diagnostic, sorted_diagnostics
from relais.core.project import Project
from relais.model.directory import Directory, Service, load_directory
from relais.model.yamldoc import parse_yaml
from relais.rules.catalogue import directory_rules
from support import AS_OF, REPO

ORGANIZATION_FILE = "organizations/association-fictive.yml"
ORGANIZATION = """\
id: association-fictive
name: {fr: "Association fictive TEST"}
sources: [{title: "Jeu fictif des tests", organization: "Relais (tests)", date: "2026-01-15"}]
"""

# A valid public service, one field per line, so that a case changes one visible line.
SERVICE_FILE = "services/MA/casablanca/test-fictif.yml"
SERVICE_PATH = f"directory/{SERVICE_FILE}"
SERVICE = """\
id: test-fictif
name: {fr: "Service fictif TEST"}
description: {fr: "Service fictif des tests."}
organization: association-fictive
status: active
country: MA
city: casablanca
categories: [soutien-psychosocial-individuel]
populations: [migrants]
visibility: public
verified: {date: "2026-10-01", by: "référent orientation", method: call}
sources: [{title: "Jeu fictif des tests", organization: "Relais (tests)", date: "2026-10-01"}]
"""

FRONT_DOOR = """\
front_door:
  description: {fr: "Point focal orientation fictif"}
  phones: [{number: "+212 5 22 99 99 04", type: hotline}]
"""
CONFIDENTIAL = SERVICE.replace("visibility: public\n", "visibility: confidential\n" + FRONT_DOOR)

# A places.yml of one country and one city, for the cases about places themselves.
PLACES = """\
countries:
  - code: MA
    name: {fr: "Maroc", en: "Morocco", ar: "المغرب"}
    cities:
      - slug: casablanca
        name: {fr: "Casablanca", en: "Casablanca", ar: "الدار البيضاء"}
        timezone: Africa/Casablanca
"""


CARD = """\
        emergency:
          checked: "2026-11-01"
          numbers:
            - label: {fr: "Ambulance fictive", en: "Fictitious ambulance", ar: "إسعاف وهمي"}
              number: "1 5"
              source: {title: "Liste fictive des tests", organization: "Relais (tests)", date: "2026-10-01"}
"""


# --- helpers ---------------------------------------------------------------------------------------------------------


def write_directory(root: Path, files: Mapping[str, str | bytes | None]) -> None:
    """`root/directory/`: the real taxonomy and places, the fictitious organisation, then `files` (None removes one)."""
    contents: dict[str, str | bytes | None] = {
        "taxonomy.yml": (REPO / "directory" / "taxonomy.yml").read_bytes(),
        "places.yml": (REPO / "directory" / "places.yml").read_bytes(),
        ORGANIZATION_FILE: ORGANIZATION,
        **files,
    }
    for relative, content in contents.items():
        if content is None:
            continue
        target = root / "directory" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def load_and_check(root: Path, files: Mapping[str, str | bytes | None]) -> tuple[Directory, list[Diagnostic]]:
    write_directory(root, files)
    directory, diagnostics = load_directory(Project.at(root))
    return directory, sorted_diagnostics([*diagnostics, *check_directory(directory, as_of=AS_OF)])


def check(root: Path, files: Mapping[str, str | bytes | None]) -> list[Diagnostic]:
    return load_and_check(root, files)[1]


def assert_found(diagnostics: list[Diagnostic], *expected: tuple[str, str, int]) -> None:
    """Exactly these (rule, path, line) were reported; the message lists all diagnostics when not."""
    found = sorted((d.rule, d.path, d.line) for d in diagnostics)
    assert found == sorted(expected), "\n".join(d.as_text() for d in diagnostics) or "nothing reported"


def edited(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    """1-based number of the one line of `text` that contains `fragment`."""
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(lines) == 1, f"{fragment!r} is on lines {lines}, expected exactly one"
    return lines[0]


def test_the_fictitious_base_cases_are_clean(tmp_path: Path) -> None:
    """Every case below changes one thing in these; they must report nothing on their own."""
    assert_found(check(tmp_path / "public", {SERVICE_FILE: SERVICE}))
    assert_found(check(tmp_path / "confidential", {SERVICE_FILE: CONFIDENTIAL}))
    assert_found(check(tmp_path / "places", {"places.yml": PLACES}))


# --- YAML hazards in service files (YML rules) -------------------------------------------------------------------


def _hazard(text: str, *expected: tuple[str, str]) -> tuple[str, list[tuple[str, int]]]:
    """A service text and its expected (rule, line-fragment) pairs."""
    return text, [(rule_id, line_of(text, fragment)) for rule_id, fragment in expected]


YAML_HAZARDS = {
    "duplicate key": _hazard(SERVICE + "status: inactive\n", ("YML009", "status: inactive")),
    "anchor": _hazard(
        edited(SERVICE, "populations: [migrants]", "populations: &publics [migrants]"), ("YML007", "&publics")
    ),
    "alias": _hazard(
        edited(SERVICE, "populations: [migrants]", "populations: &publics [migrants]\nautres: *publics"),
        ("YML007", "&publics"),
        ("YML007", "*publics"),
    ),
    "tag": _hazard(edited(SERVICE, "status: active", "status: !!str active"), ("YML008", "!!str")),
    "country NO (Norway problem)": _hazard(
        edited(SERVICE, "country: MA", "country: NO"), ("YML006", "country: NO"), ("DIR008", "country: NO")
    ),
    "yes": _hazard(
        SERVICE + "referral: {cost: free, accepts_undocumented: yes}\n", ("YML006", "yes"), ("DIR003", "yes")
    ),
    "on": _hazard(
        SERVICE + "referral: {cost: free, accepts_unaccompanied_children: on}\n", ("YML006", "on}"), ("DIR003", "on}")
    ),
    "unquoted phone 0522123456": _hazard(
        SERVICE + "phones:\n  - {number: 0522123456, type: voice}\n", ("YML006", "0522123456")
    ),
    "unquoted 8:30": _hazard(SERVICE + "hours: 8:30\n", ("YML006", "8:30"), ("DIR017", "8:30")),
    "unquoted 012": _hazard(
        SERVICE + "phones:\n  - {number: 012, type: voice}\n", ("YML006", "012"), ("DIR015", "012")
    ),
}


@pytest.mark.parametrize("case", sorted(YAML_HAZARDS))
def test_yaml_hazard_in_a_service_file_is_reported_at_its_line(tmp_path: Path, case: str) -> None:
    text, expected = YAML_HAZARDS[case]
    assert_found(check(tmp_path, {SERVICE_FILE: text}), *[(rule_id, SERVICE_PATH, line) for rule_id, line in expected])


def test_unreadable_service_files_are_reported_and_left_out(tmp_path: Path) -> None:
    files = {
        "services/MA/casablanca/test-bom.yml": b"\xef\xbb\xbf" + SERVICE.encode("utf-8"),
        # Saved as Latin-1 by an old editor: the first non-UTF-8 byte is the "à" of line 2.
        "services/MA/casablanca/test-latin1.yml": edited(SERVICE, "TEST", "TEST à Rabat").encode("latin-1"),
        "services/MA/casablanca/test-vide.yml": "",
        "services/MA/casablanca/test-commentaire.yml": "# à remplir\n",
        "services/MA/casablanca/test-liste.yml": "- id: test-liste\n",
        "services/MA/casablanca/test-scalaire.yml": "\n\njuste du texte\n",
    }
    directory, diagnostics = load_and_check(tmp_path, files)
    base = "directory/services/MA/casablanca"
    assert_found(
        diagnostics,
        ("YML003", f"{base}/test-bom.yml", 1),
        ("YML002", f"{base}/test-latin1.yml", 2),
        ("YML004", f"{base}/test-vide.yml", 1),
        ("YML004", f"{base}/test-commentaire.yml", 1),
        ("YML005", f"{base}/test-liste.yml", 1),
        ("YML005", f"{base}/test-scalaire.yml", 3),
    )
    assert directory.services == []


# --- schema rules: keys, types, allowed values ---------------------------------------------------------------------


def test_misspelt_key_is_unknown_with_a_suggestion(tmp_path: Path) -> None:
    text = SERVICE + "categorie: [psychiatrie]\n"
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR001", SERVICE_PATH, line_of(text, "categorie:")))
    assert diagnostics[0].message == "unknown key `categorie` (did you mean `categories`?)"
    assert diagnostics[0].col == 1


def test_every_unknown_key_of_a_record_is_reported(tmp_path: Path) -> None:
    text = edited(SERVICE, "method: call}", "methode: call}") + "adresse: {fr: inconnue}\ntelephone: '0522'\n"
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(
        diagnostics,
        ("DIR001", SERVICE_PATH, line_of(text, "methode")),
        ("DIR002", SERVICE_PATH, line_of(text, "methode")),  # `method` is then missing in `verified`
        ("DIR001", SERVICE_PATH, line_of(text, "adresse")),
        ("DIR001", SERVICE_PATH, line_of(text, "telephone")),
    )
    assert {d.message for d in diagnostics if d.rule == "DIR001"} == {
        "unknown key `methode` (did you mean `method`?)",
        "unknown key `adresse`",  # `address` belongs under `location`, not at the top
        "unknown key `telephone` (did you mean `phones`?)",
    }


def test_missing_required_key_points_at_the_record(tmp_path: Path) -> None:
    text = edited(SERVICE, "status: active\n", "")
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR002", SERVICE_PATH, 1))
    assert diagnostics[0].message == "`status` is required here"


def test_missing_key_in_a_phone_points_at_the_phone(tmp_path: Path) -> None:
    text = SERVICE + 'phones:\n  - number: "+212 5 22 99 99 02"\n'
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR002", SERVICE_PATH, line_of(text, "+212")))


def test_text_where_a_list_is_expected_is_a_wrong_type(tmp_path: Path) -> None:
    text = edited(SERVICE, "categories: [soutien-psychosocial-individuel]", "categories: psychiatrie")
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR003", SERVICE_PATH, line_of(text, "categories:")))
    assert (
        diagnostics[0].message == "`categories` must be a list (lines starting with `- `), found the text `psychiatrie`"
    )


def test_value_outside_the_allowed_list_names_the_allowed_values(tmp_path: Path) -> None:
    text = edited(SERVICE, "status: active", "status: actif")
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR004", SERVICE_PATH, line_of(text, "actif")))
    assert "active, inactive, defunct, temporarily closed" in diagnostics[0].message


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("categories: [soutien-psychosocial-individuel]", "categories: []", "must not be empty"),
        ("populations: [migrants]", "populations: [migrants, migrants]", "lists the same value twice"),
        ('name: {fr: "Service fictif TEST"}', 'name: {fr: ""}', "must not be empty"),
        ('date: "2026-10-01", by', 'date: "1/10/2026", by', "does not have the expected form"),
    ],
)
def test_value_breaking_a_format_rule_is_invalid(tmp_path: Path, old: str, new: str, problem: str) -> None:
    text = edited(SERVICE, old, new)
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR005", SERVICE_PATH, line_of(text, new)))
    assert problem in diagnostics[0].message


# --- identity, places and references ---------------------------------------------------------------------------------


def test_id_must_be_the_file_name(tmp_path: Path) -> None:
    files = {"services/MA/casablanca/test-autre-nom.yml": SERVICE}
    diagnostics = check(tmp_path, files)
    assert_found(diagnostics, ("DIR006", "directory/services/MA/casablanca/test-autre-nom.yml", 1))
    assert diagnostics[0].hint == "Rename the file to `test-fictif.yml` or set `id: test-autre-nom`."


def test_two_services_with_one_id_are_duplicates(tmp_path: Path) -> None:
    in_rabat = edited(SERVICE, "city: casablanca", "city: rabat")
    diagnostics = check(tmp_path, {SERVICE_FILE: SERVICE, "services/MA/rabat/test-fictif.yml": in_rabat})
    assert_found(diagnostics, ("DIR007", "directory/services/MA/rabat/test-fictif.yml", 1))
    assert diagnostics[0].message == f"id `test-fictif` is already used by service {SERVICE_PATH}"


def test_two_organizations_with_one_id_are_duplicates(tmp_path: Path) -> None:
    copy = "# Copie fictive\n" + ORGANIZATION
    diagnostics = check(tmp_path, {"organizations/copie-association-fictive.yml": copy})
    path = "directory/organizations/copie-association-fictive.yml"
    assert_found(diagnostics, ("DIR006", path, 2), ("DIR007", path, 2))


def test_country_must_be_listed_in_places(tmp_path: Path) -> None:
    text = edited(SERVICE, "country: MA", "country: FR")
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR008", SERVICE_PATH, line_of(text, "FR")))


def test_city_must_be_listed_in_places_with_a_suggestion(tmp_path: Path) -> None:
    text = edited(SERVICE, "city: casablanca", "city: casablanka")
    diagnostics = check(tmp_path, {"services/MA/casablanka/test-fictif.yml": text})
    assert_found(diagnostics, ("DIR009", "directory/services/MA/casablanka/test-fictif.yml", line_of(text, "city:")))
    assert diagnostics[0].message.endswith("(did you mean `casablanca`?)")


def test_mobile_team_cities_must_be_listed_in_places(tmp_path: Path) -> None:
    text = (
        edited(edited(SERVICE, "country: MA", "country: ML"), "city: casablanca", "city: kita")
        + "mobile:\n"
        + '  area: {fr: "Cercle fictif"}\n'
        + "  cities: [kayes, kaye]\n"
    )
    path = "directory/services/ML/kita/test-fictif.yml"
    diagnostics = check(tmp_path, {"services/ML/kita/test-fictif.yml": text})
    assert_found(diagnostics, ("DIR009", path, line_of(text, "kaye]")))
    assert "`kaye`" in diagnostics[0].message


def test_service_filed_under_another_city_is_in_the_wrong_folder(tmp_path: Path) -> None:
    diagnostics = check(tmp_path, {"services/MA/rabat/test-fictif.yml": SERVICE})
    assert_found(diagnostics, ("DIR010", "directory/services/MA/rabat/test-fictif.yml", 1))
    assert diagnostics[0].hint == "Move the file to directory/services/MA/casablanca/."


@pytest.mark.parametrize(
    ("rule_id", "old", "new", "suggestion"),
    [
        ("DIR011", "[soutien-psychosocial-individuel]", "[soutien-psychosocial-individuel, psychiatre]", "psychiatrie"),
        ("DIR012", "[migrants]", "[migrant]", "migrants"),
        ("DIR013", "organization: association-fictive", "organization: association-fictif", "association-fictive"),
    ],
)
def test_unknown_reference_is_reported_with_a_suggestion(
    tmp_path: Path, rule_id: str, old: str, new: str, suggestion: str
) -> None:
    text = edited(SERVICE, old, new)
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, (rule_id, SERVICE_PATH, line_of(text, new)))
    assert diagnostics[0].message.endswith(f"(did you mean `{suggestion}`?)")


def test_invalid_language_tags_are_reported_one_by_one(tmp_path: Path) -> None:
    text = SERVICE + "languages:\n  - fr\n  - fr_FR\n  - arabic\n  - xx\n  - ary\n  - fr-FR\n"
    assert_found(
        check(tmp_path, {SERVICE_FILE: text}),
        ("DIR014", SERVICE_PATH, line_of(text, "fr_FR")),
        ("DIR014", SERVICE_PATH, line_of(text, "arabic")),
        ("DIR014", SERVICE_PATH, line_of(text, "xx")),
    )


# --- phones ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("0800-HELP", "contains letters"),
        ("+212 5 22 99 99 02 ext. 12", "contains an extension or text; keep only the number"),
        ("+212 5 22 99 99 02 poste 12", "contains an extension or text; keep only the number"),
        ("٠٥٢٢٩٩٩٩٠٢", "contains characters other than digits"),  # Arabic-Indic digits
        ("05 22 99", "is not a valid number for MA"),
        ("+223 12 34", "is not a valid number for MA"),
        ("15", "is not a valid number for MA"),  # a short code typed as voice
    ],
)
def test_phone_that_does_not_convert_to_e164_is_invalid(tmp_path: Path, number: str, problem: str) -> None:
    text = (
        SERVICE
        + f'phones:\n  - number: "+212 5 22 99 99 01"\n    type: voice\n  - number: "{number}"\n    type: voice\n'
    )
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR015", SERVICE_PATH, line_of(text, f'"{number}"')))
    assert problem in diagnostics[0].message


def test_phone_with_a_zero_width_space_is_invalid_and_invisible(tmp_path: Path) -> None:
    text = SERVICE + 'phones:\n  - {number: "+212 5 22\u200b99 99 02", type: voice}\n'
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    line = line_of(text, "\u200b")
    assert_found(diagnostics, ("DIR015", SERVICE_PATH, line), ("DIR023", SERVICE_PATH, line))
    assert "invisible character" in next(d.message for d in diagnostics if d.rule == "DIR015")


def test_front_door_phones_are_checked_too(tmp_path: Path) -> None:
    text = edited(CONFIDENTIAL, '"+212 5 22 99 99 04"', '"0800-AIDE"')
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR015", SERVICE_PATH, line_of(text, "0800-AIDE")))


def test_organization_phone_is_checked(tmp_path: Path) -> None:
    text = ORGANIZATION + 'phones: [{number: "0522 99 99 01", type: voice}]\n'
    # Without a country, a national number cannot be read: organisations must write the country code.
    assert_found(check(tmp_path, {ORGANIZATION_FILE: text}), ("DIR015", f"directory/{ORGANIZATION_FILE}", 4))


def test_short_code_of_another_country_is_invalid(tmp_path: Path) -> None:
    text = edited(edited(SERVICE, "country: MA", "country: ML"), "city: casablanca", "city: bamako")
    text += 'phones:\n  - {number: "15", type: short-code}\n  - {number: "177", type: short-code}\n'
    diagnostics = check(tmp_path, {"services/ML/bamako/test-fictif.yml": text})
    # 15 (SAMU) exists in Mali; 177 (the Moroccan gendarmerie) does not.
    assert_found(diagnostics, ("DIR016", "directory/services/ML/bamako/test-fictif.yml", line_of(text, '"177"')))
    assert diagnostics[0].message == "short number `177` is not a valid short code in ML"


def test_short_code_written_with_a_country_code_is_invalid(tmp_path: Path) -> None:
    text = SERVICE + 'phones:\n  - {number: "+212 15", type: short-code}\n'
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR016", SERVICE_PATH, line_of(text, "+212 15")))


# --- hours, dates, verification -------------------------------------------------------------------------------------


def test_opening_hours_must_use_the_openstreetmap_syntax(tmp_path: Path) -> None:
    text = SERVICE + 'hours: "9h-17h"\n'
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR017", SERVICE_PATH, line_of(text, "9h-17h")))


def test_impossible_verification_date_is_reported(tmp_path: Path) -> None:
    text = edited(SERVICE, 'date: "2026-10-01", by', 'date: "2023-02-30", by')
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR018", SERVICE_PATH, line_of(text, "2023-02-30")))
    assert diagnostics[0].message == "`verified.date` is not a real date: `2023-02-30`"


def test_impossible_source_date_is_reported(tmp_path: Path) -> None:
    text = edited(SERVICE, 'date: "2026-10-01"}]', 'date: "2026-13-01"}]')
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR018", SERVICE_PATH, line_of(text, "2026-13-01")))


def test_verification_after_the_build_date_is_refused(tmp_path: Path) -> None:
    text = edited(SERVICE, 'date: "2026-10-01", by', 'date: "2027-01-01", by')
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR019", SERVICE_PATH, line_of(text, "2027-01-01")))
    assert diagnostics[0].message == "verification date 2027-01-01 is after the build date 2026-12-31"


def test_verification_older_than_a_year_is_a_stale_warning(tmp_path: Path) -> None:
    text = edited(SERVICE, 'date: "2026-10-01", by', 'date: "2025-11-22", by')
    directory, diagnostics = load_and_check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR026", SERVICE_PATH, line_of(text, "2025-11-22")))
    assert not diagnostics[0].is_error
    assert directory.services[0].stale is True


def test_verification_of_exactly_a_year_ago_is_not_stale(tmp_path: Path) -> None:
    text = edited(SERVICE, 'date: "2026-10-01", by', 'date: "2025-12-31", by')
    directory, diagnostics = load_and_check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics)
    assert directory.services[0].stale is False


def test_service_without_verification_is_refused(tmp_path: Path) -> None:
    text = edited(SERVICE, 'verified: {date: "2026-10-01", by: "référent orientation", method: call}\n', "")
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR027", SERVICE_PATH, 1))


# --- contacts and coordinates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "www.example.org/sans-protocole",
        "ftp://example.org/fictif",
    ],
)
def test_website_must_be_an_http_address(tmp_path: Path, website: str) -> None:
    text = SERVICE + f'website: "{website}"\n'
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR020", SERVICE_PATH, line_of(text, "website:")))


def test_organization_website_is_checked_too(tmp_path: Path) -> None:
    text = ORGANIZATION + 'website: "javascript:alert(1)"\n'
    assert_found(check(tmp_path, {ORGANIZATION_FILE: text}), ("DIR020", f"directory/{ORGANIZATION_FILE}", 4))


@pytest.mark.parametrize(
    "email", ["contact(at)example.org", "contact@example.org, autre@example.org", "contact@example"]
)
def test_email_must_be_one_plain_address(tmp_path: Path, email: str) -> None:
    text = SERVICE + f'email: "{email}"\n'
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR021", SERVICE_PATH, line_of(text, "email:")))


def test_front_door_email_is_checked_too(tmp_path: Path) -> None:
    text = edited(CONFIDENTIAL, "type: hotline}]\n", 'type: hotline}]\n  email: "orientation at example.org"\n')
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR021", SERVICE_PATH, line_of(text, "orientation at")))


def test_latitude_out_of_range_is_reported(tmp_path: Path) -> None:
    text = SERVICE + "location:\n  latitude: 123\n  longitude: -7.6\n"
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR022", SERVICE_PATH, line_of(text, "123")))
    assert diagnostics[0].message == "`location.latitude` = 123 is outside -90..90"


# --- text safety --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("character", "code"), [("\u202e", "U+202E"), ("\u200b", "U+200B"), ("\x07", "U+0007")])
def test_invisible_or_control_character_in_text_is_refused(tmp_path: Path, character: str, code: str) -> None:
    escaped = {"\x07": "\\a"}.get(character, character)  # YAML refuses a raw BEL; its escape gives the same text
    text = edited(SERVICE, '"Service fictif TEST"', f'"Service {escaped}fictif TEST"')
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR023", SERVICE_PATH, line_of(text, "name:")))
    assert diagnostics[0].message == f"`name.fr` contains an invisible or control character ({code})"


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[cliquer](jav&#x09;ascript:alert(1))",
        "[cliquer](java&#10;script:alert(1))",
        "[cliquer](JavaScript:alert(1))",
        "voir data:text/html;base64,PHNjcmlwdD4=",
    ],
)
def test_markup_that_could_run_code_is_refused_in_text(tmp_path: Path, markup: str) -> None:
    text = edited(SERVICE, '"Service fictif des tests."', json.dumps(f"Service fictif {markup}"))
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR033", SERVICE_PATH, line_of(text, "description:")))
    assert diagnostics[0].message.startswith("`description.fr` contains markup that could run code")


@pytest.mark.parametrize(
    "prose",
    [
        "Accueil des familles & enfants : on peut = venir sans rendez-vous.",
        "Groupes de 5 à 8 personnes, âge > 15 ans.",
        "Écoute, orientation & soutien (R&D : non).",
    ],
)
def test_ordinary_prose_is_not_taken_for_markup(tmp_path: Path, prose: str) -> None:
    text = edited(SERVICE, '"Service fictif des tests."', json.dumps(prose, ensure_ascii=False))
    assert_found(check(tmp_path, {SERVICE_FILE: text}))


def test_language_map_without_french_is_refused(tmp_path: Path) -> None:
    text = edited(SERVICE, 'name: {fr: "Service fictif TEST"}', 'name:\n  en: "TEST fictitious service"')
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR032", SERVICE_PATH, line_of(text, "en:")))
    assert diagnostics[0].message == "`name` has no French text (`fr`)"


def test_language_map_with_an_unknown_language_is_refused(tmp_path: Path) -> None:
    text = edited(SERVICE, 'name: {fr: "Service fictif TEST"}', 'name: {fr: "Service fictif TEST", es: "Servicio"}')
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR001", SERVICE_PATH, line_of(text, 'es: "Servicio"')))


# --- confidential services ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    [
        'address: {fr: "12 rue Imaginaire (fictive)"}',
        "latitude: 33.5",
        "longitude: -7.6",
        'directions: {fr: "Derrière la gare fictive"}',
    ],
)
def test_confidential_service_leaks_no_location(tmp_path: Path, location: str) -> None:
    text = CONFIDENTIAL + f"location:\n  {location}\n"
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR024", SERVICE_PATH, line_of(text, location)))
    assert diagnostics[0].message.endswith(f"`location.{location.split(':')[0]}`")


def test_confidential_service_without_front_door_is_refused(tmp_path: Path) -> None:
    text = edited(SERVICE, "visibility: public", "visibility: confidential")
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR025", SERVICE_PATH, line_of(text, "visibility:")))


def test_confidential_front_door_without_phone_or_email_is_refused(tmp_path: Path) -> None:
    text = edited(CONFIDENTIAL, '  phones: [{number: "+212 5 22 99 99 04", type: hotline}]\n', "")
    assert_found(check(tmp_path, {SERVICE_FILE: text}), ("DIR025", SERVICE_PATH, line_of(text, "front_door:")))


@pytest.mark.parametrize(
    ("description", "what"),
    [
        ("Hébergement situé rue des Fictifs.", "a street, road or neighbourhood"),
        ("Dans le quartier fictif de la gare.", "a street, road or neighbourhood"),
        ("Fictitious shelter on Nowhere Road.", "a street, road or neighbourhood"),
        ("في شارع وهمي", "a street, road or neighbourhood"),
        ("Boîte aux lettres fictive, 20999 Casablanca.", "a postcode or post-office box"),
        ("Fictitious P.O. Box 12", "a postcode or post-office box"),
        ("Point fictif 33.59912, -7.61234", "GPS coordinates"),
        ("إحداثيات وهمية للاختبار", "GPS coordinates"),
        ("Voir https://www.openstreetmap.org/#map=18/0/0", "a map link or a geographic code"),
        ("See https://maps.app.goo.gl/fictif", "a map link or a geographic code"),
        ("Au deuxième étage d'un immeuble fictif.", "a building, floor or landmark"),
        ("Fictitious house opposite the test market.", "a building, floor or landmark"),
        ("خلف المسجد الوهمي", "a building, floor or landmark"),
    ],
)
def test_a_location_in_a_confidential_description_is_an_error(tmp_path: Path, description: str, what: str) -> None:
    text = edited(CONFIDENTIAL, '"Service fictif des tests."', json.dumps(description, ensure_ascii=False))
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR028", SERVICE_PATH, line_of(text, description)))
    assert diagnostics[0].is_error
    assert f"contains {what}" in diagnostics[0].message
    assert description not in diagnostics[0].as_text()  # logs are public: the text is never repeated


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status_note", '{fr: "Ouvert", ar: "في الطابق الثاني"}'),
        ("hours_note", '{fr: "Entrée derrière la boulangerie fictive"}'),
        (
            "referral",
            '{cost: free, documents: {fr: "Aucun"}, cost_note: {fr: "Sur place", en: "Pay at 12 Test Street"}}',
        ),
        ("mobile", '{area: {fr: "Douar fictif"}}'),
    ],
)
def test_every_free_text_of_a_confidential_entry_is_scanned(tmp_path: Path, field: str, value: str) -> None:
    text = CONFIDENTIAL + f"{field}: {value}\n"
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert [(d.rule, d.line) for d in diagnostics] == [("DIR028", line_of(text, f"{field}:"))], [
        d.as_text() for d in diagnostics
    ]


def test_verified_by_and_source_titles_of_a_confidential_entry_are_scanned(tmp_path: Path) -> None:
    text = edited(CONFIDENTIAL, '"référent orientation"', '"gardien de l\'immeuble fictif"')
    text = edited(text, '"Jeu fictif des tests"', '"Visite au 4 rue Fictive"')
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(
        diagnostics,
        ("DIR028", SERVICE_PATH, line_of(text, "gardien")),
        ("DIR028", SERVICE_PATH, line_of(text, "Visite au")),
    )


def test_a_location_in_a_comment_of_a_confidential_entry_is_an_error(tmp_path: Path) -> None:
    text = CONFIDENTIAL.replace("country: MA\n", "country: MA  # le foyer est au 3 rue Fictive\n")
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR028", SERVICE_PATH, line_of(text, "# le foyer")))
    assert diagnostics[0].col == text.splitlines()[line_of(text, "# le foyer") - 1].index("#") + 1
    assert "a comment" in diagnostics[0].message


def test_the_same_words_in_a_public_entry_are_fine(tmp_path: Path) -> None:
    text = edited(SERVICE, '"Service fictif des tests."', '"Centre fictif au 3 rue Fictive, 2e étage."')
    assert check(tmp_path, {SERVICE_FILE: text}) == []


def test_messages_about_a_confidential_entry_never_repeat_its_text(tmp_path: Path) -> None:
    """An invalid hours string is printed back for a public entry, masked for a confidential one."""
    hours = "Fictif derrière la gare 9h-17h"
    text = CONFIDENTIAL + f'hours: "{hours}"\n'
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert {d.rule for d in diagnostics} == {"DIR017", "DIR028"}
    assert all(hours not in d.as_text() for d in diagnostics), [d.as_text() for d in diagnostics]
    public = check(tmp_path / "public", {SERVICE_FILE: SERVICE + f'hours: "{hours}"\n'})
    assert any(hours in d.as_text() for d in public)


def test_street_words_in_a_public_description_are_fine(tmp_path: Path) -> None:
    text = edited(SERVICE, '"Service fictif des tests."', '"Centre fictif, 12 rue Imaginaire."')
    assert_found(check(tmp_path, {SERVICE_FILE: text}))


# --- places and taxonomy ----------------------------------------------------------------------------------------------


def test_time_zone_must_be_an_iana_name(tmp_path: Path) -> None:
    places = edited(PLACES, "timezone: Africa/Casablanca", "timezone: UTC+1")
    diagnostics = check(tmp_path, {"places.yml": places})
    assert_found(diagnostics, ("DIR029", "directory/places.yml", line_of(places, "UTC+1")))


def test_duplicate_city_slug_is_refused(tmp_path: Path) -> None:
    places = PLACES + (
        "      - slug: casablanca\n"
        '        name: {fr: "Casablanca bis", en: "Casablanca bis", ar: "الدار البيضاء"}\n'
        "        timezone: Africa/Casablanca\n"
    )
    diagnostics = check(tmp_path, {"places.yml": places})
    second = len(PLACES.splitlines()) + 1
    assert_found(diagnostics, ("DIR030", "directory/places.yml", second))
    assert diagnostics[0].message == "`casablanca` is declared twice"


def test_duplicate_country_is_refused(tmp_path: Path) -> None:
    places = PLACES + PLACES.removeprefix("countries:\n")
    second = len(PLACES.splitlines()) + 1
    assert_found(check(tmp_path, {"places.yml": places}), ("DIR030", "directory/places.yml", second))


def test_duplicate_taxonomy_term_is_refused(tmp_path: Path) -> None:
    taxonomy = (REPO / "directory" / "taxonomy.yml").read_text(encoding="utf-8")
    repeated = (
        '  - id: psychiatrie\n    layer: 4\n    label: {fr: "Psychiatrie", en: "Psychiatry", ar: "الطب النفسي"}\n'
    )
    taxonomy = edited(taxonomy, "\npopulations:\n", repeated + "\npopulations:\n")
    diagnostics = check(tmp_path, {"taxonomy.yml": taxonomy})
    second = taxonomy[: taxonomy.index(repeated)].count("\n") + 1
    assert_found(diagnostics, ("DIR030", "directory/taxonomy.yml", second))


@pytest.mark.parametrize("code", ["XX", "ZZ", "EU", "UN"])
def test_country_code_must_be_iso_3166(tmp_path: Path, code: str) -> None:
    places = edited(PLACES, "code: MA", f"code: {code}")
    diagnostics = check(tmp_path, {"places.yml": places})
    assert_found(diagnostics, ("DIR031", "directory/places.yml", 2))
    assert diagnostics[0].message == f"`{code}` is not an ISO 3166-1 alpha-2 country code"


def test_place_name_without_french_is_refused(tmp_path: Path) -> None:
    places = edited(PLACES, '{fr: "Maroc", en: "Morocco", ar: "المغرب"}', '{en: "Morocco", ar: "المغرب"}')
    assert_found(check(tmp_path, {"places.yml": places}), ("DIR032", "directory/places.yml", 3))


def test_an_old_card_is_a_warning(tmp_path: Path) -> None:
    places = PLACES + CARD.replace('checked: "2026-11-01"', 'checked: "2024-11-01"')
    diagnostics = check(tmp_path, {"places.yml": places})
    assert_found(diagnostics, ("DIR035", "directory/places.yml", line_of(places, "checked:")))
    assert not diagnostics[0].is_error


# --- the catalogue and the tests agree -------------------------------------------------------------------------------


def test_every_directory_rule_has_a_test_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [r.id for r in directory_rules.RULES if f'"{r.id}"' not in source]
    assert untested == []


# --- never a traceback ------------------------------------------------------------------------------------------------

HOSTILE_SERVICES: dict[str, str | bytes] = {
    "random-bytes": random.Random(20261123).randbytes(4096),
    "nested-list": "id: test-imbrique\nname: " + "[" * 50 + "]" * 50 + "\n",
    "nested-mapping": "id: test-imbrique\n" + "".join("  " * depth + f"k{depth}:\n" for depth in range(50)),
    "huge-string": edited(SERVICE, '"Service fictif des tests."', '"' + "fictif " * 150_000 + '"'),
    "huge-key": SERVICE + "x" * 1_000_000 + ": 1\n",
    "list-as-key": SERVICE + "[a, b]: fictif\n",
    "mapping-as-key": SERVICE + "{a: b}: fictif\n",
    "number-as-key": SERVICE + "12: fictif\n",
    "id-list": edited(SERVICE, "id: test-fictif", "id: [1, 2]"),
    "phones-text": SERVICE + 'phones: "not a list"\n',
    "phones-of-numbers": SERVICE + "phones: [1, 2, {number: 3, type: 4}]\n",
    "verified-number": edited(
        SERVICE, 'verified: {date: "2026-10-01", by: "référent orientation", method: call}', "verified: 5"
    ),
    "verified-date-number": edited(SERVICE, 'date: "2026-10-01", by', "date: 20261001, by"),
    "location-list": SERVICE + "location: []\n",
    "location-text": edited(SERVICE, "visibility: public", "visibility: confidential") + "location: secret\n",
    "front-door-list": edited(SERVICE, "visibility: public", "visibility: confidential") + "front_door: [a]\n",
    "categories-number": edited(SERVICE, "categories: [soutien-psychosocial-individuel]", "categories: 5"),
    "populations-mapping": edited(SERVICE, "populations: [migrants]", "populations: {migrants: oui}"),
    "languages-number": SERVICE + "languages: 12\n",
    "sources-number": edited(
        SERVICE,
        'sources: [{title: "Jeu fictif des tests", organization: "Relais (tests)", date: "2026-10-01"}]',
        "sources: 5",
    ),
    "mobile-cities-number": SERVICE + 'mobile: {area: {fr: "Zone fictive"}, cities: 5}\n',
    "mobile-list": SERVICE + "mobile: [a]\n",
    "country-list": edited(SERVICE, "country: MA", "country: [MA]"),
    "hours-list": SERVICE + "hours: [Mo-Fr 08:00-12:00]\n",
    "email-mapping": SERVICE + "email: {fr: contact@example.org}\n",
    "nulls": "id:\nname:\ndescription:\nverified:\nsources:\ncategories:\nlocation:\n",
    "only-null-value": "id: ~\n",
}

HOSTILE_PLACES = """\
countries:
  - code: [MA]
    cities: [casablanca, {slug: [x]}, {slug: {a: b}, timezone: [UTC]}, {slug: rabat, timezone: 5}]
  - code: ML
    cities: oui
  - 7
  - {code: ZZ, cities: {slug: x}}
"""

HOSTILE_TAXONOMY = """\
layers: oui
categories: [psychiatrie, {id: [a]}, {id: {a: b}}, {id: x, layer: [1]}]
populations: {migrants: oui}
topics: oui
audiences: [[], [[]]]
"""


def test_hostile_service_files_give_diagnostics_never_a_traceback(tmp_path: Path) -> None:
    files = {f"services/MA/casablanca/{name}.yml": content for name, content in HOSTILE_SERVICES.items()}
    diagnostics = check(tmp_path, files)
    reported = {d.path for d in diagnostics}
    assert {f"directory/{file}" for file in files} <= reported
    assert all(d.line >= 1 and d.col >= 1 for d in diagnostics)
    assert all(d.hint for d in diagnostics)


def test_hostile_places_and_taxonomy_give_diagnostics_never_a_traceback(tmp_path: Path) -> None:
    files = {"places.yml": HOSTILE_PLACES, "taxonomy.yml": HOSTILE_TAXONOMY, SERVICE_FILE: SERVICE}
    diagnostics = check(tmp_path, files)
    assert {"directory/places.yml", "directory/taxonomy.yml", SERVICE_PATH} <= {d.path for d in diagnostics}


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("taxonomy.yml", "layers: 5\ncategories: []\npopulations: []\ntopics: []\naudiences: []\n"),
        ("places.yml", "countries: 5\n"),
        ("places.yml", "countries:\n  - {code: MA, cities: 5}\n"),
    ],
)
def test_a_number_where_places_or_taxonomy_expect_a_list_is_a_diagnostic(tmp_path: Path, file: str, text: str) -> None:
    diagnostics = check(tmp_path, {file: text})
    assert ("DIR003", f"directory/{file}") in {(d.rule, d.path) for d in diagnostics}


_SERVICE_KEYS = sorted(json.loads((REPO / "directory" / "schema" / "service.schema.json").read_text())["properties"])
_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
_VALUES = _SCALARS | st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["fr", "number", "date", "x"]), inner),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def real_places_and_taxonomy(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    root = tmp_path_factory.mktemp("vocabulary")
    write_directory(root, {ORGANIZATION_FILE: None})
    return load_directory(Project.at(root))[0]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=st.dictionaries(st.sampled_from(_SERVICE_KEYS), _VALUES, max_size=4))
def test_any_value_in_any_field_gives_diagnostics_never_a_traceback(
    real_places_and_taxonomy: Directory, overrides: dict[str, object]
) -> None:
    doc, problems = parse_yaml(SERVICE, SERVICE_PATH)
    assert doc is not None and not problems
    doc.value.update(overrides)
    service = Service(REPO / "directory" / SERVICE_FILE, SERVICE_PATH, doc)
    directory = Directory(
        vocabulary=real_places_and_taxonomy.vocabulary,
        countries=real_places_and_taxonomy.countries,
        services=[service],
    )
    diagnostics = check_directory(directory, as_of=date(2026, 11, 23))
    assert all(d.path == SERVICE_PATH and d.line >= 1 for d in diagnostics)


# --- through the command line ----------------------------------------------------------------------------------------

DIAGNOSTIC_LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>[A-Z]{3}\d{3}) (?P<message>.+)$")


def run_validate(root: Path, files: Mapping[str, str | bytes | None], *options: str) -> int:
    """`relais --project root validate`, on a project whose docs/ is empty so only the directory speaks."""
    write_directory(root, files)
    (root / "docs").mkdir(exist_ok=True)
    return main(["--project", str(root), "validate", "--as-of", AS_OF.isoformat(), *options])


def test_command_prints_located_errors_with_hints_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edited(SERVICE, "status: active", "status: actif") + 'phones: [{number: "0800-HELP", type: voice}]\n'
    text = edited(text, 'date: "2026-10-01", by', 'date: "2025-01-10", by')
    exit_code = run_validate(tmp_path, {SERVICE_FILE: text})
    lines = capsys.readouterr().out.splitlines()
    assert exit_code == 1
    assert lines[-1] == "2 errors, 1 warning"
    located = [DIAGNOSTIC_LINE.match(line) for line in lines[:-1:2]]
    assert [(m["path"], int(m["line"]), m["rule"]) for m in located if m] == [
        (SERVICE_PATH, line_of(text, "actif"), "DIR004"),
        (SERVICE_PATH, line_of(text, "2025-01-10"), "DIR026"),
        (SERVICE_PATH, line_of(text, "0800-HELP"), "DIR015"),
    ]
    assert located[1] and located[1]["message"].startswith("[warning] ")
    assert all(line.startswith("    hint: ") for line in lines[1:-1:2])


def test_command_succeeds_with_only_warnings_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = edited(SERVICE, 'date: "2026-10-01", by', 'date: "2025-01-10", by')
    assert run_validate(tmp_path, {SERVICE_FILE: stale}) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 errors, 1 warning"
    assert run_validate(tmp_path, {SERVICE_FILE: stale}, "--strict") == 1


def test_command_succeeds_on_a_clean_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate(tmp_path, {SERVICE_FILE: SERVICE}) == 0
    assert capsys.readouterr().out == "0 errors, 0 warnings\n"


def test_command_gives_a_json_list_for_machines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SERVICE + 'hours: "9h-17h"\n'
    assert run_validate(tmp_path, {SERVICE_FILE: text}, "--format", "json") == 1
    assert json.loads(capsys.readouterr().out) == [
        {
            "path": SERVICE_PATH,
            "line": line_of(text, "9h-17h"),
            "col": 8,
            "rule": "DIR017",
            "severity": "error",
            "message": "`hours` is not valid OpenStreetMap opening_hours: `9h-17h`",
            "hint": 'Write hours like "Mo-Fr 08:30-16:30; Sa 09:00-12:00" (days Mo Tu We Th Fr Sa Su, 24-hour times).',
        }
    ]


def test_command_reads_another_directory_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_directory(tmp_path / "copie", {SERVICE_FILE: SERVICE + "website: javascript:alert(1)\n"})
    (tmp_path / "docs").mkdir()
    options = ["--directory", str(tmp_path / "copie" / "directory"), "--as-of", AS_OF.isoformat()]
    assert main(["--project", str(tmp_path), "validate", *options]) == 1
    first = DIAGNOSTIC_LINE.match(capsys.readouterr().out.splitlines()[0])
    assert first and (first["path"], int(first["line"]), first["rule"]) == (
        f"copie/directory/{SERVICE_FILE}",
        13,
        "DIR020",
    )


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ('document: "seeds/002_f0c658f85343f7b7.txt"', "document"),
        ('document: "compte-rendu.pdf"', "document"),
        ('url: "docs/guides/index.md"', "url"),
        ('url: "file:///etc/passwd"', "url"),
    ],
)
def test_a_source_must_cite_the_public_document_not_a_file(tmp_path: Path, source: str, field: str) -> None:
    text = SERVICE.replace(
        'sources: [{title: "Jeu fictif des tests", organization: "Relais (tests)", date: "2026-10-01"}]',
        f'sources:\n  - title: "Jeu fictif des tests"\n    organization: "Relais (tests)"\n    date: "2026-10-01"\n'
        f"    {source}",
    )
    diagnostics = check(tmp_path, {SERVICE_FILE: text})
    assert_found(diagnostics, ("DIR034", SERVICE_PATH, line_of(text, source)))
    assert f"`sources.0.{field}` points at a file" in diagnostics[0].message


def test_a_source_with_a_web_address_and_a_page_is_fine(tmp_path: Path) -> None:
    text = SERVICE.replace(
        'date: "2026-10-01"}]', 'date: "2026-10-01", url: "https://example.org/rapport", document: "page 3"}]'
    )
    assert check(tmp_path, {SERVICE_FILE: text}) == []


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("website", '"https://\u200fexemple.org/"', "U+200F"),
        ("email", '"contact\u061c@exemple.org"', "U+061C"),
        ("description.fr", '{fr: "Service \u200efictif."}', "U+200E"),
        ("description.ar", '{fr: "Service fictif.", ar: "\u202eخدمة وهمية"}', "U+202E"),
    ],
)
def test_arabic_marks_are_refused_outside_arabic_prose_and_overrides_everywhere(
    tmp_path: Path, field: str, value: str, code: str
) -> None:
    key = field.split(".")[0]
    text = edited(SERVICE, 'description: {fr: "Service fictif des tests."}\n', f"{key}: {value}\n")
    if key != "description":
        text += 'description: {fr: "Service fictif des tests."}\n'
    found = [d for d in check(tmp_path, {SERVICE_FILE: text}) if d.rule == "DIR023"]
    assert [d.message for d in found] == [f"`{field}` contains an invisible or control character ({code})"]
    assert found[0].line == line_of(text, f"{key}:")


@pytest.mark.hostile
def test_a_right_to_left_mark_is_allowed_in_arabic_prose(tmp_path: Path) -> None:
    arabic = 'description: {fr: "Service fictif des tests.", ar: "خدمة \u200fوهمية (تجريبية)"}\n'
    text = edited(SERVICE, 'description: {fr: "Service fictif des tests."}\n', arabic)
    assert not [d for d in check(tmp_path, {SERVICE_FILE: text}) if d.rule == "DIR023"]
