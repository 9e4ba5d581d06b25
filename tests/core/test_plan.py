"""Workshop templates (`core/plan.py`): the shipped ones carry the seed workshops, and a broken
one is answered with every problem, each naming the file, the line and the field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from board.core.model import Definition, Frame, Text
from board.core.plan import InvalidTemplate, Plan, parse_template
from board.core.purpose import current
from board.core.taxonomies import COPRODUCTION, WAKEFIELD

SESSIONS = Path(__file__).resolve().parents[2] / "sessions"
GOOD = textwrap.dedent(
    """\
    title: {en: A workshop, cy: Gweithdy}
    purpose: {en: To listen., cy: Gwrando.}
    taxonomy: iap2
    breakouts: 2
    exit_poll:
      question: {en: "One word?", cy: "Un gair?"}
    agenda:
      - title: {en: Start, cy: Dechrau}
        minutes: 10
    boards:
      main:
        title: {en: Main, cy: Prif}
        frames:
          - columns: {x: 0, y: 0, w: 300, h: 900, gap: 20}
      breakouts:
        title: {en: "Room {number}", cy: "Ystafell {number}"}
    """
)


def shipped(key: str) -> Plan:
    path = SESSIONS / f"{key}.yaml"
    plan = parse_template(path.read_text(encoding="utf-8"), f"sessions/{key}.yaml", key)
    assert isinstance(plan, Plan), str(plan)
    return plan


def problems(text: str, file: str = "sessions/broken.yaml") -> list[str]:
    found = parse_template(textwrap.dedent(text), file, "broken")
    assert isinstance(found, InvalidTemplate), "the template should have been refused"
    return [str(problem) for problem in found.problems]


# --- the shipped templates ----------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SESSIONS.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_shipped_template_checks_out_in_both_languages(path: Path) -> None:
    plan = shipped(path.stem)
    texts = [plan.title, plan.purpose, plan.poll_question, plan.main.title, plan.breakout.title]
    texts += [step.title for step in plan.agenda] + [step.prompt for step in plan.agenda if step.prompt]
    for text in texts:
        assert text.en.strip()
        assert text.cy
        assert text.cy.strip()


@pytest.mark.parametrize("path", sorted(SESSIONS.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_shipped_template_says_how_notes_are_used_and_who_sees_them(path: Path) -> None:
    """The whole purpose statement, in English and Welsh: what for, how the notes are used, who
    sees the record; the contact is left for the facilitator (the dashboard asks for it)."""
    plan = shipped(path.stem)
    assert plan.use is not None
    assert plan.audience is not None
    for text in (plan.use, plan.audience):
        assert text.en.strip()
        assert text.cy
        assert text.cy.strip()
        assert text.cy != text.en
    assert plan.contact == ""
    details = plan.details()
    assert details["purpose"] == {
        "en": f"{plan.purpose.en}\n{plan.use.en}",
        "cy": f"{plan.purpose.cy}\n{plan.use.cy}",
    }, "the statement people read: the purpose, then (a paragraph of its own) how notes are used"
    assert details["purpose_audience"] == {"en": plan.audience.en, "cy": plan.audience.cy}
    assert "purpose_contact" not in details
    first = current(details, created_at=1)
    assert first is not None
    assert first.purpose.statement.text("cy").endswith(plan.use.text("cy"))
    assert first.purpose.audience == plan.audience


def test_a_templates_use_audience_and_contact_become_the_first_purpose_version() -> None:
    text = GOOD.replace(
        "taxonomy: iap2\n",
        "use: {en: The notes shape the plan., cy: Bydd y nodiadau'n llunio'r cynllun.}\n"
        "audience: {en: The council., cy: Y cyngor.}\n"
        "contact: ' hello@example.org '\n"
        "taxonomy: iap2\n",
    )
    plan = parse_template(text, "sessions/good.yaml", "good")
    assert isinstance(plan, Plan), str(plan)
    assert plan.contact == "hello@example.org"
    first = current(plan.details(), created_at=7)
    assert first is not None
    assert first.since == 7
    assert first.purpose.statement.en == "To listen.\nThe notes shape the plan."
    assert first.purpose.statement.cy == "Gwrando.\nBydd y nodiadau'n llunio'r cynllun."
    assert first.purpose.audience.cy == "Y cyngor."
    assert first.purpose.contact == "hello@example.org"
    bare = parse_template(GOOD, "sessions/good.yaml", "good")
    assert isinstance(bare, Plan)
    assert (bare.use, bare.audience, bare.contact) == (None, None, "")
    assert set(bare.details()) & {"purpose_audience", "purpose_contact"} == set(), "all three are optional"


def test_bad_use_audience_and_contact_are_refused_on_their_lines() -> None:
    long_use = "x" * 995
    text = GOOD.replace(
        "taxonomy: iap2\n",
        f"use: {{en: {long_use}, cy: Iawn.}}\n"
        "audience: {en: The council.}\n"
        "contact: [someone]\n"
        "taxonomy: iap2\n",
    )
    assert problems(text) == [
        "sessions/broken.yaml, line 3: use.en: purpose and use together must fit in 1000 characters",
        "sessions/broken.yaml, line 4: audience.cy: is missing: give the Welsh too, as {en: ..., cy: ...} "
        "needs both languages",
        "sessions/broken.yaml, line 5: contact: must be one line of text: an e-mail address, phone or "
        "web page",
    ]
    too_long = GOOD.replace("taxonomy: iap2\n", f"contact: {'a' * 201}\ntaxonomy: iap2\n")
    assert problems(too_long) == ["sessions/broken.yaml, line 3: contact: must be at most 200 characters"]


def test_the_engagement_network_template_carries_seed_000() -> None:
    plan = shipped("engagement-network")
    assert plan.taxonomy == WAKEFIELD
    assert plan.group_size == 2, "a room with 1 or 2 other people"
    assert plan.breakouts == 3
    prompts = " ".join(step.prompt.en for step in plan.agenda if step.prompt)
    assert "What is the best engagement activity you have been part of" in prompts
    assert "List every engagement you have had with the public in the last 2 years" in prompts
    assert "don't duplicate" in prompts
    titles = [step.title.en for step in plan.agenda]
    assert "Gallery of your activities" in titles
    assert "Defining our categories" in titles
    assert titles[-1] == "Exit poll"
    assert "one or two words" in plan.poll_question.en.lower()
    main = plan.objects(0, "en")
    columns = [obj for obj in main if isinstance(obj, Frame) and obj.category]
    assert [frame.category for frame in columns] == list(WAKEFIELD.keys)
    cards = [obj for obj in main if isinstance(obj, Definition)]
    assert [card.category for card in cards] == list(WAKEFIELD.keys), "a definition card per category"
    breakout = plan.objects(2, "en")
    prompt = next(obj for obj in breakout if isinstance(obj, Text))
    assert prompt.text.startswith("Board 2: list every engagement")
    assert plan.board_title(2, "cy") == "Bwrdd 2"


def test_the_dialogue_template_carries_seed_002_with_its_own_taxonomy() -> None:
    plan = shipped("take-part-dialogue")
    titles = [step.title.en.lower() for step in plan.agenda]
    for expected in ("hopes", "active citizenship", "working", "barriers", "solutions", "reflections"):
        assert any(expected in title for title in titles), expected
    solutions = next(step for step in plan.agenda if "solutions" in step.title.en.lower())
    assert solutions.prompt is not None
    assert "who" in solutions.prompt.en
    assert "when" in solutions.prompt.en
    assert plan.taxonomy.key == "joint_dialogue"
    assert isinstance(plan.details()["taxonomy"], dict), "its own taxonomy travels with the workshop"
    columns = [obj.title for obj in plan.objects(0, "en") if isinstance(obj, Frame) and obj.category]
    assert columns[2:4] == ["What's working", "Blocks and barriers"]


def test_the_spectrum_template_has_a_column_per_level() -> None:
    plan = shipped("coproduction-spectrum")
    assert plan.taxonomy == COPRODUCTION
    assert "Where does your work live on the spectrum" in plan.title.en
    columns = [obj for obj in plan.objects(0, "en") if isinstance(obj, Frame) and obj.category]
    assert [frame.category for frame in columns] == list(COPRODUCTION.keys)
    assert len({frame.x for frame in columns}) == 8, "side by side, left to right"
    assert [frame.x for frame in columns] == sorted(frame.x for frame in columns)


# --- what a plan makes ---------------------------------------------------------------------------------


def test_a_plan_lays_out_boards_in_the_chosen_language() -> None:
    plan = parse_template(GOOD, "good.yaml", "good")
    assert isinstance(plan, Plan)
    assert plan.board_title(3, "en") == "Room 3"
    assert plan.board_title(3, "both") == "Room 3 / Ystafell 3"
    assert plan.settings(0, "cy").title == "Prif"
    columns = plan.objects(0, "cy")
    assert [obj.title for obj in columns if isinstance(obj, Frame)] == [
        "Hysbysu",
        "Ymgynghori",
        "Cynnwys",
        "Cydweithio",
        "Grymuso",
    ]
    assert [obj.x for obj in columns if isinstance(obj, Frame)] == [0, 320, 640, 960, 1280]
    assert plan.objects(0, "en")[0].id == plan.objects(0, "cy")[0].id, "ids are fixed: laid out once"


def test_a_bilingual_templates_board_text_carries_both_languages() -> None:
    """Each person reads a bilingual template's prompt and frame titles in their own language;
    `text` and `title` are the workshop's language, what the record keeps."""
    plan = shipped("engagement-network")
    assert plan.languages == ("en", "cy")
    laid = plan.objects(2, "en")
    prompt = next(obj for obj in laid if isinstance(obj, Text))
    assert prompt.text.startswith("Board 2: list every engagement")
    assert prompt.texts is not None
    assert (prompt.texts.en, prompt.texts.cy) == (
        prompt.text,
        plan.breakout.prompt.cy.replace("{number}", "2"),
    )  # type: ignore[union-attr]
    frame = next(obj for obj in laid if isinstance(obj, Frame))
    assert frame.titles is not None
    assert (frame.title, frame.titles.cy) == (
        "Our engagements in the last 2 years",
        "Ein hymgysylltiadau yn y 2 flynedd diwethaf",
    )
    columns = [obj for obj in plan.objects(0, "both") if isinstance(obj, Frame) and obj.category]
    assert columns[0].title == "Giving Information / Rhoi Gwybodaeth"
    assert columns[0].titles is not None
    assert columns[0].titles.cy == "Rhoi Gwybodaeth"


def test_details_carry_what_other_features_read() -> None:
    plan = shipped("engagement-network")
    details = plan.details()
    assert set(details) >= {"agenda", "purpose", "poll_question", "taxonomy", "vote_budget"}
    assert details["purpose"]["cy"].startswith("Gweledigaeth")
    assert details["poll_question"]["en"] == plan.poll_question.en
    assert details["taxonomy"] == "wakefield"
    assert details["agenda"][2]["minutes"] == 10
    assert plan.agenda_lines("en")[2].startswith("Practise on the board (10 min): What is the best")


# --- errors name the file, the line and the problem ----------------------------------------------------


def test_invalid_yaml_names_the_file_and_line() -> None:
    assert problems("title: {en: x\nagenda: [\n") == [
        "sessions/broken.yaml, line 2: this is not valid YAML: expected ',' or '}', but got ':'"
    ]


def test_an_unknown_field_is_refused_on_its_line() -> None:
    text = GOOD.replace("\nagenda:\n", "\nagneda: []\nagenda:\n")
    found = problems(text)
    assert found == [
        "sessions/broken.yaml, line 7: agneda: is not a field here; expected agenda, audience, boards, "
        "breakouts, contact, exit_poll, group_size, language, purpose, taxonomy, title, use, voting"
    ]


def test_every_problem_is_reported_in_file_order() -> None:
    text = """\
        title: {en: A workshop}
        purpose: {en: To listen., cy: Gwrando.}
        taxonomy: wakefield
        breakouts: 99
        exit_poll:
          question: {en: "One word?", cy: "Un gair?"}
        agenda:
          - title: {en: Start, cy: Dechrau}
            minutes: "ten"
          - title: {en: Vote, cy: Pleidleisio}
            minutes: 5
            where: lobby
        boards:
          main:
            title: {en: Main, cy: Prif}
            frames:
              - title: {en: Column, cy: Colofn}
                category: not_a_category
          breakouts:
            title: {en: Room, cy: Ystafell}
        """
    assert problems(text) == [
        "sessions/broken.yaml, line 1: title.cy: is missing: give the Welsh too, as {en: ..., cy: ...} "
        "needs both languages",
        "sessions/broken.yaml, line 4: breakouts: must be a whole number from 0 to 50",
        "sessions/broken.yaml, line 9: agenda[0].minutes: must be a whole number from 1 to 600",
        "sessions/broken.yaml, line 12: agenda[1].where: must be main or breakouts",
        "sessions/broken.yaml, line 18: boards.main.frames[0].category: 'not_a_category' is not in the "
        "taxonomy: giving_information, getting_information, forums_for_debate, participation, "
        "partnership, empowerment",
        "sessions/broken.yaml, line 20: boards.breakouts.title: a breakout board's title must show its "
        "number: put {number} in both languages",
    ]


def test_one_text_in_one_language_among_bilingual_ones_is_refused() -> None:
    text = GOOD.replace("title: {en: A workshop, cy: Gweithdy}", "title: A workshop")
    text = text.replace('question: {en: "One word?", cy: "Un gair?"}', 'question: "One word?"')
    assert problems(text) == [
        "sessions/broken.yaml, line 1: title: is in one language only, but this template gives its "
        "other texts in English and Welsh (as purpose): write it as {en: ..., cy: ...}",
        "sessions/broken.yaml, line 6: exit_poll.question: is in one language only, but this template "
        "gives its other texts in English and Welsh (as purpose): write it as {en: ..., cy: ...}",
    ]
    assert problems(GOOD.replace("taxonomy: iap2\n", "language: en\ntaxonomy: iap2\n")) == [
        "sessions/broken.yaml, line 3: language: is for a template in one language; this one gives its "
        "texts in English and Welsh"
    ]


ENGLISH_ONLY = textwrap.dedent(
    """\
    title: A workshop
    purpose: To listen.
    taxonomy: iap2
    exit_poll:
      question: "One word?"
    agenda:
      - title: Start
        minutes: 10
        prompt: Say hello.
    boards:
      main:
        title: Main
        prompt: What matters to you?
        frames:
          - title: Ideas
            x: 0
            y: 0
      breakouts:
        title: "Room {number}"
    """
)


def test_a_template_in_one_language_checks_out_and_says_so() -> None:
    plan = parse_template(ENGLISH_ONLY, "sessions/plain.yaml", "plain")
    assert isinstance(plan, Plan), str(plan)
    assert plan.languages == ("en",)
    assert plan.poll_question.text("cy") == "One word?", "Welsh readers get the one language there is"
    assert plan.board_title(2, "both") == "Room 2", "nothing is shown twice"
    laid = plan.objects(0, "cy")
    prompt = next(obj for obj in laid if isinstance(obj, Text))
    frame = next(obj for obj in laid if isinstance(obj, Frame))
    assert (prompt.text, prompt.texts, frame.title, frame.titles) == (
        "What matters to you?",
        None,
        "Ideas",
        None,
    )

    welsh = parse_template(ENGLISH_ONLY.replace("taxonomy:", "language: cy\ntaxonomy:"), "cy.yaml", "cy")
    assert isinstance(welsh, Plan)
    assert welsh.languages == ("cy",)
    assert problems(ENGLISH_ONLY.replace("taxonomy:", "language: fr\ntaxonomy:")) == [
        "sessions/broken.yaml, line 3: language: must be en or cy"
    ]
    assert problems(ENGLISH_ONLY.replace("    prompt: Say hello.", "    prompt: {en: Say hello.}")) == [
        "sessions/broken.yaml, line 9: agenda[0].prompt.cy: is missing: give the Welsh too, as "
        "{en: ..., cy: ...} needs both languages",
    ], "a half-given mapping is named once, at the missing language"


def test_a_missing_field_is_reported_on_the_line_of_what_lacks_it() -> None:
    text = GOOD.replace('exit_poll:\n  question: {en: "One word?", cy: "Un gair?"}\n', "")
    text = text.replace("    minutes: 10\n", "")
    assert problems(text) == [
        "sessions/broken.yaml, line 1: exit_poll: is required: {question: {en: ..., cy: ...}}",
        "sessions/broken.yaml, line 6: agenda[0].minutes: must be a whole number from 1 to 600",
    ]


def test_problems_in_a_templates_own_taxonomy_name_their_line() -> None:
    text = GOOD.replace(
        "taxonomy: iap2\n",
        "taxonomy:\n  key: ours\n  name: Ours\n  categories:\n    - key: Bad Key\n      label: One\n",
    ).replace("    frames:\n      - columns: {x: 0, y: 0, w: 300, h: 900, gap: 20}\n", "")
    assert "columns" not in text
    assert problems(text) == [
        "sessions/broken.yaml, line 7: taxonomy.categories[0].key: may contain only lower-case letters, "
        "digits, '_' and '-'"
    ]


def test_an_unknown_built_in_taxonomy_is_refused() -> None:
    found = problems(GOOD.replace("taxonomy: iap2", "taxonomy: iap3"))
    assert found == [
        "sessions/broken.yaml, line 3: taxonomy: 'iap3' is not a built-in taxonomy; expected one of "
        "wakefield, coproduction, arnstein, iap2"
    ]


def test_a_key_given_twice_is_refused() -> None:
    assert problems(GOOD + "breakouts: 3\n") == ["sessions/broken.yaml, line 17: breakouts: is given twice"]


def test_an_alias_bomb_is_refused_not_expanded() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
    assert problems(bomb) == [
        "sessions/broken.yaml: the template is too large (more than 20000 values once aliases are expanded)"
    ]


def test_an_empty_template_is_refused() -> None:
    assert problems("# nothing yet\n") == ["sessions/broken.yaml: the template is empty"]


def test_a_bad_file_name_is_refused() -> None:
    found = parse_template(GOOD, "sessions/My Session.yaml", "My Session")
    assert isinstance(found, InvalidTemplate)
    assert "file name must be lower-case" in str(found)


def test_the_example_in_the_docs_checks_out() -> None:
    docs = (SESSIONS.parent / "docs" / "templates.md").read_text(encoding="utf-8")
    example = docs.split("## An example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    plan = parse_template(example, "docs/templates.md", "high-street")
    assert isinstance(plan, Plan), str(plan)
    assert plan.board_title(2, "both") == "Table 2 / Bwrdd 2"
    assert plan.vote_budget == 5
