"""The workshop templates in `sessions/`: reading them from disk and listing them.

A template is `sessions/<key>.yaml`; its key is its file name. Checking is pure
(`core/plan.py`); this module only reads the files, and keeps each parsed plan until its file
changes (by modification time and size), so listing templates on every dashboard visit reads
no YAML twice. A template that does not check out is never used: it is listed with its
problems, each naming the file and the line (`InvalidTemplate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from board.core.plan import KEY_PATTERN, InvalidTemplate, Plan, TemplateProblem, parse_template

ROOT: Final = Path(__file__).resolve().parents[2]
SESSIONS: Final = ROOT / "sessions"
SUFFIX: Final = ".yaml"
MAX_TEMPLATE_BYTES: Final = 262_144
"""Largest template file read (256 KiB); the biggest shipped one is a few KiB."""


@dataclass(frozen=True, slots=True)
class Templates:
    """Every template in a folder: those that check out, by key, and those that do not."""

    plans: dict[str, Plan]
    invalid: dict[str, InvalidTemplate]


def _display(path: Path) -> str:
    """The file as problems name it: relative to the project when inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


@lru_cache(maxsize=64)
def _parse(path: Path, modified: int, size: int) -> Plan | InvalidTemplate:
    """One file, parsed; cached by (path, mtime, size) so an edited file is read again."""
    if size > MAX_TEMPLATE_BYTES:
        rule = f"the template is larger than {MAX_TEMPLATE_BYTES} bytes"
        return InvalidTemplate((TemplateProblem(_display(path), None, "", rule),))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return InvalidTemplate((TemplateProblem(_display(path), None, "", f"cannot be read: {error}"),))
    return parse_template(text, _display(path), path.name.removesuffix(SUFFIX))


def load_file(path: Path) -> Plan | InvalidTemplate:
    """A template from any file (the key is its name without `.yaml`)."""
    try:
        stat = path.stat()
    except OSError as error:
        return InvalidTemplate((TemplateProblem(_display(path), None, "", f"cannot be read: {error}"),))
    return _parse(path, stat.st_mtime_ns, stat.st_size)


def load(key: str, folder: Path = SESSIONS) -> Plan | InvalidTemplate | None:
    """The template `key` from `folder`; None when there is no such file (or the key could
    not be a file name)."""
    if not KEY_PATTERN.match(key):
        return None
    path = folder / f"{key}{SUFFIX}"
    if not path.is_file():
        return None
    return load_file(path)


def templates(folder: Path = SESSIONS) -> Templates:
    """Every template in `folder`, in file-name order."""
    plans: dict[str, Plan] = {}
    invalid: dict[str, InvalidTemplate] = {}
    if folder.is_dir():
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            found = load_file(path)
            key = path.name.removesuffix(SUFFIX)
            if isinstance(found, Plan):
                plans[key] = found
            else:
                invalid[key] = found
    return Templates(plans, invalid)
