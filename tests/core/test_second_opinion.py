"""A learned second opinion on a note's category (issue #20): features read as the suggester
reads words, counts learned and shipped, a veto and a filled silence. The notes here are
written for these tests, none taken from a labelled set in `bench/data/`."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from importlib import resources

import pytest

from board.core.categorise import Learned, Suggester, suggester
from board.core.second_opinion import (
    FILL_FROM,
    MODEL_FILE,
    NONE_OF_THEM,
    SURE_STANDS,
    VETO_BELOW,
    Advice,
    CategoryModel,
    Opinion,
    Verdict,
    combine,
    count,
    definitions,
    dump,
    features,
    model_for,
    parse,
    shipped,
)
from board.core.taxonomies import BUILT_IN, COPRODUCTION, WAKEFIELD, Taxonomy, taxonomy_from_data
from board.core.tokens import split_words

RETRAIN = "train it again: python -m bench.second_opinion --write"


def opinion_of(text: str, taxonomy: Taxonomy) -> Opinion:
    model = model_for(taxonomy)
    assert model is not None
    found = model.opinion(text)
    assert found is not None
    return found


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
    assert set(told.probabilities) == {*WAKEFIELD.keys, NONE_OF_THEM}
    assert sum(told.probabilities.values()) == pytest.approx(1.0)


def test_a_note_of_words_the_model_never_saw_gets_no_opinion() -> None:
    model = CategoryModel(count(WAKEFIELD, [("Leaflets about the bins", "giving_information")]))
    assert model.opinion("the weather was lovely") is None
    assert model.opinion("") is None


def _opinion(category: str, probability: float, others: dict[str, float]) -> Opinion:
    return Opinion(category, probability, {category: probability, **others}, ())


def test_a_suggestion_the_model_finds_very_unlikely_is_vetoed() -> None:
    unlikely = _opinion("participation", FILL_FROM - 0.01, {"giving_information": VETO_BELOW / 2})
    assert combine("giving_information", 0.5, unlikely).advice is Advice.VETOED
    assert combine("giving_information", 0.5, unlikely).category is None


def test_a_weak_suggestion_gives_way_to_a_model_sure_of_another_category() -> None:
    """Where the words are weak and the model is sure (`FILL_FROM`) of another category, the
    model's category is suggested instead of none, as where the words say nothing."""
    sure = _opinion("participation", FILL_FROM, {"giving_information": VETO_BELOW / 2})
    assert combine("giving_information", 0.5, sure) == Verdict("participation", Advice.OVERRULED)
    unsure = _opinion("participation", FILL_FROM - 0.01, {"giving_information": 0.2})
    assert combine("giving_information", 0.5, unsure) == Verdict("giving_information", Advice.KEPT)
    agrees = _opinion("giving_information", 0.97, {"participation": 0.03})
    assert combine("giving_information", 0.5, agrees) == Verdict("giving_information", Advice.KEPT)


def test_a_suggestion_the_model_only_ranks_lower_is_kept() -> None:
    second_best = _opinion("participation", 0.7, {"giving_information": 0.3})
    assert combine("giving_information", 0.5, second_best) == combine("giving_information", 0.5, None)
    assert combine("giving_information", 0.5, second_best).category == "giving_information"
    assert combine("giving_information", 0.5, second_best).advice is Advice.KEPT


def test_a_silence_is_filled_only_when_the_model_is_sure() -> None:
    sure = _opinion("participation", FILL_FROM, {"giving_information": 1 - FILL_FROM})
    unsure = _opinion("participation", FILL_FROM - 0.01, {"giving_information": 1.01 - FILL_FROM})
    assert (combine(None, None, sure).category, combine(None, None, sure).advice) == (
        "participation",
        Advice.FILLED,
    )
    assert (combine(None, None, unsure).category, combine(None, None, unsure).advice) == (None, Advice.NONE)
    assert combine(None, None, None).advice is Advice.NONE


def test_a_likeness_is_never_vetoed_and_gives_way_only_to_a_surer_model() -> None:
    """A suggestion from the workshop's confirmed notes may rest on the workshop's own names for
    things, which the model never saw: it is not vetoed; but a weak likeness gives way to a
    model sure of another category and surer than the likeness."""
    unlikely = _opinion("participation", 0.97, {"giving_information": VETO_BELOW / 2})
    unsure = _opinion("participation", FILL_FROM - 0.01, {"giving_information": 1.01 - FILL_FROM})
    assert combine("giving_information", 0.5, unlikely, like=True) == Verdict(
        "participation", Advice.OVERRULED
    )
    assert combine("giving_information", 0.5, unsure, like=True) == Verdict("giving_information", Advice.KEPT)
    assert combine("giving_information", 0.98, unlikely, like=True).advice is Advice.KEPT  # as alike as sure
    agrees = _opinion("giving_information", 0.97, {"participation": 0.03})
    assert combine("giving_information", 0.5, agrees, like=True).advice is Advice.KEPT
    assert combine("giving_information", 0.5, None, like=True).advice is Advice.KEPT
    unlikely_unsure = _opinion("participation", FILL_FROM - 0.01, {"giving_information": VETO_BELOW / 2})
    assert combine("giving_information", 0.5, unlikely_unsure, like=True).advice is Advice.KEPT  # no veto


JURY_NOTES = [
    ("citizens jury weighed the evidence and gave its verdict", "participation"),
    ("jury of residents gave a verdict on the parking plan", "participation"),
    ("a jury of local people heard evidence on the bus lanes", "participation"),
    ("the jury's verdict on the library", "participation"),
    ("jurors gave their verdict", "participation"),
    ("a jury on the new housing", "participation"),
    ("sat on the jury for the high street", "participation"),
    ("jury on the leisure centre", "participation"),
    ("the youth jury", "participation"),
    ("a jury of tenants", "participation"),
    ("leaflets through every door about the bins", "giving_information"),
    ("survey online about the park", "getting_information"),
]


def test_a_weak_likeness_to_a_confirmed_note_gives_way_to_a_sure_model() -> None:
    """A note sharing only its street's name with a confirmed note is not that note's kind:
    the model, sure what a jury is, decides; a copy of the confirmed note still goes with it."""
    matcher = Suggester(WAKEFIELD, model=CategoryModel(count(WAKEFIELD, JURY_NOTES)))
    confirmed = "Hafod Road 20mph zones talked over in the church hall"
    note = "jury on the Hafod Road 20mph zones"
    learned = Learned(matcher, [(confirmed, "forums_for_debate")], [note, confirmed])
    by_likeness = matcher.by_words(note, learned)
    assert by_likeness is not None
    assert by_likeness.like == confirmed  # what it was before the model weighed it
    assert by_likeness.category == "forums_for_debate"
    found = matcher.suggest(note, learned)
    assert found is not None
    assert (found.category, found.like, found.matched) == ("participation", None, "jury")
    again = matcher.suggest(confirmed, learned)
    assert again is not None
    assert (again.category, again.like) == ("forums_for_debate", confirmed)


def test_a_model_sure_a_note_is_about_none_of_them_suggests_nothing() -> None:
    """A silence stays a silence and weak words are not suggested where the model is sure the
    note is about no way of being engaged; a likeness to the workshop's own notes stays."""
    nothing = _opinion(NONE_OF_THEM, FILL_FROM, {"giving_information": 0.02})
    assert combine(None, None, nothing) == Verdict(None, Advice.NONE)
    assert combine("giving_information", 0.5, nothing) == Verdict(None, Advice.VETOED)
    assert combine("giving_information", 0.5, nothing, like=True).advice is Advice.KEPT
    assert combine("giving_information", SURE_STANDS, nothing).advice is Advice.KEPT


def test_notes_about_nothing_teach_the_model_to_say_so() -> None:
    examples = [
        ("The best bit was the vote on the new park", "empowerment"),
        ("Best thing: we chose the play equipment by ballot", "empowerment"),
        ("Leaflets about the bins", "giving_information"),
    ]
    unplaced = [
        "best thing about today? the tea",
        "lovely cake, thanks",
        "who made the cake?",
        "more cake please",
    ]
    without = CategoryModel(count(WAKEFIELD, examples)).opinion("best thing was the cake")
    assert without is not None
    assert without.category == "empowerment"
    learned = CategoryModel(count(WAKEFIELD, examples, unplaced)).opinion("best thing was the cake")
    assert learned is not None
    assert learned.category == NONE_OF_THEM


def test_counts_come_back_the_same_from_the_file_format() -> None:
    examples = [
        ("Leaflets through every door", "giving_information"),
        ("Leaflets and posters", "giving_information"),
        ("Leaflets with a reply slip", "getting_information"),
        ("Taflen drwy bob drws", "giving_information"),
    ]
    counts = [count(WAKEFIELD, examples), count(COPRODUCTION, definitions(COPRODUCTION))]
    assert list(parse(dump(counts)).values()) == counts
    assert counts[0].carried["leaflet"] == (2, 1, 0, 0, 0, 0, 0)  # the last: none of them


def test_a_file_of_another_format_is_not_read() -> None:
    with pytest.raises(ValueError, match="format"):
        parse('{"format": 0, "taxonomies": {}}')


def test_every_built_in_taxonomy_has_a_current_model() -> None:
    """The shipped counts were learned reading words as `features` reads them now, from the
    taxonomies' definitions as they are now: if not, the model is not used, and this fails."""
    for taxonomy in BUILT_IN.values():
        assert model_for(taxonomy) is not None, f"{taxonomy.key}'s model is out of date: {RETRAIN}"
        assert shipped()[taxonomy.key].keys == (*taxonomy.keys, NONE_OF_THEM)


def test_a_taxonomy_the_model_was_not_trained_on_gets_no_model() -> None:
    ours = taxonomy_from_data(
        {
            "key": "our_stages",
            "name": "Our stages",
            "categories": [
                {"key": "listening", "label": "Listening", "description": "Hearing what worries people"},
                {"key": "deciding", "label": "Deciding", "description": "Residents choose"},
            ],
        }
    )
    assert isinstance(ours, Taxonomy)
    assert model_for(ours) is None
    first = WAKEFIELD.categories[0]
    changed = dataclasses.replace(first, examples=(*first.examples, "A town crier"))
    edited = dataclasses.replace(WAKEFIELD, categories=(changed, *WAKEFIELD.categories[1:]))
    assert model_for(edited) is None


MODEL_MEMORY = """
import tracemalloc
tracemalloc.start()
from board.core.second_opinion import model_for
from board.core.taxonomies import BUILT_IN
before = tracemalloc.get_traced_memory()[0]
for taxonomy in BUILT_IN.values():
    assert model_for(taxonomy) is not None
print(tracemalloc.get_traced_memory()[0] - before)
"""


def test_the_shipped_models_are_small_on_disk_and_in_memory() -> None:
    """Every server process loads them (docs/categories.md says what they cost): the counts,
    with the weights worked out per note, not prepared for every feature."""
    data = resources.files("board.core.data").joinpath(MODEL_FILE).read_bytes()
    assert len(data) < 640 * 1024
    loaded = subprocess.run([sys.executable, "-c", MODEL_MEMORY], capture_output=True, text=True, check=True)
    assert int(loaded.stdout) < 12 * 1024 * 1024


@pytest.mark.parametrize(
    ("text", "taxonomy", "expected"),
    [
        ("Flyers handed out at the market", WAKEFIELD, "giving_information"),
        ("Online questionnaire asking what people think of library hours", WAKEFIELD, "getting_information"),
        ("Residents voted on how the ward budget is spent", WAKEFIELD, "empowerment"),
        ("Holiadur ar-lein am oriau'r llyfrgell", WAKEFIELD, "getting_information"),
    ],
)
def test_the_shipped_models_place_plain_notes(text: str, taxonomy: Taxonomy, expected: str) -> None:
    found = opinion_of(text, taxonomy)
    assert found.category == expected
    assert found.words


def test_where_the_model_leans_elsewhere_a_note_naming_its_method_keeps_its_category() -> None:
    """Learned from 1,758 notes, the model reads "out" and the topic as Participation more
    than "flyers" as Giving Information in this note (0.55 to 0.41); the words name the
    method, so the suggestion stands, and the model gives it far more than a veto needs."""
    text = "Flyers handed out at the market about the new parking rules"
    assert opinion_of(text, WAKEFIELD).probabilities["giving_information"] >= VETO_BELOW
    found = Suggester(WAKEFIELD).suggest(text)
    assert found is not None
    assert found.category == "giving_information"


def test_a_suggestion_the_suggester_is_sure_of_stands_whatever_the_model_thinks() -> None:
    """One strong term no other category shares names the method; the model, which also learned
    the labelled notes' topics, does not overrule it."""
    unlikely = Opinion("participation", 0.97, {"participation": 0.97, "giving_information": 0.01}, ())
    assert combine("giving_information", SURE_STANDS, unlikely) == Verdict("giving_information", Advice.KEPT)
    assert combine("giving_information", SURE_STANDS - 0.01, unlikely) == Verdict(
        "participation", Advice.OVERRULED
    )


NOTES = (
    "leaflets at the public meeting",
    "health visitor ran sessions for new mums about healthy eating",
    "Timetable co-produced with bus users",
    "Poll on the council website about library opening hours",
    "Residents' panel on the new bus routes",
    "they had already decided, the meeting was for show",
    "Cylchlythyr i bob cartref am y cynllun newydd",
)


@pytest.mark.parametrize("taxonomy", list(BUILT_IN.values()), ids=list(BUILT_IN))
def test_what_is_suggested_is_the_words_weighed_by_the_model(taxonomy: Taxonomy) -> None:
    """`Suggester.suggest` is `by_words` with `combine` applied: a filled silence says which of
    the note's own words counted."""
    matcher = suggester(taxonomy)
    model = model_for(taxonomy)
    assert model is not None
    for text in NOTES:
        words = matcher.by_words(text)
        opinion = model.opinion(text)
        verdict = (
            combine(None, None, opinion)
            if words is None
            else combine(words.category, words.confidence, opinion)
        )
        made = matcher.suggest(text)
        assert (made and made.category) == verdict.category, text
        if verdict.advice is Advice.FILLED:
            assert made is not None
            assert made.matched is not None
            assert set(made.matched.split()) <= set(split_words(text)), (text, made.matched)


def test_a_suggester_weighs_the_words_by_the_model_it_is_given_not_the_shipped_one() -> None:
    """How the model is measured on notes it was not trained on (`bench.second_opinion
    --warm`): the shipped model never read "zorbing", so the words' silence stays; one that
    also learned four zorbing afternoons under Participation fills it."""
    zorbing = [
        (f"zorbing afternoon at {place}", "participation")
        for place in ("the park", "the fete", "school", "the rec")
    ]
    taught = CategoryModel(count(WAKEFIELD, zorbing + definitions(WAKEFIELD)))
    text = "a zorbing afternoon"
    assert Suggester(WAKEFIELD).suggest(text) is None
    found = Suggester(WAKEFIELD, model=taught).suggest(text)
    assert found is not None
    assert found.category == "participation"
