"""uv.lock is what a fresh machine installs: it must say the same as pyproject.toml.

`uv sync --locked` (make run, make test, .ci/run, the Dockerfile) refuses a stale lock, but
only when it runs; this test names the difference, dependency by dependency, in every
`make test`: a dependency added to one file and not the other, or a range changed in one.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _declared() -> set[tuple[str, frozenset[str], str, str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = set()
    for line in project["dependencies"]:
        found.add(_key(Requirement(line), extra=None))
    for extra, lines in project["optional-dependencies"].items():
        for line in lines:
            found.add(_key(Requirement(line), extra=extra))
    return found


def _key(requirement: Requirement, extra: str | None) -> tuple[str, frozenset[str], str, str]:
    marker = f"extra == '{extra}'" if extra else ""
    return (
        canonicalize_name(requirement.name),
        frozenset(requirement.extras),
        str(requirement.specifier),
        marker,
    )


def _locked_project() -> dict[str, Any]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    name = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    projects: list[dict[str, Any]] = [package for package in lock["package"] if package["name"] == name]
    assert len(projects) == 1, f"uv.lock holds {name} {len(projects)} times"
    return projects[0]


def _locked() -> set[tuple[str, frozenset[str], str, str]]:
    return {
        (
            canonicalize_name(entry["name"]),
            frozenset(entry.get("extras", ())),
            str(SpecifierSet(entry.get("specifier", ""))),
            entry.get("marker", ""),
        )
        for entry in _locked_project()["metadata"]["requires-dist"]
    }


def test_the_lock_holds_exactly_the_dependencies_pyproject_declares() -> None:
    declared, locked = _declared(), _locked()
    assert declared - locked == set(), "in pyproject.toml, not in uv.lock: run `make lock`"
    assert locked - declared == set(), "in uv.lock, not in pyproject.toml: run `make lock`"


def test_the_lock_offers_every_extra_pyproject_declares() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert sorted(_locked_project()["metadata"]["provides-extras"]) == sorted(
        project["optional-dependencies"]
    )


def test_every_locked_download_has_a_hash() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    downloads = [
        (package["name"], artifact)
        for package in lock["package"]
        for artifact in [*package.get("wheels", []), *filter(None, [package.get("sdist")])]
    ]
    assert downloads
    assert [name for name, artifact in downloads if not artifact.get("hash", "").startswith("sha256:")] == []
