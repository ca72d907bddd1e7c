"""The file system is input too: every file under docs/ and directory/ is read or refused, never skipped.

Walks without following links (a link is reported, never read), so nothing outside the project can be published
through a link. Static files in docs/ are limited to pages and images; an SVG is checked like a page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

from relais.check.safety import DATA_SUFFIXES
from relais.core.diagnostics import Diagnostic
from relais.core.project import Project
from relais.core.tree import SYSTEM_LEFTOVERS, regular_files, walk
from relais.rules import FIL001, FIL002, FIL003, FIL004, FIL005, FIL006

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})

LAYOUT_HINT = (
    "directory/ holds taxonomy.yml, places.yml, organizations/<id>.yml, services/<CC>/<city>/<id>.yml, "
    "schema/*.json and imports/*.json; check the spelling of the folder."
)
# Folder of directory/ -> the extension of the files read there.
DIRECTORY_FOLDERS = {"organizations": ".yml", "services": ".yml", "schema": ".json", "imports": ".json"}
DIRECTORY_TOP_FILES = frozenset({"taxonomy.yml", "places.yml", "README.md"})

Display = Callable[[Path], str]


def check_files(project: Project) -> list[Diagnostic]:
    """Links, unknown files and folders, empty files and unsafe static files in the project's sources."""
    display = project.display
    found = [FIL001.at(display(link), 1, 1, name=display(link)) for link in links_under(project)]
    found += directory_file_problems(project.directory_dir, display)
    found += docs_file_problems(project.docs_dir, display, project.generated_dirs)
    return found


def links_under(project: Project) -> list[Path]:
    roots = (project.docs_dir, project.directory_dir, project.root / "overrides")
    found: list[Path] = []
    for root in roots:
        if root.is_symlink():
            found.append(root)
        elif root.is_dir():
            found += [path for path, _ in walk(root) if path.is_symlink()]
    return sorted(set(found))


def directory_file_problems(root: Path, display: Display) -> list[Diagnostic]:
    if not root.is_dir() or root.is_symlink():
        return []
    found: list[Diagnostic] = []
    for entry in sorted(root.iterdir()):
        name = entry.name
        if entry.is_symlink() or name in SYSTEM_LEFTOVERS:
            continue
        if entry.is_dir() and name in DIRECTORY_FOLDERS:
            found += folder_problems(entry, DIRECTORY_FOLDERS[name], display)
        elif entry.is_file() and name in DIRECTORY_TOP_FILES:
            found += empty_file_problem(entry, display)
        elif entry.is_file() and entry.stem in {"taxonomy", "places"}:
            found.append(wrong_suffix(entry, ".yml", display))
        else:
            found.append(unknown(entry, "directory data", LAYOUT_HINT, display))
    return found


def folder_problems(folder: Path, expected: str, display: Display) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for path in regular_files(folder):
        suffix = path.suffix.lower()
        if path.suffix == expected:
            found += empty_file_problem(path, display)
        elif suffix == expected or (expected == ".yml" and suffix == ".yaml"):
            found.append(wrong_suffix(path, expected, display))
        else:
            found.append(unknown(path, f"{expected} files", LAYOUT_HINT, display))
    return found


def docs_file_problems(docs: Path, display: Display, generated: tuple[Path, ...]) -> list[Diagnostic]:
    if not docs.is_dir() or docs.is_symlink():
        return []
    found: list[Diagnostic] = []
    for path in regular_files(docs, skip=generated):
        suffix = path.suffix.lower()
        if path.name.startswith("."):
            hint = "Files whose name starts with a dot are never published: delete it or rename it."
            found.append(unknown(path, "pages or images", hint, display))
        elif path.suffix == ".md" or suffix in IMAGE_SUFFIXES:
            found += empty_file_problem(path, display)
        elif suffix == ".md":
            found.append(wrong_suffix(path, ".md", display))
        elif suffix == ".svg":
            found += empty_file_problem(path, display) or svg_problems(path, display)
        elif suffix not in DATA_SUFFIXES:  # data files have their own rule (SAF005)
            found.append(FIL005.at(display(path), 1, 1, name=display(path), suffix=suffix or "no extension"))
    return found


def unknown(path: Path, kind: str, hint: str, display: Display) -> Diagnostic:
    shown = display(path) + ("/" if path.is_dir() else "")
    return FIL002.at(display(path), 1, 1, name=shown, kind=kind, hint=hint)


def wrong_suffix(path: Path, expected: str, display: Display) -> Diagnostic:
    return FIL003.at(display(path), 1, 1, name=display(path), suffix=path.suffix, expected=expected)


def empty_file_problem(path: Path, display: Display) -> list[Diagnostic]:
    with path.open("rb") as handle:
        start = handle.read(4096)
    if start.strip() or (start == b"" and path.stat().st_size):
        return []
    if len(start) == 4096:
        return []  # 4 KB of whitespace and more: not empty; the file's own checks judge it
    return [FIL004.at(display(path), 1, 1, name=display(path))]


# Elements that draw; anything else (script, foreignObject, iframe, a, use, image, style...) is refused.
SVG_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "title", "desc", "metadata", "path", "rect", "circle", "ellipse", "line", "polyline",
        "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
        "pattern", "symbol", "use", "marker", "filter", "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix",
        "feComposite", "feFlood", "feMerge", "feMergeNode", "feMorphology",
    }
)  # fmt: skip
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
LINK_ATTRIBUTE = re.compile(r"(?:^|})href$")
URL_IN_STYLE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(", re.IGNORECASE)


def svg_problems(path: Path, display: Display) -> list[Diagnostic]:
    """An SVG must be a plain drawing: no document type or entities, no script, no links, no external resources."""
    raw = path.read_bytes()
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", raw, re.IGNORECASE):
        return [svg_problem(path, display, 1, "a document type or entity declaration")]
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else 1
        return [svg_problem(path, display, line, "XML that cannot be read")]
    text = raw.decode("utf-8", errors="replace")
    found: list[Diagnostic] = []
    for element in root.iter():
        what = unsafe_svg_part(element)
        if what:
            found.append(svg_problem(path, display, line_of_tag(text, element), what))
    return found


def line_of_tag(text: str, element: ElementTree.Element) -> int:
    """The line where the element's tag first appears (ElementTree keeps no positions): enough to find it."""
    local = str(element.tag).rsplit("}", 1)[-1]
    match = re.search(rf"<(?:[\w.-]+:)?{re.escape(local)}\b", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def unsafe_svg_part(element: ElementTree.Element) -> str | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    local = tag.removeprefix(SVG_NAMESPACE)
    if local.startswith("{") or local not in SVG_ELEMENTS:
        return f"a <{local.rsplit('}', 1)[-1]}> element"
    for name, value in element.attrib.items():
        attribute = name.rsplit("}", 1)[-1]
        if attribute.lower().startswith("on"):
            return f"an event handler ({attribute}=)"
        if LINK_ATTRIBUTE.search(name) and not value.strip().startswith("#"):
            return f"a link to {value.strip()[:40]!r}"
        if URL_IN_STYLE.search(value):
            return f"a style that loads a resource ({attribute}=)"
    return None


def svg_problem(path: Path, display: Display, line: int, what: str) -> Diagnostic:
    return FIL006.at(display(path), line, 1, name=display(path), what=what)
