"""The one place that picks a reader for a path: used by the CLI, the notebooks (through
:mod:`analysis.report`) and the pipeline alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import fail
from ..speakers import Registry
from .base import Document, OnError
from .frontmatter import read_documents
from .select import Selection
from .tables import TableColumns, is_table_path, read_table
from .ungdc import is_archive_path, read_ungdc
from .unsc import is_unsc_path, parse_heading, read_unsc

__all__ = ["FORMATS", "detect_format", "iter_corpus", "misread_as", "read_corpus"]

#: Delimiters whose steady count on every line marks a text as a table.
_DELIMITERS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}

#: The corpus formats: ``auto`` picks one of the others per path (:func:`detect_format`).
FORMATS = ("auto", "documents", "unsc", "ungdc", "table")


def detect_format(path: str | Path) -> str:
    """Return the reader for ``path``: ``ungdc`` for a ``.tar.gz``/``.tgz``/``.tar``
    archive, ``table`` for a ``.csv``/``.tsv``/``.jsonl``/``.parquet`` file, ``unsc`` for a
    ``UNSC_*`` speech file or a folder holding one, else ``documents``. A path that does not
    exist raises :class:`AnalysisError`."""
    p = Path(path)
    if is_archive_path(p):
        return "ungdc"
    if is_table_path(p) and not p.is_dir():
        return "table"
    if not p.exists() and not p.is_symlink():
        raise fail(p, "no such file or folder")
    return "unsc" if is_unsc_path(p) else "documents"


def iter_corpus(
    paths: str | Path | Iterable[str | Path],
    *,
    registry: Registry | str | Path | None = None,
    format: str = "auto",
    on_error: OnError | None = None,
    select: Selection | None = None,
    columns: TableColumns | None = None,
) -> Iterator[Document]:
    """Yield the documents under ``paths``, choosing the reader per path (one path at a time,
    so the General Debate archive is streamed, never held in memory).

    ``format`` is one of :data:`FORMATS`. ``registry``: a :class:`Registry` or its path (None:
    the built-in actors). ``on_error``: a callback that receives each bad UN record (file and
    reason) so that it is skipped; without it a bad Security Council file raises and a bad
    archive member is a warning. Documents in the project's format are always checked
    whole: one bad file raises :class:`AnalysisError` listing every problem. ``select``
    keeps a subset (:class:`~analysis.documents.select.Selection`); the archive reader
    applies it before reading a speech's text. ``columns`` maps a table's columns
    (:class:`~analysis.documents.tables.TableColumns`); tables are read only when given as
    files, never picked up inside a folder of documents.
    """
    if format not in FORMATS:
        raise fail("format", f"unknown corpus format {format!r}; valid: {list(FORMATS)}")
    if isinstance(paths, str | Path):
        paths = [paths]
    registry = _registry(registry)
    keep = None if select is None or select.empty else select.wants
    for p in map(Path, paths):
        fmt = detect_format(p) if format == "auto" else format
        if fmt == "ungdc":
            yield from read_ungdc(p, registry=registry, on_error=on_error, select=select)
            continue
        if fmt == "unsc":
            docs: Iterable[Document] = read_unsc(p, registry=registry, on_error=on_error)
        elif fmt == "table":
            docs = read_table(p, registry=registry, columns=columns)
        else:
            docs = read_documents(p, registry=registry)
        yield from (docs if keep is None else filter(keep, docs))


def read_corpus(
    paths: str | Path | Iterable[str | Path],
    *,
    registry: Registry | str | Path | None = None,
    format: str = "auto",
    on_error: OnError | None = None,
    select: Selection | None = None,
    columns: TableColumns | None = None,
) -> list[Document]:
    """Return the documents under ``paths`` as a list (see :func:`iter_corpus`)."""
    return list(iter_corpus(paths, registry=registry, format=format, on_error=on_error,
                            select=select, columns=columns))


def _registry(registry: Registry | str | Path | None) -> Registry | None:
    """The registry given (loaded once when it is a path), or None: then the UN readers use
    the built-in actors and front matter is not checked against a registry."""
    if registry is None or isinstance(registry, Registry):
        return registry
    from ..speakers import load_registry

    return load_registry(registry)


def misread_as(doc: Document) -> str | None:
    """Return what a document read as one text (front matter or plain ``.txt``) seems to be
    instead, as a phrase for a warning, or None when it reads as what it is.

    * a table: named like one (:data:`~analysis.documents.tables.TABLE_SUFFIXES`, ``.json``,
      ``.xlsx``), or three lines or more of which nine in ten carry the same number (two or
      more) of one delimiter (comma, tab, semicolon, pipe) as the first line;
    * a UN Security Council record: two paragraphs or more open with a speech heading naming
      a country (``Mr. Churkin (Russian Federation):``; see
      :func:`~analysis.documents.unsc.parse_heading`).

    Documents the UN readers or the table reader made are never misread (a ``UNSC_*`` file,
    an archive member, or a table row: ``meta["row"]``).
    """
    name = Path(doc.source).name if doc.source else ""
    if "row" in doc.meta or name.startswith("UNSC_") or is_archive_path(Path(
            (doc.source or "").split(":", 1)[0])):
        return None
    if is_table_path(Path(name)) or Path(name).suffix.lower() in (".json", ".xlsx"):
        return f"a table (the file {name})"
    lines = [ln for ln in doc.body.splitlines() if ln.strip()]
    if len(lines) >= 3:
        for delim, label in _DELIMITERS.items():
            k = lines[0].count(delim)
            if k >= 2 and sum(ln.count(delim) == k for ln in lines) >= 0.9 * len(lines):
                return f"a table ({len(lines)} lines of {k + 1} {label}-separated fields)"
    headings = [h for p in doc.body.split("\n\n") if (h := parse_heading(p.strip()))
                and h.country]
    if len(headings) >= 2:
        h = headings[0]
        return (f"a UN Security Council record ({len(headings)} speech headings such as "
                f"{h.name} ({h.country}):)")
    return None
