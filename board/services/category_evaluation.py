"""`board categories evaluate FILE.csv`: how well the suggestions would have sorted a council's
own past notes (docs/categories.md, "Testing the suggestions on your own notes").

The file is CSV (UTF-8, as spreadsheets save it): a note's text and the category a person gave
it, one note a row. A header row naming `text` and `category` columns is used when there is
one (other columns are ignored); otherwise the first column is the text and the second the
category. The category may be its key or its label in English or Welsh. A row that cannot be
read is reported with its line number, and nothing is scored until the file is right.

With `--confirm-third`, every third note of each workshop (a `workshop` column, if the file has
one; else the whole file is one workshop) is taken as already placed by the group, and the
other notes are scored with those as the workshop's examples: how much the suggestions gain
from learning as a session goes on. The time the suggesting took is printed last.

The scoring itself is pure (`core/evaluation.py`); this module reads the file and prints.
"""

from __future__ import annotations

import csv
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from board.core.categorise import THRESHOLD, suggester
from board.core.evaluation import Evaluation, Tally, category_key, confirm_first, evaluate
from board.core.plan import InvalidTemplate
from board.core.taxonomies import BUILT_IN, Taxonomy
from board.services.templates import load, load_file

MAX_ROWS = 100_000
"""Notes in one file: more than a council's years of workshops, a few seconds to score."""
MAX_PROBLEMS = 20
"""Problems listed before the rest are summed up in one line."""


@dataclass(frozen=True, slots=True)
class Labelled:
    rows: list[tuple[str, str]]
    problems: list[str]
    workshops: list[str] | None = None
    """Each row's workshop, when the file has a `workshop` column."""


def taxonomy_for(key: str | None, template: str | None) -> Taxonomy | str:
    """The built-in taxonomy `key`, or a template's (by name in sessions/ or as a file), or
    why not."""
    if template is not None:
        path = Path(template)
        plan = load_file(path) if path.suffix in (".yaml", ".yml") else load(template)
        if plan is None:
            return f"there is no template {template!r} (give a name from sessions/ or a .yaml file)"
        if isinstance(plan, InvalidTemplate):
            return f"the template {template!r} is not valid:\n{plan}"
        return plan.taxonomy
    found = BUILT_IN.get(key or "wakefield")
    if found is None:
        return f"{key!r} is not a built-in taxonomy; expected one of {', '.join(BUILT_IN)}"
    return found


def read(path: Path, taxonomy: Taxonomy) -> Labelled | str:
    """The (text, category key) rows of a labelled CSV, with every problem by line."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            lines = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return f"{path}: cannot be read as UTF-8 CSV: {error}"
    text_at, category_at, first, workshop_at = 0, 1, 0, None
    if lines:
        header = [cell.strip().casefold() for cell in lines[0]]
        if "text" in header and "category" in header:
            text_at, category_at, first = header.index("text"), header.index("category"), 1
            workshop_at = header.index("workshop") if "workshop" in header else None
    if len(lines) - first > MAX_ROWS:
        return f"{path}: has {len(lines) - first} rows; at most {MAX_ROWS} can be scored at once"
    rows: list[tuple[str, str]] = []
    workshops: list[str] = []
    problems: list[str] = []
    keys = ", ".join(taxonomy.keys)
    for number, cells in enumerate(lines[first:], start=first + 1):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) <= max(text_at, category_at):
            problems.append(f"line {number}: needs a text and a category")
            continue
        text, written = cells[text_at].strip(), cells[category_at].strip()
        key = category_key(taxonomy, written)
        if not text:
            problems.append(f"line {number}: the text is empty")
        elif key is None:
            problems.append(f"line {number}: {written!r} is not a category of {taxonomy.key} ({keys})")
        else:
            rows.append((text, key))
            inside = workshop_at is not None and workshop_at < len(cells)
            workshops.append(cells[workshop_at].strip() if workshop_at is not None and inside else "")
    if not rows and not problems:
        problems.append("there are no notes in the file")
    return Labelled(rows, problems, workshops if workshop_at is not None else None)


def report(result: Evaluation, confirmed: int | None = None, seconds: float | None = None) -> str:
    """The table the command prints: per category, then all together; how many notes were
    confirmed first, and how long suggesting took, when given."""
    taxonomy = result.taxonomy
    labels = {c.key: c.label.en for c in taxonomy.categories}
    width = max(len(label) for label in [*labels.values(), "All notes"])
    learned = (
        [
            f"Every third note of each workshop was taken as confirmed first ({confirmed} of "
            f"{confirmed + len(result.outcomes)}); the others were suggested with them as examples",
            "",
        ]
        if confirmed is not None
        else []
    )
    lines = [
        f"Suggestions for {len(result.outcomes)} notes, {taxonomy.name.en} "
        f"(a suggestion needs a confidence of {THRESHOLD}; below it the product abstains)",
        "",
        *learned,
        f"{'Category':<{width}}  {'notes':>5}  {'correct':>13}  {'wrong':>13}  {'abstained':>13}",
    ]
    for key, tally in result.by_category().items():
        lines.append(_row(labels[key], tally, width))
    lines.append(_row("All notes", result.overall(), width))
    if seconds is not None:
        lines += ["", f"Suggesting took {seconds * 1000:.0f} ms ({len(result.outcomes)} notes)."]
    return "\n".join(lines)


def _row(name: str, tally: Tally, width: int) -> str:
    cells = [
        f"{count:>5} ({100 * tally.share(count):3.0f} %)"
        for count in (tally.correct, tally.wrong, tally.abstained)
    ]
    return f"{name:<{width}}  {tally.total:>5}  " + "  ".join(f"{cell:>13}" for cell in cells)


def score(labelled: Labelled, taxonomy: Taxonomy, confirm_third: bool) -> str:
    """The report for rows that read well: all suggested cold, or with every third of each
    workshop confirmed first and the rest suggested with those as examples."""
    matcher = suggester(taxonomy)
    if not confirm_third:
        start = time.perf_counter()
        result = evaluate(labelled.rows, matcher)
        return report(result, seconds=time.perf_counter() - start)
    by_workshop: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for index, row in enumerate(labelled.rows):
        by_workshop[labelled.workshops[index] if labelled.workshops else ""].append(row)
    result, confirmed = Evaluation(taxonomy), 0
    start = time.perf_counter()
    for rows in by_workshop.values():
        learned, rest = confirm_first(rows, matcher)
        confirmed += len(learned)
        result.outcomes += evaluate(rest, matcher, learned).outcomes
    return report(result, confirmed, time.perf_counter() - start)


def run(path: Path, key: str | None, template: str | None, confirm_third: bool = False) -> tuple[int, str]:
    """The exit status and what to print."""
    taxonomy = taxonomy_for(key, template)
    if isinstance(taxonomy, str):
        return 2, f"board categories evaluate: {taxonomy}"
    labelled = read(path, taxonomy)
    if isinstance(labelled, str):
        return 2, f"board categories evaluate: {labelled}"
    if labelled.problems:
        shown = labelled.problems[:MAX_PROBLEMS]
        more = len(labelled.problems) - len(shown)
        tail = [f"... and {more} more"] if more else []
        return 2, "\n".join([f"board categories evaluate: {path} has problems:", *shown, *tail])
    return 0, score(labelled, taxonomy, confirm_third)
