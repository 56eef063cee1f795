"""Shared fixtures: copies of the sample data and a digest of an output tree."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RAW = REPO / "data" / "raw"


@pytest.fixture
def sample_data(tmp_path):
    """Copy sample years from ``data/raw`` into ``tmp_path/data``; return that root.

    Call as ``sample_data(2025)`` or ``sample_data(2024, 2025)``. The repository's raw
    data is never touched: tests edit the copies.
    """

    def copy(*years: int) -> Path:
        root = tmp_path / "data"
        for year in years:
            shutil.copytree(SAMPLE_RAW / str(year), root / str(year))
        return root

    return copy


def digest_tree(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``, keyed by relative path."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(root).rglob("*")) if p.is_file()}


@pytest.fixture
def tree_digest():
    """The function ``digest_tree(root) -> {relative path: sha256}``."""
    return digest_tree
