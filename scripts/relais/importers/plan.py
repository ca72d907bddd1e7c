"""Plan an import against the files on disk: match entries, merge field by field, find conflicts, check validity.

Matching: by the source's record id kept in `sources[].record_id`, then by our slug. A field changes only when the
editor has not changed it since the previous import (the import ledger keeps what the source said then); otherwise
the editor's value is kept and the conflict reported, unless `--theirs`. Nothing here writes (that is `writer`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relais.check.directory import check_organization, check_service
from relais.core.diagnostics import Diagnostic
from relais.importers.model import ImportedOrganization, ImportedService, ImportOptions
from relais.importers.writer import render_organization, render_service
from relais.model.directory import Directory, Record, Service
from relais.model.yamldoc import parse_yaml
from relais.render.scaffold import slugify
from relais.rules import IMP009

Leaves = dict[str, Any]
UNVERIFIED_BY = "pas encore vérifié (fiche importée par relais import)"
TEXT_KEYS = ("name", "description", "status_note", "hours_note")
# Fields the import never merges into an existing entry: they record the editors' own work.
EDITOR_FIELDS = ("id", "verified", "sources")
CONFIDENTIAL_DROPS = ("location", "phones", "email", "website")
PLACEHOLDER = "À TRADUIRE ({language}) : {text}"


def flatten(data: Any, prefix: str = "") -> Leaves:
    """`{"name": {"fr": "x"}, "phones": [...]}` -> `{"name.fr": "x", "phones": [...]}`; lists are leaves."""
    if isinstance(data, dict) and data:
        leaves: Leaves = {}
        for key, value in data.items():
            leaves.update(flatten(value, f"{prefix}{key}."))
        return leaves
    return {prefix.rstrip("."): data} if prefix else {}


def unflatten(leaves: Leaves) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for path, value in leaves.items():
        parts = path.split(".")
        target = data
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return data


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class EntryPlan:
    kind: str  # "service" or "organization"
    entry_id: str
    path: Path
    data: dict[str, Any]
    is_new: bool
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    old_path: Path | None = None
    text: str = ""

    @property
    def changed(self) -> bool:
        return self.is_new or bool(self.changes) or self.old_path is not None


@dataclass
class ImportPlan:
    entries: list[EntryPlan] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ledger: dict[str, Leaves] = field(default_factory=dict)
    ledger_changed: bool = False

    @property
    def changed(self) -> list[EntryPlan]:
        return [entry for entry in self.entries if entry.changed]

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


# --- Ledger: what the source said at the previous import -----------------------------------------------------------


def ledger_path(directory_dir: Path, source_name: str) -> Path:
    return directory_dir / "imports" / f"{slugify(source_name) or 'source'}.json"


def read_ledger(path: Path) -> dict[str, Leaves]:
    if not path.is_file():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).get("entries", {})
    except (json.JSONDecodeError, AttributeError, UnicodeDecodeError):
        return {}  # a damaged ledger: every difference is treated as an editor's change (reported, not overwritten)
    return entries if isinstance(entries, dict) else {}


# --- Matching ------------------------------------------------------------------------------------------------------


def _record_ids(service: Service) -> set[str]:
    sources = service.data.get("sources")
    return {
        str(s["record_id"])
        for s in (sources if isinstance(sources, list) else [])
        if isinstance(s, dict) and s.get("record_id")
    }


@dataclass
class DiskIndex:
    by_id: dict[str, Service]
    by_record_id: dict[str, Service]

    @classmethod
    def of(cls, directory: Directory) -> DiskIndex:
        by_record_id = {record_id: s for s in directory.services for record_id in _record_ids(s)}
        return cls({s.id: s for s in directory.services}, by_record_id)

    def match(self, record_id: str | None, slug: str | None) -> Service | None:
        return (self.by_record_id.get(record_id) if record_id else None) or (self.by_id.get(slug) if slug else None)


def generated_id(imported: ImportedService, taken: dict[str, str | None]) -> str:
    """`<cc>-<city>-<slug of the name>`; a short hash of the record id separates two records with one name."""
    data = imported.data
    name = next(iter(data.get("name", {}).values()), "")
    base = "-".join(p for p in (str(data.get("country", "")).lower(), str(data.get("city", "")), slugify(name)) if p)
    owner = taken.get(base, imported.record_id)
    if base not in taken or owner == imported.record_id:
        return base
    digest = hashlib.sha1((imported.record_id or imported.where.record()).encode()).hexdigest()[:6]
    return f"{base}-{digest}"


# --- Building entries ----------------------------------------------------------------------------------------------


def provenance(imported: ImportedService, options: ImportOptions, publisher: str) -> dict[str, str]:
    source = {
        "title": options.source_name,
        "organization": publisher,
        "date": options.as_of.isoformat(),
        "record": imported.where.record(),
    }
    if imported.record_id:
        source["record_id"] = imported.record_id
    return source


def _with_french_placeholders(data: dict[str, Any], language: str) -> dict[str, Any]:
    """A draft from a source in another language: every text gets a visible French placeholder to translate."""
    if isinstance(data, dict) and language in data and "fr" not in data and all(len(k) == 2 for k in data):
        return {"fr": PLACEHOLDER.format(language=language, text=data[language]), **data}
    if isinstance(data, dict):
        return {key: _with_french_placeholders(value, language) for key, value in data.items()}
    if isinstance(data, list):
        return [_with_french_placeholders(item, language) for item in data]
    return data


def new_service_data(
    imported: ImportedService, entry_id: str, source: dict[str, str], options: ImportOptions
) -> dict[str, Any]:
    data = {key: value for key, value in imported.data.items() if value not in (None, {}, [])}
    if "description" not in data:
        data["description"] = {"fr": "À COMPLÉTER : description absente de la source importée."}
        if data.get("visibility") != "confidential":  # a confidential description is never published anyway
            data["status"] = "inactive"
    if imported.missing_french:
        data = _with_french_placeholders(data, imported.language)
        data["status"] = "inactive"
        data["status_note"] = {"fr": f"Fiche importée en {imported.language} : texte français à compléter."}
    verified = {"date": options.as_of.isoformat(), "by": UNVERIFIED_BY, "method": "imported"}
    return {"id": entry_id, **data, "verified": verified, "sources": [source]}


def _text_leaves_of(leaves: Leaves, language: str, disk: Leaves) -> Leaves:
    """This language's texts, without those equal to the French text: our export falls back to French."""
    suffix = f".{language}"
    return {
        key: value
        for key, value in leaves.items()
        if key.endswith(suffix) and disk.get(key.removesuffix(suffix) + ".fr") != value
    }


def merge_leaves(
    disk: Leaves, incoming: Leaves, base: Leaves | None, theirs: bool
) -> tuple[Leaves, list[Change], list[Change]]:
    """Three-way merge of one entry. Returns the merged leaves, the changes and the conflicts (editor's value kept)."""
    merged = dict(disk)
    changes: list[Change] = []
    conflicts: list[Change] = []
    keys = list(dict.fromkeys([*incoming, *(base or {})]))
    for key in keys:
        if key.split(".")[0] in EDITOR_FIELDS:
            continue
        mine, new = disk.get(key), incoming.get(key)
        before = base.get(key) if base is not None else None
        if mine == new:
            continue
        source_changed = base is None or before != new
        editor_changed = (base is not None and mine != before) or (base is None and mine is not None)
        if not source_changed:
            continue  # the editor changed it and the source did not: keep the editor's value silently
        if editor_changed and not theirs:
            conflicts.append(Change(key, mine, new))
            continue
        if new is None:
            merged.pop(key, None)
        else:
            merged[key] = new
        changes.append(Change(key, mine, new))
    return merged, changes, conflicts


def _confidential_gate(leaves: Leaves, disk: Leaves) -> Leaves:
    """An imported contact or location never turns a confidential entry public."""
    if "confidential" not in (leaves.get("visibility"), disk.get("visibility")):
        return leaves
    kept = {k: v for k, v in leaves.items() if k.split(".")[0] not in CONFIDENTIAL_DROPS or k in disk}
    kept["visibility"] = "confidential"
    return {k: v for k, v in kept.items() if k.split(".")[0] != "location"}


def _update_sources(sources: Any, source: dict[str, str]) -> tuple[list[Any], bool]:
    """Add this import's provenance once; a re-import of the same record keeps the first import's entry."""
    current = list(sources) if isinstance(sources, list) else []
    for index, entry in enumerate(current):
        if (
            isinstance(entry, dict)
            and entry.get("title") == source["title"]
            and entry.get("record_id") == source.get("record_id")
        ):
            if entry.get("record") == source["record"]:
                return current, False
            current[index] = {**entry, "record": source["record"]}
            return current, True
    return [*current, source], True


def service_path(directory_dir: Path, data: dict[str, Any]) -> Path:
    return directory_dir / "services" / str(data.get("country")) / str(data.get("city")) / f"{data['id']}.yml"


# --- The plan ------------------------------------------------------------------------------------------------------


@dataclass
class Planner:
    directory: Directory
    directory_dir: Path
    options: ImportOptions
    publisher: str
    ledger: dict[str, Leaves]
    plan: ImportPlan = field(default_factory=ImportPlan)
    taken: dict[str, str | None] = field(default_factory=dict)
    new_organizations: dict[str, EntryPlan] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = DiskIndex.of(self.directory)
        for service in self.directory.services:
            ids = _record_ids(service)
            self.taken[service.id] = next(iter(ids)) if ids else None

    def add(self, imported: ImportedService) -> None:
        match = self.index.match(imported.record_id, imported.slug)
        translation = imported.language != "fr" and imported.slug is not None  # our own export in en or ar
        if match is None and translation:
            where = imported.where
            self.plan.diagnostics.append(
                where.diagnostic("IMP018", entry=imported.slug, what=f"the {imported.language} text")
            )
            return
        entry_id = match.id if match else imported.slug or generated_id(imported, self.taken)
        self.taken[entry_id] = imported.record_id
        source = provenance(imported, self.options, self.publisher)
        incoming = flatten({k: v for k, v in imported.data.items() if v not in (None, {}, [])})
        if translation and match is not None:
            incoming = _text_leaves_of(incoming, imported.language, flatten(match.data))
        self.plan.ledger[entry_id] = incoming
        if match is None:
            for missing in self._draft_fields(imported):
                self.plan.diagnostics.append(imported.where.diagnostic("IMP019", field=missing))
            self._add_new(imported, entry_id, source)
        else:
            self._add_update(imported, match, incoming, source)
        if imported.organization and not translation:
            self._add_organization(imported.organization, source)

    @staticmethod
    def _draft_fields(imported: ImportedService) -> list[str]:
        missing = ["French text"] if imported.missing_french else []
        return missing + ([] if imported.data.get("description") else ["description"])

    def _add_new(self, imported: ImportedService, entry_id: str, source: dict[str, str]) -> None:
        data = new_service_data(imported, entry_id, source, self.options)
        leaves = _confidential_gate(flatten(data), {})
        data = unflatten(leaves)
        changes = [Change(key, None, value) for key, value in leaves.items()]
        self.plan.entries.append(
            EntryPlan("service", entry_id, service_path(self.directory_dir, data), data, True, changes)
        )

    def _add_update(self, imported: ImportedService, match: Service, incoming: Leaves, source: dict[str, str]) -> None:
        disk = flatten(match.data)
        base = self.ledger.get(match.id)
        merged, changes, conflicts = merge_leaves(disk, incoming, base, self.options.theirs)
        merged = _confidential_gate(merged, disk)
        changes = [c for c in changes if merged.get(c.field) == c.new or (c.new is None and c.field not in merged)]
        data = unflatten(merged)
        if changes:
            data["sources"], _ = _update_sources(match.data.get("sources"), source)
        path = service_path(self.directory_dir, data)
        entry = EntryPlan("service", match.id, path, data, False, changes, conflicts)
        if path.resolve() != match.path.resolve():
            entry.old_path = match.path
        self.plan.entries.append(entry)
        for conflict in conflicts:
            self.plan.diagnostics.append(imported.where.diagnostic("IMP013", entry=match.id, field=conflict.field))

    def _add_organization(self, organization: ImportedOrganization, source: dict[str, str]) -> None:
        if organization.slug in self.directory.organizations or organization.slug in self.new_organizations:
            return  # an existing organisation file is the editors': the import does not change it
        data = {
            "id": organization.slug,
            **organization.data,
            "sources": [{k: v for k, v in source.items() if k not in ("record", "record_id")}],
        }
        if "fr" not in data["name"]:
            data = _with_french_placeholders(data, next(iter(data["name"])))
        path = self.directory_dir / "organizations" / f"{organization.slug}.yml"
        changes = [Change(key, None, value) for key, value in flatten(data).items()]
        entry = EntryPlan("organization", organization.slug, path, data, True, changes)
        self.new_organizations[organization.slug] = entry
        self.plan.entries.append(entry)


def check_entries(plan: ImportPlan, directory: Directory, display: Any, options: ImportOptions) -> None:
    """Render every changed file and run the directory rules on it; problems become IMP009 errors."""
    organizations = dict(directory.organizations)
    for entry in plan.changed:
        entry.text = (render_organization if entry.kind == "organization" else render_service)(entry.data, options)
        if entry.kind == "organization":
            doc, _ = parse_yaml(entry.text, display(entry.path))
            if doc is not None:
                organizations[entry.entry_id] = Record(entry.path, display(entry.path), doc)
    checked = Directory(directory.vocabulary, directory.countries, organizations, directory.services)
    for entry in plan.changed:
        shown = display(entry.path)
        doc, problems = parse_yaml(entry.text, shown)
        if doc is not None:
            record = Record(entry.path, shown, doc)
            found = (
                check_organization(record)
                if entry.kind == "organization"
                else check_service(Service(entry.path, shown, doc), checked, options.as_of)
            )
            problems = [*problems, *found]
        for problem in problems:
            if problem.is_error:
                message = f"{problem.rule} {problem.message} (line {problem.line})"
                plan.diagnostics.append(IMP009.at(shown, 0, 0, entry=entry.entry_id, problem=message))


def plan_import(
    imported: list[ImportedService],
    directory: Directory,
    directory_dir: Path,
    options: ImportOptions,
    publisher: str,
    display: Any,
) -> ImportPlan:
    ledger_file = ledger_path(directory_dir, options.source_name)
    previous = read_ledger(ledger_file)
    planner = Planner(directory, directory_dir, options, publisher, previous)
    for record in imported:
        planner.add(record)
    plan = planner.plan
    plan.ledger = {**previous, **plan.ledger}
    plan.ledger_changed = plan.ledger != previous
    check_entries(plan, directory, display, options)
    return plan
