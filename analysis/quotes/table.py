"""The statements table: one row per statement, with its speaker, kind and offsets.

:func:`extract_statements` runs attribution (:mod:`analysis.quotes.attribution`) over
documents and returns the table whose columns are :data:`COLUMNS`; its kinds are
:data:`~analysis.quotes.kinds.KINDS` (declared in :mod:`analysis.quotes.kinds`, with the
attitude kinds extracted only when asked).
"""

from __future__ import annotations

import bisect
import contextlib
import gc
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from ..documents import Document
from ..speakers import Registry, as_registry
from ..text import paragraphs, sentences
from .attribution import find_statements
from .context import Found
from .cues import Cues, load_cues
from .kinds import ATTITUDE_KINDS, KINDS
from .learned import CueModel, cue_model

__all__ = ["ATTITUDE_KINDS", "COLUMNS", "KINDS", "extract_statements"]

#: The columns of the statements table, in order.
COLUMNS = ["statement_id", "doc_id", "speaker", "speaker_name", "affiliation", "speaker_text",
           "kind", "text", "start", "end", "cue", "paragraph", "sentence"]


def _rows(doc: Document, reg: Registry, cues: Cues, model: CueModel | None) -> list[dict]:
    body = doc.body
    found = find_statements(body, reg, cues, model)
    if doc.kind == "statement":
        a, b = 0, len(body)
        while a < b and body[a].isspace():
            a += 1
        while b > a and body[b - 1].isspace():
            b -= 1
        others = [f for f in found if f.speaker_text is not None and f.kind != "statement"
                  and (f.speaker is None or f.speaker != doc.speaker)]
        found = [Found("statement", a, b, doc.speaker, None, None), *others]
        found.sort(key=lambda f: (f.start, -f.end))
    paras = paragraphs(body)
    pstarts = [p[0] for p in paras]
    sstarts = [s[0] for s in sentences(body)] if found else []
    rows = []
    for n, f in enumerate(found, 1):
        actor = reg[f.speaker] if f.speaker in reg else None
        if actor is not None:
            name = actor.name
        elif f.kind == "statement":
            name = doc.speaker_name
        elif f.name:
            name = f.name
        elif f.speaker_text and f.speaker_text.lower() not in cues.pronouns:
            name = f.speaker_text
        else:
            name = None
        if f.speaker in reg:
            aff = reg.affiliation_of(f.speaker)
        elif f.kind == "statement":
            aff = doc.country
        else:
            aff = None
        rows.append({
            "statement_id": f"{doc.id}#{n:03d}",
            "doc_id": doc.id,
            "speaker": f.speaker,
            "speaker_name": name,
            "affiliation": aff,
            "speaker_text": f.speaker_text,
            "kind": f.kind,
            "text": body[f.start:f.end],
            "start": f.start,
            "end": f.end,
            "cue": f.cue,
            "paragraph": max(0, bisect.bisect_right(pstarts, f.start) - 1),
            "sentence": max(0, bisect.bisect_right(sstarts, f.start) - 1),
        })
    return rows


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the block runs (restored after).

    Extraction makes many small objects (tokens, spans) and no reference cycles (a test
    checks this), so reference counting frees all of it; the collector's full passes over
    the heap would only add time that grows faster than the text.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def extract_statements(
    docs: Document | Iterable[Document],
    *,
    registry: Registry | str | Path | None = None,
    cues: Cues | str | Path | None = None,
    attitudes: bool = False,
    model: CueModel | None = None,
) -> pd.DataFrame:
    """Return the statements of ``docs`` as a DataFrame, one row per statement.

    Columns (in order): ``statement_id, doc_id, speaker, speaker_name, affiliation,
    speaker_text, kind, text, start, end, cue, paragraph, sentence`` -- see the module
    docstring for the rules. ``registry`` and ``cues`` are objects or paths (default: the
    project's ``corpus/speakers.yml`` and ``analysis/data/cues.yml``).

    ``attitudes``: also report what someone believes, thinks or hopes (kind ``belief``) and
    what a poll or survey shows (kind ``poll``), :data:`ATTITUDE_KINDS` -- attributions that
    are not statements, for measuring attribution against a corpus that annotates them. Off
    by default: the statements table holds statements only (kinds :data:`KINDS`). With
    attitudes on, the learned cue model (``model``, default the packaged one,
    :func:`~analysis.quotes.learned.cue_model`) adds the acts and positions attributed to a
    source (kind ``act``) and the beliefs and polls it finds beyond the rules.

    >>> from analysis.documents import Document
    >>> doc = Document(id="d", body='"We regret it," Ambassador Power said.')
    >>> extract_statements(doc)[["speaker", "kind", "text"]].values.tolist()
    [['power', 'direct', 'We regret it']]
    """
    reg = as_registry(registry)
    cue_set = cues if isinstance(cues, Cues) else load_cues(cues)
    if attitudes:
        cue_set = cue_set.with_attitudes()
        model = model or cue_model()
    else:
        model = None
    if isinstance(docs, Document):
        docs = [docs]
    rows: list[dict] = []
    with _no_cycle_collection():
        for doc in docs:
            rows.extend(_rows(doc, reg, cue_set, model))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("start", "end", "paragraph", "sentence"):
        frame[col] = frame[col].astype("int64")
    return frame
