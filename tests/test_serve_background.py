"""`relais serve`'s background work: one job at a time, the newest work next, and no edit's sheets forgotten."""

from __future__ import annotations

import threading
from typing import Any

from relais.pipeline.incremental import _Background


def test_work_asked_while_a_job_runs_is_done_once_newest_first_with_the_sheets_owed() -> None:
    started, release = threading.Event(), threading.Event()
    done: list[tuple[Any, ...]] = []

    def job(work: Any) -> None:
        started.set()
        release.wait(10)
        done.append(work)

    background = _Background(job, say=lambda _: None)
    background.request(("edit 1", "settings 1", True))
    assert started.wait(10)
    background.request(("edit 2", "settings 2", True))  # a service edit: its sheets are owed ...
    background.request(("edit 3", "settings 3", False))  # ... even when a guideline edit comes after it
    release.set()
    background.wait()
    assert done == [("edit 1", "settings 1", True), ("edit 3", "settings 3", True)]


def test_a_guideline_edit_alone_does_not_write_the_sheets() -> None:
    done: list[tuple[Any, ...]] = []
    background = _Background(done.append, say=lambda _: None)
    background.request(("edit", "settings", False))
    background.wait()
    assert done == [("edit", "settings", False)]
