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
