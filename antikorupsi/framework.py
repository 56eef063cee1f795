"""The assessment framework as data: load, validate, query and compare.

A framework file (YAML) holds everything that is a rule rather than a computation:
components, indicators, weights, scoring rules (direct score, rubric, goalposts),
category bands, the designation threshold, screening criteria, the missing-data
policy and recommendation texts. Loading validates the whole file and reports every
problem at once. Values nobody published carry ``asumsi: true`` and surface in
:meth:`Framework.assumptions`, which every report prints.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
from .aggregate import is_method, join_method, split_method
from .errors import FrameworkError, Problem
from .fmt import angka, bulat, metode_agregasi, persen, ringkas
from .limits import LIMITS
from .safeyaml import load_yaml, read_yaml_bytes

__all__ = [
    "Framework", "Component", "Indicator", "Scoring", "Rubric", "RubricLevel", "Band",
    "Rule", "ScreeningCriterion", "load_framework", "parse_framework", "framework_for_year",
    "shipped_frameworks", "diff_frameworks", "framework_bytes", "PanelRules", "criterion_rule_text",
    "missing_policy_text", "empty_component_text", "EMPTY_COMPONENT", "CASE_SCOPES",
]

SCORING_METHODS = ("direct", "rubric", "goalposts")
AGGREGATIONS = ("arithmetic", "geometric")
MISSING_INDICATOR = ("zero", "renormalise", "province_mean")
MISSING_SCREENING = ("pending", "fail")
SCREENING_KINDS = ("number", "grade", "count")
RULE_OPS = (">=", ">", "<=", "<", "==", "consecutive")
CONSOLIDATIONS = ("median", "mean")
#: What happens to a region when one whole component has no evidence at all.
EMPTY_COMPONENT = ("refuse_designation", "zero")
#: Whose cases the case criterion counts (``scope`` of a screening criterion).
CASE_SCOPES = ("kepala_daerah", "kepala_daerah_dan_opd")
#: Decimals of the total when nothing is stated (KPK publishes two: 95,10).
DEFAULT_PRECISION = 2


@dataclass(frozen=True)
class RubricLevel:
    level: int
    label: str
    score: float
    description: str = ""


@dataclass(frozen=True)
class Rubric:
    code: str
    description: str
    levels: tuple[RubricLevel, ...]
    assumption: bool = True

    def score_of(self, level: int) -> float:
        for lv in self.levels:
            if lv.level == level:
                return lv.score
        raise KeyError(level)

    def choices(self) -> list[str]:
        """Dropdown entries for data-collection workbooks, e.g. ``"2: Berkembang"``."""
        return [f"{lv.level}: {lv.label}" for lv in self.levels]


@dataclass(frozen=True)
class Scoring:
    method: str
    rubric: str | None = None
    low: float | None = None
    high: float | None = None
    direction: int = 1
    unit: str | None = None
    valid: tuple[float, float] | None = None  # values outside are input errors

    def describe(self) -> str:
        if self.method == "direct":
            return "skor langsung 0-100"
        if self.method == "rubric":
            return f"rubrik '{self.rubric}'"
        arah = "makin tinggi makin baik" if self.direction == 1 else "makin rendah makin baik"
        unit = f" {self.unit}" if self.unit else ""
        return f"batas {ringkas(self.low)}-{ringkas(self.high)}{unit}, {arah}"


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    weight: float
    assumption: bool = True


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    component: str
    weight: float
    scoring: Scoring
    assumption: bool = True
    description: str = ""
    recommendation: str = ""
    #: Responsible regional agency (OPD) for the indicator's actions; ``opd_assumption``
    #: is True when it is our proposal, not a published assignment.
    opd: str = ""
    opd_assumption: bool = True
    #: Rubric indicators: what to do to reach each level, as ``(level, text)`` pairs.
    steps: tuple[tuple[int, str], ...] = ()

    def step_to(self, level: int) -> str:
        """The framework's text for reaching rubric ``level`` ("" when none is given)."""
        return next((text for lv, text in self.steps if lv == level), "")


@dataclass(frozen=True)
class Band:
    min: float
    label: str
    assumption: bool = True


@dataclass(frozen=True)
class Rule:
    op: str
    value: Any
    years: int | None = None

    def describe(self) -> str:
        if self.op == "consecutive":
            return f"{self.value} {self.years} tahun berturut-turut"
        return f"{self.op} {ringkas(self.value)}"


@dataclass(frozen=True)
class ScreeningCriterion:
    """A screening criterion.

    ``indicator``: the indicator that measures the same fact (e.g. ``I01`` for the MCP
    score); when the screening table has no figure of the assessment year, the
    indicator's value is used (see :func:`antikorupsi.scoring.evaluate_screening`).
    ``scope`` and ``window_years`` (count criteria, the case criterion): whose cases are
    counted and over how many data years up to the assessment year.
    """

    code: str
    name: str
    kind: str
    rule: Rule | None
    range: tuple[float, float] | None = None
    grades: tuple[str, ...] = ()
    source: str | None = None
    indicator: str | None = None
    scope: str | None = None
    window_years: int | None = None
    assumption: bool = False

    def window(self, year: int) -> tuple[int, int] | None:
        """First and last data year that count for assessment ``year`` (None: no window)."""
        if self.window_years is None:
            return None
        return year - self.window_years + 1, year


@dataclass(frozen=True)
class PanelRules:
    """How several assessors' values of one indicator become one (``panel:`` section).

    ``consolidation``: ``median`` (for rubric levels, the lower median: with an even
    number of assessors the lower of the two middle levels, i.e. the highest level that
    at least half of the assessors gave) or ``mean`` (of the 0-100 scores).
    ``disagreement_levels``: assessors' rubric levels this far apart are flagged for
    the plenary; ``disagreement_points``: the same for indicators scored as numbers,
    on the 0-100 score. See :mod:`antikorupsi.panel`.
    """

    consolidation: str = "median"
    disagreement_levels: int = 2
    disagreement_points: float = 50.0
    assumption: bool = True

    def summary(self) -> str:
        """The rule in one short Indonesian sentence (the list of assumptions)."""
        rule = ("median (jumlah penilai genap: tingkat tengah yang lebih rendah)"
                if self.consolidation == "median" else "rata-rata skor")
        return (f"Nilai beberapa penilai digabung dengan {rule}; nilai pleno menggantikannya; "
                f"beda pendapat ditandai pada selisih ≥ {self.disagreement_levels} tingkat.")

    def describe(self) -> str:
        """The rule in full, in Indonesian (region report, plenary sheet)."""
        rule = ("median tingkat/nilai mereka (dengan jumlah penilai genap: tingkat tengah "
                "yang lebih rendah, yaitu tingkat tertinggi yang diberikan sekurang-kurangnya "
                "separuh penilai)" if self.consolidation == "median"
                else "rata-rata skor 0-100 mereka")
        return (f"Nilai beberapa penilai (tahap verifikasi) untuk satu indikator digabung "
                f"dengan {rule}; indikator tanpa nilai dari sekurang-kurangnya separuh "
                f"penilai dianggap tanpa bukti; nilai pleno (final) menggantikannya. Beda "
                f"pendapat ditandai bila tingkat penilai berselisih ≥ "
                f"{self.disagreement_levels} tingkat (indikator berupa angka: skor berselisih "
                f"≥ {ringkas(self.disagreement_points)} poin).")


@dataclass(frozen=True)
class Framework:
    """An assessment framework: immutable; derive variants with :meth:`with_weights`."""

    id: str
    version: str
    programme: str
    year: int | None
    scale: tuple[float, float]
    aggregation: str
    geometric_offset: float
    aggregation_assumption: bool
    threshold: float
    designation_label: str
    designation_source: str
    bands: tuple[Band, ...]
    missing_indicator: str
    missing_screening: str
    max_data_age_years: int | None
    missing_assumption: bool
    rubrics: tuple[Rubric, ...]
    components: tuple[Component, ...]
    indicators: tuple[Indicator, ...]
    screening: tuple[ScreeningCriterion, ...]
    source: str = "<memory>"
    sha256: str = ""
    modified: tuple[str, ...] = field(default=())
    panel: PanelRules = field(default=PanelRules())
    precision: int = DEFAULT_PRECISION
    precision_source: str = ""
    precision_assumption: bool = True
    empty_component: str = "refuse_designation"
    #: Source codes used in ``source`` texts (``"A3"``) -> where the fact was published.
    sources: tuple[tuple[str, str], ...] = ()

    # -- rules -----------------------------------------------------------------------
    @property
    def aggregation_within(self) -> str:
        """The mean inside each component (indicators -> component score)."""
        return split_method(self.aggregation)[0]

    @property
    def aggregation_between(self) -> str:
        """The mean between components (component scores -> total)."""
        return split_method(self.aggregation)[1]

    @property
    def uses_geometric(self) -> bool:
        return "geometric" in split_method(self.aggregation)

    @property
    def geometric_offset_share(self) -> float:
        """The zero-safe geometric offset as a share of the scale range (1 on 0-100:
        0.01)."""
        return self.geometric_offset / (self.scale[1] - self.scale[0])

    def round_total(self, total):
        """Totals at the framework's precision, rounded the way they are printed.

        Ranks, categories and designations all use this value, so two totals that print
        the same rank the same and a total printed as ``90,00`` reaches a threshold of
        90. The rounding is :func:`antikorupsi.fmt.bulat` (half away from zero, as the
        figure is written: 89,995 -> 90,00), the rule behind every printed number
        (:func:`antikorupsi.fmt.angka`). Scalars give a float, arrays an array and a
        Series a Series (NaN stays NaN).
        """
        if isinstance(total, pd.Series):
            return pd.Series(bulat(total.to_numpy(float), self.precision), index=total.index,
                             name=total.name)
        return bulat(total, self.precision)

    def offset_text(self) -> str:
        """``'1 poin (1% rentang skala 0–100)'``."""
        lo, hi = self.scale
        return (f"{ringkas(self.geometric_offset)} poin "
                f"({ringkas(round(self.geometric_offset_share * 100, 6))}% rentang skala "
                f"{ringkas(lo)}–{ringkas(hi)})")

    def reaches_threshold(self, total):
        """``round_total(total) >= threshold`` (False for NaN)."""
        return self.round_total(total) >= self.threshold

    def cited_sources(self) -> list[tuple[str, str]]:
        """The ``sources`` entries whose codes this framework's source texts cite
        (designation, precision, screening thresholds), in the order listed."""
        texts = " ".join([self.designation_source, self.precision_source]
                         + [c.source or "" for c in self.screening])
        cited = set(re.findall(r"\b[A-Z]{1,2}\d{1,3}\b", texts))
        return [(code, text) for code, text in self.sources if code in cited]

    def warnings(self) -> list[str]:
        """Rules that are valid but probably not meant (Bahasa Indonesia).

        Today: the designation threshold differs from the lowest score of the top
        category band, so a region could be "Istimewa" without being designated (or the
        other way round).
        """
        out = []
        top = max(self.bands, key=lambda b: b.min) if self.bands else None
        if top is not None and top.min != self.threshold:
            out.append(
                f"ambang penetapan {ringkas(self.threshold)} berbeda dari batas bawah "
                f"kategori tertinggi '{top.label}' ({ringkas(top.min)}): wilayah dapat "
                f"berkategori '{top.label}' tanpa memenuhi ambang penetapan, atau "
                "sebaliknya")
        return out

    # -- lookups -------------------------------------------------------------------
    def rubric(self, code: str) -> Rubric:
        return next(r for r in self.rubrics if r.code == code)

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    def component(self, code: str) -> Component:
        return next(c for c in self.components if c.code == code)

    def criterion(self, code: str) -> ScreeningCriterion:
        return next(s for s in self.screening if s.code == code)

    @property
    def component_codes(self) -> list[str]:
        return [c.code for c in self.components]

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    def component_weights(self) -> pd.Series:
        """Component weights as shares summing to 1, in framework order."""
        w = pd.Series({c.code: float(c.weight) for c in self.components}, name="bobot")
        return w / w.sum()

    def indicator_weights(self) -> pd.Series:
        """Indicator weights as shares of their component (each component sums to 1)."""
        w = pd.Series({i.code: float(i.weight) for i in self.indicators}, name="bobot")
        comp = self.indicator_component()
        return w / w.groupby(comp).transform("sum")

    def indicator_component(self) -> pd.Series:
        return pd.Series({i.code: i.component for i in self.indicators}, name="komponen")

    def effective_indicator_weights(self) -> pd.Series:
        """Each indicator's share of the total (indicator share x component share)."""
        comp = self.indicator_component()
        return self.indicator_weights() * comp.map(self.component_weights())

    def category(self, total: float) -> str | None:
        """The band of ``total`` (None for NaN).

        Totals are rounded to the framework's precision first (:meth:`round_total`), as
        for ranks and the designation threshold, so that a total printed as 90,00 is in
        the same band as the designation it gets.
        """
        if total != total:  # NaN
            return None
        total = self.round_total(total)
        for band in sorted(self.bands, key=lambda b: -b.min):
            if total >= band.min:
                return band.label
        return self.bands[-1].label

    def assumptions(self) -> list[str]:
        """Plain-language list (Bahasa Indonesia) of every unpublished value used."""
        out: list[str] = []
        if any(c.assumption for c in self.components):
            shares = ", ".join(
                f"{c.code} {persen(w, 1)}"
                for c, w in zip(self.components, self.component_weights())
            )
            out.append(f"Bobot komponen (tidak dipublikasikan KPK): {shares}.")
        if any(i.assumption for i in self.indicators):
            out.append(
                "Bobot indikator dalam komponen dan cara penskorannya (rubrik, batas nilai) "
                "tidak dipublikasikan KPK."
            )
        if any(i.assumption for i in self.indicators):
            out.append(
                "Pengelompokan 19 indikator ke dalam 6 komponen disimpulkan dari urutan "
                "publikasinya."
            )
        assumed_bands = [b.label for b in self.bands if b.assumption]
        if assumed_bands:
            out.append(
                "Kategori di bawah ambang penetapan (" + ", ".join(assumed_bands) + ") "
                "dan batasnya adalah asumsi."
            )
        if self.aggregation_assumption:
            out.append(f"Metode agregasi: {metode_agregasi(self.aggregation, levels=True)}.")
            if self.uses_geometric:
                out.append(f"Rata-rata geometrik dihitung atas skor + {self.offset_text()} "
                           "agar tetap terdefinisi pada skor 0.")
        if self.missing_assumption:
            out.append(f"Kebijakan data kosong: {missing_policy_text(self.missing_indicator)}; "
                       f"{empty_component_text(self.empty_component)}.")
        if self.panel.assumption:
            out.append(self.panel.summary())
        if self.precision_assumption:
            out.append(f"Skor total dibulatkan ke {self.precision} desimal sebelum "
                       "diperingkat, dikategorikan, dan dibandingkan dengan ambang "
                       "penetapan.")
        for crit in self.screening:
            if crit.assumption:
                out.append(f"Kriteria penyaringan '{crit.name}': {criterion_rule_text(crit)}.")
        if any(i.opd_assumption for i in self.indicators if i.opd) or any(
                i.steps for i in self.indicators):
            out.append("OPD penanggung jawab dan langkah menuju tiap tingkat rubrik dalam "
                       "rekomendasi adalah usulan, bukan ketentuan KPK.")
        for note in self.modified:
            out.append(note)
        return out

    # -- variants ------------------------------------------------------------------
    def with_weights(
        self,
        component_weights: Mapping[str, float] | None = None,
        indicator_weights: Mapping[str, float] | None = None,
        aggregation: str | None = None,
        label: str | None = None,
    ) -> "Framework":
        """A copy with some weights or the aggregation replaced (validated).

        The copy records what changed in ``modified`` so that a report made from it
        says so.
        """
        problems: list[Problem] = []
        cw = dict(component_weights or {})
        iw = dict(indicator_weights or {})
        for code in cw:
            if code not in self.component_codes:
                problems.append(Problem(label or self.source, "kode komponen tidak dikenal",
                                        column="bobot_komponen", value=code,
                                        expected=", ".join(self.component_codes)))
        for code in iw:
            if code not in self.indicator_codes:
                problems.append(Problem(label or self.source, "kode indikator tidak dikenal",
                                        column="bobot_indikator", value=code,
                                        expected="kode indikator dari kerangka"))
        for where, weights in (("bobot_komponen", cw), ("bobot_indikator", iw)):
            for code, w in weights.items():
                if not _is_number(w) or float(w) < 0:
                    problems.append(Problem(label or self.source, "bobot harus angka >= 0",
                                            column=f"{where}.{code}", value=w,
                                            expected="angka >= 0"))
                elif not float(w) <= LIMITS.yaml_number:  # inf or 1e308: the sum overflows
                    problems.append(Problem(label or self.source, "bobot terlalu besar",
                                            column=f"{where}.{code}", value=w,
                                            expected=f"angka paling besar "
                                                     f"{angka(LIMITS.yaml_number, 0)}"))
        if aggregation is not None and not is_method(aggregation):
            problems.append(Problem(label or self.source, "metode agregasi tidak dikenal",
                                    column="agregasi", value=aggregation,
                                    expected=" atau ".join(AGGREGATIONS) + ", atau "
                                             "<dalam>/<antar>, mis. geometric/arithmetic"))
        if problems:
            raise FrameworkError(problems)
        comps = tuple(dataclasses.replace(c, weight=float(cw.get(c.code, c.weight)))
                      for c in self.components)
        inds = tuple(dataclasses.replace(i, weight=float(iw.get(i.code, i.weight)))
                     for i in self.indicators)
        if sum(c.weight for c in comps) <= 0:
            raise FrameworkError(Problem(label or self.source, "semua bobot komponen nol",
                                         column="bobot_komponen", expected="total > 0"))
        for c in comps:
            if sum(i.weight for i in inds if i.component == c.code) <= 0:
                raise FrameworkError(Problem(label or self.source,
                                             f"semua bobot indikator komponen {c.code} nol",
                                             column="bobot_indikator", expected="total > 0"))
        what = []
        if cw or iw:
            what.append("bobot diubah")
        if aggregation is not None:
            aggregation = join_method(*split_method(aggregation))
        if aggregation is not None and aggregation != self.aggregation:
            what.append(f"metode agregasi diubah menjadi {metode_agregasi(aggregation)}")
        note = None
        if what:
            text = " dan ".join(what)
            note = text[0].upper() + text[1:] + (f" oleh skenario '{label}'." if label else ".")
        return dataclasses.replace(
            self, components=comps, indicators=inds,
            aggregation=aggregation or self.aggregation,
            modified=self.modified + ((note,) if note else ()),
        )


def criterion_rule_text(crit: ScreeningCriterion) -> str:
    """How a criterion is decided beyond its threshold, in one clause (scope, window,
    shared indicator): what :meth:`Framework.assumptions` lists for a criterion tagged
    ``asumsi: true``."""
    parts = []
    if crit.scope is not None:
        who = {"kepala_daerah": "hanya perkara korupsi kepala daerah (bupati/wali kota dan "
                                "wakilnya) yang dihitung, bukan kepala OPD",
               "kepala_daerah_dan_opd": "perkara korupsi kepala daerah dan kepala OPD "
                                        "dihitung"}[crit.scope]
        parts.append(who)
    if crit.window_years is not None:
        parts.append(f"jendela {crit.window_years} tahun data sampai tahun penilaian "
                     "(angka > 0 dalam jendela itu tidak lulus, walau lebih tua dari batas "
                     "umur data)")
    if crit.indicator is not None:
        parts.append(f"bila tabel penyaringan tidak berisi angka tahun penilaian, nilai "
                     f"indikator {crit.indicator} tahun itu yang dipakai (bertanda)")
    return "; ".join(parts) if parts else "cara penilaiannya adalah asumsi"


def empty_component_text(policy: str) -> str:
    """The empty-component rule in words (Bahasa Indonesia)."""
    return {
        "refuse_designation": "komponen yang seluruh indikatornya tanpa bukti membuat wilayah "
                              "tidak dapat ditetapkan (bobotnya tidak dipindahkan diam-diam)",
        "zero": "komponen yang seluruh indikatornya tanpa bukti diberi skor 0",
    }.get(policy, policy)


def missing_policy_text(policy: str) -> str:
    """The missing-indicator rule in words (Bahasa Indonesia)."""
    return {
        "zero": "indikator tanpa bukti diberi skor 0",
        "renormalise": "indikator tanpa bukti dikeluarkan dan bobotnya dibagi ke indikator "
                       "lain dalam komponen yang sama",
        "province_mean": "indikator tanpa bukti diisi rata-rata wilayah lain di provinsi yang sama",
    }.get(policy, policy)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x


# -- loading ---------------------------------------------------------------------------
_FRAMEWORK_DIR = "frameworks"


def shipped_frameworks() -> list[str]:
    """Ids of the frameworks that ship with the package, sorted."""
    d = resources.files("antikorupsi") / _FRAMEWORK_DIR
    return sorted(p.name[:-5] for p in d.iterdir() if p.name.endswith(".yaml"))


def framework_for_year(year: int) -> str:
    """The shipped framework for ``year``: ``kak-<year>``, else the latest before it."""
    ids = shipped_frameworks()
    exact = f"kak-{year}"
    if exact in ids:
        return exact
    earlier = [i for i in ids if re.fullmatch(r"kak-\d{4}", i) and int(i[4:]) <= year]
    if earlier:
        return max(earlier)
    raise FrameworkError(Problem("<kerangka bawaan>", f"tidak ada kerangka untuk tahun {year}",
                                 expected=", ".join(ids)))


def framework_bytes(name_or_path: str | Path) -> tuple[bytes, str]:
    """The raw bytes of a framework (shipped id or file path) and a display source."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise FrameworkError(Problem(str(path), "berkas kerangka tidak ditemukan"))
        return read_yaml_bytes(path, FrameworkError), str(path)
    ref = resources.files("antikorupsi") / _FRAMEWORK_DIR / f"{name_or_path}.yaml"
    if not ref.is_file():
        raise FrameworkError(Problem(str(name_or_path), "kerangka tidak dikenal",
                                     expected=", ".join(shipped_frameworks())))
    return ref.read_bytes(), f"antikorupsi/frameworks/{name_or_path}.yaml"


def load_framework(name_or_path: str | Path) -> Framework:
    """Load and validate a framework by shipped id (``kak-2025``) or by file path."""
    data, source = framework_bytes(name_or_path)
    return parse_framework(data, source=source)


def parse_framework(data: bytes | str, source: str = "<memory>") -> Framework:
    """Parse and validate framework YAML; raise :class:`FrameworkError` listing all problems."""
    raw = data.encode() if isinstance(data, str) else data
    # size, alias expansion, duplicate keys, control characters, inf/huge numbers
    doc = load_yaml(raw, source, FrameworkError)
    v = _Validator(source)
    fw = v.framework(doc)
    if v.problems:
        raise FrameworkError(v.problems)
    return dataclasses.replace(fw, sha256=hashlib.sha256(raw).hexdigest())


class _Validator:
    """Collects every problem in a framework document instead of stopping at the first."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def err(self, where: str, message: str, value: Any = None, expected: str | None = None):
        self.problems.append(Problem(self.source, message, column=where, value=value,
                                     expected=expected))

    def keys(self, d: Any, where: str, allowed: set[str]) -> None:
        """Unknown keys are errors: a typo must not silently fall back to a default."""
        if isinstance(d, dict):
            for key in d:
                if key not in allowed:
                    self.err(f"{where}.{key}" if where else str(key), "kunci tidak dikenal", key,
                             ", ".join(sorted(allowed)))

    def get(self, d: Any, key: str, where: str, kind: type | tuple, required=True, default=None):
        if not isinstance(d, dict):
            return default
        if key not in d or d[key] is None:
            if required:
                self.err(f"{where}.{key}" if where else key, "wajib diisi")
            return default
        val = d[key]
        if kind is float:
            if not _is_number(val):
                self.err(f"{where}.{key}" if where else key, "harus angka", val, "angka")
                return default
            return float(val)
        if not isinstance(val, kind) or isinstance(val, bool) and kind is int:
            self.err(f"{where}.{key}" if where else key, "tipe salah", val,
                     getattr(kind, "__name__", str(kind)))
            return default
        return val

    def framework(self, doc: Any) -> Framework:
        if not isinstance(doc, dict):
            self.err("", "berkas kerangka harus berupa peta YAML", expected="id, components, ...")
            doc = {}
        self.keys(doc, "", {"id", "version", "programme", "year", "scale", "aggregation",
                            "designation", "bands", "missing_policy", "rubrics", "components",
                            "indicators", "screening", "description", "panel",
                            "precision", "sources"})
        g = self.get
        scale = g(doc, "scale", "", dict, default={"min": 0, "max": 100})
        self.keys(scale, "scale", {"min", "max"})
        smin = g(scale, "min", "scale", float, default=0.0)
        smax = g(scale, "max", "scale", float, default=100.0)
        if smin >= smax:
            self.err("scale", "min harus lebih kecil dari max", (smin, smax))
        agg = g(doc, "aggregation", "", dict, default={})
        method, offset = self.aggregation(agg, smin, smax)
        precision, precision_source, precision_assumed = self.precision(doc.get("precision"))
        des = g(doc, "designation", "", dict, default={})
        self.keys(des, "designation", {"threshold", "label", "source"})
        threshold = g(des, "threshold", "designation", float, default=90.0)
        if not smin <= threshold <= smax:
            self.err("designation.threshold", "ambang di luar skala", threshold,
                     f"antara {smin:g} dan {smax:g}")
        bands = self.bands(g(doc, "bands", "", list, default=[]), smin, smax)
        mp = g(doc, "missing_policy", "", dict, default={})
        self.keys(mp, "missing_policy", {"indicator", "screening", "max_data_age_years", "asumsi",
                                         "empty_component"})
        mi = g(mp, "indicator", "missing_policy", str, default="zero")
        if mi not in MISSING_INDICATOR:
            self.err("missing_policy.indicator", "kebijakan tidak dikenal", mi,
                     ", ".join(MISSING_INDICATOR))
        ms = g(mp, "screening", "missing_policy", str, required=False, default="pending")
        if ms not in MISSING_SCREENING:
            self.err("missing_policy.screening", "kebijakan tidak dikenal", ms,
                     ", ".join(MISSING_SCREENING))
        ec = g(mp, "empty_component", "missing_policy", str, required=False,
               default="refuse_designation")
        if ec not in EMPTY_COMPONENT:
            self.err("missing_policy.empty_component", "kebijakan tidak dikenal", ec,
                     ", ".join(EMPTY_COMPONENT))
        age = mp.get("max_data_age_years") if isinstance(mp, dict) else None
        if age is not None and (not isinstance(age, int) or age < 0):
            self.err("missing_policy.max_data_age_years", "harus bilangan bulat >= 0", age)
            age = None
        rubrics = self.rubrics(g(doc, "rubrics", "", dict, required=False, default={}), smin, smax)
        components = self.components(g(doc, "components", "", list, default=[]))
        indicators = self.indicators(g(doc, "indicators", "", list, default=[]),
                                     {c.code for c in components}, {r.code for r in rubrics},
                                     smin, smax)
        self.check_steps(indicators, rubrics)
        used = {i.component for i in indicators}
        for c in components:
            if c.code not in used:
                self.err("components", f"komponen {c.code} tidak punya indikator", c.code)
        for c in components:
            ws = [i.weight for i in indicators if i.component == c.code]
            if ws and sum(ws) <= 0:
                self.err("indicators", f"semua bobot indikator komponen {c.code} nol", c.code,
                         "setidaknya satu bobot > 0")
        screening = self.screening(g(doc, "screening", "", list, default=[]),
                                   {i.code: i for i in indicators})
        sources = self.sources(g(doc, "sources", "", dict, required=False, default=None))
        panel = self.panel(g(doc, "panel", "", dict, required=False, default=None),
                           smax - smin)
        year = doc.get("year")
        return Framework(
            id=str(g(doc, "id", "", str, default="?")),
            version=str(doc.get("version", "")),
            programme=str(doc.get("programme", "")),
            year=int(year) if isinstance(year, int) else None,
            scale=(smin, smax),
            aggregation=method,
            geometric_offset=offset,
            aggregation_assumption=bool(agg.get("asumsi", True)) if isinstance(agg, dict) else True,
            threshold=threshold,
            designation_label=str(des.get("label", "Istimewa")) if isinstance(des, dict) else "",
            designation_source=str(des.get("source", "")) if isinstance(des, dict) else "",
            bands=bands,
            missing_indicator=mi,
            missing_screening=ms,
            max_data_age_years=age,
            missing_assumption=bool(mp.get("asumsi", True)) if isinstance(mp, dict) else True,
            rubrics=rubrics,
            components=components,
            indicators=indicators,
            screening=screening,
            source=self.source,
            panel=panel,
            sources=sources,
            precision=precision,
            precision_source=precision_source,
            precision_assumption=precision_assumed,
            empty_component=ec,
        )

    def sources(self, d: dict | None) -> tuple[tuple[str, str], ...]:
        """The optional ``sources:`` list: source code -> where it was published."""
        if d is None:
            return ()
        out = []
        for code, text in d.items():
            if not isinstance(text, str) or not text.strip():
                self.err(f"sources.{code}", "sumber harus teks", text, "mis. 'permas.kpk.go.id'")
                continue
            out.append((str(code), text.strip()))
        return tuple(out)

    def panel(self, d: dict | None, span: float) -> PanelRules:
        """The optional ``panel:`` section (several assessors, plenary); defaults if absent."""
        if d is None:
            return PanelRules()
        self.keys(d, "panel", {"consolidation", "disagreement_levels", "disagreement_points",
                               "asumsi"})
        how = self.get(d, "consolidation", "panel", str, required=False, default="median")
        if how not in CONSOLIDATIONS:
            self.err("panel.consolidation", "aturan konsolidasi tidak dikenal", how,
                     " atau ".join(CONSOLIDATIONS))
            how = "median"
        levels = self.get(d, "disagreement_levels", "panel", int, required=False, default=2)
        if levels is None or levels < 1:
            self.err("panel.disagreement_levels", "harus bilangan bulat >= 1", levels)
            levels = 2
        points = self.get(d, "disagreement_points", "panel", float, required=False,
                          default=50.0)
        if points is None or not 0 < points <= span:
            self.err("panel.disagreement_points", "di luar skala", points,
                     f"angka > 0 dan <= {span:g}")
            points = 50.0
        asumsi = d.get("asumsi", True)
        if not isinstance(asumsi, bool):
            self.err("panel.asumsi", "harus true atau false", asumsi)
            asumsi = True
        return PanelRules(how, int(levels), float(points), asumsi)

    def aggregation(self, agg: Any, smin: float, smax: float) -> tuple[str, float]:
        """The aggregation spec (``"arithmetic"``, ``"geometric/arithmetic"``, ...) and the
        geometric offset.

        Each level is stated: ``within_components`` and ``between_components``. The old
        single ``method`` is accepted as shorthand for both levels (frameworks copied
        before the levels existed keep loading); giving both forms is an error, and so
        is stating one level only. The offset must be stated whenever a level is
        geometric, and lie in (0, scale range].
        """
        self.keys(agg, "aggregation", {"method", "within_components", "between_components",
                                       "geometric_offset", "asumsi"})
        if not isinstance(agg, dict):
            agg = {}
        expected = " atau ".join(AGGREGATIONS)
        levels = [k for k in ("within_components", "between_components") if k in agg]
        chosen: list[str] = []
        if "method" in agg and levels:
            self.err("aggregation.method", "tulis method (kedua tingkat) atau "
                     "within_components dan between_components, bukan keduanya",
                     agg["method"], "within_components dan between_components")
        if "method" in agg or not levels:
            m = self.get(agg, "method", "aggregation", str, default="arithmetic")
            chosen = [m, m]
            where = ["aggregation.method"] * 2
        else:
            chosen, where = [], []
            for key in ("within_components", "between_components"):
                chosen.append(self.get(agg, key, "aggregation", str, default="arithmetic"))
                where.append(f"aggregation.{key}")
        bad = False
        for w, m in dict(zip(where, chosen)).items():  # "method" is reported once
            if m not in AGGREGATIONS:
                self.err(w, "metode agregasi tidak dikenal", m, expected)
                bad = True
        method = "arithmetic" if bad else join_method(*chosen)
        geometric = "geometric" in chosen
        offset = self.get(agg, "geometric_offset", "aggregation", float, required=geometric,
                          default=1.0)
        if offset <= 0:
            self.err("aggregation.geometric_offset", "harus > 0", offset, "> 0")
            offset = 1.0
        elif offset > smax - smin:
            self.err("aggregation.geometric_offset", "offset lebih besar dari rentang skala",
                     offset, f"0 < offset <= {smax - smin:g} (mis. 1 pada skala 0-100)")
        return method, offset

    def precision(self, p: Any) -> tuple[int, str, bool]:
        """``precision: 2`` or ``precision: {decimals: 2, source: ..., asumsi: ...}``."""
        if p is None:
            return DEFAULT_PRECISION, "", True
        if isinstance(p, dict):
            self.keys(p, "precision", {"decimals", "source", "asumsi"})
            d = self.get(p, "decimals", "precision", int, default=DEFAULT_PRECISION)
            source, assumed = str(p.get("source") or ""), bool(p.get("asumsi", True))
            where = "precision.decimals"
        else:
            d, source, assumed, where = p, "", True, "precision"
        if not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 9:
            self.err(where, "jumlah desimal harus bilangan bulat 0-9", d, "mis. 2")
            d = DEFAULT_PRECISION
        return d, source, assumed

    def bands(self, items: list, smin: float, smax: float) -> tuple[Band, ...]:
        out = []
        for k, b in enumerate(items):
            where = f"bands[{k}]"
            self.keys(b, where, {"min", "label", "asumsi"})
            lo = self.get(b, "min", where, float, default=None)
            label = self.get(b, "label", where, str, default="?")
            if lo is not None and not smin <= lo <= smax:
                self.err(f"{where}.min", "batas kategori di luar skala", lo,
                         f"antara {smin:g} dan {smax:g}")
            if lo is not None:
                out.append(Band(lo, label, bool(b.get("asumsi", True))))
        if not out:
            self.err("bands", "minimal satu kategori", expected="daftar {min, label}")
        elif min(b.min for b in out) > smin:
            self.err("bands", "kategori terendah harus mulai dari batas bawah skala",
                     min(b.min for b in out), f"{smin:g}")
        if len({b.min for b in out}) != len(out):
            self.err("bands", "batas kategori ganda")
        return tuple(sorted(out, key=lambda b: -b.min))

    def rubrics(self, items: dict, smin: float, smax: float) -> tuple[Rubric, ...]:
        out = []
        for code, r in items.items():
            where = f"rubrics.{code}"
            self.keys(r, where, {"description", "asumsi", "levels"})
            levels = []
            for k, lv in enumerate(self.get(r, "levels", where, list, default=[])):
                lw = f"{where}.levels[{k}]"
                self.keys(lv, lw, {"level", "label", "score", "description"})
                level = self.get(lv, "level", lw, int, default=None)
                score = self.get(lv, "score", lw, float, default=None)
                label = self.get(lv, "label", lw, str, default="?")
                if score is not None and not smin <= score <= smax:
                    self.err(f"{lw}.score", "skor tingkat di luar skala", score,
                             f"antara {smin:g} dan {smax:g}")
                if level is not None and score is not None:
                    levels.append(RubricLevel(level, label, score, str(lv.get("description", ""))))
            if len({lv.level for lv in levels}) != len(levels):
                self.err(where, "tingkat rubrik ganda")
            if not levels:
                self.err(where, "rubrik tanpa tingkat")
            out.append(Rubric(str(code), str(r.get("description", "")) if isinstance(r, dict)
                              else "", tuple(sorted(levels, key=lambda x: x.level)),
                              bool(r.get("asumsi", True)) if isinstance(r, dict) else True))
        return tuple(out)

    def _weight(self, d: dict, where: str) -> float:
        w = self.get(d, "weight", where, float, default=0.0)
        if w < 0:
            self.err(f"{where}.weight", "bobot negatif", w, "angka >= 0")
        return w

    def components(self, items: list) -> tuple[Component, ...]:
        out, seen = [], set()
        for k, c in enumerate(items):
            where = f"components[{k}]"
            self.keys(c, where, {"code", "name", "weight", "asumsi", "description"})
            code = self.get(c, "code", where, str, default=f"?{k}")
            if code in seen:
                self.err(f"{where}.code", "kode komponen ganda", code, "kode unik")
            seen.add(code)
            out.append(Component(code, self.get(c, "name", where, str, default=code),
                                 self._weight(c, where), bool(c.get("asumsi", True))
                                 if isinstance(c, dict) else True))
        if not out:
            self.err("components", "kerangka tanpa komponen")
        elif sum(c.weight for c in out) <= 0 and all(c.weight >= 0 for c in out):
            self.err("components", "semua bobot komponen nol",
                     [c.weight for c in out], "setidaknya satu bobot > 0")
        return tuple(out)

    def indicators(self, items: list, comps: set, rubrics: set, smin: float,
                   smax: float) -> tuple[Indicator, ...]:
        out, seen = [], set()
        for k, d in enumerate(items):
            where = f"indicators[{k}]"
            self.keys(d, where, {"code", "name", "component", "weight", "asumsi", "description",
                                 "scoring", "recommendation", "opd", "steps"})
            code = self.get(d, "code", where, str, default=f"?{k}")
            if code in seen:
                self.err(f"{where}.code", "kode indikator ganda", code, "kode unik")
            seen.add(code)
            comp = self.get(d, "component", where, str, default="?")
            if comp not in comps:
                self.err(f"{where}.component", "komponen tidak dikenal", comp,
                         ", ".join(sorted(comps)))
            sc = self.get(d, "scoring", where, dict, default={"method": "direct"})
            scoring = self.scoring(sc, f"{where}.scoring", rubrics)
            out.append(Indicator(
                code=code, name=self.get(d, "name", where, str, default=code), component=comp,
                weight=self._weight(d, where), scoring=scoring,
                assumption=bool(d.get("asumsi", True)) if isinstance(d, dict) else True,
                description=str(d.get("description", "")) if isinstance(d, dict) else "",
                recommendation=str(d.get("recommendation", "")).strip()
                if isinstance(d, dict) else "",
                **self.actions_of(d, where, scoring),
            ))
        if not out:
            self.err("indicators", "kerangka tanpa indikator")
        return tuple(out)

    def actions_of(self, d: Any, where: str, scoring: Scoring) -> dict:
        """The report-side keys of an indicator: ``opd`` (a name, or ``{name, asumsi}``)
        and ``steps`` (rubric indicators only: ``{level: text}``, levels checked against
        the rubric in :meth:`check_steps`)."""
        out: dict[str, Any] = {}
        if not isinstance(d, dict):
            return out
        opd = d.get("opd")
        if isinstance(opd, str):
            out.update(opd=opd.strip(), opd_assumption=True)
        elif isinstance(opd, dict):
            self.keys(opd, f"{where}.opd", {"name", "asumsi"})
            out.update(opd=str(self.get(opd, "name", f"{where}.opd", str, default="")).strip(),
                       opd_assumption=bool(opd.get("asumsi", True)))
        elif opd is not None:
            self.err(f"{where}.opd", "tipe salah", opd, "nama OPD atau {name, asumsi}")
        steps = d.get("steps")
        if steps is None:
            return out
        if scoring.method != "rubric":
            self.err(f"{where}.steps", "langkah per tingkat hanya untuk indikator rubrik",
                     scoring.method, "hapus steps atau pakai method: rubric")
        elif not isinstance(steps, dict) or not all(
                isinstance(k, int) and not isinstance(k, bool) and isinstance(v, str)
                and v.strip() for k, v in steps.items()):
            self.err(f"{where}.steps", "langkah harus peta tingkat -> teks", steps,
                     "mis. {1: teks, 2: teks}")
        else:
            out["steps"] = tuple(sorted((k, " ".join(v.split())) for k, v in steps.items()))
        return out

    def check_steps(self, indicators: tuple[Indicator, ...], rubrics: tuple[Rubric, ...]) -> None:
        """Every step names a level of its indicator's rubric above the lowest one."""
        levels = {r.code: [lv.level for lv in r.levels] for r in rubrics}
        for k, ind in enumerate(indicators):
            known = levels.get(ind.scoring.rubric or "", [])
            for level, _ in ind.steps:
                if known and (level not in known or level == min(known)):
                    self.err(f"indicators[{k}].steps.{level}", "tingkat tidak ada dalam rubrik",
                             level, ", ".join(str(x) for x in known[1:]))

    def scoring(self, sc: dict, where: str, rubrics: set) -> Scoring:
        self.keys(sc, where, {"method", "rubric", "low", "high", "direction", "unit", "valid"})
        method = self.get(sc, "method", where, str, default="direct")
        if method not in SCORING_METHODS:
            self.err(f"{where}.method", "metode penskoran tidak dikenal", method,
                     ", ".join(SCORING_METHODS))
            return Scoring("direct")
        if method == "rubric":
            rub = self.get(sc, "rubric", where, str, default=None)
            if rub is not None and rub not in rubrics:
                self.err(f"{where}.rubric", "rubrik tidak dikenal", rub, ", ".join(sorted(rubrics)))
            return Scoring("rubric", rubric=rub)
        if method == "goalposts":
            low = self.get(sc, "low", where, float, default=0.0)
            high = self.get(sc, "high", where, float, default=1.0)
            direction = sc.get("direction", 1)
            if direction not in (1, -1):
                self.err(f"{where}.direction", "arah harus 1 atau -1", direction, "1 atau -1")
                direction = 1
            if low >= high:
                self.err(f"{where}", "batas nilai terbalik: low harus lebih kecil dari high",
                         {"low": low, "high": high},
                         "low < high (arah diatur dengan direction: -1)")
            valid = sc.get("valid")
            if valid is not None:
                if not (isinstance(valid, list) and len(valid) == 2
                        and all(map(_is_number, valid)) and valid[0] < valid[1]):
                    self.err(f"{where}.valid", "rentang sah harus [min, max] dengan min < max",
                             valid)
                    valid = None
                else:
                    valid = (float(valid[0]), float(valid[1]))
            return Scoring("goalposts", low=low, high=high, direction=int(direction),
                           unit=sc.get("unit"), valid=valid)
        return Scoring("direct")

    def screening(self, items: list, indicators: Mapping[str, Indicator]
                  ) -> tuple[ScreeningCriterion, ...]:
        out, seen = [], set()
        for k, d in enumerate(items):
            where = f"screening[{k}]"
            self.keys(d, where, {"code", "name", "kind", "range", "grades", "rule", "source",
                                 "indicator", "scope", "window_years", "asumsi"})
            code = self.get(d, "code", where, str, default=f"?{k}")
            if code in seen:
                self.err(f"{where}.code", "kode kriteria ganda", code, "kode unik")
            seen.add(code)
            kind = self.get(d, "kind", where, str, default="number")
            if kind not in SCREENING_KINDS:
                self.err(f"{where}.kind", "jenis kriteria tidak dikenal", kind,
                         ", ".join(SCREENING_KINDS))
            rng = d.get("range") if isinstance(d, dict) else None
            if rng is not None:
                if not (isinstance(rng, list) and len(rng) == 2 and all(map(_is_number, rng))
                        and rng[0] < rng[1]):
                    self.err(f"{where}.range", "rentang harus [min, max] dengan min < max", rng)
                    rng = None
                else:
                    rng = (float(rng[0]), float(rng[1]))
            grades = tuple(str(x) for x in (d.get("grades") or [])) if isinstance(d, dict) else ()
            if kind == "grade" and not grades:
                self.err(f"{where}.grades", "kriteria berjenis grade butuh daftar grades")
            rule = None
            r = d.get("rule") if isinstance(d, dict) else None
            if r is not None:
                self.keys(r, f"{where}.rule", {"op", "value", "years"})
                op = self.get(r, "op", f"{where}.rule", str, default=">=")
                if op not in RULE_OPS:
                    self.err(f"{where}.rule.op", "operator tidak dikenal", op, ", ".join(RULE_OPS))
                value = r.get("value") if isinstance(r, dict) else None
                years = r.get("years") if isinstance(r, dict) else None
                if op == "consecutive":
                    if value not in grades:
                        self.err(f"{where}.rule.value", "nilai tidak ada dalam grades", value,
                                 ", ".join(grades))
                    if not isinstance(years, int) or years < 1:
                        self.err(f"{where}.rule.years", "harus bilangan bulat >= 1", years)
                elif not _is_number(value):
                    self.err(f"{where}.rule.value", "ambang harus angka", value, "angka")
                elif rng is not None and not rng[0] <= value <= rng[1]:
                    self.err(f"{where}.rule.value", "ambang di luar rentang", value,
                             f"antara {rng[0]:g} dan {rng[1]:g}")
                rule = Rule(op, value, years)
            name = self.get(d, "name", where, str, default=code)
            extra = self.screening_extra(d, where, kind, rule, name, indicators)
            out.append(ScreeningCriterion(
                code=code, name=name, kind=kind, rule=rule, range=rng, grades=grades,
                source=str(d["source"]) if isinstance(d, dict) and d.get("source") else None,
                assumption=bool(d.get("asumsi", False)) if isinstance(d, dict) else False,
                **extra,
            ))
        return tuple(out)

    def screening_extra(self, d: Any, where: str, kind: str, rule: Rule | None, name: str,
                        indicators: Mapping[str, Indicator]) -> dict[str, Any]:
        """``indicator`` (a shared fact), ``scope`` and ``window_years`` (case counts)."""
        if not isinstance(d, dict):
            return {}
        out: dict[str, Any] = {}
        ind = d.get("indicator")
        if ind is not None:
            if ind not in indicators:
                self.err(f"{where}.indicator", "indikator tidak dikenal", ind,
                         "kode indikator dari kerangka, mis. I01")
            elif indicators[ind].scoring.method == "rubric":
                self.err(f"{where}.indicator", "indikator berubrik tidak dapat dipakai sebagai "
                         "angka penyaringan", ind, "indikator berskor langsung atau berbatas")
            elif kind != "number" or (rule is not None and rule.op == "consecutive"):
                self.err(f"{where}.indicator", "hanya untuk kriteria berjenis number dengan "
                         "ambang angka", ind, "kind: number")
            else:
                out["indicator"] = str(ind)
        scope, window = d.get("scope"), d.get("window_years")
        if (scope is not None or window is not None) and kind != "count":
            self.err(f"{where}.scope" if scope is not None else f"{where}.window_years",
                     "cakupan dan jendela tahun hanya untuk kriteria berjenis count", kind,
                     "kind: count")
            return out
        if scope is not None:
            if scope not in CASE_SCOPES:
                self.err(f"{where}.scope", "cakupan tidak dikenal", scope, ", ".join(CASE_SCOPES))
            else:
                out["scope"] = scope
                says_opd = "opd" in name.lower()
                if says_opd != (scope == "kepala_daerah_dan_opd"):
                    self.err(f"{where}.name", "nama kriteria tidak sesuai cakupannya", name,
                             "nama yang menyebut kepala OPD" if scope != "kepala_daerah"
                             else "nama tanpa kepala OPD (cakupan: kepala_daerah)")
        if window is not None:
            if not isinstance(window, int) or isinstance(window, bool) or window < 1:
                self.err(f"{where}.window_years", "harus bilangan bulat >= 1", window)
            else:
                out["window_years"] = window
                if f"{window} tahun" not in name:
                    self.err(f"{where}.name", "nama kriteria tidak menyebut jendela tahunnya",
                             name, f"nama yang memuat '{window} tahun'")
        return out


# -- comparing -------------------------------------------------------------------------
def diff_frameworks(a: Framework, b: Framework) -> list[str]:
    """What changed from ``a`` to ``b``, one line per change, in Bahasa Indonesia."""
    out: list[str] = []

    def cmp(label: str, x: Any, y: Any):
        if x != y:
            out.append(f"{label}: {ringkas(x)} -> {ringkas(y)}")

    cmp("agregasi dalam komponen", a.aggregation_within, b.aggregation_within)
    cmp("agregasi antarkomponen", a.aggregation_between, b.aggregation_between)
    cmp("offset geometrik", a.geometric_offset, b.geometric_offset)
    cmp("asumsi agregasi", a.aggregation_assumption, b.aggregation_assumption)
    cmp("presisi skor total (desimal)", a.precision, b.precision)
    cmp("ambang penetapan", a.threshold, b.threshold)
    cmp("kebijakan data kosong", a.missing_indicator, b.missing_indicator)
    cmp("kebijakan komponen tanpa bukti", a.empty_component, b.empty_component)
    cmp("kebijakan penyaringan tanpa data", a.missing_screening, b.missing_screening)
    cmp("umur data penyaringan maksimum (tahun)", a.max_data_age_years, b.max_data_age_years)
    cmp("kategori", [(x.min, x.label) for x in a.bands], [(x.min, x.label) for x in b.bands])
    cmp("konsolidasi penilai", a.panel.consolidation, b.panel.consolidation)
    cmp("ambang beda pendapat (tingkat)", a.panel.disagreement_levels,
        b.panel.disagreement_levels)
    cmp("ambang beda pendapat (poin)", a.panel.disagreement_points,
        b.panel.disagreement_points)
    ca, cb = {c.code: c for c in a.components}, {c.code: c for c in b.components}
    wa, wb = a.component_weights(), b.component_weights()
    for code in sorted(set(ca) | set(cb)):
        if code not in cb:
            out.append(f"komponen dihapus: {code} {ca[code].name}")
        elif code not in ca:
            out.append(f"komponen baru: {code} {cb[code].name} (bobot {persen(wb[code], 1)})")
        else:
            if abs(wa[code] - wb[code]) > 1e-12:
                out.append(f"bobot komponen {code}: {persen(wa[code], 1)} -> "
                           f"{persen(wb[code], 1)}")
            cmp(f"nama komponen {code}", ca[code].name, cb[code].name)
    ia, ib = {i.code: i for i in a.indicators}, {i.code: i for i in b.indicators}
    iwa, iwb = a.indicator_weights(), b.indicator_weights()
    for code in sorted(set(ia) | set(ib)):
        if code not in ib:
            out.append(f"indikator dihapus: {code} {ia[code].name}")
        elif code not in ia:
            out.append(f"indikator baru: {code} {ib[code].name} (komponen {ib[code].component})")
        else:
            x, y = ia[code], ib[code]
            cmp(f"komponen indikator {code}", x.component, y.component)
            if abs(iwa[code] - iwb[code]) > 1e-12:
                out.append(f"bobot indikator {code} dalam komponen: {persen(iwa[code], 1)} -> "
                           f"{persen(iwb[code], 1)}")
            cmp(f"penskoran indikator {code}", x.scoring.describe(), y.scoring.describe())
            cmp(f"nama indikator {code}", x.name, y.name)
    sa, sb = {s.code: s for s in a.screening}, {s.code: s for s in b.screening}
    for code in sorted(set(sa) | set(sb)):
        if code not in sb:
            out.append(f"kriteria penyaringan dihapus: {code}")
        elif code not in sa:
            out.append(f"kriteria penyaringan baru: {code}")
        else:
            ra = sa[code].rule.describe() if sa[code].rule else "tanpa ambang"
            rb = sb[code].rule.describe() if sb[code].rule else "tanpa ambang"
            cmp(f"ambang penyaringan {code}", ra, rb)
            x, y = sa[code], sb[code]
            cmp(f"nama kriteria {code}", x.name, y.name)
            cmp(f"indikator bersama kriteria {code}", x.indicator or "-", y.indicator or "-")
            cmp(f"cakupan kriteria {code}", x.scope or "-", y.scope or "-")
            cmp(f"jendela tahun kriteria {code}", x.window_years or "-", y.window_years or "-")
            cmp(f"asumsi kriteria {code}", x.assumption, y.assumption)
    ra, rb = {r.code: r for r in a.rubrics}, {r.code: r for r in b.rubrics}
    for code in sorted(set(ra) & set(rb)):
        cmp(f"rubrik {code}", [(lv.level, lv.score) for lv in ra[code].levels],
            [(lv.level, lv.score) for lv in rb[code].levels])
    return out
