"""board/core is the pure core (DESIGN.md §2): no I/O, no framework, no clock, no event loop."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "board" / "core"

FORBIDDEN_MODULES = {
    "asyncio",
    "socket",
    "subprocess",
    "threading",
    "multiprocessing",
    "os",
    "io",
    "pathlib",
    "shutil",
    "tempfile",
    "time",
    "datetime",
    "sqlite3",
    "urllib",
    "http",
    "ssl",
    "select",
    "selectors",
    "secrets",
    "starlette",
    "uvicorn",
    "websockets",
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "alembic",
    "redis",
    "httpx",
    "jinja2",
    "requests",
    "board.app",
    "board.store",
    "board.broker",
    "board.sync.hub",
    "board.sync.outlet",
    "board.settings",
    "board.cli",
    "board.services.workshops",
}
FORBIDDEN_CALLS = {"open", "input", "print", "exec", "eval", "__import__"}


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _forbidden(module: str) -> bool:
    return any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN_MODULES)


def test_core_modules_import_no_io_or_framework() -> None:
    offenders = {
        str(path.relative_to(CORE)): sorted(m for m in _imports(ast.parse(path.read_text())) if _forbidden(m))
        for path in CORE.rglob("*.py")
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_core_modules_call_no_io_builtins() -> None:
    calls = {}
    for path in CORE.rglob("*.py"):
        found = [
            node.func.id
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in FORBIDDEN_CALLS
        ]
        if found:
            calls[str(path.relative_to(CORE))] = found
    assert calls == {}


def test_the_guard_recognises_an_impure_module() -> None:
    tree = ast.parse("import asyncio\nfrom sqlalchemy import select\nfrom board.store.oplog import OpLog\n")
    assert sorted(m for m in _imports(tree) if _forbidden(m)) == [
        "asyncio",
        "board.store.oplog",
        "sqlalchemy",
    ]
