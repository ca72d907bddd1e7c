"""`relais serve`'s file server, on a real socket: the public prefix, HEAD, no listings, no way out of the site."""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from relais.core.project import Project
from relais.site.serve import ReloadSignal, source_changes, start_server
from support import AS_OF, copy_project

pytestmark = pytest.mark.hostile


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, int]]:
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<p>accueil</p>", encoding="utf-8")
    (site / "en" / "index.html").write_text("<p>home</p>", encoding="utf-8")
    (site / "assets" / "images").mkdir(parents=True)
    (site / "assets" / "images" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the site", encoding="utf-8")
    server = start_server(site, "127.0.0.1", 0, "/relais/")
    try:
        yield server.server_address[0], server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def request(address: tuple[str, int], method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_binds_to_the_loopback_address_only(served: tuple[str, int]) -> None:
    assert served[0] == "127.0.0.1"


def test_the_prefix_without_its_slash_redirects_to_the_home_page(served: tuple[str, int]) -> None:
    status, headers, _ = request(served, "GET", "/relais")
    assert (status, headers["Location"]) == (302, "/relais/")
    assert request(served, "GET", "/relais/")[2] == b"<p>accueil</p>"


def test_a_path_outside_the_prefix_redirects_under_it(served: tuple[str, int]) -> None:
    status, headers, _ = request(served, "GET", "/en/")
    assert (status, headers["Location"]) == (302, "/relais/en/")


def test_head_answers_like_get_without_a_body(served: tuple[str, int]) -> None:
    get_status, get_headers, body = request(served, "GET", "/relais/en/")
    head_status, head_headers, head_body = request(served, "HEAD", "/relais/en/")
    assert (head_status, head_body) == (get_status, b"")
    assert head_headers["Content-Length"] == get_headers["Content-Length"] == str(len(body))
    assert request(served, "HEAD", "/relais")[0] == 302


def test_a_folder_without_index_is_not_listed(served: tuple[str, int]) -> None:
    status, _, body = request(served, "GET", "/relais/assets/images/")
    assert status == 404
    assert b"logo.svg" not in body


@pytest.mark.parametrize(
    "path",
    ["/relais/../secret.txt", "/relais/%2e%2e/secret.txt", "/relais/en/..%2f..%2fsecret.txt", "/relais//secret.txt"],
)
def test_no_path_reaches_a_file_outside_the_site(served: tuple[str, int], path: str) -> None:
    status, _, body = request(served, "GET", path)
    assert b"outside the site" not in body
    assert status in (301, 302, 404)


def watching(project: Project) -> tuple[Iterator[set[Path]], threading.Event]:
    stop = threading.Event()
    changes = source_changes(project, stop)
    return changes, stop


def waiting_for(changes: Iterator[set[Path]]) -> Future[set[Path]]:
    """The next burst of changes, awaited in a thread (the watcher starts with it): edit after this returns."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(next, changes, set())
    pool.shutdown(wait=False)
    time.sleep(0.5)
    return future


def small_project(root: Path) -> Project:
    for folder in ("docs", "directory/services", "overrides"):
        (root / folder).mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    (root / "docs" / "page.md").write_text("first", encoding="utf-8")
    return Project.at(root)


def test_a_saved_source_is_reported_and_a_generated_page_is_not(tmp_path: Path) -> None:
    project = small_project(tmp_path / "projet")
    changes, stop = watching(project)
    try:
        found = waiting_for(changes)
        (project.generated_dir / "x").mkdir(parents=True)  # the build writes here: never a change
        (project.generated_dir / "x" / "ville.md").write_text("généré", encoding="utf-8")
        time.sleep(0.3)
        (project.docs_dir / "page.md").write_text("second", encoding="utf-8")
        assert found.result(timeout=20) == {project.docs_dir / "page.md"}
    finally:
        stop.set()


def test_a_file_saved_while_an_update_runs_comes_in_the_next_changes(tmp_path: Path) -> None:
    project = small_project(tmp_path / "projet")
    changes, stop = watching(project)
    try:
        found = waiting_for(changes)
        (project.docs_dir / "page.md").write_text("second", encoding="utf-8")
        assert found.result(timeout=20) == {project.docs_dir / "page.md"}
        # The caller is busy updating the site; the editor saves another file meanwhile.
        service = project.directory_dir / "services" / "s.yml"
        service.write_text("id: s\n", encoding="utf-8")
        time.sleep(0.5)
        assert waiting_for(changes).result(timeout=20) == {service}
    finally:
        stop.set()


@pytest.mark.build
def test_a_build_changes_nothing_that_serve_watches(tmp_path: Path) -> None:
    """Otherwise every rebuild would trigger another one."""
    root = tmp_path / "projet"
    copy_project(root)
    changes, stop = watching(Project.at(root))
    try:
        found = waiting_for(changes)
        done = subprocess.run(
            [sys.executable, "-m", "relais.cli", "--project", str(root), "build", "--as-of", AS_OF.isoformat()],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        (root / "docs" / "index.md").touch()  # a real save after the build, so the watcher answers
        assert found.result(timeout=20) == {root / "docs" / "index.md"}
    finally:
        stop.set()


@pytest.fixture
def reloading(tmp_path: Path) -> Iterator[tuple[tuple[str, int], ReloadSignal]]:
    site = tmp_path / "site"
    (site / "guide").mkdir(parents=True)
    (site / "index.html").write_text("<html><body><p>accueil</p></body></html>", encoding="utf-8")
    (site / "guide" / "index.html").write_text("<p>sans body</p>", encoding="utf-8")
    (site / "style.css").write_text("p{}", encoding="utf-8")
    signal = ReloadSignal()
    server = start_server(site, "127.0.0.1", 0, "/relais/", signal)
    try:
        yield (server.server_address[0], server.server_address[1]), signal
    finally:
        server.shutdown()
        server.server_close()


def test_served_pages_listen_for_reloads_and_the_files_stay_as_built(
    reloading: tuple[tuple[str, int], ReloadSignal], tmp_path: Path
) -> None:
    address, _ = reloading
    script = b'<script src="/relais/_relais/reload.js"></script>'
    status, headers, body = request(address, "GET", "/relais/")
    assert status == 200 and body == b"<html><body><p>accueil</p>" + script + b"</body></html>"
    assert headers["Content-Length"] == str(len(body))
    assert request(address, "GET", "/relais/guide/")[2] == b"<p>sans body</p>" + script
    assert request(address, "GET", "/relais/style.css")[2] == b"p{}"
    assert b"EventSource" in request(address, "GET", "/relais/_relais/reload.js")[2]
    assert (tmp_path / "site" / "index.html").read_bytes() == b"<html><body><p>accueil</p></body></html>"


def test_the_event_stream_says_the_version_then_each_new_one(
    reloading: tuple[tuple[str, int], ReloadSignal],
) -> None:
    address, signal = reloading
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request("GET", "/relais/_relais/events")
        response = connection.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream"
        assert response.readline() == b"data: 0\n"
        response.readline()
        signal.bump()
        assert response.readline() == b"data: 1\n"
    finally:
        connection.close()


def test_without_watching_pages_are_sent_as_built(served: tuple[str, int]) -> None:
    assert request(served, "GET", "/relais/")[2] == b"<p>accueil</p>"
    assert request(served, "GET", "/relais/_relais/reload.js")[0] == 404
