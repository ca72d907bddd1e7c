"""Freshness: the stale report (text, JSON, the weekly issue and its workflow) and the data-quality pages."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from directory_fixture import load_public_fixture
from relais.check.freshness import city_quality, render_stale_issue, stale_entries
from relais.cli import main
from relais.model.public import services_by_city
from support import AS_OF, REPO, BuiltSite

WORKFLOW = REPO / ".github" / "workflows" / "stale-report.yml"


def test_stale_entries_are_the_open_services_past_their_window(tmp_path: Path) -> None:
    directory = load_public_fixture(tmp_path / "directory")
    assert [e.id for e in stale_entries(directory, AS_OF)] == ["test-service-perime"]  # checked 2024-01-10
    later = stale_entries(directory, date(2027, 10, 2))  # a year after the other checks
    assert [(e.country, e.city) for e in later] == [
        ("MA", "Casablanca"),
        ("MA", "Casablanca"),
        ("ML", "Bamako"),
        ("ML", "Kita"),
    ]
    assert [e.id for e in later][:2] == ["test-refuge-confidentiel", "test-centre-ecoute"]  # oldest check first


def report(tmp_path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    load_public_fixture(tmp_path / "directory")
    status = main(["--project", str(REPO), "report", "stale", "--directory", str(tmp_path / "directory"), *options])
    return status, capsys.readouterr().out


def test_report_stale_json_lists_entries_with_their_age(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, output = report(tmp_path, capsys, "--format", "json", "--as-of", AS_OF.isoformat())
    assert status == 0
    document = json.loads(output)
    assert document["count"] == 1 and document["window_days"] == 365
    entry = document["entries"][0]
    assert entry["id"] == "test-service-perime" and entry["city"] == "Bamako" and entry["verified_on"] == "2024-01-10"
    assert entry["days_since"] == (AS_OF - date(2024, 1, 10)).days


def test_report_stale_text_groups_by_country_city_and_organisation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, output = report(tmp_path, capsys, "--as-of", "2027-10-02")
    assert status == 0
    lines = output.splitlines()
    assert lines[0].endswith(": 4")
    assert lines[1:4] == ["MA", "  Casablanca", "    Association Fictive pour les Tests (données fictives)"]
    assert "ML" in lines and "  Bamako" in lines


def test_report_stale_refuses_a_directory_with_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_public_fixture(tmp_path / "directory")
    broken = tmp_path / "directory" / "services" / "ML" / "kita" / "test-equipe-mobile.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: active", "status: ouvert"), "utf-8")
    status = main(["--project", str(REPO), "report", "stale", "--directory", str(tmp_path / "directory")])
    captured = capsys.readouterr()
    assert status == 1 and "DIR004" in captured.err and captured.out == ""


def test_the_issue_body_escapes_table_cells(tmp_path: Path) -> None:
    directory = load_public_fixture(tmp_path / "directory")
    entries = stale_entries(directory, AS_OF)
    tampered = [type(e)(**{**vars(e), "name": "A | B <script>"}) for e in entries]
    body = render_stale_issue(tampered, AS_OF)
    assert "A \\| B &lt;script>" in body and "<script>" not in body
    assert "| Organisation | Service | Dernière vérification |" in body


def test_the_weekly_workflow_runs_the_report_with_pinned_github_actions_only() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))
    assert set(triggers) == {"schedule", "workflow_dispatch"} and triggers["schedule"][0]["cron"]
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert uses and all(re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", used) for used in uses), uses
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "relais report stale --format markdown" in commands
    assert "gh issue edit" in commands and "gh issue create" in commands


def test_city_quality_counts_fresh_checks_missing_contacts_and_gaps(tmp_path: Path) -> None:
    directory = load_public_fixture(tmp_path / "directory")
    casablanca = services_by_city(directory)[("MA", "casablanca")]
    quality = city_quality(directory, casablanca, "casablanca", AS_OF)
    assert quality.services == 2
    assert quality.verified_6_months == 2 and quality.verified_12_months == 2
    assert quality.without_phone == 0  # the confidential one counts its front door's phone
    assert quality.without_hours == 1  # the confidential service publishes no hours
    offered = {c for s in casablanca for c in s.categories}
    assert quality.categories_without_service == len(directory.vocabulary.categories) - len(offered)
    assert quality.share(quality.without_hours) == 50


@pytest.mark.build
def test_every_country_has_a_quality_page_in_every_language_linked_from_its_cities(built_site: BuiltSite) -> None:
    for root in ("", "en/", "ar/"):
        page = built_site.html(f"{root}annuaire/ma/qualite/index.html")
        assert 'href="../casablanca/"' in page and "<tfoot>" in page
        assert 'href="../qualite/"' in built_site.html(f"{root}annuaire/ma/casablanca/index.html")
        assert 'href="qualite/"' in built_site.html(f"{root}annuaire/ma/index.html")
    assert "Vérifiés depuis moins de 6 mois" in built_site.html("annuaire/ml/qualite/index.html")
    assert "Verified in the last 6 months" in built_site.html("en/annuaire/ml/qualite/index.html")
    assert "تم التحقق منها خلال آخر 6 أشهر" in built_site.html("ar/annuaire/ml/qualite/index.html")
