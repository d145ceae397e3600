"""The UN General Debate Corpus, streamed from its ``.tar.gz`` archive.

``ungdc/TXT/Session NN - YYYY/<ISO3>_<session>_<year>.txt`` plus
``ungdc/speakers_by_session.csv``, read without unpacking the archive and without holding it
in memory.

Skipping bad input: :func:`read_ungdc` never stops on one bad member: an undecodable or empty
speech, a file name that is not a speech, a damaged member header or a truncated archive is
reported as a :class:`~analysis.errors.Problem` (file and reason) to ``on_error`` and skipped.
Pass ``on_error=skipped.append`` to collect them in a list; without ``on_error`` each one is
issued as a :class:`~analysis.documents.base.SkippedRecordWarning` (``warnings``).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import logging
import re
import tarfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Problem, fail
from ..speakers import Registry, as_registry
from .actors import SpeakerInfo, record_speaker
from .base import Document, OnError, report_skipped
from .layout import ungdc_body
from .select import Selection

__all__ = ["UNGDC_SPEAKERS", "is_archive_path", "read_ungdc"]

log = logging.getLogger(__name__)

#: The archive member that names each speech's speaker and country.
UNGDC_SPEAKERS = "speakers_by_session.csv"
#: File name endings read as a General Debate archive.
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar")


def is_archive_path(path: Path) -> bool:
    """Return True when ``path`` is named like a (General Debate) tar archive."""
    return path.name.endswith(ARCHIVE_SUFFIXES)


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
    report_skipped(problem, on_error)


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
    tf: tarfile.TarFile, where: str, on_error: OnError | None,
    want: Callable[[str], bool] | None = None,
) -> Iterator[tuple[tarfile.TarInfo, bytes | None]]:
    """Yield (member, data) for regular files (data None for the non-``.txt`` ones and for
    those ``want`` turns down: their bytes are skipped, never read), reporting skipped
    damaged blocks and a truncated or corrupt stream."""
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
        if not _wanted(m.name) or (want is not None and not want(m.name)):
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
    select: Selection | None = None,
) -> Iterator[Document]:
    """Stream the UN General Debate corpus from its ``.tar.gz`` archive; yield one statement
    :class:`Document` per speech, in archive order.

    id ``<ISO3>_<session>_<year>``; ``country``, ``speaker_name`` (``Name of Person
    Speaking``) from ``speakers_by_session.csv`` (None when the speech has no row);
    ``speaker`` is the registry actor that name names (``Vladimir Putin`` -> ``putin``),
    else a recorded speaker (``barack-obama-usa``, :mod:`analysis.documents.actors`), else
    (no row) the state itself; ``speaker_country`` is the file name's code (None for the
    EU) and ``affiliation`` its state. ``date`` is None (the day is not in the corpus; the
    year is ``meta["year"]`` and :attr:`Document.iso_date`); ``meta``: ``session``,
    ``year``, ``iso3``, ``post``, ``member`` (path in the archive). The body is the speech
    with its paragraphs separated by a blank line (:func:`ungdc_body`). ``limit`` stops after
    that many speeches. ``select`` keeps the speeches of a :class:`Selection`, tested on the
    member's name and the speakers table before its text is read.

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
    who = _Speakers(speakers, reg)
    want = None if select is None or select.empty else (lambda name: who.wanted(name, select))
    n = 0
    with _stream(path) as tf:
        for m, data in _members(tf, where, on_error, want):
            if data is None or PurePosixPath(m.name).name == UNGDC_SPEAKERS:
                continue
            if limit is not None and n >= limit:
                return
            doc = _ungdc_document(m.name, data, where, who, on_error)
            if doc is not None:
                n += 1
                yield doc


class _Speakers:
    """Who speaks in each speech, from ``speakers_by_session.csv`` and the registry (each
    worked out once)."""

    def __init__(self, rows: dict[tuple[str, int, int], _Speaker], reg: Registry) -> None:
        self.rows, self.reg = rows, reg
        self._info: dict[tuple[str, int, int], SpeakerInfo] = {}

    def row(self, key: tuple[str, int, int]) -> _Speaker | None:
        return self.rows.get(key)

    def info(self, key: tuple[str, int, int]) -> SpeakerInfo:
        if key not in self._info:
            spk = self.rows.get(key)
            code = key[0] if len(key[0]) == 3 else None
            self._info[key] = record_speaker(self.reg, spk.name if spk else None,
                                             spk.country if spk else None, iso3=code)
        return self._info[key]

    def wanted(self, member: str, select: Selection) -> bool:
        """Whether the speech ``member`` is in ``select`` (other members are kept, so that
        a file that is not a speech is still reported)."""
        m = _SPEECH_NAME.match(PurePosixPath(member).name)
        if m is None:
            return True
        key = (m.group("iso3"), int(m.group("session")), int(m.group("year")))
        if not (select.wants_kind("statement") and select.wants_year(key[2])):
            return False
        who = self.info(key)
        return select.wants_country(who.country) and select.wants_speaker(who.speaker,
                                                                          who.name)


def _ungdc_document(
    name: str,
    data: bytes,
    where: str,
    who: _Speakers,
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
    spk = who.row((iso3, session, year))
    info = who.info((iso3, session, year))
    return Document(
        id=f"{iso3}_{session}_{year}",
        body=body,
        kind="statement",
        title=f"General Debate, session {session} ({year})",
        speaker=info.speaker,
        speaker_name=info.name,
        country=spk.country if spk else None,
        affiliation=info.affiliation,
        speaker_country=info.country,
        source=f"{where}:{name}",
        meta={"session": session, "year": year, "iso3": iso3,
              "post": spk.post if spk else None, "member": name},
    )
