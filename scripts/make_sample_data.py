"""Write the bundled sample inputs in data/raw/2024 and data/raw/2025 (Banten, 8 regions).

Screening figures are the publicly reported ones listed in shared design notes
(DOMAIN.md), each with its source; a criterion whose figure was not found is written
with an empty value and a note, never invented. The 19 assessed indicator values are
not public: they are synthetic (seeded), labelled ``sintetis = ya``; where a region's
real MCP score for the year was published, indicator I01 uses it instead.

Run: python scripts/make_sample_data.py   (deterministic: same files every time)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from antikorupsi.framework import load_framework
from antikorupsi.regions import load_regions
from antikorupsi.synthetic import synthetic_indicators

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


def main() -> None:
    regions = load_regions()
    codes = list(regions["kode_wilayah"])
    for year, quality in ((2024, QUALITY_2024),
                          (2025, {c: q + DRIFT_2025[c] for c, q in QUALITY_2024.items()})):
        fw = load_framework(f"kak-{year}")
        ind = synthetic_indicators(regions, fw, year, seed=SEED + year, quality=quality,
                                   missing_share=0.02)
        # I01 is the MCP score: use the published figure of that year where there is one.
        for code, crit, data_year, value, source in REPORTED:
            if crit == "mcp" and data_year == year:
                m = (ind["kode_wilayah"] == code) & (ind["kode_indikator"] == "I01")
                ind.loc[m, ["nilai", "bukti", "catatan", "sintetis"]] = [
                    value, source, f"skor MCP {data_year} yang dipublikasikan", "tidak"]
        out = ROOT / "data" / "raw" / str(year)
        out.mkdir(parents=True, exist_ok=True)
        ind.to_csv(out / "indikator.csv", index=False, lineterminator="\n")
        screening_rows(year, codes, [c.code for c in fw.screening]).to_csv(
            out / "penyaringan.csv", index=False, lineterminator="\n")
        print(f"{out}: {len(ind)} indicator rows, screening written")


if __name__ == "__main__":
    main()
