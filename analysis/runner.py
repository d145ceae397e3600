"""The report runner (``python -m analysis report``, ``make report``).

:func:`run_report` executes every notebook of ``notebooks/`` with papermill on the parameters
of a YAML file (default ``params/default.yml``) and writes the executed notebooks, their HTML
renderings (inputs hidden) and an ``index.html`` to the parameters' ``output_dir``; the
notebooks write the figures. Source notebooks are never written, except on purpose by
:func:`refresh_notebooks` (``make refresh-notebooks``).

The kernels (:class:`analysis.kernels.KernelPool`) start first, and boot while the runner
imports what it needs, checks the parameters and computes the analysis the notebooks share
(see :func:`analysis.report.load_analysis`); this module therefore imports neither pandas
nor the notebook side (:mod:`analysis.report`) before the kernels are on their way.

Example::

    from analysis.runner import run_report
    result = run_report("params/default.yml")    # progress on stdout, one line per notebook
    result.index                                  # reports/index.html
"""

from __future__ import annotations

import ast
import html
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AnalysisError, Problem, fail
from .io import atomic_write, display_path, project_root, read_yaml, resolve_path
from .kernels import KernelPool, NotebookFailed, import_papermill, kernel_env

#: Environment variable through which :func:`run_report` offers its kernels the analysis it
#: computed once for the run (a pickle in a private temporary folder, deleted after the run;
#: a ``.failed`` file beside it says there is none). See :func:`analysis.report.load_analysis`.
SHARED_ANALYSIS_ENV = "DISCOURSE_ANALYSIS_SHARED"
#: What the report's kernels import as soon as they are up, while the runner still checks
#: the parameters and computes the analysis: the modules the notebooks' first cells import
#: (pandas and matplotlib with them). No names are bound; a notebook imports what it uses.
PRELOAD = ("__import__('analysis.report'); __import__('analysis.figures'); "
           "__import__('matplotlib_inline.backend_inline')")
#: Notebook and cell metadata that changes from run to run (dropped by a refresh).
_VOLATILE_METADATA = ("papermill", "execution")


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


def notebook_paths(folder: str | Path | None = None) -> list[Path]:
    """Return the notebooks of the report, in order (``notebooks/*.ipynb`` by name)."""
    folder = project_root() / "notebooks" if folder is None else Path(folder)
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def notebook_parameters(notebooks: Sequence[Path]) -> dict[str, dict]:
    """Return ``{parameter name: papermill's description}`` over all ``notebooks``."""
    papermill = import_papermill()
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


def default_jobs() -> int:
    """Return how many notebooks run at once by default: ``min(4, CPU count)``.

    Each worker has its own kernel process, so notebooks run in parallel on several cores.
    """
    return max(1, min(4, os.cpu_count() or 1))


def run_report(params_path: str | Path | None = None, *, output_dir: str | Path | None = None,
               notebooks: str | Path | None = None, jobs: int | None = None,
               fresh_kernels: bool = False,
               log: Callable[[str], None] | None = None) -> ReportResult:
    """Execute every notebook with the parameters of ``params_path`` (default
    ``params/default.yml``) and write executed notebooks, HTML renderings (inputs hidden)
    and ``index.html`` to ``output_dir`` (default: the parameters' ``output_dir``).

    Up to ``jobs`` notebooks (default :func:`default_jobs`) run at once, largest first; a
    progress line is said as each finishes (the report keeps the notebooks' order). The
    kernels start first and preload the notebooks' imports (:data:`PRELOAD`) while the
    parameters are checked. A kernel runs several notebooks one after another, reset
    between them (new namespace, history and execution count; see :mod:`analysis.kernels`),
    unless ``fresh_kernels`` gives each notebook a new kernel. Every key of the parameters
    file must be a parameter of the notebooks (else :class:`AnalysisError` naming it and
    listing the valid ones). A failing notebook stops the run with :class:`NotebookFailed`
    (the executed notebook is kept in ``output_dir`` for reading; nothing else is written).
    ``notebooks`` is the folder of notebooks (default ``notebooks/``); they are only read.
    """
    say = log or (lambda msg: print(msg, end="", flush=True))
    params_path = resolve_path(params_path or "params/default.yml")
    nbs = notebook_paths(notebooks)
    if not nbs:
        raise fail("notebooks", f"no notebooks in {notebooks or 'notebooks/'}")
    shared = Path(tempfile.mkdtemp(prefix="analysis-")) / "analysis.pickle"
    workers = min(jobs or default_jobs(), len(nbs))
    try:
        # the kernels boot while the parameters are checked and the analysis computed
        env = kernel_env(workers, {SHARED_ANALYSIS_ENV: str(shared)})
        with KernelPool(workers, cwd=project_root(), env=env, fresh=fresh_kernels,
                        preload=PRELOAD) as pool:
            return _run_report(pool, nbs, params_path, shared, output_dir=output_dir, say=say)
    finally:
        shutil.rmtree(shared.parent, ignore_errors=True)


def _run_report(pool: KernelPool, nbs: list[Path], params_path: Path, shared: Path, *,
                output_dir: str | Path | None, say: Callable[[str], None]) -> ReportResult:
    from .report import DEFAULTS, FIGURES, PARAMETERS, _share_analysis, check_parameters

    declared = notebook_parameters(nbs)
    parameters = load_params(params_path, valid=declared)
    if output_dir is not None:
        parameters["output_dir"] = str(output_dir)
    checked = None
    if set(declared) <= set(PARAMETERS):  # the project's notebooks: check values up front too
        checked = check_parameters(**{k: _default(declared, k, DEFAULTS[k]) for k in declared}
                                   | parameters)
    else:  # other notebooks: nothing is shared, load_analysis computes its own
        shared.with_name(shared.name + ".failed").touch()
    out_dir = resolve_path(parameters.get("output_dir")
                           or _default(declared, "output_dir", "reports"))
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir))
    exporter: list[Any] = []
    seconds: dict[int, float] = {}  # by place in the report, as notebooks finish
    entries: dict[int, tuple[str, str, str]] = {}

    def done(k: int, nb: Any, took: float) -> None:
        src = nbs[k]
        if not exporter:  # imported here: the kernels run meanwhile
            from nbconvert import HTMLExporter

            exporter.append(HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                                         exclude_output_prompt=True))
        seconds[k] = took
        body, _ = exporter[0].from_notebook_node(nb)
        (staging / f"{src.stem}.html").write_text(body, encoding="utf-8")
        entries[k] = (_title(nb, src.stem), f"{src.stem}.html", src.name)

    try:
        try:
            # the project's notebooks all start from the same analysis: computed once here
            # while the kernels run their first cells, offered to them (see load_analysis)
            pool.run([(src, staging / src.name) for src in nbs], parameters, say=say,
                     done=done, meanwhile=((lambda: _share_analysis(checked, shared))
                                           if checked else None))
        except NotebookFailed as e:
            final = out_dir / e.notebook.name
            if e.notebook.exists():
                os.replace(e.notebook, final)
            raise NotebookFailed(final, e.cell_index, e.ename, e.evalue, e.source) from None
        fig_dir = resolve_path(parameters.get("figure_dir")
                               or _default(declared, "figure_dir", "figures"))
        fig_files = sorted(p for name in FIGURES for p in fig_dir.glob(f"{name}.*"))
        shown = {k: parameters.get(k, _default(declared, k, None)) for k in declared}
        in_order = [entries[k] for k in sorted(entries)]
        (staging / "index.html").write_text(_index_html(in_order, shown, fig_files, out_dir),
                                            encoding="utf-8")
        for f in sorted(staging.iterdir()):
            os.replace(f, out_dir / f.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    say(f"report: {display_path(out_dir / 'index.html')}\n")
    return ReportResult(
        output_dir=out_dir, index=out_dir / "index.html",
        notebooks=tuple(out_dir / p.name for p in nbs),
        html=tuple(out_dir / f"{p.stem}.html" for p in nbs),
        figures=tuple(fig_files), seconds={nbs[k].stem: seconds[k] for k in sorted(seconds)})


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
    run at once (default :func:`default_jobs`), each in a new kernel, as nbval runs them.
    Returns the notebooks rewritten."""
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

    workers = min(jobs or default_jobs(), len(nbs))
    with tempfile.TemporaryDirectory(prefix="refresh-") as tmp, \
            KernelPool(workers, cwd=project_root(), env=kernel_env(workers), fresh=True) as pool:
        pool.run([(src, Path(tmp) / src.name) for src in nbs], {}, say=say, done=done)
    if figures_from is not None:
        from .report import DEFAULTS, PARAMETERS, build_figures, check_parameters, load_analysis

        params = check_parameters(**DEFAULTS | load_params(resolve_path(figures_from),
                                                           valid=PARAMETERS))
        files = build_figures(load_analysis(params))
        say(f"figures: {len(files)} files in {display_path(params.figure_dir)}\n")
    return out


def main_report(params: str | Path | None, *, output_dir: str | Path | None = None,
                notebooks: str | Path | None = None, refresh: bool = False,
                jobs: int | None = None, fresh_kernels: bool = False) -> int:
    """The ``report`` command: run (or refresh) and return the exit status (1 on failure).
    ``jobs``: notebooks at once (default :func:`default_jobs`); less than 1 is an error.
    ``fresh_kernels``: a new kernel for every notebook (a refresh always does so)."""
    if jobs is not None and jobs < 1:
        raise fail("jobs", f"must be a positive integer, not {jobs}")
    try:
        if refresh:
            refresh_notebooks(notebooks, figures_from=params, jobs=jobs)
        else:
            run_report(params, output_dir=output_dir, notebooks=notebooks, jobs=jobs,
                       fresh_kernels=fresh_kernels)
    except NotebookFailed as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0
