"""The file system is input too: links, stray or misspelt files, empty files and unsafe static files are refused
with their path by `relais validate` (and so by the build), and a link is never followed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from relais.cli import main
from relais.rules import all_rules
from support import AS_OF, FIXTURES, copy_project

pytestmark = pytest.mark.hostile

FILES = FIXTURES / "files"
OUTSIDE_SECRET = "Rue des Oliviers QZX7"

# rule -> every (path, line) that rule must report on the fixture files laid over a copy of the project.
EXPECTED: dict[str, set[tuple[str, int]]] = {
    "FIL001": {
        ("docs/guides/lien.md", 1),
        ("directory/services/MA/lien-dossier", 1),
        ("directory/organizations/lien.yml", 1),
        ("overrides/partials/lien.html", 1),
    },
    "FIL002": {("directory/service", 1), ("directory/services/MA/casablanca/notes.txt", 1)},
    "FIL003": {
        ("docs/guides/MAJUSCULE.MD", 1),
        ("directory/services/MA/casablanca/entree.yaml", 1),
        ("directory/services/MA/casablanca/ENTREE.YML", 1),
    },
    "FIL004": {("docs/guides/vide.md", 1), ("directory/organizations/vide.yml", 1)},
    "FIL005": {("docs/guides/page.html", 1), ("docs/guides/flux.xml", 1), ("docs/guides/notes.txt", 1)},
    "FIL006": {
        ("docs/guides/images/script.svg", 3),
        ("docs/guides/images/onload.svg", 3),
        ("docs/guides/images/lien.svg", 4),
        ("docs/guides/images/objet.svg", 3),
        ("docs/guides/images/entites.svg", 1),
        ("docs/guides/images/style.svg", 2),
    },
}


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("files")
    copy_project(root)
    shutil.copytree(FILES / "docs", root / "docs", dirs_exist_ok=True)
    shutil.copytree(FILES / "directory", root / "directory", dirs_exist_ok=True)
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.md").write_text(f"---\ntitle: x\n---\n{OUTSIDE_SECRET}\n", encoding="utf-8")
    (outside / "services").mkdir()
    (outside / "services" / "abri.yml").write_text(f"id: abri\nname: {OUTSIDE_SECRET}\n", encoding="utf-8")
    (root / "docs" / "guides" / "lien.md").symlink_to(outside / "secret.md")
    (root / "directory" / "services" / "MA" / "lien-dossier").symlink_to(outside / "services")
    (root / "directory" / "organizations" / "lien.yml").symlink_to(outside / "services" / "abri.yml")
    (root / "overrides" / "partials").mkdir(parents=True, exist_ok=True)
    (root / "overrides" / "partials" / "lien.html").symlink_to(outside / "secret.md")
    return root


@pytest.fixture(scope="module")
def validation(hostile_project: Path) -> tuple[int, str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["--project", str(hostile_project), "validate", "--as-of", AS_OF.isoformat()])
    return status, out.getvalue()


def reported(text: str, rule_id: str) -> set[tuple[str, int]]:
    found = set()
    for line in text.splitlines():
        head, _, rest = line.partition(f": {rule_id} ")
        if rest:
            path, line_number, _ = head.rsplit(":", 2)
            found.add((path, int(line_number)))
    return found


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_each_file_rule_reports_every_fixture_with_its_path_and_line(validation: tuple[int, str], rule_id: str) -> None:
    status, text = validation
    assert status == 1
    assert reported(text, rule_id) == EXPECTED[rule_id]


def test_every_file_rule_has_a_fixture() -> None:
    assert {r.id for r in all_rules() if r.id.startswith("FIL")} == set(EXPECTED)


def test_a_link_is_never_followed_nor_its_target_printed(validation: tuple[int, str]) -> None:
    _, text = validation
    assert OUTSIDE_SECRET not in text
    assert "outside" not in text  # not even the target's path
    assert "abri" not in text  # the linked service was not read (no rule reports its content)


def test_a_clean_svg_passes(validation: tuple[int, str]) -> None:
    assert "propre.svg" not in validation[1]


def test_the_build_refuses_the_same_files_and_writes_no_site(
    hostile_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--project", str(hostile_project), "build", "--as-of", AS_OF.isoformat()])
    err = capsys.readouterr().err
    assert status == 1
    assert "FIL001" in err and "validation failed" in err
    assert not (hostile_project / "site").exists()


def test_the_real_project_has_no_file_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy_project(tmp_path)
    main(["--project", str(tmp_path), "validate", "--as-of", AS_OF.isoformat()])
    assert " FIL0" not in capsys.readouterr().out


def test_system_leftovers_are_neither_read_nor_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy_project(tmp_path)
    for folder in (tmp_path / "docs" / "guides", tmp_path / "directory" / "services"):
        (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    assert main(["--project", str(tmp_path), "validate", "--as-of", AS_OF.isoformat()]) == 0
    assert ".DS_Store" not in capsys.readouterr().out


def test_a_linked_docs_folder_itself_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy_project(tmp_path)
    real = tmp_path / "vrais-docs"
    os.rename(tmp_path / "docs", real)
    (tmp_path / "docs").symlink_to(real)
    assert main(["--project", str(tmp_path), "validate", "--as-of", AS_OF.isoformat()]) == 1
    assert "docs: FIL001" in capsys.readouterr().out.replace(":1:1", "")
