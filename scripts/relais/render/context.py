"""What the engine's hooks may read about the current build (the loaded directory, the build date).

Set by `build.publish` before the engine runs, so hooks never load or validate data themselves. Outside a
`relais build` (a bare `mkdocs build`), nothing is set and pages simply have no "where to refer" box.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from relais.model.public import PublicDirectory


@dataclass(frozen=True)
class BuildContext:
    directory: PublicDirectory
    as_of: date


_current: BuildContext | None = None


def set_current(context: BuildContext | None) -> None:
    global _current
    _current = context


def current() -> BuildContext | None:
    return _current
