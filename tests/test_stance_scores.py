"""The stance measure in the score tables (issue 12 item 3): sentence-level columns,
statement-level counts and shares, and the targets table's ``negative_evaluation``, all from
the one scoring loop. Fictional fixtures (tests/data/stance/registry.yml) and the seed."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import DATA, PROJECT_REGISTRY, ROOT

from analysis.documents import read_corpus
from analysis.measures.stance import (
    NONE,
    STANCE_COLUMNS,
    STANCE_SUMMARY_COLUMNS,
    Stance,
    stance_summary,
    stances,
)
from analysis.quotes import extract_statements
from analysis.scoring import TARGET_COLUMNS, measure_columns, score_statements
from analysis.speakers import load_registry

FICTION = DATA / "stance" / "registry.yml"
SEED = ROOT / "corpus" / "deir-ezzor-2016-09-17.md"

# a fictional speech by Ostravia's ambassador: a criticism of Kessland, one carried over to
# the next sentence, a thank-you to Drevania (a mention that is not criticised)
SPEECH = ("We thank Drevania for its generous support. Kessland has violated the accord. "
          "Its troops attacked our border posts. Ostravia remains ready to talk.")


def _statements(text: str = SPEECH, speaker: str | None = "velkova") -> pd.DataFrame:
    return pd.DataFrame({"statement_id": ["d#001"], "doc_id": ["d"], "speaker": [speaker],
                         "text": [text], "start": [0], "end": [len(text)]})


@pytest.fixture(scope="module")
def reg():
    return load_registry(FICTION)


def test_sentence_rows_carry_the_stance_of_each_sentence(reg) -> None:
    s = score_statements(_statements(), registry=reg, level="sentence").scores
    assert list(s.columns[-10:-5]) == list(STANCE_COLUMNS)
    assert s["negative_evaluation"].tolist() == [False, True, True, False]
    assert s["stance_type"].tolist() == ["", "direct", "direct", ""]
    assert s["stance_target"].tolist() == ["", "kessland", "kessland", ""]
    assert s["stance_target_country"].tolist() == ["", "KES", "KES", ""]
    assert s["stance_evidence"].tolist() == [
        "", "cues: violated; rule: negative cues (score 1) + named Kessland",
        "cues: attacked; rule: negative cues (score 1) + carried over from the previous "
        "sentence", ""]
    assert s["negative_evaluation"].dtype == bool


def test_the_sentence_rows_equal_the_measure_on_the_sentences(reg) -> None:
    s = score_statements(_statements(), registry=reg, level="sentence").scores
    direct = stances(s["text"].tolist(), "OST", reg)
    assert [x.columns() for x in direct] == s[list(STANCE_COLUMNS)].to_dict("records")


def test_statement_level_scoring_also_returns_its_sentences_stance(reg) -> None:
    two = pd.concat([_statements(), _statements("", "velkova").assign(
        statement_id="d#002", start=200, end=200)], ignore_index=True)
    by_sentence = score_statements(two, registry=reg, level="sentence")
    assert by_sentence.sentences is None  # the scores are those rows
    sentences = score_statements(two, registry=reg).sentences
    cols = [*two.columns, "sentence_in_statement", "n_tokens", *STANCE_COLUMNS]
    assert list(sentences.columns) == cols
    pd.testing.assert_frame_equal(sentences, by_sentence.scores[cols])
    assert sentences["negative_evaluation"].tolist() == [False, True, True, False, False]
    empty = score_statements(two.iloc[0:0], registry=reg).sentences
    assert list(empty.columns) == cols and empty.empty


def test_statement_rows_count_and_share(reg) -> None:
    r = score_statements(_statements(), registry=reg)
    row = r.scores.iloc[0]
    assert list(r.scores.columns) == ["statement_id", "doc_id", "speaker", "text", "start",
                                      "end", *measure_columns(None, "statement")]
    assert {c: row[c] for c in STANCE_SUMMARY_COLUMNS} == {
        "n_sentences": 4, "negative_evaluations": 2, "negative_evaluation_share": 0.5,
        "stance_direct": 2, "stance_indirect": 0, "stance_challenge": 0,
        "stance_correction": 0, "stance_target": "kessland", "stance_target_country": "KES"}
    assert r.scores["negative_evaluations"].dtype == "int64"
    assert r.scores["negative_evaluation_share"].dtype == "float64"


def test_targets_table_says_which_mention_is_criticised(reg) -> None:
    for level in ("statement", "sentence"):
        t = score_statements(_statements(), registry=reg, level=level).targets
        assert list(t.columns) == list(TARGET_COLUMNS)
        assert t[["target", "mention", "negative_evaluation"]].values.tolist() == [
            ["drevania", "Drevania", False], ["kessland", "Kessland", True],
            ["ostravia", "Ostravia", False]]
        assert t["negative_evaluation"].dtype == bool


def test_the_speakers_country_comes_from_the_table_when_given(reg) -> None:
    text = "Ostravia has violated the accord."
    st = _statements(text, speaker=None)
    assert score_statements(st, registry=reg, level="sentence").scores[
        "stance_target_country"].tolist() == ["OST"]
    st["speaker_country"] = ["OST"]  # the metadata column: Ostravia never targets itself
    assert score_statements(st, registry=reg, level="sentence").scores[
        "stance_target_country"].tolist() == [""]


def test_empty_statements_and_no_statements(reg) -> None:
    st = pd.DataFrame({"statement_id": ["x#001", "x#002"], "doc_id": ["x", "x"],
                       "speaker": [None, None], "text": ["", "Outrageous!"]})
    r = score_statements(st, registry=reg)
    assert r.scores["n_sentences"].tolist() == [0, 1]
    assert r.scores["negative_evaluation_share"].tolist() == [0.0, 0.0]
    s = score_statements(st, registry=reg, level="sentence").scores
    assert s["negative_evaluation"].tolist() == [False, False]
    assert s["stance_type"].tolist() == ["", ""]
    for level in ("statement", "sentence"):
        empty = score_statements(st.iloc[0:0], registry=reg, level=level)
        assert set(measure_columns(None, level)) <= set(empty.scores.columns)
        assert "negative_evaluation" in empty.targets.columns


def test_stance_summary() -> None:
    hits = [Stance(True, "direct", ("kessland",), ("KES",)),
            Stance(True, "indirect", ("drevania",), ("DRV",)), NONE]
    assert stance_summary(hits) == {
        "n_sentences": 3, "negative_evaluations": 2, "negative_evaluation_share": 2 / 3,
        "stance_direct": 1, "stance_indirect": 1, "stance_challenge": 0,
        "stance_correction": 0, "stance_target": "drevania;kessland",
        "stance_target_country": "DRV;KES"}
    assert stance_summary([])["negative_evaluation_share"] == 0.0


# ---- the seed pins of issue 12, through the score tables -------------------------------------


@pytest.fixture(scope="module")
def seed():
    st = extract_statements(read_corpus([SEED]), registry=PROJECT_REGISTRY)
    return score_statements(st, registry=PROJECT_REGISTRY, level="sentence")


def _row(result, needle: str) -> pd.Series:
    s = result.scores
    (i,) = s.index[s["text"].str.contains(needle, regex=False)]
    return s.loc[i]


def test_seed_pins_in_the_scores(seed) -> None:
    r = _row(seed, "American heavy-handedness")
    assert (r["speaker"], r["negative_evaluation"], r["stance_type"], r["stance_target"],
            r["stance_target_country"]) == ("churkin", True, "direct", "united_states", "USA")
    assert "heavy-handedness" in r["stance_evidence"]
    r = _row(seed, "uniquely cynical and hypocritical")
    assert (r["stance_type"], r["stance_target_country"]) == ("direct", "RUS")
    for needle in ("the Assad regime has been intentionally striking",
                   "They have besieged civilian areas"):
        r = _row(seed, needle)
        assert r["negative_evaluation"] and r["stance_target_country"] == "SYR"
    centcom = seed.scores[seed.scores["speaker"] == "centcom"]
    assert len(centcom) == 2 and not centcom["negative_evaluation"].any()
    assert (centcom["stance_type"] == "").all()


def test_seed_targets_criticised(seed) -> None:
    t = seed.targets
    churkin = t[t["speaker"] == "churkin"]
    assert churkin[["mention", "negative_evaluation"]].values.tolist() == [["American", True]]
    power = t[(t["speaker"] == "power") & (t["mention"] == "Washington")]
    assert not power["negative_evaluation"].any()  # her own side
    assert not t[t["speaker"] == "centcom"]["negative_evaluation"].any()
