"""Former home of the document readers; they live in :mod:`analysis.documents` now.

Kept so that ``from analysis.corpus import Document, read_corpus`` goes on working; new code
imports from :mod:`analysis.documents` (or the package, ``analysis.read_corpus``).
"""

from __future__ import annotations

from .documents import (
    DOCUMENT_KINDS,
    Document,
    documents_frame,
    iter_corpus,
    parse_document,
    read_corpus,
    read_documents,
)

__all__ = ["DOCUMENT_KINDS", "Document", "documents_frame", "iter_corpus", "parse_document",
           "read_corpus", "read_documents"]
