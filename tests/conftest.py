"""Shared fixtures: the project root, the real corpora in ../shared (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED_CORPORA = ROOT.parent / "shared" / "corpora"


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
