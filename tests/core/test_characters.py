"""[P7] The one rule for the characters of every string (core/characters.py): what it refuses,
that its quick pre-check never lets a forbidden string through however the JSON writes it, and
that `decode()` refuses every message field breaking it with `bad_character` and the field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from board.core import characters
from board.core.errors import ErrorCode, ProtocolError
from board.core.protocol import OpMessage, decode, encode_error, op_id_of

FORBIDDEN = [0x0, 0x1, 0x8, 0xB, 0xC, 0xE, 0x1F, 0xD800, 0xDFFF, 0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF]
FORBIDDEN += [plane * 0x10000 + end for plane in range(1, 17) for end in (0xFFFE, 0xFFFF)]
ALLOWED = [0x9, 0xA, 0xD, 0x20, 0x7F, 0x85, 0xA0, 0xFDCF, 0xFDF0, 0xFFFD, 0x1F600, 0x10FFFD, 0xE9]


@pytest.mark.parametrize("point", FORBIDDEN, ids=lambda p: f"U+{p:04X}")
def test_nul_controls_surrogates_and_noncharacters_are_refused(point: int) -> None:
    assert characters.bad_character(f"a{chr(point)}b") == f"U+{point:04X}"


@pytest.mark.parametrize("point", ALLOWED, ids=lambda p: f"U+{p:04X}")
def test_tab_new_lines_and_ordinary_characters_pass(point: int) -> None:
    assert characters.bad_character(f"a{chr(point)}b") is None


texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)


@given(texts)
def test_the_quick_check_never_misses_a_forbidden_string(text: str) -> None:
    """However a client's JSON writes the string (escaped or raw, text or bytes), a string the
    rule refuses is looked at: the fast path only ever skips strings that pass."""
    if characters.bad_character(text) is None:
        return
    for written in (json.dumps(text), json.dumps(text, ensure_ascii=False)):
        assert characters.may_hold(written)
        assert characters.may_hold(written.encode("utf-8", "surrogatepass"))


@given(texts)
def test_a_note_text_is_refused_exactly_when_the_rule_says(text: str) -> None:
    frame = json.dumps(
        {
            "type": "op",
            "id": "o1",
            "op": {"kind": "create", "obj": {"type": "note", "id": "n", "x": 0, "y": 0, "text": text}},
        }
    )
    decoded = decode(frame)
    if characters.bad_character(text) is None:
        assert isinstance(decoded, OpMessage)
    else:
        assert isinstance(decoded, ProtocolError)
        assert (decoded.code, decoded.field) == (ErrorCode.BAD_CHARACTER, "op.obj.text")
        assert characters.bad_character(text) in decoded.rule
        assert op_id_of(frame) == "o1"


@pytest.mark.parametrize(
    ("frame", "field"),
    [
        ('{"type":"op","id":"x\\u0000y","op":{"kind":"delete","id":"n"}}', "id"),
        (
            '{"type":"op","id":"o","op":{"kind":"update","id":"n","props":{"text":"\\ufffe"}}}',
            "op.props.text",
        ),
        ('{"type":"op","id":"o","op":{"kind":"settings","props":{"title":"a\\u0001"}}}', "op.props.title"),
        (
            '{"type":"op","id":"o","op":{"kind":"create","obj":{"type":"pollword","id":"p","text":"\\ud800"}}}',
            "op.obj.text",
        ),
        ('{"type":"hello","v":1,"board":"b","token":"t\\u0000"}', "token"),
        (
            '{"type":"op","id":"o","op":{"kind":"batch","ops":[{"kind":"update","id":"n","props":{"text":"\\u001f"}}]}}',
            "op.ops[0].props.text",
        ),
    ],
)
def test_every_string_field_is_checked_with_its_path(frame: str, field: str) -> None:
    decoded = decode(frame)
    assert isinstance(decoded, ProtocolError)
    assert (decoded.code, decoded.field) == (ErrorCode.BAD_CHARACTER, field)


def test_an_op_id_that_cannot_be_read_back_is_not_named() -> None:
    """An error names the op id only when the id itself is a string the client can match."""
    assert op_id_of('{"type":"op","id":"x\\u0000y","op":{"kind":"delete","id":"n"}}') is None
    assert op_id_of('{"type":"op","id":"inf","op":{"kind":"create","obj":{"x":1e999}}}') == "inf"
    assert op_id_of('{"type":"op","id":"nan","op":{"x":NaN}}') == "nan"


@pytest.mark.parametrize(
    ("frame", "field"),
    [
        ('{"type":"op","id":"o","op":{"kind":"update","id":"n","props":{"\\ud800":1}}}', "op.props.U+D800"),
        ('{"type":"cursor","x":1,"y":1,"a\\udfffb":2}', "aU+DFFFb"),
    ],
)
def test_a_key_breaking_the_rule_is_named_by_its_code_points_in_an_error_that_can_be_sent(
    frame: str, field: str
) -> None:
    """The error names the field, and half a surrogate pair has no UTF-8: named as it was, the
    error could not be encoded, and the socket went down instead of answering."""
    decoded = decode(frame)
    assert isinstance(decoded, ProtocolError)
    assert (decoded.code, decoded.field) == (ErrorCode.BAD_CHARACTER, field)
    assert json.loads(encode_error(decoded, op_id_of(frame)))["field"] == field
