"""Indonesian number formats: decimal comma, dot for thousands (``1.234,56``)."""

from __future__ import annotations

import pandas as pd

__all__ = ["angka", "persen", "tanda", "peringkat", "ringkas", "agregasi", "ascii_slug",
           "tanggal", "AGREGASI", "BULAN"]

#: Indonesian month names, January first.
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember")

#: Indonesian names of the aggregation methods, as reports and messages print them.
AGREGASI = {"arithmetic": "aritmetika", "geometric": "geometrik"}


def _missing(x: object) -> bool:
    return x is None or bool(pd.isna(x)) if not isinstance(x, (list, tuple)) else False


def angka(x: float | int | None, decimals: int = 2, missing: str = "–") -> str:
    """``93.5`` -> ``'93,50'``; ``1234.5`` -> ``'1.234,50'``; NaN/None -> ``'–'``."""
    if _missing(x):
        return missing
    text = f"{float(x):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def persen(share: float | None, decimals: int = 1, missing: str = "–") -> str:
    """A share 0-1 as a percentage: ``0.25`` -> ``'25,0%'``."""
    if _missing(share):
        return missing
    return angka(share * 100, decimals) + "%"


def tanda(x: float | None, decimals: int = 2, missing: str = "–") -> str:
    """A signed change: ``+2,18``, ``−1,51`` (true minus sign), ``0,00``."""
    if _missing(x):
        return missing
    if round(x, decimals) == 0:
        return angka(0.0, decimals)
    return ("+" if x > 0 else "−") + angka(abs(x), decimals)


def peringkat(rank: int | None, of: int | None = None, missing: str = "–") -> str:
    if _missing(rank):
        return missing
    return f"{int(rank)} dari {int(of)}" if of else str(int(rank))


def ringkas(x: object) -> str:
    """A number without needless decimals, decimal comma: ``87.5`` -> ``'87,5'``,
    ``100.0`` -> ``'100'`` (no thousands separator). Non-numbers are returned as text."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return f"{x:g}".replace(".", ",")
    return str(x)


def agregasi(method: str) -> str:
    """``'geometric'`` -> ``'geometrik'``; an unknown name is returned unchanged."""
    return AGREGASI.get(method, method)


def ascii_slug(text: str, sep: str) -> str:
    """Lower-case ASCII words joined by ``sep``: ``'Kota Tangerang Selatan'`` ->
    ``'kota-tangerang-selatan'`` with ``sep='-'``."""
    import re
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, ascii_.lower()).strip(sep)


def tanggal(day) -> str:
    """A date in Indonesian: ``date(2025, 12, 9)`` -> ``'9 Desember 2025'``."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"
