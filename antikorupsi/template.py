"""Blank data-collection workbooks that read back through :func:`antikorupsi.inputs.read_year`.

:func:`write_template` writes one ``.xlsx`` per assessment year for the inspectorates
and assessors who collect the data:

``petunjuk``     instructions in Bahasa Indonesia: what each sheet and column means, how
                 to fill rubric levels and numbers, what an empty ``nilai`` does, the
                 indicators, the rubric levels and the screening criteria with thresholds
``indikator``    one row per region and indicator, codes and names filled, ``nilai``
                 empty, with a dropdown (rubric) or a range check (numbers) on each cell
``penyaringan``  one row per region and screening criterion (one per data year for a
                 criterion that needs several consecutive years, e.g. the BPK opinion)
``pilihan``      hidden: the dropdown lists (rubric levels, grades), kept on a sheet so
                 that labels may contain commas and lists may be long

The workbook is built from the framework and the region list only, so a changed
framework (``--framework``) gives a matching template. Names (``nama_wilayah``,
``nama_indikator``, ``nama_kriteria``) are for the reader; :mod:`antikorupsi.inputs`
ignores them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .fmt import angka
from .framework import Framework, Indicator, Rule, ScreeningCriterion, _missing_id
from .sheets import save_workbook

__all__ = ["write_template", "TEMPLATE_INDICATOR_COLUMNS", "TEMPLATE_SCREENING_COLUMNS"]

TEMPLATE_INDICATOR_COLUMNS = ["tahun", "kode_wilayah", "nama_wilayah", "kode_indikator",
                              "nama_indikator", "nilai", "bukti", "catatan", "sintetis"]
TEMPLATE_SCREENING_COLUMNS = ["tahun", "kode_wilayah", "nama_wilayah", "kriteria",
                              "nama_kriteria", "nilai", "tahun_data", "sumber", "catatan"]
LISTS_SHEET = "pilihan"
TEXT = "@"  # number format that keeps codes such as "3601" as text

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_FILLED_FILL = PatternFill("solid", fgColor="F2F2F2")  # prefilled: read, do not edit
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the analyst's cell
_FILLED, _FILLED_TEXT = "terisi", "terisi_teks"  # named styles
_INPUT, _INPUT_TEXT = "isian", "isian_teks"
_TITLE_FONT = Font(bold=True, size=14)
_SECTION_FONT = Font(bold=True, size=12, color="1F4E78")
_BOLD = Font(bold=True)

_WIDTHS = {"tahun": 8, "kode_wilayah": 13, "nama_wilayah": 30, "kode_indikator": 14,
           "nama_indikator": 48, "nilai": 22, "bukti": 36, "catatan": 40, "sintetis": 10,
           "kriteria": 12, "nama_kriteria": 48, "tahun_data": 11, "sumber": 40}
_KIND = {"number": "angka", "grade": "pilihan dari daftar", "count": "jumlah (bilangan bulat)"}

# Excel limits the texts of a data validation (longer ones make the file unreadable).
_TITLE_MAX, _MESSAGE_MAX = 32, 225


def write_template(path: str | Path, framework: Framework, regions: pd.DataFrame,
                   year: int) -> Path:
    """Write a blank data-collection workbook for ``year`` (atomically) and return its path.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write; its folder is created when missing. An existing
        file is replaced only once the new one is complete.
    framework : Framework
        Indicators, rubrics and screening criteria to collect data for.
    regions : pandas.DataFrame
        The regions, with at least ``kode_wilayah`` and ``nama_wilayah``, in the order
        their rows should appear.
    year : int
        The assessment year, prefilled in every row.

    Returns
    -------
    Path
        ``path``. Saved in ``data/raw/<year>/`` and filled in, the workbook reads back
        through :func:`antikorupsi.inputs.read_year` without edits; left blank it reads
        back as all values missing.
    """
    path = Path(path)
    wb = Workbook()
    _add_styles(wb)
    ws_ind, ws_scr = wb.create_sheet("indikator"), wb.create_sheet("penyaringan")
    lists = _ListSheet(wb.create_sheet(LISTS_SHEET))
    _instructions(wb.active, framework, regions, year)
    _indicator_sheet(ws_ind, framework, regions, year, lists)
    _screening_sheet(ws_scr, framework, regions, year, lists)
    lists.ws.sheet_state = "hidden"
    wb.active = 0

    # text as explicit string cells (never a live formula); written atomically
    return save_workbook(wb, path)


# -- the data sheets ----------------------------------------------------------------------
class _ListSheet:
    """Dropdown lists on the hidden sheet, one column each; returns a formula per list."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.formulas: dict[tuple[str, ...], str] = {}

    def formula(self, title: str, items: list[str]) -> str:
        key = tuple(items)
        if key not in self.formulas:
            col = len(self.formulas) + 1
            self.ws.cell(row=1, column=col, value=title).font = _BOLD
            for k, item in enumerate(items, start=2):
                c = self.ws.cell(row=k, column=col, value=item)
                c.number_format = TEXT
            letter = get_column_letter(col)
            self.formulas[key] = (f"{quote_sheetname(self.ws.title)}!${letter}$2:"
                                  f"${letter}${len(items) + 1}")
            self.ws.column_dimensions[letter].width = max(12, *(len(i) + 2 for i in items))
        return self.formulas[key]


def _header(ws: Worksheet, columns: list[str]) -> None:
    ws.append(columns)
    for k, name in enumerate(columns, start=1):
        c = ws.cell(row=1, column=k)
        c.font, c.fill = _HEADER_FONT, _HEADER_FILL
        c.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(k)].width = _WIDTHS.get(name, 14)
    ws.freeze_panes = "A2"


def _add_styles(wb: Workbook) -> None:
    """Named styles: one lookup per cell instead of one per attribute (fast on 514 regions)."""
    for name, fill, fmt in ((_FILLED, _FILLED_FILL, "General"),
                            (_FILLED_TEXT, _FILLED_FILL, TEXT),
                            (_INPUT, _INPUT_FILL, "General"),
                            (_INPUT_TEXT, _INPUT_FILL, TEXT)):
        wb.add_named_style(NamedStyle(name, fill=fill, number_format=fmt))


def _style_rows(ws: Worksheet, columns: list[str], text: set[str], inputs: set[str],
                last_row: int) -> None:
    """Codes as text; prefilled columns grey, the analyst's columns yellow."""
    for k, name in enumerate(columns, start=1):
        if name in inputs:
            style = _INPUT_TEXT if name in text else _INPUT
        else:
            style = _FILLED_TEXT if name in text else _FILLED
        for (c,) in ws.iter_rows(min_row=2, max_row=last_row, min_col=k, max_col=k):
            c.style = style
    if last_row > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _validation(cells: list[str], *, kind: str, title: str, message: str, prompt_title: str,
                prompt: str, formula1: str, formula2: str | None = None,
                operator: str | None = None) -> DataValidation:
    """One Excel data validation over ``cells``, blank allowed, messages in Indonesian."""
    return DataValidation(
        type=kind, formula1=formula1, formula2=formula2, operator=operator,
        allow_blank=True, sqref=" ".join(cells),
        showErrorMessage=True, errorStyle="stop", errorTitle=_cut(title, _TITLE_MAX),
        error=_cut(message, _MESSAGE_MAX),
        showInputMessage=True, promptTitle=_cut(prompt_title, _TITLE_MAX),
        prompt=_cut(prompt, _MESSAGE_MAX),
    )


def _xl_number(x: float) -> str:
    """A number as Excel's formula language writes it (always a decimal point)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _num(x: float) -> str:
    """A bound for people to read: ``100``, ``87,5`` (Indonesian decimal comma)."""
    x = float(x)
    if x.is_integer():
        return angka(x, 0)
    return angka(x, 4).rstrip("0").rstrip(",")


def _numeric_range(ind: Indicator, framework: Framework) -> tuple[float, float] | None:
    sc = ind.scoring
    if sc.method == "direct":
        return framework.scale
    return sc.valid


def _accepted(ind: Indicator, framework: Framework) -> str:
    """What an indicator's ``nilai`` accepts, for people (Bahasa Indonesia)."""
    sc = ind.scoring
    if sc.method == "rubric":
        return "tingkat rubrik: " + "; ".join(framework.rubric(sc.rubric).choices())
    rng = _numeric_range(ind, framework)
    unit = f" {sc.unit}" if sc.unit else ""
    if rng is None:
        return f"angka{unit}"
    return f"angka {_num(rng[0])} sampai {_num(rng[1])}{unit}"


_EMPTY_HINT = "Kosongkan bila bukti tidak ada."


def _indicator_sheet(ws: Worksheet, framework: Framework, regions: pd.DataFrame, year: int,
                     lists: _ListSheet) -> None:
    cols = TEMPLATE_INDICATOR_COLUMNS
    _header(ws, cols)
    nilai_col = get_column_letter(cols.index("nilai") + 1)
    sint_col = get_column_letter(cols.index("sintetis") + 1)
    cells: dict[str, list[str]] = {i.code: [] for i in framework.indicators}
    text_values: list[str] = []
    row = 1  # counted here: Worksheet.max_row scans every row
    for reg in regions.itertuples(index=False):
        for ind in framework.indicators:
            ws.append([year, str(reg.kode_wilayah), str(reg.nama_wilayah), ind.code, ind.name,
                       None, None, None, "tidak"])
            row += 1
            coord = f"{nilai_col}{row}"
            cells[ind.code].append(coord)
            if ind.scoring.method == "rubric":
                text_values.append(coord)
    _style_rows(ws, cols, text={"kode_wilayah", "kode_indikator", "bukti", "catatan",
                                "sintetis"}, inputs={"nilai", "bukti", "catatan", "sintetis"},
                last_row=row)
    for coord in text_values:  # a chosen "2: Berkembang" stays text
        ws[coord].style = _INPUT_TEXT
    for ind in framework.indicators:
        if not cells[ind.code]:
            continue
        dv = _indicator_validation(ind, framework, cells[ind.code], lists)
        if dv is not None:
            ws.add_data_validation(dv)
    if row > 1:
        ws.add_data_validation(_validation(
            [f"{sint_col}2:{sint_col}{row}"], kind="list", formula1='"ya,tidak"',
            title="Isian sintetis tidak sah", message="Pilih 'tidak' untuk data penilaian "
            "sungguhan, atau 'ya' hanya untuk data contoh buatan.",
            prompt_title="Data sintetis?", prompt="'tidak' untuk data sungguhan; 'ya' hanya "
            "untuk data contoh buatan (ditandai DATA SINTETIS di setiap laporan)."))


def _indicator_validation(ind: Indicator, framework: Framework, cells: list[str],
                          lists: _ListSheet) -> DataValidation | None:
    sc = ind.scoring
    prompt_title = f"{ind.code} {ind.name}"
    if sc.method == "rubric":
        rubric = framework.rubric(sc.rubric)
        choices = rubric.choices()
        example = choices[min(2, len(choices) - 1)]
        return _validation(
            cells, kind="list", formula1=lists.formula(f"rubrik {rubric.code}", choices),
            title="Tingkat rubrik tidak sah",
            message=f"Pilih salah satu tingkat rubrik '{rubric.code}' dari daftar, mis. "
                    f"'{example}'. {_EMPTY_HINT}",
            prompt_title=prompt_title,
            prompt=f"Pilih tingkat dari daftar ({choices[0]} sampai {choices[-1]}). "
                   f"Keterangan tiap tingkat ada di sheet petunjuk. {_EMPTY_HINT}")
    rng = _numeric_range(ind, framework)
    if rng is None:  # goalposts without a valid range: any number is accepted
        return None
    unit = f" {sc.unit}" if sc.unit else ""
    between = f"antara {_num(rng[0])} dan {_num(rng[1])}{unit}"
    return _validation(
        cells, kind="decimal", operator="between", formula1=_xl_number(rng[0]),
        formula2=_xl_number(rng[1]), title="Nilai di luar rentang",
        message=f"{ind.code}: isi angka {between}. Ketik desimal sesuai pengaturan Excel "
                f"Anda (87,5 atau 87.5). {_EMPTY_HINT}",
        prompt_title=prompt_title,
        prompt=f"Angka {between} ({sc.describe()}). {_EMPTY_HINT}")


def _screening_years(crit: ScreeningCriterion, year: int) -> list[int | None]:
    """Prefilled data years: one per required year for a consecutive rule, else none."""
    rule = crit.rule
    if rule is not None and rule.op == "consecutive" and rule.years:
        return [year - k for k in range(1, rule.years + 1)]
    return [None]


def _screening_sheet(ws: Worksheet, framework: Framework, regions: pd.DataFrame, year: int,
                     lists: _ListSheet) -> None:
    cols = TEMPLATE_SCREENING_COLUMNS
    _header(ws, cols)
    nilai_col = get_column_letter(cols.index("nilai") + 1)
    year_col = get_column_letter(cols.index("tahun_data") + 1)
    cells: dict[str, list[str]] = {c.code: [] for c in framework.screening}
    row = 1
    for reg in regions.itertuples(index=False):
        for crit in framework.screening:
            for data_year in _screening_years(crit, year):
                ws.append([year, str(reg.kode_wilayah), str(reg.nama_wilayah), crit.code,
                           crit.name, None, data_year, None, None])
                row += 1
                cells[crit.code].append(f"{nilai_col}{row}")
    _style_rows(ws, cols, text={"kode_wilayah", "kriteria", "sumber", "catatan"},
                inputs={"nilai", "tahun_data", "sumber", "catatan"}, last_row=row)
    for crit in framework.screening:
        if crit.kind == "grade":
            for coord in cells[crit.code]:
                ws[coord].style = _INPUT_TEXT
        if cells[crit.code]:
            dv = _screening_validation(crit, cells[crit.code], lists)
            if dv is not None:
                ws.add_data_validation(dv)
    if row > 1:
        ws.add_data_validation(_validation(
            [f"{year_col}2:{year_col}{row}"], kind="whole", operator="lessThanOrEqual",
            formula1=str(year), title="Tahun data tidak sah",
            message=f"Isi tahun asal angka (bilangan bulat, mis. {year - 1}); tidak boleh "
                    f"sesudah tahun penilaian {year}.",
            prompt_title="Tahun data",
            prompt=f"Tahun asal angka, wajib bila nilai diisi; paling lambat {year}."))


def _screening_validation(crit: ScreeningCriterion, cells: list[str],
                          lists: _ListSheet) -> DataValidation | None:
    prompt_title = crit.name
    threshold = f"Ambang: {_threshold(crit.rule)}."
    if crit.kind == "grade":
        return _validation(
            cells, kind="list", formula1=lists.formula(crit.code, list(crit.grades)),
            title="Nilai tidak ada dalam daftar",
            message=f"{crit.name}: pilih dari daftar ({', '.join(crit.grades)}). "
                    f"Kosongkan bila tidak ditemukan.",
            prompt_title=prompt_title,
            prompt=f"Pilih dari daftar. {threshold} Kosongkan bila tidak ditemukan.")
    if crit.range is None:
        return None
    lo, hi = crit.range
    if crit.kind == "count":
        return _validation(
            cells, kind="whole", operator="between", formula1=_xl_number(lo),
            formula2=_xl_number(hi), title="Harus bilangan bulat",
            message=f"Isi jumlah berupa bilangan bulat antara {_num(lo)} dan {_num(hi)}. "
                    f"Kosongkan bila tidak diketahui.",
            prompt_title=prompt_title,
            prompt=f"Bilangan bulat {_num(lo)} sampai {_num(hi)}. {threshold}")
    return _validation(
        cells, kind="decimal", operator="between", formula1=_xl_number(lo),
        formula2=_xl_number(hi), title="Nilai di luar rentang",
        message=f"Isi angka antara {_num(lo)} dan {_num(hi)}. Ketik desimal sesuai "
                f"pengaturan Excel Anda. Kosongkan bila tidak ditemukan.",
        prompt_title=prompt_title,
        prompt=f"Angka {_num(lo)} sampai {_num(hi)}. {threshold}")


def _threshold(rule: Rule | None) -> str:
    """A screening threshold in Indonesian, or 'tidak dipublikasikan'."""
    if rule is None:
        return "tidak dipublikasikan"
    if rule.op == "consecutive":
        return rule.describe()
    value = rule.value
    return f"{rule.op} {_num(value)}" if isinstance(value, (int, float)) else rule.describe()


# -- the instructions sheet ------------------------------------------------------------------
def _instructions(ws: Worksheet, framework: Framework, regions: pd.DataFrame, year: int) -> None:
    ws.title = "petunjuk"
    for letter, width in zip("ABCDEF", (16, 46, 34, 52, 40, 30)):
        ws.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(text: str = "", font: Font | None = None) -> None:
        ws.append([text])
        if font is not None:
            ws.cell(row=ws.max_row, column=1).font = font

    def table(header: list[str], rows: list[list[object]]) -> None:
        ws.append(header)
        for k in range(1, len(header) + 1):
            c = ws.cell(row=ws.max_row, column=k)
            c.font, c.fill = _HEADER_FONT, _HEADER_FILL
        for r in rows:
            ws.append(r)
            for k in range(1, len(r) + 1):
                ws.cell(row=ws.max_row, column=k).alignment = wrap

    fw = framework
    n_screen_rows = sum(len(_screening_years(c, year)) for c in fw.screening)
    line(f"Petunjuk pengisian: {fw.programme}, tahun penilaian {year}", _TITLE_FONT)
    line(f"Kerangka penilaian: {fw.id} versi {fw.version}; {len(fw.components)} komponen, "
         f"{len(fw.indicators)} indikator, {len(fw.screening)} kriteria penyaringan; "
         f"{len(regions)} wilayah.")
    line(f"Wilayah dengan skor total >= {_num(fw.threshold)} yang lulus penyaringan "
         f"ditetapkan sebagai percontohan ({fw.designation_label}).")
    line(f"Simpan buku kerja ini di folder data/raw/{year}/ lalu periksa dengan: "
         f"antikorupsi validate --year {year}")
    line("Sel abu-abu sudah terisi (jangan diubah); sel kuning diisi penilai. "
         "Jangan menambah, menghapus, atau mengganti nama kolom dan sheet.")
    line()

    line("Sheet 'indikator'", _SECTION_FONT)
    line(f"Satu baris per wilayah dan indikator ({len(regions)} x {len(fw.indicators)} = "
         f"{len(regions) * len(fw.indicators)} baris).")
    table(["Kolom", "Arti"], [
        ["tahun", f"Tahun penilaian ({year}); sudah terisi."],
        ["kode_wilayah", "Kode Kemendagri kabupaten/kota, disimpan sebagai teks; sudah terisi."],
        ["nama_wilayah", "Nama wilayah, hanya untuk dibaca (tidak dipakai dalam perhitungan)."],
        ["kode_indikator", f"Kode indikator ({fw.indicator_codes[0]} sampai "
                           f"{fw.indicator_codes[-1]}); sudah terisi."],
        ["nama_indikator", "Nama indikator, hanya untuk dibaca."],
        ["nilai", "Isian penilai: tingkat rubrik dari daftar pilihan, atau angka dalam "
                  "rentang indikator (lihat tabel indikator di bawah)."],
        ["bukti", "Rujukan bukti dukung: nama berkas, tautan, atau nomor dokumen."],
        ["catatan", "Catatan penilai, mis. alasan nilai atau bukti yang belum diserahkan."],
        ["sintetis", "'tidak' untuk data penilaian sungguhan; 'ya' hanya untuk data contoh "
                     "buatan (setiap laporan lalu menandainya DATA SINTETIS)."],
    ])
    line()

    line("Cara mengisi nilai", _SECTION_FONT)
    line("- Indikator berbasis rubrik: pilih tingkat dari daftar tarik-turun, mis. "
         f"'{_example_choice(fw)}'. Dalam berkas CSV boleh juga ditulis nomor tingkatnya "
         "saja atau labelnya saja.")
    line("- Indikator berupa angka: desimal boleh memakai koma (87,5) atau titik (87.5). "
         "Di Excel ketik angka sesuai pengaturan desimal komputer Anda. Nilai di luar "
         "rentang ditolak.")
    line("- Bila bukti tidak ada, KOSONGKAN sel nilai: jangan isi 0 dan jangan hapus barisnya.")
    line(f"  Nilai kosong tetap terlihat dalam hasil (status 'kosong') dan diperlakukan "
         f"menurut kebijakan kerangka: {_missing_id(fw.missing_indicator)}.")
    line("  Kelengkapan data setiap wilayah dilaporkan bersama skornya.")
    line()

    line("Sheet 'penyaringan'", _SECTION_FONT)
    line(f"Satu baris per wilayah dan kriteria ({n_screen_rows} baris per wilayah); "
         "kriteria yang menuntut beberapa tahun berturut-turut punya satu baris per tahun "
         "data yang sudah terisi.")
    line("Baris untuk tahun data lain boleh ditambahkan: satu baris per wilayah, kriteria "
         "dan tahun data.")
    age = fw.max_data_age_years
    table(["Kolom", "Arti"], [
        ["kriteria", "Kode kriteria penyaringan; sudah terisi."],
        ["nama_kriteria", "Nama kriteria, hanya untuk dibaca."],
        ["nilai", "Angka (desimal boleh memakai koma), pilihan dari daftar, atau jumlah "
                  "berupa bilangan bulat, sesuai jenis kriteria (lihat tabel di bawah)."],
        ["tahun_data", f"Tahun asal angka; wajib bila nilai diisi dan tidak boleh sesudah "
                       f"{year}."
                       + (f" Angka dari sebelum {year - age} dianggap kedaluwarsa."
                          if age is not None else "")],
        ["sumber", "Sumber resmi atau publik angka: laporan, tautan berita, surat."],
        ["catatan", "Catatan, mis. di mana saja angka sudah dicari bila tidak ditemukan."],
    ])
    pending = ("penetapan wilayah ditunda (tertunda) sampai datanya diketahui"
               if fw.missing_screening == "pending" else "wilayah dianggap tidak lulus")
    line(f"Bila angka tidak ditemukan, kosongkan nilai dan tulis di catatan di mana sudah "
         f"dicari. Kriteria tanpa data: {pending}.")
    line()

    line("Indikator", _SECTION_FONT)
    comp_name = {c.code: c.name for c in fw.components}
    table(["Kode", "Nama", "Komponen", "Cara penskoran", "Isian yang diterima", "Keterangan"],
          [[i.code, i.name, f"{i.component} {comp_name.get(i.component, '')}",
            i.scoring.describe(), _accepted(i, fw), i.description]
           for i in fw.indicators])
    line()

    for rubric in fw.rubrics:
        users = [i.code for i in fw.indicators if i.scoring.rubric == rubric.code]
        line(f"Rubrik '{rubric.code}': {rubric.description}", _SECTION_FONT)
        if users:
            line("Dipakai oleh indikator: " + ", ".join(users) + ".")
        table(["Tingkat", "Label", "Skor", "Keterangan", "Pilihan dalam daftar"],
              [[lv.level, lv.label, _num(lv.score), lv.description, choice]
               for lv, choice in zip(rubric.levels, rubric.choices())])
        line()

    line("Kriteria penyaringan", _SECTION_FONT)
    table(["Kode", "Nama", "Jenis", "Isian yang diterima", "Ambang", "Sumber ambang"],
          [[c.code, c.name, _KIND.get(c.kind, c.kind), _screen_accepted(c),
            _threshold(c.rule), c.source or ""] for c in fw.screening])
    line()

    assumptions = fw.assumptions()
    if assumptions:
        line("Asumsi kerangka (nilai yang tidak dipublikasikan KPK)", _SECTION_FONT)
        for text in assumptions:
            line(f"- {text}")


def _example_choice(fw: Framework) -> str:
    for rubric in fw.rubrics:
        choices = rubric.choices()
        if choices:
            return choices[min(2, len(choices) - 1)]
    return "2: Berkembang"


def _screen_accepted(crit: ScreeningCriterion) -> str:
    if crit.kind == "grade":
        return ", ".join(crit.grades)
    if crit.range is None:
        return "angka" if crit.kind == "number" else "bilangan bulat >= 0"
    lo, hi = crit.range
    what = "bilangan bulat" if crit.kind == "count" else "angka"
    return f"{what} {_num(lo)} sampai {_num(hi)}"
