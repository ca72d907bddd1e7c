"""The GitHub side of the editors' workflow: issue forms, pull request template, workflows and pre-commit hooks.

Schemas are the ones check-jsonschema ships (vendored): the tests never touch the network.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from directory_fixture import load_fixture_directory, public_by_id
from relais.model.public import public_directory
from relais.render.pages import PageSettings, Writer
from support import REPO

GITHUB = REPO / ".github"
FORMS = GITHUB / "ISSUE_TEMPLATE"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in FORMS.glob("*.yml") if p.name != "config.yml")
BIN = Path(sys.executable).parent
# Any attempt to reach the network fails at once on a closed local port instead of leaving the machine.
OFFLINE = {
    **os.environ,
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "",
}


def load(path: Path) -> dict:
    # PyYAML reads the workflow key `on:` as True (YAML 1.1); look it up under both spellings.
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    found = workflow.get("on", workflow.get(True))
    return found if isinstance(found, dict) else {name: None for name in ([found] if isinstance(found, str) else found)}


def check_jsonschema(schema: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "check-jsonschema"), "--no-cache", "--builtin-schema", schema, *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, env=OFFLINE, timeout=120)


# --- Schemas ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-issue-forms", ISSUE_FORMS),
        ("vendor.github-issue-config", [FORMS / "config.yml"]),
        ("vendor.github-workflows", WORKFLOWS),
    ],
    ids=["issue-forms", "issue-config", "workflows"],
)
def test_github_files_match_the_vendored_schemas(schema: str, files: list[Path]) -> None:
    assert files
    done = check_jsonschema(schema, files)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("name: Sans corps\ndescription: pas de body\n", encoding="utf-8")
    assert check_jsonschema("vendor.github-issue-forms", [broken]).returncode == 1


# --- Issue forms --------------------------------------------------------------------------------------------------


def test_expected_issue_forms_exist() -> None:
    names = {p.name for p in ISSUE_FORMS}
    assert names == {"correct-service.yml", "new-service.yml", "guideline-problem.yml"}


def test_blank_issues_are_disabled() -> None:
    assert load(FORMS / "config.yml")["blank_issues_enabled"] is False


def form_fields(path: Path) -> dict[str, dict]:
    return {item["id"]: item for item in load(path)["body"] if "id" in item}


def test_correct_service_form_has_the_fields_the_site_link_fills(tmp_path: Path) -> None:
    directory = load_fixture_directory(tmp_path / "directory")
    public = public_directory(directory)
    service = public_by_id(public, "test-centre-ecoute")
    writer = Writer(public, "fr", PageSettings("https://github.com/relais-hub/relais", date(2026, 11, 23)))
    query = parse_qs(urlsplit(writer.suggest_url(service)).query)
    template = FORMS / query.pop("template")[0]
    assert template.is_file()
    fields = form_fields(template)
    assert query.pop("title") == ["Correction: test-centre-ecoute"]
    for key in query:
        assert fields[key]["type"] == "input", key
    assert "service_id" in query and fields["service_id"]["type"] == "input"


def test_correct_service_form_asks_what_is_wrong_and_the_source() -> None:
    fields = form_fields(FORMS / "correct-service.yml")
    assert fields["problem"]["type"] == "textarea" and fields["problem"]["validations"]["required"] is True
    assert fields["source"]["type"] == "textarea" and fields["source"]["validations"]["required"] is True


@pytest.mark.parametrize("form", ISSUE_FORMS, ids=lambda p: p.name)
def test_every_form_requires_confirming_no_confidential_data(form: Path) -> None:
    box = form_fields(form)["confidentiality"]
    assert box["type"] == "checkboxes"
    assert all(option["required"] is True for option in box["attributes"]["options"])
    assert "confidenti" in " ".join(option["label"] for option in box["attributes"]["options"]).lower()


# --- Pull request template ----------------------------------------------------------------------------------------


def test_pull_request_template_has_the_review_checklist() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(items) >= 8
    for topic in ("Confidentialité", "Sources", "Téléphones", "rôles, pas des noms", "brouillon", "coordonnées"):
        assert any(topic.lower() in item.lower() for item in items), topic
    assert "front_door" in text and "relais validate" in text


# --- Workflows ----------------------------------------------------------------------------------------------------


def test_no_workflow_runs_pull_request_target() -> None:
    for path in WORKFLOWS:
        code = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
        assert not [line for line in code if "pull_request_target" in line], path.name
        assert "pull_request_target" not in triggers(load(path))


def test_pull_request_workflow_is_read_only_and_runs_make_test() -> None:
    workflow = load(GITHUB / "workflows" / "pull-request.yml")
    assert set(triggers(workflow)) == {"pull_request"}
    assert workflow["permissions"] == {"contents": "read"}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert all("permissions" not in job for job in workflow["jobs"].values())
    assert any(step.get("uses", "").startswith("actions/checkout@") for step in steps)
    python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    assert steps[-1]["run"] == "make test"


def test_deploy_workflow_builds_with_search_and_deploys_to_pages() -> None:
    workflow = load(GITHUB / "workflows" / "deploy.yml")
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    assert workflow["concurrency"]["group"] and workflow["concurrency"]["cancel-in-progress"] is False
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert any(step.get("run") == "make build" for step in build["steps"])
    checkout = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the "what changed" page reads the whole history
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy["steps"])


# --- pre-commit and yamllint --------------------------------------------------------------------------------------


def test_pre_commit_hooks_are_local_and_use_the_project_tools() -> None:
    config = load(REPO / ".pre-commit-config.yaml")
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert all(hook["language"] == "system" for hook in hooks)
    for hook in hooks:
        program = hook["entry"].split()[0]
        assert program.startswith(".venv/bin/") and (BIN / Path(program).name).is_file(), program
    ids = {hook["id"]: hook for hook in hooks}
    assert ids["relais-validate"]["entry"] == ".venv/bin/relais validate"
    assert ids["relais-validate"]["files"] == "^(directory|docs)/"
    assert ids["yamllint-directory"]["files"].startswith("^directory/")


def yamllint(*paths: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "yamllint"), "--strict", "-c", str(REPO / ".yamllint.yml"), *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_yamllint_accepts_the_directory_and_the_fixtures() -> None:
    done = yamllint(REPO / "directory", REPO / "tests" / "fixtures" / "directory")
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("value", ["yes", "on", "No"])
def test_yamllint_refuses_yaml_1_1_booleans(tmp_path: Path, value: str) -> None:
    entry = tmp_path / "entry.yml"
    entry.write_text(f"referral:\n  accepts_undocumented: {value}\n", encoding="utf-8")
    done = yamllint(entry)
    assert done.returncode == 1 and "truthy" in done.stdout
