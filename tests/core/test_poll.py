"""The exit poll's words (issue 6): the word rule as `apply` enforces it, normalisation with
Welsh and emoji, counting, the blocklist, hidden words, the CSV."""

from __future__ import annotations

import csv
import io
import unicodedata

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from board.core.effects import project
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.model import PollWord, Settings
from board.core.ops import Applied, ChangeSettings, Create, Delete, Op, Update, apply
from board.core.poll import (
    Blocklist,
    WordCount,
    built_in_blocklist,
    clean,
    counts_csv,
    find,
    hide_keys,
    refusal,
    tally,
    words,
)
from board.core.protocol import OpMessage, decode
from board.core.state import Actor, BoardState, Viewer

OPEN = Settings(poll_open=True)
ALICE = Actor("alice")
BOB = Actor("bob")
FACILITATOR = Actor("fac", facilitator=True)


def answer(state: BoardState, actor: Actor, text: str, oid: str = "w1") -> Applied | ProtocolError:
    return apply(state, Create(obj=PollWord(id=oid, text=text)), actor, now=1)


def refused(outcome: Applied | ProtocolError) -> ProtocolError:
    assert isinstance(outcome, ProtocolError), outcome
    return outcome


def accepted(outcome: Applied | ProtocolError) -> BoardState:
    assert isinstance(outcome, Applied), outcome
    return outcome.state


# --- the word rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Inspired",
        "inspired!",
        "  INSPIRED  ",
        "hopeful, tired",
        "well-being",
        "Loved it.",
        "i'r gymuned",
        "ysbrydoledig 🎉",
        "🎉 hapus iawn 🎉",
        "Llanfairpwllgwyngyll",
        "10/10",
        "gŵr ŷd",
    ],
)
def test_one_or_two_words_are_accepted(text: str) -> None:
    assert refusal(text, OPEN, 0) is None
    accepted(answer(BoardState(settings=OPEN), ALICE, text))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I really enjoyed today's session", "5 words"),
        ("Roedd hi'n sesiwn dda iawn", "5 words"),
        ("good but long", "3 words"),
        ("🎉", "no words"),
        ("🎉🎉 👍", "no words"),
        ("!!!", "no words"),
        ("   ", "no words"),
        ("— …", "no words"),
    ],
)
def test_a_sentence_or_an_empty_answer_is_refused_with_the_rule(text: str, found: str) -> None:
    error = refused(answer(BoardState(settings=OPEN), ALICE, text))
    assert error.code is ErrorCode.NOT_ONE_OR_TWO_WORDS
    assert error.field == "obj.text"
    assert "one to 2 words, not a sentence" in error.rule
    assert found in error.rule


def test_the_word_limit_is_the_boards_setting() -> None:
    one = BoardState(settings=Settings(poll_open=True, poll_words=1))
    error = refused(answer(one, ALICE, "very good"))
    assert error.code is ErrorCode.NOT_ONE_OR_TWO_WORDS
    assert "one word" in error.rule
    accepted(answer(one, ALICE, "good"))
    three = BoardState(settings=Settings(poll_open=True, poll_words=3))
    accepted(answer(three, ALICE, "good but long"))


def test_an_answer_over_the_length_limit_is_refused_not_truncated() -> None:
    long = "a" * (LIMITS.max_poll_text + 1)
    message = {
        "type": "op",
        "id": "o1",
        "op": {"kind": "create", "obj": {"type": "pollword", "id": "w", "text": long}},
    }
    error = decode(msgspec.json.encode(message))
    assert isinstance(error, ProtocolError)
    assert error.code is ErrorCode.TOO_LONG
    assert error.field == "op.obj.text"
    empty = decode(
        msgspec.json.encode(
            {**message, "op": {"kind": "create", "obj": {"type": "pollword", "id": "w", "text": ""}}}
        )
    )
    assert isinstance(empty, ProtocolError)
    fits = decode(
        msgspec.json.encode(
            {**message, "op": {"kind": "create", "obj": {"type": "pollword", "id": "w", "text": "ok"}}}
        )
    )
    assert isinstance(fits, OpMessage)


def test_answers_are_refused_while_the_poll_is_closed_and_taken_once_it_opens() -> None:
    closed = BoardState()
    assert refused(answer(closed, ALICE, "hopeful")).code is ErrorCode.POLL_CLOSED
    opening = msgspec.json.decode(b'{"kind": "settings", "props": {"poll_open": true}}', type=Op)
    assert isinstance(opening, ChangeSettings)
    state = accepted(apply(closed, opening, FACILITATOR, 1))
    accepted(answer(state, ALICE, "hopeful"))


def test_only_facilitators_open_the_poll() -> None:
    op = msgspec.json.decode(b'{"kind": "settings", "props": {"poll_open": true}}', type=Op)
    assert refused(apply(BoardState(), op, ALICE, 1)).code is ErrorCode.FORBIDDEN


def test_one_person_gives_at_most_the_limit_of_answers() -> None:
    state = BoardState(settings=OPEN)
    for i in range(LIMITS.max_poll_entries):
        state = accepted(answer(state, ALICE, f"word{i}", oid=f"a{i}"))
    error = refused(answer(state, ALICE, "another", oid="extra"))
    assert error.code is ErrorCode.TOO_MANY
    accepted(answer(state, BOB, "another", oid="bob1"))


def test_an_answer_is_seen_by_its_author_and_facilitators_only() -> None:
    outcome = answer(BoardState(settings=OPEN), ALICE, "hopeful")
    assert isinstance(outcome, Applied)
    assert project(outcome.effects, Viewer("alice"))[0]["op"] == "put"
    assert project(outcome.effects, Viewer(facilitator=True))[0]["op"] == "put"
    assert project(outcome.effects, Viewer("bob")) == []
    assert project(outcome.effects, Viewer()) == []
    assert [obj.id for obj in outcome.state.visible(Viewer("bob"))] == []


def test_an_answer_in_private_mode_is_not_marked_private() -> None:
    state = accepted(
        answer(BoardState(settings=Settings(poll_open=True, private_mode=True)), ALICE, "hopeful")
    )
    assert state.objects["w1"].private is False


def test_an_answer_cannot_be_changed_only_withdrawn_by_its_author() -> None:
    state = accepted(answer(BoardState(settings=OPEN), ALICE, "hopeful"))
    change = msgspec.json.decode(b'{"kind": "update", "id": "w1", "props": {"x": 1}}', type=Op)
    assert isinstance(change, Update)
    assert refused(apply(state, change, ALICE, 2)).code is ErrorCode.FORBIDDEN
    assert refused(apply(state, Delete(id="w1"), BOB, 2)).code is ErrorCode.NOT_FOUND
    assert "w1" not in accepted(apply(state, Delete(id="w1"), ALICE, 2)).objects
    assert "w1" not in accepted(apply(state, Delete(id="w1"), FACILITATOR, 2)).objects


def test_answering_and_withdrawing_work_on_a_locked_board_but_not_a_closed_workshop() -> None:
    locked = BoardState(settings=Settings(poll_open=True, locked=True))
    state = accepted(answer(locked, ALICE, "hopeful"))
    accepted(apply(state, Delete(id="w1"), ALICE, 2))
    closed = BoardState(settings=Settings(poll_open=True, closed=True))
    assert refused(answer(closed, ALICE, "hopeful")).code is ErrorCode.READ_ONLY


# --- normalising and counting ------------------------------------------------------------------


def counted(*answers: str, **options: object) -> dict[str, int]:
    return tally(answers, **options).counts()  # type: ignore[arg-type]


def test_case_punctuation_and_spaces_do_not_split_a_word() -> None:
    assert counted("Inspired", "inspired!", " INSPIRED ", "inspired") == {"inspired": 4}
    assert counted("  hopeful   and  tired ") == {"hopeful and tired": 1}
    assert clean("  “Well  done!”  ") == "Well done"
    assert clean("\u00a0diolch\u2003") == "diolch"


def test_the_most_used_form_is_shown_lower_case_winning_ties() -> None:
    assert counted("Inspired", "Inspired", "inspired") == {"Inspired": 3}
    assert counted("Inspired", "inspired") == {"inspired": 2}
    assert counted("NHS", "NHS", "nhs") == {"NHS": 3}


def test_welsh_mutations_count_as_one_word_shown_as_written_most() -> None:
    assert counted("cymuned", "gymuned", "nghymuned", "chymuned", "cymuned") == {"cymuned": 5}
    assert counted("gymuned", "gymuned", "Cymuned") == {"gymuned": 3}
    assert counted("y gymuned", "cymuned") == {"cymuned": 2}


def test_welsh_letters_are_kept_and_accents_tell_words_apart() -> None:
    assert counted("tân", "Tân", "tan") == {"tân": 2, "tan": 1}
    assert counted("gŵr", "GŴR") == {"gŵr": 2}
    assert counted("Ŵyr", "ŵyr") == {"ŵyr": 2}


def test_unicode_forms_are_one_word() -> None:
    composed = "tân"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert counted(composed, decomposed) == {"tân": 2}


def test_emoji_around_a_word_go_and_emoji_alone_are_no_answer() -> None:
    assert counted("hapus 😀", "😀 hapus", "hapus!! 🎉🎉") == {"hapus": 3}
    assert counted("🎉", "👍🏽") == {}
    assert words("👍🏽") == []
    assert words("love❤️it") == ["love", "it"]


def test_counts_run_from_most_to_least_then_alphabetically() -> None:
    result = tally(["b", "a", "c", "c", "B"]).shown
    assert [(w.word, w.count) for w in result] == [("b", 2), ("c", 2), ("a", 1)]


@given(
    st.lists(
        st.sampled_from(["Inspired", "inspired!", "gymuned", "cymuned", "tân", "tan", "🎉 fun", "Fun"]),
        max_size=30,
    ),
    st.randoms(),
)
def test_the_tally_does_not_depend_on_the_order_of_answers(answers: list[str], rng: object) -> None:
    shuffled = list(answers)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert tally(answers) == tally(shuffled)
    assert sum(tally(answers).counts().values()) == sum(1 for a in answers if words(a))


# --- the blocklist and hidden words --------------------------------------------------------------


def test_blocked_words_leave_the_cloud_and_are_counted_apart() -> None:
    blocklist = Blocklist.parse("# a comment\nrubbish\nwaste of time # a phrase\n")
    result = tally(
        ["Rubbish!", "rubbish day", "RUBBISH", "waste of time", "useful", "timely"], blocklist=blocklist
    )
    assert result.counts() == {"timely": 1, "useful": 1}
    assert {w.word: w.count for w in result.blocked} == {"Rubbish": 2, "rubbish day": 1, "waste of time": 1}
    assert result.answers == 6


def test_the_blocklist_ignores_case_accents_and_mutations_but_not_parts_of_words() -> None:
    blocked = built_in_blocklist()
    result = tally(
        ["cachu", "Gachu", "chachu", "Scunthorpe", "grassland", "cockle", "SHIT!"], blocklist=blocked
    )
    assert result.counts() == {"cockle": 1, "grassland": 1, "Scunthorpe": 1}
    assert sum(w.count for w in result.blocked) == 4


def test_a_servers_own_list_adds_to_the_built_in_one() -> None:
    mine = built_in_blocklist() | Blocklist.parse("sprout\n")
    assert tally(["sprout", "cachu", "kale"], blocklist=mine).counts() == {"kale": 1}


def test_a_hidden_word_stays_hidden_however_it_is_written() -> None:
    before = tally(["cymuned", "useful", "Useful"])
    word = find(before.shown, "cymuned")
    assert word is not None
    hidden = hide_keys(word)
    after = tally(["cymuned", "Gymuned", "nghymuned", "useful", "Useful"], hidden=hidden)
    assert after.counts() == {"useful": 2}
    assert [(w.word, w.count) for w in after.hidden] == [("cymuned", 3)]
    assert find(after.shown, "USEFUL") is not None
    assert find(after.shown, "nothing") is None


# --- the CSV -----------------------------------------------------------------------------------


def test_the_counts_csv_has_a_bom_and_neutralised_formulas() -> None:
    shown = tally(["gŵr", "gŵr", "useful"]).shown
    body = counts_csv([*shown, WordCount("=cmd|' /C calc'!A0", 1, "x")])
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["word", "count"], ["gŵr", "2"], ["useful", "1"], ["'=cmd|' /C calc'!A0", "1"]]
    assert body.count(b"\r\n") == 4
    assert clean("=HYPERLINK(x)") == "HYPERLINK(x", "a formula's leading = is stripped before counting"
