"""Run one import: read the source, plan against the directory, print the report and the diff, write if allowed.

The command line (`relais import hsds|4w|table`) calls `run_import`; it returns the text to print and the exit code.
Nothing is written when any error is found, nor with `--dry-run`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relais.core.diagnostics import Diagnostic, sorted_diagnostics
from relais.core.project import Project
from relais.importers.hsds_records import RecordContext, convert_service
from relais.importers.hsds_source import read_hsds
from relais.importers.mapping import Mapping, read_mapping
from relais.importers.model import ImportedService, ImportFailed, ImportOptions, ReadResult, Where
from relais.importers.plan import Change, ImportPlan, ledger_path, plan_import
from relais.importers.writer import write_plan
from relais.model.directory import Directory, load_directory

Reader = Callable[[Path, Directory, ImportOptions, Mapping], ReadResult]
MAX_SHOWN = 70


@dataclass
class ImportOutcome:
    text: str
    exit_code: int
    plan: ImportPlan | None = None


def problems_text(diagnostics: list[Diagnostic]) -> list[str]:
    """Each problem on its line; a rule's hint only the first time it appears (a file can repeat one rule often)."""
    hinted: set[str] = set()
    lines = []
    for diagnostic in sorted_diagnostics(diagnostics):
        lines.append(problem_text(diagnostic, with_hint=diagnostic.rule not in hinted))
        hinted.add(diagnostic.rule)
    return lines


def problem_text(diagnostic: Diagnostic, with_hint: bool = True) -> str:
    """`file:row:col: ID message` for rows, `file#/pointer: ID message` for JSON records."""
    where = diagnostic.path
    if diagnostic.line:
        where += f":{diagnostic.line}:{diagnostic.col}" if diagnostic.col else f":{diagnostic.line}"
    label = "" if diagnostic.is_error else "[warning] "
    text = f"{where}: {diagnostic.rule} {label}{diagnostic.message}"
    return text + (f"\n    hint: {diagnostic.hint}" if diagnostic.hint and with_hint else "")


def no_home_diagnostics(context: RecordContext) -> list[Diagnostic]:
    return [
        context.first_seen[name].diagnostic("IMP010", field=name, count=count)
        for name, count in sorted(context.no_home.items())
    ]


def read_hsds_source(path: Path, directory: Directory, options: ImportOptions, mapping: Mapping) -> ReadResult:
    source = read_hsds(path)
    language = options.language or mapping.language or str(source.header.get("language") or "fr")
    context = RecordContext(directory, options, mapping, language if language in ("fr", "en", "ar") else "fr")
    from_relais = any(isinstance(service.get("x_relais"), dict) for _, service in source.services)
    result = ReadResult(publisher=source.header.get("publisher") or ("Relais (export HSDS)" if from_relais else None))
    for where, service in source.services:
        imported = convert_service(service, where, context)
        if imported:
            result.services.append(imported)
    if not source.services:
        context.diagnostics.append(Where(path.name).diagnostic("IMP001", problem="no HSDS service in the file"))
    result.diagnostics = [*context.diagnostics, *no_home_diagnostics(context)]
    return result


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _change_line(change: Change) -> str:
    if change.old is None:
        return f"    + {change.field}: {_show(change.new)}"
    if change.new is None:
        return f"    - {change.field}: {_show(change.old)}"
    return f"    ~ {change.field}: {_show(change.old)} -> {_show(change.new)}"


def render_plan(plan: ImportPlan, display: Callable[[Path], str]) -> list[str]:
    lines = []
    for entry in plan.changed:
        what = f"new {entry.kind}" if entry.is_new else f"{len(entry.changes)} field(s) changed"
        lines.append(f"{'+' if entry.is_new else '~'} {display(entry.path)} ({what})")
        if entry.old_path is not None:
            lines.append(f"    moved from {display(entry.old_path)}")
        lines.extend(_change_line(change) for change in entry.changes)
    for entry in plan.entries:
        for conflict in entry.conflicts:
            lines.append(
                f"! {display(entry.path)}: {conflict.field} kept {_show(conflict.old)} "
                f"(source says {_show(conflict.new)}; --theirs takes it)"
            )
    return lines


def summary(plan: ImportPlan) -> str:
    changed = plan.changed
    if not changed:
        return "0 changes"
    new = sum(e.is_new and e.kind == "service" for e in changed)
    organizations = sum(e.is_new and e.kind == "organization" for e in changed)
    updated = len(changed) - new - organizations
    conflicts = sum(len(e.conflicts) for e in plan.entries)
    return (
        f"{len(changed)} change(s): {new} new service(s), {updated} updated, {organizations} new organisation(s); "
        f"{conflicts} conflict(s)"
    )


def _failure(diagnostics: list[Diagnostic], command: str) -> ImportOutcome:
    shown = problems_text(diagnostics)
    errors = sum(d.is_error for d in diagnostics)
    return ImportOutcome("\n".join([*shown, f"relais import {command}: {errors} error(s); nothing was written"]), 1)


def run_import(
    project: Project,
    command: str,
    reader: Reader,
    source: Path,
    options: ImportOptions,
    mapping_file: Path | None,
    dry_run: bool,
) -> ImportOutcome:
    directory, _ = load_directory(project)
    try:
        mapping = read_mapping(mapping_file)
        read = reader(source, directory, options, mapping)
    except ImportFailed as failure:
        return _failure(failure.diagnostics, command)
    except OSError as error:
        return _failure([Where(source.name).diagnostic("IMP001", problem=str(error))], command)
    if read.failed:
        return _failure(read.diagnostics, command)
    publisher = options.publisher or mapping.publisher or read.publisher or _publisher_of(read.services)
    plan = plan_import(read.services, directory, project.directory_dir, options, publisher, project.display)
    diagnostics = [*read.diagnostics, *plan.diagnostics]
    if plan.failed:
        return _failure(diagnostics, command)
    lines = problems_text(diagnostics)
    lines += render_plan(plan, project.display)
    lines.append(f"relais import {command}: {summary(plan)}" + (" (dry run: nothing written)" if dry_run else ""))
    if not dry_run and (plan.changed or plan.ledger_changed):
        write_plan(plan, ledger_path(project.directory_dir, options.source_name), options.source_name)
    return ImportOutcome("\n".join(lines), 0, plan)


def _publisher_of(services: list[ImportedService]) -> str:
    """The organisation that published the records, when the file and the command line do not say."""
    names = {next(iter(s.organization.data["name"].values())) for s in services if s.organization}
    return names.pop() if len(names) == 1 else "source importée (éditeur non précisé)"
