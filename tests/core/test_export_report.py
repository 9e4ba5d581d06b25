"""The report's view model: sections, "what we heard", pictures as data URIs."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

from board.core.export.report import Report, build_report, data_uri, what_we_heard
from board.core.record import Workshop, build_record
from board.core.taxonomies import COPRODUCTION, WAKEFIELD, Bilingual
from tests.core.test_record import IDENTITIES, SCRIPT, sample_inputs, sample_record


def decoded(uri: str) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    return base64.b64decode(uri[len(prefix) :]).decode("utf-8")


def test_categories_follow_the_taxonomy_with_counts_and_definitions() -> None:
    report = build_report(sample_record())
    assert [s.key for s in report.categories] == list(WAKEFIELD.keys)
    participation = report.categories[3]
    assert (
        participation.label,
        participation.label_cy,
        participation.confirmed,
        participation.suggested,
    ) == (
        "Participation",
        "Cyfranogiad",
        1,
        3,
    )
    assert participation.notes[0].text == SCRIPT, "confirmed notes come before suggested ones"
    assert all(n.suggested for n in participation.notes[1:])
    (definition,) = participation.definitions
    assert (definition.board_title, definition.excellent[0]) == ("Board 2", "Everyone can take part")


def test_bands_are_named_for_taxonomies_that_have_them() -> None:
    report = build_report(build_record(**{**sample_inputs(), "taxonomy": COPRODUCTION}))
    assert [s.group for s in report.categories] == ["Doing to"] * 4 + ["Doing for"] * 3 + ["Doing with"]


def test_top_voted_notes_come_by_votes() -> None:
    report = build_report(sample_record())
    assert [(n.text, n.votes) for n in report.top_voted] == [
        ("Leaflets through every door", 3),
        ("citizens' jury", 1),
    ]
    assert report.top_voted[1].raised_in == "raised in 2 of 3 groups"
    assert len(build_report(sample_record(), top_voted=1).top_voted) == 1


def test_boards_with_notes_are_listed_with_their_notes() -> None:
    report = build_report(sample_record())
    assert [(b.number, b.title, len(b.notes)) for b in report.boards] == [
        (1, "Breakout 1", 6),
        (2, "Board 2", 6),
        (3, "Board 3", 1),
    ]


def test_what_we_heard_is_a_few_plain_sentences() -> None:
    sentences = what_we_heard(sample_record())
    assert sentences[0] == "We heard 13 notes from 3 groups."
    assert "“Leaflets through every door” (3 votes)" in sentences[2]
    assert "raised in 2 of 3 groups" in sentences[3]
    assert sentences[-1].startswith("In a word or two, you said the session was “inspired”, “useful”")
    assert what_we_heard(
        build_record(workshop=Workshop("x"), taxonomy=WAKEFIELD, boards=[], exported_at=0)
    ) == ("No notes were added in this workshop.",)


def test_suggested_categories_are_not_counted_as_agreed_in_the_summary() -> None:
    sentence = what_we_heard(sample_record())[1]
    assert sentence == (
        "Most of what we sorted was about "
        "Giving Information (1), Forums for Debate (1) and Participation (1)."
    )


def test_pictures_are_svg_data_uris_with_their_words_beside_them() -> None:
    cloud = '<svg xmlns="http://www.w3.org/2000/svg"><text>inspired</text></svg>'
    report = build_report(sample_record(), wordcloud_svg=cloud)
    assert decoded(report.chart.src).startswith("<svg")
    assert report.chart.alt.startswith("Notes per category. Giving Information: 1 note;")
    assert report.wordcloud is not None
    assert decoded(report.wordcloud.src) == cloud
    assert report.wordcloud.alt.startswith("Word cloud of the exit poll: inspired (4), useful (4)")
    assert build_report(sample_record()).wordcloud is None
    assert data_uri("<svg/>") == "data:image/svg+xml;base64,PHN2Zy8+"


def test_what_is_left_out_is_said() -> None:
    report = build_report(sample_record())
    assert (
        report.left_out
        == "Not in this record: 1 note hidden by a facilitator and 1 private note never revealed."
    )
    assert report.dates == "2026-03-19 (first contribution 10:01 UTC)"


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in strings(getattr(value, f.name))]
    if isinstance(value, tuple):
        return [s for item in value for s in strings(item)]
    return []


def test_the_report_holds_nothing_that_identifies_a_participant() -> None:
    report: Report = build_report(sample_record())
    text = "\n".join(strings(report)) + decoded(report.chart.src)
    assert [identity for identity in IDENTITIES if identity in text] == []


def test_the_poll_question_is_in_the_readers_language_when_it_was_asked_in_it() -> None:
    both = build_record(**sample_inputs(), exit_poll_question=Bilingual("How was it?", "Sut oedd hi?"))
    assert build_report(both).poll_question == "How was it?"
    assert build_report(both, lang="cy").poll_question == "Sut oedd hi?"
    english_only = build_record(**sample_inputs(), exit_poll_question=Bilingual("How was it?"))
    assert build_report(english_only, lang="cy").poll_question == "How was it?", "as it was asked"
    assert build_report(sample_record()).poll_question is None
