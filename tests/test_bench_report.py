"""How `make bench` summarises repeated runs of the whole build: the median run, every run beside it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from support import AS_OF

BENCH = Path(__file__).resolve().parent.parent / "scripts" / "bench.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relais_bench", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("relais_bench", module)
    spec.loader.exec_module(module)
    return module


def run(wall: float, memory: float, ok: bool = True) -> dict[str, Any]:
    return {
        "ok": ok,
        "wall_seconds": wall,
        "cpu_seconds": wall * 1.5,
        "peak_rss_mb": memory / 2,
        "tree_peak_pss_mb": memory,
    }


def test_the_median_run_is_reported_with_every_run_and_the_worst_memory() -> None:
    summary = load_bench().summary_of_runs([run(95.0, 1400), run(80.0, 1450), run(88.0, 1420)])
    assert summary["wall_seconds"] == 88.0
    assert summary["runs_wall_seconds"] == [95.0, 80.0, 88.0]
    assert summary["tree_peak_pss_mb"] == 1450
    assert summary["peak_rss_mb"] == 725
    assert summary["runs"] == 3


def test_a_failed_run_is_reported_as_the_result() -> None:
    summary = load_bench().summary_of_runs([run(80.0, 1400), run(12.0, 300, ok=False)])
    assert summary["ok"] is False
    assert summary["wall_seconds"] == 12.0


def test_the_table_lists_each_run_of_the_whole_build() -> None:
    bench = load_bench()
    whole = bench.summary_of_runs([run(95.0, 1400), run(80.0, 1450), run(88.0, 1420)])
    results = {"sizes": {"10000": {"stages": {}, "cli_build": whole}}}
    table = bench.markdown_table(results)
    assert "| relais build (CLI, whole) | 88.0 |" in table
    assert "N=10000: whole build, each run: 95.0, 80.0, 88.0 s" in table
    assert "1,400, 1,450, 1,420 MB" in table


def test_the_engine_floor_config_keeps_nothing_of_ours() -> None:
    """The floor is MkDocs + Material + static-i18n alone: no hooks, no overrides, no template that lives there."""
    config = (BENCH.parent.parent / "mkdocs.yml").read_text(encoding="utf-8")
    floor = load_bench().without_relais(config)
    settings = "\n".join(line for line in floor.splitlines() if not line.lstrip().startswith("#"))
    for ours in ("hooks:", "custom_dir:", "static_templates:", "503.html", "extra_css:", "scripts/relais"):
        assert ours not in settings, ours
    assert "nav:" in floor and "plugins:" in floor and "markdown_extensions:" in floor


def test_the_benchmark_builds_on_the_tests_date() -> None:
    """The tests' date is kept after every review date; on an older one every benchmark build fails with DOC013."""
    assert load_bench().AS_OF == AS_OF
