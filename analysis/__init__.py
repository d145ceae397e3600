"""Discourse analysis of diplomatic statements.

Load a corpus, extract every statement with its speaker, score sentiment (VADER, TextBlob)
and rhetorical framing (a transparent codebook), aggregate per speaker and draw the
comparison figures. The public functions are importable from the package itself::

    import analysis as da
    docs = da.read_corpus("corpus")
    statements = da.extract_statements(docs)

Each lives in the module of its concern (``documents``, ``speakers``, ``quotes``,
``sentiment``, ``framing``, ``scoring``, ``aggregation``, ``figures``, ``report``) and is
imported on first use, so ``import analysis`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import AnalysisError, Problem

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "Document": "documents",
    "read_corpus": "documents",
    "iter_corpus": "documents",
    "read_documents": "documents",
    "documents_frame": "documents",
    "read_unsc": "documents",
    "read_ungdc": "documents",
    "read_table": "documents",
    "selection": "documents",
    "add_metadata": "metadata",
    "builtin_registry": "speakers",
    "Registry": "speakers",
    "load_registry": "speakers",
    "sentences": "text",
    "tokenize": "text",
    "extract_statements": "quotes",
    "load_cues": "quotes",
    "quote_accuracy": "evaluation",
    "load_gold": "evaluation",
    "load_codebook": "measures.codebook",
    "score_statements": "scoring",
    "aggregate": "aggregation",
    "speaker_palette": "figures",
    "save_figure": "figures",
    "figure_style": "figures",
    "check_parameters": "report",
    "load_analysis": "report",
    "run_report": "runner",
    "project_root": "io",
    "Codebook": "measures.codebook",
    "find_terms": "measures.framing",
    "find_passives": "measures.passives",
    "ScoreResult": "scoring",
    "sentiment_scores": "measures.sentiment",
    "vader_scores": "measures.sentiment",
    "textblob_scores": "measures.sentiment",
    "codebook_agreement": "evaluation",
    "load_coding": "evaluation",
    "run_corpus": "pipeline",
    "read_run": "pipeline",
    "RunSummary": "pipeline",
}

__all__ = ["AnalysisError", "Problem", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
