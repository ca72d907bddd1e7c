"""Every YAML hazard rule fires on its fixture, at the line where the problem is."""

from __future__ import annotations

from pathlib import Path

import pytest

from relais.model.yamldoc import read_yaml_mapping

pytestmark = pytest.mark.hostile

FIXTURES = Path(__file__).parent / "fixtures" / "yaml"

EXPECTED_LINE = {
    "YML001": 3,  # the unclosed flow sequence is noticed at end of input
    "YML002": 1,
    "YML003": 1,
    "YML004": 1,
    "YML005": 1,
    "YML006": 2,
    "YML007": 2,
    "YML008": 2,
    "YML009": 3,
    "YML010": 2,
    "YML011": 15,
    "YML012": 2,
}


@pytest.mark.parametrize("rule_id", sorted(EXPECTED_LINE))
def test_yaml_hazard_is_reported_with_its_rule_and_line(rule_id: str) -> None:
    fixture = FIXTURES / f"{rule_id}.yml"
    _, diagnostics = read_yaml_mapping(fixture, f"fixtures/{rule_id}.yml")
    matching = [d for d in diagnostics if d.rule == rule_id]
    assert matching, f"{rule_id} not reported; got {[d.as_text() for d in diagnostics]}"
    assert matching[0].line == EXPECTED_LINE[rule_id]
    assert matching[0].path == f"fixtures/{rule_id}.yml"
    assert matching[0].hint


def test_yaml11_numbers_and_booleans_stay_text_with_an_error() -> None:
    from relais.model.yamldoc import parse_yaml

    doc, diagnostics = parse_yaml('phone: 0522123456\nhours: 8:30\nok: "NO"\n', "x.yml")
    assert doc is not None
    assert doc.value == {"phone": "0522123456", "hours": "8:30", "ok": "NO"}
    assert [(d.rule, d.line) for d in diagnostics] == [("YML006", 1), ("YML006", 2)]


def test_alias_bomb_is_refused_without_expanding() -> None:
    from relais.model.yamldoc import parse_yaml

    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    doc, diagnostics = parse_yaml(bomb * 1, "bomb.yml")
    assert doc is None
    assert {d.rule for d in diagnostics} == {"YML007"}


def test_positions_point_at_values_and_keys() -> None:
    from relais.model.yamldoc import parse_yaml

    doc, _ = parse_yaml("id: a\nphones:\n  - number: '+212'\n", "x.yml")
    assert doc is not None
    assert doc.position(("phones", 0, "number")) == (3, 13)
    assert doc.key_position(("phones",)) == (2, 1)
    assert doc.position(("missing", "deeper")) == (1, 1)
