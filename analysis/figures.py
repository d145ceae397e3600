"""Comparison figures: who said what, how, and in what tone, per speaker.

This module draws; it computes nothing. Every number a figure shows comes from
:mod:`analysis.aggregation` (pooled rates per 100 word tokens, means with their bootstrap
intervals, counts), so a figure and ``aggregates.csv`` always agree. Every public function
takes the project's plain tables (the statements table, the ``ScoreResult`` frames, the tidy
aggregates; see the data contracts in the README) and returns a
:class:`matplotlib.figure.Figure`; nothing is shown or written as a side effect. Each is a
thin wrapper over a private plotter that draws on one ``Axes``, so the headline
:func:`comparison` figure reuses the very same drawings. Heatmaps, the statements beside
the means (a beeswarm) and the scatter plots are drawn with seaborn; the intervals are the
aggregation's, drawn as error bars (seaborn's point plot would compute its own).

Conventions, the same in every figure:

* one colour per speaker (:func:`speaker_palette`): the colours of
  ``analysis/data/colours.yml``, by the speaker's place in the actor registry when the
  figure is given one, else by its place among the speakers of the table (sorted ids);
* the kinds of statement (:data:`analysis.quotes.KINDS`) are told apart by opacity and
  hatching (:data:`KIND_STYLE`), the hue staying the speaker's;
* individual statements (or sentences) are drawn beside the means (a mean of three
  statements is shown as what it is), and every figure says how many statements, sentences
  or tokens it rests on;
* titles say what is measured and per what unit: the figures whose dots and means are per
  statement or per sentence take the report's ``unit`` (passed in, never guessed) and name
  it; axis labels give the unit of the scale;
* :func:`save_figure` writes byte-identical PNG and SVG for the same inputs (no dates or
  random ids in the files, a pinned font, a fixed resolution).

Example::

    from analysis import figures
    fig = figures.sentiment_by_speaker(scores, aggregates)
    figures.save_figure(fig, "figures/sentiment_by_speaker")
"""

from __future__ import annotations

import contextlib
import functools
import textwrap
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter

from . import aggregation
from .errors import fail
from .formats import FIGURE_FORMATS as FIGURE_FORMATS  # re-exported: figures.FIGURE_FORMATS
from .formats import check_formats as check_formats
from .io import atomic_write
from .quotes import KINDS
from .resources import packaged
from .schema import ColoursFile

#: Resolution of saved raster figures (dots per inch).
DPI = 150
_COLOURS: ColoursFile = packaged("colours", ColoursFile)
#: The speaker colour cycle (``analysis/data/colours.yml``), taken by place (see
#: :func:`speaker_palette`).
SPEAKER_COLOURS: tuple[str, ...] = tuple(_COLOURS.speakers)
#: Colour of statements without an attributed speaker.
UNATTRIBUTED: str = _COLOURS.unattributed


class KindStyle(NamedTuple):
    """How one kind of statement is filled: the speaker's hue at ``opacity``, ``hatch``."""

    opacity: float
    hatch: str | None


def check_kind_styles(styles: Mapping[str, KindStyle]) -> dict[str, KindStyle]:
    """Return ``styles`` in the order of :data:`analysis.quotes.KINDS`, or raise
    AnalysisError when a kind has no style or a style no kind."""
    missing = [k for k in KINDS if k not in styles]
    extra = [k for k in styles if k not in KINDS]
    if missing or extra:
        raise fail("figures.KIND_STYLE", f"styles must cover the statement kinds {list(KINDS)}"
                   f" (analysis.quotes.KINDS); missing {missing}, unknown {extra}")
    return {k: styles[k] for k in KINDS}


#: The kinds of statement (:data:`analysis.quotes.KINDS`, in that order) as the figures
#: fill them: "direct" solid, reported speech faint; "statement" (a whole speech or press
#: release, not a quotation) dotted.
KIND_STYLE: dict[str, KindStyle] = check_kind_styles({
    "direct": KindStyle(1.0, None), "mixed": KindStyle(0.6, "//"),
    "indirect": KindStyle(0.3, None), "statement": KindStyle(0.8, ".."),
})
#: Most statements of one speaker drawn as a beeswarm (see :func:`sentiment_by_speaker`).
SWARM_MAX = 200
SENTIMENT_LABELS: dict[str, str] = {
    "vader_compound": "VADER compound (-1 negative to +1 positive)",
    "textblob_polarity": "TextBlob polarity (-1 negative to +1 positive)",
    "textblob_subjectivity": "TextBlob subjectivity (0 objective to 1 subjective)",
}
_AGENCY = ("passive", "agentless_passive")
_NON_CATEGORY = {"passive", "agentless_passive", "n_tokens", "vader_neg", "vader_neu",
                 "vader_pos", "vader_compound", "textblob_polarity", "textblob_subjectivity"}

#: The project style: pinned font, fixed salt for SVG ids, no hidden state from the user's rc.
STYLE: dict[str, object] = {
    "font.family": "DejaVu Sans",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "figure.autolayout": False,  # layout is the figure's own (constrained), see save_figure
    "figure.constrained_layout.use": False,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "svg.hashsalt": "discourse-analysis",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "image.cmap": "viridis",
}
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """Apply the project style (:data:`STYLE`) inside a ``with`` block.

    Every public function of this module draws and saves inside it, so a figure looks the
    same whatever the user's matplotlib settings.

    >>> with figure_style():
    ...     import matplotlib
    ...     matplotlib.rcParams["svg.hashsalt"]
    'discourse-analysis'
    """
    with matplotlib.rc_context(STYLE):
        yield


def _styled(func):  # noqa: ANN001, ANN202 - decorator
    @functools.wraps(func)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        with figure_style():
            return func(*args, **kwargs)

    return wrapper


# --------------------------------------------------------------------------- palette, order


def _registry_names(registry: object | None) -> dict[str, str]:
    if registry is None:
        return {}
    return {a.id: a.name for a in registry}  # type: ignore[attr-defined]


def speaker_palette(speakers: Iterable[str | None], *, registry: object | None = None,
                    colours: Mapping[str, str] | None = None) -> dict[str | None, str]:
    """Return ``{speaker id: colour}``, the same colour for a speaker in every figure.

    With the actor ``registry`` (a :class:`analysis.speakers.Registry`), a speaker takes the
    colour of its place in the registry (:data:`SPEAKER_COLOURS`, cycled), so it does not
    depend on who else is drawn, and an id outside the registry a colour chosen by a hash of
    the id. Without one, the speakers given take the colours of their places in sorted id
    order (pass every speaker of the table for the same colours in every figure of it).
    ``colours`` pins the colour of any id; ``None`` (no speaker) is :data:`UNATTRIBUTED`.

    >>> speaker_palette(["osk", "ruven", "amara", None], colours={"ruven": "black"})
    {'osk': '#D55E00', 'ruven': 'black', 'amara': '#0072B2', None: '#999999'}
    """
    speakers = list(speakers)
    named = [s for s in speakers if isinstance(s, str)]
    ids = list(registry.ids) if registry is not None else sorted(set(named))  # type: ignore[attr-defined]
    place = {actor: n for n, actor in enumerate(ids)}
    colours = colours or {}
    cycle = SPEAKER_COLOURS
    out: dict[str | None, str] = {}
    for s in speakers:
        if not isinstance(s, str):
            out[None] = UNATTRIBUTED
        elif s in colours:
            out[s] = colours[s]
        elif s in place:
            out[s] = cycle[place[s] % len(cycle)]
        else:
            out[s] = cycle[zlib.crc32(s.encode()) % len(cycle)]
    return out


def _table_palette(frame: pd.DataFrame) -> dict[str | None, str]:
    """The palette of every speaker of ``frame`` (drawn or not), so that all the figures
    drawn from the tables of one analysis agree."""
    return speaker_palette([*frame["speaker"].dropna().astype(str).unique(), None])


def _order(present: Iterable[str], speakers: Sequence[str] | None) -> list[str]:
    """The speakers to draw: ``speakers`` if given (those present), else all, in the order
    they first speak in the table."""
    present = [p for p in dict.fromkeys(present) if isinstance(p, str)]
    if speakers is not None:
        return [s for s in speakers if s in present]
    return present


def _names(frame: pd.DataFrame) -> dict[str, str]:
    """Speaker id -> display name (the first ``speaker_name`` seen), else the id."""
    if "speaker_name" not in frame.columns:
        return {}
    named = frame.dropna(subset=["speaker", "speaker_name"]).drop_duplicates("speaker")
    return dict(zip(named["speaker"], named["speaker_name"], strict=True))


def _label(s: str, names: Mapping[str, str]) -> str:
    return str(names.get(s, s))


def _spoken(frame: pd.DataFrame, speakers: Sequence[str] | None) -> tuple[pd.DataFrame, list[str]]:
    frame = frame[frame["speaker"].notna()]
    order = _order(frame["speaker"], speakers)
    return frame[frame["speaker"].isin(order)], order


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="0.4")
    ax.set_xticks([])
    ax.set_yticks([])


def _new(width: float, height: float, ncols: int = 1, **kw: object) -> tuple[Figure, list[Axes]]:
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False, **kw)[0]
    return fig, list(axes)


def categories_of(scores: pd.DataFrame) -> list[str]:
    """Return the codebook category ids in a scores table (columns ``c`` with ``c_per100``).

    >>> categories_of(pd.DataFrame(columns=["n_tokens", "blame", "blame_per100", "passive",
    ...                                     "passive_per100"]))
    ['blame']
    """
    cols = list(scores.columns)
    return [c for c in cols if f"{c}_per100" in cols and c not in _NON_CATEGORY]


def _count(n: int, noun: str) -> str:
    """``"1 statement"``, ``"1,150 tokens"``."""
    return f"{int(n):,} {noun}" + ("" if int(n) == 1 else "s")


#: The units a figure's dots and means can be of (the report's ``unit``).
UNITS = ("statement", "sentence")


def _unit(unit: str) -> str:
    """``unit`` checked: one of :data:`UNITS` (the report passes its own; no guessing)."""
    if unit not in UNITS:
        raise fail("unit", f"unknown unit {unit!r}; valid choices: {list(UNITS)}")
    return unit


def _sizes(ax: Axes, sizes: pd.DataFrame, *, centre: float = 0.0) -> None:
    """Say on the right of ``ax`` what each row's numbers rest on (statements, tokens)."""
    right = ax.secondary_yaxis("right")
    right.set_yticks([i + centre for i in range(len(sizes))],
                     [f"{_count(r.n_statements, 'statement')}\n{_count(r.n_tokens, 'token')}"
                      for r in sizes.itertuples()])
    right.tick_params(length=0, labelsize=8, labelcolor="0.3")
    right.spines[:].set_visible(False)


# ------------------------------------------------------------------------- private plotters


def _plot_kinds(ax: Axes, statements: pd.DataFrame, speakers: Sequence[str] | None,
                palette: Mapping[str | None, str]) -> None:
    counts = aggregation.kind_counts(statements)
    none = aggregation.UNATTRIBUTED
    if speakers is None:  # every speaker, most statements first; the unattributed last
        named = counts.drop(index=none, errors="ignore")
        order: list[str] = sorted(named.index, key=lambda s: (-int(named.loc[s].sum()), s))
        if none in counts.index:
            order.append(none)
    else:
        order = [s for s in speakers if s in counts.index]
    if not order:
        _empty(ax, "no statements")
        return
    counts = counts.loc[order]
    names = _names(statements)
    kinds = [k for k in KIND_STYLE if counts[k].sum() > 0]
    y = np.arange(len(order))
    left = np.zeros(len(order))
    totals = counts.sum(axis=1).to_numpy()
    widest = max(1, int(totals.max()))
    hues = [palette.get(None if s == none else s, UNATTRIBUTED) for s in order]
    for kind in kinds:
        style = KIND_STYLE[kind]
        vals = counts[kind].to_numpy(float)
        ax.barh(y, vals, left=left, color=[to_rgba(h, style.opacity) for h in hues],
                edgecolor="0.2", linewidth=0.6, hatch=style.hatch, height=0.6)
        for yi, (lo, v) in enumerate(zip(left, vals, strict=True)):
            if 0 < v < totals[yi] and v >= 0.04 * widest:
                ax.text(lo + v / 2, yi, f"{int(v)}", ha="center", va="center", fontsize=9,
                        in_layout=False)
        left += vals
    for yi, total in enumerate(left):
        ax.text(total, yi, f" {int(total)}", ha="left", va="center", fontsize=9,
                fontweight="bold")
    ax.set_xlim(0, widest * 1.08)
    ax.set_yticks(y, ["other or unknown" if s == none else _label(s, names) for s in order])
    ax.invert_yaxis()
    ax.set_xlabel(f"statements (count; {int(totals.sum())} in all)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    handles = [Patch(facecolor=to_rgba("0.45", KIND_STYLE[k].opacity), edgecolor="0.2",
                     hatch=KIND_STYLE[k].hatch, label=k) for k in kinds]
    ax.legend(handles=handles, title="kind of statement", loc="upper left",
              bbox_to_anchor=(1.01, 1.0))


def _interval(aggregates: pd.DataFrame, measure: str, speaker: str
              ) -> tuple[float, float, float, int, bool] | None:
    """(mean, ci_low, ci_high, n_statements, small) of one speaker and measure, if any."""
    row = aggregates[(aggregates["group"] == speaker) & (aggregates["measure"] == measure)]
    if not len(row):
        return None
    r = row.iloc[0]
    return (float(r["mean"]), float(r["ci_low"]), float(r["ci_high"]), int(r["n_statements"]),
            bool(r["small"]))


def _plot_points_means(ax: Axes, scores: pd.DataFrame, aggregates: pd.DataFrame,
                       measure: str, order: Sequence[str], palette: Mapping[str | None, str],
                       names: Mapping[str, str], *, show_labels: bool = True,
                       lim: tuple[float, float] = (-1.0, 1.0)) -> None:
    """Each statement as a dot (a beeswarm on row ``i``; with more than :data:`SWARM_MAX`
    statements for a speaker, a faint strip on the row, as a swarm would take seconds and
    overflow), the speaker's mean as a diamond with its bootstrap interval just above (from
    ``aggregates``)."""
    ax.axvline(0, color="0.7", linewidth=0.8, zorder=0)
    dots = scores.loc[scores["speaker"].isin(order), ["speaker", measure]].dropna()
    if len(dots):
        common = {"data": dots, "x": measure, "y": "speaker", "order": list(order),
                  "hue": "speaker", "hue_order": list(order), "legend": False, "ax": ax,
                  "palette": {s: palette.get(s, UNATTRIBUTED) for s in order}}
        if int(dots.groupby("speaker").size().max()) <= SWARM_MAX:
            sns.swarmplot(**common, size=4.5, edgecolor="white", linewidth=0.5, alpha=0.8,
                          warn_thresh=1.0)
        else:  # no jitter: seaborn's is drawn from numpy's global random state
            sns.stripplot(**common, jitter=False, size=3.5, linewidth=0, alpha=0.25)
    for yi, s in enumerate(order):
        found = _interval(aggregates, measure, s)
        if found is None or not np.isfinite(found[0]):
            continue
        mean, lo, hi, n, small = found
        err = [[mean - lo], [hi - mean]] if np.isfinite(lo) and np.isfinite(hi) else None
        ax.errorbar(mean, yi - 0.32, xerr=err, fmt="D", markersize=6.5,
                    color=palette.get(s, UNATTRIBUTED),
                    markeredgecolor="0.1", markeredgewidth=0.8, ecolor="0.15", elinewidth=1.4,
                    capsize=3, zorder=4)
        ax.text(1.03, yi, f"n={n}" + (" (small)" if small else ""), ha="left", va="center",
                fontsize=8, color="0.3", transform=ax.get_yaxis_transform())
    ax.set_yticks(range(len(order)), [_label(s, names) for s in order] if show_labels
                  else [""] * len(order))
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_ylabel("")
    ax.set_xlim(*lim)
    ax.set_xlabel(SENTIMENT_LABELS.get(measure, measure))


def _heatmap_ticks(ax: Axes) -> None:
    """Style a heatmap's tick labels: column labels slanted, row labels level, no ticks."""
    for t in ax.get_xticklabels():
        t.set(rotation=35, ha="right", rotation_mode="anchor")
    for t in ax.get_yticklabels():
        t.set(rotation=0)
    ax.tick_params(length=0)


def _plot_heatmap(ax: Axes, rates: pd.DataFrame, counts: pd.DataFrame, names: Mapping[str, str],
                  labels: Mapping[str, str] | None, *, cbar: bool = True) -> None:
    data = rates.astype(float).fillna(0.0)
    vmax = float(data.to_numpy().max()) if data.size and data.to_numpy().max() > 0 else 1.0
    annot = np.array([["–" if n == 0 else f"{v:.1f}\n({n})" for v, n in zip(rv, cv, strict=True)]
                      for rv, cv in zip(data.to_numpy(), counts.to_numpy(int), strict=True)])
    labels = labels or {}
    # in_layout=False: a label inside its cell never moves the layout, so the layout
    # engine need not measure it (same file, less time)
    sns.heatmap(data, ax=ax, cmap="YlOrRd", vmin=0, vmax=vmax, annot=annot, fmt="",
                annot_kws={"fontsize": 8, "in_layout": False}, linewidths=0.6,
                linecolor="white", cbar=cbar,
                cbar_kws={"label": "hits per 100 word tokens", "shrink": 0.85},
                xticklabels=[labels.get(c, c.replace("_", " ")) for c in rates.columns],
                yticklabels=[_label(s, names) for s in rates.index])
    _heatmap_ticks(ax)
    ax.set_xlabel("codebook category (negated cues not counted)")
    ax.set_ylabel("")


def _plot_agency(ax: Axes, scores: pd.DataFrame, order: Sequence[str],
                 palette: Mapping[str | None, str], names: Mapping[str, str], *,
                 show_labels: bool = True) -> None:
    rates, counts = aggregation.pooled_rates(scores, _AGENCY, groups=order)
    y = np.arange(len(order))
    h = 0.36
    for k, (col, hatch) in enumerate(zip(_AGENCY, (None, "///"), strict=True)):
        colours = [to_rgba(palette.get(s, UNATTRIBUTED), 1.0 if k == 0 else 0.45) for s in order]
        pos = y - h / 2 + k * h
        ax.barh(pos, rates[col].fillna(0), height=h, color=colours, hatch=hatch,
                edgecolor="0.2", linewidth=0.6)
        for yi, s in zip(pos, order, strict=True):
            ax.text(float(rates.at[s, col]) if pd.notna(rates.at[s, col]) else 0, yi,
                    f" {int(counts.at[s, col])}", va="center", fontsize=8, color="0.2")
    ax.set_yticks(y, [_label(s, names) for s in order] if show_labels else [""] * len(order))
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlabel("clauses per 100 word tokens (count at the bar)")
    ax.set_xlim(0, max(1.0, float(np.nanmax(rates.to_numpy(float), initial=0)) * 1.25))
    ax.legend(handles=[Patch(facecolor="0.45", edgecolor="0.2", label="passive"),
                       Patch(facecolor=to_rgba("0.45", 0.45), edgecolor="0.2", hatch="///",
                             label="agentless passive")], loc="best")


def _scatter(ax: Axes, frame: pd.DataFrame, x: str, y: str, order: Sequence[str],
             palette: Mapping[str | None, str], names: Mapping[str, str],
             unit: str = "statement") -> None:
    """One dot per ``unit`` (statement or sentence), coloured by speaker; the legend names
    them with their n (of that unit)."""
    if unit == "sentence":
        n = frame.groupby("speaker").size().reindex(order, fill_value=0)
    else:
        n = aggregation.group_sizes(frame, groups=order)["n_statements"]
    who = {s: f"{_label(s, names)} (n={int(n[s])})" for s in order}
    data = frame.assign(_who=frame["speaker"].map(who))
    sns.scatterplot(data=data, x=x, y=y, hue="_who", hue_order=[who[s] for s in order],
                    palette={who[s]: palette.get(s, UNATTRIBUTED) for s in order}, s=36,
                    edgecolor="white", linewidth=0.5, alpha=0.85, legend=bool(order), ax=ax)
    if order:
        ax.legend(loc="upper left", title=f"speaker ({unit}s)")


# ---------------------------------------------------------------------------- public figures


@_styled
def statement_kinds(statements: pd.DataFrame, *, speakers: Sequence[str] | None = None,
                    palette: Mapping[str | None, str] | None = None) -> Figure:
    """Return a bar chart of statements per speaker, split by kind of statement.

    Direct (in quotation marks), mixed (partly quoted), indirect (reported speech) and
    whole-document statements (speeches, press releases) are stacked per speaker, annotated
    with counts (:func:`analysis.aggregation.kind_counts`). Without ``speakers`` every
    speaker is drawn, most statements first, and statements whose speaker is not in the
    registry as one bar ("other or unknown").

    Example::

        fig = statement_kinds(extract_statements(read_corpus("corpus")))
    """
    palette = palette or _table_palette(statements)
    present = statements["speaker"].dropna().unique()
    n = len(_order(present, speakers)) + 1
    fig, (ax,) = _new(8, 1.2 + 0.45 * n)
    _plot_kinds(ax, statements, speakers, palette)
    ax.set_title("Statements per speaker, by kind of statement")
    return fig


@_styled
def sentiment_by_speaker(scores: pd.DataFrame, aggregates: pd.DataFrame | None = None, *,
                         speakers: Sequence[str] | None = None,
                         measures: Sequence[str] = ("vader_compound", "textblob_polarity"),
                         palette: Mapping[str | None, str] | None = None,
                         unit: str = "statement") -> Figure:
    """Return one panel per sentiment measure: each ``unit`` (statement, or sentence when
    the scores are sentence rows) as a dot, the speaker's mean
    as a diamond with its 95% bootstrap confidence interval, from ``aggregates`` (the tidy
    table of :func:`analysis.aggregation.aggregate`; computed with its default seed when
    not given).

    Example::

        fig = sentiment_by_speaker(result.scores, aggregate(result.scores))
    """
    frame, order = _spoken(scores, speakers)
    palette = palette or _table_palette(scores)
    names = _names(scores)
    if aggregates is None:
        aggregates = aggregation.aggregate(frame, measures=list(measures), unattributed=None)
    fig, axes = _new(4.2 * len(measures) + 1.2, 1.3 + 0.62 * max(len(order), 1),
                     ncols=len(measures))
    for k, (ax, m) in enumerate(zip(axes, measures, strict=True)):
        if not order:
            _empty(ax, "no attributed statements")
            continue
        _plot_points_means(ax, frame, aggregates, m, order, palette, names, show_labels=k == 0)
    fig.suptitle(f"Sentiment per {_unit(unit)} (dots) and speaker mean with 95% bootstrap "
                 "CI (diamonds); n = statements")
    return fig


@_styled
def sentiment_disagreement(scores: pd.DataFrame, *, speakers: Sequence[str] | None = None,
                           n_labels: int = 4,
                           palette: Mapping[str | None, str] | None = None,
                           unit: str = "statement") -> Figure:
    """Return a scatter of VADER compound against TextBlob polarity, one dot per ``unit``
    (statement or sentence).

    Dots off the diagonal are units the two lexicons score differently; the ``n_labels``
    farthest are labelled with their statement number (and sentence, ``#003.2``).

    Example::

        fig = sentiment_disagreement(result.scores)
    """
    frame, order = _spoken(scores, speakers)
    palette = palette or _table_palette(scores)
    names = _names(scores)
    fig, (ax,) = _new(6.4, 5.6)
    ax.plot([-1, 1], [-1, 1], linestyle="--", color="0.6", linewidth=0.9, zorder=0)
    ax.axhline(0, color="0.85", linewidth=0.6, zorder=0)
    ax.axvline(0, color="0.85", linewidth=0.6, zorder=0)
    _scatter(ax, frame, "vader_compound", "textblob_polarity", order, palette, names,
             _unit(unit))
    gap = (frame["vader_compound"] - frame["textblob_polarity"]).abs()
    far = frame.assign(_gap=gap).sort_values(["_gap", "statement_id"], ascending=[False, True])
    for _, r in far.head(n_labels).iterrows():
        label = str(r["statement_id"]).rsplit("#", 1)[-1].join(["#", ""])
        if unit == "sentence" and "sentence_in_statement" in r:
            label += f".{int(r['sentence_in_statement']) + 1}"
        ax.annotate(label,
                    (r["vader_compound"], r["textblob_polarity"]), xytext=(5, 4),
                    textcoords="offset points", fontsize=8, color="0.2")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.set_aspect("equal")
    ax.set_xlabel(SENTIMENT_LABELS["vader_compound"])
    ax.set_ylabel(SENTIMENT_LABELS["textblob_polarity"])
    ax.set_title(f"Where the two sentiment lexicons disagree, per {unit}\n(dashed: "
                 "agreement; labelled: largest gaps)")
    return fig


@_styled
def framing_heatmap(scores: pd.DataFrame, categories: Sequence[str] | None = None, *,
                    speakers: Sequence[str] | None = None,
                    labels: Mapping[str, str] | None = None) -> Figure:
    """Return a speaker x category heatmap of framing: colour and number = codebook hits per
    100 word tokens of all the speaker's statements, pooled
    (:func:`analysis.aggregation.pooled_rates`, the ``mean`` of ``aggregates.csv``), in
    brackets the count of hits; on the right the statements and tokens behind each row.

    ``categories`` defaults to every codebook category in ``scores`` (:func:`categories_of`);
    ``labels`` maps a category id to a display name.

    Example::

        fig = framing_heatmap(result.scores)
    """
    frame, order = _spoken(scores, speakers)
    categories = list(categories) if categories is not None else categories_of(scores)
    names = _names(scores)
    fig, (ax,) = _new(3.0 + 0.9 * max(len(categories), 1), 2.2 + 0.55 * max(len(order), 1))
    if not order or not categories:
        _empty(ax, "no attributed statements or no categories")
    else:
        rates, counts = aggregation.pooled_rates(frame, categories, groups=order)
        _plot_heatmap(ax, rates, counts, names, labels)
        _sizes(ax, aggregation.group_sizes(frame, groups=order), centre=0.5)
    ax.set_title("Rhetorical framing per speaker: codebook hits per 100 word tokens (count)")
    return fig


@_styled
def agency(scores: pd.DataFrame, *, speakers: Sequence[str] | None = None,
           palette: Mapping[str | None, str] | None = None) -> Figure:
    """Return bars of passive and agentless passive clauses per 100 word tokens per speaker
    (pooled over the speaker's statements, :func:`analysis.aggregation.pooled_rates`), each
    bar annotated with the count of clauses, and on the right the statements and tokens
    behind each speaker.

    Agentless passives ("the airstrike was halted") say what happened without saying who
    did it: a mark of hedged, operational language.

    Example::

        fig = agency(result.scores)
    """
    frame, order = _spoken(scores, speakers)
    palette = palette or _table_palette(scores)
    fig, (ax,) = _new(7, 1.4 + 0.6 * max(len(order), 1))
    if order:
        _plot_agency(ax, frame, order, palette, _names(scores))
        _sizes(ax, aggregation.group_sizes(frame, groups=order))
    else:
        _empty(ax, "no attributed statements")
    ax.set_title("Agency: passive and agentless passive clauses per 100 word tokens")
    return fig


@_styled
def target_matrix(targets: pd.DataFrame, *, speakers: Sequence[str] | None = None,
                  registry: object | None = None, min_mentions: int = 1) -> Figure:
    """Return who speaks about whom, and how: a speaker x target matrix whose cells are the
    mean VADER compound of the sentences that mention the target, annotated with the number
    of mentions (:func:`analysis.aggregation.target_sentiment`). Self-references (the
    speaker or the state it speaks for) are outlined.

    Actors are labelled with their names in ``registry`` (else with their ids; speakers with
    the ``speaker_name`` of the table if it has one); targets with fewer than
    ``min_mentions`` mentions in total are left out.

    Example::

        fig = target_matrix(result.targets, registry=registry)
    """
    frame, order = _spoken(targets, speakers)
    names = _names(targets) | _registry_names(registry)
    mean, n, selfref = aggregation.target_sentiment(frame, groups=order,
                                                    min_mentions=min_mentions)
    cols = list(mean.columns)
    fig, (ax,) = _new(2.6 + 0.75 * max(len(cols), 1), 1.9 + 0.55 * max(len(order), 1))
    if not order or not cols:
        _empty(ax, "no targets mentioned")
        ax.set_title("Targets: who speaks about whom")
        return fig
    annot = np.array([[f"{v:+.2f}\nn={k}" if k else "" for v, k in zip(rv, kv, strict=True)]
                      for rv, kv in zip(mean.to_numpy(float), n.to_numpy(int), strict=True)])
    ax.set_facecolor("0.96")
    sns.heatmap(mean, ax=ax, mask=n.to_numpy() == 0, cmap="RdBu", vmin=-1, vmax=1,
                annot=annot, fmt="", annot_kws={"fontsize": 8, "in_layout": False},
                linewidths=0.6, linecolor="white",
                cbar_kws={"label": "mean sentence VADER compound", "shrink": 0.85},
                xticklabels=[names.get(t, t) for t in cols],
                yticklabels=[_label(s, names) for s in order])
    for (i, j), is_self in np.ndenumerate(selfref.to_numpy(bool)):
        if is_self and n.iat[i, j]:
            ax.add_patch(Rectangle((j + 0.04, i + 0.04), 0.92, 0.92, fill=False,
                                   edgecolor="0.1", linewidth=1.8, linestyle="--"))
    _heatmap_ticks(ax)
    ax.set_xlabel("target (actor mentioned); dashed outline = self-reference; "
                  "n = mentions")
    ax.set_ylabel("")
    ax.set_title("Who speaks about whom, and how:\nmean sentiment of sentences mentioning "
                 "the target")
    return fig


#: The caption under the who-criticises-whom figure: what a cell means and where it stops.
CRITICISM_CAPTION = (
    "Cell: n = sentences of the row's speaker that negatively evaluate the column's state "
    "(direct, indirect, challenge or correction), in brackets their share of all the row's "
    "sentences. Hatched: the speaker's own state (never a target). Rules-based stance "
    "measure, per sentence: it reads cue words, not intentions.")


def _criticism_targets(table: pd.DataFrame, registry: object | None) -> list[str]:
    """The criticised targets of ``table``, in registry order (a state by its place in the
    registry, other ids after it in table order), :data:`aggregation.NO_TARGET` last."""
    criticised = set(table.loc[table["n_negative"] > 0, "target"])
    found = [t for t in dict.fromkeys(table["target"]) if t in criticised]
    place: dict[str, int] = {}
    if registry is not None:
        ids = {actor: k for k, actor in enumerate(registry.ids)}  # type: ignore[attr-defined]
        for t in found:
            actor = registry.state_of(t) or t  # type: ignore[attr-defined]
            if actor in ids:
                place[t] = ids[actor]
    first = {t: k for k, t in enumerate(found)}
    return sorted(found, key=lambda t: (t == aggregation.NO_TARGET, t not in place,
                                        place.get(t, 0), first[t]))


def _most_criticised(table: pd.DataFrame, targets: list[str], most: int,
                     keep: Iterable[str] = ()) -> list[str]:
    """``targets`` (in their order) cut to the ``most`` with the most negative sentences in
    ``table`` (ties: the earlier in ``targets``), those in ``keep`` (the compared sources'
    own states, so that the compared states face each other, and the criticism of no one
    named) always kept."""
    if len(targets) <= most:
        return targets
    totals = table.groupby("target")["n_negative"].sum()
    kept = [t for t in targets if t in set(keep)]
    ranked = sorted((t for t in targets if t not in kept),
                    key=lambda t: (-int(totals.get(t, 0)), targets.index(t)))
    chosen = set(kept) | set(ranked[:max(0, most - len(kept))])
    return [t for t in targets if t in chosen]


@_styled
def criticism(table: pd.DataFrame, *, sources: Sequence[str] | None = None,
              registry: object | None = None, max_targets: int = 14) -> Figure:
    """Return who criticises whom: a source x target heatmap of the tidy table of
    :func:`analysis.aggregation.criticism` (or :func:`analysis.report.criticism_table`).
    Each cell is "n (share %)": the source's sentences that negatively evaluate the target
    state, and their share of all its sentences (the colour); the row labels say how many
    sentences each source has; cells of the source's own state (``source_country``, when
    the table has it) are hatched. Rows are ``sources`` (default every source of the table,
    in its order), columns every target one of them criticises, in registry order, named
    as the registry names them (else ``target_name``, else the id); with more than
    ``max_targets`` targets, the ``max_targets`` most criticised, the sources' own states
    and :data:`analysis.aggregation.NO_TARGET` always among them (the caption says how many
    are left out). Without any negative evaluation the figure says so.

    Example::

        fig = criticism(aggregation.criticism(sentence_scores), registry=registry)
    """
    present = list(dict.fromkeys(table["source"]))
    order = [s for s in (present if sources is None else sources) if s in present]
    shown = table[table["source"].isin(order)]
    every = _criticism_targets(shown, registry)
    own_states = (shown["source_country"].dropna().astype(str)
                  if "source_country" in shown.columns else [])
    targets = _most_criticised(shown, every, max_targets,
                               [*own_states, aggregation.NO_TARGET])
    names = _registry_names(registry)
    if "target_name" in shown.columns:
        names = dict(zip(shown["target"], shown["target_name"].astype(str), strict=False)) | names
    state_names = {t: names.get(registry.state_of(t) or t, names.get(t, t))  # type: ignore[attr-defined]
                   for t in targets} if registry is not None else {t: names.get(t, t)
                                                                   for t in targets}
    width = max(7.5, 3.4 + 0.95 * max(len(targets), 1))
    fig, (ax,) = _new(width, 2.6 + 0.55 * max(len(order), 1))
    title = "Who criticises whom: sentences that negatively evaluate another state"
    if not order or not targets:
        _empty(ax, "no sentence negatively evaluates anyone" if order
               else "no sentences of the compared speakers")
        ax.set_title(title)
        return fig
    grid = shown.set_index(["source", "target"])
    n = pd.DataFrame([[int(grid.at[(s, t), "n_negative"]) for t in targets] for s in order],
                     index=order, columns=targets)
    share = pd.DataFrame([[float(grid.at[(s, t), "share"]) for t in targets] for s in order],
                         index=order, columns=targets).fillna(0.0) * 100.0
    first = shown.drop_duplicates("source").set_index("source")
    own = (first["source_country"].reindex(order) if "source_country" in first.columns
           else pd.Series(None, index=order, dtype=object))
    annot = np.array([["–" if own[s] == t else
                       ("0" if n.at[s, t] == 0 else f"{n.at[s, t]} ({share.at[s, t]:.1f}%)")
                       for t in targets] for s in order])
    vmax = max(float(share.to_numpy().max()), 1.0)
    source_names = _source_names(first)
    sns.heatmap(share, ax=ax, cmap="Reds", vmin=0, vmax=vmax, annot=annot, fmt="",
                annot_kws={"fontsize": 8, "in_layout": False}, linewidths=0.6,
                linecolor="white",
                cbar_kws={"label": "share of sentences (%)", "shrink": 0.85},
                xticklabels=[state_names[t] for t in targets],
                yticklabels=[f"{_label(s, source_names)}\n"
                             f"{_count(first.at[s, 'n_sentences_source'], 'sentence')}"
                             for s in order])
    for i, s in enumerate(order):
        for j, t in enumerate(targets):
            if own[s] == t:
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor="0.93", edgecolor="white",
                                       hatch="///", linewidth=0.6, zorder=2))
    _heatmap_ticks(ax)
    ax.set_xlabel("criticised state (target: named, by demonym or capital, its people, or "
                  "a proxy)")
    ax.set_ylabel("")
    ax.set_title(title)
    caption = CRITICISM_CAPTION
    if len(targets) < len(every):
        caption += (f" Shown: the {len(targets)} most criticised of {len(every)} targets "
                    "(every one is in the table).")
    fig.supxlabel(textwrap.fill(caption, int(width * 14)), fontsize=8, color="0.3")
    return fig


def _source_names(first: pd.DataFrame) -> dict[str, str]:
    if "source_name" not in first.columns:
        return {}
    return {str(k): str(v) for k, v in first["source_name"].items()}


@_styled
def polarity_subjectivity(scores: pd.DataFrame, *, speakers: Sequence[str] | None = None,
                          palette: Mapping[str | None, str] | None = None,
                          unit: str = "statement") -> Figure:
    """Return a scatter of TextBlob polarity against subjectivity, one dot per ``unit``
    (statement or sentence), coloured by speaker: opinionated ones sit high, factual ones
    low.

    Example::

        fig = polarity_subjectivity(result.scores)
    """
    frame, order = _spoken(scores, speakers)
    palette = palette or _table_palette(scores)
    names = _names(scores)
    fig, (ax,) = _new(6.4, 4.6)
    ax.axvline(0, color="0.85", linewidth=0.6, zorder=0)
    _scatter(ax, frame, "textblob_polarity", "textblob_subjectivity", order, palette, names,
             _unit(unit))
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel(SENTIMENT_LABELS["textblob_polarity"])
    ax.set_ylabel(SENTIMENT_LABELS["textblob_subjectivity"])
    ax.set_title(f"Polarity against subjectivity per {unit} (TextBlob)")
    return fig


#: The measures of a validation table (:func:`analysis.validation.metrics`), as drawn.
VALIDATION_MEASURES = ("precision", "recall", "f1")


@_styled
def validation_scores(metrics: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Return the stance measure against human coding: precision, recall and F1 per type
    (``any`` negative evaluation first), grouped bars from a table of
    :func:`analysis.validation.metrics` (columns ``type, precision, recall, f1, gold,
    tool``), each group labelled with its gold and tool sentence counts.

    Example::

        fig = validation_scores(validation.metrics(v.scored))
    """
    fig, (ax,) = _new(7.2, 3.9)
    if metrics is None or not len(metrics):
        _empty(ax, "no validation figures")
        return fig
    types = [str(t) for t in metrics["type"]]
    x = np.arange(len(types))
    width = 0.26
    shades = {"precision": "#0072B2", "recall": "#E69F00", "f1": "#009E73"}
    for k, m in enumerate(VALIDATION_MEASURES):
        values = metrics[m].astype(float).to_numpy()
        bars = ax.bar(x + (k - 1) * width, values, width, color=shades[m], label=m.upper()
                      if m == "f1" else m)
        for b, v in zip(bars, values, strict=True):
            ax.text(b.get_x() + b.get_width() / 2, v + 0.015, f"{v:.2f}", ha="center",
                    va="bottom", fontsize=7, in_layout=False)
    ax.set_xticks(x, [f"{t}\ngold {int(g)}, tool {int(n)}" for t, g, n in
                      zip(types, metrics["gold"], metrics["tool"], strict=True)])
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("score (0 to 1)")
    ax.set_xlabel("stance type (gold = human-coded sentences, tool = sentences the tool flags)")
    ax.legend(loc="upper right", ncols=3)
    ax.set_title(title or "Stance against human coding: precision, recall, F1 per type")
    return fig


@_styled
def validation_confusion(confusion: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Return the confusion table of the stance measure (:func:`analysis.validation.confusion`:
    rows the human coding, columns the tool, ``none`` for no stance) as a heatmap: each cell
    annotated with its count, shaded by its share of the row (what became of the gold
    sentences of that type).

    Example::

        fig = validation_confusion(validation.confusion(v.scored))
    """
    fig, (ax,) = _new(5.8, 4.4)
    if confusion is None or not confusion.size:
        _empty(ax, "no validation figures")
        return fig
    counts = confusion.astype("int64")
    totals = counts.sum(axis=1).replace(0, 1)
    shares = counts.div(totals, axis=0)
    annot = np.array([[str(v) for v in row] for row in counts.to_numpy()])
    sns.heatmap(shares, ax=ax, cmap="Blues", vmin=0, vmax=1, annot=annot, fmt="",
                annot_kws={"fontsize": 9, "in_layout": False}, linewidths=0.6,
                linecolor="white", cbar_kws={"label": "share of the gold row", "shrink": 0.85},
                xticklabels=list(counts.columns), yticklabels=list(counts.index))
    for t in ax.get_yticklabels():
        t.set(rotation=0)
    ax.tick_params(length=0)
    ax.set_xlabel("tool")
    ax.set_ylabel("human coding (gold)")
    ax.set_title(title or "Confusion: gold type against the tool's (sentences)")
    return fig


@_styled
def stance_over_time(table: pd.DataFrame, *, countries: Sequence[str] | None = None,
                     names: Mapping[str, str] | None = None, period: str = "decade") -> Figure:
    """Return negative evaluation over time: per country, the share of its sentences that
    negatively evaluate another party, per period, with the 95% bootstrap interval as a band
    (above; none where a point rests on one statement, ``n_statements``), and the number of
    sentences each point rests on (below), from
    :func:`analysis.aggregation.negative_evaluation_over_time` (columns ``country, period,
    n_statements, n_sentences, share, ci_low, ci_high``). ``countries``: which, in display
    order (default every country of the table); ``names``: display names by code.

    Example::

        table = aggregation.negative_evaluation_over_time(scores, countries=P5)
        fig = stance_over_time(table, countries=P5)
    """
    names = names or {}
    present = list(dict.fromkeys(table["country"])) if len(table) else []
    order = [c for c in (countries or present) if c in present]
    palette = {c: SPEAKER_COLOURS[k % len(SPEAKER_COLOURS)] for k, c in enumerate(order)}
    fig = Figure(figsize=(8.6, 6.0), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1.3])
    if not order:
        _empty(top, "no sentences of these countries")
        top.set_title("Negative evaluation of other parties over time")
        return fig
    for c in order:
        sub = table[table["country"] == c].sort_values("period")
        x = sub["period"].to_numpy(float)
        colour = palette[c]
        # no band for a point resting on one statement (its resamples are all that one)
        several = (sub["n_statements"].to_numpy() > 1 if "n_statements" in sub
                   else np.ones(len(sub), bool))
        top.fill_between(x, sub["ci_low"].to_numpy(float), sub["ci_high"].to_numpy(float),
                         where=several, interpolate=False, color=colour, alpha=0.15,
                         linewidth=0)
        top.plot(x, sub["share"].to_numpy(float), marker="o", markersize=3.5, color=colour,
                 linewidth=1.4, label=_label(c, names))
        bottom.plot(x, sub["n_sentences"].to_numpy(float), marker="o", markersize=3,
                    color=colour, linewidth=1.0)
    top.set_ylim(bottom=0)
    top.set_ylabel("% of sentences")
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    what = "decade (by its first year)" if period == "decade" else "year"
    top.set_title("Negative evaluation of other parties over time: share of sentences,\n"
                  "95% CI (statements resampled; none where a point rests on one)")
    bottom.set_ylim(bottom=0)
    bottom.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    bottom.set_ylabel("sentences (n)")
    bottom.set_xlabel(what)
    return fig


@_styled
def comparison(scores: pd.DataFrame, aggregates: pd.DataFrame | None = None, *,
               speakers: Sequence[str] | None = None,
               categories: Sequence[str] | None = None,
               labels: Mapping[str, str] | None = None,
               palette: Mapping[str | None, str] | None = None,
               unit: str = "statement") -> Figure:
    """Return the headline figure: the speakers side by side (``speakers``, default every
    attributed speaker) in three panels, framing profile (heatmap, pooled hits per 100
    tokens, with the statements and tokens behind each row) above, agency (passive clauses
    per 100 tokens) and sentiment (VADER compound per ``unit``, statement or sentence, with
    the mean and its
    bootstrap CI from ``aggregates``, computed with the default seed when not given) below.

    Example::

        fig = comparison(result.scores, aggregate(result.scores))
    """
    frame, order = _spoken(scores, speakers)
    categories = list(categories) if categories is not None else categories_of(scores)
    palette = palette or _table_palette(scores)
    names = _names(scores)
    if aggregates is None:
        aggregates = aggregation.aggregate(frame, measures=["vader_compound"], unattributed=None)
    row = 0.55 * max(len(order), 1)
    fig = Figure(figsize=(max(11.0, 4.4 + 0.62 * len(categories)), 3.6 + 2 * row),
                 layout="constrained")
    axes = fig.subplot_mosaic([["framing", "framing"], ["agency", "sentiment"]],
                              height_ratios=[row + 1.6, row + 0.9])
    if not order:
        for ax in axes.values():
            _empty(ax, "no attributed statements")
        return fig
    rates, counts = aggregation.pooled_rates(frame, categories, groups=order)
    _plot_heatmap(axes["framing"], rates, counts, names, labels)
    _sizes(axes["framing"], aggregation.group_sizes(frame, groups=order), centre=0.5)
    axes["framing"].set_title("Framing profile: codebook hits per 100 word tokens (count)")
    _plot_agency(axes["agency"], frame, order, palette, names)
    axes["agency"].set_title("Agency: passive clauses per 100 word tokens")
    _plot_points_means(axes["sentiment"], frame, aggregates, "vader_compound", order, palette,
                       names, show_labels=False)
    axes["sentiment"].set_title(f"Sentiment: VADER per {_unit(unit)}, mean and 95% CI")
    fig.suptitle("How they spoke: " + ", ".join(_label(s, names) for s in order))
    return fig


# ------------------------------------------------------------------------------------ saving


def save_figure(fig: Figure, path_stem: str | Path, *, formats: Iterable[str] = ("png", "svg"),
                dpi: int = DPI) -> list[Path]:
    """Write ``fig`` to ``<path_stem>.<format>`` for each format, atomically, and return the
    paths. The same figure gives byte-identical files (no dates, software versions or random
    ids in them; the project style pins the font and the SVG id salt).

    Example::

        save_figure(fig, "figures/comparison", formats=("png", "svg"))
    """
    formats = check_formats(formats)
    stem = Path(path_stem)
    out = []
    with figure_style(), _layout_fixed(fig, dpi) as fix_layout:
        for fmt in formats:
            path = stem.with_name(f"{stem.name}.{fmt}")
            with atomic_write(path, "wb") as fh:
                fig.savefig(fh, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
            out.append(path)
            fix_layout()
    return out


@contextlib.contextmanager
def _layout_fixed(fig: Figure, dpi: float) -> Iterator[Callable[[], None]]:
    """Yield ``fix()``: called after saving the first format, it keeps the layout the
    figure's layout engine computed for that save and removes the engine until the block
    ends (the engine is put back afterwards).

    matplotlib draws a figure that has a layout engine twice per ``savefig`` (once to place
    the axes, once to render); the first save does both (on one renderer, which caches text
    metrics between the two), every later format then draws once, in the same layout. The
    files stay deterministic (the same inputs give the same layout, hence the same bytes).
    """
    engine = fig.get_layout_engine()

    def fix() -> None:
        if fig.get_layout_engine() is not None:
            fig.set_layout_engine(None)  # None, not "none": "none" keeps a placeholder

    try:
        yield fix
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
