"""Recommended actions (antikorupsi.actions): gains through the scoring code, ranking,
the next rubric step, missing evidence first, the shortest path to the threshold."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from antikorupsi import actions
from antikorupsi.errors import FrameworkError
from antikorupsi.framework import framework_bytes, load_framework, parse_framework
from antikorupsi.pipeline import assess
from antikorupsi.scoring import aggregate_matrix

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RAW = REPO / "data" / "raw"


@pytest.fixture(scope="module")
def assessment():
    a, _, _ = assess(2025, SAMPLE_RAW)
    return a


def rows(a, code: str) -> pd.DataFrame:
    return a.indicators[a.indicators["kode_wilayah"] == code]


def total_with(fw, region_rows: pd.DataFrame, **scores: float) -> float:
    m = region_rows.set_index("kode_indikator")["skor"].astype(float).to_frame().T
    for code, value in scores.items():
        m[code] = value
    return float(aggregate_matrix(m[fw.indicator_codes], fw)[1].iloc[0])


def test_gain_is_weight_times_step_under_arithmetic(assessment):
    fw = assessment.framework
    acts = {a.indicator: a for a in actions.next_actions(fw, rows(assessment, "3601"))}
    # I19 is the only indicator of K6 (10% of the total): one rubric level = 25 points
    assert acts["I19"].kind == "tingkat"
    assert acts["I19"].gain == pytest.approx(0.10 * 25)
    # MCP is a direct score at 69,1, K1 is 20%: reaching 100 adds 0,2 x 30,9
    assert acts["I01"].gain == pytest.approx(0.20 * (100 - 69.1))
    assert acts["I01"].target == "100"


def test_gain_is_recomputed_under_geometric_aggregation(assessment):
    fw = dataclasses.replace(assessment.framework, aggregation="geometric")
    region = rows(assessment, "3601")
    base = total_with(fw, region)
    for a in actions.next_actions(fw, region):
        expected = total_with(fw, region, **{a.indicator: a.to_score}) - base
        assert a.gain == pytest.approx(expected, abs=1e-9)
    i19 = next(a for a in actions.next_actions(fw, region) if a.indicator == "I19")
    assert i19.gain != pytest.approx(0.10 * 25)  # not additive: the point of recomputing


def test_ranked_missing_evidence_first_then_by_gain(assessment):
    fw = assessment.framework
    acts = actions.next_actions(fw, rows(assessment, "3671"))  # I11 has no evidence
    assert acts[0].kind == "bukti" and acts[0].indicator == "I11"
    assert acts[0].current == "tanpa bukti" and acts[0].target == "100%"
    rest = [a.gain for a in acts[1:]]
    assert rest == sorted(rest, reverse=True)
    assert acts[0].gain == pytest.approx(0.20 * 0.20 * 100)  # K3 20%, I11 a fifth of it


def test_next_step_starts_from_the_current_level(assessment):
    fw = assessment.framework
    for code in assessment.results["kode_wilayah"]:
        region = rows(assessment, code).set_index("kode_indikator")
        for a in actions.next_actions(fw, region.reset_index()):
            ind = fw.indicator(a.indicator)
            if a.kind != "tingkat":
                continue
            level = int(region.loc[a.indicator, "angka"])
            assert a.level == level + 1
            assert a.text == ind.step_to(level + 1)
            assert a.current.startswith(f"{level}:")


def test_indicators_at_their_best_get_no_action(assessment):
    fw = assessment.framework
    region = rows(assessment, "3674")
    best = set(region.loc[region["skor"] >= 100, "kode_indikator"])
    assert best  # the sample has some
    assert not best & {a.indicator for a in actions.next_actions(fw, region)}


def test_shortest_path_reaches_the_threshold_with_the_fewest_steps(assessment):
    fw = assessment.framework
    region = rows(assessment, "3673")
    path = actions.shortest_path(fw, region)
    assert path.reached and round(path.total, 9) >= 90 > path.start
    assert path.total == pytest.approx(total_with(fw, region, **{
        a.indicator: a.to_score for a in path.by_indicator()}))
    # arithmetic: the total is linear in the scores, so the most any k steps can add is
    # the sum of the k largest single-step gains; one step fewer never gets there
    gains = []
    for ind in fw.indicators:
        x = region.set_index("kode_indikator").loc[ind.code]
        w = fw.effective_indicator_weights()[ind.code]
        if ind.scoring.method == "rubric":
            levels = [lv for lv in fw.rubric(ind.scoring.rubric).levels if lv.level > x["angka"]]
            prev = x["skor"]
            for lv in levels:
                gains.append(w * (lv.score - prev))
                prev = lv.score
        else:
            gains.append(w * (100 - x["skor"]))
    gains.sort(reverse=True)
    k = len(path.steps)
    assert path.start + sum(gains[:k - 1]) < 90 <= path.start + sum(gains[:k]) + 1e-9


def test_path_is_empty_above_the_threshold_and_says_when_none_exists(assessment):
    fw = assessment.framework
    above = actions.shortest_path(fw, rows(assessment, "3674"))
    assert above.reached and above.steps == () and above.total == above.start
    never = actions.shortest_path(fw, rows(assessment, "3601"), threshold=100.5)
    assert not never.reached and never.total == pytest.approx(100)


def test_recommended_actions_table(assessment):
    t = actions.recommended_actions(assessment, "3671")
    assert list(t.columns) == actions.ACTION_COLUMNS
    assert list(t["urutan"]) == list(range(1, len(t) + 1))
    assert t.iloc[0]["jenis"] == "serahkan bukti" and bool(t.iloc[0]["jalur_ambang"])
    assert (t["tenggat"] == "").all() and (t["tahun"] == 2025).all()
    assert t["opd"].str.len().min() > 0 and t["opd_asumsi"].all()
    assert (t["skor_total_sesudah"] > t["skor_total"]).all()
    assert np.allclose(t["skor_total_sesudah"] - t["skor_total"], t["tambahan_skor"])
    with pytest.raises(KeyError):
        actions.recommended_actions(assessment, "9999")


# -- the framework's action data -------------------------------------------------------
def shipped_doc() -> dict:
    return yaml.safe_load(framework_bytes("kak-2025")[0])


def test_shipped_frameworks_name_an_opd_and_steps_for_every_rubric_level():
    for fid in ("kak-2024", "kak-2025"):
        fw = load_framework(fid)
        for ind in fw.indicators:
            assert ind.opd and ind.opd_assumption, ind.code
            if ind.scoring.method == "rubric":
                levels = [lv.level for lv in fw.rubric(ind.scoring.rubric).levels][1:]
                assert [lv for lv, _ in ind.steps] == levels, ind.code
    assert any("OPD penanggung jawab" in a for a in load_framework("kak-2025").assumptions())


@pytest.mark.parametrize("change, message", [
    (lambda d: d["indicators"][0].update(steps={1: "langkah"}), "hanya untuk indikator rubrik"),
    (lambda d: d["indicators"][1].update(steps={7: "langkah"}), "tingkat tidak ada"),
    (lambda d: d["indicators"][1].update(steps={0: "langkah"}), "tingkat tidak ada"),
    (lambda d: d["indicators"][1].update(steps={"dua": "langkah"}), "peta tingkat"),
    (lambda d: d["indicators"][1].update(opd=["Inspektorat"]), "tipe salah"),
    (lambda d: d["indicators"][1].update(opd={"name": "X", "asumsi": True, "kepala": 1}),
     "kunci tidak dikenal"),
])
def test_framework_rejects_bad_action_data(change, message):
    doc = shipped_doc()
    change(doc)
    with pytest.raises(FrameworkError, match=message):
        parse_framework(yaml.safe_dump(doc, allow_unicode=True), source="uji.yaml")


def test_opd_given_as_plain_text_counts_as_assumption():
    doc = shipped_doc()
    doc["indicators"][0]["opd"] = "Inspektorat Daerah"
    doc["indicators"][1]["opd"] = {"name": "BKPSDM", "asumsi": False}
    fw = parse_framework(yaml.safe_dump(doc, allow_unicode=True))
    assert fw.indicators[0].opd == "Inspektorat Daerah" and fw.indicators[0].opd_assumption
    assert fw.indicators[1].opd == "BKPSDM" and not fw.indicators[1].opd_assumption
