"""The notebooks' shared steps: parameters, the analysis, the tables and figures they show.

Inside a notebook (``notebooks/*.ipynb``), right after the cell tagged ``parameters``::

    from analysis import report
    report.prepare_kernel()                       # quiet warnings, no progress bars, inline figures
    p = report.check_parameters(corpus_paths=corpus_paths, ...)   # fails early, names the parameter
    a = report.load_analysis(p)                   # documents, statements, scores, aggregates
    report.figure(a, "sentiment_by_speaker")      # draw, save to p.figure_dir, display

The runner that executes every notebook (``make report``) is :mod:`analysis.runner`.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .errors import AnalysisError, Problem, fail
from .formats import check_formats
from .io import atomic_write, display_path, write_table
from .io import resolve_path as _resolve
from .runner import SHARED_ANALYSIS_ENV as SHARED_ANALYSIS_ENV  # the runner's offer

#: The parameters every notebook takes (the cell tagged ``parameters``), in order.
PARAMETERS: tuple[str, ...] = (
    "corpus_paths", "speakers_file", "codebook_file", "speakers_to_compare", "output_dir",
    "figure_dir", "figure_formats", "bootstrap_seed", "n_boot",
)
#: The defaults, as in the notebooks' parameters cells. ``params/default.yml`` differs in
#: ``figure_dir`` only: ``make report`` writes the committed ``figures/``, while a notebook run
#: on its own (papermill, JupyterLab, nbval) writes to the git-ignored ``reports/figures``.
DEFAULTS: dict[str, Any] = {
    "corpus_paths": ["corpus"], "speakers_file": "corpus/speakers.yml", "codebook_file": None,
    "speakers_to_compare": ["power", "churkin", "centcom"], "output_dir": "reports",
    "figure_dir": "reports/figures", "figure_formats": ["png", "svg"],
    "bootstrap_seed": 20160917,
    "n_boot": 2000,
}


# ------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Params:
    """Validated notebook parameters, paths resolved from the project root."""

    corpus_paths: tuple[Path, ...]
    speakers_file: Path
    codebook_file: Path | None
    speakers_to_compare: tuple[str, ...]
    output_dir: Path
    figure_dir: Path
    figure_formats: tuple[str, ...]
    bootstrap_seed: int
    n_boot: int


def _as_list(value: object) -> list:
    """A list parameter may arrive as a list or, from ``papermill -p``, as a string:
    ``'["power", "churkin"]'`` (YAML/JSON) or ``power,churkin``."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            loaded = yaml.safe_load(text)
            return list(loaded) if isinstance(loaded, list) else [loaded]
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def check_parameters(**params: Any) -> Params:
    """Validate the notebook parameters and return them as :class:`Params`.

    Raises one :class:`AnalysisError` listing every problem, each naming the parameter and
    the valid choices: an unknown parameter name, a missing corpus path or registry, an id in
    ``speakers_to_compare`` that the registry does not know, an unknown figure format, a
    bootstrap seed or ``n_boot`` that is not a non-negative integer.

    >>> check_parameters(figure_formats=["gif"])
    Traceback (most recent call last):
    ...
    analysis.errors.AnalysisError: 1 problem:
      figure_formats: unknown figure format 'gif'; valid choices: ['png', 'svg', 'pdf']
    """
    problems: list[Problem] = []
    for key in params:
        if key not in PARAMETERS:
            problems.append(Problem(key, "unknown parameter; valid parameters: "
                                    f"{list(PARAMETERS)}"))
    v = DEFAULTS | params

    corpus = [_resolve(p) for p in _as_list(v["corpus_paths"])]
    if not corpus:
        problems.append(Problem("corpus_paths", "no corpus path given"))
    for raw, p in zip(_as_list(v["corpus_paths"]), corpus, strict=True):
        if not p.exists():
            problems.append(Problem("corpus_paths", f"no such file or folder: {p}", str(raw)))

    speakers_file = _resolve(v["speakers_file"])
    speakers = [str(s) for s in _as_list(v["speakers_to_compare"])]
    if not speakers_file.is_file():
        problems.append(Problem("speakers_file", f"no such file: {speakers_file}"))
    else:
        from .speakers import load_registry

        ids = load_registry(speakers_file).ids
        for s in speakers:
            if s not in ids:
                problems.append(Problem("speakers_to_compare", f"unknown speaker id {s!r}; valid "
                                        f"choices (from {display_path(speakers_file)}): {ids}"))
    if not speakers:
        problems.append(Problem("speakers_to_compare", "no speaker to compare"))

    codebook = None if v["codebook_file"] in (None, "") else _resolve(v["codebook_file"])
    if codebook is not None and not codebook.is_file():
        problems.append(Problem("codebook_file", f"no such file: {codebook} (None = the default "
                                "codebook)"))

    try:
        formats = check_formats([str(f) for f in _as_list(v["figure_formats"])],
                                   parameter="figure_formats")
    except AnalysisError as e:
        problems.extend(e.problems)
        formats = ()

    ints = {}
    for key in ("bootstrap_seed", "n_boot"):
        value = v[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(Problem(key, f"must be a non-negative integer, not {value!r}"))
        ints[key] = value
    if problems:
        raise AnalysisError(problems)
    return Params(
        corpus_paths=tuple(corpus), speakers_file=speakers_file, codebook_file=codebook,
        speakers_to_compare=tuple(speakers), output_dir=_resolve(v["output_dir"]),
        figure_dir=_resolve(v["figure_dir"]), figure_formats=formats,
        bootstrap_seed=int(ints["bootstrap_seed"]), n_boot=int(ints["n_boot"]),
    )


def prepare_kernel() -> None:
    """Make a notebook's outputs reproducible: warnings off, progress bars off, inline
    figures, a fixed pandas display. Call it in the cell after the parameters."""
    warnings.filterwarnings("ignore")
    os.environ["TQDM_DISABLE"] = "1"
    pd.set_option("display.max_colwidth", 90)
    pd.set_option("display.width", 120)
    pd.set_option("display.max_rows", 80)
    pd.set_option("display.precision", 3)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipykernel is a dependency
        return
    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")
        show_saved_png(shell.display_formatter)


_SAVED_PNG = "_analysis_saved_png"


def show_saved_png(display_formatter: Any) -> None:
    """Make IPython's ``display_formatter`` show a figure that :func:`figure` has just saved
    as PNG from the saved file's bytes, at the figure's size on screen, instead of rendering
    it once more (the inline backend's rendering costs about a third of a figure's time).
    A figure changed after saving (``fig.stale``), or not saved as PNG, is rendered by the
    formatter that was there before (the inline backend's), if any.
    :func:`prepare_kernel` calls it with the kernel's ``shell.display_formatter``.
    """
    import base64

    from matplotlib.figure import Figure

    png = display_formatter.formatters["image/png"]
    try:
        before = png.lookup_by_type(Figure)
    except KeyError:
        before = None
    # called again in the same kernel (a kernel reused for the next notebook): replace our
    # formatter rather than wrapping it
    before = getattr(before, "_shows_saved_png_before", before)

    def formatter(fig: Figure) -> Any:
        saved = getattr(fig, _SAVED_PNG, None)
        if saved is None or fig.stale:
            return None if before is None else before(fig)
        data, width, height = saved
        return base64.b64encode(data).decode("ascii"), {"width": width, "height": height}

    formatter._shows_saved_png_before = before  # type: ignore[attr-defined]
    png.for_type(Figure, formatter)


# ------------------------------------------------------------------------------ the analysis


@dataclass(frozen=True)
class Analysis:
    """Everything the notebooks show, computed once from :class:`Params`.

    ``statements`` is the statements table, ``scores``/``evidence``/``targets`` the frames of
    :func:`analysis.scoring.score_statements` (statement level), ``aggregates`` the tidy
    per-speaker means with bootstrap intervals of :func:`analysis.aggregation.aggregate`.
    """

    params: Params
    registry: Any
    codebook: Any
    docs: list
    statements: pd.DataFrame
    scores: pd.DataFrame
    evidence: pd.DataFrame
    targets: pd.DataFrame
    aggregates: pd.DataFrame = field(repr=False)

    @property
    def compared(self) -> list[str]:
        """The ``speakers_to_compare`` that have at least one statement."""
        present = set(self.scores["speaker"].dropna())
        return [s for s in self.params.speakers_to_compare if s in present]




def load_analysis(params: Params) -> Analysis:
    """Read the corpus, extract the statements, score them and aggregate per speaker.

    The one shared first step of every notebook (and of :func:`build_figures`). In a kernel
    started by :func:`run_report`, the analysis the runner computes once for the run, while
    the kernels start, is used instead (waiting for it if need be) when it was computed from
    equal parameters: the same result (same code, same inputs, same run). Otherwise, or if
    the runner could not compute it, it is computed here.
    """
    shared = _shared_analysis(params)
    if shared is not None:
        return shared
    from .aggregation import aggregate
    from .documents import read_corpus
    from .framing import as_codebook
    from .quotes import extract_statements
    from .resources import ensure_nltk_data
    from .scoring import score_statements
    from .speakers import load_registry

    ensure_nltk_data()
    registry = load_registry(params.speakers_file)
    codebook = as_codebook(params.codebook_file)
    docs = read_corpus(list(params.corpus_paths), registry=registry)
    registry = registry.with_speakers(docs)  # the UN records' speakers the file lacks
    statements = extract_statements(docs, registry=registry)
    result = score_statements(statements, codebook=codebook, registry=registry)
    aggregates = aggregate(result.scores, by="speaker", n_boot=params.n_boot,
                           seed=params.bootstrap_seed)
    return Analysis(params=params, registry=registry, codebook=codebook, docs=docs,
                    statements=statements, scores=result.scores, evidence=result.evidence,
                    targets=result.targets, aggregates=aggregates)


def _shared_analysis(params: Params) -> Analysis | None:
    """The run's shared analysis (see :data:`SHARED_ANALYSIS_ENV`) if it was computed from
    ``params``; else None. While the runner is still computing it, wait for it (computing it
    here too would only slow both down); stop waiting when the runner says it failed or its
    folder is gone (the run ended)."""
    name = os.environ.get(SHARED_ANALYSIS_ENV)
    if not name:
        return None
    path = Path(name)
    failed = path.with_name(path.name + ".failed")
    while not path.is_file():
        if failed.exists() or not path.parent.is_dir():
            return None
        time.sleep(0.02)
    import pickle

    with path.open("rb") as fh:  # written whole (atomic_write) by this run's runner
        a = pickle.load(fh)  # noqa: S301 - our own file, in a folder only we can read
    return a if isinstance(a, Analysis) and a.params == params else None


def _share_analysis(params: Params, path: Path) -> None:
    """Compute the analysis of ``params`` and pickle it to ``path`` (whole or not at all);
    on any error write ``<path>.failed`` instead: the notebooks then compute it themselves
    and fail in their own cell, naming the problem."""
    import pickle

    try:
        a = load_analysis(params)
        with atomic_write(path, "wb") as fh:
            pickle.dump(a, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - each notebook reports it in its own cell
        path.with_name(path.name + ".failed").touch()


def write_tables(a: Analysis) -> pd.DataFrame:
    """Write statements, scores, evidence, targets and aggregates as CSV to ``output_dir``
    (each file whole) and return a table of what was written (paths from the project root).
    """
    rows = []
    for name, frame in (("statements", a.statements), ("scores", a.scores),
                        ("evidence", a.evidence), ("targets", a.targets),
                        ("aggregates", a.aggregates)):
        path = a.params.output_dir / f"{name}.csv"
        write_table(frame, path, fmt="csv")
        rows.append({"table": name, "file": display_path(path), "rows": len(frame),
                     "columns": frame.shape[1]})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------- tables shown in notebooks


def documents_table(a: Analysis) -> pd.DataFrame:
    """Return one row per document: id, kind, date, outlet or speaker, words, statements."""
    from .documents import documents_frame

    docs = documents_frame(a.docs)
    counts = a.statements.groupby("doc_id").size()
    cols = [c for c in ("id", "kind", "date", "outlet", "speaker", "words") if c in docs.columns]
    out = docs[cols].copy()
    out["statements"] = out["id"].map(counts).fillna(0).astype(int)
    return out


def statements_table(a: Analysis, *, width: int = 90) -> pd.DataFrame:
    """Return the statements, shortened for reading: who, how (kind, cue), what."""
    cols = ["statement_id", "speaker", "speaker_text", "kind", "cue", "text"]
    out = a.statements[cols].copy()
    out["text"] = out["text"].map(lambda t: t if len(t) <= width else t[: width - 1] + "…")
    return out


def sentiment_table(a: Analysis) -> pd.DataFrame:
    """Return the compared speakers' mean VADER compound and TextBlob polarity with their
    bootstrap intervals (wide: one row per speaker and measure)."""
    agg = a.aggregates
    keep = agg["group"].isin(a.compared) & agg["measure"].isin(
        ["vader_compound", "textblob_polarity", "textblob_subjectivity"])
    cols = ["group", "measure", "mean", "ci_low", "ci_high", "n_statements", "small"]
    rank = {s: k for k, s in enumerate(a.compared)}
    out = agg.loc[keep, cols].sort_values("group", key=lambda g: g.map(rank), kind="stable")
    return out.reset_index(drop=True)


def sentiment_gaps(a: Analysis, *, n: int = 5, width: int = 90) -> pd.DataFrame:
    """Return the ``n`` statements where VADER and TextBlob disagree most."""
    s = a.scores[a.scores["speaker"].isin(a.compared)]
    out = s.assign(gap=(s["vader_compound"] - s["textblob_polarity"]).abs())
    out = out.sort_values(["gap", "statement_id"], ascending=[False, True]).head(n)
    out = out[["statement_id", "speaker", "vader_compound", "textblob_polarity", "gap", "text"]]
    out["text"] = out["text"].map(lambda t: t if len(t) <= width else t[: width - 1] + "…")
    return out.reset_index(drop=True)


def strongest_evidence(a: Analysis, *, per_speaker: int = 2, width: int = 35) -> pd.DataFrame:
    """Return keyword-in-context lines for each compared speaker's ``per_speaker`` strongest
    framing categories (highest hits per 100 tokens): the cue as matched with ``width``
    characters of context either side, from the document body."""
    cats = _figures().categories_of(a.scores)
    s = a.scores[a.scores["speaker"].isin(a.compared)]
    from .aggregation import pooled_rates

    rates, _ = pooled_rates(s, cats, groups=a.compared)
    bodies = {d.id: d.body for d in a.docs}
    speaker_of = dict(zip(a.scores["statement_id"], a.scores["speaker"], strict=False))
    ev = a.evidence[~a.evidence["negated"].astype(bool)]
    rows = []
    for speaker in a.compared:
        top = rates.loc[speaker].dropna().sort_values(ascending=False, kind="stable")
        for cat in [c for c, r in top.items() if r > 0][:per_speaker]:
            hits = ev[(ev["category"] == cat) & (ev["statement_id"].map(speaker_of) == speaker)]
            for _, h in hits.sort_values(["doc_id", "start"]).iterrows():
                body = bodies.get(h["doc_id"], "")
                left = body[max(0, h["start"] - width): h["start"]].replace("\n", " ")
                right = body[h["end"]: h["end"] + width].replace("\n", " ")
                rows.append({"speaker": speaker, "category": cat,
                             "per100": round(float(top[cat]), 2),
                             "statement_id": h["statement_id"], "left": left,
                             "match": h["match"], "right": right})
    cols = ["speaker", "category", "per100", "statement_id", "left", "match", "right"]
    return pd.DataFrame(rows, columns=cols)


def target_table(a: Analysis) -> pd.DataFrame:
    """Return mentions per compared speaker and target with the mean sentence sentiment."""
    t = a.targets[a.targets["speaker"].isin(a.compared)]
    g = t.groupby(["speaker", "target"], sort=True)
    out = g.agg(mentions=("mention", "size"),
                self_reference=("self_reference", "any"),
                mean_vader=("sentence_vader_compound", "mean"),
                mean_textblob=("sentence_textblob_polarity", "mean")).reset_index()
    return out


# ---------------------------------------------------------------------------------- figures


def _figures() -> Any:
    """:mod:`analysis.figures`, imported on first use: the runner itself draws nothing, so
    it starts the kernels without loading matplotlib first."""
    from . import figures

    return figures


def _compared(a: Analysis) -> list[str]:
    return list(a.params.speakers_to_compare)


def _labels(a: Analysis) -> dict[str, str]:
    return {c.id: c.name for c in a.codebook.categories}


#: Every figure of the report: name -> how to draw it from an :class:`Analysis`.
FIGURES: dict[str, Callable[[Analysis], Any]] = {
    "statement_kinds": lambda a: _figures().statement_kinds(a.statements),
    "sentiment_by_speaker": lambda a: _figures().sentiment_by_speaker(
        a.scores, a.aggregates, speakers=_compared(a)),
    "sentiment_disagreement": lambda a: _figures().sentiment_disagreement(
        a.scores, speakers=_compared(a)),
    "framing_heatmap": lambda a: _figures().framing_heatmap(
        a.scores, speakers=_compared(a), labels=_labels(a)),
    "agency": lambda a: _figures().agency(a.scores, speakers=_compared(a)),
    "target_matrix": lambda a: _figures().target_matrix(
        a.targets, speakers=_compared(a), registry=a.registry),
    "polarity_subjectivity": lambda a: _figures().polarity_subjectivity(
        a.scores, speakers=_compared(a)),
    "comparison": lambda a: _figures().comparison(
        a.scores, a.aggregates, speakers=_compared(a), labels=_labels(a)),
}


def figure(a: Analysis, name: str, *, save: bool = True) -> Any:
    """Draw the report figure ``name`` (see :data:`FIGURES`), save it to ``figure_dir`` in
    ``figure_formats`` (unless ``save`` is False) and return it (a notebook displays it)."""
    if name not in FIGURES:
        raise fail("figure", f"unknown figure {name!r}; valid choices: {list(FIGURES)}")
    fig = FIGURES[name](a)
    if save:
        written = _figures().save_figure(fig, a.params.figure_dir / name,
                                 formats=a.params.figure_formats)
        pngs = [p for p in written if p.suffix == ".png"]
        if pngs:  # shown as saved (see prepare_kernel), at the figure's own size on screen
            data = pngs[0].read_bytes()
            w, h = (round(v * fig.dpi) for v in fig.get_size_inches())
            setattr(fig, _SAVED_PNG, (data, w, h))
            fig.stale = False  # any later change to the figure sets it again
    return fig


def build_figures(a: Analysis, figure_dir: str | Path | None = None) -> list[Path]:
    """Draw and save every report figure (to ``figure_dir``, default the parameters' one);
    return the files written. The figure test compares these with the committed ones."""
    out: list[Path] = []
    folder = a.params.figure_dir if figure_dir is None else Path(figure_dir)
    for name, draw in FIGURES.items():
        out += _figures().save_figure(draw(a), folder / name, formats=a.params.figure_formats)
    return out
