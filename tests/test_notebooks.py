"""The report notebooks for real: committed clean, executed, exported and printed.

The slow tests score the Banten sample into a temporary folder and render through
``antikorupsi.render`` (kernels, HTML, Chromium PDF) exactly as ``antikorupsi report``
does. PDF checks need Chromium and poppler-utils (pdfinfo, pdftotext); without them
those tests are skipped, saying why.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from antikorupsi.cli import main
from antikorupsi.pipeline import score_and_write

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
SAMPLE_RAW = REPO / "data" / "raw"
REPORT_NOTEBOOKS = ("laporan_wilayah.ipynb", "laporan_tahunan.ipynb")


# -- committed notebooks (fast) ----------------------------------------------------------
@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_notebooks_have_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} sel {i}: ada keluaran"
            assert cell.get("execution_count") is None, f"{path.name} sel {i}: nomor eksekusi"


@pytest.mark.parametrize("name", REPORT_NOTEBOOKS)
def test_report_notebooks_are_thin(name):
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1 and code[0] is params[0]
    tree = ast.parse("".join(params[0]["source"]))
    for stmt in tree.body:  # plain values only: derived values belong in a later cell
        assert isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant), \
            ast.unparse(stmt)
    values = {s.targets[0].id: s.value.value for s in tree.body}
    assert values["year"] == 2025 and values["processed_dir"] == "data/processed"
    if name == "laporan_wilayah.ipynb":
        assert values["region_code"] == "3674"  # a string, not an int
    else:
        assert values["province"] is None
    for cell in code[1:]:  # one or two library calls per cell
        calls = [n for n in ast.walk(ast.parse("".join(cell["source"])))
                 if isinstance(n, ast.Call)]
        assert 1 <= len(calls) <= 2, "".join(cell["source"])
    assert not [c for c in nb["cells"] if c["cell_type"] == "markdown"]  # would be printed


# -- real runs (slow) --------------------------------------------------------------------
@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("olahan")
    for year in (2024, 2025):
        score_and_write(year, SAMPLE_RAW, root)
    return root


def _needs(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"tidak terpasang: {', '.join(missing)}")


def _pdf_lines(path: Path, first: int | None = None, last: int | None = None) -> list[str]:
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    out = subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def _pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    return re.sub(r"\s+", " ", "\n".join(_pdf_lines(path, first, last)))


def _pdf_info(path: Path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@pytest.fixture(scope="module")
def national_processed(tmp_path_factory) -> Path:
    """The synthetic national set (514 regions), 2025 only, scored."""
    from antikorupsi.national import write_national

    root = tmp_path_factory.mktemp("nasional")
    write_national(root / "mentah", [2025])
    score_and_write(2025, root / "mentah", root / "olahan",
                    regions=root / "mentah" / "wilayah.csv")
    return root / "olahan"


@pytest.fixture(scope="module")
def rendered(processed, national_processed, tmp_path_factory):
    """All 2025 sample reports, plus the national annual report, rendered once to HTML and
    PDF in one render run (one set of kernels, one browser); returns (summary of the
    sample's jobs, out dir, seconds, national out dir)."""
    import time

    from antikorupsi.render import RenderSummary, find_browser, render
    from antikorupsi.reporting import _write_reports_manifest, plan_year

    if find_browser() is None:
        pytest.skip("tidak ada Chromium/Chrome untuk mencetak PDF")
    out = tmp_path_factory.mktemp("laporan")
    plan = plan_year(2025, processed_dir=processed, out_dir=out)
    national = plan_year(2025, processed_dir=national_processed, out_dir=out / "nasional",
                         annual_only=True, audit=False)  # the audit has tests of its own
    start = time.perf_counter()
    both = render(list(plan.jobs) + list(national.jobs), progress=False)
    seconds = time.perf_counter() - start
    mine = {id(j) for j in plan.jobs}
    summary = RenderSummary(  # the sample's jobs; a failure anywhere fails the tests
        done=tuple(j for j in both.done if id(j) in mine),
        skipped=tuple(j for j in both.skipped if id(j) in mine),
        failed=both.failed, pdf_skipped_reason=both.pdf_skipped_reason,
        elapsed=both.elapsed)
    _write_reports_manifest(plan, summary)
    return summary, out / "2025", seconds, out / "nasional" / "2025"


@pytest.mark.slow
def test_all_reports_render_to_html_and_a4_pdf(rendered, processed):
    _needs("pdfinfo", "pdftotext")
    import pandas as pd

    from antikorupsi.fmt import angka

    summary, out, *_ = rendered
    assert summary.ok, [(f.label, f.error_message) for f in summary.failed]
    assert summary.pdf_skipped_reason is None
    assert len(summary.done) == 10  # eight regions, the annual report and the audit
    results = pd.read_parquet(processed / "2025" / "hasil_wilayah.parquet")
    for row in results.itertuples(index=False):
        pdfs = list(out.glob(f"{row.kode_wilayah}_*.pdf"))
        assert len(pdfs) == 1, row.kode_wilayah
        info = _pdf_info(pdfs[0])
        assert "(A4)" in info["Page size"], info["Page size"]
        text = _pdf_text(pdfs[0])
        assert row.nama_wilayah in text
        assert angka(row.skor_total) in text  # e.g. "93,50"
        assert "DATA SINTETIS" in text
        assert "Halaman 1 dari" in text  # page numbers in the footer
        page_html = pdfs[0].with_suffix(".html").read_text(encoding="utf-8")
        assert "jp-InputArea" not in page_html and "input_area" not in page_html
        assert "report.load(" not in page_html  # no code leaked into the page
        assert not re.search(r"<script[^>]+src=|<link[^>]+href=\"https?:", page_html)
    annual = out / "laporan_tahunan_2025.pdf"
    text = _pdf_text(annual)
    assert "(A4)" in _pdf_info(annual)["Page size"]
    assert "Laporan Tahunan 2025" in text and "DATA SINTETIS" in text
    assert "Kota Tangerang Selatan" in text and "93,50" in text
    audit = out / "audit_2025.pdf"
    text = _pdf_text(audit)
    assert "(A4)" in _pdf_info(audit)["Page size"]
    assert "Audit Statistik 2025" in text and "DATA SINTETIS" in text
    for heading in ("Statistik indikator", "Korelasi", "Konsistensi internal komponen",
                    "Pengaruh efektif komponen", "Dari mana ketidakpastian peringkat berasal",
                    "Asumsi yang dipakai", "Asal data"):
        assert heading in text, heading
    assert not re.search(r"\d\.\d\d(?!\d)", text.replace("2025.1", "")), \
        "decimal point in Indonesian text"


@pytest.mark.slow
def test_reports_manifest_and_skipping(rendered, processed):
    from antikorupsi.reporting import report_year

    summary, out, *_ = rendered
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tahun"] == 2025 and manifest["jumlah_laporan"] == 10
    assert {e["jenis"] for e in manifest["laporan"]} == {"wilayah", "tahunan", "audit"}
    keys = {e["stem"]: e["kunci"] for e in manifest["laporan"]}
    assert {e["status"] for e in manifest["laporan"]} == {"selesai"}
    assert keys == {j.out_stem.name: j.key for j in summary.done}
    tahunan = next(e for e in manifest["laporan"] if e["jenis"] == "tahunan")
    assert set(tahunan["berkas"]) == {"ipynb", "html", "pdf"}
    # nothing changed: every report is skipped and the manifest says so
    again = report_year(2025, processed_dir=processed, out_dir=out.parent, progress=False)
    assert len(again.skipped) == 10 and not again.done and again.ok
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {e["status"] for e in manifest["laporan"]} == {"dilewati"}


@pytest.mark.slow
def test_page_one_names_the_blocking_reason_and_three_actions_with_gains(rendered):
    _needs("pdftotext", "pdfinfo")
    _, out, *_ = rendered
    pdfs = sorted(out.glob("36??_*.pdf"))
    assert len(pdfs) == 8
    for pdf in pdfs:
        page1 = _pdf_text(pdf, 1, 1)
        assert "Ringkasan untuk Kepala Daerah" in page1, pdf.name
        assert re.search(r"tidak ditetapkan:|penetapannya tertunda:|memenuhi syarat ditetapkan",
                         page1), pdf.name
        assert "Yang menghalangi penetapan" in page1, pdf.name
        assert "Tiga langkah prioritas" in page1, pdf.name
        assert len(re.findall(r"\+\d+,\d\d poin", page1)) >= 3, pdf.name
        # a unique title per region and year, also in the PDF metadata
        code = pdf.stem.split("_")[0]
        assert code in _pdf_info(pdf)["Title"] and "2025" in _pdf_info(pdf)["Title"]
    serang = _pdf_text(next(out.glob("3673_*.pdf")), 1, 1)
    assert "tidak lulus penyaringan Skor SPI (64,86 pada 2024; ambang ≥ 68)" in serang
    assert "19,41 poin di bawah ambang 90" in serang
    pandeglang = _pdf_text(next(out.glob("3601_*.pdf")), 1, 1)
    assert "I01 Skor MCP" in pandeglang and "+6,18 poin" in pandeglang


@pytest.mark.slow
def test_no_report_shows_a_value_and_no_data_for_the_same_criterion(rendered):
    """MCP has a value on the indicator side in every sample region: no line of any report
    may pair the MCP criterion with "tidak ada data"."""
    _needs("pdftotext")
    _, out, _, national = rendered
    pdfs = sorted(out.glob("*.pdf")) + sorted(national.glob("*.pdf"))
    assert len(pdfs) == 11  # 8 regions, annual report, audit; the national annual report
    for pdf in pdfs:
        for line in _pdf_lines(pdf):
            assert not ("Skor MCP" in line and "tidak ada data" in line), (pdf.name, line)
        text = _pdf_text(pdf)
        assert "semua kriteria" not in text.lower(), pdf.name


@pytest.mark.slow
def test_national_annual_report_lists_near_90_regions_and_moves_the_ranking(rendered,
                                                                            national_processed):
    _needs("pdftotext", "pdfinfo")
    import pandas as pd

    _, _, _, national = rendered
    pdf = national / "laporan_tahunan_2025.pdf"
    text = _pdf_text(pdf)
    results = pd.read_parquet(national_processed / "2025" / "hasil_wilayah.parquet")
    near = results[(results["skor_total"].round(9) < 90) & (results["skor_total"] >= 85)]
    assert len(near) > 5
    section = text.split("Wilayah mendekati ambang 90")[1].split("Data penyaringan")[0]
    for name in near["nama_wilayah"]:  # long names wrap in their cell: their start
        assert (name if len(name) <= 20 else " ".join(name.split()[:2])) in section, name
    assert "Peta tidak tersedia" in text  # only Banten's outlines ship
    body, appendix = text.split("Lampiran: peringkat lengkap")
    assert "Peringkat: 25 teratas" in body
    assert results.sort_values("peringkat")["nama_wilayah"].iloc[-1] in appendix
    assert "Angka penyaringan adalah angka terbitan" not in text  # they are synthetic here
    assert "(A4)" in _pdf_info(pdf)["Page size"]


@pytest.mark.slow
def test_cli_unknown_region_exits_2_and_writes_nothing(processed, tmp_path, capsys):
    out = tmp_path / "laporan"
    code = main(["report", "--year", "2025", "--region", "3674", "9999",
                 "--processed", str(processed), "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "9999" in err and "3601 (Kabupaten Pandeglang)" in err
    assert not out.exists()
    code = main(["report", "--year", "2023", "--processed", str(processed), "--out", str(out)])
    assert code == 2
    assert "jalankan dulu antikorupsi score --year 2023" in capsys.readouterr().err


@pytest.mark.slow
def test_one_failing_region_leaves_the_others_complete(processed, tmp_path, capsys):
    """A notebook that raises for one region: the rest render, the exit code says so."""
    nb_dir = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, nb_dir)
    path = nb_dir / "laporan_wilayah.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].insert(2, {
        "cell_type": "code", "id": "gagal", "metadata": {}, "outputs": [],
        "execution_count": None,
        "source": ['if region_code == "3673":\n', '    raise RuntimeError("uji kegagalan")'],
    })
    path.write_text(json.dumps(nb), encoding="utf-8")
    out = tmp_path / "laporan"
    code = main(["report", "--year", "2025", "--processed", str(processed), "--out", str(out),
                 "--notebooks", str(nb_dir), "--format", "html"])
    assert code == 1
    printed = capsys.readouterr().out
    assert "gagal: 1" in printed
    assert "3673 Kota Serang" in printed and "sel ke-3" in printed
    assert "RuntimeError: uji kegagalan" in printed
    year_dir = out / "2025"
    htmls = sorted(p.name for p in year_dir.glob("*.html"))
    assert len(htmls) == 9 and not any(n.startswith("3673_") for n in htmls)  # + audit
    for name in htmls:
        assert "DATA SINTETIS" in (year_dir / name).read_text(encoding="utf-8")
    manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    status = {e["stem"]: e["status"] for e in manifest["laporan"]}
    assert status.pop("3673_kota-serang") == "gagal"
    assert set(status.values()) == {"selesai"}


@pytest.mark.slow
def test_annual_notebook_runs_with_papermill_for_one_province(processed, tmp_path):
    """The analysts' route: papermill with a province filter and a string parameter."""
    import papermill

    out = tmp_path / "tahunan.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "laporan_tahunan.ipynb"), str(out),
        parameters={"year": 2024, "processed_dir": str(processed), "province": "Banten"},
        cwd=str(NOTEBOOKS), progress_bar=False, kernel_name="python3", execution_timeout=300)
    nb = json.loads(out.read_text(encoding="utf-8"))
    html = "".join("".join(o.get("data", {}).get("text/html", ""))
                   for c in nb["cells"] for o in c.get("outputs", []))
    assert "Laporan Tahunan 2024: Provinsi Banten" in html
    assert "Tidak ada data tahun sebelumnya" in html
    assert "DATA SINTETIS" in html
