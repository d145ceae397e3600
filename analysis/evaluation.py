"""Measuring the tool against hand-labelled gold data.

Quote extraction (issue 3): :func:`load_gold` reads a gold file (the statements of one
document, see ``tests/data/gold/deir-ezzor-2016-09-17.yml`` for the format and the span
convention), :func:`quote_accuracy` compares predicted statements with gold ones, and
:func:`accuracy_report` runs the extractor over every gold file of a folder and reports
per set (seed, dev, heldout, heldout2) -- the ``python -m analysis accuracy`` command.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .errors import AnalysisError, Problem, fail
from .quotes import ALL_KINDS, ATTITUDE_KINDS
from .schema import GOLD_SETS, CodingFile, GoldFile, load_yaml_file

__all__ = ["ACCURACY_COLUMNS", "GOLD_COLUMNS", "GOLD_SETS", "accuracy_report",
           "codebook_agreement", "coding_statements", "evaluate_gold", "gold_files",
           "load_coding", "load_gold", "match_statements", "quote_accuracy"]

# GOLD_SETS (from the gold file's schema), in report order: ``heldout`` was written before
# the first rules and ``heldout2`` before the second round of rule changes (the first
# held-out set was used as development data in that round); a held-out set is only
# evaluated on, never tuned on.
GOLD_COLUMNS = ["set", "doc_id", "kind", "speaker", "speaker_text", "speaker_name", "text",
                "start", "end", "source"]
ACCURACY_COLUMNS = ["kind", "n_gold", "n_predicted", "matched_gold", "matched_predicted",
                    "precision", "recall", "f1", "speaker_accuracy", "kind_accuracy"]


# ------------------------------------------------------------------ quote extraction


def _gold_document(path: Path, data: GoldFile) -> tuple[object, object]:
    """Return (registry, the one document) that the gold file ``data`` at ``path`` names."""
    from .documents import read_documents
    from .speakers import load_registry

    registry = load_registry(path.parent / data.registry if data.registry else None)
    docs = read_documents(path.parent / data.document, registry=registry)
    if len(docs) != 1:
        raise fail(path, "document must name one file", "document")
    return registry, docs[0]


def load_gold(path: str | Path) -> pd.DataFrame:
    """Return the gold statements of one gold file, with offsets into the document body.

    Columns: ``set, doc_id, kind, speaker, speaker_text, speaker_name`` (given only where the
    file checks it), ``text, start, end, source``. Each
    statement's ``text`` is searched in the body from the start of the one before it, so
    the file lists statements in order; ``whole_body: true`` stands for the whole
    (stripped) body of a statement document. The file is checked against its schema
    (:class:`analysis.schema.GoldFile`); raises :class:`AnalysisError` naming the file and
    entry for a missing document, an unknown kind or speaker, or text not in the body.
    """
    path = Path(path)
    where = str(path)
    data = load_yaml_file(path, GoldFile, what="gold file")
    registry, doc = _gold_document(path, data)
    body = doc.body
    problems: list[Problem] = []
    rows = []
    cursor = 0
    for i, st in enumerate(data.statements, 1):
        entry = f"statement {i}"
        kind, speaker = st.kind, st.speaker
        if kind not in ALL_KINDS:  # statement kinds, and belief/poll for attitude gold
            problems.append(Problem(where, f"unknown kind {kind!r}; valid: {list(ALL_KINDS)}",
                                    entry))
        if speaker is not None and speaker not in registry:
            problems.append(Problem(where, f"unknown speaker {speaker!r}", entry))
        if st.whole_body:
            a, b = 0, len(body)
            while a < b and body[a].isspace():
                a += 1
            while b > a and body[b - 1].isspace():
                b -= 1
        else:
            text = st.text
            if not text:
                problems.append(Problem(where, "missing text", entry))
                continue
            a = body.find(text, cursor)
            if a < 0:
                problems.append(Problem(where, f"text not found in {doc.source} after "
                                        f"offset {cursor}: {text[:60]!r}", entry))
                continue
            b = a + len(text)
        cursor = a
        rows.append({"set": data.set, "doc_id": doc.id, "kind": kind, "speaker": speaker,
                     "speaker_text": st.speaker_text, "speaker_name": st.speaker_name,
                     "text": body[a:b], "start": a,
                     "end": b, "source": where})
    if problems:
        raise AnalysisError(problems)
    return pd.DataFrame(rows, columns=GOLD_COLUMNS)


def _overlap_ok(a0: int, a1: int, b0: int, b1: int) -> int:
    """Return the overlap of two spans if it is at least half of the shorter, else 0."""
    ov = min(a1, b1) - max(a0, b0)
    shorter = min(a1 - a0, b1 - b0)
    return ov if ov > 0 and 2 * ov >= shorter else 0


def match_statements(predicted: pd.DataFrame, gold: pd.DataFrame) -> list[tuple[int, int]]:
    """Return one-to-one (predicted row, gold row) position pairs of matching spans.

    Two spans of the same document match when they overlap by at least half of the shorter
    one; each gold span takes the unmatched prediction it overlaps most (gold in order).
    """
    pairs: list[tuple[int, int]] = []
    pred_by_doc: dict[str, list[int]] = {}
    for k, d in enumerate(predicted["doc_id"]):
        pred_by_doc.setdefault(d, []).append(k)
    taken: set[int] = set()
    ps, pe = predicted["start"].tolist(), predicted["end"].tolist()
    for g, (d, gs, ge) in enumerate(zip(gold["doc_id"], gold["start"], gold["end"],
                                        strict=True)):
        best, best_ov = None, 0
        for k in pred_by_doc.get(d, []):
            if k in taken:
                continue
            ov = _overlap_ok(ps[k], pe[k], gs, ge)
            if ov > best_ov:
                best, best_ov = k, ov
        if best is not None:
            taken.add(best)
            pairs.append((best, g))
    return pairs


def _na(v: object) -> object:
    return None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v


def _ratio(n: int, d: int) -> float:
    return n / d if d else float("nan")


def quote_accuracy(predicted: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Return precision, recall, F1 and speaker accuracy of ``predicted`` statements.

    Spans are matched by :func:`match_statements` regardless of kind. One row per kind and
    a final ``all`` row: recall counts the gold statements of that kind that were found,
    precision the predictions of that kind that match a gold statement, speaker accuracy
    the matched gold statements of that kind whose predicted speaker (registry id, or null)
    is the gold one, kind accuracy those whose predicted kind is the gold kind. Ratios with
    nothing to count are NaN.

    >>> g = pd.DataFrame({"doc_id": ["d"], "kind": ["direct"], "speaker": ["power"],
    ...                   "start": [0], "end": [10]})
    >>> p = g.assign(start=[2])
    >>> quote_accuracy(p, g).loc[lambda t: t.kind == "all", ["f1", "speaker_accuracy"]].values
    array([[1.0, 1.0]], dtype=object)
    """
    pairs = match_statements(predicted, gold)
    p_kind, g_kind = predicted["kind"].tolist(), gold["kind"].tolist()
    p_spk = [_na(v) for v in predicted["speaker"].tolist()]
    g_spk = [_na(v) for v in gold["speaker"].tolist()]
    rows = []
    kinds = [k for k in ALL_KINDS if k in set(g_kind) | set(p_kind)]
    for kind in [*kinds, "all"]:
        def is_k(x: str, kind: str = kind) -> bool:
            return kind == "all" or x == kind
        n_gold = sum(is_k(k) for k in g_kind)
        n_pred = sum(is_k(k) for k in p_kind)
        mg = [(p, g) for p, g in pairs if is_k(g_kind[g])]
        mp = sum(is_k(p_kind[p]) for p, _ in pairs)
        prec, rec = _ratio(mp, n_pred), _ratio(len(mg), n_gold)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else (
            0.0 if n_gold and n_pred else float("nan"))
        rows.append({
            "kind": kind, "n_gold": n_gold, "n_predicted": n_pred,
            "matched_gold": len(mg), "matched_predicted": mp,
            "precision": prec, "recall": rec, "f1": f1,
            "speaker_accuracy": _ratio(sum(p_spk[p] == g_spk[g] for p, g in mg), len(mg)),
            "kind_accuracy": _ratio(sum(p_kind[p] == g_kind[g] for p, g in mg), len(mg)),
        })
    return pd.DataFrame(rows, columns=ACCURACY_COLUMNS)


def gold_files(gold_dir: str | Path) -> list[Path]:
    """Return the gold files (``*.yml``) of ``gold_dir`` (the repository's are in
    ``tests/data/gold``), sorted by name."""
    d = Path(gold_dir)
    if not d.is_dir():
        raise fail(d, "gold folder not found")
    files = sorted(d.glob("*.yml"))
    if not files:
        raise fail(d, "no gold files (*.yml) in the folder")
    return files


def evaluate_gold(files: Iterable[str | Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the extractor on the documents of the gold ``files``; return (predicted, gold).

    Both frames have a ``set`` column (from the gold file).
    """
    from .quotes import extract_statements

    preds, golds = [], []
    for f in map(Path, files):
        gold = load_gold(f)
        data = load_yaml_file(f, GoldFile, what="gold file")
        registry, doc = _gold_document(f, data)
        pred = extract_statements([doc], registry=registry)
        preds.append(pred.assign(set=data.set))
        golds.append(gold)
    return pd.concat(preds, ignore_index=True), pd.concat(golds, ignore_index=True)


def accuracy_report(gold_dir: str | Path) -> pd.DataFrame:
    """Return :func:`quote_accuracy` per gold set (:data:`GOLD_SETS`) of the gold files in
    ``gold_dir``, rows tagged ``set``.

    Ratios are rounded to 3 decimals.
    """
    pred, gold = evaluate_gold(gold_files(gold_dir))
    out = []
    for s in GOLD_SETS:
        g = gold[gold["set"] == s].reset_index(drop=True)
        if g.empty:
            continue
        p = pred[pred["set"] == s].reset_index(drop=True)
        out.append(quote_accuracy(p, g).assign(set=s))
    table = pd.concat(out, ignore_index=True)
    table = table[["set", *ACCURACY_COLUMNS]]
    num = ["precision", "recall", "f1", "speaker_accuracy", "kind_accuracy"]
    table[num] = table[num].astype(float).round(3)
    return table


# ------------------------------------------------------------------ framing codebook (issue 4)

CODING_COLUMNS = ["text", "speaker", "kind", "categories", "note"]
AGREEMENT_COLUMNS = ["category", "n_statements", "human", "auto", "tp", "fp", "fn",
                     "precision", "recall", "f1"]
_PASSIVE_CODES = ("passive", "agentless_passive")


def load_coding(path: str | Path, *, codebook: object = None) -> pd.DataFrame:
    """Return a hand-coding file (the seed's is ``tests/data/seed_coding.yml``) as a DataFrame.

    Columns: ``text, speaker, kind, categories`` (a sorted tuple of category ids), ``note``;
    ``attrs["doc"]`` and ``attrs["rules"]`` hold the file's document id and coder's rules.
    The file is checked against its schema (:class:`analysis.schema.CodingFile`: unknown
    keys, missing texts); raises :class:`AnalysisError` naming the file and entry, also for a
    category that is neither a codebook category (``codebook``: object or path, None for the
    shipped one) nor ``passive``/``agentless_passive``.
    """
    from .measures.codebook import as_codebook

    path = Path(path)
    where = str(path)
    data = load_yaml_file(path, CodingFile, what="coding file")
    valid = {*as_codebook(codebook).ids, *_PASSIVE_CODES}
    problems: list[Problem] = []
    rows = []
    for i, st in enumerate(data.statements, 1):
        cats = st.categories or []
        bad = sorted(set(cats) - valid)
        if bad:
            problems.append(Problem(where, f"unknown categor(y/ies) {bad}; valid: "
                                    f"{sorted(valid)}", f"statement {i}"))
        rows.append({"text": st.text, "speaker": st.speaker, "kind": st.kind,
                     "categories": tuple(sorted(set(cats))), "note": st.note})
    if problems:
        raise AnalysisError(problems)
    out = pd.DataFrame(rows, columns=CODING_COLUMNS)
    out.attrs.update(doc=data.doc, rules=data.rules, source=where)
    return out


def coding_statements(coding: pd.DataFrame) -> pd.DataFrame:
    """Return the coded texts as a statements table, to score them as the coder read them.

    ``statement_id`` is ``f"{doc}#{n:03d}"`` in file order; offsets are into each text.
    """
    doc = coding.attrs.get("doc") or "coding"
    n = len(coding)
    return pd.DataFrame({
        "statement_id": [f"{doc}#{i:03d}" for i in range(1, n + 1)],
        "doc_id": [doc] * n,
        "speaker": coding["speaker"].tolist(),
        "kind": coding["kind"].tolist(),
        "text": coding["text"].tolist(),
        "start": [0] * n,
        "end": [len(t) for t in coding["text"]],
    })


def _squash(s: str) -> str:
    return " ".join(s.split())


def codebook_agreement(scores: pd.DataFrame, coding: pd.DataFrame) -> pd.DataFrame:
    """Return per-category precision and recall of the automatic coding against ``coding``.

    ``scores`` is the statement-level ``scores`` table of
    :func:`analysis.scoring.score_statements`. Each coded statement is matched to the
    shortest scored row whose text contains the coded text (white space normalised);
    unmatched coded statements are left out and listed in ``attrs["unmatched"]``. A
    category is *present* automatically when its count is at least 1 (negated hits do not
    count), and for the coder when listed. Columns: ``category, n_statements, human, auto,
    tp, fp, fn, precision, recall, f1`` (NaN when there is nothing to divide), one row per
    category (codebook order, then ``passive``, ``agentless_passive``) and a last ``all``
    row pooling every category (micro average).
    """
    if "sentence_in_statement" in scores.columns:
        raise fail("scores", "codebook_agreement needs statement-level scores "
                             "(score_statements(..., level='statement'))")
    cats = [c for c in scores.columns if f"{c}_per100" in scores.columns]
    texts = [_squash(t) if isinstance(t, str) else "" for t in scores["text"]]
    matched: list[tuple[int, set[str]]] = []
    unmatched: list[str] = []
    for text, coded in zip(coding["text"], coding["categories"], strict=True):
        needle = _squash(text)
        hits = [k for k, t in enumerate(texts) if needle in t]
        if not hits:
            unmatched.append(text)
            continue
        matched.append((min(hits, key=lambda k: len(texts[k])), set(coded)))
    rows = []
    totals = dict.fromkeys(("human", "auto", "tp", "fp", "fn"), 0)
    for c in [*cats, "all"]:
        if c == "all":
            counts = totals
        else:
            col = scores[c].tolist()
            auto = [col[k] > 0 for k, _ in matched]
            human = [c in coded for _, coded in matched]
            counts = {"human": sum(human), "auto": sum(auto),
                      "tp": sum(a and h for a, h in zip(auto, human, strict=True)),
                      "fp": sum(a and not h for a, h in zip(auto, human, strict=True)),
                      "fn": sum(h and not a for a, h in zip(auto, human, strict=True))}
            for k in totals:
                totals[k] += counts[k]
        prec = _ratio(counts["tp"], counts["tp"] + counts["fp"])
        rec = _ratio(counts["tp"], counts["tp"] + counts["fn"])
        f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else float("nan")
        rows.append({"category": c, "n_statements": len(matched), **counts,
                     "precision": prec, "recall": rec, "f1": f1})
    out = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    out.attrs["unmatched"] = unmatched
    return out


# ------------------------------------------------------- attribution on real news (issue 13)

#: Subsets of the attribution table, in report order.
ATTRIBUTION_SUBSETS = ("all", "direct/mixed", "indirect", "speech-verb cues")
ATTRIBUTION_COLUMNS = ["part", "subset", "n_gold", "n_predicted", "matched_gold",
                       "matched_predicted", "precision", "recall", "f1", "source_accuracy"]
POLNEAR_GOLD_COLUMNS = ["doc_id", "attribution", "start", "end", "fragments", "content", "cue",
                        "cue_fragments", "source", "source_fragments", "quoted", "speech"]
#: Parts of the articles: every article, and a fixed two-thirds / one-third split by article
#: (:func:`article_part`): rules are tuned on ``tune`` only, ``held back`` keeps the figure
#: honest.
PARTS = ("all", "tune", "held back")


def article_part(doc_id: str) -> str:
    """Return ``"held back"`` for about one article in three (by a hash of its id, so the
    split never depends on the order or number of articles), else ``"tune"``."""
    import hashlib

    h = int(hashlib.sha256(f"attribution-split:{doc_id}".encode()).hexdigest()[:8], 16)
    return "held back" if h % 3 == 0 else "tune"


def attribution_words() -> tuple[frozenset[str], frozenset[str]]:
    """Return (verbs of saying, function words) of ``analysis/data/attribution_eval.yml``:
    what makes a speech-verb cue, and the words that do not name a source."""
    from .resources import packaged
    from .schema import AttributionEvalFile

    data = packaged("attribution_eval", AttributionEvalFile)
    return frozenset(data.speech_cues), frozenset(data.source_function_words)


def _is_quoted(text: str) -> bool:
    return any(c in text for c in '"\u201c\u201d\u201e\u00ab\u00bb') or "''" in text


def _words(text: str) -> list[str]:
    from .text import tokenize

    return [t.lower for t in tokenize(text) if t.text[0].isalnum()]


def _parse_brat(path: Path, body: str) -> tuple[list[dict[str, object]], list[Problem]]:
    """Return the attributions of one brat standoff file (``T`` spans joined by ``E``
    events) and the problems found; spans are checked against ``body``."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    problems: list[Problem] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        # a span's text may run over several lines: only "T<n>\t" and "E<n>\t" lines count
        head = line.split("\t", 1)[0]
        if len(head) < 2 or not head[1:].isdigit():
            continue
        if head[0] == "T":
            parts = line.split("\t")
            try:
                kind, rest = parts[1].split(" ", 1)
                frags = [(int(a), int(b)) for a, b in (p.split() for p in rest.split(";"))]
            except (IndexError, ValueError):
                problems.append(Problem(str(path), "not a brat text-bound line", f"line {n}"))
                continue
            if any(not 0 <= a <= b <= len(body) for a, b in frags):
                problems.append(Problem(str(path), "span outside the text", f"line {n}"))
                continue
            spans[parts[0]] = (kind, frags)
        elif head[0] == "E":
            parts = line.split("\t")
            args = [tuple(a.split(":", 1)) for a in parts[1].split()] if len(parts) > 1 else []
            events.append((parts[0], [a for a in args if len(a) == 2]))
    out = []
    speech, _ = attribution_words()
    for eid, args in events:
        roles: dict[str, list[tuple[int, int]]] = {}
        for role, tid in args:
            if tid in spans:
                roles.setdefault(role.rstrip("0123456789"), []).extend(spans[tid][1])
        content = sorted(roles.get("Content", []))
        if not content:
            continue
        cue_frags = tuple(sorted(roles.get("Cue", [])))
        cue = " ".join(body[a:b] for a, b in cue_frags)
        source_frags = tuple(sorted(roles.get("Source", [])))
        source = " ".join(body[a:b] for a, b in source_frags)
        text = " ".join(body[a:b] for a, b in content)
        out.append({"attribution": eid, "start": content[0][0], "end": content[-1][1],
                    "fragments": tuple(content), "content": text, "cue": cue,
                    "cue_fragments": cue_frags,
                    "source": source or None, "source_fragments": source_frags,
                    "quoted": _is_quoted(text),
                    "speech": any(w in speech for w in _words(cue))})
    return out, problems


def read_polnear(folder: str | Path) -> tuple[list[object], pd.DataFrame]:
    """Return ``(documents, gold)`` of a PolNeAR-style folder: ``text/NAME.txt`` articles and
    ``attributions/NAME_ANNOTATOR.ann`` brat files (for an article annotated more than once,
    the first file by name is used).

    ``gold`` has one row per attribution with a content (columns
    :data:`POLNEAR_GOLD_COLUMNS`; ``start``/``end`` span the content's fragments,
    ``cue_fragments`` are the cue's (offset pairs), ``quoted``
    says the content holds a quote mark, ``speech`` that its cue holds a verb of saying).
    Raises :class:`AnalysisError` for a missing folder, an annotation without its text, or
    spans outside the text (every problem at once).
    """
    from .documents import Document

    folder = Path(folder)
    text_dir, ann_dir = folder / "text", folder / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise fail(folder, "not a PolNeAR folder: it needs text/ and attributions/")
    first: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        first.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    docs, rows, problems = [], [], []
    for name, ann in sorted(first.items()):
        txt = text_dir / f"{name}.txt"
        if not txt.is_file():
            problems.append(Problem(str(ann), f"no article {txt.name} in {text_dir}"))
            continue
        body = txt.read_text(encoding="utf-8")
        found, bad = _parse_brat(ann, body)
        problems.extend(bad)
        docs.append(Document(id=name, body=body, outlet=name.split("_", 1)[0]))
        rows.extend({"doc_id": name, **r} for r in found)
    if problems:
        raise AnalysisError(problems)
    return docs, pd.DataFrame(rows, columns=POLNEAR_GOLD_COLUMNS)


def source_ok(gold: object, predicted: Iterable[object], function_words: frozenset[str]) -> bool:
    """Return whether a predicted speaker (its words in the text, or its resolved name)
    names the gold source: they must share a word other than a function word (all words
    when a side has only function words); no gold source is matched only by no predicted
    speaker."""
    preds = [p for p in predicted if isinstance(p, str) and p]
    if not isinstance(gold, str) or not gold:
        return not preds

    def content(text: str) -> set[str]:
        ws = [w.removesuffix("'s").removesuffix("\u2019s") for w in _words(text)]
        return {w for w in ws if w not in function_words} or set(ws)

    g = content(gold)
    return any(g & content(p) for p in preds)


def match_attributions(predicted: pd.DataFrame, gold: pd.DataFrame) -> tuple[
        list[tuple[int, int]], set[int]]:
    """Return (one-to-one (predicted, gold) pairs, predictions that are further pieces of a
    matched gold content).

    Pairs are :func:`match_statements` pairs (overlap at least half the shorter span). A gold
    content may come in fragments around its cue (``"Q1," she said, "Q2."``): a prediction
    left unpaired whose span lies at least half inside the fragments of a paired gold
    attribution is counted as found (not a false positive) but adds no recall."""
    pairs = match_statements(predicted, gold)
    paired_gold = {g for _, g in pairs}
    paired_pred = {p for p, _ in pairs}
    by_doc: dict[str, list[int]] = {}
    for g in paired_gold:
        by_doc.setdefault(gold["doc_id"].iat[g], []).append(g)
    pieces: set[int] = set()
    for k, (d, s, e) in enumerate(zip(predicted["doc_id"], predicted["start"], predicted["end"],
                                      strict=True)):
        if k in paired_pred or e <= s:
            continue
        for g in by_doc.get(d, []):
            inside = sum(max(0, min(e, b) - max(s, a)) for a, b in gold["fragments"].iat[g])
            if 2 * inside >= e - s:
                pieces.add(k)
                break
    return pairs, pieces


def attribution_accuracy(predicted: pd.DataFrame, gold: pd.DataFrame,
                         part: str = "all") -> pd.DataFrame:
    """Return precision, recall, F1 and source accuracy per subset
    (:data:`ATTRIBUTION_SUBSETS`) of ``predicted`` statements against ``gold`` attributions
    (from :func:`read_polnear`); columns :data:`ATTRIBUTION_COLUMNS`.

    Recall counts the gold attributions of a subset that a prediction matches
    (:func:`match_attributions`); precision the predictions of the subset (``direct/mixed``:
    kinds direct and mixed; ``indirect``: kind indirect, and the attitude kinds belief, poll
    and act when they were extracted; ``speech-verb cues``: a cue holding a verb of saying) that
    match a gold attribution or piece of one; source accuracy the
    matched gold attributions of the subset whose source the predicted speaker names.
    """
    speech, function_words = attribution_words()
    pairs, pieces = match_attributions(predicted, gold)
    matched_pred = {p for p, _ in pairs} | pieces
    kinds = predicted["kind"].tolist()
    cues = predicted["cue"].tolist()
    pred_in = {
        "all": [True] * len(predicted),
        "direct/mixed": [k in ("direct", "mixed") for k in kinds],
        "indirect": [k == "indirect" or k in ATTITUDE_KINDS for k in kinds],
        "speech-verb cues": [isinstance(c, str) and any(w in speech for w in _words(c))
                             for c in cues],
    }
    quoted, is_speech = gold["quoted"].tolist(), gold["speech"].tolist()
    gold_in = {
        "all": [True] * len(gold), "direct/mixed": quoted, "indirect": [not q for q in quoted],
        "speech-verb cues": is_speech,
    }
    sources = gold["source"].tolist()
    spk_text = predicted["speaker_text"].tolist()
    spk_name = predicted["speaker_name"].tolist()
    rows = []
    for subset in ATTRIBUTION_SUBSETS:
        gi, pi = gold_in[subset], pred_in[subset]
        mg = [(p, g) for p, g in pairs if gi[g]]
        n_gold, n_pred = sum(gi), sum(pi)
        mp = sum(1 for k in matched_pred if pi[k])
        prec, rec = _ratio(mp, n_pred), _ratio(len(mg), n_gold)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else float("nan")
        ok = sum(source_ok(sources[g], (spk_text[p], spk_name[p]), function_words)
                 for p, g in mg)
        rows.append({"part": part, "subset": subset, "n_gold": n_gold, "n_predicted": n_pred,
                     "matched_gold": len(mg), "matched_predicted": mp, "precision": prec,
                     "recall": rec, "f1": f1, "source_accuracy": _ratio(ok, len(mg))})
    return pd.DataFrame(rows, columns=ATTRIBUTION_COLUMNS)


def _short_text(text: object, limit: int = 300) -> object:
    if not isinstance(text, str):
        return text
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def attribution_report(folder: str | Path, errors: str | Path | None = None, *,
                       attitudes: bool = False) -> pd.DataFrame:
    """Run the extractor over a PolNeAR-style folder (:func:`read_polnear`) and return
    :func:`attribution_accuracy` for every article, the ``tune`` part and the ``held back``
    part (:func:`article_part`), ratios rounded to 3 decimals.

    ``errors``: a folder to write, for reading, ``misses.csv`` (gold attributions no
    prediction matched), ``false_positives.csv`` (predictions matching nothing) and
    ``wrong_sources.csv`` (matched, with another speaker), each with the article's part.
    ``attitudes``: extract beliefs, polls and acts as well (kinds
    :data:`~analysis.quotes.ATTITUDE_KINDS`, not statements, with the learned cue model; the
    corpus annotates them as attributions); they count in the ``indirect`` subset and in
    ``all``. The command (``accuracy --polnear``) turns this on unless ``--statements-only``.
    """
    from .io import write_table
    from .quotes import extract_statements
    from .speakers import Registry

    docs, gold = read_polnear(folder)
    pred = extract_statements(docs, registry=Registry(()), attitudes=attitudes)
    gold = gold.assign(part=[article_part(d) for d in gold["doc_id"]])
    pred = pred.assign(part=[article_part(d) for d in pred["doc_id"]])
    tables = [attribution_accuracy(pred, gold, "all")]
    for part in PARTS[1:]:
        tables.append(attribution_accuracy(pred[pred["part"] == part].reset_index(drop=True),
                                           gold[gold["part"] == part].reset_index(drop=True),
                                           part))
    table = pd.concat(tables, ignore_index=True)
    num = ["precision", "recall", "f1", "source_accuracy"]
    table[num] = table[num].astype(float).round(3)
    if errors is not None:
        _write_attribution_errors(pred, gold, Path(errors), write_table)
    return table


def _write_attribution_errors(pred: pd.DataFrame, gold: pd.DataFrame, folder: Path,
                              write_table: object) -> None:
    _, function_words = attribution_words()
    pairs, pieces = match_attributions(pred, gold)
    paired_p = {p for p, _ in pairs} | pieces
    paired_g = {g for _, g in pairs}
    misses = gold.loc[[g for g in range(len(gold)) if g not in paired_g],
                      ["part", "doc_id", "start", "end", "quoted", "speech", "source", "cue",
                       "content"]]
    fps = pred.loc[[p for p in range(len(pred)) if p not in paired_p],
                   ["part", "doc_id", "start", "end", "kind", "speaker_text", "speaker_name",
                    "cue", "text"]]
    wrong = []
    for p, g in pairs:
        if not source_ok(gold["source"].iat[g], (pred["speaker_text"].iat[p],
                                                   pred["speaker_name"].iat[p]),
                          function_words):
            wrong.append({"part": gold["part"].iat[g], "doc_id": gold["doc_id"].iat[g],
                          "start": gold["start"].iat[g], "gold_source": gold["source"].iat[g],
                          "speaker_text": pred["speaker_text"].iat[p],
                          "speaker_name": pred["speaker_name"].iat[p],
                          "cue": pred["cue"].iat[p], "content": gold["content"].iat[g]})
    wrong_frame = pd.DataFrame(wrong, columns=["part", "doc_id", "start", "gold_source",
                                               "speaker_text", "speaker_name", "cue", "content"])
    for name, frame in (("misses", misses), ("false_positives", fps),
                        ("wrong_sources", wrong_frame)):
        frame = frame.map(_short_text)
        write_table(frame, folder / f"{name}.csv", fmt="csv")  # type: ignore[operator]
