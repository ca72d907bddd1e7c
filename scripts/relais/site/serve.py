"""Serve the built site on 127.0.0.1 with working search; watch the sources and reload the browser after an edit.

Serves the real build output (with the Pagefind bundle); never a second, different pipeline. What an edit rebuilds
is `relais.pipeline.incremental`'s business; this module watches files (watchfiles, inotify) and tells open pages
to reload: each HTML page it sends gets a script that listens to `_relais/events`. The files on disk stay exactly
those of a build.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import watchfiles

from relais.core.project import Project

RELOAD_PATH = "_relais/"
RELOAD_SCRIPT = """// relais serve: reload this page when the site changes (never in a built site).
(() => {
  const events = new EventSource(document.currentScript.src.replace(/reload\\.js$/, "events"));
  let seen = null;
  events.onmessage = (message) => {
    if (seen !== null && message.data !== seen) location.reload();
    seen = message.data;
  };
})();
"""
KEEP_ALIVE_SECONDS = 15.0


class ReloadSignal:
    """A version number open pages listen to: it goes up each time the site on disk changed."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0

    def bump(self) -> None:
        with self._changed:
            self.version += 1
            self._changed.notify_all()

    def wait_past(self, version: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.version != version, timeout=timeout)
            return self.version


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under the path of its public address (e.g. /relais/), so absolute links work as deployed.

    HEAD answers like GET; a folder without index.html is a 404, never a listing of its files.
    """

    prefix = "/"
    reload: ReloadSignal | None = None  # set by `relais serve` when it watches the sources

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if not self._moved_under_prefix():
            return
        if self.reload is None:
            super().do_GET()
        elif self.path == "/" + RELOAD_PATH + "reload.js":
            self._send(RELOAD_SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")
        elif self.path == "/" + RELOAD_PATH + "events":
            self._send_events(self.reload)
        elif (page := self._html_page()) is not None:
            self._send(self._with_reload_script(page.read_bytes()), "text/html; charset=utf-8")
        else:
            super().do_GET()

    def _html_page(self) -> Path | None:
        """The HTML file a request for a page addresses, or None (other files, folders without a final slash)."""
        path = self.path.partition("?")[0].partition("#")[0]
        if not (path.endswith("/") or path.endswith(".html")):
            return None
        target = Path(self.translate_path(path))
        target = target / "index.html" if path.endswith("/") else target
        return target if target.is_file() else None

    def _with_reload_script(self, page: bytes) -> bytes:
        script = f'<script src="{self.prefix}{RELOAD_PATH}reload.js"></script>'.encode()
        at = page.rfind(b"</body>")
        return page + script if at < 0 else page[:at] + script + page[at:]

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _send_events(self, reload: ReloadSignal) -> None:
        """Server-sent events: the site's version now, then each new one, until the page goes away."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version = reload.version
        try:
            self.wfile.write(f"data: {version}\n\n".encode())
            self.wfile.flush()
            while True:
                now = reload.wait_past(version, KEEP_ALIVE_SECONDS)
                self.wfile.write(f"data: {now}\n\n".encode() if now != version else b": still here\n\n")
                self.wfile.flush()
                version = now
        except (BrokenPipeError, ConnectionResetError):
            return

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


def start_server(
    site_dir: Path, host: str, port: int, prefix: str = "/", reload: ReloadSignal | None = None
) -> http.server.ThreadingHTTPServer:
    """Serve `site_dir` under `prefix` in a thread. With `reload`, pages reload themselves when it is bumped."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler_class = type("SiteHandler", (_SiteHandler,), {"prefix": prefix, "reload": reload})
    handler = functools.partial(handler_class, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watched_sources(project: Project) -> tuple[list[Path], list[Path]]:
    """What `relais serve` watches, and the folders inside it that the build itself writes (never watched)."""
    roots = [project.docs_dir, project.directory_dir, project.mkdocs_yml, project.root / "overrides"]
    return roots, list(project.generated_dirs)


def source_changes(project: Project, stop: threading.Event | None = None, quiet_ms: int = 100) -> Iterator[set[Path]]:
    """The source files saved or removed, one set per burst of changes (an editor's save is several events),
    until `stop` is set. Changes made while the caller works on a set come in the next one."""
    roots, ignored = watched_sources(project)
    ignored = [folder.resolve() for folder in ignored]
    ordinary = watchfiles.DefaultFilter()

    def is_source(change: watchfiles.Change, path: str) -> bool:
        return ordinary(change, path) and not any(Path(path).resolve().is_relative_to(i) for i in ignored)

    existing = [root for root in roots if root.exists()]
    for changes in watchfiles.watch(
        *existing, watch_filter=is_source, debounce=1600, step=quiet_ms, stop_event=stop, raise_interrupt=False
    ):
        yield {Path(path) for _, path in changes}
