"""Quote extraction and speaker attribution (issue 3), and its accuracy measure."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import PROJECT_REGISTRY

from analysis.__main__ import main
from analysis.documents import Document, read_documents
from analysis.errors import AnalysisError
from analysis.evaluation import accuracy_report, load_gold, match_statements, quote_accuracy
from analysis.quotes import COLUMNS, extract_statements, load_cues, scan_quotes
from analysis.speakers import load_registry

DATA = Path(__file__).resolve().parent / "data"
GOLD = DATA / "gold"
SEED = Path(__file__).resolve().parent.parent / "corpus" / "deir-ezzor-2016-09-17.md"
FICTION = DATA / "articles" / "speakers.yml"


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return extract_statements(read_documents(SEED), registry=PROJECT_REGISTRY)


@pytest.fixture(scope="module")
def fiction():
    return load_registry(FICTION)


def _doc(body: str, **kw) -> Document:
    return Document(id=kw.pop("id", "t"), body=body, **kw)


def _rows(body: str, registry=None, **kw) -> list[tuple]:
    df = extract_statements(_doc(body, **kw), registry=registry)
    return [(r.kind, None if pd.isna(r.speaker) else r.speaker, r.text) for r in df.itertuples()]


# ------------------------------------------------------------------ contract


def test_columns_ids_and_offsets_follow_the_contract(seed):
    assert list(seed.columns) == COLUMNS
    body = read_documents(SEED)[0].body
    assert all(body[s:e] == t for s, e, t in zip(seed.start, seed.end, seed.text, strict=True))
    assert seed.statement_id.tolist() == [f"deir-ezzor-2016-09-17#{n:03d}"
                                          for n in range(1, len(seed) + 1)]
    assert seed.start.is_monotonic_increasing
    churkin = seed[seed.speaker == "churkin"].iloc[0]
    assert (churkin.speaker_name, churkin.affiliation, churkin.cue, churkin.paragraph) == (
        "Vitaly Churkin", "russia", "said", 3)
    assert body[churkin.start - 1] == '"'


def test_seed_reproduces_the_gold_file(seed):
    gold = load_gold(GOLD / "deir-ezzor-2016-09-17.yml")
    pairs = match_statements(seed, gold)
    assert len(pairs) == len(gold) == len(seed) == 17
    for p, g in pairs:
        assert seed.kind[p] == gold.kind[g], gold.text[g]
        assert _none(seed.speaker[p]) == _none(gold.speaker[g]), gold.text[g]
        assert _none(seed.speaker_text[p]) == _none(gold.speaker_text[g]), gold.text[g]


def _none(v):
    return None if pd.isna(v) else v


def test_seed_key_attributions(seed):
    direct = seed[seed.kind == "direct"]
    assert direct.speaker.tolist() == ["churkin", "power", "power", "centcom"]
    assert direct.speaker_text.iloc[0] == "he"  # cataphora: resolved forward to Churkin
    assert direct.text.iloc[2].startswith("Since 2011")  # unattributed continuation
    assert pd.isna(direct.cue.iloc[2])
    mixed = seed[seed.kind == "mixed"]
    assert mixed.text.tolist()[0] == 'the bombing "proves" America sympathizes with ISIS'
    assert mixed.speaker.tolist()[0] == "russia"
    unreg = seed[seed.speaker.isna()].speaker_text.tolist()
    assert unreg == ["the Syrian Observatory on Human Rights",
                     "a senior administration official", "A US official"]
    assert set(seed.speaker.dropna()) == {"russia", "churkin", "power", "us_military",
                                          "centcom", "syria"}
    # scare quotes and fragments of reported speech are never statements of their own
    assert not seed.text.isin(["friendly fire", "proves", "unintentional loss of life."]).any()
    assert seed[seed.cue == "a statement from ... said"].speaker.tolist() == ["centcom"]


# ------------------------------------------------------------------ constructions


@pytest.mark.parametrize("body, expected", [
    ('"We will not yield," Reinholt said.', ("direct", "reinholt", "We will not yield")),
    ("\u201cWe will not yield,\u201d said Minister Reinholt.",
     ("direct", "reinholt", "We will not yield")),
    ('Reinholt said: "We will not yield."', ("direct", "reinholt", "We will not yield.")),
    ('Reinholt said "we will not yield -- ever."',
     ("direct", "reinholt", "we will not yield -- ever.")),
    ("Lind said that Kessland would wait.", ("indirect", "lind", "Kessland would wait")),
    ("Lind told reporters Kessland would wait.", ("indirect", "lind", "Kessland would wait")),
    ("Lind warned Kessland would wait.", ("indirect", "lind", "Kessland would wait")),
    ("Velkova accused Kessland of lying.", ("indirect", "velkova", "Kessland of lying")),
    ("Velkova angrily denounced the plan.", ("indirect", "velkova", "the plan")),
    ("Velkova rejected the charge.", ("indirect", "velkova", "the charge")),
    ("Kessland would wait, according to Ostravia.",
     ("indirect", "ostravia", "Kessland would wait")),
    ("According to Ostravia, Kessland would wait.",
     ("indirect", "ostravia", "Kessland would wait")),
    ("A statement from Northern Command said the guns were silent.",
     ("indirect", "northern_command", "the guns were silent")),
    ('Lind insisted Kessland would "never" leave.',
     ("mixed", "lind", 'Kessland would "never" leave')),
    ("A border guard said the river was calm.", ("indirect", None, "the river was calm")),
    # an object verb after an appositive does not invert: its object is not the speaker
    ("Kessland's defence minister, Tomas Reinholt, rejected the charge.",
     ("indirect", "reinholt", "the charge")),
    # a place after the addressee is skipped; the content is before a closing cue ...
    ("The guns were old, Reinholt told reporters in the capital, and nobody disputed it.",
     ("indirect", "reinholt", "The guns were old")),
    # ... or after it, past the place
    ("Reinholt told reporters at a briefing the guns were old.",
     ("indirect", "reinholt", "the guns were old")),
    # a fragment in single quotes makes reported speech mixed; apostrophes do not
    ("Reinholt called the plan 'a farce'.", ("mixed", "reinholt", "the plan 'a farce'")),
    ("Reinholt said Kessland's guns were the Ostravians' problem.",
     ("indirect", "reinholt", "Kessland's guns were the Ostravians' problem")),
])
def test_constructions(fiction, body, expected):
    assert _rows(body, fiction) == [expected]


def test_pronouns_resolve_by_gender_and_never_guess(fiction):
    body = "Velkova met Reinholt. He said the talks failed. She said they had not."
    assert [r[1] for r in _rows(body, fiction)] == ["reinholt", "velkova"]
    # cataphora: the speaker is named after the pronoun, in the same paragraph
    body = '"Enough," she said, leaving the room. Lind was furious.'
    assert _rows(body, fiction) == [("direct", "lind", "Enough")]
    # no male person anywhere: "he" stays unresolved
    assert _rows('"We are ready," he said.', fiction) == [("direct", None, "We are ready")]
    # an unregistered speaker in between: not resolved to Reinholt
    body = "Reinholt left. A guard said the gate was shut. He said it stayed shut."
    assert [r[1] for r in _rows(body, fiction)] == [None, None]


def test_continuation_and_multi_paragraph_quotes(fiction):
    body = ('Dorn said: "We do not close doors. We keep them open.\n\n'
            '"Our people want to trade."\n\n"And they want peace."\n\n'
            'The weather was fine.\n\n"This quote has nobody to speak it at all."')
    rows = _rows(body, fiction)
    assert rows == [
        ("direct", "dorn", "We do not close doors. We keep them open."),
        ("direct", "dorn", "Our people want to trade."),
        ("direct", "dorn", "And they want peace."),
        ("direct", None, "This quote has nobody to speak it at all."),
    ]


def test_scare_quotes_and_negated_cues_are_not_statements(fiction):
    body = ('The so-called "red line" has moved. Kessland has not said the line moved. '
            'A sign reads "Welcome to the Tessel Friendship Crossing". Lind was told to wait.')
    assert _rows(body, fiction) == []


def test_statement_document_is_the_speakers_with_quotes_of_others(fiction):
    body = ("We regret the loss of life.\n\nPresident Dorn said that Kessland "
            '"wants war". As I said to the Council, we want peace.\n')
    df = extract_statements(_doc(body, kind="statement", speaker="lind",
                                 speaker_name="Ilse Lind"), registry=fiction)
    assert df.kind.tolist() == ["statement", "mixed"]
    assert df.speaker.tolist() == ["lind", "dorn"]
    assert df.text[0] == body.strip()
    assert (df.speaker_name[0], df.affiliation[0], df.affiliation[1]) == (
        "Ilse Lind", "kessland", "ostravia")


def test_accepts_one_document_or_many_and_empty_input():
    a, b = _doc('"Quite so," Power said.', id="a"), _doc("No quotes here.", id="b")
    assert extract_statements([a, b]).doc_id.tolist() == ["a"]
    empty = extract_statements([])
    assert list(empty.columns) == COLUMNS and empty.empty


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("body", [
    'He said "this never ends',                      # quote open at the end of the document
    '"\n\n" " "\u201d\u201c',                         # stray and unbalanced marks only
    'Power said ""',                                   # empty quote
    "Die Regierung erkl\u00e4rte, \u201edas ist falsch\u201c, sagte der Sprecher.",
    "\u041f\u0443\u0442\u0438\u043d \u0441\u043a\u0430\u0437\u0430\u043b: "
    "\u00ab\u043d\u0435\u0442\u00bb.",
    "said said said , according to , told",
])
def test_bad_input_does_not_crash_or_invent_a_speaker(body):
    df = extract_statements(_doc(body))
    assert set(df.speaker.dropna()) <= {"power"}
    assert all(body[s:e] == t for s, e, t in zip(df.start, df.end, df.text, strict=True))


def test_unclosed_quote_keeps_its_cue_speaker():
    df = extract_statements(_doc('Power said "this never ends'), registry=PROJECT_REGISTRY)
    assert df[["speaker", "kind", "text"]].values.tolist() == [
        ["power", "direct", "this never ends"]]


def test_long_document_scans_quotes_in_one_pass():
    para = ('"We stand firm," Power said. The U.S. military said the strike was halted. '
            'Stray " mark and a "scare quote" here.\n\n')
    body = para * 9000  # about 1.1 MB
    quotes = scan_quotes(body)
    assert len(quotes) == 2 * 9000
    df = extract_statements(_doc(body), registry=PROJECT_REGISTRY)
    assert len(df) == 2 * 9000
    assert df.speaker.value_counts().to_dict() == {"power": 9000, "us_military": 9000}


def test_unbalanced_marks_do_not_chain_into_the_next_paragraph():
    body = 'A "scare quote" and "another\n\n"We stand firm," Power said.'
    df = extract_statements(_doc(body), registry=PROJECT_REGISTRY)
    assert df[["speaker", "text"]].values.tolist() == [["power", "We stand firm"]]


def test_inch_marks_are_not_quotes():
    quotes = scan_quotes('A 12" gun and "a quote" here.')
    assert [(q.start, q.end) for q in quotes] == [(15, 22)]


# ------------------------------------------------------------------ cues file


def test_load_cues_default_and_validation(tmp_path):
    cues = load_cues()
    assert cues.verbs["told"] == "addressee" and cues.pronouns["she"] == "female"
    assert "on" in cues.after_words  # quoted in YAML, not read as true
    bad = tmp_path / "cues.yml"
    text = (Path(cues.source).read_text("utf-8")
            .replace("  said: clause", "  said: shouted")
            .replace("  she: female", "  she: feminine"))
    bad.write_text(text + "\nextra: 1\n", encoding="utf-8")
    with pytest.raises(AnalysisError) as e:
        load_cues(bad)
    msg = str(e.value)
    assert "3 problems" in msg and str(bad) in msg
    assert "verbs: said" in msg and "pronouns: she" in msg and "extra" in msg
    with pytest.raises(AnalysisError, match="not found"):
        load_cues(tmp_path / "missing.yml")


def test_custom_cues_change_behaviour(tmp_path):
    text = Path(load_cues().source).read_text("utf-8").replace("  said: clause\n", "")
    f = tmp_path / "cues.yml"
    f.write_text(text, encoding="utf-8")
    doc = _doc("Power said the vote failed.")
    assert len(extract_statements(doc)) == 1
    assert extract_statements(doc, cues=f).empty


def test_word_lists_of_the_rules_come_from_the_cues_file(tmp_path):
    # "that" opening a reported clause is a complementizer of cues.yml, not a word in code
    text = Path(load_cues().source).read_text("utf-8").replace(
        "complementizers: [that]", "complementizers: [whether]")
    f = tmp_path / "cues.yml"
    f.write_text(text, encoding="utf-8")
    doc = _doc("Lind said that Kessland would wait.")
    assert extract_statements(doc).text.tolist() == ["Kessland would wait"]
    assert extract_statements(doc, cues=f).text.tolist() == ["that Kessland would wait"]


def test_cues_file_booleans_and_missing_keys_are_reported(tmp_path):
    text = Path(load_cues().source).read_text("utf-8")
    f = tmp_path / "cues.yml"
    f.write_text(text.replace('"on", last', "on, last").replace(
        "coordinators: [and, but, or]\n", ""), encoding="utf-8")
    with pytest.raises(AnalysisError) as e:
        load_cues(f)
    msg = str(e.value)
    assert "2 problems" in msg
    assert "missing required key 'coordinators'" in msg
    assert "addressee_words: item 15" in msg and "not True" in msg


# ------------------------------------------------------------------ evaluation


def test_quote_accuracy_counts_spans_kinds_and_speakers():
    gold = pd.DataFrame({"doc_id": ["d"] * 3, "kind": ["direct", "indirect", "mixed"],
                         "speaker": ["a", None, "b"], "start": [0, 100, 200],
                         "end": [50, 150, 260]})
    pred = pd.DataFrame({"doc_id": ["d"] * 3, "kind": ["direct", "indirect", "indirect"],
                         "speaker": ["a", "x", None], "start": [10, 130, 400],
                         "end": [60, 200, 420]})
    # [130, 200) overlaps gold [100, 150) by 20 < 25: no match
    t = quote_accuracy(pred, gold).set_index("kind")
    assert t.loc["all", ["n_gold", "n_predicted", "matched_gold"]].tolist() == [3, 3, 1]
    assert t.loc["all", "precision"] == pytest.approx(1 / 3)
    assert t.loc["direct", "f1"] == 1.0 and t.loc["direct", "speaker_accuracy"] == 1.0
    assert t.loc["indirect", "recall"] == 0.0 and t.loc["indirect", "f1"] == 0.0


def test_load_gold_errors_name_file_and_entry(tmp_path):
    f = tmp_path / "g.yml"
    f.write_text(f"set: dev\ndocument: {SEED}\nstatements:\n"
                 "  - {kind: direct, speaker: power, text: not in the body}\n"
                 "  - {kind: shout, speaker: nobody, text: Power}\n", encoding="utf-8")
    with pytest.raises(AnalysisError) as e:
        load_gold(f)
    msg = str(e.value)
    assert "statement 1" in msg and "not found" in msg
    assert "unknown kind 'shout'" in msg and "unknown speaker 'nobody'" in msg


def test_gold_and_coding_files_are_checked_by_their_schemas(tmp_path):
    from analysis.evaluation import load_coding

    f = tmp_path / "g.yml"
    f.write_text(f"set: final\ndocument: {SEED}\nspeaker: power\nstatements:\n"
                 "  - {kind: direct, text: [a, b]}\n", encoding="utf-8")
    with pytest.raises(AnalysisError) as e:
        load_gold(f)
    msg = str(e.value)
    assert "3 problems" in msg and str(f) in msg
    assert "unknown set 'final'" in msg and "unknown key 'speaker'" in msg
    assert "statements: item 1 (line 5): text: input should be a valid string" in msg
    c = tmp_path / "coding.yml"
    c.write_text("statements:\n  - text: It was halted.\n    codes: [hedges]\n  - text: ''\n",
                 encoding="utf-8")
    with pytest.raises(AnalysisError) as e:
        load_coding(c)
    msg = str(e.value)
    assert "unknown key 'codes'" in msg and "statements: item 2: text" in msg


def test_library_defaults_do_not_point_outside_the_package():
    import inspect

    from analysis import evaluation

    assert not hasattr(evaluation, "DEFAULT_GOLD") and not hasattr(evaluation, "DEFAULT_CODING")
    for fn, arg in ((evaluation.accuracy_report, "gold_dir"), (evaluation.gold_files, "gold_dir"),
                    (evaluation.load_coding, "path")):
        assert inspect.signature(fn).parameters[arg].default is inspect.Parameter.empty


def test_accuracy_on_the_gold_sets():
    table = accuracy_report(GOLD)
    overall = table[table.kind == "all"].set_index("set")
    assert set(overall.index) == {"seed", "dev", "heldout", "heldout2"}
    # the first held-out set has been development data since the second round of rules
    assert (overall.loc[["seed", "dev", "heldout"], "f1"] >= 0.95).all(), overall
    assert (overall.speaker_accuracy >= 0.95).all(), overall
    # heldout2 is measured, not tuned against: a floor against regressions only
    assert overall.loc["heldout2", "f1"] >= 0.9, overall


def test_cli_quotes_and_accuracy(capsys):
    assert main(["quotes", str(SEED), "--format", "csv", "--speakers", str(PROJECT_REGISTRY)]) == 0
    out = capsys.readouterr().out
    with_meta = [*COLUMNS[:2], "date", "speaker_country", *COLUMNS[2:]]  # issue 11, item 3
    assert out.splitlines()[0] == ",".join(with_meta) and len(out.splitlines()) == 18
    assert main(["quotes", str(DATA / "articles"), "--speakers", str(FICTION)]) == 0
    assert '"speaker":"velkova"' in capsys.readouterr().out
    assert main(["accuracy", "--gold", str(GOLD)]) == 0
    assert "heldout2" in capsys.readouterr().out
