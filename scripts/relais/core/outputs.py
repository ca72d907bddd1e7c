"""Folders our commands write: where they may be, and the rule that we only ever delete what we wrote.

A folder a command made is marked with a small file. Removing a folder without that mark is refused, so a
mistyped `--site-dir` (the home folder, `docs`, the project itself) can never lose anyone's files.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

MARKER = ".relais-output"
MARKER_TEXT = "Written by relais: this folder is rebuilt (deleted and written again) by each build.\n"
# Folders of a project that hold sources or history: an output may be none of them, nor lie inside one.
SOURCE_FOLDERS = ("docs", "directory", "overrides", "scripts", "tests", ".git", ".venv")


class OutputRefused(Exception):
    """An output folder that a command must not write or replace; the message says why and what to do."""


def is_ours(folder: Path) -> bool:
    """True for a folder one of our commands made (it holds the marker), or an empty one."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    return (folder / MARKER).is_file() or not any(folder.iterdir())


def claim(folder: Path) -> Path:
    """Make `folder` (if needed) and mark it as ours."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return folder


def remove_ours(folder: Path, shown_as: str | None = None) -> None:
    """Delete `folder` if it exists and is ours; refuse (and delete nothing) otherwise."""
    if not folder.exists() and not folder.is_symlink():
        return
    if not is_ours(folder):
        raise OutputRefused(not_ours_message(shown_as or str(folder)))
    shutil.rmtree(folder)


def remove_ours_quietly(folder: Path) -> None:
    """Clean-up after a failure: delete `folder` if it is ours, leave anything else alone, never raise."""
    with contextlib.suppress(OutputRefused, OSError):
        remove_ours(folder)


def not_ours_message(shown_as: str) -> str:
    return (
        f"{shown_as} exists and was not written by relais (it has no {MARKER} file): nothing was deleted. "
        "Choose an empty or new folder, or delete this one yourself if you are sure it holds nothing of value."
    )


def output_problem(root: Path, folder: Path, option: str) -> str | None:
    """Why `folder` cannot be an output of the project at `root`, or None when it can."""
    root, target = root.resolve(), folder.resolve()
    if target == root or root.is_relative_to(target):
        return f"{option} {folder} is the project folder or contains it: choose a folder such as site/"
    for name in SOURCE_FOLDERS:
        source = root / name
        if target.is_relative_to(source):
            return f"{option} {folder} is or lies inside the source folder {name}/: choose a folder such as site/"
    if folder.is_symlink():
        return f"{option} {folder} is a symbolic link: give the real folder"
    if target.exists() and not target.is_dir():
        return f"{option} {folder} is a file, not a folder"
    return None


def refuse_unsafe_output(root: Path, folder: Path, option: str, replaced: tuple[Path, ...] = ()) -> None:
    """Raise OutputRefused before anything is written when `folder` is not a safe output, or when one of the
    folders the command would replace (the output itself, its staging folders) holds files that are not ours."""
    problem = output_problem(root, folder, option)
    if problem:
        raise OutputRefused(problem)
    for candidate in replaced:
        if (candidate.exists() or candidate.is_symlink()) and not is_ours(candidate):
            raise OutputRefused(not_ours_message(str(candidate)))
