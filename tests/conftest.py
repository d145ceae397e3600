"""Shared fixtures: the project root, the real corpora in ../shared (skipped when absent)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED_CORPORA = ROOT.parent / "shared" / "corpora"
#: The project's actor registry (passed explicitly: library calls default to built-in actors).
PROJECT_REGISTRY = ROOT / "corpus" / "speakers.yml"


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """``../shared/corpora``; the test is skipped when it is not there (a user's machine)."""
    if not (SHARED_CORPORA / "README.md").is_file():
        pytest.skip(f"real corpora not available: {SHARED_CORPORA} is absent (only on the "
                    "developers' and CI machines)")
    return SHARED_CORPORA


def tar_bytes(members: list[tuple[str, bytes]], *, corrupt: str | None = None) -> bytes:
    """Return an (uncompressed) tar archive of ``(name, data)`` members, for archive tests.

    ``corrupt``: a member name whose header checksum is broken, as in a damaged download.
    """
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    out = bytearray(raw.getvalue())
    if corrupt is not None:
        at = out.index(corrupt.encode())
        at -= at % 512
        out[at + 148] ^= 0x07  # a byte of the header's checksum field
    return bytes(out)
