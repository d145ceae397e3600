"""Every packaged data file, loaded once; and the offline NLTK data folder.

This is the one module that opens the files under ``analysis/data/`` (cue verbs, framing
codebook, abbreviations, participles, ...): :func:`packaged` reads one, validates it against
its schema (:mod:`analysis.schema`) and caches the result for the process. Nothing outside the
installed package is a default here: the repository's ``corpus/`` and ``tests/`` are inputs
that callers pass, never fallbacks.

Offline language resources: the project-local NLTK data folder.

Nothing here touches the network. VADER's lexicon is taken from the ``vaderSentiment``
package (MIT licence), which pip installs from the package registry, and zipped into
``<data root>/sentiment/vader_lexicon.zip``, the layout NLTK expects. The data root is put
*first* on ``nltk.data.path`` so that results are the same whether or not a user also has
the official NLTK data installed.

The root is ``$ANALYSIS_NLTK_DATA`` if set, else ``<sys.prefix>/share/discourse-analysis/
nltk_data`` (inside the virtual environment that ``make`` builds). It is built by ``make``
at setup (``python -m analysis setup``) and, should it be missing, on first use.
"""

from __future__ import annotations

import hashlib
import os
import sys
import zipfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def data_path(name: str) -> Path:
    """Return the path of the packaged data file ``analysis/data/NAME.yml`` (``name`` may
    also carry its own suffix, ``"abbreviations.yml"``)."""
    file = name if "." in name else f"{name}.yml"
    return Path(str(resources.files("analysis").joinpath("data", file)))


@cache
def packaged(name: str, schema: Any) -> Any:
    """Return the packaged data file ``name`` validated as ``schema`` (read once per process).

    ``packaged("cues", CuesFile)`` reads ``analysis/data/cues.yml``. A damaged file raises
    :class:`~analysis.errors.AnalysisError` naming the file, line and entry.
    """
    from .schema import load_yaml_file

    return load_yaml_file(data_path(name), schema, what="packaged data file")


VADER_MEMBER = "vader_lexicon/vader_lexicon.txt"
#: NLTK resource name of the lexicon, relative to a data root.
VADER_RESOURCE = "sentiment/vader_lexicon.zip/" + VADER_MEMBER


def nltk_data_root() -> Path:
    """Return the project-local NLTK data folder (not necessarily built yet)."""
    env = os.environ.get("ANALYSIS_NLTK_DATA")
    if env:
        return Path(env)
    return Path(sys.prefix) / "share" / "discourse-analysis" / "nltk_data"


def _vader_source() -> bytes:
    return resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_bytes()


def build_nltk_data(root: Path | None = None) -> Path:
    """Build ``sentiment/vader_lexicon.zip`` under ``root`` (idempotent, byte-reproducible).

    Returns the path of the zip. The zip is rewritten only when its content differs from
    the lexicon that the installed ``vaderSentiment`` ships, and it is written whole
    (temporary file, then rename).
    """
    root = nltk_data_root() if root is None else root
    target = root / "sentiment" / "vader_lexicon.zip"
    data = _vader_source()
    if target.exists():
        try:
            with zipfile.ZipFile(target) as zf:
                if zf.read(VADER_MEMBER) == data:
                    return target
        except (zipfile.BadZipFile, KeyError):
            pass
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".zip.tmp")
    info = zipfile.ZipInfo(VADER_MEMBER, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(tmp, "w") as zf:
        zf.writestr(info, data)
    os.replace(tmp, target)
    return target


@cache
def ensure_nltk_data() -> Path:
    """Make sure the project's NLTK data root exists and comes first on ``nltk.data.path``.

    Returns the root. Safe to call many times; the work is done once per process.
    """
    import nltk

    root = nltk_data_root()
    build_nltk_data(root)
    path = str(root)
    if path in nltk.data.path:
        nltk.data.path.remove(path)
    nltk.data.path.insert(0, path)
    return root


def vader_lexicon_sha256() -> str:
    """Return the SHA-256 of the VADER lexicon in use (recorded in reports for provenance)."""
    return hashlib.sha256(_vader_source()).hexdigest()


# ---- what this package is: a digest of its version, code and data ------------------------------

#: Libraries whose version, besides the package's own code and data, enters
#: :func:`package_digest` (the numbers they compute are part of the results).
DIGEST_LIBRARIES = ("nltk", "textblob", "pandas", "numpy")


def digest_file(h: Any, path: Path) -> None:
    """Feed the bytes of ``path`` to the hash ``h`` (an unreadable file feeds its error's
    name, so a digest still changes with it). Returns nothing."""
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    except OSError as e:  # the reader reports it; the key still changes with it
        h.update(f"\0error {type(e).__name__}".encode())


@cache
def package_digest() -> str:
    """Return the SHA-256 (hex) of this package's version, every file of its code and data,
    and the versions of :data:`DIGEST_LIBRARIES`: what keys the report's cache and marks
    which analysis wrote a partition of a pipeline run. Computed once per process (the code
    of a running process does not change)."""
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__

    h = hashlib.sha256(f"analysis {__version__}".encode())
    for lib in DIGEST_LIBRARIES:
        try:
            h.update(f"\0{lib} {version(lib)}".encode())
        except PackageNotFoundError:
            h.update(f"\0{lib} -".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(b"\1" + path.relative_to(package).as_posix().encode())
            digest_file(h, path)
    return h.hexdigest()
