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
    """Visible text of a block: tags removed (a <wbr> line-break hint is no space),
    entities decoded, spaces collapsed."""
    text = text_of(block).replace("<wbr>", "")
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


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
    text = plain(report.header(w, report_date="2025-12-09"))
    assert report.SYNTHETIC_BANNER in text
    assert "Kota Tangerang Selatan" in text
    assert "93,50" in text
    assert "Istimewa" in text
    assert "Tertunda" in text  # total >= 90 but screening incomplete
    assert "1 dari 8" in text
    assert "penyaringan belum lengkap" in text
    # issuing unit (default: the province's Inspektorat) and date, both configurable
    assert "Diterbitkan oleh Inspektorat Provinsi Banten · 9 Desember 2025" in text
    other = plain(report.header(w, "Inspektorat Kota Tangerang Selatan", "2026-01-05"))
    assert "Diterbitkan oleh Inspektorat Kota Tangerang Selatan · 5 Januari 2026" in other
    with pytest.raises(InputError, match="tanggal laporan"):
        report.header(w, report_date="9/12/2025")
    assert "<svg" in report.header(w).data  # locator map (Banten outlines ship)
    summary = plain(report.summary(w))
    # MCP comes from indicator I01 (no 2025 MCP figure): the pending criteria are BPK and
    # the case criterion
    assert "penetapannya tertunda" in summary and "Opini BPK" in summary


def test_blocks_are_identical_for_the_same_inputs(processed):
    """Same inputs, same HTML (charts, maps and tables): reload and compare."""
    def blocks():
        report.clear_cache()
        d = report.load(processed, 2025)
        w, t = report.region(d, "3673"), report.annual(d)
        return [b.data for b in (
            report.header(w, report_date="2025-12-09"), report.summary(w),
            report.components(w), report.actions(w), report.screening(w), report.rules(w),
            report.province_map(t), report.near_threshold(t), report.indicator_heatmap(t))]
    assert blocks() == blocks()


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
    for block in (report.header(w), report.summary(w), report.components(w),
                  report.indicators(w), report.actions(w), report.screening(w),
                  report.change(w), report.uncertainty(w), report.rules(w)):
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
        # plain words: a change that holds under nearly every weight is not called certain
        assert {"naik": "Kenaikan ini bertahan", "turun": "Penurunan ini bertahan",
                "tidak pasti": "bergantung pada bobot"}[t["signifikan"]] in text
    assert "pasti" not in text
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
    # one simulation count per section: the Sobol' run's own count is not repeated
    assert len(set(re.findall(r"(\d[\d.]*) simulasi", text))) == 1
    assert "hampir tidak berubah oleh bobot" in text  # rank 1 in every draw
    varying = data.sensitivity.summary
    varying = varying[varying["status"] == "varies"]
    if len(varying):
        w = report.region(data, varying.index[0])
        text = plain(report.uncertainty(w))
        assert "Yang paling menggerakkan peringkat" in text
        for value in re.findall(r"indeks Sobol total (\S+?)[;.]", text):
            assert 0 <= float(value.replace(",", ".")) <= 1  # inside the stated range


def test_summary_names_the_reason_blockers_and_three_actions_with_gains(data):
    """Kota Serang 2025 fails screening (SPI): page 1 says so, with the score gap."""
    w = report.region(data, "3673")
    text = plain(report.summary(w))
    assert "Ringkasan untuk Kepala Daerah" in text
    assert "tidak ditetapkan" in text and "19,41 poin di bawah ambang 90" in text
    assert "tidak lulus penyaringan Skor SPI (64,86 pada 2024; ambang ≥ 68)" in text
    assert "Yang menghalangi penetapan" in text and "Tiga langkah prioritas" in text
    gains = re.findall(r"\+\d+,\d\d poin", text)
    assert len(gains) == 3
    assert "Jalur terpendek ke 90" in text
    # the 19-indicator strip: a symbol per indicator and the change since 2024
    block = report.summary(w).data
    assert block.count('class="ak-s-') >= 19
    assert "perubahan skor dari 2024" in text


def test_actions_are_ranked_by_gain_not_by_lowest_score(data):
    """Pandeglang's biggest lever is MCP (20% of the total), not its lowest indicator."""
    w = report.region(data, "3601")
    first = w.actions[0]
    assert first.indicator == "I01" and round(first.gain, 2) == 6.18
    assert "I01 Skor MCP" in plain(report.summary(w)) and "+6,18 poin" in plain(
        report.summary(w))
    gains = [a.gain for a in w.actions if a.kind != "bukti"]
    assert gains == sorted(gains, reverse=True)
    # a rubric indicator gets the step to its next level, from where it is
    i19 = next(a for a in w.actions if a.indicator == "I19")
    assert i19.current == "2: Berkembang" and i19.target == "3: Terlaksana"
    assert i19.text == data.framework.indicator("I19").step_to(3)
    section = plain(report.actions(w))
    assert "Rekomendasi dan rencana aksi" in section and "Tenggat" in section
    assert "Dinas Pendidikan dan Kebudayaan" in section  # responsible OPD from the framework
    assert "Jalur terpendek ke 90" in section
    table = report.region_actions(w)
    assert list(table["kode_indikator"][:1]) == ["I01"] and (table["tenggat"] == "").all()


def test_region_above_threshold_is_told_what_blocks_it(data):
    w = report.region(data, "3674")
    text = plain(report.summary(w))
    assert "Skor total sudah ≥ 90" in text
    assert "lengkapi data penyaringan" in text
    assert "kurang" not in text.split("Yang menghalangi penetapan")[1].split("Tiga")[0]


def test_missing_evidence_first_and_when_it_could_reach_90(data):
    w = report.region(data, "3671")  # I11 without evidence, total 87,75
    assert w.actions[0].kind == "bukti" and w.actions[0].indicator == "I11"
    text = plain(report.summary(w))
    assert "serahkan bukti" in text and "hingga +4,00 poin" in text
    assert "skor total dapat mencapai 91,75, di atas ambang 90" in text


def test_no_value_and_no_data_for_the_same_criterion(data):
    """MCP has a score on the indicator side: the screening never says "tidak ada data"
    for it, it says why the figures differ."""
    for code in data.codes:
        w = report.region(data, code)
        blocks = {"ringkasan": report.summary(w), "penyaringan": report.screening(w)}
        for name, block in blocks.items():
            rows = re.split(r"<tr|<li|<br>", block.data)
            for row in rows:
                text = plain(row)
                if "Skor MCP" in text and "tidak ada data" in text:
                    pytest.fail(f"{code} {name}: {text}")
        text = plain(report.screening(w))
        assert "tidak dipakai untuk penyaringan" in text or "Skor MCP" in text


def test_screening_wording_counts_what_was_not_assessed():
    scr = pd.DataFrame({"hasil": ["lulus"] * 4 + ["tanpa ambang"] * 4})
    text = report.screening_count_text(scr)
    assert text == "4 lulus, 4 belum dapat dinilai karena ambangnya tidak dipublikasikan"
    scr = pd.DataFrame({"hasil": ["tidak lulus", "tidak diketahui", "kedaluwarsa",
                                  "tanpa ambang"]})
    assert report.screening_count_text(scr) == (
        "0 lulus, 1 tidak lulus, 3 belum dapat dinilai: 1 tanpa data, 1 datanya "
        "kedaluwarsa, 1 ambangnya tidak dipublikasikan")


def test_old_screening_figures_are_marked_wherever_shown(data):
    w = report.region(data, "3601")  # Ombudsman 75,87 from 2019
    rows = [plain(r) for r in report.screening(w).data.split("<tr") if "Ombudsman" in r]
    assert any("75,87" in r and "kedaluwarsa" in r for r in rows)
    w = report.region(data, "3674")  # Ombudsman 88,83 from 2022: no threshold, still old
    rows = [plain(r) for r in report.screening(w).data.split("<tr") if "Ombudsman" in r]
    assert any("88,83" in r and "kedaluwarsa" in r for r in rows)


def test_synthetic_screening_figures_are_never_called_published(data):
    s = data.assessment.screening.copy()
    s.loc[s["nilai"] != "", "sumber"] = "SINTETIS: angka acak"
    assert "DATA SINTETIS" in report._screening_origin(s)
    assert "terbitan, masing" not in report._screening_origin(s)
    assert "angka terbitan" in report._screening_origin(data.assessment.screening)


def test_equal_printed_totals_never_show_different_ranks_silently():
    r = pd.DataFrame({"kode_wilayah": ["a", "b", "c"], "skor_total": [88.0962, 88.0951, 70.0],
                      "peringkat": [1, 2, 3]})
    texts, widened = report._total_texts(r)
    assert widened and texts["a"] != texts["b"] and texts["c"] == "70,00"
    assert texts == {"a": "88,096", "b": "88,095", "c": "70,00"}
    same = r.assign(peringkat=[1, 1, 3])  # equal ranks (rounded ranking): 2 decimals
    texts, widened = report._total_texts(same)
    assert not widened and texts["a"] == texts["b"] == "88,10"


def test_rules_annex_lets_a_reader_check_each_score(data):
    w = report.region(data, "3673")  # I07: 21 days -> 70,91
    text = plain(report.rules(w))
    assert "Lampiran: aturan penskoran" in text
    assert "21 hari → (60 − 21) / (60 − 5) × 100 = 70,91" in text
    assert "rubrik tingkat5: I02, I03" in text and "Terlaksana" in text
    assert "Σ w·x" in text and "kedaluwarsa" in text
    annual = plain(report.rules(data))
    assert "(60 − x) / (60 − 5) × 100" in annual and "Kota Serang" not in annual


def test_components_compare_with_peers_and_last_year(data):
    w = report.region(data, "3673")
    text = plain(report.components(w))
    assert "Rata-rata Provinsi Banten (8 wilayah)" in text
    assert "Rata-rata kota di Banten (4)" in text
    assert "Δ 2024" in text
    ind = plain(report.indicators(w))
    assert "Δ 2024" in ind and "+25,00" in ind


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


def test_annual_lists_regions_near_90_and_missing_screening(data):
    t = report.annual(data)
    near = plain(report.near_threshold(t))
    assert "Wilayah mendekati ambang 90" in near
    assert "Kota Tangerang" in near and "2,25" in near  # 87,75: 2,25 short
    assert "Kota Tangerang Selatan" not in near  # already above
    gaps = plain(report.screening_gaps(t))
    assert "Data penyaringan yang belum lengkap" in gaps
    assert "Kota Tangerang Selatan" in gaps and "Opini BPK atas LKPD" in gaps
    # (Kota Tangerang's 2021 MCP figure no longer shows here: MCP 2025 comes from I01)
    # the indicator heat map: 19 columns, a row per region
    block = report.indicator_heatmap(t)
    assert "<svg" in block.data and "Skor indikator" in plain(block)
    # small sets: the full ranking in the body, no appendix
    assert report.ranking_appendix(t).data == ""
    assert "Kota Serang" in plain(report.ranking(t))


def test_large_sets_move_the_ranking_to_an_appendix(data, monkeypatch):
    monkeypatch.setattr(report, "_LARGE", 5)
    monkeypatch.setattr(report, "RANKING_BODY_ROWS", 3)
    t = report.annual(data)
    body = plain(report.ranking(t))
    assert "Peringkat: 3 teratas" in body and "Lampiran" in body
    assert "Kabupaten Pandeglang" not in body  # rank 8
    appendix = plain(report.ranking_appendix(t))
    assert "Lampiran: peringkat lengkap" in appendix and "Kabupaten Pandeglang" in appendix


def test_maps_from_shipped_or_user_outlines(data, tmp_path):
    from antikorupsi.maps import load_boundaries

    b = load_boundaries()
    assert sorted(b) == sorted(data.codes)  # the eight Banten regions, keyed by code
    assert "MIT" in b.note and "Badan Informasi Geospasial" in b.note
    t = report.annual(data)
    block = report.province_map(t)
    assert "<svg" in block.data and "Peta skor total" in plain(block)
    # a user's file, keyed by KDPKAB; one region only: the annual map is not drawn
    ring = [[106.1, -6.0], [106.2, -6.0], [106.2, -6.1], [106.1, -6.0]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"KDPKAB": "36.73", "WADMKK": "Desa X"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert list(load_boundaries(path)) == ["3673"]
    text = plain(report.province_map(t, str(path)))
    assert "Peta tidak tersedia" in text and "7 dari 8 wilayah" in text
    w = report.region(data, "3673")
    assert "<svg" in report.header(w, boundaries=str(path)).data
    other = plain(report.header(report.region(data, "3601"), boundaries=str(path)))
    assert "Peta lokasi tidak tersedia" in other
    bad = tmp_path / "rusak.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"properties": {}}]}',
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_boundaries(bad)
    assert str(bad) in str(err.value) and "kode wilayah" in str(err.value)


def test_history_and_trend_line_with_three_years(tmp_path):
    """A third year (2023, a copy of 2024's inputs) turns on the multi-year chart."""
    raw = tmp_path / "raw"
    for year in (2024, 2025):
        shutil.copytree(SAMPLE_RAW / str(year), raw / str(year))
    (raw / "2023").mkdir()
    for name in ("indikator.csv", "penyaringan.csv"):
        text = (raw / "2024" / name).read_text(encoding="utf-8")
        (raw / "2023" / name).write_text(re.sub(r"^2024,", "2023,", text, flags=re.M),
                                         encoding="utf-8")
    (raw / "2023" / "penyaringan.csv").write_text(
        "\n".join(line for line in (raw / "2023" / "penyaringan.csv").read_text(
            encoding="utf-8").splitlines() if ",2024," not in line and ",mcp," not in line)
        + "\n", encoding="utf-8")  # MCP 2023 comes from I01 (one value per fact)
    score_and_write(2023, raw, tmp_path / "olahan", framework="kak-2024")
    for year in (2024, 2025):
        score_and_write(year, raw, tmp_path / "olahan")
    d = report.load(tmp_path / "olahan", 2025)
    hist = d.history("3673")
    assert list(hist.index) == [2023, 2024, 2025]
    block = report.change(report.region(d, "3673"))
    assert "<svg" in block.data and "2023–2025" in plain(block)


def test_plan_annual_only_and_report_options(processed, tmp_path):
    plan = plan_year(2025, processed_dir=processed, out_dir=tmp_path, annual_only=True)
    # the annual report and the year's audit (an annual-level report too), no regions
    assert [j.out_stem.name for j in plan.jobs] == ["laporan_tahunan_2025", "audit_2025"]
    assert "Provinsi Banten" in plan.jobs[0].label  # a unique title per data set
    with pytest.raises(InputError, match="--annual-only"):
        plan_year(2025, processed_dir=processed, out_dir=tmp_path, annual_only=True,
                  regions=["3601"])
    plan = plan_year(2025, processed_dir=processed, out_dir=tmp_path, regions=["3601"],
                     issuing_unit="Inspektorat Kabupaten Pandeglang", report_date="2025-12-09")
    assert plan.jobs[0].parameters["issuing_unit"] == "Inspektorat Kabupaten Pandeglang"
    assert plan.jobs[0].parameters["report_date"] == "2025-12-09"
    with pytest.raises(InputError, match="--date"):
        plan_year(2025, processed_dir=processed, out_dir=tmp_path, report_date="besok")
    with pytest.raises(InputError, match="tidak ditemukan"):
        plan_year(2025, processed_dir=processed, out_dir=tmp_path,
                  boundaries=tmp_path / "tidak_ada.geojson")


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
        "trend": charts.trend_lines(pd.DataFrame({"skor_total": [80.5, 85.25, 91.0],
                                                  "K1": [70.0, 75.5, 90.0]},
                                                 index=[2023, 2024, 2025])),
    }
    from antikorupsi.maps import load_boundaries
    b = load_boundaries()
    maps = {"locator": charts.locator_map(b, "3673"),
            "choropleth": charts.choropleth(b, r["skor_total"], {c: c for c in b},
                                            bands=[(x.min, x.label) for x in fw.bands])}
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
    for name, fig in maps.items():
        svg = charts.svg(fig)
        for colour in _colours(svg):
            r_, g_, b_ = (colour[i:i + 2].lower() for i in (1, 3, 5))
            assert r_ == g_ == b_, (name, colour)
    assert "Istimewa" in charts.svg(maps["choropleth"])  # the legend names the bands


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


def test_followup_reported_done_without_a_better_score_is_flagged(data):
    """Pandeglang reports last year's I19 recommendation "selesai" in its self-assessment
    workbook, yet I19 scores the same as in 2024: the report says so instead of taking the
    region's word for it."""
    block = plain(report.tahapan(report.region(data, "3601")))
    assert "Tindak lanjut rekomendasi 2024" in block
    assert "skor belum naik" in block
    assert "dilaporkan selesai, tetapi skor indikatornya tidak naik sejak 2024" in block


def test_methodology_explains_the_source_codes_it_cites(data):
    text = plain(report.methodology(data))
    assert "Kode sumber" in text
    assert "A3 permas.kpk.go.id" in text and "A14 radarsumbar.com/baca/144653" in text
