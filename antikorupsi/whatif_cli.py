"""The ``whatif`` and ``uncertainty`` commands (registered through ``commands.REGISTER``).

Thin: argument parsing and printing only; the work is in :mod:`antikorupsi.whatif`.
Problems (unknown scenario, invalid scenario file, missing scored year) are raised as
:class:`~antikorupsi.errors.AntikorupsiError` and printed by ``cli.main`` with exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli import positive_int
from .config import DATA_PROCESSED, SCENARIOS
from .fmt import angka, metode_agregasi, persen, tanda

__all__ = ["register_whatif", "register_uncertainty", "comparison_text", "uncertainty_text"]

_SYNTHETIC = ("PERHATIAN: nilai indikator contoh ini adalah DATA SINTETIS, bukan hasil "
              "penilaian KPK.")


def _load(args):
    from .store import read_assessment

    return read_assessment(Path(args.processed) / str(args.year))


def _scenario(ref: str, folder: Path, framework):
    from .whatif import find_scenario, load_scenario

    return load_scenario(find_scenario(ref, folder), framework)


# -- whatif ------------------------------------------------------------------------------
def comparison_text(comparison, top: int | None = None) -> str:
    """The comparison as printed by ``antikorupsi whatif`` (Indonesian formats)."""
    from .explorer import flips_text

    c, s = comparison, comparison.scenario
    lines = [f"Simulasi bobot {c.year}: skenario '{s.name}' ({s.source})"]
    if s.description:
        lines.append(f"  {s.description}")
    cw = c.weights[c.weights["tingkat"] == "komponen"]
    lines.append("Bagian bobot komponen, resmi → skenario:")
    lines.append("  " + " | ".join(f"{r.kode} {persen(r.bagian_resmi)} → "
                                   f"{persen(r.bagian_skenario)}" for r in cw.itertuples()))
    iw = c.weights[(c.weights["tingkat"] == "indikator")
                   & (c.weights["bobot_resmi"] != c.weights["bobot_skenario"])]
    if len(iw):
        lines.append("Bobot indikator yang diubah (bagian dari skor total, resmi → skenario):")
        lines.append("  " + " | ".join(f"{r.kode} {persen(r.bagian_resmi)} → "
                                       f"{persen(r.bagian_skenario)}" for r in iw.itertuples()))
    lines.append(f"Agregasi: {metode_agregasi(c.official.aggregation)} → "
                 f"{metode_agregasi(c.variant.aggregation)}")
    lines.append("")
    head = (f"{'Per.sken.':>9} {'Per.resmi':>9} {'Δ per.':>6}  {'Kode':<5} {'Wilayah':<28} "
            f"{'Skor resmi':>10} {'Skor sken.':>10} {'Δ skor':>7}  {'Penetapan resmi':<17} "
            f"{'Penetapan skenario':<18}")
    lines += [head, "-" * len(head)]
    t = c.table if top is None else c.table.head(top)
    for r in t.itertuples():
        line = (f"{r.peringkat_skenario:>9} {r.peringkat_resmi:>9} "
                f"{tanda(r.perubahan_peringkat, 0):>6}  {r.kode_wilayah:<5} "
                f"{r.nama_wilayah[:28]:<28} {angka(r.skor_resmi):>10} "
                f"{angka(r.skor_skenario):>10} {tanda(r.perubahan_skor):>7}  "
                f"{r.penetapan_resmi:<17} {r.penetapan_skenario:<18}"
                + ("  *" if r.penetapan_berubah else ""))
        lines.append(line.rstrip())
    if top is not None and len(c.table) > top:
        lines.append(f"... {angka(len(c.table) - top, 0)} wilayah lainnya (lihat --excel)")
    lines.append("")
    if len(c.flips):
        lines.append(f"Penetapan yang berubah ({len(c.flips)}, bertanda * di tabel):")
        lines += [f"  - {x}" for x in flips_text(c)]
    else:
        lines += flips_text(c)  # "Tidak ada penetapan yang berubah."
    lines.append("")
    if c.synthetic:
        lines.append(_SYNTHETIC)
    lines.append("Asumsi (nilai yang tidak dipublikasikan KPK):")
    lines += [f"  - {x}" for x in c.assumptions()]
    return "\n".join(lines)


def cmd_whatif(args) -> int:
    from .whatif import compare, to_excel

    a = _load(args)
    scenario = _scenario(args.scenario, args.scenarios, a.framework)
    c = compare(a, scenario)
    print(comparison_text(c, args.top))
    if args.excel:
        out = to_excel(c, args.excel)
        print(f"\nPerbandingan ditulis ke {out}")
    return 0


def register_whatif(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "whatif", help="bandingkan peringkat dengan bobot skenario vs bobot resmi",
        description="Hitung ulang skor satu tahun yang sudah dinilai dengan bobot atau metode "
                    "agregasi dari sebuah skenario (berkas YAML di folder skenario/), lalu "
                    "bandingkan dengan hasil resmi: skor, peringkat, kategori, penetapan, dan "
                    "penetapan yang berubah.",
        epilog="Contoh: antikorupsi whatif --year 2025 --scenario pengawasan_lebih_berat "
               "--excel whatif.xlsx")
    p.add_argument("--year", "-y", type=int, required=True, help="tahun penilaian, mis. 2025")
    p.add_argument("--scenario", "-s", required=True, metavar="NAMA|BERKAS",
                   help="nama berkas skenario di folder skenario (tanpa .yaml), nama skenario, "
                        "atau path berkas YAML")
    p.add_argument("--scenarios", type=Path, default=SCENARIOS, metavar="FOLDER",
                   help=f"folder skenario (bawaan: {SCENARIOS})")
    p.add_argument("--excel", type=Path, default=None, metavar="BERKAS.xlsx",
                   help="tulis perbandingan ke buku kerja Excel (ringkasan, per wilayah, "
                        "bobot, asumsi)")
    p.add_argument("--processed", type=Path, default=DATA_PROCESSED, metavar="FOLDER",
                   help=f"folder hasil skor berisi <tahun>/ (bawaan: {DATA_PROCESSED})")
    p.add_argument("--top", type=int, default=None, metavar="N",
                   help="cetak hanya N peringkat teratas skenario (bawaan: semua)")
    p.set_defaults(func=cmd_whatif)


# -- uncertainty -------------------------------------------------------------------------
def _fraction(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"harus angka 0 <= P < 1 (mis. 0.25), bukan {text!r}")
    return value


def _aggregations(text: str) -> tuple[str, ...]:
    """``arithmetic,geometric`` (the default), ``semua`` (all four readings), or specs
    such as ``arithmetic,geometric/arithmetic``."""
    from .aggregate import READINGS, is_method, join_method, split_method

    if text.strip().lower() in ("semua", "all"):
        return READINGS
    parts = [p.strip() for p in text.split(",") if p.strip()]
    bad = [p for p in parts if not is_method(p)]
    if bad or not parts:
        raise argparse.ArgumentTypeError(
            f"metode agregasi tidak dikenal: {', '.join(bad) or text!r}; contoh: "
            "arithmetic,geometric atau geometric/arithmetic (dalam/antar komponen) atau semua")
    return tuple(dict.fromkeys(join_method(*split_method(p)) for p in parts))


def _power_of_two(text: str) -> int:
    value = positive_int(text)
    if value < 2 or value & (value - 1):
        raise argparse.ArgumentTypeError(f"harus pangkat 2 (mis. 256, 512, 1024), bukan {text!r}")
    return value


def uncertainty_text(report, top: int | None = None) -> str:
    """The report as printed by ``antikorupsi uncertainty`` (Indonesian formats)."""
    fw = report.framework
    nominal = (f"skenario '{report.scenario.name}'" if report.scenario is not None
               else f"kerangka {fw.id} versi {fw.version}")
    lines = [f"Ketidakpastian peringkat {report.year} terhadap bobot (bobot nominal: {nominal})",
             report.describe(), ""]
    thr = angka(fw.threshold, 0)
    head = (f"{'Per.':>4} {'Median':>6} {'5–95%':>9}  {'Kode':<5} {'Wilayah':<28} {'Skor':>6} "
            f"{'P(skor≥' + thr + ')':>12}  Penetapan")
    lines += [head, "-" * len(head)]
    t = report.table if top is None else report.table.head(top)
    for r in t.itertuples():
        def num(x):
            return "–" if x is None or x != x else str(int(x))
        interval = f"{num(r.peringkat_p05)}–{num(r.peringkat_p95)}"
        lines.append(f"{num(r.peringkat):>4} {num(r.peringkat_median):>6} {interval:>9}  "
                     f"{r.kode_wilayah:<5} {str(r.nama_wilayah)[:28]:<28} {angka(r.skor):>6} "
                     f"{persen(r.p_istimewa):>12}  {str(r.penetapan)}")
        if r.kalimat:
            lines.append(f"{'':>22}{r.kalimat}")
    if top is not None and len(report.table) > top:
        lines.append(f"... {angka(len(report.table) - top, 0)} wilayah lainnya (lihat --excel)")
    lines.append("")
    lines.append(f"Per. = peringkat dengan bobot nominal; Median dan 5–95% = peringkat antar-"
                 f"simulasi; P(skor≥{thr}) = peluang skor total mencapai ambang penetapan "
                 "(tanpa memperhitungkan penyaringan).")
    if report.sensitivity is not None:
        sens = report.sensitivity
        lines.append(f"Kalimat per wilayah: indeks Sobol total dari desain Sobol tersendiri "
                     f"({angka(sens.n_evaluations, 0)} evaluasi, ukuran dasar "
                     f"{angka(sens.n_base, 0)}), bobot komponen ±"
                     f"{persen(sens.perturbation, 0)} dan metode agregasi.")
    if report.synthetic:
        lines.append(_SYNTHETIC)
    lines.append("Asumsi (nilai yang tidak dipublikasikan KPK):")
    lines += [f"  - {x}" for x in fw.assumptions()]
    return "\n".join(lines)


def cmd_uncertainty(args) -> int:
    from .whatif import uncertainty_report, uncertainty_to_excel

    a = _load(args)
    scenario = _scenario(args.scenario, args.scenarios, a.framework) if args.scenario else None
    report = uncertainty_report(a, scenario=scenario, n_draws=args.draws,
                                perturbation=args.perturbation, sampling=args.sampling,
                                seed=args.seed, sensitivity=not args.no_sensitivity,
                                sobol_base=args.sobol_base, aggregations=args.aggregations)
    print(uncertainty_text(report, args.top))
    if args.excel:
        out = uncertainty_to_excel(report, args.excel)
        print(f"\nHasil ditulis ke {out}")
    return 0


def register_uncertainty(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "uncertainty", help="seberapa jauh peringkat bergeser bila bobot diubah (Monte Carlo)",
        description="Simulasi Monte Carlo atas bobot komponen (±gangguan) dan metode agregasi: "
                    "per wilayah peringkat nominal, median, selang 5–95%, peluang skor total "
                    "mencapai ambang penetapan, dan bobot yang paling memengaruhi peringkatnya "
                    "(indeks Sobol).",
        epilog="Contoh: antikorupsi uncertainty --year 2025 --draws 10000 "
               "--excel ketidakpastian.xlsx")
    p.add_argument("--year", "-y", type=int, required=True, help="tahun penilaian, mis. 2025")
    p.add_argument("--draws", type=positive_int, default=10_000, metavar="N",
                   help="jumlah simulasi (bawaan: 10000)")
    p.add_argument("--perturbation", type=_fraction, default=0.25, metavar="P",
                   help="gangguan relatif bobot, 0 <= P < 1 (bawaan: 0.25 = ±25%%)")
    p.add_argument("--seed", type=int, default=20241209, help="seed acak (bawaan: 20241209)")
    p.add_argument("--sampling", choices=["uniform", "dirichlet"], default="uniform",
                   help="faktor seragam per bobot, atau bagian bobot dari sebaran Dirichlet "
                        "(bawaan: uniform)")
    p.add_argument("--scenario", "-s", default=None, metavar="NAMA|BERKAS",
                   help="pakai bobot skenario ini sebagai bobot nominal (bawaan: bobot kerangka)")
    p.add_argument("--aggregations", type=_aggregations, default=("arithmetic", "geometric"),
                   metavar="METODE[,METODE]",
                   help="metode agregasi yang diundi: arithmetic,geometric (bawaan, di kedua "
                        "tingkat), 'semua' (juga geometrik hanya di dalam atau hanya "
                        "antarkomponen), atau daftar seperti arithmetic,geometric/arithmetic")
    p.add_argument("--scenarios", type=Path, default=SCENARIOS, metavar="FOLDER",
                   help=f"folder skenario (bawaan: {SCENARIOS})")
    p.add_argument("--sobol-base", type=_power_of_two, default=None, metavar="N",
                   help="ukuran dasar desain Sobol, pangkat 2 (bawaan: bawaan modul "
                        "uncertainty)")
    p.add_argument("--no-sensitivity", action="store_true",
                   help="lewati indeks Sobol (lebih cepat; tanpa kalimat per wilayah)")
    p.add_argument("--excel", type=Path, default=None, metavar="BERKAS.xlsx",
                   help="tulis hasil ke buku kerja Excel (ringkasan, per wilayah, sobol, asumsi)")
    p.add_argument("--processed", type=Path, default=DATA_PROCESSED, metavar="FOLDER",
                   help=f"folder hasil skor berisi <tahun>/ (bawaan: {DATA_PROCESSED})")
    p.add_argument("--top", type=int, default=None, metavar="N",
                   help="cetak hanya N peringkat nominal teratas (bawaan: semua)")
    p.set_defaults(func=cmd_uncertainty)
