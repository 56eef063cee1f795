"""Tests for antikorupsi.framework: validation (every problem at once), shipped
frameworks and their assumption labels, weights, variants and diffs."""

from __future__ import annotations

import copy

import pytest
import yaml

from antikorupsi.errors import FrameworkError
from antikorupsi.framework import (
    diff_frameworks,
    framework_bytes,
    framework_for_year,
    load_framework,
    parse_framework,
    shipped_frameworks,
)

SHIPPED = ["kak-2024", "kak-2025"]


def valid_doc() -> dict:
    """A small framework document that validates."""
    return {
        "id": "uji", "version": "1", "programme": "uji", "year": 2025,
        "scale": {"min": 0, "max": 100},
        "aggregation": {"method": "arithmetic", "geometric_offset": 1.0},
        "designation": {"threshold": 90, "label": "Istimewa"},
        "bands": [{"min": 90, "label": "Istimewa", "asumsi": False},
                  {"min": 0, "label": "Kurang"}],
        "missing_policy": {"indicator": "zero", "screening": "pending"},
        "rubrics": {"tingkat": {"levels": [{"level": 0, "label": "Belum", "score": 0},
                                           {"level": 1, "label": "Ada", "score": 100}]}},
        "components": [{"code": "A", "name": "A", "weight": 2},
                       {"code": "B", "name": "B", "weight": 1}],
        "indicators": [
            {"code": "X1", "name": "x1", "component": "A", "weight": 1,
             "scoring": {"method": "direct"}},
            {"code": "X2", "name": "x2", "component": "A", "weight": 1,
             "scoring": {"method": "rubric", "rubric": "tingkat"}},
            {"code": "X3", "name": "x3", "component": "B", "weight": 1,
             "scoring": {"method": "goalposts", "low": 0, "high": 10, "direction": -1}},
        ],
        "screening": [
            {"code": "mcp", "name": "MCP", "kind": "number", "range": [0, 100],
             "rule": {"op": ">=", "value": 75}},
            {"code": "opini", "name": "Opini", "kind": "grade", "grades": ["WTP", "WDP"],
             "rule": {"op": "consecutive", "value": "WTP", "years": 2}},
        ],
    }


def parse(doc: dict):
    return parse_framework(yaml.safe_dump(doc, sort_keys=False), source="uji.yaml")


def problems_of(doc: dict) -> list:
    with pytest.raises(FrameworkError) as exc:
        parse(doc)
    return exc.value.problems


def has(problems, column: str, text: str) -> bool:
    return any(p.column == column and text in p.message for p in problems)


def test_valid_document_parses():
    fw = parse(valid_doc())
    assert fw.indicator_codes == ["X1", "X2", "X3"]
    assert fw.source == "uji.yaml" and len(fw.sha256) == 64


# -- one problem at a time ----------------------------------------------------------------
def _set(doc, path, value):
    """Set ``doc[path[0]][path[1]]...`` (ints index lists)."""
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


BROKEN = [
    # (what, path in the document, new value, reported column, message fragment)
    ("unknown component", ("indicators", 0, "component"), "Z", "indicators[0].component",
     "komponen tidak dikenal"),
    ("duplicate indicator code", ("indicators", 1, "code"), "X1", "indicators[1].code",
     "kode indikator ganda"),
    ("duplicate component code", ("components", 1, "code"), "A", "components[1].code",
     "kode komponen ganda"),
    ("negative weight", ("indicators", 0, "weight"), -1, "indicators[0].weight",
     "bobot negatif"),
    ("negative component weight", ("components", 0, "weight"), -2, "components[0].weight",
     "bobot negatif"),
    ("threshold outside scale", ("designation", "threshold"), 120, "designation.threshold",
     "ambang di luar skala"),
    ("goalposts reversed", ("indicators", 2, "scoring"),
     {"method": "goalposts", "low": 10, "high": 0}, "indicators[2].scoring",
     "batas nilai terbalik"),
    ("unknown rubric", ("indicators", 1, "scoring"), {"method": "rubric", "rubric": "tiada"},
     "indicators[1].scoring.rubric", "rubrik tidak dikenal"),
    ("unknown scoring method", ("indicators", 0, "scoring"), {"method": "zscore"},
     "indicators[0].scoring.method", "metode penskoran tidak dikenal"),
    ("unknown rule operator", ("screening", 0, "rule"), {"op": "=>", "value": 75},
     "screening[0].rule.op", "operator tidak dikenal"),
    ("rule value not a number", ("screening", 0, "rule"), {"op": ">=", "value": "tinggi"},
     "screening[0].rule.value", "ambang harus angka"),
    ("rule value outside range", ("screening", 0, "rule"), {"op": ">=", "value": 175},
     "screening[0].rule.value", "ambang di luar rentang"),
    ("consecutive grade not listed", ("screening", 1, "rule"),
     {"op": "consecutive", "value": "AAA", "years": 2}, "screening[1].rule.value",
     "nilai tidak ada dalam grades"),
    ("consecutive without years", ("screening", 1, "rule"),
     {"op": "consecutive", "value": "WTP"}, "screening[1].rule.years", "bilangan bulat"),
    ("unknown aggregation", ("aggregation", "method"), "harmonic", "aggregation.method",
     "metode agregasi tidak dikenal"),
    ("unknown missing policy", ("missing_policy", "indicator"), "mean",
     "missing_policy.indicator", "kebijakan tidak dikenal"),
]


@pytest.mark.parametrize("what,path,value,column,message", BROKEN, ids=[b[0] for b in BROKEN])
def test_each_problem_is_reported_where_it_is(what, path, value, column, message):
    doc = valid_doc()
    _set(doc, path, value)
    problems = problems_of(doc)
    assert has(problems, column, message), [str(p) for p in problems]


def test_all_zero_component_weights():
    doc = valid_doc()
    for c in doc["components"]:
        c["weight"] = 0
    assert has(problems_of(doc), "components", "semua bobot komponen nol")


def test_all_zero_indicator_weights_in_a_component():
    doc = valid_doc()
    doc["indicators"][0]["weight"] = 0
    doc["indicators"][1]["weight"] = 0
    assert has(problems_of(doc), "indicators", "semua bobot indikator komponen A nol")


def test_problem_text_names_file_place_value_and_expectation():
    doc = valid_doc()
    doc["designation"]["threshold"] = 120
    text = str(problems_of(doc)[0])
    assert "uji.yaml" in text and "designation.threshold" in text and "120" in text
    assert "antara 0 dan 100" in text


def test_every_problem_of_one_broken_file_is_reported_at_once(tmp_path):
    doc = valid_doc()
    last = {}  # several cases break the same place: the last one stays in the file
    for case in BROKEN:
        what, path, value, _, _ = case
        if what == "duplicate indicator code":
            continue  # a second X1 here would hide X2's rubric problem; added below
        _set(doc, path, value)
        last[path] = case
    doc["indicators"].append(copy.deepcopy(doc["indicators"][0]))  # duplicate X1
    doc["components"].append({"code": "C", "name": "C", "weight": 0})
    doc["indicators"].append({"code": "X9", "name": "x9", "component": "C", "weight": 0})
    path = tmp_path / "rusak.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    with pytest.raises(FrameworkError) as exc:
        load_framework(path)
    problems = exc.value.problems
    expected = [(col, msg) for _, _, _, col, msg in last.values()]
    expected += [("indicators[3].code", "kode indikator ganda"),
                 ("indicators", "semua bobot indikator komponen C nol")]
    assert len(expected) >= 14
    missing = [e for e in expected if not has(problems, *e)]
    assert not missing, (missing, [str(p) for p in problems])
    assert all(p.file == str(path) for p in problems)
    rendered = str(exc.value)
    assert f"{len(problems)} masalah" in rendered
    assert rendered.count("\n  - ") == len(problems)


def test_unreadable_yaml_is_one_located_problem():
    with pytest.raises(FrameworkError) as exc:
        parse_framework(b"id: [tidak ditutup\n", source="rusak.yaml")
    assert len(exc.value.problems) == 1
    assert exc.value.problems[0].file == "rusak.yaml"


def test_unknown_key_is_an_error_not_a_silent_default():
    doc = valid_doc()
    doc["indicators"][0]["wieght"] = 5
    assert has(problems_of(doc), "indicators[0].wieght", "kunci tidak dikenal")


# -- shipped frameworks -------------------------------------------------------------------
@pytest.mark.parametrize("fid", SHIPPED)
def test_shipped_framework_loads(fid):
    assert fid in shipped_frameworks()
    fw = load_framework(fid)
    assert fw.id == fid and fw.year == int(fid[-4:])
    assert len(fw.components) == 6 and len(fw.indicators) == 19
    assert fw.indicator_codes == [f"I{k:02d}" for k in range(1, 20)]
    assert fw.threshold == 90 and fw.designation_label == "Istimewa"
    assert fw.scale == (0.0, 100.0)
    assert framework_for_year(fw.year) == fid
    data, _ = framework_bytes(fid)
    assert parse_framework(data) == parse_framework(data)  # deterministic


@pytest.mark.parametrize("fid", SHIPPED)
def test_published_screening_thresholds(fid):
    fw = load_framework(fid)
    rules = {s.code: s.rule for s in fw.screening}
    assert len(rules) == 8
    assert (rules["mcp"].op, rules["mcp"].value) == (">=", 75)
    assert (rules["spi"].op, rules["spi"].value) == (">=", 68)
    assert (rules["opini_bpk"].op, rules["opini_bpk"].value, rules["opini_bpk"].years) == (
        "consecutive", "WTP", 2)
    for unpublished in ("sakip", "ombudsman", "spip", "spbe"):
        assert rules[unpublished] is None


@pytest.mark.parametrize("fid", SHIPPED)
def test_every_unpublished_value_is_marked_as_an_assumption(fid):
    fw = load_framework(fid)
    assert all(c.assumption for c in fw.components)
    assert all(i.assumption for i in fw.indicators)
    assert all(r.assumption for r in fw.rubrics)
    for band in fw.bands:
        assert band.assumption == (band.min < fw.threshold), band
    assert fw.aggregation_assumption and fw.missing_assumption
    text = "\n".join(fw.assumptions())
    assert "Bobot komponen" in text and "Bobot indikator" in text
    assert "tidak dipublikasikan" in text
    for c, share in zip(fw.components, fw.component_weights()):
        assert f"{c.code} {share * 100:.1f}".replace(".", ",") + "%" in text
    for band in fw.bands:
        if band.assumption:
            assert band.label in text


def test_year_without_its_own_framework_uses_the_latest_before():
    assert framework_for_year(2030) == max(f for f in shipped_frameworks()
                                           if f.startswith("kak-"))
    with pytest.raises(FrameworkError):
        framework_for_year(1999)


# -- weights ------------------------------------------------------------------------------
@pytest.mark.parametrize("fid", SHIPPED)
def test_weights_are_shares(fid):
    fw = load_framework(fid)
    assert fw.component_weights().sum() == pytest.approx(1)
    iw = fw.indicator_weights()
    for comp, total in iw.groupby(fw.indicator_component()).sum().items():
        assert total == pytest.approx(1), comp
    assert fw.effective_indicator_weights().sum() == pytest.approx(1)


def test_with_weights_renormalises_and_records_the_change():
    fw = parse(valid_doc())
    v = fw.with_weights(component_weights={"A": 1, "B": 3}, indicator_weights={"X1": 3},
                        label="uji")
    assert v.component_weights().to_dict() == pytest.approx({"A": 0.25, "B": 0.75})
    assert v.indicator_weights()[["X1", "X2"]].tolist() == pytest.approx([0.75, 0.25])
    assert any("uji" in note for note in v.assumptions())
    assert fw.component_weights().to_dict() == pytest.approx({"A": 2 / 3, "B": 1 / 3})


@pytest.mark.parametrize("kw,text", [
    ({"component_weights": {"Z": 1}}, "kode komponen tidak dikenal"),
    ({"indicator_weights": {"X7": 1}}, "kode indikator tidak dikenal"),
    ({"indicator_weights": {"X1": -1}}, "bobot harus angka >= 0"),
    ({"component_weights": {"A": 0, "B": 0}}, "semua bobot komponen nol"),
    ({"indicator_weights": {"X1": 0, "X2": 0}}, "semua bobot indikator komponen A nol"),
    ({"aggregation": "median"}, "metode agregasi tidak dikenal"),
])
def test_with_weights_validates(kw, text):
    with pytest.raises(FrameworkError, match=text):
        parse(valid_doc()).with_weights(**kw)


# -- diff ---------------------------------------------------------------------------------
def shipped_doc(fid: str = "kak-2025") -> dict:
    return yaml.safe_load(framework_bytes(fid)[0])


def test_diff_of_a_framework_with_itself_is_empty():
    fw = load_framework("kak-2025")
    assert diff_frameworks(fw, fw) == []


def test_diff_finds_weight_changes():
    a = load_framework("kak-2025")
    b = a.with_weights(component_weights={"K1": 40}, indicator_weights={"I02": 3})
    lines = diff_frameworks(a, b)
    assert any(x.startswith("bobot komponen K1:") for x in lines)
    assert any(x.startswith("bobot indikator I02 dalam komponen:") for x in lines)
    # the other indicators of K2 lose share, K1's single indicator keeps 100%
    assert any(x.startswith("bobot indikator I03 dalam komponen:") for x in lines)
    assert not any(x.startswith("bobot indikator I01") for x in lines)


def test_diff_finds_added_removed_and_changed_indicators_and_thresholds():
    doc = shipped_doc()
    doc["designation"]["threshold"] = 85
    doc["indicators"] = [i for i in doc["indicators"] if i["code"] != "I19"]
    doc["indicators"].append({"code": "I20", "name": "Indikator baru", "component": "K6",
                              "weight": 1, "scoring": {"method": "direct"}})
    for s in doc["screening"]:
        if s["code"] == "mcp":
            s["rule"]["value"] = 80
    doc["indicators"][6]["scoring"]["high"] = 90  # I07 goalposts
    b = parse_framework(yaml.safe_dump(doc, sort_keys=False))
    lines = diff_frameworks(load_framework("kak-2025"), b)
    assert "ambang penetapan: 90 -> 85" in lines
    assert any(x.startswith("indikator dihapus: I19") for x in lines)
    assert any(x.startswith("indikator baru: I20") for x in lines)
    assert any(x.startswith("ambang penyaringan mcp:") and "80" in x for x in lines)
    assert any(x.startswith("penskoran indikator I07:") for x in lines)
    assert any(x.startswith("kategori") for x in lines) is False


def test_cited_sources_are_those_the_source_texts_name():
    from antikorupsi.framework import load_framework

    fw = load_framework("kak-2025")
    codes = [c for c, _ in fw.cited_sources()]
    assert {"A3", "A13", "A14", "A6", "A15"} <= set(codes)  # screening, designation
    assert all(text for _, text in fw.cited_sources())
