"""Training the learned cue model (:mod:`analysis.quotes.learned`) on an annotated news corpus.

:func:`train_cue_model` reads a PolNeAR-style folder (:func:`analysis.evaluation.read_polnear`),
runs the rules over each article, and labels every word outside quotes that the model would
score: a cue word when it lies in an annotated attribution cue. A logistic regression
(scikit-learn) is fitted on those words; the probability threshold at which a word counts as
a cue is chosen by cross-validation over articles (three folds of the training articles:
fit on two, extract attributions from the third, keep the threshold with the best F1 over
all attributions). The final model is refitted on all training articles and returned in
the form of ``analysis/data/cue_model.yml`` (:func:`write_cue_model`).

The source chooser is trained last, on what the final cue model finds: every attribution a
learned cue yields that matches an annotated one (and that the rules had not found) gives
one row per candidate word of its sentence (:func:`analysis.quotes.learned.source_candidates`),
labelled a source word when it lies in the annotated source, and a "no source" row labelled
by whether the annotation has none. A second logistic regression is fitted on those rows;
three folds over articles report the share of right sources the rules' speaker and the
chooser's pick each reach (``source_cv_accuracy``).

``python -m analysis train-cues --polnear DIR --out FILE`` runs it. By default it trains on
the ``tune`` part of the articles only (:func:`analysis.evaluation.article_part`), so that
``accuracy --polnear DIR`` still reports an honest figure on the ``held back`` part.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .documents import Document
from .evaluation import (
    article_part,
    attribution_accuracy,
    attribution_words,
    match_attributions,
    read_polnear,
    source_ok,
)
from .quotes import extract_statements, load_cues
from .quotes.attribution import LearnedFind, find_learned, rules_context, source_subject
from .quotes.context import Context
from .quotes.learned import CueModel, candidates, in_subject, source_candidates
from .speakers import Registry

__all__ = ["THRESHOLDS", "train_cue_model", "write_cue_model"]

#: The probability thresholds cross-validation chooses from.
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4)


def _fold(doc_id: str, k: int) -> int:
    h = int(hashlib.sha256(f"cue-model-fold:{doc_id}".encode()).hexdigest()[:8], 16)
    return h % k


def _words(docs: Sequence[Document], gold: pd.DataFrame) -> tuple[list[list[str]], list[int],
                                                                list[str]]:
    """Return (features, label, article id) of every word the model scores in ``docs``."""
    cues = load_cues().with_attitudes()
    reg = Registry(())
    spans: dict[str, list[tuple[int, int]]] = {}
    for d, frags in zip(gold["doc_id"], gold["cue_fragments"], strict=True):
        spans.setdefault(d, []).extend(frags)
    X: list[list[str]] = []
    y: list[int] = []
    ids: list[str] = []
    for doc in docs:
        ctx = rules_context(doc.body, reg, cues)
        cue_spans = sorted(spans.get(doc.id, []))
        starts = [a for a, _ in cue_spans]
        for i, features in candidates(ctx):
            pos = ctx.toks[i].start
            k = bisect.bisect_right(starts, pos) - 1
            X.append(features)
            y.append(int(k >= 0 and cue_spans[k][1] > pos))
            ids.append(doc.id)
    return X, y, ids


def _fit(X: list[list[str]], y: list[int], c: float) -> tuple[dict[str, float], float]:
    """Fit the logistic regression; return (feature -> weight, intercept)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    M = vec.fit_transform([dict.fromkeys(f, 1) for f in X]).tocsr()
    M.indices = M.indices.astype(np.int32)  # liblinear takes 32-bit indices only
    M.indptr = M.indptr.astype(np.int32)
    clf = LogisticRegression(C=c, l1_ratio=1.0, solver="liblinear", max_iter=1000,
                             random_state=0)  # liblinear shuffles: fixed for reproducibility
    clf.fit(M, y)
    coef = clf.coef_[0]
    names = vec.get_feature_names_out()
    weights = {str(names[k]): round(float(coef[k]), 4) for k in np.flatnonzero(coef)
               if round(float(coef[k]), 4) != 0.0}
    return dict(sorted(weights.items())), round(float(clf.intercept_[0]), 4)


def train_cue_model(folder: str | Path, *, part: str = "tune", c: float = 1.0,
                    thresholds: Sequence[float] = THRESHOLDS,
                    progress: Callable[[str], None] | None = None) -> dict[str, object]:
    """Train the cue model on the articles of a PolNeAR-style ``folder`` (``part``: ``tune``,
    the default, or ``all``) and return it as the contents of ``cue_model.yml``, with the
    cross-validated F1 of each threshold (``cv_f1``).

    ``c`` is the inverse L1 regularisation strength (fewer features as it shrinks).
    """
    say = progress or (lambda _msg: None)
    if part not in ("tune", "all"):
        raise ValueError(f"part must be 'tune' or 'all', not {part!r}")
    docs, gold = read_polnear(folder)
    if part == "tune":
        docs = [d for d in docs if article_part(d.id) == "tune"]
        gold = gold[[article_part(d) == "tune" for d in gold["doc_id"]]].reset_index(drop=True)
    say(f"{len(docs)} articles, {len(gold)} attributions ({part})")
    X, y, ids = _words(docs, gold)
    say(f"{len(X)} words, {sum(y)} of them in a cue")
    folds = np.array([_fold(d, 3) for d in ids])
    doc_fold = {d.id: _fold(d.id, 3) for d in docs}
    scores: dict[float, list[float]] = {t: [] for t in thresholds}
    for k in range(3):
        train = np.flatnonzero(folds != k)
        weights, intercept = _fit([X[n] for n in train], [y[n] for n in train], c)
        test_docs = [d for d in docs if doc_fold[d.id] == k]
        g = gold[[doc_fold[d] == k for d in gold["doc_id"]]].reset_index(drop=True)
        for t in thresholds:
            pred = extract_statements(test_docs, registry=Registry(()), attitudes=True,
                                      model=CueModel(weights, intercept, t))
            acc = attribution_accuracy(pred, g).set_index("subset")
            scores[t].append(float(acc.loc["all", "f1"]))
        say(f"fold {k + 1}/3: F1 by threshold "
            + ", ".join(f"{t}: {scores[t][-1]:.3f}" for t in thresholds))
    best = max(thresholds, key=lambda t: (np.mean(scores[t]), -t))
    weights, intercept = _fit(X, y, c)
    say(f"threshold {best} (mean F1 {np.mean(scores[best]):.3f}); {len(weights)} features")
    rows = _source_rows(docs, gold, CueModel(weights, intercept, best))
    say(f"source chooser: {len(rows)} attributions, "
        f"{sum(len(r.candidates) for r in rows)} candidates")
    cv_source = _source_cv(rows, c)
    chooser = _fit_source(rows, c)
    if chooser is None:
        say("source chooser: too few learned attributions to train on; the rules' speaker "
            "stays the source")
        source_weights, source_intercept = {}, 0.0
    else:
        source_weights, source_intercept = chooser
        say("source chooser, cross-validated right sources: rules "
            f"{cv_source['rules']:.3f}, chooser {cv_source['chooser']:.3f}")
    return {
        "about": "Learned cue model of analysis.quotes.learned: logistic regression over "
                 "word features (analysis.quotes.learned.token_features), and the source "
                 "chooser over candidate source words (source_features); written by "
                 "python -m analysis train-cues. Edit by retraining, not by hand.",
        "trained_on": f"PolNeAR train split, part {part} ({len(docs)} articles, "
                      f"{len(gold)} attributions)",
        "c": c,
        "threshold": best,
        "cv_f1": {t: round(float(np.mean(scores[t])), 4) for t in thresholds},
        "intercept": intercept,
        "weights": weights,
        "source_cv_accuracy": cv_source,
        "source_intercept": source_intercept,
        "source_weights": source_weights,
    }


class _SourceRow(NamedTuple):
    """One learned attribution matched to an annotated one: its article, whether the rules'
    speaker names the annotated source, and per candidate source word (features, label,
    whether picking it names the annotated source)."""

    doc_id: str
    rules_ok: bool
    candidates: list[tuple[list[str], int, bool]]


def _source_rows(docs: Sequence[Document], gold: pd.DataFrame,
                 model: CueModel) -> list[_SourceRow]:
    """Return the source chooser's training rows: the attributions ``model`` (without a
    chooser) finds in ``docs`` that match a ``gold`` attribution, with their candidates."""
    cues = load_cues().with_attitudes()
    reg = Registry(())
    _, function_words = attribution_words()
    found: list[tuple[str, Context, LearnedFind]] = []
    for doc in docs:
        ctx = rules_context(doc.body, reg, cues)
        record: list[LearnedFind] = []
        find_learned(ctx, model, record=record)
        found.extend((doc.id, ctx, r) for r in record)
    pred = pd.DataFrame({"doc_id": [d for d, _, _ in found],
                         "start": [r.found.start for _, _, r in found],
                         "end": [r.found.end for _, _, r in found]})
    pairs, _ = match_attributions(pred, gold)
    rows = []
    for p, g in sorted(pairs):
        doc_id, ctx, r = found[p]
        frags, source = gold["source_fragments"].iat[g], gold["source"].iat[g]
        f = r.found
        rules = (f.speaker_text, f.name)
        cands = []
        for j, features in source_candidates(ctx, r.cue, r.lo, r.hi, f, r.subject):
            if j is None:
                label, names = not frags, (None,)
            else:
                pos = ctx.toks[j].start
                label = any(a <= pos < b for a, b in frags)
                if in_subject(r.subject, pos):
                    names = rules
                else:
                    sub = source_subject(ctx, j, r.cue, r.lo, r.hi)
                    names = (sub.text, sub.name)
            cands.append((features, int(label), source_ok(source, names, function_words)))
        rows.append(_SourceRow(doc_id, source_ok(source, rules, function_words), cands))
    return rows


def _fit_source(rows: list[_SourceRow], c: float) -> tuple[dict[str, float], float] | None:
    """Fit the source chooser on the candidates of ``rows``; None when their labels are all
    alike (nothing to learn)."""
    labels = [label for r in rows for _, label, _ in r.candidates]
    if len(set(labels)) < 2:
        return None
    return _fit([f for r in rows for f, _, _ in r.candidates], labels, c)


def _source_cv(rows: list[_SourceRow], c: float) -> dict[str, float]:
    """Return the share of ``rows`` whose source the rules' speaker names and, over three
    folds by article (fit on two, pick on the third), the share the chooser's pick names
    (the rules' speaker in a fold with nothing to learn from); empty without rows."""
    if not rows:
        return {}
    right = 0
    for k in range(3):
        test = [r for r in rows if _fold(r.doc_id, 3) == k]
        fitted = _fit_source([r for r in rows if _fold(r.doc_id, 3) != k], c)
        if fitted is None:
            right += sum(r.rules_ok for r in test)
            continue
        chooser = CueModel({}, 0.0, 0.5, source_weights=fitted[0], source_intercept=fitted[1])
        right += sum(r.candidates[chooser.best_source([f for f, _, _ in r.candidates])][2]
                     for r in test)
    return {"rules": round(sum(r.rules_ok for r in rows) / len(rows), 4),
            "chooser": round(right / len(rows), 4)}


def write_cue_model(model: dict[str, object], path: str | Path) -> Path:
    """Write ``model`` (from :func:`train_cue_model`) as YAML to ``path``, whole or not at
    all; return the path."""
    import yaml

    from .io import atomic_write

    path = Path(path)
    header = ("# The learned cue model (analysis/quotes/learned.py), written by\n"
              "# `python -m analysis train-cues`; see analysis/learning.py. Retrain, do not "
              "edit.\n")
    with atomic_write(path, encoding="utf-8") as fh:
        fh.write(header)
        yaml.safe_dump(model, fh, sort_keys=False, allow_unicode=True, width=100)
    return path
