"""The disk edge of the scored data: write ``data/processed/<year>/`` atomically, read it back.

Outputs are byte-identical for identical inputs: no timestamps, stable row order, fixed
float formatting, and a manifest recording the SHA-256 of every input, the framework
(id, version, hash) and the package version.

Faults leave the previous outputs as they were: everything is written into a hidden
temporary folder beside ``<year>/`` and swapped in only when complete. One writer at a
time per year (:func:`~antikorupsi.safeio.output_lock` on ``.<year>.lock`` beside it);
the next writer first repairs what a killed run left (:func:`recover`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from . import __version__
from .errors import OutputError
from .framework import parse_framework
from .safeio import output_lock, remove_stale_temps
from .scoring import Assessment
from .sheets import write_csv

__all__ = ["write_assessment", "read_assessment", "read_manifest", "TABLES", "file_sha256",
           "recover", "year_lock"]

TABLES = {"hasil_wilayah": "results", "skor_indikator": "indicators",
          "skor_komponen": "components", "penyaringan": "screening"}
FRAMEWORK_COPY = "kerangka.yaml"


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _frame(a: Assessment, attr: str) -> pd.DataFrame:
    df = getattr(a, attr)
    return df.reset_index() if attr == "components" else df


def year_lock(out_dir: str | Path, *, required: bool = True):
    """The lock guarding ``data/processed/<year>/`` (a context manager); see
    :func:`antikorupsi.safeio.output_lock`."""
    out_dir = Path(out_dir)
    return output_lock(out_dir.parent, out_dir.name, f"data olahan {out_dir.name}",
                       required=required)


def recover(out_dir: str | Path) -> None:
    """Repair what a killed writer of ``out_dir`` left: put the previous outputs back when
    the kill fell between the two renames of the swap, and delete temporary folders.
    Call it holding :func:`year_lock`."""
    out_dir = Path(out_dir)
    old = out_dir.with_name(f".{out_dir.name}.old")
    if old.is_dir():
        if out_dir.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, out_dir)
    remove_stale_temps(out_dir.parent, prefix=f".{out_dir.name}.tmp-")


def write_assessment(a: Assessment, out_dir: str | Path, framework_bytes: bytes,
                     input_root: str | Path | None = None, extra: dict | None = None,
                     warnings: tuple | list = ()) -> Path:
    """Write an assessment to ``out_dir`` (replacing it only once everything is written).

    ``extra``: further tables (name -> DataFrame) written beside the four of every year,
    in both formats (the panel tables of :mod:`antikorupsi.panel`); ``warnings``: the
    located warnings of the inputs (:attr:`antikorupsi.inputs.YearInputs.warnings`),
    recorded in the manifest with paths relative to ``input_root``.

    Raises :class:`~antikorupsi.errors.BusyError` when another process is writing the
    same folder, and ``OSError`` (disk full, read-only) with the old outputs intact.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with year_lock(out_dir):
        recover(out_dir)
        try:
            return _write(a, out_dir, framework_bytes, input_root, extra, warnings)
        except (OSError, OutputError) as exc:  # disk full, read-only: old outputs intact
            cause = exc if isinstance(exc, OSError) else exc.__cause__
            if not isinstance(cause, OSError):
                raise
            raise OutputError.from_os_error(cause, str(out_dir)) from cause


def _write(a: Assessment, out_dir: Path, framework_bytes: bytes,
           input_root: str | Path | None, extra: dict | None,
           warnings: tuple | list) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o777 & ~mask)  # as a plain mkdir would (mkdtemp gives 0700)
        outputs = {}
        tables = [(name, _frame(a, attr)) for name, attr in TABLES.items()]
        tables += sorted((extra or {}).items())
        for name, df in tables:
            df.to_parquet(tmp / f"{name}.parquet", index=False)
            write_csv(df, tmp / f"{name}.csv", float_format="%.10g")  # text neutralised
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
            "peringatan": [str(dataclasses.replace(w, file=rel(w.file))) for w in warnings],
            # how last year's figures in the change columns were scored (null: none)
            "perbandingan": a.comparison,
        }
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
            encoding="utf-8")
        old = out_dir.with_name(f".{out_dir.name}.old")
        if out_dir.exists():
            os.replace(out_dir, old)  # a kill right here is repaired by recover()
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
