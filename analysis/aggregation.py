"""Aggregate scores per speaker (or affiliation, or any column) with bootstrap intervals.

This module computes every number the figures draw; :mod:`analysis.figures` only draws
what it returns.

:func:`aggregate` turns the ``scores`` table of :func:`analysis.scoring.score_statements`
into a tidy table, one row per group and measure, with a percentile bootstrap confidence
interval and the number of statements and word tokens behind it. Groups with fewer than
``min_statements`` statements are kept and flagged (``small``), never hidden. What the
estimate is depends on the measure:

* a **rate** (``c_per100``, codebook hits or passive clauses per 100 word tokens) is *pooled*:
  the sum of the hits ``c`` over the group's statements divided by the sum of their word
  tokens, times 100 (:func:`pooled_rate`); one long statement weighs more than a short
  one, as each of its words does. The interval resamples statements (each with its hits and
  its tokens) and pools each resample again. :func:`pooled_rates` gives the same rates, wide,
  for the heatmaps; they equal the ``mean`` column of :func:`aggregate` by construction;
* any other measure (sentiment) is the mean over the group's rows, resampled by row.

:func:`criticism` counts who criticises whom from the sentence-level stance rows: per source
and target state, the sentences that negatively evaluate the target and their share of the
source's sentences, with an interval that resamples statements as the rates do.

The bootstrap is seeded: each group resamples with ``numpy.random.default_rng(seed)``
(a fresh generator per group, the same resamples for every measure of the group with the
same number of values), so a group's interval depends only on its own rows and the seed,
not on the other groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import fail
from .measures.sentiment import SENTIMENT_COLUMNS
from .quotes import KINDS

UNATTRIBUTED = "(unattributed)"
COLUMNS = ("group", "measure", "mean", "ci_low", "ci_high", "n_statements", "n_tokens", "small")
#: Suffix of a rate column: ``c_per100`` is the count column ``c`` per 100 word tokens.
RATE_SUFFIX = "_per100"


def default_measures(scores: pd.DataFrame) -> list[str]:
    """Return the measures aggregated by default: the sentiment columns, then every
    ``*_per100`` rate column, in table order."""
    return [c for c in scores.columns if c in SENTIMENT_COLUMNS or c.endswith(RATE_SUFFIX)]


def rate_count(measure: str) -> str | None:
    """Return the count column behind a rate column (``"blame_per100"`` -> ``"blame"``), or
    None when ``measure`` is not a rate.

    >>> rate_count("blame_per100"), rate_count("vader_compound")
    ('blame', None)
    """
    if measure.endswith(RATE_SUFFIX) and len(measure) > len(RATE_SUFFIX):
        return measure[: -len(RATE_SUFFIX)]
    return None


def pooled_rate(hits: float, tokens: float) -> float:
    """Return ``hits`` per 100 word ``tokens`` (0.0 when there are no tokens, as the
    per-statement rates of :mod:`analysis.scoring`): the one definition of a rate, for one
    statement or pooled over many (sums of hits and of tokens).

    >>> pooled_rate(2 + 0, 30 + 10)
    5.0
    """
    return 100.0 * float(hits) / float(tokens) if tokens else 0.0


def _rates(hits: np.ndarray, tokens: np.ndarray) -> np.ndarray:
    """:func:`pooled_rate` elementwise: hits (..., k), tokens (k,) broadcastable."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(tokens > 0, 100.0 * hits / np.where(tokens > 0, tokens, 1), 0.0)


def bootstrap_ci(values: np.ndarray, *, n_boot: int = 2000, ci: float = 0.95,
                 seed: int = 20160917) -> tuple[float, float]:
    """Return the percentile bootstrap interval of the mean of ``values``.

    >>> bootstrap_ci(np.array([1.0, 1.0, 1.0]))
    (1.0, 1.0)
    """
    lo, hi = _ci(values[None, :], _indices(len(values), n_boot, seed), ci)
    return float(lo[0]), float(hi[0])


def bootstrap_rate_ci(hits: np.ndarray, tokens: np.ndarray, *, n_boot: int = 2000,
                      ci: float = 0.95, seed: int = 20160917) -> tuple[float, float]:
    """Return the percentile bootstrap interval of the pooled rate (:func:`pooled_rate`) of
    statements with ``hits`` and ``tokens`` (one value each per statement): statements are
    resampled with their hits and tokens, and each resample pooled again.

    >>> bootstrap_rate_ci(np.array([1, 1]), np.array([10, 10]))
    (10.0, 10.0)
    """
    hits = np.asarray(hits, dtype="float64")
    tokens = np.asarray(tokens, dtype="float64")
    lo, hi = _rate_ci(hits[None, :], tokens, _indices(len(tokens), n_boot, seed), ci)
    return float(lo[0]), float(hi[0])


def _indices(n: int, n_boot: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def _ci(values: np.ndarray, idx: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """values: (measures, n); idx: (n_boot, n). Returns low and high per measure."""
    means = values[:, idx].mean(axis=2)  # (measures, n_boot)
    return _quantiles(means, ci)


def _rate_ci(hits: np.ndarray, tokens: np.ndarray, idx: np.ndarray, ci: float
             ) -> tuple[np.ndarray, np.ndarray]:
    """hits: (measures, n); tokens: (n,); idx: (n_boot, n). Pooled rate per resample."""
    rates = _rates(hits[:, idx].sum(axis=2), tokens[idx].sum(axis=1)[None, :])
    return _quantiles(rates, ci)


def _quantiles(estimates: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    alpha = (1.0 - ci) / 2.0
    return np.quantile(estimates, alpha, axis=1), np.quantile(estimates, 1.0 - alpha, axis=1)


def _check_bootstrap(ci: float, n_boot: int) -> None:
    """Raise :class:`AnalysisError` naming ``ci`` or ``n_boot`` when the interval's level is
    not strictly between 0 and 1 or there is not at least one resample."""
    if not 0 < ci < 1:
        raise fail("ci", f"ci must be between 0 and 1, not {ci!r}")
    if n_boot < 1:
        raise fail("n_boot", f"n_boot must be at least 1, not {n_boot!r}")


def _grouped(scores: pd.DataFrame, by: str, unattributed: str | None
             ) -> tuple[pd.DataFrame, list[str]]:
    """``scores`` with a ``_group`` column (str; missing -> ``unattributed`` or dropped) and
    the groups in sorted order, the unattributed group last."""
    if by not in scores.columns:
        raise fail("by", f"no column {by!r} in the scores; columns: {list(scores.columns)}")
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
    return frame, groups


def _per_statement(sub: pd.DataFrame, counts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hits (len(counts), statements) and tokens (statements,) of one group's rows, summed
    per ``statement_id`` (sentence-level rows pool into their statement); a row whose count
    is missing counts no hits, a missing token count no tokens."""
    cols = [*dict.fromkeys([*counts, "n_tokens"])]
    nums = sub[cols].apply(pd.to_numeric, errors="coerce").fillna(0.0).astype("float64")
    if "statement_id" in sub.columns:
        nums = nums.groupby(sub["statement_id"].to_numpy(), sort=True).sum()
    return nums[list(counts)].to_numpy().T, nums["n_tokens"].to_numpy()


def pooled_rates(scores: pd.DataFrame, counts: Sequence[str], *, by: str = "speaker",
                 groups: Sequence[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(rates, hits)``, two wide tables with one row per group (index: ``groups``,
    default every group in sorted order; rows whose ``by`` value is missing are left out)
    and one column per count column in ``counts``: ``hits`` the sum of the counts over the
    group's statements, ``rates`` those hits per 100 word tokens of the same statements
    (:func:`pooled_rate`). A group without rows has 0 hits and a missing rate.

    These are the ``mean`` values :func:`aggregate` gives the rate measures ``c_per100``.

    >>> s = pd.DataFrame({"speaker": ["x", "x", "y"], "n_tokens": [30, 10, 50],
    ...                   "blame": [2, 0, 1]})
    >>> rates, hits = pooled_rates(s, ["blame"], groups=["x", "y", "z"])
    >>> rates["blame"].tolist(), hits["blame"].tolist()
    ([5.0, 2.0, nan], [2, 1, 0])
    """
    counts = list(counts)
    missing = [c for c in [*counts, "n_tokens"] if c not in scores.columns]
    if missing:
        raise fail("counts", f"no column(s) {missing} in the scores; columns: "
                   f"{list(scores.columns)}")
    frame, present = _grouped(scores, by, None)
    order = present if groups is None else [str(g) for g in groups]
    nums = frame[[*counts, "n_tokens"]].apply(pd.to_numeric, errors="coerce").fillna(0)
    sums = nums.groupby(frame["_group"].to_numpy(), sort=False).sum()
    sums = sums.reindex(order)
    seen = sums["n_tokens"].notna().to_numpy()
    sums = sums.fillna(0)
    hits = sums[counts].astype("int64" if _integral(sums[counts]) else "float64")
    rates = pd.DataFrame(_rates(sums[counts].to_numpy("float64"),
                                sums["n_tokens"].to_numpy("float64")[:, None]),
                         index=sums.index, columns=counts)
    rates[~seen] = np.nan
    rates.index.name = hits.index.name = by
    return rates, hits


#: VADER's conventional cut: a compound score at or below it is negative (Hutto & Gilbert).
NEGATIVE_BELOW = -0.05


def negative_share(scores: pd.DataFrame, *, by: str = "speaker",
                   groups: Sequence[str] | None = None, measure: str = "vader_compound",
                   threshold: float = NEGATIVE_BELOW, n_boot: int = 2000, ci: float = 0.95,
                   seed: int = 20160917) -> pd.DataFrame:
    """Return per group the share (percent) of rows, sentences at sentence level, whose
    ``measure`` is at or below ``threshold``: columns ``group, n_statements, n_sentences,
    negative, share, ci_low, ci_high``. The share is pooled (negative sentences over all
    sentences, :func:`pooled_rate`) and its percentile interval resamples *statements* (each
    with its sentences, :func:`bootstrap_rate_ci`), as the framing rates do: the sentences
    of one speech are not independent. ``groups`` as in :func:`pooled_rates` (a group
    without rows has zeros and missing share).

    >>> s = pd.DataFrame({"statement_id": ["a", "a", "b"], "speaker": "x",
    ...                   "vader_compound": [-0.5, 0.2, -0.1]})
    >>> out = negative_share(s, n_boot=10)
    >>> int(out.loc[0, "n_sentences"]), int(out.loc[0, "negative"]), float(out.loc[0, "share"])
    (3, 2, 66.66666666666667)
    """
    if measure not in scores.columns:
        raise fail("measure", f"no column {measure!r} in the scores")
    frame, present = _grouped(scores, by, None)
    order = present if groups is None else [str(g) for g in groups]
    rows = []
    for g in order:
        sub = frame[frame["_group"] == g]
        neg = (pd.to_numeric(sub[measure], errors="coerce") <= threshold).astype("int64")
        ids = sub["statement_id"].to_numpy() if "statement_id" in sub else np.arange(len(sub))
        per = pd.DataFrame({"neg": neg.to_numpy(), "one": 1}).groupby(ids, sort=True).sum()
        n, k = int(per["one"].sum()), int(per["neg"].sum())
        lo, hi = (bootstrap_rate_ci(per["neg"].to_numpy(), per["one"].to_numpy(),
                                    n_boot=n_boot, ci=ci, seed=seed) if n else (np.nan,) * 2)
        rows.append({"group": g, "n_statements": len(per), "n_sentences": n, "negative": k,
                     "share": pooled_rate(k, n) if n else np.nan, "ci_low": lo,
                     "ci_high": hi})
    cols = ["group", "n_statements", "n_sentences", "negative", "share", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=cols)


#: The periods of :func:`negative_evaluation_over_time`: a year, or a decade (by its first
#: year: 1990 is 1990-1999).
PERIODS = ("year", "decade")


def _periods(scores: pd.DataFrame, period: str) -> pd.Series:
    """The period of each row (an integer; missing when the row has no year) from its
    ``date`` (ISO 8601: ``2016`` or ``2016-09-20``)."""
    if period not in PERIODS:
        raise fail("period", f"unknown period {period!r}; valid choices: {list(PERIODS)}")
    if "date" not in scores.columns:
        raise fail("date", "the scores have no date column (analysis.metadata)")
    year = pd.to_numeric(scores["date"].astype("string").str[:4], errors="coerce")
    return (year // 10 * 10 if period == "decade" else year).astype("Int64")


def _country_periods(scores: pd.DataFrame, countries: Sequence[str] | None, period: str,
                     columns: Mapping[str, pd.Series]) -> tuple[pd.DataFrame, list[str]]:
    """Return (one row per scores row with a speaker country and a period: ``country``,
    ``period`` and ``columns``; the countries in report order: those of ``countries``, else
    every country found, sorted), for the over-time tables."""
    frame = pd.DataFrame({"country": scores["speaker_country"].astype("string"),
                          "period": _periods(scores, period), **columns}
                         ).dropna(subset=["country", "period"])
    frame = frame[frame["country"] != ""]
    order = (sorted(frame["country"].unique()) if countries is None
             else [str(c) for c in countries])
    return frame[frame["country"].isin(order)], order


def negative_evaluation_over_time(scores: pd.DataFrame, *,
                                  countries: Sequence[str] | None = None,
                                  period: str = "decade", n_boot: int = 2000,
                                  ci: float = 0.95, seed: int = 20160917) -> pd.DataFrame:
    """Return the share (percent) of sentences that negatively evaluate another party
    (``negative_evaluation``, the stance measure) per speaker country (``speaker_country``)
    and period (``period``: ``year``, or ``decade`` named by its first year, from ``date``):
    columns ``country, period, n_statements, n_sentences, negative_evaluations, share,
    ci_low, ci_high``, one row per country and period with sentences, countries in the
    order of ``countries`` (default every country, sorted), periods ascending. The share is
    pooled (negative evaluations over sentences, :func:`pooled_rate`) and its percentile
    interval resamples the cell's *statements* with their sentences
    (:func:`bootstrap_rate_ci`, as :func:`negative_share`): the sentences of one speech are
    not independent. Rows without a year or a country are left out.

    >>> s = pd.DataFrame({"statement_id": ["a", "a", "b", "c"], "speaker_country": "XXA",
    ...                   "date": ["1991", "1991", "1999", "2001"],
    ...                   "negative_evaluation": [True, False, False, True]})
    >>> out = negative_evaluation_over_time(s, n_boot=10)
    >>> [(int(r.period), int(r.n_sentences), round(r.share, 2)) for r in out.itertuples()]
    [(1990, 3, 33.33), (2000, 1, 100.0)]
    """
    for col in ("speaker_country", "negative_evaluation"):
        if col not in scores.columns:
            raise fail(col, f"no column {col!r} in the scores")
    frame, order = _country_periods(scores, countries, period, {
        "statement": (scores["statement_id"].astype("string") if "statement_id" in scores
                      else pd.Series(np.arange(len(scores)), index=scores.index).astype(
                          "string")),
        "neg": scores["negative_evaluation"].fillna(False).astype(bool).astype("int64")})
    per = (frame.assign(one=1).groupby(["country", "period", "statement"], sort=True)
           [["neg", "one"]].sum().reset_index())
    rows = []
    for (country, when), sub in per.groupby(["country", "period"], sort=True):
        n, k = int(sub["one"].sum()), int(sub["neg"].sum())
        lo, hi = bootstrap_rate_ci(sub["neg"].to_numpy(), sub["one"].to_numpy(),
                                   n_boot=n_boot, ci=ci, seed=seed)
        rows.append({"country": country, "period": int(when), "n_statements": len(sub),
                     "n_sentences": n, "negative_evaluations": k, "share": pooled_rate(k, n),
                     "ci_low": lo, "ci_high": hi})
    cols = ["country", "period", "n_statements", "n_sentences", "negative_evaluations",
            "share", "ci_low", "ci_high"]
    out = pd.DataFrame(rows, columns=cols)
    out["_order"] = out["country"].map({c: i for i, c in enumerate(order)})
    return (out.sort_values(["_order", "period"], kind="stable").drop(columns="_order")
            .reset_index(drop=True))


def top_targets_over_time(scores: pd.DataFrame, *, countries: Sequence[str] | None = None,
                          period: str = "decade", n: int = 5) -> pd.DataFrame:
    """Return who is criticised: per speaker country and period (as in
    :func:`negative_evaluation_over_time`), the ``n`` target countries most often named by
    its sentences that negatively evaluate another party (``stance_target_country``, ISO3
    codes joined by ``;``; a sentence naming two targets counts for each): columns
    ``country, period, rank, target_country, sentences, share`` (percent of the country's
    negative-evaluation sentences in that period naming that target; ties ranked by code).
    Sentences whose criticism names no country are counted in no row.

    >>> s = pd.DataFrame({"speaker_country": "XXA", "date": "1991",
    ...                   "negative_evaluation": [True, True, True, False],
    ...                   "stance_target_country": ["XXB", "XXB;XXC", "", "XXC"]})
    >>> [(r.target_country, r.sentences, round(r.share, 2))
    ...  for r in top_targets_over_time(s, n=2).itertuples()]
    [('XXB', 2, 66.67), ('XXC', 1, 33.33)]
    """
    for col in ("speaker_country", "negative_evaluation", "stance_target_country"):
        if col not in scores.columns:
            raise fail(col, f"no column {col!r} in the scores")
    frame, order = _country_periods(scores, countries, period, {
        "neg": scores["negative_evaluation"].fillna(False).astype(bool),
        "target": scores["stance_target_country"].fillna("").astype(str)})
    frame = frame[frame["neg"]]
    totals = frame.groupby(["country", "period"]).size()
    named = frame.assign(target_country=frame["target"].str.split(";")).explode(
        "target_country")
    named = named[named["target_country"].str.strip() != ""]
    counts = (named.groupby(["country", "period", "target_country"]).size()
              .rename("sentences").reset_index())
    counts["_order"] = counts["country"].map({c: i for i, c in enumerate(order)})
    counts = counts.sort_values(["_order", "period", "sentences", "target_country"],
                                ascending=[True, True, False, True], kind="stable")
    counts["rank"] = counts.groupby(["country", "period"]).cumcount() + 1
    counts = counts[counts["rank"] <= n]
    counts["share"] = [pooled_rate(k, totals[(c, p)]) for c, p, k in
                       zip(counts["country"], counts["period"], counts["sentences"],
                           strict=True)]
    counts["period"] = counts["period"].astype("int64")
    return counts[["country", "period", "rank", "target_country", "sentences", "share"]
                  ].reset_index(drop=True)


def group_sizes(scores: pd.DataFrame, *, by: str = "speaker",
                groups: Sequence[str] | None = None) -> pd.DataFrame:
    """Return what each group's estimates rest on: one row per group (index: ``groups``,
    default every attributed group, sorted), columns ``n_statements`` (distinct
    ``statement_id``, else rows) and ``n_tokens`` (word tokens; 0 without the column), as in
    :func:`aggregate`. A group without rows has zeros.

    >>> group_sizes(pd.DataFrame({"statement_id": ["a", "a", "b"], "speaker": "x",
    ...                           "n_tokens": [3, 4, 5]})).to_dict("index")
    {'x': {'n_statements': 2, 'n_tokens': 12}}
    """
    frame, present = _grouped(scores, by, None)
    order = present if groups is None else [str(g) for g in groups]
    rows = {}
    for g, sub in frame.groupby("_group", sort=False):
        n_st = sub["statement_id"].nunique() if "statement_id" in sub else len(sub)
        rows[g] = {"n_statements": int(n_st), "n_tokens": _tokens(sub)}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["n_statements", "n_tokens"])
    out = out.reindex(order).fillna(0).astype("int64")
    out.index.name = by
    return out


def kind_counts(statements: pd.DataFrame, *, by: str = "speaker",
                kinds: Sequence[str] = KINDS, unattributed: str | None = UNATTRIBUTED
                ) -> pd.DataFrame:
    """Return the number of statements per group and kind of statement: one row per group
    (sorted, the ``unattributed`` group of rows without ``by`` last, or left out when None),
    one column per kind in ``kinds`` (default :data:`analysis.quotes.KINDS`, in that order).

    >>> counts = kind_counts(pd.DataFrame({"speaker": ["x", "x", None],
    ...                                    "kind": ["direct", "indirect", "direct"]}))
    >>> counts.columns.tolist(), counts.index.tolist(), counts.loc["x"].tolist()
    (['direct', 'mixed', 'indirect', 'statement'], ['x', '(unattributed)'], [1, 0, 1, 0])
    """
    for col in (by, "kind"):
        if col not in statements.columns:
            raise fail("statements", f"no column {col!r}; columns: {list(statements.columns)}")
    unknown = sorted(set(statements["kind"].dropna().astype(str)) - set(kinds))
    if unknown:
        raise fail("kind", f"unknown kind(s) {unknown}; valid kinds: {list(kinds)}")
    frame, groups = _grouped(statements, by, unattributed)
    counts = frame.groupby(["_group", "kind"]).size().unstack(fill_value=0)
    out = counts.reindex(index=groups, columns=list(kinds), fill_value=0).astype("int64")
    out.index.name, out.columns.name = by, None
    return out


def target_sentiment(targets: pd.DataFrame, *, by: str = "speaker",
                     groups: Sequence[str] | None = None, min_mentions: int = 1,
                     measure: str = "sentence_vader_compound"
                     ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return who speaks about whom, and how, from the ``targets`` table of
    :func:`analysis.scoring.score_statements`: ``(mean, mentions, self_reference)``, three
    wide tables with one row per group (index: ``groups``, default every attributed group,
    sorted) and one column per target these groups mention at least ``min_mentions`` times
    in all (most mentioned first, then by id). ``mean`` is the mean ``measure`` of the
    sentences that mention the target (missing without a mention), ``mentions`` the number
    of mentions, ``self_reference`` whether any of them is one.

    >>> t = pd.DataFrame({"speaker": ["x", "x", "y"], "target": ["a", "b", "a"],
    ...                   "self_reference": [False, True, False],
    ...                   "sentence_vader_compound": [0.5, -0.5, 0.1]})
    >>> mean, n, selfref = target_sentiment(t)
    >>> mean.columns.tolist(), n.loc["y"].tolist(), selfref.loc["x"].tolist()
    (['a', 'b'], [1, 0], [False, True])
    """
    frame, present = _grouped(targets, by, None)
    order = present if groups is None else [str(g) for g in groups]
    frame = frame[frame["_group"].isin(order)]
    totals = frame.groupby("target").size()
    cols = sorted(totals[totals >= min_mentions].index, key=lambda t: (-totals[t], t))
    g = frame.groupby(["_group", "target"])
    mean = g[measure].mean().unstack().reindex(index=order, columns=cols).astype("float64")
    n = g.size().unstack(fill_value=0).reindex(index=order, columns=cols, fill_value=0)
    selfref = g["self_reference"].any().unstack().reindex(index=order, columns=cols)
    selfref = selfref.fillna(False).astype(bool)
    for table in (mean, n, selfref):
        table.index.name, table.columns.name = by, "target"
    return mean, n.astype("int64"), selfref


#: The target of a negative evaluation that names no one the tool can resolve (the stance
#: measure's untargeted rule): kept as a column of its own, never dropped.
NO_TARGET = "(no target named)"
#: The columns of :func:`criticism`, in order.
CRITICISM_COLUMNS = ("source", "source_name", "target", "n_statements_source",
                     "n_sentences_source", "n_negative", "share", "ci_low", "ci_high")


def criticised(countries: object, actors: object = None) -> list[str]:
    """Return whom one negatively evaluating sentence criticises, each once: the ISO3 codes of
    its ``stance_target_country`` (``;``-joined), else the actor ids of its ``stance_target``
    (a target of no state), else :data:`NO_TARGET`. A proxy and its state ("the Kyiv
    authorities", "Ukraine") are one state, hence one target.

    >>> criticised("UKR;RUS;UKR"), criticised("", "isil"), criticised(None)
    (['UKR', 'RUS'], ['isil'], ['(no target named)'])
    """
    for value in (countries, actors):
        if isinstance(value, str) and value.strip():
            found = [v.strip() for v in value.split(";") if v.strip()]
            if found:
                return list(dict.fromkeys(found))
    return [NO_TARGET]


def criticism(sentences: pd.DataFrame, *, by: str = "speaker",
              groups: Sequence[str] | None = None, n_boot: int = 2000, ci: float = 0.95,
              seed: int = 20160917) -> pd.DataFrame:
    """Return who criticises whom, tidy: one row per (source, target), from sentence-level
    stance rows (the ``scores`` of :func:`analysis.scoring.score_statements` at
    ``level="sentence"``: ``statement_id``, ``negative_evaluation``,
    ``stance_target_country``, ``stance_target``).

    Columns (:data:`CRITICISM_COLUMNS`): ``source`` (the ``by`` value: speaker id or group
    label), ``source_name`` (its first ``speaker_name``, else the id), ``target`` (the state
    criticised, by ISO3 code; see :func:`criticised`), ``n_statements_source`` and
    ``n_sentences_source`` (all the source's statements and sentences), ``n_negative``
    (its sentences that negatively evaluate that target; a sentence criticising two states
    counts for each), ``share`` (``n_negative / n_sentences_source``, a fraction) and the
    percentile bootstrap interval of the share, ``ci_low``/``ci_high``, resampling
    *statements* with their sentences (:func:`bootstrap_rate_ci`'s machinery, seeded by
    ``seed``, one set of resamples per source for all its targets).

    Sources are ``groups`` (default every attributed source, sorted; rows whose ``by`` is
    missing are left out), targets every one that a listed source criticises at least once,
    most criticised first (then by id; :data:`NO_TARGET` last), each source with a row for
    every target (zeros included). No negative evaluation at all: no rows.

    >>> s = pd.DataFrame({"statement_id": ["a", "a", "b", "c"], "speaker": ["x", "x", "x", "y"],
    ...                   "negative_evaluation": [True, False, True, False],
    ...                   "stance_target_country": ["RUS", "", "RUS;SYR", ""]})
    >>> criticism(s, n_boot=10)[["source", "target", "n_negative", "share"]]
      source target  n_negative     share
    0      x    RUS           2  0.666667
    1      x    SYR           1  0.333333
    2      y    RUS           0  0.000000
    3      y    SYR           0  0.000000
    """
    need = [c for c in ("negative_evaluation", "stance_target_country") if c not in sentences]
    if need:
        raise fail("sentences", f"no column(s) {need}: who criticises whom needs the "
                   f"sentence-level stance columns; columns: {list(sentences.columns)}")
    _check_bootstrap(ci, n_boot)
    frame, present = _grouped(sentences, by, None)
    order = present if groups is None else [str(g) for g in groups]
    frame = frame[frame["_group"].isin(order)]
    ids = (frame["statement_id"].astype(str).to_numpy() if "statement_id" in frame
           else np.arange(len(frame)).astype(str))
    negative = frame["negative_evaluation"].fillna(False).astype(bool).to_numpy()
    actors = frame["stance_target"] if "stance_target" in frame else [None] * len(frame)
    hits = [(g, sid, t)
            for g, sid, neg, c, a in zip(frame["_group"], ids, negative,
                                         frame["stance_target_country"], actors, strict=True)
            if neg for t in criticised(c, a)]
    if not hits:
        kinds = {"source": object, "source_name": object, "target": object}
        return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, "int64" if c.startswith("n_")
                                                           else "float64"))
                             for c in CRITICISM_COLUMNS})
    totals = pd.Series([t for _, _, t in hits]).value_counts()
    targets = sorted(totals.index, key=lambda t: (t == NO_TARGET, -int(totals[t]), t))
    names = {}
    if "speaker_name" in frame:
        named = frame.dropna(subset=["speaker_name"]).drop_duplicates("_group")
        names = dict(zip(named["_group"], named["speaker_name"].astype(str), strict=True))
    place = {t: k for k, t in enumerate(targets)}
    by_source: dict[str, list[tuple[str, str]]] = {}
    for src, sid, t in hits:
        by_source.setdefault(src, []).append((sid, t))
    group_of = frame["_group"].to_numpy()
    rows: list[dict] = []
    for g in order:
        statements, sents = np.unique(ids[group_of == g], return_counts=True)
        where = {sid: k for k, sid in enumerate(statements)}
        counts = np.zeros((len(targets), len(statements)), dtype="float64")
        for sid, t in by_source.get(g, ()):
            counts[place[t], where[sid]] += 1
        n = int(sents.sum())
        if n:
            lo, hi = _rate_ci(counts, sents.astype("float64"),
                              _indices(len(statements), n_boot, seed), ci)
        for k, t in enumerate(targets):
            k_neg = int(counts[k].sum())
            rows.append({"source": g, "source_name": names.get(g, g), "target": t,
                         "n_statements_source": len(statements), "n_sentences_source": n,
                         "n_negative": k_neg,
                         "share": pooled_rate(k_neg, n) / 100.0 if n else np.nan,
                         "ci_low": float(lo[k]) / 100.0 if n else np.nan,
                         "ci_high": float(hi[k]) / 100.0 if n else np.nan})
    out = pd.DataFrame(rows, columns=list(CRITICISM_COLUMNS))
    return out.astype({"n_statements_source": "int64", "n_sentences_source": "int64",
                       "n_negative": "int64", "share": "float64", "ci_low": "float64",
                       "ci_high": "float64"})


def _integral(frame: pd.DataFrame) -> bool:
    values = frame.to_numpy("float64")
    return bool(np.all(np.isfinite(values)) and np.all(values == np.round(values)))


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
    """Return per-group estimates with seeded bootstrap CIs, tidy: one row per group and
    measure.

    Columns: ``group, measure, mean, ci_low, ci_high, n_statements, n_tokens, small``.
    For a rate ``c_per100`` the ``mean`` is the pooled rate, the group's hits ``c`` per 100
    of its word tokens (the column ``c`` and ``n_tokens`` must be in ``scores``), and its
    interval resamples statements; for any other measure it is the mean over the group's
    rows (missing values left out), resampled by row (see the module docstring).
    ``by`` is any column of ``scores`` ("speaker", "affiliation", "kind" ...). Rows whose
    ``by`` value is missing are grouped under ``unattributed`` ("(unattributed)"), or dropped
    when ``unattributed=None``. ``measures`` defaults to :func:`default_measures`.
    ``n_statements`` counts distinct ``statement_id`` (rows when there is none; sentence-level
    sentiment is a mean over sentences, sentence-level rates pool into their statements),
    ``small`` is ``n_statements < min_statements``. Groups come in sorted order, with the
    unattributed group last.

    >>> s = pd.DataFrame({"statement_id": ["a", "b", "c"], "speaker": ["x", "x", None],
    ...                   "n_tokens": [30, 10, 6], "vader_compound": [0.5, 0.1, -0.5],
    ...                   "blame": [2, 0, 0], "blame_per100": [6.67, 0.0, 0.0]})
    >>> aggregate(s)[["group", "measure", "mean", "n_statements", "small"]]
                group         measure  mean  n_statements  small
    0               x  vader_compound   0.3             2   True
    1               x    blame_per100   5.0             2   True
    2  (unattributed)  vader_compound  -0.5             1   True
    3  (unattributed)    blame_per100   0.0             1   True
    """
    if by not in scores.columns:
        raise fail("by", f"no column {by!r} in the scores; columns: {list(scores.columns)}")
    measures = default_measures(scores) if measures is None else list(measures)
    missing = [m for m in measures if m not in scores.columns]
    if missing:
        raise fail("measures", f"unknown measure(s) {missing}; columns: {list(scores.columns)}")
    rates = {m: rate_count(m) for m in measures if rate_count(m) is not None}
    uncounted = [f"{m} (needs {c!r})" for m, c in rates.items() if c not in scores.columns]
    if rates and "n_tokens" not in scores.columns:
        uncounted.append("n_tokens (the word tokens every rate is pooled over)")
    if uncounted:
        raise fail("measures", "a rate is pooled from its count column and n_tokens; "
                   f"missing: {', '.join(uncounted)}")
    _check_bootstrap(ci, n_boot)
    frame, groups = _grouped(scores, by, unattributed)
    rate_measures = [m for m in measures if m in rates]
    counts = [str(rates[m]) for m in rate_measures]
    rows: list[dict] = []
    for g in groups:
        sub = frame[frame["_group"] == g]
        n_st = sub["statement_id"].nunique() if "statement_id" in sub else len(sub)
        n_tok = _tokens(sub)
        pooled: dict[str, tuple[float, float, float]] = {}
        if rate_measures:
            hits, tokens = _per_statement(sub, counts)
            if len(tokens):
                lo_a, hi_a = _rate_ci(hits, tokens, _indices(len(tokens), n_boot, seed), ci)
                for k, m in enumerate(rate_measures):
                    pooled[m] = (pooled_rate(hits[k].sum(), tokens.sum()),
                                 float(lo_a[k]), float(hi_a[k]))
        for m in measures:
            if m in rates:
                mean, lo, hi = pooled.get(m, (float("nan"),) * 3)
            else:
                mean, lo, hi = _mean_ci(sub[m], n_boot, seed, ci)
            rows.append({"group": g, "measure": m, "mean": mean, "ci_low": lo, "ci_high": hi,
                         "n_statements": int(n_st), "n_tokens": n_tok,
                         "small": bool(n_st < min_statements)})
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    return out.astype({"mean": "float64", "ci_low": "float64", "ci_high": "float64",
                       "n_statements": "int64", "n_tokens": "int64", "small": "bool"})


def _mean_ci(column: pd.Series, n_boot: int, seed: int, ci: float
             ) -> tuple[float, float, float]:
    vals = pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64")
    vals = vals[~np.isnan(vals)]
    if len(vals) == 0:
        return float("nan"), float("nan"), float("nan")
    lo, hi = _ci(vals[None, :], _indices(len(vals), n_boot, seed), ci)
    return float(vals.mean()), float(lo[0]), float(hi[0])


def _tokens(sub: pd.DataFrame) -> int:
    if "n_tokens" not in sub:
        return 0
    return int(pd.to_numeric(sub["n_tokens"], errors="coerce").fillna(0).sum())
