"""A corpus from a table: one document per row of a CSV, TSV, JSONL or Parquet file.

As readtext/quanteda make a corpus from a data frame. The columns are mapped by
:class:`TableColumns` (on the command line ``--text-column``, ``--id-column``,
``--date-column``, ``--speaker-column``, ``--kind-column``, ``--title-column``,
``--outlet-column``, ``--country-column``); a column left unmapped is used when the table has
one of that name (``text``, ``id``, ``date``, ``speaker``, ``kind``, ``title``, ``outlet``,
``country``). Other columns go to the document's ``meta``.

* text: required; a table without a text mapping and without a ``text`` column is an error
  that lists the columns found (a table is never read as one text);
* id: unique (default ``<file stem>-<row>``); date: ISO 8601 (``2016-09-17``) or a year
  (``2016``); kind: ``report`` (default) or ``statement``; a statement needs a speaker;
* speaker: a registry id, name or alias, else a speaker named as written (its id made from
  the name, :func:`analysis.documents.actors.person_id`); country: the ISO3 code or name of
  the state the speaker speaks for (``speaker_country``).

Rows are numbered from 1, the header not counted. Every bad row is reported, by row number
and column, in one :class:`~analysis.errors.AnalysisError`. Line endings in the text are
normalised as in every reader.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..errors import AnalysisError, Problem, fail, short
from ..schema import DOCUMENT_KINDS
from ..speakers import Registry, as_registry
from .actors import country_iso3, person_id
from .base import Document, normalize_newlines

__all__ = ["TABLE_SUFFIXES", "TableColumns", "is_table_path", "read_table"]

#: File name endings read as tables, and their format.
TABLE_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl",
                  ".ndjson": "jsonl", ".parquet": "parquet"}
_YEAR = re.compile(r"\d{4}\Z")


@dataclass(frozen=True)
class TableColumns:
    """Which column holds what; None: the column of the field's own name, if any."""

    text: str | None = None
    id: str | None = None
    date: str | None = None
    speaker: str | None = None
    kind: str | None = None
    title: str | None = None
    outlet: str | None = None
    country: str | None = None

    @classmethod
    def of(cls, mapping: dict[str, Any] | None) -> TableColumns:
        """Return the mapping ``{"text": "body", ...}`` (keys with or without ``_column``)
        as :class:`TableColumns`; an unknown key raises :class:`AnalysisError`."""
        if not mapping:
            return cls()
        valid = [f.name for f in fields(cls)]
        out: dict[str, str] = {}
        problems = []
        for key, value in mapping.items():
            name = str(key).removesuffix("_column")
            if name not in valid:
                problems.append(Problem(str(key), "unknown column mapping; valid: "
                                        f"{[f'{v}_column' for v in valid]}"))
            elif value not in (None, ""):
                out[name] = str(value)
        if problems:
            raise AnalysisError(problems)
        return cls(**out)

    @property
    def given(self) -> bool:
        """True when any column is mapped."""
        return self != TableColumns()


def is_table_path(path: Path) -> bool:
    """Return True when ``path`` is named like a table file (see :data:`TABLE_SUFFIXES`)."""
    return path.suffix.lower() in TABLE_SUFFIXES


def _rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """(columns, (row number, values)) of the table at ``path``."""
    fmt = TABLE_SUFFIXES[path.suffix.lower()]
    if fmt == "jsonl":
        return _jsonl(path)
    import pandas as pd

    try:
        if fmt == "parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, sep="," if fmt == "csv" else "\t", dtype=str,
                                keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise fail(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    except Exception as e:  # noqa: BLE001 - pandas/pyarrow parse errors, reported whole
        raise fail(path, f"cannot be read as {fmt.upper()} ({type(e).__name__}: "
                   f"{short(str(e), 300)})") from None
    columns = [str(c) for c in frame.columns]
    frame.columns = columns
    records = frame.to_dict(orient="records")
    return columns, ((n, r) for n, r in enumerate(records, 1))


def _jsonl(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise fail(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    columns: dict[str, None] = {}
    n = 0
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        n += 1
        try:
            value = json.loads(line)
        except ValueError as e:
            problems.append(Problem(str(path), f"not JSON ({e})", f"row {n} (line {line_no})"))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(str(path), "a row is a JSON object of column: value",
                                    f"row {n} (line {line_no})"))
            continue
        columns.update(dict.fromkeys(map(str, value)))
        rows.append((n, {str(k): v for k, v in value.items()}))
    if problems:
        raise AnalysisError(problems)
    return list(columns), iter(rows)


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: object) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).strip() if not isinstance(value, str) else value.strip()


def _date(value: object) -> tuple[dt.date | None, int | None]:
    """(date, year) of a cell; raises ValueError for anything that is not a date."""
    if isinstance(value, dt.datetime):
        return value.date(), value.year
    if isinstance(value, dt.date):
        return value, value.year
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        d = value.to_pydatetime().date()  # type: ignore[union-attr]
        return d, d.year
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return None, value
    text = str(value).strip()
    if _YEAR.match(text):
        return None, int(text)
    d = dt.date.fromisoformat(text[:10] if len(text) > 10 and text[10] in "T " else text)
    return d, d.year


def read_table(
    path: str | Path,
    *,
    registry: Registry | str | Path | None = None,
    columns: TableColumns | None = None,
) -> list[Document]:
    """Return one :class:`Document` per row of the table file ``path`` (see the module
    docstring for the columns and the rules). Raises :class:`AnalysisError` listing every
    problem: a mapped column the table lacks (with the columns found), no text column, and
    every bad row (empty text, duplicate id, bad date or kind, a statement without speaker).
    """
    path = Path(path)
    if not path.is_file():
        raise fail(path, "no such table file")
    reg = as_registry(registry)
    cols = columns or TableColumns()
    found, rows = _rows(path)
    use: dict[str, str] = {}
    problems: list[Problem] = []
    for f in fields(TableColumns):
        wanted = getattr(cols, f.name)
        if wanted is not None:
            if wanted not in found:
                problems.append(Problem(str(path), f"no column {wanted!r} for the {f.name} "
                                        f"(--{f.name}-column); the table's columns: {found}"))
            else:
                use[f.name] = wanted
        elif f.name in found:
            use[f.name] = f.name
    if "text" not in use and cols.text is None:
        problems.append(Problem(str(path), "no text column: name the column that holds the "
                                f"text with --text-column (or text_column); the table's "
                                f"columns: {found}"))
    if problems:
        raise AnalysisError(problems)
    mapped = set(use.values())
    docs: list[Document] = []
    seen: dict[str, int] = {}
    for n, row in rows:
        where = f"row {n}"
        doc_id = _text(row.get(use["id"])) if "id" in use else f"{path.stem}-{n}"
        label = f"{where} (id {doc_id!r})" if "id" in use and doc_id else where
        bad = len(problems)

        def problem(column: str, message: str, label: str = label) -> None:
            problems.append(Problem(str(path), message, f"{label}: {column}"))

        body = row.get(use["text"])
        if _missing(body) or not isinstance(body, str):
            problem(use["text"], "empty text" if _missing(body) else
                    f"the text must be a string, not {short(body)}")
        if doc_id is None:
            problem(use["id"], "missing id")
        elif doc_id in seen:
            problem(use["id"], f"duplicate id {doc_id!r} (also row {seen[doc_id]})")
        else:
            seen[doc_id] = n
        date, year = None, None
        if "date" in use and not _missing(row.get(use["date"])):
            try:
                date, year = _date(row[use["date"]])
            except (TypeError, ValueError):
                problem(use["date"], f"bad date {short(row[use['date']])}; write it as ISO "
                        "8601 (2016-09-17) or a year (2016)")
        kind = _text(row.get(use["kind"])) if "kind" in use else None
        kind = kind or "report"
        if kind not in DOCUMENT_KINDS:
            problem(use["kind"], f"unknown kind {kind!r}; valid kinds: {list(DOCUMENT_KINDS)}")
        who = _text(row.get(use["speaker"])) if "speaker" in use else None
        if kind == "statement" and who is None:
            problem(use.get("speaker", "speaker"), "a statement needs a speaker")
        if len(problems) > bad:
            continue
        country = _text(row.get(use["country"])) if "country" in use else None
        iso3 = None
        if country is not None:
            iso3 = country.upper() if len(country) == 3 and country.isalpha() else (
                country_iso3(reg, country))
        speaker, name, affiliation = None, None, None
        if who is not None:
            speaker = (who if who in reg else None) or reg.lookup(who) or reg.lookup_folded(who)
            if speaker is not None:
                name, affiliation = reg[speaker].name, reg.affiliation_of(speaker)
                iso3 = iso3 or reg.country_of(speaker)
            else:
                speaker, name = person_id(who, iso3), who
                affiliation = reg.state_of(iso3) or country
        meta: dict[str, object] = {"row": n}
        if year is not None and date is None:  # a year alone
            meta["year"] = year
        meta.update({k: v for k, v in row.items() if k not in mapped})
        docs.append(Document(
            id=str(doc_id), body=normalize_newlines(str(body)), kind=kind,
            title=_text(row.get(use["title"])) if "title" in use else None, date=date,
            outlet=_text(row.get(use["outlet"])) if "outlet" in use else None,
            speaker=speaker, speaker_name=name, country=country, affiliation=affiliation,
            speaker_country=iso3, source=str(path), meta=meta))
    if problems:
        raise AnalysisError(problems)
    return docs
