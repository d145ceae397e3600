"""The report runner and the notebooks' parameter checks.

The runner is tested on small throwaway notebooks in tmp_path (a kernel start each, a few
seconds in all); the project's own notebooks are tested by nbval (``make test``).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis import report
from analysis.__main__ import main
from analysis.errors import AnalysisError


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
    nb.metadata["kernelspec"] = {"name": report.KERNEL_NAME, "language": "python",
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
        report.run_report(params, notebooks=books, log=lambda m: None)
    (problem,) = e.value.problems
    assert (problem.where, problem.entry) == (str(params), "greting")
    assert "valid parameters: ['greeting', 'output_dir', 'times']" in problem.message
    assert not (tmp_path / "rep").exists()


def test_run_report_writes_notebooks_html_and_index(tmp_path: Path, books: Path) -> None:
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    out = tmp_path / "rep"
    params = _params(tmp_path, f"greeting: bonjour\ntimes: 21\noutput_dir: {out}\n")
    lines: list[str] = []
    result = report.run_report(params, notebooks=books, log=lines.append)
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
    assert "".join(lines).startswith("[1/2] 01_first ... ok (")
    assert "[2/2] 02_second ... ok (" in "".join(lines)
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


def test_notebooks_run_at_once_and_report_in_order(tmp_path: Path) -> None:
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
    result = report.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=folder,
                               jobs=2, log=lines.append)
    first = nbformat.read(out / "01_waits.ipynb", as_version=4)
    assert first.cells[-1].outputs[0]["text"] == "True\n"
    text = "".join(lines)
    assert text.index("[1/2] 01_waits ... ok (") < text.index("[2/2] 02_writes ... ok (")
    assert list(result.seconds) == ["01_waits", "02_writes"]
    assert report.default_jobs() >= 1


def test_first_failing_notebook_stops_the_run_while_others_run(tmp_path: Path, books: Path
                                                               ) -> None:
    _notebook(books / "01_first.ipynb", "output_dir: str = 'o'", "raise KeyError('first')")
    out = tmp_path / "rep"
    lines: list[str] = []
    with pytest.raises(report.NotebookFailed) as e:
        report.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=books, jobs=2,
                          log=lines.append)
    assert e.value.notebook == out / "01_first.ipynb" and e.value.ename == "KeyError"
    assert "".join(lines) == "[1/2] 01_first ... FAILED\n"
    assert sorted(p.name for p in out.iterdir()) == ["01_first.ipynb"]


def test_kernels_get_the_runs_shared_analysis_and_one_core_each(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    for var in report._THREAD_VARS:
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
    report.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=folder, jobs=1,
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
    with pytest.raises(report.NotebookFailed) as e:
        report.run_report(_params(tmp_path, f"output_dir: {tmp_path / 'rep'}\n"),
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


def test_runner_checks_parameters_without_loading_matplotlib() -> None:
    # the kernels start sooner: the runner process loads no plotting library before them
    code = ("import sys, analysis.report as r; r.check_parameters(); r._import_papermill(); "
            "print('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_unknown_params_file_is_named(tmp_path: Path, books: Path) -> None:
    with pytest.raises(AnalysisError, match=r"nope\.yml: parameters file not found"):
        report.run_report(tmp_path / "nope.yml", notebooks=books, log=lambda m: None)


def test_project_params_files_use_only_notebook_parameters(root: Path) -> None:
    declared = report.notebook_parameters(report.notebook_paths())
    assert list(declared) == list(report.PARAMETERS)
    for path in sorted((root / "params").glob("*.yml")):
        params = report.load_params(path, valid=declared)
        assert set(params) == set(report.PARAMETERS), path
    default = report.load_params(root / "params" / "default.yml")
    # make report writes the committed figures/; a notebook run alone, reports/figures
    assert default == report.DEFAULTS | {"figure_dir": "figures"}
    # the notebooks' own defaults are the same values
    for name in declared:
        assert report._default(declared, name, object()) == report.DEFAULTS[name], name
