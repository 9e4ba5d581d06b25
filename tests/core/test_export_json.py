"""The JSON export: schema-versioned, valid against record.schema.json, nothing identifying."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from board.core.export.json import SCHEMA_ID, load_schema, render, to_data
from board.core.limits import LIMITS
from board.core.record import RECORD_SCHEMA_VERSION, Workshop, build_record
from board.core.taxonomies import BUILT_IN, Bilingual, Taxonomy
from tests.core.test_record import FORMULA, IDENTITIES, SCRIPT, WELSH, sample_inputs, sample_record


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_is_draft_2020_12_and_names_this_version() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    assert schema["properties"]["schema_version"] == {"const": RECORD_SCHEMA_VERSION}


def test_the_json_export_validates_against_the_schema(validator: jsonschema.Draft202012Validator) -> None:
    data = json.loads(render(sample_record()))
    validator.validate(data)
    assert data["format"] == "workshop-board.record"
    assert data["schema_version"] == RECORD_SCHEMA_VERSION


@pytest.mark.parametrize("taxonomy", BUILT_IN.values(), ids=list(BUILT_IN))
def test_a_record_under_every_built_in_taxonomy_validates(
    taxonomy: Taxonomy, validator: jsonschema.Draft202012Validator
) -> None:
    validator.validate(to_data(build_record(**{**sample_inputs(), "taxonomy": taxonomy})))


def test_an_empty_workshop_validates(validator: jsonschema.Draft202012Validator) -> None:
    record = build_record(workshop=Workshop(title=""), taxonomy=BUILT_IN["iap2"], boards=[], exported_at=0)
    validator.validate(to_data(record))


def test_text_survives_the_round_trip_welsh_and_hostile_alike() -> None:
    text = render(sample_record())
    data = json.loads(text)
    texts = [note["text"] for note in data["notes"]]
    assert WELSH in texts
    assert SCRIPT in texts
    assert FORMULA in texts
    assert "ŵ ŷ" in text, "Welsh letters are written as themselves"


def test_markup_characters_are_escaped_so_the_json_can_sit_in_a_page() -> None:
    text = render(sample_record())
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\\u003cscript\\u003e" in text


def test_the_json_holds_nothing_that_identifies_a_participant() -> None:
    text = render(sample_record())
    assert [identity for identity in IDENTITIES if identity in text] == []


def walk(schema: Any, path: str = "#") -> list[str]:
    """Paths of object schemas that would accept properties they do not list."""
    open_objects = []
    if isinstance(schema, dict):
        if schema.get("type") == "object" and schema.get("additionalProperties") is not False:
            open_objects.append(path)
        for key, value in schema.items():
            open_objects += walk(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            open_objects += walk(value, f"{path}/{i}")
    return open_objects


def test_every_object_in_the_schema_forbids_unlisted_properties() -> None:
    """So an export with, say, an `author` or a `token` beside a note is invalid."""
    assert walk(load_schema()) == []


@pytest.mark.parametrize("field", ["author", "participant", "token", "ip", "cursor_name"])
def test_an_identity_field_anywhere_makes_the_json_invalid(
    field: str, validator: jsonschema.Draft202012Validator
) -> None:
    data = to_data(sample_record())
    data["notes"][0][field] = "someone"
    assert not validator.is_valid(data)


def test_schema_bounds_follow_the_board_limits() -> None:
    note = load_schema()["$defs"]["note"]["properties"]
    assert note["text"]["maxLength"] == LIMITS.max_note_text
    assert note["comments"]["items"]["maxLength"] == LIMITS.max_comment_text
    assert load_schema()["$defs"]["key"]["maxLength"] == LIMITS.max_category_key


def test_the_schema_ties_the_category_to_its_source(validator: jsonschema.Draft202012Validator) -> None:
    data = to_data(sample_record())
    note = next(n for n in data["notes"] if n["category_source"] == "none")
    note["category"] = "participation"
    assert not validator.is_valid(data), "a category with source none"
    data = to_data(sample_record())
    explicit = next(n for n in data["notes"] if n["category_source"] == "explicit")
    explicit["confidence"] = 0.5
    assert not validator.is_valid(data), "a confidence on a category someone set"


def test_references_inside_the_record_hold() -> None:
    data = to_data(sample_record())
    note_ids = {n["id"] for n in data["notes"]}
    boards = {b["number"] for b in data["boards"]}
    keys = {c["key"] for c in data["taxonomy"]["categories"]}
    assert all(n["board"] in boards for n in data["notes"])
    assert all(n["category"] in keys for n in data["notes"] if n["category"] is not None)
    assert all(set(c["notes"]) <= note_ids for c in data["duplicates"])
    assert {n["duplicate_cluster"] for n in data["notes"]} - {None} == {c["id"] for c in data["duplicates"]}
    assert sum(c["confirmed"] + c["suggested"] for c in data["summary"]["categories"]) + data["summary"][
        "uncategorised"
    ] == len(data["notes"])


def test_the_export_is_deterministic() -> None:
    assert render(sample_record()) == render(sample_record())


def test_the_exit_polls_question_is_in_the_record_as_asked(
    validator: jsonschema.Draft202012Validator,
) -> None:
    both = Bilingual("One or two words?", "Un neu ddau air?")
    english_only = Bilingual("How was it?")
    for question, expected in (
        (both, {"en": "One or two words?", "cy": "Un neu ddau air?"}),
        (english_only, {"en": "How was it?", "cy": None}),
        (None, None),
    ):
        data = to_data(build_record(**sample_inputs(), exit_poll_question=question))
        validator.validate(data)
        assert data["exit_poll_question"] == expected
    older = to_data(sample_record())
    del older["exit_poll_question"]
    validator.validate(older)  # optional: a record exported before it was added still validates
