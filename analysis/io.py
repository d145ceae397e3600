"""Files: where the project is, reading YAML, writing tables and files whole or not at all.

Every output of the project goes through :func:`atomic_write` (a temporary file in the
target folder, then a rename), so an interrupted run never leaves half a file. Relative
paths in parameters resolve from :func:`project_root`, whichever folder a process starts in.
This module imports no pandas until a table is written, so the commands that only read
parameters or YAML (the report runner's checks, ``corpus`` on a small folder) start quickly.
YAML is composed with its node tree (:func:`compose_yaml`) so that :mod:`analysis.schema`
can name lines, and aliases that would expand past :data:`MAX_YAML_VALUES` are refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING

import yaml

from .errors import fail

if TYPE_CHECKING:
    import pandas as pd

TABLE_FORMATS = ("csv", "jsonl", "table")


@cache
def project_root() -> Path:
    """Return the project's root folder (the one holding ``pyproject.toml``).

    Relative paths in parameters resolve from here, whichever folder a kernel starts in.
    """
    here = Path(__file__).resolve().parent.parent
    if (here / "pyproject.toml").is_file():
        return here
    for folder in [Path.cwd(), *Path.cwd().parents]:  # pragma: no cover - installed copy
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
            return folder
    return here  # pragma: no cover


def resolve_path(path: str | Path) -> Path:
    """Return ``path`` with ``~`` expanded, relative paths taken from :func:`project_root`."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else project_root() / p


def display_path(path: str | Path) -> str:
    """Return ``path`` relative to the project root when inside it (for stable outputs).

    >>> display_path(project_root() / "figures" / "comparison.png")
    'figures/comparison.png'
    """
    p = Path(path)
    try:
        return p.resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return str(p)


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


#: PyYAML's safe loader, in C (libyaml) when the installed PyYAML has it: the same data,
#: about ten times faster (the codebook alone takes 0.1 s to parse in Python).
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> object:
    """Return the data of YAML ``text`` (safe loading: plain data only); bad YAML raises
    ``yaml.YAMLError``. See :func:`parse_yaml` for errors that name the file."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader


#: The most values one YAML document may hold once its aliases (``&a`` ... ``*a``) are
#: expanded: a small file can otherwise stand for billions of values (an "alias bomb").
MAX_YAML_VALUES = 1_000_000


def _expanded_size_exceeds(node: yaml.Node, limit: int) -> bool:
    """Return True when ``node`` expands to more than ``limit`` values (aliases counted each
    time they are used); stops counting at the limit, so a bomb costs no more than that."""
    stack, seen = [node], 0
    while stack:
        n = stack.pop()
        seen += 1
        if seen > limit:
            return True
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))
    return False


def compose_yaml(
    text: str, where: str | Path, *, loader: type = SafeLoader
) -> tuple[object, yaml.Node | None]:
    """Return ``(data, node)`` of YAML ``text``: the plain data and the node tree it was built
    from (the node tree knows every value's line; :mod:`analysis.schema` uses it to name lines).

    Bad YAML, or aliases that expand to more than :data:`MAX_YAML_VALUES` values, raise
    :class:`AnalysisError` naming ``where`` and the line.
    """
    try:
        ld = loader(text)
        try:
            node = ld.get_single_node()
            if node is not None and _expanded_size_exceeds(node, MAX_YAML_VALUES):
                raise fail(str(where), f"YAML aliases expand to more than {MAX_YAML_VALUES:,} "
                           "values; write the values out instead of nesting aliases",
                           f"line {node.start_mark.line + 1}")
            data = None if node is None else ld.construct_document(node)
        finally:
            getattr(ld, "dispose", lambda: None)()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        raise fail(str(where), f"invalid YAML: {problem}",
                   f"line {mark.line + 1}" if mark else None) from None
    return data, node


def parse_yaml(text: str, where: str | Path, *, loader: type = SafeLoader) -> object:
    """Return the data of YAML ``text``; bad YAML raises :class:`AnalysisError` naming
    ``where`` and the line (see :func:`compose_yaml`)."""
    return compose_yaml(text, where, loader=loader)[0]


def read_text(path: str | Path, *, what: str = "file") -> str:
    """Return the UTF-8 text of ``path``. A missing file or bytes that are not UTF-8 raise
    :class:`AnalysisError` naming the file (``what`` says what it should have been)."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise fail(path, f"{what} not found") from None
    except PermissionError:
        raise fail(path, f"{what} cannot be read (permission denied)") from None
    except UnicodeDecodeError as e:
        raise fail(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None


def read_yaml(path: str | Path, *, what: str = "file") -> object:
    """Read and parse a YAML file; return its data.

    A missing file, bytes that are not UTF-8, or bad YAML raise :class:`AnalysisError`
    naming the file (``what`` says what it should have been: "registry file", ...).
    """
    return parse_yaml(read_text(path, what=what), path)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Return the rows of ``frame`` as dicts of plain values, missing values as None."""
    plain = frame.astype(object)
    return plain.where(frame.notna(), None).to_dict(orient="records")


def _json_value(value: object) -> object:
    """JSON form of what :mod:`json` does not know: numpy scalars, dates and timestamps."""
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    if hasattr(value, "item"):
        return value.item()  # type: ignore[union-attr]
    return str(value)


def write_table(frame: pd.DataFrame, path: str | Path | None = None, *, fmt: str = "csv") -> None:
    """Write ``frame`` as ``csv``, ``jsonl`` (one JSON record per line, nulls as null) or an
    aligned plain-text ``table``, to ``path`` (atomically) or to standard output.

    Numbers are written in full (the shortest text that reads back as the same float), so
    exported scores equal the libraries' values.
    """
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; valid: {list(TABLE_FORMATS)}")
    import pandas as pd

    if fmt == "csv":
        text = frame.to_csv(index=False, lineterminator="\n")
    elif fmt == "jsonl":
        text = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":"),
                                  default=_json_value) + "\n" for r in _records(frame))
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200, "display.max_colwidth", 60):
            text = frame.to_string(index=False) + "\n"
    if path is None:
        sys.stdout.write(text)
    else:
        with atomic_write(path, encoding="utf-8", newline="") as fh:
            fh.write(text)
