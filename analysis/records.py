"""Former home of the UN record readers; they live in :mod:`analysis.documents` now
(:mod:`~analysis.documents.unsc`, :mod:`~analysis.documents.ungdc`,
:mod:`~analysis.documents.layout`). Kept so that old imports go on working."""

from __future__ import annotations

from .documents import (
    UNGDC_SPEAKERS,
    UNSC_METADATA,
    SkippedRecordWarning,
    line_paragraphs,
    parse_heading,
    read_ungdc,
    read_unsc,
    reflow,
    ungdc_body,
)

__all__ = ["UNGDC_SPEAKERS", "UNSC_METADATA", "SkippedRecordWarning", "line_paragraphs",
           "parse_heading", "read_ungdc", "read_unsc", "reflow", "ungdc_body"]
