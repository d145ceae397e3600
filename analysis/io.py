"""Writing tables and files whole or not at all.

Every output of the project goes through :func:`atomic_write` (a temporary file in the
target folder, then a rename), so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pandas as pd
import yaml

from .errors import fail

TABLE_FORMATS = ("csv", "jsonl", "table")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", **kwargs: object) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it to ``path``.

    On an exception the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give outputs the usual mode
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:  # type: ignore[call-overload]
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def parse_yaml(text: str, where: str | Path) -> object:
    """Return the data of YAML ``text``; bad YAML raises :class:`AnalysisError` naming
    ``where`` and the line."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        raise fail(str(where), f"invalid YAML: {problem}",
                   f"line {mark.line + 1}" if mark else None) from None


def read_yaml(path: str | Path, *, what: str = "file") -> object:
    """Read and parse a YAML file; return its data.

    A missing file, bytes that are not UTF-8, or bad YAML raise :class:`AnalysisError`
    naming the file (``what`` says what it should have been: "registry file", ...).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise fail(path, f"{what} not found") from None
    except UnicodeDecodeError as e:
        raise fail(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    return parse_yaml(text, path)


def write_table(frame: pd.DataFrame, path: str | Path | None = None, *, fmt: str = "csv") -> None:
    """Write ``frame`` as ``csv``, ``jsonl`` (one JSON record per line, nulls as null) or an
    aligned plain-text ``table``, to ``path`` (atomically) or to standard output."""
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; valid: {list(TABLE_FORMATS)}")
    if fmt == "csv":
        text = frame.to_csv(index=False, lineterminator="\n")
    elif fmt == "jsonl":
        text = frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
        text = text if text.endswith("\n") or not text else text + "\n"
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.max_colwidth", 60):
            text = frame.to_string(index=False) + "\n"
    if path is None:
        sys.stdout.write(text)
    else:
        with atomic_write(path, encoding="utf-8", newline="") as fh:
            fh.write(text)
