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

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import fail
from .measures.codebook import Codebook, as_codebook
from .measures.framing import count_hits, cue_hits
from .measures.passives import passives
from .measures.sentiment import SENTIMENT_COLUMNS, sentiment
from .measures.stance import STANCE_COLUMNS, STANCE_SUMMARY_COLUMNS, stance_summary, stances_of
from .measures.targets import targets
from .measures.tokens import Span, exact_mode
from .speakers import Registry, as_registry
from .text import sentences

LEVELS = ("statement", "sentence")
#: The statement-level stance columns that count sentences.
_STANCE_COUNTS = ("n_sentences", "negative_evaluations", "stance_direct", "stance_indirect",
                  "stance_challenge", "stance_correction")
PASSIVE_COLUMNS = ("passive", "agentless_passive", "passive_per100", "agentless_passive_per100")
EVIDENCE_COLUMNS = ("doc_id", "statement_id", "sentence_in_statement", "category", "term",
                    "match", "start", "end", "negated", "agent")
TARGET_COLUMNS = ("doc_id", "statement_id", "speaker", "target", "mention", "start", "end",
                  "self_reference", "sentence_vader_compound", "sentence_textblob_polarity",
                  "sentence_in_statement", "negative_evaluation")


@dataclass(frozen=True)
class ScoreResult:
    """The three tables of :func:`score_statements` (see the module docstring), and at
    ``level="statement"`` the ``sentences`` of the statements with their stance (the stance
    measure is per sentence whatever the level): the statement columns with each sentence's
    ``text``/``start``/``end``, ``sentence_in_statement``, ``n_tokens`` and
    :data:`~analysis.measures.stance.STANCE_COLUMNS`, the same rows and values as those
    columns of the scores at ``level="sentence"``. None at ``level="sentence"``, where the
    scores are those rows."""

    scores: pd.DataFrame
    evidence: pd.DataFrame
    targets: pd.DataFrame
    sentences: pd.DataFrame | None = None


def measure_columns(codebook: Codebook | None = None, level: str = "statement") -> list[str]:
    """Return the score columns that :func:`score_statements` adds at ``level``, in table
    order."""
    cb = as_codebook(codebook)
    cats = [c for cid in cb.ids for c in (cid, f"{cid}_per100")]
    stance = STANCE_COLUMNS if level == "sentence" else STANCE_SUMMARY_COLUMNS
    return ["n_tokens", *SENTIMENT_COLUMNS, *cats, *stance, *PASSIVE_COLUMNS, "targets"]


def rate_columns(codebook: Codebook | None = None) -> list[str]:
    """Return the per-100-token rate columns (categories, then passives)."""
    cb = as_codebook(codebook)
    return [f"{c}_per100" for c in cb.ids] + ["passive_per100", "agentless_passive_per100"]


def _per100(counts: list[int], n_tokens: np.ndarray) -> np.ndarray:
    """Return ``100 * count / n`` per unit (0 without tokens): the same IEEE operations, so
    the same floats, as ``100.0 * count / n`` in Python."""
    out = np.zeros(len(n_tokens))
    np.divide(100.0 * np.asarray(counts, dtype=np.float64), n_tokens, out=out,
              where=n_tokens > 0)
    return out


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
    ``exact``: ``"fast"`` (default) or ``"library"``, the implementation of every measure
    (:mod:`analysis.measures`); both give the same tables.

    The one loop: each statement is split into sentences (the sentiment of each sentence is
    computed once: it is the sentence row's sentiment and the context of the targets named in
    it); each unit (the statement, or each sentence) becomes one :class:`~analysis.measures.
    tokens.Span`, tokenized once, that every measure reads through its function.

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
    in_cols = list(statements.columns)
    cols = _output_columns(in_cols, level) + measure_columns(cb, level)
    data: dict[str, list] = {c: [] for c in cols}
    ids = cb.ids
    count_lists = [(c, data[c]) for c in ids]
    col_in = [(c, data[c]) for c in in_cols]
    ev: dict[str, list] = {c: [] for c in EVIDENCE_COLUMNS}
    tg: dict[str, list] = {c: [] for c in TARGET_COLUMNS}
    sentence_cols = [*_output_columns(in_cols, "sentence"), "n_tokens", *STANCE_COLUMNS]
    per_sentence: list[dict] | None = [] if level == "statement" else None
    for rec in statements.to_dict("records"):
        text, base, doc_id, sid, speaker = _statement_fields(rec)
        spans = sentences(text)
        n_sent = len(spans)
        spans = spans or [(0, len(text))]
        starts = [a for a, _ in spans]
        # per sentence, at either level: sentiment, the actors named and the stance
        sent_spans = [Span(text, a, b) for a, b in spans]
        sent = [sentiment(sp, exact=mode) for sp in sent_spans]
        sent_named = [targets(sp, reg, speaker=speaker) for sp in sent_spans]
        country = _value(rec, "speaker_country") or reg.country_of(speaker)
        sent_stance = stances_of(sent_spans, country, reg, mentions=sent_named)
        if per_sentence is not None:
            units = [(None, Span(text))]
            per_sentence.extend(
                {**rec, "text": text[sp.start:sp.end], "start": base + sp.start,
                 "end": base + sp.end, "sentence_in_statement": k,
                 "n_tokens": sp.n_words(mode), **sent_stance[k].columns()}
                for k, sp in enumerate(sent_spans))
        else:
            units = list(enumerate(sent_spans))
        for k, span in units:
            a, b = span.start, span.end
            n = span.n_words(mode)
            hits = cue_hits(span, cb, exact=mode)
            found = passives(span, exact=mode)
            named = sent_named[k] if k is not None else targets(span, reg, speaker=speaker)
            # the statement's columns (a sentence row: its own text and offsets)
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
            unit_sentiment = sent[k] if k is not None else sentiment(text, exact=mode)
            for c in SENTIMENT_COLUMNS:
                data[c].append(unit_sentiment[c])
            counts = count_hits(hits, ids)
            for cid, lst in count_lists:
                lst.append(counts[cid])
            if k is not None:
                for c, v in sent_stance[k].columns().items():
                    data[c].append(v)
            else:
                for c, v in stance_summary(sent_stance[:n_sent]).items():
                    data[c].append(v)
            data["passive"].append(len(found))
            data["agentless_passive"].append(sum(p.agentless for p in found))
            data["targets"].append(";".join(sorted({t.actor for t in named})))
            # the evidence and targets tables
            for h in hits:
                _add(ev, doc_id, sid, _index(starts, h.start), h.category, h.term, h.match,
                     base + h.start, base + h.end, h.negated, None)
            for p in found:
                s = _index(starts, p.start)
                for cat in ("passive", "agentless_passive") if p.agentless else ("passive",):
                    _add(ev, doc_id, sid, s, cat, p.participle.lower(), p.match,
                         base + p.start, base + p.end, p.negated, p.agent)
            for t in named:
                s = _index(starts, t.start)
                _add(tg, doc_id, sid, speaker, t.actor, t.mention, base + t.start, base + t.end,
                     t.self_reference, sent[s]["vader_compound"], sent[s]["textblob_polarity"],
                     s, sent_stance[s].criticises(reg.country_of(t.actor)))
    by_sentence = None
    if per_sentence is not None:
        by_sentence = (pd.DataFrame(per_sentence, columns=sentence_cols) if per_sentence
                       else _empty(statements, sentence_cols))
        by_sentence = by_sentence.astype({"sentence_in_statement": "int64",
                                          "n_tokens": "int64", "negative_evaluation": "bool"})
    if not data["n_tokens"]:
        return _finish(_empty(statements, cols), _frame(ev, EVIDENCE_COLUMNS),
                       _frame(tg, TARGET_COLUMNS), cb, level, by_sentence)
    n_tokens = np.asarray(data["n_tokens"], dtype=np.float64)
    for c in [*ids, "passive", "agentless_passive"]:
        data[f"{c}_per100"] = _per100(data[c], n_tokens)
    scores = pd.DataFrame(data, columns=cols)
    return _finish(scores, _frame(ev, EVIDENCE_COLUMNS), _frame(tg, TARGET_COLUMNS), cb, level,
                   by_sentence)


def _index(starts: list[int], pos: int) -> int:
    """Return the index of the sentence (by its start offsets) that holds offset ``pos``."""
    return max(0, bisect_right(starts, pos) - 1)


def _finish(scores: pd.DataFrame, ev: pd.DataFrame, tg: pd.DataFrame, cb: Codebook,
            level: str, by_sentence: pd.DataFrame | None = None) -> ScoreResult:
    """Give the three tables their column types; return the :class:`ScoreResult` (with
    ``by_sentence`` as its ``sentences``)."""
    ints = ["n_tokens", *cb.ids, "passive", "agentless_passive"]
    floats = [*SENTIMENT_COLUMNS, *rate_columns(cb)]
    if level == "sentence":
        ints.append("sentence_in_statement")
        scores["negative_evaluation"] = scores["negative_evaluation"].astype("bool")
    else:
        ints += [c for c in STANCE_SUMMARY_COLUMNS if c in _STANCE_COUNTS]
        floats.append("negative_evaluation_share")
    scores[ints] = scores[ints].astype("int64")
    scores[floats] = scores[floats].astype("float64")
    ev = ev.astype({"sentence_in_statement": "int64", "start": "int64", "end": "int64",
                    "negated": "bool"})
    tg = tg.astype({"start": "int64", "end": "int64", "self_reference": "bool",
                    "sentence_vader_compound": "float64",
                    "sentence_textblob_polarity": "float64", "sentence_in_statement": "int64",
                    "negative_evaluation": "bool"})
    return ScoreResult(scores, ev, tg, by_sentence)


def _empty(statements: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({c: statements[c] if c in statements.columns else pd.Series(dtype=object)
                          for c in cols})
    return frame.iloc[0:0]


def _frame(columns: dict[str, list], names: tuple[str, ...]) -> pd.DataFrame:
    """A table from column lists (no rows: the columns, untyped)."""
    if not columns[names[0]]:
        return pd.DataFrame([], columns=list(names))
    return pd.DataFrame(columns, columns=list(names))


def _add(table: dict[str, list], *values: object) -> None:
    for lst, v in zip(table.values(), values, strict=True):
        lst.append(v)
