"""Read an HSDS 3.0 source into nested service objects with their JSON pointer (or table row).

Accepts one service, a list, a paginated list (`contents`), an organisation with nested services, a wrapper with
`services` (our export, which lists its terms once in `taxonomy_terms`), a tabular data package (folder with
datapackage.json and CSVs) or a zip of either.
It only reads: turning a service into our fields is `hsds_records`.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from relais.importers.model import ImportFailed, Where

# HSDS tables that hang off a service (resource name -> key in the nested form).
_SERVICE_CHILDREN = {
    "phone": "phones",
    "schedule": "schedules",
    "language": "languages",
    "service_area": "service_areas",
    "required_document": "required_documents",
    "contact": "contacts",
}


@dataclass
class HsdsSource:
    """The services of an HSDS source, with the header fields of a wrapper document (language, publisher)."""

    services: list[tuple[Where, dict[str, Any]]] = field(default_factory=list)
    header: dict[str, Any] = field(default_factory=dict)


def _failed(where: Where, problem: str) -> ImportFailed:
    return ImportFailed([where.diagnostic("IMP001", problem=problem)])


def parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = Where(name, row=error.lineno, col=error.colno)
        raise ImportFailed([where.diagnostic("IMP001", problem=f"malformed JSON ({error.msg})")]) from None


def _is_service(item: dict[str, Any]) -> bool:
    return "status" in item or "organization_id" in item or "service_at_locations" in item


def _organization_without_services(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != "services"}


def services_of(document: Any, where: Where) -> list[tuple[Where, dict[str, Any]]]:
    """Every service object of a JSON document, whatever its HSDS shape, with its pointer."""
    if isinstance(document, list):
        return [found for index, item in enumerate(document) for found in services_of(item, where.at(index))]
    if not isinstance(document, dict):
        raise _failed(where, "expected an HSDS object or a list of them")
    if isinstance(document.get("contents"), list):
        return services_of(document["contents"], where.at("contents"))
    if isinstance(document.get("service"), dict):  # a service_at_location with its service
        service = dict(document["service"])
        at_location = {key: value for key, value in document.items() if key != "service"}
        service.setdefault("service_at_locations", [at_location])
        return [(where.at("service"), service)]
    if isinstance(document.get("services"), list) and not _is_service(document):
        organization = _organization_without_services(document) if "name" in document else None
        found = []
        for index, item in enumerate(document["services"]):
            if isinstance(item, dict) and organization and "organization" not in item:
                item = {**item, "organization": organization}
            found.extend(services_of(item, where.at("services").at(index)))
        return found
    if "services" not in document and not _is_service(document) and "name" in document and "id" in document:
        return []  # an organisation without services: nothing to import as a service
    return [(where, document)]


def _listed_terms(document: Any) -> dict[str, dict[str, Any]]:
    terms = document.get("taxonomy_terms") if isinstance(document, dict) else None
    if not isinstance(terms, list):
        return {}
    return {str(term["id"]): term for term in terms if isinstance(term, dict) and "id" in term}


def _with_listed_terms(service: dict[str, Any], terms: dict[str, dict[str, Any]]) -> dict[str, Any]:
    attributes = service.get("attributes")
    if not terms or not isinstance(attributes, list):
        return service
    linked = [
        {**a, "taxonomy_term": terms[str(a.get("taxonomy_term_id"))]}
        if isinstance(a, dict)
        and not isinstance(a.get("taxonomy_term"), dict)
        and str(a.get("taxonomy_term_id")) in terms
        else a
        for a in attributes
    ]
    return {**service, "attributes": linked}


def document_services(document: Any, where: Where) -> list[tuple[Where, dict[str, Any]]]:
    """`services_of`, with each attribute given the term it names by id when the document lists its terms
    (`taxonomy_terms`, as our export does) instead of nesting them."""
    terms = _listed_terms(document)
    return [(at, _with_listed_terms(service, terms)) for at, service in services_of(document, where)]


# --- Tabular data packages -----------------------------------------------------------------------------------------


def _read_csv(text: str, name: str) -> list[dict[str, str]]:
    try:
        return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as error:
        raise _failed(Where(name), f"malformed CSV ({error})") from None


def _resource_paths(descriptor: dict[str, Any]) -> dict[str, str]:
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return {}
    return {
        str(r["name"]): str(r["path"])
        for r in resources
        if isinstance(r, dict) and isinstance(r.get("name"), str) and isinstance(r.get("path"), str)
    }


def _index(rows: list[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            found[row[key]].append(row)
    return found


def _without_empty(row: dict[str, str]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key and value not in ("", None)}


def assemble_tables(tables: dict[str, list[dict[str, str]]], label: str) -> list[tuple[Where, dict[str, Any]]]:
    """Nest the rows of the HSDS tables under each service, as in the compiled form."""
    by_id = {name: {row.get("id", ""): row for row in rows} for name, rows in tables.items()}
    phones_by_contact = _index(tables.get("phone", []), "contact_id")
    addresses = _index(tables.get("address", []), "location_id")
    terms = by_id.get("taxonomy_term", {})
    attributes = _index(tables.get("attribute", []), "link_id")
    children = {name: _index(tables.get(name, []), "service_id") for name in _SERVICE_CHILDREN}
    at_locations = _index(tables.get("service_at_location", []), "service_id")
    services = []
    for number, row in enumerate(tables.get("service", []), start=2):  # row 1 holds the headings
        service: dict[str, Any] = _without_empty(row)
        service_id = row.get("id", "")
        for name, key in _SERVICE_CHILDREN.items():
            rows = children[name].get(service_id, [])
            if name == "phone":
                rows = [r for r in rows if not r.get("contact_id") and not r.get("service_at_location_id")]
            service[key] = [_without_empty(r) for r in rows]
        for contact in service["contacts"]:
            contact["phones"] = [_without_empty(p) for p in phones_by_contact.get(contact.get("id", ""), [])]
        service["service_at_locations"] = []
        for link in at_locations.get(service_id, []):
            location = dict(_without_empty(by_id.get("location", {}).get(link.get("location_id", ""), {})))
            location["addresses"] = [_without_empty(a) for a in addresses.get(link.get("location_id", ""), [])]
            service["service_at_locations"].append({**_without_empty(link), "location": location})
        service["attributes"] = [
            {**_without_empty(a), "taxonomy_term": _without_empty(terms.get(a.get("taxonomy_term_id", ""), {}))}
            for a in attributes.get(service_id, [])
        ]
        organization = by_id.get("organization", {}).get(row.get("organization_id", ""))
        if organization:
            service["organization"] = _without_empty(organization)
        services.append((Where(f"{label}services.csv", row=number), service))
    return services


def read_datapackage(read: Callable[[str], str | None], label: str) -> list[tuple[Where, dict[str, Any]]]:
    """A tabular package, read through `read(relative path)` (a folder or a zip member); None = missing file."""
    descriptor_text = read("datapackage.json")
    if descriptor_text is None:
        raise _failed(Where(f"{label}datapackage.json"), "no datapackage.json")
    descriptor = parse_json(descriptor_text, f"{label}datapackage.json")
    paths = _resource_paths(descriptor) if isinstance(descriptor, dict) else {}
    if "service" not in paths:
        paths["service"] = "services.csv"
    tables = {}
    for name, path in paths.items():
        text = read(path)
        if text is None:
            if name == "service":
                raise _failed(Where(f"{label}{path}"), "the data package has no services table")
            continue
        tables[name] = _read_csv(text, f"{label}{path}")
    return assemble_tables(tables, label)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _failed(Where(name), f"not UTF-8 text ({error.reason})") from None


def _folder_reader(folder: Path) -> Callable[[str], str | None]:
    def read(relative: str) -> str | None:
        path = folder / relative
        return _decode(path.read_bytes(), path.name) if path.is_file() else None

    return read


def _read_zip(path: Path) -> HsdsSource:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _failed(Where(path.name), f"not a zip file ({error})") from None
    with archive:
        names = [n for n in archive.namelist() if not n.endswith("/") and not n.startswith("__MACOSX")]
        packages = sorted((n for n in names if PurePosixPath(n).name == "datapackage.json"), key=len)
        if packages:
            base = str(PurePosixPath(packages[0]).parent)
            prefix = "" if base == "." else base + "/"

            def read(relative: str) -> str | None:
                member = prefix + relative
                return _decode(archive.read(member), member) if member in names else None

            return HsdsSource(read_datapackage(read, f"{path.name}!"))
        source = HsdsSource()
        for name in sorted(n for n in names if n.endswith(".json")):
            label = f"{path.name}!{name}"
            document = parse_json(_decode(archive.read(name), label), label)
            source.services.extend(document_services(document, Where(label)))
            if isinstance(document, dict) and not source.header:
                source.header = _header(document)
        if not source.services and not names:
            raise _failed(Where(path.name), "the zip file is empty")
        return source


def _header(document: dict[str, Any]) -> dict[str, Any]:
    return {key: document[key] for key in ("language", "publisher", "hsds_version") if key in document}


def read_hsds(path: Path) -> HsdsSource:
    """Read any supported HSDS source; raise ImportFailed (IMP001) when it cannot be read."""
    if path.is_dir():
        return HsdsSource(read_datapackage(_folder_reader(path), f"{path.name}/"))
    if not path.is_file():
        raise _failed(Where(path.name), "no such file or folder")
    if zipfile.is_zipfile(path):
        return _read_zip(path)
    if path.name == "datapackage.json":
        return HsdsSource(read_datapackage(_folder_reader(path.parent), f"{path.parent.name}/"))
    document = parse_json(_decode(path.read_bytes(), path.name), path.name)
    header = _header(document) if isinstance(document, dict) else {}
    return HsdsSource(document_services(document, Where(path.name)), header)
