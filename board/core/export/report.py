"""The view model of the printable report (`templates/report.html`) and the Markdown export.

Everything the report shows, worked out here and held as plain, unescaped text: the template
escapes it (Jinja2 autoescape) and `markdown.py` escapes it its own way. No HTML is made here.
The two pictures, the category bar chart and the exit-poll word cloud, travel as SVG `data:`
URIs for an `<img>`: a browser runs no script and fetches nothing inside an image, and the
template needs no `|safe` anywhere. Each picture has its words (`alt`) beside it.

Sections: the workshop at a glance; "what we heard", a few sentences to send back to
participants ("make sure feedback happens", seed 003); notes by category with counts and the
chart, each with the group's definition; the most-voted notes; notes by board; points raised
in several groups; the exit poll.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from board.core.categorise import Source
from board.core.export.svg import Bar, bar_chart, category_bars
from board.core.export.words import ENGLISH, Words
from board.core.record import (
    PollCount,
    Record,
    RecordCluster,
    RecordNote,
    iso_utc,
)

TOP_VOTED: Final = 10
"""Notes in the "most votes" list."""
SUMMARY_QUOTE: Final = 120
"""Characters of a note quoted in "what we heard" before it is cut with an ellipsis."""
SUMMARY_ITEMS: Final = 3
"""Categories, top notes and shared points named in "what we heard": a short note, not a list."""
POLL_WORDS: Final = 5


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    """A `data:image/svg+xml;base64,…` URI."""
    alt: str


@dataclass(frozen=True, slots=True)
class NoteView:
    id: str
    text: str
    board: int
    board_title: str
    category: str | None
    category_label: str | None
    suggested: bool
    """The category is only a suggestion: the report says so beside it."""
    votes: int
    comments: tuple[str, ...]
    raised_in: str | None
    """"raised in 2 of 3 groups" when the note has near-duplicates elsewhere."""


@dataclass(frozen=True, slots=True)
class DefinitionView:
    board_title: str | None
    definition: str
    why: str
    excellent: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CategorySection:
    key: str
    label: str
    label_cy: str | None
    description: str
    group: str | None
    """The band it belongs to ("Doing with"), for taxonomies that have bands."""
    confirmed: int
    suggested: int
    notes: tuple[NoteView, ...]
    """Confirmed notes first, then suggested ones; each by votes, then record order."""
    definitions: tuple[DefinitionView, ...]


@dataclass(frozen=True, slots=True)
class BoardSection:
    number: int
    title: str
    notes: tuple[NoteView, ...]


@dataclass(frozen=True, slots=True)
class SharedPoint:
    """A duplicate cluster: one point several notes (often several groups) made."""

    raised_in: str
    texts: tuple[str, ...]
    votes: int
    groups: int = 1
    """How many groups raised it (the N of `raised_in`)."""


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    dates: str
    """The session's date: the first contribution's date and time (`Record.first_contribution_at`),
    "" when nobody contributed anything."""
    template: str | None
    agenda: tuple[str, ...]
    taxonomy: str
    taxonomy_cy: str | None
    taxonomy_source: str
    total_notes: int
    groups: int
    """Boards that hold at least one note or merged theirs into another's (`Record.groups`)."""
    what_we_heard: tuple[str, ...]
    categories: tuple[CategorySection, ...]
    uncategorised: tuple[NoteView, ...]
    chart: Image
    top_voted: tuple[NoteView, ...]
    boards: tuple[BoardSection, ...]
    shared: tuple[SharedPoint, ...]
    exit_poll: tuple[PollCount, ...]
    wordcloud: Image | None
    left_out: str | None
    """A sentence saying what is not in the record (hidden, private or withdrawn), if anything."""
    exported: str
    schema_version: int
    lang: str = "en"
    purpose: tuple[str, ...] = ()
    """The purpose statement participants read, each version in the report's language."""
    created: str = ""
    """When the workshop was created (set up), as a date and a time; "" when unknown."""
    time_zone: str = "UTC"
    """The time zone every time on the report is in (`Europe/London`)."""
    closed: str | None = None
    """When a facilitator closed it, None while it is open."""
    poll_question: str | None = None
    """The exit poll's question as it was asked, in the report's language (English when it was
    asked in English only): the poll section's intro."""


LocalTime = Callable[[int], tuple[str, str]]
"""A time (ms since the epoch) in the workshop's time zone: `("2026-03-19 10:00", "GMT")`, the
date and time to the minute and the zone's abbreviation then. The edge makes it from the
`BOARD_TIME_ZONE` setting (`board.services.record.local_time`): the core has no time zone database."""


def utc_time(ms: int) -> tuple[str, str]:
    """The `LocalTime` of a report with no time zone given: UTC."""
    at = iso_utc(ms)
    return f"{at[:10]} {at[11:16]}", "UTC"


def data_uri(svg: str) -> str:
    """An SVG document as a `data:` URI for an `<img src>`."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def build_report(
    record: Record,
    *,
    wordcloud_svg: str | None = None,
    top_voted: int = TOP_VOTED,
    lang: str = "en",
    words: Words = ENGLISH,
    local_time: LocalTime = utc_time,
    time_zone: str = "UTC",
) -> Report:
    """The report of a record. `wordcloud_svg` is the exit-poll word cloud (from the word-cloud
    layout), embedded as an image; without it the report lists the words instead. `lang`
    chooses the taxonomy's labels, `words` the report's own sentences (the same language).
    Times are written by `local_time`, in `time_zone` (named on the report)."""
    view = _note_view(record, lang, words)
    order = {note.id: i for i, note in enumerate(record.notes)}

    def by_votes(note: RecordNote) -> tuple[bool, int, int]:
        return (note.source == Source.SUGGESTED, -note.votes, order[note.id])

    sections = _category_sections(record, lang, view, by_votes)
    voted = sorted((n for n in record.notes if n.votes > 0), key=lambda n: (-n.votes, order[n.id]))[
        :top_voted
    ]
    return Report(
        title=record.workshop.title,
        dates=_session_date(record, words, local_time),
        created=_when(record.workshop.starts_at, local_time) or "",
        closed=_when(record.workshop.ends_at, local_time),
        template=record.workshop.template,
        agenda=record.workshop.agenda,
        taxonomy=record.taxonomy.name.text(lang),
        taxonomy_cy=record.taxonomy.name.cy if lang == "en" else None,
        taxonomy_source=record.taxonomy.source,
        total_notes=len(record.notes),
        groups=_groups(record),
        what_we_heard=what_we_heard(record, lang, words),
        categories=sections,
        uncategorised=tuple(view(n) for n in sorted(record.notes_in(None), key=by_votes)),
        chart=_chart(record, lang, words),
        top_voted=tuple(view(n) for n in voted),
        boards=tuple(
            BoardSection(b.number, b.title, tuple(view(n) for n in record.notes_on(b.number)))
            for b in record.boards
            if b.notes
        ),
        shared=_all_shared(record, words),
        exit_poll=record.exit_poll,
        wordcloud=None if wordcloud_svg is None else Image(data_uri(wordcloud_svg), _poll_alt(record, words)),
        left_out=_left_out(record, words),
        purpose=tuple(v.purpose.statement.text(lang) for v in record.workshop.purpose),
        poll_question=None if record.exit_poll_question is None else record.exit_poll_question.text(lang),
        exported=_when(record.exported_at, local_time) or "",
        time_zone=time_zone,
        schema_version=record.schema_version,
        lang=lang,
    )


def _chart(record: Record, lang: str, words: Words) -> Image:
    """Notes per category as a bar chart, with its title and what it shows as the alt text."""
    bars = category_bars(record, lang)
    title = words("report.chart_title")
    chart = bar_chart(bars, title=title, extra_name=words("report.suggested_mark"))
    return Image(data_uri(chart), f"{title}. {_describe(words, bars)}")


def _note_view(record: Record, lang: str, words: Words) -> Callable[[RecordNote], NoteView]:
    """How the report shows a note: with its board's title, its category's label in `lang`,
    and "raised in N of M groups" when more than one group made the point."""
    categories = {c.key: c for c in record.taxonomy.categories}
    titles = {b.number: b.title for b in record.boards}

    def view(note: RecordNote) -> NoteView:
        category = categories.get(note.category) if note.category is not None else None
        return NoteView(
            id=note.id,
            text=note.text,
            board=note.board,
            board_title=titles.get(note.board, ""),
            category=note.category,
            category_label=category.label.text(lang) if category else None,
            suggested=note.source == Source.SUGGESTED,
            votes=note.votes,
            comments=note.comments,
            raised_in=_raised(words, len(note.raised_in), record.groups) if len(note.raised_in) > 1 else None,
        )

    return view


def _category_sections(
    record: Record,
    lang: str,
    view: Callable[[RecordNote], NoteView],
    by_votes: Callable[[RecordNote], tuple[bool, int, int]],
) -> tuple[CategorySection, ...]:
    """A section per category with notes, in the taxonomy's order: its notes (confirmed first,
    most votes first) and the definitions the groups wrote for it."""
    categories = {c.key: c for c in record.taxonomy.categories}
    groups_by_key = {g.key: g.label.text(lang) for g in record.taxonomy.groups}
    titles = {b.number: b.title for b in record.boards}
    sections = []
    for count in record.counts():
        category = categories[count.key]
        definitions = tuple(
            DefinitionView(
                titles.get(d.board) if d.board is not None else None, d.definition, d.why, d.excellent
            )
            for d in record.definitions
            if d.category == category.key
        )
        sections.append(
            CategorySection(
                key=category.key,
                label=category.label.text(lang),
                label_cy=category.label.cy if lang == "en" else None,
                description=category.description.text(lang),
                group=groups_by_key.get(category.group) if category.group else None,
                confirmed=count.confirmed,
                suggested=count.suggested,
                notes=tuple(view(n) for n in sorted(record.notes_in(count.key), key=by_votes)),
                definitions=definitions,
            )
        )
    return tuple(sections)


def what_we_heard(record: Record, lang: str = "en", words: Words = ENGLISH) -> tuple[str, ...]:
    """A few plain sentences to send back to the people who took part."""
    if not record.notes:
        return (words("report.heard.none"),)
    groups = _groups(record)
    notes = words.count("report.count.note", len(record.notes))
    sentences = [
        words("report.heard.notes_groups", notes=notes, groups=words.count("report.count.group", groups))
        if groups > 1
        else words("report.heard.notes", notes=notes)
    ]
    labels = {c.key: c.label.text(lang) for c in record.taxonomy.categories}
    confirmed = sorted((c for c in record.counts() if c.confirmed), key=lambda c: -c.confirmed)[
        :SUMMARY_ITEMS
    ]
    if confirmed:
        named = [f"{labels[c.key]} ({c.confirmed})" for c in confirmed]
        sentences.append(words("report.heard.sorted", list=words.join(named)))
    order = {note.id: i for i, note in enumerate(record.notes)}
    voted = sorted((n for n in record.notes if n.votes > 0), key=lambda n: (-n.votes, order[n.id]))
    if voted:
        named = [
            f"{_quote(n.text)} ({words.count('report.count.vote', n.votes)})" for n in voted[:SUMMARY_ITEMS]
        ]
        sentences.append(words("report.heard.voted", list=words.join(named)))
    shared = [point for point in _all_shared(record, words) if point.groups > 1]
    if shared:
        named = [f"{_quote(point.texts[0])} ({point.raised_in})" for point in shared[:SUMMARY_ITEMS]]
        if len(shared) > SUMMARY_ITEMS:  # say that there were more, and how many
            named.append(words.count("report.count.more", len(shared) - SUMMARY_ITEMS))
        sentences.append(words("report.heard.shared", list=words.join(named)))
    if record.definitions:
        defined = sorted({d.category for d in record.definitions}, key=record.taxonomy.index)
        sentences.append(words("report.heard.defined", list=words.join([labels[key] for key in defined])))
    if record.exit_poll:
        said = [_quote(p.word) for p in record.exit_poll[:POLL_WORDS]]
        sentences.append(words("report.heard.poll", list=words.join(said)))
    return tuple(sentences)


def _raised(words: Words, raised: int, groups: int) -> str:
    """ "raised in 2 of 3 groups", in the report's language."""
    return words.count("report.raised_in", groups, raised=raised)


def _describe(words: Words, bars: list[Bar]) -> str:
    """The chart in words, for its `alt`."""
    parts = [
        words(
            "report.bar.split",
            label=bar.label,
            confirmed=bar.value,
            suggested=bar.extra,
        )
        if bar.extra
        else words("report.bar.notes", label=bar.label, notes=words.count("report.count.note", bar.value))
        for bar in bars
    ]
    return "; ".join(parts) + "." if parts else words("report.no_notes")


def _all_shared(record: Record, words: Words = ENGLISH) -> tuple[SharedPoint, ...]:
    """Each duplicate cluster, then each note that merged several groups' notes into one."""
    notes = {n.id: n for n in record.notes}
    points = [
        _shared(record, [notes[i] for i in cluster.notes], cluster, words) for cluster in record.duplicates
    ]
    points += [_shared(record, [n], None, words) for n in record.notes if n.cluster is None and n.raised_in]
    return tuple(points)


def _shared(
    record: Record, members: list[RecordNote], cluster: RecordCluster | None, words: Words
) -> SharedPoint:
    raised = len(members[0].raised_in) or (cluster.raised_in if cluster is not None else 1)
    return SharedPoint(
        _raised(words, raised, record.groups),
        tuple(n.text for n in members),
        sum(n.votes for n in members),
        raised,
    )


def _groups(record: Record) -> int:
    return record.groups


def _when(ms: int | None, local_time: LocalTime) -> str | None:
    """A time as the report writes it: `2026-03-19 10:00 GMT`."""
    if ms is None:
        return None
    at, zone = local_time(ms)
    return f"{at} {zone}"


def _session_date(record: Record, words: Words, local_time: LocalTime) -> str:
    """The session's date: the day of its first contribution, with the time of it."""
    first = record.first_contribution_at
    if first is None:
        return ""
    at, zone = local_time(first)
    return words("report.session_date", date=at[:10], time=f"{at[11:16]} {zone}")


def _left_out(record: Record, words: Words) -> str | None:
    parts = []
    if record.excluded.hidden_notes:
        notes = words.count("report.count.note", record.excluded.hidden_notes)
        parts.append(words("report.left.hidden", notes=notes))
    if record.excluded.private_notes:
        notes = words.count("report.count.private_note", record.excluded.private_notes)
        parts.append(words("report.left.private", notes=notes))
    if record.excluded.withdrawn:
        items = words.count("report.count.contribution", record.excluded.withdrawn)
        parts.append(words("report.left.withdrawn", items=items))
    if not parts:
        return None
    return words("report.left.sentence", list=words.join(parts))


def _poll_alt(record: Record, words: Words) -> str:
    if not record.exit_poll:
        return words("report.poll_alt.none")
    said = ", ".join(f"{p.word} ({p.count})" for p in record.exit_poll)
    return words("report.poll_alt.words", words=said)


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > SUMMARY_QUOTE:
        flat = flat[: SUMMARY_QUOTE - 1].rstrip() + "…"
    return f"“{flat}”"
