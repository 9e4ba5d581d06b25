"""What the built-in vocabularies mean (issue #20): general kinds of notes, written the way the
public writes them, that each addition to `vocabulary.py` or `stemming.py` is for. None of these
notes is taken from a labelled set in `bench/data/`."""

from __future__ import annotations

import pytest

from board.core.categorise import suggester, urged
from board.core.stemming import stem
from board.core.taxonomies import ARNSTEIN, COPRODUCTION, IAP2, WAKEFIELD, Taxonomy
from board.core.vocabulary import URGED_NEEDS_WHOM


def category_of(text: str, taxonomy: Taxonomy) -> str | None:
    """What the note's words say (`Suggester.by_words`): the vocabularies, before the learned
    second opinion weighs them (tests/core/test_second_opinion.py)."""
    found = suggester(taxonomy).by_words(text)
    return None if found is None else found.category


def test_a_poster_is_not_the_post() -> None:
    assert stem("poster") != stem("post")
    assert stem("litter") != stem("lit")
    assert category_of("Paper questionnaire sent out in the post", WAKEFIELD) == "getting_information"


@pytest.mark.parametrize(
    "text",
    [
        "Anti-litter posters all over the town centre",
        "Posters urging everyone to book their vaccination before winter",
        "Signs urging drivers to slow down outside the school",
    ],
)
def test_a_poster_that_wants_people_to_change_what_they_do_is_persuasion(text: str) -> None:
    assert category_of(text, COPRODUCTION) == "persuasion"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Parenting course at the family centre", "education"),
        ("First aid sessions for the scouts", "education"),
        ("Social services went to see the family after the school was worried", "protection"),
        ("Neighbour was taken to court over the overgrown hedge", "coercion"),
    ],
)
def test_doing_to_people_is_known_by_its_everyday_names(text: str, expected: str) -> None:
    assert category_of(text, COPRODUCTION) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They went through the motions with us, minds already made up", "manipulation"),
        ("Held an event so they could say they'd consulted", "manipulation"),
        ("Offered stress management sessions to residents upset about the closure", "therapy"),
        ("Officers said they needed to manage our expectations", "therapy"),
    ],
)
def test_arnsteins_lowest_rungs_are_known_by_how_people_describe_them(text: str, expected: str) -> None:
    assert category_of(text, ARNSTEIN) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Youth panel gets to give advice, but the cabinet still decides", "placation"),
        ("There's one tenant on the board and they're outnumbered", "placation"),
        ("Tenants have most of the votes on the estate board", "delegated_power"),
        ("Equal numbers of residents and officers, decisions by agreement", "partnership"),
    ],
)
def test_who_holds_the_power_on_a_board_tells_the_rung(text: str, expected: str) -> None:
    assert category_of(text, ARNSTEIN) == expected


def test_hearing_what_people_worry_about_is_not_a_public_hearing() -> None:
    # "hear" and "hearing" share a stem: only a hearing named as one is Consultation.
    text = "Officers met us again and again as the plan grew, to hear our concerns"
    assert category_of(text, IAP2) == "involve"
    assert category_of("Public hearing on the new runway", IAP2) == "consult"


@pytest.mark.parametrize(
    ("text", "taxonomy", "expected"),
    [
        ("Picked our favourite of the three logos", COPRODUCTION, "consultation"),
        ("We filled in a form at reception about the service", WAKEFIELD, "getting_information"),
        ("Form to say which opening hours suit you best", IAP2, "consult"),
    ],
)
def test_a_form_to_fill_in_or_a_favourite_to_pick_is_asking(
    text: str, taxonomy: Taxonomy, expected: str
) -> None:
    assert category_of(text, taxonomy) == expected


@pytest.mark.parametrize(
    ("text", "taxonomy", "expected"),
    [
        ("We helped choose the route with the engineers", IAP2, "collaborate"),
        ("Kids helped shape the plans for the skate park", WAKEFIELD, "participation"),
        ("Care leavers told the panel what it was like growing up in care", COPRODUCTION, "participation"),
        ("Families and clinicians agreed the plan, each with as much say", COPRODUCTION, "co_production"),
    ],
)
def test_how_much_a_part_people_took_is_known_by_how_they_put_it(
    text: str, taxonomy: Taxonomy, expected: str
) -> None:
    assert category_of(text, taxonomy) == expected


@pytest.mark.parametrize(
    ("text", "taxonomy", "expected"),
    [
        ("Slides from the planners and no time for questions", WAKEFIELD, "giving_information"),
        ("Officers talked us through the budget, no discussion", IAP2, "inform"),
    ],
)
def test_telling_with_no_room_for_questions_is_one_way(text: str, taxonomy: Taxonomy, expected: str) -> None:
    assert category_of(text, taxonomy) == expected


@pytest.mark.parametrize(
    ("text", "taxonomy", "expected"),
    [
        ("'You said, we did' boards after every stage of the scheme", IAP2, "involve"),
        ("Officers met the residents group regularly while the plans were drawn up", IAP2, "involve"),
        ("Timetable co-produced with bus users", IAP2, "collaborate"),
        ("Timetable co-produced with bus users", ARNSTEIN, "partnership"),
    ],
)
def test_working_with_people_throughout_and_every_form_of_co_produce(
    text: str, taxonomy: Taxonomy, expected: str
) -> None:
    assert category_of(text, taxonomy) == expected


@pytest.mark.parametrize(
    ("text", "taxonomy", "expected"),
    [
        ("Saturday surgery with our MP at the library", WAKEFIELD, "getting_information"),
        ("Reply slip to send back with your ideas", WAKEFIELD, "getting_information"),
        ("Young people on the interview panel for the new youth worker", WAKEFIELD, "participation"),
        ("Stall in the precinct asking which option people liked best", IAP2, "consult"),
    ],
)
def test_asking_one_person_at_a_time_or_on_paper(text: str, taxonomy: Taxonomy, expected: str) -> None:
    assert category_of(text, taxonomy) == expected


@pytest.mark.parametrize(
    ("text", "taxonomy", "not_expected"),
    [
        # "decision is theirs" was the one word "decide" once stop words went; "adjust to" and
        # "by agreement" were "adjust" and "agreement"; "decides" was "decide" itself.
        ("The council decided to close the road", IAP2, "empower"),
        ("Adjusted the plans after hearing from us", ARNSTEIN, "therapy"),
        ("Our tenancy agreement was explained", ARNSTEIN, "partnership"),
        # "5 a day" without its number was any "day".
        ("My dad goes to the day centre three times a week", COPRODUCTION, "persuasion"),
    ],
)
def test_a_phrase_is_never_only_one_common_word(text: str, taxonomy: Taxonomy, not_expected: str) -> None:
    assert category_of(text, taxonomy) != not_expected


@pytest.mark.parametrize(
    "text",
    [
        "Officers showed us the new plans for the high street",
        "Big launch event at the civic centre for the new housing strategy",
    ],
)
def test_showing_or_launching_a_plan_is_informing_not_manipulation(text: str) -> None:
    assert category_of(text, ARNSTEIN) == "informing"


@pytest.mark.parametrize(
    ("text", "taxonomy", "expected"),
    [
        # Who ran or led it is any session's organiser, not the community in control.
        ("The council ran a stall in the market telling people about the new bins", ARNSTEIN, "informing"),
        (
            "The workshop on the new play area was led by a facilitator from the council",
            WAKEFIELD,
            "participation",
        ),
        # Changes are what most notes are about, not a wish to change behaviour.
        ("Officers asked residents about the changes to the bus routes", COPRODUCTION, "consultation"),
        # The final plans are the last ones shown, not the public's final say.
        ("The final plans for the new bridge were shown at the library", IAP2, "inform"),
    ],
)
def test_words_most_notes_use_do_not_pull_towards_a_category(
    text: str, taxonomy: Taxonomy, expected: str
) -> None:
    assert category_of(text, taxonomy) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("survy about the bins", "getting_information"),
        ("questionare from the counsil", "getting_information"),
        ("public meetin at the libary", "forums_for_debate"),
        ("newletter thru the door", "giving_information"),
    ],
)
def test_common_misspellings_too_far_for_the_typo_allowance_are_read_as_their_word(
    text: str, expected: str
) -> None:
    assert category_of(text, WAKEFIELD) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Workshop at the jobcentre on how to use universal credit online", "education"),
        ("Phone line to find out what support there is", "information"),
        ("Welfare visits to older tenants in the cold snap", "protection"),
        # "involved" is in notes of every kind: it is no sign of co-production.
        ("The safeguarding lead got involved straight away", "protection"),
        ("PCSOs patrolling the park at night", "coercion"),
    ],
)
def test_the_co_production_spectrum_knows_what_each_kind_of_service_does(text: str, expected: str) -> None:
    assert category_of(text, COPRODUCTION) == expected


@pytest.mark.parametrize(
    ("text", "taxonomy", "expected"),
    [
        ("Pobl ifanc yn cyfweld ymgeiswyr am swydd y gweithiwr ieuenctid", WAKEFIELD, "participation"),
        ("Buon ni'n rhannu ein profiadau o'r gwasanaeth", COPRODUCTION, "participation"),
        ("Dau denant ar y bwrdd ond does ganddyn nhw ddim pleidlais", ARNSTEIN, "placation"),
    ],
)
def test_welsh_notes_are_read_the_same_way(text: str, taxonomy: Taxonomy, expected: str) -> None:
    assert category_of(text, taxonomy) == expected


@pytest.mark.parametrize(
    ("text", "taxonomy", "not_expected"),
    [
        # The climate or housing crisis is a topic, not someone at risk.
        ("Workshop on the climate crisis at the town hall", COPRODUCTION, "protection"),
        # Influencing a plan is what the public does, not a message aimed at them.
        ("Residents were able to influence the plans for the new clinic", COPRODUCTION, "persuasion"),
        # "gwella" is to improve far more often than to cure.
        ("Cynllun i wella'r parc a'r llwybrau", ARNSTEIN, "therapy"),
        # "cyngor" is the council before it is advice.
        ("Siaradon ni gyda'r cyngor am y cynllun newydd", ARNSTEIN, "placation"),
        # Finding out is what the organisation does when it asks, too.
        ("They wanted to find out about our experiences of the ward", COPRODUCTION, "information"),
        # A citizens' assembly is not a school assembly.
        ("Citizens assembly on climate change held over three weekends", COPRODUCTION, "education"),
        # Wellbeing is a topic (a health and wellbeing board), not only a cure.
        ("Health and wellbeing board with a tenant rep on it", ARNSTEIN, "therapy"),
    ],
)
def test_a_word_with_a_common_other_meaning_only_leans(
    text: str, taxonomy: Taxonomy, not_expected: str
) -> None:
    assert category_of(text, taxonomy) != not_expected


def test_a_story_in_the_paper_is_giving_information() -> None:
    assert category_of("Newspaper story about the closure of the pool", WAKEFIELD) == "giving_information"


def test_a_text_is_a_way_of_telling_people() -> None:
    assert category_of("Got a text saying the clinic had moved", COPRODUCTION) == "information"
    # A GP surgery is not a councillor's: the text at least makes it no Getting Information.
    text = "Got a text from the GP surgery saying the clinic has moved"
    assert category_of(text, WAKEFIELD) != "getting_information"


def test_a_gp_surgery_is_a_place_not_a_councillors_surgery() -> None:
    text = "GP surgery sent everyone a text about booking appointments online"
    assert category_of(text, WAKEFIELD) == "giving_information"


@pytest.mark.parametrize(
    "text",
    [
        "Leaflets through the door telling everyone to book a smear test",
        "The app keeps nudging me to walk more",
        "Texts from the surgery reminding us to book the flu jab",
        "Letters getting residents to put food waste in the caddy",
        "Negeseuon yn annog pobl i ailgylchu mwy",
    ],
)
def test_a_message_pressing_people_to_do_something_is_persuasion_whatever_carries_it(text: str) -> None:
    assert category_of(text, COPRODUCTION) == "persuasion"
    assert category_of(text, WAKEFIELD) != "persuasion"  # no such category: the carrier decides


@pytest.mark.parametrize(
    "text",
    [
        "Leaflet telling us about the new bin days",
        "Newsletter sent to the school",
        "Posters about the library's new opening hours",
    ],
)
def test_telling_people_about_something_or_sending_it_somewhere_presses_nobody(text: str) -> None:
    assert category_of(text, COPRODUCTION) == "information"


@pytest.mark.parametrize(
    "verb",
    ["tells", "told", "pushed", "urges", "encouraging", "nudged", "persuades", "reminding", "gets", "got"],
)
def test_every_form_of_a_pressing_verb_presses_with_someone_between_it_and_to(verb: str) -> None:
    """`URGING_VERBS` lists each verb once and is compared by stem: its other forms press too,
    and those that need whom (`URGED_NEEDS_WHOM`) still need it in every form."""
    assert urged(f"posters {verb} people to recycle".split()) == 1
    needs_whom = stem(verb) in {stem(listed) for listed in URGED_NEEDS_WHOM}
    assert (urged(f"posters {verb} to recycle".split()) is None) == needs_whom


@pytest.mark.parametrize(
    "text",
    [
        "nudge letters telling people most of their street already recycles",
        "stop smoking leaflets in every GP waiting room",
    ],
)
def test_a_message_named_by_what_it_wants_done_outweighs_its_carrier(text: str) -> None:
    """A nudge, or the behaviour a message wants changed (stop smoking), is the message: the
    letter or leaflet carrying it counts half, so it is never Information on the carrier."""
    assert category_of(text, COPRODUCTION) in ("persuasion", None)


def test_a_parent_is_not_a_parenting_course() -> None:
    assert category_of("Parents asked what they thought of the new crossing", COPRODUCTION) != "education"
    assert category_of("Parenting course at the family centre", COPRODUCTION) == "education"


@pytest.mark.parametrize(
    ("text", "taxonomy", "expected"),
    [
        ("Kids helped pick the new climbing frame with the parks officers", WAKEFIELD, "participation"),
        ("Fe wnaethon ni helpu dewis lliwiau'r ganolfan", WAKEFIELD, "participation"),
        ("The drop-in was a sales pitch for the bypass", ARNSTEIN, "manipulation"),
        ("So-called consultation on the depot, all decided", ARNSTEIN, "manipulation"),
        ("Workshops to help us get over our objections to the wind farm", ARNSTEIN, "therapy"),
        ("They listened at the hearing but promised nothing", ARNSTEIN, "consultation"),
        ("Regeneration board: half residents half officers", ARNSTEIN, "partnership"),
        (
            "The community centre trust runs its own affairs and hires its own staff",
            ARNSTEIN,
            "citizen_control",
        ),
        ("Taken into care with no choice about it", COPRODUCTION, "coercion"),
        ("We ranked the options for the bridge, then the council decided", IAP2, "consult"),
        ("They showed us what they'd changed after each round of comments", IAP2, "involve"),
        ("Residents and officers drew up the options together", IAP2, "collaborate"),
        ("Question and answer evening with the health board", WAKEFIELD, "forums_for_debate"),
        ("Card on the counter asking how was your visit", WAKEFIELD, "getting_information"),
        ("Letter to all households about the road closure", WAKEFIELD, "giving_information"),
    ],
)
def test_how_people_describe_what_was_done_to_them_or_with_them(
    text: str, taxonomy: Taxonomy, expected: str
) -> None:
    assert category_of(text, taxonomy) == expected
