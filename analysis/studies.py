"""The studies: notebooks ``05_validation`` and ``06_general_debate``, outside the default report.

Each study runs through its own parameters file (``make report PARAMS=params/validation.yml``,
``make report PARAMS=params/ungdc-stance.yml``, whose ``notebooks:`` key chooses the notebook;
see :func:`analysis.runner.read_report_params`). The notebooks stay thin: they check their
parameters here, call these functions and show what they return.

- **Validation** (:func:`validation_study`): the stance measure against human coding, by
  :mod:`analysis.validation` -- UNSCon dev (Zaczynska, Bourgonje & Stede, "How Diplomats
  Dispute: The UN Security Council Conflict Corpus", LREC-COLING 2024; CC BY-SA 4.0),
  cross-validated by meeting, or a user's own coded CSV (``coded_csv``). Without the data it
  says so (:attr:`ValidationStudy.message`) and computes nothing.
- **The General Debate over time** (:func:`ensure_dataset`, :func:`read_dataset`,
  :func:`general_debate_tables`): the partitioned Parquet dataset of the whole UN General
  Debate archive (:func:`analysis.pipeline.run_corpus`, resumable; a few minutes on two
  cores), then the share of sentences negatively evaluating another party per country and
  period (:func:`analysis.aggregation.negative_evaluation_over_time`) and who is criticised
  (:func:`analysis.aggregation.top_targets_over_time`).

Example (what ``06_general_debate`` does)::

    from analysis import studies
    p = studies.check_general_debate_parameters(archive=..., dataset_dir=..., ...)
    studies.ensure_dataset(p)                 # runs the pipeline if the dataset is not complete
    scores = studies.read_dataset(p)
    t = studies.general_debate_tables(p, scores)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import aggregation, validation
from .errors import AnalysisError, Problem
from .formats import check_formats
from .io import atomic_write, display_path, write_table
from .io import resolve_path as _resolve

#: The five permanent members of the Security Council (ISO3), the default countries of 06.
P5: tuple[str, ...] = ("USA", "RUS", "CHN", "GBR", "FRA")
#: The citation of the human coding 05 compares with (its licence: CC BY-SA 4.0).
UNSCON_CITATION = ("Zaczynska, K., Bourgonje, P. & Stede, M. (2024). How Diplomats Dispute: "
                   "The UN Security Council Conflict Corpus. LREC-COLING 2024. "
                   "Licence CC BY-SA 4.0.")
#: The record 06 writes in its dataset folder after a finished run: which archive and years.
SELECTION_RECORD = "_study.json"
#: The columns of the scores table 06 reads (not the ~60 of the whole table).
DATASET_COLUMNS = ("statement_id", "doc_id", "date", "speaker_country", "kind",
                   "negative_evaluation", "stance_target_country")
#: Statement kinds 06 counts: the speech's own words (quotes of a state inside another
#: state's speech are that state's words only as reported, and left out).
OWN_WORDS = ("statement",)


def _folder_problems(name: str, folder: Path, inputs: Iterable[Path] = ()) -> list[Problem]:
    from .report import output_folder_problems

    return output_folder_problems(name, folder, inputs)


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise AnalysisError(problems)


def _common(output_dir: Any, figure_dir: Any, figure_formats: Any, problems: list[Problem],
            inputs: Iterable[Path] = ()) -> tuple[Path, Path, tuple[str, ...]]:
    """The output folders and figure formats every study takes, checked."""
    from .schema import PathText, TextList, validate

    out, figs, formats = Path("."), Path("."), ()
    for name, value in (("output_dir", output_dir), ("figure_dir", figure_dir)):
        try:
            folder = _resolve(validate(PathText, value, name))
        except AnalysisError as e:
            problems.extend(e.problems)
            continue
        problems.extend(_folder_problems(name, folder, inputs))
        out, figs = (folder, figs) if name == "output_dir" else (out, folder)
    try:
        formats = check_formats(validate(TextList, figure_formats, "figure_formats"),
                                parameter="figure_formats")
    except AnalysisError as e:
        problems.extend(e.problems)
    return out, figs, formats


def _typed(name: str, value: Any, problems: list[Problem]) -> Any:
    """``value`` validated as the report parameter ``name`` (its type in the schema)."""
    from .schema import ReportParams, field_schema, validate

    try:
        return validate(field_schema(ReportParams, name), value, name)
    except AnalysisError as e:
        problems.extend(e.problems)
        return None


def _save(fig: Any, folder: Path, name: str, formats: Sequence[str]) -> Any:
    from . import figures  # on first use: checking a study's parameters loads no matplotlib

    figures.save_figure(fig, folder / name, formats=formats)
    return fig


# ---------------------------------------------------------------------------- 05_validation


@dataclass(frozen=True)
class ValidationParams:
    """The checked parameters of ``05_validation`` (paths resolved from the project root)."""

    corpora_dir: Path
    coded_csv: Path | None
    registry_file: Path | None
    n_samples: int
    output_dir: Path
    figure_dir: Path
    figure_formats: tuple[str, ...]


def check_validation_parameters(*, corpora_dir: Any = "../shared/corpora",
                                coded_csv: Any = None, registry_file: Any = None,
                                n_samples: Any = 5,
                                output_dir: Any = "reports/validation",
                                figure_dir: Any = "reports/validation/figures",
                                figure_formats: Any = ("png", "svg")) -> ValidationParams:
    """Return the parameters of ``05_validation`` checked; one :class:`AnalysisError` names
    every bad one: a value of the wrong type, a ``coded_csv`` or ``registry_file`` that is not
    a file, an output folder inside the project's sources or the corpora, an unknown figure
    format. A missing ``corpora_dir`` is not an error (the study then says the data are not
    available). ``registry_file`` None: the built-in states, as ``python -m analysis
    validate``."""
    problems: list[Problem] = []
    corpora = _typed("corpora_dir", corpora_dir, problems)
    corpora = _resolve(corpora) if corpora is not None else Path("../shared/corpora")
    csv_text = _typed("coded_csv", coded_csv, problems)
    csv_path = None if csv_text is None else _resolve(csv_text)
    if csv_path is not None and not csv_path.is_file():
        problems.append(Problem("coded_csv", f"no such file: {csv_path} (None = UNSCon dev)"))
    reg_text = _typed("registry_file", registry_file, problems)
    reg_path = None if reg_text is None else _resolve(reg_text)
    if reg_path is not None and not reg_path.is_file():
        problems.append(Problem("registry_file", f"no such file: {reg_path} (None = the "
                                                 "built-in states)"))
    n = _typed("n_samples", n_samples, problems)
    inputs = [corpora] + [q for q in (csv_path, reg_path) if q is not None]
    out, figs, formats = _common(output_dir, figure_dir, figure_formats, problems, inputs)
    _raise(problems)
    return ValidationParams(corpora, csv_path, reg_path, int(n), out, figs, formats)


@dataclass
class ValidationStudy:
    """The outcome of :func:`validation_study`: the :class:`~analysis.validation.Validation`
    (None when the data are not available, then ``message`` says why) and the tables."""

    params: ValidationParams
    message: str
    result: validation.Validation | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        """True when there was something to validate against."""
        return self.result is not None


def unscon_available(corpora: Path) -> bool:
    """Return True when ``corpora`` holds the UNSCon dev coding and the UMUC speech texts."""
    return (corpora / validation.UNSCON_FILE).is_file() and (corpora / validation.UMUC_DIR
                                                              ).is_dir()


def per_fold_metrics(v: validation.Validation) -> pd.DataFrame:
    """Return P/R/F1 per type for each held-out meeting (``held_out`` first; the rows of
    :func:`analysis.validation.metrics` on that meeting's sentences), meetings sorted."""
    frames = []
    for meeting in sorted({s.gold.group for s in v.scored}):
        m = validation.metrics([s for s in v.scored if s.gold.group == meeting])
        frames.append(m.assign(held_out=meeting)[["held_out", *m.columns]])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def validation_study(p: ValidationParams) -> ValidationStudy:
    """Return the validation of the stance measure: against ``p.coded_csv`` when given
    (:func:`analysis.validation.validate_csv`), else against UNSCon dev in ``p.corpora_dir``
    cross-validated by meeting (:func:`analysis.validation.cross_validate`). When neither is
    there, nothing is computed and ``message`` says so plainly.

    Tables (``tables``): ``pooled`` (P/R/F1 per type, the held-out meetings pooled),
    ``per_fold`` (the same per held-out meeting), ``folds`` (the rules chosen per fold),
    ``targets`` (target accuracy), ``confusion``, ``misses``, ``false_alarms``."""
    from .speakers import load_registry

    registry = load_registry(p.registry_file)
    if p.coded_csv is not None:
        v = validation.validate_csv(p.coded_csv, registry)
        what = f"your coded sentences in {display_path(p.coded_csv)}"
    elif unscon_available(p.corpora_dir):
        v = validation.cross_validate(p.corpora_dir, registry)
        what = ("UNSCon dev (three Security Council meetings), cross-validated: the rules "
                "are tuned on two meetings and scored on the held-out third")
    else:
        return ValidationStudy(p, (
            f"Not available: the UNSCon dev coding is not in {p.corpora_dir} (it needs "
            f"{validation.UNSCON_FILE} and {validation.UMUC_DIR}/; the real corpora live in "
            "../shared/corpora on the developers' machines). Nothing was validated. Give "
            "corpora_dir, or coded_csv for your own hand-coded sentences (columns sentence, "
            "label, optional target and speaker_country)."))
    tables = {"pooled": validation.metrics(v.scored)}
    if v.folds is not None:
        tables["per_fold"] = per_fold_metrics(v)
        tables["folds"] = v.folds
    acc, n = validation.target_accuracy(v.scored)
    facc, fn = validation.target_accuracy(v.scored, flagged=True)
    tables["targets"] = pd.DataFrame([
        {"among": "every gold sentence with a target country", "right": acc, "n": n},
        {"among": "those the tool flags as a stance", "right": facc, "n": fn}])
    tables["confusion"] = validation.confusion(v.scored)
    tables["misses"], tables["false_alarms"] = validation.samples(v.scored, p.n_samples)
    message = (f"Validated against {what}: {len(v.scored):,} sentences"
               + (f" ({v.unaligned} not aligned to the speech texts)" if v.unaligned else "")
               + ".")
    return ValidationStudy(p, message, v, tables)


def write_validation_tables(study: ValidationStudy) -> pd.DataFrame:
    """Write the study's tables as CSV to ``output_dir`` (``validation_<name>.csv``, each
    whole) and return what was written (nothing when the data were not available)."""
    return _write_tables(study.params.output_dir, [
        (name, f"validation_{name}.csv", frame.reset_index() if name == "confusion" else frame)
        for name, frame in study.tables.items()])


def _write_tables(folder: Path, tables: Iterable[tuple[str, str, pd.DataFrame]]
                  ) -> pd.DataFrame:
    """Write each (name, file, frame) of ``tables`` as CSV to ``folder`` (each file whole;
    :func:`analysis.io.write_table`) and return what was written: table, rows, file."""
    rows = []
    for name, file, frame in tables:
        path = folder / file
        write_table(frame, path)
        rows.append({"table": name, "rows": len(frame), "file": display_path(path)})
    return pd.DataFrame(rows, columns=["table", "rows", "file"])


def validation_figure(study: ValidationStudy, name: str) -> Any:
    """Draw, save (``figure_dir``, ``figure_formats``) and return the figure ``name``:
    ``validation_scores`` (:func:`analysis.figures.validation_scores`) or
    ``validation_confusion`` (:func:`analysis.figures.validation_confusion`); None when the
    data were not available."""
    from . import figures

    if not study.available:
        return None
    if name == "validation_scores":
        fig = figures.validation_scores(study.tables["pooled"], title=(
            "Stance against human coding: P/R/F1 per type"
            + (" (held-out meetings pooled)" if "per_fold" in study.tables else "")))
    elif name == "validation_confusion":
        fig = figures.validation_confusion(study.tables["confusion"])
    else:
        raise AnalysisError([Problem("figure", f"unknown figure {name!r}; valid choices: "
                                               "['validation_scores', 'validation_confusion']")])
    return _save(fig, study.params.figure_dir, name, study.params.figure_formats)


# ------------------------------------------------------------------------ 06_general_debate


@dataclass(frozen=True)
class GeneralDebateParams:
    """The checked parameters of ``06_general_debate`` (paths resolved)."""

    archive: Path
    dataset_dir: Path
    years: str | None
    countries_to_compare: tuple[str, ...]
    period: str
    n_top: int
    workers: int | None
    output_dir: Path
    figure_dir: Path
    figure_formats: tuple[str, ...]
    bootstrap_seed: int
    n_boot: int


def check_general_debate_parameters(
        *, archive: Any = "../shared/corpora/ungdc-1946-2024.tar.gz",
        dataset_dir: Any = "reports/ungdc-stance/dataset", years: Any = None,
        countries_to_compare: Any = P5, period: Any = "decade", n_top: Any = 5,
        workers: Any = None, output_dir: Any = "reports/ungdc-stance",
        figure_dir: Any = "reports/ungdc-stance/figures",
        figure_formats: Any = ("png", "svg"), bootstrap_seed: Any = 20160917,
        n_boot: Any = 2000) -> GeneralDebateParams:
    """Return the parameters of ``06_general_debate`` checked; one :class:`AnalysisError`
    names every bad one: wrong types, a bad year range, an unknown ISO3 code, an unknown
    period, ``workers`` 0, a dataset or output folder inside the project's sources or the
    archive. A missing archive is not an error here (:func:`ensure_dataset` says so)."""
    from .documents import selection

    problems: list[Problem] = []
    arch = _typed("archive", archive, problems)
    arch_path = _resolve(arch) if arch is not None else Path("")
    data = _typed("dataset_dir", dataset_dir, problems)
    data_path = _resolve(data) if data is not None else Path("")
    if data is not None:
        problems.extend(_folder_problems("dataset_dir", data_path, [arch_path]))
    span = _typed("years", years, problems)
    codes = _typed("countries_to_compare", countries_to_compare, problems) or []
    codes = [str(c).upper() for c in codes]
    try:  # the readers' own checks of a year range and of ISO3 codes
        selection(years=span, countries=codes or None,
                  names={"countries": "countries_to_compare"})
    except AnalysisError as e:
        problems.extend(e.problems)
    if not codes and "countries_to_compare" not in {q.where for q in problems}:
        problems.append(Problem("countries_to_compare", "no country to compare"))
    when = _typed("period", period, problems)
    top = _typed("n_top", n_top, problems)
    procs = _typed("workers", workers, problems)
    if procs == 0:
        problems.append(Problem("workers", "must be 1 or more (None: every core)"))
    out, figs, formats = _common(output_dir, figure_dir, figure_formats, problems, [arch_path])
    seed = _typed("bootstrap_seed", bootstrap_seed, problems)
    boots = _typed("n_boot", n_boot, problems)
    _raise(problems)
    return GeneralDebateParams(
        archive=arch_path, dataset_dir=data_path,
        years=None if span in (None, "") else str(span), countries_to_compare=tuple(codes),
        period=when or "decade", n_top=int(top), workers=procs, output_dir=out,
        figure_dir=figs, figure_formats=formats, bootstrap_seed=int(seed), n_boot=int(boots))


def _wanted(p: GeneralDebateParams) -> dict[str, Any]:
    return {"archive": str(p.archive), "years": p.years}


def dataset_status(p: GeneralDebateParams) -> tuple[bool, str]:
    """Return whether ``p.dataset_dir`` holds the finished run 06 needs, and a sentence
    saying what is there. A finished run (``_SUCCESS``) records its archive and years
    (:data:`SELECTION_RECORD`); a finished run without that record (``python -m analysis
    run ARCHIVE --out DIR``) is taken as the whole archive. A finished run of other years
    is an :class:`AnalysisError` (give another ``dataset_dir``: one folder per selection)."""
    from .pipeline import SUCCESS, complete_partitions, run_is_current

    d = p.dataset_dir
    record = d / SELECTION_RECORD
    if (d / SUCCESS).is_file():
        try:
            made = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {
                "years": None}
        except ValueError:
            made = {"years": None}
        if made.get("years") != p.years:
            raise AnalysisError([Problem("dataset_dir", (
                f"{display_path(d)} holds a finished run of years {made.get('years') or 'all'},"
                f" not {p.years or 'all'}; give another dataset_dir (one folder per "
                "selection) or delete that folder"))])
        if not run_is_current(d):
            return False, (f"out of date: {display_path(d)} holds a finished run written by "
                           "another version of the analysis (its code, word lists or "
                           "libraries changed); every partition is computed again")
        return True, f"complete: {display_path(d)} holds a finished run"
    parts = complete_partitions(d) if d.is_dir() else 0
    if parts:
        return False, (f"incomplete: {display_path(d)} holds {parts} finished partition(s) "
                       "of an interrupted run; the run resumes from them")
    return False, f"not there yet: {display_path(d)}"


#: Seconds the whole archive took to run on the project's 2-core machine (said before a run).
WHOLE_ARCHIVE_SECONDS = 250


def ensure_dataset(p: GeneralDebateParams, *, progress: bool = True,
                   log: Callable[[str], object] = print) -> Any:
    """Make sure ``p.dataset_dir`` holds the finished run of ``p.archive`` (the years
    ``p.years``): if it does (:func:`dataset_status`), say so and return None; else run
    :func:`analysis.pipeline.run_corpus` (resumable: the partitions an interrupted run
    finished are kept; a progress bar), record the selection and return its
    :class:`~analysis.pipeline.RunSummary`. Without the archive, say so and return None
    (the notebook then has nothing to show)."""
    from .documents import selection
    from .pipeline import run_corpus

    done, said = dataset_status(p)
    log(f"Dataset {said}.")
    if done:
        return None
    if not p.archive.exists():
        log(f"Not available: the General Debate archive is not at {p.archive} (the real "
            "corpora live in ../shared/corpora on the developers' machines); nothing to run.")
        return None
    whole = "the whole archive" if p.years is None else f"the sessions of {p.years}"
    log(f"Running the pipeline over {whole} into {display_path(p.dataset_dir)} (about "
        f"{WHOLE_ARCHIVE_SECONDS / 60:.0f} minutes for the whole archive on two cores; "
        "interrupted, it resumes where it stopped).")
    select = selection(years=p.years) if p.years is not None else None
    t0 = time.perf_counter()
    summary = run_corpus(p.archive, p.dataset_dir, workers=p.workers, progress=progress,
                         log=log, select=select)
    with atomic_write(p.dataset_dir / SELECTION_RECORD, encoding="utf-8") as fh:
        json.dump(_wanted(p), fh, indent=1)
    log(f"Done in {time.perf_counter() - t0:,.0f} s: {summary.documents:,} speeches, "
        f"{summary.rows:,} sentence rows, {summary.written} partition(s) written, "
        f"{summary.resumed} kept from an earlier run ({summary.n_skipped} input(s) skipped).")
    return summary


def dataset_available(p: GeneralDebateParams) -> bool:
    """Return True when the dataset is finished (after :func:`ensure_dataset`)."""
    from .pipeline import SUCCESS

    return (p.dataset_dir / SUCCESS).is_file()


def read_dataset(p: GeneralDebateParams) -> pd.DataFrame:
    """Return the sentence rows of the dataset the study counts: the columns
    :data:`DATASET_COLUMNS`, the speeches' own words (:data:`OWN_WORDS`), in partition order
    (:func:`analysis.pipeline.read_run`)."""
    from .pipeline import read_run

    scores = read_run(p.dataset_dir, "scores", columns=list(DATASET_COLUMNS))
    return scores[scores["kind"].isin(OWN_WORDS)].reset_index(drop=True)


def general_debate_tables(p: GeneralDebateParams, scores: pd.DataFrame) -> dict[str, Any]:
    """Return the study's tables: ``over_time`` (tidy: country, period, n_statements,
    n_sentences, negative_evaluations, share, ci_low, ci_high;
    :func:`analysis.aggregation.negative_evaluation_over_time`), ``share`` (the same wide:
    share by period x country, with n sentences) and ``top_targets`` (the ``n_top`` states
    each country criticises most per period; :func:`analysis.aggregation.top_targets_over_time`)."""
    codes = list(p.countries_to_compare)
    tidy = aggregation.negative_evaluation_over_time(
        scores, countries=codes, period=p.period, n_boot=p.n_boot, seed=p.bootstrap_seed)
    wide = pd.DataFrame()
    if len(tidy):
        cell = tidy.assign(cell=[f"{s:.1f} ({n:,})" for s, n in
                                 zip(tidy["share"], tidy["n_sentences"], strict=True)])
        wide = cell.pivot(index="period", columns="country", values="cell").reindex(
            columns=[c for c in codes if c in set(tidy["country"])]).fillna("")
        wide.columns.name = "% of sentences (n sentences)"
    top = aggregation.top_targets_over_time(scores, countries=codes, period=p.period,
                                            n=p.n_top)
    targets = pd.DataFrame()
    if len(top):
        top = top.assign(cell=[f"{t} {k}" for t, k in
                               zip(top["target_country"], top["sentences"], strict=True)])
        targets = (top.groupby(["country", "period"], sort=False)["cell"]
                   .agg(", ".join).rename("most criticised (sentences)").reset_index())
    return {"over_time": tidy, "share": wide, "top_targets": top.drop(columns="cell",
                                                                       errors="ignore"),
            "top_targets_table": targets}


def write_general_debate_tables(p: GeneralDebateParams, tables: dict[str, Any]) -> pd.DataFrame:
    """Write the tidy tables as CSV to ``output_dir`` (``stance_over_time.csv``,
    ``stance_top_targets.csv``) and return what was written."""
    return _write_tables(p.output_dir, [
        ("over_time", "stance_over_time.csv", tables["over_time"]),
        ("top_targets", "stance_top_targets.csv", tables["top_targets"])])


def over_time_figure(p: GeneralDebateParams, tables: dict[str, Any]) -> Any:
    """Draw, save (``stance_over_time`` in ``figure_dir``) and return the figure of
    :func:`analysis.figures.stance_over_time`."""
    from . import figures

    fig = figures.stance_over_time(tables["over_time"], countries=p.countries_to_compare,
                                   period=p.period)
    return _save(fig, p.figure_dir, "stance_over_time", p.figure_formats)


# ------------------------------------------------------------------- the runner's prepare step


def prepare_validation(*, log: Callable[[str], object] = print, **params: Any) -> None:
    """The runner's step before ``05_validation`` (its notebook metadata ``report.prepare``):
    check the parameters and read the registry and ``coded_csv`` if given (unknown labels or
    target countries are named by row), so that bad input stops the run before any kernel
    starts."""
    from .speakers import load_registry

    p = check_validation_parameters(**params)
    registry = load_registry(p.registry_file)
    if p.coded_csv is not None:
        validation.load_coded_csv(p.coded_csv, registry)


def prepare_general_debate(*, log: Callable[[str], object] = print, **params: Any) -> None:
    """The runner's step before ``06_general_debate`` (its notebook metadata
    ``report.prepare``): check the parameters and, if the dataset is not finished, run the
    pipeline here (:func:`ensure_dataset`), its progress bar on the terminal; the notebook
    then finds the dataset complete."""
    p = check_general_debate_parameters(**params)
    ensure_dataset(p, progress=True, log=lambda msg: log(f"{msg}\n"))
