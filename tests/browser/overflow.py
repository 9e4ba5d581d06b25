"""Is every word on a page whole and in view? Measured in the DOM of a real page (issue 18),
for any screen: a board, the dashboard, the gallery, the report.

What counts as a problem, as a person would see it:

- **Cut off**: a note's text taller or wider than its box (scrollHeight/scrollWidth against
  clientHeight/clientWidth), unless the note says it holds more (a visible "Read more"; in
  a gallery's picture, an ellipsis after its last whole line);
  any other label whose text runs past its own box when that box clips (ellipsis included),
  or past the box of the nearest ancestor that clips it.
- **Covered**: a chip or badge on a note ("Suggested: …", "Only you can see this", a vote
  count, "Raised in N of M groups") whose box meets a line of the note's visible text, or
  that sticks out of the note.
- **Broken mid-word**: a line that ends inside a word, other than after a soft hyphen (drawn
  as a hyphen) or a hyphen or dash the text already had.

- **Sideways scrolling**: a page wider than its window.

Text that the page means to scroll (inside an `overflow: auto` box) is not cut off, and
visually hidden text (for screen readers) is not looked at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import ARTIFACTS

SCREENS = ARTIFACTS / "screens"
"""Where the key screens are saved, one PNG per screen and size (git-ignored)."""

_MEASURE = (Path(__file__).parent / "overflow.js").read_text(encoding="utf-8")
"""The measurement, run in the page: {problems, notes, labels}."""


async def measure_text(page: Any) -> dict[str, Any]:
    """What the page shows of its text: `problems` (each naming the element, its text and what
    is wrong), and how many `notes` and `labels` were looked at."""
    found: dict[str, Any] = await page.evaluate(_MEASURE)
    return found


async def save_screen(page: Any, name: str, *, full_page: bool = False) -> Path:
    """Save what the page shows now as artifacts/screens/<name>.png (`full_page`: all of a page
    that scrolls, not only the window)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=full_page)
    return path


async def screen_problems(page: Any, name: str, *, min_notes: int = 0, full_page: bool = False) -> list[str]:
    """Save the screen and measure it: the problems found, each prefixed with the screen's
    name (a screen that shows fewer than `min_notes` notes is one, too: nothing was checked)."""
    await save_screen(page, name, full_page=full_page)
    found = await measure_text(page)
    problems = [f"{name}: {problem}" for problem in found["problems"]]
    if found["notes"] < min_notes:
        problems.append(f"{name}: only {found['notes']} notes drawn, expected at least {min_notes}")
    return problems
