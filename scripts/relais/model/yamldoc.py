"""Read YAML into plain Python values with the source position of every key and value; write the YAML we generate.

It refuses the YAML features that make data mean something else than it shows (aliases, tags, duplicate keys,
YAML 1.1 implicit types); it does not know the directory format (that is `validate`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from relais.core.diagnostics import Diagnostic
from relais.rules import YML001, YML002, YML003, YML004, YML005, rule

_EventLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # only its parser (events) is used

MAX_DEPTH = 12
JsonPath = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$")
# Plain scalars that YAML 1.1 readers (PyYAML, hence MkDocs) turn into something else than YAML 1.2 does.
_YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_YAML11_NUMBER = re.compile(
    r"^[-+]?0[0-9_]+$"  # leading zero: octal in 1.1, loses the zero anyway
    r"|^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"  # sexagesimal 8:30 -> 510
    r"|^[-+]?0b[01_]+$|^[-+]?[0-9]+_[0-9_]*$|^[-+]?0x[0-9a-fA-F_]+$|^[-+]?0o[0-7]+$"
    r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
)


@dataclass
class YamlDocument:
    """A parsed YAML document: plain values, plus 1-based (line, col) of each value and key by path."""

    value: Any
    value_positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: JsonPath) -> tuple[int, int]:
        """Where the value at `path` is, or its nearest existing parent."""
        for end in range(len(path), -1, -1):
            found = self.value_positions.get(tuple(path[:end]))
            if found:
                return found
        return (1, 1)

    def key_position(self, path: JsonPath) -> tuple[int, int]:
        return self.key_positions.get(tuple(path)) or self.position(path)


class _Stop(Exception):
    """Raised inside the event walk when the document cannot be read further."""


def _mark(event: Any, line_offset: int) -> tuple[int, int]:
    return (event.start_mark.line + 1 + line_offset, event.start_mark.column + 1)


_YAML11_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+][0-9]+)?$")


def _ambiguity(text: str) -> str | None:
    if _YAML11_BOOL.match(text):
        return "a yes/no value (boolean)"
    if _YAML11_NUMBER.match(text):
        return "a number"
    if _FLOAT.match(text) and not _YAML11_FLOAT.match(text):  # 1e5: a number in YAML 1.2, text in YAML 1.1
        return "a number or as text, depending on the reader"
    return None


def _plain_value(text: str) -> Any:
    if _NULL.match(text):
        return None
    if _BOOL_TRUE.match(text):
        return True
    if _BOOL_FALSE.match(text):
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


class _Builder:
    """Builds values from the parser's event stream, recording positions and rejecting hazards."""

    def __init__(self, display_path: str, line_offset: int) -> None:
        self.path = display_path
        self.offset = line_offset
        self.diagnostics: list[Diagnostic] = []
        self.doc = YamlDocument(value=None)

    def error(self, rule_id: str, where: tuple[int, int], **fields: Any) -> None:
        self.diagnostics.append(rule(rule_id).at(self.path, where[0], where[1], **fields))

    def scalar(self, event: Any, json_path: JsonPath) -> Any:
        where = _mark(event, self.offset)
        self.doc.value_positions[json_path] = where
        self.check_node(event, where)
        if event.style:  # quoted or block scalar: always text
            return event.value
        meaning = _ambiguity(event.value)
        if meaning:
            self.error("YML006", where, text=event.value, meaning=meaning)
            return event.value
        return _plain_value(event.value)

    def check_node(self, event: Any, where: tuple[int, int]) -> None:
        if getattr(event, "anchor", None):
            self.error("YML007", where)
        tag = getattr(event, "tag", None)
        if tag and tag != "!":
            self.error("YML008", where, tag=tag)

    def node(self, events: Any, event: Any, json_path: JsonPath) -> Any:
        if len(json_path) > MAX_DEPTH:
            self.error("YML011", _mark(event, self.offset), limit=MAX_DEPTH)
            raise _Stop
        if isinstance(event, yaml.AliasEvent):
            self.error("YML007", _mark(event, self.offset))
            raise _Stop
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, json_path)
        where = _mark(event, self.offset)
        self.doc.value_positions[json_path] = where
        self.check_node(event, where)
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(events, json_path)
        return self.mapping(events, json_path)

    def sequence(self, events: Any, json_path: JsonPath) -> list[Any]:
        items: list[Any] = []
        for event in events:
            if isinstance(event, yaml.SequenceEndEvent):
                return items
            items.append(self.node(events, event, (*json_path, len(items))))
        raise _Stop

    def mapping(self, events: Any, json_path: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for event in events:
            if isinstance(event, yaml.MappingEndEvent):
                return result
            key_where = _mark(event, self.offset)
            key = self.key(events, event, key_where)
            value = self.node(events, next(events), (*json_path, key))
            if key in result:
                first = self.doc.key_positions[(*json_path, key)]
                self.error("YML009", key_where, key=key, first_line=first[0])
                continue
            self.doc.key_positions[(*json_path, key)] = key_where
            result[key] = value
        raise _Stop

    def key(self, events: Any, event: Any, where: tuple[int, int]) -> str:
        if isinstance(event, yaml.ScalarEvent):
            self.check_node(event, where)
            if event.style or isinstance(_plain_value(event.value), str):
                return event.value
            self.error("YML012", where, found=f"`{event.value}`")
            return event.value
        self.error("YML012", where, found="a list or mapping")
        raise _Stop

    def document(self, events: Any) -> None:
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                if self.doc.value_positions:
                    self.error("YML010", _mark(event, self.offset))
                    raise _Stop
                self.doc.value = self.node(events, next(events), ())
            elif isinstance(event, yaml.StreamEndEvent):
                return


def parse_yaml(text: str, display_path: str, line_offset: int = 0) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse YAML text. Returns the document (None if unreadable) and the diagnostics found."""
    builder = _Builder(display_path, line_offset)
    try:
        builder.document(iter(yaml.parse(text, Loader=_EventLoader)))
    except _Stop:
        return None, builder.diagnostics
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        col = (mark.column + 1) if mark else 1
        problem = (exc.problem or exc.context or "unreadable YAML").strip()
        builder.diagnostics.append(YML001.at(display_path, line, col, problem=problem))
        return None, builder.diagnostics
    except yaml.YAMLError as exc:
        builder.diagnostics.append(YML001.at(display_path, 1 + line_offset, 1, problem=str(exc)))
        return None, builder.diagnostics
    return builder.doc, builder.diagnostics


def decode_text(raw: bytes, display_path: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode file bytes as UTF-8 without BOM, or explain why not."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [YML003.at(display_path, 1, 1)]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [YML002.at(display_path, line, col, detail=f"byte 0x{raw[exc.start]:02x}")]


def read_yaml_mapping(file: Path, display_path: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Read a YAML file whose top level must be a non-empty mapping."""
    text, problems = decode_text(file.read_bytes(), display_path)
    if text is None:
        return None, problems
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [YML004.at(display_path, 1, 1)]
    doc, problems = parse_yaml(text, display_path)
    if doc is not None and not isinstance(doc.value, dict):
        found = "a list" if isinstance(doc.value, list) else f"`{doc.value}`"
        line, col = doc.position(())
        return None, [*problems, YML005.at(display_path, line, col, found=found)]
    return doc, problems


# --- Writing: the one YAML emitter of the files we generate (synthetic directory, imported entries) ---


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def yaml_lines(mapping: dict[str, Any], indent: int = 0) -> Iterator[str]:
    """Plain values as YAML lines, every string double-quoted so no value can be read as something else."""
    pad = " " * indent
    for key, value in mapping.items():
        if isinstance(value, dict):
            yield f"{pad}{key}:"
            yield from yaml_lines(value, indent + 2)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            yield f"{pad}{key}:"
            for item in value:
                first, *rest = yaml_lines(item, indent + 4)
                yield f"{pad}  - {first.lstrip()}"
                yield from rest
        elif isinstance(value, list):
            yield f"{pad}{key}: [{', '.join(_scalar(v) for v in value)}]"
        else:
            yield f"{pad}{key}: {_scalar(value)}"
