"""What changed in the directory, from git history: services added, closed or re-verified lately, per city.

Reads history with `git log` and `git show` (subprocess, no shell) and writes the generated changements pages.
Without git, without history or in a shallow clone it lists nothing and says so: it never fails a build.
A service that is or ever was confidential is shown only as the public projection shows it today (its name and
city now), and not at all once removed: history never brings back a value it had.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from babel.dates import format_date

from relais.check.translations import escape_markdown, front_matter_text, page_file_name, write_if_changed
from relais.i18n.directory_strings import directory_strings
from relais.i18n.page_text import CHANGES_PAGE_TEXT
from relais.i18n.ui_strings import LANGUAGES
from relais.model.directory import in_language
from relais.model.layout import service_path
from relais.model.public import PublicDirectory
from relais.model.yamldoc import parse_yaml
from relais.render.markup import html

SERVICES_PATH = "directory/services"
DEFAULT_DAYS = 90
CLOSED_STATUSES = frozenset({"inactive", "defunct", "temporarily closed"})
DELETED = "deleted"
# `relais new service` writes entries as inactive until they are checked: becoming active then means "added".
UNVERIFIED_STATUS = "inactive"
GIT_TIMEOUT_SECONDS = 120
_COMMIT = "\x00"


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    CLOSED = "closed"
    REVERIFIED = "re-verified"


@dataclass(frozen=True)
class Change:
    """One event in a service's history. `status` is its status after the change (`deleted` for a removed file)."""

    kind: ChangeKind
    service_id: str
    day: date
    country: str
    city: str
    name: dict[str, str]
    status: str
    revision: str
    confidential: bool = False  # confidential before or after this change


class RecentChanges(list[Change]):
    """The changes, newest first, and whether the history could be read at all (the page says so when not).

    `confidential_ids`: every service id that was confidential in any revision of the whole history."""

    def __init__(
        self,
        changes: list[Change] | None = None,
        history_available: bool = True,
        reason: str = "",
        confidential_ids: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(changes or [])
        self.history_available = history_available
        self.reason = reason
        self.confidential_ids = confidential_ids


@dataclass
class _Commit:
    revision: str
    parents: list[str]
    day: date
    files: list[tuple[str, str]] = field(default_factory=list)  # (status letter, path)
    renames: list[tuple[str, str]] = field(default_factory=list)  # (old path, new path)


def _git(repo_root: Path, *args: str) -> str | None:
    """Output of a git command, or None when git is missing, the folder is not a repository, or git fails."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", "-C", str(repo_root), *args],
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT_SECONDS,
            env=env,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def _parse_log(output: str) -> list[_Commit]:
    commits: list[_Commit] = []
    for line in output.splitlines():
        if line.startswith(_COMMIT):
            revision, parents, day = line[1:].split("\t")
            commits.append(_Commit(revision, parents.split(), date.fromisoformat(day)))
        elif "\t" in line and commits:
            status, path = line.split("\t", 1)
            if status.startswith("R") and "\t" in path:
                old, new = path.split("\t", 1)
                commits[-1].renames.append((old, new))
            else:
                commits[-1].files.append((status[:1], path))
    return commits


def _service_at(repo_root: Path, revision: str, path: str) -> dict[str, Any] | None:
    """The service file at `revision` as plain data; {} when unreadable, None when it does not exist there."""
    text = _git(repo_root, "show", f"{revision}:{path}")
    if text is None:
        return None
    doc, _ = parse_yaml(text, path)
    return doc.value if doc is not None and isinstance(doc.value, dict) else {}


def _status(data: dict[str, Any]) -> str:
    value = data.get("status", "active")
    return value if isinstance(value, str) else "active"


def _is_confidential(data: dict[str, Any] | None) -> bool:
    return isinstance(data, dict) and data.get("visibility") == "confidential"


def _verified_on(data: dict[str, Any]) -> str:
    verified = data.get("verified")
    return str(verified.get("date", "")) if isinstance(verified, dict) else ""


def _classify(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[ChangeKind]:
    if before is None and after is not None:
        return [] if _status(after) in CLOSED_STATUSES else [ChangeKind.ADDED]
    if before is not None and after is None:
        return [] if _status(before) in CLOSED_STATUSES else [ChangeKind.CLOSED]
    if before is None or after is None:
        return []
    old, new = _status(before), _status(after)
    if old != new and new in CLOSED_STATUSES:
        return [ChangeKind.CLOSED]
    if old == UNVERIFIED_STATUS and new == "active":
        return [ChangeKind.ADDED]
    if _verified_on(after) > _verified_on(before):  # ISO dates compare as text; an earlier date is a correction
        return [ChangeKind.REVERIFIED]
    return []


def _change(
    kind: ChangeKind, commit: _Commit, path: str, data: dict[str, Any], deleted: bool, confidential: bool
) -> Change:
    parts = PurePosixPath(path).parts
    folder_country, folder_city = (parts[-3], parts[-2]) if len(parts) >= 3 else ("", "")
    service_id = data.get("id") if isinstance(data.get("id"), str) else PurePosixPath(path).stem
    name = data.get("name")
    return Change(
        kind=kind,
        service_id=str(service_id),
        day=commit.day,
        country=str(data.get("country") or folder_country),
        city=str(data.get("city") or folder_city),
        name={k: str(v) for k, v in name.items()} if isinstance(name, dict) else {},
        status=DELETED if deleted else _status(data),
        revision=commit.revision,
        confidential=confidential,
    )


def _commit_changes(repo_root: Path, commit: _Commit) -> list[Change]:
    """The changes of one commit. A file moved between city folders (deleted and added) is one service."""
    parent = commit.parents[0] if commit.parents else None
    added = {PurePosixPath(p).stem: p for s, p in commit.files if s == "A"}
    deleted = {PurePosixPath(p).stem: p for s, p in commit.files if s == "D"}
    pairs: list[tuple[str | None, str | None]] = [(p, p) for s, p in commit.files if s == "M"]
    pairs += [(deleted.get(stem), path) for stem, path in added.items()]
    pairs += [(path, None) for stem, path in deleted.items() if stem not in added]
    pairs += list(commit.renames)
    found: list[Change] = []
    for old_path, new_path in pairs:
        before = _service_at(repo_root, parent, old_path) if parent and old_path else None
        after = _service_at(repo_root, commit.revision, new_path) if new_path else None
        for kind in _classify(before, after):
            data = after if after is not None else before
            confidential = _is_confidential(before) or _is_confidential(after)
            found.append(_change(kind, commit, new_path or old_path or "", data or {}, after is None, confidential))
    return found


def _service_log(repo_root: Path, *options: str) -> str | None:
    """`git log` of the service files with each commit's files and their status, following renames."""
    return _git(
        repo_root, "-c", "core.quotePath=false", "log", "--name-status", "--find-renames", *options, "--", SERVICES_PATH
    )


def history_state(repo_root: Path) -> str | None:
    """The commit the history ends at (None without one): `recent_changes` gives the same while it stays."""
    head = _git(repo_root, "rev-parse", "HEAD")
    return head.strip() if head else None


def recent_changes(repo_root: Path, as_of: date, days: int = DEFAULT_DAYS) -> list[Change]:
    """Services added, closed or re-verified in the `days` days up to `as_of` (commit dates), newest first.

    Returns a RecentChanges list; its `history_available` is False (and the list empty) when git, the
    repository or its full history is missing.
    """
    if _git(repo_root, "rev-parse", "--git-dir") is None:
        return RecentChanges(history_available=False, reason="no git repository")
    if (_git(repo_root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return RecentChanges(history_available=False, reason="shallow clone: the history is incomplete")
    start = as_of - timedelta(days=days)
    output = _service_log(
        repo_root,
        "--diff-filter=ADMR",
        "--format=%x00%H%x09%P%x09%cs",  # %x00 marks a commit line; paths never start with it
        f"--since={(start - timedelta(days=2)).isoformat()}",
    )
    if output is None:  # e.g. a repository without any commit yet
        return RecentChanges(history_available=False, reason="the history cannot be read")
    seen: set[tuple[str, ChangeKind]] = set()
    changes: list[Change] = []
    for commit in _parse_log(output):
        if not start < commit.day <= as_of:
            continue
        for change in _commit_changes(repo_root, commit):
            if (change.service_id, change.kind) not in seen:  # newest first: keep the latest of each kind
                seen.add((change.service_id, change.kind))
                changes.append(change)
    changes.sort(key=lambda c: c.day, reverse=True)
    return RecentChanges(changes, confidential_ids=confidential_history(repo_root))


# A line that makes (or made) a service confidential, in any YAML spelling of the value (git's basic regex).
_CONFIDENTIAL_LINE = "visibility:[[:space:]]*[\"']*confidential"


def confidential_history(repo_root: Path) -> frozenset[str]:
    """Ids (file stems) of every service file that was ever confidential, through renames and deletions.

    Every commit that added or removed a `visibility: confidential` line names the file, and, for a rename in
    the same commit, its old name too."""
    output = _service_log(repo_root, "--format=%x00", f"-G{_CONFIDENTIAL_LINE}")
    ids: set[str] = set()
    for line in (output or "").splitlines():
        if "\t" in line:
            ids.update(PurePosixPath(path).stem for path in line.split("\t")[1:])
    return frozenset(ids)


def publishable_changes(changes: RecentChanges, directory: PublicDirectory) -> RecentChanges:
    """The changes as the site may show them: a service that is or ever was confidential appears with its name and
    city of today (the public projection), and not at all once it has left the directory."""
    current = {service.id: service for service in directory.services}
    shown: list[Change] = []
    for change in changes:
        secret = change.confidential or change.service_id in changes.confidential_ids
        service = current.get(change.service_id)
        if not secret:
            shown.append(change)
        elif service is not None and change.status != DELETED:
            name = dict(service.name)
            shown.append(dataclasses.replace(change, name=name, country=service.country, city=service.city))
    return RecentChanges(shown, changes.history_available, changes.reason, changes.confidential_ids)


# --- The generated pages (docs/editeurs/changements*.md) -----------------------------------------------------


def _status_label(status: str, language: str) -> str:
    if status == DELETED:
        return CHANGES_PAGE_TEXT[language]["deleted"]
    return directory_strings(language).get(f"status_{status}", status)


def _service_link(change: Change, directory: PublicDirectory, language: str, out_dir: Path) -> str:
    """The service's name, linked to its page when the service is still in the directory.

    Service pages are filled in after the engine (relais.render.frames), so the link is inline HTML to the built URL,
    from the built page's folder (editeurs/changements/): the engine would report a Markdown link to it as unknown."""
    current = next((s for s in directory.services if s.id == change.service_id), None)
    name = in_language(current.name if current else change.name, language)[0] or change.service_id
    if current is None:
        return escape_markdown(name)
    return str(html('<a href="../../{}">{}</a>', service_path(change.service_id), name))


def _place_heading(country: str, city: str, directory: PublicDirectory, language: str) -> str:
    known_city = directory.city(country, city)
    known_country = directory.countries.get(country)
    city_name = known_city.name_in(language) if known_city else city
    country_name = known_country.name_in(language) if known_country else country
    return f"{city_name} ({country_name})"


def render_changes_page(
    changes: list[Change], directory: PublicDirectory, language: str, as_of: date, days: int, out_dir: Path
) -> str:
    text = CHANGES_PAGE_TEXT[language]
    lines = [front_matter_text(text["title"], text["description"].format(days=days)).rstrip("\n"), ""]
    if not getattr(changes, "history_available", True):
        return "\n".join([*lines, escape_markdown(text["unavailable"]), ""])
    start, end = (format_date(d, format="long", locale=language) for d in (as_of - timedelta(days=days), as_of))
    lines += [escape_markdown(text["intro"].format(start=start, end=end)), ""]
    if not changes:
        return "\n".join([*lines, escape_markdown(text["none"]), ""])
    by_place: dict[tuple[str, str], list[Change]] = defaultdict(list)
    for change in changes:
        by_place[(change.country, change.city)].append(change)
    headings = {place: _place_heading(*place, directory, language) for place in by_place}
    for place in sorted(by_place, key=lambda p: (p[0], headings[p].casefold())):
        lines += [f"## {escape_markdown(headings[place])}", ""]
        for change in sorted(by_place[place], key=lambda c: (c.day, c.service_id), reverse=True):
            day = escape_markdown(format_date(change.day, format="long", locale=language))
            label = f"**{escape_markdown(text[str(change.kind)])}**"
            if change.kind is ChangeKind.CLOSED:
                label += f" ({escape_markdown(_status_label(change.status, language))})"
            link = _service_link(change, directory, language, out_dir)
            lines.append(f"- {day} — {label}{text['colon']}{link}")
        lines.append("")
    return "\n".join(lines)


def write_changes_pages(
    changes: list[Change], directory: PublicDirectory, out_dir: Path, as_of: date, days: int = DEFAULT_DAYS
) -> list[Path]:
    """Write changements.md, .en.md and .ar.md into `out_dir` (docs/editeurs/). Returns the three paths.

    Only `publishable_changes` reach the pages, whoever calls this."""
    recent = changes if isinstance(changes, RecentChanges) else RecentChanges(changes)
    changes = publishable_changes(recent, directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in LANGUAGES:
        path = out_dir / page_file_name("changements.md", language)
        write_if_changed(path, render_changes_page(changes, directory, language, as_of, days, out_dir))
        written.append(path)
    return written
