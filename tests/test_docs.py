"""docs/protocol.md stays true to the code: every bound with its value, every error code,
every message, op kind, object type and setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from board.core.errors import ErrorCode
from board.core.limits import describe
from board.core.model import OBJECT_TYPES, Settings
from board.core.ops import Op
from board.core.protocol import PROTOCOL_VERSION, ClientMessage, CloseCode, Notice, ServerMessage

PROTOCOL = (Path(__file__).resolve().parents[1] / "docs" / "protocol.md").read_text()


def _tags(union: object) -> list[str]:
    return [member.__struct_config__.tag for member in union.__args__]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "value"), [(name, value) for name, value, _ in describe()])
def test_every_bound_is_documented_with_its_value(name: str, value: float) -> None:
    row = re.search(rf"^\| `{name}` \| ([0-9.]+) \|", PROTOCOL, re.MULTILINE)
    assert row, f"{name} is missing from the limits table"
    assert float(row.group(1)) == value


@pytest.mark.parametrize("code", [code.value for code in ErrorCode])
def test_every_error_code_is_documented(code: str) -> None:
    assert re.search(rf"^\| `{code}` \|", PROTOCOL, re.MULTILINE)


@pytest.mark.parametrize(
    "name",
    _tags(ClientMessage)
    + [tag for tag in _tags(ServerMessage) if tag not in _tags(Notice)]
    + _tags(Op)
    + list(OBJECT_TYPES)
    + list(Settings.__struct_fields__),
)
def test_every_message_op_object_and_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in PROTOCOL


def test_the_documented_version_is_the_protocol_version() -> None:
    assert f"Protocol version: **{PROTOCOL_VERSION}**" in PROTOCOL


@pytest.mark.parametrize("kind", _tags(Notice))
def test_every_notice_kind_is_documented_with_its_frame(kind: str) -> None:
    assert f'"kind": "{kind}"' in PROTOCOL


def test_the_close_code_table_is_the_servers() -> None:
    table = PROTOCOL.split("## Close codes", 1)[1].split("\n\n", 2)[1]
    documented = {int(code) for code in re.findall(r"^\| (\d{4}) \|", table, flags=re.M)}
    assert documented == {code.value for code in CloseCode}


def test_every_picture_in_the_docs_is_made_by_the_browser_tests() -> None:
    """A picture a page shows is one `make screenshots` makes (so it can be made again when the
    screen changes), and every picture it makes is shown somewhere."""
    from tests.browser.docs_images import DOCS_IMG, IMAGES

    shown = {
        name
        for page in (Path(__file__).parent.parent / "docs").glob("*.md")
        for name in re.findall(r"\]\(img/([^)]+)\)", page.read_text(encoding="utf-8"))
    }
    assert shown == set(IMAGES)
    assert all((DOCS_IMG / name).is_file() for name in shown)
