"""The documents' metadata on every table: who spoke, for which state, when, in what kind.

:func:`add_metadata` gives the statements, scores (statement or sentence level), evidence and
targets tables the same columns, :data:`META_COLUMNS` -- ``doc_id``, ``date`` (ISO 8601: the
day, or the year alone for the General Debate), ``speaker``, ``speaker_country`` (the ISO3
code of the state the speaker is or speaks for, empty for non-state speakers) and the
statement ``kind`` -- so that a table taken to R or a spreadsheet needs no join. The targets
table also gets ``target_kind`` and ``target_country`` (the ISO3 code of the state the target
is or belongs to). Columns a table lacks are inserted after ``doc_id``; values are joined on
``statement_id`` from the statements table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .speakers import Registry

if TYPE_CHECKING:
    import pandas as pd

    from .documents import Document

__all__ = ["META_COLUMNS", "TARGET_COLUMNS", "add_metadata", "statement_metadata"]

#: The metadata columns of every table, in order.
META_COLUMNS = ("doc_id", "date", "speaker", "speaker_country", "kind")
#: The targets table's further columns.
TARGET_COLUMNS = ("target_kind", "target_country")


def statement_metadata(statements: pd.DataFrame, docs: Iterable[Document],
                       registry: Registry) -> pd.DataFrame:
    """Return one row per statement: ``statement_id`` and :data:`META_COLUMNS`.

    ``speaker_country`` is the registry's (:meth:`Registry.country_of`, following
    affiliations), else the document's when the statement is its speaker's own.
    """
    import pandas as pd

    docs = {d.id: d for d in docs}
    rows = []
    for sid, doc_id, speaker, kind in zip(statements["statement_id"], statements["doc_id"],
                                          statements["speaker"], statements["kind"],
                                          strict=True):
        doc = docs.get(doc_id)
        speaker = None if speaker is None or speaker != speaker else speaker  # NaN
        country = registry.country_of(speaker)
        if country is None and doc is not None and speaker is not None \
                and speaker == doc.speaker:
            country = doc.speaker_country
        rows.append({"statement_id": sid, "doc_id": doc_id,
                     "date": doc.iso_date if doc is not None else None, "speaker": speaker,
                     "speaker_country": country, "kind": kind})
    return pd.DataFrame(rows, columns=["statement_id", *META_COLUMNS]).astype(object)


def add_metadata(frame: pd.DataFrame, meta: pd.DataFrame,
                 registry: Registry | None = None) -> pd.DataFrame:
    """Return ``frame`` with the :data:`META_COLUMNS` it lacks, joined from ``meta``
    (:func:`statement_metadata`) on ``statement_id`` and inserted after ``doc_id``; with a
    ``registry``, a frame with a ``target`` column also gets :data:`TARGET_COLUMNS`."""
    out = frame.copy()
    missing = [c for c in META_COLUMNS if c not in out.columns]
    if missing:
        by_id = meta.set_index("statement_id")
        at = list(out.columns).index("doc_id") + 1 if "doc_id" in out.columns else 0
        for c in missing:
            values = out["statement_id"].map(by_id[c]) if len(out) else []
            out.insert(at, c, values)
            out[c] = out[c].astype(object)
            at += 1
    if registry is not None and "target" in out.columns:
        for c, fn in (("target_kind", lambda t: registry[t].kind if t in registry else None),
                      ("target_country", registry.country_of)):
            if c not in out.columns:
                at = list(out.columns).index("target") + 1
                out.insert(at + (c == "target_country"), c,
                           [fn(t) for t in out["target"]] if len(out) else [])
                out[c] = out[c].astype(object)
    return out
