"""A bilingual template's board text (`Text.texts`, `Frame.titles`): bounded like every other
string a client may send, carried as placed, and dropped once a person changes the text, so
that what they wrote is what everyone sees."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from board.core.effects import apply_effects, from_record, project, to_record
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.model import Frame, Text, Texts, Titles
from board.core.ops import Applied, Op, adopt, apply
from board.core.protocol import decode
from board.core.state import PUBLIC, Actor, BoardState, Viewer

FAC = Actor("fac", facilitator=True)
ALICE = Actor("alice")
PROMPT = Text(
    id="tpl-prompt",
    x=0.0,
    y=0.0,
    text="What matters?",
    texts=Texts(en="What matters?", cy="Beth sy'n bwysig?"),
)
COLUMN = Frame(id="tpl-f0", x=0.0, y=0.0, title="Ideas", titles=Titles(en="Ideas", cy="Syniadau"))


def laid_out() -> BoardState:
    return adopt(BoardState(), [(PROMPT, None), (COLUMN, None)]).state


def update(oid: str, **props: Any) -> Op:
    converted: Op = msgspec.convert({"kind": "update", "id": oid, "props": props}, Op)
    return converted


def create_frame(**texts: Any) -> str:
    obj = {"type": "text", "id": "t1", "x": 0, "y": 0, "text": "Hi", "texts": texts}
    return json.dumps({"type": "op", "id": "o1", "op": {"kind": "create", "obj": obj}})


def test_a_person_who_changes_a_template_text_makes_it_their_own_in_one_language() -> None:
    state = laid_out()
    applied = apply(state, update("tpl-prompt", text="Our question"), ALICE, 1000)
    assert isinstance(applied, Applied), applied
    assert applied.state.objects["tpl-prompt"] == Text(id="tpl-prompt", x=0.0, y=0.0, text="Our question")
    assert project(applied.effects, Viewer(PUBLIC)) == [
        {"op": "patch", "id": "tpl-prompt", "props": {"text": "Our question", "texts": None}}
    ], "every client drops the translations with the same patch"

    renamed = apply(state, update("tpl-f0", title="Our ideas"), FAC, 1000)
    assert isinstance(renamed, Applied), renamed
    frame = renamed.state.objects["tpl-f0"]
    assert isinstance(frame, Frame)
    assert (frame.title, frame.titles) == ("Our ideas", None)

    replayed = apply_effects(state, from_record(to_record(applied.effects)), None)
    assert replayed.objects["tpl-prompt"] == applied.state.objects["tpl-prompt"], "the op log replays it"


def test_moving_or_resizing_keeps_both_languages() -> None:
    moved = apply(laid_out(), update("tpl-prompt", x=50.0, w=600.0), ALICE, 1000)
    assert isinstance(moved, Applied), moved
    prompt = moved.state.objects["tpl-prompt"]
    assert isinstance(prompt, Text)
    assert prompt.texts == PROMPT.texts
    moved_frame = apply(laid_out(), update("tpl-f0", x=50.0), FAC, 1000)
    assert isinstance(moved_frame, Applied)
    assert moved_frame.state.objects["tpl-f0"] == msgspec.structs.replace(COLUMN, x=50.0)


def test_translations_are_bounded_like_the_text_they_stand_for() -> None:
    assert not isinstance(decode(create_frame(en="Hi", cy="Helo")), ProtocolError)
    too_long = decode(create_frame(en="Hi", cy="x" * (LIMITS.max_text_text + 1)))
    assert isinstance(too_long, ProtocolError)
    assert (too_long.code, too_long.field) == (ErrorCode.TOO_LONG, "op.obj.texts.cy")
    nul = decode(create_frame(en="Hi\u0000", cy="Helo"))
    assert isinstance(nul, ProtocolError)
    assert (nul.code, nul.field) == (ErrorCode.BAD_CHARACTER, "op.obj.texts.en")
    french = decode(create_frame(en="Hi", cy="Helo", fr="Salut"))
    assert isinstance(french, ProtocolError)
    assert french.field == "op.obj.texts.fr"
    missing = decode(create_frame(en="Hi"))
    assert isinstance(missing, ProtocolError)
    assert missing.code == ErrorCode.MISSING_FIELD
    title = {"type": "frame", "id": "f", "x": 0, "y": 0, "titles": {"en": "a", "cy": "b" * 201}}
    long_title = decode(json.dumps({"type": "op", "id": "o", "op": {"kind": "create", "obj": title}}))
    assert isinstance(long_title, ProtocolError)
    assert (long_title.code, long_title.field) == (ErrorCode.TOO_LONG, "op.obj.titles.cy")
