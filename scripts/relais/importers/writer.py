"""Write planned entries as YAML files in our format, and the import ledger; the only module that writes.

Values are always quoted (JSON strings are YAML), so no reader takes `NO` or `08:30` for something else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relais.importers.model import ImportOptions
from relais.model.yamldoc import yaml_lines

if TYPE_CHECKING:
    from relais.importers.plan import ImportPlan

SERVICE_ORDER = (
    "id", "name", "description", "organization", "status", "status_note", "country", "city", "categories",
    "populations", "languages", "phones", "email", "website", "hours", "hours_note", "mobile", "location",
    "referral", "visibility", "front_door", "verified", "sources",
)  # fmt: skip
ORGANIZATION_ORDER = ("id", "name", "acronym", "description", "website", "email", "phones", "sources")


def _ordered(data: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    return {key: data[key] for key in (*order, *[k for k in data if k not in order]) if key in data}


def render_service(data: dict[str, Any], options: ImportOptions) -> str:
    header = [
        f"# Fiche importée par `relais import` depuis {options.source_name} : PAS ENCORE VÉRIFIÉE.",
        "# Vérifiez-la auprès du service (appel, visite), puis mettez à jour `verified` (date, rôle, méthode).",
    ]
    return "\n".join([*header, *yaml_lines(_ordered(data, SERVICE_ORDER))]) + "\n"


def render_organization(data: dict[str, Any], options: ImportOptions) -> str:
    header = [f"# Organisation importée par `relais import` depuis {options.source_name} : à relire."]
    return "\n".join([*header, *yaml_lines(_ordered(data, ORGANIZATION_ORDER))]) + "\n"


def write_plan(plan: ImportPlan, ledger_file: Path, source_name: str) -> list[Path]:
    """Write every changed file (moving a service whose country or city changed) and the ledger."""
    written = []
    for entry in plan.changed:
        entry.path.parent.mkdir(parents=True, exist_ok=True)
        entry.path.write_text(entry.text, encoding="utf-8")
        if entry.old_path is not None and entry.old_path.exists():
            entry.old_path.unlink()
        written.append(entry.path)
    if plan.ledger_changed:
        ledger_file.parent.mkdir(parents=True, exist_ok=True)
        document = {"source": source_name, "entries": dict(sorted(plan.ledger.items()))}
        ledger_file.write_text(
            json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        written.append(ledger_file)
    return written
