"""`make bench`: how long `relais serve` takes to show an edit of one service, measured as an editor sees it.

Starts `relais serve` on a benchmark project, edits one service file, and polls the served page over HTTP until the
new text is there. It measures only; the project is a temporary copy, and the server is stopped at the end.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

POLL_SECONDS = 0.1
# `relais serve` starts the server, then takes the watcher's first snapshot of the sources: an edit made before that
# snapshot is part of it and never triggers a rebuild. The snapshot of 10,000 service files takes about a second.
SETTLE_SECONDS = 5.0
GUIDE_PAGE = "guides/formation/gardes-frontieres.md"  # a guideline page and its address below the site prefix
GUIDE_ADDRESS = "guides/formation/gardes-frontieres/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    """The page's text, or None while the server is not up or the page is missing (mid-rebuild)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(condition: Any, timeout: float, server: subprocess.Popen[bytes]) -> float | None:
    """Seconds until `condition()` holds, polled every 0.1 s; None on timeout or if the server ended."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if condition():
            return time.perf_counter() - start
        if server.poll() is not None:
            return None
        time.sleep(POLL_SECONDS)
    return None


def edit_description(service_file: Path, marker: str) -> None:
    """Put `marker` as the first word of the French description (one word more; the entry stays valid)."""
    text = service_file.read_text(encoding="utf-8")
    edited, count = re.subn(r'(\ndescription:\n  fr: ")', rf"\g<1>{marker} ", text, count=1)
    if count != 1:
        raise ValueError(f"no French description line in {service_file}")
    service_file.write_text(edited, encoding="utf-8")


def timed_edits(
    change: Callable[[str], None], url: str, marker: str, edits: int, timeout: float, server: subprocess.Popen[bytes]
) -> tuple[list[float], str]:
    """`edits` times: `change` the source with a new marker, then time until the page at `url` shows it.
    Returns the seconds of each edit and, if one never showed, why."""
    seconds: list[float] = []
    for number in range(1, edits + 1):
        text = f"{marker}{number}"
        change(text)
        shown = wait_for(lambda t=text: t in (fetch(url) or ""), timeout, server)
        if shown is None:
            return seconds, f"{text} did not show within {timeout:.0f} s"
        seconds.append(round(shown, 3))
        time.sleep(1.5)  # let the background work (sheets, exports, search) start before the next edit
    return seconds, ""


def append_paragraph(page: Path, marker: str) -> None:
    """A guideline page with one paragraph more at its end (the page stays valid)."""
    page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}.\n", encoding="utf-8")


def public_service(directory: Path) -> tuple[Path, str]:
    """The first public service of the directory (by file name) and its id."""
    for path in sorted((directory / "services").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        found = re.search(r'^id: "([^"]+)"', text, re.MULTILINE)
        if found and 'visibility: "public"' in text:
            return path, found.group(1)
    raise ValueError(f"no public service in {directory}")


def measure_serve_refresh(
    command: list[str], directory: Path, url_prefix: str, log: Path, env: dict[str, str], edits: int, timeout: float
) -> dict[str, Any]:
    """Start the server (`command` plus --port), then `edits` times: edit one service, time until the page shows it.

    The server runs in its own session; only that session is stopped at the end.
    """
    service_file, service_id = public_service(directory)
    port = free_port()
    url = f"http://127.0.0.1:{port}{url_prefix}annuaire/services/{service_id}/"
    found: dict[str, Any] = {"ok": False, "service": service_id, "edits_seconds": [], "guideline_edits_seconds": []}
    start = time.perf_counter()
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*command, "--port", str(port)], stdout=output, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        try:
            first = wait_for(lambda: fetch(url) is not None, timeout, server)
            if first is None:
                found["failure"] = "the first build or the server did not come up"
                return found
            found["first_build_and_serve_seconds"] = round(time.perf_counter() - start, 3)
            time.sleep(SETTLE_SECONDS)
            guide = directory.parent / "docs" / GUIDE_PAGE
            guide_url = f"http://127.0.0.1:{port}{url_prefix}{GUIDE_ADDRESS}"
            for key, change, page_url, marker in (
                ("edits_seconds", lambda m: edit_description(service_file, m), url, "BENCHEDIT"),
                ("guideline_edits_seconds", lambda m: append_paragraph(guide, m), guide_url, "BENCHGUIDE"),
            ):
                found[key], failure = timed_edits(change, page_url, marker, edits, timeout, server)
                if failure:
                    found["failure"] = failure
                    return found
            found["ok"] = True
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    said = log.read_text(encoding="utf-8", errors="replace")
    found["updates_reported"] = re.findall(r"^relais serve: (.*: .*)$", said, re.MULTILINE)[1:]
    return found
