"""The whole analysis of a large corpus, streamed to a partitioned Parquet dataset.

:func:`run_corpus` reads documents one at a time (the UN General Debate archive is streamed
from its ``.tar.gz``, never unpacked or held in memory), groups them into partitions of
``partition_size`` documents in reading order, and runs each partition as one task --
:func:`analysis.quotes.extract_statements`, then
:func:`analysis.scoring.score_statements` at sentence level -- on every core
(``multiprocessing``) or on a Dask cluster (``client=`` or ``scheduler=``). Only a few
partitions are in flight at a time, so memory does not grow with the corpus.

Layout of ``output_dir`` (one Parquet file per partition and table; read a table whole with
``pd.read_parquet(output_dir / "scores")`` or :func:`read_run`)::

    scores/part-00000.parquet     one row per sentence of each statement (the scores table)
    evidence/part-00000.parquet   cue and passive hits (keyword in context)
    targets/part-00000.parquet    mentions of registry actors
                                  (every table carries doc_id, date, speaker, speaker_country
                                  and kind: analysis.metadata; targets also target_kind and
                                  target_country)
    _parts/part-00000.json        written last: the partition is complete (its documents,
                                  row counts, skipped documents)
    _manifest.json, _SUCCESS      written when the whole run has finished

Every file is written atomically (a temporary file in the same folder, then a rename), so an
interrupted run leaves only whole partitions. Run again with the same ``output_dir`` and
``partition_size`` (``resume=True``, the default) and the partitions whose ``_parts`` record
matches their documents and the analysis that wrote them (the package's code, data and
libraries: :func:`analysis.resources.package_digest`) are kept, the others computed; a dataset
written before the stance rules or a word list changed is thus brought up to date, never
mixed (:func:`run_is_current` tells whether a finished run is this analysis's).

Bad input at scale: a speech with undecodable bytes, an empty speech or a damaged archive
member is reported by the reader (:func:`analysis.documents.read_ungdc`) and skipped; a document
on which the analysis itself fails is skipped by its partition. Either way the
:class:`RunSummary` lists each one (file and reason) and counts them.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .documents import Document, Selection, TableColumns, iter_corpus
from .errors import AnalysisError, Problem, fail
from .io import atomic_write
from .measures.codebook import Codebook, as_codebook
from .resources import package_digest
from .speakers import Registry, as_registry

TABLES = ("scores", "evidence", "targets")
PARTS = "_parts"
MANIFEST = "_manifest.json"
SUCCESS = "_SUCCESS"
#: Documents per partition (one Parquet file per table and partition).
PARTITION_SIZE = 100
#: Documents per call of extract_statements/score_statements inside a partition.
CHUNK = 25
_STRING_DTYPES = ("object", "str", "string")


@dataclass(frozen=True)
class RunSummary:
    """What :func:`run_corpus` did. ``skipped`` lists every document left out (file and
    reason); ``bytes`` is the size of the Parquet files of the dataset."""

    output_dir: Path
    partitions: int
    written: int
    resumed: int
    documents: int
    statements: int
    rows: int
    evidence: int
    targets: int
    skipped: tuple[Problem, ...]
    seconds: float
    bytes: int
    workers: int
    scheduler: str | None = None
    dashboard: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def n_skipped(self) -> int:
        """The number of documents (or archive members) skipped."""
        return len(self.skipped)

    def lines(self) -> list[str]:
        """Return the summary as lines of text (what the ``run`` command prints)."""
        where = f"Dask scheduler {self.scheduler}" if self.scheduler else (
            f"{self.workers} process(es)")
        out = [f"{self.output_dir}: {self.partitions} partition(s), {self.written} written, "
               f"{self.resumed} kept from an earlier run ({where})",
               f"{self.documents:,} documents, {self.statements:,} statements, "
               f"{self.rows:,} sentence rows, {self.evidence:,} evidence rows, "
               f"{self.targets:,} target rows",
               f"{self.bytes / 1e6:,.1f} MB of Parquet in {self.seconds:,.1f} s",
               f"{self.n_skipped} skipped"]
        out += [f"  skipped {p}" for p in self.skipped]
        return out


# ---- one partition ----------------------------------------------------------------------------


def _string_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if str(frame[c].dtype) in _STRING_DTYPES]


def _write_parquet(frame: pd.DataFrame, path: Path) -> int:
    """Write ``frame`` atomically with a stable schema (text columns as strings, also when
    all values are missing); return the file size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = []
    for c in frame.columns:
        if c in _string_columns(frame):
            fields.append(pa.field(c, pa.string()))
        else:
            fields.append(pa.field(c, pa.from_numpy_dtype(frame[c].dtype)))
    table = pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)
    with atomic_write(path, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")
    return path.stat().st_size


def _part_name(index: int) -> str:
    return f"part-{index:05d}"


@cache
def _default_cues() -> Any:
    from .quotes import load_cues

    return load_cues()


@cache
def _loaded(kind: str, path: str | None) -> Any:
    """The registry or codebook at ``path`` (None: the default), parsed once per process."""
    return as_registry(path) if kind == "registry" else as_codebook(path)


def _resolve(kind: str, value: object) -> Any:
    if isinstance(value, Registry | Codebook):
        return value
    return _loaded(kind, None if value is None else str(value))


def _analyse(docs: list[Document], reg: Registry, cb: Codebook,
             exact: str | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int]:
    from .metadata import add_metadata, statement_metadata
    from .quotes import extract_statements
    from .scoring import score_statements

    reg = reg.with_speakers(docs)  # the UN records' speakers the registry lacks
    st = extract_statements(docs, registry=reg, cues=_default_cues())
    r = score_statements(st, codebook=cb, registry=reg, level="sentence", exact=exact)
    meta = statement_metadata(st, docs, reg)  # doc_id, date, speaker, speaker_country, kind
    return (add_metadata(r.scores, meta), add_metadata(r.evidence, meta),
            add_metadata(r.targets, meta, reg), len(st))


def process_partition(
    index: int,
    docs: list[Document],
    output_dir: str | Path,
    *,
    registry: Registry | str | Path | None = None,
    codebook: Codebook | str | Path | None = None,
    exact: str | None = None,
) -> dict[str, Any]:
    """Analyse one partition and write its three Parquet files and its ``_parts`` record.

    Documents are analysed in chunks of :data:`CHUNK`; a chunk that fails is redone one
    document at a time and a document that still fails is skipped (recorded with the
    reason). Returns the partition record (also written as ``_parts/part-NNNNN.json``).
    """
    t0 = time.perf_counter()
    out = Path(output_dir)
    reg = _resolve("registry", registry)
    cb = _resolve("codebook", codebook)
    frames: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    n_statements = 0
    skipped: list[Problem] = []
    for k in range(0, len(docs), CHUNK):
        chunk = docs[k:k + CHUNK]
        try:
            results = [_analyse(chunk, reg, cb, exact)]
        except Exception:  # noqa: BLE001 - isolate the document at fault
            results = []
            for d in chunk:
                try:
                    results.append(_analyse([d], reg, cb, exact))
                except Exception as e:  # noqa: BLE001 - reported, the run goes on
                    skipped.append(Problem(str(d.source or d.id),
                                           f"analysis failed ({type(e).__name__}: {e})",
                                           d.id))
        for s, e, t, n in results:
            frames["scores"].append(s)
            frames["evidence"].append(e)
            frames["targets"].append(t)
            n_statements += n
    if not frames["scores"]:  # every document failed: empty tables with the columns
        s, e, t, _ = _analyse([], reg, cb, exact)
        frames = {"scores": [s], "evidence": [e], "targets": [t]}
    name = _part_name(index)
    record: dict[str, Any] = {"partition": index, "documents": [d.id for d in docs],
                              "statements": n_statements, "analysis": package_digest()}
    size = 0
    for table in TABLES:
        fs = [f for f in frames[table] if len(f)] or frames[table][:1]
        frame = pd.concat(fs, ignore_index=True) if len(fs) > 1 else fs[0]
        frame = frame.reset_index(drop=True)
        record[table] = len(frame)
        size += _write_parquet(frame, out / table / f"{name}.parquet")
    record["bytes"] = size
    record["skipped"] = [[p.where, p.message, p.entry] for p in skipped]
    record["seconds"] = round(time.perf_counter() - t0, 3)
    with atomic_write(out / PARTS / f"{name}.json", encoding="utf-8") as fh:
        json.dump(record, fh, indent=1)
    return record


def _task(args: tuple) -> dict[str, Any]:
    index, docs, output_dir, registry, codebook, exact = args
    return process_partition(index, docs, output_dir, registry=registry, codebook=codebook,
                             exact=exact)


# ---- the run ----------------------------------------------------------------------------------


def _documents(source: object, registry: Registry, on_error: Callable[[Problem], object],
               **reading: Any) -> Iterator[Document]:
    """Stream the documents of ``source``: paths go through the one reader dispatch
    (:func:`analysis.documents.iter_corpus`; bad UN records are skipped and reported to
    ``on_error``), an iterable of :class:`Document` is taken as it is."""
    if isinstance(source, str | Path):
        return iter_corpus(source, registry=registry, on_error=on_error, **reading)
    select = reading.get("select")
    docs = iter(source)  # type: ignore[call-overload]
    return docs if select is None or select.empty else filter(select.wants, docs)


def _partitions(docs: Iterable[Document], size: int) -> Iterator[tuple[int, list[Document]]]:
    batch: list[Document] = []
    index = 0
    for d in docs:
        batch.append(d)
        if len(batch) == size:
            yield index, batch
            index += 1
            batch = []
    if batch:
        yield index, batch


def _kept(out: Path, index: int, docs: list[Document]) -> dict[str, Any] | None:
    """The record of a partition written by an earlier run with the same documents and the
    same analysis (:func:`analysis.resources.package_digest`: a partition written before the
    code, the word lists or the libraries changed is computed again)."""
    name = _part_name(index)
    path = out / PARTS / f"{name}.json"
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("documents") != [d.id for d in docs]:
        return None
    if record.get("analysis") != package_digest():
        return None
    if not all((out / t / f"{name}.parquet").is_file() for t in TABLES):
        return None
    return record


def _prepare(out: Path, partition_size: int, resume: bool) -> None:
    """Check (resume) or clear (no resume) what an earlier run left in ``out``; make sure the
    folder can be written. Raises :class:`AnalysisError` naming ``out`` when it cannot."""
    _check_writable(out)
    manifest = out / MANIFEST
    parts = out / PARTS
    if resume:
        old = None
        if manifest.is_file():
            try:
                old = json.loads(manifest.read_text(encoding="utf-8")).get("partition_size")
            except ValueError:
                old = None
        if old is not None and old != partition_size:
            raise fail(out, f"holds a run with partition_size {old}, not {partition_size}; "
                            "use the same size, another folder, or resume=False "
                            "(--no-resume) to start again")
    else:
        for sub in (*TABLES, PARTS):
            if (out / sub).is_dir():
                shutil.rmtree(out / sub)
    try:
        for f in (out / SUCCESS, manifest):
            f.unlink(missing_ok=True)
        parts.mkdir(exist_ok=True)
        _remove_temporary(out)
    except OSError as e:
        raise fail(out, f"cannot prepare the output folder: {e.strerror or e}") from None


def _check_writable(out: Path) -> None:
    """Create ``out`` if needed and prove that a file can be written in it."""
    for folder in [out, *out.parents]:
        if folder.exists():
            if not folder.is_dir():
                what = "is a file" if folder == out else f"is under a file ({folder})"
                raise fail(out, f"output folder {what}; give a folder for --out")
            break
    try:
        out.mkdir(parents=True, exist_ok=True)
        with atomic_write(out / ".write-test", encoding="utf-8") as fh:
            fh.write("")
        (out / ".write-test").unlink()
    except OSError as e:
        raise fail(out, f"cannot write to the output folder: {e.strerror or e}") from None


def _remove_temporary(out: Path) -> None:
    """Remove the temporary files of writes that an interrupted or killed run left behind
    (whole files only ever appear under their final names)."""
    for sub in (*TABLES, PARTS, "."):
        folder = out / sub
        if folder.is_dir():
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)


def _remove_empty_run(out: Path, fresh: bool) -> None:
    """Remove the folders a run made before it found no documents (nothing is left behind
    in a folder the run created; an existing folder keeps what it held)."""
    parts = out / PARTS
    if parts.is_dir() and not any(parts.iterdir()):
        parts.rmdir()
    if fresh and out.is_dir() and not any(out.iterdir()):
        out.rmdir()


def complete_partitions(output_dir: str | Path) -> int:
    """Return how many partitions of the run in ``output_dir`` are complete (have their
    ``_parts`` record); a resumed run keeps them."""
    return sum(1 for _ in (Path(output_dir) / PARTS).glob("part-*.json"))


class RunInterrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C or SIGTERM; ``str()`` says how many partitions are complete
    and how to resume."""

    def __init__(self, output_dir: Path, complete: int) -> None:
        self.output_dir, self.complete = output_dir, complete
        super().__init__(f"run interrupted: {complete} partition(s) complete in {output_dir}; "
                         "run the same command again to resume (the complete partitions are "
                         "kept)")


def _progress(progress: bool, total: int | None) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="doc", desc="analysis", disable=not progress,
                dynamic_ncols=True, mininterval=0.5)


def run_corpus(
    source: str | Path | Iterable[Document],
    output_dir: str | Path,
    *,
    registry: Registry | str | Path | None = None,
    codebook: Codebook | str | Path | None = None,
    partition_size: int = PARTITION_SIZE,
    workers: int | None = None,
    client: Any = None,
    scheduler: str | None = None,
    resume: bool = True,
    progress: bool = True,
    exact: str | None = None,
    log: Callable[[str], object] | None = None,
    select: Selection | None = None,
    columns: TableColumns | None = None,
) -> RunSummary:
    """Analyse every document of ``source`` into a partitioned Parquet dataset; return a
    :class:`RunSummary`.

    ``source``: the UN General Debate ``.tar.gz`` archive, a folder or file of documents or
    of UN Security Council speeches, or an iterable of :class:`~analysis.documents.Document`.
    ``workers``: processes (None: every core; 1: in this process). ``client`` (a
    ``dask.distributed.Client``) or ``scheduler`` (its address, ``tcp://host:8786``) runs
    the partitions as Dask tasks instead; ``output_dir`` must then be a folder every worker
    can write (a shared file system). ``resume``: keep the partitions an earlier, interrupted
    run completed. ``progress``: a tqdm bar (terminal or notebook) and, on Dask, the
    dashboard link. ``select`` (:class:`~analysis.documents.Selection`) keeps a subset and
    ``columns`` maps a table's columns, as in :func:`analysis.documents.iter_corpus`. The
    tables are the same whichever way they are computed.
    """
    if not isinstance(partition_size, int) or partition_size < 1:
        raise fail("partition_size", f"must be a whole number >= 1, not {partition_size!r}")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise fail("workers", f"must be a whole number >= 1, not {workers!r}")
    t0 = time.perf_counter()
    out = Path(output_dir)
    reg = as_registry(registry)
    cb = as_codebook(codebook)
    say = log or (lambda msg: None)
    fresh = not out.exists()
    _prepare(out, partition_size, resume)
    skipped: list[Problem] = []

    def on_error(p: Problem) -> None:
        skipped.append(p)
        if progress:
            bar.write(f"skipped {p}")
        else:
            say(f"skipped {p}")

    total = len(source) if isinstance(source, list | tuple) else None
    bar = _progress(progress, total)
    own_client = None
    if client is None and scheduler is not None:
        from distributed import Client

        client = own_client = Client(scheduler)
    dashboard = None
    if client is not None:
        dashboard = getattr(client, "dashboard_link", None)
        if dashboard and progress:
            bar.write(f"Dask dashboard: {dashboard}")
    n_workers = workers or os.cpu_count() or 1
    if client is not None:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    records: list[dict[str, Any]] = []
    resumed = 0
    try:
        docs = _documents(source, reg, on_error, select=select, columns=columns)
        # workers load the default registry and codebook themselves (once per process)
        tasks = _pending(out, _partitions(docs, partition_size),
                         reg if isinstance(registry, Registry) else registry,
                         cb if isinstance(codebook, Codebook) else codebook, exact, records,
                         bar)
        if client is not None:
            done = _run_dask(client, tasks, n_workers)
        elif n_workers == 1:
            done = (_task(t) for t in tasks)
        else:
            done = _run_local(tasks, n_workers)
        try:
            for rec in done:
                records.append(rec)
                _report(bar, rec, on_error)
        finally:
            close = getattr(done, "close", None)
            if close is not None:
                close()  # a local pool's workers are stopped, not left running
        resumed = sum(1 for r in records if r.get("kept"))
    except KeyboardInterrupt:
        bar.close()
        _remove_temporary(out)
        raise RunInterrupted(out, complete_partitions(out)) from None
    except OSError as e:
        bar.close()
        _remove_temporary(out)
        where = e.filename or out
        raise fail(where, f"writing the run failed: {e.strerror or e}; "
                          f"{complete_partitions(out)} partition(s) are complete and kept "
                          "for a resumed run") from None
    finally:
        bar.close()
        if own_client is not None:
            own_client.close()
    if not records:
        _remove_empty_run(out, fresh)
        what = f"{len(skipped)} input(s) skipped" if skipped else "nothing matched"
        raise fail(source if isinstance(source, str | Path) else "source",
                   f"no documents to analyse ({what}); check the path and the selection "
                   "(--years, --countries, --speakers-only, --kinds)")
    records.sort(key=lambda r: r["partition"])
    for r in records:
        if r.get("kept"):
            skipped.extend(Problem(*p) for p in r["skipped"])
    sizes = sum(f.stat().st_size for t in TABLES for f in (out / t).glob("part-*.parquet"))
    summary = RunSummary(
        output_dir=out, partitions=len(records), written=len(records) - resumed,
        resumed=resumed, documents=sum(len(r["documents"]) for r in records),
        statements=sum(r["statements"] for r in records),
        rows=sum(r["scores"] for r in records), evidence=sum(r["evidence"] for r in records),
        targets=sum(r["targets"] for r in records), skipped=tuple(skipped),
        seconds=time.perf_counter() - t0, bytes=sizes, workers=n_workers,
        scheduler=None if client is None else str(getattr(client.scheduler, "address", "")
                                                  or scheduler),
        dashboard=dashboard)
    _finish(out, summary, partition_size, records)
    return summary


def _pending(out: Path, parts: Iterable[tuple[int, list[Document]]], reg: object,
             cb: object, exact: str | None, records: list[dict[str, Any]],
             bar: Any) -> Iterator[tuple]:
    """Yield the tasks of the partitions still to compute; kept ones go to ``records``."""
    for index, docs in parts:
        kept = _kept(out, index, docs)
        if kept is not None:
            kept["kept"] = True
            records.append(kept)
            bar.update(len(docs))
            continue
        yield (index, docs, str(out), reg, cb, exact)


def _report(bar: Any, rec: dict[str, Any], on_error: Callable[[Problem], object]) -> None:
    bar.update(len(rec["documents"]))
    for p in rec["skipped"]:
        on_error(Problem(*p))


def _run_local(tasks: Iterator[tuple], workers: int) -> Iterator[dict[str, Any]]:
    """Run tasks on a process pool, at most ``2 * workers`` in flight (memory stays flat).

    The workers ignore Ctrl-C (the parent stops them) and exit by themselves when the parent
    process dies (killed with SIGKILL, say), so no orphan goes on writing partitions. Closing
    the generator terminates the pool.
    """
    import multiprocessing
    import queue

    results: queue.SimpleQueue = queue.SimpleQueue()
    pool = multiprocessing.Pool(workers, initializer=_worker_init, initargs=(os.getpid(),))
    try:
        in_flight = 0
        for t in tasks:
            pool.apply_async(_task, (t,), callback=results.put, error_callback=results.put)
            in_flight += 1
            while in_flight >= 2 * workers:
                yield _result(results.get())
                in_flight -= 1
        while in_flight:
            yield _result(results.get())
            in_flight -= 1
        pool.close()
        pool.join()
    finally:
        pool.terminate()
        pool.join()


def _result(value: object) -> dict[str, Any]:
    if isinstance(value, BaseException):
        raise value
    return value  # type: ignore[return-value]


#: Seconds between a worker's checks that its parent process is still alive.
PARENT_CHECK_SECONDS = 0.5


def _worker_init(parent: int) -> None:
    """Set up a pool worker: ignore Ctrl-C, and exit when ``parent`` is no longer alive."""
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _run_dask(client: Any, tasks: Iterator[tuple], workers: int) -> Iterator[dict[str, Any]]:
    """Run tasks on a Dask cluster, at most ``2 * workers`` in flight."""
    from distributed import as_completed

    window = 2 * workers
    ac = as_completed()
    for t in tasks:
        ac.add(client.submit(_task, t, pure=False))
        if ac.count() >= window:
            yield next(ac).result()
    for f in ac:
        yield f.result()


def _finish(out: Path, summary: RunSummary, partition_size: int,
            records: list[dict[str, Any]]) -> None:
    manifest = {
        "partition_size": partition_size,
        "analysis": package_digest(),
        "partitions": [{k: r[k] for k in ("partition", "statements", *TABLES, "bytes")}
                       | {"documents": len(r["documents"]), "first": r["documents"][0]
                          if r["documents"] else None}
                       for r in records],
        "documents": summary.documents, "statements": summary.statements,
        "rows": summary.rows, "evidence": summary.evidence, "targets": summary.targets,
        "bytes": summary.bytes,
        "skipped": [{"where": p.where, "entry": p.entry, "reason": p.message}
                    for p in summary.skipped],
        "tables": {t: f"{t}/part-*.parquet" for t in TABLES},
    }
    with atomic_write(out / MANIFEST, encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1)
    with atomic_write(out / SUCCESS, encoding="utf-8") as fh:
        fh.write("")


def run_is_current(output_dir: str | Path) -> bool:
    """Return True when ``output_dir`` holds a finished run (``_SUCCESS``) that this version
    of the analysis wrote (its manifest's ``analysis`` digest is
    :func:`analysis.resources.package_digest`); False when there is no finished run or an
    older analysis wrote it (then a resumed run computes every partition again)."""
    out = Path(output_dir)
    if not (out / SUCCESS).is_file():
        return False
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("analysis") == package_digest()


def read_run(output_dir: str | Path, table: str = "scores",
             columns: list[str] | None = None) -> pd.DataFrame:
    """Return one table of a finished run (all partitions, in partition order; only
    ``columns`` when given: the whole archive's scores are ~60 columns of 1.4 million rows).

    Raises :class:`AnalysisError` when the run has not finished (no ``_SUCCESS``).
    """
    out = Path(output_dir)
    if table not in TABLES:
        raise fail("table", f"unknown table {table!r}; valid: {list(TABLES)}")
    if not (out / SUCCESS).is_file():
        raise AnalysisError([Problem(str(out), "no finished run here (no _SUCCESS); run "
                                               "python -m analysis run again to resume")])
    files = sorted((out / table).glob("part-*.parquet"))
    frames = [pd.read_parquet(f, columns=columns) for f in files]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
