"""The exit poll's word cloud as pictures: DejaVu Sans's real metrics for the layout
(`core/wordcloud.py` places the words), the SVG everyone sees and the PNG download, drawn by
Pillow from the same layout so both show the same picture."""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageFont

from board import i18n
from board.core.wordcloud import BACKGROUND, Cloud, FontMetrics, layout, render_svg

ROOT: Final = Path(__file__).resolve().parents[2]
FONT: Final = ROOT / "static" / "fonts" / "DejaVuSans.ttf"
"""The font the cloud is laid out with and the PNG drawn in (DejaVu Sans: Welsh letters, a
free licence, in the tree)."""
METRIC_SIZE: Final = 1000
"""Font size the metrics are read at, then scaled: large enough that hinting does not round."""
PNG_SCALE: Final = 2
"""The PNG is drawn at twice the SVG's size, sharp on a slide or a high-density screen."""


# --- fonts, metrics and the PNG ----------------------------------------------------------------

_font_lock = threading.Lock()
"""FreeType faces are not safe across threads; layouts and PNGs run on worker threads."""


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: the same widths on every machine, whether or not libraqm is installed.
    return ImageFont.truetype(str(FONT), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=1)
def font_metrics() -> FontMetrics:
    """DejaVu Sans's real metrics, for `core.wordcloud.layout`."""
    font = _font(METRIC_SIZE)
    with _font_lock:
        ascent, descent = font.getmetrics()

    @lru_cache(maxsize=8192)
    def measure(text: str) -> float:
        with _font_lock:
            return float(font.getlength(text)) / METRIC_SIZE

    return FontMetrics(ascent / METRIC_SIZE, descent / METRIC_SIZE, measure)


def render_png(cloud: Cloud, scale: int = PNG_SCALE) -> bytes:
    """The cloud drawn by Pillow from the same layout as the SVG (so the same picture)."""
    image = Image.new(
        "RGB", (max(1, round(cloud.width * scale)), max(1, round(cloud.height * scale))), BACKGROUND
    )
    draw = ImageDraw.Draw(image)
    with _font_lock:
        for word in cloud.words:
            font = _font(max(1, round(word.size * scale)))
            draw.text(
                (word.x * scale, word.baseline * scale), word.text, font=font, fill=word.colour, anchor="ls"
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def draw(counts: list[tuple[str, int]], kind: str, lang: i18n.Language) -> bytes:
    """Lay out and draw a cloud as `svg` or `png` (CPU work: run it on a worker thread)."""
    cloud = layout(counts, font_metrics())
    if kind == "png":
        return render_png(cloud)
    title = i18n.translate(lang, "poll.cloud_title")
    if counts:
        description = ", ".join(f"{word} ({count})" for word, count in counts)
    else:
        description = i18n.translate(lang, "poll.no_answers")
    return render_svg(cloud, title=title, description=description, lang=lang).encode("utf-8")


def svg_for_record(counts: Mapping[str, int], lang: i18n.Language = "en") -> str | None:
    """The record's word cloud (`record.wordcloud_svg`), its title and description in `lang`
    (the report's language), None without words."""
    if not counts:
        return None
    return draw(list(counts.items()), "svg", lang).decode("utf-8")
