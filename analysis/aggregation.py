"""Aggregate scores per speaker (or affiliation, or any column) with bootstrap intervals.

:func:`aggregate` turns the ``scores`` table of :func:`analysis.scoring.score_statements`
into a tidy table, one row per group and measure: the mean over the group's rows, a
percentile bootstrap confidence interval, and the number of statements and word tokens
behind it. Groups with fewer than ``min_statements`` statements are kept and flagged
(``small``), never hidden.

The bootstrap is seeded: each group resamples its rows with ``numpy.random.default_rng(seed)``
(a fresh generator per group, the same resamples for every measure of the group), so a group's
interval depends only on its own rows and the seed, not on the other groups.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import fail
from .sentiment import SENTIMENT_COLUMNS

UNATTRIBUTED = "(unattributed)"
COLUMNS = ("group", "measure", "mean", "ci_low", "ci_high", "n_statements", "n_tokens", "small")


def default_measures(scores: pd.DataFrame) -> list[str]:
    """Return the measures aggregated by default: the sentiment columns, then every
    ``*_per100`` rate column, in table order."""
    return [c for c in scores.columns if c in SENTIMENT_COLUMNS or c.endswith("_per100")]


def bootstrap_ci(values: np.ndarray, *, n_boot: int = 2000, ci: float = 0.95,
                 seed: int = 20160917) -> tuple[float, float]:
    """Return the percentile bootstrap interval of the mean of ``values``.

    >>> bootstrap_ci(np.array([1.0, 1.0, 1.0]))
    (1.0, 1.0)
    """
    lo, hi = _ci(values[None, :], _indices(len(values), n_boot, seed), ci)
    return float(lo[0]), float(hi[0])


def _indices(n: int, n_boot: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def _ci(values: np.ndarray, idx: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """values: (measures, n); idx: (n_boot, n). Returns low and high per measure."""
    means = values[:, idx].mean(axis=2)  # (measures, n_boot)
    alpha = (1.0 - ci) / 2.0
    return np.quantile(means, alpha, axis=1), np.quantile(means, 1.0 - alpha, axis=1)


def aggregate(
    scores: pd.DataFrame,
    *,
    by: str = "speaker",
    measures: Sequence[str] | None = None,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 20160917,
    min_statements: int = 3,
    unattributed: str | None = UNATTRIBUTED,
) -> pd.DataFrame:
    """Return per-group means with seeded bootstrap CIs, tidy: one row per group and measure.

    Columns: ``group, measure, mean, ci_low, ci_high, n_statements, n_tokens, small``.
    ``by`` is any column of ``scores`` ("speaker", "affiliation", "kind" ...). Rows whose
    ``by`` value is missing are grouped under ``unattributed`` ("(unattributed)"), or dropped
    when ``unattributed=None``. ``measures`` defaults to :func:`default_measures`. A measure's
    missing values are left out of its mean. ``n_statements`` counts distinct
    ``statement_id`` (rows when there is none; sentence-level scores are means over
    sentences), ``small`` is ``n_statements < min_statements``. Groups come in sorted order,
    with the unattributed group last.

    >>> s = pd.DataFrame({"statement_id": ["a", "b"], "speaker": ["x", None],
    ...                   "n_tokens": [4, 6], "vader_compound": [0.5, -0.5]})
    >>> aggregate(s, measures=["vader_compound"])[["group", "mean", "n_statements", "small"]]
                group  mean  n_statements  small
    0               x   0.5             1   True
    1  (unattributed)  -0.5             1   True
    """
    if by not in scores.columns:
        raise fail("by", f"no column {by!r} in the scores; columns: {list(scores.columns)}")
    measures = default_measures(scores) if measures is None else list(measures)
    missing = [m for m in measures if m not in scores.columns]
    if missing:
        raise fail("measures", f"unknown measure(s) {missing}; columns: {list(scores.columns)}")
    if not 0 < ci < 1:
        raise fail("ci", f"ci must be between 0 and 1, not {ci!r}")
    if n_boot < 1:
        raise fail("n_boot", f"n_boot must be at least 1, not {n_boot!r}")
    keys = scores[by].astype(object)
    keys = keys.where(keys.notna(), None)
    frame = scores.assign(_group=[None if k is None else str(k) for k in keys])
    if unattributed is None:
        frame = frame[frame["_group"].notna()]
    else:
        frame = frame.assign(_group=frame["_group"].fillna(unattributed))
    groups = sorted(g for g in frame["_group"].unique() if g != unattributed)
    if unattributed is not None and (frame["_group"] == unattributed).any():
        groups.append(unattributed)
    rows: list[dict] = []
    for g in groups:
        sub = frame[frame["_group"] == g]
        n_st = sub["statement_id"].nunique() if "statement_id" in sub else len(sub)
        n_tok = _tokens(sub)
        for m in measures:
            vals = pd.to_numeric(sub[m], errors="coerce").to_numpy(dtype="float64")
            vals = vals[~np.isnan(vals)]
            if len(vals) == 0:
                mean = lo = hi = float("nan")
            else:
                mean = float(vals.mean())
                lo_a, hi_a = _ci(vals[None, :], _indices(len(vals), n_boot, seed), ci)
                lo, hi = float(lo_a[0]), float(hi_a[0])
            rows.append({"group": g, "measure": m, "mean": mean, "ci_low": lo, "ci_high": hi,
                         "n_statements": int(n_st), "n_tokens": n_tok,
                         "small": bool(n_st < min_statements)})
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    return out.astype({"mean": "float64", "ci_low": "float64", "ci_high": "float64",
                       "n_statements": "int64", "n_tokens": "int64", "small": "bool"})


def _tokens(sub: pd.DataFrame) -> int:
    if "n_tokens" not in sub:
        return 0
    return int(pd.to_numeric(sub["n_tokens"], errors="coerce").fillna(0).sum())
