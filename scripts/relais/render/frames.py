"""Pages filled into a frame the engine rendered once: the service pages, thousands per language.

Every service page has the same frame (header, language switcher, styles, scripts) at the same folder depth, so its
relative links are the same; only the title, description, page slug and content change. Rendering each of them
through the engine was most of the build time, and the engine's floor alone is over our time budget at 10,000
services. So the engine renders one frame page per language whose title, description, slug and content are tokens;
we split it at the tokens once and join the pieces with each page's escaped values. The frame page itself is then
removed from the site and its sitemap entry replaced by the real pages'.

Engine-neutral: works on the HTML any engine writes, as long as the tokens come out unchanged.
"""

from __future__ import annotations

import gzip
import io
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from relais.core.filewriter import write_text
from relais.render.markup import Markup, escaped

# Not a valid service id (ids are lowercase letters, digits and single dashes), so it can never clash with one.
FRAME_SLUG = "_relais-frame_"
TITLE_TOKEN = "RelaisFrameTitleToken"
DESCRIPTION_TOKEN = "RelaisFrameDescriptionToken"
BODY_TOKEN = "RelaisFrameBodyToken"
_HOLES = {TITLE_TOKEN: "title", DESCRIPTION_TOKEN: "description", FRAME_SLUG: "slug", BODY_TOKEN: "body"}
_TOKENS = re.compile("|".join(re.escape(token) for token in _HOLES))
INDEXED_CONTENT = '<div class="relais-content" data-pagefind-body>'
# Material prints the page title as an <h1> when the content has none; each service's content brings its own, so the
# frame's content says "<h1" in a comment, removed again when the frame is split.
H1_NOTE = "<!-- <h1> comes with each page's content -->"
UNINDEXED_CONTENT = '<div class="relais-content">'


# Where whitespace is content (pre, textarea) or hashed by the CSP (script, style): left exactly as written.
_KEPT_AS_WRITTEN = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
_INDENTED_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def without_indentation(html: str) -> str:
    """`html` without its indentation and blank lines. A newline stays wherever there was one, so a browser shows
    the same text; the engine's templates indent every line, about 4% of a service page, times 30,000 pages."""
    parts = _KEPT_AS_WRITTEN.split(html)
    # split() yields text, kept block, tag name, text, ...: only the text parts are squeezed.
    return "".join(
        _INDENTED_LINES.sub("\n", part) if index % 3 == 0 else part
        for index, part in enumerate(parts)
        if index % 3 != 2
    )


class FrameError(Exception):
    """The engine changed a token, or dropped one: the frame cannot be filled safely."""


@dataclass(frozen=True)
class Frame:
    """The frame's HTML cut at its holes: pieces[0] hole[0] pieces[1] ... hole[n-1] pieces[n]."""

    pieces: tuple[str, ...]
    holes: tuple[str, ...]

    def fill(self, values: Mapping[str, Markup]) -> str:
        """`values` are inserted as given, so they must be markup (see `page_values`): text would go in unescaped."""
        parts = [self.pieces[0]]
        for hole, piece in zip(self.holes, self.pieces[1:], strict=True):
            value = values[hole]
            if not isinstance(value, Markup):
                raise TypeError(f"the frame's {hole} is given {type(value).__name__}, not Markup")
            parts.append(value)
            parts.append(piece)
        return "".join(parts)

    def content_position(self) -> tuple[int, int]:
        """(line, 0-based column) where the content starts in a filled page; earlier holes never hold a newline."""
        before = "".join(self.pieces[: self.holes.index("body") + 1])
        return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1)

    def unindexed(self) -> Frame:
        """The same frame whose content the search index skips (inactive or defunct services)."""
        before = self.pieces[self.holes.index("body")]
        if before.count(INDEXED_CONTENT) != 1 or "data-pagefind-body" in "".join(self.pieces).replace(
            INDEXED_CONTENT, ""
        ):
            raise FrameError("the frame's content wrapper carries no single data-pagefind-body")
        pieces = list(self.pieces)
        pieces[self.holes.index("body")] = before.replace(INDEXED_CONTENT, UNINDEXED_CONTENT)
        return Frame(tuple(pieces), self.holes)


@dataclass(frozen=True)
class FramedPage:
    """One page to write into a frame. `title`, `description` and `slug` are plain text; `body` is finished HTML."""

    slug: str
    title: str
    description: str
    body: Markup
    indexed: bool = True


def frame_source(front_matter: str) -> str:
    """The Markdown source of a frame page: the given front matter and the body token."""
    return f"{front_matter}{H1_NOTE}{BODY_TOKEN}\n"


def split_frame(html: str, origin: str = "frame") -> Frame:
    html = without_indentation(html)  # whole, so that a script around a hole would be kept whole too
    pieces: list[str] = []
    holes: list[str] = []
    last = 0
    for match in _TOKENS.finditer(html):
        pieces.append(html[last : match.start()])
        holes.append(_HOLES[match.group(0)])
        last = match.end()
    pieces.append(html[last:])
    missing = sorted(set(_HOLES.values()) - set(holes))
    if missing:
        raise FrameError(f"{origin}: the engine's output lost the {', '.join(missing)} token(s)")
    if holes.count("body") != 1:
        raise FrameError(f"{origin}: the content token appears {holes.count('body')} times")
    body = holes.index("body")
    if pieces[body].count(H1_NOTE) != 1:
        raise FrameError(f"{origin}: the engine's output lost the note before the content")
    pieces[body] = pieces[body].replace(H1_NOTE, "")
    return Frame(tuple(pieces), tuple(holes))


def page_values(page: FramedPage) -> dict[str, Markup]:
    """The holes' markup; titles and descriptions on one line, as the engine's templates print them."""
    return {
        "title": escaped(" ".join(page.title.split())),
        "description": escaped(" ".join(page.description.split())),
        "slug": escaped(page.slug),
        "body": page.body,
    }


def read_frame(frame_dir: Path) -> tuple[Frame, str]:
    """Read and split the frame the engine wrote in `frame_dir`, then remove the frame page from the site.
    Returns the frame and the page as written (for the audit)."""
    html_file = frame_dir / "index.html"
    if not html_file.is_file():
        raise FrameError(f"{html_file}: the engine wrote no frame page")
    html = html_file.read_text(encoding="utf-8")
    frame = split_frame(html, str(html_file))
    shutil.rmtree(frame_dir)
    return frame, html


def write_framed_pages(frame: Frame, pages: Iterable[FramedPage], out_dir: Path) -> list[Path]:
    """Write `<out_dir>/<slug>/index.html` for every page. Returns the files written. Faster when the folders
    exist already (see `relais.core.filewriter.make_folders`)."""
    unindexed = frame.unindexed()
    return [
        write_text(out_dir / page.slug / "index.html", (frame if page.indexed else unindexed).fill(page_values(page)))
        for page in pages
    ]


_URL_ENTRY = re.compile(r"\n[ \t]*<url>.*?</url>", re.DOTALL)


def expand_sitemap(site_dir: Path, slugs: list[str]) -> None:
    """Replace the frame's entries in sitemap.xml (and its .gz twin) by one entry per slug."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return

    def expand(match: re.Match[str]) -> str:
        entry = match.group(0)
        return "".join(entry.replace(FRAME_SLUG, slug) for slug in slugs) if FRAME_SLUG in entry else entry

    text = _URL_ENTRY.sub(expand, sitemap.read_text(encoding="utf-8"))
    sitemap.write_text(text, encoding="utf-8")
    compressed = site_dir / "sitemap.xml.gz"
    if compressed.is_file():
        compressed.write_bytes(_gzip_like(compressed.read_bytes(), text.encode("utf-8")))


def _gzip_like(previous: bytes, data: bytes) -> bytes:
    """Compress `data` with the previous file's header time, so reproducible builds stay byte-identical."""
    mtime = int.from_bytes(previous[4:8], "little") if len(previous) >= 8 else 0
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=mtime) as out:
        out.write(data)
    return buffer.getvalue()
