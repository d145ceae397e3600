"""The one place that picks a reader for a path: used by the CLI, the notebooks (through
:mod:`analysis.report`) and the pipeline alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import fail
from ..speakers import Registry
from .base import Document, OnError
from .frontmatter import read_documents
from .ungdc import is_archive_path, read_ungdc
from .unsc import is_unsc_path, read_unsc

__all__ = ["FORMATS", "detect_format", "iter_corpus", "read_corpus"]

#: The corpus formats: ``auto`` picks one of the others per path (:func:`detect_format`).
FORMATS = ("auto", "documents", "unsc", "ungdc")


def detect_format(path: str | Path) -> str:
    """Return the reader for ``path``: ``ungdc`` for a ``.tar.gz``/``.tgz``/``.tar``
    archive, ``unsc`` for a ``UNSC_*`` speech file or a folder holding one, else
    ``documents``. A path that does not exist raises :class:`AnalysisError`."""
    p = Path(path)
    if is_archive_path(p):
        return "ungdc"
    if not p.exists() and not p.is_symlink():
        raise fail(p, "no such file or folder")
    return "unsc" if is_unsc_path(p) else "documents"


def iter_corpus(
    paths: str | Path | Iterable[str | Path],
    *,
    registry: Registry | str | Path | None = None,
    format: str = "auto",
    on_error: OnError | None = None,
) -> Iterator[Document]:
    """Yield the documents under ``paths``, choosing the reader per path (one path at a time,
    so the General Debate archive is streamed, never held in memory).

    ``format`` is one of :data:`FORMATS`. ``registry``: a :class:`Registry` or its path (None:
    the built-in actors). ``on_error``: a callback that receives each bad UN record (file and
    reason) so that it is skipped; without it a bad Security Council file raises and a bad
    archive member is a warning. Documents in the project's format are always checked
    whole: one bad file raises :class:`AnalysisError` listing every problem.
    """
    if format not in FORMATS:
        raise fail("format", f"unknown corpus format {format!r}; valid: {list(FORMATS)}")
    if isinstance(paths, str | Path):
        paths = [paths]
    registry = _registry(registry)
    for p in map(Path, paths):
        fmt = detect_format(p) if format == "auto" else format
        if fmt == "ungdc":
            yield from read_ungdc(p, registry=registry, on_error=on_error)
        elif fmt == "unsc":
            yield from read_unsc(p, registry=registry, on_error=on_error)
        else:
            yield from read_documents(p, registry=registry)


def read_corpus(
    paths: str | Path | Iterable[str | Path],
    *,
    registry: Registry | str | Path | None = None,
    format: str = "auto",
    on_error: OnError | None = None,
) -> list[Document]:
    """Return the documents under ``paths`` as a list (see :func:`iter_corpus`)."""
    return list(iter_corpus(paths, registry=registry, format=format, on_error=on_error))


def _registry(registry: Registry | str | Path | None) -> Registry | None:
    """The registry given (loaded once when it is a path), or None: then the UN readers use
    the built-in actors and front matter is not checked against a registry."""
    if registry is None or isinstance(registry, Registry):
        return registry
    from ..speakers import load_registry

    return load_registry(registry)
