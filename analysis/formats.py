"""The figure formats the project writes, checked without importing matplotlib.

:mod:`analysis.figures` draws and saves (and re-exports both names); the report runner
checks a ``figure_formats`` parameter with :func:`check_formats` before it starts any kernel,
so it need not load the plotting libraries first.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import fail

#: Formats :func:`analysis.figures.save_figure` can write deterministically.
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")


def check_formats(formats: Iterable[str], *, parameter: str = "formats") -> tuple[str, ...]:
    """Return ``formats`` as a tuple, or raise AnalysisError naming ``parameter`` and listing
    the valid choices (:data:`FIGURE_FORMATS`).

    >>> check_formats(["png", "svg"])
    ('png', 'svg')
    """
    if isinstance(formats, str):
        formats = [formats]
    out = tuple(formats)
    bad = [f for f in out if f not in FIGURE_FORMATS]
    if bad or not out:
        raise fail(parameter, f"unknown figure format {', '.join(map(repr, bad)) or '(none)'}; "
                   f"valid choices: {list(FIGURE_FORMATS)}")
    return out
