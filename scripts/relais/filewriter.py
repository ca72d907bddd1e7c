"""Write many small files from a few threads.

Making a folder and a file is mostly waiting for the disk, not computing: on the build machine a folder costs a
quarter of a millisecond, and the 30,000 service pages of a large directory each live in their own folder. Threads
wait side by side (the GIL is released during the system calls) while the caller goes on rendering.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

THREADS = 4
IN_FLIGHT = 256  # rendered pages waiting for a thread, at most: memory stays small


class ParallelWriter:
    """`write(path, text)` returns at once; leaving the `with` block waits for every file and raises the first
    error (a full disk, a permission) instead of losing a page."""

    def __init__(self, threads: int = THREADS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="relais-write")
        self._slots = threading.BoundedSemaphore(IN_FLIGHT)
        self._errors: list[BaseException] = []
        self.written: list[Path] = []

    def write(self, path: Path, text: str) -> Path:
        self._slots.acquire()
        future = self._pool.submit(_write, path, text)
        future.add_done_callback(self._done)
        self.written.append(path)
        return path

    def _done(self, future: Future[None]) -> None:
        self._slots.release()
        error = future.exception()
        if error is not None:
            self._errors.append(error)

    def __enter__(self) -> ParallelWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._pool.shutdown(wait=True)
        if self._errors and kind is None:
            raise self._errors[0]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
