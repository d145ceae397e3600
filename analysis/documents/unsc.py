"""UN Security Council verbatim-record speeches, one speech a file.

As in the UP Multilayer UNSC Corpus (``<topic>/<meeting>/<meeting>_spchNNN.txt``). The file
starts with the record's heading, ``Ms. Power (United States of America): ...``,
``Mr. Churkin (Russian Federation) (spoke in Russian): ...`` or ``The President: ...``; the
heading names the speaker and is *not* part of the body. Lines are rejoined into paragraphs
by :func:`analysis.documents.layout.reflow`.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ..errors import AnalysisError, Problem, fail
from ..speakers import Registry, as_registry
from .actors import CHAIR, UN, SpeakerInfo, presiding_country, record_speaker
from .base import Document, OnError, decode_text
from .layout import record_words, reflow

__all__ = ["UNSC_METADATA", "Heading", "is_unsc_path", "parse_heading", "read_unsc"]

log = logging.getLogger(__name__)

#: The corpus' metadata table (dates and topics of the speeches).
UNSC_METADATA = "speeches_metadata_partial.tsv"

_LANG = r"(?:\s*\((?i:spoke in) (?P<lang>[A-Za-z]+)[^()]*\))?\s*:\s+"
# With a country: the name is anything up to the parenthesis (the records' OCR leaves
# "Mr. Liu J ieyi", "Mrs. ngu"); without one: capitalised words (and name particles) only.
_HEADING_COUNTRY = re.compile(
    r"(?P<name>[A-Z\u00C0-\u00DE][^():\n]{0,79}?)"
    r"\s*\((?!(?i:spoke in))(?P<country>[A-Z][^()]{1,79})\)" + _LANG
)


@cache
def _name_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(one name word, a heading without a country), built from the name particles of
    ``analysis/data/records.yml``."""
    particles = "|".join(re.escape(p) for p in record_words().name_particles)
    word = r"(?:[A-Z\u00C0-\u00DE][\w.'\u2019-]*|(?:" + particles + r")(?:-\w+)?)"
    bare = re.compile(r"(?P<name>" + word + r"(?: " + word + r"){1,7}?)" + _LANG)
    return re.compile(word), bare


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
    name_word, bare = _name_patterns()
    m = _HEADING_COUNTRY.match(text)
    if m is not None:
        words = m.group("name").split()
        # "Mr. Liu J ieyi", "Mrs. ngu" (OCR) have a title; "Sir Mark Lyall Grant" capitals
        if not (words[0].endswith(".") or all(name_word.fullmatch(w) for w in words)):
            m = None
    if m is None:
        m = bare.match(text)
    if m is None or len(m.group("name").split()) > 8:
        return None
    country = m.groupdict().get("country")
    return Heading(m.group("name").strip(), country.strip() if country else None,
                   m.group("lang"), m.end())


def meeting_symbol(basename: str) -> str:
    """Return the document symbol of a meeting's file base name.

    >>> meeting_symbol("UNSC_2014_SPV.7138")
    'S/PV.7138'
    >>> meeting_symbol("UNSC_2003_SPV.4726Resumption1")
    'S/PV.4726 (Resumption 1)'
    >>> meeting_symbol("UNSC_2020_SPV.2020_397")  # a letter holding a videoconference's statements
    'S/2020/397'
    """
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


def is_unsc_path(path: Path) -> bool:
    """Return True when ``path`` is a ``UNSC_*`` speech file or a folder holding one."""
    if path.is_file():
        return path.name.startswith("UNSC_")
    return path.is_dir() and next(iter(path.rglob("UNSC_*.txt")), None) is not None


def read_unsc(
    path: str | Path,
    *,
    registry: Registry | str | Path | None = None,
    metadata: str | Path | None = None,
    on_error: OnError | None = None,
) -> Iterator[Document]:
    """Yield one statement :class:`Document` per UN Security Council speech file under ``path``.

    ``path`` is a speech file or a folder (searched recursively for ``*.txt``). The id is the
    file stem; ``speaker`` is the registry actor of the heading's name (``registry``: a
    :class:`Registry` or its path; None: the built-in actors), else a recorded speaker
    (``araud-fra``, name as written, see :mod:`analysis.documents.actors`); a registered
    speaker's ``speaker_name`` is the registry name. ``country`` is the heading's
    parenthesised country as written, ``speaker_country`` its ISO3 code and
    ``affiliation`` its state. "The President" is the presiding member's state when one of
    the meeting's President speeches says which ("in my capacity as the representative of
    Luxembourg"), else the chair actor ``unsc-president`` (affiliated with ``un``). ``date`` and
    ``title`` come from ``speeches_metadata_partial.tsv`` (``metadata``; default: searched in
    ``path`` and the folders above it): the speech's own row, else another speech of the
    same meeting, else None. ``meta``: ``meeting`` (``S/PV.7138``), ``topic`` (the folder),
    ``spoke_in`` (None for English), ``heading`` (the name as written) and ``year``.

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
    yield from _presidents(docs, reg)


def is_president(head: Heading) -> bool:
    """Return True for the heading of the meeting's President (``The President:``)."""
    return head.name == "The President" or head.name.startswith("The President ")


def _presidents(docs: list[Document], reg: Registry) -> list[Document]:
    """Give the "The President" speeches of each meeting the presiding member's state, where
    one of them says which it is (:func:`~analysis.documents.actors.presiding_country`)."""
    chair = [d for d in docs if d.speaker == CHAIR]
    presiding: dict[object, str] = {}
    for d in chair:
        meeting = d.meta.get("meeting")
        if meeting not in presiding and (iso3 := presiding_country(d.body, reg)) is not None:
            presiding[meeting] = iso3
    if not presiding:
        return docs
    out = []
    for d in docs:
        iso3 = presiding.get(d.meta.get("meeting")) if d.speaker == CHAIR else None
        if iso3 is not None:
            state = reg.state_of(iso3) or iso3.lower()
            name = reg[state].name if state in reg else iso3
            d = replace(d, speaker=state, speaker_name=f"The President ({name})",
                        affiliation=state, speaker_country=iso3)
        out.append(d)
    return out


def _unsc_document(
    f: Path, reg: Registry, by_file: dict[str, _TsvRow], by_meeting: dict[str, _TsvRow]
) -> Document:
    try:
        raw = f.read_bytes()
    except OSError as e:
        raise fail(f, f"cannot be read ({e.strerror or e})") from None
    body = reflow(decode_text(raw, f))
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
    if is_president(head):
        who = SpeakerInfo(CHAIR, head.name, UN, None)  # until the meeting's record says more
    else:
        who = record_speaker(reg, head.name, head.country)
    year = re.match(r"UNSC_(\d{4})_", basename)
    topic = f.parent.parent.name if f.parent.name == basename else None
    return Document(
        id=f.stem,
        body=body,
        kind="statement",
        title=tsv.title if tsv else None,
        date=tsv.date if tsv else None,
        speaker=who.speaker,
        speaker_name=who.name,
        country=head.country,
        affiliation=who.affiliation,
        speaker_country=who.country,
        source=str(f),
        meta={
            "meeting": meeting_symbol(basename),
            "topic": topic,
            "spoke_in": head.spoke_in,
            "heading": head.name,
            "year": int(year.group(1)) if year else None,
        },
    )
