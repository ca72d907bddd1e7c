"""Where a Relais project keeps its parts: docs, directory, MkDocs configuration, output folder.

Only paths; reading what is in them belongs to `guidelines` and `directory`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

GENERATED_DIRECTORY_FOLDER = "annuaire"
# Folders under docs/ written before each build from data and history; git-ignored, never edited by hand.
GENERATED_FOLDERS = (GENERATED_DIRECTORY_FOLDER, "sujets", "editeurs")


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    directory_dir: Path
    mkdocs_yml: Path
    site_dir: Path

    @classmethod
    def at(cls, root: Path) -> Project:
        root = root.resolve()
        return cls(
            root=root,
            docs_dir=root / "docs",
            directory_dir=root / "directory",
            mkdocs_yml=root / "mkdocs.yml",
            site_dir=root / "site",
        )

    def with_overrides(self, directory_dir: Path | None = None, site_dir: Path | None = None) -> Project:
        return replace(
            self,
            directory_dir=(directory_dir or self.directory_dir).resolve(),
            site_dir=(site_dir or self.site_dir).resolve(),
        )

    @property
    def generated_dir(self) -> Path:
        """Pages generated from directory/ before each build (git-ignored)."""
        return self.docs_dir / GENERATED_DIRECTORY_FOLDER

    @property
    def generated_dirs(self) -> tuple[Path, ...]:
        return tuple(self.docs_dir / name for name in GENERATED_FOLDERS)

    @property
    def schema_dir(self) -> Path:
        """JSON Schemas of the data formats: the contract shared by editors' tools, validator and exporter."""
        return self.root / "directory" / "schema"

    def display(self, path: Path) -> str:
        """A path as an editor sees it in the repository (relative to the project root when possible)."""
        try:  # the folder is resolved, never the file itself: a symbolic link is shown as the link, not its target
            return (path.parent.resolve() / path.name).relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def find_project_root(start: Path) -> Path:
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "docs").is_dir():
            return folder
    return start.resolve()
