"""The one YAML validator: every problem at once, with entry, line, valid keys and choices."""

from __future__ import annotations

from typing import Literal

import pytest

from analysis.errors import AnalysisError, short
from analysis.io import parse_yaml
from analysis.schema import Schema, parse_yaml_text, validate


class _Actor(Schema):
    id: str
    name: str
    kind: Literal["person", "state"]
    aliases: list[str] = []


REGISTRY = """\
- id: reyes
  name: Ana Reyes
  kind: person
- id: ostmark
  name: [Ost, Mark]
  kind: op-ed
  colour: red
- name: Nobody
  kind: state
  aliases: [1, fine]
"""


def test_every_problem_is_listed_with_entry_and_line() -> None:
    with pytest.raises(AnalysisError) as info:
        parse_yaml_text(REGISTRY, list[_Actor], "reg.yml")
    assert [str(p) for p in info.value.problems] == [
        "reg.yml: entry 2 (id 'ostmark') (line 7): unknown key 'colour'; "
        "valid keys: ['aliases', 'id', 'kind', 'name']",
        "reg.yml: entry 2 (id 'ostmark') (line 5): name: input should be a valid string, "
        "not ['Ost', 'Mark']",
        "reg.yml: entry 2 (id 'ostmark') (line 6): unknown kind 'op-ed'; "
        "valid: 'person' or 'state'",
        "reg.yml: entry 3 (line 8): missing required key 'id'",
        "reg.yml: entry 3: aliases: item 1 (line 10): input should be a valid string, not 1",
    ]


def test_valid_data_is_converted() -> None:
    [actor] = validate(list[_Actor], [{"id": "a", "name": "A", "kind": "state"}], "x")
    assert (actor.id, actor.kind, actor.aliases) == ("a", "state", [])


def test_a_mapping_is_not_taken_for_a_string() -> None:
    with pytest.raises(AnalysisError, match=r"entry 1: id: input should be a valid string, "
                                            r"not \{'a': 1\}"):
        validate(list[_Actor], [{"id": {"a": 1}, "name": "A", "kind": "state"}], "x")


def test_long_values_are_cut_in_messages() -> None:
    with pytest.raises(AnalysisError) as info:
        validate(list[_Actor], [{"id": "a", "name": "n" * 5000, "kind": 7}], "x")
    assert len(str(info.value)) < 400
    assert short("x" * 500).endswith("... (502 characters)")


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(AnalysisError, match="aliases expand to more than 1,000,000 values") as info:
        parse_yaml("\n".join(lines), "bomb.yml")
    assert len(str(info.value)) < 300
