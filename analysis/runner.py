"""The report runner (``python -m analysis report``, ``make report``): plain papermill.

:func:`run_report` executes the notebooks of ``notebooks/`` with
:func:`papermill.execute_notebook`, each in a fresh kernel of its own, several at once, on the
parameters of a YAML file (default ``params/default.yml``), and writes the executed notebooks,
their HTML renderings (inputs hidden) and an ``index.html`` to the parameters' ``output_dir``;
the notebooks write the figures. Which notebooks: the default report (every notebook but the
studies, :func:`notebook_paths`), or those the file's ``notebooks:`` key names
(:func:`read_report_params`). In order:

1. the parameters file is read: every key must be a parameter of a chosen notebook, every
   value of the right type (:class:`analysis.schema.ReportParams`); for the project's report
   notebooks the values are checked as the notebooks check them
   (:func:`analysis.report.check_parameters`), and a study's ``prepare`` step runs
   (:func:`prepare_notebooks`: 06 makes its dataset there);
2. the analysis every notebook starts from is computed once into its on-disk cache
   (:func:`analysis.report.load_analysis`, a :class:`joblib.Memory` in ``output_dir/.cache``),
   so that each notebook's call of the same function reads it;
3. the notebooks run, up to ``jobs`` at once (threads, each driving one papermill run and its
   kernel), the largest first; a progress line as each finishes; the first failure stops
   the run (:class:`NotebookFailed`).

Source notebooks are never written, except on purpose by :func:`refresh_notebooks` (``make
refresh-notebooks``).

Example::

    from analysis.runner import run_report
    result = run_report("params/default.yml")    # progress on stdout, one line per notebook
    result.index                                  # reports/index.html
"""

from __future__ import annotations

import ast
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AnalysisError, Problem, fail
from .io import atomic_write, compose_yaml, display_path, project_root, read_text, resolve_path

if TYPE_CHECKING:
    from .report import Params

#: The project's Jupyter kernel (``python -m analysis setup --kernel`` installs it in the venv).
KERNEL_NAME = "discourse-analysis"
#: Arguments of every kernel the runner starts: its own log quiet (jupyter_client interrupts
#: a kernel before shutting it down, which it may log as an error; what a notebook does wrong
#: reaches the runner as the cell's error, not through this log).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
#: The parameters file of ``make report`` (relative to the project root).
DEFAULT_PARAMS = "params/default.yml"
#: The figures the studies (05_validation, 06_general_debate) write, listed in the index.
STUDY_FIGURES = ("validation_scores", "validation_confusion", "stance_over_time")
#: Notebook and cell metadata that changes from run to run (dropped by a refresh).
_VOLATILE_METADATA = ("papermill", "execution")


class NotebookFailed(RuntimeError):
    """A notebook raised while it ran; names the error first, then the executed notebook
    (kept for reading), the failing cell's number and its source."""

    def __init__(self, notebook: Path, cell_index: int | None, ename: str, evalue: str,
                 source: str = ""):
        self.notebook, self.cell_index = notebook, cell_index
        self.ename, self.evalue, self.source = ename, evalue, source
        where = f"cell {cell_index}" if cell_index is not None else "a cell"
        lines = [f"{notebook.name} failed in {where}: {ename}: {evalue}",
                 f"  notebook failed: {display_path(notebook)} (the executed notebook, kept "
                 "for reading)"]
        if source:
            lines += ["  cell source:"] + [f"    | {ln}" for ln in source.splitlines()[:12]]
        super().__init__("\n".join(lines))


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


def all_notebooks(folder: str | Path | None = None) -> list[Path]:
    """Return every notebook of ``folder`` (default ``notebooks/``), in order (by name):
    the default report's and the studies (:func:`is_study`)."""
    folder = project_root() / "notebooks" if folder is None else Path(folder)
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def is_study(notebook: Path) -> bool:
    """Return True when ``notebook`` is a study, not part of the default report: its
    notebook metadata says ``"report": {"default": false}`` (``05_validation`` and
    ``06_general_debate`` need ``../shared`` and long runs). A study runs only when a
    parameters file names it (``notebooks: [05_validation]``); ``make test`` gives nbval
    the default report's notebooks only (:func:`notebook_paths`)."""
    return report_metadata(notebook).get("default") is False


def report_metadata(notebook: Path) -> dict[str, Any]:
    """Return the notebook metadata ``report`` of ``notebook`` (``{}`` when there is none):
    ``default`` (False: a study, see :func:`is_study`) and ``prepare`` (``module:function``
    of the package that the runner calls before the notebook runs, see
    :func:`prepare_notebooks`)."""
    try:
        meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return {}  # papermill says what is wrong with it when it runs
    report = meta.get("report") if isinstance(meta, dict) else None
    return report if isinstance(report, dict) else {}


def prepare_notebooks(nbs: Sequence[Path], own: Mapping[Path, Mapping[str, dict]],
                      parameters: Mapping[str, Any], say: Callable[[str], None]) -> None:
    """Before the notebooks run, call the ``prepare`` function of each that names one in its
    metadata (``"report": {"prepare": "analysis.studies:prepare_general_debate"}``) with its
    parameters (its declared defaults, then those given) and ``log=say``: a long step (the
    General Debate pipeline) then runs here, with its progress on the terminal, rather than
    silently inside a kernel. Only functions of the ``analysis`` package are called."""
    import importlib

    for nb in nbs:
        target = report_metadata(nb).get("prepare")
        if not target:
            continue
        module, _, name = str(target).partition(":")
        if module.split(".")[0] != "analysis" or not name:
            raise fail(nb, f"notebook metadata report.prepare must name a function of the "
                           f"analysis package as module:function, not {target!r}")
        func = getattr(importlib.import_module(module), name)
        given = {k: _default(own[nb], k, None) for k in own[nb]} | {
            k: v for k, v in parameters.items() if k in own[nb]}
        say(f"{nb.stem}: preparing ({target})\n")
        func(**given, log=say)


def notebook_paths(folder: str | Path | None = None) -> list[Path]:
    """Return the notebooks of the default report (``make report``, ``make
    refresh-notebooks``, nbval), in order: every notebook of ``folder`` (default
    ``notebooks/``) but the studies (:func:`is_study`)."""
    return [p for p in all_notebooks(folder) if not is_study(p)]


def select_notebooks(names: Sequence[str] | None, folder: str | Path | None = None, *,
                     where: str = "notebooks") -> tuple[list[Path], list[Problem]]:
    """Return the notebooks a parameters file's ``notebooks`` key names (``05_validation``
    or ``05_validation.ipynb``; run in the folder's order whatever the order given) and the
    problems: each unknown name, with the valid names. ``names`` None or empty: the default
    report (:func:`notebook_paths`)."""
    if not names:
        return notebook_paths(folder), []
    every = {p.stem: p for p in all_notebooks(folder)}
    problems = []
    wanted: set[str] = set()
    for name in names:
        stem = str(name).removesuffix(".ipynb")
        if stem in every:
            wanted.add(stem)
        else:
            problems.append(Problem(where, f"unknown notebook {str(name)!r}; valid notebooks: "
                                           f"{list(every)}", "notebooks"))
    return [p for stem, p in every.items() if stem in wanted], problems


def notebook_parameters(notebooks: Sequence[Path]) -> dict[str, dict]:
    """Return ``{parameter name: papermill's description}`` over all ``notebooks``."""
    import papermill

    out: dict[str, dict] = {}
    for nb in notebooks:
        for name, spec in papermill.inspect_notebook(str(nb)).items():
            out.setdefault(name, dict(spec))
    return out


#: The key of a parameters file that chooses the notebooks (not a notebook parameter).
NOTEBOOKS_KEY = "notebooks"


def _read_params(path: Path) -> tuple[dict[str, Any], Any]:
    """The mapping of a parameters file and its YAML node tree."""
    data, node = compose_yaml(read_text(path, what="parameters file"), path)
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise fail(path, "a parameters file must be a mapping of parameter: value")
    return data, node


def _params_problems(path: Path, data: Mapping[str, Any], node: Any,
                     valid: Iterable[str] | None) -> list[Problem]:
    """The problems of a parameters file's keys (not in ``valid`` nor ``notebooks``) and
    values (the types of :class:`analysis.schema.ReportParams`)."""
    from .schema import ReportParams, validate

    problems: list[Problem] = []
    if valid is not None:
        valid = list(valid)
        problems += [Problem(str(path), f"unknown parameter; valid parameters: {valid} (and "
                                        f"{NOTEBOOKS_KEY}: which notebooks run)", str(k))
                     for k in data if k not in valid and k != NOTEBOOKS_KEY]
    typed = {k: v for k, v in data.items() if k in ReportParams.model_fields}
    try:
        validate(ReportParams, typed, path, node=node)
    except AnalysisError as e:
        problems += e.problems
    return problems


def load_params(path: str | Path, *, valid: Iterable[str] | None = None) -> dict[str, Any]:
    """Read a parameters YAML file (a mapping) and return it as read.

    Every key must be in ``valid`` (if given) or be ``notebooks`` (which notebooks run, see
    :func:`read_report_params`), and every value of a report parameter of the right type
    (:class:`analysis.schema.ReportParams`); else one :class:`AnalysisError` lists every
    problem, naming the file, the key and the line.
    """
    path = Path(path)
    data, node = _read_params(path)
    problems = _params_problems(path, data, node, valid)
    if problems:
        raise AnalysisError(problems)
    return data


def read_report_params(path: str | Path, folder: str | Path | None = None
                       ) -> tuple[list[Path], dict[str, dict], dict[str, Any]]:
    """Read the parameters file of a report run and return the notebooks it runs, the
    parameters they declare (papermill's descriptions) and the parameters given (without
    ``notebooks``).

    ``notebooks: [05_validation]`` chooses notebooks of ``folder`` (default ``notebooks/``)
    by name; without it the default report runs (:func:`notebook_paths`: every notebook but
    the studies). Every other key must be a parameter of a chosen notebook. One
    :class:`AnalysisError` lists every problem: unknown notebook names (with the valid
    ones), unknown keys (with the valid ones), values of the wrong type, each with its line.
    """
    from .schema import line_at, listed

    path = Path(path)
    data, node = _read_params(path)
    problems: list[Problem] = []
    names = data.get(NOTEBOOKS_KEY)
    try:
        names = listed(names)
    except ValueError:
        names = None  # the schema names the type error below
    if isinstance(names, list) and not all(isinstance(n, str) for n in names):
        names = None
    nbs, unknown = select_notebooks(names, folder, where=str(path))
    line = line_at(node, (NOTEBOOKS_KEY,))
    entry = NOTEBOOKS_KEY if line is None else f"{NOTEBOOKS_KEY} (line {line})"
    problems += [Problem(p.where, p.message, entry) for p in unknown]
    if not nbs and not unknown:
        problems.append(Problem(str(path), f"no notebooks in {folder or 'notebooks'}"))
    declared = notebook_parameters(nbs)
    problems += _params_problems(path, data, node, declared if nbs or not unknown else None)
    if problems:
        raise AnalysisError(problems)
    return nbs, declared, {k: v for k, v in data.items() if k != NOTEBOOKS_KEY}


def _title(nb: Any, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


def _summary_html(summary: Any, warned: Sequence[str]) -> str:
    """The index's opening: the warnings (or that there are none) and the table of documents,
    statements and sentences per speaker (:func:`analysis.report.summary_table`)."""
    if summary is None:
        return ""
    if warned:
        items = "\n".join(f"  <li>{html.escape(w)}</li>" for w in warned)
        box = (f'<div class="warn"><b>Warning: this result is thin ({len(warned)})</b>\n'
               f"<ul>\n{items}\n</ul></div>")
    else:
        box = "<p>No warnings: every compared speaker and document has statements.</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in summary.columns)
    body = "\n".join("  <tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row)
                     + "</tr>" for row in summary.itertuples(index=False))
    return (f"<h2>Summary</h2>\n{box}\n<table>\n  <tr>{head}</tr>\n{body}\n</table>\n")


def _index_html(entries: list[tuple[str, str, str]], params: Mapping[str, Any],
                figure_files: Sequence[Path], output_dir: Path, summary: Any = None,
                warned: Sequence[str] = ()) -> str:
    items = "\n".join(
        f'  <li><a href="{html.escape(h)}">{html.escape(t)}</a> '
        f'(<a href="{html.escape(n)}">notebook</a>)</li>' for t, h, n in entries)
    figs = "\n".join(
        f'  <li><a href="{html.escape(os.path.relpath(f, output_dir))}">{html.escape(f.name)}</a>'
        "</li>" for f in figure_files)
    thumbs = "\n".join(
        f'  <a href="{html.escape(os.path.relpath(f, output_dir))}"><img class="thumb" '
        f'src="{html.escape(os.path.relpath(f, output_dir))}" alt="{html.escape(f.stem)}" '
        f'title="{html.escape(f.stem)}"></a>' for f in figure_files if f.suffix == ".png")
    rows = "\n".join(f"  <tr><td>{html.escape(str(k))}</td><td><code>{html.escape(repr(v))}"
                     "</code></td></tr>" for k, v in params.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Discourse analysis report</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}td,th{{padding:0 1em}}
.warn{{border:2px solid #c0392b;background:#fdecea;padding:0.5em 1em}}
.thumb{{width:11em;margin:0.2em;border:1px solid #ccc}}</style>
</head><body>
<h1>Discourse analysis report</h1>
{_summary_html(summary, warned)}<div>
{thumbs}
</div>
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
    """Return how many notebooks run at once by default: ``min(4, CPU count)`` (each in a
    kernel process of its own)."""
    return max(1, min(4, os.cpu_count() or 1))


def execute_notebooks(jobs: Sequence[tuple[Path, Path]],
                      parameters: Mapping[str, Any] | Sequence[Mapping[str, Any]], *,
                      workers: int, done: Callable[[int, Any, float], None],
                      say: Callable[[str], None] = lambda msg: None,
                      kernel_name: str = KERNEL_NAME) -> None:
    """Execute each ``(source, destination)`` of ``jobs`` with :func:`papermill.execute_notebook`
    and ``parameters`` (one mapping for every notebook, or a list: one per job), each in a
    fresh kernel ``kernel_name`` started in the project root
    (nbclient's ``resources`` and ``config``: local sockets in a private folder), up to
    ``workers`` at once, the largest source files first (a notebook with more outputs takes
    longer: starting those first keeps the workers evenly busy).

    As each notebook finishes, ``done(k, executed notebook, seconds)`` is called in this
    thread (``k`` its place in ``jobs``) and a progress line said (``[2/4] 02_sentiment ... ok
    (1.2 s)``). The first notebook to fail raises :class:`NotebookFailed` (naming its
    destination) once the notebooks already running have finished; the others never start.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    stop = threading.Event()
    resources = {"metadata": {"path": str(project_root())}}  # the kernels' working folder

    def run(k: int) -> tuple[Any, float]:
        if stop.is_set():
            return None, 0.0
        src, dest = jobs[k]
        t0 = time.perf_counter()
        try:
            with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
                # the kernel talks over local sockets in a private folder, not TCP ports
                config = Config({"KernelManager": {"transport": "ipc",
                                                   "ip": os.path.join(sockets, "kernel")}})
                given = parameters if isinstance(parameters, Mapping) else parameters[k]
                nb = papermill.execute_notebook(
                    str(src), str(dest), parameters=dict(given), kernel_name=kernel_name,
                    progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                    resources=resources, config=config, extra_arguments=KERNEL_ARGUMENTS)
        except PapermillExecutionError as e:
            stop.set()
            raise NotebookFailed(dest, e.cell_index, e.ename, e.evalue, e.source) from None
        except BaseException:
            stop.set()
            raise
        return nb, time.perf_counter() - t0

    order = sorted(range(len(jobs)), key=lambda k: (-_size(jobs[k][0]), k))
    n = len(jobs)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="notebook") as pool:
        futures: dict[Future, int] = {pool.submit(run, k): k for k in order}
        pending, count = set(futures), 0
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=lambda f: order.index(futures[f])):
                    k, name = futures[future], jobs[futures[future]][0].stem
                    error = future.exception()
                    if error is None and future.result()[0] is None:
                        continue  # not started: a notebook failed
                    count += 1
                    if error is not None:
                        say(f"[{count}/{n}] {name} ... FAILED\n")
                        raise error
                    nb, seconds = future.result()
                    done(k, nb, seconds)
                    say(f"[{count}/{n}] {name} ... ok ({seconds:.1f} s)\n")
        finally:
            stop.set()
            for future in pending:
                future.cancel()


def run_report(params_path: str | Path | None = None, *, output_dir: str | Path | None = None,
               notebooks: str | Path | None = None, jobs: int | None = None,
               log: Callable[[str], None] | None = None) -> ReportResult:
    """Execute the notebooks of the parameters file ``params_path`` (default
    ``params/default.yml`` of the project; a relative path is taken from the current folder)
    with its parameters and write executed notebooks, HTML renderings (inputs hidden) and
    ``index.html`` to ``output_dir`` (default: the parameters' ``output_dir``). Returns what
    was written. The notebooks: the default report, or those of its ``notebooks:`` key (see
    :func:`read_report_params`); each is given the parameters it declares.

    Every key of the parameters file must be a parameter of a chosen notebook and of the right
    type (else :class:`AnalysisError` naming it; see :func:`read_report_params`); the output folder
    must not be, or be inside, the notebooks' folder, a source folder or an input
    (:func:`analysis.report.output_folder_problems`). For the project's notebooks the values
    are checked (:func:`analysis.report.check_parameters`) and, if they read a corpus
    (``corpus_paths``), the analysis they share is computed into its cache before any
    notebook starts. Then up to ``jobs`` notebooks
    (default :func:`default_jobs`) run at once (:func:`execute_notebooks`); the report keeps
    the notebooks' order. A failing notebook stops the run with :class:`NotebookFailed`: the
    executed notebook is kept in ``output_dir`` for reading, nothing else is written (but the
    cache). ``notebooks`` is the folder of notebooks (default ``notebooks/``); only read.
    """
    from . import report  # pandas with it: not for every command of the CLI

    say = log or (lambda msg: print(msg, end="", flush=True))
    params_path = (project_root() / DEFAULT_PARAMS if params_path is None
                   else Path(params_path).expanduser())
    folder = project_root() / "notebooks" if notebooks is None else Path(notebooks)
    if not all_notebooks(folder):
        raise fail("notebooks", f"no notebooks in {folder}")
    warming = _start_warming(params_path, output_dir, folder)
    try:
        nbs, declared, parameters = read_report_params(params_path, folder)
        own = {nb: notebook_parameters([nb]) for nb in nbs}
        if output_dir is not None:
            parameters["output_dir"] = str(output_dir)
        checked = None
        summary, warned = None, []
        # the project's report notebooks (their parameters are report.PARAMETERS): their
        # values are checked as the notebooks check them; a study checks its own
        reporting = [nb for nb in nbs if set(own[nb]) <= set(report.PARAMETERS)]
        if len(reporting) == len(nbs) or any(own[nb] for nb in reporting):
            rdecl: dict[str, dict] = {}  # notebook_parameters(reporting), from what is read
            for nb in reporting:
                for k, spec in own[nb].items():
                    rdecl.setdefault(k, spec)
            checked = report.check_parameters(
                **{k: _default(rdecl, k, report.DEFAULTS[k]) for k in rdecl}
                | {k: v for k, v in parameters.items() if k in rdecl})
        out_dir = resolve_path(parameters.get("output_dir")
                               or _default(declared, "output_dir", "reports"))
        problems = report.output_folder_problems("output_dir", out_dir, [folder.resolve()])
        if problems:
            raise AnalysisError(problems)
        if checked is not None and "corpus_paths" in rdecl:
            _warm(checked, say, warming)  # notebooks that read a corpus
            summary, warned = _summary(checked, say)
        prepare_notebooks(nbs, own, parameters, say)
    finally:
        if warming is not None and warming[0].poll() is None:  # not needed after all
            warming[0].terminate()
            warming[0].wait()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir))
    exporter: list[Any] = []
    seconds: dict[int, float] = {}  # by place in the report, as notebooks finish
    entries: dict[int, tuple[str, str, str]] = {}

    def done(k: int, nb: Any, took: float) -> None:
        src = nbs[k]
        if not exporter:
            from nbconvert import HTMLExporter

            exporter.append(HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                                         exclude_output_prompt=True))
        seconds[k] = took
        body, _ = exporter[0].from_notebook_node(nb)
        (staging / f"{src.stem}.html").write_text(body, encoding="utf-8")
        entries[k] = (_title(nb, src.stem), f"{src.stem}.html", src.name)

    try:
        try:
            execute_notebooks([(src, staging / src.name) for src in nbs],
                              [{k: v for k, v in parameters.items() if k in own[src]}
                               for src in nbs],
                              workers=min(jobs or default_jobs(), len(nbs)), done=done,
                              say=say)
        except NotebookFailed as e:
            final = out_dir / e.notebook.name
            if e.notebook.exists():
                os.replace(e.notebook, final)
            raise NotebookFailed(final, e.cell_index, e.ename, e.evalue, e.source) from None
        fig_dir = resolve_path(parameters.get("figure_dir")
                               or _default(declared, "figure_dir", "figures"))
        fig_files = sorted(p for name in [*report.FIGURES, *STUDY_FIGURES]
                           for p in fig_dir.glob(f"{name}.*"))
        shown = {k: parameters.get(k, _default(declared, k, None)) for k in declared}
        in_order = [entries[k] for k in sorted(entries)]
        (staging / "index.html").write_text(_index_html(in_order, shown, fig_files, out_dir,
                                                        summary, warned),
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


#: The analysis computed into the cache by a child process (see :func:`_start_warming`):
#: the parameters as JSON in ``argv[1]``; exit status 3 when the cache had it already.
_WARM_SCRIPT = """\
import json, sys
from analysis import report
p = report.check_parameters(**json.loads(sys.argv[1]))
if report.analysis_is_cached(p):
    sys.exit(3)
report.load_analysis(p)
"""


def _start_warming(params_path: Path, output_dir: str | Path | None, folder: Path
                   ) -> tuple[subprocess.Popen, float] | None:
    """Start computing the analysis of the project's notebooks on the parameters file into
    the cache, in a child process, while this one imports papermill and reads the notebooks
    (a second or so each, on two cores at once); return the process and its start time, or
    None when the notebooks are not the project's, the analysis is cached already, or the
    parameters are not plainly good (then :func:`run_report` says why, or computes it)."""
    from . import report

    if folder.resolve() != (project_root() / "notebooks").resolve():
        return None
    try:
        given = load_params(params_path, valid=report.PARAMETERS)
        if NOTEBOOKS_KEY in given:
            return None  # notebooks chosen: run_report computes what they need, if anything
        data = report.DEFAULTS | given
        if output_dir is not None:
            data["output_dir"] = str(output_dir)
        if report.analysis_is_cached(report.check_parameters(**data)):
            return None  # nothing to compute
        text = json.dumps(data)
    except (AnalysisError, TypeError, ValueError):
        return None
    child = subprocess.Popen([sys.executable, "-c", _WARM_SCRIPT, text], cwd=project_root(),
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    return child, time.perf_counter()


def _warm(params: Params, say: Callable[[str], None],
          warming: tuple[subprocess.Popen, float] | None = None) -> None:
    """Compute the analysis of ``params`` into its cache (unless there already), saying so;
    ``warming``: a child process computing it already (:func:`_start_warming`), waited for.
    If it fails (a bad corpus file, say), nothing is cached and the notebooks report the
    error in their own cell, where the run then stops."""
    from . import report

    where = display_path(report.cache_dir(params))
    if warming is not None:
        child, started = warming
        if child.wait() == 0 and report.analysis_is_cached(params):
            say(f"analysis: computed in {time.perf_counter() - started:.1f} s, cached in "
                f"{where}\n")
            return
    if report.analysis_is_cached(params):
        say(f"analysis: from the cache in {where}\n")
        return
    t0 = time.perf_counter()
    try:
        report.load_analysis(params)
    except Exception:  # noqa: BLE001 - the first notebook's cell shows it, with its cell
        say("analysis: failed; the notebooks say why\n")
        return
    say(f"analysis: computed in {time.perf_counter() - t0:.1f} s, cached in {where}\n")


def _summary(params: Params, say: Callable[[str], None]) -> tuple[Any, list[str]]:
    """Return the summary table and the warnings of the analysis of ``params`` (from its
    cache), each warning said in the run's output; (None, []) when the analysis fails (the
    notebooks then say why)."""
    from . import report

    try:
        a = report.load_analysis(params)
    except Exception:  # noqa: BLE001 - the first notebook's cell shows it
        return None, []
    warned = report.thin_results(a)
    for w in warned:
        say(f"warning: {w}\n")
    return report.summary_table(a), warned


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
                      figures_from: str | Path | None = DEFAULT_PARAMS,
                      jobs: int | None = None,
                      log: Callable[[str], None] | None = None) -> list[Path]:
    """Re-execute the source notebooks IN PLACE with their default parameters (on purpose:
    ``make refresh-notebooks``), so that the committed outputs, which ``make test`` compares
    with nbval, are those of the current code and data; then redraw the figures of the
    parameters file ``figures_from`` (a relative path from the project root; the committed
    ``figures/``; None: skip). Timing metadata is dropped so that an unchanged result gives
    an unchanged file. Up to ``jobs`` notebooks run at once (default :func:`default_jobs`),
    each in a fresh kernel, after the analysis of the default parameters is cached.
    Returns the notebooks rewritten."""
    import nbformat

    from . import report

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

    if set(notebook_parameters(nbs)) <= set(report.PARAMETERS):
        _warm(report.check_parameters(), say)
    with tempfile.TemporaryDirectory(prefix="refresh-") as tmp:
        execute_notebooks([(src, Path(tmp) / src.name) for src in nbs], {},
                          workers=min(jobs or default_jobs(), len(nbs)), done=done, say=say)
    if figures_from is not None:
        params = report.check_parameters(**report.DEFAULTS | load_params(
            resolve_path(figures_from), valid=report.PARAMETERS))
        files = report.build_figures(report.load_analysis(params))
        say(f"figures: {len(files)} files in {display_path(params.figure_dir)}\n")
    return out


def main_report(params: str | Path | None, *, output_dir: str | Path | None = None,
                notebooks: str | Path | None = None, refresh: bool = False,
                jobs: int | None = None) -> int:
    """The ``report`` command: run (or refresh) and return the exit status (1 when a
    notebook fails). Paths given here are taken from the current folder. ``jobs``: notebooks
    at once (default :func:`default_jobs`); less than 1 is an error."""
    if jobs is not None and jobs < 1:
        raise fail("jobs", f"must be a positive integer, not {jobs}")
    params = None if params is None else Path(params).expanduser().absolute()
    try:
        if refresh:
            refresh_notebooks(notebooks, figures_from=params or DEFAULT_PARAMS, jobs=jobs)
        else:
            run_report(params, output_dir=None if output_dir is None else
                       Path(output_dir).expanduser().absolute(),
                       notebooks=notebooks, jobs=jobs)
    except NotebookFailed as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
