"""Score statements: sentiment, framing-codebook counts and rates, passives and targets.

:func:`score_statements` takes the statements table of :func:`analysis.quotes.
extract_statements` (or any DataFrame with its columns; ``text`` is required, ``start``
gives body offsets) and returns a :class:`ScoreResult` with three tidy tables:

``scores``
    the statement columns, then ``n_tokens`` (word tokens), the six sentiment columns, for
    each codebook category ``c`` the count ``c`` (negated hits excluded) and ``c_per100``
    (hits per 100 word tokens, 0 without tokens), ``passive``, ``agentless_passive`` (negated
    passives such as ``was not informed`` still count: the voice is passive), their rates,
    and ``targets`` (";"-joined sorted actor ids mentioned). With ``level="sentence"`` one row
    per sentence of each statement, with ``sentence_in_statement`` and the sentence's
    ``start``/``end``/``text`` (a statement without sentences keeps one empty row).
``evidence``
    one row per cue hit, for keyword-in-context reading: ``doc_id, statement_id,
    sentence_in_statement, category, term, match, start, end, negated`` and ``agent`` (the
    agent of a passive, else None). Offsets are into the document body. Every passive
    appears as a ``passive`` row; an agentless one also as an ``agentless_passive`` row.
``targets``
    one row per mention of a registry actor (name, alias, or adjective such as
    ``American``): ``doc_id, statement_id, speaker, target, mention, start, end,
    self_reference, sentence_vader_compound, sentence_textblob_polarity`` and
    ``sentence_in_statement``. ``self_reference`` is True when the target is the speaker or
    the speaker's affiliation (``registry.affiliation_of``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import fail
from .framing import Codebook, as_codebook, count_hits, match_tokens, passives_in_tokens
from .sentiment import SENTIMENT_COLUMNS, exact_mode, sentiment_row
from .speakers import Registry, as_registry
from .text import sentences, tokenize, words

LEVELS = ("statement", "sentence")
PASSIVE_COLUMNS = ("passive", "agentless_passive", "passive_per100", "agentless_passive_per100")
EVIDENCE_COLUMNS = ("doc_id", "statement_id", "sentence_in_statement", "category", "term",
                    "match", "start", "end", "negated", "agent")
TARGET_COLUMNS = ("doc_id", "statement_id", "speaker", "target", "mention", "start", "end",
                  "self_reference", "sentence_vader_compound", "sentence_textblob_polarity",
                  "sentence_in_statement")


@dataclass(frozen=True)
class ScoreResult:
    """The three tables of :func:`score_statements` (see the module docstring)."""

    scores: pd.DataFrame
    evidence: pd.DataFrame
    targets: pd.DataFrame


def measure_columns(codebook: Codebook | None = None) -> list[str]:
    """Return the score columns that :func:`score_statements` adds, in table order."""
    cb = as_codebook(codebook)
    cats = [c for cid in cb.ids for c in (cid, f"{cid}_per100")]
    return ["n_tokens", *SENTIMENT_COLUMNS, *cats, *PASSIVE_COLUMNS, "targets"]


def rate_columns(codebook: Codebook | None = None) -> list[str]:
    """Return the per-100-token rate columns (categories, then passives)."""
    cb = as_codebook(codebook)
    return [f"{c}_per100" for c in cb.ids] + ["passive_per100", "agentless_passive_per100"]


def _per100(count: int, n: int) -> float:
    return 100.0 * count / n if n else 0.0


def _value(row: dict, key: str) -> object:
    v = row.get(key)
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    return v


def _statement_fields(rec: dict) -> tuple[str, int, object, object, object]:
    """Return a statement record's text ("" when missing), body offset of its start (0 when
    missing), doc_id, statement_id and speaker (None when missing)."""
    text = rec["text"] if isinstance(rec["text"], str) else ""
    base = _value(rec, "start")
    ids = (_value(rec, k) for k in ("doc_id", "statement_id", "speaker"))
    return (text, int(base) if base is not None else 0, *ids)


def _output_columns(in_cols: list[str], level: str) -> list[str]:
    """Return the statement columns of a scores table: the input's, plus, per sentence, the
    sentence's ``start``/``end`` (if missing) and ``sentence_in_statement``."""
    out = list(in_cols)
    if level == "sentence":
        out += [c for c in ("start", "end") if c not in out]
        out.append("sentence_in_statement")
    return out


def score_statements(
    statements: pd.DataFrame,
    *,
    codebook: Codebook | str | Path | None = None,
    registry: Registry | str | Path | None = None,
    level: str = "statement",
    exact: str | None = None,
) -> ScoreResult:
    """Score every statement (or every sentence of it); return a :class:`ScoreResult`.

    ``codebook`` and ``registry`` are objects or paths (None: the shipped codebook and the
    default registry). Empty and one-word statements score without error (rates 0).
    ``exact``: ``"fast"`` (default, :data:`analysis.sentiment.EXACT`) computes the same tables
    with :mod:`analysis.fastpath` (one tokenization per sentence as plain strings, memoised
    look-ups, the exact VADER and TextBlob re-implementations); ``"library"`` calls
    :func:`~analysis.framing.match_tokens`, NLTK and TextBlob directly.

    >>> import pandas as pd
    >>> st = pd.DataFrame({"statement_id": ["d#001"], "doc_id": ["d"], "speaker": [None],
    ...                    "text": ["It was not intentional."], "start": [0], "end": [23]})
    >>> r = score_statements(st)
    >>> int(r.scores.loc[0, "responsibility"]), bool(r.evidence.loc[0, "negated"])
    (0, True)
    """
    if level not in LEVELS:
        raise fail("level", f"unknown level {level!r}; valid: {list(LEVELS)}")
    if "text" not in statements.columns:
        raise fail("statements", "the statements table has no 'text' column")
    mode = exact_mode(exact)
    cb = as_codebook(codebook)
    reg = as_registry(registry)
    if mode == "fast":
        return _score_fast(statements, cb, reg, level)
    in_cols = list(statements.columns)
    out_cols = _output_columns(in_cols, level)
    rows: list[dict] = []
    evidence: list[dict] = []
    targets: list[dict] = []
    for rec in statements.to_dict("records"):
        text, base, doc_id, sid, speaker = _statement_fields(rec)
        spans = sentences(text) or [(0, len(text))]
        sent_of = _sentence_index(spans)
        sent_sentiment = [sentiment_row(text[a:b], exact=mode) for a, b in spans]
        if level == "statement":
            units = [(None, 0, len(text))]
        else:
            units = [(k, a, b) for k, (a, b) in enumerate(spans)]
        for k, a, b in units:
            piece = text[a:b]
            toks = tokenize(text, a, b)
            n = len(words(toks))
            hits = match_tokens(text, toks, cb)
            passives = passives_in_tokens(text, toks)
            row = dict(rec)
            if k is not None:
                row.update(text=piece, start=base + a, end=base + b, sentence_in_statement=k)
            row["n_tokens"] = n
            row.update(sent_sentiment[k] if k is not None else sentiment_row(text, exact=mode))
            counts = count_hits(hits, cb.ids)
            for cid in cb.ids:
                row[cid] = counts[cid]
                row[f"{cid}_per100"] = _per100(counts[cid], n)
            n_pass = len(passives)
            n_agentless = sum(p.agentless for p in passives)
            row.update(passive=n_pass, agentless_passive=n_agentless,
                       passive_per100=_per100(n_pass, n),
                       agentless_passive_per100=_per100(n_agentless, n))
            mentions = reg.mentions(text, a, b, adjectives=True)
            row["targets"] = ";".join(sorted({m.actor for m in mentions}))
            rows.append(row)
            for h in hits:
                evidence.append({
                    "doc_id": doc_id, "statement_id": sid,
                    "sentence_in_statement": sent_of(h.start), "category": h.category,
                    "term": h.term, "match": h.match, "start": base + h.start,
                    "end": base + h.end, "negated": h.negated, "agent": None})
            for p in passives:
                for cat in ("passive", "agentless_passive") if p.agentless else ("passive",):
                    evidence.append({
                        "doc_id": doc_id, "statement_id": sid,
                        "sentence_in_statement": sent_of(p.start), "category": cat,
                        "term": p.participle.lower(), "match": p.match,
                        "start": base + p.start, "end": base + p.end, "negated": p.negated,
                        "agent": p.agent})
            own = {speaker, reg.affiliation_of(speaker)} - {None}
            for m in mentions:
                s = sent_of(m.start)
                targets.append({
                    "doc_id": doc_id, "statement_id": sid, "speaker": speaker,
                    "target": m.actor, "mention": m.text, "start": base + m.start,
                    "end": base + m.end, "self_reference": m.actor in own,
                    "sentence_vader_compound": sent_sentiment[s]["vader_compound"],
                    "sentence_textblob_polarity": sent_sentiment[s]["textblob_polarity"],
                    "sentence_in_statement": s})
    cols = out_cols + measure_columns(cb)
    scores = pd.DataFrame(rows, columns=cols) if rows else _empty(statements, cols)
    return _finish(scores, pd.DataFrame(evidence, columns=list(EVIDENCE_COLUMNS)),
                   pd.DataFrame(targets, columns=list(TARGET_COLUMNS)), cb, level)


def _finish(scores: pd.DataFrame, ev: pd.DataFrame, tg: pd.DataFrame, cb: Codebook,
            level: str) -> ScoreResult:
    """Give the three tables their column types; return the :class:`ScoreResult`."""
    ints = ["n_tokens", *cb.ids, "passive", "agentless_passive"]
    if level == "sentence":
        ints.append("sentence_in_statement")
    scores[ints] = scores[ints].astype("int64")
    floats = [*SENTIMENT_COLUMNS, *rate_columns(cb)]
    scores[floats] = scores[floats].astype("float64")
    ev = ev.astype({"sentence_in_statement": "int64", "start": "int64", "end": "int64",
                    "negated": "bool"})
    tg = tg.astype({"start": "int64", "end": "int64", "self_reference": "bool",
                    "sentence_vader_compound": "float64",
                    "sentence_textblob_polarity": "float64", "sentence_in_statement": "int64"})
    return ScoreResult(scores, ev, tg)


def _empty(statements: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({c: statements[c] if c in statements.columns else pd.Series(dtype=object)
                          for c in cols})
    return frame.iloc[0:0]


def _sentence_index(spans: list[tuple[int, int]]):  # noqa: ANN202 - a small closure
    starts = [a for a, _ in spans]

    def index(pos: int) -> int:
        k = 0
        for i, a in enumerate(starts):
            if a <= pos:
                k = i
            else:
                break
        return k

    return index


def _score_fast(statements: pd.DataFrame, cb: Codebook, reg: Registry,
                level: str) -> ScoreResult:
    """:func:`score_statements` with :mod:`analysis.fastpath`: the same three tables.

    The loop is the library path's, written column by column: each unit (statement or
    sentence) is tokenized once into strings whose look-ups are memoised, offsets are
    computed only for hits, and the sentiment of each sentence is computed once.
    """
    from bisect import bisect_right

    from .fastpath import fast_framing, fast_textblob, fast_vader

    ff, fv, ft = fast_framing(cb), fast_vader(), fast_textblob()
    in_cols = list(statements.columns)
    out_cols = _output_columns(in_cols, level)
    cols = out_cols + measure_columns(cb)
    data: dict[str, list] = {c: [] for c in cols}
    ids = cb.ids
    per100 = [f"{c}_per100" for c in ids]
    col_in = [(c, data[c]) for c in in_cols]
    ev: dict[str, list] = {c: [] for c in EVIDENCE_COLUMNS}
    tg: dict[str, list] = {c: [] for c in TARGET_COLUMNS}

    def sentiment(piece: str) -> tuple[float, ...]:
        v = fv.polarity_scores(piece)
        p, s = ft.sentiment(piece)
        return v["neg"], v["neu"], v["pos"], v["compound"], p, s

    for rec in statements.to_dict("records"):
        text, base, doc_id, sid, speaker = _statement_fields(rec)
        spans = sentences(text) or [(0, len(text))]
        starts = [a for a, _ in spans]
        sent_sentiment = [sentiment(text[a:b]) for a, b in spans]
        if level == "statement":
            units = [(None, 0, len(text))]
        else:
            units = [(k, a, b) for k, (a, b) in enumerate(spans)]
        own = {speaker, reg.affiliation_of(speaker)} - {None}
        for k, a, b in units:
            span = ff.span(text, a, b)
            n = sum(1 for inf in span.infos if inf.word)
            hits = ff.match(span)
            passives = ff.passives(span)
            for c, lst in col_in:
                lst.append(rec[c])
            if k is not None:
                data["text"][-1] = text[a:b]
                for c, v in (("start", base + a), ("end", base + b)):
                    if c in rec:
                        data[c][-1] = v
                    else:
                        data[c].append(v)
                data["sentence_in_statement"].append(k)
            data["n_tokens"].append(n)
            sent = sent_sentiment[k] if k is not None else sentiment(text)
            for c, v in zip(SENTIMENT_COLUMNS, sent, strict=True):
                data[c].append(v)
            counts = dict.fromkeys(ids, 0)
            for h in hits:
                if not h.negated:
                    counts[h.category] += 1
            for cid, pc in zip(ids, per100, strict=True):
                data[cid].append(counts[cid])
                data[pc].append(_per100(counts[cid], n))
            n_pass = len(passives)
            n_agentless = sum(p.agentless for p in passives)
            data["passive"].append(n_pass)
            data["agentless_passive"].append(n_agentless)
            data["passive_per100"].append(_per100(n_pass, n))
            data["agentless_passive_per100"].append(_per100(n_agentless, n))
            mentions = reg.mentions(text, a, b, adjectives=True)
            data["targets"].append(";".join(sorted({m.actor for m in mentions})))
            for h in hits:
                _add(ev, doc_id, sid, max(0, bisect_right(starts, h.start) - 1), h.category,
                     h.term, h.match, base + h.start, base + h.end, h.negated, None)
            for p in passives:
                s = max(0, bisect_right(starts, p.start) - 1)
                for cat in ("passive", "agentless_passive") if p.agentless else ("passive",):
                    _add(ev, doc_id, sid, s, cat, p.participle.lower(), p.match,
                         base + p.start, base + p.end, p.negated, p.agent)
            for m in mentions:
                s = max(0, bisect_right(starts, m.start) - 1)
                _add(tg, doc_id, sid, speaker, m.actor, m.text, base + m.start, base + m.end,
                     m.actor in own, sent_sentiment[s][3], sent_sentiment[s][4], s)
    if data["n_tokens"]:
        scores = pd.DataFrame(data, columns=cols)
    else:
        scores = _empty(statements, cols)
    return _finish(scores, _frame(ev, EVIDENCE_COLUMNS), _frame(tg, TARGET_COLUMNS), cb, level)


def _frame(columns: dict[str, list], names: tuple[str, ...]) -> pd.DataFrame:
    """A table from column lists, typed as the library path's list of rows would be."""
    if not columns[names[0]]:
        return pd.DataFrame([], columns=list(names))
    return pd.DataFrame(columns, columns=list(names))


def _add(table: dict[str, list], *values: object) -> None:
    for lst, v in zip(table.values(), values, strict=True):
        lst.append(v)
