"""The build's collector settings stay inside the build: thresholds come back, frozen objects are released."""

from __future__ import annotations

import gc
import weakref

import pytest

from relais.core import memory


class Node:
    def __init__(self) -> None:
        self.self_reference = self


def test_thresholds_are_raised_during_the_build_and_restored_after() -> None:
    before = gc.get_threshold()
    with memory.build_collector():
        assert gc.get_threshold() == memory.BUILD_THRESHOLDS
    assert gc.get_threshold() == before


def test_objects_kept_until_the_end_are_collectable_once_the_build_is_over() -> None:
    with memory.build_collector():
        cycle = Node()
        watcher = weakref.ref(cycle)
        memory.keep_until_the_end()
        assert gc.get_freeze_count() > 0
        del cycle
        gc.collect()
        assert watcher() is not None, "a frozen cycle is out of the collector's reach during the build"
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert watcher() is None


def test_a_failing_build_restores_the_collector_too() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), memory.build_collector():
        memory.keep_until_the_end()
        raise RuntimeError("the build failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
