"""The outputs that need the checked directory but not the engine: print sheets (audited) and exports.

They run in a second process while the engine builds the site, then move into the built site. On a 2-core machine
this overlaps the two longest single-threaded parts of the build. Where processes cannot be forked, they run in
the calling process, before the engine.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relais.diagnostics import Diagnostic

SideWork = Callable[[Path], "SideResult"]


@dataclass
class SideResult:
    stage_seconds: dict[str, float] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    files: int = 0


class SideOutputsFailed(Exception):
    """The side process crashed or died; the message carries its traceback."""


# The work of the running side process. Forked children inherit it, so the checked directory is never pickled.
_pending: tuple[SideWork, Path] | None = None


def _child_main(connection: Any) -> None:
    assert _pending is not None
    work, out_dir = _pending
    try:
        connection.send(("ok", work(out_dir)))
    except BaseException:
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


@dataclass
class SideJob:
    """A started side process, or (without fork) the result computed in place."""

    process: Any = None
    connection: Any = None
    done: SideResult | None = None

    def result(self) -> SideResult:
        if self.done is not None:
            return self.done
        try:
            status, payload = self.connection.recv()
        except EOFError:
            self.process.join()
            raise SideOutputsFailed(f"the side process died (exit code {self.process.exitcode})") from None
        self.process.join()
        if status != "ok":
            raise SideOutputsFailed(f"writing the print sheets and exports failed:\n{payload}")
        self.done = payload
        return payload

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


@contextmanager
def side_outputs(work: SideWork, out_dir: Path) -> Iterator[SideJob]:
    """Start `work(out_dir)` in a forked process; the job is stopped if the caller leaves early."""
    global _pending
    if "fork" not in multiprocessing.get_all_start_methods():
        yield SideJob(done=work(out_dir))
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    _pending = (work, out_dir)
    try:
        process = context.Process(target=_child_main, args=(sender,), name="relais-side-outputs")
        process.start()
    finally:
        _pending = None
    sender.close()
    job = SideJob(process=process, connection=receiver)
    try:
        yield job
    finally:
        job.stop()
        receiver.close()


def merge_into(source: Path, target: Path) -> None:
    """Move every file of `source` into `target`, keeping paths; whole folders move at once where they are new.

    Fails if a file exists on both sides: two stages writing the same page is a bug, never a silent overwrite."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if entry.is_dir() and destination.is_dir():
            merge_into(entry, destination)
        elif destination.exists():
            raise FileExistsError(f"{destination} was written by two stages of the build")
        else:
            entry.rename(destination)
    source.rmdir()
