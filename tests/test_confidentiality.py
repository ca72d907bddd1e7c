"""The canary: where a confidential service is, written anywhere in its data, reaches no published file.

The renderers, exports and search index must hide it by themselves (the validator is the first line, not the only
one), and a service that becomes confidential must leave no trace of its old address in a rebuilt site.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from directory_fixture import load_fixture_directory
from relais.check.project import check_project
from relais.cli import main
from relais.core.project import Project
from relais.pipeline.build import BuildReport, build_project, publish
from sitecheck import pagefind_files
from support import AS_OF, FIXTURES, REPO, copy_project

pytestmark = pytest.mark.hostile

SERVICE = "test-refuge-confidentiel"
SERVICE_FILE = Path("services/MA/casablanca") / f"{SERVICE}.yml"
MARKER = "CANARI-MARQUEUR-QZX7"
LATITUDE, LONGITUDE = 12.3456789, -8.7654321
# The marker, its words as a search index stores them (lower case, split), the coordinates, also rounded.
TRACES = ["canari-marqueur-qzx7", "canari", "qzx7", "12.3456789", "8.7654321", "12.3457", "12.346", "8.7654", "8.765"]
CANARY_LOCATION = {
    "address": {
        "fr": f"12 rue Fictive {MARKER}, Casablanca",
        "en": f"12 Fictitious Street {MARKER}, Casablanca",
        "ar": f"12 شارع وهمي {MARKER}، الدار البيضاء",
    },
    "directions": {"fr": f"Derrière la pharmacie fictive {MARKER}", "en": f"Behind the fictitious pharmacy {MARKER}"},
    "latitude": LATITUDE,
    "longitude": LONGITUDE,
}


def published_files(site: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as a reader or a crawler gets it: gzip files (sitemap.xml.gz) and the Pagefind
    bundle decompressed."""
    for path in sorted(p for p in site.rglob("*") if p.is_file() and "pagefind" not in p.relative_to(site).parts):
        raw = path.read_bytes()
        yield path.relative_to(site).as_posix(), gzip.decompress(raw) if path.suffix == ".gz" else raw
    for path, raw in pagefind_files(site):
        yield path.relative_to(site).as_posix(), raw


def traces_in(site: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for relative, raw in published_files(site):
        text = raw.decode("utf-8", errors="replace").lower()
        hits = [trace for trace in TRACES if trace in text]
        if hits:
            found[relative] = hits
    return found


def leftovers(project: Project) -> list[Path]:
    return sorted(p for p in project.root.glob("site*") if p != project.site_dir)


@pytest.mark.build
def test_confidential_service_leaks_no_location_even_past_the_validator(tmp_path: Path) -> None:
    project = copy_project(tmp_path, directory_fixture=FIXTURES / "directory")
    checked = check_project(project, AS_OF)
    assert not checked.has_errors, [d.as_text() for d in checked.diagnostics if d.is_error]
    service = next(s for s in checked.directory.services if s.id == SERVICE)
    assert service.is_confidential
    service.data["location"] = CANARY_LOCATION  # what the validator would refuse (DIR024)

    publish(project, checked, AS_OF, BuildReport(site_dir=project.site_dir))

    site = project.site_dir
    assert (site / "annuaire" / "services" / SERVICE / "index.html").is_file()
    assert all((site / name).is_file() for name in ("sitemap.xml.gz", "404.html", "en/404.html", "ar/404.html"))
    assert any((site / "exports").iterdir()) and any(True for _ in pagefind_files(site))
    assert traces_in(site) == {}


@pytest.mark.build
def test_service_that_becomes_confidential_leaves_no_trace_of_its_address(tmp_path: Path) -> None:
    project = copy_project(tmp_path, directory_fixture=FIXTURES / "directory")
    source = project.directory_dir / SERVICE_FILE
    confidential = source.read_text(encoding="utf-8")
    public = confidential.replace("visibility: confidential\n", "visibility: public\n") + (
        "location:\n"
        f'  address:\n    fr: "12 rue Fictive {MARKER}, Casablanca"\n'
        f"  latitude: {LATITUDE}\n  longitude: {LONGITUDE}\n"
    )
    source.write_text(public, encoding="utf-8")
    build_project(project, AS_OF)
    first = traces_in(project.site_dir)
    # The canary is seen when it may be: on the service page, in the exports and in the search index.
    assert any(path.startswith("annuaire/services/") for path in first), first
    assert any(path.startswith("exports/") for path in first) and any(path.startswith("pagefind/") for path in first)

    source.write_text(confidential, encoding="utf-8")
    build_project(project, AS_OF)
    assert traces_in(project.site_dir) == {}
    assert leftovers(project) == []


# --- The validator, first line of defence ---------------------------------------------------------------------------


def validate_service(tmp_path: Path, change: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    directory = tmp_path / "directory"
    load_fixture_directory(directory)
    path = directory / SERVICE_FILE
    path.write_text(path.read_text(encoding="utf-8") + change, encoding="utf-8")
    status = main(["--project", str(REPO), "validate", "--directory", str(directory), "--as-of", AS_OF.isoformat()])
    output = capsys.readouterr().out
    return status, "\n".join(line for line in output.splitlines() if f"{SERVICE}.yml:" in line)


def test_validate_refuses_a_location_for_a_confidential_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = len((FIXTURES / "directory" / SERVICE_FILE).read_text(encoding="utf-8").splitlines())
    status, output = validate_service(
        tmp_path,
        'location:\n  address:\n    fr: "Adresse fictive"\n  directions:\n    fr: "Fictif"\n'
        "  latitude: 33.5\n  longitude: -7.6\n",
        capsys,
    )
    assert status == 1
    reported = re.findall(r":(\d+):\d+: DIR024 confidential service must not give `location\.(\w+)`", output)
    expected = {"address": lines + 2, "directions": lines + 4, "latitude": lines + 6, "longitude": lines + 7}
    assert sorted(reported) == sorted((str(line), key) for key, line in expected.items()), output


def test_validate_refuses_a_street_in_a_confidential_note_without_printing_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = len((FIXTURES / "directory" / SERVICE_FILE).read_text(encoding="utf-8").splitlines())
    status, output = validate_service(tmp_path, 'status_note:\n  fr: "Accueil au 3 rue Fictive."\n', capsys)
    expected = f":{lines + 2}:7: DIR028 `status_note.fr` of a confidential service contains a street, road or"
    assert expected in output, output
    assert "rue Fictive" not in output
    assert status == 1
