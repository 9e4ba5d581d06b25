"""Withdrawal codes (issue 10): readable aloud, typed any old way, stored only as a hash, and
what a code's holder may see and take back."""

from __future__ import annotations

import random
import re

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from board.core.model import Comment, Note, Vote
from board.core.ops import adopt
from board.core.state import BoardState
from board.core.withdrawal import (
    CODE_ALPHABET,
    CODE_LENGTH,
    chosen,
    code_hash,
    format_code,
    items,
    new_code,
    normalise_code,
    open_until,
)


def test_a_code_is_twelve_unambiguous_characters_in_three_groups() -> None:
    code = new_code(random.Random(7))
    assert len(code) == CODE_LENGTH
    assert not set(code) & set("0O1IL")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", format_code(code))
    assert len(CODE_ALPHABET) ** CODE_LENGTH > 10**17, "far beyond guessing at 20 tries a minute"


@given(st.randoms(use_true_random=False))
def test_a_code_however_it_is_typed_reads_back_as_itself(rng: random.Random) -> None:
    code = new_code(rng)
    shown = format_code(code)
    for typed in (shown, shown.lower(), code, f"  {shown.replace('-', ' ')} ", shown.replace("-", "–")):
        assert normalise_code(typed) == code


@given(st.text(max_size=80))
def test_anything_else_is_no_code_at_all(typed: str) -> None:
    code = normalise_code(typed)
    assert code is None or (len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET))


def test_codes_with_characters_the_alphabet_leaves_out_are_refused() -> None:
    assert normalise_code("ABCD-EFGH-JKM0") is None
    assert normalise_code("ABCD-EFGH-JKMI") is None
    assert normalise_code("ABCD-EFGH-JK") is None
    assert normalise_code("A" * 100) is None


def test_only_a_hash_is_kept_and_it_is_not_a_token_hash() -> None:
    import hashlib

    code = "ABCDEFGHJKMN"
    assert code_hash(code) != hashlib.sha256(code.encode()).hexdigest()
    assert code not in code_hash(code)
    assert len(code_hash(code)) == 64


def test_withdrawing_closes_at_the_cutoff_and_never_after_erasure() -> None:
    assert open_until(None, 1000) == 1000
    assert open_until(500, 1000) == 500
    assert open_until(5000, 1000) == 1000


def note(oid: str, text: str, created: int = 0) -> Note:
    return msgspec.convert(
        {"type": "note", "id": oid, "x": 0, "y": 0, "text": text, "created": created}, Note
    )


def test_a_holder_sees_only_what_they_made_with_the_text_a_vote_is_for() -> None:
    main = adopt(
        BoardState(),
        [
            (note("n1", "More buses", created=2), "me"),
            (note("n2", "Someone else's idea", created=1), "other"),
            (Vote(id="v1", target="n2", created=3), "me"),
            (Comment(id="c1", text="Yes please", target="n1", created=4), "other"),
            (Comment(id="c2", text="Agreed", target="n2", created=5), "me"),
        ],
    ).state
    breakout = adopt(BoardState(), [(note("b1", "Libraries", created=9), "me")]).state
    found = items({0: main, 2: breakout}, "me")
    assert [(i.ref, i.kind, i.text) for i in found] == [
        ("0:n1", "note", "More buses"),
        ("0:v1", "vote", "Someone else's idea"),
        ("0:c2", "comment", "Agreed"),
        ("2:b1", "note", "Libraries"),
    ]
    assert items({0: main}, "nobody") == []


def test_things_made_in_the_same_millisecond_are_listed_where_the_store_says_they_were_made() -> None:
    """Not in the order the board's state holds them: read back from the store it holds them
    in id order (`in_order`). What the store does not place (older rows) comes first, by id."""
    read_back = adopt(
        BoardState(),
        [(note(oid, oid, created=7), "me") for oid in ("a-old", "ant", "b-old", "moth", "zebra")],
    ).state
    made = {"0:zebra": 10, "0:moth": 11, "0:ant": 12}
    assert [i.id for i in items({0: read_back}, "me", made)] == ["a-old", "b-old", "zebra", "moth", "ant"]


def test_naming_someone_elses_item_picks_nothing_and_says_nothing() -> None:
    main = adopt(BoardState(), [(note("n1", "mine"), "me"), (note("n2", "theirs"), "other")]).state
    found = items({0: main}, "me")
    assert chosen(found, ["0:n1", "0:n2", "5:zz"]) == {0: {"n1"}}
    assert chosen(found, ["0:n2"]) == {}
