"""Documents and the readers that make them; one dispatch picks the reader for a path.

Every reader returns the same :class:`Document` objects, whose ``body`` is the text that all
character offsets in the project refer to (line endings normalised to ``\\n`` on reading).

Readers (one module each):

* :mod:`~analysis.documents.frontmatter` -- Markdown or text files with YAML front matter
  (the project's own format, ``corpus/``), and plain ``.txt`` files without front matter;
* :mod:`~analysis.documents.unsc` -- UN Security Council verbatim-record speeches;
* :mod:`~analysis.documents.ungdc` -- the UN General Debate corpus, streamed from its archive;
* :mod:`~analysis.documents.tables` -- one document per row of a CSV, TSV, JSONL or Parquet
  file, with a column mapping;
* :mod:`~analysis.documents.layout` -- the UN records' line breaks rejoined into paragraphs;
* :mod:`~analysis.documents.actors` -- the UN records' speakers as actors;
* :mod:`~analysis.documents.select` -- subsets by year, country, speaker and kind.

:func:`iter_corpus` / :func:`read_corpus` (:mod:`~analysis.documents.dispatch`) choose the
reader per path; :func:`documents_frame` is the DataFrame view.
"""

from __future__ import annotations

from .base import (
    DOCUMENT_KINDS,
    Document,
    OnError,
    SkippedRecordWarning,
    decode_text,
    documents_frame,
    normalize_newlines,
)
from .dispatch import FORMATS, detect_format, iter_corpus, misread_as, read_corpus
from .frontmatter import DOCUMENT_SUFFIXES, document_files, parse_document, read_documents
from .layout import line_paragraphs, reflow, ungdc_body
from .select import Selection, parse_years, selection
from .tables import TABLE_SUFFIXES, TableColumns, read_table
from .ungdc import UNGDC_SPEAKERS, read_ungdc
from .unsc import UNSC_METADATA, Heading, parse_heading, read_unsc

__all__ = [
    "DOCUMENT_KINDS",
    "DOCUMENT_SUFFIXES",
    "FORMATS",
    "UNGDC_SPEAKERS",
    "UNSC_METADATA",
    "Document",
    "Heading",
    "OnError",
    "Selection",
    "SkippedRecordWarning",
    "TABLE_SUFFIXES",
    "TableColumns",
    "decode_text",
    "detect_format",
    "document_files",
    "documents_frame",
    "iter_corpus",
    "line_paragraphs",
    "misread_as",
    "normalize_newlines",
    "parse_document",
    "parse_heading",
    "parse_years",
    "read_corpus",
    "read_documents",
    "read_table",
    "read_ungdc",
    "read_unsc",
    "reflow",
    "selection",
    "ungdc_body",
]
