"""pyproject.toml and the locks in requirements/ agree: every range of every extra a bootstrap
target installs is met by the version its lock pins, and every pin carries hashes.

A failure here means a dependency changed without ``scripts/lock.sh`` being run."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).parents[1]
REQUIREMENTS = ROOT / "requirements"

# scripts/bootstrap.sh's targets and the extras each installs.
TARGETS = {
    "service": ("service",),
    "console": ("console",),
    "all": ("service", "console"),
    "cuda": ("service", "cuda"),
    "dev": ("dev", "train"),
}
# The lock is made for the README's machine: Python 3.11 on Linux.
ENVIRONMENT = {
    "python_version": "3.11",
    "python_full_version": "3.11.7",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "platform_machine": "x86_64",
}

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)\s*(?:;[^\\]*)?\\?$")


def _pins(lock: Path) -> dict[str, tuple[Version, int]]:
    """Name → (version, number of hashes) of each pin in a ``uv pip compile`` lock."""
    pins: dict[str, tuple[Version, int]] = {}
    name = ""
    for line in lock.read_text().splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match[1])
            pins[name] = (Version(match[2]), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
    return pins


def _wanted(extras: tuple[str, ...]) -> list[Requirement]:
    """The project's requirements for these extras, its own extras expanded, plus build.in."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    optional: dict[str, list[str]] = project["optional-dependencies"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for spec in optional[extra]:
            requirement = Requirement(spec)
            if canonicalize_name(requirement.name) == project["name"]:
                todo += sorted(requirement.extras)
            else:
                wanted.append(requirement)
    build = (REQUIREMENTS / "build.in").read_text().splitlines()
    wanted += [Requirement(line) for line in build if line and not line.startswith("#")]
    return [r for r in wanted if r.marker is None or r.marker.evaluate(ENVIRONMENT)]


def _removed() -> set[str]:
    """Packages requirements/overrides.txt takes out of every lock (marker never true)."""
    removed: set[str] = set()
    for line in (REQUIREMENTS / "overrides.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate(ENVIRONMENT):
                removed.add(canonicalize_name(requirement.name))
    return removed


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_each_lock_meets_every_range_of_its_extras(target: str) -> None:
    pins = _pins(REQUIREMENTS / f"{target}.txt")
    assert pins, f"requirements/{target}.txt pins nothing"
    problems = []
    for requirement in _wanted(TARGETS[target]):
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement} is not in the lock")
        elif not requirement.specifier.contains(pins[name][0], prereleases=True):
            problems.append(f"{requirement} but the lock pins {pins[name][0]}")
    assert not problems, f"requirements/{target}.txt: run scripts/lock.sh: {problems}"


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_pin_has_hashes_and_nothing_overridden_is_locked(target: str) -> None:
    pins = _pins(REQUIREMENTS / f"{target}.txt")
    assert [name for name, (_, hashes) in pins.items() if hashes == 0] == []
    assert _removed() & set(pins) == set()


def test_the_constraints_are_what_the_locks_pin() -> None:
    lines = (REQUIREMENTS / "constraints.txt").read_text().splitlines()
    for constraint in [Requirement(x) for x in lines if x and not x.startswith("#")]:
        for target in TARGETS:
            pinned = _pins(REQUIREMENTS / f"{target}.txt").get(canonicalize_name(constraint.name))
            if pinned:
                assert constraint.specifier.contains(pinned[0]), (target, constraint, pinned)
