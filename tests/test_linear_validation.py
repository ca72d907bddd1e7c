"""Validation is linear in the size of its input: ten times the text takes about ten times as long, never a
hundred (no regex backtracking). Measured as a ratio of the best of three runs, never as a wall-clock limit."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from relais.check.directory import FORBIDDEN_OUTSIDE_ARABIC, hours_are_valid
from relais.check.location_text import location_clues
from relais.check.safety import control_character_problems, link_problems, markup_problems
from relais.model.guidelines import GuidelinePage, load_page

pytestmark = pytest.mark.hostile

SMALL, LARGE = 30_000, 300_000
# Linear work gives about 10; quadratic work gives about 100. The margin absorbs a noisy shared machine.
MAX_RATIO = 35
_fresh = itertools.count()  # every input differs, so no cache answers in place of the check


def best_of_three(check: Callable[[Any], object], make: Callable[[int], Any], size: int) -> float:
    times = []
    for _ in range(3):
        value = make(size)
        start = time.perf_counter()
        check(value)
        times.append(time.perf_counter() - start)
    return min(times)


def ratio(check: Callable[[Any], object], make: Callable[[int], Any]) -> float:
    best_of_three(check, make, SMALL)  # warm-up
    return best_of_three(check, make, LARGE) / max(best_of_three(check, make, SMALL), 1e-6)


def hours(size: int) -> str:
    return f"Mo-Fr 08:{next(_fresh) % 60:02d}-12:00; " * (size // 19)


def broken_hours(size: int) -> str:
    return f"Mo-Fr 0{next(_fresh) % 10}:00-12:00 " * (size // 18)


def free_text(size: int) -> str:
    return f"Accueil {next(_fresh)} près de la gare, 1er étage, " * (size // 40)


def code_block_page(folder: Path) -> Callable[[int], GuidelinePage]:
    def make(size: int) -> GuidelinePage:
        path = folder / f"page-{next(_fresh)}.md"
        code = 'x = "<b>" # [a](b) `c` <!-- d\n' * (size // 30)
        path.write_text(f'---\ntitle: "Essai"\n---\n\nTexte.\n\n```\n{code}```\n', encoding="utf-8")
        page, _ = load_page(path, folder, path.name)
        assert page is not None
        return page

    return make


def all_page_checks(folder: Path) -> Callable[[GuidelinePage], object]:
    return lambda page: (markup_problems(page), control_character_problems(page), link_problems(page, folder))


def test_an_hours_string_validates_in_linear_time() -> None:
    assert ratio(hours_are_valid, hours) < MAX_RATIO
    assert ratio(hours_are_valid, broken_hours) < MAX_RATIO


def test_free_text_is_scanned_for_locations_and_controls_in_linear_time() -> None:
    assert ratio(location_clues, free_text) < MAX_RATIO
    assert ratio(FORBIDDEN_OUTSIDE_ARABIC.search, free_text) < MAX_RATIO


def test_a_large_code_block_validates_in_linear_time(tmp_path: Path) -> None:
    assert ratio(all_page_checks(tmp_path), code_block_page(tmp_path)) < MAX_RATIO
