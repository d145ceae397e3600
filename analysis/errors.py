"""The project's one exception type for bad input.

Every loader (documents, registry, codebook, parameters) reports what is wrong as
:class:`Problem` records (file, entry or line, message) and raises them together as one
:class:`AnalysisError`, so that a folder with several bad files reports all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input.

    ``where`` is the file (or parameter name); ``entry`` narrows it down: a line number,
    a registry id, a codebook category, a front-matter key.
    """

    where: str
    message: str
    entry: str | None = None

    def __str__(self) -> str:
        loc = self.where if self.entry is None else f"{self.where}: {self.entry}"
        return f"{loc}: {self.message}"


class AnalysisError(ValueError):
    """Bad input: a malformed document, registry, codebook or parameter.

    ``problems`` lists every problem found; ``str(error)`` prints one per line, each naming
    the file and entry at fault.
    """

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("input", problems)]
        self.problems: list[Problem] = list(problems)
        n = len(self.problems)
        head = "1 problem" if n == 1 else f"{n} problems"
        super().__init__(f"{head}:\n" + "\n".join(f"  {p}" for p in self.problems))


def short(value: object, limit: int = 200) -> str:
    """Return ``repr(value)`` cut to about ``limit`` characters (for values shown in errors).

    >>> short("x" * 500)[-24:]
    "... (502 characters)"
    """
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def fail(where: str | Path, message: str, entry: str | int | None = None) -> AnalysisError:
    """Return an :class:`AnalysisError` for a single problem (to ``raise``)."""
    return AnalysisError([Problem(str(where), message, None if entry is None else str(entry))])
