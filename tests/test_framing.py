"""Framing codebook (loading, errors, matching, negation) and the passive-voice detector."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import AnalysisError
from analysis.measures.codebook import GROUPS, load_codebook
from analysis.measures.framing import find_terms
from analysis.measures.passives import find_passives

BAD = Path(__file__).resolve().parent / "data" / "codebooks"


def hits(text: str, category: str, **kw) -> list[tuple[str, bool]]:
    return [(h.match, h.negated) for h in find_terms(text, **kw) if h.category == category]


# ---- the shipped codebook ---------------------------------------------------------------------

def test_shipped_codebook_has_the_required_categories() -> None:
    cb = load_codebook()
    required = {
        "metadiscourse": {"hedges", "boosters", "attitude_markers", "self_mentions",
                          "engagement_markers"},
        "news_frame": {"responsibility", "conflict", "morality", "humanitarian",
                       "security_military", "legal_procedural"},
        "speech_act": {"accusation", "denial", "conciliation", "demand", "threat"},
    }
    for group, ids in required.items():
        assert ids <= {c.id for c in cb.categories if c.group == group}
    for c in cb.categories:
        assert c.group in GROUPS and c.definition and c.literature and c.terms
    assert cb.negation_window == 3 and "never" in cb.negation_words


def test_load_codebook_from_a_user_path() -> None:
    cb = load_codebook(BAD / "minimal.yml")
    assert cb.ids == ["blame", "fault"]
    # across groups a word may be coded on both dimensions
    found = [(h.category, h.match) for h in find_terms("They blamed Ruritania.", codebook=cb)]
    assert found == [("blame", "blamed"), ("fault", "blamed")]


# ---- errors -----------------------------------------------------------------------------------

def _problems(name: str) -> list[str]:
    with pytest.raises(AnalysisError) as info:
        load_codebook(BAD / name)
    for p in info.value.problems:
        assert p.where.endswith(name)
    return [f"{p.entry}: {p.message}" for p in info.value.problems]


def test_empty_category_is_an_error() -> None:
    (msg,) = _problems("empty_category.yml")
    assert msg.startswith("category 'hedges'") and "empty category" in msg


def test_malformed_wildcards_are_errors() -> None:
    msgs = _problems("bad_wildcards.yml")
    assert len(msgs) == 3
    assert all("category 'accusation'" in m and "malformed wildcard" in m for m in msgs)
    assert any("'*foo'" in m for m in msgs) and any("'fo*o'" in m for m in msgs)


def test_a_term_with_two_meanings_is_an_error() -> None:
    (msg,) = _problems("two_meanings.yml")
    assert "category 'conciliation'" in msg
    assert "'sympath*' overlaps 'sympathizes' of category 'accusation'" in msg


def test_unknown_keys_are_errors() -> None:
    msgs = _problems("unknown_key.yml")
    # the schema's wording (was "unknown key(s) ['version']"), with the line and valid keys
    assert any(m.startswith("line 2") and "unknown key 'version'; valid keys: "
               "['categories', 'exact_case', 'negation']" in m for m in msgs)
    assert any(m.startswith("category 'hedges' (line 9)") and "unknown key 'term'" in m
               for m in msgs)


def test_missing_file_names_it() -> None:
    with pytest.raises(AnalysisError, match="nope.yml: codebook file not found"):
        load_codebook(BAD / "nope.yml")


# ---- matching ---------------------------------------------------------------------------------

def test_negation_window_is_recorded_and_not_counted() -> None:
    assert hits("It was not intentional.", "responsibility") == [("intentional", True)]
    assert hits("It was intentional.", "responsibility") == [("intentional", False)]
    # 4 words away: outside the 3-word window
    assert hits("It was never, ever, so very intentional.", "responsibility") == [
        ("intentional", False)]
    assert hits("They didn't condemn it.", "accusation") == [("condemn", True)]
    # a clause boundary stops the look-back
    assert hits("Not now; we condemn it.", "accusation") == [("condemn", False)]


def test_case_insensitive_wildcards_and_phrases() -> None:
    assert hits("We CONDEMN the Condemnable condemnation.", "accusation") == [
        ("CONDEMN", False), ("Condemnable", False), ("condemnation", False)]
    assert hits("It caused the loss of life, and of lives.", "humanitarian") == [
        ("loss of life", False)]


def test_longest_cue_wins_within_a_group() -> None:
    found = [(h.category, h.match) for h in find_terms("at the Security Council")]
    assert ("legal_procedural", "Security Council") in found
    assert ("security_military", "Security") not in found


def test_phrases_do_not_cross_punctuation() -> None:
    assert hits("the loss, of life", "humanitarian") == []
    assert hits("the loss of life", "humanitarian") == [("loss of life", False)]


def test_exact_case_terms() -> None:
    assert hits("The US said so.", "self_mentions") == []
    assert hits("Give us time.", "self_mentions") == [("us", False)]
    assert hits("in May", "hedges") == []
    assert hits("it may be", "hedges") == [("may", False)]


def test_offsets_point_into_the_text() -> None:
    text = "Preamble. They lambasted Ruritania."
    (h,) = [h for h in find_terms(text, 10) if h.category == "accusation"]
    assert text[h.start:h.end] == "lambasted" and h.term == "lambast*"


# ---- passives ---------------------------------------------------------------------------------

def passives(text: str) -> list[tuple[str, str | None]]:
    return [(p.match, p.agent) for p in find_passives(text)]


def test_centcom_agentless_and_agent_passives() -> None:
    text = ("The coalition airstrike was halted immediately when coalition officials were "
            "informed by Russian officials that it was possible the personnel and vehicles "
            "targeted were part of the Syrian military")
    assert passives(text) == [("was halted", None), ("were informed", "Russian officials")]
    halted = find_passives(text)[0]
    assert halted.agentless and text[halted.start:halted.end] == "was halted"


@pytest.mark.parametrize("text", [
    "Mr. Ruven was an accomplished diplomat.",
    "It is not.",
    "The minister was concerned about the talks.",
    "She was interested in peace and worried about the ceasefire.",
    "The delegation is supposed to arrive.",
    "They were engaged with rebel fighters.",
    "He was upset.",
])
def test_known_false_positives_are_not_passives(text: str) -> None:
    assert passives(text) == []


def test_irregular_get_adverbs_and_negation() -> None:
    assert passives("The convoy was struck by mistake.") == [("was struck", None)]
    assert passives("Two soldiers got hit by a shell.") == [("got hit", "a shell")]
    assert passives("Aid was reportedly withheld by Ruritanian forces in Osterlich.") == [
        ("was reportedly withheld", "Ruritanian forces")]
    (p,) = find_passives("The envoy was not informed.")
    assert p.negated and p.match == "was not informed"
    assert passives("Illnesses that could be treated with medicine.") == [("be treated", None)]
    # a "by" in a later clause is not the agent
    assert passives("The road was closed, and then crossed by trucks.") == [("was closed", None)]


def test_every_fault_of_a_codebook_is_listed_with_category_and_line() -> None:
    assert _problems("many_faults.yml") == [
        "negation: window (line 5): must be a whole number from 0 to 10, not 11",
        "category 'Blame': id (line 8): must be lower case letters, digits and _, starting "
        "with a letter (it becomes a column name), not 'Blame'",
        "category 'praise' (line 34): unknown group 'flattery'; valid: 'metadiscourse', "
        "'news_frame' or 'speech_act'",
        "category 'passive' (line 14): id 'passive' is a column name of the score tables; "
        "choose another",
        "category 'fault' (line 26): duplicate id (first used by category 3)",
        "category 'fault' (line 25): term 'Culprit': terms are written in lower case without "
        "outer spaces",
        "category 'fault' (line 25): term 'fault' is listed twice",
        "category 'praise' (line 37): term 'well-done!': 'well-done!' is not one token (write "
        "words and phrases of words)",
    ]


def test_a_codebook_that_is_not_a_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "list.yml"
    bad.write_text("- hedges\n- boosters\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match="list.yml: a codebook is a mapping with "
                                            "'categories'"):
        load_codebook(bad)
    empty = tmp_path / "empty.yml"
    empty.write_text("negation:\nexact_case:\ncategories: []\n", encoding="utf-8")
    with pytest.raises(AnalysisError) as info:
        load_codebook(empty)
    assert [str(p) for p in info.value.problems] == [
        f"{empty}: categories (line 3): categories must be a non-empty list"]


def test_packaged_data_files_load_through_resources() -> None:
    from analysis.measures.codebook import default_codebook
    from analysis.measures.passives import passive_rules
    from analysis.resources import packaged
    from analysis.schema import CodebookFile, ParticiplesFile

    assert default_codebook() is load_codebook() and default_codebook().source == (
        "analysis/data/codebook.yml")
    model = packaged("codebook", CodebookFile)
    assert [c.id for c in model.categories] == load_codebook().ids
    rules = passive_rules()
    assert "and" in rules.coordinators and "and" not in rules.clause_breaks
    assert packaged("participles", ParticiplesFile).max_between == rules.max_between == 3


def test_a_damaged_participles_file_names_key_and_line(tmp_path: Path) -> None:
    from analysis.schema import ParticiplesFile, load_yaml_file

    bad = tmp_path / "participles.yml"
    bad.write_text("be: [is, was]\nget: [got]\nbetween: [not]\nmax_between: eleven\n"
                   "negators: [not]\nirregular: [done]\nnot_participles: [need]\n"
                   "adjectival: [tired]\nclause_breaks: [that]\nagent_stops: [in]\n"
                   "by_not_agent: [far]\n", encoding="utf-8")
    with pytest.raises(AnalysisError) as info:
        load_yaml_file(bad, ParticiplesFile, what="participles file")
    assert [str(p) for p in info.value.problems] == [
        f"{bad}: line 4: max_between: input should be a valid integer, unable to parse "
        "string as an integer, not 'eleven'",
        f"{bad}: line 1: missing required key 'coordinators'",
    ]
