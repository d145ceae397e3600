"""Readers for the United Nations records: Security Council speeches and the General Debate.

Both readers are generators of :class:`analysis.corpus.Document` (``kind="statement"``), the
same objects the front-matter reader makes, so everything downstream treats them alike.

* :func:`read_unsc` -- UN Security Council verbatim-record speeches, one speech a file, as in
  the UP Multilayer UNSC Corpus (``<topic>/<meeting>/<meeting>_spchNNN.txt``). The file
  starts with the record's heading, ``Ms. Power (United States of America): ...``,
  ``Mr. Churkin (Russian Federation) (spoke in Russian): ...`` or ``The President: ...``;
  the heading names the speaker and is *not* part of the body.
* :func:`read_ungdc` -- the UN General Debate Corpus, streamed from its ``.tar.gz`` archive
  (``ungdc/TXT/Session NN - YYYY/<ISO3>_<session>_<year>.txt`` plus
  ``ungdc/speakers_by_session.csv``) without unpacking it and without holding it in memory.

Line breaks (:func:`reflow`): the Security Council files keep the hard line breaks of the PDF
records. A body is rebuilt as paragraphs (blocks between blank lines) separated by exactly one
blank line, each paragraph on one line: a line break becomes a space, except after a hyphen at
the end of a line. There the rule is conservative, because the UN records break lines only at
real hyphens (``Secretary-|General``, ``post-|conflict``, ``pro-|Russian``; 0 of the ~200 line-end
hyphens in the UNSC corpus are soft hyphens):

1. the next line starts with a capital letter or a digit -> keep the hyphen (``pro-Russian``);
2. the next word is ``and`` / ``or`` -> a suspended hyphen: keep it and a space
   (``troop- and police-contributing``);
3. the word joined *without* the hyphen occurs elsewhere in the same speech and the hyphenated
   form does not -> a soft hyphen: drop it (``inter-|national`` -> ``international`` when the
   speech also writes ``international``);
4. otherwise keep the hyphen (``post-conflict``): a wrong ``post-conflict`` is harmless to
   tokenization, a wrong ``postconflict`` is not.

Skipping bad input: :func:`read_ungdc` never stops on one bad member: an undecodable or empty
speech, a file name that is not a speech, a damaged member header or a truncated archive is
reported as a :class:`~analysis.errors.Problem` (file and reason) to ``on_error`` and skipped.
Pass ``on_error=skipped.append`` to collect them in a list; without ``on_error`` each one is
issued as a :class:`SkippedRecordWarning` (``warnings``). :func:`read_unsc` raises one
:class:`~analysis.errors.AnalysisError` listing every bad file, unless ``on_error`` is given.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gzip
import io
import logging
import re
import tarfile
import warnings
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .corpus import Document
from .errors import AnalysisError, Problem, fail
from .speakers import Registry, as_registry

__all__ = [
    "SkippedRecordWarning",
    "UNSC_METADATA",
    "UNGDC_SPEAKERS",
    "parse_heading",
    "read_ungdc",
    "read_unsc",
    "line_paragraphs",
    "reflow",
    "ungdc_body",
]

log = logging.getLogger(__name__)

UNSC_METADATA = "speeches_metadata_partial.tsv"
UNGDC_SPEAKERS = "speakers_by_session.csv"

OnError = Callable[[Problem], object]


class SkippedRecordWarning(UserWarning):
    """A record was skipped (its file and the reason are in the message)."""


# --------------------------------------------------------------------------------------------
# Line breaks


_PARA_BREAK = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_VOCAB_TOKEN = re.compile(r"\w+(?:-\w+)*")
_LEFT_PART = re.compile(r"(\w+)-$")
_NEXT_WORD = re.compile(r"\w+")
_SUSPENDED = frozenset({"and", "or"})


def reflow(text: str) -> str:
    """Return ``text`` with hard line breaks inside paragraphs rejoined (rules: module doc).

    Paragraphs (blocks between blank lines) come out separated by exactly one blank line;
    white space at both ends is removed; ``\\r\\n`` and a byte-order mark are normalized.

    >>> reflow("The pro-\\nRussian and post-\\nconflict\\n\\nsecond  \\nparagraph\\n")
    'The pro-Russian and post-conflict\\n\\nsecond paragraph'
    >>> reflow("inter-\\nnational and international")
    'international and international'
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    vocab: set[str] | None = None
    paras = []
    for block in _PARA_BREAK.split(text):
        lines = [ln.strip() for ln in block.split("\n")]
        lines = [ln for ln in lines if ln]
        if not lines:
            continue
        parts = [lines[0]]
        for prev, nxt in zip(lines, lines[1:], strict=False):
            left = _LEFT_PART.search(prev)  # on the previous line only: linear time
            if left is None:
                parts.append(" " + nxt)
                continue
            m = _NEXT_WORD.match(nxt)
            if m is None or nxt[0].isupper() or nxt[0].isdigit():
                parts.append(nxt)  # rule 1 (or no word follows): keep the hyphen
                continue
            word = m.group()
            if word.lower() in _SUSPENDED:
                parts.append(" " + nxt)  # rule 2: suspended hyphen
                continue
            if vocab is None:
                vocab = _vocabulary(text)
            joined = (left.group(1) + word).lower()
            hyphenated = f"{left.group(1)}-{word}".lower()
            if joined in vocab and hyphenated not in vocab:
                parts[-1] = parts[-1][:-1]  # rule 3: a soft hyphen
            parts.append(nxt)  # rules 3 and 4: no space
        out = "".join(parts)
        paras.append(out)
    return "\n\n".join(paras)


def line_paragraphs(text: str) -> str:
    """Return ``text`` with every non-blank line as a paragraph, separated by one blank line
    (the General Debate files put one paragraph on each line).

    >>> line_paragraphs("\\ufeffOne.\\r\\n52.\\tTwo.\\n\\n")
    'One.\\n\\n52.\\tTwo.'
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return "\n\n".join(ln.strip() for ln in text.split("\n") if ln.strip())


_SENTENCE_END = re.compile(r"[.!?:;\"\u201d)]\s*$")


def ungdc_body(text: str) -> str:
    """Return the body of a General Debate file, choosing how its lines are laid out.

    About 4,500 of the corpus' files keep the PDF's hard line breaks (median line under 90
    characters and most lines not ending a sentence): they are rejoined by :func:`reflow`
    (blank lines separate paragraphs; 595 such files have none, so they become one
    paragraph). The others put one paragraph on each line (:func:`line_paragraphs`).

    >>> ungdc_body("We meet\\nagain in\\nthis Hall.\\n\\nPeace is\\nour goal.\\n")
    'We meet again in this Hall.\\n\\nPeace is our goal.'
    >>> ungdc_body("We meet again in this Hall.\\nPeace is our goal.\\n")
    'We meet again in this Hall.\\n\\nPeace is our goal.'
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return ""
    lengths = sorted(len(ln) for ln in lines)
    open_lines = sum(1 for ln in lines if not _SENTENCE_END.search(ln))
    if lengths[len(lengths) // 2] < 90 and open_lines * 2 > len(lines):
        return reflow(text)
    return line_paragraphs(text)


def _vocabulary(text: str) -> set[str]:
    """Lower-cased words and hyphenated compounds of ``text`` (one pass; ``-`` kept inside)."""
    return set(_VOCAB_TOKEN.findall(text.lower()))


# --------------------------------------------------------------------------------------------
# Security Council speeches

_PARTICLES = r"(?:de|da|del|della|di|do|dos|das|du|van|von|der|den|ter|al|el|la|le|bin|ibn|y)"
_NAME_WORD = r"(?:[A-Z\u00C0-\u00DE][\w.'\u2019-]*|" + _PARTICLES + r"(?:-\w+)?)"
_LANG = r"(?:\s*\((?i:spoke in) (?P<lang>[A-Za-z]+)[^()]*\))?\s*:\s+"
# With a country: the name is anything up to the parenthesis (the records' OCR leaves
# "Mr. Liu J ieyi", "Mrs. ngu"); without one: capitalised words (and name particles) only.
_HEADING_COUNTRY = re.compile(
    r"(?P<name>[A-Z\u00C0-\u00DE][^():\n]{0,79}?)"
    r"\s*\((?!(?i:spoke in))(?P<country>[A-Z][^()]{1,79})\)" + _LANG
)
_NAME_WORD_RE = re.compile(_NAME_WORD)
_HEADING_BARE = re.compile(
    r"(?P<name>" + _NAME_WORD + r"(?: " + _NAME_WORD + r"){1,7}?)" + _LANG
)


@dataclass(frozen=True)
class Heading:
    """A verbatim-record heading: ``name (country) (spoke in language):``; ``end`` is the
    offset just after the colon and the white space that follows it."""

    name: str
    country: str | None
    spoke_in: str | None
    end: int


def parse_heading(text: str) -> Heading | None:
    """Return the heading at the start of ``text`` (a reflowed paragraph), or None.

    A heading is a capitalised name of at most eight words, then optionally the country and
    the language in parentheses, then a colon. Without a country the name must have two to
    eight capitalised words (``Mr. Feltman``, ``The Secretary-General``), so ``Excellencies:
    ...`` or ``I thank you: ...`` is no heading.

    >>> parse_heading("Mr. Churkin (Russian Federation) (spoke in Russian): We")
    Heading(name='Mr. Churkin', country='Russian Federation', spoke_in='Russian', end=53)
    >>> parse_heading("I thank the President: ...") is None
    True
    """
    m = _HEADING_COUNTRY.match(text)
    if m is not None:
        words = m.group("name").split()
        # "Mr. Liu J ieyi", "Mrs. ngu" (OCR) have a title; "Sir Mark Lyall Grant" capitals
        if not (words[0].endswith(".") or all(_NAME_WORD_RE.fullmatch(w) for w in words)):
            m = None
    if m is None:
        m = _HEADING_BARE.match(text)
    if m is None or len(m.group("name").split()) > 8:
        return None
    country = m.groupdict().get("country")
    return Heading(m.group("name").strip(), country.strip() if country else None,
                   m.group("lang"), m.end())


def _meeting_symbol(basename: str) -> str:
    """``UNSC_2014_SPV.7138`` -> ``S/PV.7138``; ``..._SPV.4726Resumption1`` ->
    ``S/PV.4726 (Resumption 1)``; ``..._SPV.2020_397`` -> ``S/2020/397`` (a letter that
    holds the statements of a videoconference)."""
    m = re.match(r"UNSC_\d{4}_SPV\.(.+)\Z", basename)
    if m is None:
        return basename
    rest = m.group(1)
    if (d := re.fullmatch(r"(\d{4})_(\d+)", rest)) is not None:
        return f"S/{d.group(1)}/{d.group(2)}"
    if (r := re.fullmatch(r"(\d+)Resumption(\d+)", rest)) is not None:
        return f"S/PV.{r.group(1)} (Resumption {r.group(2)})"
    return f"S/PV.{rest}"


@dataclass(frozen=True)
class _TsvRow:
    date: dt.date | None
    title: str | None


def _find_metadata(path: Path) -> Path | None:
    for folder in [path, *path.parents] if path.is_dir() else path.parents:
        candidate = folder / UNSC_METADATA
        if candidate.is_file():
            return candidate
    return None


def _read_metadata(path: Path) -> tuple[dict[str, _TsvRow], dict[str, _TsvRow]]:
    """Return (by file name, by meeting) from the metadata TSV."""
    by_file: dict[str, _TsvRow] = {}
    by_meeting: dict[str, _TsvRow] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh, delimiter="\t"), 2):
            try:
                date = dt.date(int(row["year"]), int(row["month"]), int(row["day"]))
            except (KeyError, TypeError, ValueError):
                log.warning("%s: line %d: no valid year/month/day; date left empty", path, i)
                date = None
            rec = _TsvRow(date, (row.get("topic") or "").strip() or None)
            if row.get("filename"):
                by_file[row["filename"].strip()] = rec
            if row.get("basename"):
                by_meeting.setdefault(row["basename"].strip(), rec)
    return by_file, by_meeting


def read_unsc(
    path: str | Path,
    *,
    registry: Registry | str | Path | None = None,
    metadata: str | Path | None = None,
    on_error: OnError | None = None,
) -> Iterator[Document]:
    """Yield one statement :class:`Document` per UN Security Council speech file under ``path``.

    ``path`` is a speech file or a folder (searched recursively for ``*.txt``). The id is the
    file stem; ``speaker`` is the registry id of the heading's name (``registry``: default the
    project registry), else None with ``speaker_name`` as written (``Mr. Araud``); a
    registered speaker's ``speaker_name`` is the registry name. ``country`` is the heading's
    parenthesised country. ``date`` and ``title`` come from ``speeches_metadata_partial.tsv``
    (``metadata``; default: searched in ``path`` and the folders above it): the speech's own
    row, else another speech of the same meeting, else None. ``meta``: ``meeting``
    (``S/PV.7138``), ``topic`` (the folder), ``spoke_in`` (None for English), ``heading``
    (the name as written) and ``year``.

    Every file without a heading on its first line (or with no text after it) is reported in
    one :class:`AnalysisError`, raised before any document is yielded; with ``on_error`` each
    is passed to it as a :class:`Problem` and skipped instead.
    """
    path = Path(path)
    if not path.exists():
        raise fail(path, "no such file or folder")
    reg = as_registry(registry)
    meta_path = Path(metadata) if metadata is not None else _find_metadata(path)
    by_file, by_meeting = _read_metadata(meta_path) if meta_path else ({}, {})
    if path.is_dir():
        files = sorted(f for f in path.rglob("*.txt") if not f.name.startswith((".", "README")))
    else:
        files = [path]
    docs: list[Document] = []
    problems: list[Problem] = []
    for f in files:
        try:
            docs.append(_unsc_document(f, reg, by_file, by_meeting))
        except AnalysisError as e:
            problems.extend(e.problems)
    if problems and on_error is None:
        raise AnalysisError(problems)
    for p in problems:
        on_error(p)  # type: ignore[misc]
    yield from docs


def _unsc_document(
    f: Path, reg: Registry, by_file: dict[str, _TsvRow], by_meeting: dict[str, _TsvRow]
) -> Document:
    raw = f.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise fail(f, f"not UTF-8 text: byte {raw[e.start]:#04x} at offset {e.start}",
                   f"line {line}") from None
    body = reflow(text)
    head = parse_heading(body)
    if head is None:
        first = body.split("\n", 1)[0][:60]
        raise fail(f, "no verbatim-record heading such as 'Ms. Power (United States of "
                   f"America): ' at the start; it begins {first!r}", "line 1")
    body = body[head.end:]
    if not body.strip():
        raise fail(f, f"no speech after the heading {head.name!r}", "line 1")
    basename = f.stem.rsplit("_spch", 1)[0]
    tsv = by_file.get(f.name) or by_meeting.get(basename)
    speaker = reg.lookup(head.name)
    year = re.match(r"UNSC_(\d{4})_", basename)
    topic = f.parent.parent.name if f.parent.name == basename else None
    return Document(
        id=f.stem,
        body=body,
        kind="statement",
        title=tsv.title if tsv else None,
        date=tsv.date if tsv else None,
        speaker=speaker,
        speaker_name=reg[speaker].name if speaker else head.name,
        country=head.country,
        source=str(f),
        meta={
            "meeting": _meeting_symbol(basename),
            "topic": topic,
            "spoke_in": head.spoke_in,
            "heading": head.name,
            "year": int(year.group(1)) if year else None,
        },
    )


# --------------------------------------------------------------------------------------------
# General Debate archive

_SPEECH_NAME = re.compile(r"(?P<iso3>[A-Z]{2,4})_(?P<session>\d+)_(?P<year>\d{4})\.txt\Z")
_SPEAKER_COLUMNS = ("Year", "Session", "ISO Code", "Country", "Name of Person Speaking", "Post")
_READ_ERRORS = (tarfile.TarError, zlib.error, EOFError, OSError)


@dataclass(frozen=True)
class _Speaker:
    country: str | None
    name: str | None
    post: str | None


def _report(problem: Problem, on_error: OnError | None) -> None:
    log.debug("skipped %s", problem)
    if on_error is None:
        warnings.warn(f"skipped {problem}", SkippedRecordWarning, stacklevel=3)
    else:
        on_error(problem)


def _parse_speakers(data: bytes, where: str) -> dict[tuple[str, int, int], _Speaker]:
    """Return (ISO3, session, year) -> speaker from ``speakers_by_session.csv``.

    A country that has two rows in one session (a few early sessions) gets the names and posts
    joined with ``; ``.
    """
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in _SPEAKER_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise fail(where, f"missing column(s) {missing}; expected {list(_SPEAKER_COLUMNS)}")
    rows: dict[tuple[str, int, int], list[dict[str, str]]] = {}
    for row in reader:
        try:
            key = (row["ISO Code"].strip(), int(row["Session"]), int(row["Year"]))
        except (TypeError, ValueError, AttributeError):
            continue
        rows.setdefault(key, []).append(row)
    out = {}
    for key, group in rows.items():
        def joined(col: str, group: list[dict[str, str]] = group) -> str | None:
            vals = list(dict.fromkeys((r.get(col) or "").strip() for r in group))
            vals = [v for v in vals if v]
            return "; ".join(vals) or None

        out[key] = _Speaker(joined("Country"), joined("Name of Person Speaking"), joined("Post"))
    return out


@contextlib.contextmanager
def _stream(path: Path) -> Iterator[tarfile.TarFile]:
    """Open ``path`` as a tar stream (``r|``: sequential, nothing unpacked to disk).

    A gzip archive is read through :class:`gzip.GzipFile`, which checks the CRC and raises on
    a truncated stream (tarfile's own ``r|gz`` decoder does neither and would end silently).
    ``ignore_zeros``: a damaged member header is skipped block by block up to the next valid
    header instead of ending the archive there (the gap is reported, see :func:`_members`).
    """
    with path.open("rb") as raw:
        if raw.read(2) == b"\x1f\x8b":
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw, mode="rb") as gz, \
                    tarfile.open(fileobj=gz, mode="r|", ignore_zeros=True) as tf:
                yield tf
        else:
            raw.seek(0)
            with tarfile.open(fileobj=raw, mode="r|*", ignore_zeros=True) as tf:
                yield tf


def _members(
    tf: tarfile.TarFile, where: str, on_error: OnError | None
) -> Iterator[tuple[tarfile.TarInfo, bytes | None]]:
    """Yield (member, data) for regular files (data None for the non-``.txt`` ones we skip
    reading), reporting skipped damaged blocks and a truncated or corrupt stream."""
    expected = 0
    last = "the start of the archive"
    it = iter(tf)
    while True:
        try:
            m = next(it)
        except StopIteration:
            return
        except _READ_ERRORS as e:
            _report(Problem(where, f"archive damaged after {last}; the rest is unreadable "
                            f"({type(e).__name__}: {e})", last), on_error)
            return
        if m.offset > expected:
            _report(Problem(where, f"{m.offset - expected} bytes of damaged data (a corrupt "
                            f"member header) skipped between {last} and {m.name}", m.name),
                    on_error)
        expected = tf.offset
        last = m.name
        if not m.isfile():
            continue
        if not _wanted(m.name):
            yield m, None
            continue
        try:
            fh = tf.extractfile(m)
            data = fh.read() if fh is not None else b""
            if len(data) != m.size:
                raise EOFError(f"{len(data)} of {m.size} bytes")
        except _READ_ERRORS as e:
            _report(Problem(where, f"archive damaged in this member; the rest is unreadable "
                            f"({type(e).__name__}: {e})", m.name), on_error)
            return
        yield m, data


def _wanted(name: str) -> bool:
    p = PurePosixPath(name)
    return p.suffix == ".txt" and p.parent.name.startswith("Session") or p.name == UNGDC_SPEAKERS


def _speakers_first(path: Path, where: str) -> dict[tuple[str, int, int], _Speaker] | None:
    """Stream the archive only as far as ``speakers_by_session.csv`` and parse it (None when
    there is none); other members are skipped, not decoded."""
    try:
        with _stream(path) as tf:
            for m in tf:
                if m.isfile() and PurePosixPath(m.name).name == UNGDC_SPEAKERS:
                    fh = tf.extractfile(m)
                    return _parse_speakers(fh.read() if fh else b"", f"{where}:{m.name}")
    except _READ_ERRORS:
        return None  # the main pass reports where the archive is damaged
    return None


def read_ungdc(
    path: str | Path,
    *,
    registry: Registry | str | Path | None = None,
    on_error: OnError | None = None,
    limit: int | None = None,
) -> Iterator[Document]:
    """Stream the UN General Debate corpus from its ``.tar.gz`` archive; yield one statement
    :class:`Document` per speech, in archive order.

    id ``<ISO3>_<session>_<year>``; ``country``, ``speaker_name`` (``Name of Person
    Speaking``) from ``speakers_by_session.csv`` (None when the speech has no row);
    ``speaker`` is the registry id when that name is a registry name or alias
    (``Vladimir Putin`` -> ``putin``), else None; ``date`` is None (the exact day is not in
    the corpus); ``meta``: ``session``, ``year``, ``iso3``, ``post``, ``member`` (path in the
    archive). The body is the speech with its paragraphs
    separated by a blank line (:func:`ungdc_body`). ``limit`` stops after that many speeches.

    Member order: the corpus archive stores ``speakers_by_session.csv`` *last*, after the
    10,953 speeches; holding speeches until it arrives would hold the corpus in memory. So a
    first pass streams the archive only up to that member (gzip decoding alone, about 1 s for
    this archive; nothing is decoded as text), then the second pass yields the speeches. If the
    CSV comes first, the first pass stops at once. Bad members (undecodable bytes, empty
    speech, damaged header, truncated archive) are skipped and reported to ``on_error`` or as
    :class:`SkippedRecordWarning` (module docstring). A path that is not a readable archive at
    all raises :class:`AnalysisError`.
    """
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise fail(path, "no such archive file")
    reg = as_registry(registry)
    try:
        with _stream(path):
            pass
    except _READ_ERRORS as e:
        raise fail(path, f"not a readable tar archive ({type(e).__name__}: {e})") from None
    speakers = _speakers_first(path, where)
    if speakers is None:
        _report(Problem(where, f"no {UNGDC_SPEAKERS} in the archive: speakers and countries "
                        "are unknown", UNGDC_SPEAKERS), on_error)
        speakers = {}
    n = 0
    with _stream(path) as tf:
        for m, data in _members(tf, where, on_error):
            if data is None or PurePosixPath(m.name).name == UNGDC_SPEAKERS:
                continue
            if limit is not None and n >= limit:
                return
            doc = _ungdc_document(m.name, data, where, speakers, reg, on_error)
            if doc is not None:
                n += 1
                yield doc


def _ungdc_document(
    name: str,
    data: bytes,
    where: str,
    speakers: dict[tuple[str, int, int], _Speaker],
    reg: Registry,
    on_error: OnError | None,
) -> Document | None:
    entry = name
    m = _SPEECH_NAME.match(PurePosixPath(name).name)
    if m is None:
        _report(Problem(where, "not a speech file (name is not <ISO3>_<session>_<year>.txt)",
                        entry), on_error)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        _report(Problem(where, f"not UTF-8 text: byte {data[e.start]:#04x} at offset "
                        f"{e.start}", entry), on_error)
        return None
    if "\x00" in text:
        _report(Problem(where, "binary data (NUL bytes), not a speech", entry), on_error)
        return None
    body = ungdc_body(text)
    if not body:
        _report(Problem(where, "empty speech", entry), on_error)
        return None
    iso3, session, year = m.group("iso3"), int(m.group("session")), int(m.group("year"))
    spk = speakers.get((iso3, session, year))
    name_ = spk.name if spk else None
    speaker = reg.lookup(name_) if name_ else None
    return Document(
        id=f"{iso3}_{session}_{year}",
        body=body,
        kind="statement",
        title=f"General Debate, session {session} ({year})",
        speaker=speaker,
        speaker_name=name_,
        country=spk.country if spk else None,
        source=f"{where}:{name}",
        meta={"session": session, "year": year, "iso3": iso3,
              "post": spk.post if spk else None, "member": name},
    )
