"""The :class:`Document` every reader returns, and what all readers share.

A document's ``body`` is the text that every character offset in the project refers to (the
statements' ``start``/``end``, sentences, evidence). Readers normalise line endings as they
read: ``\\r\\n`` and a lone ``\\r`` become ``\\n`` (and a leading byte-order mark is dropped),
so offsets refer to the body *as loaded*, not to the bytes of the file.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, fail
from ..schema import DOCUMENT_KINDS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DOCUMENT_KINDS", "Document", "OnError", "SkippedRecordWarning", "decode_text",
           "documents_frame", "normalize_newlines", "report_skipped"]

_WORD = re.compile(r"\w+(?:[-'\u2019]\w+)*")

#: A callback that receives each skipped record (file and reason) instead of an error.
OnError = Callable[[Problem], object]


class SkippedRecordWarning(UserWarning):
    """A record was skipped (its file and the reason are in the message)."""


@dataclass(frozen=True)
class Document:
    """A document of the corpus.

    ``kind`` is ``report`` (a news article quoting people) or ``statement`` (the speaker's
    own words). ``speaker`` is the actor id of a statement's speaker: a registry id, or the
    id the UN record readers give a speaker the registry does not know (``araud-fra``; see
    :meth:`analysis.speakers.Registry.with_speakers`); ``speaker_name`` and ``country`` keep
    what the source says of the speaker. ``affiliation`` is the id of the state or body the
    speaker speaks for (or a free-text label); ``speaker_country`` the ISO3 code of that
    state (None for non-state speakers). ``meta`` holds reader-specific fields (session,
    year, meeting, topic, ...).
    """

    id: str
    body: str
    kind: str = "report"
    title: str | None = None
    date: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    speaker: str | None = None
    speaker_name: str | None = None
    country: str | None = None
    affiliation: str | None = None
    speaker_country: str | None = None
    language: str = "en"
    source: str | None = None
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def words(self) -> int:
        """Return the number of words in the body."""
        return len(_WORD.findall(self.body))

    @property
    def iso_date(self) -> str | None:
        """Return the date as ISO 8601 text: the day where known (``2014-03-15``), else the
        year alone (``2016``: the General Debate, whose files give only the year), else None.
        """
        if self.date is not None:
            return self.date.isoformat()
        year = self.meta.get("year")
        return f"{year:04d}" if isinstance(year, int) else None

    @property
    def year(self) -> int | None:
        """Return the year of the document (of its date, else the reader's ``year``)."""
        if self.date is not None:
            return self.date.year
        year = self.meta.get("year")
        return year if isinstance(year, int) else None


def normalize_newlines(text: str) -> str:
    """Return ``text`` with ``\\r\\n`` and lone ``\\r`` line endings as ``\\n``.

    >>> normalize_newlines("one\\r\\n\\r\\ntwo\\rthree")
    'one\\n\\ntwo\\nthree'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def decode_text(data: bytes, where: str | Path) -> str:
    """Return ``data`` decoded as UTF-8 with line endings normalised and a leading
    byte-order mark removed. Bytes that are not UTF-8 raise
    :class:`~analysis.errors.AnalysisError` naming ``where``, the byte, its offset and line.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise fail(where, f"not UTF-8 text: byte {data[e.start]:#04x} at offset {e.start}",
                   f"line {line}") from None
    return normalize_newlines(text.removeprefix("\ufeff"))


def report_skipped(problem: Problem, on_error: OnError | None) -> None:
    """Pass a skipped record to ``on_error``, or issue it as a :class:`SkippedRecordWarning`."""
    if on_error is None:
        warnings.warn(f"skipped {problem}", SkippedRecordWarning, stacklevel=3)
    else:
        on_error(problem)


#: The first columns of :func:`documents_frame`, in order.
FRAME_COLUMNS = ["id", "kind", "speaker", "speaker_name", "country", "date", "words", "title",
                 "outlet", "url", "language", "source", "affiliation", "speaker_country"]


def documents_frame(docs: Iterable[Document]) -> pd.DataFrame:
    """Return one row per document: id, kind, speaker, speaker_name, country, date, words ...

    The body is left out (it is in the documents); ``words`` counts its words; ``date`` is
    :attr:`Document.iso_date` (text); the fields of ``meta`` follow as further columns.
    """
    import pandas as pd

    rows = []
    for d in docs:
        row = asdict(d)
        row.pop("body")
        meta = row.pop("meta")
        row["words"] = d.words
        row["date"] = d.iso_date
        row.update({k: v for k, v in meta.items() if k not in row})
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=FRAME_COLUMNS)
    return frame[FRAME_COLUMNS + [c for c in frame.columns if c not in FRAME_COLUMNS]]
