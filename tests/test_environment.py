"""environment.yml (conda users) stays consistent with requirements.lock and pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text("utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[_norm(name)] = version
    return pins


def conda_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for spec in dep["pip"]:
                spec = spec.split("#")[0].strip()
                if "==" in spec:
                    name, version = spec.split("==")
                    pins[_norm(name)] = version
        elif "=" in dep:
            name, version = dep.split("=")
            pins[_norm(name)] = version
    return pins


def direct_dependencies() -> set[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    deps = list(meta["dependencies"])
    for extra in meta["optional-dependencies"].values():
        deps.extend(extra)
    return {_norm(re.split(r"[\[<>=~ ;]", d)[0]) for d in deps}


def test_conda_pins_equal_the_lock() -> None:
    lock, conda = lock_pins(), conda_pins()
    conda.pop("python")
    assert {n: (v, lock.get(n)) for n, v in conda.items() if lock.get(n) != v} == {}


def test_every_direct_dependency_is_pinned_in_both() -> None:
    lock, conda = lock_pins(), conda_pins()
    direct = direct_dependencies()
    assert sorted(direct - set(lock)) == []
    assert sorted(direct - set(conda)) == []


def test_environment_installs_the_project_itself() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip
