"""The command line, run in-process through ``main(argv)`` and once as a real process."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from antikorupsi.cli import build_parser, main
from antikorupsi.fmt import angka
from antikorupsi.framework import framework_bytes, load_framework

YEAR = 2025
# Words that show a help text is written in Bahasa Indonesia (argparse's own are English).
INDONESIAN = {"dan", "atau", "yang", "untuk", "dari", "tahun", "wilayah", "berkas", "data",
              "kerangka", "bawaan", "tulis", "laporan", "skor", "bobot", "peringkat", "satu"}


def subcommands() -> list[str]:
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(sub.choices)


def test_the_core_commands_are_registered():
    assert {"score", "validate", "template", "framework", "regions"} <= set(subcommands())


@pytest.mark.parametrize("command", subcommands())
def test_help_of_every_command(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: antikorupsi " + command)
    words = set(re.findall(r"[a-z]+", out.lower()))
    assert len(words & INDONESIAN) >= 3, out


def test_help_without_a_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "Penilaian Percontohan Kabupaten/Kota Antikorupsi" in capsys.readouterr().out
    assert main([]) == 2  # no command: the help, and a non-zero exit


# -- score -------------------------------------------------------------------------------------
def _score(data: Path, processed: Path, *extra: str) -> int:
    return main(["score", "--year", str(YEAR), "--data", str(data), "--processed",
                 str(processed), *extra])


def test_score_prints_the_ranking_in_indonesian_formats(sample_data, tmp_path, capsys):
    data = sample_data(YEAR - 1, YEAR)
    assert _score(data, tmp_path / "p") == 0
    out = capsys.readouterr().out
    res = pd.read_csv(tmp_path / "p" / str(YEAR) / "hasil_wilayah.csv",
                      dtype={"kode_wilayah": str})
    lines = out.splitlines()
    for r in res.itertuples():
        [line] = [x for x in lines if re.match(rf"\s*{r.peringkat}\s+{r.kode_wilayah}\s", x)]
        assert f" {angka(r.skor_total)} " in line  # "93,50", not "93.5"
        assert r.nama_wilayah in line and r.penetapan in line
    assert re.search(r"\b\d{2},\d{2}\b", out)
    assert not re.search(r"\b\d{2}\.\d{2}\b", out)  # no English decimals in the table
    assert re.search(r"[+−]\d+,\d{2}", out)  # change against the year before
    assert "DATA SINTETIS" in out  # the sample indicators are synthetic and say so
    assert f"Penilaian {YEAR}: {len(res)} wilayah" in out
    assert "Asumsi" in out


def test_score_outputs_are_byte_identical_across_runs(sample_data, tmp_path, tree_digest,
                                                      capsys):
    data = sample_data(YEAR)
    assert _score(data, tmp_path / "a") == 0
    first = tree_digest(tmp_path / "a")
    assert _score(data, tmp_path / "a") == 0
    assert _score(data, tmp_path / "b") == 0
    assert tree_digest(tmp_path / "a") == first == tree_digest(tmp_path / "b")
    assert {"2025/manifest.json", "2025/hasil_wilayah.parquet",
            "2025/skor_indikator.csv"} <= set(first)


# -- validate ----------------------------------------------------------------------------------
# 2024 is the sample year given as one table of final values (2025 is split in stages)
FINAL_YEAR = 2024


def test_validate_reports_counts_and_writes_nothing(sample_data, tmp_path, capsys):
    data = sample_data(FINAL_YEAR)
    raw = pd.read_csv(data / str(FINAL_YEAR) / "indikator.csv", dtype=str,
                      keep_default_na=False)
    before = sorted(p for p in tmp_path.rglob("*"))
    assert main(["validate", "--year", str(FINAL_YEAR), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    n_empty = int((raw["nilai"] == "").sum())
    assert (f"Data {FINAL_YEAR} valid: {len(raw)} baris indikator ({n_empty} tanpa nilai)"
            in out)
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_validate_rejects_bad_data(sample_data, capsys):
    data = sample_data(FINAL_YEAR)
    path = data / str(FINAL_YEAR) / "indikator.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(f"{FINAL_YEAR},3601,I01,", f"{FINAL_YEAR},3601,I99,")
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert main(["validate", "--year", str(FINAL_YEAR), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"{path}, baris 2, kolom 'kode_indikator': kode indikator tidak dikenal" in err


# -- framework ---------------------------------------------------------------------------------
def _edited_framework(tmp_path: Path, edit, name: str) -> Path:
    doc = yaml.safe_load(framework_bytes("kak-2024")[0])
    edit(doc)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _by_code(items: list[dict], code: str) -> dict:
    return next(x for x in items if x["code"] == code)


def test_framework_diff_lists_the_changes(tmp_path, capsys):
    def edit(doc):
        _by_code(doc["components"], "K2")["weight"] = 35
        doc["indicators"] = [i for i in doc["indicators"] if i["code"] != "I18"]
        _by_code(doc["screening"], "mcp")["rule"]["value"] = 80
        doc["designation"]["threshold"] = 85

    path = _edited_framework(tmp_path, edit, "kak-2024-ubah.yaml")
    assert main(["framework", "diff", "kak-2024", str(path)]) == 0
    out = capsys.readouterr().out
    base = load_framework("kak-2024")
    i18 = base.indicator("I18")
    assert re.search(r"bobot komponen K2: 25,0% -> \d+,\d%", out)
    assert f"indikator dihapus: I18 {i18.name}" in out
    assert "ambang penyaringan mcp: >= 75 -> >= 80" in out
    assert "ambang penetapan: 90 -> 85" in out
    # I16 and I17 now share K5 between two indicators instead of three.
    assert "bobot indikator I16 dalam komponen: 33,3% -> 50,0%" in out
    assert "kriteria penyaringan" not in out and "indikator baru" not in out

    assert main(["framework", "diff", "kak-2024", "kak-2024"]) == 0
    assert "tidak ada" in capsys.readouterr().out


def test_framework_with_several_errors_lists_them_all(tmp_path, capsys):
    def edit(doc):
        _by_code(doc["components"], "K1")["weight"] = -5
        _by_code(doc["indicators"], "I04")["component"] = "K9"
        _by_code(doc["indicators"], "I03")["code"] = "I02"
        doc["designation"]["threshold"] = 150
        _by_code(doc["indicators"], "I07")["scoring"].update(low=60, high=5)

    path = _edited_framework(tmp_path, edit, "rusak.yaml")
    assert main(["framework", "check", str(path)]) == 2
    err = capsys.readouterr().err
    expected = [
        ("components[0].weight", "bobot negatif"),
        ("indicators[3].component", "komponen tidak dikenal"),
        ("indicators[2].code", "kode indikator ganda"),
        ("designation.threshold", "ambang di luar skala"),
        ("indicators[6].scoring", "batas nilai terbalik"),
    ]
    for where, message in expected:
        assert f"{path}, bagian '{where}': {message}" in err, err
    assert "Traceback" not in err
    assert re.search(r"(\d+) masalah ditemukan", err).group(1) == str(len(expected))

    # Scoring with it fails the same way and writes nothing.
    assert main(["score", "--year", str(YEAR), "--framework", str(path),
                 "--processed", str(tmp_path / "p")]) == 2
    assert "bobot negatif" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_framework_list_show_check(capsys):
    assert main(["framework", "list"]) == 0
    out = capsys.readouterr().out
    assert "kak-2024" in out and "kak-2025" in out
    assert main(["framework", "show", "kak-2025"]) == 0
    out = capsys.readouterr().out
    assert "K2 Peningkatan kualitas pengawasan — bobot 25,0%" in out
    assert "Penyaringan sakip: Nilai SAKIP: ambang tidak dipublikasikan" in out
    assert main(["framework", "check", "kak-2024", "kak-2025"]) == 0
    assert capsys.readouterr().out.count(": valid (") == 2


# -- template and regions ---------------------------------------------------------------------
def test_template_writes_a_workbook(tmp_path, capsys):
    out = tmp_path / "templat.xlsx"
    assert main(["template", "--year", str(YEAR), "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    wb = openpyxl.load_workbook(out, read_only=True)
    try:
        assert wb.sheetnames[:3] == ["petunjuk", "indikator", "penyaringan"]
        n = len(load_framework(f"kak-{YEAR}").indicators)
        assert wb["indikator"].max_row == 1 + 8 * n  # Banten's eight regions
    finally:
        wb.close()

    assert main(["template", "--year", str(YEAR), "--region", "3699",
                 "--out", str(tmp_path / "lain.xlsx")]) == 2
    assert "kode wilayah tidak dikenal (nilai: ['3699'])" in capsys.readouterr().err
    assert not (tmp_path / "lain.xlsx").exists()


def test_regions_national_export(tmp_path, capsys):
    out = tmp_path / "wilayah" / "nasional.csv"
    assert main(["regions", "--national", "--out", str(out)]) == 0
    assert "514 wilayah ditulis" in capsys.readouterr().out
    df = pd.read_csv(out, dtype=str)
    assert len(df) == 514
    assert df["kode_wilayah"].is_unique
    assert df["jenis"].value_counts().to_dict() == {"kabupaten": 416, "kota": 98}
    assert {"3601", "3674"} <= set(df["kode_wilayah"])


# -- a real process ---------------------------------------------------------------------------
def test_bad_input_in_a_real_process_prints_no_traceback(sample_data, tmp_path):
    data = sample_data(YEAR)
    path = data / str(YEAR) / "penyaringan.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(f"{YEAR},3601,mcp,,", f"{YEAR},3601,mcp,tinggi,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "antikorupsi.cli", "score", "--year", str(YEAR), "--data",
         str(data), "--processed", str(tmp_path / "p")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{path}, baris 2, kolom 'nilai': bukan angka (nilai: 'tinggi')" in proc.stderr
    assert "Tidak ada keluaran yang diubah." in proc.stderr
    assert not (tmp_path / "p").exists()


def test_malformed_region_registry_is_a_located_error_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "wilayah.csv"
    bad.write_text("kode_wilayah,nama_wilayah\n3601,Kabupaten Pandeglang,extra,fields\n",
                   encoding="utf-8")
    assert main(["regions", "--regions", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err
