"""decode(): every frame becomes a typed message or an error naming the field and the rule."""

from __future__ import annotations

import pytest

from board.core.errors import ErrorCode, ProtocolError
from board.core.protocol import decode, op_id_of


@pytest.mark.parametrize(
    "frame",
    [
        '{"type":"op","id":"x","op":' + "[" * 60000 + "]" * 60000 + "}",
        '{"type":"op","op":' + "[" * 60000 + "]" * 60000 + ',"id":"x"}',
        "[" * 65000 + "]" * 65000,
    ],
)
def test_deeply_nested_json_is_refused_not_a_crash(frame: str) -> None:
    result = decode(frame)
    assert isinstance(result, ProtocolError)
    assert result.code in (ErrorCode.BAD_JSON, ErrorCode.WRONG_TYPE)
    assert op_id_of(frame) in (None, "x")


def test_a_frame_that_is_not_json_is_refused() -> None:
    result = decode(b"\xff\xfe not json")
    assert isinstance(result, ProtocolError)
    assert result.code is ErrorCode.BAD_JSON


def test_the_op_id_of_a_refused_op_is_found_for_the_error() -> None:
    frame = '{"type":"op","id":"mine-1","op":{"kind":"create","obj":{"type":"note"}}}'
    assert op_id_of(frame) == "mine-1"
    assert op_id_of('{"type":"cursor","id":"mine-1"}') is None


def test_the_presenter_page_knows_the_same_screens_as_the_server() -> None:
    """`PRESENTER_SCREENS` and the presenter page's `SHOWS` are one list in two languages: a
    screen added to one only would be refused by the server or never offered by the page."""
    import re
    from pathlib import Path

    from board.core.protocol import PRESENTER_BOARD, PRESENTER_SCREENS

    channel = Path(__file__).parents[2] / "static" / "js" / "presenter" / "channel.js"
    source = channel.read_text(encoding="utf-8")
    listed = re.search(r"export const SHOWS = Object\.freeze\(\[(.*?)\]\)", source, re.S)
    assert listed is not None
    assert tuple(re.findall(r'"([^"]*)"', listed[1])) == PRESENTER_SCREENS
    board = re.search(r"/(\^board-.*?\$)/", source)
    assert board is not None
    for show in ("board-0", "board-7", "board-42", "board-100", "board-", "board-x", "board-07x"):
        assert bool(re.fullmatch(board[1], show)) == bool(PRESENTER_BOARD.fullmatch(show)), show
