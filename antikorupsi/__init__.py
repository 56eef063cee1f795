"""antikorupsi: scoring and reporting for KPK's Percontohan Kabupaten/Kota Antikorupsi.

The public surface, imported lazily so that ``import antikorupsi`` stays cheap::

    from antikorupsi import load_framework, load_regions, read_year, score_year

    fw = load_framework("kak-2025")
    regions = load_regions()
    a = score_year(fw, read_year("data/raw", 2025, fw, regions), regions)
    a.results                      # one row per region, ranked
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "Framework": "framework", "load_framework": "framework", "diff_frameworks": "framework",
    "load_regions": "regions", "national_regions": "regions",
    "YearInputs": "inputs", "read_year": "inputs",
    "Assessment": "scoring", "score_year": "scoring", "rescore": "scoring",
    "write_assessment": "store", "read_assessment": "store",
    "assess": "pipeline", "score_and_write": "pipeline",
    "Scenario": "whatif", "load_scenario": "whatif", "apply_scenario": "whatif",
    "compare": "whatif",
    "rank_uncertainty": "uncertainty", "rank_sensitivity": "uncertainty",
    "rank_change": "uncertainty",
    "AntikorupsiError": "errors", "InputError": "errors", "FrameworkError": "errors",
    "ScenarioError": "errors", "Problem": "errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'antikorupsi' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
