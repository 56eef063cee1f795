"""What-if: named weight scenarios and their comparison with the official weights.

KPK never published the weights of the assessment, so analysts ask "what if
pengawasan (K2) counted more?". The answer here is COINr's copy -> adjust -> rebuild ->
compare, with guard-rails:

- A **scenario** is a small YAML file in the analysts' folder ``skenario/``
  (:class:`Scenario`, :func:`load_scenario`, :func:`save_scenario`)::

      nama: Pengawasan lebih berat
      deskripsi: K2 dinaikkan dari 25 menjadi 35.
      bobot_komponen: {K2: 35}       # relative; components not named keep the official weight
      bobot_indikator: {I05: 2}      # relative within the component; optional
      agregasi: geometric            # arithmetic | geometric at both levels; optional
      # or per level: agregasi: {dalam_komponen: geometric, antar_komponen: arithmetic}

  Loading validates the whole file and reports every problem at once, located by file,
  line and key (:class:`~antikorupsi.errors.ScenarioError`).
- :func:`compare` rescores the same indicator scores under the scenario and puts the
  official result beside it: score, rank, category and designation, with the
  designations that flip. It never touches its inputs. :func:`to_excel` exports it.
- :class:`antikorupsi.explorer.WhatIfExplorer` (``notebooks/what_if.ipynb``): sliders for
  the six component weights, the official shares always shown beside, the ranking table
  and rank-change chart updated live, and "Simpan skenario" to save the current weights
  as a scenario.
- :func:`uncertainty_report` runs :mod:`antikorupsi.uncertainty` on an assessment (or
  on a scenario of it) for the ``uncertainty`` command and its Excel export.

Nothing here prints; the CLI (:mod:`antikorupsi.whatif_cli`) and the notebook display.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from . import __version__
from .config import SCENARIOS
from .errors import FrameworkError, Problem, ScenarioError
from .fmt import angka, ascii_slug, metode_agregasi, persen, tanda
from .aggregate import is_method, join_method, split_method
from .framework import AGGREGATIONS, Framework
from .limits import LIMITS
from .safeyaml import load_yaml, read_yaml_bytes
from .sheets import save_workbook, xlsx_value
from .scoring import Assessment, rescore

__all__ = [
    "Scenario", "Comparison", "UncertaintyReport",
    "load_scenario", "parse_scenario", "list_scenarios", "find_scenario", "save_scenario",
    "scenario_path", "scenario_to_yaml", "validate_scenario", "apply_scenario",
    "compare", "to_excel", "uncertainty_report",
    "uncertainty_to_excel", "slug", "SCENARIO_KEYS", "AGGREGATION_ALIASES", "HEADERS",
]

#: Longest file-name stem made from a scenario name.
SLUG_MAX = 60
#: Keys a scenario file may hold, in the order :func:`save_scenario` writes them.
SCENARIO_KEYS = ("nama", "deskripsi", "bobot_komponen", "bobot_indikator", "agregasi")
#: Indonesian spellings accepted for ``agregasi`` (stored as the framework's names).
AGGREGATION_ALIASES = {"aritmetika": "arithmetic", "geometrik": "geometric"}
#: Keys of a per-level ``agregasi`` mapping (Indonesian, or the framework's English).
AGGREGATION_LEVEL_KEYS = {"dalam_komponen": 0, "antar_komponen": 1,
                          "within_components": 0, "between_components": 1}
_EXPECTED_AGG = ("arithmetic (aritmetika) atau geometric (geometrik), untuk kedua tingkat; "
                 "atau per tingkat {dalam_komponen: ..., antar_komponen: ...}")


def _normalise_aggregation(value: Any) -> Any:
    """A scenario's ``agregasi`` as a spec (``"geometric"``, ``"geometric/arithmetic"``):
    a name at both levels (Indonesian or English), a ``"<dalam>/<antar>"`` spec, or a
    mapping ``{dalam_komponen: ..., antar_komponen: ...}`` naming both levels. Anything
    else is returned as it is, for :func:`validate_scenario` to report."""
    def one(x: Any) -> Any:
        return AGGREGATION_ALIASES.get(x.strip().lower(), x.strip().lower()) \
            if isinstance(x, str) else x

    if isinstance(value, Mapping):
        levels: list[Any] = [None, None]
        for k, v in value.items():
            if k not in AGGREGATION_LEVEL_KEYS:
                return dict(value)
            levels[AGGREGATION_LEVEL_KEYS[k]] = one(v)
        if any(x is None for x in levels) or not all(map(is_method, levels)):
            return dict(value)
        return join_method(*levels)
    if isinstance(value, str):
        parts = [one(p) for p in value.split("/")]
        if len(parts) == 2 and all(p in AGGREGATIONS for p in parts):
            return join_method(*parts)
        return "/".join(parts)
    return value
_SYNTHETIC = ("PERHATIAN: nilai indikator contoh ini adalah DATA SINTETIS, bukan hasil "
              "penilaian KPK.")


# ======================================================================================
# Scenarios
# ======================================================================================
def _pairs(weights: Any) -> Any:
    """A mapping as a tuple of ``(code, weight)`` pairs (numbers as float); other values
    are kept as they are, for :func:`validate_scenario` to report."""
    if isinstance(weights, Mapping):
        return tuple((str(k), float(v) if _is_number(v) else v) for k, v in weights.items())
    if weights is None:
        return ()
    return weights


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


@dataclass(frozen=True)
class Scenario:
    """A named set of weight changes: immutable, hashable, comparable.

    Parameters
    ----------
    name : str
        ``nama``: what reports call the scenario ("Pengawasan lebih berat").
    description : str
        ``deskripsi``: one or two sentences on what changes and why.
    component_weights : mapping or tuple of (code, weight) pairs
        ``bobot_komponen``: relative component weights; components not named keep their
        official weight. Stored as a tuple of pairs in the order given.
    indicator_weights : mapping or tuple of (code, weight) pairs
        ``bobot_indikator``: relative indicator weights within their component.
    aggregation : str or None
        ``agregasi``: ``"arithmetic"`` or ``"geometric"`` at both levels, or a per-level
        spec ``"<within>/<between>"`` (a mapping ``{dalam_komponen, antar_komponen}``
        is converted to it); None keeps the framework's aggregation.
    source : str
        The file it was read from (for located errors); not part of equality.
    """

    name: str
    description: str = ""
    component_weights: tuple[tuple[str, float], ...] = ()
    indicator_weights: tuple[tuple[str, float], ...] = ()
    aggregation: str | None = None
    source: str = field(default="<memory>", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "component_weights", _pairs(self.component_weights))
        object.__setattr__(self, "indicator_weights", _pairs(self.indicator_weights))
        if self.aggregation is not None:
            object.__setattr__(self, "aggregation", _normalise_aggregation(self.aggregation))

    @property
    def component_weight_map(self) -> dict[str, float]:
        """``component_weights`` as a new dict."""
        return dict(self.component_weights)

    @property
    def indicator_weight_map(self) -> dict[str, float]:
        """``indicator_weights`` as a new dict."""
        return dict(self.indicator_weights)

    @property
    def changes_nothing(self) -> bool:
        """True when the scenario names no weight and no aggregation."""
        return not self.component_weights and not self.indicator_weights \
            and self.aggregation is None


def _value_problems(s: Scenario, source: str, lines: Mapping[str, int]) -> list[Problem]:
    """Problems visible without a framework: name, weight values, aggregation."""
    out: list[Problem] = []

    def bad(key: str, message: str, value: Any = None, expected: str | None = None) -> None:
        out.append(Problem(source, message, row=lines.get(key), column=key, value=value,
                           expected=expected))

    if not isinstance(s.name, str) or not s.name.strip():
        bad("nama", "nama skenario wajib diisi", value=s.name or None,
            expected="teks, mis. 'Pengawasan lebih berat'")
    if not isinstance(s.description, str):
        bad("deskripsi", "deskripsi harus teks", value=s.description, expected="teks")
    for key, weights in (("bobot_komponen", s.component_weights),
                         ("bobot_indikator", s.indicator_weights)):
        if not isinstance(weights, tuple):
            bad(key, "harus berupa daftar kode: bobot", value=weights,
                expected="mis. {K2: 35}" if key == "bobot_komponen" else "mis. {I05: 2}")
            continue
        for code, w in weights:
            where = f"{key}.{code}"
            if not _is_number(w) or not math.isfinite(float(w)) or float(w) < 0:
                bad(where, "bobot harus angka >= 0", value=w, expected="angka >= 0")
            elif float(w) > LIMITS.yaml_number:  # 1e308: the sum of weights overflows
                bad(where, "bobot terlalu besar", value=w,
                    expected=f"angka paling besar {angka(LIMITS.yaml_number, 0)}")
    if s.aggregation is not None and not is_method(s.aggregation):
        bad("agregasi", "metode agregasi tidak dikenal", value=s.aggregation,
            expected=_EXPECTED_AGG)
    return out


def _framework_problems(s: Scenario, fw: Framework, source: str,
                        lines: Mapping[str, int]) -> list[Problem]:
    """Problems against a framework: unknown codes, all-zero weights after merging."""
    out: list[Problem] = []
    cw = s.component_weights if isinstance(s.component_weights, tuple) else ()
    iw = s.indicator_weights if isinstance(s.indicator_weights, tuple) else ()
    for key, weights, known, what in (
            ("bobot_komponen", cw, fw.component_codes, "komponen"),
            ("bobot_indikator", iw, fw.indicator_codes, "indikator")):
        for code, _ in weights:
            if code not in known:
                where = f"{key}.{code}"
                out.append(Problem(source, f"kode {what} tidak dikenal dalam kerangka {fw.id}",
                                   row=lines.get(where), column=where, value=code,
                                   expected=", ".join(known) if what == "komponen"
                                   else f"{known[0]} sampai {known[-1]}"))
    ok = {c: float(w) for c, w in cw if _is_number(w) and float(w) >= 0}
    merged = {c.code: ok.get(c.code, c.weight) for c in fw.components}
    if len(ok) == len(cw) and sum(merged.values()) <= 0:
        out.append(Problem(source, "semua bobot komponen nol", row=lines.get("bobot_komponen"),
                           column="bobot_komponen", expected="minimal satu bobot > 0"))
    oki = {c: float(w) for c, w in iw if _is_number(w) and float(w) >= 0}
    if len(oki) == len(iw):
        for comp in fw.components:
            codes = [i for i in fw.indicators if i.component == comp.code]
            if sum(oki.get(i.code, i.weight) for i in codes) <= 0:
                out.append(Problem(source, f"semua bobot indikator komponen {comp.code} nol",
                                   row=lines.get("bobot_indikator"), column="bobot_indikator",
                                   value=", ".join(i.code for i in codes),
                                   expected="minimal satu bobot > 0 per komponen"))
    return out


def validate_scenario(scenario: Scenario, framework: Framework | None = None) -> list[Problem]:
    """Every problem of a scenario, at once (empty list when valid).

    Parameters
    ----------
    scenario : Scenario
    framework : Framework, optional
        When given, codes are checked against it and the weights merged with its
        official weights must not all be zero (overall, and within each component).
    """
    lines: dict[str, int] = {}
    problems = _value_problems(scenario, scenario.source, lines)
    if framework is not None:
        problems += _framework_problems(scenario, framework, scenario.source, lines)
    return problems


# -- YAML ------------------------------------------------------------------------------
def _key_lines(text: str) -> dict[str, int]:
    """Line of every key (``"bobot_komponen.K2"`` -> 5), for located problems.

    Only called on text :func:`~antikorupsi.safeyaml.load_yaml` accepted (bounded, no
    duplicate keys)."""
    lines: dict[str, int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines

    def walk(node: yaml.Node, prefix: str) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for k, v in node.value:
            key = f"{prefix}{k.value}"
            lines[key] = k.start_mark.line + 1
            if not prefix:
                walk(v, f"{key}.")

    if root is not None:
        walk(root, "")
    return lines


def parse_scenario(text: str | bytes, source: str = "<memory>",
                   framework: Framework | None = None) -> Scenario:
    """Parse and validate scenario YAML, raising :class:`ScenarioError` with every problem.

    Parameters
    ----------
    text : str or bytes
        The YAML document.
    source : str
        Where it came from, used to locate problems.
    framework : Framework, optional
        Also check codes and all-zero weights against this framework. Without it only
        what the file alone can tell is checked (:func:`apply_scenario` checks the rest).
    """
    # size, alias expansion, duplicate keys, control characters, inf/huge numbers
    doc = load_yaml(text, source, ScenarioError)
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    if not isinstance(doc, dict):
        raise ScenarioError(Problem(source, "isi berkas skenario harus berupa kunci: nilai",
                                    value=None if doc is None else type(doc).__name__,
                                    expected="kunci " + ", ".join(SCENARIO_KEYS)))
    lines = _key_lines(text)
    problems: list[Problem] = []
    for key in doc:
        if key not in SCENARIO_KEYS:
            problems.append(Problem(source, "kunci tidak dikenal", row=lines.get(str(key)),
                                    column=str(key), value=key,
                                    expected=", ".join(SCENARIO_KEYS)))
    name = doc.get("nama")
    description = doc.get("deskripsi")
    weights = {}
    for key in ("bobot_komponen", "bobot_indikator"):
        value = doc.get(key)
        weights[key] = {} if value is None else value
    aggregation = doc.get("agregasi")
    if aggregation is not None and not isinstance(aggregation, (str, dict)):
        problems.append(Problem(source, "metode agregasi tidak dikenal", row=lines.get("agregasi"),
                                column="agregasi", value=aggregation, expected=_EXPECTED_AGG))
        aggregation = None
    scenario = Scenario(
        name=str(name).strip() if isinstance(name, (str, int, float)) else name or "",
        description="" if description is None else (description.strip()
                                                    if isinstance(description, str)
                                                    else description),
        component_weights=weights["bobot_komponen"],
        indicator_weights=weights["bobot_indikator"],
        aggregation=aggregation, source=source)
    problems += _value_problems(scenario, source, lines)
    if framework is not None:
        problems += _framework_problems(scenario, framework, source, lines)
    if problems:
        raise ScenarioError(problems)
    return scenario


def load_scenario(path: str | Path, framework: Framework | None = None) -> Scenario:
    """Read and validate one scenario file (see :func:`parse_scenario`)."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(Problem(str(path), "berkas skenario tidak ditemukan",
                                    expected="berkas .yaml di folder skenario/"))
    return parse_scenario(read_yaml_bytes(path, ScenarioError), source=str(path),
                          framework=framework)


def _scenario_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith("."))


def list_scenarios(folder: str | Path = SCENARIOS,
                   framework: Framework | None = None) -> list[Scenario]:
    """Every scenario in ``folder``, sorted by file name.

    Raises :class:`ScenarioError` listing the problems of *all* invalid files at once.
    A folder that does not exist holds no scenarios.
    """
    out, problems = [], []
    for path in _scenario_files(Path(folder)):
        try:
            out.append(load_scenario(path, framework))
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    return out


def slug(name: str) -> str:
    """A file-name stem for a scenario name: ``"Pengawasan lebih berat"`` ->
    ``"pengawasan_lebih_berat"`` (at most 60 characters: a long name is cut and ends in
    a short hash of the whole name)."""
    return ascii_slug(name, "_", max_len=SLUG_MAX)


def scenario_path(folder: str | Path, name: str) -> Path:
    """Where :func:`save_scenario` puts the scenario called ``name`` in ``folder``."""
    stem = slug(name)
    if not stem:
        raise ScenarioError(Problem("<nama skenario>", "nama skenario tidak dapat dijadikan "
                                    "nama berkas", value=name,
                                    expected="huruf atau angka, mis. 'Pengawasan lebih berat'"))
    return Path(folder) / f"{stem}.yaml"


def find_scenario(ref: str | Path, folder: str | Path = SCENARIOS) -> Path:
    """The file of a scenario given by path, by file name in ``folder``, or by ``nama``.

    ``ref`` is tried as a path first (when it names a ``.yaml``/``.yml`` file or exists),
    then as ``folder/<ref>.yaml``, then as the file :func:`save_scenario` would use for a
    scenario called ``ref``, then against the ``nama`` of each file in ``folder``.
    """
    folder = Path(folder)
    p = Path(ref)
    if p.suffix.lower() in (".yaml", ".yml") or p.exists():
        for candidate in (p, folder / p):
            if candidate.is_file():
                return candidate
        raise ScenarioError(Problem(str(p), "berkas skenario tidak ditemukan",
                                    expected="path berkas .yaml yang ada"))
    text = str(ref)
    for candidate in (folder / f"{text}.yaml", folder / f"{text}.yml",
                      folder / f"{slug(text)}.yaml"):
        if candidate.is_file():
            return candidate
    files = _scenario_files(folder)
    for path in files:
        try:
            doc = load_yaml(read_yaml_bytes(path, ScenarioError), str(path), ScenarioError)
            if str(doc.get("nama", "")).strip().lower() == text.strip().lower():
                return path
        except (ScenarioError, OSError, AttributeError):
            continue  # a broken file is reported when it is asked for by its file name
    names = ", ".join(p.stem for p in files)
    raise ScenarioError(Problem(str(folder), "skenario tidak ditemukan", value=text,
                                expected=(f"salah satu dari: {names}" if names else
                                          f"berkas .yaml di {folder}/ (folder kosong atau "
                                          "tidak ada)")))


def _plain_number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def scenario_to_yaml(scenario: Scenario) -> str:
    """The YAML text :func:`save_scenario` writes (with a short explanatory header)."""
    doc: dict[str, Any] = {"nama": scenario.name}
    if scenario.description:
        doc["deskripsi"] = scenario.description
    if scenario.component_weights:
        doc["bobot_komponen"] = {c: _plain_number(w) for c, w in scenario.component_weights}
    if scenario.indicator_weights:
        doc["bobot_indikator"] = {c: _plain_number(w) for c, w in scenario.indicator_weights}
    if scenario.aggregation:
        within, between = split_method(scenario.aggregation)
        doc["agregasi"] = within if within == between else {"dalam_komponen": within,
                                                            "antar_komponen": between}
    header = (
        "# Skenario bobot untuk simulasi what-if (antikorupsi whatif / notebooks/what_if.ipynb).\n"
        "# Bobot bersifat relatif: dibagi jumlahnya menjadi bagian (persen). Komponen atau\n"
        "# indikator yang tidak disebut memakai bobot resmi kerangka. agregasi: arithmetic |\n"
        "# geometric (kedua tingkat), atau {dalam_komponen: ..., antar_komponen: ...}.\n"
        "# Bobot resmi KPK tidak dipublikasikan: ini simulasi, bukan bobot resmi.\n"
    )
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=88)


def save_scenario(path: str | Path, scenario: Scenario, *, overwrite: bool = True) -> Path:
    """Write ``scenario`` as YAML to ``path`` atomically (never a half-written file).

    Raises :class:`ScenarioError` when the scenario is invalid on its own (name, weight
    values, aggregation), or when ``path`` exists and ``overwrite`` is False.
    """
    path = Path(path)
    problems = _value_problems(scenario, str(path), {})
    if problems:
        raise ScenarioError(problems)
    if path.exists() and not overwrite:
        raise ScenarioError(Problem(str(path), "berkas skenario sudah ada",
                                    value=scenario.name,
                                    expected="nama lain, atau izinkan menimpa"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(scenario_to_yaml(scenario))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def apply_scenario(framework: Framework, scenario: Scenario) -> Framework:
    """The framework with the scenario's weights and aggregation (a validated copy).

    The copy's :meth:`~antikorupsi.framework.Framework.assumptions` say that the weights
    were changed by this scenario. Raises :class:`ScenarioError` with every problem.
    """
    problems = validate_scenario(scenario, framework)
    if problems:
        raise ScenarioError(problems)
    try:
        return framework.with_weights(scenario.component_weight_map,
                                      scenario.indicator_weight_map,
                                      aggregation=scenario.aggregation, label=scenario.name)
    except FrameworkError as exc:  # a backstop: validate_scenario should have said it
        raise ScenarioError(exc.problems) from None


# ======================================================================================
# Comparison
# ======================================================================================
#: Display headers (Bahasa Indonesia) of :attr:`Comparison.table` columns.
HEADERS = {
    "kode_wilayah": "Kode", "nama_wilayah": "Wilayah", "jenis": "Jenis",
    "provinsi": "Provinsi", "skor_resmi": "Skor resmi", "skor_skenario": "Skor skenario",
    "perubahan_skor": "Perubahan skor", "peringkat_resmi": "Peringkat resmi",
    "peringkat_skenario": "Peringkat skenario",
    "perubahan_peringkat": "Perubahan peringkat (+ naik)",
    "kategori_resmi": "Kategori resmi", "kategori_skenario": "Kategori skenario",
    "penyaringan": "Penyaringan", "penetapan_resmi": "Penetapan resmi",
    "penetapan_skenario": "Penetapan skenario", "penetapan_berubah": "Penetapan berubah",
    "indikator_sintetis": "Indikator sintetis",
}


@dataclass(frozen=True)
class Comparison:
    """Official result vs one scenario, per region. Frames are copies owned by this value.

    Attributes
    ----------
    year : int
    scenario : Scenario
    official, variant : Framework
        The assessment's framework and the framework with the scenario applied.
    table : pandas.DataFrame
        One row per region, ordered by scenario rank: ``kode_wilayah, nama_wilayah,
        jenis, provinsi, skor_resmi, skor_skenario, perubahan_skor, peringkat_resmi,
        peringkat_skenario, perubahan_peringkat`` (official minus scenario rank: positive
        means the region moves up), ``kategori_resmi, kategori_skenario, penyaringan,
        penetapan_resmi, penetapan_skenario, penetapan_berubah`` (bool),
        ``indikator_sintetis`` (count of synthetic indicator values).
    weights : pandas.DataFrame
        One row per component and indicator: ``tingkat`` (komponen/indikator), ``kode``,
        ``nama``, ``komponen``, ``bobot_resmi``, ``bobot_skenario`` (relative weights as
        written), ``bagian_resmi``, ``bagian_skenario`` (share of the total score: for an
        indicator its effective share), ``perubahan_bagian``, and for indicators
        ``bagian_dalam_komponen_resmi``/``_skenario``.
    synthetic : bool
        Whether any indicator value is synthetic (sample data).
    inputs : dict
        SHA-256 of every input file of the assessment (provenance).
    """

    year: int
    scenario: Scenario
    official: Framework
    variant: Framework
    table: pd.DataFrame
    weights: pd.DataFrame
    synthetic: bool
    inputs: dict = field(default_factory=dict)

    @property
    def flips(self) -> pd.DataFrame:
        """The rows whose designation differs between official and scenario."""
        return self.table[self.table["penetapan_berubah"]].reset_index(drop=True)

    def assumptions(self) -> list[str]:
        """The scenario framework's assumptions (Bahasa Indonesia), ending with the note
        that the scenario changed the weights."""
        return self.variant.assumptions()

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) pairs in Bahasa Indonesia for the ``ringkasan`` sheet."""
        t = self.table
        up, down = int((t["perubahan_peringkat"] > 0).sum()), int(
            (t["perubahan_peringkat"] < 0).sum())
        cw = self.weights[self.weights["tingkat"] == "komponen"]
        shares = "; ".join(f"{r.kode} {persen(r.bagian_resmi)} → {persen(r.bagian_skenario)}"
                           for r in cw.itertuples())
        rows = [
            ("Tahun penilaian", str(self.year)),
            ("Skenario", self.scenario.name),
            ("Deskripsi", self.scenario.description or "–"),
            ("Berkas skenario", self.scenario.source),
            ("Kerangka", f"{self.official.id} versi {self.official.version}"),
            ("Bagian bobot komponen (resmi → skenario)", shares),
            ("Agregasi (resmi → skenario)", f"{metode_agregasi(self.official.aggregation)} → "
                                            f"{metode_agregasi(self.variant.aggregation)}"),
            ("Jumlah wilayah", angka(len(t), 0)),
            ("Penetapan berubah", angka(len(self.flips), 0)),
            ("Naik / turun / tetap peringkat",
             f"{up} / {down} / {len(t) - up - down}"),
        ]
        if len(t) and t["perubahan_skor"].notna().any():
            hi = t.loc[t["perubahan_skor"].idxmax()]
            lo = t.loc[t["perubahan_skor"].idxmin()]
            rows += [("Kenaikan skor terbesar",
                      f"{hi.nama_wilayah} {tanda(hi.perubahan_skor)}"
                      if round(hi.perubahan_skor, 2) > 0 else "tidak ada skor yang naik"),
                     ("Penurunan skor terbesar",
                      f"{lo.nama_wilayah} {tanda(lo.perubahan_skor)}"
                      if round(lo.perubahan_skor, 2) < 0 else "tidak ada skor yang turun")]
        rows.append(("Data", _SYNTHETIC if self.synthetic else "nilai indikator dari data masukan"))
        rows += provenance_rows(self.official, self.inputs, self.scenario)
        return rows


def provenance_rows(framework: Framework, inputs: Mapping[str, str],
                    scenario: Scenario | None = None) -> list[tuple[str, str]]:
    """Provenance lines for an export: package, framework hash, input and scenario hashes."""
    rows = [("Dibuat dengan", f"antikorupsi {__version__}"),
            ("Kerangka (sha256)", f"{framework.id} versi {framework.version}, {framework.sha256}")]
    rows += [(f"Masukan {name} (sha256)", digest) for name, digest in sorted(inputs.items())]
    if scenario is not None and scenario.source and Path(scenario.source).is_file():
        import hashlib

        digest = hashlib.sha256(Path(scenario.source).read_bytes()).hexdigest()
        rows.append((f"Skenario {scenario.source} (sha256)", digest))
    return rows


def _weights_table(official: Framework, variant: Framework) -> pd.DataFrame:
    rows = []
    cs_o, cs_v = official.component_weights(), variant.component_weights()
    for c_o, c_v in zip(official.components, variant.components):
        rows.append({"tingkat": "komponen", "kode": c_o.code, "nama": c_o.name,
                     "komponen": c_o.code, "bobot_resmi": c_o.weight, "bobot_skenario": c_v.weight,
                     "bagian_resmi": cs_o[c_o.code], "bagian_skenario": cs_v[c_o.code],
                     "bagian_dalam_komponen_resmi": np.nan,
                     "bagian_dalam_komponen_skenario": np.nan})
    is_o, is_v = official.indicator_weights(), variant.indicator_weights()
    comp_of = official.indicator_component()
    eff_o, eff_v = is_o * comp_of.map(cs_o), is_v * comp_of.map(cs_v)
    for i_o, i_v in zip(official.indicators, variant.indicators):
        rows.append({"tingkat": "indikator", "kode": i_o.code, "nama": i_o.name,
                     "komponen": i_o.component, "bobot_resmi": i_o.weight,
                     "bobot_skenario": i_v.weight, "bagian_resmi": eff_o[i_o.code],
                     "bagian_skenario": eff_v[i_o.code],
                     "bagian_dalam_komponen_resmi": is_o[i_o.code],
                     "bagian_dalam_komponen_skenario": is_v[i_o.code]})
    w = pd.DataFrame(rows)
    w.insert(w.columns.get_loc("bagian_skenario") + 1, "perubahan_bagian",
             w["bagian_skenario"] - w["bagian_resmi"])
    return w


def compare(assessment: Assessment, scenario: Scenario) -> Comparison:
    """Rescore ``assessment`` under ``scenario`` and set it beside the official result.

    The official side is ``assessment.results`` as scored; the scenario side comes from
    :func:`~antikorupsi.scoring.rescore` with the same indicator scores (after the
    missing-data policy), so only weights and aggregation differ. Pure: neither argument
    is modified. Raises :class:`ScenarioError` when the scenario does not fit the
    assessment's framework.
    """
    variant = apply_scenario(assessment.framework, scenario)
    alt = rescore(assessment, variant)
    off = assessment.results.set_index("kode_wilayah")
    new = alt.results.set_index("kode_wilayah").reindex(off.index)
    t = pd.DataFrame({
        "kode_wilayah": off.index.to_numpy(),
        "nama_wilayah": off["nama_wilayah"].to_numpy(),
        "jenis": off["jenis"].to_numpy(),
        "provinsi": off["provinsi"].to_numpy(),
        "skor_resmi": off["skor_total"].to_numpy(float),
        "skor_skenario": new["skor_total"].to_numpy(float),
    })
    t["perubahan_skor"] = t["skor_skenario"] - t["skor_resmi"]
    t["peringkat_resmi"] = off["peringkat"].to_numpy(int)
    t["peringkat_skenario"] = new["peringkat"].to_numpy(int)
    t["perubahan_peringkat"] = t["peringkat_resmi"] - t["peringkat_skenario"]
    t["kategori_resmi"] = off["kategori"].to_numpy(object)
    t["kategori_skenario"] = new["kategori"].to_numpy(object)
    t["penyaringan"] = off["penyaringan"].to_numpy(object)
    t["penetapan_resmi"] = off["penetapan"].to_numpy(object)
    t["penetapan_skenario"] = new["penetapan"].to_numpy(object)
    t["penetapan_berubah"] = t["penetapan_resmi"] != t["penetapan_skenario"]
    t["indikator_sintetis"] = off["indikator_sintetis"].to_numpy(int) \
        if "indikator_sintetis" in off else 0
    t = t.sort_values(["peringkat_skenario", "peringkat_resmi", "kode_wilayah"], kind="stable")
    return Comparison(year=assessment.year, scenario=scenario, official=assessment.framework,
                      variant=variant, table=t.reset_index(drop=True),
                      weights=_weights_table(assessment.framework, variant),
                      synthetic=assessment.synthetic, inputs=dict(assessment.input_files))


# -- Excel -------------------------------------------------------------------------------
_WEIGHT_HEADERS = {
    "tingkat": "Tingkat", "kode": "Kode", "nama": "Nama", "komponen": "Komponen",
    "bobot_resmi": "Bobot resmi (relatif)", "bobot_skenario": "Bobot skenario (relatif)",
    "bagian_resmi": "Bagian dari skor total, resmi",
    "bagian_skenario": "Bagian dari skor total, skenario",
    "perubahan_bagian": "Perubahan bagian",
    "bagian_dalam_komponen_resmi": "Bagian dalam komponen, resmi",
    "bagian_dalam_komponen_skenario": "Bagian dalam komponen, skenario",
}
_PCT_FORMAT = "0.0%"
_SCORE_FORMAT = "0.00"


def _write_workbook(path: str | Path, sheets: list[tuple[str, pd.DataFrame, dict[str, str]]]
                    ) -> Path:
    """Write ``(sheet, frame, {column: number format})`` sheets atomically with openpyxl.

    Headers bold and frozen, column widths fitted; numbers stay numbers (Excel shows
    them in the reader's locale, e.g. ``93,50`` in Indonesian).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, df, formats in sheets:
        ws = wb.create_sheet(title)
        ws.append([xlsx_value(c) for c in df.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in df.itertuples(index=False):
            ws.append([_cell(v) for v in row])
        for j, col in enumerate(df.columns, start=1):
            letter = get_column_letter(j)
            fmt = formats.get(col)
            if fmt:
                for cell in ws[letter][1:]:
                    cell.number_format = fmt
            width = max([len(str(col)) // 2 + 2] + [len(str(v)) for v in df[col].head(200)])
            ws.column_dimensions[letter].width = min(max(8, width + 2), 90)
        ws.freeze_panes = "A2"
    # user text as explicit string cells (never a live formula); written atomically
    return save_workbook(wb, path)


def _cell(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return "ya" if v else "tidak"
    return xlsx_value(v)


def _assumption_sheet(lines: list[str], synthetic: bool) -> pd.DataFrame:
    items = ([_SYNTHETIC] if synthetic else []) + list(lines)
    return pd.DataFrame({"No.": range(1, len(items) + 1), "Asumsi dan catatan": items})


def to_excel(comparison: Comparison, path: str | Path) -> Path:
    """Export a comparison to an Excel workbook (written atomically).

    Sheets: ``ringkasan`` (scenario, weights, counts, data note), ``per wilayah`` (one
    row per region, Indonesian headers), ``bobot`` (official vs scenario weights as
    shares of the total) and ``asumsi`` (every unpublished value used, and the scenario).
    """
    summary = pd.DataFrame(comparison.summary(), columns=["Butir", "Nilai"])
    t = comparison.table.copy()
    t["indikator_sintetis"] = [f"ya ({n} indikator)" if n else "tidak"
                               for n in t["indikator_sintetis"]]
    per = t.rename(columns=HEADERS).rename(columns={HEADERS["indikator_sintetis"]:
                                                    "Data sintetis"})
    w = comparison.weights.rename(columns=_WEIGHT_HEADERS)
    score_cols = [HEADERS[c] for c in ("skor_resmi", "skor_skenario", "perubahan_skor")]
    pct_cols = [_WEIGHT_HEADERS[c] for c in _WEIGHT_HEADERS if c.startswith(("bagian",
                                                                             "perubahan"))]
    return _write_workbook(path, [
        ("ringkasan", summary, {}),
        ("per wilayah", per, {c: _SCORE_FORMAT for c in score_cols}),
        ("bobot", w, {c: _PCT_FORMAT for c in pct_cols}),
        ("asumsi", _assumption_sheet(comparison.assumptions(), comparison.synthetic), {}),
    ])


# ======================================================================================
# Rank uncertainty of an assessment (the ``uncertainty`` command)
# ======================================================================================
@dataclass(frozen=True)
class UncertaintyReport:
    """Rank uncertainty and sensitivity of one assessment's weights.

    Attributes
    ----------
    year : int
    framework : Framework
        The nominal framework (the assessment's, or a scenario of it).
    scenario : Scenario or None
    result : antikorupsi.uncertainty.UncertaintyResult
    sensitivity : antikorupsi.uncertainty.SensitivityResult or None
    table : pandas.DataFrame
        One row per region by nominal rank: ``kode_wilayah, nama_wilayah, skor,
        peringkat, peringkat_median, peringkat_p05, peringkat_p95, skor_p05, skor_p95,
        p_istimewa, penetapan`` (official designation) and ``kalimat`` (the sensitivity
        sentence, empty when sensitivity was not computed).
    synthetic : bool
    """

    year: int
    framework: Framework
    scenario: Scenario | None
    result: Any
    sensitivity: Any
    table: pd.DataFrame
    synthetic: bool
    inputs: dict = field(default_factory=dict)

    def describe(self) -> str:
        """How the draws were made (Bahasa Indonesia)."""
        return self.result.describe()


def uncertainty_report(assessment: Assessment, *, scenario: Scenario | None = None,
                       n_draws: int = 10_000, perturbation: float = 0.25,
                       sampling: str = "uniform", seed: int = 20241209,
                       sensitivity: bool = True, sobol_base: int | None = None,
                       aggregations: tuple[str, ...] = ("arithmetic", "geometric"),
                       ) -> UncertaintyReport:
    """Monte Carlo rank uncertainty (and Sobol' sensitivity) around the framework's
    weights, or around a scenario's.

    Runs :func:`antikorupsi.uncertainty.rank_uncertainty` and, when ``sensitivity``,
    :func:`~antikorupsi.uncertainty.rank_sensitivity` on the assessment's indicator
    scores (after its missing-data policy), with the framework's aggregation as the
    nominal method and the ``aggregations`` drawn (specs: the same mean at both levels,
    or ``"<within>/<between>"``; default: arithmetic or geometric at both levels).
    ``sobol_base`` is the Sobol' base sample size
    (None: that module's default). Invalid options raise ``ValueError`` (from
    :mod:`antikorupsi.uncertainty`); an invalid scenario raises :class:`ScenarioError`.
    """
    from .uncertainty import rank_sensitivity, rank_uncertainty

    fw = assessment.framework if scenario is None else apply_scenario(assessment.framework,
                                                                      scenario)
    x = assessment.indicator_matrix()
    args = (x, fw.indicator_component(), fw.indicator_weights(), fw.component_weights())
    res = rank_uncertainty(*args, threshold=fw.threshold, n_draws=int(n_draws),
                           perturbation=perturbation, sampling=sampling,
                           nominal_aggregation=fw.aggregation,
                           geometric_offset=fw.geometric_offset, seed=seed,
                           decimals=fw.precision, aggregations=aggregations)
    names = assessment.results.set_index("kode_wilayah")["nama_wilayah"]
    sens = None
    if sensitivity:
        base = {} if sobol_base is None else {"n_base": int(sobol_base)}
        sens = rank_sensitivity(*args, perturbation=perturbation,
                                geometric_offset=fw.geometric_offset, seed=seed,
                                decimals=fw.precision, aggregations=aggregations,
                                component_names={c.code: c.name for c in fw.components},
                                region_names=names.to_dict(), **base)
    u = res.table
    off = assessment.results.set_index("kode_wilayah").reindex(u.index)
    t = pd.DataFrame({
        "kode_wilayah": u.index.to_numpy(),
        "nama_wilayah": off["nama_wilayah"].to_numpy(),
        "skor": u["nominal_total"].to_numpy(float),
        "peringkat": u["nominal_rank"].to_numpy(),
        "peringkat_median": u["median_rank"].to_numpy(),
        "peringkat_p05": u["rank_p05"].to_numpy(),
        "peringkat_p95": u["rank_p95"].to_numpy(),
        "skor_p05": u["total_p05"].to_numpy(float),
        "skor_p95": u["total_p95"].to_numpy(float),
        "p_istimewa": u["p_istimewa"].to_numpy(float),
        "penetapan": off["penetapan"].to_numpy(object),
        "kalimat": (sens.summary["sentence"].reindex(u.index).fillna("").to_numpy(object)
                    if sens is not None else ""),
    })
    for col in ("peringkat", "peringkat_median", "peringkat_p05", "peringkat_p95"):
        t[col] = t[col].astype("Int64")
    t = t.sort_values(["peringkat", "kode_wilayah"], kind="stable", na_position="last")
    return UncertaintyReport(assessment.year, fw, scenario, res, sens, t.reset_index(drop=True),
                             assessment.synthetic, dict(assessment.input_files))


_UNCERTAINTY_HEADERS = {
    "kode_wilayah": "Kode", "nama_wilayah": "Wilayah", "skor": "Skor (bobot nominal)",
    "peringkat": "Peringkat nominal", "peringkat_median": "Peringkat median",
    "peringkat_p05": "Peringkat 5% (terbaik)", "peringkat_p95": "Peringkat 95% (terburuk)",
    "skor_p05": "Skor 5%", "skor_p95": "Skor 95%", "p_istimewa": "P(skor total >= 90)",
    "penetapan": "Penetapan (bobot nominal)", "kalimat": "Bobot yang paling berpengaruh",
}


def uncertainty_to_excel(report: UncertaintyReport, path: str | Path) -> Path:
    """Export an uncertainty report (sheets ``ringkasan``, ``per wilayah``, ``sobol``,
    ``asumsi``), written atomically."""
    r = report.result
    summary = pd.DataFrame([
        ("Tahun penilaian", str(report.year)),
        ("Bobot nominal", f"skenario '{report.scenario.name}'" if report.scenario
         else f"kerangka {report.framework.id} versi {report.framework.version}"),
        ("Metode", report.describe()),
        ("Jumlah simulasi", angka(r.n_draws, 0)),
        ("Gangguan bobot", persen(r.perturbation, 0)),
        ("Pengambilan sampel", r.sampling),
        ("Seed", str(r.seed)),
        ("Data", _SYNTHETIC if report.synthetic else "nilai indikator dari data masukan"),
        *provenance_rows(report.framework, report.inputs, report.scenario),
    ], columns=["Butir", "Nilai"])
    per = report.table.rename(columns=_UNCERTAINTY_HEADERS)
    sheets = [("ringkasan", summary, {}),
              ("per wilayah", per, {_UNCERTAINTY_HEADERS["skor"]: _SCORE_FORMAT,
                                    _UNCERTAINTY_HEADERS["skor_p05"]: _SCORE_FORMAT,
                                    _UNCERTAINTY_HEADERS["skor_p95"]: _SCORE_FORMAT,
                                    _UNCERTAINTY_HEADERS["p_istimewa"]: _PCT_FORMAT})]
    if report.sensitivity is not None:
        idx = report.sensitivity.indices.rename(columns={
            "region": "Kode", "factor": "Faktor", "kind": "Jenis faktor",
            "S1": "Indeks Sobol orde pertama", "S1_conf": "± (orde pertama)",
            "ST": "Indeks Sobol total", "ST_conf": "± (total)"})
        idx["Jenis faktor"] = idx["Jenis faktor"].map(
            {"component_weight": "bobot komponen", "aggregation": "metode agregasi",
             "indicator_weight": "bobot indikator"})
        sheets.append(("sobol", idx, {c: "0.000" for c in idx.columns[3:]}))
    sheets.append(("asumsi", _assumption_sheet(report.framework.assumptions(),
                                               report.synthetic), {}))
    return _write_workbook(path, sheets)
