"""`make bench`: time each stage of the Relais build, and its peak memory, on synthetic directories of growing size.

Figures, not pass/fail: prints a Markdown table and writes bench-results/bench-<date>.json. It changes no project
file (everything is built in a temporary copy) and does not optimise anything: it says where the time goes.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import platform
import pstats
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from importlib import import_module, metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# The tests' build date (tests/support.py), which a test keeps after every page's review date: a page reviewed after
# the build date fails it with DOC013.
AS_OF = date(2026, 12, 31)
LANGUAGES = ("fr", "en", "ar")
LANGUAGE_ROOTS = {"fr": "", "en": "en/", "ar": "ar/"}
# Each stage runs in its own child process so peaks do not mix.
# The measured stages, in the order of the main process of `relais build`; sheets and exports run there in a second
# process, side by side with the engine, and are measured here on their own, after it.
STAGES = ("validate", "generate", "mkdocs", "services", "audit", "pagefind", "sheets", "exports")
FLOOR_PARAGRAPH = (
    "Page de service fictive pour mesurer le plancher du moteur : un seul paragraphe, sans données, sans gabarit "
    "propre à Relais, afin de savoir ce que coûtent MkDocs, Material et static-i18n seuls."
)
# Friendlier names for the packages a profiled function can live in.
PACKAGE_NAMES = {"mkdocs_static_i18n": "static-i18n", "yaml": "pyyaml"}
ENGINE_OWNERS = ("mkdocs", "material", "static-i18n", "our hooks", "our templates")


# --- Child side: one stage, measured inside its own process ---------------------------------------------------------


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _call(work: Callable[[], Any], profile_to: Path | None) -> tuple[Any, float, float]:
    """Run the measured call. Returns its result, wall seconds and CPU seconds (helpers such as Pagefind included)."""
    profiler = cProfile.Profile() if profile_to else None
    cpu_start, helpers_start = time.process_time(), _children_cpu()
    start = time.perf_counter()
    result = profiler.runcall(work) if profiler else work()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start + _children_cpu() - helpers_start
    if profiler:
        profiler.dump_stats(profile_to)
    return result, seconds, cpu


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    """A function of the build that may not exist yet in this checkout (others are writing it)."""
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


@contextlib.contextmanager
def _without_fork() -> Iterator[None]:
    """`relais.core.forked` runs a child's work in place where fork is missing: make it so, for the profiler (a
    forked child's calls never reach the parent's profile). The stages then run one after the other."""
    import multiprocessing
    from unittest import mock

    with mock.patch.object(multiprocessing, "get_all_start_methods", return_value=["spawn"]):
        yield


def _public_directory(checked: Any) -> Any:
    """The public projection where this checkout has one (renderers take it), else the checked records."""
    project_public = _optional("relais.model.public", "public_directory")
    return project_public(checked.directory) if project_public else checked.directory


def run_stage(stage: str, project_root: Path, site_dir: Path, profile_to: Path | None) -> dict[str, Any]:
    """Run one stage on a prepared project as `relais.pipeline.build.publish` does; inputs from earlier stages are read
    again, untimed (so a stage's peak memory includes the loaded directory, as in the real build)."""
    from relais.check.project import check_project
    from relais.core.project import Project
    from relais.pipeline import build
    from relais.site import engine, search_index

    project = Project.at(project_root)
    site_url = engine.read_setting(project.mkdocs_yml, "site_url")
    unchecked = ("validate", "floor", "audit", "pagefind", "build")  # these read (or check) the project themselves
    checked = check_project(project, AS_OF) if stage not in unchecked else None
    # Renderers and exports take the public projection of the directory, as `relais.pipeline.build.publish` does.
    public = _public_directory(checked) if checked is not None else None
    details: dict[str, Any] = {}
    if stage == "build":  # the whole `relais build`, in this one process so that a profiler sees all of it
        target = project.with_overrides(site_dir=site_dir)
        with _without_fork():
            report, seconds, cpu = _call(lambda: build.build_project(target, AS_OF), profile_to)
        details = {"reported_stage_seconds": {name: round(s, 3) for name, s in report.stage_seconds.items()}}
    elif stage == "validate":
        checked, seconds, cpu = _call(lambda: check_project(project, AS_OF), profile_to)
        details = {
            "services": len(checked.directory.services),
            "guideline_pages": len(checked.pages),
            "errors": sum(d.is_error for d in checked.diagnostics),
            "warnings": sum(not d.is_error for d in checked.diagnostics),
            "first_errors": [f"{d.path}:{d.line}: {d.rule} {d.message}" for d in checked.diagnostics if d.is_error][:5],
        }
    elif stage == "generate":
        files, seconds, cpu = _call(lambda: build.generate_pages(project, checked, AS_OF), profile_to)
        details = {"files": files}
    elif stage in ("mkdocs", "floor"):
        shutil.rmtree(site_dir, ignore_errors=True)
        context = _optional("relais.render.context", "set_current")
        if checked is not None and context is not None:  # what the hooks may read, as `publish` sets it
            context(import_module("relais.render.context").BuildContext(public, AS_OF))
        report, seconds, cpu = _call(lambda: engine.build_site(project.mkdocs_yml, site_dir), profile_to)
        details = {"engine_warnings": len(report.warnings)}
    elif stage == "services":
        write_services = _optional("relais.render.pages", "write_service_pages")
        settings = _optional("relais.pipeline.build", "page_settings")
        if write_services is None or settings is None:
            return {"skipped": "relais.render.pages.write_service_pages does not exist"}
        files, seconds, cpu = _call(
            lambda: write_services(public, site_dir, settings(project, AS_OF), checked.pages), profile_to
        )
        details = {"files": len(files.files), "problems": len(files.problems)}
    elif stage == "sheets":
        write_sheets = _optional("relais.render.sheets", "write_print_sheets")
        settings = _optional("relais.pipeline.build", "page_settings")
        if write_sheets is None or settings is None:
            return {"skipped": "relais.render.sheets.write_print_sheets does not exist"}
        files, seconds, cpu = _call(lambda: write_sheets(public, site_dir, settings(project, AS_OF)), profile_to)
        details = {"files": len(files)}
    elif stage == "audit":
        audit_site = _optional("relais.check.html_audit", "audit_site")
        if audit_site is None:
            return {"skipped": "relais.check.html_audit.audit_site does not exist"}
        folders = _optional("relais.render.pages", "service_page_folders")  # audited as they were written
        audited = folders() if folders else ()
        problems, seconds, cpu = _call(lambda: audit_site(site_dir, site_url, audited_already=audited), profile_to)
        details = {"problems": len(problems)}
    elif stage == "pagefind":
        report, seconds, cpu = _call(lambda: search_index.index_site(site_dir), profile_to)
        details = {"indexed_pages": report.page_count, "indexed_per_language": report.pages_per_language}
    elif stage == "exports":
        out_dir = site_dir.parent / "exports"
        shutil.rmtree(out_dir, ignore_errors=True)
        write_all = _optional("relais.export", "write_all_exports")
        write_exports = _optional("relais.export.open_data", "write_exports")
        if write_all is not None:
            files, seconds, cpu = _call(lambda: write_all(public, out_dir, AS_OF, site_url), profile_to)
        elif write_exports is not None:
            files, seconds, cpu = _call(lambda: write_exports(public, out_dir, AS_OF, site_url), profile_to)
        else:
            return {"skipped": "relais.export.open_data.write_exports does not exist yet"}
        details = {"files": len(files), "bytes": folder_bytes(out_dir)}
    else:
        raise SystemExit(f"unknown stage {stage}")
    return {"stage_seconds": round(seconds, 3), "stage_cpu_seconds": round(cpu, 3), **details}


def stage_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.py _stage")
    parser.add_argument("stage")
    parser.add_argument("project", type=Path)
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args(argv)
    result = run_stage(args.stage, args.project, args.site_dir, args.profile)
    result["self_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["helpers_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    args.result.write_text(json.dumps(result), encoding="utf-8")
    return 0


# --- Parent side: projects, child processes, facts --------------------------------------------------------------------


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants together, every 0.2 s: the build forks a process
    for sheets and exports and runs Pagefind, so the largest single process (wait4's peak RSS) is not the whole.
    PSS (proportional set size) counts pages shared after a fork once, not once per process."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.finished = threading.Event()

    def run(self) -> None:
        while not self.finished.wait(0.2):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _descendants(self.pid)))


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
    found, index = [root], 0
    while index < len(found):
        found += children.get(found[index], [])
        index += 1
    return found


def _pss_kb(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def run_child(command: list[str], log: Path, timeout: float, code: Path) -> dict[str, Any]:
    """Run a command in its own session, importing `relais` from the snapshot in `code`.

    Returns wall time, CPU time, the peak RSS of the largest process of the tree (from wait4) and the peak of the
    whole tree's memory (sampled, PSS).
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(code)}
    os.sync()  # the previous measurement's written files go to disk now, not during this one
    load_before = round(os.getloadavg()[0], 2)  # other work on the machine slows the wall clock, not the CPU time
    timed_out = threading.Event()
    start = time.perf_counter()
    with log.open("wb") as output:
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env, start_new_session=True)

        def stop() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)  # the child's own session: only what this script started

        timer = threading.Timer(timeout, stop)
        timer.start()
        memory = TreeMemory(child.pid)
        memory.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
            memory.finished.set()
        child.returncode = os.waitstatus_to_exitcode(status)
    return {
        "ok": child.returncode == 0 and not timed_out.is_set(),
        "timed_out": timed_out.is_set(),
        "wall_seconds": round(time.perf_counter() - start, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "tree_peak_pss_mb": round(memory.peak_kb / 1024, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "load_before": load_before,
    }


def measure_stage(
    stage: str,
    project_root: Path,
    site_dir: Path,
    work: Path,
    timeout: float,
    profile_to: Path | None = None,
    code: Path | None = None,
) -> dict[str, Any]:
    """One stage in a child process (`bench.py _stage ...`), importing `relais` from `code` (default: the copy's)."""
    result_file = work / f"{stage}.result.json"
    result_file.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "_stage", stage, str(project_root), str(site_dir)]
    command += [str(result_file)] + (["--profile", str(profile_to)] if profile_to else [])
    log = work / f"{stage}{'.profile' if profile_to else ''}.log"
    measured = run_child(command, log, timeout, code or project_root / "scripts")
    if result_file.exists():
        measured |= json.loads(result_file.read_text(encoding="utf-8"))
    if not measured["ok"]:
        measured["log_tail"] = log.read_text(encoding="utf-8", errors="replace")[-1500:]
    return measured


def measure_cli_build(project_root: Path, site_dir: Path, work: Path, timeout: float) -> dict[str, Any]:
    """`relais build` exactly as a user runs it, with the synthetic directory and a separate site folder."""
    relais = Path(sys.executable).with_name("relais")
    command = [str(relais), "--project", str(project_root), "build", "--as-of", AS_OF.isoformat()]
    command += ["--directory", str(project_root / "directory"), "--site-dir", str(site_dir)]
    log = work / "cli-build.log"
    measured = run_child(command, log, timeout, project_root / "scripts")
    output = log.read_text(encoding="utf-8", errors="replace")
    reported = re.search(r"site written to .*? \((.*?)\); search index pages (.*)$", output, re.MULTILINE)
    if reported:
        measured["reported_stage_seconds"] = {
            name: float(seconds) for name, seconds in re.findall(r"(\w+) ([0-9.]+)s", reported.group(1))
        }
    if not measured["ok"]:
        measured["log_tail"] = output[-1500:]
    return measured


def measure_hugo(work: Path, code: Path, runs: int, timeout: float) -> dict[str, Any]:
    """The same synthetic services as a minimal Hugo site (`bench_hugo`): `hugo --minify`, then Pagefind over its
    public/ folder, `runs` times from an empty folder. Wall, CPU and memory are those of the two commands in turn."""
    import bench_hugo

    site, public = work / "hugo-site", work / "hugo-public"
    start = time.perf_counter()
    written = bench_hugo.write_hugo_site(work / "synthetic", site)
    found: dict[str, Any] = {"prepare_seconds": round(time.perf_counter() - start, 3), **written}
    measured = []
    for run in range(1, runs + 1):
        print(f"  hugo + pagefind, run {run}/{runs} ...", flush=True)
        shutil.rmtree(public, ignore_errors=True)
        hugo = run_child(bench_hugo.hugo_command(site, public), work / "hugo.log", timeout, code)
        pagefind = {"ok": False, "wall_seconds": 0.0, "cpu_seconds": 0.0, "peak_rss_mb": 0.0, "tree_peak_pss_mb": 0.0}
        if hugo["ok"]:
            command = bench_hugo.pagefind_command(sys.executable, public)
            pagefind = run_child(command, work / "hugo-pagefind.log", timeout, code)
        both = {
            "ok": hugo["ok"] and pagefind["ok"],
            "timed_out": hugo["timed_out"] or pagefind.get("timed_out", False),
            **{key: round(hugo[key] + pagefind[key], 3) for key in ("wall_seconds", "cpu_seconds")},
            **{key: max(hugo[key], pagefind[key]) for key in ("peak_rss_mb", "tree_peak_pss_mb")},
            "hugo": hugo,
            "pagefind": pagefind,
        }
        if not both["ok"]:
            log = work / ("hugo.log" if not hugo["ok"] else "hugo-pagefind.log")
            both["log_tail"] = log.read_text(encoding="utf-8", errors="replace")[-1500:]
        measured.append(both)
        if not both["ok"]:
            break
    found |= summary_of_runs(measured)
    if found["ok"]:
        found["runs_hugo_wall_seconds"] = [run["hugo"]["wall_seconds"] for run in measured]
        found["runs_pagefind_wall_seconds"] = [run["pagefind"]["wall_seconds"] for run in measured]
        found["site"] = {
            "html_pages": sum(1 for _ in public.rglob("*.html")),
            "site_bytes": folder_bytes(public),
            "pagefind_bytes": folder_bytes(public / "pagefind"),
        }
    found["hugo_version"] = _version("hugo")
    shutil.rmtree(public, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    return found


def measure_serve(project_root: Path, work: Path, edits: int, timeout: float) -> dict[str, Any]:
    """`relais serve` on the benchmark project: seconds from saving one service file to the page showing it."""
    from urllib.parse import urlparse

    import bench_serve

    relais = Path(sys.executable).with_name("relais")
    command = [str(relais), "--project", str(project_root), "serve", "--as-of", AS_OF.isoformat()]
    command += ["--directory", str(project_root / "directory"), "--site-dir", str(work / "site-serve")]
    site_url = re.search(r"^site_url:\s*(\S+)", (project_root / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    prefix = (urlparse(site_url.group(1)).path if site_url else "/") or "/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project_root / "scripts")}
    found = bench_serve.measure_serve_refresh(
        command, project_root / "directory", prefix, work / "serve.log", env, edits, timeout
    )
    if not found["ok"]:
        found["log_tail"] = (work / "serve.log").read_text(encoding="utf-8", errors="replace")[-1500:]
    shutil.rmtree(work / "site-serve", ignore_errors=True)
    return found


def summary_of_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time, with every run's wall time and memory beside it.

    The wall clock of this shared VM varies from run to run with its disk; memory is reported as the worst run's.
    """
    if not all(run["ok"] for run in runs):
        return next(run for run in runs if not run["ok"]) | {"runs": len(runs)}
    by_wall = sorted(runs, key=lambda run: run["wall_seconds"])
    summary = dict(by_wall[(len(by_wall) - 1) // 2])
    summary["runs"] = len(runs)
    summary["runs_wall_seconds"] = [run["wall_seconds"] for run in runs]
    summary["runs_cpu_seconds"] = [run["cpu_seconds"] for run in runs]
    summary["runs_tree_peak_pss_mb"] = [run["tree_peak_pss_mb"] for run in runs]
    summary["peak_rss_mb"] = max(run["peak_rss_mb"] for run in runs)
    summary["tree_peak_pss_mb"] = max(run["tree_peak_pss_mb"] for run in runs)
    return summary


SNAPSHOT_PARTS = ("docs", "overrides", "mkdocs.yml", "scripts/relais", "directory/schema")
SKIPPED = shutil.ignore_patterns("annuaire", "sujets", "editeurs", "__pycache__", "node_modules")
# Workbox's npm packages (the offline kit): linked into each copy, not copied (thousands of files, not our code).
SW_MODULES = "scripts/relais/site/sw/node_modules"


def snapshot_code(target: Path) -> str:
    """Copy what the build reads and runs, once, so every size measures the same code while others edit the tree.

    Returns a fingerprint of the copy (sha256 of paths and contents) to tell runs of different code apart.
    """
    import hashlib

    for part in SNAPSHOT_PARTS:
        copy_entry(REPO / part, target / part, ignore=SKIPPED)
    digest = hashlib.sha256()
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        digest.update(path.relative_to(target).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def copy_project(target: Path, directory: Path, code: Path) -> None:
    """As tests/conftest.copy_project does, from the code snapshot, with the synthetic directory instead of ours.

    The whole `relais` package goes into the copy's scripts/, so children import that snapshot (PYTHONPATH).
    """
    for part in SNAPSHOT_PARTS:
        copy_entry(code / part, target / part, dirs_exist_ok=True)
    if (REPO / SW_MODULES).is_dir():
        (target / SW_MODULES).symlink_to(REPO / SW_MODULES, target_is_directory=True)
    for path in directory.iterdir():
        copy_entry(path, target / "directory" / path.name)


def copy_entry(source: Path, destination: Path, **copytree_options: Any) -> None:
    """Copy a file or a whole folder to `destination`, making its parent folders."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, destination, **copytree_options)
    else:
        shutil.copy(source, destination)


def without_relais(config: str) -> str:
    """mkdocs.yml without our hooks, templates and stylesheet; plugins, extensions and nav untouched."""
    kept: list[str] = []
    skipping_under = -1  # the indentation of the key being left out with its block, or -1
    for line in config.splitlines():
        indent = len(line) - len(line.lstrip())
        if skipping_under >= 0 and (not line.strip() or indent > skipping_under or line.lstrip().startswith("-")):
            continue
        skipping_under = -1
        # static_templates: our 503.html lives in overrides/, which the floor does not have.
        if re.match(r"^\s*(hooks|extra_css|static_templates):", line):
            skipping_under = indent
            continue
        if line.strip() != "custom_dir: overrides":
            kept.append(line)
    return "\n".join(kept) + "\n"


def make_floor_project(target: Path, services: int, code: Path) -> None:
    """Plain MkDocs + Material + static-i18n: the same config without Relais, and N trivial pages x 3 languages."""
    config = (code / "mkdocs.yml").read_text(encoding="utf-8")
    (target / "docs").mkdir(parents=True)
    (target / "mkdocs.yml").write_text(without_relais(config), encoding="utf-8")

    def page(relative: str, title: str) -> None:
        for language in LANGUAGES:
            suffix = "" if language == "fr" else f".{language}"
            path = target / "docs" / relative.replace(".md", f"{suffix}.md")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"---\ntitle: {json.dumps(title)}\n---\n\n{FLOOR_PARAGRAPH}\n", encoding="utf-8")

    nav_block = config.split("\nnav:", 1)[1]
    for relative in sorted(set(re.findall(r"[\w/.-]+\.md", nav_block))):
        page(relative, relative)
    for number in range(1, services + 1):
        page(f"annuaire/services/floor-{number:05d}.md", f"Service plancher {number:05d}")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def site_facts(site: Path) -> dict[str, Any]:
    """Pages, sizes and the Pagefind bundle per language of a built site."""
    service_pages = [
        p for root in LANGUAGE_ROOTS.values() for p in (site / root / "annuaire" / "services").glob("*/index.html")
    ]
    sizes = sorted(p.stat().st_size for p in service_pages)
    largest_html = max(site.rglob("*.html"), key=lambda p: p.stat().st_size, default=None)
    pagefind: dict[str, int] = dict.fromkeys(LANGUAGES, 0)
    bundle = site / "pagefind"
    for path in bundle.rglob("*") if bundle.is_dir() else []:
        found = re.match(r"(?:pagefind\.)?([a-z]{2,3})(?:[-_][a-z0-9-]+)?_[0-9a-f]+\.", path.name)
        if path.is_file() and found and found.group(1) in pagefind:
            pagefind[found.group(1)] += path.stat().st_size
    return {
        "html_pages": sum(1 for _ in site.rglob("*.html")),
        "site_bytes": folder_bytes(site),
        "service_pages": len(service_pages),
        "service_page_median_bytes": int(statistics.median(sizes)) if sizes else 0,
        "service_page_max_bytes": sizes[-1] if sizes else 0,
        "largest_html": {
            "path": largest_html.relative_to(site).as_posix() if largest_html else "",
            "bytes": largest_html.stat().st_size if largest_html else 0,
        },
        "pagefind_bytes": folder_bytes(bundle) if bundle.is_dir() else 0,
        "pagefind_bytes_per_language": pagefind,
    }


def owner_of(filename: str) -> str:
    """The package a profiled function belongs to: site-packages folder, our code, the standard library, builtins."""
    if filename.endswith("mkdocs_hooks.py"):
        return "our hooks"
    package = re.search(r"site-packages/([^/]+)", filename)
    if package:
        name = package.group(1).removesuffix(".py")
        return PACKAGE_NAMES.get(name, name)
    if "/scripts/relais/" in filename:
        return "relais"
    if "/overrides/" in filename:
        return "our templates"
    if filename.startswith(("~", "<")):
        return "builtins"
    return "stdlib"


def profile_summary(profile: Path, top: int = 15) -> dict[str, list[dict[str, Any]]]:
    """Top entries by cumulative time that belong to the engine (and, for context, the top by own time overall)."""
    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.items():
        owner = owner_of(filename)
        where = re.sub(r"^.*?/(site-packages|scripts|lib/python3\.\d+)/", "", filename)
        rows.append(
            {
                "owner": owner,
                "function": f"{where}:{line}({function})",
                "calls": calls,
                "own_seconds": round(own, 3),
                "cumulative_seconds": round(cumulative, 3),
            }
        )
    engine = [row for row in rows if row["owner"] in ENGINE_OWNERS]
    by_owner: dict[str, float] = {}
    for row in rows:
        by_owner[row["owner"]] = round(by_owner.get(row["owner"], 0) + row["own_seconds"], 3)
    return {
        "engine_by_cumulative": sorted(engine, key=lambda r: -r["cumulative_seconds"])[:top],
        "all_by_own_time": sorted(rows, key=lambda r: -r["own_seconds"])[:top],
        "all_by_cumulative": sorted(rows, key=lambda r: -r["cumulative_seconds"])[:top],
        "own_seconds_by_package": dict(sorted(by_owner.items(), key=lambda item: -item[1])),
    }


def machine_facts() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8") if Path("/proc/meminfo").exists() else ""
    total_kb = re.search(r"MemTotal:\s+(\d+)", meminfo)
    packages = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "pagefind", "pymdown-extensions", "Jinja2", "hugo")
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8") if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return {
        "cpu_model": model.group(1).strip() if model else platform.processor() or "unknown",
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gb": round(int(total_kb.group(1)) / 1024 / 1024, 1) if total_kb else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": {name: _version(name) for name in packages},
    }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


# --- One size ---------------------------------------------------------------------------------------------------------


def bench_size(
    services: int, code: Path, args: argparse.Namespace, save: Callable[[], None], results: dict[str, Any]
) -> None:
    """Every measurement for one number of services, in a temporary folder removed afterwards (unless --keep)."""
    from relais.model.synthetic import write_synthetic_directory

    work = Path(tempfile.mkdtemp(prefix=f"relais-bench-{services}-"))
    entry: dict[str, Any] = {"work_dir": str(work), "stages": {}}
    results["sizes"][str(services)] = entry
    project = work / "project"
    stage_site = work / "site-stages"
    try:
        start = time.perf_counter()
        write_synthetic_directory(work / "synthetic", services, seed=args.seed)
        copy_project(project, work / "synthetic", code)
        entry["prepare_seconds"] = round(time.perf_counter() - start, 3)
        entry["directory_bytes"] = folder_bytes(work / "synthetic")
        for stage in STAGES:
            print(f"[{services}] {stage} ...", flush=True)
            entry["stages"][stage] = measured = measure_stage(stage, project, stage_site, work, args.stage_timeout)
            save()
            print(f"[{services}] {stage}: {describe(measured)}", flush=True)
            if measured.get("timed_out"):
                entry["stopped"] = f"{stage} ran over {args.stage_timeout:.0f} s and was stopped"
                return
        entry["site"] = site_facts(stage_site)
        save()
        shutil.rmtree(stage_site, ignore_errors=True)
        if services == args.profile_size:
            print(f"[{services}] mkdocs under cProfile ...", flush=True)
            profile = work / "mkdocs.prof"
            profiled = measure_stage("mkdocs", project, work / "site-profile", work, args.stage_timeout, profile)
            shutil.rmtree(work / "site-profile", ignore_errors=True)
            if profile.exists():
                results["profile"] = {"size": services, "stage_seconds": profiled.get("stage_seconds")}
                results["profile"] |= profile_summary(profile)
                if args.keep or args.profile_copy:
                    shutil.copy(profile, Path(args.out) / f"mkdocs-{services}.prof")
            save()
        runs = []
        for run in range(1, args.runs + 1):
            print(f"[{services}] relais build (CLI), run {run}/{args.runs} ...", flush=True)
            runs.append(measure_cli_build(project, work / "site-cli", work, args.stage_timeout))
            print(f"[{services}] relais build, run {run}: {describe(runs[-1])}", flush=True)
            if runs[-1]["ok"] and run == args.runs:
                entry["cli_site"] = site_facts(work / "site-cli")
            shutil.rmtree(work / "site-cli", ignore_errors=True)
            if not runs[-1]["ok"]:
                break
        entry["cli_build"] = summary_of_runs(runs)
        save()
        print(f"[{services}] relais build: {describe(entry['cli_build'])}", flush=True)
        print(f"[{services}] Hugo + Pagefind on the same services ...", flush=True)
        entry["hugo"] = measure_hugo(work, code / "scripts", args.runs, args.stage_timeout)
        save()
        print(f"[{services}] hugo + pagefind: {describe(entry['hugo'])}", flush=True)
        if not args.no_floor:
            print(f"[{services}] engine floor ...", flush=True)
            floor = work / "floor"
            make_floor_project(floor, services, code)
            site_floor = work / "site-floor"
            entry["floor"] = measure_stage("floor", floor, site_floor, work, args.stage_timeout, code=code / "scripts")
            if entry["floor"]["ok"]:
                entry["floor"]["site"] = site_facts(work / "site-floor")
            shutil.rmtree(work / "site-floor", ignore_errors=True)
            save()
            print(f"[{services}] floor: {describe(entry['floor'])}", flush=True)
        if services == args.profile_size:
            print(f"[{services}] whole relais build under cProfile, in one process ...", flush=True)
            profile = work / "build.prof"
            profiled = measure_stage("build", project, work / "site-profile", work, args.stage_timeout, profile)
            shutil.rmtree(work / "site-profile", ignore_errors=True)
            if profile.exists():
                results["build_profile"] = {"size": services, "stage_seconds": profiled.get("stage_seconds")}
                summary = profile_summary(profile)
                results["build_profile"]["top_by_cumulative"] = summary["all_by_cumulative"]
                results["build_profile"]["top_by_own_time"] = summary["all_by_own_time"]
                if args.keep or args.profile_copy:
                    shutil.copy(profile, Path(args.out) / f"build-{services}.prof")
            save()
        if services in args.serve_sizes:
            print(f"[{services}] relais serve: time from an edit to the served page ...", flush=True)
            entry["serve_refresh"] = measure_serve(project, work, args.serve_edits, args.stage_timeout)
            save()
            print(f"[{services}] serve refresh (s): {serve_cell(entry['serve_refresh'])}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
            entry["work_dir"] = "(removed)"
        save()


def describe(measured: dict[str, Any]) -> str:
    if measured.get("skipped"):
        return f"skipped ({measured['skipped']})"
    state = "ok" if measured.get("ok") else ("TIMED OUT" if measured.get("timed_out") else "FAILED")
    inner = f", stage {measured['stage_seconds']} s" if "stage_seconds" in measured else ""
    return (
        f"{state}: process {measured['wall_seconds']} s{inner}, peak {measured['peak_rss_mb']} MB "
        f"(all processes together: {measured.get('tree_peak_pss_mb', '?')} MB)"
    )


# --- Report -----------------------------------------------------------------------------------------------------------


def _seconds(measured: dict[str, Any] | None, cpu: bool = False) -> float | None:
    """Wall (or CPU) seconds of the measured call; for the whole CLI build, of its process."""
    if not measured or measured.get("skipped") or not measured.get("ok"):
        return None
    if cpu:
        return measured.get("stage_cpu_seconds", measured.get("cpu_seconds"))
    return measured.get("stage_seconds", measured.get("wall_seconds"))


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def rows_of(results: dict[str, Any]) -> list[tuple[str, list[dict[str, Any] | None]]]:
    sizes = list(results["sizes"].values())
    rows: list[tuple[str, list[dict[str, Any] | None]]] = []
    for stage in STAGES:
        rows.append((stage, [size["stages"].get(stage) for size in sizes]))
    rows.append(("relais build (CLI, whole)", [size.get("cli_build") for size in sizes]))
    rows.append(("engine floor (MkDocs only)", [size.get("floor") for size in sizes]))
    return rows


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return round(top / bottom, 2) if top and bottom else None


def ratios(results: dict[str, Any]) -> dict[str, Any]:
    """time(largest)/time(smallest) per stage, and our build over the engine floor, in wall and CPU seconds."""
    sizes = sorted(int(n) for n in results["sizes"])
    found: dict[str, Any] = {"growth": {}, "over_floor": {}}
    if len(sizes) >= 2:
        small, large = results["sizes"][str(sizes[0])], results["sizes"][str(sizes[-1])]
        pairs = {s: (small["stages"].get(s), large["stages"].get(s)) for s in STAGES}
        pairs |= {"cli_build": (small.get("cli_build"), large.get("cli_build"))}
        pairs |= {"floor": (small.get("floor"), large.get("floor"))}
        found["growth"] = {
            "sizes": f"{sizes[-1]}/{sizes[0]}",
            "wall": {stage: _ratio(_seconds(b), _seconds(a)) for stage, (a, b) in pairs.items()},
            "cpu": {stage: _ratio(_seconds(b, True), _seconds(a, True)) for stage, (a, b) in pairs.items()},
        }
    for n in sizes:
        size = results["sizes"][str(n)]
        floor, mkdocs, whole = size.get("floor"), size["stages"].get("mkdocs"), size.get("cli_build")
        found["over_floor"][str(n)] = {
            "mkdocs_stage/floor (wall)": _ratio(_seconds(mkdocs), _seconds(floor)),
            "mkdocs_stage/floor (cpu)": _ratio(_seconds(mkdocs, True), _seconds(floor, True)),
            "whole_build/floor (wall)": _ratio(_seconds(whole), _seconds(floor)),
            "whole_build/floor (cpu)": _ratio(_seconds(whole, True), _seconds(floor, True)),
        }
    return found


def markdown_table(results: dict[str, Any]) -> str:
    sizes = list(results["sizes"])
    what = ("wall (s)", "CPU (s)", "peak RSS (MB)", "all processes (MB)")
    columns = [f"N={n}: {name}" for n in sizes for name in what]
    lines = ["| stage | " + " | ".join(columns) + " |", "|" + " --- |" * (1 + len(columns))]
    for name, cells in rows_of(results):
        values = []
        for measured in cells:
            tree = _cell(measured.get("tree_peak_pss_mb")) if measured else "—"
            if measured and measured.get("skipped"):
                values += ["skipped", "—", "—", "—"]
            elif measured and measured.get("timed_out"):
                stopped = f"> {measured['wall_seconds']:.0f} (stopped)"
                values += [stopped, "—", _cell(measured.get("peak_rss_mb")), tree]
            else:
                rss = measured.get("peak_rss_mb") if measured else None
                values += [_cell(_seconds(measured)), _cell(_seconds(measured, True)), _cell(rss), tree]
        lines.append(f"| {name} | " + " | ".join(values) + " |")
    lines += ["", "| site (stage build, without exports) | " + " | ".join(f"N={n}" for n in sizes) + " |"]
    lines.append("|" + " --- |" * (1 + len(sizes)))
    sites = [results["sizes"][n].get("site") or {} for n in sizes]
    facts = [("HTML pages", "html_pages", 1), ("site size (MB)", "site_bytes", 1e6)]
    facts += [("service page, median (KB)", "service_page_median_bytes", 1e3)]
    facts += [("service page, largest (KB)", "service_page_max_bytes", 1e3)]
    for label, key, scale in facts:
        lines.append(f"| {label} | " + " | ".join(_fact(site.get(key), scale) for site in sites) + " |")
    largest = [site.get("largest_html", {}) for site in sites]
    lines.append("| largest HTML page (KB) | " + " | ".join(_fact(page.get("bytes"), 1e3) for page in largest) + " |")
    for language in LANGUAGES:
        cells = [_fact(site.get("pagefind_bytes_per_language", {}).get(language), 1e6) for site in sites]
        lines.append(f"| Pagefind index, {language} (MB) | " + " | ".join(cells) + " |")
    exports = [results["sizes"][n]["stages"].get("exports", {}).get("bytes") for n in sizes]
    lines.append("| exports (MB) | " + " | ".join(_fact(value, 1e6) for value in exports) + " |")
    lines.append("")
    for n in sizes:
        whole = results["sizes"][n].get("cli_build") or {}
        walls = ", ".join(f"{wall:.1f}" for wall in whole.get("runs_wall_seconds", []))
        memory = ", ".join(f"{mb:,.0f}" for mb in whole.get("runs_tree_peak_pss_mb", []))
        if walls:
            lines.append(f"N={n}: whole build, each run: {walls} s (median in the table); all processes: {memory} MB")
    return "\n".join(lines)


def comparison_table(results: dict[str, Any]) -> str:
    """Relais against Hugo + Pagefind on the same services, and the `relais serve` refresh, one row per size."""
    head = "| services × fr/en/ar | Relais wall (s) | Hugo+Pagefind wall (s) | ratio | Relais site (MB) "
    head += "| Hugo site (MB) | Relais peak RSS (MB) | Hugo+Pagefind peak RSS (MB) | serve refresh (s) |"
    lines = [head, "|" + " --- |" * 9]
    for n, size in results["sizes"].items():
        relais, hugo = size.get("cli_build") or {}, size.get("hugo") or {}
        relais_wall, hugo_wall = _seconds(relais), _seconds(hugo)
        ratio = _ratio(relais_wall, hugo_wall)
        serve = size.get("serve_refresh") or {}
        refresh = serve_cell(serve)

        def memory(measured: dict[str, Any]) -> str:
            if not measured.get("ok"):
                return "—"
            return f"{measured['peak_rss_mb']:,.0f} (all: {measured['tree_peak_pss_mb']:,.0f})"

        cells = [f"{int(n):,}", _cell(relais_wall), _cell(hugo_wall), f"{ratio:.1f}×" if ratio else "—"]
        cells += [_fact((size.get("cli_site") or {}).get("site_bytes"), 1e6)]
        cells += [_fact((hugo.get("site") or {}).get("site_bytes"), 1e6), memory(relais), memory(hugo), refresh]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def serve_cell(serve: dict[str, Any]) -> str:
    """Seconds of each timed edit: services, then guideline pages."""
    parts = []
    for key, what in (("edits_seconds", "service"), ("guideline_edits_seconds", "guideline")):
        if serve.get(key):
            parts.append(f"{what} " + ", ".join(f"{seconds:.1f}" for seconds in serve[key]))
    return "; ".join(parts) or "—"


def profile_table(profile: dict[str, Any], key: str = "top_by_cumulative") -> str:
    lines = ["| cumulative (s) | own (s) | calls | where |", "| --- | --- | --- | --- |"]
    for row in profile.get(key, []):
        where = row["function"].replace("|", "\\|")
        cells = (row["cumulative_seconds"], row["own_seconds"], row["calls"], where)
        lines.append("| {:,.2f} | {:,.2f} | {:,} | `{}` |".format(*cells))
    return "\n".join(lines)


def machine_line(machine: dict[str, Any]) -> str:
    return (
        f"{machine.get('cpu_model', 'unknown CPU')}, {machine['usable_cpus']} usable CPUs of {machine['nproc']}, "
        f"{machine['memory_gb']} GB RAM, {machine['platform']}, Python {machine['python']}"
    )


def report_markdown(results: dict[str, Any]) -> str:
    """The benchmark report: machine, comparison, stages, profile."""
    machine = results["machine"]
    versions = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    parts = [
        f"# Relais benchmark, {results['date']}",
        "",
        f"Machine: {machine_line(machine)}.  ",
        f"Versions: {versions}. Code fingerprint {results.get('code_fingerprint', '?')}, seed {results['seed']}.",
        "",
        "## Relais against Hugo + Pagefind (same synthetic services, one page per service per language)",
        "",
        comparison_table(results),
        "",
        "Wall: median of the runs. Relais: the whole `relais build` (validation, every page, print sheets, exports,",
        "Pagefind once per language). Hugo: `hugo --minify` then one Pagefind run over its public/ folder, a bare",
        "page per service. Peak RSS: the largest single process; all: every process of the build together (PSS).",
        "Serve refresh: seconds from saving one file (a service, then a guideline page) to `relais serve` serving",
        "the new text, each edit. Sheets, exports and the search index follow in the background.",
        "",
        "## Relais stages",
        "",
        markdown_table(results),
    ]
    profile = results.get("build_profile")
    if profile:
        parts += [
            "",
            f"## Profile: one `relais build` at {profile['size']:,} services, top 15 by cumulative time",
            "",
            "cProfile of the whole build in one process (its forked children run in place, one after the other, so",
            f"that the profiler sees them): {profile.get('stage_seconds')} s under the profiler.",
            "",
            profile_table(profile),
            "",
            "The same profile, top 15 by own time (where the time is spent, not who called it):",
            "",
            profile_table(profile, "top_by_own_time"),
        ]
    return "\n".join(parts) + "\n"


def _fact(value: float | None, scale: float) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if scale == 1 else f"{value / scale:,.1f}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_stage"]:
        return stage_main(argv[1:])
    parser = argparse.ArgumentParser(description="Measure the Relais build at scale (figures, not pass/fail).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of services")
    parser.add_argument("--out", default=str(REPO / "bench-results"), help="folder for the JSON results")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stage-timeout", type=float, default=600, help="stop a stage after this many seconds")
    parser.add_argument("--profile-size", type=int, default=1000, help="profile the MkDocs stage at this size")
    parser.add_argument("--profile-copy", action="store_true", help="keep the .prof file in --out")
    parser.add_argument("--no-floor", action="store_true", help="skip the plain MkDocs build")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and sites")
    parser.add_argument("--runs", type=int, default=3, help="times to run each whole build at each size")
    parser.add_argument(
        "--serve-sizes", type=int, nargs="*", default=[1000, 10000], help="sizes to time `relais serve` at"
    )
    parser.add_argument("--serve-edits", type=int, default=2, help="edits timed in `relais serve`")
    args = parser.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    today = date.today().isoformat()
    target = out / f"bench-{today}.json"
    results: dict[str, Any] = {
        "date": today,
        "as_of": AS_OF.isoformat(),
        "seed": args.seed,
        "machine": machine_facts(),
        "sizes": {},
    }

    def save() -> None:
        results["ratios"] = ratios(results)
        target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    code = Path(tempfile.mkdtemp(prefix="relais-bench-code-"))
    try:
        results["code_fingerprint"] = snapshot_code(code)
        for services in args.sizes:
            bench_size(services, code, args, save, results)
    finally:
        shutil.rmtree(code, ignore_errors=True)
    save()
    report = out / "report.md"
    report.write_text(report_markdown(results), encoding="utf-8")
    print()
    print(f"Machine: {machine_line(results['machine'])}")
    print()
    print(comparison_table(results))
    print()
    print(markdown_table(results))
    print()
    print(json.dumps(results["ratios"], indent=2))
    if "profile" in results:
        print(f"\nMkDocs stage under cProfile (N={results['profile']['size']}), engine entries by cumulative time:")
        for row in results["profile"]["engine_by_cumulative"]:
            print(f"  {row['cumulative_seconds']:8.2f} s  {row['calls']:>9}  [{row['owner']}] {row['function']}")
    if "build_profile" in results:
        print(f"\nWhole relais build under cProfile (N={results['build_profile']['size']}), top 15 by cumulative time:")
        print(profile_table(results["build_profile"]))
    print(f"\nresults: {target}\nreport: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
