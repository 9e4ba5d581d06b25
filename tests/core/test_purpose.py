"""The purpose statement and its versions (issue 10): people who joined earlier read earlier
words, so no version is ever overwritten, and the record lists them all."""

from __future__ import annotations

from board.core.errors import ErrorCode, ProtocolError
from board.core.purpose import MAX_VERSIONS, Purpose, current, revise, versions
from board.core.taxonomies import Bilingual

T0 = 1_773_914_400_000
FIRST = Purpose(Bilingual("Plan the new library together.", "Cynllunio'r llyfrgell newydd gyda'n gilydd."))


def test_a_template_purpose_is_the_first_version_from_when_the_workshop_was_made() -> None:
    details = {"purpose": {"en": "A vision for engagement.", "cy": "Gweledigaeth ar gyfer ymgysylltu."}}
    (first,) = versions(details, T0)
    assert (first.number, first.since) == (1, T0)
    assert first.purpose.statement == Bilingual(
        "A vision for engagement.", "Gweledigaeth ar gyfer ymgysylltu."
    )
    assert versions({}, T0) == ()
    assert versions({"purpose": {"en": "  "}}, T0) == ()


def test_a_new_version_keeps_the_ones_before_and_becomes_current() -> None:
    details: dict[str, object] = {"purpose": {"en": "A vision for engagement.", "cy": None}}
    changes = revise(details, T0, FIRST, T0 + 60_000)
    assert isinstance(changes, dict)
    details.update(changes)
    found = versions(details, T0)
    assert [(v.number, v.since, v.purpose.statement.en) for v in found] == [
        (1, T0, "A vision for engagement."),
        (2, T0 + 60_000, "Plan the new library together."),
    ]
    assert current(details, T0) == found[-1]
    assert details["purpose"] == {"en": FIRST.statement.en, "cy": FIRST.statement.cy}, "templates' key kept"


def test_saying_the_same_again_makes_no_version() -> None:
    details = revise({}, T0, FIRST, T0)
    assert isinstance(details, dict)
    assert revise(details, T0, FIRST, T0 + 1) is None


def test_each_version_is_dated_when_it_was_saved_and_saying_it_again_keeps_that_date() -> None:
    """`since` is the moment a version was saved: from then on everyone joining reads it (the
    record and the dashboard say "shown from"). Nobody needs to have joined for it to count."""
    details: dict[str, object] = {}
    for i, saved in enumerate((T0, T0 + 1000, T0 + 5000)):
        changes = revise(details, T0, Purpose(Bilingual(f"version {i + 1}")), saved)
        assert isinstance(changes, dict)
        details.update(changes)
    assert revise(details, T0, Purpose(Bilingual("version 3")), T0 + 9000) is None
    assert [v.since for v in versions(details, T0)] == [T0, T0 + 1000, T0 + 5000]


def test_versions_are_bounded_and_the_refusal_names_the_field() -> None:
    details: dict[str, object] = {}
    for i in range(MAX_VERSIONS):
        changes = revise(details, T0, Purpose(Bilingual(f"v{i}")), T0 + i)
        assert isinstance(changes, dict)
        details.update(changes)
    refused = revise(details, T0, Purpose(Bilingual("one too many")), T0 + 10**6)
    assert isinstance(refused, ProtocolError)
    assert (refused.code, refused.field) == (ErrorCode.TOO_MANY, "statement")


def test_what_a_hand_edited_database_holds_is_passed_over() -> None:
    details = {"purpose_versions": [{"since": "yesterday"}, {"since": T0, "statement": {"en": "Kept"}}, 7]}
    (only,) = versions(details, T0)
    assert (only.number, only.purpose.statement.en) == (1, "Kept")
