"""Serve the built site on 127.0.0.1 with working search, and rebuild when a source file changes.

Serves the real build output (with the Pagefind bundle); never a second, different pipeline.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from relais.core.project import Project


def snapshot(roots: Iterable[Path], ignored: Iterable[Path]) -> dict[Path, float]:
    ignored = [p.resolve() for p in ignored]
    state: dict[Path, float] = {}
    for root in roots:
        files = [root] if root.is_file() else root.rglob("*")
        for path in files:
            if path.is_file() and not any(path.resolve().is_relative_to(i) for i in ignored):
                state[path] = path.stat().st_mtime
    return state


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under the path of its public address (e.g. /relais/), so absolute links work as deployed.

    HEAD answers like GET; a folder without index.html is a 404, never a listing of its files.
    """

    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self._moved_under_prefix():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._moved_under_prefix():
            super().do_HEAD()

    def _moved_under_prefix(self) -> bool:
        """Strip the public prefix from the request path; redirect (and return False) when it is missing."""
        if self.prefix == "/":
            return True
        bare = self.prefix.rstrip("/")
        path, _, query = self.path.partition("?")
        if path == bare:
            self._redirect(self.prefix + (f"?{query}" if query else ""))
            return False
        if not self.path.startswith(self.prefix):
            self._redirect(self.prefix + self.path.lstrip("/"))
            return False
        self.path = "/" + self.path[len(self.prefix) :]
        return True

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404, "Not found")
        return None


def start_server(site_dir: Path, host: str, port: int, prefix: str = "/") -> http.server.ThreadingHTTPServer:
    handler_class = type(
        "SiteHandler", (_SiteHandler,), {"prefix": "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"}
    )
    handler = functools.partial(handler_class, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watched_sources(project: Project) -> tuple[list[Path], list[Path]]:
    """What `relais serve` watches, and the folders inside it that the build itself writes (never watched)."""
    roots = [project.docs_dir, project.directory_dir, project.mkdocs_yml, project.root / "overrides"]
    return roots, list(project.generated_dirs)


def watch_and_rebuild(
    roots: list[Path], ignored: list[Path], rebuild: Callable[[], None], interval: float = 1.0
) -> None:
    """Poll source files; call `rebuild` after each change. Runs until interrupted.

    The state compared next is the one taken before the rebuild, so a file saved while a build runs triggers the
    next one (the folders the build writes into must be in `ignored`)."""
    last = snapshot(roots, ignored)
    while True:
        time.sleep(interval)
        current = snapshot(roots, ignored)
        if current != last:
            last = current
            rebuild()
