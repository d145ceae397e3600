"""Subsets of a corpus: by year range, country, speaker and kind, in every reader.

A :class:`Selection` is checked once (:func:`selection`, one :class:`AnalysisError` for every
bad value) and applied by the readers: the General Debate reader tests a speech's year and
country on its file name and its speaker on ``speakers_by_session.csv`` *before* reading its
text, so a selection from the archive decodes only the selected speeches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import AnalysisError, Problem
from ..schema import DOCUMENT_KINDS
from .base import Document

__all__ = ["Selection", "parse_years", "selection"]

_YEARS = re.compile(r"\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4})\s*)?\Z")


@dataclass(frozen=True)
class Selection:
    """Which documents to keep; a field left None keeps every document.

    ``years``: an inclusive range (a document without a year is left out); ``countries``:
    ISO3 codes of the state the speaker speaks for (``speaker_country``); ``speakers``: actor
    ids or names as the documents give them (case aside); ``kinds``: document kinds.
    """

    years: tuple[int, int] | None = None
    countries: frozenset[str] | None = None
    speakers: frozenset[str] | None = None
    kinds: frozenset[str] | None = None

    @property
    def empty(self) -> bool:
        """True when the selection keeps everything."""
        return self == Selection()

    def wants_year(self, year: int | None) -> bool:
        """Return True when a document of ``year`` may be kept."""
        if self.years is None:
            return True
        return year is not None and self.years[0] <= year <= self.years[1]

    def wants_country(self, iso3: str | None) -> bool:
        """Return True when a speaker speaking for ``iso3`` may be kept."""
        return self.countries is None or (iso3 is not None and iso3 in self.countries)

    def wants_speaker(self, speaker: str | None, name: str | None = None) -> bool:
        """Return True when the speaker (id, or name as written) may be kept."""
        if self.speakers is None:
            return True
        return any(v is not None and v.casefold() in self.speakers for v in (speaker, name))

    def wants_kind(self, kind: str) -> bool:
        """Return True when a document of ``kind`` may be kept."""
        return self.kinds is None or kind in self.kinds

    def wants(self, doc: Document) -> bool:
        """Return True when ``doc`` is in the selection."""
        return (self.wants_kind(doc.kind) and self.wants_year(doc.year)
                and self.wants_country(doc.speaker_country)
                and self.wants_speaker(doc.speaker, doc.speaker_name))


def _items(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def parse_years(value: str | int | tuple[int, int] | list[int], where: str = "years"
                ) -> tuple[int, int]:
    """Return the inclusive year range of ``value``: ``"2010-2016"``, ``"2016"``, ``2016``
    or ``[2010, 2016]``. Raises :class:`AnalysisError` naming ``where`` for anything else.

    >>> parse_years("2010-2016"), parse_years(2016)
    ((2010, 2016), (2016, 2016))
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, list | tuple) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        start, end = value
    elif isinstance(value, str) and (m := _YEARS.match(value)) is not None:
        start, end = int(m.group(1)), int(m.group(2) or m.group(1))
    else:
        raise AnalysisError([Problem(where, f"bad year range {value!r}; write a year (2016) "
                                     "or a range (2010-2016)")])
    if start > end:
        raise AnalysisError([Problem(where, f"bad year range {value!r}: {start} is after "
                                     f"{end}")])
    return start, end


def selection(
    *,
    years: str | int | tuple[int, int] | list[int] | None = None,
    countries: str | Iterable[str] | None = None,
    speakers: str | Iterable[str] | None = None,
    kinds: str | Iterable[str] | None = None,
    names: dict[str, str] | None = None,
    codes: Iterable[str] = (),
) -> Selection:
    """Return the :class:`Selection` of these values, checked: a bad year range, a country
    code that is not an ISO3 code of a current or former state, an unknown kind. Raises one
    :class:`AnalysisError` listing every problem, each naming its option (``names`` maps a
    field to the name to show, e.g. ``{"years": "--years"}``; ``codes``: further valid
    country codes, such as a registry's own states)."""
    from ..states import known_iso3

    extra = codes

    label = {"years": "years", "countries": "countries", "speakers": "speakers",
             "kinds": "kinds"} | (names or {})
    problems: list[Problem] = []
    span = None
    if years not in (None, ""):
        try:
            span = parse_years(years, label["years"])  # type: ignore[arg-type]
        except AnalysisError as e:
            problems.extend(e.problems)
    wanted = _items(countries)
    if wanted is not None:
        wanted = [c.upper() for c in wanted]
        valid = known_iso3() | {str(c).upper() for c in extra}
        unknown = [c for c in wanted if c not in valid]
        for c in unknown:
            problems.append(Problem(label["countries"], f"unknown country code {c!r}; give "
                                    "ISO 3166 alpha-3 codes such as USA,RUS,UKR"))
    kind_list = _items(kinds)
    for k in kind_list or []:
        if k not in DOCUMENT_KINDS:
            problems.append(Problem(label["kinds"], f"unknown kind {k!r}; valid kinds: "
                                    f"{list(DOCUMENT_KINDS)}"))
    if problems:
        raise AnalysisError(problems)
    who = _items(speakers)
    return Selection(
        years=span,
        countries=frozenset(wanted) if wanted else None,
        speakers=frozenset(s.casefold() for s in who) if who else None,
        kinds=frozenset(kind_list) if kind_list else None,
    )
