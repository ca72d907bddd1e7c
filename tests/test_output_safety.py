"""An output folder is never a source folder, and no command deletes a folder it did not write."""

from __future__ import annotations

from pathlib import Path

import pytest

from relais.cli import main
from relais.core.outputs import MARKER, OutputRefused, claim, remove_ours
from support import AS_OF, copy_project

pytestmark = pytest.mark.hostile


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy_project(tmp_path / "projet")
    return tmp_path / "projet"


@pytest.mark.parametrize(
    "site_dir", [".", "..", "docs", "docs/guides", "directory", "overrides", "scripts", "tests", ".git"]
)
def test_a_site_dir_that_is_or_holds_a_source_folder_is_refused_before_anything_is_written(
    project: Path, site_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.relative_to(project.parent).as_posix() for p in project.parent.rglob("*"))
    status = main(
        ["--project", str(project), "build", "--as-of", AS_OF.isoformat(), "--site-dir", str(project / site_dir)]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "--site-dir" in err and "Traceback" not in err
    assert sorted(p.relative_to(project.parent).as_posix() for p in project.parent.rglob("*")) == before


def test_a_site_dir_holding_someone_elses_files_is_not_deleted(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "rapport.odt").write_text("travail de six mois", encoding="utf-8")
    status = main(["--project", str(project), "build", "--as-of", AS_OF.isoformat(), "--site-dir", str(documents)])
    assert status == 1
    assert "was not written by relais" in capsys.readouterr().err
    assert (documents / "rapport.odt").read_text(encoding="utf-8") == "travail de six mois"
    assert not (tmp_path / "Documents.building").exists()


def test_a_stray_staging_folder_that_is_not_ours_is_kept(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stray = project / "site.old"
    stray.mkdir()
    (stray / "a-garder.txt").write_text("x", encoding="utf-8")
    assert main(["--project", str(project), "build", "--as-of", AS_OF.isoformat()]) == 1
    assert "site.old" in capsys.readouterr().err
    assert (stray / "a-garder.txt").exists()


def test_export_refuses_a_source_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["--project", str(project), "export", "--as-of", AS_OF.isoformat(), "--out", str(project / "docs")]) == 1
    )
    assert "--out" in capsys.readouterr().err
    assert not list((project / "docs").glob("*.csv"))


def test_remove_ours_deletes_only_marked_or_empty_folders(tmp_path: Path) -> None:
    ours = claim(tmp_path / "ours")
    (ours / "page.html").write_text("x", encoding="utf-8")
    remove_ours(ours)
    assert not ours.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    remove_ours(empty)
    assert not empty.exists()
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(OutputRefused, match=MARKER):
        remove_ours(theirs)
    assert (theirs / "notes.md").exists()


def test_a_generated_docs_folder_with_an_editors_file_is_not_wiped(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project / "docs" / "sujets"
    folder.mkdir()
    (folder / "ma-page.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert main(["--project", str(project), "build", "--as-of", AS_OF.isoformat()]) == 1
    assert "docs/sujets" in capsys.readouterr().err
    assert (folder / "ma-page.md").exists()
