"""Faults during a build, through the real `relais build` command: a second build at once, Ctrl+C, SIGTERM and a
write error. Each time: no traceback, no half-built folder left, and the previous site intact or the new one whole."""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import AS_OF, copy_project

pytestmark = [pytest.mark.hostile, pytest.mark.build]

RELAIS = [sys.executable, "-m", "relais.cli"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults") / "projet"
    copy_project(root)
    done = run(root)
    assert done.returncode == 0, done.stderr
    return root


def run(root: Path, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RELAIS, "--project", str(root), "build", "--as-of", AS_OF.isoformat()],
        capture_output=True,
        text=True,
        timeout=600,
        **options,  # type: ignore[call-overload]
    )


def start(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*RELAIS, "--project", str(root), "build", "--as-of", AS_OF.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a build started in a terminal
        # A shell running in the background (as CI does) starts children with Ctrl+C ignored; a terminal does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def fingerprint(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(site).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("site.") or ".pagefind-" in p.name)


def wait_for_staging(root: Path, build: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not (root / "site.building").exists():
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.05)
    time.sleep(0.5)  # inside the engine's build, with both staging folders written to


def test_two_builds_at_once_both_finish_and_the_site_is_whole(built: Path) -> None:
    first, second = start(built), start(built)
    results = [build.communicate(timeout=600) for build in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    assert all("Traceback" not in err for _, err in results)
    assert any("waiting for it to finish" in err for _, err in results)
    assert (built / "site" / "pagefind" / "pagefind-entry.json").is_file()
    assert (built / "site" / "en" / "index.html").is_file()
    assert leftovers(built) == []


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupted_build_leaves_the_previous_site_and_nothing_else(built: Path, how: str) -> None:
    before = fingerprint(built / "site")
    build = start(built)
    wait_for_staging(built, build)
    if how == "ctrl-c":
        os.killpg(build.pid, signal.SIGINT)  # the terminal sends it to the whole group
    else:
        build.send_signal(signal.SIGTERM)  # `kill <pid>`: the main process only
    _, err = build.communicate(timeout=120)
    assert build.returncode == 130, err
    assert "Traceback" not in err
    assert "stopped before the end; the previous site is unchanged" in err
    assert leftovers(built) == []
    assert fingerprint(built / "site") == before


def test_a_write_error_is_one_line_and_keeps_the_previous_site(built: Path) -> None:
    before = fingerprint(built / "site")

    def small_files_only() -> None:  # files stop growing at 64 KB: writing more fails with EFBIG, like a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

    done = run(built, preexec_fn=small_files_only)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    message = [line for line in done.stderr.splitlines() if line.startswith("relais build:")]
    assert len(message) == 1 and "File too large" in message[0], done.stderr
    assert leftovers(built) == []
    assert fingerprint(built / "site") == before
