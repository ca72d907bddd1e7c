"""One build at a time per project: a second build waits for the first instead of writing into the same folders."""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".relais-build.lock"


@contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Hold the project's build lock for the block; wait (saying so once on stderr) while another build holds it.

    The lock is the operating system's (flock): it is released when its holder ends, even by a crash or SIGKILL,
    so a stale lock file never blocks anyone.
    """
    path = root / LOCK_FILE
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = path.read_text(encoding="utf-8").strip() or "another process"
            print(
                f"relais build: another build of this project is running (pid {holder}); waiting for it to finish",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
