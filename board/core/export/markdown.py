"""The record as Markdown: the report's content as plain text, for e-mail, a wiki or a repo.

It renders the same view model as the HTML report (`report.py`). Everything people wrote is
escaped so that it shows as written and never becomes markup: `&`, `<` and `>` as HTML
entities (Markdown passes raw HTML through, so `<script>` would otherwise reach a renderer),
the characters that make emphasis, code, links and tables (`\\ ` * _ [ ] | ~`) with a
backslash, and at the start of a line whatever would begin a heading, a list or a rule. A note
of several lines keeps its lines (as hard line breaks) but not its blank lines or indentation:
the JSON and CSV exports keep the text exactly.
"""

from __future__ import annotations

import re
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
    out: list[str] = [f"# {escape(view.title)}", ""]
    facts = [
        escape(part)
        for part in (
            view.dates,
            view.created and f"workshop created {view.created}",
            view.closed and f"closed {view.closed}",
            view.template and f"template: {view.template}",
        )
        if part
    ]
    taxonomy = escape(view.taxonomy) + (f" ({escape(view.taxonomy_cy)})" if view.taxonomy_cy else "")
    facts.append(f"categories: {taxonomy}")
    out += [" · ".join(facts), ""]

    if view.purpose:
        out += ["## Purpose, as participants read it", ""]
        if len(view.purpose) == 1:
            out += [block(view.purpose[0]), ""]
        else:
            out += [f"{i}. {block(text, '   ')}" for i, text in enumerate(view.purpose, start=1)]
            out.append("")

    out += ["## What we heard", ""]
    out += [f"- {escape(sentence)}" for sentence in view.what_we_heard]
    out.append("")

    if view.agenda:
        out += ["## Agenda", ""]
        out += [f"{i}. {escape(item)}" for i, item in enumerate(view.agenda, start=1)]
        out.append("")

    out += ["## By category", "", "| Category | Confirmed | Suggested |", "|---|---:|---:|"]
    out += [f"| {_label(s)} | {s.confirmed} | {s.suggested} |" for s in view.categories]
    out.append("")
    for section in view.categories:
        out += _category(section)
    if view.uncategorised:
        out += ["### Not yet categorised", ""]
        out += [_note(n, with_category=False) for n in view.uncategorised]
        out.append("")

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
            texts = " / ".join(f"“{escape(' '.join(text.split()))}”" for text in point.texts)
            out.append(f"- {texts}: {escape(point.raised_in)}, {_votes(point.votes)}")
        out.append("")

    if view.exit_poll:
        asked = f"We asked: “{escape(view.poll_question)}”" if view.poll_question else "In one or two words:"
        out += ["## Exit poll", "", asked, ""]
        out += [f"- {escape(p.word)} ({p.count})" for p in view.exit_poll]
        out.append("")

    if view.left_out:
        out += [f"*{escape(view.left_out)}*", ""]
    out.append(
        f"*Exported {escape(view.exported)} from Workshop Board (record schema {view.schema_version}).*"
    )
    return "\n".join(out) + "\n"


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
