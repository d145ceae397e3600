"""Aggregation: means, seeded bootstrap intervals, counts, small groups, unattributed rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.aggregation import COLUMNS, UNATTRIBUTED, aggregate, bootstrap_ci, default_measures
from analysis.errors import AnalysisError


@pytest.fixture()
def scores() -> pd.DataFrame:
    return pd.DataFrame({
        "statement_id": [f"d#{i:03d}" for i in range(1, 8)],
        "speaker": ["ruven", "ruven", "ruven", "ruven", "osk", None, None],
        "affiliation": ["ruritania"] * 4 + ["osterlich", None, None],
        "n_tokens": [10, 20, 30, 40, 5, 7, 8],
        "vader_compound": [0.1, 0.2, 0.3, 0.4, -0.5, 0.0, 1.0],
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
    assert ruven.loc["accusation_per100", "mean"] == 5.0
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
