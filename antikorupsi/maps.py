"""Region boundaries for the reports' maps: the shipped outlines or a user's GeoJSON.

The package ships the outlines of Banten's eight kabupaten/kota
(``antikorupsi/data/batas_wilayah.geojson``; source, licence and what was changed in
``antikorupsi/data/SUMBER_BATAS_WILAYAH.md``). Any other GeoJSON FeatureCollection of
kabupaten/kota polygons can be passed instead; a feature is matched to a region by its
``kode_wilayah`` property (``"3673"``) or Kepmendagri's ``KDPKAB`` (``"36.73"``), never
by name: the source files' name properties describe one village, not the region.

Geometry is read into plain tuples of ``(n, 2)`` arrays (lon, lat), one per polygon's
outer ring; holes are not drawn (the regions have none at this precision). Drawing is
in :mod:`antikorupsi.charts` with matplotlib alone.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .errors import InputError, Problem

__all__ = ["Boundaries", "load_boundaries", "SHIPPED", "SOURCE_NOTE"]

SHIPPED = "batas_wilayah.geojson"
#: One line for captions: where the shipped outlines come from.
SOURCE_NOTE = ("Batas wilayah: Badan Informasi Geospasial melalui mashadinoor/"
               "Indonesia-Geojson-2026 (lisensi MIT, kredit ardian28); garis disederhanakan, "
               "hanya untuk penunjuk lokasi.")
_KEYS = ("kode_wilayah", "KDPKAB", "kode", "KODE")


class Boundaries(dict):
    """Region code -> tuple of outer rings (each an ``(n, 2)`` array of lon, lat).

    Attributes
    ----------
    source : str
        Where the outlines come from (a path, or the shipped file).
    note : str
        The credit line to print under a map.
    """

    source: str = ""
    note: str = ""

    def for_codes(self, codes) -> Boundaries:
        out = Boundaries({c: self[c] for c in codes if c in self})
        out.source, out.note = self.source, self.note
        return out


def _code(props: dict) -> str | None:
    for key in _KEYS:
        value = props.get(key)
        if value not in (None, ""):
            return str(value).replace(".", "").strip()
    return None


def _rings(geometry: dict) -> list[np.ndarray]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    else:
        raise ValueError(f"geometry type {kind!r}")
    rings = []
    for poly in polygons:
        ring = np.asarray(poly[0], dtype=float)
        if ring.ndim != 2 or ring.shape[1] < 2 or len(ring) < 3:
            raise ValueError("polygon ring with fewer than 3 points")
        rings.append(ring[:, :2])
    return rings


def _parse(text: str, source: str) -> Boundaries:
    problems = []
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise InputError(Problem(source, f"GeoJSON tidak dapat dibaca: {exc}",
                                 expected="FeatureCollection GeoJSON")) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise InputError(Problem(source, "bukan FeatureCollection GeoJSON",
                                 expected="objek dengan daftar features"))
    out = Boundaries()
    for k, f in enumerate(features):
        props = (f or {}).get("properties") or {}
        code = _code(props)
        if code is None:
            problems.append(Problem(source, "fitur tanpa kode wilayah", row=k + 1,
                                    column="properties",
                                    expected="properti kode_wilayah (mis. 3673) atau "
                                             "KDPKAB (mis. 36.73)"))
            continue
        try:
            rings = _rings((f or {}).get("geometry") or {})
        except (ValueError, TypeError, IndexError) as exc:
            problems.append(Problem(source, f"geometri tidak dapat dipakai ({exc})",
                                    row=k + 1, column="geometry", value=code,
                                    expected="Polygon atau MultiPolygon"))
            continue
        out.setdefault(code, ())
        out[code] = out[code] + tuple(rings)
    if problems:
        raise InputError(problems)
    out.source = source
    return out


@lru_cache(maxsize=4)
def _load(path: str) -> Boundaries:
    if path == SHIPPED:
        text = (resources.files("antikorupsi") / "data" / SHIPPED).read_text(encoding="utf-8")
        out = _parse(text, f"antikorupsi/data/{SHIPPED}")
        out.note = SOURCE_NOTE
        return out
    p = Path(path)
    if not p.is_file():
        raise InputError(Problem(path, "berkas batas wilayah tidak ditemukan",
                                 expected="berkas GeoJSON kabupaten/kota"))
    out = _parse(p.read_text(encoding="utf-8"), path)
    out.note = f"Batas wilayah: {p.name} (berkas pengguna)."
    return out


def load_boundaries(path: str | Path | None = None) -> Boundaries:
    """The outlines to draw: a user's GeoJSON file, else the shipped Banten outlines.

    Parameters
    ----------
    path : str or Path, optional
        A GeoJSON FeatureCollection of kabupaten/kota polygons with a ``kode_wilayah``
        or ``KDPKAB`` property. Empty or None: the shipped file.

    Returns
    -------
    Boundaries
        Cached per path; do not modify it.

    Raises
    ------
    InputError
        If the file is missing, is not GeoJSON, or a feature has no code or no usable
        polygon (every such feature is named).
    """
    key = str(path) if path not in (None, "") else SHIPPED
    return _load(key)
