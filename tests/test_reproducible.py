"""Two builds of the same sources give the same site, byte for byte, so a published site can be checked against
its sources. The only exception is what Pagefind writes in hash-map order; those files must still say the same.

Found while writing this test (see `PAGEFIND_UNORDERED`): Pagefind 1.5 lists the values of each search filter, and
the languages of pagefind-entry.json, in a different order on every run; the filter files are named after a hash
of their bytes, and the language metadata names those files, so their names and bytes change too.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from relais.pipeline.build import build_project
from support import AS_OF, FIXTURES, copy_project

# The AS_OF of the tests at midnight UTC: the build date written in the sitemap and in its gzip header.
SOURCE_DATE_EPOCH = str(int(datetime.combine(AS_OF, time(), tzinfo=UTC).timestamp()))
PAGEFIND_SIGNATURE = b"pagefind_dcd"
PAGEFIND_UNORDERED = re.compile(r"^pagefind/(?:filter/.+\.pf_filter|pagefind\..+\.pf_meta|pagefind-entry\.json)$")
# The service workers list those Pagefind files by name and hash (they are precached), and the offline version file
# is a hash of the workers: they differ exactly where Pagefind's files do, and nowhere else.
OFFLINE_DERIVED = re.compile(r"^(?:(?:en|ar)/)?(?:sw\.js|hors-ligne\.json)$")
UNORDERED_ENTRY = re.compile(
    rb'\{url:"[^"]*/pagefind/(?:filter/[^"]+\.pf_filter|pagefind\.[^"]+\.pf_meta|pagefind-entry\.json)",revision:"?[^}]*\},?'
)
# Their compressed sizes differ by a few bytes too: the version file's precache size with them.
VERSION_FIELDS = re.compile(rb'"version": "[0-9a-f]+"|"bytes": [0-9]+')


WORKER = re.compile(r"^(?:(?:en|ar)/)?sw\.js$")
PRECACHE_ENTRY = re.compile(rb'\{url:"[^"]*",revision:"?[^}]*\}')


def without_pagefind_order(name: str, raw: bytes) -> bytes:
    """A worker as its precache list without Pagefind's unordered files; the version file without version and size.

    The worker's code is minified by the pinned workbox-build, whose mangled names depend on the characters of the
    whole file, Pagefind's file names included: it differs exactly when those names do."""
    if WORKER.match(name):
        entries = PRECACHE_ENTRY.findall(UNORDERED_ENTRY.sub(b"", raw))
        assert entries, f"{name}: no precache list found in the worker"
        return b"\n".join(entries)
    return VERSION_FIELDS.sub(b"", UNORDERED_ENTRY.sub(b"", raw)) if OFFLINE_DERIVED.match(name) else raw


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def cbor(data: bytes, at: int = 0) -> tuple[object, int]:
    """Decode the CBOR subset Pagefind writes (integers, strings, arrays, maps). Returns (value, next offset)."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info >= 24:
        size = 1 << (info - 24)
        info, at = int.from_bytes(data[at : at + size], "big"), at + size
    if major == 0:
        return info, at
    if major in (2, 3):
        chunk = data[at : at + info]
        return (chunk.decode() if major == 3 else chunk), at + info
    if major == 4:
        items = []
        for _ in range(info):
            item, at = cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = {}
        for _ in range(info):
            key, at = cbor(data, at)
            pairs[key], at = cbor(data, at)
        return pairs, at
    raise ValueError(f"CBOR major type {major} at byte {at}")


def pagefind_value(raw: bytes) -> object:
    value, end = cbor(gzip.decompress(raw).removeprefix(PAGEFIND_SIGNATURE))
    assert end > 0
    return value


def unordered_content(files: dict[str, bytes]) -> dict[str, object]:
    """What Pagefind's unordered files say, in a stable order and without the hashes that follow from the order."""
    said: dict[str, object] = {}
    for name, raw in files.items():
        if name.endswith(".pf_filter"):
            filter_name, values = pagefind_value(raw)  # type: ignore[misc]
            said[f"filter {filter_name}"] = sorted((value, sorted(pages)) for value, pages in values)
        elif name.endswith(".pf_meta"):
            version, pages, chunks, filters, sorts, *rest = pagefind_value(raw)  # type: ignore[misc]
            language = name.split(".")[1].split("_")[0]
            said[f"meta {language}"] = [version, pages, chunks, sorted(f[0] for f in filters), sorts, rest]
        elif name.endswith("pagefind-entry.json"):
            entry = json.loads(raw)
            said["entry"] = {
                lang: {k: v for k, v in info.items() if k != "hash"} for lang, info in entry["languages"].items()
            }
            said["entry other"] = {k: v for k, v in entry.items() if k != "languages"}
    return said


def cut_short(first: bytes, second: bytes) -> bool:
    shorter, longer = sorted((first, second), key=len)
    return len(shorter) < len(longer) and longer.startswith(shorter)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        project = copy_project(tmp_path_factory.mktemp("reproducible"), directory_fixture=FIXTURES / "directory")
        first, second = (project.with_overrides(site_dir=project.root / name) for name in ("site-a", "site-b"))
        build_project(first, AS_OF)
        build_project(second, AS_OF)
    return tree(first.site_dir), tree(second.site_dir)


def differing_files(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    """The files two sites both hold that differ, Pagefind's order aside; both must hold the same files."""
    stable = {name for name in first if not PAGEFIND_UNORDERED.match(name)}
    assert stable == {name for name in second if not PAGEFIND_UNORDERED.match(name)}
    return sorted(
        name
        for name in stable
        if without_pagefind_order(name, first[name]) != without_pagefind_order(name, second[name])
    )


def test_two_builds_give_the_same_site_byte_for_byte(two_builds: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    first, second = two_builds
    differing = differing_files(first, second)
    cut = [name for name in differing if name.startswith("pagefind/") and cut_short(first[name], second[name])]
    # A cut-short Pagefind file also changes its hash in the workers that precache it, and so the version file.
    if cut and all(name in cut or OFFLINE_DERIVED.match(name) for name in differing):
        pytest.xfail(
            f"Pagefind files cut short in one build: {differing}. The Pagefind service is stopped as soon as it "
            "answers WriteFiles, before its last writes reach the disk (relais.site.search_index; reported)."
        )
    assert differing == [], f"files that differ between two builds of the same sources: {differing}"


def test_pagefind_files_written_in_hash_map_order_say_the_same(
    two_builds: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    first, second = ({n: raw for n, raw in build.items() if PAGEFIND_UNORDERED.match(n)} for build in two_builds)
    assert len(first) == len(second)
    assert first.keys() >= {"pagefind/pagefind-entry.json"}
    assert unordered_content(first) == unordered_content(second)


def test_the_sitemap_carries_the_source_date(two_builds: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    first, _ = two_builds
    assert f"<lastmod>{AS_OF.isoformat()}</lastmod>".encode() in first["sitemap.xml"]
    assert gzip.decompress(first["sitemap.xml.gz"]) == first["sitemap.xml"]
    assert int.from_bytes(first["sitemap.xml.gz"][4:8], "little") == int(SOURCE_DATE_EPOCH)  # gzip header mtime
