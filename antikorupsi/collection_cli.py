"""The collection commands: ``antikorupsi status`` and ``antikorupsi pleno``.

``status`` says, per region, what has arrived and what is missing (whom to chase);
``pleno`` writes the plenary sheet (``reports/<year>/pleno_<year>.xlsx`` and ``.html``).
Both read ``data/raw/<year>/`` the way ``score`` does; neither writes processed data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .cli import _common_data
from .config import REPORTS

__all__ = ["register_status", "register_pleno", "write_year_plenary", "EXIT_INCOMPLETE"]

#: ``status --check``: the collection is not complete yet (someone still has to send data).
EXIT_INCOMPLETE = 1


def _load(args):
    from .framework import framework_for_year, load_framework
    from .regions import load_regions

    return load_framework(args.framework or framework_for_year(args.year)), \
        load_regions(args.regions)


def cmd_status(args) -> int:
    from .collection import collection_status, format_status
    from .errors import InputError
    from .inputs import format_warnings

    fw, regions = _load(args)
    s = collection_status(args.data, args.year, fw, regions)
    print(format_status(s))
    text = format_warnings(s.warnings)
    if text:
        print(text, file=sys.stderr)
    if s.problems:
        print(InputError(list(s.problems)).render(), file=sys.stderr)
        print(f"Perbaiki masalah di atas lalu jalankan lagi antikorupsi status --year "
              f"{args.year}.", file=sys.stderr)
        return 2
    if args.check and not s.complete:
        return EXIT_INCOMPLETE
    return 0


def write_year_plenary(inputs, assessment, out_dir: str | Path) -> list[Path]:
    """Write the plenary sheet of a scored year into ``out_dir/<year>/`` when its inputs
    have self-assessments or assessors' values; return the files written (or [])."""
    from .panel import has_panel
    from .pleno import plenary, write_plenary

    if not has_panel(inputs.stages):
        return []
    return write_plenary(plenary(inputs, assessment), Path(out_dir) / str(assessment.year))


def cmd_pleno(args) -> int:
    from .fmt import angka
    from .inputs import format_warnings, read_year
    from .panel import has_panel
    from .pleno import plenary, write_plenary
    from .scoring import score_year

    fw, regions = _load(args)
    inputs = read_year(args.data, args.year, fw, regions)
    text = format_warnings(inputs.warnings)
    if text:
        print(text, file=sys.stderr)
    if not has_panel(inputs.stages):
        print(f"Data {args.year} hanya berisi nilai final (tanpa penilaian mandiri atau nilai "
              f"penilai): tidak ada yang perlu dibahas pleno, lembar pleno tidak dibuat.")
        return 0
    a = score_year(fw, inputs, regions)
    p = plenary(inputs, a)
    paths = write_plenary(p, Path(args.out) / str(args.year))
    print(f"Lembar pleno {args.year}: {len(p.agenda)} butir agenda"
          + (" (DATA SINTETIS)" if p.synthetic else ""))
    for r in p.agenda.head(args.top).itertuples(index=False):
        stake = "  [melewati ambang]" if r.lintas_ambang else ""
        print(f"  {r.urutan:>3}. {r.kode_wilayah} {r.nama_wilayah[:24]:<24} {r.kode_indikator} "
              f"dampak {angka(r.dampak_total):>6} poin: {r.alasan}{stake}")
    if len(p.agenda) > args.top:
        print(f"  ... dan {len(p.agenda) - args.top} butir lain")
    print("Ditulis: " + ", ".join(str(x) for x in paths))
    return 0


def register_status(subparsers) -> None:
    """Add ``antikorupsi status``."""
    p = subparsers.add_parser(
        "status", help="status pengumpulan data: siapa sudah mengirim, apa yang kurang",
        description="Baca semua berkas di data/raw/<tahun>/ (tanpa menulis apa pun) dan "
                    "tampilkan per wilayah: buku kerja yang sudah masuk, kelengkapan per tahap "
                    "(mandiri n/19, tiap penilai, final), indikator tanpa bukti, baris "
                    "penyaringan, tindak lanjut rekomendasi; lalu wilayah dalam daftar yang "
                    "belum mengirim apa pun.",
        epilog="Kode keluar: 0 = status ditampilkan; 2 = ada masalah data (dirinci); "
               "dengan --check, 1 = pengumpulan belum lengkap.")
    _common_data(p)
    p.add_argument("--check", action="store_true",
                   help="keluar dengan kode 1 bila masih ada wilayah yang belum lengkap")
    p.set_defaults(func=cmd_status)


def register_pleno(subparsers) -> None:
    """Add ``antikorupsi pleno``."""
    p = subparsers.add_parser(
        "pleno", help="lembar pleno: butir yang perlu dibahas lebih dulu (xlsx, HTML)",
        description="Baca data/raw/<tahun>/ (penilaian mandiri, nilai para penilai, keputusan "
                    "pleno), hitung beda pendapat penilai, selisih penilaian mandiri dan "
                    "kesepakatan antarpenilai (alfa Krippendorff), lalu tulis "
                    "reports/<tahun>/pleno_<tahun>.xlsx dan .html. Tidak menulis data olahan.",
        epilog="Contoh: antikorupsi pleno --year 2025")
    _common_data(p)
    p.add_argument("--out", "-o", type=Path, default=REPORTS,
                   help=f"folder laporan; hasil di <folder>/<tahun>/ (bawaan: {REPORTS})")
    p.add_argument("--top", type=int, default=10, help="butir agenda yang dicetak (bawaan: 10)")
    p.set_defaults(func=cmd_pleno)
