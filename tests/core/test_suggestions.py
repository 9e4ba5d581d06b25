"""Suggestions from what a note means (issue #20): vocabularies, word forms, Welsh, confidence
and abstaining, and learning from the notes a workshop has confirmed."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from board.core.categorise import (
    COPY_CONFIDENCE,
    STRONG,
    THRESHOLD,
    Learned,
    Suggester,
    Suggestion,
    learn,
    suggester,
)
from board.core.evaluation import category_key, confirm_first, evaluate
from board.core.stemming import TextKey, stem
from board.core.taxonomies import (
    ARNSTEIN,
    BUILT_IN,
    COPRODUCTION,
    IAP2,
    WAKEFIELD,
    Taxonomy,
    taxonomy_from_data,
)

TAXONOMIES = st.sampled_from(list(BUILT_IN.values()))
WORDS = st.sampled_from(
    "survey leaflet residents panel library budget meeting jury young people decide voted trained "
    "questionnaire the a of cymuned arolwg holiadur cyfarfod gweithdy co-design drop-in ballot "
    "enforcement safeguarding course campaign website advisory committee partnership trust".split()
)
TEXTS = st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=8).map(" ".join))


def suggest(
    text: str, taxonomy: Taxonomy, *, fold: TextKey | None = None, learned: Learned | None = None
) -> Suggestion | None:
    """What the note's words and the workshop's confirmed notes say (`Suggester.by_words`):
    the mechanisms these tests are about, before the learned second opinion weighs them
    (tests/core/test_second_opinion.py)."""
    return suggester(taxonomy, fold).by_words(text, learned)


@pytest.mark.parametrize(
    ("taxonomy", "text", "expected"),
    [
        (WAKEFIELD, "Pop-up stand at the farmers' market with flyers", "giving_information"),
        (WAKEFIELD, "Ward councillor's Saturday advice session", "getting_information"),
        (WAKEFIELD, "Tenants chose which estate improvements got funded", "empowerment"),
        (WAKEFIELD, "Volunteers trained as street ambassadors", "empowerment"),
        (WAKEFIELD, "Cylchlythyr i bob cartref am y cynllun newydd", "giving_information"),
        (WAKEFIELD, "We consulted parents with a questionnaire", "getting_information"),
        (COPRODUCTION, "Dog owners fined if they don't clear up", "coercion"),
        (COPRODUCTION, "Welfare checks on vulnerable tenants", "protection"),
        (ARNSTEIN, "Residents were co-opted onto the board but officers still decide", "placation"),
        (ARNSTEIN, "Community land trust building homes", "citizen_control"),
        (IAP2, "Residents' ballot on the regeneration", "empower"),
        (IAP2, "Cyfres o weithdai gyda thrigolion", "involve"),
    ],
)
def test_notes_in_peoples_own_words_get_the_category_they_mean(
    taxonomy: Taxonomy, text: str, expected: str
) -> None:
    found = suggest(text, taxonomy)
    assert found is not None
    assert found.category == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eu harolwg o'r stad", "getting_information"),  # h- before a vowel: arolwg
        ("Fy nghyfweliad gyda'r cyngor", "getting_information"),  # nasal: cyfweliad
        ("Ei thaflen am y bws", "giving_information"),  # aspirate: taflen
        ("Drwy gyfarfod cyhoeddus yn y neuadd", "forums_for_debate"),  # soft: cyfarfod
        ("Ei gylchlythyr am y cynllun", "giving_information"),  # a word the lexicon lacks
    ],
)
def test_welsh_method_names_are_known_in_every_mutation(text: str, expected: str) -> None:
    found = suggest(text, WAKEFIELD)
    assert found is not None
    assert found.category == expected


def test_word_forms_meet() -> None:
    assert stem("consulted") == stem("consulting") == stem("consultation") == stem("consult")
    assert stem("planning") == stem("planned") == stem("planner")
    assert stem("sorted") != stem("sortition")
    assert stem("community") != stem("communication")


@pytest.mark.parametrize("text", ["ask", "a meeting", "GP surgery hours", "leaflets and a survey", ""])
def test_weak_or_split_evidence_is_no_suggestion(text: str) -> None:
    """One leaning word, or strong words for two categories, is below the threshold."""
    assert suggest(text, WAKEFIELD) is None


def test_a_longer_note_with_one_leaning_word_and_nothing_against_it_is_suggested() -> None:
    """One leaning word is enough in a note long enough that anything pointing elsewhere
    would have shown: at the threshold, never more; not in a short note, nor against a
    leaning word for another category."""
    found = suggest("asked the people waiting at the bus station about the timetable", WAKEFIELD)
    assert found is not None
    assert (found.category, found.confidence, found.matched) == ("getting_information", THRESHOLD, "ask")
    assert suggest("asked at the station", WAKEFIELD) is None
    assert suggest("asked the people at the bus station and told them the plans", WAKEFIELD) is None


def test_a_word_other_categories_use_too_alone_is_suggested_less_surely() -> None:
    """A poll is Consult, but "poll" is in Empower's terms too (a residents' poll that
    decides): alone it is still suggested, with the same reason shown, but less sure than a
    word only one category uses."""
    found = suggest("Poll on the park", IAP2)
    assert found is not None
    assert (found.category, found.matched) == ("consult", "poll")
    assert THRESHOLD <= found.confidence < 0.6
    only_one = suggest("Questionnaire on the park", IAP2)
    assert only_one is not None
    assert only_one.confidence > found.confidence


def test_a_word_other_categories_use_too_does_not_outweigh_a_leaning_word() -> None:
    """ "interview" is a 1:1 interview (Getting Information) and young people interviewing
    candidates (Participation); "trained" leans to Empowerment. Neither is enough to say
    which, so the note is left for a person rather than guessed."""
    assert suggest("Tenants trained to interview each other", WAKEFIELD) is None


def test_a_strong_phrase_outweighs_a_label_other_categories_use_too() -> None:
    """ "Consultation" is a rung's label, and other rungs' phrases use the word too: a
    consultation held when it was already decided is Manipulation, and the facilitator is
    shown why, with Consultation as the alternative."""
    found = suggest("A consultation when the plan was already decided", ARNSTEIN)
    assert found is not None
    assert (found.category, found.matched) == ("manipulation", "already decided")
    assert found.alternatives == ("consultation",)


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("mtg w/ the cllr", "meeting with the councillor"),
        ("txt alerts to ppl", "text alerts to people"),
        ("fb page for the regen", "facebook page for the regeneration"),
        ("tenants assoc reps on the cttee", "tenants association representatives on the committee"),
    ],
)
def test_short_forms_are_read_as_the_words_they_stand_for(short: str, long: str) -> None:
    matcher = suggester(WAKEFIELD)
    assert matcher.note_stems(short) == matcher.note_stems(long)
    assert suggest(short, WAKEFIELD) == suggest(long, WAKEFIELD)


def test_common_words_do_not_meet_method_words_by_their_stems() -> None:
    """ "public" is in half of all notes ("public meeting") and "let" in many; neither is a
    publication or a letter."""
    assert stem("public") != stem("publication")
    assert stem("let") != stem("letter")
    found = suggest("public debate on the bypass", WAKEFIELD)
    assert found is not None
    assert found.category == "forums_for_debate"


@given(taxonomy=TAXONOMIES, text=TEXTS)
def test_a_suggestion_is_a_category_of_the_taxonomy_and_at_least_the_threshold(
    taxonomy: Taxonomy, text: str
) -> None:
    found = suggest(text, taxonomy)
    ranked = suggester(taxonomy).scores(text)
    if found is None:
        return
    assert found.category in taxonomy.keys
    assert THRESHOLD <= found.confidence < 1
    assert found.category not in found.alternatives
    assert set(found.alternatives) <= set(taxonomy.keys)
    assert found.category == ranked[0].category
    assert found.matched is not None


@settings(max_examples=20)  # two suggesters built per example (about 0.05 s each)
@given(taxonomy=TAXONOMIES, texts=st.lists(TEXTS, max_size=6), text=TEXTS)
def test_suggestions_are_deterministic_whatever_came_before(
    taxonomy: Taxonomy, texts: list[str], text: str
) -> None:
    """A suggester that has seen other notes (its caches warm) answers as a fresh one does."""
    warm = Suggester(taxonomy)
    for other in texts:
        warm.suggest(other)
    assert warm.suggest(text) == Suggester(taxonomy).suggest(text)


EXAMPLES = st.lists(
    st.tuples(st.lists(WORDS, min_size=1, max_size=6).map(" ".join), st.integers(0, 23)), max_size=8
)


@given(taxonomy=TAXONOMIES, examples=EXAMPLES, pick=st.integers(0, 7))
def test_a_copy_of_a_confirmed_note_gets_its_category(
    taxonomy: Taxonomy, examples: list[tuple[str, int]], pick: int
) -> None:
    """Unless another confirmed note with the same words was put in another category."""
    labelled = [(text, taxonomy.keys[i % len(taxonomy.keys)]) for text, i in examples]
    assume(labelled)
    text, key = labelled[pick % len(labelled)]
    matcher = suggester(taxonomy)
    assume(matcher.note_stems(text))
    same = {k for t, k in labelled if matcher.note_stems(t) == matcher.note_stems(text)}
    found = matcher.suggest(text, learn(labelled, taxonomy))
    if same == {key}:
        assert found is not None
        assert (found.category, found.confidence) == (key, COPY_CONFIDENCE)
        assert found.like is not None
        assert matcher.note_stems(found.like) == matcher.note_stems(text)
    elif found is not None:
        assert found.category in taxonomy.keys


def test_a_confirmed_note_pulls_its_near_copies_and_says_so() -> None:
    """The group put their residents' panel in Forums for Debate: its near-copies follow, and
    the suggestion names the note it is like; notes unlike it keep their own reading."""
    example = "Residents' panel on the library opening hours"
    learned = learn([(example, "forums_for_debate")], WAKEFIELD, texts=["A survey of parents"])
    alone = suggest("Residents panel about library hours", WAKEFIELD)
    assert alone is not None
    assert alone.category == "getting_information"
    found = suggest("Residents panel about library hours", WAKEFIELD, learned=learned)
    assert found is not None
    assert (found.category, found.like, found.matched) == ("forums_for_debate", example, None)
    unlike = suggest("A survey of parents", WAKEFIELD, learned=learned)
    assert unlike is not None
    assert (unlike.category, unlike.like) == ("getting_information", None)


def test_a_categorys_confirmed_notes_together_tip_a_note_that_shares_a_word_with_each() -> None:
    """'Bingo and allotment visits' is like neither confirmed note on its own, and 'visits'
    alone only leans to Participation; with both notes the group put there, it is suggested."""
    learned = learn(
        [
            ("Bingo afternoon at the lido", "participation"),
            ("Allotment open day with tenants", "participation"),
            ("Parking survey", "getting_information"),
        ],
        WAKEFIELD,
        texts=["Bingo and allotment visits", "Leaflet about parking", "Survey of parents"],
    )
    assert suggest("Bingo and allotment visits", WAKEFIELD) is None
    found = suggest("Bingo and allotment visits", WAKEFIELD, learned=learned)
    assert found is not None
    assert (found.category, found.like) == ("participation", None)


def test_learning_from_another_taxonomy_is_ignored() -> None:
    learned = learn([("Residents panel on library hours", "forums_for_debate")], WAKEFIELD)
    assert suggest("Residents panel on library hours", IAP2, learned=learned) == suggest(
        "Residents panel on library hours", IAP2
    )


def test_suggestions_improve_as_the_workshop_confirms_notes() -> None:
    """A third of a workshop's notes confirmed: the others are suggested at least as well."""
    notes = [
        ("Bingo night where residents told us about the buses", "participation"),
        ("Residents told us at bingo about the parking", "participation"),
        ("Residents at the bingo told us about damp", "participation"),
        ("Knitting circle chat about the park", "forums_for_debate"),
        ("Knitting circle chat on the library", "forums_for_debate"),
        ("Chat at the knitting circle on bins", "forums_for_debate"),
    ]
    matcher = suggester(WAKEFIELD)
    learned, rest = confirm_first(notes, matcher)
    before = evaluate(rest, matcher).overall()
    after = evaluate(rest, matcher, learned).overall()
    assert (before.correct, after.correct) == (0, len(rest))
    assert after.wrong == 0


def test_a_templates_own_taxonomy_is_suggested_from_its_definitions_and_examples() -> None:
    ours = taxonomy_from_data(
        {
            "key": "our_stages",
            "name": "Our stages",
            "categories": [
                {
                    "key": "listening",
                    "label": "Listening",
                    "description": "Hearing what worries people",
                    "examples": ["drop-in sessions"],
                },
                {
                    "key": "deciding",
                    "label": "Deciding",
                    "description": "Residents choose where money goes",
                    "examples": ["ballot"],
                },
            ],
        }
    )
    assert isinstance(ours, Taxonomy)
    assert [suggest(text, ours) for text in ("", "a leaflet")] == [None, None]
    held = suggest("We held drop-in sessions in the library", ours)
    chose = suggest("Residents chose what the money was spent on", ours)
    assert held is not None
    assert held.category == "listening"
    assert chose is not None
    assert chose.category == "deciding"


def test_the_expected_category_may_be_written_as_a_key_or_a_label() -> None:
    assert [
        category_key(WAKEFIELD, written)
        for written in (
            "getting_information",
            "Getting information",
            "Casglu Gwybodaeth",
            "GETTING INFORMATION",
            "x",
        )
    ] == ["getting_information"] * 4 + [None]


def test_learned_counts_its_examples() -> None:
    learned = Learned(suggester(WAKEFIELD), [("a survey", "getting_information"), ("x", "nonsense")])
    assert len(learned) == 1


@given(taxonomy=TAXONOMIES, rows=st.lists(st.tuples(TEXTS, st.integers(0, 23)), max_size=12))
def test_the_evaluation_counts_every_note_once(taxonomy: Taxonomy, rows: list[tuple[str, int]]) -> None:
    """What `board categories evaluate` prints: each category's correct + wrong + abstained is
    its notes, the categories add up to all notes, and 'correct' is exactly the notes whose
    suggestion is the expected category."""
    labelled = [(text, taxonomy.keys[i % len(taxonomy.keys)]) for text, i in rows]
    result = evaluate(labelled, suggester(taxonomy))
    by_category = result.by_category()
    overall = result.overall()
    assert list(by_category) == list(taxonomy.keys)
    for key, tally in by_category.items():
        assert tally.total == sum(1 for _, expected in labelled if expected == key)
    assert overall.total == len(labelled)
    assert sum(t.correct for t in by_category.values()) == overall.correct
    assert sum(t.wrong for t in by_category.values()) == overall.wrong
    found = [suggester(taxonomy).suggest(text) for text, _ in labelled]  # what the product suggests
    assert overall.correct == sum(
        1 for f, (_, k) in zip(found, labelled, strict=True) if f and f.category == k
    )
    assert overall.abstained == sum(1 for f in found if f is None)


def test_english_word_forms_meet_by_the_snowball_stemmer() -> None:
    """Forms a handful of suffix rules missed meet their word: the people of a method
    ("participants") and its name ("participation"), "inclusive" and "inclusion"; while a
    hired consultant is still no consultation."""
    assert stem("participants") == stem("participation") == stem("participating")
    assert stem("inclusive") == stem("inclusion")
    assert stem("planners") == stem("planning") == stem("plan")
    assert stem("consultant") != stem("consultation")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("comment cards at the end of the roadshow", "getting_information"),
        ("holiaduron ar ôl yr arddangosfa", "getting_information"),
        ("leaflets at the public meeting", "giving_information"),
    ],
)
def test_what_was_done_outweighs_where_it_was_done(text: str, expected: str) -> None:
    """A method named only as the setting ("at the roadshow", "ar ôl yr arddangosfa") counts
    for less than the method the note is about, so the note is not a tie."""
    found = suggest(text, WAKEFIELD)
    assert found is not None
    assert found.category == expected


@pytest.mark.parametrize(
    ("text", "taxonomy", "denied"),
    [
        ("Nobody explained the plans before they started digging", ARNSTEIN, "informing"),
        ("the council didn't ask anyone before closing the tip", WAKEFIELD, "getting_information"),
        ("wnaethon nhw ddim gofyn i neb cyn cau'r llyfrgell", WAKEFIELD, "getting_information"),
        # The phrase begins within the negator's reach and runs past it: denied to its end.
        ("Nobody asked what we thought about the library hours", ARNSTEIN, "consultation"),
    ],
)
def test_what_a_note_says_was_not_done_does_not_count(text: str, taxonomy: Taxonomy, denied: str) -> None:
    """A word a negator denies ("nobody explained", "didn't ask", "ddim gofyn") is not what was
    done: alone, it is no suggestion."""
    assert suggest(text, taxonomy) is None


def test_a_phrase_is_denied_only_where_the_note_denies_it() -> None:
    found = suggest("They asked what we thought about the library hours", ARNSTEIN)
    assert found is not None
    assert found.category == "consultation"


def test_what_was_not_done_does_not_contest_what_was() -> None:
    """ "No survey, no meeting, just a letter": the letter is what was done, and the methods
    denied do not make it less sure; "not only" denies nothing."""
    found = suggest("No survey, no meeting, just a letter through the door", WAKEFIELD)
    assert found is not None
    assert (found.category, found.alternatives) == ("giving_information", ())
    found = suggest("not only a survey but a citizens panel too", WAKEFIELD)
    assert found is not None
    assert found.category == "getting_information"


@pytest.mark.parametrize(
    "text",
    [
        "so called consultation on the new road",
        "a supposed consultation about the bypass",
        "'consultation' after the contract was signed",
        "'ymgynghoriad' ar ôl i'r cytundeb gael ei arwyddo",
    ],
)
def test_a_name_the_note_disowns_does_not_count(text: str) -> None:
    """ "So called", "supposed" and quotation marks disown a name: the organisation called it a
    consultation, the note does not say it was one."""
    found = suggest(text, ARNSTEIN)
    assert found is None or found.category != "consultation"


def test_a_quoted_name_beside_a_method_leaves_the_method() -> None:
    """Only the quoted words are disowned: "the 'Your Say' survey" was a survey, and an
    apostrophe ("residents' panel") quotes nothing."""
    found = suggest("the 'Your Say' survey about the park", ARNSTEIN)
    assert found is not None
    assert found.category == "consultation"
    assert suggest("Residents' panel on the library hours", WAKEFIELD) == suggest(
        "Residents panel on the library hours", WAKEFIELD
    )


@pytest.mark.parametrize(
    ("text", "taxonomy", "expected"),
    [
        ("health visitor ran sessions for new mums about healthy eating", COPRODUCTION, None),
        ("leaflet about the citizens panel", WAKEFIELD, "giving_information"),
        ("read about it in the local paper", WAKEFIELD, "giving_information"),
    ],
)
def test_what_a_note_is_about_counts_less_than_what_was_done(
    text: str, taxonomy: Taxonomy, expected: str | None
) -> None:
    """After "about", a method or aim is the subject: healthy eating is what the sessions were
    about (not a campaign for it), the citizens panel what the leaflet told people of. The topic
    ends where a place or channel begins ("in the local paper")."""
    found = suggest(text, taxonomy)
    assert (found.category if found else None) == expected


@pytest.mark.parametrize(
    ("text", "taxonomy", "community"),
    [
        ("y cyngor sy'n penderfynu, nid ni", ARNSTEIN, ("delegated_power", "citizen_control")),
        (
            "two tenants sit on the estate board but officers decide everything",
            ARNSTEIN,
            ("delegated_power",),
        ),
        ("we put the options in order, then they chose", IAP2, ("empower",)),
    ],
)
def test_the_organisation_deciding_is_not_the_community_deciding(
    text: str, taxonomy: Taxonomy, community: tuple[str, ...]
) -> None:
    """ "They decided", "officers decide", "y cyngor sy'n penderfynu": the organisation made the
    decision, so no rung where the community decides is suggested, nor is one a rival."""
    found = suggest(text, taxonomy)
    assert found is None or (found.category not in community and not set(found.alternatives) & set(community))


def test_helping_to_decide_is_taking_part_not_deciding_alone() -> None:
    """ "Helpu i ddewis": the residents helped the council choose, which is Participation, not
    their own decision (Empowerment), whoever the phrase names as choosing."""
    found = suggest("trigolion yn helpu i ddewis blaenoriaethau'r ystad", WAKEFIELD)
    assert found is not None
    assert (found.category, found.alternatives) == ("participation", ())


@pytest.mark.parametrize(
    "text",
    [
        "a group of randomly chosen residents heard from experts about flooding",
        "twelve people chosen at random sat for two days on the future of the high street",
    ],
)
def test_people_chosen_are_not_people_choosing(text: str) -> None:
    """ "Randomly chosen residents" were decided on: no sign the community decided anything."""
    found = suggest(text, WAKEFIELD)
    assert found is None or found.category != "empowerment"


def test_a_choice_in_the_passive_is_the_community_s_when_it_says_so() -> None:
    found = suggest("the play scheme was chosen by residents in a public vote", WAKEFIELD)
    assert found is not None
    assert found.category == "empowerment"


def test_the_organisation_handing_power_over_still_counts() -> None:
    """Only deciding is the organisation's when it follows "the council": handing over is what
    makes the community's own."""
    found = suggest("the council handed the old library over to a residents trust", WAKEFIELD)
    assert found is not None
    assert found.category == "empowerment"


def test_one_shared_topic_word_with_confirmed_notes_does_not_make_a_rival() -> None:
    """The group put a note about the options in Collaborate: a poll on the options is still
    Consult (its own words say so), not too close to call."""
    learned = learn(
        [
            ("residents and planners picked the preferred option together", "collaborate"),
            ("display boards in the library", "inform"),
        ],
        IAP2,
        texts=["online poll on the options"],
    )
    found = suggest("online poll on the options", IAP2, learned=learned)
    assert found is not None
    assert (found.category, found.matched) == ("consult", "online poll")


@pytest.mark.parametrize(
    ("text", "taxonomy", "alone"),
    [
        ("residents and councillors chose the scheme together", IAP2, "empower"),
        ("trigolion a swyddogion yn dewis y cynllun gyda'i gilydd", IAP2, "empower"),
    ],
)
def test_a_decision_made_together_is_not_the_community_deciding_alone(
    text: str, taxonomy: Taxonomy, alone: str
) -> None:
    """ "Together" ("gyda'i gilydd") makes a decision shared: never suggested as the rung
    where the community decides on its own."""
    found = suggest(text, taxonomy)
    assert found is None or found.category != alone


def test_every_taxonomy_knows_the_common_ways_of_telling_and_asking() -> None:
    """The channels for telling people and the methods for asking them are shared by every
    taxonomy's matching category, in English and Welsh."""
    telling = {"wakefield": "giving_information", "coproduction": "information", "arnstein": "informing"}
    asking = {"wakefield": "getting_information", "coproduction": "consultation", "arnstein": "consultation"}
    for key, category in (telling | {"iap2": "inform"}).items():
        for text in ("an email bulletin about the roadworks", "bwletin am y gwaith ffordd"):
            found = suggest(text, BUILT_IN[key])
            assert found is not None, (key, text)
            assert found.category == category, (key, text)
    for key, category in (asking | {"iap2": "consult"}).items():
        for text in ("a vox pop in the high street", "cardiau sylwadau yn y llyfrgell"):
            found = suggest(text, BUILT_IN[key])
            assert found is not None, (key, text)
            assert found.category == category, (key, text)


def test_a_confirmed_note_is_like_another_by_two_words_in_common_or_by_being_a_copy() -> None:
    """The group put "bingo for the residents" in Participation: a note that only shares
    "residents" with it (the workshop's topic) is not drawn there, while a copy of it is, and
    says why."""
    learned = learn(
        [("bingo for the residents", "participation"), ("leaflets through every door", "giving_information")],
        WAKEFIELD,
        texts=["the residents", "a survey"],
    )
    assert suggest("the residents", WAKEFIELD, learned=learned) is None
    copy = suggest("Bingo for the residents!", WAKEFIELD, learned=learned)
    assert copy is not None
    assert (copy.category, copy.like) == ("participation", "bingo for the residents")


def test_a_close_confirmed_note_overturns_a_weak_reading_even_misspelt() -> None:
    """Alone, "convesation" (a typo) only leans to Forums for Debate, too weakly to suggest.
    The group put "conversation about the repairs" in Getting Information: the note is close
    to it in meaning (the same vocabulary word, read through the typo, and the same topic)
    though it shares one surface word with it, so it follows the group, and says why."""
    text = "convesation on the repairs"
    example = "conversation about the repairs"
    learned = learn(
        [(example, "getting_information"), ("leaflets through every door", "giving_information")],
        WAKEFIELD,
        texts=[text, "a survey of parents"],
    )
    assert suggest(text, WAKEFIELD) is None
    found = suggest(text, WAKEFIELD, learned=learned)
    assert found is not None
    assert (found.category, found.like, found.matched) == ("getting_information", example, None)


def test_a_distant_confirmed_note_does_not_overturn_what_the_words_say() -> None:
    """A stall is a way of telling people: a confirmed note that only shares the setting and
    the topic (the summer gala, the housing estate) is less like this note than its own
    word is sure, so the words decide, and the group's category is only an alternative."""
    text = "stall at the summer gala about the new housing estate plans"
    learned = learn([("summer gala for the housing estate", "participation")], WAKEFIELD, texts=[text])
    alone = suggest(text, WAKEFIELD)
    found = suggest(text, WAKEFIELD, learned=learned)
    assert alone is not None
    assert found is not None
    assert (found.category, found.matched, found.like) == (alone.category, alone.matched, None)
    assert found.category == "giving_information"
    assert "participation" in found.alternatives


def test_weak_words_and_a_faint_likeness_that_disagree_are_no_suggestion() -> None:
    """ "Chat" alone leans to Forums for Debate (just enough to suggest); the group put a note
    faintly like it (the same topic and setting, 0.4 alike) in Participation. Neither reading
    is strong: no suggestion, rather than a guess either way."""
    text = "chat with the housing team over coffee"
    others = ["a survey of parents", "posters in the library", "residents decide the budget"]
    learned = learn(
        [("coffee with the housing team on the estate green", "participation")],
        WAKEFIELD,
        texts=[text, *others],
    )
    alone = suggest(text, WAKEFIELD)
    assert alone is not None
    assert alone.category == "forums_for_debate"
    assert alone.confidence < STRONG
    assert suggest(text, WAKEFIELD, learned=learned) is None


@settings(max_examples=100)
@given(taxonomy=TAXONOMIES, text=st.lists(WORDS, min_size=1, max_size=8).map(" ".join), examples=EXAMPLES)
def test_strong_words_keep_their_category_unless_a_confirmed_note_is_closer(
    taxonomy: Taxonomy, text: str, examples: list[tuple[str, int]]
) -> None:
    """Learning never leaves a note whose own words are strong without a suggestion, and only
    a confirmed note more alike than those words are sure (or a copy) takes it elsewhere."""
    labelled = [(example, taxonomy.keys[i % len(taxonomy.keys)]) for example, i in examples]
    alone = suggest(text, taxonomy)
    assume(alone is not None and alone.confidence >= STRONG)
    assert alone is not None
    found = suggest(text, taxonomy, learned=learn(labelled, taxonomy, texts=[text]))
    assert found is not None
    if found.category != alone.category:
        assert found.like is not None
        assert found.confidence > alone.confidence or found.confidence == COPY_CONFIDENCE


def test_a_note_is_read_by_the_suggester_asked_not_by_the_one_the_workshop_learned_through() -> None:
    """`Learned` keeps how it read each of the workshop's notes, so suggesting for them does
    not read them again; a suggester with another fold still reads a note its own way."""

    def decode(text: str) -> str:
        return text.replace("xq7", "survey")

    decoding = Suggester(WAKEFIELD, fold=decode)
    learned = Learned(decoding, [("xq7 of parents", "getting_information")], ["xq7 on the buses"])
    found = decoding.suggest("xq7 on the buses", learned)
    assert found is not None
    assert found.category == "getting_information"
    plain = Suggester(WAKEFIELD)
    assert plain.suggest("xq7 on the buses", learned) == plain.suggest("xq7 on the buses") is None


def test_confirmed_notes_may_break_a_tie_between_the_words_categories_whichever_is_listed_first() -> None:
    """ "Token" is as much Manipulation as Placation, and the ladder lists Manipulation first.
    The group put a token youth seat in Placation: a tie is no choice of the words', so the
    group's reading breaks it, whatever order the taxonomy lists its rungs in."""
    text = "one token young person on the youth services board"
    example = "a token youth seat with no vote"
    matcher = suggester(ARNSTEIN)
    assert [score.category for score in matcher.scores(text)] == ["manipulation", "placation"]
    assert matcher.scores(text)[0].score == matcher.scores(text)[1].score
    learned = learn(
        [(example, "placation"), ("leaflets about the new youth club", "informing")],
        ARNSTEIN,
        texts=[text, "survey of parents"],
    )
    assert matcher.scores(text, learned)[0].category == "placation"
    found = matcher.suggest(text, learned)
    assert found is not None
    assert (found.category, found.like) == ("placation", example)


def test_a_one_word_note_is_a_copy_of_the_same_word_confirmed() -> None:
    """Notes with one word in common are only compared when both say nothing else (a copy):
    "Bingo!" follows the group's "bingo"; "bingo night" shares one word and is not like it."""
    learned = learn(
        [("bingo", "participation"), ("leaflets", "giving_information")],
        WAKEFIELD,
        texts=["Bingo!", "a survey"],
    )
    copy = suggest("Bingo!", WAKEFIELD, learned=learned)
    assert copy is not None
    assert (copy.category, copy.confidence, copy.like) == ("participation", COPY_CONFIDENCE, "bingo")
    assert suggest("bingo night", WAKEFIELD, learned=learned) is None


FILLER = [
    "posters in the library",
    "a survey of parents",
    "residents decide the budget",
    "public meeting about the bridge",
    "focus group on the buses",
    "leaflets through every door",
    "young people on the interview panel",
    "steering group with the canal trust",
    "exhibition of the plans",
    "citizens jury on the bypass",
    "stall at the summer fair",
    "walkabout with the ward councillor",
]
"""More of a workshop's notes, about other things: a name is rare in a workshop, not its topic."""


def test_a_name_two_confirmed_notes_carry_is_followed_where_the_words_say_nothing() -> None:
    """ "Talkback" is Castleford's text survey: the vocabulary cannot know it, and a note naming
    it shares one word with each confirmed note, too little to be like either. Two notes the
    group put in Getting Information carry it, so the note follows them, and says why."""
    text = "the Talkback thing on my phone"
    examples = [
        ("replied to the talkback text", "getting_information"),
        ("talkback scores", "getting_information"),
    ]
    others = [("leaflets at the pool", "giving_information")]
    learned = learn([*examples, *others], WAKEFIELD, texts=[text, *FILLER])
    assert suggest(text, WAKEFIELD) is None
    found = suggest(text, WAKEFIELD, learned=learned)
    assert found is not None
    assert (found.category, found.like, found.matched) == ("getting_information", examples[0][0], None)


def test_a_named_thing_one_confirmed_note_placed_outweighs_a_word_inside_its_name() -> None:
    """ "Chat" leans to Forums for Debate, but the group put the Cas Chat magazine in Giving
    Information: a note that only names it (and its topic) follows the group, and says why."""
    text = "read about the riverside plans in cas chat"
    example = "the Cas Chat mag had a map of the new paths"
    learned = learn([(example, "giving_information")], WAKEFIELD, texts=[text, *FILLER])
    alone = suggest(text, WAKEFIELD)
    assert alone is None or alone.category != "giving_information"
    found = suggest(text, WAKEFIELD, learned=learned)
    assert found is not None
    assert (found.category, found.like) == ("giving_information", example)


def test_a_name_one_confirmed_note_carries_does_not_cast_doubt_on_the_words() -> None:
    """The group put a lunch club for older people in Empowerment; a coffee morning where older
    people told their stories keeps its own words' category: a name (here a topic) from one
    confirmed note fills a silence or backs the words, never overturns or doubts them."""
    text = "Coffee morning where older people told us about loneliness"
    learned = learn(
        [("older people run their own lunch club", "empowerment")], WAKEFIELD, texts=[text, *FILLER]
    )
    alone = suggest(text, WAKEFIELD)
    assert alone is not None
    assert suggest(text, WAKEFIELD, learned=learned) == alone


def test_a_word_one_confirmed_note_carries_is_no_name() -> None:
    """The group put the bins on the council app in Information. "Council" there is more
    likely the workshop's topic than a name for something done, so a poll on the council
    website, whose own words are split between Consultation and Information, is not tipped
    by it."""
    text = "Poll on the council website about library opening hours"
    learned = learn(
        [("Bin collection dates on the council app", "information")], COPRODUCTION, texts=[text, *FILLER]
    )
    assert suggest(text, COPRODUCTION) is None
    assert suggest(text, COPRODUCTION, learned=learned) is None
