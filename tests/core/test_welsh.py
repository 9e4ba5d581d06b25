"""Welsh-aware text (issue 10): initial mutations folded, English words protected, stop words of
both languages, and the most used surface form shown. Real Welsh forms in tables; laws as
properties."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from board.core.stemming import singular
from board.core.welsh import (
    STOP_WORDS,
    Lexicon,
    folder,
    load_lexicon,
    phrase_key,
    plain,
    radicals,
    split_words,
    word_key,
)

LEXICON = load_lexicon()

# --- mutations as a Welsh speaker makes them (forwards), to check folding (backwards) -------------

SOFT = {"p": "b", "t": "d", "c": "g", "b": "f", "d": "dd", "g": "", "m": "f", "ll": "l", "rh": "r"}
NASAL = {"p": "mh", "t": "nh", "c": "ngh", "b": "m", "d": "n", "g": "ng"}
ASPIRATE = {"p": "ph", "t": "th", "c": "ch"}
VOWELS = "aeiouwy"


def mutations(radical: str) -> set[str]:
    """Every mutated form of a radical: soft, nasal, aspirate and h-prothesis."""
    found = set()
    for table in (SOFT, NASAL, ASPIRATE):
        for start in sorted(table, key=len, reverse=True):
            if radical.startswith(start) and not _other_letter(radical, start):
                found.add(table[start] + radical[len(start) :])
                break
    if radical[0] in VOWELS:
        found.add("h" + radical)
    return {form for form in found if form and form != radical}


def _other_letter(word: str, start: str) -> bool:
    """'ll', 'rh', 'ch', 'ph', 'th' and 'dd' are letters of their own, not l, r, c, p, t, d."""
    return len(start) == 1 and word[:2] in ("ll", "rh", "ch", "ph", "th", "dd", "ff", "ng")


def true_radicals(form: str) -> set[str]:
    """The lexicon words `form` is a mutation of."""
    return {word for word in LEXICON.welsh if form in mutations(word)}


# --- a table of real forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "radical"),
    [
        # cymuned (community): soft, nasal, aspirate, and as people type them
        ("cymuned", "cymuned"),
        ("gymuned", "cymuned"),
        ("nghymuned", "cymuned"),
        ("chymuned", "cymuned"),
        ("Nghymuned", "cymuned"),
        ("GYMUNED", "cymuned"),
        # pobl (people): b, mh, ph
        ("bobl", "pobl"),
        ("mhobl", "pobl"),
        ("phobl", "pobl"),
        # tad (father): nasal and aspirate ("dad" alone is English: see below)
        ("nhad", "tad"),
        ("thad", "tad"),
        # bywyd (life): soft f, nasal m
        ("fywyd", "bywyd"),
        ("mywyd", "bywyd"),
        # dysgu (learning): soft dd, nasal n
        ("ddysgu", "dysgu"),
        ("nysgu", "dysgu"),
        # gwaith (work): g dropped, nasal ng
        ("waith", "gwaith"),
        ("ngwaith", "gwaith"),
        # grym (power): g dropped before r
        ("rym", "grym"),
        # llais (voice), rhaglen (programme), mam (mother): soft l, r, f
        ("lais", "llais"),
        ("raglen", "rhaglen"),
        ("fam", "mam"),
        # cyngor (council)
        ("gyngor", "cyngor"),
        ("nghyngor", "cyngor"),
        # h-prothesis: a vowel gains an h after "ei" (her), "ein" (our), "eu" (their)
        ("hysgol", "ysgol"),
        ("hiaith", "iaith"),
        ("hardal", "ardal"),
        # accents do not matter
        ("tân", "tan"),
        ("Tan", "tan"),
        # radicals stay themselves, even when they look mutated
        ("bara", "bara"),
        ("deg", "deg"),
        ("llais", "llais"),
        ("rhaglen", "rhaglen"),
        ("ysgol", "ysgol"),
        ("dda", "da"),
    ],
)
def test_mutated_forms_fold_to_their_radical(typed: str, radical: str) -> None:
    assert word_key(typed) == radical


@pytest.mark.parametrize(
    "english",
    ["gold", "well", "old", "glass", "hate", "dad", "law", "bus", "grow", "road", "rain", "loud", "fair"],
)
def test_english_words_alone_are_never_folded(english: str) -> None:
    """'gold' is not the soft mutation of 'cold', nor 'well' of 'gwell', when nothing around it
    is Welsh."""
    assert word_key(english) == english
    assert word_key(english.capitalize()) == english


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("gwell cymuned", "well gymuned"),
        ("Gwell cymuned!", "  well   GYMUNED "),
        ("cymuned well", "gymuned gwell"),
        ("llais y bobl", "lais pobl"),
        ("yn y gymuned", "cymuned"),
        ("i'r gymuned", "y gymuned"),
        ("mae'n dda", "da"),
        ("ei hysgol", "ysgol"),
        ("the community", "community"),
        ("communities", "community"),
    ],
)
def test_phrases_that_mean_the_same_have_one_key(one: str, other: str) -> None:
    assert phrase_key(one) == phrase_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("well", "gwell"),
        ("well done", "gwell done"),
        ("gold", "cold"),
        ("bara", "para"),
        ("dad", "tad"),
    ],
)
def test_english_and_welsh_words_that_only_look_alike_stay_apart(one: str, other: str) -> None:
    assert phrase_key(one) != phrase_key(other)


def test_an_english_word_joins_its_welsh_radical_only_when_the_phrase_is_welsh() -> None:
    assert phrase_key("well gymuned") == "gwell cymuned"
    assert phrase_key("well done") == "well done"
    assert phrase_key("well") == "well"
    assert phrase_key("ei dad") == "tad", "'ei' makes the phrase Welsh: his father"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("the", ""),
        ("y", ""),
        ("and the", ""),
        ("yn y", ""),
        ("a'r", ""),
        ("mae'n", ""),
        ("The council and the community", "council community"),
        ("Y cyngor a'r gymuned", "cyngor cymuned"),
        ("o'r gymuned i'r cyngor", "cymuned cyngor"),
        ("fod yn agored", "agored"),
    ],
)
def test_stop_words_of_both_languages_are_left_out_of_phrase_keys(text: str, key: str) -> None:
    assert phrase_key(text) == key


def test_stop_words_include_both_languages_and_mutated_stop_words_are_caught() -> None:
    assert {"the", "and", "of", "y", "yr", "a", "ac", "yn", "mae", "bod"} <= STOP_WORDS
    assert phrase_key("fod") == "", "fod is bod (to be) mutated"


def test_words_are_split_on_punctuation_and_emoji_but_kept_whole_across_inner_joiners() -> None:
    assert split_words("Inspired! 🎉") == ["Inspired"]
    assert split_words("well-being i’r hope/fear") == ["well-being", "i'r", "hope", "fear"]
    assert split_words("  ") == []
    assert plain("Ŵyr-Tân") == "wyrtan"


def test_elisions_split_off_their_clitic_and_english_apostrophes_join() -> None:
    assert word_key("i'r") == "i r"
    assert word_key("rock'n'roll") == "rock n roll"
    assert word_key("don't") == "dont"
    assert word_key("children's") == "children"


def test_a_welsh_word_ending_in_s_is_not_made_singular_but_an_english_plural_is() -> None:
    assert [word_key(w) for w in ("dros", "glas", "nos", "groups", "juries")] == [
        "dros",
        "glas",
        "nos",
        "group",
        "jury",
    ]


def test_radicals_lists_every_possible_radical_in_rule_order() -> None:
    assert radicals("gymuned") == ("cymuned",)
    assert radicals("well") == ("gwell",)
    assert radicals("fam") == ("bam", "mam")
    assert radicals("llais") == (), "ll is a letter, not a mutated l"
    assert radicals("ddysgu") == ("dysgu",), "dd is read only as the soft mutation of d"


# --- the data set: words nobody put in the lexicon -----------------------------------------------


def test_a_radical_not_in_the_lexicon_counts_once_two_forms_of_it_were_written() -> None:
    """'cynhwysiad' (inclusion) is not in the lexicon: two mutated forms of it in one workshop
    are enough to fold both to it."""
    seen = folder(["Mwy o gynhwysiad", "dim digon o nghynhwysiad"])
    assert seen.word_key("gynhwysiad") == seen.word_key("nghynhwysiad") == "cynhwysiad"
    alone = folder(["Mwy o gynhwysiad"])
    assert alone.word_key("gynhwysiad") == "gynhwysiad", "one form alone is not evidence"


def test_a_written_radical_outside_the_lexicon_gathers_its_mutated_forms() -> None:
    seen = folder(["cydlyniant", "gydlyniant"])
    assert seen.word_key("gydlyniant") == "cydlyniant"
    assert folder().word_key("gydlyniant") == "gydlyniant"


def test_a_lexicon_decides_what_is_a_radical() -> None:
    """Two unknown words that differ as a mutation would merge; listing both separates them."""
    bare = Lexicon.parse("", "")
    assert folder(["dal", "tal"], lexicon=bare).word_key("dal") == "tal"
    both = Lexicon.parse("dal\ntal\n", "")
    assert folder(["dal", "tal"], lexicon=both).word_key("dal") == "dal"


def test_keys_do_not_depend_on_the_order_texts_came_in() -> None:
    texts = ["Mwy o gynhwysiad", "dim digon o nghynhwysiad", "well gymuned", "dal", "tal", "gold"]
    expected = [folder(texts).phrase_key(t) for t in texts]
    for seed in range(5):
        shuffled = texts[:]
        random.Random(seed).shuffle(shuffled)
        assert [folder(shuffled).phrase_key(t) for t in texts] == expected


# --- the surface form shown ---------------------------------------------------------------------------


def test_counting_puts_every_form_of_a_word_together_and_shows_the_form_most_used() -> None:
    counted = folder().tally(["gymuned", "Cymuned", "nghymuned", "gymuned", "gold", "Gold", "gold", "cold"])
    assert [(t.key, t.shown, t.count) for t in counted] == [
        ("cymuned", "gymuned", 4),
        ("gold", "gold", 3),
        ("cold", "cold", 1),
    ]
    assert counted[0].forms == {"gymuned": 2, "Cymuned": 1, "nghymuned": 1}


def test_a_tie_between_forms_shows_the_dictionary_form() -> None:
    (tally,) = folder().tally(["Gymuned", "cymuned"])
    assert tally.shown == "cymuned"
    (tally,) = folder().tally(["well gymuned", "Gwell cymuned", " well  gymuned "])
    assert (tally.key, tally.shown, tally.count) == ("gwell cymuned", "well gymuned", 3)


def test_counting_leaves_out_entries_with_no_words() -> None:
    assert folder().tally(["", "  ", "🎉", "!!"]) == ()


# --- laws -------------------------------------------------------------------------------------------------

RADICALS = sorted(LEXICON.welsh)
MUTABLE = [word for word in RADICALS if mutations(word)]
WELSH_LETTERS = st.sampled_from(list("abcdefghilmnoprstuwyâêîôûŵŷ'-"))
WORDS = st.text(WELSH_LETTERS, min_size=1, max_size=12)


@given(st.sampled_from(MUTABLE), st.data())
def test_every_mutation_of_a_lexicon_word_folds_back_to_a_radical_it_comes_from(
    radical: str, data: st.DataObject
) -> None:
    form = data.draw(st.sampled_from(sorted(mutations(radical))))
    key = word_key(form)
    if form in LEXICON.welsh or form in LEXICON.english:
        assert key in (form, singular(form)), "radicals and lone English words stay as they are"
    else:
        assert key in true_radicals(form), f"{form} folded to {key}, not a radical it comes from"


@given(st.sampled_from(MUTABLE), st.data())
def test_an_english_looking_mutation_folds_inside_a_welsh_phrase(radical: str, data: st.DataObject) -> None:
    form = data.draw(st.sampled_from(sorted(mutations(radical))))
    if form in LEXICON.welsh or form not in LEXICON.english:
        return
    key = folder().fold_text(f"{form} gymuned").split()[0]
    assert key in true_radicals(form) | {form}


@given(WORDS)
def test_a_key_is_a_fixed_point(word: str) -> None:
    key = word_key(word)
    assert word_key(key) == key


@given(WORDS)
def test_case_does_not_change_a_key(word: str) -> None:
    assert word_key(word.upper()) == word_key(word)


@given(st.text(st.sampled_from(list("abcdefghilmnoprstuwyŵ")), min_size=1, max_size=12))
def test_without_a_data_set_a_word_folds_only_to_a_lexicon_radical(word: str) -> None:
    key = word_key(word)
    assert key in LEXICON.welsh or key in (plain(word), singular(plain(word)))


@settings(max_examples=50)
@given(st.lists(WORDS, max_size=8), st.randoms(use_true_random=False))
def test_a_data_set_gives_the_same_keys_in_any_order(texts: list[str], rng: random.Random) -> None:
    shuffled = texts[:]
    rng.shuffle(shuffled)
    one, other = folder(texts), folder(shuffled)
    assert [one.phrase_key(t) for t in texts] == [other.phrase_key(t) for t in texts]


@given(st.lists(st.sampled_from(sorted(STOP_WORDS)), max_size=6))
def test_a_phrase_of_stop_words_has_an_empty_key(words: list[str]) -> None:
    assert phrase_key(" ".join(words)) == ""
