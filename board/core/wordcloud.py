"""The exit poll's word cloud: a deterministic layout, and its SVG.

The promises, and how they are kept:

- **Size by count.** A word's font size grows with the square root of its count (so its area
  grows about in proportion), from `MIN_SIZE` for one answer to `MAX_SIZE` for the most given.
- **No two words overlap.** Not their glyphs: their boxes. Each word's box (its advance width
  by the font's real metrics, by the font's ascent plus descent) is padded and marked on an
  occupancy grid; a word goes only where its whole padded box is free.
- **Deterministic.** No randomness at all: words are placed biggest first (ties by the word),
  each at the free place nearest the centre (ties by row, then column), with integer grid
  arithmetic. The same counts give the same layout and a byte-identical SVG.
- **Nothing dropped.** There is no fixed canvas: a word that does not fit near the centre goes
  further out, and the picture is as big as what was placed. Every word given is in it.
- **Readable and accessible.** Horizontal words only (easier for everyone, and for people not
  confident readers); colours from a palette with at least 4.5:1 contrast on white; the SVG has
  a `<title>` and a `<desc>` listing the words with their counts, and its words are real text.

Finding the nearest free place is a search over grid rows kept as Python integers, one bit a
cell: for a band of rows, OR-ing them gives the taken cells, and shifting the free cells
against themselves gives every column where the word's width fits, so one band costs a few
big-integer operations whatever its width. Bands are searched outward from the centre and the
search stops as soon as a band's vertical distance alone exceeds the best place found.

Fonts: the core reads no files. The caller passes `FontMetrics` (ascent, descent and a
`measure` function giving a text's advance width at 1 em), measured from the font the PNG is
drawn with (`static/fonts/DejaVuSans.ttf`). In the SVG every word also carries `textLength`, so
a viewer that draws it in another font still gives it exactly the width it was laid out with.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape, quoteattr

MIN_SIZE: Final = 16.0
"""Font size (px) of a word given once."""
MAX_SIZE: Final = 64.0
"""Font size (px) of the most given word, when some word was given more than once."""
SINGLE_SIZE: Final = 32.0
"""Font size (px) of every word when each was given exactly once (no word stands out)."""
PADDING: Final = 3.0
"""Clear space (px) kept around every word's box: at least twice this between two words."""
MARGIN: Final = 12.0
"""Space (px) around the whole cloud."""
CELL: Final = 2
"""Occupancy grid cell (px): finer packs tighter, coarser lays out faster."""
ROOM: Final = 64
"""Columns added at once when the grid needs room on the left (fewer, bigger shifts)."""
CLOUD_WORDS: Final = 200
"""Words laid out as a cloud, most given first. Any further words (a very large event) are not
dropped: they follow under the cloud in lines, at the smallest size, which costs nothing to lay
out. 200 words take about 0.15 s (`bench`-style figure in docs/exit-poll.md)."""
MIN_FLOW_WIDTH: Final = 480.0
"""Narrowest line of the words under the cloud (px)."""
FLOW_GAP: Final = 16.0
"""Space (px) between the cloud and the lines of words under it."""
ASPECT: Final = 1.6
"""How much wider than tall the cloud grows: distances across count this much less."""
FONT_FAMILY: Final = "DejaVu Sans, Verdana, Bitstream Vera Sans, sans-serif"
"""What the SVG asks for: the laid-out font first, then fonts with close metrics."""
PALETTE: Final = ("#1d4e89", "#8a1c4a", "#1e6b3a", "#7a4306", "#4b3b8f", "#0b5d66", "#9b1c1c", "#374151")
"""Word colours, each with a contrast of at least 7:1 on white (WCAG AAA for any size)."""
BACKGROUND: Final = "#ffffff"


@dataclass(frozen=True, slots=True)
class FontMetrics:
    """A font's metrics, as fractions of its size (1 em)."""

    ascent: float
    descent: float
    measure: Callable[[str], float]
    """The advance width of a text at 1 em."""


@dataclass(frozen=True, slots=True)
class PlacedWord:
    """A word in the cloud. (`x`, `y`) is the top left of its box; the text's baseline is at
    `y + ascent` (`baseline`). `width` is the advance width at `size`."""

    text: str
    count: int
    size: float
    x: float
    y: float
    width: float
    height: float
    baseline: float
    colour: str

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom)."""
        return (self.x, self.y, self.x + self.width, self.y + self.height)


@dataclass(frozen=True, slots=True)
class Cloud:
    width: float
    height: float
    words: tuple[PlacedWord, ...]


def font_size(count: int, most: int, *, low: float = MIN_SIZE, high: float = MAX_SIZE) -> float:
    """The font size of a word given `count` times when the most given word has `most`."""
    if most <= 1:
        return SINGLE_SIZE
    return low + (high - low) * math.sqrt((count - 1) / (most - 1))


def colour(text: str) -> str:
    """A word's colour, from its text alone (FNV-1a of its code points): a word keeps its colour
    as the cloud changes around it."""
    value = 0x811C9DC5
    for ch in text.casefold():
        value = ((value ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return PALETTE[value % len(PALETTE)]


def _order(item: tuple[str, int]) -> tuple[int, str, str]:
    return (-item[1], item[0].casefold(), item[0])


def layout(counts: Sequence[tuple[str, int]], metrics: FontMetrics) -> Cloud:
    """Place every word (text, count) of `counts` (see the module docstring). Words with a
    count below one, or with no text, are not words and are skipped; duplicates are added."""
    merged: dict[str, int] = {}
    for text, count in counts:
        if text and count > 0:
            merged[text] = merged.get(text, 0) + count
    items = sorted(merged.items(), key=_order)
    if not items:
        return Cloud(2 * MARGIN, 2 * MARGIN, ())
    most = items[0][1]
    sized = []
    for text, count in items:
        size = font_size(count, most)
        width = metrics.measure(text) * size
        height = (metrics.ascent + metrics.descent) * size
        cols = math.ceil((width + 2 * PADDING) / CELL)
        rows = math.ceil((height + 2 * PADDING) / CELL)
        sized.append((text, count, size, width, height, cols, rows))
    cloud_part, rest = sized[:CLOUD_WORDS], sized[CLOUD_WORDS:]
    grid = _Grid(max(s[6] for s in cloud_part))
    spots = [grid.place(cols, rows) for *_, cols, rows in cloud_part]
    left = min(col for col, _ in spots)
    top = min(row for _, row in spots)
    right = max(col + s[5] for (col, _), s in zip(spots, cloud_part, strict=True))
    bottom = max(row + s[6] for (_, row), s in zip(spots, cloud_part, strict=True))
    words = []
    for (col, row), (text, count, size, width, height, cols, rows) in zip(spots, cloud_part, strict=True):
        # Centre the word in its cells; the cells hold its box plus at least PADDING all round.
        x = MARGIN + (col - left) * CELL + (cols * CELL - width) / 2
        y = MARGIN + (row - top) * CELL + (rows * CELL - height) / 2
        words.append(
            PlacedWord(text, count, size, x, y, width, height, y + metrics.ascent * size, colour(text))
        )
    width = max((right - left) * CELL, MIN_FLOW_WIDTH if rest else 0)
    height = (bottom - top) * CELL
    if rest:
        flowed, height = _flow(rest, metrics, width, height + FLOW_GAP)
        words += flowed
    return Cloud(width + 2 * MARGIN, height + 2 * MARGIN, tuple(words))


def _flow(
    sized: list[tuple[str, int, float, float, float, int, int]],
    metrics: FontMetrics,
    width: float,
    top: float,
) -> tuple[list[PlacedWord], float]:
    """Words past `CLOUD_WORDS`, in centred lines under the cloud (like text); the new height."""
    lines: list[list[tuple[str, int, float, float, float, int, int]]] = [[]]
    used = 0.0
    for item in sized:
        need = item[3] + 2 * PADDING
        if lines[-1] and used + need > width:
            lines.append([])
            used = 0.0
        lines[-1].append(item)
        used += need
    placed = []
    y = top
    for line in lines:
        tall = max(item[4] for item in line) + 2 * PADDING
        x = MARGIN + (width - sum(item[3] + 2 * PADDING for item in line)) / 2
        for text, count, size, word_width, word_height, _, _ in line:
            box_y = MARGIN + y + (tall - word_height) / 2
            placed.append(
                PlacedWord(
                    text,
                    count,
                    size,
                    x + PADDING,
                    box_y,
                    word_width,
                    word_height,
                    box_y + metrics.ascent * size,
                    colour(text),
                )
            )
            x += word_width + 2 * PADDING
        y += tall
    return placed, y


class _Grid:
    """Taken cells, one Python integer per row, bit `c + offset` for column `c`.

    Rows are kept in a sparse table: `levels[k][r]` is the OR of rows r .. r + 2**k - 1, so the
    taken cells of any band of rows are the OR of two entries, whatever its height (OR, like
    min, may count a row twice). The integers are only as wide as the cloud: when a word might
    need room left of bit 0, every row is shifted (`_make_room`)."""

    def __init__(self, tallest: int) -> None:
        self.offset = 0
        self.low = 0
        """Lowest bit taken in any row (when `high` > `low`)."""
        self.high = 0
        """One past the highest bit taken in any row."""
        self.levels: list[dict[int, int]] = [{} for _ in range(max(1, tallest).bit_length())]

    def _make_room(self, cols: int) -> None:
        """Keep `cols` free bits left of everything, and of the centred target."""
        need = cols + 1 - min(self.low, self.offset - cols // 2) if self.high > self.low else 0
        need = max(need, cols + 1 - (self.offset - cols // 2))
        if need <= 0:
            return
        shift = need + ROOM
        for level in self.levels:
            for row in level:
                level[row] <<= shift
        self.offset += shift
        self.low += shift
        self.high += shift

    def taken(self, top: int, rows: int) -> int:
        k = rows.bit_length() - 1
        level = self.levels[k]
        return level.get(top, 0) | level.get(top + rows - (1 << k), 0)

    def take(self, top: int, rows: int, bit: int, cols: int) -> None:
        block = ((1 << cols) - 1) << bit
        for k, level in enumerate(self.levels):
            for start in range(top - (1 << k) + 1, top + rows):
                level[start] = level.get(start, 0) | block
        self.low = bit if self.high == self.low else min(self.low, bit)
        self.high = max(self.high, bit + cols)

    def place(self, cols: int, rows: int) -> tuple[int, int]:
        """Take the free cols x rows block nearest the centre; its top-left (column, row)."""
        self._make_room(cols)
        target = self.offset - cols // 2  # the bit of the left column that centres the block
        full = (1 << (max(self.high, target + cols) + cols + 1)) - 1
        top0 = -(rows // 2)
        best: tuple[float, int, int] | None = None
        for dy in _outward():
            vertical = (dy * CELL) ** 2
            if best is not None and vertical > best[0]:
                break
            top = top0 + dy
            taken = self.taken(top, rows)
            bit = target if taken == 0 else _nearest_fit(~taken & full, cols, target)
            if bit is None:
                continue
            distance = (((bit - target) * CELL) / ASPECT) ** 2 + vertical
            if best is None or distance < best[0]:
                best = (distance, top, bit)
        assert best is not None  # rows far enough out are empty
        _, top, bit = best
        self.take(top, rows, bit, cols)
        return bit - self.offset, top


def _outward() -> Iterator[int]:
    """0, -1, 1, -2, 2, ...: row offsets from the centre, nearest first, upper first."""
    yield 0
    step = 1
    while True:
        yield -step
        yield step
        step += 1


def _nearest_fit(free: int, width: int, target: int) -> int | None:
    """The bit nearest `target` that starts `width` free bits in a row (ties to the left)."""
    fits = free
    run = 1
    while run < width:  # after this, bit i is set when bits i .. i+run-1 are all free
        step = min(run, width - run)
        fits &= fits >> step
        run += step
    if not fits:
        return None
    after = fits >> target
    right = target + ((after & -after).bit_length() - 1) if after else None
    before = fits & ((1 << target) - 1)
    left = before.bit_length() - 1 if before else None
    if right is None:
        return left
    if left is None or right - target < target - left:
        return right
    return left


# --- SVG --------------------------------------------------------------------------------------


def _number(value: float) -> str:
    """A coordinate with one decimal, without a trailing .0: stable text for stable input."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _xml_text(text: str) -> str:
    """Text safe in XML 1.0: characters XML cannot hold are dropped."""
    return "".join(
        ch
        for ch in text
        if ch in "\t\n\r" or (" " <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch >= "\U00010000"
    )


def render_svg(cloud: Cloud, *, title: str, description: str, lang: str = "en") -> str:
    """The cloud as a standalone SVG document: a `<title>` and `<desc>` (the words and their
    counts, for screen readers), then one `<text>` per word, biggest first."""
    width, height = _number(cloud.width), _number(cloud.height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="wordcloud-title wordcloud-desc" '
        f"lang={quoteattr(lang)} xml:lang={quoteattr(lang)}>",
        f'<title id="wordcloud-title">{escape(_xml_text(title))}</title>',
        f'<desc id="wordcloud-desc">{escape(_xml_text(description))}</desc>',
        f'<rect width="100%" height="100%" fill="{BACKGROUND}"/>',
        f"<g font-family={quoteattr(FONT_FAMILY)}>",
    ]
    for word in cloud.words:
        out.append(
            f'<text x="{_number(word.x)}" y="{_number(word.baseline)}" font-size="{_number(word.size)}" '
            f'fill="{word.colour}" textLength="{_number(word.width)}" lengthAdjust="spacingAndGlyphs">'
            f"{escape(_xml_text(word.text))}</text>"
        )
    out += ["</g>", "</svg>"]
    return "\n".join(out) + "\n"
