"""Scoring on the statements contract: the seed's contrasts, tables, evidence, edge cases."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import PROJECT_REGISTRY

from analysis.documents import read_corpus
from analysis.errors import AnalysisError
from analysis.measures.codebook import load_codebook
from analysis.measures.sentiment import SENTIMENT_COLUMNS
from analysis.scoring import (
    EVIDENCE_COLUMNS,
    PASSIVE_COLUMNS,
    TARGET_COLUMNS,
    measure_columns,
    score_statements,
)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "deir-ezzor-2016-09-17.md"
CODING = Path(__file__).resolve().parent / "data" / "seed_coding.yml"
STATEMENT_COLUMNS = ["statement_id", "doc_id", "speaker", "speaker_name", "affiliation",
                     "speaker_text", "kind", "text", "start", "end", "cue", "paragraph",
                     "sentence"]


def seed_statements() -> pd.DataFrame:
    """The seed's statements built by hand (contract columns) from the hand-coded texts."""
    doc = read_corpus([SEED])[0]
    coding = yaml.safe_load(CODING.read_text(encoding="utf-8"))
    rows = []
    for n, e in enumerate(coding["statements"], 1):
        start = doc.body.index(e["text"])
        rows.append({"statement_id": f"{doc.id}#{n:03d}", "doc_id": doc.id,
                     "speaker": e["speaker"], "speaker_name": None, "affiliation": None,
                     "speaker_text": None, "kind": e["kind"], "text": e["text"],
                     "start": start, "end": start + len(e["text"]), "cue": None,
                     "paragraph": 0, "sentence": 0})
    return pd.DataFrame(rows, columns=STATEMENT_COLUMNS)


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return seed_statements()


@pytest.fixture(scope="module")
def result(seed: pd.DataFrame):
    return score_statements(seed, registry=PROJECT_REGISTRY)


def row(result, needle: str) -> pd.Series:
    s = result.scores
    (i,) = s.index[s["text"].str.contains(needle, regex=False)]
    return s.loc[i]


def targets_of(result, needle: str) -> pd.DataFrame:
    sid = row(result, needle)["statement_id"]
    return result.targets[result.targets["statement_id"] == sid]


# ---- the seed's contrasts ---------------------------------------------------------------------

def test_churkin_accuses_and_moralises_with_the_us_as_target(result) -> None:
    r = row(result, "American heavy-handedness")
    assert r["speaker"] == "churkin"
    assert r["accusation"] == 1 and r["morality"] == 1 and r["self_mentions"] == 1
    assert r["vader_compound"] == 0.0  # the documented VADER limit
    t = targets_of(result, "American heavy-handedness")
    assert t[["target", "mention", "self_reference"]].values.tolist() == [
        ["united_states", "American", False]]


def test_power_accuses_and_moralises_with_russia_as_target(result) -> None:
    r = row(result, "uniquely cynical")
    assert r["speaker"] == "power"
    assert r["accusation"] == 5  # stunt, stunt, grandstanding, cynical, hypocritical
    assert r["morality"] == 3  # moralism, cynical, hypocritical
    assert r["n_tokens"] == 18 and r["accusation_per100"] == pytest.approx(500 / 18)
    assert r["targets"] == "russia"
    t = targets_of(result, "uniquely cynical")
    assert t[["target", "mention"]].values.tolist() == [["russia", "Russia"]]
    assert t["sentence_vader_compound"].tolist() == [-0.6808]


def test_power_humanitarian_framing_with_syrias_government_as_target(result) -> None:
    r = row(result, "the Assad regime")
    assert r["humanitarian"] == 10 and r["responsibility"] == 1
    assert r["humanitarian_per100"] == pytest.approx(1000 / 42)
    t = targets_of(result, "the Assad regime")
    assert t[["target", "mention", "self_reference"]].values.tolist() == [
        ["syria", "Assad regime", False]]


def test_centcom_agentless_passive_hedge_and_operational_language(result) -> None:
    r = row(result, "was halted immediately")
    assert r["speaker"] == "centcom"
    assert (r["passive"], r["agentless_passive"]) == (2, 1)
    assert r["hedges"] == 1 and r["security_military"] == 5
    assert r["accusation"] == 0 and r["morality"] == 0
    ev = result.evidence[result.evidence["statement_id"] == r["statement_id"]]
    passive = ev[ev["category"].isin(["passive", "agentless_passive"])]
    assert passive[["category", "match", "agent"]].fillna("").values.tolist() == [
        ["passive", "was halted", ""], ["agentless_passive", "was halted", ""],
        ["passive", "were informed", "Russian officials"]]


def test_contrast_ambassadors_versus_centcom(result) -> None:
    s = result.scores
    amb = s[s["speaker"].isin(["churkin", "power"])]
    cc = s[s["speaker"].isin(["centcom", "us_military"])]
    assert amb["accusation_per100"].mean() > cc["accusation_per100"].mean() == 0
    assert amb["morality_per100"].mean() > cc["morality_per100"].mean() == 0
    assert cc["hedges_per100"].mean() > amb["hedges_per100"].mean()
    assert cc["agentless_passive_per100"].mean() > 0


def test_self_reference(result) -> None:
    t = targets_of(result, "Washington regrets")
    assert t.set_index("mention")["self_reference"].to_dict() == {
        "US-led coalition": False, "Syrian": False, "Washington": True}


# ---- the tables -------------------------------------------------------------------------------

def test_columns_follow_the_contract(seed, result) -> None:
    cb = load_codebook()
    cols = list(result.scores.columns)
    assert cols[:len(STATEMENT_COLUMNS)] == STATEMENT_COLUMNS
    rest = cols[len(STATEMENT_COLUMNS):]
    assert rest[:7] == ["n_tokens", *SENTIMENT_COLUMNS]
    assert rest[7:7 + 2 * len(cb.ids)] == [x for c in cb.ids for x in (c, f"{c}_per100")]
    assert rest[-5:] == [*PASSIVE_COLUMNS, "targets"]
    assert rest == measure_columns(cb)
    assert list(result.evidence.columns) == list(EVIDENCE_COLUMNS)
    assert list(result.targets.columns) == list(TARGET_COLUMNS)
    assert len(result.scores) == len(seed)


def test_evidence_offsets_are_body_offsets(result) -> None:
    body = read_corpus([SEED])[0].body
    ev = result.evidence
    assert len(ev) > 50
    for rec in ev.to_dict("records"):
        assert body[rec["start"]:rec["end"]] == rec["match"]
    for rec in result.targets.to_dict("records"):
        assert body[rec["start"]:rec["end"]] == rec["mention"]
    # counts are the non-negated evidence rows
    s = result.scores.set_index("statement_id")
    counted = ev[~ev["negated"]].groupby(["statement_id", "category"]).size()
    for (sid, cat), n in counted.items():
        assert s.loc[sid, cat] == n


def test_sentence_level(seed) -> None:
    r = score_statements(seed, level="sentence")
    s = r.scores
    assert len(s) == len(seed) + 1  # Power's humanitarian statement has two sentences
    two = s[s["text"].str.startswith("Since 2011") | s["text"].str.startswith("They have")]
    assert two["sentence_in_statement"].tolist() == [0, 1]
    assert two["vader_compound"].tolist() == [-0.5719, -0.8402]
    assert two["humanitarian"].sum() == 10
    body = read_corpus([SEED])[0].body
    for rec in s.to_dict("records"):
        assert body[rec["start"]:rec["end"]] == rec["text"]
    ev = r.evidence
    assert set(ev[ev["statement_id"] == two["statement_id"].iloc[0]]["sentence_in_statement"]) == {
        0, 1}


def test_negated_hits_are_evidence_not_counts() -> None:
    st = pd.DataFrame({"statement_id": ["x#001"], "doc_id": ["x"], "speaker": [None],
                       "text": ["The shelling of Osterlich was not intentional."],
                       "start": [100], "end": [146]})
    r = score_statements(st)
    assert r.scores.loc[0, "responsibility"] == 0
    ev = r.evidence[r.evidence["category"] == "responsibility"]
    assert ev[["match", "start", "negated"]].values.tolist() == [["intentional", 134, True]]


def test_empty_and_one_word_statements() -> None:
    st = pd.DataFrame({"statement_id": ["x#001", "x#002"], "doc_id": ["x", "x"],
                       "speaker": [None, None], "text": ["", "Outrageous!"],
                       "start": [0, 10], "end": [0, 21]})
    for level in ("statement", "sentence"):
        s = score_statements(st, level=level).scores
        assert len(s) == 2
        assert s["n_tokens"].tolist() == [0, 1]
        assert s["attitude_markers"].tolist() == [0, 1]
        assert s["attitude_markers_per100"].tolist() == [0.0, 100.0]
        assert s["targets"].tolist() == ["", ""]


def test_no_statements() -> None:
    st = pd.DataFrame(columns=STATEMENT_COLUMNS)
    r = score_statements(st)
    assert len(r.scores) == 0 and list(r.scores.columns) == STATEMENT_COLUMNS + measure_columns()
    assert len(r.evidence) == 0 and len(r.targets) == 0


def test_bad_level_and_missing_text() -> None:
    with pytest.raises(AnalysisError, match="unknown level 'word'"):
        score_statements(pd.DataFrame({"text": ["x"]}), level="word")
    with pytest.raises(AnalysisError, match="no 'text' column"):
        score_statements(pd.DataFrame({"body": ["x"]}))


def test_same_input_same_tables(seed, result) -> None:
    again = score_statements(seed, registry=PROJECT_REGISTRY)
    pd.testing.assert_frame_equal(again.scores, result.scores)
    pd.testing.assert_frame_equal(again.evidence, result.evidence)


def test_extracted_statements_carry_the_coded_texts() -> None:
    quotes = pytest.importorskip("analysis.quotes")
    st = quotes.extract_statements(read_corpus([SEED]), registry=PROJECT_REGISTRY)
    coding = yaml.safe_load(CODING.read_text(encoding="utf-8"))
    texts = st["text"].tolist()
    for e in coding["statements"]:
        assert any(e["text"] in t for t in texts), e["text"]
    r = score_statements(st, registry=PROJECT_REGISTRY)
    churkin = r.scores[r.scores["speaker"] == "churkin"].iloc[0]
    assert churkin["accusation"] == 1 and churkin["targets"] == "united_states"


# ---- validation against the hand-coding, and the command line --------------------------------

def test_seed_coding_texts_are_in_the_report() -> None:
    from analysis.evaluation import load_coding

    body = read_corpus([SEED])[0].body
    coding = load_coding(CODING)
    assert len(coding) == 13 and coding.attrs["doc"] == "deir-ezzor-2016-09-17"
    assert "hedges" in coding.attrs["rules"]
    for text in coding["text"]:
        assert body.count(text) == 1, text


def test_codebook_agreement_on_the_seed(result) -> None:
    from analysis.evaluation import codebook_agreement, load_coding

    table = codebook_agreement(result.scores, load_coding(CODING)).set_index("category")
    assert table.attrs["unmatched"] == []
    assert (table["n_statements"] == 13).all()
    assert table.loc["accusation", ["human", "auto", "tp", "fp", "fn"]].tolist() == [
        6, 3, 3, 0, 3]
    assert table.loc["accusation", "precision"] == 1.0
    assert table.loc["accusation", "recall"] == 0.5
    assert table.loc["conflict", "recall"] == 0.25
    assert table.loc["demand", "precision"] == 0.0  # "the Russian call for the UN meeting"
    assert table.loc["agentless_passive", ["tp", "fp", "fn"]].tolist() == [2, 0, 0]
    assert table.loc["all", ["tp", "fp", "fn"]].tolist() == [42, 2, 8]


def test_coding_with_an_unknown_category(tmp_path) -> None:
    from analysis.evaluation import load_coding

    bad = tmp_path / "coding.yml"
    bad.write_text("statements:\n  - text: It was halted.\n    categories: [agentless, hedges]\n",
                   encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"coding.yml: statement 1: unknown categor.*agentless"):
        load_coding(bad)


def test_unmatched_coded_statements_are_listed(result) -> None:
    from analysis.evaluation import codebook_agreement

    coding = pd.DataFrame({"text": ["Nothing like this was said."], "speaker": [None],
                           "kind": ["direct"], "categories": [("hedges",)], "note": [None]})
    table = codebook_agreement(result.scores, coding)
    assert table.attrs["unmatched"] == ["Nothing like this was said."]
    assert (table["n_statements"] == 0).all()


def test_cli_score_and_agreement(tmp_path, capsys) -> None:
    pytest.importorskip("analysis.quotes")
    import json

    from analysis.__main__ import main

    ev = tmp_path / "evidence.csv"
    spk = ["--speakers", str(PROJECT_REGISTRY)]
    assert main(["score", str(SEED), "--evidence", str(ev), *spk]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    churkin = [r for r in records if r["speaker"] == "churkin"]
    assert len(churkin) == 1 and churkin[0]["accusation"] == 1
    assert churkin[0]["targets"] == "united_states" and churkin[0]["vader_compound"] == 0.0
    evidence = pd.read_csv(ev)
    assert list(evidence.columns) == ["doc_id", "date", "speaker", "speaker_country", "kind",
                                      *EVIDENCE_COLUMNS[1:]]  # issue 11, item 3
    assert "heavy-handedness" in evidence["match"].tolist()

    assert main(["score", str(SEED), "--level", "sentence", "--format", "csv", *spk]) == 0
    sentences = pd.read_csv(StringIO(capsys.readouterr().out))
    assert "sentence_in_statement" in sentences.columns and len(sentences) == len(records) + 1

    assert main(["agreement", "--format", "csv", *spk]) == 0
    table = pd.read_csv(StringIO(capsys.readouterr().out))
    assert table.set_index("category").loc["all", "tp"] == 42


def test_cli_bad_codebook_exits_2(capsys) -> None:
    from analysis.__main__ import main

    bad = Path(__file__).resolve().parent / "data" / "codebooks" / "empty_category.yml"
    assert main(["agreement", "--codebook", str(bad)]) == 2
    # the message now names the line too (was "category 'hedges': empty category")
    assert ("empty_category.yml: category 'hedges' (line 8): empty category"
            in capsys.readouterr().err)
