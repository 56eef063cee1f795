"""Tests for antikorupsi.whatif (scenarios, comparison, Excel, explorer) and its CLI."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from antikorupsi.cli import main
from antikorupsi.errors import ScenarioError
from antikorupsi.pipeline import score_and_write
from antikorupsi.scoring import Assessment, rescore
from antikorupsi.store import read_assessment
from antikorupsi.explorer import (
    build_explorer,
    explorer_table,
    flips_text,
    rank_change_figure,
    share_labels,
    weights_to_shares,
)
from antikorupsi.whatif import (
    Scenario,
    apply_scenario,
    compare,
    find_scenario,
    list_scenarios,
    load_scenario,
    parse_scenario,
    save_scenario,
    scenario_path,
    to_excel,
    uncertainty_report,
    uncertainty_to_excel,
    validate_scenario,
)

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
EXAMPLES = ROOT / "skenario"
YEAR = 2025


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    """The sample (synthetic) 2025 data scored into a temporary folder."""
    out = tmp_path_factory.mktemp("processed")
    score_and_write(YEAR, RAW, out)
    return out


@pytest.fixture(scope="module")
def assessment(processed) -> Assessment:
    return read_assessment(processed / str(YEAR))


def totals(a: Assessment) -> pd.Series:
    return a.results.set_index("kode_wilayah")["skor_total"]


def with_component_scores(a: Assessment, scores: dict[str, dict[str, float]]) -> Assessment:
    """``a`` rescored after setting every indicator of the named regions' components."""
    ind = a.indicators.copy()
    for region, by_comp in scores.items():
        for comp, value in by_comp.items():
            sel = (ind["kode_wilayah"] == region) & (ind["kode_komponen"] == comp)
            ind.loc[sel, "skor"] = value
    return rescore(dataclasses.replace(a, indicators=ind), a.framework)


# -- scenario files ----------------------------------------------------------------------
def test_example_scenarios_are_valid_and_named(assessment):
    found = list_scenarios(EXAMPLES, assessment.framework)
    assert [s.name for s in found] == ["Bobot sama", "Pengawasan lebih berat",
                                       "Rata-rata geometrik"]
    for s in found:
        assert s.description
        assert not compare(assessment, s).table.empty


def test_round_trip_from_explorer_gives_identical_scores(assessment, tmp_path):
    explorer = build_explorer(assessment, tmp_path)
    explorer.set_weights({"K2": 40.0, "K5": 2.5}, "geometric")
    path = explorer.save("Uji bolak-balik", "dibuat oleh tes")
    assert path == tmp_path / "uji_bolak_balik.yaml"

    loaded = load_scenario(path, assessment.framework)
    assert loaded == explorer.current_scenario("Uji bolak-balik", "dibuat oleh tes")
    assert loaded.aggregation == "geometric"

    via_file = compare(assessment, loaded).table.set_index("kode_wilayah")["skor_skenario"]
    direct = rescore(assessment, assessment.framework.with_weights(
        explorer.weights(), aggregation="geometric"))
    np.testing.assert_array_equal(via_file.to_numpy(),
                                  totals(direct).reindex(via_file.index).to_numpy())
    # the explorer's own comparison is the same computation
    np.testing.assert_array_equal(
        explorer.comparison.table.set_index("kode_wilayah")["skor_skenario"]
        .reindex(via_file.index).to_numpy(), via_file.to_numpy())


def test_save_load_round_trip_keeps_fractions_and_indicator_weights(assessment, tmp_path):
    s = Scenario("Pecahan", "bobot pecahan", {"K1": 12.5, "K2": 30},
                 {"I05": 2, "I02": 0.25}, "aritmetika")
    assert s.aggregation == "arithmetic"
    path = save_scenario(tmp_path / "p.yaml", s)
    back = load_scenario(path, assessment.framework)
    assert back == s
    assert back.source == str(path)
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]  # no temporary left behind


def test_save_refuses_overwrite_and_invalid_scenarios(tmp_path):
    path = save_scenario(tmp_path / "a.yaml", Scenario("A", component_weights={"K2": 30}))
    before = path.read_bytes()
    with pytest.raises(ScenarioError, match="sudah ada"):
        save_scenario(path, Scenario("B"), overwrite=False)
    with pytest.raises(ScenarioError, match="bobot harus angka >= 0"):
        save_scenario(path, Scenario("C", component_weights={"K2": -1}))
    assert path.read_bytes() == before


def test_official_weights_scenario_changes_nothing(assessment):
    fw = assessment.framework
    explicit = Scenario("Bobot resmi", component_weights={c.code: c.weight for c in fw.components},
                        indicator_weights={i.code: i.weight for i in fw.indicators},
                        aggregation=fw.aggregation)
    for scenario in (Scenario("Tanpa perubahan"), explicit):
        t = compare(assessment, scenario).table
        assert (t["perubahan_skor"] == 0).all()
        assert (t["perubahan_peringkat"] == 0).all()
        assert (t["penetapan_resmi"] == t["penetapan_skenario"]).all()
        assert (t["kategori_resmi"] == t["kategori_skenario"]).all()
    assert compare(assessment, explicit).flips.empty
    assert flips_text(compare(assessment, explicit)) == ["Tidak ada penetapan yang berubah."]


def test_raising_k2_moves_totals_towards_k2(assessment):
    """Arithmetic mean: more weight on K2 raises a total exactly when K2 is above it."""
    t = compare(assessment, Scenario("K2 naik", component_weights={"K2": 35})) \
        .table.set_index("kode_wilayah")
    k2 = assessment.components["K2"].reindex(t.index)
    above = k2 > t["skor_resmi"] + 1e-9
    assert above.any() and (~above).any()
    assert (t.loc[above, "perubahan_skor"] > 0).all()
    assert (t.loc[~above, "perubahan_skor"] <= 1e-12).all()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(others=st.lists(st.floats(0, 90), min_size=5, max_size=5),
       lead=st.floats(0.5, 100), extra=st.floats(1, 100),
       method=st.sampled_from(["arithmetic", "geometric"]))
def test_raising_weight_of_best_component_raises_total(assessment, others, lead, extra, method):
    """K2 is the region's best component: more weight on it never lowers its total."""
    k2 = min(100.0, max(others) + lead)
    comps = dict(zip(["K1", "K3", "K4", "K5", "K6"], others)) | {"K2": k2}
    a = with_component_scores(assessment, {"3601": comps})
    base = Scenario("dasar", aggregation=method)
    more = Scenario("K2 naik", component_weights={"K2": 25 + extra}, aggregation=method)
    before = compare(a, base).table.set_index("kode_wilayah").loc["3601", "skor_skenario"]
    after = compare(a, more).table.set_index("kode_wilayah").loc["3601", "skor_skenario"]
    assert after > before - 1e-9


def test_designation_flips_are_detected_near_the_threshold(assessment):
    # 3604 rather than 3601: since screening takes the MCP score from indicator I01 when
    # no MCP figure of the year is found, 3601 fails screening (I01 69,1 < 75) and can no
    # longer flip to a designation.
    # 3604: K2 100, the rest 86 -> 89.5 official; K2 35 -> 90.45 (up over 90)
    # 3602: K2 70, the rest 97.4 -> 90.55 official; K2 35 -> 88.7 (down under 90)
    others = ["K1", "K3", "K4", "K5", "K6"]
    a = with_component_scores(assessment, {
        "3604": {"K2": 100.0} | {k: 86.0 for k in others},
        "3602": {"K2": 70.0} | {k: 97.4 for k in others},
    })
    assert totals(a)["3604"] == pytest.approx(89.5)
    assert totals(a)["3602"] == pytest.approx(90.55)
    c = compare(a, Scenario("Pengawasan lebih berat", component_weights={"K2": 35}))
    flips = c.flips.set_index("kode_wilayah")
    assert set(flips.index) == {"3604", "3602"}
    assert flips.loc["3604", "penetapan_resmi"] == "Tidak ditetapkan"
    assert flips.loc["3604", "penetapan_skenario"] in ("Ditetapkan", "Tertunda")
    assert flips.loc["3604", "skor_skenario"] == pytest.approx(90.4545, abs=1e-3)
    assert flips.loc["3602", "penetapan_resmi"] in ("Ditetapkan", "Tertunda")
    assert flips.loc["3602", "penetapan_skenario"] == "Tidak ditetapkan"
    assert flips.loc["3604", "kategori_skenario"] == "Istimewa"
    lines = flips_text(c)
    assert len(lines) == 2 and any("Kabupaten Serang (3604)" in x for x in lines)
    shown = explorer_table(c)
    assert shown["Penetapan skenario"].str.endswith("(berubah)").sum() == 2


# -- validation --------------------------------------------------------------------------
BAD = """\
nama: Salah semua
bobot_komponen:
  K2: -5
  K9: 10
  K3: banyak
bobot_indikator:
  I99: 1
agregasi: median
warna: merah
"""


def test_invalid_scenario_reports_every_problem_located(assessment, tmp_path):
    path = tmp_path / "salah.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, assessment.framework)
    got = {(p.column, p.row) for p in err.value.problems}
    assert got == {("bobot_komponen.K2", 3), ("bobot_komponen.K9", 4),
                   ("bobot_komponen.K3", 5), ("bobot_indikator.I99", 7), ("agregasi", 8),
                   ("warna", 9)}
    assert all(p.file == str(path) for p in err.value.problems)
    by_col = {p.column: p for p in err.value.problems}
    assert by_col["bobot_komponen.K2"].value == -5
    assert by_col["agregasi"].value == "median"
    assert "arithmetic" in by_col["agregasi"].expected
    assert "K1" in by_col["bobot_komponen.K9"].expected
    text = str(err.value)
    assert "6 masalah" in text and "baris 3" in text and "bagian 'bobot_komponen.K2'" in text


@pytest.mark.parametrize("text, message, row", [
    ("nama: Nol\nbobot_komponen: {K1: 0, K2: 0, K3: 0, K4: 0, K5: 0, K6: 0}\n",
     "semua bobot komponen nol", 2),
    ("nama: Nol\nbobot_indikator:\n  I01: 0\n", "semua bobot indikator komponen K1 nol", 2),
    ("deskripsi: tanpa nama\n", "nama skenario wajib diisi", None),
    ("nama: A\nnama: B\n", "kunci ditulis dua kali", 2),
    ("nama: [tidak ditutup\n", "YAML tidak dapat dibaca", 2),
    ("- daftar\n- bukan kunci\n", "harus berupa kunci: nilai", None),
    ("nama: X\nbobot_komponen: [1, 2]\n", "harus berupa daftar kode: bobot", 2),
    ("nama: X\nbobot_komponen: {K2: true}\n", "bobot harus angka >= 0", 2),
])
def test_single_problems_are_located(assessment, text, message, row):
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, source="skenario/x.yaml", framework=assessment.framework)
    problem = next(p for p in err.value.problems if message in p.message)
    assert problem.file == "skenario/x.yaml"
    assert problem.row == row


def test_codes_are_checked_when_applied(assessment):
    s = parse_scenario("nama: X\nbobot_komponen: {K7: 3}\n")  # no framework: structure only
    assert validate_scenario(s) == []
    with pytest.raises(ScenarioError, match="kode komponen tidak dikenal"):
        apply_scenario(assessment.framework, s)
    with pytest.raises(ScenarioError, match="kode komponen tidak dikenal"):
        compare(assessment, s)


def test_apply_scenario_labels_the_framework(assessment):
    fw = apply_scenario(assessment.framework,
                        Scenario("Pengawasan lebih berat", component_weights={"K2": 35}))
    assert "Bobot diubah oleh skenario 'Pengawasan lebih berat'." in fw.assumptions()
    assert fw.component_weights()["K2"] == pytest.approx(35 / 110)
    assert assessment.framework.component_weights()["K2"] == pytest.approx(0.25)


def test_list_scenarios_reports_all_invalid_files(tmp_path):
    (tmp_path / "a.yaml").write_text("nama: A\nagregasi: median\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("nama: B\nbobot_komponen: {K1: -1}\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("nama: C\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        list_scenarios(tmp_path)
    assert {Path(p.file).name for p in err.value.problems} == {"a.yaml", "b.yml"}
    assert list_scenarios(tmp_path / "tidak_ada") == []


def test_find_scenario_by_file_name_name_and_path(tmp_path):
    path = save_scenario(scenario_path(tmp_path, "Pengawasan Lebih Berat!"),
                         Scenario("Pengawasan Lebih Berat!"))
    assert path.name == "pengawasan_lebih_berat.yaml"
    assert find_scenario("pengawasan_lebih_berat", tmp_path) == path
    assert find_scenario("Pengawasan Lebih Berat!", tmp_path) == path
    assert find_scenario(str(path), tmp_path / "lain") == path
    renamed = path.rename(tmp_path / "lain.yaml")
    assert find_scenario("pengawasan lebih berat!", tmp_path) == renamed  # by nama
    with pytest.raises(ScenarioError, match="salah satu dari: lain"):
        find_scenario("tidak_ada", tmp_path)
    with pytest.raises(ScenarioError, match="tidak ditemukan"):
        find_scenario(tmp_path / "tidak_ada.yaml", tmp_path)


# -- purity ------------------------------------------------------------------------------
def test_compare_does_not_mutate_its_inputs(assessment):
    snapshot = {name: copy.deepcopy(getattr(assessment, name))
                for name in ("results", "indicators", "components", "screening")}
    fw_before = copy.deepcopy(assessment.framework)
    scenario = Scenario("X", component_weights={"K2": 50}, indicator_weights={"I05": 3},
                        aggregation="geometric")
    s_before = copy.deepcopy(scenario)
    c = compare(assessment, scenario)
    c.table.loc[:, "skor_skenario"] = 0.0  # the result owns its frames
    for name, frame in snapshot.items():
        pd.testing.assert_frame_equal(getattr(assessment, name), frame)
    assert assessment.framework == fw_before
    assert scenario == s_before and hash(scenario) == hash(s_before)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.year = 1999  # type: ignore[misc]


# -- shares ------------------------------------------------------------------------------
@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=8)
       .filter(lambda w: sum(w) > 1e-6))
def test_share_labels_add_up_to_exactly_100(weights):
    shares = weights_to_shares({f"K{i}": w for i, w in enumerate(weights)})
    assert shares.sum() == pytest.approx(1.0)
    labels = share_labels(shares)
    total = sum(float(v.rstrip("%").replace(",", ".")) for v in labels.values())
    assert total == pytest.approx(100.0)
    assert all(abs(float(v.rstrip("%").replace(",", ".")) - 100 * s) <= 0.1 + 1e-9
               for v, s in zip(labels.values(), shares))


def test_weights_to_shares_rejects_negative_and_all_zero():
    assert share_labels(weights_to_shares({"a": 1, "b": 1, "c": 1})) == \
        {"a": "33,4%", "b": "33,3%", "c": "33,3%"}
    with pytest.raises(ScenarioError, match="semua bobot nol"):
        weights_to_shares({"K1": 0, "K2": 0})
    with pytest.raises(ScenarioError, match=">= 0"):
        weights_to_shares({"K1": -1, "K2": 3})


# -- outputs -----------------------------------------------------------------------------
def test_excel_export_has_the_sheets_in_indonesian(assessment, tmp_path):
    c = compare(assessment, load_scenario(EXAMPLES / "pengawasan_lebih_berat.yaml"))
    out = to_excel(c, tmp_path / "sub" / "whatif.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["ringkasan", "per wilayah", "bobot", "asumsi"]
    per = wb["per wilayah"]
    header = [cell.value for cell in per[1]]
    assert {"Kode", "Wilayah", "Skor resmi", "Skor skenario", "Peringkat resmi",
            "Penetapan skenario", "Penetapan berubah", "Data sintetis"} <= set(header)
    assert per.max_row == len(assessment.results) + 1
    skor = header.index("Skor skenario")
    assert isinstance(per.cell(2, skor + 1).value, float)  # numbers stay numbers
    bobot = pd.DataFrame(list(wb["bobot"].values)[1:], columns=list(wb["bobot"].values)[0])
    comps = bobot[bobot["Tingkat"] == "komponen"]
    assert comps["Bagian dari skor total, skenario"].sum() == pytest.approx(1.0)
    assert comps.set_index("Kode").loc["K2", "Bagian dari skor total, skenario"] == \
        pytest.approx(35 / 110)
    asumsi = " ".join(str(v) for row in wb["asumsi"].values for v in row)
    assert "DATA SINTETIS" in asumsi and "Pengawasan lebih berat" in asumsi
    ringkasan = dict(list(wb["ringkasan"].values)[1:])
    assert ringkasan["Skenario"] == "Pengawasan lebih berat"
    assert sorted(p.name for p in out.parent.iterdir()) == ["whatif.xlsx"]


def test_rank_change_figure_is_labelled_and_limited(assessment):
    c = compare(assessment, load_scenario(EXAMPLES / "rata_rata_geometrik.yaml"))
    ax = rank_change_figure(c).axes[0]
    assert ax.get_xlabel() == "Peringkat (1 = terbaik)"
    assert ax.get_ylabel()
    assert len(ax.get_yticks()) == len(assessment.results)
    small = rank_change_figure(c, max_rows=3).axes[0]
    assert len(small.get_yticks()) == 3 + len(c.flips)


def test_explorer_all_zero_weights_shows_a_message(assessment, tmp_path):
    e = build_explorer(assessment, tmp_path)
    e.set_weights({c: 0 for c in e.sliders})
    assert e.comparison is None and "nol" in e.total_html.value
    e.reset()
    assert e.weights() == {c.code: c.weight for c in assessment.framework.components}
    assert e.comparison is not None and (e.comparison.table["perubahan_skor"] == 0).all()
    assert "100,0%" in e.total_html.value
    e.name.value = ""
    e._save_clicked(None)
    assert "nama" in e.message.value and list(tmp_path.iterdir()) == []


def test_uncertainty_report_nominal_matches_assessment(assessment, tmp_path):
    r = uncertainty_report(assessment, n_draws=400, sobol_base=32, seed=3)
    t = r.table.set_index("kode_wilayah")
    res = assessment.results.set_index("kode_wilayah")
    np.testing.assert_allclose(t["skor"], res["skor_total"].reindex(t.index), rtol=0, atol=1e-9)
    assert (t["peringkat"].astype(int) == res["peringkat"].reindex(t.index)).all()
    assert (t["peringkat_p05"] <= t["peringkat_median"]).all()
    assert (t["peringkat_median"] <= t["peringkat_p95"]).all()
    assert t["kalimat"].str.len().gt(0).all()
    out = uncertainty_to_excel(r, tmp_path / "u.xlsx")
    assert openpyxl.load_workbook(out).sheetnames == ["ringkasan", "per wilayah", "sobol",
                                                     "asumsi"]


# -- CLI ---------------------------------------------------------------------------------
def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_whatif_prints_comparison_and_writes_excel(processed, tmp_path, capsys):
    code, out, _ = run_cli(capsys, "whatif", "--year", YEAR, "--scenario",
                           "pengawasan_lebih_berat", "--scenarios", EXAMPLES,
                           "--processed", processed, "--excel", tmp_path / "w.xlsx")
    assert code == 0
    assert "Pengawasan lebih berat" in out
    assert "K2 25,0% → 31,8%" in out
    assert "Tidak ada penetapan yang berubah" in out
    assert "DATA SINTETIS" in out and "Kota Tangerang Selatan" in out
    assert (tmp_path / "w.xlsx").is_file()
    # by nama and by path
    assert run_cli(capsys, "whatif", "-y", YEAR, "-s", "Bobot sama", "--scenarios", EXAMPLES,
                   "--processed", processed)[0] == 0
    assert run_cli(capsys, "whatif", "-y", YEAR, "-s", EXAMPLES / "bobot_sama.yaml",
                   "--processed", processed, "--top", 3)[0] == 0


def test_cli_whatif_lists_flips(processed, tmp_path, capsys):
    only_k6 = save_scenario(tmp_path / "k6.yaml", Scenario("Hanya K6", component_weights={
        "K1": 0, "K2": 0, "K3": 0, "K4": 0, "K5": 0, "K6": 1}))
    code, out, _ = run_cli(capsys, "whatif", "-y", YEAR, "-s", only_k6, "--processed", processed)
    assert code == 0
    # 2 flips (3 before screening took the MCP score from indicator I01 when no MCP
    # figure of the year exists: 3603 now fails screening, I01 73,1 < 75)
    assert "Penetapan yang berubah (2, bertanda * di tabel):" in out
    assert "Kota Tangerang Selatan (3674): Tertunda → Tidak ditetapkan" in out
    assert "Kota Tangerang (3671): Tidak ditetapkan → Tertunda" in out
    assert "Tidak ada penetapan yang berubah" not in out


def test_cli_whatif_errors_exit_2_with_located_messages(processed, tmp_path, capsys):
    code, _, err = run_cli(capsys, "whatif", "-y", YEAR, "-s", "tidak_ada",
                           "--scenarios", EXAMPLES, "--processed", processed)
    assert code == 2 and "skenario tidak ditemukan" in err and "pengawasan_lebih_berat" in err
    bad = tmp_path / "salah.yaml"
    bad.write_text(BAD, encoding="utf-8")
    code, out, err = run_cli(capsys, "whatif", "-y", YEAR, "-s", bad, "--processed", processed,
                             "--excel", tmp_path / "x.xlsx")
    assert code == 2 and "6 masalah" in err and "baris 9" in err and out == ""
    assert not (tmp_path / "x.xlsx").exists()
    code, _, err = run_cli(capsys, "whatif", "-y", 2031, "-s", "bobot_sama",
                           "--scenarios", EXAMPLES, "--processed", processed)
    assert code == 2 and "hasil skor belum ada" in err
    with pytest.raises(SystemExit) as exit_:
        main(["whatif", "--year", str(YEAR)])  # --scenario is required
    assert exit_.value.code == 2


def test_cli_uncertainty(processed, tmp_path, capsys):
    code, out, _ = run_cli(capsys, "uncertainty", "-y", YEAR, "--draws", 300,
                           "--sobol-base", 32, "--seed", 1, "--processed", processed,
                           "--excel", tmp_path / "u.xlsx", "--scenario",
                           EXAMPLES / "pengawasan_lebih_berat.yaml")
    assert code == 0
    assert "P(skor≥90)" in out and "Kota Tangerang Selatan" in out
    assert "skenario 'Pengawasan lebih berat'" in out and "Peringkat " in out
    assert (tmp_path / "u.xlsx").is_file()
    for bad in (["--draws", "0"], ["--perturbation", "1.5"], ["--sobol-base", "100"]):
        with pytest.raises(SystemExit) as exit_:
            main(["uncertainty", "-y", str(YEAR), *bad])
        assert exit_.value.code == 2


def test_exports_record_provenance(tmp_path):
    """Excel exports carry the package version, framework hash and input hashes."""
    from openpyxl import load_workbook

    processed = tmp_path / "processed"
    score_and_write(2025, ROOT / "data" / "raw", processed)
    a = read_assessment(processed / "2025")
    c = compare(a, load_scenario(ROOT / "skenario" / "pengawasan_lebih_berat.yaml",
                                 a.framework))
    out = to_excel(c, tmp_path / "c.xlsx")
    cells = [str(v) for row in load_workbook(out)["ringkasan"].iter_rows(values_only=True)
             for v in row if v is not None]
    text = "\n".join(cells)
    assert a.framework.sha256 in text
    for digest in a.input_files.values():
        assert digest in text
    from antikorupsi import __version__

    assert f"antikorupsi {__version__}" in text
