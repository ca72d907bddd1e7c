"""Whatever an editor saves as a service file, the validator answers with located diagnostics: it never crashes,
never explodes in time or memory, and reads back exactly what a YAML writer wrote, or says why not.
"""

from __future__ import annotations

import json
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from string import Formatter
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from directory_fixture import load_fixture_directory
from relais.check.directory import check_directory
from relais.core.diagnostics import Diagnostic
from relais.core.project import Project
from relais.model.directory import load_directory
from relais.model.yamldoc import read_yaml_mapping
from relais.rules import all_rules, rule
from support import AS_OF, FIXTURES, REPO

pytestmark = pytest.mark.hostile

FUZZED = Path("services/MA/casablanca/test-fuzz.yml")
VALID_SERVICE = (FIXTURES / "directory" / "services/MA/casablanca/test-centre-ecoute.yml").read_text(encoding="utf-8")
SERVICE_SCHEMA = json.loads((REPO / "directory" / "schema" / "service.schema.json").read_text(encoding="utf-8"))
RULE_IDS = {r.id for r in all_rules()}
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Generous bounds: a guard against explosions (alias bombs, deep nesting), not a benchmark.
MAX_SECONDS, MAX_BYTES = 5.0, 200 * 1024 * 1024


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The fixture directory with the real vocabulary; each example rewrites one extra service file in it."""
    directory = tmp_path_factory.mktemp("fuzz") / "directory"
    load_fixture_directory(directory)
    return Project.at(REPO).with_overrides(directory_dir=directory)


def validate(project: Project, content: bytes) -> list[Diagnostic]:
    (project.directory_dir / FUZZED).write_bytes(content)
    directory, diagnostics = load_directory(project)
    return diagnostics + check_directory(directory, AS_OF)


def assert_located(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        assert diagnostic.rule in RULE_IDS, diagnostic.as_text()
        assert diagnostic.line >= 1 and diagnostic.col >= 1, diagnostic.as_text()
        placeholders = {f"{{{name}}}" for _, name, _, _ in Formatter().parse(rule(diagnostic.rule).message) if name}
        assert diagnostic.message and not any(p in diagnostic.message for p in placeholders), diagnostic.as_text()


def about_the_file(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.path.endswith(FUZZED.name)]


# --- (a) anything at all ---------------------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=2000))
@example(b"\xef\xbb\xbfid: x\n")  # a byte order mark
@example(b"id: \xff\xfe\n")  # not UTF-8
@example(b"")
def test_random_bytes_never_crash_the_validator(project: Project, content: bytes) -> None:
    diagnostics = validate(project, content)
    assert_located(diagnostics)
    assert about_the_file(diagnostics), "an unreadable file must be reported"


@FUZZ
@given(st.text(max_size=2000))
@example("id: [\n")
@example("- a\n- b\n")
@example("? [a, b]\n: c\n")  # a list as a key
@example("id: x\nid: y\n")
@example("id: !!python/object/apply:os.system ['true']\n")
@example("id: x\n---\nid: y\n")
@example("\t- x")
def test_random_text_never_crashes_the_validator(project: Project, content: str) -> None:
    diagnostics = validate(project, content.encode("utf-8", errors="surrogatepass"))
    assert_located(diagnostics)


# --- (b) a valid service file, damaged -------------------------------------------------------------------------------

YAML_CHARACTERS = [*":-? \t'\"#&*!|>%@`[]{},\n", "\u00a0", "\u200b", "\ufeff", "\x00", "é", "ع"]


def damaged(data: st.DataObject) -> str:
    lines = VALID_SERVICE.split("\n")
    for _ in range(data.draw(st.integers(1, 6), label="changes")):
        index = data.draw(st.integers(0, len(lines) - 1), label="line")
        change = data.draw(st.sampled_from(["delete", "duplicate", "insert"]), label="change")
        if change == "delete" and len(lines) > 1:
            del lines[index]
        elif change == "duplicate":
            lines.insert(index, lines[index])
        else:
            at = data.draw(st.integers(0, len(lines[index])), label="column")
            character = data.draw(st.sampled_from(YAML_CHARACTERS) | st.characters(), label="character")
            lines[index] = lines[index][:at] + character + lines[index][at:]
    return "\n".join(lines)


@FUZZ
@given(st.data())
def test_damaged_service_files_give_located_diagnostics(project: Project, data: st.DataObject) -> None:
    diagnostics = validate(project, damaged(data).encode("utf-8", errors="surrogatepass"))
    assert_located(diagnostics)


def test_the_undamaged_service_is_valid(project: Project) -> None:
    text = VALID_SERVICE.replace("id: test-centre-ecoute", "id: test-fuzz")
    assert about_the_file(validate(project, text.encode())) == []


# --- (c) documents built to explode ----------------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> bytes:
    lines = ['a0: &a0 "rire"']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels + 1)]
    return ("\n".join(lines) + "\n").encode()


EXPLOSIVE = {
    "billion-laughs": billion_laughs(),
    "deep-flow-nesting": b"id: test-fuzz\nname: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
    "deep-flow-nesting-unclosed": b"[" * 10_000,
    "deep-block-nesting": "".join(f"{'  ' * n}k{n}:\n" for n in range(2_000)).encode(),
    "five-megabyte-string": b'id: test-fuzz\ndescription:\n  fr: "' + b"a" * 5_000_000 + b'"\n',
}


def measured(work: Callable[[], list[Diagnostic]]) -> tuple[list[Diagnostic], float, int]:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = work()
        return result, time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", sorted(EXPLOSIVE))
def test_explosive_documents_are_refused_quickly_with_a_located_error(project: Project, name: str) -> None:
    diagnostics, seconds, peak = measured(lambda: validate(project, EXPLOSIVE[name]))
    errors = [d for d in about_the_file(diagnostics) if d.is_error]
    assert errors, f"{name} was accepted"
    assert_located(errors)
    assert seconds < MAX_SECONDS, f"{name}: {seconds:.1f} s"
    assert peak < MAX_BYTES, f"{name}: {peak / 1e6:.0f} MB"


def test_alias_bomb_is_refused_at_its_first_anchor(project: Project) -> None:
    errors = about_the_file(validate(project, billion_laughs()))
    assert ("YML007", 1) in {(d.rule, d.line) for d in errors}, [d.as_text() for d in errors]


def test_a_five_megabyte_description_in_a_valid_entry_is_refused(project: Project) -> None:
    text = VALID_SERVICE.replace("id: test-centre-ecoute", "id: test-fuzz")
    text = re.sub(r'(?m)^(  fr: )"Service fictif des tests[^"]*"', lambda m: f'{m.group(1)}"{"a" * 5_000_000}"', text)
    diagnostics, seconds, peak = measured(lambda: validate(project, text.encode()))
    assert seconds < MAX_SECONDS and peak < MAX_BYTES
    found = about_the_file(diagnostics)
    assert [(d.rule, d.line) for d in found] == [("DIR005", 8)], [d.as_text()[:200] for d in found]
    assert len(found[0].as_text()) < 500, "the message must not repeat the text"


# --- (d) records written by a YAML writer read back as written --------------------------------------------------------

# Plain words that YAML 1.1 (PyYAML, MkDocs) and YAML 1.2 read differently, or that YAML treats specially.
TRICKY_WORDS = [
    *["yes", "No", "on", "OFF", "y", "~", "null", "true", "False", "0123", "8:30", "1_000", "0x1F", "0o17", "0b101"],
    *[".inf", "-.inf", ".NaN", "+1", "-0", "1.", ".5", "1.5", "12e", "1e5", "1.0e5", "1E+5", "1.0e+5", "@x", "*a"],
    *["&a", "!tag", "- x", "a: b", "#c"],
    *["'", '"', "|", ">", "%YAML", "`", "---", "...", " leading", "trailing ", "", "\t", "é", "الدار البيضاء"],
]


def texts_of(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    base = st.text(max_size=30) | st.sampled_from(TRICKY_WORDS)
    if "pattern" in schema:
        base = st.from_regex(schema["pattern"], fullmatch=True)
    minimum = schema.get("minLength", 0)
    return base.filter(lambda s: len(s) >= minimum)


def from_schema(schema: dict[str, Any], root: dict[str, Any] = SERVICE_SCHEMA) -> st.SearchStrategy[Any]:
    """Values that follow a JSON Schema, for the keywords the directory schemas use."""
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return from_schema({**target, **{k: v for k, v in schema.items() if k != "$ref"}}, root)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        required = [key for key in properties if key in schema.get("required", [])]
        optional = [key for key in properties if key not in required]
        return st.fixed_dictionaries(
            {key: from_schema(properties[key], root) for key in required},
            optional={key: from_schema(properties[key], root) for key in optional},
        )
    if kind == "array":
        items = from_schema(schema.get("items", {}), root)
        return st.lists(items, min_size=schema.get("minItems", 0), max_size=3, unique=schema.get("uniqueItems", False))
    if kind == "string":
        return texts_of(schema)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**20), 10**20)
    if kind == "integer":
        return st.integers(-(10**20), 10**20)
    if kind == "boolean":
        return st.booleans()
    raise AssertionError(f"schema keyword not handled by the test strategy: {schema}")


services = from_schema(SERVICE_SCHEMA)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(services)
def test_records_written_by_a_yaml_writer_read_back_the_same(
    tmp_path_factory: pytest.TempPathFactory, record: dict
) -> None:
    assert not list(Draft202012Validator(SERVICE_SCHEMA).iter_errors(record)), "the strategy must follow the schema"
    path = tmp_path_factory.getbasetemp() / "round-trip.yml"
    path.write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    doc, diagnostics = read_yaml_mapping(path, "round-trip.yml")
    assert_located(diagnostics)
    # A plain value that YAML 1.1 readers would take for something else is reported (YML006) and kept as text,
    # which is what the writer meant: the record always reads back as written.
    assert {d.rule for d in diagnostics} <= {"YML006"}, [d.as_text() for d in diagnostics]
    assert doc is not None and doc.value == record


@pytest.mark.parametrize("word", ["1e5", "1.0e5", "1E+5"])
def test_exponent_without_dot_or_sign_is_reported_and_kept_as_text(tmp_path: Path, word: str) -> None:
    path = tmp_path / "exponent.yml"
    path.write_text(yaml.safe_dump({"id": word}), encoding="utf-8")
    doc, diagnostics = read_yaml_mapping(path, "exponent.yml")
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"id": word}
    assert [d.rule for d in diagnostics] == ["YML006"]
    assert doc is not None and doc.value == {"id": word}
