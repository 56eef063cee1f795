"""Tests for antikorupsi.store: byte-identical, self-describing, atomic processed outputs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pandas.testing as tm
import pytest

import antikorupsi
from antikorupsi.errors import InputError, OutputError
from antikorupsi.pipeline import assess
from antikorupsi.store import TABLES, file_sha256, read_assessment, read_manifest, \
    write_assessment

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
FRAMES = ("results", "indicators", "components", "screening")


@pytest.fixture(scope="module")
def golden_run():
    """The golden fixture assessed (no previous year), with its framework bytes."""
    a, raw, _ = assess(2025, GOLDEN, GOLDEN / "kerangka.yaml", GOLDEN / "wilayah.csv")
    return a, raw


@pytest.fixture
def banten_run(sample_data):
    """Banten's sample 2025, with 2024 as the previous year (Int64 and NA columns)."""
    root = sample_data(2024, 2025)
    a, raw, _ = assess(2025, root)
    assert a.results["skor_total_sebelumnya"].notna().any()
    return a, raw, root


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_writing_twice_gives_byte_identical_files(golden_run, tmp_path):
    a, raw = golden_run
    out = write_assessment(a, tmp_path / "x" / "2025", raw, input_root=GOLDEN)
    first = digest(out)
    write_assessment(a, out, raw, input_root=GOLDEN)  # over the previous output
    assert digest(out) == first
    other = write_assessment(a, tmp_path / "y" / "2025", raw, input_root=GOLDEN)
    assert digest(other) == first
    expected = {f"{name}.{ext}" for name in TABLES for ext in ("csv", "parquet")}
    assert expected | {"manifest.json", "kerangka.yaml"} == set(first)
    assert sorted(p.name for p in out.parent.iterdir()) == ["2025"]  # no leftovers


def test_identical_inputs_scored_twice_write_identical_files(banten_run, tmp_path):
    a, raw, root = banten_run
    b, _, _ = assess(2025, root)
    one = write_assessment(a, tmp_path / "one", raw, input_root=root)
    two = write_assessment(b, tmp_path / "two", raw, input_root=root)
    assert digest(one) == digest(two)


def test_manifest_records_inputs_framework_and_package(banten_run, tmp_path):
    a, raw, root = banten_run
    out = write_assessment(a, tmp_path / "2025", raw, input_root=root)
    m = read_manifest(out)
    assert m == json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["paket"] == "antikorupsi"
    assert m["versi_paket"] == antikorupsi.__version__
    assert m["tahun"] == 2025
    fw = a.framework
    assert m["kerangka"]["id"] == fw.id
    assert m["kerangka"]["versi"] == fw.version
    assert m["kerangka"]["sha256"] == fw.sha256 == hashlib.sha256(raw).hexdigest()
    assert (out / "kerangka.yaml").read_bytes() == raw
    # every input file, relative to the data root, with the hash of its bytes
    files = {p.relative_to(root).as_posix() for p in (root / "2025").rglob("*") if p.is_file()}
    assert set(m["masukan"]) == files  # the self-assessments, assessors, plenary, screening
    assert "2025/mandiri/3674_kota-tangerang-selatan.xlsx" in files
    for rel, sha in m["masukan"].items():
        assert sha == file_sha256(root / rel)
    for name, sha in m["keluaran"].items():
        assert sha == file_sha256(out / name)
    assert m["jumlah_wilayah"] == len(a.results)
    assert m["data_sintetis"] is True
    assert m["asumsi"] == fw.assumptions()


@pytest.mark.parametrize("which", ["golden", "banten"])
def test_read_assessment_round_trip(which, golden_run, sample_data, tmp_path):
    if which == "golden":
        (a, raw), root = golden_run, GOLDEN
    else:
        root = sample_data(2024, 2025)
        a, raw, _ = assess(2025, root)
    out = write_assessment(a, tmp_path / "2025", raw, input_root=root)
    b = read_assessment(out)
    for name in FRAMES:
        tm.assert_frame_equal(getattr(b, name), getattr(a, name), check_exact=True)
    assert b.year == a.year
    assert (b.framework.id, b.framework.version, b.framework.sha256) == (
        a.framework.id, a.framework.version, a.framework.sha256)
    assert b.framework.aggregation == a.framework.aggregation
    assert b.input_files == read_manifest(out)["masukan"]


def test_round_trip_keeps_a_changed_aggregation(tmp_path):
    a, raw, _ = assess(2025, GOLDEN, GOLDEN / "kerangka.yaml", GOLDEN / "wilayah.csv",
                       aggregation="geometric")
    b = read_assessment(write_assessment(a, tmp_path / "2025", raw, input_root=GOLDEN))
    assert b.framework.aggregation == "geometric"
    tm.assert_frame_equal(b.results, a.results)


def test_failure_mid_write_leaves_the_previous_output_intact(golden_run, tmp_path,
                                                             monkeypatch):
    a, raw = golden_run
    out = write_assessment(a, tmp_path / "2025", raw, input_root=GOLDEN)
    before = digest(out)
    calls = []
    real = pd.DataFrame.to_csv

    def failing(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 2:  # the second table: some files are already written
            raise OSError("disk penuh (simulasi)")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing)
    with pytest.raises(OutputError, match="simulasi") as err:  # one message, not a traceback
        write_assessment(a, out, raw, input_root=GOLDEN)
    assert err.value.problems[0].file == str(out)
    assert len(calls) == 2
    assert digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025"]  # temp dir removed
    monkeypatch.undo()
    tm.assert_frame_equal(read_assessment(out).results, a.results)


def test_failure_on_a_first_write_leaves_nothing(golden_run, tmp_path, monkeypatch):
    a, raw = golden_run

    def failing(self, *args, **kwargs):
        raise OSError("disk penuh (simulasi)")

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing)
    with pytest.raises(OutputError):
        write_assessment(a, tmp_path / "2025", raw)
    assert list(tmp_path.iterdir()) == []


def test_reading_a_missing_output_says_what_to_run(tmp_path):
    with pytest.raises(InputError, match="antikorupsi score"):
        read_assessment(tmp_path / "2031")
