"""Documents in the project's own format: Markdown or text with YAML front matter.

Front matter (its schema is :class:`analysis.schema.FrontMatter`)::

    ---
    id: deir-ezzor-2016-09-17       # required, unique in the corpus
    title: Dozens killed as ...     # optional
    date: 2016-09-17                # required, ISO 8601
    outlet: unknown                 # optional
    url: https://...                # optional
    kind: report                    # required: report | statement
    speaker: power                  # registry id; required for a statement
    language: en                    # optional, default en
    ---
    The body starts on the line after the closing ``---``.

A plain ``.txt`` file without front matter is a report whose id is the file stem and whose
body is the whole file. Line endings are normalised (``\\r\\n`` -> ``\\n``) on reading, so
offsets refer to the body as loaded.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import AnalysisError, Problem, fail
from ..io import SafeLoader, compose_yaml
from ..schema import FrontMatter, validate
from ..speakers import Registry
from .base import Document, decode_text, normalize_newlines

__all__ = ["DOCUMENT_SUFFIXES", "document_files", "parse_document", "read_documents"]

#: The file suffixes read as documents in a folder.
DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt")


class _FrontMatterLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """YAML loader that leaves dates as text, so that a bad one is reported, not a crash."""


_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def parse_document(
    text: str, source: str | Path, *, registry: Registry | None = None
) -> Document:
    """Parse one document's text (front matter and body) and return a :class:`Document`.

    ``source`` names the file in errors and sets the id of a plain ``.txt`` without front
    matter. Line endings are normalised first. With a ``registry``, a statement's speaker
    must be one of its ids. Raises :class:`AnalysisError` listing every problem in the
    document (front-matter faults with their line).
    """
    source = Path(source)
    where = str(source)
    text = normalize_newlines(text.removeprefix("\ufeff"))
    lines = text.split("\n")
    if lines[0] != "---":
        if source.suffix.lower() in (".md", ".markdown"):
            raise fail(where, "a Markdown document must start with YAML front matter "
                       "between two '---' lines", "line 1")
        if not text.strip():
            raise fail(where, "empty document")
        return Document(id=source.stem, body=text, kind="report", source=where)
    close = next((i for i, ln in enumerate(lines[1:], 1) if ln == "---"), None)
    if close is None:
        raise fail(where, "front matter is not closed by a '---' line", "line 1")
    # the YAML starts on line 2 of the file: a leading empty line keeps every line number
    meta, node = compose_yaml("\n".join(lines[:close]).replace("---", "", 1), where,
                              loader=_FrontMatterLoader)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise fail(where, "front matter must be a mapping of key: value", "line 2")
    body = "\n".join(lines[close + 1:])
    problems: list[Problem] = []
    fm: FrontMatter | None = None
    try:
        fm = validate(FrontMatter, meta, where, node=node)
    except AnalysisError as e:
        problems.extend(e.problems)
    speaker = meta.get("speaker")
    if meta.get("kind") == "statement" and speaker in (None, ""):
        problems.append(Problem(where, "a statement needs a speaker (a registry id)", "speaker"))
    if isinstance(speaker, str) and speaker and registry is not None and speaker not in registry:
        problems.append(Problem(where, f"unknown speaker {speaker!r}; registry ids: "
                                f"{registry.ids}", "speaker"))
    if not body.strip():
        problems.append(Problem(where, "empty body", "body"))
    if problems or fm is None:
        raise AnalysisError(problems)
    name = registry[fm.speaker].name if fm.speaker and registry is not None else None
    return Document(
        id=fm.id,
        body=body,
        kind=fm.kind,
        title=fm.title,
        date=fm.date,
        outlet=fm.outlet,
        url=fm.url,
        speaker=fm.speaker or None,
        speaker_name=name,
        language=fm.language,
        source=where,
    )


def _link_problem(f: Path) -> Problem:
    try:
        os.stat(f)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return Problem(str(f), "symbolic link loop: the link never reaches a file")
        if e.errno == errno.ENOENT:
            return Problem(str(f), f"dangling symbolic link to {os.readlink(f)!r} (no such "
                           "file)")
        return Problem(str(f), f"cannot be read ({e.strerror})")
    return Problem(str(f), "not a regular file")


def document_files(
    paths: Iterable[str | Path], suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES
) -> list[Path]:
    """Return the document files under ``paths`` (folders searched recursively, sorted).

    Hidden files and ``README*`` are left out. Raises one :class:`AnalysisError` listing
    every path that does not exist, every entry with a document suffix that cannot be read
    (a dangling symbolic link, a link loop) and every folder without a document.
    """
    out: list[Path] = []
    problems: list[Problem] = []
    for p in map(Path, paths):
        if p.is_dir():
            found, bad = 0, len(problems)
            for f in sorted(p.rglob("*")):
                if f.suffix.lower() not in suffixes or f.name.startswith((".", "README")):
                    continue
                if f.is_file():
                    out.append(f)
                    found += 1
                elif f.is_symlink() or not f.is_dir():
                    problems.append(_link_problem(f))
            if not found and len(problems) == bad:
                problems.append(Problem(str(p), "no documents in this folder (files ending "
                                        f"in {', '.join(suffixes)})"))
        elif p.is_file():
            out.append(p)
        elif p.is_symlink():
            problems.append(_link_problem(p))
        else:
            problems.append(Problem(str(p), "no such file or folder"))
    if problems:
        raise AnalysisError(problems)
    return out


def read_documents(
    paths: str | Path | Iterable[str | Path], *, registry: Registry | None = None
) -> list[Document]:
    """Read documents in the project's format from files and folders (searched recursively).

    Returns the documents sorted by path. Every bad file is reported, not only the first,
    in one :class:`AnalysisError`; so is an id used by two files, an unreadable entry and a
    folder holding no document.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    docs: list[Document] = []
    problems: list[Problem] = []
    for f in document_files(paths):
        try:
            docs.append(parse_document(decode_text(f.read_bytes(), f), f, registry=registry))
        except AnalysisError as e:
            problems.extend(e.problems)
        except OSError as e:
            problems.append(Problem(str(f), f"cannot be read ({e.strerror or e})"))
    seen: dict[str, str] = {}
    for d in docs:
        if d.id in seen:
            problems.append(Problem(str(d.source), f"duplicate id {d.id!r} "
                                    f"(also used by {seen[d.id]})", "id"))
        seen.setdefault(d.id, str(d.source))
    if problems:
        raise AnalysisError(problems)
    return docs
