"""The dependency direction of ARCHITECTURE.md, checked on every import in the package."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

import gtvision.contract
from gtvision.contract._common import Request

PACKAGE = Path(__file__).resolve().parents[1] / "gtvision"

# Who may not import whom: the console reaches the service only over HTTP, and the libraries
# (contract, onvif, inference) know neither UI nor service.
FORBIDDEN = {
    "console": ("gtvision.services",),
    "contract": ("gtvision.services", "gtvision.console", "gtvision.onvif", "gtvision.inference"),
    "onvif": ("gtvision.services", "gtvision.console", "gtvision.inference"),
    "inference": ("gtvision.services", "gtvision.console", "gtvision.onvif"),
    "services": ("gtvision.console",),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("area", sorted(FORBIDDEN))
def test_dependency_direction(area: str) -> None:
    files = sorted((PACKAGE / area).rglob("*.py"))
    assert files, f"gtvision/{area} has no modules"
    crossings = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in files
        for name in _imports(path)
        if name.startswith(FORBIDDEN[area])
    ]
    assert crossings == []


def test_only_the_store_builds_sql() -> None:
    """Routes and service layers call store functions; SQLAlchemy's builders stay in store/."""
    builders = {"select", "update", "delete", "insert", "text"}
    offenders = []
    for path in sorted((PACKAGE / "services").rglob("*.py")):
        if "store" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy":
                offenders += [f"{path.name}: {a.name}" for a in node.names if a.name in builders]
    assert offenders == []


def test_every_model_inside_a_request_body_is_a_request() -> None:
    """``Request`` refuses unknown fields, NUL and quiet type conversion; a nested model that
    is a plain ``BaseModel`` let ``"fps": true`` through as 1.0 (found by the fuzzer)."""
    plain: set[str] = set()
    seen: set[type] = set()

    def walk(annotation: object, owner: str) -> None:
        for arg in typing.get_args(annotation):
            walk(arg, owner)
        if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
            if not issubclass(annotation, Request):
                plain.add(f"{annotation.__name__} (in {owner})")
            if annotation not in seen:
                seen.add(annotation)
                for field in annotation.model_fields.values():
                    walk(field.annotation, annotation.__name__)

    bodies = 0
    for info in pkgutil.iter_modules(gtvision.contract.__path__):
        module = importlib.import_module(f"gtvision.contract.{info.name}")
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, Request) and value is not Request:
                bodies += 1
                walk(value, value.__name__)
    assert bodies > 20
    assert plain == set()
