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

For the collection as provinces run it, :func:`write_region_templates` writes one
workbook per region (``antikorupsi template --per-region``): the region's code and name
prefilled, ``tahap = mandiri`` (self-assessment), the sheets locked (sheet protection
without a password) except the cells the region fills, no ``penyaringan`` sheet
(screening figures come from their publishers, collected by the province), and a
``tindak_lanjut`` sheet carrying last year's recommendations for the region with a
status dropdown and evidence to fill. A stage may also be given to the one-workbook
template (``--tahap verifikasi --penilai KPK-01 --instansi KPK``): an assessor's
workbook for every region.

Every cell is written by :func:`put`: text is stored as text (a name or note starting
with ``=`` never becomes a live formula). Workbooks are saved byte-identically for
identical inputs (fixed timestamps inside the package).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .fmt import angka
from .framework import Framework, Indicator, Rule, ScreeningCriterion, missing_policy_text
from .sheets import save_workbook, xlsx_value

__all__ = ["write_template", "write_region_templates", "region_template_name", "put",
           "save_workbook", "TEMPLATE_INDICATOR_COLUMNS", "TEMPLATE_STAGE_COLUMNS",
           "TEMPLATE_SCREENING_COLUMNS", "TEMPLATE_FOLLOWUP_COLUMNS"]

TEMPLATE_INDICATOR_COLUMNS = ["tahun", "kode_wilayah", "nama_wilayah", "kode_indikator",
                              "nama_indikator", "nilai", "bukti", "catatan", "sintetis"]
#: The indicator sheet of a workbook for one stage (self-assessment, assessor, plenary).
TEMPLATE_STAGE_COLUMNS = ["tahun", "kode_wilayah", "nama_wilayah", "kode_indikator",
                          "nama_indikator", "tahap", "penilai", "instansi", "nilai", "bukti",
                          "catatan", "sintetis"]
TEMPLATE_FOLLOWUP_COLUMNS = ["tahun", "kode_wilayah", "nama_wilayah", "tahun_rekomendasi",
                             "no", "kode_indikator", "nama_indikator", "rekomendasi", "status",
                             "bukti", "catatan"]
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
           "kriteria": 12, "nama_kriteria": 48, "tahun_data": 11, "sumber": 40,
           "tahap": 11, "penilai": 14, "instansi": 18, "tahun_rekomendasi": 11, "no": 5,
           "rekomendasi": 60, "status": 16}
#: Inside the saved package every timestamp is this one (byte-identical workbooks).
_KIND = {"number": "angka", "grade": "pilihan dari daftar", "count": "jumlah (bilangan bulat)"}

# Excel limits the texts of a data validation (longer ones make the file unreadable).
_TITLE_MAX, _MESSAGE_MAX = 32, 225


def write_template(path: str | Path, framework: Framework, regions: pd.DataFrame,
                   year: int, *, stage: str | None = None, assessor: str = "",
                   institution: str = "", screening: bool | None = None,
                   followup: pd.DataFrame | None = None, lock: bool = False) -> Path:
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
    stage : str, optional
        ``mandiri``, ``verifikasi`` or ``final``: the indicator sheet gets the columns
        ``tahap`` (prefilled), ``penilai`` and ``instansi`` (prefilled when
        ``assessor``/``institution`` are given). Without it the sheet has no stage
        columns and holds final values, as before stages existed.
    screening : bool, optional
        Include the ``penyaringan`` sheet. Default: yes without a stage, no with one.
    followup : pandas.DataFrame, optional
        Last year's recommendations (:func:`antikorupsi.collection.recommendations`
        layout); given, a ``tindak_lanjut`` sheet lists them with status and evidence
        to fill (an empty frame gives the sheet with its header only).
    lock : bool
        Protect the sheets (no password): only the cells to fill can be edited.

    Returns
    -------
    Path
        ``path``. Saved in ``data/raw/<year>/`` and filled in, the workbook reads back
        through :func:`antikorupsi.inputs.read_year` without edits; left blank it reads
        back as all values missing.
    """
    from .inputs import STAGES

    if stage is not None and stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    if screening is None:
        screening = stage is None
    path = Path(path)
    wb = Workbook()
    _add_styles(wb)
    ws_ind = wb.create_sheet("indikator")
    ws_scr = wb.create_sheet("penyaringan") if screening else None
    ws_fol = wb.create_sheet("tindak_lanjut") if followup is not None else None
    lists = _ListSheet(wb.create_sheet(LISTS_SHEET))
    _instructions(wb.active, framework, regions, year, stage=stage, screening=screening,
                  followup=followup is not None)
    _indicator_sheet(ws_ind, framework, regions, year, lists, stage=stage, assessor=assessor,
                     institution=institution)
    if ws_scr is not None:
        _screening_sheet(ws_scr, framework, regions, year, lists)
    if ws_fol is not None:
        _followup_sheet(ws_fol, framework, regions, year, followup, lists)
    lists.ws.sheet_state = "hidden"
    if lock:
        for ws in wb.worksheets:
            _protect(ws)
    wb.active = 0
    # text as explicit string cells (never a live formula); atomic, byte-identical
    return save_workbook(wb, path)


def put(ws: Worksheet, row: int, column: int, value: object, style: str | None = None):
    """Write one cell as a value openpyxl can store (:func:`antikorupsi.sheets.xlsx_value`);
    text never becomes a live formula because :func:`~antikorupsi.sheets.save_workbook`
    neutralises every text cell on saving."""
    c = ws.cell(row=row, column=column)
    # stored as given; save_workbook makes every text cell a string cell, and formula-like
    # text quoted, for all workbooks alike (antikorupsi.sheets)
    c.value = xlsx_value(value)
    if style is not None:
        c.style = style
    return c


def _put_row(ws: Worksheet, row: int, values: list[object]) -> None:
    for k, v in enumerate(values, start=1):
        if v is not None:
            put(ws, row, k, v)


def _protect(ws: Worksheet) -> None:
    """Sheet protection without a password: cells styled as input stay editable;
    filtering, sorting and resizing stay allowed."""
    p = ws.protection
    p.sheet = True
    p.autoFilter = False
    p.sort = False
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def region_template_name(code: str, name: str) -> str:
    """``"3601_kabupaten-pandeglang.xlsx"``: the code first, then a bounded ASCII slug."""
    from .fmt import ascii_slug

    return f"{code}_{ascii_slug(name, '-')[:60] or 'wilayah'}.xlsx"


def write_region_templates(out_dir: str | Path, framework: Framework, regions: pd.DataFrame,
                           year: int, recommendations: pd.DataFrame | None = None,
                           progress: bool = False) -> list[Path]:
    """One locked self-assessment workbook per region, ``<out_dir>/<code>_<name>.xlsx``.

    Parameters
    ----------
    out_dir : folder to write to (created when missing).
    framework, year : as :func:`write_template`.
    regions : the regions to write a workbook for.
    recommendations : last year's recommendations of every region
        (:func:`antikorupsi.collection.previous_recommendations`), or None when there
        is no scored previous year: the ``tindak_lanjut`` sheet then has its header only.

    Returns
    -------
    list of Path
        The workbooks written, in region order.
    """
    out = Path(out_dir)
    recs = recommendations
    written = []
    items = list(regions.itertuples(index=False))
    if progress and len(items) > 1:
        from tqdm import tqdm

        items = tqdm(items, desc="Templat", unit="wilayah")
    for reg in items:
        one = regions[regions["kode_wilayah"] == reg.kode_wilayah]
        mine = (recs[recs["kode_wilayah"] == reg.kode_wilayah] if recs is not None
                else pd.DataFrame(columns=["kode_wilayah", "tahun_rekomendasi", "no",
                                           "kode_indikator", "rekomendasi"]))
        path = out / region_template_name(str(reg.kode_wilayah), str(reg.nama_wilayah))
        written.append(write_template(path, framework, one, year, stage="mandiri",
                                      followup=mine, lock=True))
    return written


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
            put(self.ws, 1, col, title).font = _BOLD
            for k, item in enumerate(items, start=2):
                put(self.ws, k, col, item).number_format = TEXT
            letter = get_column_letter(col)
            self.formulas[key] = (f"{quote_sheetname(self.ws.title)}!${letter}$2:"
                                  f"${letter}${len(items) + 1}")
            self.ws.column_dimensions[letter].width = max(12, *(len(i) + 2 for i in items))
        return self.formulas[key]


def _header(ws: Worksheet, columns: list[str]) -> None:
    for k, name in enumerate(columns, start=1):
        c = put(ws, 1, k, name)
        c.font, c.fill = _HEADER_FONT, _HEADER_FILL
        c.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(k)].width = _WIDTHS.get(name, 14)
    ws.freeze_panes = "A2"


def _add_styles(wb: Workbook) -> None:
    """Named styles: one lookup per cell instead of one per attribute (fast on 514 regions)."""
    for name, fill, fmt, locked in ((_FILLED, _FILLED_FILL, "General", True),
                                    (_FILLED_TEXT, _FILLED_FILL, TEXT, True),
                                    (_INPUT, _INPUT_FILL, "General", False),
                                    (_INPUT_TEXT, _INPUT_FILL, TEXT, False)):
        wb.add_named_style(NamedStyle(name, fill=fill, number_format=fmt,
                                      protection=Protection(locked=locked)))


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
                     lists: _ListSheet, stage: str | None = None, assessor: str = "",
                     institution: str = "") -> None:
    cols = TEMPLATE_INDICATOR_COLUMNS if stage is None else TEMPLATE_STAGE_COLUMNS
    _header(ws, cols)
    nilai_col = get_column_letter(cols.index("nilai") + 1)
    sint_col = get_column_letter(cols.index("sintetis") + 1)
    cells: dict[str, list[str]] = {i.code: [] for i in framework.indicators}
    text_values: list[str] = []
    row = 1  # counted here: Worksheet.max_row scans every row
    for reg in regions.itertuples(index=False):
        for ind in framework.indicators:
            row += 1
            values = {"tahun": year, "kode_wilayah": str(reg.kode_wilayah),
                      "nama_wilayah": str(reg.nama_wilayah), "kode_indikator": ind.code,
                      "nama_indikator": ind.name, "tahap": stage, "penilai": assessor or None,
                      "instansi": institution or None, "sintetis": "tidak"}
            _put_row(ws, row, [values.get(c) for c in cols])
            coord = f"{nilai_col}{row}"
            cells[ind.code].append(coord)
            if ind.scoring.method == "rubric":
                text_values.append(coord)
    inputs = {"nilai", "bukti", "catatan", "sintetis"}
    if not assessor:
        inputs.add("penilai")
    if not institution:
        inputs.add("instansi")
    _style_rows(ws, cols, text={"kode_wilayah", "kode_indikator", "bukti", "catatan",
                                "sintetis", "tahap", "penilai", "instansi"},
                inputs=inputs & set(cols), last_row=row)
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


def _followup_sheet(ws: Worksheet, framework: Framework, regions: pd.DataFrame, year: int,
                    recs: pd.DataFrame, lists: _ListSheet) -> None:
    """Last year's recommendations, prefilled and locked; status, evidence, note to fill."""
    from .inputs import FOLLOWUP_STATUS

    cols = TEMPLATE_FOLLOWUP_COLUMNS
    _header(ws, cols)
    names = dict(zip(regions["kode_wilayah"].astype(str), regions["nama_wilayah"].astype(str)))
    ind_names = {i.code: i.name for i in framework.indicators}
    row = 1
    ordered = recs.sort_values(["kode_wilayah", "tahun_rekomendasi", "no"], kind="stable")
    for r in ordered.itertuples(index=False):
        code = str(r.kode_wilayah)
        row += 1
        values = {"tahun": year, "kode_wilayah": code, "nama_wilayah": names.get(code, ""),
                  "tahun_rekomendasi": int(r.tahun_rekomendasi), "no": int(r.no),
                  "kode_indikator": str(r.kode_indikator or ""),
                  "nama_indikator": ind_names.get(str(r.kode_indikator), ""),
                  "rekomendasi": str(r.rekomendasi)}
        _put_row(ws, row, [values.get(c) or None if c != "no" else values[c] for c in cols])
    _style_rows(ws, cols, text={"kode_wilayah", "kode_indikator", "rekomendasi", "status",
                                "bukti", "catatan"},
                inputs={"status", "bukti", "catatan"}, last_row=row)
    for (cell,) in ws.iter_rows(min_row=2, max_row=row, min_col=cols.index("rekomendasi") + 1,
                                max_col=cols.index("rekomendasi") + 1):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    status_col = get_column_letter(cols.index("status") + 1)
    if row > 1:
        ws.add_data_validation(_validation(
            [f"{status_col}2:{status_col}{row}"], kind="list",
            formula1=lists.formula("status tindak lanjut", list(FOLLOWUP_STATUS)),
            title="Status tidak sah",
            message="Pilih dari daftar: " + ", ".join(FOLLOWUP_STATUS) + ".",
            prompt_title="Status tindak lanjut",
            prompt="Pilih status pelaksanaan rekomendasi; untuk 'selesai' isi juga bukti."))


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
                row += 1
                _put_row(ws, row, [year, str(reg.kode_wilayah), str(reg.nama_wilayah),
                                   crit.code, crit.name, None, data_year, None, None])
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
_STAGE_TEXT = {
    "mandiri": "penilaian mandiri oleh pemerintah kabupaten/kota",
    "verifikasi": "verifikasi oleh penilai",
    "final": "keputusan rapat pleno penilai",
}


def _instructions(ws: Worksheet, framework: Framework, regions: pd.DataFrame, year: int,
                  stage: str | None = None, screening: bool = True,
                  followup: bool = False) -> None:
    ws.title = "petunjuk"
    for letter, width in zip("ABCDEF", (16, 46, 34, 52, 40, 30)):
        ws.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    at = [0]  # the last row written

    def line(text: str = "", font: Font | None = None) -> None:
        at[0] += 1
        if text:
            c = put(ws, at[0], 1, text)
            if font is not None:
                c.font = font

    def table(header: list[str], rows: list[list[object]]) -> None:
        at[0] += 1
        for k, h in enumerate(header, start=1):
            c = put(ws, at[0], k, h)
            c.font, c.fill = _HEADER_FONT, _HEADER_FILL
        for r in rows:
            at[0] += 1
            for k, v in enumerate(r, start=1):
                if v is not None:
                    put(ws, at[0], k, v).alignment = wrap

    fw = framework
    n_screen_rows = sum(len(_screening_years(c, year)) for c in fw.screening)
    line(f"Petunjuk pengisian: {fw.programme}, tahun penilaian {year}", _TITLE_FONT)
    if stage is not None:
        who = (f" {regions['nama_wilayah'].iloc[0]} ({regions['kode_wilayah'].iloc[0]})"
               if len(regions) == 1 else "")
        line(f"Buku kerja ini untuk tahap {stage}: {_STAGE_TEXT[stage]}{who}.", _SECTION_FONT)
    line(f"Kerangka penilaian: {fw.id} versi {fw.version}; {len(fw.components)} komponen, "
         f"{len(fw.indicators)} indikator, {len(fw.screening)} kriteria penyaringan; "
         f"{len(regions)} wilayah.")
    line(f"Wilayah dengan skor total >= {_num(fw.threshold)} yang lulus penyaringan "
         f"ditetapkan sebagai percontohan ({fw.designation_label}).")
    if stage == "mandiri":
        line("Isi lalu kirim kembali buku kerja ini kepada Inspektorat Provinsi. Inspektorat "
             f"menyimpannya di folder data/raw/{year}/ (mis. data/raw/{year}/mandiri/) lalu "
             f"memeriksanya dengan: antikorupsi status --year {year}")
    else:
        line(f"Simpan buku kerja ini di folder data/raw/{year}/ lalu periksa dengan: "
             f"antikorupsi validate --year {year}")
    line("Sel abu-abu sudah terisi (jangan diubah); sel kuning diisi penilai. "
         "Jangan menambah, menghapus, atau mengganti nama kolom dan sheet."
         + (" Sheet dikunci tanpa kata sandi: hanya sel kuning yang dapat diubah."
            if stage == "mandiri" else ""))
    line()

    line("Sheet 'indikator'", _SECTION_FONT)
    line(f"Satu baris per wilayah dan indikator ({len(regions)} x {len(fw.indicators)} = "
         f"{len(regions) * len(fw.indicators)} baris).")
    stage_rows = [] if stage is None else [
        ["tahap", f"Tahap penilaian: {stage} ({_STAGE_TEXT[stage]}); sudah terisi. Nilai "
                  "tahap yang lebih akhir (final > verifikasi > mandiri) menggantikan nilai "
                  "tahap sebelumnya."],
        ["penilai", "Kode atau nama penilai; wajib untuk tahap verifikasi (satu penilai per "
                    "baris), boleh kosong untuk tahap lain."],
        ["instansi", "Instansi penilai, mis. KPK, Kemendagri, KemenPAN-RB, BPKP, Ombudsman, "
                     "Inspektorat Provinsi."],
    ]
    table(["Kolom", "Arti"], stage_rows + [
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
         f"menurut kebijakan kerangka: {missing_policy_text(fw.missing_indicator)}.")
    line("  Kelengkapan data setiap wilayah dilaporkan bersama skornya.")
    line()

    if followup:
        line("Sheet 'tindak_lanjut'", _SECTION_FONT)
        line(f"Rekomendasi hasil penilaian {year - 1} untuk wilayah ini (sudah terisi). Isi "
             "status pelaksanaannya dan bukti; laporan penilaian menampilkan apa yang sudah "
             "dilaksanakan.")
        from .inputs import FOLLOWUP_STATUS

        table(["Kolom", "Arti"], [
            ["tahun_rekomendasi", "Tahun penilaian yang menghasilkan rekomendasi; sudah terisi."],
            ["no", "Nomor urut rekomendasi; sudah terisi."],
            ["rekomendasi", "Teks rekomendasi; sudah terisi."],
            ["status", "Pilih dari daftar: " + ", ".join(FOLLOWUP_STATUS) + "."],
            ["bukti", "Rujukan dokumen pelaksanaan; wajib bila status 'selesai'."],
            ["catatan", "Catatan, mis. kendala atau jadwal penyelesaian."],
        ])
        line()

    if not screening:
        line("Kriteria penyaringan", _SECTION_FONT)
        line("Angka penyaringan (MCP, SPI, SAKIP, Ombudsman, SPIP, SPBE, opini BPK, kasus) "
             "dikumpulkan Inspektorat Provinsi dari sumber resminya, tidak dari buku kerja ini.")
        line()
    else:
        _screening_instructions(line, table, fw, year, n_screen_rows)

    _reference_instructions(line, table, fw)


def _screening_instructions(line, table, fw: Framework, year: int, n_screen_rows: int) -> None:
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


def _reference_instructions(line, table, fw: Framework) -> None:
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
