"""The second process of the build: its result comes back, its failure is loud, its files move in whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from relais.pipeline.build import timed
from relais.pipeline.side_outputs import SideOutputsFailed, SideResult, merge_into, side_outputs


def write_two_files(out_dir: Path) -> SideResult:
    result = SideResult()
    timed(
        result.stage_seconds,
        "writing",
        lambda: [(out_dir / "a" / "b").mkdir(parents=True), (out_dir / "a/b/x.html").touch()],
    )
    (out_dir / "top.csv").write_text("id\n", encoding="utf-8")
    result.files = 2
    return result


def fail(out_dir: Path) -> SideResult:
    raise ValueError("the sheets could not be written")


def test_the_result_and_the_files_come_back(tmp_path: Path) -> None:
    with side_outputs(write_two_files, tmp_path / "side") as job:
        result = job.result()
    assert result.files == 2 and "writing" in result.stage_seconds
    assert (tmp_path / "side" / "a" / "b" / "x.html").is_file()


def test_a_failure_in_the_second_process_reaches_the_build_with_its_cause(tmp_path: Path) -> None:
    with side_outputs(fail, tmp_path / "side") as job, pytest.raises(SideOutputsFailed, match="could not be written"):
        job.result()


def test_files_move_into_the_site_and_a_file_written_twice_is_refused(tmp_path: Path) -> None:
    site, side = tmp_path / "site", tmp_path / "side"
    (site / "a").mkdir(parents=True)
    (site / "a" / "page.html").write_text("engine", encoding="utf-8")
    write_two_files(side)
    merge_into(side, site)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "a/b/x.html",
        "a/page.html",
        "top.csv",
    ]
    assert not side.exists()
    (side / "a").mkdir(parents=True)
    (side / "a" / "page.html").write_text("sheets", encoding="utf-8")
    with pytest.raises(FileExistsError):
        merge_into(side, site)
    assert (site / "a" / "page.html").read_text(encoding="utf-8") == "engine"
