"""`relais serve`'s file server, on a real socket: the public prefix, HEAD, no listings, no way out of the site."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from relais.core.project import Project
from relais.site.serve import snapshot, start_server, watch_and_rebuild, watched_sources
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


def test_a_file_saved_during_a_rebuild_triggers_the_next_one(tmp_path: Path) -> None:
    source = tmp_path / "docs" / "page.md"
    source.parent.mkdir()
    source.write_text("first", encoding="utf-8")
    rebuilds: list[str] = []

    def rebuild() -> None:
        rebuilds.append(source.read_text(encoding="utf-8"))
        if len(rebuilds) == 1:  # the editor saves again while the first rebuild runs
            time.sleep(0.05)
            source.write_text("saved during the build", encoding="utf-8")
            os.utime(source, (time.time() + 5, time.time() + 5))
        else:
            raise KeyboardInterrupt

    def edit_soon() -> None:
        time.sleep(0.1)
        source.write_text("second", encoding="utf-8")
        os.utime(source, (time.time() + 2, time.time() + 2))

    def edit_much_later() -> None:  # ends the loop if the save during the build was missed
        time.sleep(3)
        source.write_text("missed", encoding="utf-8")
        os.utime(source, (time.time() + 9, time.time() + 9))

    threading.Thread(target=edit_soon).start()
    threading.Thread(target=edit_much_later, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        watch_and_rebuild([tmp_path / "docs"], [], rebuild, interval=0.05)
    assert rebuilds == ["second", "saved during the build"]


@pytest.mark.build
def test_a_build_changes_nothing_that_serve_watches(tmp_path: Path) -> None:
    """Otherwise every rebuild would trigger another one."""
    root = tmp_path / "projet"
    copy_project(root)
    roots, ignored = watched_sources(Project.at(root))
    before = snapshot(roots, ignored)
    done = subprocess.run(
        [sys.executable, "-m", "relais.cli", "--project", str(root), "build", "--as-of", AS_OF.isoformat()],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert snapshot(roots, ignored) == before
