"""The outputs that need the checked directory but not the engine: print sheets (audited) and exports.

They run in a second process while the engine builds the site, then move into the built site. On a 2-core machine
this overlaps the two longest single-threaded parts of the build. Where processes cannot be forked, they run in
the calling process, before the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from relais.core import forked
from relais.core.diagnostics import Diagnostic

SideWork = Callable[[Path], "SideResult"]


@dataclass
class SideResult:
    stage_seconds: dict[str, float] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    files: int = 0


class SideOutputsFailed(Exception):
    """The side process crashed or died; the message carries its traceback."""


@dataclass
class SideJob:
    """The started side process (`relais.core.forked`), its failures told as the sheets' and exports'."""

    child: forked.Child[SideResult]

    def result(self) -> SideResult:
        try:
            return self.child.result()
        except forked.ChildFailed as failed:
            if isinstance(failed.original, OSError):
                raise failed.original from None  # a disk error is told in one line, like the engine's
            raise SideOutputsFailed(f"writing the print sheets and exports failed:\n{failed}") from None


@contextmanager
def side_outputs(work: SideWork, out_dir: Path) -> Iterator[SideJob]:
    """Start `work(out_dir)` in a forked process; the job is stopped if the caller leaves early."""
    with forked.started(lambda: work(out_dir), "relais-side-outputs") as child:
        yield SideJob(child)


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
