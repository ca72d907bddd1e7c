"""Walk a source folder without ever following a symbolic link: the loaders and the file checks share this walk."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Files that operating systems and editors leave behind; never read, never published, never reported.
SYSTEM_LEFTOVERS = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep"})


def walk(root: Path) -> Iterator[tuple[Path, bool]]:
    """(path, is_folder) of every entry under `root`, links included but never followed."""
    for folder, subfolders, files in os.walk(root, followlinks=False):
        base = Path(folder)
        for name in sorted(subfolders):
            yield base / name, True
        for name in sorted(files):
            yield base / name, False


def regular_files(root: Path, skip: tuple[Path, ...] = ()) -> Iterator[Path]:
    """Files under `root`, in order, that are not links and not inside a link or a skipped folder."""
    if root.is_symlink() or not root.is_dir():
        return
    for folder, subfolders, files in os.walk(root, followlinks=False):
        base = Path(folder)
        subfolders[:] = sorted(n for n in subfolders if not (base / n).is_symlink() and base / n not in skip)
        for name in sorted(files):
            path = base / name
            if not path.is_symlink() and name not in SYSTEM_LEFTOVERS:
                yield path
