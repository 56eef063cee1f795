"""Report content (antikorupsi.report, antikorupsi.charts) and job planning (reporting).

Everything runs in-process on the Banten sample scored into a temporary folder; the
notebooks themselves are executed in tests/test_notebooks.py.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from antikorupsi import charts, report
from antikorupsi.errors import InputError
from antikorupsi.pipeline import score_and_write
from antikorupsi.reporting import plan_year, slug

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RAW = REPO / "data" / "raw"


@pytest.fixture(scope="module", autouse=True)
def _no_gc_freeze():
    """Freezing the collector is for report kernels, not for the test process."""
    old = report.FREEZE_GC
    report.FREEZE_GC = False
    report.clear_cache()
    yield
    report.FREEZE_GC = old
    report.clear_cache()


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    """The Banten sample (2024 and 2025) scored into a temporary ``processed`` folder."""
    root = tmp_path_factory.mktemp("olahan")
    for year in (2024, 2025):
        score_and_write(year, SAMPLE_RAW, root)
    return root


@pytest.fixture(scope="module")
def data(processed):
    return report.load(processed, 2025)


def text_of(block) -> str:
    """The HTML of a block without SVG and style (numbers in SVG paths use dots)."""
    s = block.data if hasattr(block, "data") else str(block)
    s = re.sub(r"<svg.*?</svg>", "", s, flags=re.S)
    return re.sub(r"<style>.*?</style>", "", s, flags=re.S)


def plain(block) -> str:
    """Visible text of a block: tags removed, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text_of(block))))


# -- loading ---------------------------------------------------------------------------
def test_load_is_cached_by_folder_and_manifest_hash(processed, tmp_path):
    a = report.load(processed, 2025)
    assert report.load(str(processed), 2025) is a
    copy = tmp_path / "salinan"
    shutil.copytree(processed / "2025", copy / "2025")
    b = report.load(copy, 2025)
    assert b is not a  # another folder
    manifest = copy / "2025" / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    c = report.load(copy, 2025)
    assert c is not b  # same folder, manifest changed: reloaded
    assert report.load(copy, 2025) is c


def test_load_unscored_year_says_what_to_run(processed):
    with pytest.raises(InputError, match="jalankan dulu antikorupsi score --year 2023"):
        report.load(processed, 2023)


def test_bad_region_code_names_it_and_lists_valid_codes(data):
    with pytest.raises(InputError) as err:
        report.region(data, "9999")
    msg = str(err.value)
    assert "9999" in msg
    for code in ("3601", "3674"):
        assert code in msg
    assert "Kota Tangerang Selatan" in msg


def test_region_code_given_as_int_is_accepted(data):
    assert report.region(data, 3674).code == "3674"


# -- region report ---------------------------------------------------------------------
def test_header_has_synthetic_banner_and_key_figures(data):
    w = report.region(data, "3674")
    text = plain(report.header(w))
    assert report.SYNTHETIC_BANNER in text
    assert "Kota Tangerang Selatan" in text
    assert "93,50" in text
    assert "Istimewa" in text
    assert "Tertunda" in text  # total >= 90 but screening incomplete
    assert "1 dari 8" in text
    assert "penyaringan belum lengkap" in text


def test_no_banner_without_synthetic_values(tmp_path):
    raw = tmp_path / "raw"  # 2024: one CSV of final values (2025 is split in stages)
    shutil.copytree(SAMPLE_RAW / "2024", raw / "2024")
    ind = raw / "2024" / "indikator.csv"
    ind.write_text(re.sub(r",ya$", ",tidak", ind.read_text(encoding="utf-8"), flags=re.M),
                   encoding="utf-8")
    score_and_write(2024, raw, tmp_path / "olahan")
    d = report.load(tmp_path / "olahan", 2024)
    assert not d.synthetic
    w = report.region(d, "3674")
    assert "DATA SINTETIS" not in plain(report.header(w))
    assert "DATA SINTETIS" not in plain(report.annual_header(report.annual(d)))
    assert '"ak-tag">sintetis' not in report.indicators(w).data
    assert "dibuat acak" not in plain(report.indicators(w))


def test_sections_use_indonesian_number_formats(data):
    w = report.region(data, "3674")
    for block in (report.header(w), report.components(w), report.indicators(w),
                  report.change(w), report.uncertainty(w), report.strengths(w)):
        text = re.sub(r"versi \S+", "", plain(block))  # version numbers keep their dots
        # no decimal point anywhere ("10.000" is a thousands separator)
        assert not re.search(r"\d\.(?!\d{3}(?!\d))\d", text), text
    comp = plain(report.components(w))
    assert "98,30" in comp and "20,0%" in comp
    change = plain(report.change(w))
    assert "+2,18" in change and "91,32" in change
    ind = plain(report.indicators(w))
    assert "95%" in ind            # LHKPN compliance, a percentage
    assert "4: Optimal" in ind     # a rubric level with its label
    assert "5 hari" in ind         # a value with its unit


def test_screening_checklist_shows_values_sources_and_gaps(data):
    w = report.region(data, "3674")
    block = report.screening(w)
    text = plain(block)
    assert text_of(block).count("<tr>") == 1 + 8  # header + eight criteria
    assert "76,25" in text and "2024" in text
    assert "S4 banten.antaranews.com/berita/348777" in text
    assert "tidak ada data" in text
    assert "≥ 68" in text
    for outcome in ("lulus", "tidak diketahui", "tanpa ambang"):
        assert outcome in text


def test_indicator_table_flags_missing_synthetic_and_assumed(data):
    w = report.region(data, "3671")  # I11 has no evidence in the sample
    block = report.indicators(w)
    text = plain(block)
    assert text_of(block).count('class="ak-grup"') == 6
    assert "kosong, diberi 0" in text
    assert "bukti belum diserahkan" in text
    assert "sintetis" in text and "asumsi" in text
    assert "sintetis/2025/3671/I11" in text  # evidence reference


def test_components_compare_with_province_average_and_threshold(data):
    w = report.region(data, "3674")
    block = report.components(w)
    s = block.data
    assert "<svg" in s
    assert "Rata-rata Provinsi Banten (8 wilayah)" in html.unescape(s)
    assert "Ambang penetapan (90)" in html.unescape(s)


def test_change_without_previous_year(processed):
    d = report.load(processed, 2024)
    w = report.region(d, "3674")
    assert "Tidak ada data tahun sebelumnya" in plain(report.change(w))
    assert "Tidak ada data tahun sebelumnya" in plain(report.movers(report.annual(d)))
    assert d.rank_change is None and "Peluang peringkat" not in plain(report.change(w))


def test_change_shows_probability_of_rank_improvement(data):
    from antikorupsi.fmt import persen
    rc = data.rank_change
    assert rc is not None and data.rank_change is rc  # computed once, cached
    w = report.region(data, "3671")
    text = plain(report.change(w))
    t = rc.table.loc["3671"]
    assert "Peluang peringkat" in text and "10.000 simulasi" in text
    shown = t["p_turun"] if t["signifikan"] == "turun" else t["p_naik"]
    if 1 - t["p_naik"] - t["p_turun"] >= rc.level:
        assert "tidak bergantung pada bobot" in text
    else:
        assert persen(shown) in text
        assert {"naik": "kenaikan ini pasti", "turun": "penurunan ini pasti",
                "tidak pasti": "belum pasti"}[t["signifikan"]] in text
    # the region that stayed first in both years: its unchanged rank is stated as such
    top = report.region(data, "3674")
    tt = rc.table.loc["3674"]
    if 1 - tt["p_naik"] - tt["p_turun"] >= rc.level:
        assert "tidak bergantung pada bobot" in plain(report.change(top))
    movers = plain(report.movers(report.annual(data)))
    assert "P(naik)" in movers and persen(t["p_naik"]) in movers


def test_uncertainty_shows_rank_interval_and_probability(data):
    w = report.region(data, "3674")
    text = plain(report.uncertainty(w))
    assert "Rentang peringkat 5–95%" in text
    assert "Peluang skor total ≥ 90" in text
    p = float(data.uncertainty.table.loc["3674", "p_istimewa"])
    from antikorupsi.fmt import persen
    assert persen(p) in text
    assert "Seed" in text
    sentence = data.sensitivity.summary.loc["3674", "sentence"]
    assert sentence in text and "Kota Tangerang Selatan" in sentence


def test_strengths_weaknesses_and_framework_recommendations(data):
    w = report.region(data, "3601")
    text = plain(report.strengths(w))
    scores = w.indicators["skor"].sort_values(kind="stable")
    weakest = w.indicators.loc[scores.index[0]]
    assert "Kekuatan" in text and "Kelemahan" in text
    fw = data.framework
    recs = [fw.indicator(c).recommendation for c in fw.indicator_codes]
    found = [r for r in recs if " ".join(r.split()) in text]
    assert len(found) == 3
    assert angka_in(text, weakest["skor"])


def angka_in(text: str, x: float) -> bool:
    from antikorupsi.fmt import angka
    return angka(x) in text


def test_methodology_prints_every_assumption_and_weights(data):
    text = plain(report.methodology(data))
    for sentence in data.framework.assumptions():
        assert " ".join(sentence.split()) in text
    assert "25,0%" in text  # K2's component share
    assert "I02–I06: masing-masing 20,0%" in text


def test_provenance_lists_hashes_and_versions(data):
    text = plain(report.provenance(data))
    m = data.manifest
    if len(m["masukan"]) <= 12:
        for path, digest in m["masukan"].items():
            assert path in text and digest[:12] in text
    else:  # a collection of many workbooks is counted per folder; the manifest lists all
        assert f"{len(m['masukan'])} berkas" in text and "2025/mandiri/ 8 berkas" in text
        assert "daftar lengkap dengan sha256 di manifest.json" in text
    assert m["kerangka"]["sha256"][:12] in text
    assert m["kerangka"]["id"] in text and m["kerangka"]["versi"] in text
    assert f"versi {m['versi_paket']}" in text
    assert data.manifest_sha256[:12] in text


# -- annual report ---------------------------------------------------------------------
def test_annual_sections(data):
    t = report.annual(data)
    head = plain(report.annual_header(t))
    assert report.SYNTHETIC_BANNER in head and "Laporan Tahunan 2025" in head
    ranking = plain(report.ranking(t))
    for name in data.results["nama_wilayah"]:
        assert name in ranking
    assert "93,50" in ranking and "+7,89" in ranking
    des = plain(report.designations(t))
    assert "Kota Tangerang Selatan" in des and "Tertunda" in des
    for block in (report.heatmap(t), report.distribution(t), report.ranking_uncertainty(t)):
        assert "<svg" in block.data
        assert "DATA SINTETIS" in plain(block)
    movers = plain(report.movers(t))
    assert "Kenaikan terbesar" in movers and "Penurunan terbesar" in movers
    assert "−2,73" in movers  # Kabupaten Tangerang, true minus sign
    scr = plain(report.screening_summary(t))
    # MCP now comes from indicator I01 when no MCP figure of 2025 exists: 3 more regions
    # fail screening (I01 < 75), so 4 are "tidak lulus" and 4 "belum lengkap" (was 1 and 7)
    assert "Skor SPI" in scr and "tidak lulus 4" in scr and "belum lengkap 4" in scr


def test_annual_province_filter(data):
    assert len(report.annual(data, "36").results) == 8
    assert report.annual(data, "provinsi banten").province == "Banten"
    with pytest.raises(InputError, match="provinsi tidak dikenal"):
        report.annual(data, "Papua")


# -- charts ----------------------------------------------------------------------------
def _colours(svg: str) -> set[str]:
    return set(re.findall(r"(?:fill|stroke)[:=]\s*\"?(#[0-9a-fA-F]{6})", svg))


def test_charts_are_svg_greyscale_and_labelled(data):
    fw = data.framework
    r = data.results
    codes = fw.component_codes
    figs = {
        "bars": charts.component_bars(r.loc["3674", codes].astype(float), r[codes].mean(),
                                      {c: c for c in codes}),
        "heat": charts.component_heatmap(r[codes], list(r["nama_wilayah"]), codes),
        "dist": charts.score_distribution(r["skor_total"], kinds=r["jenis"],
                                          labels=r["nama_wilayah"]),
        "rank": charts.rank_intervals(data.uncertainty.table, r["nama_wilayah"]),
    }
    labels = {"bars": "Skor komponen (skala 0–100)", "dist": "Skor total (skala 0–100)",
              "rank": "Peringkat (1 = terbaik)"}
    for name, fig in figs.items():
        assert isinstance(fig, Figure)
        assert abs(fig.get_size_inches()[0] - 16 / 2.54) < 1e-9  # A4 text width
        svg = charts.svg(fig)
        assert svg.startswith("<svg") and "<?xml" not in svg and "<!--" not in svg
        for colour in _colours(svg):
            r_, g_, b_ = (colour[i:i + 2].lower() for i in (1, 3, 5))
            assert r_ == g_ == b_, (name, colour)  # greys only: reads the same printed
        if name in labels:
            assert labels[name] in svg
        assert not re.search(r">\s*\d+\.\d+\s*<", svg)  # tick labels use decimal commas


def test_chart_svg_is_deterministic(data):
    r = data.results
    codes = data.framework.component_codes

    def one():
        return charts.svg(charts.component_bars(r.loc["3601", codes].astype(float),
                                                r[codes].mean(), {c: c for c in codes}))
    assert one() == one()


def test_large_sets_switch_to_compact_charts():
    n = 120
    totals = pd.Series([50 + (i % 50) for i in range(n)], index=[str(i) for i in range(n)],
                       dtype=float)
    fig = charts.score_distribution(totals)
    assert "Jumlah wilayah" in charts.svg(fig)
    table = pd.DataFrame({"nominal_rank": range(1, n + 1), "median_rank": range(1, n + 1),
                          "rank_p05": range(1, n + 1), "rank_p95": range(1, n + 1)},
                         index=totals.index)
    assert "Peringkat nominal (1 = terbaik)" in charts.svg(charts.rank_intervals(table))


# -- planning the render jobs --------------------------------------------------------------
def test_slug():
    assert slug("Kota Tangerang Selatan") == "kota-tangerang-selatan"
    assert slug("Kab. Pulau Morotai (Baru)") == "kab-pulau-morotai-baru"
    assert slug("Tébing  Tinggi") == "tebing-tinggi"


def test_plan_year_jobs_names_and_keys(processed, tmp_path):
    plan = plan_year(2025, processed_dir=processed, out_dir=tmp_path / "laporan")
    stems = [j.out_stem.name for j in plan.jobs]
    assert "3674_kota-tangerang-selatan" in stems
    assert stems[-2:] == ["laporan_tahunan_2025", "audit_2025"]
    assert len(plan.jobs) == 10  # eight regions, the annual report and the audit
    audit_job = plan.jobs[-1]
    assert audit_job.notebook.name == "laporan_audit.ipynb"
    assert audit_job.parameters == {"year": 2025, "processed_dir": str(processed.resolve())}
    assert "DATA SINTETIS" in audit_job.label
    job = plan.jobs[stems.index("3674_kota-tangerang-selatan")]
    assert job.parameters == {"year": 2025, "region_code": "3674",
                              "processed_dir": str(processed.resolve())}
    assert isinstance(job.parameters["region_code"], str)
    assert "DATA SINTETIS" in job.label and "Kota Tangerang Selatan" in job.label
    assert job.out_stem.parent == tmp_path / "laporan" / "2025"
    again = plan_year(2025, processed_dir=processed, out_dir=tmp_path / "laporan")
    assert [j.key for j in again.jobs] == [j.key for j in plan.jobs]
    assert len({j.key for j in plan.jobs}) == len(plan.jobs)
    # another notebook gives other keys
    nb = tmp_path / "nb"
    shutil.copytree(REPO / "notebooks", nb)
    region_nb = nb / "laporan_wilayah.ipynb"
    doc = json.loads(region_nb.read_text(encoding="utf-8"))
    doc["cells"].append({"cell_type": "markdown", "id": "tambahan", "metadata": {},
                         "source": ["catatan"]})
    region_nb.write_text(json.dumps(doc), encoding="utf-8")
    changed = plan_year(2025, processed_dir=processed, out_dir=tmp_path / "laporan",
                        notebooks=nb)
    assert changed.jobs[0].key != plan.jobs[0].key
    assert changed.jobs[-2].key == plan.jobs[-2].key  # annual notebook unchanged
    assert changed.jobs[-1].key == plan.jobs[-1].key  # audit notebook unchanged


def test_plan_year_subset_and_errors(processed, tmp_path):
    plan = plan_year(2025, processed_dir=processed, out_dir=tmp_path, regions=["3601", "3674"])
    assert [j.parameters.get("region_code") for j in plan.jobs] == ["3601", "3674"]
    with pytest.raises(InputError) as err:
        plan_year(2025, processed_dir=processed, out_dir=tmp_path, regions=["3674", "1101"])
    assert "1101" in str(err.value) and "3601 (Kabupaten Pandeglang)" in str(err.value)
    with pytest.raises(InputError, match="jalankan dulu antikorupsi score --year 2022"):
        plan_year(2022, processed_dir=processed, out_dir=tmp_path)
    assert not any(tmp_path.iterdir())  # planning writes nothing


def test_plan_for_one_province_filters_regions_and_names_the_annual_report(processed, tmp_path):
    plan = plan_year(2025, processed_dir=processed, out_dir=tmp_path, province="banten")
    annual = [j for j in plan.jobs if "province" in j.parameters]
    assert len(annual) == 1
    assert annual[0].parameters["province"] == "Banten"
    assert annual[0].out_stem.name == "laporan_tahunan_2025_banten"
    assert len(plan.jobs) == 9  # the eight Banten regions + the province's annual report
    assert not any(j.out_stem.name.startswith("audit_") for j in plan.jobs)  # whole year only
    with pytest.raises(InputError) as err:
        plan_year(2025, processed_dir=processed, out_dir=tmp_path, province="99")
    assert "99" in str(err.value) and "36 (Banten)" in str(err.value)
