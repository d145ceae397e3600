"""The notebooks' shared steps and the report runner (``python -m analysis report``).

Inside a notebook (``notebooks/*.ipynb``), right after the cell tagged ``parameters``::

    from analysis import report
    report.prepare_kernel()                       # quiet warnings, no progress bars, inline figures
    p = report.check_parameters(corpus_paths=corpus_paths, ...)   # fails early, names the parameter
    a = report.load_analysis(p)                   # documents, statements, scores, aggregates
    report.figure(a, "sentiment_by_speaker")      # draw, save to p.figure_dir, display

Outside, :func:`run_report` executes every notebook with papermill on the parameters of a
YAML file (default ``params/default.yml``) and writes the executed notebooks, their HTML
renderings and an ``index.html`` to the parameters' ``output_dir``. Source notebooks are never
written, except on purpose by :func:`refresh_notebooks` (``make refresh-notebooks``).
"""

from __future__ import annotations

import ast
import html
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .errors import AnalysisError, Problem, fail
from .formats import check_formats
from .io import atomic_write, read_yaml, write_table

KERNEL_NAME = "discourse-analysis"
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
_VOLATILE_METADATA = ("papermill", "execution")


@cache
def project_root() -> Path:
    """Return the project's root folder (the one holding ``pyproject.toml``).

    Relative paths in parameters resolve from here, whichever folder a kernel starts in.
    """
    here = Path(__file__).resolve().parent.parent
    if (here / "pyproject.toml").is_file():
        return here
    for folder in [Path.cwd(), *Path.cwd().parents]:  # pragma: no cover - installed copy
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
            return folder
    return here  # pragma: no cover


def _resolve(path: str | Path) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else project_root() / p


def display_path(path: str | Path) -> str:
    """Return ``path`` relative to the project root when inside it (for stable outputs).

    >>> display_path(project_root() / "figures" / "comparison.png")
    'figures/comparison.png'
    """
    p = Path(path)
    try:
        return p.resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return str(p)


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

    def formatter(fig: Figure) -> Any:
        saved = getattr(fig, _SAVED_PNG, None)
        if saved is None or fig.stale:
            return None if before is None else before(fig)
        data, width, height = saved
        return base64.b64encode(data).decode("ascii"), {"width": width, "height": height}

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


#: Environment variable through which :func:`run_report` offers its kernels the analysis it
#: computed once for the run (a pickle in a private temporary folder, deleted after the run).
SHARED_ANALYSIS_ENV = "DISCOURSE_ANALYSIS_SHARED"


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
    from .corpus import read_corpus
    from .framing import as_codebook
    from .quotes import extract_statements
    from .resources import ensure_nltk_data
    from .scoring import score_statements
    from .speakers import load_registry

    ensure_nltk_data()
    registry = load_registry(params.speakers_file)
    codebook = as_codebook(params.codebook_file)
    docs = read_corpus(list(params.corpus_paths), registry=registry)
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
    from .corpus import documents_frame

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
    rates, _ = _figures()._pooled(s, a.compared, cats)
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


# ----------------------------------------------------------------------------------- runner


@dataclass(frozen=True)
class ReportResult:
    """What :func:`run_report` wrote: the ``index.html``, executed notebooks, their HTML,
    the figures, and the seconds each notebook took."""

    output_dir: Path
    index: Path
    notebooks: tuple[Path, ...]
    html: tuple[Path, ...]
    figures: tuple[Path, ...]
    seconds: dict[str, float]


class NotebookFailed(RuntimeError):
    """A notebook raised while the report ran; names the executed notebook and the cell."""

    def __init__(self, notebook: Path, cell_index: int | None, ename: str, evalue: str,
                 source: str = ""):
        self.notebook, self.cell_index = notebook, cell_index
        self.ename, self.evalue, self.source = ename, evalue, source
        where = f"cell {cell_index}" if cell_index is not None else "a cell"
        lines = [f"notebook failed: {notebook}", f"  in {where}: {ename}: {evalue}"]
        if source:
            lines += ["  cell source:"] + [f"    | {ln}" for ln in source.splitlines()[:12]]
        super().__init__("\n".join(lines))


def notebook_paths(folder: str | Path | None = None) -> list[Path]:
    """Return the notebooks of the report, in order (``notebooks/*.ipynb`` by name)."""
    folder = project_root() / "notebooks" if folder is None else Path(folder)
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def notebook_parameters(notebooks: Sequence[Path]) -> dict[str, dict]:
    """Return ``{parameter name: papermill's description}`` over all ``notebooks``."""
    papermill = _import_papermill()
    out: dict[str, dict] = {}
    for nb in notebooks:
        for name, spec in papermill.inspect_notebook(str(nb)).items():
            out.setdefault(name, dict(spec))
    return out


def load_params(path: str | Path, *, valid: Iterable[str] | None = None) -> dict[str, Any]:
    """Read a parameters YAML file (a mapping); every key must be in ``valid``."""
    path = Path(path)
    data = read_yaml(path, what="parameters file")
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise fail(path, "a parameters file must be a mapping of parameter: value")
    if valid is not None:
        valid = list(valid)
        bad = [Problem(str(path), f"unknown parameter; valid parameters: {valid}", str(k))
               for k in data if k not in valid]
        if bad:
            raise AnalysisError(bad)
    return data


def _title(nb: Any, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


def _index_html(entries: list[tuple[str, str, str]], params: Mapping[str, Any],
                figure_files: Sequence[Path], output_dir: Path) -> str:
    items = "\n".join(
        f'  <li><a href="{html.escape(h)}">{html.escape(t)}</a> '
        f'(<a href="{html.escape(n)}">notebook</a>)</li>' for t, h, n in entries)
    figs = "\n".join(
        f'  <li><a href="{html.escape(os.path.relpath(f, output_dir))}">{html.escape(f.name)}</a>'
        "</li>" for f in figure_files)
    rows = "\n".join(f"  <tr><td>{html.escape(str(k))}</td><td><code>{html.escape(repr(v))}"
                     "</code></td></tr>" for k, v in params.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Discourse analysis report</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}td{{padding:0 1em}}</style>
</head><body>
<h1>Discourse analysis report</h1>
<h2>Notebooks</h2>
<ol>
{items}
</ol>
<h2>Figures</h2>
<ul>
{figs}
</ul>
<h2>Parameters</h2>
<table>
{rows}
</table>
</body></html>
"""


def _import_papermill() -> Any:
    """Import papermill without the one import that makes it slow.

    papermill imports nbformat, which imports jsonschema, whose format checkers import
    ``rfc3987_syntax`` when installed: that module compiles an Earley grammar at import
    (over a second, more than starting a kernel). Notebook schemas check no IRI formats, so
    the import is skipped (jsonschema treats it as absent) when jsonschema is not loaded yet;
    the module stays importable afterwards for anyone who asks for it by name.
    """
    if "papermill" in sys.modules or "jsonschema" in sys.modules:
        import papermill

        return papermill
    blocked = "rfc3987_syntax" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment] # import -> ImportError
    try:
        import papermill
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
    return papermill


def _execute(src: Path, dest: Path, parameters: Mapping[str, Any], *,
             env: Mapping[str, str] | None = None) -> Any:
    """Run ``src`` with papermill into ``dest``, on the project kernel, in the project root,
    with ``env`` added to the kernel's environment.

    The kernel talks over local IPC sockets in a private temporary folder (not TCP ports).
    It is started here, in the project root (papermill's ``cwd`` would change the folder of
    the whole process), so several notebooks can run at once from threads.
    """
    papermill = _import_papermill()
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync
    from papermill.exceptions import PapermillExecutionError

    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        km = AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc",
                                ip=os.path.join(sockets, "k"))
        try:
            run_sync(km.start_kernel)(cwd=str(project_root()), env=os.environ | dict(env or {}))
            return papermill.execute_notebook(
                str(src), str(dest), parameters=dict(parameters), kernel_name=KERNEL_NAME,
                progress_bar=False, log_output=False, km=km)
        except PapermillExecutionError as e:
            raise NotebookFailed(dest, e.cell_index, e.ename, e.evalue, e.source) from None
        finally:  # papermill shuts down only the kernels it starts itself
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=False)


def default_jobs() -> int:
    """Return how many notebooks run at once by default: ``min(4, CPU count)``.

    Each notebook has its own kernel process, so they run in parallel on several cores.
    """
    return max(1, min(4, os.cpu_count() or 1))


#: Thread-pool sizes of the numeric libraries, set for the kernels unless already set.
_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _kernel_env(workers: int, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment added to the kernels of a run with ``workers`` notebooks at once.

    Each kernel gets its share of the cores for the numeric libraries' thread pools (unless
    the variables are set already): OpenBLAS otherwise starts one spinning thread per core in
    every kernel, and with several kernels at once that cost about a fifth of the report's
    CPU time for nothing (the notebooks' arrays are small). Results do not change.
    """
    share = str(max(1, (os.cpu_count() or 1) // max(1, workers)))
    return {v: share for v in _THREAD_VARS if v not in os.environ} | dict(extra or {})


def _run_all(jobs: Sequence[tuple[Path, Path]], parameters: Mapping[str, Any], *,
             workers: int, say: Callable[[str], None],
             done: Callable[[int, Any, float], None],
             env: Mapping[str, str] | None = None,
             meanwhile: Callable[[], None] | None = None) -> None:
    """Execute each ``(source, destination)`` of ``jobs``, ``workers`` at a time (kernels
    with ``env`` added to their environment), call ``meanwhile()`` once they are on their
    way, and call ``done(k, executed notebook, seconds)`` for each in the order of ``jobs``,
    saying the progress lines in that order too. The first failing notebook (in that order)
    raises :class:`NotebookFailed` once the notebooks already running have finished;
    notebooks not started by then are not started."""
    from concurrent.futures import ThreadPoolExecutor

    n = len(jobs)
    workers = max(1, min(workers, n))
    kernel_env = _kernel_env(workers, env)

    def one(src: Path, dest: Path) -> tuple[Any, float]:
        t0 = time.perf_counter()
        nb = _execute(src, dest, parameters, env=kernel_env)
        return nb, time.perf_counter() - t0

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notebook") as pool:
        futures = [pool.submit(one, src, dest) for src, dest in jobs]
        try:
            if meanwhile is not None:
                meanwhile()
            for k, ((src, _), future) in enumerate(zip(jobs, futures, strict=True)):
                say(f"[{k + 1}/{n}] {src.stem} ... ")
                try:
                    nb, seconds = future.result()
                except NotebookFailed:
                    say("FAILED\n")
                    raise
                done(k, nb, seconds)
                say(f"ok ({seconds:.1f} s)\n")
        finally:
            for future in futures:
                future.cancel()


def run_report(params_path: str | Path | None = None, *, output_dir: str | Path | None = None,
               notebooks: str | Path | None = None, jobs: int | None = None,
               log: Callable[[str], None] | None = None) -> ReportResult:
    """Execute every notebook with the parameters of ``params_path`` (default
    ``params/default.yml``) and write executed notebooks, HTML renderings (inputs hidden)
    and ``index.html`` to ``output_dir`` (default: the parameters' ``output_dir``).

    Up to ``jobs`` notebooks (default :func:`default_jobs`) run at once, each in its own
    kernel; progress is reported in notebook order. Every key of the parameters file must be
    a parameter of the notebooks (else :class:`AnalysisError` naming it and listing the valid
    ones). A failing notebook stops the run with :class:`NotebookFailed` (the executed
    notebook is kept in ``output_dir`` for reading; nothing else is written). ``notebooks`` is
    the folder of notebooks (default ``notebooks/``); they are only read.
    """
    say = log or (lambda msg: print(msg, end="", flush=True))
    params_path = _resolve(params_path or "params/default.yml")
    nbs = notebook_paths(notebooks)
    if not nbs:
        raise fail("notebooks", f"no notebooks in {notebooks or 'notebooks/'}")
    declared = notebook_parameters(nbs)
    parameters = load_params(params_path, valid=declared)
    if output_dir is not None:
        parameters["output_dir"] = str(output_dir)
    checked = None
    if set(declared) <= set(PARAMETERS):  # the project's notebooks: check values up front too
        checked = check_parameters(**{k: _default(declared, k, DEFAULTS[k]) for k in declared}
                                   | parameters)
    out_dir = _resolve(parameters.get("output_dir") or _default(declared, "output_dir", "reports"))
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir))
    exporter: list[Any] = []
    seconds: dict[str, float] = {}
    entries: list[tuple[str, str, str]] = []

    def done(k: int, nb: Any, took: float) -> None:
        src = nbs[k]
        if not exporter:  # imported here: the kernels start meanwhile
            from nbconvert import HTMLExporter

            exporter.append(HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                                         exclude_output_prompt=True))
        seconds[src.stem] = took
        body, _ = exporter[0].from_notebook_node(nb)
        (staging / f"{src.stem}.html").write_text(body, encoding="utf-8")
        entries.append((_title(nb, src.stem), f"{src.stem}.html", src.name))

    shared = Path(tempfile.mkdtemp(prefix="analysis-")) / "analysis.pickle"
    try:
        try:
            # the project's notebooks all start from the same analysis: computed once here
            # while the kernels start, offered to them (see load_analysis)
            _run_all([(src, staging / src.name) for src in nbs], parameters,
                     workers=jobs or default_jobs(), say=say, done=done,
                     env={SHARED_ANALYSIS_ENV: str(shared)} if checked else None,
                     meanwhile=(lambda: _share_analysis(checked, shared)) if checked else None)
        except NotebookFailed as e:
            final = out_dir / e.notebook.name
            if e.notebook.exists():
                os.replace(e.notebook, final)
            raise NotebookFailed(final, e.cell_index, e.ename, e.evalue, e.source) from None
        fig_dir = _resolve(parameters.get("figure_dir") or _default(declared, "figure_dir",
                                                                     "figures"))
        fig_files = sorted(p for name in FIGURES for p in fig_dir.glob(f"{name}.*"))
        shown = {k: parameters.get(k, _default(declared, k, None)) for k in declared}
        (staging / "index.html").write_text(_index_html(entries, shown, fig_files, out_dir),
                                            encoding="utf-8")
        written = []
        for f in sorted(staging.iterdir()):
            os.replace(f, out_dir / f.name)
            written.append(out_dir / f.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(shared.parent, ignore_errors=True)
    say(f"report: {display_path(out_dir / 'index.html')}\n")
    return ReportResult(
        output_dir=out_dir, index=out_dir / "index.html",
        notebooks=tuple(out_dir / p.name for p in nbs),
        html=tuple(out_dir / f"{p.stem}.html" for p in nbs),
        figures=tuple(fig_files), seconds=seconds)


def _default(declared: Mapping[str, dict], name: str, fallback: Any) -> Any:
    """A parameter's default as written in the notebooks (papermill gives source text)."""
    spec = declared.get(name)
    if not spec:
        return fallback
    try:
        return ast.literal_eval(str(spec.get("default")))
    except (ValueError, SyntaxError):
        return fallback


def refresh_notebooks(notebooks: str | Path | None = None, *,
                      figures_from: str | Path | None = "params/default.yml",
                      jobs: int | None = None,
                      log: Callable[[str], None] | None = None) -> list[Path]:
    """Re-execute the source notebooks IN PLACE with their default parameters (on purpose:
    ``make refresh-notebooks``), so that the committed outputs, which ``make test`` compares
    with nbval, are those of the current code and data; then redraw the figures of the
    parameters file ``figures_from`` (the committed ``figures/``; None: skip). Timing metadata
    is dropped so that an unchanged result gives an unchanged file. Up to ``jobs`` notebooks
    run at once (default :func:`default_jobs`). Returns the notebooks rewritten."""
    import nbformat

    say = log or (lambda msg: print(msg, end="", flush=True))
    nbs = notebook_paths(notebooks)
    out: list[Path] = []

    def done(k: int, nb: Any, took: float) -> None:
        for meta in [nb.metadata, *(c.metadata for c in nb.cells)]:
            for key in _VOLATILE_METADATA:
                meta.pop(key, None)
        with atomic_write(nbs[k], encoding="utf-8", newline="\n") as fh:
            nbformat.write(nb, fh)
        out.append(nbs[k])

    with tempfile.TemporaryDirectory(prefix="refresh-") as tmp:
        _run_all([(src, Path(tmp) / src.name) for src in nbs], {},
                 workers=jobs or default_jobs(), say=say, done=done)
    if figures_from is not None:
        params = check_parameters(**DEFAULTS | load_params(_resolve(figures_from),
                                                           valid=PARAMETERS))
        files = build_figures(load_analysis(params))
        say(f"figures: {len(files)} files in {display_path(params.figure_dir)}\n")
    return out


def main_report(params: str | Path | None, *, output_dir: str | Path | None = None,
                notebooks: str | Path | None = None, refresh: bool = False,
                jobs: int | None = None) -> int:
    """The ``report`` command: run (or refresh) and return the exit status (1 on failure).
    ``jobs``: notebooks at once (default :func:`default_jobs`); less than 1 is an error."""
    if jobs is not None and jobs < 1:
        raise fail("jobs", f"must be a positive integer, not {jobs}")
    try:
        if refresh:
            refresh_notebooks(notebooks, figures_from=params, jobs=jobs)
        else:
            run_report(params, output_dir=output_dir, notebooks=notebooks, jobs=jobs)
    except NotebookFailed as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0
