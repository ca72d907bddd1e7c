"""Make many folders at once, and write files into folders that may not exist yet.

Making a folder is mostly waiting for the disk: a quarter of a millisecond each on the build machine, and each of
the 30,000 service pages of a large directory lives in its own folder. A few threads wait side by side (the GIL is
released during the system call) while nothing else runs; the files are then written by the caller, in order.
Writer threads running beside the rendering were slower: they fought the rendering thread for the GIL.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

THREADS = 4


def make_folders(folders: Iterable[Path], threads: int = THREADS) -> None:
    """Create every folder (and its parents); existing ones are fine. Raises the first error."""
    unique = sorted(set(folders))
    for parent in sorted({folder.parent for folder in unique}):
        parent.mkdir(parents=True, exist_ok=True)  # once each, before the threads race for them
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="relais-mkdir") as pool:
        for _ in pool.map(_make_folder, unique):
            pass


def _make_folder(folder: Path) -> None:
    folder.mkdir(exist_ok=True)


def write_text(path: Path, text: str) -> Path:
    """Write a UTF-8 file, making its folder only when it is missing (the usual case is a folder made beforehand)."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> Path:
    """Write a file, making its folder only when it is missing."""
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return path
