"""A static HTTP server for the built site, on 127.0.0.1, that compresses text like a real host.

It serves exactly the files of the build below the path of the published site (`/relais/`, from `site_url`, as on
GitHub Pages), so links that only work at the root of a host show up as broken here too. Directory URLs end in `/`
and serve `index.html`; a missing file serves the site's `404.html` with status 404. Text types are gzip-compressed
when the browser accepts it (as GitHub Pages and every CDN do), and every response is recorded so the weight tests
can cross-check the browser's own figures.
"""

from __future__ import annotations

import gzip
import http.server
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Types a real host compresses. Pagefind's own files (.pf_*, .pagefind) are already gzip inside: sent as they are.
COMPRESSED_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
)
EXTRA_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
}


@dataclass(frozen=True)
class Sent:
    path: str
    status: int
    body_bytes: int
    encoding: str


class SiteServer:
    """The built site on http://127.0.0.1:<free port>/, in a background thread."""

    def __init__(self, site: Path, prefix: str = "/") -> None:
        self.site = site.resolve()
        self.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        self.sent: list[Sent] = []
        self.extra_headers: dict[str, str] = {}
        self._lock = threading.Lock()
        self._gzip_cache: dict[Path, bytes] = {}
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.base_url = self.origin + self.prefix
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="site-server", daemon=True)

    def start(self) -> SiteServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")

    def record(self, sent: Sent) -> None:
        with self._lock:
            self.sent.append(sent)

    def take_log(self) -> list[Sent]:
        """What was sent since the last call (and forget it)."""
        with self._lock:
            log, self.sent = self.sent, []
        return log

    def gzipped(self, path: Path) -> bytes:
        with self._lock:
            cached = self._gzip_cache.get(path)
        if cached is None:
            cached = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
            with self._lock:
                self._gzip_cache[path] = cached
        return cached


class _Handler(http.server.BaseHTTPRequestHandler):
    server_state: SiteServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet: pytest shows failures, not access logs
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _resolve(self, url_path: str) -> tuple[Path | None, str | None]:
        """The file for a URL path, or a redirect target for a directory without its trailing slash."""
        site = self.server_state.site
        prefix = self.server_state.prefix
        if url_path + "/" == prefix:
            return None, prefix
        if not url_path.startswith(prefix):
            return None, None
        relative = unquote(url_path).removeprefix(prefix)
        candidate = (site / relative).resolve()
        if not candidate.is_relative_to(site):
            return None, None
        if candidate.is_dir():
            if not url_path.endswith("/"):
                return None, url_path + "/"
            candidate = candidate / "index.html"
        return (candidate if candidate.is_file() else None), None

    def _serve(self, head: bool) -> None:
        state = self.server_state
        url_path = urlsplit(self.path).path
        path, redirect = self._resolve(url_path)
        if redirect is not None:
            self.send_response(301)
            self.send_header("Location", redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            state.record(Sent(url_path, 301, 0, ""))
            return
        status = 200
        if path is None:
            status = 404
            path = state.site / "404.html"
        content_type = EXTRA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/json", "image/svg+xml"):
            content_type += "; charset=utf-8"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        encoding = ""
        if accepts_gzip and content_type.startswith(COMPRESSED_TYPES):
            body = state.gzipped(path)
            encoding = "gzip"
        else:
            body = path.read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in state.extra_headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)
        state.record(Sent(url_path, status, 0 if head else len(body), encoding))
