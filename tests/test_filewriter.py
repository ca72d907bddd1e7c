"""Files written from threads: all of them, or a loud error."""

from __future__ import annotations

from pathlib import Path

import pytest

from relais.filewriter import ParallelWriter


def test_every_file_is_written_with_its_folder(tmp_path: Path) -> None:
    with ParallelWriter() as files:
        for number in range(1000):
            files.write(tmp_path / f"page-{number:04d}" / "index.html", f"<p>{number}</p>")
    assert len(files.written) == 1000
    assert all(path.read_text(encoding="utf-8") == f"<p>{n}</p>" for n, path in enumerate(sorted(files.written)))


def test_a_file_that_cannot_be_written_fails_the_whole_write(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(OSError), ParallelWriter() as files:
        files.write(tmp_path / "ok" / "index.html", "fine")
        files.write(tmp_path / "taken" / "index.html", "nowhere to go")
    assert (tmp_path / "ok" / "index.html").read_text(encoding="utf-8") == "fine"
