"""The board works out a note's category from its frame exactly as the server does: the
board's pure `static/js/categories/assign.js`, run in Chromium, against
`board/core/categorise.py` on the same seeded random boards, with nested and overlapping
frames, equal areas, equal order keys, notes on the line between two frames, hidden frames
and frames of another system."""

from __future__ import annotations

import random
from typing import Any

import pytest

from board.core.categorise import Source, categorise_board
from board.core.model import Frame, Note
from board.core.taxonomies import BUILT_IN
from tests.browser.helpers import module_server
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()

TAXONOMY = BUILT_IN["wakefield"]
KEYS = [*TAXONOMY.keys[:3], "not_in_this_system"]
CASES = 60


def board(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Frames on a coarse grid (so edges, areas and order keys often coincide), and notes
    whose centres often fall on frame edges; some notes carry a category of their own."""
    frames = []
    for i in range(rng.randint(1, 8)):
        x, y = rng.randrange(0, 800, 100), rng.randrange(0, 800, 100)
        frames.append(
            {
                "type": "frame",
                "id": f"f{i}",
                "x": x,
                "y": y,
                "w": rng.choice([200, 400]),
                "h": rng.choice([200, 400]),
                "z": rng.choice(["a0", "a1"]),
                "category": rng.choice([*KEYS, None]),
                "hidden": rng.random() < 0.15,
            }
        )
    notes = []
    for i in range(12):
        w, h = rng.choice([(200, 200), (100, 100), (40, 60)])
        cx, cy = rng.randrange(0, 1200, 50), rng.randrange(0, 1200, 50)
        notes.append(
            {
                "type": "note",
                "id": f"n{i}",
                "x": cx - w / 2,
                "y": cy - h / 2,
                "w": w,
                "h": h,
                "category": rng.choice(KEYS) if rng.random() < 0.2 else None,
            }
        )
    return frames, notes


def server_side(frames: list[dict[str, Any]], notes: list[dict[str, Any]]) -> dict[str, list[Any]]:
    models = [Frame(**{k: v for k, v in f.items() if k != "type"}) for f in frames]
    placed = [Note(**{k: v for k, v in n.items() if k != "type"}) for n in notes]
    found = categorise_board(placed, models, TAXONOMY)
    # Only what the board decides by itself; suggestions come from the server.
    return {
        oid: [a.category, a.source.value] if a.source in (Source.EXPLICIT, Source.FRAME) else [None, "none"]
        for oid, a in found.items()
    }


async def test_a_notes_category_from_its_frame_matches_the_server_on_random_boards(
    browser: Any, board_server: RunningServer
) -> None:
    rng = random.Random(5)
    cases = [board(rng) for _ in range(CASES)]
    context = await browser.new_context(base_url=board_server.base_url)
    try:
        page = await context.new_page()
        await page.goto("/")
        categories = {key: key for key in TAXONOMY.keys}
        shown = await page.evaluate(
            """async ([cases, categories]) => {
                const { assignment } = await import('/static/js/categories/assign.js');
                return cases.map(([frames, notes]) => Object.fromEntries(notes.map((note) => {
                    const found = assignment(note, frames, categories, undefined);
                    return [note.id, [found.key, found.source]];
                })));
            }""",
            [cases, categories],
        )
    finally:
        await context.close()
    for (frames, notes), board_says in zip(cases, shown, strict=True):
        assert board_says == server_side(frames, notes), (frames, notes)
