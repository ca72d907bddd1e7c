"""Work run in a forked child: its result and its failures come back; without fork it runs in place."""

from __future__ import annotations

import os
import threading

import pytest

from relais.core import forked
from relais.site.engine import EngineError


def test_the_result_comes_back_from_another_process() -> None:
    pid, value = forked.call(lambda: (os.getpid(), {"pages": 3}), "test-child")
    assert pid != os.getpid()
    assert value == {"pages": 3}


def test_what_the_child_changes_stays_in_the_child() -> None:
    state = {"touched": False}

    def touch() -> bool:
        state["touched"] = True
        return True

    assert forked.call(touch, "test-child") is True
    assert state == {"touched": False}


def test_the_childs_exception_is_raised_here_as_it_was_raised_there() -> None:
    def refuse() -> None:
        raise EngineError("docs/guide.md: a link to a missing page")

    with pytest.raises(EngineError, match="a link to a missing page"):
        forked.call(refuse, "test-child")


def test_an_exception_that_cannot_be_sent_back_arrives_with_the_childs_traceback() -> None:
    class Unpicklable(Exception):
        def __init__(self) -> None:
            super().__init__("the lock cannot travel")
            self.lock = threading.Lock()

    def refuse() -> None:
        raise Unpicklable()

    with pytest.raises(forked.ChildFailed, match=r"(?s)Traceback.*the lock cannot travel") as failed:
        forked.call(refuse, "test-child")
    assert failed.value.original is None


def test_a_child_that_dies_is_a_failure_with_its_exit_code() -> None:
    with pytest.raises(forked.ChildFailed, match=r"test-child process died \(exit code 3\)"):
        forked.call(lambda: os._exit(3), "test-child")


def test_without_fork_the_work_runs_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert forked.call(os.getpid, "test-child") == os.getpid()
