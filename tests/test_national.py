"""Tests for antikorupsi.national and scripts/make_national.py: the synthetic national
set is deterministic, labelled synthetic everywhere, and passes validation."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pandas.testing as tm
import pytest

from antikorupsi import cli
from antikorupsi.framework import load_framework
from antikorupsi.inputs import read_year
from antikorupsi.national import (
    DEFAULT_SEED,
    SYNTHETIC_SOURCE,
    national_inputs,
    national_year_inputs,
)
from antikorupsi.regions import load_regions, national_regions
from antikorupsi.scoring import score_year
from antikorupsi.synthetic import SYNTHETIC_NOTE

REPO = Path(__file__).resolve().parents[1]
YEAR = 2025


@pytest.fixture(scope="module")
def fw():
    return load_framework(f"kak-{YEAR}")


@pytest.fixture(scope="module")
def national(fw):
    return national_inputs(YEAR, fw, DEFAULT_SEED)


def make_national():
    spec = importlib.util.spec_from_file_location("make_national",
                                                  REPO / "scripts" / "make_national.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_same_seed_same_frames_other_seed_other_frames(fw, national):
    regions, frames = national
    again_regions, again = national_inputs(YEAR, fw, DEFAULT_SEED)
    tm.assert_frame_equal(regions, again_regions)
    for name in ("indikator", "penyaringan"):
        tm.assert_frame_equal(frames[name], again[name])
    _, other = national_inputs(YEAR, fw, DEFAULT_SEED + 1)
    assert not frames["indikator"]["nilai"].equals(other["indikator"]["nilai"])


def test_covers_all_514_regions_every_indicator_and_criterion(fw, national):
    regions, frames = national
    assert len(regions) == 514 == len(national_regions())
    ind, scr = frames["indikator"], frames["penyaringan"]
    assert len(ind) == 514 * len(fw.indicators)
    assert set(ind["kode_wilayah"]) == set(regions["kode_wilayah"])
    pairs = set(zip(scr["kode_wilayah"], scr["kriteria"]))
    assert len(pairs) == 514 * len(fw.screening)
    assert (ind["tahun"] == str(YEAR)).all() and (scr["tahun"] == str(YEAR)).all()


def test_every_row_says_it_is_synthetic(national):
    _, frames = national
    ind, scr = frames["indikator"], frames["penyaringan"]
    assert (ind["sintetis"] == "ya").all()
    assert ind["catatan"].str.startswith(SYNTHETIC_NOTE).all()
    assert scr["catatan"].str.contains("SINTETIS").all()
    with_value = scr["nilai"] != ""
    assert (scr.loc[with_value, "sumber"] == SYNTHETIC_SOURCE).all()
    assert (~with_value).any()  # some figures "not found", to exercise 'tidak diketahui'


def test_validates_and_scores_with_varied_outcomes(fw):
    regions, inputs = national_year_inputs(YEAR, fw, DEFAULT_SEED)
    assert len(inputs.indicators) == 514 * 19
    a = score_year(fw, inputs, regions)
    assert len(a.results) == 514
    assert a.synthetic
    r = a.results
    assert r["skor_total"].between(0, 100).all()
    assert set(r["penetapan"]) == {"Ditetapkan", "Tertunda", "Tidak ditetapkan"}
    assert {"lulus", "tidak lulus", "tidak diketahui", "tanpa ambang"} <= set(
        a.screening["hasil"])
    assert r["kode_provinsi"].nunique() == 38


def test_script_writes_deterministic_files_the_cli_scores(tmp_path, capsys):
    script = make_national()
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    assert script.main(["--out", str(out_a), "--years", str(YEAR)]) == 0
    assert script.main(["--out", str(out_b), "--years", str(YEAR)]) == 0
    files = sorted(p.relative_to(out_a).as_posix() for p in out_a.rglob("*") if p.is_file())
    assert files == [f"{YEAR}/indikator.csv", f"{YEAR}/penyaringan.csv", "wilayah.csv"]
    for rel in files:
        a, b = (hashlib.sha256((d / rel).read_bytes()).hexdigest() for d in (out_a, out_b))
        assert a == b, rel
    regions = load_regions(out_a / "wilayah.csv")
    tm.assert_frame_equal(regions, national_regions())
    inputs = read_year(out_a, YEAR, load_framework(f"kak-{YEAR}"), regions)
    assert len(inputs.indicators) == 514 * 19
    capsys.readouterr()
    code = cli.main(["score", "--year", str(YEAR), "--data", str(out_a),
                     "--regions", str(out_a / "wilayah.csv"),
                     "--processed", str(tmp_path / "processed")])
    assert code == 0
    assert "514 wilayah" in capsys.readouterr().out
    assert (tmp_path / "processed" / str(YEAR) / "manifest.json").exists()


def test_output_folder_is_ignored_by_git():
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/data/synthetic/" in ignored
