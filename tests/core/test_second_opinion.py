"""A learned second opinion on a note's category (issue #20): features read as the suggester
reads words, counts learned and shipped, a veto and a filled silence. The notes here are
written for these tests, none taken from a labelled set in `bench/data/`."""

from __future__ import annotations

import pytest

from board.core.second_opinion import (
    FILL_FROM,
    VETO_BELOW,
    Advice,
    CategoryModel,
    Opinion,
    combine,
    count,
    definitions,
    dump,
    features,
    parse,
)
from board.core.taxonomies import COPRODUCTION, WAKEFIELD


def test_features_read_words_as_the_suggester_does() -> None:
    assert features("Leaflets through the door") == features("leaflet through door")
    assert features("cyfarfod y gymuned") == features("cyfarfod cymuned")  # a soft mutation folded
    assert "meet" in features("mtg at the hall")  # a short form written out
    assert {"codesign", "tak part"} <= features("Residents took part in the co-design")


def test_a_model_learns_which_words_go_where_and_says_which_counted() -> None:
    examples = [
        ("Leaflets through every door about the new bins", "giving_information"),
        ("Posters in the library about the closure", "giving_information"),
        ("Online survey about the park", "getting_information"),
        ("Questionnaire in the post about the bins", "getting_information"),
    ]
    model = CategoryModel(count(WAKEFIELD, examples))
    told = model.opinion("leaflets about the swimming pool")
    asked = model.opinion("a survey about the swimming pool")
    assert told is not None
    assert asked is not None
    assert (told.category, asked.category) == ("giving_information", "getting_information")
    assert told.words[0] == "leaflet"
    assert set(told.probabilities) == set(WAKEFIELD.keys)
    assert sum(told.probabilities.values()) == pytest.approx(1.0)


def test_a_note_of_words_the_model_never_saw_gets_no_opinion() -> None:
    model = CategoryModel(count(WAKEFIELD, [("Leaflets about the bins", "giving_information")]))
    assert model.opinion("the weather was lovely") is None
    assert model.opinion("") is None


def _opinion(category: str, probability: float, others: dict[str, float]) -> Opinion:
    return Opinion(category, probability, {category: probability, **others}, ())


def test_a_suggestion_the_model_finds_very_unlikely_is_vetoed() -> None:
    unlikely = _opinion("participation", 0.97, {"giving_information": VETO_BELOW / 2})
    assert combine("giving_information", unlikely).advice is Advice.VETOED
    assert combine("giving_information", unlikely).category is None


def test_a_suggestion_the_model_only_ranks_lower_is_kept() -> None:
    second_best = _opinion("participation", 0.7, {"giving_information": 0.3})
    assert combine("giving_information", second_best) == combine("giving_information", None)
    assert combine("giving_information", second_best).category == "giving_information"
    assert combine("giving_information", second_best).advice is Advice.KEPT


def test_a_silence_is_filled_only_when_the_model_is_sure() -> None:
    sure = _opinion("participation", FILL_FROM, {"giving_information": 1 - FILL_FROM})
    unsure = _opinion("participation", FILL_FROM - 0.01, {"giving_information": 1.01 - FILL_FROM})
    assert (combine(None, sure).category, combine(None, sure).advice) == ("participation", Advice.FILLED)
    assert (combine(None, unsure).category, combine(None, unsure).advice) == (None, Advice.NONE)
    assert combine(None, None).advice is Advice.NONE


def test_counts_come_back_the_same_from_the_file_format() -> None:
    examples = [
        ("Leaflets through every door", "giving_information"),
        ("Leaflets and posters", "giving_information"),
        ("Leaflets with a reply slip", "getting_information"),
        ("Taflen drwy bob drws", "giving_information"),
    ]
    counts = [count(WAKEFIELD, examples), count(COPRODUCTION, definitions(COPRODUCTION))]
    assert list(parse(dump(counts)).values()) == counts
    assert counts[0].carried["leaflet"] == (2, 1, 0, 0, 0, 0)


def test_a_file_of_another_format_is_not_read() -> None:
    with pytest.raises(ValueError, match="format"):
        parse('{"format": 0, "taxonomies": {}}')
