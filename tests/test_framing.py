"""Framing codebook (loading, errors, matching, negation) and the passive-voice detector."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import AnalysisError
from analysis.framing import GROUPS, find_passives, find_terms, load_codebook

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
    assert any("unknown key(s) ['version']" in m for m in msgs)
    assert any(m.startswith("category 'hedges'") and "unknown key(s) ['term']" in m
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
