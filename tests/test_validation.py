"""``python -m analysis validate``: the stance measure against human coding.

The fixtures are fictional (tests/data/stance/): a miniature of the UNSCon dev layout with
three invented meetings, and a user's hand-coded CSV. The real UNSCon dev run is marked
``shared`` and skips without ../shared.
"""

from __future__ import annotations

import pytest
from conftest import DATA

from analysis.__main__ import main
from analysis.errors import AnalysisError
from analysis.speakers import load_registry
from analysis.validation import (
    confusion,
    cross_validate,
    load_coded_csv,
    metrics,
    target_accuracy,
    validate_csv,
)

HERE = DATA / "stance"


@pytest.fixture(scope="module")
def reg():
    return load_registry(HERE / "registry.yml")


def test_cross_validation_aligns_by_text_and_holds_each_meeting_out(reg) -> None:
    v = cross_validate(HERE / "corpora", reg)
    assert v.unaligned == 1  # "This sentence is not in any speech."
    assert len(v.scored) == 9
    assert v.folds.held_out.tolist() == ["VC_2031_SPV.0001", "VC_2031_SPV.0002",
                                         "VC_2032_SPV.0003"]
    assert v.folds.f1.tolist() == [1.0, 0.667, 1.0]
    m = metrics(v.scored).set_index("type")
    assert m.loc["any"].to_dict() == {"precision": 1.0, "recall": 0.8, "f1": 0.889,
                                      "gold": 5, "tool": 4}
    assert target_accuracy(v.scored) == (0.75, 4)
    assert target_accuracy(v.scored, flagged=True) == (1.0, 3)
    table = confusion(v.scored)
    assert table.loc["direct", "direct"] == 3
    # a challenge before a negative evaluation (the guidelines' hierarchy): the tool now
    # agrees with the coder here ("Kessland claimed that its troops were on exercises")
    assert table.loc["challenge", "challenge"] == 1
    assert table.loc["indirect", "none"] == 1
    assert table.loc["none", "none"] == 4


def test_a_users_csv_is_scored_in_order(reg) -> None:
    v = validate_csv(HERE / "coded.csv", reg)
    m = metrics(v.scored).set_index("type")
    assert (m.loc["any", "precision"], m.loc["any", "recall"]) == (0.667, 1.0)
    assert target_accuracy(v.scored) == (1.0, 2)
    alarm = [s for s in v.scored if s.tool.stance_type and not s.gold.label]
    assert [s.tool.evidence for s in alarm] == [
        "cues: terrorized; rule: negative cues (score 1) + proxy separatists"]


def test_unknown_labels_and_targets_name_row_and_value(tmp_path, reg) -> None:
    bad = tmp_path / "coded.csv"
    bad.write_text("sentence,label,target\nA.,direct,KES\nB.,hostile,\nC.,none,Atlantis\n"
                   "D.,Sarcasm,\n", encoding="utf-8")
    with pytest.raises(AnalysisError) as e:
        load_coded_csv(bad, reg)
    msg = str(e.value)
    assert "3 problems" in msg
    assert f"{bad}: row 3: unknown label 'hostile'; valid: ['direct', 'indirect', " in msg
    assert f"{bad}: row 4: unknown target country 'Atlantis'" in msg
    assert f"{bad}: row 5: unknown label 'Sarcasm'" in msg


def test_a_csv_without_the_label_column_is_an_error(tmp_path, reg) -> None:
    bad = tmp_path / "coded.csv"
    bad.write_text("sentence,code\nA.,direct\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"missing columns \['label'\]"):
        load_coded_csv(bad, reg)


def test_cli_skips_plainly_without_the_corpora(tmp_path, capsys) -> None:
    assert main(["validate", "--corpora", str(tmp_path)]) in (0, None)
    out = capsys.readouterr().out
    assert out.startswith("validate: skipped, ")
    assert "unscon-dev/conflict_annotations_sentences.csv is not there" in out


def test_cli_validates_a_csv(capsys) -> None:
    args = ["validate", "--csv", str(HERE / "coded.csv"), "--speakers",
            str(HERE / "registry.yml"), "--samples", "1"]
    assert main(args) in (0, None)
    out = capsys.readouterr().out
    assert "coded.csv: 5 sentences" in out
    assert "Target country right: 100.0% of 2 gold targets (100.0% of the 2 in" in out
    assert "False alarms (first 1):" in out


def test_cli_bad_csv_exits_2(tmp_path, capsys) -> None:
    bad = tmp_path / "coded.csv"
    bad.write_text("sentence,label\nA.,maybe\n", encoding="utf-8")
    assert main(["validate", "--csv", str(bad)]) == 2
    assert "row 2: unknown label 'maybe'" in capsys.readouterr().err


@pytest.mark.shared
def test_unscon_dev_held_out_meetings(shared_corpora) -> None:
    v = cross_validate(shared_corpora)
    assert v.unaligned <= 2 and len(v.scored) >= 1013
    assert len(v.folds) == 3
    pooled = metrics(v.scored).set_index("type").loc["any"]
    # The figures measured when the rules were written (see the closing note of issue 12;
    # 0.636 and 0.697 before the accuracy work of item 4).
    assert pooled.f1 == pytest.approx(0.766, abs=0.03)
    acc, n = target_accuracy(v.scored)
    assert n == 178 and acc == pytest.approx(0.803, abs=0.03)
    # every held-out meeting is scored with rules chosen on the other two
    assert list(v.folds["held_out"]) == sorted(v.folds["held_out"])
    assert v.folds["f1"].min() >= 0.6
