"""The report runner and the notebooks' parameter checks.

The runner is tested on small throwaway notebooks in tmp_path (a kernel start each, a few
seconds in all); the project's own notebooks are tested by nbval (``make test``).
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis import report, runner
from analysis.__main__ import main
from analysis.errors import AnalysisError

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"  # fictional


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


def test_parameters_of_the_wrong_type_name_the_parameter() -> None:
    with pytest.raises(AnalysisError) as e:
        report.check_parameters(corpus_paths=42, speakers_file=["a", "b"], output_dir=42)
    assert [str(p) for p in e.value.problems] == [
        "corpus_paths: must be a list, not 42",
        "speakers_file: must be a path (text), not ['a', 'b']",
        "output_dir: must be a path (text), not 42",
    ]
    with pytest.raises(AnalysisError, match=r"corpus_paths: entry 2: must be a path \(text\), "
                                            r"not \{'a': 1\}"):
        report.check_parameters(corpus_paths=["corpus", {"a": 1}])


def test_parameters_file_of_the_wrong_types_names_key_and_line(tmp_path: Path) -> None:
    params = _params(tmp_path, "corpus_paths: 42\nspeakers_file: [a, b]\noutput_dir: 42\n"
                               "n_boot: many\n")
    with pytest.raises(AnalysisError) as e:
        runner.load_params(params, valid=report.PARAMETERS)
    assert [str(p) for p in e.value.problems] == [
        f"{params}: corpus_paths (line 1): must be a list, not 42",
        f"{params}: speakers_file (line 2): must be a path (text), not ['a', 'b']",
        f"{params}: output_dir (line 3): must be a path (text), not 42",
        f"{params}: n_boot (line 4): must be a non-negative integer, not 'many'",
    ]


@pytest.mark.parametrize(("key", "value"), [
    ("output_dir", "notebooks"), ("output_dir", "corpus"), ("figure_dir", "corpus"),
    ("output_dir", "params/out"), ("figure_dir", "analysis/data"), ("output_dir", "notebooks/.."
                                                                     "/notebooks/x")])
def test_outputs_inside_the_projects_sources_are_refused(key: str, value: str) -> None:
    with pytest.raises(AnalysisError) as e:
        report.check_parameters(**{key: value})
    (problem,) = e.value.problems
    assert problem.where == key
    assert problem.message.startswith(f"must not be or be inside {value.split('/')[0]} "
                                      "(a source folder of the project; a run never writes "
                                      "into its sources or inputs)")


def test_outputs_inside_a_corpus_path_or_through_a_link_are_refused(tmp_path: Path,
                                                                    root: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ARTICLES, corpus)
    link = tmp_path / "looks-harmless"
    link.symlink_to(root / "notebooks")
    with pytest.raises(AnalysisError) as e:
        report.check_parameters(corpus_paths=[str(corpus)],
                                speakers_file=str(corpus / "speakers.yml"),
                                speakers_to_compare=["velkova"], output_dir=str(corpus / "out"),
                                figure_dir=str(link / "figures"))
    assert _where(e.value) == ["output_dir", "figure_dir"]
    assert "(a corpus path of this run;" in e.value.problems[0].message
    assert "inside notebooks (a source folder" in e.value.problems[1].message


def test_a_run_into_the_notebooks_folder_writes_nothing(tmp_path: Path, books: Path,
                                                        root: Path) -> None:
    before = {p: p.read_bytes() for p in sorted((root / "notebooks").iterdir())}
    with pytest.raises(AnalysisError, match="output_dir: must not be or be inside notebooks"):
        runner.run_report(_params(tmp_path, "output_dir: notebooks\n"), log=lambda m: None)
    assert {p: p.read_bytes() for p in sorted((root / "notebooks").iterdir())} == before
    # another folder of notebooks: not its own output folder either
    with pytest.raises(AnalysisError, match=r"output_dir: must not be or be inside .*nbs"):
        runner.run_report(_params(tmp_path, f"output_dir: {books / 'out'}\n"), notebooks=books,
                          log=lambda m: None)
    assert not (books / "out").exists()


def _articles(tmp_path: Path, **extra: object) -> report.Params:
    corpus = tmp_path / "corpus"
    if not corpus.exists():
        shutil.copytree(ARTICLES, corpus)
    return report.check_parameters(**{
        "corpus_paths": [str(corpus)], "speakers_file": str(corpus / "speakers.yml"),
        "speakers_to_compare": ["velkova", "reinholt"], "output_dir": str(tmp_path / "out"),
        "figure_dir": str(tmp_path / "figs"), "n_boot": 50} | extra)


def test_a_corpus_without_statements_is_an_error(tmp_path: Path) -> None:
    p = _articles(tmp_path)
    for f in (tmp_path / "corpus").glob("*.md"):
        f.unlink()
    with pytest.raises(AnalysisError, match=r"no documents"):  # the reader or the report
        report.load_analysis(p)
    (tmp_path / "corpus" / "quiet.md").write_text(
        "---\nid: quiet\ntitle: Quiet\ndate: 2031-03-01\nkind: report\n---\n"
        "The river stayed closed to fishing boats on Monday.\n",
        encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"corpus_paths: no statements .* in the 1 "
                                            r"document\(s\) of .*corpus: nothing to report"):
        report.load_analysis(p)
    if Path("/etc").is_dir():
        with pytest.raises(AnalysisError, match=r"corpus_paths: no (documents|statements)"):
            report.load_analysis(report.check_parameters(corpus_paths=["/etc"],
                                                         output_dir=str(tmp_path / "o")))
    assert not report.analysis_is_cached(p)  # a failure is not cached


def test_the_analysis_is_cached_by_the_content_of_its_inputs(tmp_path: Path) -> None:
    p = _articles(tmp_path)
    assert not report.analysis_is_cached(p)
    first = report.load_analysis(p)
    assert report.analysis_is_cached(p)
    assert (tmp_path / "out" / ".cache").is_dir() == (report.cache_dir(p) ==
                                                    tmp_path / "out" / ".cache")
    again = report.load_analysis(p)
    pd.testing.assert_frame_equal(again.scores, first.scores)
    pd.testing.assert_frame_equal(again.aggregates, first.aggregates)
    assert again.params == p  # the caller's parameters
    # where outputs go, which speakers are shown: the same analysis, the caller's params
    shown = _articles(tmp_path, speakers_to_compare=["lind"], figure_dir=str(tmp_path / "f2"))
    assert report.analysis_is_cached(shown)
    assert report.load_analysis(shown).params == shown
    # another bootstrap, another registry or corpus byte: computed again
    assert not report.analysis_is_cached(_articles(tmp_path, n_boot=51))
    assert not report.analysis_is_cached(_articles(tmp_path, bootstrap_seed=1))
    doc = tmp_path / "corpus" / "dev-ceasefire-talks.md"
    doc.write_text(doc.read_text(encoding="utf-8") + '\n"We will not wait," Lind said.\n',
                   encoding="utf-8")
    assert not report.analysis_is_cached(p)
    changed = report.load_analysis(p)
    assert len(changed.statements) == len(first.statements) + 1
    (tmp_path / "corpus" / "notes.txt").write_text("a new file", encoding="utf-8")
    assert not report.analysis_is_cached(p)


def test_a_cache_written_in_a_second_folder_is_valid_for_other_processes(tmp_path: Path
                                                                          ) -> None:
    # one process, two output folders (joblib checks a function's code once per process)
    for name in ("a", "b"):
        report.load_analysis(_articles(tmp_path, output_dir=str(tmp_path / name)))
    code = ("import sys; from analysis import report\n"
            "print([report.analysis_is_cached(report.check_parameters(corpus_paths=[sys.argv[1]],"
            " speakers_file=sys.argv[2], speakers_to_compare=['velkova'], n_boot=50,"
            " output_dir=o)) for o in sys.argv[3:]])")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "corpus"),
                           str(tmp_path / "corpus" / "speakers.yml"), str(tmp_path / "a"),
                           str(tmp_path / "b")], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[True, True]"


def test_report_does_not_import_the_runner_nor_the_runner_private_names() -> None:
    package = Path(report.__file__).parent

    def imports(module: str) -> list[tuple[str, list[str]]]:
        tree = ast.parse((package / f"{module}.py").read_text(encoding="utf-8"))
        return [(n.module or "", [a.name for a in n.names]) for n in ast.walk(tree)
                if isinstance(n, ast.ImportFrom) and n.level == 1]

    assert not [m for m, _ in imports("report") if m == "runner"]
    assert not [m for m, names in imports("report") if not m and "runner" in names]
    private = [(m, a) for m, names in imports("runner") for a in names if a.startswith("_")]
    assert private == []
    assert not (package / "kernels.py").exists()


# ----------------------------------------------------------------------------------- runner


def _notebook(path: Path, params: str, *cells: str) -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": runner.KERNEL_NAME, "language": "python",
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
    # the error first, then where (not after pages of papermill's frames)
    assert err.startswith("error: 02_second.ipynb failed in cell 4: ValueError: bad times 7\n")
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
              "\n        break\n    time.sleep(0.05)\nprint(pathlib.Path(flag).exists())",
              "time.sleep(1.5)  # finishes well after the other one")
    _notebook(folder / "02_writes.ipynb", f"flag: str = {str(flag)!r}",
              "import pathlib\npathlib.Path(flag).touch()\nprint('written')")
    out = tmp_path / "rep"
    lines: list[str] = []
    result = runner.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=folder,
                               jobs=2, log=lines.append)
    first = nbformat.read(out / "01_waits.ipynb", as_version=4)
    assert first.cells[-2].outputs[0]["text"] == "True\n"
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


def test_the_runner_caches_the_analysis_before_any_notebook_starts(tmp_path: Path) -> None:
    folder = tmp_path / "nbs"
    folder.mkdir()
    # a notebook of the project's parameters: its first cell asks whether the analysis it
    # is about to load is in the cache already
    _notebook(folder / "01_cached.ipynb", "corpus_paths: list = ['corpus']\n"
              f"output_dir: str = {str(tmp_path / 'o')!r}",
              "from analysis import report\n"
              "p = report.check_parameters(corpus_paths=corpus_paths, output_dir=output_dir)\n"
              "print(report.analysis_is_cached(p), len(report.load_analysis(p).statements))")
    out = tmp_path / "rep"
    lines: list[str] = []
    runner.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=folder, jobs=1,
                      log=lines.append)
    nb = nbformat.read(out / "01_cached.ipynb", as_version=4)
    assert nb.cells[-1].outputs[0]["text"] == "True 17\n"
    assert lines[0].startswith("analysis: computed in ")
    assert lines[0].endswith(f"cached in {out / '.cache'}\n")
    assert list((out / ".cache").iterdir())
    lines.clear()
    runner.run_report(_params(tmp_path, f"output_dir: {out}\n"), notebooks=folder, jobs=1,
                      log=lines.append)
    assert lines[0] == f"analysis: from the cache in {out / '.cache'}\n"


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
    assert str(e.value).startswith("01_bad.ipynb failed in cell 3: AnalysisError: 1 problem:\n"
                                   f"  {corpus / 'x.md'}")


def test_jobs_must_be_positive(books: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["report", "--jobs", "0", "--notebooks", str(books)]) == 2
    assert "jobs: must be a positive integer, not 0" in capsys.readouterr().err


def test_runner_checks_parameters_without_matplotlib() -> None:
    # the runner draws nothing: checking the parameters and importing papermill load no
    # plotting library (the notebooks do)
    code = ("import sys, analysis.__main__, analysis.runner\n"
            "import analysis.report as r; r.check_parameters()\n"
            "import papermill\n"
            "print('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False"]


def test_unknown_params_file_is_named(tmp_path: Path, books: Path) -> None:
    with pytest.raises(AnalysisError, match=r"nope\.yml: parameters file not found"):
        runner.run_report(tmp_path / "nope.yml", notebooks=books, log=lambda m: None)


def test_project_params_files_use_only_notebook_parameters(root: Path) -> None:
    declared = runner.notebook_parameters(runner.notebook_paths())
    assert list(declared) == list(report.PARAMETERS)
    studies = []
    for path in sorted((root / "params").glob("*.yml")):
        if "notebooks" in runner.load_params(path):  # a study's file: tests/test_studies.py
            studies.append(path.name)
            continue
        params = runner.load_params(path, valid=declared)
        assert set(params) == set(report.PARAMETERS), path
    assert studies == ["ungdc-stance.yml", "validation.yml"]
    default = runner.load_params(root / "params" / "default.yml")
    # make report writes the committed figures/; a notebook run alone, reports/figures
    assert default == report.DEFAULTS | {"figure_dir": "figures"}
    # the notebooks' own defaults are the same values
    for name in declared:
        assert runner._default(declared, name, object()) == report.DEFAULTS[name], name


def test_a_relative_params_path_is_taken_from_the_current_folder(
        tmp_path: Path, books: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "elsewhere"
    here.mkdir()
    (here / "mine.yml").write_text(f"times: 4\noutput_dir: {tmp_path / 'rep'}\n",
                                   encoding="utf-8")
    monkeypatch.chdir(here)
    assert main(["report", "--params", "mine.yml", "--notebooks", str(books)]) == 0
    second = nbformat.read(tmp_path / "rep" / "02_second.ipynb", as_version=4)
    assert second.cells[-1].outputs[0]["text"] == "8\n"


def test_make_lab_allows_root_only_as_root_and_opens_the_project_kernel(root: Path) -> None:
    done = subprocess.run(["make", "-s", "-n", "-o", ".venv/.ready-discourse-analysis", "lab"],
                          cwd=root, capture_output=True, text=True, check=True)
    assert "--ServerApp.ip=127.0.0.1" in done.stdout
    assert f"--MappingKernelManager.default_kernel_name={runner.KERNEL_NAME}" in done.stdout
    assert ("--allow-root" in done.stdout) == (os.geteuid() == 0)


# ------------------------------------------------------------------ the project's notebooks


def test_a_kernel_that_cannot_start_is_reported(tmp_path: Path, books: Path) -> None:
    jobs = [(books / "01_first.ipynb", tmp_path / "01.ipynb")]
    with pytest.raises(Exception, match="no-such-kernel"):
        runner.execute_notebooks(jobs, {}, workers=1, done=lambda k, nb, s: None,
                                 kernel_name="no-such-kernel")


def test_report_shows_what_the_committed_notebooks_show(tmp_path: Path) -> None:
    # the project's notebooks, two at once, reading the analysis the runner cached, give the
    # outputs committed by make refresh-notebooks, which nbval checks notebook by notebook
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


# ------------------------------------------------------------- thin results: warnings, summary


def test_thin_results_are_warned_of_in_the_notebook_and_the_summary(tmp_path: Path) -> None:
    p = _articles(tmp_path, speakers_to_compare=["velkova", "reinholt", "hallam"])
    (tmp_path / "corpus" / "quiet.md").write_text(
        "---\nid: quiet\ntitle: Quiet\ndate: 2031-03-01\nkind: report\n---\n"
        "The river stayed closed to fishing boats on Monday.\n", encoding="utf-8")
    a = report.load_analysis(p)
    warned = report.thin_results(a)
    assert warned == [
        "speaker 'hallam' (speakers_to_compare) has no statement in this corpus: it is "
        "missing from every figure and table",
        "document 'quiet' (9 words) is a report without any quote or reported speech: "
        "nothing of it is analysed (if it is a speaker's own words, give it kind: statement)",
    ]
    box = report.warnings_box(a)
    assert repr(box).startswith("WARNING: this result is thin (2):\n  - speaker 'hallam'")
    assert "<b>Warning: this result is thin (2)</b>" in box._repr_html_()
    s = report.summary_table(a)
    assert list(s.columns) == ["speaker", "compared", "documents", "statements", "sentences"]
    assert list(s["speaker"][:3]) == ["velkova", "reinholt", "hallam"]
    assert s.iloc[2].tolist() == ["hallam", True, 0, 0, 0]
    assert (s["sentences"] >= s["statements"]).all()
    assert s["statements"].sum() == len(a.statements)


def test_a_corpus_path_without_statements_and_a_table_read_as_text_are_warned(
        tmp_path: Path) -> None:
    p = _articles(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "calm.md").write_text(
        "---\nid: calm\ntitle: Calm\ndate: 2031-03-02\nkind: report\n---\n"
        "Snow fell on the Tessel valley all night.\n", encoding="utf-8")
    a = report.load_analysis(report.check_parameters(**{
        "corpus_paths": [str(tmp_path / "corpus"), str(other)],
        "speakers_file": str(p.speakers_file), "speakers_to_compare": ["velkova"],
        "output_dir": str(tmp_path / "out2"), "n_boot": 50}))
    warned = report.thin_results(a)
    assert warned[0] == (f"corpus path {other}: none of its 1 document(s) holds a statement")
    assert warned[1].startswith("document 'calm' (8 words) is a report without any quote")
    fake = dataclasses.replace(a.docs[0], id="arts", source=str(other / "arts.csv"))
    b = dataclasses.replace(a, docs=[*a.docs, fake])
    words = fake.words
    assert (f"document 'arts' was read as one text ({words} words) but looks like a table (the "
            "file arts.csv): give it to the reader of its kind (a table with its text column "
            "named; UN records as UNSC_*.txt speech files)") in report.thin_results(b)


def test_index_opens_with_the_summary_warnings_and_thumbnails(tmp_path: Path) -> None:
    summary = pd.DataFrame({"speaker": ["x<y"], "compared": [True], "documents": [1],
                            "statements": [2], "sentences": [3]})
    fig = tmp_path / "figs" / "agency.png"
    page = runner._index_html([("One", "01.html", "01.ipynb")], {"n_boot": 5}, [fig],
                              tmp_path, summary, ["speaker 'z' has no statement"])
    assert page.index("<h2>Summary</h2>") < page.index("<h2>Notebooks</h2>")
    assert "<b>Warning: this result is thin (1)</b>" in page
    assert "<li>speaker &#x27;z&#x27; has no statement</li>" in page
    assert "<td>x&lt;y</td><td>True</td><td>1</td><td>2</td><td>3</td>" in page
    assert '<img class="thumb" src="figs/agency.png"' in page
    assert "No warnings" in runner._index_html([], {}, [], tmp_path, summary, [])


# ------------------------------------------------------------------ unit, compare_by, groups


def test_unit_auto_says_which_it_chose_and_sentence_level_scores_sentences(
        tmp_path: Path) -> None:
    a = report.load_analysis(_articles(tmp_path))
    assert a.unit == "statement"  # quotes of a news report: short
    assert a.unit_note == ("unit: auto chose statement: 30% of the words are in statements of "
                           "60 words or more (median statement 8 words); each statement is "
                           "scored on its own, rates and their intervals rest on statements")
    assert len(a.scores) == len(a.statements)
    b = report.load_analysis(_articles(tmp_path, unit="sentence"))
    assert b.unit == "sentence" and b.unit_note.startswith("unit: sentence (as set;")
    assert len(b.scores) > len(b.statements)
    assert set(b.scores["statement_id"]) == set(a.scores["statement_id"])
    # pooled rates are the same at either level: sentence rows pool into their statements
    rate = a.aggregates[a.aggregates["measure"] == "passive_per100"].set_index("group")["mean"]
    rate_b = b.aggregates[b.aggregates["measure"] == "passive_per100"].set_index("group")["mean"]
    assert rate.to_dict() == pytest.approx(rate_b.to_dict())
    share = report.negative_share_table(b)
    assert list(share.columns) == ["speaker", "n_statements", "n_sentences", "negative",
                                   "share", "ci_low", "ci_high"]
    assert (share["ci_low"] <= share["share"]).all() and (share["share"] <= share["ci_high"]).all()
    speech = pd.DataFrame({"text": [" ".join(["word"] * 70)] * 3})
    assert report.choose_unit(speech, "auto")[0] == "sentence"


def test_unit_and_compare_by_are_checked() -> None:
    with pytest.raises(AnalysisError) as e:
        report.check_parameters(unit="paragraph", compare_by="region",
                                groups={"P5": ["USA"]}, speakers_to_compare=["power"])
    assert _where(e.value) == ["unit", "compare_by"]
    with pytest.raises(AnalysisError, match=r"unknown group 'P3' \(compare_by: group\); valid "
                                            r"choices \(groups\): \['P5'\]"):
        report.check_parameters(compare_by="group", groups={"P5": ["USA"]},
                                speakers_to_compare=["P3"])


def test_groups_count_each_speakers_statements_for_their_groups(tmp_path: Path) -> None:
    p = _articles(tmp_path)
    a = report.load_analysis(p)
    reg = a.registry
    by_speaker = a.statements.groupby("speaker").size()
    states = {s: report.group_labels(reg, s, "country") for s in by_speaker.index}
    some = next(s for s, g in states.items() if g)
    code = states[some][0][0]
    g = report.load_analysis(_articles(tmp_path, compare_by="group",
                                       groups={"one": [code], "named": [some]},
                                       speakers_to_compare=["one", "named"]))
    counts = g.statements.groupby("speaker").size()
    assert counts["named"] == by_speaker[some]
    assert counts["one"] == sum(by_speaker[s] for s, gs in states.items()
                                if gs and gs[0][0] == code)
    assert set(g.statements["member"]) <= set(by_speaker.index)
    assert set(g.aggregates["group"]) == {"one", "named"}
    assert g.compared == ["one", "named"]
    c = report.load_analysis(_articles(tmp_path, compare_by="country",
                                       speakers_to_compare=[code]))
    assert c.statements.groupby("speaker").size()[code] == counts["one"]
    report.figure(c, "comparison", save=False)  # draws groups outside the registry
    from analysis.figures import SPEAKER_COLOURS

    assert [report.speaker_colours(g)[k] for k in ("one", "named")] == list(SPEAKER_COLOURS[:2])


@pytest.mark.shared
def test_the_general_debate_example_report_runs(root: Path, tmp_path: Path,
                                                shared_corpora: Path) -> None:
    archive = shared_corpora / "ungdc-1946-2024.tar.gz"
    if not archive.is_file():
        pytest.skip(f"needs the General Debate archive {archive} (../shared)")
    out = tmp_path / "p5"
    lines: list[str] = []
    result = runner.run_report(root / "params" / "ungdc-p5-2016.yml", output_dir=out,
                               log=lines.append)
    a = report.load_analysis(report.check_parameters(
        **runner.load_params(root / "params" / "ungdc-p5-2016.yml") | {"output_dir": str(out)}))
    assert len(a.docs) == 5
    assert sorted(d.id for d in a.docs) == ["CHN_71_2016", "FRA_71_2016", "GBR_71_2016",
                                            "RUS_71_2016", "USA_71_2016"]
    assert set(a.statements["speaker"]) == {"USA", "RUS", "CHN", "GBR", "FRA"}
    assert a.unit == "sentence"
    assert a.compared == ["USA", "RUS", "CHN", "GBR", "FRA"]
    assert not [w for w in report.thin_results(a) if "has no statement" in w]
    assert result.index.read_text(encoding="utf-8").count('class="thumb"') == len(report.FIGURES)


def test_the_run_says_the_warnings_and_counts_sentences_at_either_unit(tmp_path: Path) -> None:
    p = _articles(tmp_path, speakers_to_compare=["velkova", "hallam"])
    lines: list[str] = []
    summary, warned = runner._summary(p, lines.append)
    assert lines == [f"warning: {warned[0]}\n"]
    assert warned[0].startswith("speaker 'hallam' (speakers_to_compare) has no statement")
    by_sentence = report.summary_table(report.load_analysis(_articles(
        tmp_path, speakers_to_compare=["velkova", "hallam"], unit="sentence")))
    assert by_sentence.equals(summary)


def test_a_bad_subset_is_refused_with_the_parameters() -> None:
    with pytest.raises(AnalysisError) as e:
        report.check_parameters(years="2016-2010", countries=["XXX"])
    assert _where(e.value) == ["years", "countries"]
    assert "bad year range '2016-2010': 2016 is after 2010" in str(e.value)
    p = report.check_parameters(years=2016, countries=["USA", "RUS"])
    assert (p.years, p.countries) == ("2016", ("USA", "RUS"))
    assert report.subset_text(p) == "years 2016; countries USA, RUS"


def test_the_example_params_files_use_sentence_level_and_groups(root: Path) -> None:
    ukraine = runner.load_params(root / "params" / "unsc-ukraine.yml")
    assert ukraine["unit"] == "sentence"
    p5 = report.check_parameters(**runner.load_params(root / "params" / "ungdc-p5-2016.yml")
                                 | {"corpus_paths": ["corpus"]})  # runs without ../shared
    assert (p5.compare_by, p5.years, p5.countries) == (
        "country", "2016", ("USA", "RUS", "CHN", "GBR", "FRA"))
    assert p5.speakers_to_compare == p5.countries


def test_written_tables_carry_the_metadata_columns(tmp_path: Path) -> None:
    a = report.load_analysis(_articles(tmp_path))
    written = report.write_tables(a)
    assert list(written["table"]) == ["statements", "scores", "evidence", "targets",
                                      "aggregates", "criticism"]
    for name in ("statements", "scores", "evidence", "targets"):
        frame = pd.read_csv(tmp_path / "out" / f"{name}.csv")
        assert {"doc_id", "date", "speaker", "speaker_country", "kind"} <= set(frame.columns)
    targets = pd.read_csv(tmp_path / "out" / "targets.csv", keep_default_na=False)
    assert {"target_kind", "target_country"} <= set(targets.columns)
    scores = pd.read_csv(tmp_path / "out" / "scores.csv", keep_default_na=False)
    velkova = scores[scores["speaker"] == "velkova"]
    assert len(velkova) and set(velkova["kind"]) <= {"direct", "mixed", "indirect", "statement"}
    criticism = pd.read_csv(tmp_path / "out" / "criticism.csv", keep_default_na=False)
    assert list(criticism.columns) == [
        "compare_by", "unit", "source", "source_name", "source_country", "target",
        "target_name", "target_kind", "n_statements_source", "n_sentences_source",
        "n_negative", "share", "ci_low", "ci_high"]
    assert len(criticism) == len(report.criticism_table(a))


# ------------------------------------------------------------------ who criticises whom


def test_the_seed_says_who_criticises_whom_at_either_unit() -> None:
    a = report.load_analysis(report.check_parameters())
    assert a.unit == "statement"  # the seed's short quotes; stance is per sentence all the same
    assert len(a.sentences) > len(a.scores)
    assert a.sentences["negative_evaluation"].dtype == bool
    t = report.criticism_table(a, compared_only=True)
    assert list(dict.fromkeys(t["source"])) == ["power", "churkin", "centcom"]
    cell = t.set_index(["source", "target"])
    assert cell.at[("churkin", "USA"), "n_negative"] >= 1
    assert cell.at[("power", "RUS"), "n_negative"] >= 1
    assert cell.at[("power", "SYR"), "n_negative"] >= 1
    assert t.loc[t["source"] == "centcom", "n_negative"].sum() == 0
    # the seed's exact cells: Power 2 of her 7 sentences each of Russia and Syria, Churkin
    # his one sentence of the United States
    assert (cell.at[("power", "RUS"), "n_negative"], cell.at[("power", "RUS"),
                                                              "n_sentences_source"]) == (2, 7)
    assert cell.at[("power", "SYR"), "n_negative"] == 2
    assert cell.at[("churkin", "USA"), "share"] == 1.0
    assert set(t["target_name"]) >= {"Russia", "United States"}
    assert set(t.loc[t["source"] == "power", "source_country"]) == {"USA"}
    # the same counts from the sentence-level analysis of the same corpus
    b = report.load_analysis(report.check_parameters(unit="sentence"))
    same = report.criticism_table(b, compared_only=True)
    cols = ["source", "target", "n_sentences_source", "n_negative", "share"]
    assert same[cols].equals(t[cols])


def test_criticism_counts_the_compared_groups(tmp_path: Path) -> None:
    a = report.load_analysis(report.check_parameters(
        compare_by="country", speakers_to_compare=["USA", "RUS"],
        output_dir=str(tmp_path / "out")))
    t = report.criticism_table(a, compared_only=True).set_index(["source", "target"])
    # Power and CENTCOM (and the US military) count for USA, Churkin and Russia's ministry
    # for RUS; a state never criticises itself
    assert t.at[("USA", "RUS"), "n_negative"] >= 1 and t.at[("RUS", "USA"), "n_negative"] >= 2
    assert t.at[("USA", "USA"), "n_negative"] == 0 and t.at[("RUS", "RUS"), "n_negative"] == 0
    assert set(t["compare_by"]) == {"country"}
    assert t.at[("USA", "RUS"), "source_country"] == "USA"
