"""The rule table of the editors' guide: generated from the catalogue, present and current in all three languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest

from relais.cli import main
from relais.rules import ERROR, Rule, all_rules
from relais.rules.table import (
    CONTRIBUTING_FILES,
    END_MARKER,
    START_MARKER,
    MarkersMissing,
    generic_template,
    markdown_cell,
    render_markdown,
    with_rule_table,
    write_contributing_tables,
)
from support import REPO

GUIDES = [REPO / name for name in CONTRIBUTING_FILES]


def table_of(text: str) -> str:
    return text.split(START_MARKER, 1)[1].split(END_MARKER, 1)[0]


def table_ids(text: str) -> list[str]:
    return re.findall(r"^\| ([A-Z]{3}\d{3}) \|", table_of(text), flags=re.MULTILINE)


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_every_rule_of_the_catalogue_is_in_the_table(guide: Path) -> None:
    assert table_ids(guide.read_text(encoding="utf-8")) == [entry.id for entry in all_rules()]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_table_is_what_write_contributing_would_write(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    assert with_rule_table(text, render_markdown(all_rules())) == text, (
        f"{guide.name} is out of date: run `.venv/bin/relais rules --write-contributing`"
    )


def test_a_new_rule_without_regenerating_makes_the_guide_out_of_date() -> None:
    text = GUIDES[0].read_text(encoding="utf-8")
    extra = Rule("ZZZ999", ERROR, "fictitious rule", "fictitious `{field}`", "Fix `{field}`.", "Only for this test.")
    assert with_rule_table(text, render_markdown([*all_rules(), extra])) != text


def test_write_contributing_rewrites_only_between_the_markers(tmp_path: Path) -> None:
    before, after = "# Guide\n\nTexte avant.\n\n", "\n\nTexte après.\n"
    for name in CONTRIBUTING_FILES:
        (tmp_path / name).write_text(f"{before}{START_MARKER}\nold table\n{END_MARKER}{after}", encoding="utf-8")
    changed = write_contributing_tables(tmp_path)
    assert [p.name for p in changed] == list(CONTRIBUTING_FILES)
    text = (tmp_path / "CONTRIBUTING.ar.md").read_text(encoding="utf-8")
    assert text.startswith(before + START_MARKER + "\n| id | severity |") and text.endswith(END_MARKER + after)
    assert "old table" not in text
    assert write_contributing_tables(tmp_path) == []  # a second run changes nothing


def test_missing_markers_are_reported_not_ignored(tmp_path: Path) -> None:
    for name in CONTRIBUTING_FILES:
        (tmp_path / name).write_text(f"{START_MARKER}\n{END_MARKER}\n", encoding="utf-8")
    (tmp_path / "CONTRIBUTING.en.md").write_text("no markers here\n", encoding="utf-8")
    with pytest.raises(MarkersMissing, match=r"CONTRIBUTING\.en\.md"):
        write_contributing_tables(tmp_path)


def test_placeholders_are_shown_generically() -> None:
    assert generic_template("Add a `{key}:` line.") == "Add a `<key>:` line."
    assert generic_template("Remove it (also from `{{: ... }}` lists).") == "Remove it (also from `{: ... }` lists)."
    assert markdown_cell("Use <kind> ids | or `a|b` <x>") == r"Use &lt;kind&gt; ids \| or `a\|b` &lt;x&gt;"


def test_hint_computed_from_the_value_is_explained_not_shown_as_a_placeholder() -> None:
    row = next(line for line in render_markdown(all_rules()).splitlines() if line.startswith("| DIR003 |"))
    assert "<hint>" not in row and "&lt;hint&gt;" not in row
    assert "The message says what to change" in row


def test_table_has_five_cells_in_every_row_when_rendered() -> None:
    html = markdown.markdown(render_markdown(all_rules()), extensions=["tables"])
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.DOTALL)
    assert len(rows) == len(all_rules()) + 1
    assert all(len(re.findall(r"<t[hd]>", row)) == 5 for row in rows)
    assert "<key>" not in html.replace("<code>&lt;key&gt;", "")


def test_rules_command_prints_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    assert all(f"{entry.id} {entry.severity}: {entry.title}" in text for entry in all_rules())
    assert main(["rules", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == render_markdown(all_rules())


def test_rules_command_rewrites_the_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    for name in CONTRIBUTING_FILES:
        (tmp_path / name).write_text(f"{START_MARKER}{END_MARKER}\n", encoding="utf-8")
    assert main(["--project", str(tmp_path), "rules", "--write-contributing"]) == 0
    assert "3 CONTRIBUTING file(s) updated" in capsys.readouterr().out
    assert table_ids((tmp_path / "CONTRIBUTING.md").read_text(encoding="utf-8")) == [r.id for r in all_rules()]
    (tmp_path / "CONTRIBUTING.md").unlink()
    assert main(["--project", str(tmp_path), "rules", "--write-contributing"]) == 1
    assert "CONTRIBUTING.md" in capsys.readouterr().err


# --- The rest of the guide, kept in step with the formats it explains -----------------------------------------------


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_guide_explains_every_field_of_a_service(guide: Path) -> None:
    schema = json.loads((REPO / "directory" / "schema" / "service.schema.json").read_text(encoding="utf-8"))
    text = guide.read_text(encoding="utf-8")
    missing = [key for key in schema["properties"] if f"\n| `{key}` |" not in text]
    assert missing == []


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_guide_highlights_the_confidentiality_rule(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    alert = re.search(r"^> \[!CAUTION\]\n((?:>.*\n)+)", text, flags=re.MULTILINE)
    assert alert is not None
    assert "`front_door`" in alert.group(1)
    assert text.index("[!CAUTION]") < text.index("## 1.")  # before anything else


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_guide_names_the_commands_editors_run(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    for command in (
        "relais new service --country MA --city casablanca",
        "relais new page --section enfants",
        "--language ar",
        "relais report translations",
        "relais validate",
        "make serve",
        "make test",
        "source_revision",
    ):
        assert command in text, command
