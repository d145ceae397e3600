"""The studies (notebooks 05_validation and 06_general_debate) and the runner's choice of
notebooks: the default report stays 01-04, a parameters file's ``notebooks:`` chooses others."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis import aggregation, figures, runner, studies
from analysis.errors import AnalysisError

DEFAULT_REPORT = ["01_statements", "02_sentiment", "03_framing", "04_comparison"]
STUDIES = ["05_validation", "06_general_debate"]


# ------------------------------------------------------------------------ notebook selection


def test_the_default_report_is_01_to_04_and_the_studies_are_marked(root: Path) -> None:
    assert [p.stem for p in runner.notebook_paths()] == DEFAULT_REPORT
    assert [p.stem for p in runner.all_notebooks()] == DEFAULT_REPORT + STUDIES
    assert [p.stem for p in runner.all_notebooks() if runner.is_study(p)] == STUDIES
    nbs, declared, params = runner.read_report_params(root / "params" / "default.yml")
    assert [p.stem for p in nbs] == DEFAULT_REPORT
    assert "notebooks" not in params


def test_make_test_gives_nbval_the_default_report_only(root: Path) -> None:
    done = subprocess.run(["make", "-s", "-n", "-o", ".venv/.ready-discourse-analysis", "test"],
                          cwd=root, capture_output=True, text=True, check=True)
    (line,) = [ln for ln in done.stdout.splitlines() if "--nbval" in ln]
    listed = line.split("pytest tests ", 1)[1].split(" --nbval", 1)[0]
    shown = subprocess.run(["bash", "-c", f"echo {listed}"], cwd=root, capture_output=True,
                           text=True, check=True).stdout.split()
    assert shown == [f"notebooks/{n}.ipynb" for n in DEFAULT_REPORT]


@pytest.mark.parametrize(("file", "notebook"), [("validation.yml", "05_validation"),
                                                ("ungdc-stance.yml", "06_general_debate")])
def test_a_study_params_file_chooses_its_notebook_and_gives_its_parameters(
        root: Path, file: str, notebook: str) -> None:
    nbs, declared, params = runner.read_report_params(root / "params" / file)
    assert [p.stem for p in nbs] == [notebook]
    own = runner.notebook_parameters(nbs)
    assert declared == own
    assert set(params) == set(own)  # every parameter of the notebook, and only those
    # the notebook's own defaults are the values of its checker's defaults
    check = {"05_validation": studies.check_validation_parameters,
             "06_general_debate": studies.check_general_debate_parameters}[notebook]
    assert check() == check(**{k: runner._default(own, k, None) for k in own})


def test_unknown_notebook_names_and_keys_are_one_error(tmp_path: Path, root: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text("n_samples: 3\nnotebooks: [05_validation, 07_nope]\ncorpus_paths: [x]\n",
                    encoding="utf-8")
    with pytest.raises(AnalysisError) as e:
        runner.read_report_params(path)
    unknown, key = e.value.problems
    assert unknown.where == str(path) and unknown.entry == "notebooks (line 2)"
    assert unknown.message.startswith("unknown notebook '07_nope'; valid notebooks: "
                                      "['01_statements', '02_sentiment', '03_framing', "
                                      "'04_comparison', '05_validation', '06_general_debate']")
    # a key the chosen notebook does not declare stays an error
    assert key.entry == "corpus_paths"
    assert key.message.startswith("unknown parameter; valid parameters: ['corpora_dir', "
                                  "'coded_csv', 'registry_file', 'n_samples', 'output_dir', "
                                  "'figure_dir', 'figure_formats']")


def test_a_notebooks_value_of_the_wrong_type_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text("notebooks: {a: 1}\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match=r"p\.yml: notebooks.*must be a list"):
        runner.read_report_params(path)


def _book(path: Path, params: str, body: str, *, study: bool = False,
          prepare: str | None = None) -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": runner.KERNEL_NAME, "language": "python",
                                 "display_name": "Python (discourse-analysis)"}
    if study:
        nb.metadata["report"] = {"default": False} | ({"prepare": prepare} if prepare else {})
    pc = new_code_cell(params)
    pc.metadata["tags"] = ["parameters"]
    nb.cells = [new_markdown_cell(f"# {path.stem}"), pc, new_code_cell(body)]
    nbformat.write(nb, path)


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    folder = tmp_path / "nbs"
    folder.mkdir()
    _book(folder / "01_plain.ipynb", 'word: str = "a"\noutput_dir: str = "out"', "print(word)")
    _book(folder / "02_study.ipynb", 'other: int = 1\noutput_dir: str = "out"',
          "print(other * 3)", study=True)
    return folder


def _printed(nb_path: Path) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)


def test_the_runner_runs_the_default_set_or_the_chosen_notebooks(tmp_path: Path,
                                                                 shelf: Path) -> None:
    out = tmp_path / "rep"
    path = tmp_path / "p.yml"
    path.write_text(f"word: hi\noutput_dir: {out}\n", encoding="utf-8")
    result = runner.run_report(path, notebooks=shelf, log=lambda m: None)
    assert [p.name for p in result.notebooks] == ["01_plain.ipynb"]
    assert _printed(out / "01_plain.ipynb") == "hi\n"
    assert not (out / "02_study.ipynb").exists()

    out2 = tmp_path / "rep2"
    path.write_text(f"notebooks: [02_study]\nother: 5\noutput_dir: {out2}\n", encoding="utf-8")
    result = runner.run_report(path, notebooks=shelf, log=lambda m: None)
    assert [p.name for p in result.notebooks] == ["02_study.ipynb"]
    assert _printed(out2 / "02_study.ipynb") == "15\n"

    # both at once: each notebook is given only the parameters it declares
    out3 = tmp_path / "rep3"
    path.write_text(f"notebooks: [02_study, 01_plain]\nword: yo\nother: 2\noutput_dir: {out3}\n",
                    encoding="utf-8")
    runner.run_report(path, notebooks=shelf, log=lambda m: None)
    plain = nbformat.read(out3 / "01_plain.ipynb", as_version=4)
    injected = [c.source for c in plain.cells if "injected-parameters" in c.metadata.get(
        "tags", [])]
    assert "other" not in injected[0] and 'word = "yo"' in injected[0]
    assert _printed(out3 / "02_study.ipynb") == "6\n"


def test_a_prepare_step_outside_the_package_is_refused(tmp_path: Path, shelf: Path) -> None:
    _book(shelf / "03_bad.ipynb", 'n: int = 1\noutput_dir: str = "out"', "print(n)", study=True,
          prepare="os:getcwd")
    path = tmp_path / "p.yml"
    path.write_text(f"notebooks: [03_bad]\noutput_dir: {tmp_path / 'rep'}\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match="must name a function of the analysis package"):
        runner.run_report(path, notebooks=shelf, log=lambda m: None)


# ------------------------------------------------------------------- over-time aggregation


def _frame() -> pd.DataFrame:
    """Fictional states AAA and BBB: three speeches of AAA, one of BBB, over two decades."""
    rows = [  # statement, country, date, negative evaluation, its target countries
        ("a1", "AAA", "1991", True, "BBB"), ("a1", "AAA", "1991", False, ""),
        ("a1", "AAA", "1991", True, "BBB;CCC"), ("a1", "AAA", "1991", False, ""),
        ("a2", "AAA", "1995-09-20", True, "CCC"), ("a2", "AAA", "1995-09-20", False, ""),
        ("a3", "AAA", "2003", True, ""), ("a3", "AAA", "2003", True, "BBB"),
        ("b1", "BBB", "1999", False, ""), ("b1", "BBB", "1999", True, "AAA"),
        ("x1", "AAA", "", True, "BBB"),  # no year: left out
        ("z1", "", "1991", True, "AAA"),  # no country: left out
    ]
    return pd.DataFrame(rows, columns=["statement_id", "speaker_country", "date",
                                       "negative_evaluation", "stance_target_country"])


def test_negative_evaluation_over_time_by_decade_has_exact_shares_and_n() -> None:
    out = aggregation.negative_evaluation_over_time(_frame(), countries=["BBB", "AAA"],
                                                    n_boot=200)
    assert list(out.columns) == ["country", "period", "n_statements", "n_sentences",
                                 "negative_evaluations", "share", "ci_low", "ci_high"]
    got = out[["country", "period", "n_statements", "n_sentences", "negative_evaluations"]]
    assert got.values.tolist() == [["BBB", 1990, 1, 2, 1], ["AAA", 1990, 2, 6, 3],
                                   ["AAA", 2000, 1, 2, 2]]
    assert out["share"].tolist() == [50.0, 50.0, 100.0]
    # one statement in a cell: every resample is that statement
    assert out.loc[0, ["ci_low", "ci_high"]].tolist() == [50.0, 50.0]
    assert out.loc[2, ["ci_low", "ci_high"]].tolist() == [100.0, 100.0]
    # AAA in the 1990s: speeches a1 (2 of 4) and a2 (1 of 2) resampled: the pooled share of
    # any resample lies between 1/2 and 2/4, so the interval is exactly 50 to 50
    assert out.loc[1, ["ci_low", "ci_high"]].tolist() == [50.0, 50.0]
    again = aggregation.negative_evaluation_over_time(_frame(), countries=["BBB", "AAA"],
                                                      n_boot=200)
    pd.testing.assert_frame_equal(out, again)


def test_negative_evaluation_over_time_by_year_and_interval_from_speeches() -> None:
    frame = _frame()
    frame.loc[frame["statement_id"] == "a2", "date"] = "1991"
    out = aggregation.negative_evaluation_over_time(frame, countries=["AAA"], period="year",
                                                    n_boot=500, seed=7)
    assert out[["period", "n_statements", "n_sentences", "negative_evaluations"]
               ].values.tolist() == [[1991, 2, 6, 3], [2003, 1, 2, 2]]
    assert out["share"].tolist() == [50.0, 100.0]
    assert out.loc[0, "ci_low"] <= 50.0 <= out.loc[0, "ci_high"]
    every = aggregation.negative_evaluation_over_time(frame, period="year", n_boot=10)
    assert sorted(set(every["country"])) == ["AAA", "BBB"]  # default: every country, sorted
    with pytest.raises(AnalysisError, match="unknown period 'century'"):
        aggregation.negative_evaluation_over_time(frame, period="century")


def test_top_targets_over_time_counts_each_named_state() -> None:
    out = aggregation.top_targets_over_time(_frame(), countries=["AAA", "BBB"], n=2)
    assert out.values.tolist() == [
        # AAA, 1990s: 3 negative evaluations; BBB named in 2, CCC in 2 (ties by code)
        ["AAA", 1990, 1, "BBB", 2, pytest.approx(200 / 3)],
        ["AAA", 1990, 2, "CCC", 2, pytest.approx(200 / 3)],
        # AAA, 2000s: 2 negative evaluations, one names no state
        ["AAA", 2000, 1, "BBB", 1, 50.0],
        ["BBB", 1990, 1, "AAA", 1, 100.0],
    ]
    assert aggregation.top_targets_over_time(_frame(), countries=["AAA"], n=1)[
        "target_country"].tolist() == ["BBB", "BBB"]


# -------------------------------------------------------------------------------- figures


def test_study_figures_are_byte_reproducible(tmp_path: Path) -> None:
    metrics = pd.DataFrame({"type": ["any", "direct"], "precision": [0.5, 0.25],
                            "recall": [0.75, 0.5], "f1": [0.6, 0.333], "gold": [8, 4],
                            "tool": [12, 8]})
    confusion = pd.DataFrame([[3, 1], [2, 9]], index=pd.Index(["direct", "none"], name="gold"),
                             columns=["direct", "none"])
    over = aggregation.negative_evaluation_over_time(_frame(), n_boot=50)
    draw = {"scores": lambda: figures.validation_scores(metrics),
            "confusion": lambda: figures.validation_confusion(confusion),
            "time": lambda: figures.stance_over_time(over, countries=["AAA", "BBB"])}
    for name, make in draw.items():
        first = figures.save_figure(make(), tmp_path / "a" / name)
        second = figures.save_figure(make(), tmp_path / "b" / name)
        assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second], name


# ------------------------------------------------------------------------------ parameters


def test_general_debate_parameters_name_every_problem(tmp_path: Path) -> None:
    with pytest.raises(AnalysisError) as e:
        studies.check_general_debate_parameters(
            years="19x", countries_to_compare=["USA", "XXQ"], period="century", workers=0,
            dataset_dir="notebooks/data", figure_formats=["gif"])
    where = [p.where for p in e.value.problems]
    assert where == ["dataset_dir", "years", "countries_to_compare", "period", "workers",
                     "figure_formats"]
    assert "unknown country code 'XXQ'" in str(e.value)


def test_validation_parameters_name_a_missing_csv(tmp_path: Path) -> None:
    with pytest.raises(AnalysisError, match="coded_csv: no such file"):
        studies.check_validation_parameters(coded_csv=str(tmp_path / "none.csv"))


# ----------------------------------------------------------------------- notebooks, run


def _study_params(root: Path, tmp_path: Path, file: str, **extra: object) -> Path:
    data = yaml.safe_load((root / "params" / file).read_text(encoding="utf-8"))
    data |= {"output_dir": str(tmp_path / "out"), "figure_dir": str(tmp_path / "out" / "figs")}
    data |= extra
    path = tmp_path / file
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_validation_says_not_available_without_the_corpora(tmp_path: Path, root: Path) -> None:
    empty = tmp_path / "corpora"
    empty.mkdir()
    params = _study_params(root, tmp_path, "validation.yml", corpora_dir=str(empty))
    runner.run_report(params, log=lambda m: None)
    text = _printed(tmp_path / "out" / "05_validation.ipynb")
    assert text.startswith("Not available: the UNSCon dev coding is not in ")
    assert "Nothing was validated" in text
    assert not (tmp_path / "out" / "figs").exists()
    assert not list((tmp_path / "out").glob("validation_*.csv"))


def test_validation_of_a_users_coded_csv_runs_without_the_corpora(tmp_path: Path,
                                                                  root: Path) -> None:
    # the fictional fixture of tests/test_validation.py, through the notebook
    stance = Path(__file__).parent / "data" / "stance"
    params = _study_params(root, tmp_path, "validation.yml", corpora_dir=str(tmp_path / "no"),
                           coded_csv=str(stance / "coded.csv"),
                           registry_file=str(stance / "registry.yml"))
    runner.run_report(params, log=lambda m: None)
    out = tmp_path / "out"
    assert _printed(out / "05_validation.ipynb").startswith(
        "Validated against your coded sentences in ")
    pooled = pd.read_csv(out / "validation_pooled.csv").set_index("type")
    assert (pooled.loc["any", "precision"], pooled.loc["any", "recall"]) == (0.667, 1.0)
    targets = pd.read_csv(out / "validation_targets.csv")
    assert targets[["right", "n"]].values.tolist()[0] == [1.0, 2]
    assert not (out / "validation_per_fold.csv").exists()  # no folds: one coded sample
    alarms = pd.read_csv(out / "validation_false_alarms.csv")
    assert alarms["evidence"].tolist() == [
        "cues: terrorized; rule: negative cues (score 1) + proxy separatists"]


def test_a_bad_coded_csv_stops_the_run_before_any_notebook(tmp_path: Path, root: Path) -> None:
    bad = tmp_path / "coded.csv"
    bad.write_text("sentence,label\nA.,hostile\n", encoding="utf-8")
    params = _study_params(root, tmp_path, "validation.yml", coded_csv=str(bad))
    with pytest.raises(AnalysisError, match=r"row 2: unknown label 'hostile'"):
        runner.run_report(params, log=lambda m: None)
    assert not (tmp_path / "out").exists()


@pytest.mark.shared
def test_validation_notebook_runs_through_its_params_file(
        tmp_path: Path, root: Path, shared_corpora: Path) -> None:
    params = _study_params(root, tmp_path, "validation.yml", corpora_dir=str(shared_corpora))
    result = runner.run_report(params, log=lambda m: None)
    assert [p.name for p in result.notebooks] == ["05_validation.ipynb"]
    out = tmp_path / "out"
    assert _printed(out / "05_validation.ipynb").startswith("Validated against UNSCon dev")
    # the same study computed here, in this process: the same tables, byte-identical figures
    again = studies.validation_study(studies.check_validation_parameters(
        corpora_dir=shared_corpora, output_dir=tmp_path / "again",
        figure_dir=tmp_path / "again" / "figs"))
    pooled = pd.read_csv(out / "validation_pooled.csv")
    pd.testing.assert_frame_equal(pooled, again.tables["pooled"], check_dtype=False)
    assert list(pooled["type"]) == ["any", "direct", "indirect", "challenge", "correction"]
    for name in ("validation_scores", "validation_confusion"):
        studies.validation_figure(again, name)
        for fmt in ("png", "svg"):
            assert ((out / "figs" / f"{name}.{fmt}").read_bytes()
                    == (tmp_path / "again" / "figs" / f"{name}.{fmt}").read_bytes()), name
    per_fold = pd.read_csv(out / "validation_per_fold.csv")
    assert sorted(set(per_fold["held_out"])) == ["UNSC_2014_SPV.7138", "UNSC_2014_SPV.7154",
                                                  "UNSC_2016_SPV.7643"]
    assert sorted(p.name for p in (out / "figs").iterdir()) == [
        "validation_confusion.png", "validation_confusion.svg", "validation_scores.png",
        "validation_scores.svg"]
    assert {f.name for f in result.figures} >= {"validation_scores.png"}


def test_general_debate_says_not_available_without_the_archive(tmp_path: Path,
                                                              root: Path) -> None:
    params = _study_params(root, tmp_path, "ungdc-stance.yml",
                           archive=str(tmp_path / "none.tar.gz"),
                           dataset_dir=str(tmp_path / "dataset"))
    lines: list[str] = []
    runner.run_report(params, log=lines.append)
    assert "Not available: the General Debate archive is not at " in "".join(lines)
    text = _printed(tmp_path / "out" / "06_general_debate.ipynb")
    assert "Dataset not there yet" in text and "Not available" in text
    assert text.endswith("nothing to show\n")
    assert not (tmp_path / "dataset").exists()
    assert not list((tmp_path / "out").glob("*.csv"))


@pytest.mark.shared
def test_general_debate_runs_end_to_end_on_one_session(
        tmp_path: Path, root: Path, shared_corpora: Path) -> None:
    from analysis.pipeline import read_run

    dataset = tmp_path / "dataset"
    params = _study_params(root, tmp_path, "ungdc-stance.yml", years="1970",
                           dataset_dir=str(dataset),
                           archive=str(shared_corpora / "ungdc-1946-2024.tar.gz"))
    lines: list[str] = []
    runner.run_report(params, log=lines.append)
    said = "".join(lines)
    assert "Running the pipeline over the sessions of 1970" in said
    assert json.loads((dataset / studies.SELECTION_RECORD).read_text()) == {
        "archive": str(shared_corpora / "ungdc-1946-2024.tar.gz"), "years": "1970"}
    out = tmp_path / "out"
    table = pd.read_csv(out / "stance_over_time.csv")
    scores = read_run(dataset, columns=["speaker_country", "kind", "negative_evaluation"])
    own = scores[(scores["kind"] == "statement") & scores["speaker_country"].isin(studies.P5)]
    expected = own.groupby("speaker_country").agg(
        n=("negative_evaluation", "size"), k=("negative_evaluation", "sum"))
    assert table["period"].tolist() == [1970] * len(expected)
    assert table["country"].tolist() == [c for c in studies.P5 if c in expected.index]
    got = table.set_index("country")
    assert got["n_sentences"].to_dict() == expected["n"].to_dict()
    assert got["negative_evaluations"].to_dict() == expected["k"].to_dict()
    top = pd.read_csv(out / "stance_top_targets.csv")
    assert set(top["country"]) <= set(studies.P5) and (top["rank"] <= 5).all()
    assert sorted(p.name for p in (out / "figs").iterdir()) == ["stance_over_time.png",
                                                               "stance_over_time.svg"]
    # a second run reads the finished dataset; another selection in it is an error
    lines.clear()
    runner.run_report(params, log=lines.append)
    assert "Dataset complete" in "".join(lines) and "Running" not in "".join(lines)
    # an interrupted run (no _SUCCESS) is resumed: its finished partition is kept
    (dataset / "_SUCCESS").unlink()
    lines.clear()
    runner.run_report(params, log=lines.append)
    said = "".join(lines)
    assert "Dataset incomplete: " in said and "holds 1 finished partition(s)" in said
    assert "0 partition(s) written, 1 kept from an earlier run" in said
    assert (dataset / "_SUCCESS").is_file()
    assert pd.read_csv(out / "stance_over_time.csv").equals(table)
    # a dataset another version of the analysis wrote (other stance rules, say) is redone
    for f in (dataset / "_manifest.json", dataset / "_parts" / "part-00000.json"):
        f.write_text(json.dumps({**json.loads(f.read_text()), "analysis": "0" * 64}))
    lines.clear()
    runner.run_report(params, log=lines.append)
    said = "".join(lines)
    assert "Dataset out of date: " in said and "another version of the analysis" in said
    assert "1 partition(s) written, 0 kept from an earlier run" in said
    assert pd.read_csv(out / "stance_over_time.csv").equals(table)
    other = _study_params(root, tmp_path, "ungdc-stance.yml", years="1971",
                          dataset_dir=str(dataset))
    with pytest.raises(AnalysisError, match="holds a finished run of years 1970, not 1971"):
        runner.run_report(other, log=lambda m: None)
