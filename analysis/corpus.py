"""Documents and the readers that make them.

Every reader returns the same :class:`Document` objects, whose ``body`` is the text that all
character offsets in the project refer to.

Readers:

* :func:`read_documents` -- Markdown or text files with YAML front matter (the project's own
  format, ``corpus/``), and plain ``.txt`` files without front matter (a report whose id is
  the file stem and whose body is the whole file, unchanged);
* :func:`read_unsc` -- UN Security Council verbatim-record speeches (one speech a file);
* :func:`read_ungdc` -- the UN General Debate corpus, streamed from its ``.tar.gz`` archive.

:func:`read_corpus` picks the reader for each path; :func:`documents_frame` is the
DataFrame view.

Front matter::

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
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .errors import AnalysisError, Problem, fail
from .io import SafeLoader
from .speakers import Registry

DOCUMENT_KINDS = ("report", "statement")
FRONT_MATTER_KEYS = ("id", "title", "date", "outlet", "url", "kind", "speaker", "language")
_REQUIRED = ("id", "date", "kind")
_SUFFIXES = (".md", ".markdown", ".txt")
_WORD = re.compile(r"\w+(?:[-'\u2019]\w+)*")

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


class _FrontMatterLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """YAML loader that leaves dates as text, so that a bad one is reported, not a crash."""


_FrontMatterLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


@dataclass(frozen=True)
class Document:
    """A document of the corpus.

    ``kind`` is ``report`` (a news article quoting people) or ``statement`` (the speaker's
    own words). ``speaker`` is a registry id or None; ``speaker_name`` and ``country`` keep
    what the source says of an unregistered speaker. ``meta`` holds reader-specific fields
    (session, year, meeting, topic, ...).
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
    language: str = "en"
    source: str | None = None
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def words(self) -> int:
        """Return the number of words in the body."""
        return len(_WORD.findall(self.body))


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise fail(path, f"not UTF-8 text: byte {data[e.start]:#04x} at offset {e.start}",
                   f"line {line}") from None


def parse_document(
    text: str, source: str | Path, *, registry: Registry | None = None
) -> Document:
    """Parse one document's text (front matter and body) and return a :class:`Document`.

    ``source`` names the file in errors and sets the id of a plain ``.txt`` without front
    matter. With a ``registry``, a statement's speaker must be one of its ids. Raises
    :class:`AnalysisError` listing every problem in the document.
    """
    source = Path(source)
    where = str(source)
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        if source.suffix.lower() in (".md", ".markdown"):
            raise fail(where, "a Markdown document must start with YAML front matter "
                       "between two '---' lines", "line 1")
        if not text.strip():
            raise fail(where, "empty document")
        return Document(id=source.stem, body=text, kind="report", source=where)
    close = next((i for i, ln in enumerate(lines[1:], 1) if ln.rstrip("\r\n") == "---"), None)
    if close is None:
        raise fail(where, "front matter is not closed by a '---' line", "line 1")
    try:
        meta = yaml.load("".join(lines[1:close]), Loader=_FrontMatterLoader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        entry = f"line {mark.line + 2}" if mark else "front matter"
        raise fail(where, f"invalid YAML in front matter: {getattr(e, 'problem', e)}",
                   entry) from None
    if not isinstance(meta, dict):
        raise fail(where, "front matter must be a mapping of key: value", "line 2")
    body = "".join(lines[close + 1:])
    problems: list[Problem] = []

    def bad(key: str, msg: str) -> None:
        problems.append(Problem(where, msg, key))

    unknown = sorted(set(map(str, meta)) - set(FRONT_MATTER_KEYS))
    for key in unknown:
        bad(key, f"unknown front-matter key; valid keys: {list(FRONT_MATTER_KEYS)}")
    for key in _REQUIRED:
        if meta.get(key) in (None, ""):
            bad(key, "missing required front-matter key")
    kind = meta.get("kind")
    if kind is not None and kind not in DOCUMENT_KINDS:
        bad("kind", f"unknown kind {kind!r}; valid kinds: {list(DOCUMENT_KINDS)}")
    date = meta.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            bad("date", f"bad date {date!r}; write it as ISO 8601, e.g. 2016-09-17")
            date = None
    elif date is not None:
        bad("date", f"bad date {date!r}; write it as ISO 8601, e.g. 2016-09-17")
        date = None
    speaker = meta.get("speaker")
    if kind == "statement" and not speaker:
        bad("speaker", "a statement needs a speaker (a registry id)")
    if speaker and registry is not None and speaker not in registry:
        bad("speaker", f"unknown speaker {speaker!r}; registry ids: {registry.ids}")
    if not body.strip():
        bad("body", "empty body")
    if problems:
        raise AnalysisError(problems)
    name = registry[speaker].name if speaker and registry is not None else None
    return Document(
        id=str(meta["id"]),
        body=body,
        kind=str(kind),
        title=_opt(meta.get("title")),
        date=date,
        outlet=_opt(meta.get("outlet")),
        url=_opt(meta.get("url")),
        speaker=_opt(speaker),
        speaker_name=name,
        language=str(meta.get("language") or "en"),
        source=where,
    )


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _files(paths: Iterable[str | Path], suffixes: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    missing: list[Problem] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*")
                              if f.is_file() and f.suffix.lower() in suffixes
                              and not f.name.startswith((".", "README"))))
        elif p.is_file():
            out.append(p)
        else:
            missing.append(Problem(str(p), "no such file or folder"))
    if missing:
        raise AnalysisError(missing)
    return out


def read_documents(
    paths: str | Path | Iterable[str | Path], *, registry: Registry | None = None
) -> list[Document]:
    """Read documents in the project's format from files and folders (searched recursively).

    Returns the documents sorted by path. Every bad file is reported, not only the first,
    in one :class:`AnalysisError`; so is an id used by two files.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    docs: list[Document] = []
    problems: list[Problem] = []
    for f in _files(paths, _SUFFIXES):
        try:
            docs.append(parse_document(_read_text(f), f, registry=registry))
        except AnalysisError as e:
            problems.extend(e.problems)
    seen: dict[str, str] = {}
    for d in docs:
        if d.id in seen:
            problems.append(Problem(str(d.source), f"duplicate id {d.id!r} "
                                    f"(also used by {seen[d.id]})", "id"))
        seen.setdefault(d.id, str(d.source))
    if problems:
        raise AnalysisError(problems)
    return docs


def documents_frame(docs: Iterable[Document]) -> pd.DataFrame:
    """Return one row per document: id, kind, speaker, speaker_name, country, date, words ...

    The body is left out (it is in the documents); ``words`` counts its words.
    """
    rows = []
    for d in docs:
        row = asdict(d)
        row.pop("body")
        meta = row.pop("meta")
        row["words"] = d.words
        row.update({k: v for k, v in meta.items() if k not in row})
        rows.append(row)
    cols = ["id", "kind", "speaker", "speaker_name", "country", "date", "words", "title",
            "outlet", "url", "language", "source"]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=cols)
    return frame[cols + [c for c in frame.columns if c not in cols]]


def iter_corpus(
    paths: str | Path | Iterable[str | Path],
    *,
    registry: Registry | None = None,
    format: str = "auto",
) -> Iterator[Document]:
    """Yield the documents under ``paths``, choosing the reader per path.

    ``format`` is ``auto`` (default), ``documents``, ``unsc`` or ``ungdc``. In ``auto``, a
    ``.tar.gz`` archive is the UN General Debate corpus, a ``UNSC_*`` speech file or a folder
    holding them is read as UN Security Council records, and anything else as documents.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    for p in map(Path, paths):
        fmt = _detect(p) if format == "auto" else format
        if fmt == "ungdc":
            from .records import read_ungdc

            yield from read_ungdc(p, registry=registry)
        elif fmt == "unsc":
            from .records import read_unsc

            yield from read_unsc(p, registry=registry)
        elif fmt == "documents":
            yield from read_documents(p, registry=registry)
        else:
            raise fail("format", f"unknown corpus format {format!r}; "
                       "valid: ['auto', 'documents', 'unsc', 'ungdc']")


def read_corpus(
    paths: str | Path | Iterable[str | Path],
    *,
    registry: Registry | None = None,
    format: str = "auto",
) -> list[Document]:
    """Return the documents under ``paths`` as a list (see :func:`iter_corpus`)."""
    return list(iter_corpus(paths, registry=registry, format=format))


def _detect(p: Path) -> str:
    if p.name.endswith((".tar.gz", ".tgz", ".tar")):
        return "ungdc"
    if not p.exists():
        raise fail(p, "no such file or folder")
    if p.is_file():
        return "unsc" if p.name.startswith("UNSC_") else "documents"
    first = next(iter(sorted(p.rglob("UNSC_*.txt"))), None)
    return "unsc" if first is not None else "documents"
