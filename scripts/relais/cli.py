"""The `relais` command: validate, build, serve (and more as the hub grows).

Reads arguments, calls the modules that do the work, prints results and sets the exit code. Never a traceback
for bad input: content problems are diagnostics, engine failures are messages.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


from relais.core.diagnostics import render_json, render_text
from relais.core.project import Project, find_project_root


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def _build_date() -> date:
    """The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        from datetime import UTC, datetime

        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def _project(args: argparse.Namespace) -> Project:
    root = Path(args.project) if args.project else find_project_root(Path.cwd())
    project = Project.at(root)
    return project.with_overrides(
        directory_dir=Path(args.directory) if getattr(args, "directory", None) else None,
        site_dir=Path(args.site_dir) if getattr(args, "site_dir", None) else None,
    )


def cmd_validate(args: argparse.Namespace) -> int:
    from relais.check.project import validate_project

    diagnostics = validate_project(_project(args), args.as_of or _build_date())
    print(render_json(diagnostics) if args.format == "json" else render_text(diagnostics))
    failing = [d for d in diagnostics if d.is_error or args.strict]
    return 1 if failing else 0


def _run_build(project: Project, as_of: date) -> int:
    from relais.pipeline.build import BuildFailed, build_project

    try:
        report = build_project(project, as_of)
    except BuildFailed as failure:
        if failure.diagnostics:
            print(render_text(failure.diagnostics), file=sys.stderr)
        print(f"relais build: {failure}", file=sys.stderr)
        return 1
    _print_build_report(report)
    return 0


def _print_build_report(report: Any) -> None:
    from relais.site import offline

    warnings = [d for d in report.diagnostics if not d.is_error]
    if warnings:
        print(render_text(warnings))
    stages = ", ".join(f"{stage} {seconds:.1f}s" for stage, seconds in report.stage_seconds.items())
    indexed = ", ".join(f"{lang}: {count}" for lang, count in sorted(report.indexed_pages.items()))
    print(f"relais build: site written to {report.site_dir} ({stages}); search index pages {indexed}")
    for language, precache in sorted(report.precache.items()):
        budget = "" if precache.bytes <= offline.PRECACHE_BUDGET_BYTES else " (over the 5 MB budget)"
        print(f"offline precache {language}: {precache.files} files, {offline.size_text(precache.bytes)}{budget}")


def cmd_build(args: argparse.Namespace) -> int:
    project = _project(args)
    status = _run_build(project, args.as_of or _build_date())
    if status == 0 and args.pdf:
        from relais.site.pdf import write_city_pdfs

        written = write_city_pdfs(project.site_dir)
        print(f"relais build: {len(written)} PDF referral sheets in {project.site_dir / 'pdf'}")
    return status


def cmd_serve(args: argparse.Namespace) -> int:
    from urllib.parse import urlparse

    from relais.pipeline.incremental import ServeSession
    from relais.site.engine import read_setting
    from relais.site.serve import ReloadSignal, source_changes, start_server

    project = _project(args)
    reload = None if args.no_watch else ReloadSignal()
    session = ServeSession(
        project, args.as_of or _build_date(), say=_say, on_pages_written=reload.bump if reload else lambda: None
    )
    first = session.full_build()
    _report_update(first)
    if first.way == "failed" and not project.site_dir.exists():
        return 1
    prefix = urlparse(read_setting(project.mkdocs_yml, "site_url")).path or "/"
    server = start_server(project.site_dir, args.host, args.port, prefix, reload)
    print(f"relais serve: http://{args.host}:{args.port}{prefix} (Ctrl+C to stop)", flush=True)
    try:
        if args.no_watch:
            server.serve_forever()
        for changed in source_changes(project):
            _report_update(session.update(changed), changed, project)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        session.close()
    return 0


def _say(message: str) -> None:
    print(message, flush=True)


def _report_update(outcome: Any, changed: set[Path] | None = None, project: Project | None = None) -> None:
    """One line per update; the diagnostics when it failed (the site served stays the last good one)."""
    if outcome.way == "failed":
        errors = [d for d in outcome.diagnostics if d.is_error]
        print(render_text(errors) if errors else outcome.reason, file=sys.stderr, flush=True)
        print("relais serve: not updated; fix the errors above and save again", file=sys.stderr, flush=True)
        return
    if outcome.report is not None:
        _print_build_report(outcome.report)
    what = ", ".join(sorted(project.display(path) for path in changed)) if changed and project else "the site"
    done = {
        "full": "full build",
        "quick": f"{outcome.pages} pages written again",
        "engine": f"{outcome.pages} pages built again",
        "none": "nothing to change",
    }
    print(f"relais serve: {what}: {done.get(outcome.way, outcome.way)}", flush=True)


def cmd_export(args: argparse.Namespace) -> int:
    """Validate the directory, then write the same downloads as the build: HSDS JSON, services, 4W, coverage."""
    from relais.check.project import check_project
    from relais.core.outputs import output_problem
    from relais.export import write_all_exports
    from relais.model.public import public_directory
    from relais.site.engine import read_setting

    project = _project(args)
    checked = check_project(project, args.as_of or _build_date())
    problems = [d for d in checked.diagnostics if d.is_error]
    if problems:
        print(render_text(problems), file=sys.stderr)
        print("relais export: fix the errors above first; nothing was exported", file=sys.stderr)
        return 1
    out_dir = Path(args.out)
    problem = output_problem(project.root, out_dir, "--out")
    if problem:
        print(f"relais export: {problem}; nothing was exported", file=sys.stderr)
        return 1
    written = write_all_exports(
        public_directory(checked.directory),
        out_dir,
        args.as_of or _build_date(),
        read_setting(project.mkdocs_yml, "site_url"),
    )
    for path in written:
        print(path)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from relais.check.translations import render_status_json, render_status_text, translation_status

    statuses = translation_status(_project(args).docs_dir)
    print(render_status_json(statuses) if args.format == "json" else render_status_text(statuses))
    return 0


def cmd_report_stale(args: argparse.Namespace) -> int:
    """Entries past their verification window, by country, city and organisation (for the weekly issue too)."""
    from relais.check.freshness import render_stale_issue, render_stale_json, render_stale_text, stale_entries
    from relais.check.project import check_project
    from relais.model.public import public_directory

    as_of = args.as_of or _build_date()
    checked = check_project(_project(args), as_of)
    errors = [d for d in checked.diagnostics if d.is_error]
    if errors:
        print(render_text(errors), file=sys.stderr)
        print("relais report stale: fix the errors above first", file=sys.stderr)
        return 1
    entries = stale_entries(public_directory(checked.directory), as_of)
    renderers = {"text": render_stale_text, "json": render_stale_json, "markdown": render_stale_issue}
    print(renderers[args.format](entries, as_of))
    return 0


def cmd_new_service(args: argparse.Namespace) -> int:
    """Write a new, valid but unverified service file from the commented template."""
    from relais.model.directory import load_directory
    from relais.render.scaffold import ScaffoldRefused, create_service, plan_service

    project = _project(args)
    directory, _ = load_directory(project)
    try:
        draft = plan_service(
            directory,
            project.directory_dir,
            args.country,
            args.city,
            args.as_of or _build_date(),
            organization=args.organization,
            service_id=args.id,
            name=args.name,
        )
        path = create_service(project, directory, draft)
    except ScaffoldRefused as refusal:
        print(f"relais new service: {refusal}", file=sys.stderr)
        return 1
    print(f"relais new service: wrote {project.display(path)}")
    print("  It validates, but stays `status: inactive` until you fill every « À COMPLÉTER », check the service")
    print("  (call, visit, e-mail or dated public source), update `verified` and set `status: active`.")
    return 0


def cmd_new_page(args: argparse.Namespace) -> int:
    """Write a new guideline page (or a translation of one) with valid front matter and a skeleton."""
    from relais.model.directory import load_directory
    from relais.render.scaffold import ScaffoldRefused, create_page, plan_page

    project = _project(args)
    directory, _ = load_directory(project)
    try:
        draft = plan_page(
            project.docs_dir, args.section, args.slug, args.language, args.as_of or _build_date(), args.title
        )
        path = create_page(project, directory, draft)
    except ScaffoldRefused as refusal:
        print(f"relais new page: {refusal}", file=sys.stderr)
        return 1
    print(f"relais new page: wrote {project.display(path)}")
    if args.language == "fr":
        print("  `relais validate` reports it (DOC009, DOC011, DOC018) until the text has 600 words, dated Sources")
        print("  and `review.checked_against`: that is expected. Add the page to `nav` in mkdocs.yml and to the list")
        print("  in its section's index.md.")
    else:
        print("  Translate the French page section by section; `translation.source_revision` records the French")
        print("  version you started from. Check with `relais report translations`.")
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    """Print the rule catalogue, or rewrite its table in the CONTRIBUTING files."""
    from relais.rules import all_rules
    from relais.rules.table import MarkersMissing, render_markdown, render_text, write_contributing_tables

    if args.write_contributing:
        try:
            changed = write_contributing_tables(_project(args).root)
        except (MarkersMissing, OSError) as problem:
            print(f"relais rules: {problem}", file=sys.stderr)
            return 1
        print(f"relais rules: {len(changed)} CONTRIBUTING file(s) updated")
        return 0
    print(render_markdown(all_rules()) if args.format == "markdown" else render_text(all_rules()), end="")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import an HSDS file, a 4W workbook or a mapped table into directory entries (see relais.importers)."""
    from relais.importers.cli_support import import_command

    return import_command(args, _project(args), args.as_of or _build_date())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="relais", description="Validate, build and serve the Relais hub.")
    parser.add_argument("--project", help="project folder (default: the one containing mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--directory", help="directory data folder (default: directory/)")
        sub.add_argument("--as-of", type=_parse_date, help="build date for freshness checks (YYYY-MM-DD)")
        return sub

    validate = add("validate", "check all content and data; print located errors")
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(func=cmd_validate)

    build = add("build", "validate, then build the site with search into site/")
    build.add_argument("--site-dir", help="output folder (default: site/)")
    build.add_argument("--pdf", action="store_true", help="also render every city referral sheet to PDF (Chromium)")
    build.set_defaults(func=cmd_build)

    serve = add("serve", "build and serve on http://127.0.0.1:8000, rebuilding on change")
    serve.add_argument("--site-dir", help="output folder (default: site/)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-watch", action="store_true", help="do not rebuild on change")
    serve.set_defaults(func=cmd_serve)

    export = add("export", "write the directory as HSDS 3.0 JSON (fr, en, ar), services CSV and 4W CSV")
    export.add_argument("--out", default="exports", help="output folder (default: exports/)")
    export.set_defaults(func=cmd_export)

    report = commands.add_parser("report", help="reports for maintainers")
    reports = report.add_subparsers(dest="report", required=True)
    translations = reports.add_parser("translations", help="which translations are missing, outdated or unknown")
    translations.add_argument("--format", choices=("text", "json"), default="text")
    translations.set_defaults(func=cmd_report)
    stale = reports.add_parser("stale", help="entries past their verification window, by country, city, organisation")
    stale.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    stale.add_argument("--directory", help="directory data folder (default: directory/)")
    stale.add_argument("--as-of", type=_parse_date, help="date of the report (YYYY-MM-DD)")
    stale.set_defaults(func=cmd_report_stale)

    new = commands.add_parser("new", help="start a new directory entry or guideline page from a template")
    kinds = new.add_subparsers(dest="kind", required=True)
    new_service = kinds.add_parser("service", help="write directory/services/<CC>/<city>/<id>.yml")
    new_service.add_argument("--country", required=True, help="country code from directory/places.yml, e.g. MA")
    new_service.add_argument("--city", required=True, help="city slug from directory/places.yml, e.g. casablanca")
    new_service.add_argument("--organization", help="id of a file in directory/organizations/ (default: the first)")
    new_service.add_argument("--id", help="id of the new service (default: <cc>-<city>-<slug of --name>)")
    new_service.add_argument("--name", help="French name of the service")
    new_service.add_argument("--directory", help="directory data folder (default: directory/)")
    new_service.add_argument("--as-of", type=_parse_date, help="creation date (YYYY-MM-DD)")
    new_service.set_defaults(func=cmd_new_service)
    new_page = kinds.add_parser("page", help="write docs/guides/<section>/<slug>.md (or its translation)")
    new_page.add_argument("--section", required=True, help="folder under docs/guides/, e.g. enfants")
    new_page.add_argument("--slug", required=True, help="file name without .md, e.g. mon-guide")
    new_page.add_argument("--language", choices=("fr", "en", "ar"), default="fr")
    new_page.add_argument("--title", help="title of the page")
    new_page.add_argument("--as-of", type=_parse_date, help="review date (YYYY-MM-DD)")
    new_page.set_defaults(func=cmd_new_page)

    from relais.importers.cli_support import add_import_parser

    add_import_parser(commands, _parse_date, cmd_import)

    rules = commands.add_parser("rules", help="list the validation rules (the table of CONTRIBUTING.md)")
    rules.add_argument("--format", choices=("text", "markdown"), default="text")
    rules.add_argument("--write-contributing", action="store_true", help="rewrite the table in CONTRIBUTING*.md")
    rules.set_defaults(func=cmd_rules)
    return parser


class Terminated(BaseException):
    """SIGTERM, raised like Ctrl+C so that every command cleans up the same way."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        return int(args.func(args))
    except (KeyboardInterrupt, Terminated):
        # The build removed its half-written folders on the way out; the previous site was never touched.
        print(f"relais {args.command}: stopped before the end; the previous site is unchanged", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
