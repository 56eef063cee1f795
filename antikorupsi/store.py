"""The disk edge of the scored data: write ``data/processed/<year>/`` atomically, read it back.

Outputs are byte-identical for identical inputs: no timestamps, stable row order, fixed
float formatting, and a manifest recording the SHA-256 of every input, the framework
(id, version, hash) and the package version.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from . import __version__
from .framework import parse_framework
from .scoring import Assessment

__all__ = ["write_assessment", "read_assessment", "read_manifest", "TABLES", "file_sha256"]

TABLES = {"hasil_wilayah": "results", "skor_indikator": "indicators",
          "skor_komponen": "components", "penyaringan": "screening"}
FRAMEWORK_COPY = "kerangka.yaml"


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _frame(a: Assessment, attr: str) -> pd.DataFrame:
    df = getattr(a, attr)
    return df.reset_index() if attr == "components" else df


def write_assessment(a: Assessment, out_dir: str | Path, framework_bytes: bytes,
                     input_root: str | Path | None = None) -> Path:
    """Write an assessment to ``out_dir`` (replacing it only once everything is written)."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        outputs = {}
        for name, attr in TABLES.items():
            df = _frame(a, attr)
            df.to_parquet(tmp / f"{name}.parquet", index=False)
            df.to_csv(tmp / f"{name}.csv", index=False, float_format="%.10g",
                      lineterminator="\n")
            for ext in ("parquet", "csv"):
                outputs[f"{name}.{ext}"] = file_sha256(tmp / f"{name}.{ext}")
        (tmp / FRAMEWORK_COPY).write_bytes(framework_bytes)
        root = Path(input_root) if input_root else None

        def rel(p: str) -> str:
            if root is None:
                return p
            try:
                return Path(p).resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                return p

        fw = a.framework
        manifest = {
            "paket": "antikorupsi", "versi_paket": __version__, "tahun": a.year,
            "kerangka": {"id": fw.id, "versi": fw.version, "sha256": fw.sha256,
                         "sumber": fw.source, "agregasi": fw.aggregation},
            "masukan": {rel(p): h for p, h in sorted(a.input_files.items())},
            "keluaran": dict(sorted(outputs.items())),
            "jumlah_wilayah": int(len(a.results)),
            "data_sintetis": a.synthetic,
            "asumsi": fw.assumptions(),
            # how last year's figures in the change columns were scored (null: none)
            "perbandingan": a.comparison,
        }
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
            encoding="utf-8")
        old = out_dir.with_name(f".{out_dir.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def read_manifest(processed_dir: str | Path) -> dict:
    return json.loads((Path(processed_dir) / "manifest.json").read_text(encoding="utf-8"))


def read_assessment(processed_dir: str | Path) -> Assessment:
    """Load a processed year back into an :class:`Assessment` (framework included)."""
    d = Path(processed_dir)
    if not (d / "manifest.json").exists():
        from .errors import InputError, Problem
        year = d.name if d.name.isdigit() else "<tahun>"
        raise InputError(Problem(str(d), "hasil skor belum ada",
                                 expected=f"jalankan dulu: antikorupsi score --year {year}"))
    m = read_manifest(d)
    fw = parse_framework((d / FRAMEWORK_COPY).read_bytes(), source=m["kerangka"]["sumber"])
    if m["kerangka"]["agregasi"] != fw.aggregation:
        fw = fw.with_weights(aggregation=m["kerangka"]["agregasi"])
    frames = {attr: pd.read_parquet(d / f"{name}.parquet") for name, attr in TABLES.items()}
    frames["components"] = frames["components"].set_index("kode_wilayah")
    return Assessment(year=int(m["tahun"]), framework=fw, input_files=m["masukan"],
                      comparison=m.get("perbandingan"), **frames)
