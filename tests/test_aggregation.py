"""Aggregation: means, pooled rates, seeded bootstrap intervals, counts, small groups,
unattributed rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import aggregation
from analysis.aggregation import (
    COLUMNS,
    UNATTRIBUTED,
    aggregate,
    bootstrap_ci,
    bootstrap_rate_ci,
    default_measures,
    pooled_rates,
)
from analysis.errors import AnalysisError


@pytest.fixture()
def scores() -> pd.DataFrame:
    return pd.DataFrame({
        "statement_id": [f"d#{i:03d}" for i in range(1, 8)],
        "speaker": ["ruven", "ruven", "ruven", "ruven", "osk", None, None],
        "affiliation": ["ruritania"] * 4 + ["osterlich", None, None],
        "n_tokens": [10, 20, 30, 40, 5, 7, 8],
        "vader_compound": [0.1, 0.2, 0.3, 0.4, -0.5, 0.0, 1.0],
        "accusation": [0, 2, 0, 4, 1, 0, 0],
        "accusation_per100": [0.0, 10.0, 0.0, 10.0, 20.0, 0.0, 0.0],
        "text": ["a"] * 7,
    })


def test_means_counts_and_flags(scores) -> None:
    out = aggregate(scores, n_boot=500)
    assert list(out.columns) == list(COLUMNS)
    assert out["group"].unique().tolist() == ["osk", "ruven", UNATTRIBUTED]
    assert out["measure"].unique().tolist() == ["vader_compound", "accusation_per100"]
    ruven = out[out["group"] == "ruven"].set_index("measure")
    assert ruven.loc["vader_compound", "mean"] == pytest.approx(0.25)
    # a rate is pooled: 6 hits in 100 tokens (the mean of the four statements' rates is 5.0)
    assert ruven.loc["accusation_per100", "mean"] == 6.0
    assert ruven.loc["vader_compound", "n_statements"] == 4
    assert ruven.loc["vader_compound", "n_tokens"] == 100
    assert not ruven["small"].any()
    osk = out[out["group"] == "osk"]
    assert osk["small"].all() and osk["n_statements"].tolist() == [1, 1]
    # one statement: the interval collapses on the value
    assert osk[["ci_low", "ci_high"]].values.tolist()[0] == [-0.5, -0.5]
    unatt = out[out["group"] == UNATTRIBUTED].set_index("measure")
    assert unatt.loc["vader_compound", "mean"] == 0.5 and unatt["small"].all()


def test_interval_brackets_mean_and_is_seeded(scores) -> None:
    a = aggregate(scores, n_boot=1000)
    b = aggregate(scores, n_boot=1000)
    pd.testing.assert_frame_equal(a, b)
    assert (a["ci_low"] <= a["mean"] + 1e-12).all() and (a["mean"] <= a["ci_high"] + 1e-12).all()
    r = a[(a["group"] == "ruven") & (a["measure"] == "vader_compound")].iloc[0]
    assert 0.1 <= r["ci_low"] < 0.25 < r["ci_high"] <= 0.4
    values = np.linspace(-1.0, 1.0, 25) ** 3
    assert bootstrap_ci(values, seed=1) != bootstrap_ci(values, seed=2)
    assert bootstrap_ci(values, seed=1) == bootstrap_ci(values, seed=1)


def test_a_groups_interval_does_not_depend_on_other_groups(scores) -> None:
    alone = aggregate(scores[scores["speaker"] == "ruven"], n_boot=300)
    full = aggregate(scores, n_boot=300)
    pd.testing.assert_frame_equal(alone.reset_index(drop=True),
                                  full[full["group"] == "ruven"].reset_index(drop=True))


def test_by_affiliation_and_dropping_unattributed(scores) -> None:
    out = aggregate(scores, by="affiliation", measures=["vader_compound"], n_boot=200,
                    unattributed=None, min_statements=2)
    assert out["group"].tolist() == ["osterlich", "ruritania"]
    assert out["small"].tolist() == [True, False]


def test_known_bootstrap_interval() -> None:
    assert bootstrap_ci(np.array([2.0])) == (2.0, 2.0)
    lo, hi = bootstrap_ci(np.array([0.0, 1.0]), n_boot=4000)
    assert 0.0 <= lo < 0.5 < hi <= 1.0
    assert (lo, hi) == (0.0, 1.0)  # the 2.5% and 97.5% of means of two 0/1 draws


def test_default_measures(scores) -> None:
    assert default_measures(scores) == ["vader_compound", "accusation_per100"]


def test_bad_arguments(scores) -> None:
    with pytest.raises(AnalysisError, match="no column 'party'"):
        aggregate(scores, by="party")
    with pytest.raises(AnalysisError, match="unknown measure"):
        aggregate(scores, measures=["nope"])
    with pytest.raises(AnalysisError, match="ci must be between 0 and 1"):
        aggregate(scores, ci=95)


def test_on_scored_seed() -> None:
    from test_scoring import seed_statements

    from analysis.scoring import score_statements

    out = aggregate(score_statements(seed_statements()).scores, n_boot=200)
    power = out[(out["group"] == "power") & (out["measure"] == "accusation_per100")].iloc[0]
    assert power["n_statements"] == 4 and not power["small"]
    centcom = out[(out["group"] == "centcom") & (out["measure"] == "hedges_per100")].iloc[0]
    assert centcom["small"] and centcom["n_statements"] == 2


def test_rates_are_pooled_and_equal_the_wide_table(scores) -> None:
    out = aggregate(scores, measures=["accusation_per100"], n_boot=300).set_index("group")
    assert out["mean"].to_dict() == {"osk": 20.0, "ruven": 6.0, UNATTRIBUTED: 0.0}
    rates, hits = pooled_rates(scores, ["accusation"], groups=["ruven", "osk", "nobody"])
    assert rates["accusation"].tolist()[:2] == [6.0, 20.0]
    assert np.isnan(rates.loc["nobody", "accusation"])
    assert hits["accusation"].tolist() == [6, 1, 0]
    # by default every attributed group, sorted; the unattributed rows are left out
    assert pooled_rates(scores, ["accusation"])[0].index.tolist() == ["osk", "ruven"]


def test_rate_interval_resamples_statements_with_their_tokens() -> None:
    # resamples of two statements: both the first (0 per 100), both the second (2 hits in 10
    # tokens = 20), or one of each (2 hits in 20 tokens = 10)
    assert bootstrap_rate_ci(np.array([0, 2]), np.array([10, 10]), n_boot=4000) == (0.0, 20.0)
    assert bootstrap_rate_ci(np.array([3]), np.array([12])) == (25.0, 25.0)
    assert bootstrap_rate_ci(np.array([0, 0]), np.array([0, 0])) == (0.0, 0.0)  # no tokens


def test_sentence_rows_pool_into_their_statements() -> None:
    # statement a: two sentences, one hit in 10 tokens; b: no hit in 20 tokens. Resampling
    # statements gives aa = 10, ab = 1/30 = 3.33, bb = 0; resampling the four sentences could
    # give 20 (the hit sentence four times), which must not happen.
    s = pd.DataFrame({"statement_id": ["a", "a", "b", "b"], "speaker": "x",
                      "n_tokens": [5, 5, 10, 10], "blame": [1, 0, 0, 0],
                      "blame_per100": [20.0, 0.0, 0.0, 0.0]})
    r = aggregate(s, measures=["blame_per100"], n_boot=4000).iloc[0]
    assert r["mean"] == pytest.approx(100 / 30)
    assert (r["ci_low"], r["ci_high"]) == (0.0, 10.0)
    assert r["n_statements"] == 2 and r["n_tokens"] == 30


def test_a_rate_without_its_counts_is_refused(scores) -> None:
    with pytest.raises(AnalysisError) as e:
        aggregate(scores.drop(columns=["accusation"]))
    (problem,) = e.value.problems
    assert problem.where == "measures"
    assert "accusation_per100 (needs 'accusation')" in problem.message


def test_docstring_examples() -> None:
    import doctest

    assert doctest.testmod(aggregation).failed == 0


def test_negative_share_pools_sentences_and_resamples_statements() -> None:
    from analysis.aggregation import negative_share

    s = pd.DataFrame({"statement_id": ["a", "a", "a", "b", "c", "c"],
                      "speaker": ["x", "x", "x", "x", "y", "y"],
                      "vader_compound": [-0.5, -0.05, 0.3, 0.0, -0.9, -0.2]})
    out = negative_share(s, groups=["x", "y", "z"], n_boot=200).set_index("group")
    assert out.loc["x", ["n_statements", "n_sentences", "negative"]].tolist() == [2, 4, 2]
    assert out.loc["x", "share"] == 50.0
    # statements resampled whole: a resample is {a,a}: 2/3, {b,b}: 0, or {a,b}: 2/4
    assert out.loc["x", "ci_low"] == 0.0 and out.loc["x", "ci_high"] == pytest.approx(200 / 3)
    assert out.loc["y", ["share", "ci_low", "ci_high"]].tolist() == [100.0, 100.0, 100.0]
    assert out.loc["z", "n_sentences"] == 0 and np.isnan(out.loc["z", "share"])


# ----------------------------------------------------------------- who criticises whom


def _stance_rows() -> pd.DataFrame:
    """Sentence rows of three fictional speakers: ruven criticises Osterlich (OST) twice,
    once together with Marvonia (MRV) (a proxy and its state resolved to one ISO3 code:
    "OST;OST"), and once names no one; osk criticises no one; a row without a speaker."""
    return pd.DataFrame({
        "statement_id": ["d#001", "d#001", "d#001", "d#002", "d#002", "d#003", "d#003",
                         "d#004"],
        "sentence_in_statement": [0, 1, 2, 0, 1, 0, 1, 0],
        "speaker": ["ruven", "ruven", "ruven", "ruven", "ruven", "osk", "osk", None],
        "speaker_name": ["Ruven Ist", "Ruven Ist", "Ruven Ist", "Ruven Ist", "Ruven Ist",
                         "Osk Ahl", "Osk Ahl", None],
        "negative_evaluation": [True, False, True, True, False, False, False, True],
        "stance_target": ["osterlich", "", "osterlich;marvonia", "", "", "", "", "osterlich"],
        "stance_target_country": ["OST", "", "OST;OST;MRV", "", "", "", "", "OST"],
    })


def test_criticism_counts_sentences_per_source_and_target_state() -> None:
    out = aggregation.criticism(_stance_rows(), n_boot=200)
    assert list(out.columns) == list(aggregation.CRITICISM_COLUMNS)
    # every source (sorted, the speakerless row left out) x every target criticised, most
    # criticised first, the untargeted criticism last
    assert out[["source", "target"]].to_records(index=False).tolist() == [
        ("osk", "OST"), ("osk", "MRV"), ("osk", aggregation.NO_TARGET),
        ("ruven", "OST"), ("ruven", "MRV"), ("ruven", aggregation.NO_TARGET)]
    ruven = out[out["source"] == "ruven"].set_index("target")
    assert ruven["n_negative"].to_dict() == {"OST": 2, "MRV": 1, aggregation.NO_TARGET: 1}
    assert set(ruven["n_sentences_source"]) == {5} and set(ruven["n_statements_source"]) == {2}
    assert ruven["share"].to_dict() == {"OST": 0.4, "MRV": 0.2, aggregation.NO_TARGET: 0.2}
    assert set(ruven["source_name"]) == {"Ruven Ist"}
    osk = out[out["source"] == "osk"]
    assert osk["n_negative"].tolist() == [0, 0, 0] and osk["share"].tolist() == [0.0] * 3
    assert set(osk["n_sentences_source"]) == {2}
    assert (osk["ci_low"] == 0).all() and (osk["ci_high"] == 0).all()
    assert ((out["ci_low"] <= out["share"]) & (out["share"] <= out["ci_high"])).all()
    # OST in both of ruven's statements (2 of 3 sentences, 0 of 2): resamples of statements
    # give 0, 2/5 or 2/3 of the sentences; MRV only in the first statement
    assert ruven.at["OST", "ci_low"] == 0.0 and ruven.at["OST", "ci_high"] == pytest.approx(2 / 3)
    assert ruven.at["MRV", "ci_high"] == pytest.approx(1 / 3)


def test_criticism_is_seeded_and_takes_the_groups_given() -> None:
    rows = _stance_rows()
    a = aggregation.criticism(rows, n_boot=300, seed=1)
    assert a.equals(aggregation.criticism(rows, n_boot=300, seed=1))
    some = aggregation.criticism(rows, groups=["ruven", "nobody"], n_boot=50)
    assert list(dict.fromkeys(some["source"])) == ["ruven", "nobody"]
    nobody = some[some["source"] == "nobody"]
    assert set(nobody["n_sentences_source"]) == {0} and nobody["share"].isna().all()
    # no negative evaluation at all: no rows, the columns kept
    calm = rows.assign(negative_evaluation=False)
    none = aggregation.criticism(calm)
    assert none.empty and list(none.columns) == list(aggregation.CRITICISM_COLUMNS)
    with pytest.raises(AnalysisError, match="sentence-level stance columns"):
        aggregation.criticism(rows.drop(columns="stance_target_country"))


def test_criticised_resolves_each_sentence_to_its_states_once() -> None:
    assert aggregation.criticised("UKR;UKR;RUS") == ["UKR", "RUS"]
    assert aggregation.criticised("", "some_body") == ["some_body"]
    assert aggregation.criticised(float("nan"), None) == [aggregation.NO_TARGET]
