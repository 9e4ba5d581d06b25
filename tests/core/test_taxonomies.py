"""Built-in taxonomies (DESIGN.md §5, seeds 001 and 004) and taxonomies from template data."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from board.core.errors import ErrorCode
from board.core.model import Frame, Note
from board.core.taxonomies import (
    ARNSTEIN,
    BUILT_IN,
    COPRODUCTION,
    IAP2,
    WAKEFIELD,
    Bilingual,
    InvalidTaxonomy,
    Taxonomy,
    check,
    resolve,
    taxonomy_from_data,
)


def test_built_in_taxonomies_have_stable_keys_in_the_order_offered() -> None:
    assert list(BUILT_IN) == ["wakefield", "coproduction", "arnstein", "iap2"]


def test_wakefield_continuum_runs_from_giving_information_to_empowerment() -> None:
    assert [c.label.en for c in WAKEFIELD.categories] == [
        "Giving Information",
        "Getting Information",
        "Forums for Debate",
        "Participation",
        "Partnership",
        "Empowerment",
    ]
    assert WAKEFIELD.keys == (
        "giving_information",
        "getting_information",
        "forums_for_debate",
        "participation",
        "partnership",
        "empowerment",
    )


@pytest.mark.parametrize(
    ("key", "example"),
    [
        ("giving_information", "Annual Report"),
        ("getting_information", "Surveys"),
        ("getting_information", "Complaints and compliments"),
        ("forums_for_debate", "Focus Groups"),
        ("participation", "Citizen juries"),
        ("participation", "Mystery shopping"),
        ("partnership", "Overview & scrutiny committees"),
        ("empowerment", "Participatory Budgeting"),
        ("empowerment", "Planning for Real"),
    ],
)
def test_wakefield_lists_the_strategys_example_methods_under_each_level(key: str, example: str) -> None:
    category = WAKEFIELD.category(key)
    assert category is not None
    assert example in category.examples


def test_wakefield_keeps_every_example_method_of_the_strategy() -> None:
    assert [len(c.examples) for c in WAKEFIELD.categories] == [6, 10, 6, 7, 4, 5]


def test_coproduction_spectrum_has_eight_kinds_grouped_doing_to_for_with() -> None:
    assert COPRODUCTION.keys == (
        "coercion",
        "protection",
        "education",
        "persuasion",
        "information",
        "consultation",
        "participation",
        "co_production",
    )
    assert [g.key for g in COPRODUCTION.groups] == ["doing_to", "doing_for", "doing_with"]
    assert [c.key for c in COPRODUCTION.in_group("doing_to")] == [
        "coercion",
        "protection",
        "education",
        "persuasion",
    ]
    assert [c.key for c in COPRODUCTION.in_group("doing_for")] == [
        "information",
        "consultation",
        "participation",
    ]
    assert [c.key for c in COPRODUCTION.in_group("doing_with")] == ["co_production"]


def test_coproduction_spectrum_carries_the_network_examples() -> None:
    examples = {c.key: c.examples for c in COPRODUCTION.categories}
    assert "Safeguarding" in examples["protection"]
    assert "FixMyStreet" in examples["consultation"]
    assert "Shared decision making" in examples["co_production"]


def test_arnstein_ladder_has_eight_rungs_in_three_bands() -> None:
    assert ARNSTEIN.keys == (
        "manipulation",
        "therapy",
        "informing",
        "consultation",
        "placation",
        "partnership",
        "delegated_power",
        "citizen_control",
    )
    assert [len(ARNSTEIN.in_group(g.key)) for g in ARNSTEIN.groups] == [2, 3, 3]


def test_iap2_spectrum_has_five_levels() -> None:
    assert IAP2.keys == ("inform", "consult", "involve", "collaborate", "empower")


@pytest.mark.parametrize("taxonomy", BUILT_IN.values(), ids=list(BUILT_IN))
def test_every_built_in_taxonomy_keeps_the_rules_a_template_is_held_to(taxonomy: Taxonomy) -> None:
    assert check(taxonomy) == ()


@pytest.mark.parametrize("taxonomy", BUILT_IN.values(), ids=list(BUILT_IN))
def test_every_built_in_category_key_is_a_valid_note_and_frame_category(taxonomy: Taxonomy) -> None:
    for key in taxonomy.keys:
        note = msgspec.convert({"type": "note", "id": "n", "x": 0, "y": 0, "category": key}, Note)
        frame = msgspec.convert({"type": "frame", "id": "f", "x": 0, "y": 0, "category": key}, Frame)
        assert note.category == frame.category == key


@pytest.mark.parametrize("taxonomy", BUILT_IN.values(), ids=list(BUILT_IN))
def test_every_built_in_text_is_given_in_welsh_as_well(taxonomy: Taxonomy) -> None:
    texts = [taxonomy.name, taxonomy.description]
    texts += [text for c in taxonomy.categories for text in (c.label, c.description)]
    texts += [text for g in taxonomy.groups for text in (g.label, g.description) if text.en]
    for text in texts:
        assert text.cy, text.en
        assert text.cy != text.en


@pytest.mark.parametrize(
    ("taxonomy", "key", "welsh"),
    [
        (WAKEFIELD, "giving_information", "Rhoi Gwybodaeth"),
        (WAKEFIELD, "participation", "Cyfranogiad"),
        (WAKEFIELD, "partnership", "Partneriaeth"),
        (WAKEFIELD, "empowerment", "Grymuso"),
        (COPRODUCTION, "consultation", "Ymgynghori"),
        (COPRODUCTION, "co_production", "Cyd-gynhyrchu"),
        (IAP2, "collaborate", "Cydweithio"),
        (ARNSTEIN, "citizen_control", "Rheolaeth gan Ddinasyddion"),
    ],
)
def test_welsh_labels_use_the_established_terms(taxonomy: Taxonomy, key: str, welsh: str) -> None:
    category = taxonomy.category(key)
    assert category is not None
    assert category.label.cy == welsh


def test_unknown_category_is_none_and_sorts_last() -> None:
    assert WAKEFIELD.category("coercion") is None
    assert WAKEFIELD.category(None) is None
    assert WAKEFIELD.index("empowerment") == 5
    assert WAKEFIELD.index("coercion") == 6


def test_welsh_falls_back_to_english_when_a_template_gives_none() -> None:
    assert Bilingual("Listening").text("cy") == "Listening"
    assert Bilingual("Listening", "Gwrando").text("cy") == "Gwrando"
    assert Bilingual("Listening", "Gwrando").text("en") == "Listening"


TEMPLATE: dict[str, Any] = {
    "key": "our-stages",
    "name": {"en": "Our stages", "cy": "Ein camau"},
    "source": "Our own",
    "groups": [{"key": "early", "label": "Early"}],
    "categories": [
        {
            "key": "listening",
            "label": {"en": "Listening", "cy": "Gwrando"},
            "description": "We hear what people say.",
            "examples": ["Drop-in sessions"],
            "keywords": ["listening event"],
            "group": "early",
        },
        {"key": "acting", "label": "Acting together"},
    ],
}


def test_a_template_defines_its_own_taxonomy_as_plain_data() -> None:
    taxonomy = taxonomy_from_data(TEMPLATE)
    assert isinstance(taxonomy, Taxonomy), taxonomy
    assert taxonomy.key == "our-stages"
    assert taxonomy.name == Bilingual("Our stages", "Ein camau")
    assert taxonomy.keys == ("listening", "acting")
    listening = taxonomy.categories[0]
    assert (listening.examples, listening.keywords, listening.group) == (
        ("Drop-in sessions",),
        ("listening event",),
        "early",
    )
    assert taxonomy.categories[1].label == Bilingual("Acting together")
    assert taxonomy.categories[1].description == Bilingual("")


def errors_of(data: object) -> list[tuple[ErrorCode, str]]:
    result = taxonomy_from_data(data)
    assert isinstance(result, InvalidTaxonomy), result
    return [(error.code, error.field) for error in result.errors]


def with_category(**fields: object) -> dict[str, Any]:
    category = {"key": "listening", "label": "Listening", **fields}
    return {**TEMPLATE, "groups": TEMPLATE["groups"], "categories": [category]}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**TEMPLATE, "key": "Our Stages"}, [(ErrorCode.BAD_FORMAT, "key")]),
        ({**TEMPLATE, "key": "x" * 65}, [(ErrorCode.TOO_LONG, "key")]),
        ({k: v for k, v in TEMPLATE.items() if k != "name"}, [(ErrorCode.MISSING_FIELD, "name")]),
        ({k: v for k, v in TEMPLATE.items() if k != "categories"}, [(ErrorCode.MISSING_FIELD, "categories")]),
        ({**TEMPLATE, "categories": []}, [(ErrorCode.TOO_SHORT, "categories")]),
        ({**TEMPLATE, "categories": "listening"}, [(ErrorCode.WRONG_TYPE, "categories")]),
        ({**TEMPLATE, "colour": "red"}, [(ErrorCode.UNKNOWN_FIELD, "colour")]),
        (with_category(exmaples=["x"]), [(ErrorCode.UNKNOWN_FIELD, "categories[0].exmaples")]),
        (with_category(label=None), [(ErrorCode.MISSING_FIELD, "categories[0].label")]),
        (with_category(label={"cy": "Gwrando"}), [(ErrorCode.MISSING_FIELD, "categories[0].label.en")]),
        (with_category(label={"en": "  "}), [(ErrorCode.TOO_SHORT, "categories[0].label.en")]),
        (with_category(label="a\nb"), [(ErrorCode.BAD_FORMAT, "categories[0].label.en")]),
        (with_category(label="x" * 81), [(ErrorCode.TOO_LONG, "categories[0].label.en")]),
        (with_category(examples="surveys"), [(ErrorCode.WRONG_TYPE, "categories[0].examples")]),
        (with_category(examples=["ok", 3]), [(ErrorCode.WRONG_TYPE, "categories[0].examples[1]")]),
        (with_category(keywords=[""]), [(ErrorCode.TOO_SHORT, "categories[0].keywords[0]")]),
        (with_category(group="late"), [(ErrorCode.NOT_FOUND, "categories[0].group")]),
        (with_category(key="Listening!"), [(ErrorCode.BAD_FORMAT, "categories[0].key")]),
        (
            {**TEMPLATE, "categories": [{"key": "a", "label": "A"}] * 2},
            [(ErrorCode.CONFLICT, "categories[1].key")],
        ),
        ({**TEMPLATE, "groups": [{"label": "Early"}]}, [(ErrorCode.MISSING_FIELD, "groups[0].key")]),
        ("wakefield", [(ErrorCode.WRONG_TYPE, "")]),
    ],
)
def test_template_taxonomy_errors_name_the_field(data: object, expected: list[tuple[ErrorCode, str]]) -> None:
    assert errors_of(data) == expected


def test_a_taxonomy_with_too_many_categories_is_refused() -> None:
    many = [{"key": f"c{i}", "label": f"C{i}"} for i in range(25)]
    assert errors_of({**TEMPLATE, "categories": many}) == [(ErrorCode.TOO_MANY, "categories")]


def test_every_problem_is_reported_at_once_in_the_order_of_the_data() -> None:
    data = {
        "key": "BAD",
        "name": "Ours",
        "categories": [{"key": "ok", "label": ""}, {"label": "No key", "group": 7}],
    }
    assert errors_of(data) == [
        (ErrorCode.BAD_FORMAT, "key"),
        (ErrorCode.TOO_SHORT, "categories[0].label.en"),
        (ErrorCode.MISSING_FIELD, "categories[1].key"),
        (ErrorCode.WRONG_TYPE, "categories[1].group"),
    ]


def test_the_rule_of_an_error_reads_as_a_sentence() -> None:
    result = taxonomy_from_data(with_category(key="Listening!"))
    assert isinstance(result, InvalidTaxonomy)
    assert (
        str(result)
        == "bad_format: categories[0].key: may contain only lower-case letters, digits, '_' and '-'"
    )


def test_resolve_takes_a_built_in_key_or_a_whole_taxonomy() -> None:
    assert resolve("arnstein") is ARNSTEIN
    own = resolve(TEMPLATE)
    assert isinstance(own, Taxonomy)
    assert own.key == "our-stages"
    unknown = resolve("ladder")
    assert isinstance(unknown, InvalidTaxonomy)
    assert unknown.errors[0].code == ErrorCode.NOT_FOUND
    assert "wakefield" in unknown.errors[0].rule
