"""The notes-per-category bar chart, as a standalone, accessible SVG document.

Accessible: `role="img"` with a `<title>` and a `<desc>` that states every number in words, so a
screen reader gets the whole chart; each bar has its own `<title>` too. Confirmed and suggested
notes are told apart by a hatch pattern as well as by colour, so the chart reads in greyscale
print and without colour vision. Every piece of text (category labels may come from a template)
is escaped as XML. The report embeds the chart as an `<img>` data URI, where no script can run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from board.core.record import Record

MEDIA_TYPE: Final = "image/svg+xml"
WIDTH: Final = 640
ROW: Final = 44
"""Height of one category: its label on one line, its bar under it."""
TOP: Final = 40
BAR_HEIGHT: Final = 16
BAR_COLOUR: Final = "#1d4ed8"
"""Solid for confirmed notes, hatched for suggested ones: the hatch, not a second colour, tells
them apart (contrast against white 6.7:1)."""
INK: Final = "#111827"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    """Drawn solid: notes whose category is confirmed."""
    extra: int = 0
    """Drawn hatched after it: notes whose category is only suggested."""


def escape(text: str) -> str:
    """Text safe inside an XML element or a quoted attribute."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def describe(bars: Sequence[Bar], *, extra_name: str = "suggested") -> str:
    """The chart in words, for `<desc>` and for an `<img alt>`."""
    parts = []
    for bar in bars:
        words = (
            f"{bar.value} confirmed, {bar.extra} {extra_name}" if bar.extra else _plural(bar.value, "note")
        )
        parts.append(f"{bar.label}: {words}")
    return "; ".join(parts) + "." if parts else "No notes."


def bar_chart(bars: Sequence[Bar], *, title: str, extra_name: str = "suggested") -> str:
    """A horizontal bar chart, one row per bar, in the order given."""
    largest = max((bar.value + bar.extra for bar in bars), default=0)
    span = WIDTH - 80  # room on the right for the count
    scale = span / largest if largest else 0.0
    height = TOP + ROW * len(bars) + (28 if any(bar.extra for bar in bars) else 8)
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title chart-desc" '
        f'font-family="system-ui, sans-serif" font-size="14">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(describe(bars, extra_name=extra_name))}</desc>',
        "<defs>",
        '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">',
        f'<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="{BAR_COLOUR}"/>',
        "</pattern>",
        "</defs>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="0" y="20" font-size="16" font-weight="bold" fill="{INK}">{escape(title)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = TOP + ROW * i
        solid = round(bar.value * scale, 1)
        hatched = round(bar.extra * scale, 1)
        total = bar.value + bar.extra
        count = str(bar.value) if not bar.extra else f"{bar.value} + {bar.extra}"
        lines.append("<g>")
        lines.append(f"<title>{escape(describe([bar], extra_name=extra_name)[:-1])}</title>")
        lines.append(f'<text x="0" y="{y + 12}" fill="{INK}">{escape(bar.label)}</text>')
        if solid:
            lines.append(
                f'<rect x="0" y="{y + 18}" width="{solid}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            )
        if hatched:
            lines.append(
                f'<rect x="{solid}" y="{y + 18}" width="{hatched}" height="{BAR_HEIGHT}" fill="url(#hatch)" '
                f'stroke="{BAR_COLOUR}" stroke-width="1"/>'
            )
        lines.append(
            f'<text x="{round(total * scale, 1) + 6}" y="{y + 31}" fill="{INK}">{escape(count)}</text>'
        )
        lines.append("</g>")
    if any(bar.extra for bar in bars):
        y = TOP + ROW * len(bars) + 4
        lines += [
            f'<rect x="0" y="{y}" width="14" height="14" fill="{BAR_COLOUR}"/>',
            f'<text x="20" y="{y + 12}" fill="{INK}">confirmed</text>',
            f'<rect x="110" y="{y}" width="14" height="14" fill="url(#hatch)" stroke="{BAR_COLOUR}"/>',
            f'<text x="130" y="{y + 12}" fill="{INK}">{escape(extra_name)}</text>',
        ]
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def category_bars(record: Record, lang: str = "en") -> list[Bar]:
    """One bar per category of the record's taxonomy, in its order: confirmed + suggested."""
    labels = {c.key: c.label.text(lang) for c in record.taxonomy.categories}
    return [Bar(labels[c.key], c.confirmed, c.suggested) for c in record.counts()]


def category_chart(record: Record, lang: str = "en") -> str:
    """The record's notes per category, as SVG."""
    return bar_chart(category_bars(record, lang), title="Notes per category")
