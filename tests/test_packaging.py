"""pyproject.toml and environment.yml must list the same dependencies (core and every extra)."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")


def _normalise(requirement: str) -> str:
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-") + spec.replace(" ", "")


def _pyproject_requirements():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = data["project"]
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    return {_normalise(r) for r in project["dependencies"] + extras}


def _environment_requirements():
    """conda's entries, and the pip section's for packages conda-forge does not carry (not ``-e .``)."""
    yaml = pytest.importorskip("yaml")   # PyYAML comes with JupyterLab
    entries = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda = {_normalise(e) for e in entries if isinstance(e, str) and not e.startswith(("python", "pip"))}
    pip_only = next((e["pip"] for e in entries if isinstance(e, dict) and "pip" in e), [])
    return conda | {_normalise(e) for e in pip_only if not e.startswith("-")}


def test_a_pip_only_requirement_counts_and_the_package_itself_does_not(tmp_path, monkeypatch):
    """The comparison sees the pip section (a missing pip-only package would fail it)."""
    (tmp_path / "environment.yml").write_text(
        "dependencies:\n  - numpy>=1.24\n  - pip:\n      - -e .\n      - some-pip-only>=1\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _environment_requirements() == {"numpy>=1.24", "some-pip-only>=1"}


def test_environment_yml_and_pyproject_list_the_same_dependencies():
    assert _environment_requirements() == _pyproject_requirements()


def test_environment_yml_installs_the_package_itself():
    yaml = pytest.importorskip("yaml")
    entries = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    pip_section = next(e["pip"] for e in entries if isinstance(e, dict))
    assert "-e ." in pip_section


def test_python_floor_is_3_10():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert data["project"]["requires-python"] == ">=3.10"


def test_the_declared_licences_have_their_files():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
    content = (ROOT / "LICENSE-CONTENT.md").read_text()
    assert "creativecommons.org/licenses/by/4.0/" in content
    assert set(project["license-files"]) == {"LICENSE", "LICENSE-CONTENT.md"}
