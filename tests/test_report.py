"""The report runner and the notebooks' parameter checks.

The runner is tested on small throwaway notebooks in tmp_path (a kernel start each, a few
seconds in all); the project's own notebooks are tested by nbval (``make test``).
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis import kernels, report, runner
from analysis.__main__ import main
from analysis.errors import AnalysisError
from analysis.io import project_root


def _where(err: AnalysisError) -> list[str]:
    return [p.where for p in err.problems]


# ------------------------------------------------------------------------- check_parameters


def test_check_parameters_resolves_paths_from_the_project_root(root: Path) -> None:
    p = report.check_parameters()
    assert p.corpus_paths == (root / "corpus",)
    assert p.speakers_file == root / "corpus" / "speakers.yml"
    assert p.codebook_file is None
    assert p.speakers_to_compare == ("power", "churkin", "centcom")
    assert p.figure_dir == root / "reports" / "figures"
    assert p.figure_formats == ("png", "svg")
    assert (p.bootstrap_seed, p.n_boot) == (20160917, 2000)


def test_list_parameters_given_as_strings_by_papermill_cli() -> None:
    p = report.check_parameters(speakers_to_compare='["power", "churkin"]',
                                figure_formats="svg")
    assert p.speakers_to_compare == ("power", "churkin")
    assert p.figure_formats == ("svg",)
    assert report.check_parameters(speakers_to_compare="churkin, centcom"
                                   ).speakers_to_compare == ("churkin", "centcom")


def test_unknown_speaker_names_the_parameter_and_the_valid_ids() -> None:
    with pytest.raises(AnalysisError) as e:
        report.check_parameters(speakers_to_compare=["power", "lavrov"])
    (problem,) = e.value.problems
    assert problem.where == "speakers_to_compare"
    assert "'lavrov'" in problem.message
    assert "'churkin'" in problem.message and "'centcom'" in problem.message


def test_every_bad_parameter_is_reported_at_once() -> None:
    with pytest.raises(AnalysisError) as e:
        report.check_parameters(corpus_paths=["no/such/folder"], figure_formats=["png", "gif"],
                                speaker_to_compare=["power"], n_boot=-1,
                                codebook_file="no/such/codebook.yml")
    assert _where(e.value) == ["speaker_to_compare", "corpus_paths", "codebook_file",
                               "figure_formats", "n_boot"]
    text = str(e.value)
    assert "valid parameters: ['corpus_paths', 'speakers_file'" in text
    assert "no/such/folder" in text
    assert "unknown figure format 'gif'; valid choices: ['png', 'svg', 'pdf']" in text


def test_missing_registry_is_named() -> None:
    with pytest.raises(AnalysisError) as e:
        report.check_parameters(speakers_file="nowhere/speakers.yml")
    assert _where(e.value) == ["speakers_file"]


# ----------------------------------------------------------------------------------- runner


def _notebook(path: Path, params: str, *cells: str) -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": kernels.KERNEL_NAME, "language": "python",
                                 "display_name": "Python (discourse-analysis)"}
    pc = new_code_cell(params)
    pc.metadata["tags"] = ["parameters"]
    nb.cells = [new_markdown_cell(f"# Title of {path.stem}"), pc,
                *(new_code_cell(c) for c in cells)]
    nbformat.write(nb, path)
    return path


@pytest.fixture
def books(tmp_path: Path) -> Path:
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_first.ipynb",
              'greeting: str = "hello"  # what to say\noutput_dir: str = "out"  # where',
              "print(greeting.upper())")
    _notebook(folder / "02_second.ipynb", "times: int = 1  # how often",
              "x = times * 2", "print(x)")
    return folder


def _params(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_misspelt_parameter_key_fails_before_any_notebook_runs(tmp_path: Path, books: Path
                                                               ) -> None:
    params = _params(tmp_path, f"greting: hi\noutput_dir: {tmp_path / 'rep'}\n")
    with pytest.raises(AnalysisError) as e:
        runner.run_report(params, notebooks=books, log=lambda m: None)
    (problem,) = e.value.problems
    assert (problem.where, problem.entry) == (str(params), "greting")
    assert "valid parameters: ['greeting', 'output_dir', 'times']" in problem.message
    assert not (tmp_path / "rep").exists()


def test_run_report_writes_notebooks_html_and_index(tmp_path: Path, books: Path) -> None:
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    out = tmp_path / "rep"
    params = _params(tmp_path, f"greeting: bonjour\ntimes: 21\noutput_dir: {out}\n")
    lines: list[str] = []
    result = runner.run_report(params, notebooks=books, log=lines.append)
    assert result.index == out / "index.html"
    assert sorted(p.name for p in out.iterdir()) == [
        "01_first.html", "01_first.ipynb", "02_second.html", "02_second.ipynb", "index.html"]
    first = nbformat.read(out / "01_first.ipynb", as_version=4)
    assert first.cells[-1].outputs[0]["text"] == "BONJOUR\n"
    second = nbformat.read(out / "02_second.ipynb", as_version=4)
    assert second.cells[-1].outputs[0]["text"] == "42\n"
    html = (out / "01_first.html").read_text(encoding="utf-8")
    assert "BONJOUR" in html and "greeting.upper()" not in html  # inputs hidden
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="01_first.html">Title of 01_first</a>' in index
    progress = [re.match(r"\[(\d)/2\] (\w+) \.\.\. ok \(", line) for line in lines[:2]]
    assert [m.group(1) for m in progress] == ["1", "2"]  # a line each, as they finish
    assert sorted(m.group(2) for m in progress) == ["01_first", "02_second"]
    assert {p.name: p.read_bytes() for p in books.iterdir()} == before  # sources untouched


def test_failing_notebook_stops_with_its_path_and_cell(tmp_path: Path, books: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    _notebook(books / "02_second.ipynb", "times: int = 1  # how often",
              "x = times * 2", "raise ValueError(f'bad times {times}')", "print('never')")
    _notebook(books / "03_third.ipynb", "")
    out = tmp_path / "rep"
    params = _params(tmp_path, f"times: 7\noutput_dir: {out}\n")
    with pytest.raises(SystemExit) as exit_:
        main(["report", "--params", str(params), "--notebooks", str(books)])
    status = exit_.value.code
    err = capsys.readouterr().err
    assert status == 1
    assert f"notebook failed: {out / '02_second.ipynb'}" in err
    # cells: title, parameters, injected parameters, x = ..., raise (index 4)
    assert "in cell 4: ValueError: bad times 7" in err
    assert "raise ValueError(f'bad times {times}')" in err
    assert (out / "02_second.ipynb").is_file()  # kept for reading
    assert not (out / "index.html").exists() and not (out / "03_third.ipynb").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging left


def test_notebooks_run_at_once_and_report_as_they_finish(tmp_path: Path) -> None:
    folder = tmp_path / "nbs"
    folder.mkdir()
    flag = tmp_path / "second-ran"
    # the first notebook waits (boundedly) for a file the second writes: it sees the file
    # only when both run at the same time
    _notebook(folder / "01_waits.ipynb", f"flag: str = {str(flag)!r}\noutput_dir: str = 'o'",
              "import pathlib, time\nfor _ in range(200):\n    if pathlib.Path(flag).exists():"
              "\n        break\n    time.sleep(0.05)\nprint(pathlib.Path(flag).exists())")
    _notebook(folder / "02_writes.ipynb", f"flag: str = {str(flag)!r}",
              "import pathlib\npathlib.Path(flag).touch()\nprint('written')")
    out = tmp_path / "rep"
    lines: list[str] = []
    result = runner.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=folder,
                               jobs=2, log=lines.append)
    first = nbformat.read(out / "01_waits.ipynb", as_version=4)
    assert first.cells[-1].outputs[0]["text"] == "True\n"
    text = "".join(lines)  # progress as they finish; the report keeps the notebooks' order
    assert text.index("[1/2] 02_writes ... ok (") < text.index("[2/2] 01_waits ... ok (")
    assert list(result.seconds) == ["01_waits", "02_writes"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index("01_waits.html") < index.index("02_writes.html")
    assert runner.default_jobs() >= 1


def test_larger_notebooks_start_first(tmp_path: Path) -> None:
    # one kernel: the notebooks run one after another, the largest file (most outputs) first
    folder = tmp_path / "nbs"
    folder.mkdir()
    stamp = "import time\nprint(time.time())"
    _notebook(folder / "01_small.ipynb", "output_dir: str = 'o'", stamp)
    big = _notebook(folder / "02_big.ipynb", "output_dir: str = 'o'", stamp)
    nb = nbformat.read(big, as_version=4)
    nb.cells.append(new_markdown_cell("A long note. " * 2000))
    nbformat.write(nb, big)
    out = tmp_path / "rep"
    lines: list[str] = []
    runner.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=folder, jobs=1,
                      log=lines.append)
    started = {name: float(nbformat.read(out / f"{name}.ipynb", as_version=4)
                           .cells[3].outputs[0]["text"])
               for name in ("01_small", "02_big")}
    assert started["02_big"] < started["01_small"]
    assert "".join(lines).startswith("[1/2] 02_big ... ok (")


def test_first_failing_notebook_stops_the_run_while_others_run(tmp_path: Path, books: Path
                                                               ) -> None:
    _notebook(books / "01_first.ipynb", "output_dir: str = 'o'", "raise KeyError('first')")
    out = tmp_path / "rep"
    lines: list[str] = []
    with pytest.raises(runner.NotebookFailed) as e:
        runner.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=books, jobs=2,
                          log=lines.append)
    assert e.value.notebook == out / "01_first.ipynb" and e.value.ename == "KeyError"
    assert lines[-1] in ("[1/2] 01_first ... FAILED\n", "[2/2] 01_first ... FAILED\n")
    assert sorted(p.name for p in out.iterdir()) == ["01_first.ipynb"]


def test_notebooks_not_started_when_one_fails_are_not_started(tmp_path: Path) -> None:
    folder = tmp_path / "nbs"
    folder.mkdir()
    ran = tmp_path / "ran"
    ran.mkdir()
    fails = _notebook(folder / "01_fails.ipynb", "output_dir: str = 'o'",
                      "raise KeyError('first')")
    nb = nbformat.read(fails, as_version=4)
    nb.cells.append(new_markdown_cell("padding " * 2000))  # the largest: it runs first
    nbformat.write(nb, fails)
    for name in ("02_later", "03_later"):
        _notebook(folder / f"{name}.ipynb", "output_dir: str = 'o'",
                  f"import pathlib\npathlib.Path({str(ran / name)!r}).touch()")
    with pytest.raises(runner.NotebookFailed):
        runner.run_report(_params(tmp_path, f"output_dir: {tmp_path / 'rep'}\n"),
                          notebooks=folder, jobs=1, log=lambda m: None)
    assert list(ran.iterdir()) == []


def test_kernels_get_the_runs_shared_analysis_and_one_core_each(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    for var in kernels.THREAD_VARS:
        monkeypatch.delenv(var, raising=False)
    folder = tmp_path / "nbs"
    folder.mkdir()
    # a notebook of the project's parameters (so the runner shares the analysis): it waits
    # for the runner's analysis as load_analysis does
    _notebook(folder / "01_shared.ipynb", f"output_dir: str = {str(tmp_path / 'o')!r}",
              "import os\nfrom analysis import report\n"
              "a = report._shared_analysis(report.check_parameters(output_dir=output_dir))\n"
              "print(os.environ[report.SHARED_ANALYSIS_ENV], len(a.statements) > 0, "
              "os.environ['OPENBLAS_NUM_THREADS'])")
    out = tmp_path / "rep"
    runner.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=folder, jobs=1,
                      log=lambda m: None)
    nb = nbformat.read(out / "01_shared.ipynb", as_version=4)
    shared, found, threads = nb.cells[-1].outputs[0]["text"].split()
    assert found == "True"
    assert threads == str(os.cpu_count() or 1)  # one notebook at a time: every core
    assert not Path(shared).exists() and not Path(shared).parent.exists()  # run's own, gone


def test_bad_corpus_fails_in_the_notebooks_cell_not_in_the_runner(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "x.md").write_text("---\ntitle: [unclosed\n---\nBody text.\n", encoding="utf-8")
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_bad.ipynb",
              f"corpus_paths: list = [{str(corpus)!r}]\noutput_dir: str = 'o'",
              "from analysis import report\n"
              "a = report.load_analysis(report.check_parameters(corpus_paths=corpus_paths))")
    with pytest.raises(runner.NotebookFailed) as e:
        runner.run_report(_params(tmp_path, f"output_dir: {tmp_path / 'rep'}\n"),
                          notebooks=folder, log=lambda m: None)
    assert (e.value.cell_index, e.value.ename) == (3, "AnalysisError")
    assert "x.md" in e.value.evalue


def test_shared_analysis_is_used_only_for_equal_parameters(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    p = report.check_parameters()
    empty = pd.DataFrame()
    marked = report.Analysis(params=p, registry=None, codebook=None, docs=["marker"],
                             statements=empty, scores=empty, evidence=empty, targets=empty,
                             aggregates=empty)
    path = tmp_path / "analysis.pickle"
    monkeypatch.setenv(report.SHARED_ANALYSIS_ENV, str(tmp_path / "gone" / "analysis.pickle"))
    assert report._shared_analysis(p) is None  # the run's folder is gone: no waiting
    monkeypatch.setenv(report.SHARED_ANALYSIS_ENV, str(path))
    (tmp_path / "analysis.pickle.failed").touch()
    assert report._shared_analysis(p) is None  # the runner could not compute it
    (tmp_path / "analysis.pickle.failed").unlink()
    with path.open("wb") as fh:
        pickle.dump(marked, fh)
    assert report.load_analysis(p).docs == ["marker"]
    other = report.check_parameters(n_boot=10)
    assert report._shared_analysis(other) is None
    assert report.load_analysis(other).docs != ["marker"]  # computed from its own inputs


def test_jobs_must_be_positive(books: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["report", "--jobs", "0", "--notebooks", str(books)]) == 2
    assert "jobs: must be a positive integer, not 0" in capsys.readouterr().err


def test_runner_starts_kernels_before_loading_pandas_and_checks_without_matplotlib() -> None:
    # the kernels start sooner: the runner loads neither pandas nor the notebook side before
    # starting them, and no plotting library at all
    code = ("import sys, analysis.__main__, analysis.runner\n"
            "before = 'pandas' in sys.modules or 'analysis.report' in sys.modules\n"
            "import analysis.report as r; r.check_parameters()\n"
            "analysis.runner.import_papermill()\n"
            "print(before, 'matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "False"]


def test_unknown_params_file_is_named(tmp_path: Path, books: Path) -> None:
    with pytest.raises(AnalysisError, match=r"nope\.yml: parameters file not found"):
        runner.run_report(tmp_path / "nope.yml", notebooks=books, log=lambda m: None)


def test_project_params_files_use_only_notebook_parameters(root: Path) -> None:
    declared = runner.notebook_parameters(runner.notebook_paths())
    assert list(declared) == list(report.PARAMETERS)
    for path in sorted((root / "params").glob("*.yml")):
        params = runner.load_params(path, valid=declared)
        assert set(params) == set(report.PARAMETERS), path
    default = runner.load_params(root / "params" / "default.yml")
    # make report writes the committed figures/; a notebook run alone, reports/figures
    assert default == report.DEFAULTS | {"figure_dir": "figures"}
    # the notebooks' own defaults are the same values
    for name in declared:
        assert runner._default(declared, name, object()) == report.DEFAULTS[name], name


# ------------------------------------------------------------------------ kernels, reused


def _probe(folder: Path, name: str, *cells: str) -> None:
    _notebook(folder / name, "output_dir: str = 'o'", *cells,
              "import os\nprint(os.getpid(), 'x' in globals(), os.getcwd())")


@pytest.mark.parametrize("fresh", [False, True])
def test_a_kept_kernel_is_reset_between_notebooks(tmp_path: Path, fresh: bool) -> None:
    folder = tmp_path / "nbs"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _probe(folder, "01_sets.ipynb", f"x = 1\nimport os\nos.chdir({str(elsewhere)!r})")
    _probe(folder, "02_probes.ipynb")
    _probe(folder, "03_probes.ipynb")
    out = tmp_path / "rep"
    runner.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=folder, jobs=1,
                      fresh_kernels=fresh, log=lambda m: None)
    seen = []
    for name in ("01_sets", "02_probes", "03_probes"):
        nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
        pid, has_x, cwd = code[-1].outputs[0]["text"].split()
        seen.append((pid, has_x, cwd))
    assert seen[0][1:] == ("True", str(elsewhere))
    for _pid, has_x, cwd in seen[1:]:  # nothing of notebook 1 is left, the folder is back
        assert (has_x, cwd) == ("False", str(project_root()))
    pids = {pid for pid, _, _ in seen}
    assert len(pids) == (3 if fresh else 1)  # one kernel ran all three unless fresh


def test_a_kernel_pool_runs_once_and_reports_a_kernel_that_cannot_start(
        tmp_path: Path, books: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = [(books / "01_first.ipynb", tmp_path / "01.ipynb")]
    with kernels.KernelPool(1, cwd=tmp_path) as pool:
        pool.run(jobs, {}, done=lambda k, nb, s: None)
        with pytest.raises(RuntimeError, match="runs its notebooks once"):
            pool.run(jobs, {}, done=lambda k, nb, s: None)
    monkeypatch.setattr(kernels, "KERNEL_NAME", "no-such-kernel")
    with pytest.raises(Exception, match="no-such-kernel"):
        with kernels.KernelPool(1, cwd=tmp_path) as pool:
            pool.run(jobs, {}, done=lambda k, nb, s: None)


def test_report_on_kept_kernels_shows_what_fresh_kernels_show(tmp_path: Path) -> None:
    # the project's notebooks, two per kernel, give the outputs committed from fresh kernels
    # (make refresh-notebooks), which nbval checks notebook by notebook
    out = tmp_path / "reports"
    params = _params(tmp_path, f"output_dir: {out}\nfigure_dir: {out / 'figures'}\n")
    runner.run_report(params, jobs=2, log=lambda m: None)

    def outputs(nb: nbformat.NotebookNode) -> list[object]:
        # every output but the table of files written (their folder is this test's); the
        # counts are one higher in the run (papermill's injected parameters cell)
        return [[{k: v for k, v in o.items() if k != "execution_count"} for o in c.outputs]
                for c in nb.cells if c.cell_type == "code"
                and "injected-parameters" not in c.metadata.get("tags", [])
                and "write_tables" not in c.source]

    for source in runner.notebook_paths():
        run = nbformat.read(out / source.name, as_version=4)
        assert outputs(run) == outputs(nbformat.read(source, as_version=4)), source.name
