"""Benchmarks (``python -m analysis bench``, ``make bench``): speed, scaling and memory.

Not a test: it measures and prints, and never asserts a speed. What each row means is in
``benchmarks/README.md``. In short, on the sentences of a fixed, seeded sample of the UN
General Debate corpus (the speeches whose ``sha256(seed:id)`` are smallest, so the sample does
not depend on archive order):

* bare NLTK VADER (one ``polarity_scores`` per sentence) and bare TextBlob
  (``TextBlob(s).sentiment``), single process;
* the full analysis (:func:`analysis.quotes.extract_statements` then
  :func:`analysis.scoring.score_statements` at sentence level) in one process and with every
  core; where ``analysis.quotes`` does not exist yet the row says ``n/a`` and a
  "scoring only" row (statement rows built from the speeches) is measured instead;
* the ratio of each to bare VADER's wall time;
* scaling: the pipeline on a base sample and on 4x and 16x its words, each in fresh
  subprocesses (median of 3), with wall time and peak RSS;
* ``--full``: the whole archive streamed end to end;
* the quote-extraction accuracy from :mod:`analysis.evaluation`, when that module exists.

* ``make report`` against its floor (papermill running as many empty notebooks the same
  way, as many at once); also alone, ``--report-only`` (:func:`run_report_bench`).

The table is written atomically to ``benchmarks/bench.csv`` (``bench-quick.csv`` with
``--quick``, ``bench-report.csv`` with ``--report-only``); the last printed line is a
one-line summary of the headline ratios.
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from .documents import Document, read_corpus
from .errors import Problem
from .io import write_table
from .text import sentences, tokenize, words

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPORA = ROOT.parent / "shared" / "corpora"
ARCHIVE = "ungdc-1946-2024.tar.gz"
#: The repository's own corpus: the bench's input when ../shared/corpora is absent.
PROJECT_CORPUS = ROOT / "corpus"
BENCH_DIR = ROOT / "benchmarks"
SEED = 20160917
COLUMNS = ["benchmark", "processes", "docs", "sentences", "words", "seconds",
           "sentences_per_s", "words_per_s", "ratio_to_vader", "peak_rss_mb", "note"]


# --- the sample -----------------------------------------------------------------------------

def _rank(doc_id: str, seed: int) -> str:
    return hashlib.sha256(f"{seed}:{doc_id}".encode()).hexdigest()


def sample_documents(
    docs: Iterable[Document], n: int, *, seed: int = SEED
) -> list[Document]:
    """Return the ``n`` documents with the smallest ``sha256(seed:id)``, in that order.

    Deterministic and independent of input order; holds only ``n`` documents at a time.
    The first ``k`` of the sample for ``n`` are the sample for ``k``.
    """
    heap: list[tuple[str, int, Document]] = []  # max-heap by rank via negated comparison
    for i, d in enumerate(docs):
        key = _rank(d.id, seed)
        item = (_neg(key), i, d)
        if len(heap) < n:
            heapq.heappush(heap, item)
        elif item > heap[0]:
            heapq.heapreplace(heap, item)
    return [d for _, _, d in sorted(heap, key=lambda t: _rank(t[2].id, seed))]


def _neg(hexkey: str) -> str:
    return "".join(f"{15 - int(c, 16):x}" for c in hexkey)


def sentence_texts(docs: Iterable[Document]) -> list[str]:
    """Return the text of every sentence of the documents' bodies (:func:`analysis.text`)."""
    return [d.body[a:b] for d in docs for a, b in sentences(d.body)]


def count_words(texts: Iterable[str]) -> int:
    """Return the number of word tokens in ``texts``."""
    return sum(len(words(tokenize(t))) for t in texts)


# --- what is timed ----------------------------------------------------------------------------

def _quotes_module():  # noqa: ANN202 - a module or None
    try:
        return importlib.import_module("analysis.quotes")
    except ImportError:
        return None


def _statement_rows(docs: Sequence[Document]) -> pd.DataFrame:
    """Statement rows per the data contract for statement documents (whole body, one row);
    used only when :mod:`analysis.quotes` is not available."""
    rows = []
    for d in docs:
        text = d.body.strip()
        start = d.body.index(text) if text else 0
        rows.append({"statement_id": f"{d.id}#001", "doc_id": d.id, "speaker": d.speaker,
                     "speaker_name": d.speaker_name, "affiliation": d.country,
                     "speaker_text": None, "kind": "statement", "text": text, "start": start,
                     "end": start + len(text), "cue": None, "paragraph": 0, "sentence": 0})
    return pd.DataFrame(rows)


def pipeline(docs: Sequence[Document], *, full: bool = True) -> int:
    """Run the analysis on ``docs``; return the number of score rows.

    ``full``: statements from :func:`analysis.quotes.extract_statements`; otherwise from the
    documents themselves (each speech one statement). Then sentence-level scoring.
    """
    from .pipeline import CHUNK
    from .scoring import score_statements

    rows = 0
    for k in range(0, len(docs), CHUNK):  # as analysis.pipeline.run_corpus does
        chunk = list(docs[k:k + CHUNK])
        if full:
            statements = _quotes_module().extract_statements(chunk)  # type: ignore[union-attr]
        else:
            statements = _statement_rows(chunk)
        rows += len(score_statements(statements, level="sentence").scores)
    return rows


def _clear_caches() -> None:
    """Empty the sentiment caches, the sentence-split cache and the fast paths' memo tables,
    so that no run profits from an earlier one."""
    for name in ("sentiment", "framing", "tokens"):
        mod = sys.modules.get(f"analysis.measures.{name}")
        if mod is not None:
            (mod.clear_caches if name == "sentiment" else mod.clear_memos)()
    text = sys.modules.get("analysis.text")
    if text is not None:
        text.clear_cache()


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    _clear_caches()
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _chunks(docs: Sequence[Document], k: int) -> list[list[Document]]:
    k = max(1, min(k, len(docs)))
    return [list(docs[i::k]) for i in range(k)]


def _pipeline_chunk(args: tuple[list[Document], bool]) -> int:
    return pipeline(args[0], full=args[1])


def parallel_pipeline(docs: Sequence[Document], *, full: bool, processes: int) -> int:
    """Run :func:`pipeline` on every core (``processes`` workers, 4 chunks each); return rows.

    Pool start-up is part of the cost being measured."""
    with ProcessPoolExecutor(max_workers=processes) as pool:
        return sum(pool.map(_pipeline_chunk,
                            [(c, full) for c in _chunks(docs, processes * 4)]))


def _rss_mb_self() -> float:
    """Peak resident memory of this process in MB: ``VmHWM`` (Linux; reset by exec, unlike
    ``ru_maxrss``, which a child started from a large parent inherits), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


#: Runs of each scaling size (fresh subprocesses); the row is the median run.
SCALE_REPEATS = 3
#: The pool holds this many times the 1x speeches, so that 16x the 1x run's words fit.
SCALE_HEADROOM = 24


def _scaling_sizes(pool: Sequence[Document], base: int,
                   mults: Sequence[int]) -> dict[int, int]:
    """Return ``{multiple: number of speeches}``: the first ``base`` speeches of ``pool`` for
    1x, and for each multiple ``m`` the fewest first speeches holding ``m`` times their words
    (all of the pool if it holds fewer)."""
    counts = [count_words([d.body]) for d in pool]
    target = sum(counts[:base])
    sizes, total, n = {}, 0, 0
    for m in sorted(mults):
        while n < len(pool) and total < m * target:
            total += counts[n]
            n += 1
        sizes[m] = max(n, min(base, len(pool)))
    return sizes


def _child(docs_path: Path, n: int, full: bool) -> None:
    """Subprocess entry: time the pipeline on the first ``n`` documents of a JSONL file."""
    docs = []
    with docs_path.open(encoding="utf-8") as fh:
        for line in fh:
            if len(docs) >= n:
                break
            docs.append(Document(**json.loads(line)))
    pipeline([Document(id="warm-up", body="Ostravia said it was warm.", kind="statement")],
             full=full)  # lazy imports and lexicons load outside the timed run
    seconds, rows = _timed(lambda: pipeline(docs, full=full))
    print(json.dumps({"seconds": seconds, "rows": rows, "rss_mb": _rss_mb_self()}))


def _in_subprocess(docs_path: Path, n: int, full: bool) -> dict[str, float]:
    cmd = [sys.executable, "-m", "analysis.bench", "--child", str(docs_path), str(n),
           "full" if full else "scoring"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- quote extraction on adversarial text -------------------------------------------------------

#: Texts that once made quote extraction quadratic, or that must stay linear: each pattern is
#: repeated to the size of the row (see :func:`repeated_text`).
QUOTE_PATTERNS = {
    "repeated cues": ('He said Power said that Churkin told reporters Lind, who said '
                      'Velkova accused Dorn said: she said "No," said Power, "'),
    "He said": "He said ",
    "quote marks": '"We stand firm," Power said. A "scare quote" and a stray " mark. ',
    "one long sentence": "the council met again and the talks went on without any pause ",
}
#: Sizes of the quote-extraction rows, in KB (``--quick``: the small ones).
QUOTE_SIZES_KB = (16, 64, 256)
QUOTE_SIZES_KB_QUICK = (1, 4, 16)


def repeated_text(pattern: str, size: int) -> str:
    """Return ``pattern`` repeated and cut to exactly ``size`` characters."""
    return (pattern * (size // len(pattern) + 1))[:size]


def quote_measure(pattern: str, size: int) -> dict[str, float]:
    """Time quote extraction on ``repeated_text(QUOTE_PATTERNS[pattern], size)`` (CPU time
    of the process, median of 3 runs: other work on a shared machine does not count) and
    measure its peak Python allocation (one more run, under tracemalloc); return seconds,
    statements, alloc_mb and rss_mb."""
    import gc
    import tracemalloc

    from .quotes import extract_statements

    body = repeated_text(QUOTE_PATTERNS[pattern], size)
    extract_statements(Document(id="warm-up", body='"Yes," Power said.'))
    times = []
    for _ in range(3):
        _clear_caches()
        gc.collect()
        t = time.process_time()
        n = len(extract_statements(Document(id="q", body=body)))
        times.append(time.process_time() - t)
    _clear_caches()
    gc.collect()
    tracemalloc.start()
    extract_statements(Document(id="q", body=body))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": sorted(times)[1], "statements": n, "alloc_mb": peak / 2**20,
            "rss_mb": _rss_mb_self()}


def quote_rows(quick: bool, headline: dict[str, float]) -> list[dict[str, object]]:
    """Rows timing quote extraction on each of :data:`QUOTE_PATTERNS` at each size, each in a
    fresh subprocess (``quick``: the ``He said`` pattern at small sizes, in this process);
    notes give time and peak allocation relative to the size before. ``headline`` gets the
    worst time ratio for 4x the text."""
    rows = []
    sizes = QUOTE_SIZES_KB_QUICK if quick else QUOTE_SIZES_KB
    worst = 0.0
    for name in ["He said"] if quick else QUOTE_PATTERNS:
        prev = None
        for kb in sizes:
            if quick:
                res = quote_measure(name, kb * 1024)
            else:
                cmd = [sys.executable, "-m", "analysis.bench", "--quote-child", name,
                       str(kb * 1024)]
                out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
                res = json.loads(out.stdout.strip().splitlines()[-1])
            note = (f"extract_statements on {kb} KB of repeated {name!r}; CPU s, median of 3"
                    f"{'' if quick else ' in a fresh subprocess'}; {res['statements']} "
                    f"statements; peak allocation {res['alloc_mb']:.1f} MB")
            if prev is not None:
                ratio = res["seconds"] / prev["seconds"] if prev["seconds"] else float("nan")
                worst = max(worst, ratio)
                note += (f"; {ratio:.2f}x the time and {res['alloc_mb'] / prev['alloc_mb']:.2f}x "
                         f"the allocation of the {kb // 4} KB run for 4x the text")
            rows.append(_row(f"quotes, {name}, {kb} KB", processes=1, docs=1, n_sent=None,
                             n_words=None, seconds=res["seconds"], rss=res["rss_mb"],
                             note=note))
            prev = res
    headline["quotes 4x text time"] = worst
    return rows


# --- the run ----------------------------------------------------------------------------------

def _row(name: str, *, processes: int | None, docs: int | None, n_sent: int | None,
         n_words: int | None, seconds: float | None, vader: float | None = None,
         rss: float | None = None, note: str = "") -> dict[str, object]:
    ok = seconds is not None and seconds > 0
    return {
        "benchmark": name, "processes": processes, "docs": docs, "sentences": n_sent,
        "words": n_words, "seconds": round(seconds, 3) if ok else None,
        "sentences_per_s": round(n_sent / seconds) if ok and n_sent else None,
        "words_per_s": round(n_words / seconds) if ok and n_words else None,
        "ratio_to_vader": round(seconds / vader, 2) if ok and vader else None,
        "peak_rss_mb": round(rss, 1) if rss is not None else None, "note": note,
    }


def _accuracy(log: Callable[[str], object]) -> list[dict[str, object]]:
    """Rows from :func:`analysis.evaluation.accuracy_report` (one per gold set, all kinds),
    or one ``n/a`` row when it is not available."""
    def na(why: str) -> list[dict[str, object]]:
        return [_row("quote accuracy", processes=None, docs=None, n_sent=None, n_words=None,
                     seconds=None, note=f"n/a: {why}")]

    try:
        ev = importlib.import_module("analysis.evaluation")
        report = ev.accuracy_report(ROOT / "tests" / "data" / "gold")
    except ImportError:
        return na("analysis.evaluation not available yet")
    except (AttributeError, TypeError) as e:
        return na(f"analysis.evaluation.accuracy_report() failed: {e}")
    with pd.option_context("display.width", 250, "display.max_columns", None):
        log("quote extraction accuracy (analysis.evaluation.accuracy_report):\n"
            + report.to_string(index=False))
    needed = {"set", "kind", "precision", "recall", "f1", "speaker_accuracy", "n_gold"}
    if not needed <= set(report.columns):
        return na(f"accuracy_report has no columns {sorted(needed - set(report.columns))}")
    rows = []
    for _, r in report[report["kind"] == "all"].iterrows():
        rows.append(_row(f"quote accuracy ({r['set']})", processes=None, docs=None, n_sent=None,
                         n_words=None, seconds=None,
                         note=f"P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f} "
                              f"speaker {r['speaker_accuracy']:.3f} (n_gold {r['n_gold']})"))
    return rows


def run_bench(
    *,
    sample: int = 200,
    scale_base: int | None = None,
    quick: bool = False,
    full: bool = False,
    corpora: str | Path | None = None,
    out: str | Path | None = None,
    seed: int = SEED,
    log: Callable[[str], object] = print,
) -> pd.DataFrame:
    """Run the benchmarks, write the CSV atomically and return the table (see module doc).

    ``scale_base``: the 1x size of the scaling rows (default ``max(1, sample // 16)``, so 16x
    is the sample). ``quick``: a smoke run (sample drawn from the first speeches of the
    archive only, no multiprocessing row). ``corpora``: the shared corpora folder (default
    ``../shared/corpora``); when absent, the project's ``corpus/`` is used.
    """
    from .documents import read_ungdc

    corpora = Path(corpora) if corpora is not None else SHARED_CORPORA
    archive = corpora / ARCHIVE
    scale_base = scale_base or max(1, sample // 16)
    need = max(sample, scale_base * SCALE_HEADROOM)
    skipped: list[Problem] = []
    t0 = time.perf_counter()
    if archive.is_file():
        source = f"UNGDC sample ({need} of the archive's speeches, seed {seed})"
        limit = max(64, need * 8) if quick else None
        pool = sample_documents(read_ungdc(archive, on_error=skipped.append, limit=limit),
                                need, seed=seed)
    else:
        log(f"{corpora} is absent: running on the project's corpus ({PROJECT_CORPUS}) only")
        source = "project corpus"
        pool = sample_documents(read_corpus(PROJECT_CORPUS), need, seed=seed)
    read_s = time.perf_counter() - t0
    if pool and len(pool) < need:
        # A small corpus (the project's own, without ../shared): repeat its documents, under
        # new ids, so that "16x" really is sixteen times the input of "1x".
        source += f", repeated to {need} documents"
        pool = [dataclasses.replace(pool[k % len(pool)], id=f"{pool[k % len(pool)].id}~{k}")
                for k in range(need)]
    docs = pool[:sample]
    log(f"sample: {len(docs)} documents from {source} (read in {read_s:.1f} s)")
    sents = sentence_texts(docs)
    n_words = count_words(sents)
    n_docs = len(docs)
    rows: list[dict[str, object]] = []

    from .measures.sentiment import vader_analyzer

    sia = vader_analyzer()
    vader_s, vader_out = _timed(lambda: [sia.polarity_scores(s) for s in sents])
    rows.append(_row("bare NLTK VADER", processes=1, docs=n_docs, n_sent=len(sents),
                     n_words=n_words, seconds=vader_s, vader=vader_s,
                     note="polarity_scores per sentence"))
    from textblob import TextBlob

    tb_s, tb_out = _timed(lambda: [TextBlob(s).sentiment for s in sents])
    rows.append(_row("bare TextBlob", processes=1, docs=n_docs, n_sent=len(sents),
                     n_words=n_words, seconds=tb_s, vader=vader_s,
                     note="TextBlob(s).sentiment per sentence"))
    fv_s, same = _fast_rows(docs, sents, vader_out, tb_out, n_words, vader_s, rows,
                            tables=_quotes_module() is not None)

    has_quotes = _quotes_module() is not None
    cores = os.cpu_count() or 1
    kinds = [("full analysis", True)] if has_quotes else [("scoring only", False)]
    if not has_quotes:
        for procs in (1, cores):
            rows.append(_row(f"full analysis, {procs} process(es)", processes=procs,
                             docs=n_docs, n_sent=None, n_words=None, seconds=None,
                             note="n/a: analysis.quotes not available yet"))
    headline: dict[str, float] = {}
    for label, is_full in kinds:
        note = ("extract_statements + score_statements(level=sentence)" if is_full else
                "score_statements(level=sentence) on one statement row per speech")
        s1, _ = _timed(lambda f=is_full: pipeline(docs, full=f))
        rows.append(_row(f"{label}, 1 process", processes=1, docs=n_docs, n_sent=len(sents),
                         n_words=n_words, seconds=s1, vader=vader_s, note=note))
        headline[f"{label} 1p/VADER"] = s1 / vader_s
        if not quick and cores > 1:
            sn, _ = _timed(lambda f=is_full: parallel_pipeline(docs, full=f, processes=cores))
            rows.append(_row(f"{label}, {cores} processes", processes=cores, docs=n_docs,
                             n_sent=len(sents), n_words=n_words, seconds=sn, vader=vader_s,
                             note=note + "; process pool start-up included"))
            headline[f"{label} {cores}p/VADER"] = sn / vader_s

        # scaling, each size in a fresh subprocess (peak RSS per run): the 4x and 16x inputs
        # are the first speeches of the pool holding 4 and 16 times the 1x run's words
        sizes = _scaling_sizes(pool, scale_base, (1, 4, 16))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "docs.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for d in pool[: max(sizes.values())]:
                    fh.write(json.dumps({"id": d.id, "body": d.body, "kind": d.kind,
                                         "speaker": d.speaker, "speaker_name": d.speaker_name,
                                         "country": d.country}) + "\n")
            base_s = base_w = None
            for mult, n in sizes.items():
                ps = sentence_texts(pool[:n])
                n_w = count_words(ps)
                runs = [_in_subprocess(path, n, is_full) for _ in range(SCALE_REPEATS)]
                res = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]  # the median
                base_s, base_w = base_s or res["seconds"], base_w or n_w
                rows.append(_row(f"{label} scaling {mult}x", processes=1, docs=n,
                                 n_sent=len(ps), n_words=n_w,
                                 seconds=res["seconds"], rss=res["rss_mb"],
                                 note=f"fresh subprocess, median of {SCALE_REPEATS}; time "
                                      f"{res['seconds'] / base_s:.2f}x the 1x run for "
                                      f"{n_w / base_w:.2f}x its words"))
                headline[f"{label} {mult}x time"] = res["seconds"] / base_s
    if full and archive.is_file():
        full_rows = _full_run(archive, cores, log)
        rows.extend(full_rows)
        headline["whole corpus/VADER"] = full_rows[0]["seconds"] / full_rows[1]["seconds"]
    if not quick:
        report_rows = _report_rows(log)
        rows.extend(report_rows)
        by_name = {row["benchmark"]: row["seconds"] for row in report_rows}
        if by_name["make report"] and by_name["report floor"]:
            headline["report/floor"] = by_name["make report"] / by_name["report floor"]
    rows.extend(quote_rows(quick, headline))
    rows.extend(_accuracy(log))
    rows.append(_row("corpus read", processes=1, docs=len(pool), n_sent=None, n_words=None,
                     seconds=read_s, note=f"{source}; {len(skipped)} member(s) skipped: "
                     + "; ".join(f"{p.entry}: {p.message}" for p in skipped)))
    table = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("processes", "docs", "sentences", "words", "sentences_per_s", "words_per_s"):
        table[col] = table[col].astype("Int64")
    out_path = Path(out) if out is not None else BENCH_DIR / (
        "bench-quick.csv" if quick else "bench.csv")
    write_table(table, out_path, fmt="csv")
    with pd.option_context("display.max_columns", None, "display.width", 250,
                           "display.max_colwidth", 70):
        shown = table.assign(note=table["note"].str.slice(0, 60))
        log(shown.to_string(index=False))
    log(f"written: {out_path}")
    summary = ", ".join(f"{k} {v:.2f}" for k, v in headline.items())
    rate = len(sents) / vader_s
    log(f"summary: TextBlob/VADER {tb_s / vader_s:.2f}, fast VADER/VADER {fv_s / vader_s:.2f}, "
        f"{summary}; fast paths identical: {'yes' if same else 'NO'}; VADER {rate:,.0f} "
        f"sentences/s on {len(sents):,} sentences")
    return table


def _fast_rows(docs: Sequence[Document], sents: list[str], vader_out: list, tb_out: list,
               n_words: int, vader_s: float, rows: list[dict[str, object]], *,
               tables: bool) -> tuple[float, bool]:
    """Time the exact fast paths on the same sentences and check them against the
    libraries' results on the whole sample (VADER, TextBlob, cues, passives, and the three
    score tables); add the rows; return (fast VADER seconds, all identical)."""
    from .measures.codebook import load_codebook
    from .measures.framing import cue_hits, match_tokens
    from .measures.passives import passives, passives_in_tokens
    from .measures.sentiment import fast_textblob, fast_vader
    from .measures.tokens import Span
    from .scoring import score_statements
    from .text import tokenize

    fv_s, fv_out = _timed(lambda: [fast_vader().polarity_scores(s) for s in sents])
    ft_s, ft_out = _timed(lambda: [fast_textblob().sentiment(s) for s in sents])
    bad_v = sum(a != b for a, b in zip(fv_out, vader_out, strict=True))
    bad_t = sum(a != (float(b.polarity), float(b.subjectivity))
                for a, b in zip(ft_out, tb_out, strict=True))
    cb = load_codebook()
    bad_f = 0
    for s in sents:
        toks = tokenize(s)
        span = Span(s)
        bad_f += cue_hits(span, cb, exact="fast") != match_tokens(s, toks, cb) or (
            passives(span, exact="fast") != passives_in_tokens(s, toks))
    same_tables = None
    if tables:
        st = _quotes_module().extract_statements(list(docs))  # type: ignore[union-attr]
        lib = score_statements(st, level="sentence", exact="library")
        fast = score_statements(st, level="sentence", exact="fast")
        same_tables = all(a.equals(b) and list(a.dtypes) == list(b.dtypes) for a, b in zip(
            (lib.scores, lib.evidence, lib.targets), (fast.scores, fast.evidence, fast.targets),
            strict=True))
    n = len(sents)
    rows.append(_row("exact fast VADER", processes=1, docs=len(docs), n_sent=n,
                     n_words=n_words, seconds=fv_s, vader=vader_s,
                     note=f"exact='fast'; {n - bad_v} of {n} identical to NLTK"))
    rows.append(_row("exact fast TextBlob", processes=1, docs=len(docs), n_sent=n,
                     n_words=n_words, seconds=ft_s, vader=vader_s,
                     note=f"exact='fast'; {n - bad_t} of {n} identical to TextBlob"))
    tables_note = {None: "n/a", True: "identical", False: "DIFFERENT"}[same_tables]
    same = bad_v == bad_t == bad_f == 0 and same_tables is not False
    rows.append(_row("fast paths = libraries", processes=None, docs=len(docs), n_sent=n,
                     n_words=None, seconds=None,
                     note=f"{'yes' if same else 'NO'}: sentences differing: VADER {bad_v}, "
                          f"TextBlob {bad_t}, cues/passives {bad_f}; score tables (sentence "
                          f"level, exact=library vs fast) {tables_note}"))
    return fv_s, same


def _tree_rss_mb(pid: int) -> tuple[float, float]:
    """(sum, largest) resident memory in MB of process ``pid`` and its descendants (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total = largest = 0.0
    stack = [pid]
    while stack:
        q = stack.pop()
        stack.extend(children.get(q, []))
        try:
            with open(f"/proc/{q}/status", encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        mb = int(line.split()[1]) / 1024
                        total += mb
                        largest = max(largest, mb)
        except OSError:
            continue
    return total, largest


def _full_run(archive: Path, cores: int, log: Callable[[str], object]) -> list[dict[str, object]]:
    """The whole archive end to end (``python -m analysis run``, every core, in a subprocess
    whose process tree's memory is sampled), then bare NLTK VADER over the same sentences in
    this process (only the ``polarity_scores`` calls are timed). Returns the two rows."""
    from .documents import read_ungdc
    from .measures.sentiment import vader_analyzer

    with tempfile.TemporaryDirectory(prefix="bench-full-") as tmp:
        out = Path(tmp) / "run"
        log(f"whole corpus: python -m analysis run {archive} --out {out} ...")
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "analysis", "run", str(archive),
                                 "--out", str(out), "--quiet"], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        peak_total = peak_one = 0.0
        while proc.poll() is None:
            total, one = _tree_rss_mb(proc.pid)
            peak_total, peak_one = max(peak_total, total), max(peak_one, one)
            time.sleep(0.25)
        seconds = time.perf_counter() - t
        printed = proc.stdout.read() if proc.stdout else ""
        if proc.returncode != 0:
            raise RuntimeError(f"python -m analysis run failed ({proc.returncode})")
        log(printed.rstrip())
        manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
        size = manifest["bytes"]
    sia = vader_analyzer()
    vader_s = 0.0
    n_sent = 0
    log("whole corpus: bare NLTK VADER over the same sentences ...")
    for d in read_ungdc(archive, on_error=lambda p: None):
        texts = [d.body[a:b] for a, b in sentences(d.body)]
        t = time.perf_counter()
        for s in texts:
            sia.polarity_scores(s)
        vader_s += time.perf_counter() - t
        n_sent += len(texts)
    _clear_caches()
    return [
        _row("whole corpus end to end", processes=cores, docs=manifest["documents"],
             n_sent=n_sent, n_words=None, seconds=seconds, vader=vader_s, rss=peak_total,
             note=f"python -m analysis run: {manifest['rows']:,} sentence rows, "
                  f"{manifest['statements']:,} statements, Parquet {size / 1e6:.1f} MB, "
                  f"{len(manifest['skipped'])} skipped; peak RSS summed over the process "
                  f"tree (largest process {peak_one:.0f} MB)"),
        _row("bare NLTK VADER, whole corpus", processes=1, docs=manifest["documents"],
             n_sent=n_sent, n_words=None, seconds=vader_s, vader=vader_s,
             note="polarity_scores per sentence, same sentences, one process"),
    ]


#: Rounds of the ``make report`` rows: each round runs every variant once (interleaved, so a
#: slow spell of a shared machine hits them alike); each row gives the median.
REPORT_REPEATS = 5

#: The floor as a command: a fresh interpreter executes the given EMPTY notebooks the way the
#: runner executes the report's (:func:`analysis.runner.execute_notebooks`: papermill, a fresh
#: kernel each, the same kernel, as many at once as the report).
_FLOOR_SCRIPT = """\
import sys
from pathlib import Path
from analysis.runner import execute_notebooks
paths = [Path(p) for p in sys.argv[2:]]
execute_notebooks(list(zip(paths[0::2], paths[1::2])), {}, workers=int(sys.argv[1]),
                  done=lambda k, nb, seconds: None)
"""


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished child processes and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _report_rows(log: Callable[[str], object]) -> list[dict[str, object]]:
    """``make report`` against its floor; each row the median of :data:`REPORT_REPEATS`.

    * ``make report``: its command, ``python -m analysis report`` on params/default.yml
      (output and figures to a temporary folder, a new one each round, so the analysis is
      computed and cached), in a fresh interpreter, end to end: start-up, imports, the
      analysis, every notebook (``min(4, cores)`` at once, a fresh kernel each), HTML;
    * ``make report, analysis cached``: the same into the previous round's folder, whose
      cache holds the analysis already (a second report on the same inputs);
    * ``report floor``: a fresh interpreter executes as many EMPTY notebooks the same way
      (the runner's :func:`analysis.runner.execute_notebooks`: papermill, the same kernel, as
      many at once).

    Each note also gives the median CPU time (user + system, the command and every kernel):
    on a shared machine it moves less than the wall time.
    """
    import statistics

    import nbformat
    import yaml

    from .runner import default_jobs, notebook_paths

    names = ("make report", "make report, analysis cached", "report floor")

    def na(why: str) -> list[dict[str, object]]:
        return [_row(name, processes=1, docs=None, n_sent=None, n_words=None, seconds=None,
                     note=f"n/a: {why}") for name in names]

    nbs = notebook_paths(None)
    if not nbs:
        return na("no notebooks")
    jobs = min(default_jobs(), len(nbs))
    try:
        with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
            values = yaml.safe_load((ROOT / "params" / "default.yml").read_text("utf-8")) or {}
            rounds = []
            for k in range(REPORT_REPEATS + 1):
                values.update(output_dir=str(Path(tmp) / f"reports-{k}"),
                              figure_dir=str(Path(tmp) / f"figures-{k}"))
                params = Path(tmp) / f"params-{k}.yml"
                params.write_text(yaml.safe_dump(values), encoding="utf-8")
                rounds.append([sys.executable, "-m", "analysis", "report", "--params",
                               str(params)])
            empty = nbformat.v4.new_notebook()
            empty.metadata["kernelspec"] = nbformat.read(nbs[0], as_version=4).metadata.get(
                "kernelspec", {})
            empties = []
            for k in range(len(nbs)):
                src = Path(tmp) / f"empty-{k}.ipynb"
                nbformat.write(empty, src)
                empties += [str(src), str(Path(tmp) / f"empty-{k}.out.ipynb")]
            floor = [sys.executable, "-c", _FLOOR_SCRIPT, str(jobs), *empties]

            def run(cmd: list[str]) -> None:
                subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)

            subprocess.run(rounds[0], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            times: dict[str, list[float]] = {name: [] for name in names}
            cpu: dict[str, list[float]] = {name: [] for name in names}
            for k in range(1, REPORT_REPEATS + 1):
                variants: dict[str, Callable[[], object]] = {
                    "make report": lambda k=k: run(rounds[k]),  # a new folder: computed
                    "make report, analysis cached": lambda k=k: run(rounds[k - 1]),
                    "report floor": lambda: run(floor),
                }
                for name, variant in variants.items():
                    t, c = time.perf_counter(), _children_cpu()
                    variant()
                    times[name].append(time.perf_counter() - t)
                    cpu[name].append(_children_cpu() - c)
    except Exception as e:  # noqa: BLE001 - a benchmark row, not a failure of the bench
        log(f"make report row not measured: {type(e).__name__}: {e}")
        return na(f"{type(e).__name__}: {e}")
    s = {name: statistics.median(ts) for name, ts in times.items()}
    c = {name: statistics.median(ts) for name, ts in cpu.items()}
    spread = {name: f"{min(ts):.2f}-{max(ts):.2f} s" for name, ts in times.items()}
    n = len(nbs)
    floor_s = s["report floor"]

    def row(name: str, note: str) -> dict[str, object]:
        return _row(name, processes=jobs, docs=n, n_sent=None, n_words=None,
                    seconds=s[name], note=f"{note}; median of {REPORT_REPEATS} "
                                          f"({spread[name]}); CPU {c[name]:.2f} s "
                                          f"({c[name] / c['report floor']:.2f}x the floor's)")

    return [
        row("make report",
            f"python -m analysis report (the recipe of make report), end to end, {n} notebooks "
            f"(docs = notebooks), {jobs} at once, a fresh kernel each, the analysis computed "
            f"and cached; {s['make report'] / floor_s:.2f}x the floor"),
        row("make report, analysis cached",
            f"the same, the analysis read from the cache of an earlier run; "
            f"{s['make report, analysis cached'] / floor_s:.2f}x the floor"),
        row("report floor",
            f"a fresh interpreter executes {n} EMPTY notebooks the same way (papermill, the "
            f"same kernel, {jobs} at once)"),
    ]


def run_report_bench(*, out: str | Path | None = None,
                     log: Callable[[str], object] = print) -> pd.DataFrame:
    """Measure only the ``make report`` rows (``python -m analysis bench --report-only``),
    write them atomically to ``out`` (default ``benchmarks/bench-report.csv``) and return
    the table; the last printed line is the summary."""
    table = pd.DataFrame(_report_rows(log), columns=COLUMNS)
    for col in ("processes", "docs"):
        table[col] = table[col].astype("Int64")
    out_path = Path(out) if out is not None else BENCH_DIR / "bench-report.csv"
    write_table(table, out_path, fmt="csv")
    with pd.option_context("display.max_columns", None, "display.width", 250,
                           "display.max_colwidth", 200):
        log(table[["benchmark", "processes", "docs", "seconds", "note"]].to_string(index=False))
    log(f"written: {out_path}")
    seconds = dict(zip(table["benchmark"], table["seconds"], strict=True))
    if pd.notna(seconds["make report"]):
        log(f"summary: make report {seconds['make report']:.2f} s, report/floor "
            f"{seconds['make report'] / seconds['report floor']:.2f} (analysis cached "
            f"{seconds['make report, analysis cached'] / seconds['report floor']:.2f}), "
            f"floor {seconds['report floor']:.2f} s")
    else:
        log("summary: make report not measured")
    return table


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        warnings.simplefilter("ignore")
        _child(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "full")
    elif len(sys.argv) == 4 and sys.argv[1] == "--quote-child":
        warnings.simplefilter("ignore")
        print(json.dumps(quote_measure(sys.argv[2], int(sys.argv[3]))))
    else:
        sys.exit("use: python -m analysis bench")
