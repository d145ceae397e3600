"""Comparison figures: who said what, how, and in what tone, per speaker.

Every public function takes the project's plain tables (the statements table, the
``ScoreResult`` frames, the tidy aggregates; see the data contracts in the README) and
returns a :class:`matplotlib.figure.Figure`; nothing is shown or written as a side effect.
Each is a thin wrapper over a private plotter that draws on one ``Axes``, so the headline
:func:`comparison` figure reuses the very same drawings.

Conventions, the same in every figure:

* one colour per speaker (:func:`speaker_palette`): Power, Churkin and CENTCOM have fixed
  colours, every other registry actor a colour fixed by its place in the registry;
* individual statements are drawn beside the means (a mean of three statements is shown as
  what it is);
* titles say what is measured, axis labels give the unit;
* :func:`save_figure` writes byte-identical PNG and SVG for the same inputs (no dates or
  random ids in the files, a pinned font, a fixed resolution).

Example::

    from analysis import figures
    fig = figures.sentiment_by_speaker(scores, aggregates)
    figures.save_figure(fig, "figures/sentiment_by_speaker")
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .formats import FIGURE_FORMATS as FIGURE_FORMATS  # re-exported: figures.FIGURE_FORMATS
from .formats import check_formats as check_formats
from .io import atomic_write

#: Resolution of saved raster figures (dots per inch).
DPI = 150
#: Colours fixed for the first case's three speakers (Okabe-Ito, colour-blind safe).
FIXED_COLOURS: dict[str, str] = {"power": "#0072B2", "churkin": "#D55E00", "centcom": "#009E73"}
#: Colours for every other actor, by place in the registry (then by a hash of the id).
OTHER_COLOURS: tuple[str, ...] = (
    "#E69F00", "#CC79A7", "#56B4E9", "#8C564B", "#9467BD", "#BCBD22", "#17BECF", "#7F7F7F",
    "#666699", "#E7298A", "#66A61E", "#A6761D",
)
#: Colour of statements without an attributed speaker.
UNATTRIBUTED = "#999999"
#: Kinds of statement, in display order, with their fill opacity (the hue is the speaker's)
#: and hatching: "statement" is a whole speech or press release, not a quotation.
KINDS: dict[str, float] = {"direct": 1.0, "mixed": 0.6, "indirect": 0.3, "statement": 0.8}
_HATCH: dict[str, str] = {"mixed": "//", "statement": ".."}
SENTIMENT_LABELS: dict[str, str] = {
    "vader_compound": "VADER compound (-1 negative to +1 positive)",
    "textblob_polarity": "TextBlob polarity (-1 negative to +1 positive)",
    "textblob_subjectivity": "TextBlob subjectivity (0 objective to 1 subjective)",
}
_AGENCY = ("passive", "agentless_passive")
_NONE = "(no speaker)"
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
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        with figure_style():
            return func(*args, **kwargs)

    return wrapper


# --------------------------------------------------------------------------- palette, order


def _registry_ids(registry: object | None) -> list[str]:
    if registry is None:
        from .speakers import load_registry

        registry = load_registry()
    return list(registry.ids)  # type: ignore[attr-defined]


def _registry_names(registry: object | None) -> dict[str, str]:
    if registry is None:
        from .speakers import load_registry

        registry = load_registry()
    return {a.id: a.name for a in registry}  # type: ignore[attr-defined]


def speaker_palette(speakers: Iterable[str | None], *, registry: object | None = None
                    ) -> dict[str | None, str]:
    """Return ``{speaker id: hex colour}``, the same colour for a speaker in every figure.

    Power, Churkin and CENTCOM have fixed colours (:data:`FIXED_COLOURS`); any other actor
    gets the colour of its place in the registry (default ``corpus/speakers.yml``), an id
    not in the registry one chosen by a hash of the id; ``None`` (no speaker) is grey.

    >>> speaker_palette(["centcom", "power"])
    {'centcom': '#009E73', 'power': '#0072B2'}
    """
    ids = [i for i in _registry_ids(registry) if i not in FIXED_COLOURS]
    place = {actor: n for n, actor in enumerate(ids)}
    out: dict[str | None, str] = {}
    for s in speakers:
        if s is None or (isinstance(s, float) and np.isnan(s)):
            out[None] = UNATTRIBUTED
        elif s in FIXED_COLOURS:
            out[s] = FIXED_COLOURS[s]
        elif s in place:
            out[s] = OTHER_COLOURS[place[s] % len(OTHER_COLOURS)]
        else:
            out[s] = OTHER_COLOURS[zlib.crc32(str(s).encode()) % len(OTHER_COLOURS)]
    return out


def _order(present: Iterable[str], speakers: Sequence[str] | None) -> list[str]:
    """The speakers to draw: ``speakers`` if given (those present), else fixed ones first."""
    present = [p for p in dict.fromkeys(present) if isinstance(p, str)]
    if speakers is not None:
        return [s for s in speakers if s in present]
    fixed = [s for s in FIXED_COLOURS if s in present]
    return fixed + sorted(s for s in present if s not in FIXED_COLOURS)


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


def _jitter(n: int, width: float = 0.28) -> np.ndarray:
    """Deterministic vertical offsets for ``n`` points (no random numbers)."""
    if n <= 1:
        return np.zeros(n)
    return np.linspace(-width / 2, width / 2, n)


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


def _pooled(frame: pd.DataFrame, order: Sequence[str], columns: Sequence[str]
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per speaker: hits per 100 word tokens of all their statements, and the hit counts."""
    g = frame.groupby("speaker", sort=False)
    counts = g[list(columns)].sum().reindex(order).fillna(0)
    tokens = g["n_tokens"].sum().reindex(order).fillna(0)
    rates = counts.div(tokens.where(tokens > 0), axis=0) * 100
    return rates, counts


# ------------------------------------------------------------------------- private plotters


def _plot_kinds(ax: Axes, statements: pd.DataFrame, speakers: Sequence[str] | None,
                palette: Mapping[str | None, str]) -> None:
    order: list[str | None] = list(_order(statements["speaker"].dropna(), speakers))
    if speakers is None and statements["speaker"].isna().any():
        order.append(None)
    if not order:
        _empty(ax, "no statements")
        return
    key = statements["speaker"].astype(object).fillna(_NONE)
    counts = statements.assign(_k=key).groupby(["_k", "kind"]).size().unstack(fill_value=0)
    names = _names(statements)
    kinds = [k for k in KINDS if k in counts.columns]
    y = np.arange(len(order))
    left = np.zeros(len(order))
    widest = max(1, int(counts.sum(axis=1).max()))
    totals = [int(counts.loc[_NONE if s is None else s].sum()) for s in order]
    for kind in kinds:
        vals = np.array([counts[kind].get(_NONE if s is None else s, 0) for s in order], float)
        colours = [to_rgba(palette.get(s, UNATTRIBUTED), KINDS[kind]) for s in order]
        ax.barh(y, vals, left=left, color=colours, edgecolor="0.2", linewidth=0.6,
                hatch=_HATCH.get(kind), height=0.6)
        for yi, (lo, v) in enumerate(zip(left, vals, strict=True)):
            if 0 < v < totals[yi] and v >= 0.04 * widest:
                ax.text(lo + v / 2, yi, f"{int(v)}", ha="center", va="center", fontsize=9,
                        in_layout=False)
        left += vals
    for yi, total in enumerate(left):
        ax.text(total, yi, f" {int(total)}", ha="left", va="center", fontsize=9,
                fontweight="bold")
    ax.set_xlim(0, widest * 1.08)
    ax.set_yticks(y, ["other or unknown" if s is None else _label(s, names) for s in order])
    ax.invert_yaxis()
    ax.set_xlabel("statements (count)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    handles = [Patch(facecolor=to_rgba("0.45", KINDS[k]), edgecolor="0.2",
                     hatch=_HATCH.get(k), label=k) for k in kinds]
    ax.legend(handles=handles, title="kind of quotation", loc="upper left",
              bbox_to_anchor=(1.01, 1.0))


def _means(aggregates: pd.DataFrame | None, measure: str, speaker: str, values: pd.Series
           ) -> tuple[float, float, float, bool]:
    """(mean, ci_low, ci_high, small) from the aggregates, else the mean without an interval."""
    if aggregates is not None and len(aggregates):
        row = aggregates[(aggregates["group"] == speaker) & (aggregates["measure"] == measure)]
        if len(row):
            r = row.iloc[0]
            return float(r["mean"]), float(r["ci_low"]), float(r["ci_high"]), bool(r["small"])
    m = float(values.mean())
    return m, float("nan"), float("nan"), len(values) < 3


def _plot_points_means(ax: Axes, scores: pd.DataFrame, aggregates: pd.DataFrame | None,
                       measure: str, order: Sequence[str], palette: Mapping[str | None, str],
                       names: Mapping[str, str], *, show_labels: bool = True,
                       lim: tuple[float, float] = (-1.0, 1.0)) -> None:
    ax.axvline(0, color="0.7", linewidth=0.8, zorder=0)
    for yi, s in enumerate(order):
        vals = scores.loc[scores["speaker"] == s, measure].dropna().sort_values()
        colour = palette.get(s, UNATTRIBUTED)
        ax.scatter(vals.to_numpy(), yi + 0.18 + _jitter(len(vals), 0.2), s=22, color=colour,
                   alpha=0.75, edgecolor="white", linewidth=0.5, zorder=2)
        if not len(vals):
            continue
        mean, lo, hi, small = _means(aggregates, measure, s, vals)
        if np.isfinite(lo) and np.isfinite(hi):
            ax.errorbar(mean, yi - 0.15, xerr=[[mean - lo], [hi - mean]], fmt="none",
                        ecolor="0.15", elinewidth=1.4, capsize=3, zorder=3)
        ax.scatter([mean], [yi - 0.15], marker="D", s=40, color=colour, edgecolor="0.1",
                   linewidth=0.8, zorder=4)
        note = f"n={len(vals)}" + (" (small)" if small else "")
        ax.text(1.03, yi, note, ha="left", va="center", fontsize=8, color="0.3",
                transform=ax.get_yaxis_transform())
    ax.set_yticks(range(len(order)), [_label(s, names) for s in order] if show_labels
                  else [""] * len(order))
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(*lim)
    ax.set_xlabel(SENTIMENT_LABELS.get(measure, measure))


def _plot_heatmap(ax: Axes, rates: pd.DataFrame, counts: pd.DataFrame, names: Mapping[str, str],
                  labels: Mapping[str, str] | None, *, cbar: bool = True) -> None:
    data = rates.to_numpy(dtype=float)
    vmax = float(np.nanmax(data)) if np.isfinite(data).any() and np.nanmax(data) > 0 else 1.0
    im = ax.imshow(np.nan_to_num(data), cmap="YlOrRd", vmin=0, vmax=vmax, aspect="auto")
    for (i, j), v in np.ndenumerate(data):
        n = int(counts.iat[i, j])
        txt = "–" if n == 0 else f"{v:.1f}\n({n})"
        # in_layout=False: a label inside its cell never moves the layout, so the layout
        # engine need not measure it (same file, less time)
        ax.text(j, i, txt, ha="center", va="center", fontsize=8, in_layout=False,
                color="white" if np.isfinite(v) and v > 0.6 * vmax else "0.1")
    labels = labels or {}
    ax.set_xticks(range(data.shape[1]), [labels.get(c, c.replace("_", " ")) for c in rates.columns],
                  rotation=35, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(data.shape[0]), [_label(s, names) for s in rates.index])
    ax.spines[:].set_visible(False)
    if cbar:
        ax.figure.colorbar(im, ax=ax, label="hits per 100 word tokens", shrink=0.85)


def _plot_agency(ax: Axes, scores: pd.DataFrame, order: Sequence[str],
                 palette: Mapping[str | None, str], names: Mapping[str, str], *,
                 show_labels: bool = True) -> None:
    rates, counts = _pooled(scores, order, _AGENCY)
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
    ax.set_xlabel("clauses per 100 word tokens")
    ax.set_xlim(0, max(1.0, float(np.nanmax(rates.to_numpy(float), initial=0)) * 1.25))
    ax.legend(handles=[Patch(facecolor="0.45", edgecolor="0.2", label="passive"),
                       Patch(facecolor=to_rgba("0.45", 0.45), edgecolor="0.2", hatch="///",
                             label="agentless passive")], loc="best")


# ---------------------------------------------------------------------------- public figures


@_styled
def statement_kinds(statements: pd.DataFrame, *, speakers: Sequence[str] | None = None,
                    palette: Mapping[str | None, str] | None = None,
                    registry: object | None = None) -> Figure:
    """Return a bar chart of statements per speaker, split by how they were quoted.

    Direct (in quotation marks), mixed (partly quoted), indirect (reported speech) and
    whole-document statements (speeches, press releases) are stacked per speaker, annotated
    with counts. Statements whose speaker is not in the registry are shown as one bar
    ("other or unknown") unless ``speakers`` selects whom to show.

    Example::

        fig = statement_kinds(extract_statements(read_corpus("corpus")))
    """
    present = statements["speaker"].dropna().unique()
    palette = palette or speaker_palette([*present, None], registry=registry)
    n = len(_order(present, speakers)) + 1
    fig, (ax,) = _new(8, 1.2 + 0.45 * n)
    _plot_kinds(ax, statements, speakers, palette)
    ax.set_title("Statements per speaker, by kind of quotation")
    return fig


@_styled
def sentiment_by_speaker(scores: pd.DataFrame, aggregates: pd.DataFrame | None = None, *,
                         speakers: Sequence[str] | None = None,
                         measures: Sequence[str] = ("vader_compound", "textblob_polarity"),
                         palette: Mapping[str | None, str] | None = None) -> Figure:
    """Return one panel per sentiment measure: each statement as a dot, the speaker's mean
    as a diamond with its bootstrap confidence interval (from ``aggregates``, the tidy
    table of :func:`analysis.aggregation.aggregate`; without it, means only).

    Example::

        fig = sentiment_by_speaker(result.scores, aggregate(result.scores))
    """
    frame, order = _spoken(scores, speakers)
    palette = palette or speaker_palette(order)
    names = _names(scores)
    fig, axes = _new(4.2 * len(measures) + 1.2, 1.3 + 0.62 * max(len(order), 1),
                     ncols=len(measures))
    for k, (ax, m) in enumerate(zip(axes, measures, strict=True)):
        if not order:
            _empty(ax, "no attributed statements")
            continue
        _plot_points_means(ax, frame, aggregates, m, order, palette, names, show_labels=k == 0)
    fig.suptitle("Sentiment per statement (dots) and speaker mean with 95% bootstrap CI "
                 "(diamonds)")
    return fig


@_styled
def sentiment_disagreement(scores: pd.DataFrame, *, speakers: Sequence[str] | None = None,
                           n_labels: int = 4,
                           palette: Mapping[str | None, str] | None = None) -> Figure:
    """Return a scatter of VADER compound against TextBlob polarity, one dot per statement.

    Dots off the diagonal are statements the two lexicons score differently; the
    ``n_labels`` farthest are labelled with their statement number.

    Example::

        fig = sentiment_disagreement(result.scores)
    """
    frame, order = _spoken(scores, speakers)
    palette = palette or speaker_palette(order)
    names = _names(scores)
    fig, (ax,) = _new(6.4, 5.6)
    ax.plot([-1, 1], [-1, 1], linestyle="--", color="0.6", linewidth=0.9, zorder=0)
    ax.axhline(0, color="0.85", linewidth=0.6, zorder=0)
    ax.axvline(0, color="0.85", linewidth=0.6, zorder=0)
    for s in order:
        sub = frame[frame["speaker"] == s]
        ax.scatter(sub["vader_compound"], sub["textblob_polarity"], s=34,
                   color=palette.get(s, UNATTRIBUTED), edgecolor="white", linewidth=0.5,
                   label=_label(s, names), alpha=0.85)
    gap = (frame["vader_compound"] - frame["textblob_polarity"]).abs()
    far = frame.assign(_gap=gap).sort_values(["_gap", "statement_id"], ascending=[False, True])
    for _, r in far.head(n_labels).iterrows():
        ax.annotate(str(r["statement_id"]).rsplit("#", 1)[-1].join(["#", ""]),
                    (r["vader_compound"], r["textblob_polarity"]), xytext=(5, 4),
                    textcoords="offset points", fontsize=8, color="0.2")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.set_aspect("equal")
    ax.set_xlabel(SENTIMENT_LABELS["vader_compound"])
    ax.set_ylabel(SENTIMENT_LABELS["textblob_polarity"])
    ax.set_title("Where the two sentiment lexicons disagree\n(dashed: agreement; labelled: "
                 "largest gaps)")
    if order:
        ax.legend(loc="upper left", title="speaker")
    return fig


@_styled
def framing_heatmap(scores: pd.DataFrame, categories: Sequence[str] | None = None, *,
                    speakers: Sequence[str] | None = None,
                    labels: Mapping[str, str] | None = None) -> Figure:
    """Return a speaker x category heatmap of framing: colour and number = codebook hits per
    100 word tokens of all the speaker's statements, in brackets the count of hits.

    ``categories`` defaults to every codebook category in ``scores`` (:func:`categories_of`);
    ``labels`` maps a category id to a display name.

    Example::

        fig = framing_heatmap(result.scores)
    """
    frame, order = _spoken(scores, speakers)
    categories = list(categories) if categories is not None else categories_of(scores)
    names = _names(scores)
    fig, (ax,) = _new(1.8 + 0.9 * max(len(categories), 1), 1.9 + 0.55 * max(len(order), 1))
    if not order or not categories:
        _empty(ax, "no attributed statements or no categories")
    else:
        rates, counts = _pooled(frame, order, categories)
        _plot_heatmap(ax, rates, counts, names, labels)
    ax.set_title("Rhetorical framing per speaker: codebook hits per 100 word tokens (count)")
    return fig


@_styled
def agency(scores: pd.DataFrame, *, speakers: Sequence[str] | None = None,
           palette: Mapping[str | None, str] | None = None) -> Figure:
    """Return bars of passive and agentless passive clauses per 100 word tokens per speaker,
    each bar annotated with the count of clauses.

    Agentless passives ("the airstrike was halted") say what happened without saying who
    did it: a mark of hedged, operational language.

    Example::

        fig = agency(result.scores)
    """
    frame, order = _spoken(scores, speakers)
    palette = palette or speaker_palette(order)
    fig, (ax,) = _new(7, 1.4 + 0.6 * max(len(order), 1))
    if order:
        _plot_agency(ax, frame, order, palette, _names(scores))
    else:
        _empty(ax, "no attributed statements")
    ax.set_title("Agency: passive and agentless passive clauses per 100 word tokens (count)")
    return fig


@_styled
def target_matrix(targets: pd.DataFrame, *, speakers: Sequence[str] | None = None,
                  registry: object | None = None, min_mentions: int = 1) -> Figure:
    """Return who speaks about whom, and how: a speaker x target matrix whose cells are the
    mean VADER compound of the sentences that mention the target, annotated with the number
    of mentions. Self-references (the speaker or the state it speaks for) are outlined.

    Actors are labelled with their names in ``registry`` (default ``corpus/speakers.yml``);
    targets with fewer than ``min_mentions`` mentions in total are left out.

    Example::

        fig = target_matrix(result.targets)
    """
    frame, order = _spoken(targets, speakers)
    names = _registry_names(registry)
    totals = frame.groupby("target").size()
    cols = sorted(totals[totals >= min_mentions].index, key=lambda t: (-totals[t], t))
    fig, (ax,) = _new(2.4 + 0.75 * max(len(cols), 1), 1.9 + 0.55 * max(len(order), 1))
    if not order or not cols:
        _empty(ax, "no targets mentioned")
        ax.set_title("Targets: who speaks about whom")
        return fig
    g = frame.groupby(["speaker", "target"])
    mean = g["sentence_vader_compound"].mean().unstack().reindex(index=order, columns=cols)
    n = g.size().unstack(fill_value=0).reindex(index=order, columns=cols, fill_value=0)
    selfref = g["self_reference"].any().unstack().reindex(index=order, columns=cols)
    data = mean.to_numpy(float)
    im = ax.imshow(np.ma.masked_invalid(data), cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    ax.set_facecolor("0.96")
    for (i, j), v in np.ndenumerate(data):
        if n.iat[i, j] == 0:
            continue
        ax.text(j, i, f"{v:+.2f}\nn={int(n.iat[i, j])}", ha="center", va="center", fontsize=8,
                color="white" if abs(v) > 0.6 else "0.1", in_layout=False)
        if bool(selfref.iat[i, j]):
            ax.add_patch(Rectangle((j - 0.47, i - 0.47), 0.94, 0.94, fill=False,
                                   edgecolor="0.1", linewidth=1.8, linestyle="--"))
    ax.set_xticks(range(len(cols)), [names.get(t, t) for t in cols],
                  rotation=35, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(order)), [_label(s, names) for s in order])
    ax.set_xlabel("target (actor mentioned); dashed outline = self-reference")
    ax.spines[:].set_visible(False)
    fig.colorbar(im, ax=ax, label="mean sentence VADER compound", shrink=0.85)
    ax.set_title("Who speaks about whom, and how:\nmean sentiment of sentences mentioning "
                 "the target")
    return fig


@_styled
def polarity_subjectivity(scores: pd.DataFrame, *, speakers: Sequence[str] | None = None,
                          palette: Mapping[str | None, str] | None = None) -> Figure:
    """Return a scatter of TextBlob polarity against subjectivity, one dot per statement,
    coloured by speaker: opinionated statements sit high, factual ones low.

    Example::

        fig = polarity_subjectivity(result.scores)
    """
    frame, order = _spoken(scores, speakers)
    palette = palette or speaker_palette(order)
    names = _names(scores)
    fig, (ax,) = _new(6.4, 4.6)
    ax.axvline(0, color="0.85", linewidth=0.6, zorder=0)
    for s in order:
        sub = frame[frame["speaker"] == s]
        ax.scatter(sub["textblob_polarity"], sub["textblob_subjectivity"], s=36,
                   color=palette.get(s, UNATTRIBUTED), edgecolor="white", linewidth=0.5,
                   alpha=0.85, label=f"{_label(s, names)} (n={len(sub)})")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel(SENTIMENT_LABELS["textblob_polarity"])
    ax.set_ylabel(SENTIMENT_LABELS["textblob_subjectivity"])
    ax.set_title("Polarity against subjectivity per statement (TextBlob)")
    if order:
        ax.legend(loc="upper left", title="speaker")
    return fig


@_styled
def comparison(scores: pd.DataFrame, aggregates: pd.DataFrame | None = None, *,
               speakers: Sequence[str] | None = ("power", "churkin", "centcom"),
               categories: Sequence[str] | None = None,
               labels: Mapping[str, str] | None = None) -> Figure:
    """Return the headline figure: the speakers side by side in three panels, framing profile
    (heatmap, hits per 100 tokens) above, agency (passive clauses per 100 tokens) and
    sentiment (VADER compound per statement with the mean and its bootstrap CI) below.

    Example::

        fig = comparison(result.scores, aggregate(result.scores))
    """
    frame, order = _spoken(scores, speakers)
    categories = list(categories) if categories is not None else categories_of(scores)
    palette = speaker_palette(order)
    names = _names(scores)
    row = 0.55 * max(len(order), 1)
    fig = Figure(figsize=(max(11.0, 3.2 + 0.62 * len(categories)), 3.6 + 2 * row),
                 layout="constrained")
    axes = fig.subplot_mosaic([["framing", "framing"], ["agency", "sentiment"]],
                              height_ratios=[row + 1.6, row + 0.9])
    if not order:
        for ax in axes.values():
            _empty(ax, "no attributed statements")
        return fig
    rates, counts = _pooled(frame, order, categories)
    _plot_heatmap(axes["framing"], rates, counts, names, labels)
    axes["framing"].set_title("Framing profile: codebook hits per 100 word tokens (count)")
    _plot_agency(axes["agency"], frame, order, palette, names)
    axes["agency"].set_title("Agency: passive clauses per 100 word tokens (count)")
    _plot_points_means(axes["sentiment"], frame, aggregates, "vader_compound", order, palette,
                       names, show_labels=False)
    axes["sentiment"].set_title("Sentiment: VADER per statement, mean and 95% CI")
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
