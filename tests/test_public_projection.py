"""The one public projection: renderers and exporters see a confidential service through an allow-list only.

Each test reads like the guarantee it proves: what the projection keeps, that a field the schema gains is not
published, that no output module can reach a record, and that a whole build runs with every record sealed.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from directory_fixture import load_fixture_directory, service_by_id
from relais.check.project import check_project
from relais.model import public
from relais.model.public import PublicService, public_directory
from relais.pipeline import build
from relais.pipeline.build import BuildReport, publish
from support import AS_OF, FIXTURES, REPO, copy_project
from test_confidentiality import CANARY_LOCATION, traces_in

CONFIDENTIAL = "test-refuge-confidentiel"
# What a confidential service may show, and nothing else (issue 17's allow-list, plus the codes pages need).
ALLOWED_FOR_CONFIDENTIAL = {
    "id",
    "name",
    "organization",
    "status",
    "country",
    "city",
    "categories",
    "populations",
    "languages",
    "referral",
    "verification",
    "confidential",
    "stale",
    "front_door",
    "mobile",
    "mobile_cities",
}
EVERYTHING = {
    "description": {"fr": "Description CANARI-MARQUEUR-QZX7"},
    "status_note": {"fr": "Note CANARI-MARQUEUR-QZX7"},
    "phones": [{"number": "+212 5 22 00 93 01", "type": "voice"}],
    "email": "canari-marqueur-qzx7@example.org",
    "website": "https://example.org/canari-marqueur-qzx7",
    "hours": "Mo-Fr 09:00-17:00",
    "hours_note": {"fr": "Horaires CANARI-MARQUEUR-QZX7"},
    "mobile": {"area": {"fr": "Zone CANARI-MARQUEUR-QZX7"}, "cities": ["rabat"]},
    "location": CANARY_LOCATION,
    "referral": {
        "method": {"fr": "Méthode CANARI-MARQUEUR-QZX7"},
        "documents": {"fr": "Documents CANARI-MARQUEUR-QZX7"},
        "cost": "free",
        "cost_note": {"fr": "Coût CANARI-MARQUEUR-QZX7"},
        "accepts_undocumented": True,
    },
    "sources": [{"title": "Source CANARI-MARQUEUR-QZX7", "organization": "Relais (tests)", "date": "2026-09-15"}],
}


def non_empty_fields(service: PublicService) -> set[str]:
    return {f.name for f in dataclasses.fields(service) if getattr(service, f.name) not in (None, "", (), {}, False)}


def test_a_confidential_service_keeps_only_the_allow_list(tmp_path: Path) -> None:
    directory = load_fixture_directory(tmp_path / "directory")
    service_by_id(directory, CONFIDENTIAL).data.update(EVERYTHING)
    projected = next(s for s in public_directory(directory).services if s.id == CONFIDENTIAL)
    assert non_empty_fields(projected) <= ALLOWED_FOR_CONFIDENTIAL
    assert projected.referral == public.Referral(cost="free")
    assert projected.organization == public.PublicOrganization(
        projected.organization.id, projected.organization.name, projected.organization.acronym
    )
    assert projected.mobile_cities == ("rabat",)  # a city is public; the area text is not
    assert "CANARI" not in repr(projected).upper()


def test_a_public_service_keeps_everything_it_publishes(tmp_path: Path) -> None:
    directory = load_fixture_directory(tmp_path / "directory")
    service = service_by_id(directory, "test-centre-ecoute")
    service.data.update(EVERYTHING)
    projected = next(s for s in public_directory(directory).services if s.id == service.id)
    expected = {f.name for f in dataclasses.fields(PublicService)} - {"confidential", "stale", "front_door"}
    assert non_empty_fields(projected) == expected


@pytest.mark.build
def test_a_field_the_schema_gains_is_not_published(tmp_path: Path) -> None:
    """A new field in a record (public or confidential) reaches no page, sheet, index or export until the
    projection names it: publishing is an allow-list, not a filter of known secrets."""
    project = copy_project(tmp_path, directory_fixture=FIXTURES / "directory")
    checked = check_project(project, AS_OF)
    assert not checked.has_errors
    for record in [*checked.directory.services, *checked.directory.all_organizations]:
        record.data["champ_nouveau"] = {"fr": "Nouveau CANARI-MARQUEUR-QZX7 12.3456789"}
        record.data["note_interne"] = "CANARI-MARQUEUR-QZX7"
    publish(project, checked, AS_OF, BuildReport(site_dir=project.site_dir))
    assert (project.site_dir / "annuaire" / "services" / CONFIDENTIAL / "index.html").is_file()
    assert traces_in(project.site_dir) == {}


class SealedRecord(dict[str, Any]):
    """A record's data after projection: reading it is a test failure."""

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise AssertionError("an output read a raw record after the projection")

    __getitem__ = get = items = keys = values = __iter__ = __contains__ = __len__ = _refuse  # type: ignore[assignment]


@pytest.mark.build
def test_the_whole_build_runs_on_the_projection_with_every_record_sealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path, directory_fixture=FIXTURES / "directory")
    checked = check_project(project, AS_OF)
    assert not checked.has_errors

    def project_then_seal(directory: Any) -> public.PublicDirectory:
        projected = public.public_directory(directory)
        for record in [*directory.services, *directory.all_organizations]:
            record.doc = dataclasses.replace(record.doc, value=SealedRecord())
        return projected

    monkeypatch.setattr(build, "public_directory", project_then_seal)
    publish(project, checked, AS_OF, BuildReport(site_dir=project.site_dir))
    assert (project.site_dir / "exports" / "hsds-fr.json").is_file()
    assert (project.site_dir / "annuaire" / "ma" / "casablanca" / "imprimer" / "index.html").is_file()


# Modules that turn the directory into outputs: they may know the projection, never the records.
PACKAGE = REPO / "scripts" / "relais"
# Every renderer and exporter, and the site modules that hand the directory to the engine.
RENDERERS_AND_EXPORTERS = sorted(
    path.relative_to(PACKAGE).with_suffix("").as_posix()
    for folder in ("render", "export")
    for path in (PACKAGE / folder).glob("*.py")
    if path.name not in ("__init__.py", "scaffold.py")  # scaffold writes templates for editors, no directory
)
OUTPUT_MODULES = (*RENDERERS_AND_EXPORTERS, "site/search_index", "site/pdf")
RECORD_NAMES = {"Record", "Service", "Directory", "load_directory"}


def imported_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "relais.model.directory":
            names |= {alias.name for alias in node.names}
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "relais"
            and any(a.name == "directory" for a in node.names)
        ):
            names.add("directory")
    return names


@pytest.mark.parametrize("module", OUTPUT_MODULES)
def test_output_modules_cannot_reach_a_record(module: str) -> None:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    assert imported_names(tree) & (RECORD_NAMES | {"directory"}) == set()
    reads = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "doc"]
    assert reads == [], f"{module}.py reads a record's document at lines {reads}"
    if module != "render/changes":  # history reads old versions of files as plain data, then publishes the projection
        data = [
            n.lineno for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr in {"data", "is_confidential"}
        ]
        assert data == [], f"{module}.py reads record data at lines {data}"
