"""The ``audit`` command (registered through ``commands.REGISTER``).

Thin: it (optionally) scores the year, runs :func:`antikorupsi.audit.audit` to print a
short summary of the findings, then renders ``notebooks/laporan_audit.ipynb`` to
``reports/<year>/audit_<year>.{ipynb,html,pdf}`` through the report machinery
(:func:`antikorupsi.reporting.plan_audit`), which also records it in the year's
reports manifest. Bad input exits with code 2 (printed by ``cli.main``), a failed
render with 1.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from .errors import InputError, Problem

__all__ = ["register", "summary_text"]



def summary_text(result) -> str:
    """The findings of an :class:`~antikorupsi.audit.Audit` as printed by the command."""
    from .fmt import angka

    lines = [f"Audit statistik {result.year}: {angka(result.n_regions, 0)} wilayah, kerangka "
             f"{result.framework_id} (versi {result.framework_version})"]
    if result.note:
        lines.append(f"  {result.note.capitalize()}.")
        return "\n".join(lines)
    if result.n_regions < result.settings.small_sample:
        lines.append(f"  Hanya {angka(result.n_regions, 0)} wilayah: statistik ini kasar, "
                     "baca sebagai petunjuk.")
    from .audit import SECTIONS

    for key, title in SECTIONS.items():
        if key == "ketidakpastian":  # its headline is printed below, in full
            continue
        items = [f for f in result.flags if f.section == key]
        lines.append(f"{title}: " + (angka(len(items), 0) if items else "tidak ada"))
        for f in items:
            lines.append(textwrap.fill(f.text, width=96, initial_indent="  - ",
                                       subsequent_indent="    "))
    if result.uncertainty is not None:
        lines.append("Ketidakpastian peringkat:")
        lines.append(textwrap.fill(result.uncertainty.headline, width=96,
                                   initial_indent="  ", subsequent_indent="  "))
    if result.synthetic:
        from .whatif import _SYNTHETIC

        lines.append(_SYNTHETIC)
    return "\n".join(lines)


def cmd_audit(args) -> int:
    from .audit import audit
    from .audit_report import settings
    from .render import format_summary
    from .reporting import plan_audit, render_plans
    from .store import read_assessment

    year = int(args.year)
    processed = Path(args.processed)
    if args.data is not None:
        from .pipeline import score_and_write

        run = score_and_write(year, args.data, processed, args.framework, args.regions)
        print(f"Penilaian {year} dihitung ulang dari {args.data}: {run.out_dir}/")
    elif args.framework is not None or args.regions is not None:
        raise InputError(Problem("--framework/--regions", "hanya berlaku bersama --data",
                                 expected="--data <folder data mentah> untuk menilai ulang"))
    folder = processed / str(year)
    if not (folder / "manifest.json").is_file():
        raise InputError(Problem(str(folder), f"tahun {year} belum dinilai (hasil skor tidak "
                                              "ada)",
                                 expected=f"jalankan dulu antikorupsi score --year {year}, "
                                          "atau beri --data <folder data mentah>"))
    print(summary_text(audit(read_assessment(folder), settings())))
    if args.no_report:
        return 0
    plan = plan_audit(year, processed_dir=processed, out_dir=args.out,
                      notebooks=args.notebooks)
    summary = render_plans([plan], formats=args.format, workers=1, force=args.force,
                           progress=sys.stderr.isatty())
    print()
    print(format_summary(summary))
    stem = plan.jobs[0].out_stem
    files = [str(stem.with_name(f"{stem.name}.{fmt}")) for fmt in ("html", "pdf")
             if fmt in args.format and stem.with_name(f"{stem.name}.{fmt}").is_file()]
    if files:
        print("Laporan audit: " + ", ".join(files))
    return 0 if summary.ok else 1


def register(subparsers) -> None:
    """Add ``antikorupsi audit`` to the CLI."""
    from .reporting import add_render_options

    p = subparsers.add_parser(
        "audit", help="audit statistik tahunan kerangka (praktik JRC): ringkasan dan laporan",
        description="Audit statistik satu tahun yang sudah dinilai, mengikuti praktik audit "
                    "indeks komposit JRC/COINr: statistik dan pencilan indikator (aturan "
                    "JRC, akibat winsorisasi), korelasi indikator-komponen-skor total "
                    "(Pearson dan Spearman), alfa Cronbach dan PCA per komponen, pengaruh "
                    "efektif komponen dibandingkan bobotnya (rasio korelasi), dan sumber "
                    "ketidakpastian peringkat (bobot atau metode agregasi). Mencetak "
                    "ringkasan temuan lalu menulis reports/<tahun>/audit_<tahun> (ipynb, "
                    "HTML, PDF A4). Skor resmi tidak diubah.",
        epilog="Contoh: antikorupsi audit --year 2025   |   antikorupsi audit --year 2025 "
               "--data data/synthetic --regions data/synthetic/wilayah.csv --processed "
               "/tmp/olahan --format html")
    p.add_argument("--year", "-y", type=int, required=True, help="tahun penilaian, mis. 2025")
    p.add_argument("--data", type=Path, default=None,
                   help="folder data mentah berisi <tahun>/: nilai ulang tahun itu ke "
                        "--processed sebelum audit (bawaan: pakai hasil skor yang ada)")
    p.add_argument("--framework", "-f", default=None,
                   help="bersama --data: id kerangka atau berkas YAML (bawaan: kak-<tahun>)")
    p.add_argument("--regions", type=Path, default=None,
                   help="bersama --data: berkas daftar wilayah (bawaan: 8 wilayah Banten)")
    p.add_argument("--no-report", action="store_true",
                   help="hanya cetak ringkasan temuan, tanpa menulis laporan")
    add_render_options(p)
    p.set_defaults(func=cmd_audit)
