"""Folders made from threads, files written into folders that may not exist yet."""

from __future__ import annotations

from pathlib import Path

import pytest

from relais.core.filewriter import make_folders, write_text


def test_every_folder_is_made_with_its_parents(tmp_path: Path) -> None:
    folders = [tmp_path / "a" / f"page-{number:04d}" for number in range(1000)] + [tmp_path / "b" / "c"]
    make_folders([*folders, folders[0]])
    assert all(folder.is_dir() for folder in folders)
    make_folders(folders)  # again: existing folders are fine


def test_a_folder_that_cannot_be_made_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(OSError):
        make_folders([tmp_path / "ok", tmp_path / "taken" / "page"])


def test_a_file_is_written_with_or_without_its_folder(tmp_path: Path) -> None:
    make_folders([tmp_path / "made"])
    assert write_text(tmp_path / "made" / "index.html", "a").read_text(encoding="utf-8") == "a"
    assert write_text(tmp_path / "new" / "deep" / "index.html", "b").read_text(encoding="utf-8") == "b"
