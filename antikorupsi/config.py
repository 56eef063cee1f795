"""Default paths, relative to the working directory (the project root when run from it)."""

from __future__ import annotations

from pathlib import Path

DATA_RAW = Path("data/raw")
DATA_PROCESSED = Path("data/processed")
REPORTS = Path("reports")
NOTEBOOKS = Path("notebooks")
SCENARIOS = Path("skenario")
