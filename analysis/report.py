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

import hashlib
import os
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import AnalysisError, Problem, fail
from .formats import check_formats
from .io import display_path, project_root, write_table
from .io import resolve_path as _resolve
from .resources import digest_file, package_digest

#: The parameters every notebook takes (the cell tagged ``parameters``), in order.
PARAMETERS: tuple[str, ...] = (
    "corpus_paths", "speakers_file", "codebook_file", "speakers_to_compare", "output_dir",
    "figure_dir", "figure_formats", "bootstrap_seed", "n_boot", "unit", "compare_by", "groups",
    "years", "countries", "kinds",
)
#: The defaults, as in the notebooks' parameters cells. ``params/default.yml`` differs in
#: ``figure_dir`` only: ``make report`` writes the committed ``figures/``, while a notebook run
#: on its own (papermill, JupyterLab, nbval) writes to the git-ignored ``reports/figures``.
DEFAULTS: dict[str, Any] = {
    "corpus_paths": ["corpus"], "speakers_file": "corpus/speakers.yml", "codebook_file": None,
    "speakers_to_compare": ["power", "churkin", "centcom"], "output_dir": "reports",
    "figure_dir": "reports/figures", "figure_formats": ["png", "svg"],
    "bootstrap_seed": 20160917,
    "n_boot": 2000, "unit": "auto", "compare_by": "speaker", "groups": {},
    "years": None, "countries": [], "kinds": [],
}
#: What ``unit: auto`` goes by: statements whose median length is at least this many words
#: (speeches, whole statement documents, long quotes) are analysed sentence by sentence.
AUTO_SENTENCE_WORDS = 60
#: The values of ``compare_by``: what the compared groups are (see :func:`group_labels`).
COMPARE_BY: tuple[str, ...] = ("speaker", "country", "affiliation", "group")


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
    unit: str = "auto"
    compare_by: str = "speaker"
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    years: str | None = None
    countries: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


#: The project's own folders a run never writes into (besides the run's corpus paths).
SOURCE_FOLDERS: tuple[str, ...] = ("notebooks", "corpus", "params", "analysis")


def output_folder_problems(name: str, folder: Path, inputs: Iterable[Path] = ()
                           ) -> list[Problem]:
    """Return the problems of writing the outputs of parameter ``name`` to ``folder``: it must
    not be, or be inside, the project's :data:`SOURCE_FOLDERS` (the package itself wherever
    it is installed) or any of ``inputs`` (the run's corpus paths), symbolic links resolved
    first; and it must be a folder if it exists. An empty list when it may be written."""
    here = folder.resolve()
    protected = [project_root() / f for f in SOURCE_FOLDERS]
    protected += [Path(__file__).resolve().parent, *inputs]
    for p in dict.fromkeys(q.resolve() for q in protected):
        if here == p or p in here.parents:
            what = "a corpus path of this run" if p not in {
                (project_root() / f).resolve() for f in SOURCE_FOLDERS} | {
                Path(__file__).resolve().parent} else "a source folder of the project"
            return [Problem(name, f"must not be or be inside {display_path(p)} ({what}; a run "
                                  f"never writes into its sources or inputs): {folder}")]
    if here.exists() and not here.is_dir():
        return [Problem(name, f"is a file, not a folder: {folder}")]
    return []


def check_parameters(**params: Any) -> Params:
    """Validate the notebook parameters and return them as :class:`Params`.

    Raises one :class:`AnalysisError` listing every problem, each naming the parameter and
    the valid choices: an unknown parameter name, a value of the wrong type (the schema
    :class:`analysis.schema.ReportParams`), a missing corpus path or registry, an id in
    ``speakers_to_compare`` that the registry does not know, an unknown figure format, a
    bootstrap seed or ``n_boot`` that is not a non-negative integer, an ``output_dir`` or
    ``figure_dir`` that is or is inside a source folder or a corpus path
    (:func:`output_folder_problems`).

    >>> check_parameters(figure_formats=["gif"])
    Traceback (most recent call last):
    ...
    analysis.errors.AnalysisError: 1 problem:
      figure_formats: unknown figure format 'gif'; valid choices: ['png', 'svg', 'pdf']
    """
    from .schema import ReportParams, field_schema, validate

    problems: list[Problem] = []
    v: dict[str, Any] = {}
    for key, value in (DEFAULTS | params).items():
        if key not in PARAMETERS:
            problems.append(Problem(key, "unknown parameter; valid parameters: "
                                    f"{list(PARAMETERS)}"))
            continue
        try:
            v[key] = validate(field_schema(ReportParams, key), value, key)
        except AnalysisError as e:
            problems.extend(e.problems)

    corpus: list[Path] = []
    if "corpus_paths" in v:
        corpus = [_resolve(p) for p in v["corpus_paths"]]
        if not corpus:
            problems.append(Problem("corpus_paths", "no corpus path given"))
        for raw, p in zip(v["corpus_paths"], corpus, strict=True):
            if not p.exists():
                problems.append(Problem("corpus_paths", f"no such file or folder: {p}", raw))

    speakers = list(v.get("speakers_to_compare", []))
    speakers_file = _resolve(v["speakers_file"]) if "speakers_file" in v else None
    if speakers_file is not None and not speakers_file.is_file():
        problems.append(Problem("speakers_file", f"no such file: {speakers_file}"))
    elif speakers_file is not None:
        from .speakers import load_registry

        ids = load_registry(speakers_file).ids
        by = v.get("compare_by", "speaker")
        named = dict(v.get("groups") or {})
        for s in speakers if by in ("speaker", "group") else ():
            if by == "group" and s not in named:
                problems.append(Problem("speakers_to_compare", f"unknown group {s!r} "
                                        f"(compare_by: group); valid choices (groups): "
                                        f"{list(named)}"))
            elif by == "speaker" and s not in ids:
                problems.append(Problem("speakers_to_compare", f"unknown speaker id {s!r}; valid "
                                        f"choices (from {display_path(speakers_file)}): {ids}"))
    if "speakers_to_compare" in v and not speakers:
        problems.append(Problem("speakers_to_compare", "no speaker to compare"))

    codebook = None if v.get("codebook_file") is None else _resolve(v["codebook_file"])
    if codebook is not None and not codebook.is_file():
        problems.append(Problem("codebook_file", f"no such file: {codebook} (None = the default "
                                "codebook)"))

    formats: tuple[str, ...] = ()
    if "figure_formats" in v:
        try:
            formats = check_formats(v["figure_formats"], parameter="figure_formats")
        except AnalysisError as e:
            problems.extend(e.problems)

    folders = {}
    for key in ("output_dir", "figure_dir"):
        if key in v:
            folders[key] = _resolve(v[key])
            problems.extend(output_folder_problems(key, folders[key], corpus))
    if problems:  # unknown names first, then in the order of the parameters
        raise AnalysisError(sorted(problems, key=lambda p: PARAMETERS.index(p.where)
                                   if p.where in PARAMETERS else -1))
    params = Params(
        corpus_paths=tuple(corpus), speakers_file=speakers_file, codebook_file=codebook,
        speakers_to_compare=tuple(speakers), output_dir=folders["output_dir"],
        figure_dir=folders["figure_dir"], figure_formats=formats,
        bootstrap_seed=v["bootstrap_seed"], n_boot=v["n_boot"], unit=v["unit"],
        compare_by=v["compare_by"],
        groups=tuple((k, tuple(m)) for k, m in (v["groups"] or {}).items()),
        years=None if v["years"] in (None, "") else str(v["years"]),
        countries=tuple(v["countries"]), kinds=tuple(v["kinds"]),
    )
    corpus_selection(params)  # a bad year range, country code or kind: before anything runs
    return params


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
    # called again in the same kernel (the cell run twice): replace our formatter rather
    # than wrapping it
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
    :func:`analysis.scoring.score_statements` (at the level ``unit``), ``aggregates`` the tidy
    per-speaker means with bootstrap intervals of :func:`analysis.aggregation.aggregate`.
    ``sentence_rows``: at ``unit: statement``, the sentence-level stance rows of the same
    statements (the statement columns, ``sentence_in_statement``, ``n_tokens`` and the stance
    columns); None at ``unit: sentence``, where the scores are those rows (see
    :attr:`sentences`).
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
    unit: str = "statement"
    unit_note: str = ""
    sentence_rows: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def sentences(self) -> pd.DataFrame:
        """Return the sentence-level rows (stance is always per sentence, whatever the
        unit): the scores at ``unit: sentence``, else :attr:`sentence_rows`."""
        if self.unit == "sentence" or self.sentence_rows is None:
            return self.scores
        return self.sentence_rows

    @property
    def compared(self) -> list[str]:
        """The ``speakers_to_compare`` that have at least one statement."""
        present = set(self.scores["speaker"].dropna())
        return [s for s in self.params.speakers_to_compare if s in present]



#: How many analyses the on-disk cache of an output folder keeps (the oldest go first).
CACHE_ITEMS = 8


@dataclass(frozen=True)
class AnalysisInputs:
    """The parameters that the analysis depends on (the others say where outputs go, which
    figures are drawn and which speakers are shown)."""

    corpus_paths: tuple[Path, ...]
    speakers_file: Path
    codebook_file: Path | None
    n_boot: int
    bootstrap_seed: int
    unit: str = "auto"
    years: str | None = None
    countries: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    @classmethod
    def of(cls, params: Params) -> AnalysisInputs:
        """Return the inputs of ``params``."""
        return cls(corpus_paths=params.corpus_paths, speakers_file=params.speakers_file,
                   codebook_file=params.codebook_file, n_boot=params.n_boot,
                   bootstrap_seed=params.bootstrap_seed, unit=params.unit,
                   years=params.years, countries=params.countries, kinds=params.kinds)


def compute_analysis(params: Params) -> Analysis:
    """Read the corpus, extract the statements, score them and aggregate per speaker (no
    cache; :func:`load_analysis` is the cached one). A corpus without documents, or whose
    documents hold no statement, raises :class:`AnalysisError` naming ``corpus_paths``:
    there is nothing to report."""
    from .aggregation import aggregate
    from .documents import read_corpus
    from .measures.codebook import as_codebook
    from .quotes import extract_statements
    from .resources import ensure_nltk_data
    from .scoring import score_statements
    from .speakers import load_registry

    ensure_nltk_data()
    registry = load_registry(params.speakers_file)
    codebook = as_codebook(params.codebook_file)
    subset = corpus_selection(params)
    docs = read_corpus(list(params.corpus_paths), registry=registry,
                       **({} if subset is None else {"select": subset}))
    where = ", ".join(display_path(p) for p in params.corpus_paths)
    if subset is not None:
        where += f" (selected: {subset_text(params)})"
    if not docs:
        raise fail("corpus_paths", f"no documents found in {where}: nothing to report")
    registry = registry.with_speakers(docs)  # the UN records' speakers the file lacks
    statements = extract_statements(docs, registry=registry)
    if statements.empty:
        raise fail("corpus_paths", f"no statements (quoted or reported speech, speeches) in "
                                   f"the {len(docs)} document(s) of {where}: nothing to report")
    unit, note = choose_unit(statements, params.unit)
    result = score_statements(statements, codebook=codebook, registry=registry, level=unit)
    aggregates = aggregate(result.scores, by="speaker", n_boot=params.n_boot,
                           seed=params.bootstrap_seed)
    # stance is per sentence whatever the unit: at unit statement the scoring loop also
    # returns the sentences' stance rows, which who criticises whom counts
    sentence_rows = result.sentences
    return Analysis(params=params, registry=registry, codebook=codebook, docs=docs,
                    statements=statements, scores=result.scores, evidence=result.evidence,
                    targets=result.targets, aggregates=aggregates, unit=unit, unit_note=note,
                    sentence_rows=sentence_rows)


def subset_text(params: Params) -> str:
    """Return the subset the parameters select, as text (empty when they keep everything)."""
    parts = [f"years {params.years}"] if params.years else []
    parts += [f"{k} {', '.join(getattr(params, k))}" for k in ("countries", "kinds")
              if getattr(params, k)]
    return "; ".join(parts)


def corpus_selection(params: Params) -> Any:
    """Return the reader's selection (:func:`analysis.documents.selection`) of the parameters
    ``years``, ``countries`` and ``kinds``, or None when they keep every document. Raises
    :class:`AnalysisError` naming the parameter for a bad year range or country code."""
    if not subset_text(params):
        return None
    from .documents import selection

    return selection(years=params.years, countries=list(params.countries) or None,
                     kinds=list(params.kinds) or None)


def choose_unit(statements: pd.DataFrame, unit: str) -> tuple[str, str]:
    """Return the unit of analysis, ``statement`` or ``sentence``, and a sentence saying
    which it is and why. ``unit: auto`` takes ``sentence`` when half the words or more are in
    statements of :data:`AUTO_SENTENCE_WORDS` words or more (speeches: one score per speech
    saturates; a few short quotes inside them do not change that), else ``statement``.

    >>> choose_unit(pd.DataFrame({"text": ["One two.", " ".join(["w"] * 70)]}), "auto")[0]
    'sentence'
    """
    import re

    word = re.compile(r"\w+")
    n = statements["text"].map(lambda t: len(word.findall(t)))
    total = int(n.sum())
    long_share = 100.0 * int(n[n >= AUTO_SENTENCE_WORDS].sum()) / total if total else 0.0
    said = (f"{long_share:.0f}% of the words are in statements of {AUTO_SENTENCE_WORDS} "
            f"words or more (median statement {float(n.median()):.0f} words)")
    if unit != "auto":
        return unit, f"unit: {unit} (as set; {said})"
    chosen = "sentence" if long_share >= 50.0 else "statement"
    return chosen, (f"unit: auto chose {chosen}: {said}; each {chosen} is scored on its "
                    "own, rates and their intervals rest on statements")


def load_analysis(params: Params) -> Analysis:
    """Return the analysis of ``params`` (:func:`compute_analysis`), from the on-disk cache
    of its output folder (:func:`cache_dir`, a :class:`joblib.Memory`) when it was computed
    before from the same inputs: the same bytes of every corpus file, registry and codebook,
    the same ``n_boot`` and seed, the same package code, data and version and library
    versions (:func:`fingerprint`); else computed and stored.

    The one shared first step of every notebook (and of :func:`build_figures`): ``make
    report`` calls it once before it starts the notebooks, which then read the result; a
    notebook run alone (JupyterLab, papermill, nbval) calls the same function and gets the
    same result. Only the parameters differ (outputs, figures, speakers shown).
    """
    memory, cached = _memorized(params)
    inputs = AnalysisInputs.of(params)
    key = fingerprint(inputs)
    new = not cached.check_call_in_cache(inputs, key)
    parts = cached(inputs, key)
    if new:  # a folder that cannot be written only warns: computed all the same
        memory.reduce_size(items_limit=CACHE_ITEMS)
    return regroup(Analysis(params=params, **parts))


def _country_of(registry: Any, actor_id: str) -> Any:
    """The state actor ``actor_id`` is or speaks for, or None."""
    seen: set[str] = set()
    while actor_id in registry and actor_id not in seen:
        seen.add(actor_id)
        actor = registry[actor_id]
        if actor.kind == "state":
            return actor
        if not actor.affiliation:
            return None
        actor_id = actor.affiliation
    return None


def group_labels(registry: Any, speaker: str | None, compare_by: str,
                 groups: Iterable[tuple[str, Iterable[str]]] = ()) -> list[tuple[str, str]]:
    """Return the groups (label, display name) a speaker's statements count for under
    ``compare_by``: ``speaker`` itself; ``country``, the state it is or speaks for (its
    ISO3 code where the registry has one, else its id; none for a speaker of no state);
    ``affiliation``, the registry's :meth:`~analysis.speakers.Registry.affiliation_of`;
    ``group``, every named group (``groups``: name -> members) that lists the speaker, its
    state's id or its state's ISO3 code (a speaker may be in several groups, or none)."""
    if speaker is None or speaker not in registry:
        return [] if compare_by != "speaker" or speaker is None else [(speaker, speaker)]
    if compare_by == "speaker":
        return [(speaker, registry[speaker].name)]
    if compare_by == "affiliation":
        aff = registry.affiliation_of(speaker)
        return [(aff, registry[aff].name if aff in registry else aff)]
    state = _country_of(registry, speaker)
    code = None if state is None else (getattr(state, "iso3", None) or state.id)
    if compare_by == "country":
        return [] if state is None else [(code, state.name)]
    keys = {speaker} | ({state.id, code} if state is not None else set())
    return [(name, name) for name, members in groups if keys & set(members)]


def regroup(a: Analysis) -> Analysis:
    """Return ``a`` with its statements, scores and targets counted for the groups of the
    parameter ``compare_by`` (:func:`group_labels`) instead of per speaker: the ``speaker``
    column holds the group, ``speaker_name`` its name and ``member`` the speaker; a row
    counts once for each of its speaker's groups and not at all for a speaker of none; the
    aggregates are computed again over the groups. ``compare_by: speaker`` returns ``a``."""
    from dataclasses import replace

    from .aggregation import aggregate

    by = a.params.compare_by
    if by == "speaker":
        return a
    speakers = set(a.statements["speaker"].dropna())
    labels = {s: group_labels(a.registry, s, by, a.params.groups) for s in speakers}

    named = {code: members for code, members in a.params.groups}

    def of_row(speaker: Any, country: Any) -> list[tuple[str, str]]:
        # a table that says the speaker's country (ISO3) is taken at its word
        if not isinstance(country, str) or not country or by == "affiliation":
            return labels.get(speaker, [])
        if by == "country":
            return [(country, country)]
        return [(g, g) for g, m in named.items() if country in m] or labels.get(speaker, [])

    def counted(frame: pd.DataFrame) -> pd.DataFrame:
        countries = (frame["speaker_country"] if "speaker_country" in frame.columns
                     else pd.Series(None, index=frame.index, dtype=object))
        rows = [(i, g, n) for i, s, c in zip(frame.index, frame["speaker"], countries,
                                             strict=True)
                for g, n in of_row(s, c)]
        idx = [i for i, _, _ in rows]
        out = frame.loc[idx].assign(member=frame.loc[idx, "speaker"].to_numpy())
        out["speaker"] = [g for _, g, _ in rows]
        out["speaker_name"] = [n for _, _, n in rows]
        return out.reset_index(drop=True)

    scores = counted(a.scores)
    return replace(a, statements=counted(a.statements), scores=scores,
                   targets=counted(a.targets),
                   sentence_rows=None if a.sentence_rows is None else counted(a.sentence_rows),
                   aggregates=aggregate(scores, by="speaker", n_boot=a.params.n_boot,
                                        seed=a.params.bootstrap_seed))


def analysis_is_cached(params: Params) -> bool:
    """Return whether :func:`load_analysis` of ``params`` would read the cache."""
    inputs = AnalysisInputs.of(params)
    return _memorized(params)[1].check_call_in_cache(inputs, fingerprint(inputs))


def cache_dir(params: Params) -> Path:
    """Return the folder of the analysis cache: ``.cache`` in the output folder (git-ignored
    with it; delete it any time)."""
    return params.output_dir / ".cache"


def _memorized(params: Params) -> tuple[Any, Any]:
    import joblib

    def analysis_parts(inputs: AnalysisInputs, key: str) -> dict[str, Any]:
        return _analysis_parts(inputs, key)

    analysis_parts.__qualname__ = "analysis_parts"  # its name in the cache folder

    # a new function for each folder: joblib remembers per function, not per folder, that it
    # checked the function's code, and would not record the code in a second folder (where
    # the next process would then take the result for stale)
    memory = joblib.Memory(cache_dir(params), verbose=0)
    return memory, memory.cache(analysis_parts)


def _analysis_parts(inputs: AnalysisInputs, key: str) -> dict[str, Any]:
    """The cached function: the analysis of ``inputs`` without its parameters (``key``, the
    :func:`fingerprint` of the inputs, is there only to key the cache)."""
    params = Params(corpus_paths=inputs.corpus_paths, speakers_file=inputs.speakers_file,
                    codebook_file=inputs.codebook_file, speakers_to_compare=(),
                    output_dir=Path(), figure_dir=Path(), figure_formats=(),
                    bootstrap_seed=inputs.bootstrap_seed, n_boot=inputs.n_boot,
                    unit=inputs.unit, years=inputs.years, countries=inputs.countries,
                    kinds=inputs.kinds)
    a = compute_analysis(params)
    return {f: getattr(a, f) for f in ("registry", "codebook", "docs", "statements", "scores",
                                       "evidence", "targets", "aggregates", "unit",
                                       "unit_note", "sentence_rows")}


def fingerprint(inputs: AnalysisInputs) -> str:
    """Return the SHA-256 (hex) that keys the cached analysis of ``inputs``: the bytes and
    relative names of every file under each corpus path (symbolic links followed, each
    folder once), of the registry and codebook, the bootstrap parameters, the package's
    version, its code and data files, and the versions of the libraries
    (:func:`analysis.resources.package_digest`)."""
    h = hashlib.sha256()
    h.update(f"{package_digest()}\0{inputs.n_boot}\0{inputs.bootstrap_seed}\0"
             f"{inputs.unit}\0{inputs.years}\0{inputs.countries}\0{inputs.kinds}\0".encode())
    for path in (*inputs.corpus_paths, inputs.speakers_file, inputs.codebook_file):
        h.update(b"\1path\0" + str(path).encode("utf-8", "surrogateescape"))
        if path is not None:
            _digest_tree(h, Path(path))
    return h.hexdigest()


def _digest_tree(h: Any, root: Path) -> None:
    if not root.is_dir():
        digest_file(h, root)
        return
    seen: set[str] = set()
    for folder, subfolders, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        subfolders.sort()
        if real in seen:  # a link back up the tree: each folder once
            subfolders.clear()
            continue
        seen.add(real)
        for name in sorted(files):
            path = Path(folder) / name
            h.update(b"\1file\0" + str(path.relative_to(root)).encode("utf-8", "surrogateescape"))
            digest_file(h, path)


def write_tables(a: Analysis) -> pd.DataFrame:
    """Write statements, scores, evidence, targets, aggregates and criticism (who criticises
    whom, :func:`criticism_table`) as CSV to ``output_dir`` (each file whole) and return a
    table of what was written (paths from the project root).

    Statements, scores, evidence and targets carry the metadata columns
    (:data:`analysis.metadata.META_COLUMNS`; targets also ``target_kind``, ``target_country``),
    so a table taken to R or a spreadsheet needs no join.
    """
    from .metadata import add_metadata, statement_metadata

    meta = statement_metadata(a.statements, a.docs, a.registry)
    rows = []
    for name, frame in (("statements", add_metadata(a.statements, meta, a.registry)),
                        ("scores", add_metadata(a.scores, meta, a.registry)),
                        ("evidence", add_metadata(a.evidence, meta, a.registry)),
                        ("targets", add_metadata(a.targets, meta, a.registry)),
                        ("aggregates", a.aggregates),
                        ("criticism", criticism_table(a))):
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


def negative_share_table(a: Analysis) -> pd.DataFrame:
    """Return per compared speaker the share (percent) of negative sentences (VADER
    compound at or below :data:`analysis.aggregation.NEGATIVE_BELOW`; statements at
    statement level) with its bootstrap interval over statements
    (:func:`analysis.aggregation.negative_share`)."""
    from .aggregation import negative_share

    out = negative_share(a.scores, groups=a.compared, n_boot=a.params.n_boot,
                         seed=a.params.bootstrap_seed)
    out = out.rename(columns={"group": "speaker"})
    return out.drop(columns="n_sentences") if a.unit == "statement" else out


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


def criticism_table(a: Analysis, *, compared_only: bool = False) -> pd.DataFrame:
    """Return who criticises whom (:func:`analysis.aggregation.criticism` over the
    sentence-level rows, :attr:`Analysis.sentences`, whatever the unit): one row per source
    (the compared unit of ``compare_by``: speaker id, ISO3 code or group label) and target
    state, with the sentence counts, the share and its bootstrap interval over statements,
    and for reading without a join ``compare_by``, ``unit`` (always ``sentence``),
    ``source_country`` (ISO3 of the source's state, when it has one), ``target_name`` and
    ``target_kind``. Every source with sentences, or only the compared ones
    (``compared_only``, as the figure draws them, in display order)."""
    from .aggregation import NO_TARGET, criticism

    groups = a.compared if compared_only else None
    out = criticism(a.sentences, groups=groups, n_boot=a.params.n_boot,
                    seed=a.params.bootstrap_seed)
    reg = a.registry

    def country(source: str) -> Any:
        if a.params.compare_by == "country":
            return source
        if a.params.compare_by == "speaker":
            return reg.country_of(source)
        return None

    def target_actor(t: str) -> Any:
        actor = reg.state_of(t) or (t if t in reg else None)
        return None if actor is None else reg[actor]

    actors = {t: target_actor(t) for t in out["target"].unique()}
    out.insert(0, "compare_by", a.params.compare_by)
    out.insert(1, "unit", "sentence")
    out.insert(list(out.columns).index("source_name") + 1, "source_country",
               [country(s) for s in out["source"]])
    at = list(out.columns).index("target") + 1
    out.insert(at, "target_name", [t if t == NO_TARGET or actors[t] is None
                                   else actors[t].name for t in out["target"]])
    out.insert(at + 1, "target_kind", [None if actors[t] is None else actors[t].kind
                                       for t in out["target"]])
    return out.astype({"source_country": object, "target_kind": object})


def target_table(a: Analysis) -> pd.DataFrame:
    """Return mentions per compared speaker and target with the mean sentence sentiment."""
    t = a.targets[a.targets["speaker"].isin(a.compared)]
    g = t.groupby(["speaker", "target"], sort=True)
    out = g.agg(mentions=("mention", "size"),
                self_reference=("self_reference", "any"),
                mean_vader=("sentence_vader_compound", "mean"),
                mean_textblob=("sentence_textblob_polarity", "mean")).reset_index()
    return out


# --------------------------------------------------------------- thin results: warnings


def thin_results(a: Analysis) -> list[str]:
    """Return the warnings that a result rests on less than it seems, one sentence each, in
    this order: a speaker of ``speakers_to_compare`` with no statement (absent from every
    figure), a corpus path whose documents hold no statement, a report document with no
    quote or reported speech, a document read as one text that looks like a table or a UN
    record (:func:`analysis.documents.misread_as`). An empty list when there is nothing to
    warn of."""
    from .documents import misread_as

    out: list[str] = []
    counts = a.statements.groupby("speaker").size() if not a.statements.empty else {}
    for s in a.params.speakers_to_compare:
        if s not in counts:
            what = "speaker" if a.params.compare_by == "speaker" else a.params.compare_by
            out.append(f"{what} {s!r} (speakers_to_compare) has no statement in this corpus: "
                       "it is missing from every figure and table")
    per_doc = a.statements.groupby("doc_id").size()
    for path in a.params.corpus_paths:
        here = [d for d in a.docs if d.source and _under(Path(d.source), path)]
        if here and not any(d.id in per_doc for d in here):
            out.append(f"corpus path {display_path(path)}: none of its {len(here)} document(s) "
                       "holds a statement")
    for d in a.docs:
        if d.kind == "report" and d.id not in per_doc:
            out.append(f"document {d.id!r} ({d.words} words) is a report without any quote or "
                       "reported speech: nothing of it is analysed (if it is a speaker's own "
                       "words, give it kind: statement)")
        if (seems := misread_as(d)) is not None:
            out.append(f"document {d.id!r} was read as one text ({d.words} words) but looks "
                       f"like {seems}: give it to the reader of its kind (a table with its "
                       "text column named; UN records as UNSC_*.txt speech files)")
    return out


def _under(source: Path, root: Path) -> bool:
    try:
        s, r = source.resolve(), root.resolve()
    except OSError:
        return False
    return s == r or r in s.parents


class Warnings(list):
    """A list of warnings that a notebook shows as a visible box (HTML) or as plain text."""

    def _repr_html_(self) -> str:
        import html

        if not self:
            return "<p>No warnings: every compared speaker and document has statements.</p>"
        items = "".join(f"<li>{html.escape(w)}</li>" for w in self)
        return ('<div style="border:2px solid #c0392b;background:#fdecea;padding:0.5em 1em">'
                f"<b>Warning: this result is thin ({len(self)})</b><ul>{items}</ul></div>")

    def __repr__(self) -> str:
        if not self:
            return "No warnings: every compared speaker and document has statements."
        return f"WARNING: this result is thin ({len(self)}):\n" + "\n".join(
            f"  - {w}" for w in self)


def warnings_box(a: Analysis) -> Warnings:
    """Return :func:`thin_results` as :class:`Warnings` (a notebook cell shows them)."""
    return Warnings(thin_results(a))


def summary_table(a: Analysis) -> pd.DataFrame:
    """Return one row per speaker of ``speakers_to_compare`` (then the other speakers, by
    number of statements): documents, statements and sentences (of the statements' text)
    behind their results; a compared speaker without statements has a row of zeros."""
    from .text import sentences

    st = a.statements
    if a.unit == "sentence" and "sentence_in_statement" in a.scores.columns:  # counted there
        rows = a.scores.drop_duplicates(["statement_id", "sentence_in_statement"])
        n_sent = st["statement_id"].map(rows.groupby("statement_id").size()).fillna(1)
    else:
        n_sent = st["text"].map(lambda t: len(sentences(t)) or 1)
    frame = pd.DataFrame({"speaker": st["speaker"].fillna("(unattributed)"),
                          "doc_id": st["doc_id"], "sentences": n_sent})
    g = frame.groupby("speaker", sort=False)
    out = pd.DataFrame({"documents": g["doc_id"].nunique(), "statements": g.size(),
                        "sentences": g["sentences"].sum()})
    compared = list(a.params.speakers_to_compare)
    out = out.reindex(compared + sorted(
        (s for s in out.index if s not in compared),
        key=lambda s: (-int(out.loc[s, "statements"]), s))).fillna(0).astype(int)
    out.insert(0, "compared", [s in compared for s in out.index])
    return out.rename_axis("speaker").reset_index()


# ---------------------------------------------------------------------------------- figures


def _figures() -> Any:
    """:mod:`analysis.figures`, imported on first use: the runner checks parameters and
    computes the analysis without loading matplotlib."""
    from . import figures

    return figures


def _compared(a: Analysis) -> list[str]:
    return list(a.params.speakers_to_compare)


def _labels(a: Analysis) -> dict[str, str]:
    return {c.id: c.name for c in a.codebook.categories}


def speaker_colours(a: Analysis) -> dict[str | None, str]:
    """Every speaker's colour by its place in the registry (the same in every figure and
    every report on the same registry); when groups are compared (``compare_by`` other
    than ``speaker``), the compared groups take the colours in display order instead, so
    that a few of some two hundred states never share one."""
    spoken = [*a.statements["speaker"].dropna().astype(str).unique(),
              *a.scores["speaker"].dropna().astype(str).unique()]
    # a country compared by its ISO3 code takes the colour of its state's registry place
    state = {code: actor.id for actor in a.registry
             if isinstance(code := getattr(actor, "iso3", None), str)}
    keys = {s: state.get(s, s) for s in dict.fromkeys(spoken)}
    pinned = {}
    if a.params.compare_by != "speaker":  # a few groups: distinct colours in display order
        cycle = _figures().SPEAKER_COLOURS
        pinned = {state.get(g, g): cycle[k % len(cycle)]
                  for k, g in enumerate(a.params.speakers_to_compare)}
    palette = _figures().speaker_palette([*keys.values(), None], registry=a.registry,
                                         colours=pinned)
    return {s: palette[k] for s, k in keys.items()} | {None: palette[None]}


#: Every figure of the report: name -> how to draw it from an :class:`Analysis`.
FIGURES: dict[str, Callable[[Analysis], Any]] = {
    "statement_kinds": lambda a: _figures().statement_kinds(
        a.statements, palette=speaker_colours(a)),
    "sentiment_by_speaker": lambda a: _figures().sentiment_by_speaker(
        a.scores, a.aggregates, speakers=_compared(a), palette=speaker_colours(a),
        unit=a.unit),
    "sentiment_disagreement": lambda a: _figures().sentiment_disagreement(
        a.scores, speakers=_compared(a), palette=speaker_colours(a), unit=a.unit),
    "framing_heatmap": lambda a: _figures().framing_heatmap(
        a.scores, speakers=_compared(a), labels=_labels(a)),
    "agency": lambda a: _figures().agency(
        a.scores, speakers=_compared(a), palette=speaker_colours(a)),
    "target_matrix": lambda a: _figures().target_matrix(
        a.targets, speakers=_compared(a), registry=a.registry),
    "criticism": lambda a: _figures().criticism(
        criticism_table(a, compared_only=True), registry=a.registry),
    "polarity_subjectivity": lambda a: _figures().polarity_subjectivity(
        a.scores, speakers=_compared(a), palette=speaker_colours(a), unit=a.unit),
    "comparison": lambda a: _figures().comparison(
        a.scores, a.aggregates, speakers=_compared(a), labels=_labels(a),
        palette=speaker_colours(a), unit=a.unit),
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
