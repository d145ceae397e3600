"""The stance measure: negative evaluation, its type, resolved targets and evidence.

Fixtures are fictional (tests/data/stance/registry.yml); the seed pins read the project's
corpus (issue 12 Acceptance).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, PROJECT_REGISTRY, ROOT

from analysis.documents import read_documents
from analysis.errors import AnalysisError
from analysis.measures.stance import STANCE_TYPES, Rules, Stance, stance, stances
from analysis.quotes import extract_statements
from analysis.schema import StanceFile, validate
from analysis.speakers import load_registry
from analysis.text import sentences

FICTION = DATA / "stance" / "registry.yml"
SEED = ROOT / "corpus" / "deir-ezzor-2016-09-17.md"


@pytest.fixture(scope="module")
def reg():
    return load_registry(FICTION)


def test_direct_negative_evaluation_names_the_state_and_the_cues(reg) -> None:
    s = stance("The Kesslandic invasion of our provinces is illegal.", "OST", reg)
    assert (s.negative_evaluation, s.stance_type, s.targets, s.target_countries) == (
        True, "direct", ("kessland",), ("KES",))
    assert s.evidence == "cues: invasion, illegal; rule: negative cues (score 2) + named Kesslandic"


def test_capital_and_person_resolve_to_their_state(reg) -> None:
    assert stance("Tarnholm keeps violating the ceasefire.", "OST", reg).target_countries == (
        "KES",)
    assert stance("Ms. Velkova distorted the facts again.", "KES", reg).target_countries == (
        "OST",)


def test_the_speakers_own_country_is_never_a_target(reg) -> None:
    text = "Ostravia condemns the illegal attack on its border posts."
    s = stance(text, "OST", reg)  # criticism of someone the tool cannot name
    assert (s.negative_evaluation, s.targets, s.target_countries) == (True, (), ())
    assert s.evidence == ("cues: condemns, illegal, attack; rule: negative cues (score 3) "
                          "without a target")
    assert stance(text, "OST", reg, rules=Rules(untargeted=None)) == Stance(False, "")
    assert stance(text, "KES", reg).target_countries == ("OST",)


def test_a_mention_that_is_not_criticised_stays_a_mention(reg) -> None:
    assert not stance("We thank Drevania for its generous support.", "OST", reg).negative_evaluation


def test_a_named_state_beats_a_proxy_and_a_bare_proxy_is_indirect(reg) -> None:
    s = stance("The terrorists armed by Kessland attacked the villages.", "OST", reg)
    assert (s.stance_type, s.target_countries) == ("direct", ("KES",))
    s = stance("That delegation is spreading propaganda.", "OST", reg, previous=("DRV",))
    assert (s.stance_type, s.targets, s.target_countries) == ("indirect", ("drevania",), ("DRV",))
    assert "proxy that delegation" in s.evidence


def test_carry_over_from_the_previous_sentence_and_its_switch(reg) -> None:
    texts = ["We have listened carefully to the statement of Kessland.",
             "Its claims are a pretext for aggression."]
    out = stances(texts, "OST", reg)
    assert out[0] == Stance(False, "")
    assert (out[1].stance_type, out[1].target_countries) == ("direct", ("KES",))
    assert "carried over" in out[1].evidence
    off = stances(texts, "OST", reg, Rules(carry_over=False, untargeted=None))
    assert off[1] == Stance(False, "")


def test_challenge_and_correction_without_negative_cues(reg) -> None:
    s = stance("Kessland claimed that its soldiers were on leave.", "OST", reg)
    assert (s.stance_type, s.target_countries) == ("challenge", ("KES",))
    s = stance("Contrary to what Drevania says, the river is clean.", "OST", reg)
    assert (s.stance_type, s.target_countries) == ("correction", ("DRV",))


def test_threshold_asks_for_more_cues(reg) -> None:
    text = "Kessland rejected the proposal."
    assert stance(text, "OST", reg).negative_evaluation
    assert not stance(text, "OST", reg, rules=Rules(threshold=2.0)).negative_evaluation


def test_output_columns_join_with_semicolons(reg) -> None:
    s = stance("Kessland and Drevania violated the accord.", "OST", reg)
    assert s.columns() == {"negative_evaluation": True, "stance_type": "direct",
                           "stance_target": "kessland;drevania",
                           "stance_target_country": "KES;DRV",
                           "stance_evidence": "cues: violated; rule: negative cues (score 1) "
                                              "+ named Kessland, Drevania"}
    assert s.stance_type in STANCE_TYPES


def test_a_malformed_lexicon_names_the_entry() -> None:
    data = {"negative": {"verbs": ["attack*"], "nouns": [], "adjectives": ["bad"],
                         "demands": ["stop"]},
            "challenge": ["claim*"], "correction": ["*"],
            "proxies": [{"phrase": "the regime", "iso3": "syria"}]}
    with pytest.raises(AnalysisError) as e:
        validate(StanceFile, data, Path("stance.yml"))
    msg = str(e.value)
    assert "negative: nouns" in msg and "correction: item 1" in msg
    assert "proxies: item 1: iso3: iso3 'syria' must be three capital letters" in msg


# --------------------------------------------------------------- seed pins (issue 12)


@pytest.fixture(scope="module")
def seed() -> list[tuple[str, str, Stance]]:
    registry = load_registry(PROJECT_REGISTRY)
    df = extract_statements(read_documents(SEED), registry=PROJECT_REGISTRY)
    out = []
    for r in df.itertuples():
        speaker = r.speaker if isinstance(r.speaker, str) else ""
        texts = [r.text[a:b] for a, b in sentences(r.text)]
        for t, s in zip(texts, stances(texts, registry.country_of(speaker), registry),
                        strict=True):
            out.append((speaker, t, s))
    return out


def _find(seed, speaker: str, words: str) -> Stance:
    (hit,) = [s for who, t, s in seed if who == speaker and words in t]
    return hit


def test_seed_churkin_negatively_evaluates_the_united_states(seed) -> None:
    s = _find(seed, "churkin", "American heavy-handedness")
    assert (s.negative_evaluation, s.stance_type, s.target_countries) == (True, "direct", ("USA",))
    assert "heavy-handedness" in s.evidence


def test_seed_power_stunt_is_aimed_at_russia(seed) -> None:
    s = _find(seed, "power", "uniquely cynical and hypocritical")
    assert (s.negative_evaluation, s.stance_type, s.target_countries) == (True, "direct", ("RUS",))
    assert "cynical" in s.evidence and "hypocritical" in s.evidence


def test_seed_power_assad_regime_passage_is_aimed_at_syria(seed) -> None:
    first = _find(seed, "power", "the Assad regime has been intentionally striking")
    after = _find(seed, "power", "They have besieged civilian areas")
    for s in (first, after):
        assert s.negative_evaluation and s.target_countries == ("SYR",)


def test_seed_centcom_statement_is_no_stance(seed) -> None:
    centcom = [s for who, _, s in seed if who == "centcom"]
    assert len(centcom) == 2
    assert all(s == Stance(False, "") for s in centcom)


def test_representative_of_and_that_country_resolve(reg) -> None:
    s = stance("The representative of Kessland has distorted the facts.", "OST", reg)
    assert (s.stance_type, s.target_countries) == ("direct", ("KES",))
    out = stances(["We listened to Drevania.", "That country has violated every accord."],
                  "OST", reg)
    assert (out[1].stance_type, out[1].target_countries) == ("indirect", ("DRV",))
    assert "proxy that country" in out[1].evidence


def test_a_fixed_proxy_names_its_state_without_a_mention(reg) -> None:
    s = stance("The separatists have seized the town hall.", "OST", reg)
    assert (s.stance_type, s.targets, s.target_countries) == ("indirect", ("russia",), ("RUS",))
    # ...but not when the speaker is that state
    assert stance("The separatists have seized the town hall.", "RUS", reg).targets == ()


def test_a_harm_counts_only_when_the_sentence_names_who_is_behind_it(reg) -> None:
    # a report of abuse or violence is not a criticism of anyone ...
    assert stance("Sexual exploitation and abuse are crimes.", "OST", reg) == Stance(False, "")
    assert stance("The threat of violence remains.", "OST", reg, previous=("KES",)) == Stance(
        False, "")
    # ... until the sentence names a state or a proxy
    s = stance("Kesslandic troops committed crimes in the valley.", "OST", reg)
    assert (s.stance_type, s.target_countries) == ("direct", ("KES",))
    assert s.evidence.startswith("cues: troops, crimes; rule: negative cues (score 2)")


def _lexicon_error(monkeypatch, data: dict) -> pytest.ExceptionInfo[AnalysisError]:
    """The error the stance lexicon raises when stance.yml holds ``data`` (validated by its
    schema first, as the packaged file is)."""
    from analysis.measures import stance as st
    from analysis.schema import StanceFile, validate

    model = validate(StanceFile, data, "stance.yml")
    monkeypatch.setattr(st, "packaged", lambda name, schema: model)
    st.lexicon.cache_clear()
    try:
        with pytest.raises(AnalysisError) as e:
            st.lexicon()
    finally:
        st.lexicon.cache_clear()
    return e


def test_a_cue_the_matcher_cannot_read_names_file_list_and_cue(monkeypatch) -> None:
    data = {"negative": {"verbs": ["attack*"], "nouns": ["in-fact!"], "adjectives": ["bad"],
                         "demands": ["stop"], "harms": ["ab*"]},
            "challenge": ["claim*"], "correction": ["in fact"],
            "proxies": [{"phrase": "the regime", "iso3": ""}]}
    e = _lexicon_error(monkeypatch, data)
    assert [f"{p.entry}: {p.message}" for p in e.value.problems] == [
        "negative: nouns: cue 'in-fact!': 'in-fact!' is not one token (write words and "
        "phrases of words)",
        "negative: harms: cue 'ab*': malformed wildcard: at least 3 letters before '*'"]
    assert all(p.where.endswith("stance.yml") for p in e.value.problems)


# ------------------------------------------- the rules added for accuracy (issue 12 item 4)


def test_a_defused_or_negated_cue_is_a_goal_or_a_denial_not_a_deed(reg) -> None:
    # "prevent", "without", "not": the wrong is what is to be avoided or is denied
    assert stance("We must prevent any further aggression.", "OST", reg,
                  previous=("KES",)) == Stance(False, "")
    assert stance("We do not desire the destabilization of Kessland.", "OST", reg) == Stance(
        False, "")
    s = stance("Kessland desires the destabilization of the region.", "OST", reg)
    assert (s.stance_type, s.target_countries) == ("direct", ("KES",))
    # a flagged sentence says which cues it did not count
    s = stance("Kessland violated the accord to prevent any aggression.", "OST", reg)
    assert s.evidence == ("cues: violated; rule: negative cues (score 1) + named Kessland; "
                          "not counted (prevented or denied): aggression")


def test_a_state_named_as_a_place_or_as_the_one_harmed_is_not_the_target(reg) -> None:
    s = stance("Kesslandic troops massed in eastern Drevania.", "OST", reg)
    assert (s.stance_type, s.target_countries) == ("direct", ("KES",))
    assert s.evidence == ("cues: troops, massed; rule: negative cues (score 2) + named "
                          "Kesslandic; not a target (place or harmed): Drevania")
    for text in ("Kessland violated the territorial integrity of Drevania.",
                 "Kessland violated Drevania's sovereignty.",
                 "Kessland violated the sovereignty of the Drevanian people."):
        assert stance(text, "OST", reg).target_countries == ("KES",)
    # with only the victim named, the criticised state comes from the previous sentence
    s = stance("The aggression against Drevania is illegal.", "OST", reg, previous=("KES",))
    assert (s.target_countries, "carried over" in s.evidence) == (("KES",), True)
    # a harm with only a place named criticises no one
    assert stance("There are troops in Drevania.", "OST", reg) == Stance(False, "")


def test_the_speakers_own_condemnation_needs_a_party_or_a_wrong(reg) -> None:
    assert stance("We condemn such crimes.", "OST", reg, previous=("KES",)) == Stance(False, "")
    s = stance("We condemn the crimes of Kessland.", "OST", reg)
    assert (s.stance_type, s.target_countries) == ("direct", ("KES",))
    assert s.evidence.startswith("cues: condemn, crimes; rule: negative cues (score 2)")


def test_courtesy_is_never_a_negative_evaluation(reg) -> None:
    assert stance("I thank Kessland for its illegal attack.", "OST", reg) == Stance(False, "")
    assert stance("Drevania voted in favour of the text despite the violations.", "OST",
                  reg) == Stance(False, "")


def test_a_proxy_owned_by_a_named_state_is_indirect_criticism_of_it(reg) -> None:
    s = stance("Kessland's veto was cynical.", "OST", reg)
    assert (s.stance_type, s.target_countries) == ("indirect", ("KES",))
    assert s.evidence.endswith("named Kessland's; through the proxy veto")
    s = stance("The Kesslandic militias are illegal.", "OST", reg)
    assert (s.stance_type, s.target_countries) == ("indirect", ("KES",))


def test_a_challenge_and_its_correction(reg) -> None:
    out = stances(["Kessland claimed that its soldiers were on leave.",
                   "They are not soldiers on leave.", "The weather is fine."], "OST", reg)
    assert [s.stance_type for s in out] == ["challenge", "correction", ""]
    assert out[1].target_countries == ("KES",)
    assert out[1].evidence == ("cues: are not; rule: rectifies the claim disputed before + "
                               "carried over from the previous sentence")
    # without a challenge before it, the same contrast is nothing
    assert stance("They are not soldiers on leave.", "OST", reg, previous=("KES",)) == Stance(
        False, "")
    s = stance("Kessland claimed that its soldiers were on leave, but they were on duty.",
               "OST", reg)
    assert (s.stance_type, s.evidence) == (
        "correction", "cues: claimed, but; rule: disputed claim rectified in the sentence + "
                      "named Kessland")


def test_malformed_word_lists_name_file_list_and_word(monkeypatch) -> None:
    data = {"negative": {"verbs": ["attack*"], "nouns": ["aggression"], "adjectives": ["bad"],
                         "demands": ["stop"]},
            "challenge": ["claim*"], "correction": ["in fact"],
            "proxies": [{"phrase": "the regime", "iso3": ""}],
            "defusers": ["prevent", "stand against"], "places": ["in*"], "owned": ["people"]}
    e = _lexicon_error(monkeypatch, data)
    assert [f"{p.entry}: {p.message}" for p in e.value.problems] == [
        "defusers: word 'stand against': one word without '*'",
        "places: word 'in*': one word without '*'"]
    assert all(p.where.endswith("stance.yml") for p in e.value.problems)
    # a bare YAML "no" is read as false: the schema names the list and the item
    data["defusers"] = ["prevent", False]
    with pytest.raises(AnalysisError) as e:
        validate(StanceFile, data, Path("stance.yml"))
    assert "defusers: item 2" in str(e.value)
