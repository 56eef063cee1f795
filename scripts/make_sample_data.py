"""Write the bundled sample inputs in data/raw/2024 and data/raw/2025 (Banten, 8 regions).

Screening figures are the publicly reported ones listed in shared design notes
(DOMAIN.md), each with its source; a criterion whose figure was not found is written
with an empty value and a note, never invented. The 19 assessed indicator values are
not public: they are synthetic (seeded), labelled ``sintetis = ya``; where a region's
real MCP score for the year was published, indicator I01 uses it instead.

2024 is one table of final values (``indikator.csv``), the layout before stages existed.
2025 is the collection as a province runs it, every value synthetic:

* ``mandiri/<code>_<name>.xlsx``: each region's self-assessment, written with
  ``antikorupsi.template.write_region_templates`` (locked, ``tahap = mandiri``, last
  year's recommendations in ``tindak_lanjut``) and then filled as the region would:
  self-assessments tend to over-claim (how much differs per region), evidence
  references given, the follow-up status of 2024's recommendations reported;
* ``verifikasi/<assessor>.xlsx``: three assessors from KPK, BPKP and the provincial
  Inspektorat, each scoring all eight regions (``write_template(stage="verifikasi")``):
  they mostly give the same level, sometimes one level apart, a few times two or more;
* ``final/pleno_2025.xlsx``: the plenary sheet (``antikorupsi.pleno``) with the
  plenary's decision on every item of its agenda (disagreements and over-claims).
  The plenary decides only what it discusses; every other indicator keeps the
  assessors' median. That is how a two-day plenary works (it cannot re-open 152
  scores), and it keeps each score's provenance honest: an undiscussed score says
  "verifikasi, median of 3", not "decided by the plenary".

The underlying 2025 values are those of the earlier one-table sample (same seed): the
assessors' noise is drawn so that their median equals that value wherever the plenary
does not discuss the indicator, and the plenary decides that value where it does. The
scored 2025 results are therefore the same as before the sample was split into stages.

Run: python scripts/make_sample_data.py   (deterministic: same files every time)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from antikorupsi.collection import recommendations
from antikorupsi.framework import load_framework
from antikorupsi.inputs import read_year
from antikorupsi.panel import consolidate
from antikorupsi.pleno import plenary, write_plenary
from antikorupsi.regions import load_regions
from antikorupsi.scoring import score_year
from antikorupsi.synthetic import SYNTHETIC_NOTE, synthetic_indicators
from antikorupsi.template import (save_workbook, write_region_templates, write_template)

ROOT = Path(__file__).resolve().parents[1]
SEED = 20241209  # Hakordia 2024

# (region, criterion, data year, value, source). Source codes are those of DOMAIN.md.
REPORTED = [
    ("3671", "mcp", 2020, "87,98", "M11 tangerangnews.com/kota-tangerang/read/39984"),
    ("3671", "mcp", 2021, "90,85", "M12 indoposco.id/2021/05/01"),
    ("3671", "spi", 2021, "76,91", "M11 tangerangnews.com/kota-tangerang/read/39984"),
    ("3671", "spi", 2024, "75,22", "S4 banten.antaranews.com/berita/348777"),
    ("3671", "spi", 2025, "71,45", "S2 banten.idntimes.com (SPI 2025)"),
    ("3671", "ombudsman", 2021, "74", "O2 megapolitan.kompas.com/read/2022/03/04/20063541"),
    ("3672", "mcp", 2023, "87", "M5 banpos.co/2025/02/17"),
    ("3672", "mcp", 2024, "83", "M5 banpos.co/2025/02/17"),
    ("3673", "spi", 2024, "64,86", "S4 banten.antaranews.com/berita/348777"),
    ("3674", "spi", 2024, "76,25", "S4 banten.antaranews.com/berita/348777"),
    ("3674", "ombudsman", 2021, "72,21", "O5 kabartangsel.com (hasil penilaian kepatuhan)"),
    ("3674", "ombudsman", 2022, "88,83", "O5 kabartangsel.com (hasil penilaian kepatuhan)"),
    ("3602", "spi", 2025, "77,65", "S3 metropostnews.com (Lebak skor SPI tertinggi)"),
    ("3602", "ombudsman", 2019, "66,20", "O8 news.detik.com/berita/d-4890593"),
    ("3601", "ombudsman", 2019, "75,87", "O8 news.detik.com/berita/d-4890593"),
    ("3603", "spi", 2025, "71,70", "S2 banten.idntimes.com (SPI 2025 Kab. Tangerang)"),
]
NOT_FOUND = "tidak ditemukan dalam sumber publik (belum dicari di sumber resmi)"

# Latent quality per region for the synthetic values (not a real judgement).
QUALITY_2024 = {"3601": 66, "3602": 74, "3603": 80, "3604": 71, "3671": 88, "3672": 79,
                "3673": 68, "3674": 93}
DRIFT_2025 = {"3601": 4, "3602": 3, "3603": -2, "3604": 6, "3671": 3, "3672": -4, "3673": 5,
              "3674": 1}

#: Synthetic assessors of 2025: id and institution (no real person or score).
ASSESSORS = [("KPK-01", "KPK"), ("BPKP-02", "BPKP"), ("INSP-03", "Inspektorat Provinsi Banten")]
#: How strongly each region over-claims in its self-assessment (probability that a
#: rubric level is claimed one level too high; two levels at a fifth of that).
OVERCLAIM = {"3601": 0.45, "3602": 0.25, "3603": 0.2, "3604": 0.35, "3671": 0.15,
             "3672": 0.3, "3673": 0.4, "3674": 0.1}
SYNTHETIC = SYNTHETIC_NOTE


def screening_rows(year: int, codes: list[str], criteria: list[str]) -> pd.DataFrame:
    rows = []
    for code in codes:
        for crit in criteria:
            found = [r for r in REPORTED if r[0] == code and r[1] == crit and r[2] <= year]
            for _, _, data_year, value, source in found:
                rows.append([str(year), code, crit, value, str(data_year), source, ""])
            if not found:
                rows.append([str(year), code, crit, "", "", "", NOT_FOUND])
    return pd.DataFrame(rows, columns=["tahun", "kode_wilayah", "kriteria", "nilai", "tahun_data",
                                       "sumber", "catatan"])


def final_values(year: int, quality: dict, regions: pd.DataFrame) -> pd.DataFrame:
    """The year's (synthetic) final indicator values, I01 real where it was published."""
    fw = load_framework(f"kak-{year}")
    ind = synthetic_indicators(regions, fw, year, seed=SEED + year, quality=quality,
                               missing_share=0.02)
    for code, crit, data_year, value, source in REPORTED:
        if crit == "mcp" and data_year == year:
            m = (ind["kode_wilayah"] == code) & (ind["kode_indikator"] == "I01")
            ind.loc[m, ["nilai", "bukti", "catatan", "sintetis"]] = [
                value, source, f"skor MCP {data_year} yang dipublikasikan", "tidak"]
    return ind


# -- 2025: the staged collection ---------------------------------------------------------------
def _levels(fw, icode: str) -> list[int] | None:
    sc = fw.indicator(icode).scoring
    return [lv.level for lv in fw.rubric(sc.rubric).levels] if sc.method == "rubric" else None


def _choice(fw, icode: str, level: int) -> str:
    rub = fw.rubric(fw.indicator(icode).scoring.rubric)
    return dict(zip((lv.level for lv in rub.levels), rub.choices()))[level]


def _number(fw, icode: str, x: float) -> float:
    sc = fw.indicator(icode).scoring
    lo, hi = fw.scale if sc.method == "direct" else (sc.valid or (-np.inf, np.inf))
    x = float(np.clip(x, lo, hi))
    return float(round(x)) if sc.unit == "hari" else round(x, 1)


def _self_assessed(fw, icode: str, truth: str, bias: float, rng) -> object:
    """What the region claims: rubric levels one or two too high at its rate, numbers a
    little better than verified; a value without evidence is claimed anyway."""
    levels = _levels(fw, icode)
    if levels is not None:
        t = int(truth) if truth else levels[len(levels) // 2]
        u = rng.random()
        step = 2 if u < bias / 3 else 1 if u < bias else -1 if u > 0.96 else 0
        return _choice(fw, icode, int(np.clip(t + step, levels[0], levels[-1])))
    sc = fw.indicator(icode).scoring
    t = float(truth) if truth else 50.0
    better = 1 if sc.direction == 1 else -1
    if rng.random() < bias + 0.2:
        span = (sc.high - sc.low) if sc.method == "goalposts" else 100.0
        return _number(fw, icode, t + better * span * rng.uniform(0.02, 0.12))
    return _number(fw, icode, t)


def _assessor_values(fw, icode: str, truth: str, rng) -> list[object]:
    """Three assessors: mostly the verified value, sometimes a level apart, rarely two.

    Redrawn (seeded) until their median is the verified value or they disagree by two
    levels or more (then the plenary decides, see the module docstring)."""
    levels = _levels(fw, icode)
    if truth == "":
        return [None, None, None]  # nobody found the evidence
    while True:
        if levels is not None:
            # the same evidence misleads in one direction: assessors err the same way
            t = int(truth)
            d = rng.choice([-1, 1]) * rng.choice([0, 1, 2], size=3, p=[0.84, 0.14, 0.02])
            vals = np.clip(t + d, levels[0], levels[-1])
            if int(np.sort(vals)[1]) == t or vals.max() - vals.min() >= 2:
                return [_choice(fw, icode, int(v)) for v in vals]
        else:
            t = float(truth)
            sc = fw.indicator(icode).scoring
            span = (sc.high - sc.low) if sc.method == "goalposts" else 100.0
            d = np.where(rng.random(3) < 0.85, 0.0, rng.normal(0, 0.05 * span, 3))
            vals = [_number(fw, icode, t + x) for x in d]
            if np.isclose(np.median(vals), _number(fw, icode, t)):
                return vals


def _fill(path: Path, values: dict[tuple[str, str], dict], followup: dict | None = None) -> None:
    """Fill a saved workbook's ``indikator`` (and ``tindak_lanjut``) rows like an analyst."""
    wb = openpyxl.load_workbook(path)
    for sheet, table in (("indikator", values), ("tindak_lanjut", followup or {})):
        if sheet not in wb.sheetnames or not table:
            continue
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        col = {name: k + 1 for k, name in enumerate(header)}
        for row in range(2, ws.max_row + 1):
            code = ws.cell(row, col["kode_wilayah"]).value
            key = (code, ws.cell(row, col["kode_indikator"]).value) if sheet == "indikator" \
                else (code, ws.cell(row, col["no"]).value)
            for name, v in table.get(key, {}).items():
                c = ws.cell(row, col[name])
                c.value = v
                if isinstance(v, str):
                    c.data_type = "s"
    save_workbook(wb, path)


def write_2025(out: Path, regions: pd.DataFrame, truth: pd.DataFrame, screening: pd.DataFrame,
               previous) -> None:
    """The staged 2025 collection (see the module docstring)."""
    year = 2025
    fw = load_framework(f"kak-{year}")
    rng = np.random.default_rng([SEED, year, 8])
    for sub in ("mandiri", "verifikasi", "final"):
        shutil.rmtree(out / sub, ignore_errors=True)
    for name in ("indikator.csv",):
        (out / name).unlink(missing_ok=True)
    screening.to_csv(out / "penyaringan.csv", index=False, lineterminator="\n")
    t = {(r.kode_wilayah, r.kode_indikator): r for r in truth.itertuples(index=False)}

    # 1. each region's self-assessment workbook, filled
    recs = recommendations(previous)
    paths = write_region_templates(out / "mandiri", fw, regions, year, recs)
    for path, reg in zip(paths, regions.itertuples(index=False)):
        code = reg.kode_wilayah
        values = {}
        for ind in fw.indicators:
            x = t[(code, ind.code)]
            note = SYNTHETIC + ("; bukti belum diserahkan" if x.nilai == "" else "")
            values[(code, ind.code)] = {
                "nilai": _self_assessed(fw, ind.code, x.nilai, OVERCLAIM[code], rng),
                "bukti": x.bukti, "catatan": note, "sintetis": "ya",
                "penilai": f"Tim penilaian mandiri {reg.nama_wilayah}"}
        follow = {}
        mine = recs[recs["kode_wilayah"] == code]
        for k, r in enumerate(mine.itertuples(index=False)):
            status = rng.choice(["selesai", "dalam proses", "belum dimulai"], p=[0.4, 0.4, 0.2])
            evidence = (f"sintetis/{year}/{code}/tindak_lanjut/{r.no}.pdf"
                        if status != "belum dimulai" else None)
            if code == "3673" and k == 0:  # reported done without the document: a warning
                status, evidence = "selesai", None
            follow[(code, int(r.no))] = {"status": str(status), "bukti": evidence,
                                         "catatan": SYNTHETIC}
        _fill(path, values, follow)

    # 2. three assessors, each one workbook for all regions
    drawn = {(r.kode_wilayah, r.kode_indikator): _assessor_values(fw, r.kode_indikator, r.nilai,
                                                                  rng)
             for r in truth.itertuples(index=False)}
    for k, (who, institution) in enumerate(ASSESSORS):
        path = write_template(out / "verifikasi" / f"{who}.xlsx", fw, regions, year,
                              stage="verifikasi", assessor=who, institution=institution)
        values = {}
        for (code, icode), vals in drawn.items():
            x = t[(code, icode)]
            note = SYNTHETIC + ("; bukti belum diserahkan" if x.nilai == "" else "")
            values[(code, icode)] = {"nilai": vals[k], "catatan": note, "sintetis": "ya"}
        _fill(path, values)

    # 3. the plenary: its sheet, with a decision on every agenda item
    regions_fw = regions
    inputs = read_year(out.parent, year, fw, regions_fw)
    a = score_year(fw, inputs, regions_fw)
    tmp = out / "final" / ".pleno"
    write_plenary(plenary(inputs, a), tmp)
    book = out / "final" / f"pleno_{year}.xlsx"
    (tmp / f"pleno_{year}.xlsx").replace(book)
    shutil.rmtree(tmp)
    decisions = {}
    wb = openpyxl.load_workbook(book)
    ws = wb["indikator"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2, values_only=True):
        r = dict(zip(header, row))
        x = t[(r["kode_wilayah"], r["kode_indikator"])]
        levels = _levels(fw, x.kode_indikator)
        if x.nilai == "":
            value, why = None, "bukti belum diserahkan; keputusan pleno: tanpa nilai"
        elif levels is not None:
            value = _choice(fw, x.kode_indikator, int(x.nilai))
            why = f"tingkat {int(x.nilai)} ditetapkan setelah bukti diperiksa bersama"
        else:
            value, why = _number(fw, x.kode_indikator, float(x.nilai)), \
                "angka ditetapkan dari dokumen sumber"
        decisions[(r["kode_wilayah"], r["kode_indikator"])] = {
            "nilai": value, "catatan": f"{SYNTHETIC}; "
                                      + (why if value is None else f"keputusan pleno: {why}")}
    _fill(book, decisions)


def main() -> None:
    regions = load_regions()
    codes = list(regions["kode_wilayah"])
    raw = ROOT / "data" / "raw"
    quality_2025 = {c: q + DRIFT_2025[c] for c, q in QUALITY_2024.items()}
    # 2024: one table of final values
    fw24 = load_framework("kak-2024")
    out = raw / "2024"
    out.mkdir(parents=True, exist_ok=True)
    ind = final_values(2024, QUALITY_2024, regions)
    ind.to_csv(out / "indikator.csv", index=False, lineterminator="\n")
    screening_rows(2024, codes, [c.code for c in fw24.screening]).to_csv(
        out / "penyaringan.csv", index=False, lineterminator="\n")
    print(f"{out}: {len(ind)} indicator rows (final), screening written")
    previous = score_year(fw24, read_year(raw, 2024, fw24, regions), regions)
    # 2025: the staged collection
    fw25 = load_framework("kak-2025")
    out = raw / "2025"
    out.mkdir(parents=True, exist_ok=True)
    truth = final_values(2025, quality_2025, regions)
    write_2025(out, regions, truth, screening_rows(2025, codes, [c.code for c in fw25.screening]),
               previous)
    check = read_year(raw, 2025, fw25, regions)
    same = consolidate(check.stages, fw25).set_index(["kode_wilayah", "kode_indikator"])
    want = truth.set_index(["kode_wilayah", "kode_indikator"])["nilai"]
    got = same["angka"].reindex(want.index)
    expected = pd.to_numeric(want.replace("", np.nan), errors="coerce")
    assert np.allclose(got.fillna(-1), expected.fillna(-1)), "2025 consolidated != 2025 values"
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    print(f"{out}: {len(files)} files ({', '.join(files)})")


if __name__ == "__main__":
    main()
