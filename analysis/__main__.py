"""Command line: ``python -m analysis COMMAND ...`` (``--help`` lists the commands).

Each command is a small function ``_cmd_<name>(args)`` registered in :func:`build_parser`;
the work is done by the package's functions, this module only parses and writes.
Errors in the input (``AnalysisError``) print their message and exit with status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .errors import AnalysisError
from .runner import KERNEL_NAME

#: The corpus readers ``--reader`` chooses from (``auto``: by the path); the same as
#: :data:`analysis.documents.FORMATS`, written out so that ``--help`` imports no reader.
READERS = ("auto", "documents", "unsc", "ungdc", "table")
#: The reader names ``corpus --format`` took before it meant the output format.
OLD_READERS = ("documents", "unsc", "ungdc")
#: The table columns ``--<name>-column`` maps (:class:`analysis.documents.TableColumns`).
TABLE_COLUMNS = ("text", "id", "date", "speaker", "kind", "title", "outlet", "country")
SPEAKERS_HELP = ("actor registry YAML (default: the built-in actors only; the project's is "
                 "corpus/speakers.yml)")


def _cmd_setup(args: argparse.Namespace) -> None:
    from .resources import ensure_nltk_data

    root = ensure_nltk_data()
    print(f"NLTK data (offline): {root}")
    if args.kernel:
        from ipykernel.kernelspec import install

        where = install(kernel_name=args.kernel, display_name="Python (discourse-analysis)",
                        prefix=sys.prefix)
        print(f"Jupyter kernel {args.kernel!r}: {where}")


def _cmd_corpus(args: argparse.Namespace) -> None:
    from .documents import documents_frame, iter_corpus
    from .speakers import load_registry

    registry = load_registry(args.speakers)
    # Streamed: one document at a time (the UNGDC archive is never held in memory); a
    # progress bar on stderr only when it is a terminal, so piped output stays clean.
    if args.format in OLD_READERS:  # the old meaning of --format on this command
        args.reader, args.format = args.format, "table"
    docs = iter_corpus(args.paths, registry=registry, format=args.reader, **_reading(args))
    if sys.stderr.isatty():
        from tqdm import tqdm

        docs = tqdm(docs, desc="documents", unit=" doc", file=sys.stderr)
    frame = documents_frame(docs)
    cols = ["id", "kind", "speaker", "speaker_name", "country", "date", "words"]
    _write(frame[cols], args.format, None)


def _add_reading(s: argparse.ArgumentParser) -> None:
    """Add the options that map a table's columns and select a subset of the corpus."""
    g = s.add_argument_group("tables (CSV, TSV, JSONL, Parquet): which column holds what "
                             "(default: the column of that name)")
    for name in TABLE_COLUMNS:
        g.add_argument(f"--{name}-column", metavar="COLUMN", help=f"the {name} column")
    g = s.add_argument_group("subsets (every reader; the archive reads only what is kept)")
    g.add_argument("--years", metavar="RANGE", help="years to keep: 2016 or 2010-2016")
    g.add_argument("--countries", metavar="ISO3,...",
                   help="states whose speakers to keep (ISO 3166 alpha-3): USA,RUS")
    g.add_argument("--speakers-only", metavar="SPEAKER,...",
                   help="speakers to keep: actor ids or names as the documents give them")
    g.add_argument("--kinds", metavar="KIND,...", help="kinds to keep: report, statement")


def _reading(args: argparse.Namespace) -> dict:
    """The ``columns`` and ``select`` keyword arguments of the readers, from the options."""
    from .documents import TableColumns, selection

    columns = TableColumns.of({n: getattr(args, f"{n}_column") for n in TABLE_COLUMNS})
    select = selection(years=args.years, countries=args.countries, speakers=args.speakers_only,
                       kinds=args.kinds, names={"years": "--years", "countries": "--countries",
                                                "speakers": "--speakers-only",
                                                "kinds": "--kinds"})
    return {"columns": columns, "select": select}


def _cmd_report(args: argparse.Namespace) -> None:
    from .runner import main_report

    status = main_report(args.params, output_dir=args.output_dir, notebooks=args.notebooks,
                         refresh=args.refresh_notebooks, jobs=args.jobs)
    if status:
        raise SystemExit(status)


def _write(frame, fmt: str, path: Path | None) -> None:  # noqa: ANN001 - a DataFrame
    """Write ``frame`` as csv, jsonl or an aligned table to ``path`` (stdout when None)."""
    from .io import write_table

    write_table(frame, path, fmt=fmt)


def _cmd_quotes(args: argparse.Namespace) -> None:
    from .documents import read_corpus
    from .io import write_table
    from .metadata import add_metadata, statement_metadata
    from .quotes import extract_statements
    from .speakers import load_registry

    registry = load_registry(args.speakers)
    docs = read_corpus(args.paths, registry=registry, **_reading(args))
    registry = registry.with_speakers(docs)
    statements = extract_statements(docs, registry=registry)
    meta = statement_metadata(statements, docs, registry)
    write_table(add_metadata(statements, meta), None, fmt=args.format)


def _check_output(name: str, folder: Path, inputs: Sequence[Path]) -> None:
    """Raise :class:`AnalysisError` when ``folder`` may not be written (a source folder of
    the project or inside an input; :func:`analysis.report.output_folder_problems`)."""
    from .report import output_folder_problems

    problems = output_folder_problems(name, folder, inputs)
    if problems:
        raise AnalysisError(problems)


def _cmd_accuracy(args: argparse.Namespace) -> None:
    from .evaluation import accuracy_report, attribution_report
    from .io import write_table

    if args.polnear is None:
        write_table(accuracy_report(args.gold), None, fmt=args.format)
        return
    if not (args.polnear / "text").is_dir() or not (args.polnear / "attributions").is_dir():
        print(f"skipped: {args.polnear} holds no text/ and attributions/ (a local copy of "
              "PolNeAR's data/train; see the README's accuracy section)", file=sys.stderr)
        return
    _check_output("--errors", args.errors, [args.polnear])
    table = attribution_report(args.polnear, errors=args.errors,
                               attitudes=not args.statements_only)
    write_table(table, None, fmt=args.format)
    print(f"misses, false positives and wrong sources: {args.errors}", file=sys.stderr)


def _cmd_train_cues(args: argparse.Namespace) -> None:
    from .learning import train_cue_model, write_cue_model

    _check_output("--out", args.out.parent, [args.polnear])
    model = train_cue_model(args.polnear, part=args.part, c=args.c,
                            progress=lambda msg: print(msg, file=sys.stderr))
    path = write_cue_model(model, args.out)
    print(f"cue model: {path} (copy it to analysis/data/cue_model.yml to ship it)",
          file=sys.stderr)


def _cmd_score(args: argparse.Namespace) -> None:
    from .documents import read_corpus
    from .io import write_table
    from .measures.codebook import load_codebook
    from .metadata import add_metadata, statement_metadata
    from .quotes import extract_statements
    from .scoring import score_statements
    from .speakers import load_registry

    registry = load_registry(args.speakers)
    codebook = load_codebook(args.codebook)
    docs = read_corpus(args.paths, registry=registry, **_reading(args))
    registry = registry.with_speakers(docs)
    statements = extract_statements(docs, registry=registry)
    result = score_statements(statements, codebook=codebook, registry=registry,
                              level=args.level)
    meta = statement_metadata(statements, docs, registry)
    if args.evidence is not None:
        write_table(add_metadata(result.evidence, meta), args.evidence, fmt="csv")
    write_table(add_metadata(result.scores, meta), None, fmt=args.format)


def _cmd_agreement(args: argparse.Namespace) -> None:
    from .evaluation import codebook_agreement, coding_statements, load_coding
    from .io import write_table
    from .measures.codebook import load_codebook
    from .scoring import score_statements
    from .speakers import load_registry

    registry = load_registry(args.speakers)
    codebook = load_codebook(args.codebook)
    coding = load_coding(args.coding, codebook=codebook)
    if args.paths:
        from .documents import read_corpus
        from .quotes import extract_statements

        docs = read_corpus(args.paths, registry=registry)
        registry = registry.with_speakers(docs)
        statements = extract_statements(docs, registry=registry)
    else:
        statements = coding_statements(coding)
    scores = score_statements(statements, codebook=codebook, registry=registry).scores
    table = codebook_agreement(scores, coding)
    for text in table.attrs.get("unmatched", []):
        print(f"note: coded statement not found among the scored ones: {text[:70]!r}",
              file=sys.stderr)
    num = ["precision", "recall", "f1"]
    table[num] = table[num].astype(float).round(3)
    write_table(table, None, fmt=args.format)


def _cmd_bench(args: argparse.Namespace) -> None:
    from .bench import run_bench, run_report_bench

    if args.report_only:
        run_report_bench(out=args.out)
        return
    run_bench(sample=args.sample, scale_base=args.scale_base, quick=args.quick, full=args.full,
              corpora=args.corpora, out=args.out)


def _cmd_validate(args: argparse.Namespace) -> None:
    from .speakers import load_registry
    from .validation import UNSCON_FILE, cross_validate, render, validate_csv

    registry = load_registry(args.speakers)
    if args.csv is not None:
        print(render(validate_csv(args.csv, registry), args.samples), end="")
        return
    if not (args.corpora / UNSCON_FILE).is_file():
        print(f"validate: skipped, {args.corpora / UNSCON_FILE} is not there (the UNSCon dev "
              "coding lives in ../shared/corpora; pass --corpora DIR, or --csv FILE to check "
              "your own hand-coded sentences)")
        return
    print(render(cross_validate(args.corpora, registry), args.samples), end="")


def _cmd_run(args: argparse.Namespace) -> None:
    from .pipeline import run_corpus

    with _sigterm_as_interrupt():
        summary = run_corpus(args.source, args.out, registry=args.speakers, codebook=args.codebook,
                             partition_size=args.partition_size, workers=args.workers,
                             scheduler=args.scheduler, resume=not args.no_resume,
                             progress=not args.quiet,
                             log=lambda msg: print(msg, file=sys.stderr), **_reading(args))
    for line in summary.lines():
        print(line)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM ends it as Ctrl-C does (complete partitions kept)."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command."""
    p = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Discourse analysis of diplomatic statements: corpus, statements and "
        "speakers, sentiment and framing, report, benchmarks.",
        epilog="Run `python -m analysis COMMAND --help` for the options of a command.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("setup", help="build the offline NLTK data; register the Jupyter kernel")
    s.add_argument("--kernel", metavar="NAME", help=f"register a kernel (e.g. {KERNEL_NAME})")
    s.set_defaults(func=_cmd_setup)

    s = sub.add_parser("corpus", help="list the documents (id, kind, speaker, date, words)")
    s.add_argument("paths", nargs="+", type=Path,
                   help="files, folders, a UNGDC archive or tables (CSV, TSV, JSONL, Parquet)")
    s.add_argument("--speakers", type=Path, help=SPEAKERS_HELP)
    s.add_argument("--reader", default="auto", choices=list(READERS),
                   help="reader (default: chosen from the path)")
    s.add_argument("--format", "--output-format", dest="format", default="table",
                   choices=["table", "csv", "jsonl", *OLD_READERS],
                   help="output format, as in every command (--output-format: the old name); "
                        "a reader name here is taken as --reader, as before")
    _add_reading(s)
    s.set_defaults(func=_cmd_corpus)

    s = sub.add_parser("report", help="run the report's notebooks (or those the params' "
                       "notebooks: key names) with papermill; HTML report, figures")
    s.add_argument("--params", type=Path, default=None,
                   help="parameters YAML, from the current folder (default: the project's "
                        "params/default.yml)")
    s.add_argument("--output-dir", type=Path, help="report folder (default: the params' one)")
    s.add_argument("--notebooks", type=Path, help="folder of notebooks (default notebooks/)")
    s.add_argument("--jobs", type=int, default=None,
                   help="notebooks run at once, each in a fresh kernel (default "
                        "min(4, cores))")
    s.add_argument("--refresh-notebooks", action="store_true",
                   help="re-execute the source notebooks in place with their default "
                        "parameters (on purpose: updates the outputs nbval compares)")
    s.set_defaults(func=_cmd_report)

    s = sub.add_parser("quotes", help="extract statements and speakers (one record each)")
    s.add_argument("paths", nargs="+", type=Path, help="document files or folders")
    s.add_argument("--speakers", type=Path, help=SPEAKERS_HELP)
    s.add_argument("--format", default="jsonl", choices=["jsonl", "csv"])
    _add_reading(s)
    s.set_defaults(func=_cmd_quotes)

    s = sub.add_parser("accuracy", help="quote extraction accuracy on the gold sets (P/R/F1)")
    s.add_argument("--gold", type=Path, default=Path("tests/data/gold"),
                   help="folder of gold files (default tests/data/gold, from the current "
                        "folder: the repository's)")
    s.add_argument("--polnear", type=Path, default=None, metavar="DIR",
                   help="instead: attribution on real news, a PolNeAR-style folder with text/ "
                        "and attributions/ (its train split only); skipped when absent")
    s.add_argument("--errors", type=Path, default=Path("reports/attribution-errors"),
                   metavar="DIR", help="with --polnear: folder for misses, false positives "
                   "and wrong sources (default reports/attribution-errors)")
    s.add_argument("--statements-only", action="store_true",
                   help="with --polnear: extract statements only; by default every kind of "
                        "attribution the corpus annotates is extracted: statements, and the "
                        "beliefs, polls and acts that are not statements (kinds belief, poll, "
                        "act), which count in the indirect subset")
    s.add_argument("--format", default="table", choices=["table", "csv", "jsonl"])
    s.set_defaults(func=_cmd_accuracy)

    s = sub.add_parser("train-cues", help="train the learned cue model and its source chooser on "
                         "PolNeAR's train split")
    s.add_argument("--polnear", type=Path, required=True, metavar="DIR",
                   help="a PolNeAR-style folder with text/ and attributions/ (train split only)")
    s.add_argument("--part", default="tune", choices=["tune", "all"],
                   help="articles to train on: the tune part (default; the held-back part "
                        "stays unseen for accuracy --polnear) or all")
    s.add_argument("--c", type=float, default=1.0,
                   help="inverse L1 regularisation strength (default 1.0)")
    s.add_argument("--out", type=Path, default=Path("reports/cue_model.yml"),
                   help="where to write the model (default reports/cue_model.yml)")
    s.set_defaults(func=_cmd_train_cues)

    s = sub.add_parser("score", help="sentiment, framing, passives and targets per statement")
    s.add_argument("paths", nargs="+", type=Path, help="document files or folders")
    s.add_argument("--speakers", type=Path, help=SPEAKERS_HELP)
    s.add_argument("--codebook", type=Path, help="framing codebook (default: the shipped one)")
    s.add_argument("--level", default="statement", choices=["statement", "sentence"])
    s.add_argument("--format", default="jsonl", choices=["jsonl", "csv"])
    s.add_argument("--evidence", type=Path, metavar="FILE",
                   help="also write the evidence table (one row per cue hit) as csv")
    _add_reading(s)
    s.set_defaults(func=_cmd_score)

    s = sub.add_parser("agreement",
                       help="codebook vs hand-coding: precision/recall per category")
    s.add_argument("paths", nargs="*", type=Path,
                   help="documents to extract statements from (default: score the coded "
                        "texts themselves)")
    s.add_argument("--coding", type=Path, default=Path("tests/data/seed_coding.yml"),
                   help="hand-coding (default tests/data/seed_coding.yml, from the current "
                        "folder: the repository's)")
    s.add_argument("--codebook", type=Path, help="framing codebook (default: the shipped one)")
    s.add_argument("--speakers", type=Path, help=SPEAKERS_HELP)
    s.add_argument("--format", default="table", choices=["table", "csv", "jsonl"])
    s.set_defaults(func=_cmd_agreement)

    s = sub.add_parser("bench", help="throughput, scaling and memory benchmarks (CSV under "
                       "benchmarks/)")
    s.add_argument("--sample", type=int, default=200, help="speeches in the sample (200)")
    s.add_argument("--scale-base", type=int, default=None,
                   help="1x size of the scaling rows (default sample/16)")
    s.add_argument("--quick", action="store_true", help="smoke run: tiny, no multiprocessing")
    s.add_argument("--full", action="store_true", help="also the whole corpus end to end")
    s.add_argument("--report-only", action="store_true",
                   help="only make report against its papermill floor (bench-report.csv)")
    s.add_argument("--corpora", type=Path, default=None, help="default ../shared/corpora")
    s.add_argument("--out", type=Path, default=None, help="CSV (default benchmarks/bench.csv)")
    s.set_defaults(func=_cmd_bench)

    s = sub.add_parser("validate", help="stance against human coding: UNSCon dev "
                       "(cross-validated by meeting) or your own CSV")
    s.add_argument("--corpora", type=Path, default=Path("../shared/corpora"),
                   help="folder holding unscon-dev/ and unsc-umuc/ (default ../shared/corpora "
                        "from the current folder)")
    s.add_argument("--csv", type=Path, default=None,
                   help="your own coded sentences: columns sentence, label (direct, indirect, "
                        "challenge, correction, none), optional target, speaker_country")
    s.add_argument("--samples", type=int, default=5, help="misses and false alarms shown (5)")
    s.add_argument("--speakers", type=Path, default=None, help=SPEAKERS_HELP)
    s.set_defaults(func=_cmd_validate)

    s = sub.add_parser("run", help="whole corpus -> partitioned Parquet (every core or Dask; "
                       "resumable)")
    s.add_argument("source", type=Path,
                   help="UNGDC .tar.gz archive, folder of documents or of UNSC speeches")
    s.add_argument("--out", type=Path, required=True, help="output folder (Parquet dataset)")
    s.add_argument("--workers", type=int, default=None,
                   help="processes (default: every core; 1: no subprocesses)")
    s.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run on a Dask cluster, e.g. tcp://host:8786 (output folder on a "
                        "file system every worker can write)")
    s.add_argument("--partition-size", type=int, default=100,
                   help="documents per partition / Parquet file (default 100)")
    s.add_argument("--no-resume", action="store_true",
                   help="start again instead of keeping the partitions already written")
    s.add_argument("--speakers", type=Path, help=SPEAKERS_HELP)
    s.add_argument("--codebook", type=Path, help="framing codebook (default: the shipped one)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_reading(s)
    s.set_defaults(func=_cmd_run)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except AnalysisError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt as e:
        print(f"\n{e}" if str(e) else "\ninterrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
