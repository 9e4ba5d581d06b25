"""The record as Markdown: the report's content as plain text, for e-mail, a wiki or a repo.

It renders the same view model as the HTML report (`report.py`), its pictures drawn as text
(`text_chart`: the notes per category, the exit-poll words by count). Everything people wrote
is escaped so that it shows as written and never becomes markup: `&`, `<` and `>` as HTML
entities (Markdown passes raw HTML through, so `<script>` would otherwise reach a renderer),
the characters that make emphasis, code, links and tables (`\\ ` * _ [ ] | ~`) with a
backslash, and at the start of a line whatever would begin a heading, a list or a rule (the
text charts are code blocks, which a renderer escapes itself). A note of several lines keeps
its lines (as hard line breaks) but not its blank lines or indentation: the JSON and CSV
exports keep the text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from board.core.export.report import CategorySection, NoteView, Report, build_report
from board.core.record import Record

MEDIA_TYPE: Final = "text/markdown; charset=utf-8"

_INLINE: Final = re.compile(r"([\\`*_\[\]|~])")
_LINE_START: Final = re.compile(r"^(?:[#+=-]|\d+(?=[.)]))")
"""What at the start of a line begins a heading, a list or a rule ("-", "1.", "=" under a line)."""


def escape(text: str) -> str:
    """One line of text, safe as Markdown (see the module docstring)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text.strip())
    start = _LINE_START.match(text)
    if start is None:
        return text
    if start.group()[0].isdigit():  # "1. " would begin a numbered list: escape the dot
        return start.group() + "\\" + text[start.end() :]
    return "\\" + text


def block(text: str, indent: str = "") -> str:
    """Text of any number of lines as escaped Markdown lines joined by hard line breaks, each
    continuation line indented by `indent` so that it stays inside a list item."""
    lines = [escape(line) for line in text.splitlines() if line.strip()]
    return ("\\\n" + indent).join(lines) if lines else "*(empty note)*"


def render(record: Record, *, report: Report | None = None) -> str:
    """The Markdown document, from the report's view model (built here unless given)."""
    view = report if report is not None else build_report(record)
    out = [*_heading(view), *_purpose(view), "## What we heard", ""]
    out += [f"- {escape(sentence)}" for sentence in view.what_we_heard]
    out.append("")
    if view.agenda:
        out += ["## Agenda", ""]
        out += [f"{i}. {escape(item)}" for i, item in enumerate(view.agenda, start=1)]
        out.append("")
    out += _by_category(view)
    if view.top_voted:
        out += ["## Most votes", ""]
        out += [_note(n, bullet=f"{i}.") for i, n in enumerate(view.top_voted, start=1)]
        out.append("")
    if view.boards:
        out += ["## By board", ""]
        for board in view.boards:
            out += [f"### {escape(board.title)}", ""]
            out += [_note(n, with_board=False) for n in board.notes]
            out.append("")
    if view.shared:
        out += ["## Raised more than once", ""]
        for point in view.shared:
            texts = " / ".join(f"“{block(text, '  ')}”" for text in point.texts)  # as written, like the rest
            out.append(f"- {texts}: {escape(point.raised_in)}, {_votes(point.votes)}")
        out.append("")
    if view.exit_poll:
        asked = f"We asked: “{escape(view.poll_question)}”" if view.poll_question else "In one or two words:"
        out += ["## Exit poll", "", asked, ""]
        out += [*text_chart([(p.word, p.count, 0) for p in view.exit_poll]), ""]
    if view.left_out:
        out += [f"*{escape(view.left_out)}*", ""]
    out.append(
        f"*Exported {escape(view.exported)} from Workshop Board (record schema {view.schema_version}).*"
    )
    return "\n".join(out) + "\n"


def _heading(view: Report) -> list[str]:
    """The title, and one line of facts: when, from which template, in which time zone, with
    which categories."""
    facts = [
        escape(part)
        for part in (
            view.dates,
            view.created and f"workshop created {view.created}",
            view.closed and f"closed {view.closed}",
            view.template and f"template: {view.template}",
            f"times in {view.time_zone}",
        )
        if part
    ]
    taxonomy = escape(view.taxonomy) + (f" ({escape(view.taxonomy_cy)})" if view.taxonomy_cy else "")
    facts.append(f"categories: {taxonomy}")
    return [f"# {escape(view.title)}", "", " · ".join(facts), ""]


def _purpose(view: Report) -> list[str]:
    if not view.purpose:
        return []
    out = ["## Purpose, as participants read it", ""]
    if len(view.purpose) == 1:
        return [*out, block(view.purpose[0]), ""]
    return [*out, *(f"{i}. {block(text, '   ')}" for i, text in enumerate(view.purpose, start=1)), ""]


def _by_category(view: Report) -> list[str]:
    """The counts per category as a table and a text chart, then each category's notes."""
    out = ["## By category", "", "| Category | Confirmed | Suggested |", "|---|---:|---:|"]
    out += [f"| {_label(s)} | {s.confirmed} | {s.suggested} |" for s in view.categories]
    out.append("")
    bars = [(s.label, s.confirmed, s.suggested) for s in view.categories]
    if any(confirmed or suggested for _, confirmed, suggested in bars):
        out += [*text_chart(bars), ""]
        if any(suggested for _, _, suggested in bars):
            out += [f"*{CONFIRMED_BLOCK} confirmed, {SUGGESTED_BLOCK} suggested (not yet accepted).*", ""]
    for section in view.categories:
        out += _category(section)
    if view.uncategorised:
        out += ["### Not yet categorised", ""]
        out += [_note(n, with_category=False) for n in view.uncategorised]
        out.append("")
    return out


CHART_WIDTH: Final = 24
"""Characters in the longest bar of a text chart."""
CONFIRMED_BLOCK: Final = "█"
SUGGESTED_BLOCK: Final = "░"


def text_chart(rows: Sequence[tuple[str, int, int]]) -> list[str]:
    """A bar chart in text: per row a label, a bar of blocks scaled to the largest count (█ for
    the count, ░ for the `extra`, suggested notes) and the numbers, aligned. It is an indented
    code block, so every Markdown renderer shows it in a fixed-width font exactly as written:
    what people wrote (a poll word) needs no escaping there and cannot become markup, since a
    renderer escapes a code block's `<`, `>` and `&` itself."""
    if not rows:
        return []
    largest = max(value + extra for _, value, extra in rows) or 1
    labels = [" ".join(label.split()) for label, _, _ in rows]
    width = max(len(label) for label in labels)
    lines = []
    for label, (_, value, extra) in zip(labels, rows, strict=True):
        solid, light = _cells(value, largest), _cells(extra, largest)
        over = solid + light - CHART_WIDTH
        if over > 0:  # two roundings up: take the cell back from the longer part
            solid, light = (solid - over, light) if solid >= light else (solid, light - over)
        bar = CONFIRMED_BLOCK * solid + SUGGESTED_BLOCK * light
        numbers = f"{value} + {extra} suggested" if extra else str(value)
        lines.append(f"    {label.ljust(width)}  {bar.ljust(CHART_WIDTH)}  {numbers}".rstrip())
    return lines


def _cells(count: int, largest: int) -> int:
    """Cells of a bar: in proportion to the largest count, at least one for any count."""
    return 0 if count <= 0 else max(1, round(count * CHART_WIDTH / largest))


def _label(section: CategorySection) -> str:
    label = escape(section.label)
    return f"{label} / {escape(section.label_cy)}" if section.label_cy else label


def _category(section: CategorySection) -> list[str]:
    count = section.confirmed + section.suggested
    heading = f"### {_label(section)}: {count} {'note' if count == 1 else 'notes'}"
    out = [heading, ""]
    if section.group:
        out.append(f"*{escape(section.group)}.* {escape(section.description)}")
    else:
        out.append(escape(section.description))
    out.append("")
    for definition in section.definitions:
        by = f" ({escape(definition.board_title)})" if definition.board_title else ""
        if definition.definition:
            out += [f"**Our definition{by}:** {block(definition.definition)}", ""]
        if definition.why:
            out += [f"**Why use it:** {block(definition.why)}", ""]
        if definition.excellent:
            out += ["**What excellent looks like:**", ""]
            out += [f"- {block(point, '  ')}" for point in definition.excellent]
            out.append("")
    if section.notes:
        if section.definitions:
            out += ["**Notes:**", ""]
        out += [_note(n, with_category=False) for n in section.notes]
        out.append("")
    return out


def _note(note: NoteView, *, bullet: str = "-", with_category: bool = True, with_board: bool = True) -> str:
    indent = " " * (len(bullet) + 1)
    details = [_votes(note.votes)] if note.votes else []
    if with_category and note.category_label:
        details.append(escape(note.category_label) + (" (suggested)" if note.suggested else ""))
    elif note.suggested:
        details.append("suggested")
    if with_board:
        details.append(escape(note.board_title))
    if note.raised_in:
        details.append(escape(note.raised_in))
    line = f"{bullet} {block(note.text, indent)}"
    if details:
        line += f" ({', '.join(details)})"
    for comment in note.comments:
        line += f"\n{indent}- comment: {block(comment, indent + '  ')}"
    return line


def _votes(n: int) -> str:
    return f"{n} vote" if n == 1 else f"{n} votes"
