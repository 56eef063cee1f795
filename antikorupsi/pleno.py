"""The plenary sheet: what the assessors' plenary should discuss first (xlsx and HTML).

:func:`plenary` builds, from a year's validated inputs and its scores, the tables the
plenary works from (:mod:`antikorupsi.panel`): the agenda (disagreements and
over-claims, threshold at stake first), the gap between self-assessment and
verification per region, and the assessors' agreement (Krippendorff's alpha).
:func:`write_plenary` writes ``reports/<year>/pleno_<year>.xlsx`` and ``.html``.

The workbook also has an ``indikator`` sheet with one ``tahap = final`` row per agenda
item, ``nilai`` prefilled with the value the scores use now (the plenary's decision
where one exists, else the consolidated assessors' value), dropdowns and range checks
as in the templates. The plenary changes what it decides and the workbook, saved in
``data/raw/<year>/final/``, is read back as the plenary's final values (its other
sheets are known and skipped). Items the plenary does not discuss are not in that
sheet: their score stays the consolidated verification.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .fmt import angka, ringkas
from .framework import Framework
from .safeio import atomic_path

__all__ = ["Plenary", "plenary", "write_plenary", "plenary_paths", "SHEETS"]

#: Sheets of the plenary workbook besides ``indikator`` (the reader skips them).
SHEETS = ("ringkasan_pleno", "agenda_pleno", "selisih_mandiri", "kesepakatan")


@dataclass(frozen=True)
class Plenary:
    """The plenary tables of one year (plain frames)."""

    year: int
    framework: Framework
    synthetic: bool
    stage_table: pd.DataFrame
    agenda: pd.DataFrame
    gaps: pd.DataFrame        # per region: self-assessment against verification
    agreement: pd.DataFrame
    results: pd.DataFrame     # region code, name, total (as scored now)
    input_files: dict
    assessors: dict           # assessor id -> institution(s)


def plenary(inputs, assessment) -> Plenary:
    """The plenary tables from validated inputs and the assessment scored from them."""
    from .panel import agreement, plenary_agenda, stage_table

    fw = assessment.framework
    table = stage_table(inputs.stages, assessment.indicators, fw)
    agenda = plenary_agenda(table, assessment.indicators, assessment.results, fw)
    gaps = _gap_summary(table, assessment)
    return Plenary(assessment.year, fw, assessment.synthetic, table, agenda, gaps,
                   agreement(inputs.stages, fw),
                   assessment.results[["kode_wilayah", "nama_wilayah", "skor_total"]].copy(),
                   dict(assessment.input_files), _assessors(inputs.stages))


def _assessors(stages: pd.DataFrame | None) -> dict[str, str]:
    if stages is None or stages.empty:
        return {}
    v = stages[stages["tahap"] == "verifikasi"]
    return {p: ", ".join(sorted(set(g) - {""})) for p, g in v.groupby("penilai")["instansi"]}


def _gap_summary(table: pd.DataFrame, assessment) -> pd.DataFrame:
    """Per region: indicators self-assessed higher / lower / equal than verified, mean
    gap, and the total the self-assessment would give against the verified total."""
    from .scoring import aggregate_matrix

    fw = assessment.framework
    cols = ["kode_wilayah", "nama_wilayah", "dinilai_mandiri", "lebih_tinggi", "lebih_rendah",
            "sama", "rata_rata_selisih", "total_mandiri", "skor_total", "selisih_total"]
    t = table[table["ada_mandiri"] & (table["tahap"] != "mandiri")]
    if t.empty:
        return pd.DataFrame(columns=cols)
    matrix = assessment.indicator_matrix()
    claimed = matrix.copy()
    zero = fw.missing_indicator == "zero"
    for r in t.itertuples(index=False):
        x = r.skor_mandiri
        claimed.loc[r.kode_wilayah, r.kode_indikator] = (0.0 if zero else np.nan) if x != x else x
    _, tot_claimed = aggregate_matrix(claimed, fw)
    res = assessment.results.set_index("kode_wilayah")
    g = t.assign(_d=t["selisih_mandiri"]).groupby("kode_wilayah", sort=True)
    out = pd.DataFrame({
        "dinilai_mandiri": g.size(),
        "lebih_tinggi": g["_d"].apply(lambda d: int((d > 1e-9).sum())),
        "lebih_rendah": g["_d"].apply(lambda d: int((d < -1e-9).sum())),
        "sama": g["_d"].apply(lambda d: int((d.abs() <= 1e-9).sum())),
        "rata_rata_selisih": g["_d"].mean(),
    })
    out["total_mandiri"] = tot_claimed.reindex(out.index).to_numpy(float)
    out["skor_total"] = res["skor_total"].reindex(out.index).to_numpy(float)
    out["selisih_total"] = out["total_mandiri"] - out["skor_total"]
    out["nama_wilayah"] = res["nama_wilayah"].reindex(out.index)
    return out.reset_index()[cols]


def plenary_paths(out_dir: str | Path, year: int) -> tuple[Path, Path]:
    d = Path(out_dir)
    return d / f"pleno_{year}.xlsx", d / f"pleno_{year}.html"


def write_plenary(p: Plenary, out_dir: str | Path) -> list[Path]:
    """Write ``pleno_<year>.xlsx`` and ``pleno_<year>.html`` into ``out_dir`` (atomically)."""
    xlsx, page = plenary_paths(out_dir, p.year)
    _write_xlsx(p, xlsx)
    with atomic_path(page) as tmp:  # like every other output: atomic, OSError located
        tmp.write_text(plenary_html(p), encoding="utf-8")
    return [xlsx, page]


# -- values as people read them -------------------------------------------------------
def _value(fw: Framework, icode: str, x: float) -> str:
    """A level ``3: Terlaksana`` or a number with its unit; ``–`` when missing."""
    if x is None or x != x:
        return "kosong"
    sc = fw.indicator(icode).scoring
    if sc.method == "rubric":
        if float(x).is_integer():
            for lv in fw.rubric(sc.rubric).levels:
                if lv.level == int(x):
                    return f"{lv.level}: {lv.label}"
        return angka(x, 2)
    unit = sc.unit or ""
    return ringkas(round(float(x), 2)) + ("%" if unit == "%" else f" {unit}" if unit else "")


def _choice(fw: Framework, icode: str, x: float) -> object:
    """The prefilled decision cell: the dropdown text of a level, a number, or empty."""
    if x is None or x != x:
        return None
    sc = fw.indicator(icode).scoring
    if sc.method == "rubric" and float(x).is_integer():
        for lv, choice in zip(fw.rubric(sc.rubric).levels, fw.rubric(sc.rubric).choices()):
            if lv.level == int(x):
                return choice
    return round(float(x), 4)


def _yes(flag: bool) -> str:
    return "ya" if flag else "tidak"


def _agenda_rows(p: Plenary) -> list[dict]:
    fw = p.framework
    rows = []
    for r in p.agenda.itertuples(index=False):
        rows.append({
            "Urutan": int(r.urutan), "Kode": r.kode_wilayah, "Wilayah": r.nama_wilayah,
            "Indikator": f"{r.kode_indikator} {r.nama_indikator}",
            "Alasan dibahas": r.alasan,
            "Nilai para penilai": r.rincian_penilai or "–",
            "Mandiri": _value(fw, r.kode_indikator, r.nilai_mandiri),
            "Verifikasi (gabungan)": _value(fw, r.kode_indikator, r.nilai_verifikasi),
            "Keputusan pleno": (_value(fw, r.kode_indikator, r.nilai_final)
                                if r.nilai_final == r.nilai_final and r.nilai_final is not None
                                else "diputuskan: tanpa bukti") if r.ada_final else "belum",
            "Skor total kini": angka(r.skor_total),
            "Rentang skor total": f"{angka(r.total_min)}–{angka(r.total_max)}",
            "Dampak (poin)": angka(r.dampak_total),
            "Melewati ambang": _yes(bool(r.lintas_ambang)),
        })
    return rows


# -- the workbook ------------------------------------------------------------------------
def _write_xlsx(p: Plenary, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from .template import (_HEADER_FILL, _HEADER_FONT, _SECTION_FONT, _TITLE_FONT,
                           LISTS_SHEET, _add_styles, _indicator_validation, _ListSheet,
                           _protect, _style_rows, put, save_workbook, TEMPLATE_STAGE_COLUMNS)

    fw = p.framework
    wb = Workbook()
    _add_styles(wb)
    wrap = Alignment(wrap_text=True, vertical="top")

    def table(ws, header: list[str], rows: list[list[object]], start: int = 1,
              widths: dict[str, int] | None = None) -> int:
        for k, h in enumerate(header, start=1):
            c = put(ws, start, k, h)
            c.font, c.fill = _HEADER_FONT, _HEADER_FILL
            ws.column_dimensions[get_column_letter(k)].width = (widths or {}).get(h, 14)
        for i, r in enumerate(rows, start=start + 1):
            for k, v in enumerate(r, start=1):
                if v is not None and v == v:
                    put(ws, i, k, v).alignment = wrap
        ws.freeze_panes = ws.cell(row=start + 1, column=1)
        return start + len(rows)

    # summary
    ws = wb.active
    ws.title = "ringkasan_pleno"
    ws.column_dimensions["A"].width = 120
    lines = _summary_lines(p)
    for i, (text, kind) in enumerate(lines, start=1):
        c = put(ws, i, 1, text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if kind == "title":
            c.font = _TITLE_FONT
        elif kind == "section":
            c.font = _SECTION_FONT

    # agenda
    ws = wb.create_sheet("agenda_pleno")
    rows = _agenda_rows(p)
    header = list(rows[0]) if rows else ["Urutan", "Kode", "Wilayah", "Indikator",
                                         "Alasan dibahas"]
    table(ws, header, [list(r.values()) for r in rows],
          widths={"Wilayah": 24, "Indikator": 40, "Alasan dibahas": 44,
                  "Nilai para penilai": 44, "Urutan": 8, "Kode": 7})

    # self-assessment gap
    ws = wb.create_sheet("selisih_mandiri")
    g = p.gaps
    table(ws, ["Kode", "Wilayah", "Indikator dinilai mandiri", "Mandiri lebih tinggi",
               "Mandiri lebih rendah", "Sama", "Rata-rata selisih (poin)",
               "Skor total menurut penilaian mandiri", "Skor total terverifikasi",
               "Selisih skor total"],
          [[r.kode_wilayah, r.nama_wilayah, int(r.dinilai_mandiri), int(r.lebih_tinggi),
            int(r.lebih_rendah), int(r.sama), round(float(r.rata_rata_selisih), 2),
            round(float(r.total_mandiri), 2), round(float(r.skor_total), 2),
            round(float(r.selisih_total), 2)] for r in g.itertuples(index=False)],
          widths={"Wilayah": 26})

    # agreement
    ws = wb.create_sheet("kesepakatan")
    a = p.agreement
    table(ws, ["Indikator", "Nama", "Ukuran", "Alfa Krippendorff", "Bacaan",
               "Wilayah (>= 2 penilai)", "Penilai", "Nilai", "Keterangan"],
          [[r.kode_indikator, r.nama, r.ukuran,
            None if r.alpha != r.alpha else round(float(r.alpha), 3), r.bacaan,
            int(r.jumlah_wilayah), int(r.jumlah_penilai), int(r.jumlah_nilai), r.keterangan]
           for r in a.itertuples(index=False)],
          widths={"Nama": 44, "Bacaan": 22, "Keterangan": 40, "Indikator": 18})

    # the decision sheet, read back as tahap final
    ws = wb.create_sheet("indikator")
    lists = _ListSheet(wb.create_sheet(LISTS_SHEET))
    cols = TEMPLATE_STAGE_COLUMNS
    for k, name in enumerate(cols, start=1):
        c = put(ws, 1, k, name)
        c.font, c.fill = _HEADER_FONT, _HEADER_FILL
        ws.column_dimensions[get_column_letter(k)].width = {"nama_wilayah": 26,
                                                            "nama_indikator": 40,
                                                            "nilai": 22, "catatan": 50,
                                                            "bukti": 30}.get(name, 12)
    ws.freeze_panes = "A2"
    items = p.agenda.drop_duplicates(["kode_wilayah", "kode_indikator"])
    cells: dict[str, list[str]] = {}
    nilai_col = get_column_letter(cols.index("nilai") + 1)
    sint = "ya" if p.synthetic else "tidak"
    row = 1
    for r in items.itertuples(index=False):
        row += 1
        current = r.nilai_final if r.ada_final else r.nilai_verifikasi
        values = {"tahun": p.year, "kode_wilayah": r.kode_wilayah,
                  "nama_wilayah": r.nama_wilayah, "kode_indikator": r.kode_indikator,
                  "nama_indikator": r.nama_indikator, "tahap": "final", "penilai": "pleno",
                  "instansi": "Tim Penilai", "nilai": _choice(fw, r.kode_indikator, current),
                  "sintetis": sint}
        for k, c in enumerate(cols, start=1):
            v = values.get(c)
            if v is not None:
                put(ws, row, k, v)
        cells.setdefault(r.kode_indikator, []).append(f"{nilai_col}{row}")
    _style_rows(ws, cols, text={"kode_wilayah", "kode_indikator", "tahap", "penilai",
                                "instansi", "bukti", "catatan", "sintetis"},
                inputs={"nilai", "bukti", "catatan"}, last_row=row)
    for code, coords in cells.items():
        ind = fw.indicator(code)
        if ind.scoring.method == "rubric":
            for coord in coords:
                ws[coord].style = "isian_teks"
        dv = _indicator_validation(ind, fw, coords, lists)
        if dv is not None:
            ws.add_data_validation(dv)
    lists.ws.sheet_state = "hidden"
    for sheet in wb.worksheets:
        if sheet.title != "indikator":
            _protect(sheet)
    wb.active = 0
    save_workbook(wb, path)


def _summary(p: Plenary) -> dict[str, list[str]]:
    """The plenary summary in sections: counts, rules, use, provenance (Indonesian)."""
    fw = p.framework
    t = p.stage_table
    n_reg = t["kode_wilayah"].nunique() if len(t) else 0
    # pairs with a verified value (an assessor's row left empty does not count)
    ver = int(((t["jumlah_penilai"] > 0) & t["nilai_verifikasi"].notna()).sum()) if len(t) else 0
    disagree = int(t["beda_pendapat"].sum()) if len(t) else 0
    over = int(t["klaim_berlebih"].sum()) if len(t) else 0
    at_stake = int(p.agenda["lintas_ambang"].sum()) if len(p.agenda) else 0
    decided = int(p.agenda["ada_final"].sum()) if len(p.agenda) else 0
    who = sorted(p.assessors.items())
    counts = [
        f"{n_reg} wilayah, {ver} pasangan wilayah-indikator diverifikasi penilai; "
        f"{disagree} dengan beda pendapat penilai, {over} dengan penilaian mandiri jauh lebih "
        f"tinggi dari hasil verifikasi.",
        f"Agenda: {len(p.agenda)} butir, {at_stake} di antaranya dapat memindahkan skor total "
        f"wilayah melewati ambang {ringkas(fw.threshold)}; {decided} sudah diputuskan pleno.",
        "Urutan agenda: butir yang dapat memindahkan wilayah melewati ambang lebih dulu, lalu "
        "beda pendapat penilai (selisih tingkat terbesar dulu), lalu dampak pada skor total, "
        "lalu selisih penilaian mandiri.",
    ]
    if who:
        counts.append("Penilai: " + ", ".join(f"{k} ({v})" if v else k for k, v in who) + ".")
    rules = [fw.panel.describe() + (" (asumsi: tidak dipublikasikan KPK)"
                                    if fw.panel.assumption else ""),
             "Alfa Krippendorff mengukur kesepakatan antarpenilai (1 = sepakat penuh, 0 = "
             "setara kebetulan); tingkat ordinal untuk indikator rubrik, interval untuk "
             "indikator berupa angka. Bacaan menurut Krippendorff (2004): ≥ 0,800 andal; "
             "0,667–0,800 untuk kesimpulan sementara."]
    pooled = p.agreement[p.agreement["kode_indikator"].str.startswith("semua")] \
        if len(p.agreement) else p.agreement
    for r in pooled.itertuples(index=False):
        rules.append(f"Kesepakatan gabungan ({r.nama}): alfa "
                     f"{angka(r.alpha, 3) if r.alpha == r.alpha else '–'}, {r.bacaan}.")
    use = ["Lembar 'agenda_pleno': butir yang perlu dibahas, berurutan. Lembar 'indikator': satu "
           "baris tahap final per butir, nilai berisi nilai yang kini dipakai; ubah nilai yang "
           "diputuskan lain oleh pleno dan tulis alasannya di catatan, lalu simpan buku kerja "
           f"di data/raw/{p.year}/final/ dan jalankan antikorupsi score --year {p.year}. Butir "
           "yang tidak dibahas tetap memakai hasil verifikasi."]
    provenance = [f"Kerangka {fw.id} versi {fw.version} (sha256 {fw.sha256[:12]}); paket "
                  f"antikorupsi {__version__}. Masukan (sha256): "
                  + "; ".join(f"{Path(f).name} {h[:12]}"
                              for f, h in sorted(p.input_files.items())) + "."]
    return {"counts": counts, "rules": rules, "use": use, "provenance": provenance}


def _summary_lines(p: Plenary) -> list[tuple[str, str]]:
    s = _summary(p)
    lines = [(f"Lembar pleno penilaian {p.year}: {p.framework.programme}", "title")]
    if p.synthetic:
        lines.append(("DATA SINTETIS: nilai penilaian mandiri, penilai dan pleno dalam "
                      "lembar ini dibuat acak untuk contoh, bukan hasil penilaian KPK.",
                      "section"))
    for title, key in (("", "counts"), ("Aturan", "rules"), ("Cara memakai", "use"),
                       ("Asal data", "provenance")):
        if title:
            lines += [("", "text"), (title, "section")]
        lines += [(t, "text") for t in s[key]]
    return lines


# -- the HTML page -----------------------------------------------------------------------
_CSS = """
body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;font-size:10.5pt;
color:#1b1b1b;margin:1.5rem auto;max-width:72rem;padding:0 1rem;line-height:1.4}
h1,h2{font-family:"DejaVu Serif","Liberation Serif",Georgia,serif;color:#102a43}
h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #c8d1dc;margin-top:1.4rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0}
th,td{border:1px solid #c8d1dc;padding:.2rem .35rem;vertical-align:top;text-align:left;
overflow-wrap:break-word}
th{background:#1f4e78;color:#fff;font-weight:600}
td.num{text-align:right}
tr.ambang td{font-weight:600}
.banner{border:2px solid #000;padding:.4rem .6rem;font-weight:700;margin:.5rem 0}
.kecil{font-size:.85em;color:#444}
@page{size:A4 landscape}
"""


def _h(x: object) -> str:
    return html.escape(str(x), quote=True)


def _html_table(header: list[str], rows: list[list[object]], num: set[int] = frozenset(),
                row_class: list[str] | None = None, widths: list[float] | None = None) -> str:
    """A table; ``widths`` (shares of the page, one per column) fix the layout so a wide
    table wraps inside the page instead of running off its edge."""
    head = "".join(f"<th>{_h(h)}</th>" for h in header)
    cols = ""
    if widths:
        total = sum(widths)
        cols = "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">'
                                      for w in widths) + "</colgroup>"
    body = []
    for i, r in enumerate(rows):
        cls = f' class="{row_class[i]}"' if row_class and row_class[i] else ""
        cells = "".join(f'<td class="num">{_h(v)}</td>' if k in num else f"<td>{_h(v)}</td>"
                        for k, v in enumerate(r))
        body.append(f"<tr{cls}>{cells}</tr>")
    style = ' style="table-layout:fixed;font-size:.85em"' if widths else ""
    return (f"<table{style}>{cols}<thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def plenary_html(p: Plenary) -> str:
    """The plenary sheet as one self-contained HTML page (no network references)."""
    fw = p.framework
    parts = [f"<h1>Lembar pleno penilaian {p.year}</h1>",
             f"<p>{_h(fw.programme)}. Kerangka {_h(fw.id)} versi {_h(fw.version)}.</p>"]
    if p.synthetic:
        parts.append('<p class="banner">DATA SINTETIS: nilai penilaian mandiri, penilai dan '
                     "pleno di sini dibuat acak untuk contoh, bukan hasil penilaian KPK.</p>")
    summary = _summary(p)
    parts += [f"<p>{_h(t)}</p>" for t in summary["counts"]]
    parts.append("<h2>Agenda: yang dibahas lebih dulu</h2>")
    rows = _agenda_rows(p)
    if rows:
        header = list(rows[0])
        parts.append(_html_table(header, [list(r.values()) for r in rows],
                                 num={0, 9, 10, 11},
                                 row_class=["ambang" if r["Melewati ambang"] == "ya" else ""
                                            for r in rows],
                                 # Urutan, Kode, Wilayah, Indikator, Alasan, Penilai, Mandiri,
                                 # Verifikasi, Keputusan, Skor, Rentang, Dampak, Ambang
                                 widths=[3.5, 5, 9.5, 12, 11, 10, 7.5, 8.5, 8.5, 5.5, 7, 5.5, 6]))
        parts.append('<p class="kecil">Rentang skor total: skor total wilayah bila indikator '
                     "ini bernilai menurut penilai terendah, penilai tertinggi, atau penilaian "
                     "mandiri (agregasi dan kebijakan data kosong kerangka); Dampak: lebar "
                     "rentang itu. Baris tebal dapat memindahkan wilayah melewati ambang "
                     f"{_h(ringkas(fw.threshold))}.</p>")
    else:
        parts.append("<p>Tidak ada butir: para penilai tidak berbeda pendapat dan tidak ada "
                     "penilaian mandiri yang jauh lebih tinggi dari hasil verifikasi.</p>")
    parts.append("<h2>Penilaian mandiri dibanding hasil verifikasi</h2>")
    g = p.gaps
    if len(g):
        parts.append(_html_table(
            ["Kode", "Wilayah", "Dinilai mandiri", "Lebih tinggi", "Lebih rendah", "Sama",
             "Rata-rata selisih (poin)", "Skor total menurut mandiri", "Skor total terverifikasi",
             "Selisih"],
            [[r.kode_wilayah, r.nama_wilayah, int(r.dinilai_mandiri), int(r.lebih_tinggi),
              int(r.lebih_rendah), int(r.sama), angka(r.rata_rata_selisih),
              angka(r.total_mandiri), angka(r.skor_total), angka(r.selisih_total)]
             for r in g.itertuples(index=False)], num={2, 3, 4, 5, 6, 7, 8, 9}))
        parts.append('<p class="kecil">Selisih positif: wilayah menilai dirinya lebih tinggi '
                     "daripada yang diterima penilai (klaim berlebih).</p>")
    else:
        parts.append("<p>Tidak ada penilaian mandiri yang sudah diverifikasi.</p>")
    parts.append("<h2>Kesepakatan antarpenilai (alfa Krippendorff)</h2>")
    a = p.agreement
    if len(a):
        parts.append(_html_table(
            ["Indikator", "Nama", "Ukuran", "Alfa", "Bacaan", "Wilayah", "Penilai",
             "Keterangan"],
            [[r.kode_indikator, r.nama, r.ukuran, angka(r.alpha, 3), r.bacaan,
              int(r.jumlah_wilayah), int(r.jumlah_penilai), r.keterangan]
             for r in a.itertuples(index=False)], num={3, 5, 6}))
    else:
        parts.append("<p>Belum ada nilai penilai (tahap verifikasi).</p>")
    parts.append("<h2>Aturan dan asal data</h2>")
    parts += [f'<p class="kecil">{_h(t)}</p>' for t in summary["rules"] + summary["use"]
              + summary["provenance"]]
    title = f"Lembar pleno {p.year}" + (" · DATA SINTETIS" if p.synthetic else "")
    return ("<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
            f"<title>{_h(title)}</title><style>{_CSS}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")
