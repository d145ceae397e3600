"""The actor registry: the default file, alias matching, and validation errors."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from conftest import PROJECT_REGISTRY

from analysis.errors import AnalysisError
from analysis.speakers import (
    RegistryWarning,
    actors_named,
    builtin_registry,
    load_registry,
    parse_registry,
)


@pytest.fixture(scope="module")
def reg():
    return load_registry(PROJECT_REGISTRY)


def test_default_registry_has_the_seed_actors(reg) -> None:
    for aid in ["power", "churkin", "centcom", "united_states", "russia", "syria", "isis",
                "coalition", "un"]:
        assert aid in reg
    assert (reg["power"].gender, reg["power"].affiliation) == ("female", "united_states")
    assert (reg["churkin"].gender, reg["churkin"].affiliation) == ("male", "russia")
    assert reg["centcom"].kind == "organization"
    assert reg.affiliation_of("centcom") == "united_states"
    assert reg.affiliation_of("russia") == "russia"
    assert reg.affiliation_of(None) is None


@pytest.mark.parametrize(
    ("name", "actor"),
    [("Ms. Power", "power"), ("Mr. Churkin", "churkin"), ("US Central Command", "centcom"),
     ("CENTCOM", "centcom"), ("Russian Federation", "russia"), ("Samantha Power", "power"),
     ("Assad regime", "syria"), ("nobody", None)],
)
def test_lookup_by_name_or_alias(reg, name: str, actor: str | None) -> None:
    assert reg.lookup(name) == actor


def test_mentions_prefer_the_longest_alias_and_find_adjectives(reg) -> None:
    text = ("Churkin was upset with US ambassador Samantha Power, who lambasted Russia's support "
            "of the Syrian regime. The US-led coalition denied American heavy-handedness.")
    found = [(m.actor, m.text, m.adjective) for m in reg.mentions(text)]
    assert found == [
        ("churkin", "Churkin", False),
        ("power", "US ambassador Samantha Power", False),
        ("russia", "Russia", False),
        ("syria", "Syrian regime", False),
        ("coalition", "US-led coalition", False),
        ("united_states", "American", True),
    ]
    assert "united_states" not in {m.actor for m in reg.mentions(text, adjectives=False)}
    m = reg.mentions(text)[2]
    assert text[m.start:m.end] == "Russia"


def test_lower_case_alias_matches_capitalised_but_names_are_case_sensitive(reg) -> None:
    assert [m.actor for m in reg.mentions("The coalition said.")] == ["coalition"]
    assert reg.mentions("the power of words, us and them") == []


def test_actors_named_rejects_unknown_ids(reg) -> None:
    assert actors_named(reg, ["power", "Mr. Churkin"]) == ["power", "churkin"]
    with pytest.raises(AnalysisError, match=r"unknown actor 'velkova'; known ids: \['power'"):
        actors_named(reg, ["velkova"])


ENTRY = {"id": "velkova", "name": "Mara Velkova", "kind": "person", "aliases": ["Velkova"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([ENTRY, dict(ENTRY)], r"entry 2 \(id 'velkova'\): duplicate id 'velkova' \(first used "
                               r"by entry 1\)"),
        ([ENTRY, {"id": "reinholt", "name": "Tomas Reinholt", "kind": "person",
                  "aliases": ["velkova"]}],
         r"entry 2 \(id 'reinholt'\): alias 'velkova' is already claimed by 'velkova'"),
        ([{**ENTRY, "kind": "ministry"}], r"unknown kind 'ministry'; valid kinds"),
        ([{**ENTRY, "gender": "f"}], r"unknown gender 'f'"),
        ([{**ENTRY, "alias": ["x"]}], r"unknown key 'alias'; valid keys"),
        ([{"id": "velkova", "kind": "person"}], r"missing required key 'name'"),
        ([{**ENTRY, "id": "Velkova"}], r"id 'Velkova' must be lower case"),
        ([{**ENTRY, "aliases": "Velkova"}], r"aliases: must be a list of non-empty strings"),
        ({"velkova": ENTRY}, r"a registry is a YAML list of actors"),
    ],
)
def test_bad_registries_name_the_entry(data: object, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        parse_registry(data, "people.yml")


def test_registry_file_errors_name_the_file(tmp_path: Path) -> None:
    f = tmp_path / "people.yml"
    f.write_text("- id: a\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"people\.yml: line \d+: invalid YAML"):
        load_registry(f)
    with pytest.raises(AnalysisError, match=r"missing\.yml: registry file not found"):
        load_registry(tmp_path / "missing.yml")


def test_all_problems_are_reported_together() -> None:
    data = [ENTRY, dict(ENTRY), {**ENTRY, "id": "b", "kind": "club", "aliases": ["Velkova"]}]
    with pytest.raises(AnalysisError) as err:
        parse_registry(data, "people.yml")
    assert [p.message for p in err.value.problems] == [
        "duplicate id 'velkova' (first used by entry 1)",
        "unknown kind 'club'; valid kinds: ['person', 'organization', 'state']",
        "alias 'Mara Velkova' is already claimed by 'velkova'",
        "alias 'Velkova' is already claimed by 'velkova'",
    ]


def test_registry_frame(reg) -> None:
    frame = reg.to_frame()
    assert list(frame.columns) == ["id", "name", "kind", "gender", "affiliation", "role",
                                   "aliases", "adjectives", "iso3"]
    assert frame.set_index("id").loc["russia", "adjectives"] == "Russian; Russians"


def test_default_is_the_built_in_registry_not_a_file_of_the_repository() -> None:
    assert load_registry().source == builtin_registry().source == "<built-in actors>"
    assert "power" not in load_registry()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([{**ENTRY, "id": {"a": 1}}], r"entry 1: id: input should be a valid string, "
                                      r"not \{'a': 1\}"),
        ([{**ENTRY, "name": ["Mara", "Velkova"]}],
         r"entry 1 \(id 'velkova'\): name: input should be a valid string, "
         r"not \['Mara', 'Velkova'\]"),
        ([{**ENTRY, "aliases": ["Velkova", ["Ms.", "Velkova"]]}], r"aliases: must be a list"),
        (["velkova"], r"entry 1: an actor is a mapping"),
    ],
)
def test_types_are_checked_not_printed_as_text(data: object, message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        parse_registry(data, "people.yml")


def test_ids_with_hyphens_are_ordinary_slugs() -> None:
    reg = parse_registry([
        {**ENTRY, "id": "reyes-abara", "affiliation": "ostmark-mfa"},
        {"id": "ostmark-mfa", "name": "Ostmark Foreign Ministry", "kind": "organization"},
    ], "people.yml")
    assert reg.ids == ["reyes-abara", "ostmark-mfa"]
    assert reg.affiliation_of("reyes-abara") == "ostmark-mfa"


def test_affiliation_by_name_or_alias_resolves_to_the_id() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reg = parse_registry([
            {**ENTRY, "affiliation": "Joint Task Force"},
            {"id": "reinholt", "name": "Tomas Reinholt", "kind": "person",
             "affiliation": "ostravian republic"},
            {"id": "jtf", "name": "Joint Task Force North", "kind": "organization",
             "aliases": ["Joint Task Force"]},
            {"id": "ostravia", "name": "Ostravian Republic", "kind": "state"},
        ], "people.yml")
    assert reg["velkova"].affiliation == "jtf"
    assert reg["reinholt"].affiliation == "ostravia"  # case aside, the name


def test_affiliation_naming_no_actor_is_a_group_label_noted_once() -> None:
    data = [{**ENTRY, "affiliation": "Veldora"},
            {"id": "reinholt", "name": "Tomas Reinholt", "kind": "person",
             "affiliation": "Veldora"}]
    with pytest.warns(RegistryWarning) as caught:
        reg = parse_registry(data, "people.yml")
    assert [str(w.message) for w in caught] == [
        "people.yml: affiliation 'Veldora' (of 'velkova', 'reinholt') names no actor in the "
        "registry; kept as a free-text group label"]
    assert reg.affiliation_of("velkova") == reg.affiliation_of("reinholt") == "Veldora"


def test_registry_file_problems_name_entry_and_line(tmp_path: Path) -> None:
    f = tmp_path / "people.yml"
    f.write_text("- id: velkova\n  name: Mara Velkova\n  kind: person\n"
                 "- id: velkova\n  name: [Samantha, Power]\n  kind: club\n", encoding="utf-8")
    with pytest.raises(AnalysisError) as err:
        load_registry(f)
    assert [str(p).replace(str(f), "people.yml") for p in err.value.problems] == [
        "people.yml: entry 2 (id 'velkova') (line 5): name: input should be a valid string, "
        "not ['Samantha', 'Power']",
        "people.yml: entry 2 (id 'velkova') (line 6): unknown kind 'club'; valid kinds: "
        "['person', 'organization', 'state']",
        "people.yml: entry 2 (id 'velkova') (line 4): duplicate id 'velkova' (first used by "
        "entry 1)",
    ]


# --- built-in states (issue 11, item 1) ----------------------------------------------------


def test_every_un_member_and_observer_state_is_built_in() -> None:
    from analysis.states import country_rows

    reg = builtin_registry()
    states = [a for a in reg if a.kind == "state"]
    members = {r.iso3 for r in country_rows() if r.un_member and not r.obsolete}
    assert len(members) == 193
    former = {"CSK", "DDR", "YMD", "YUG"}  # General Debate speakers of former members
    assert {a.iso3 for a in states} == members | {"VAT", "PSE"} | former
    assert len(states) == 195 + 4 and all(a.iso3 for a in states)
    assert (reg["eu"].kind, reg["eu"].name, reg["eu"].iso3) == ("organization", "European Union",
                                                                 None)
    for aid, iso3 in [("united_states", "USA"), ("russia", "RUS"), ("syria", "SYR"),
                      ("united_kingdom", "GBR"), ("ukraine", "UKR"), ("holy_see", "VAT"),
                      ("palestine", "PSE"), ("cote_d_ivoire", "CIV")]:
        assert reg[aid].iso3 == iso3
    assert len(set(reg.ids)) == len(reg)


def test_no_built_in_name_is_claimed_twice() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for a in builtin_registry():
        for form in {f.casefold() for f in (*a.names, *a.adjectives)}:
            if owner.setdefault(form, a.id) != a.id:
                clashes.append((form, owner[form], a.id))
    assert clashes == []


@pytest.mark.parametrize(("text", "found"), [
    ("Moscow said the Kyiv authorities had shelled Donetsk.",
     [("russia", "Moscow", False), ("ukraine", "Kyiv", False)]),
    ("Ukrainian forces and the Russians; Britain and the UK; Ivory Coast; Burma.",
     [("ukraine", "Ukrainian", True), ("russia", "Russians", True),
      ("united_kingdom", "Britain", False), ("united_kingdom", "UK", False),
      ("cote_d_ivoire", "Ivory Coast", False), ("myanmar", "Burma", False)]),
    ("The Democratic Republic of the Congo and the Republic of the Congo met in Brussels.",
     [("dr_congo", "Democratic Republic of the Congo", False),
      ("congo_republic", "Republic of the Congo", False), ("eu", "Brussels", False)]),
])
def test_built_in_states_are_found_by_name_capital_and_adjective(text, found) -> None:
    assert [(m.actor, m.text, m.adjective) for m in builtin_registry().mentions(text)] == found


def test_a_user_registry_overrides_and_adds_to_the_built_in_states(reg) -> None:
    assert reg.ids[:12] == ["power", "churkin", "centcom", "us_military", "united_states",
                            "russia", "syria", "assad", "putin", "isis", "coalition", "un"]
    assert "ukraine" in reg and reg["ukraine"].iso3 == "UKR"
    assert (reg["syria"].name, reg["syria"].iso3) == ("Syria's government", "SYR")
    assert reg["syria"].aliases[0] == "Syria"  # the user's aliases, not the built-in ones
    assert (reg.country_of("power"), reg.country_of("centcom"), reg.country_of("isis")) == (
        "USA", "USA", None)
    assert len([a for a in reg if a.iso3 == "RUS"]) == 1


def test_a_user_entry_may_take_a_built_in_state_by_iso3_and_its_names() -> None:
    reg = parse_registry([
        {"id": "kremlin", "name": "Russian government", "kind": "state", "iso3": "RUS"},
        {"id": "reyes", "name": "Ana Reyes", "kind": "person", "affiliation": "Ukraine",
         "aliases": ["Kyiv"]},
    ], "people.yml", builtin=True)
    assert "russia" not in reg and reg["kremlin"].aliases[:2] == ("Russia", "Russian Federation")
    assert reg["reyes"].affiliation == "ukraine" and reg.country_of("reyes") == "UKR"
    assert reg.lookup("Kyiv") == "reyes" and "Kyiv" not in reg["ukraine"].aliases


def test_overriding_a_built_in_state_with_another_iso3_is_an_error() -> None:
    with pytest.raises(AnalysisError) as err:
        parse_registry([{"id": "russia", "name": "Russia", "kind": "state", "iso3": "UKR"},
                        {"id": "ostravia", "name": "Ostravia", "kind": "state", "iso3": "OSTR"}],
                       "people.yml", builtin=True)
    assert [str(p) for p in err.value.problems] == [
        "people.yml: entry 2 (id 'ostravia'): iso3: iso3 'OSTR' must be three capital letters "
        "(ISO 3166 alpha-3, e.g. UKR)"]
    with pytest.raises(AnalysisError) as err:
        parse_registry([{"id": "russia", "name": "Russia", "kind": "state", "iso3": "UKR"}],
                       "people.yml", builtin=True)
    assert [str(p) for p in err.value.problems] == [
        "people.yml: entry 1 (id 'russia'): iso3 'UKR' conflicts with the built-in state "
        "'russia' (RUS); give 'RUS' or leave iso3 out"]


@pytest.mark.parametrize(("name", "iso3"), [
    ("United States of America", "USA"), ("Russian Federation", "RUS"),
    ("Republic of Korea", "KOR"), ("Republic ofKorea", "KOR"), ("Viet Nam", "VNM"),
    ("Bolivarian Republic of Venezuela", "VEN"), ("Equatorial Guinea", "GNQ"),
    ("Guinea", "GIN"), ("Holy See", "VAT"), ("European Union", None), ("Ostravia", None)])
def test_country_names_as_records_write_them(name: str, iso3: str | None) -> None:
    from analysis.states import iso3_of

    assert iso3_of(name) == iso3
