"""Category suggestions against notes in people's own words (`bench/data/category_notes.csv`).

    .venv/bin/python -m bench.categories            # prints the tables and updates BENCHMARKS.md
    .venv/bin/python -m bench.categories --no-write # prints only
    .venv/bin/python -m bench.categories --show-misses

Seven labelled sets: `data/category_notes.csv` (240 notes, 48 in Welsh), the smaller
`data/category_notes_fresh.csv` (62 notes, 16 in Welsh), written after the vocabularies,
`data/category_notes_third.csv` (41 notes, 10 in Welsh), `data/category_notes_fourth.csv`
(88 notes, 18 in Welsh), written as the public types notes, `data/category_notes_fifth.csv`
(70 notes, 14 in Welsh), never looked at while issue 20c changed the method, and
`data/category_notes_sixth.csv` (100 notes, 20 in Welsh), misspelt and colloquial, written
before learning from the workshop was changed and kept aside the same way,
`data/category_notes_seventh.csv` (130 notes, 26 in Welsh), written before issue 20e's
vocabulary changes and kept aside the same way, and `data/category_notes_eighth.csv` (101
notes, 20 in Welsh), written by another hand before issue 20e and kept aside too. A
workshop-like set, `data/category_workshops.csv` (269 notes, 56 in Welsh), eight sessions whose
people mention the same few local things in their own words, is kept aside too: it measures
learning from the workshop, and only its totals are printed.

For each taxonomy and language: correct, wrong and abstained, first with no note confirmed,
then with a third of each workshop's notes confirmed first (every third note, as if the group
had placed it in a frame) and the other two thirds suggested with those as examples, beside
the same two thirds with nothing learned (what learning itself changes: the two thirds are
not the whole set, so the first table is no baseline for the second), how many suggestions
learning changed, and how many of the notes still missed had a confirmed note of their own
category alike enough to learn from (the most learning could have put right). Then the
time to suggest for 3,000 notes (the set repeated, with a running number so no two are equal,
on a fresh suggester so nothing is cached). Numbers, not tests: nothing here asserts.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import re
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from board.core.categorise import THRESHOLD, Suggester
from board.core.evaluation import Evaluation, Outcome, Tally, confirm_first, evaluate
from board.core.taxonomies import BUILT_IN, Taxonomy

DATA = Path(__file__).parent / "data" / "category_notes.csv"
FRESH = Path(__file__).parent / "data" / "category_notes_fresh.csv"
"""A second, smaller set, written after the vocabularies and first measured before any change
was made from it: the nearer guess at how the suggestions do on notes nobody tuned for."""
THIRD = Path(__file__).parent / "data" / "category_notes_third.csv"
"""A third set, written in the plainer way notes are typed; its abstentions were read (beside
the older sets') when the general mechanisms of issue 20b were chosen."""
FOURTH = Path(__file__).parent / "data" / "category_notes_fourth.csv"
"""A fourth set, written last (short, plain, lower case, abbreviations) and committed before
any change: nothing was changed because of a note in it. The honest guess at a held-out set."""
FIFTH = Path(__file__).parent / "data" / "category_notes_fifth.csv"
"""A fifth set, written before issue 20c's changes (Snowball stems, settings, shared channels,
decisions made together, learning only through two shared words) and kept aside: only its
totals were printed while they were made, never its notes' outcomes."""
SIXTH = Path(__file__).parent / "data" / "category_notes_sixth.csv"
"""A sixth set, written the way the public scribbles (misspellings, colloquial, short) before
learning from the workshop was changed, and kept aside in the same way: totals only."""
SEVENTH = Path(__file__).parent / "data" / "category_notes_seventh.csv"
"""A seventh set, written across all four taxonomies (a fifth in Welsh) before issue 20e's
vocabulary changes, without reading the vocabularies, and kept aside: totals only."""
EIGHTH = Path(__file__).parent / "data" / "category_notes_eighth.csv"
"""An eighth set, written by someone who did not change the vocabularies, before issue 20e's
changes, and kept aside: totals only."""
NINTH = Path(__file__).parent / "data" / "category_notes_ninth.csv"
"""A ninth set, written by someone else from the taxonomies' definitions alone (the
vocabularies, the suggester and the other sets unread), before issue 20f's changes, and kept
aside: totals only."""
TENTH = Path(__file__).parent / "data" / "category_notes_tenth.csv"
"""A tenth set, written by someone else from the taxonomies' definitions and the seed documents
alone, with no other set, vocabulary or suggester read, after issue 20f: totals only."""
ELEVENTH = Path(__file__).parent / "data" / "category_notes_eleventh.csv"
"""An eleventh set, written from the taxonomies' definitions alone the way a council's
residents write at a drop-in, measured once as it came and then trained on."""
TWELFTH = Path(__file__).parent / "data" / "category_notes_twelfth.csv"
"""A twelfth set, written from the definitions alone as patients, carers and volunteers write
at health-board and charity workshops, measured once as it came and then trained on."""
THIRTEENTH = Path(__file__).parent / "data" / "category_notes_thirteenth.csv"
"""A thirteenth set, from the definitions alone, as young people and assemblies write,
measured once as it came and then trained on."""
FOURTEENTH = Path(__file__).parent / "data" / "category_notes_fourteenth.csv"
"""A fourteenth set, from the definitions alone, from regeneration, planning and housing
workshops, measured once as it came and then trained on."""
FIFTEENTH = Path(__file__).parent / "data" / "category_notes_fifteenth.csv"
"""A fifteenth set, from the definitions alone, from social care, mental health and carers'
workshops, measured once as it came and then trained on."""
SIXTEENTH = Path(__file__).parent / "data" / "category_notes_sixteenth.csv"
"""A sixteenth set, from the definitions alone, as a scribe notes a session down (terse,
abbreviated), measured once as it came and then trained on."""
SEVENTEENTH = Path(__file__).parent / "data" / "category_notes_seventeenth.csv"
"""A seventeenth set, from the definitions alone, from a rural, farming and market-town area,
measured once as it came and then trained on."""
EIGHTEENTH = Path(__file__).parent / "data" / "category_notes_eighteenth.csv"
"""An eighteenth set, from the definitions alone, as parents, governors and pupils write about
schools and youth services, measured once as it came and then trained on."""
NINETEENTH = Path(__file__).parent / "data" / "category_notes_nineteenth.csv"
"""A nineteenth set, from the definitions alone, as older and disabled people write, measured
once as it came and then trained on."""
TWENTIETH = Path(__file__).parent / "data" / "category_notes_twentieth.csv"
"""A twentieth set, from the definitions alone, as people with English as a second language
write, measured once as it came and then trained on."""
TWENTYFIRST = Path(__file__).parent / "data" / "category_notes_twentyfirst.csv"
"""A twenty-first set, from the definitions alone, as traders and business people write,
measured once as it came and then trained on."""
TWENTYSECOND = Path(__file__).parent / "data" / "category_notes_twentysecond.csv"
"""A twenty-second set, from the definitions alone, as officers and councillors write (with
their jargon), measured once as it came and then trained on."""
TWENTYTHIRD = Path(__file__).parent / "data" / "category_notes_twentythird.csv"
"""A twenty-third set, from the definitions alone, as green-space volunteers write, measured
once as it came and then trained on."""
TWENTYFOURTH = Path(__file__).parent / "data" / "category_notes_twentyfourth.csv"
"""A twenty-fourth set, from the definitions alone, on community safety, measured once as it
came and then trained on."""
TWENTYFIFTH = Path(__file__).parent / "data" / "category_notes_twentyfifth.csv"
"""A twenty-fifth set, from the definitions alone, from a Welsh-speaking community, half of it
in Welsh, measured once as it came and then trained on."""
TWENTYSIXTH = Path(__file__).parent / "data" / "category_notes_twentysixth.csv"
"""A twenty-sixth set, from the definitions alone, remarks said at the tables as a scribe typed
them, measured once as it came and then trained on."""
TWENTYSEVENTH = Path(__file__).parent / "data" / "category_notes_twentyseventh.csv"
"""A twenty-seventh set, from the definitions alone, on arts, culture, heritage and sport,
measured once as it came and then trained on."""
TWENTYEIGHTH = Path(__file__).parent / "data" / "category_notes_twentyeighth.csv"
"""A twenty-eighth set, from the definitions alone, as people without a home and those who
support them write, measured once as it came and then trained on."""
TWENTYNINTH = Path(__file__).parent / "data" / "category_notes_twentyninth.csv"
"""A twenty-ninth set, from the definitions alone, as children of 9 to 12 write (and their
teachers note what they said), measured once as it came and then trained on."""
WORKSHOPS_SECOND = Path(__file__).parent / "data" / "category_workshops_second.csv"
"""Six workshop-like sessions (a quarter of the notes in Welsh), each town's own names for
things mentioned again and again, written by another hand from the definitions alone, measured
once as they came and then trained on."""
OFFTOPIC = Path(__file__).parent / "data" / "category_offtopic.csv"
"""Notes about no way of being engaged (the session, stray input, opinions of places and
services), written by another hand: what the second opinion learns to say nothing for
(`second_opinion.NONE_OF_THEM`). Columns `language,text`."""
WORKSHOPS = Path(__file__).parent / "data" / "category_workshops.csv"
"""Eight workshop-like sessions (two per built-in taxonomy), each a town's own services and
events mentioned again and again in people's own words: what learning from the confirmed third
can do where, unlike the sets above (one note per method), a workshop repeats itself. Written
before learning was changed for it and kept aside: totals only, never its notes' outcomes."""
STUDY = Path(__file__).parent / "data" / "category_workshops_study.csv"
"""Three more workshop-like sessions, written to read learning's misses on (the kept-aside set
above stays unread): its tables flatter learning."""
BENCHMARKS = Path(__file__).parent.parent / "BENCHMARKS.md"
SECTION = "## Category suggestions"

Row = dict[str, str]


def load(path: Path = DATA) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _pct(tally: Tally, count: int) -> str:
    return f"{100 * tally.share(count):.0f} %"


def _line(name: str, tally: Tally) -> str:
    return (
        f"| {name} | {tally.total} | {_pct(tally, tally.correct)} | {_pct(tally, tally.wrong)} "
        f"| {_pct(tally, tally.abstained)} |"
    )


@dataclass(slots=True)
class Tallies:
    """A labelled set's counts: cold and with a third confirmed, per (taxonomy, language); the
    same two thirds with nothing learned, per language; and what learning could do."""

    cold: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    warm: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    unlearned: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    headroom: Headroom = field(default_factory=lambda: Headroom())
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tallies) -> None:
        """Another set's counts added to these (several sets measured as one)."""
        for mine, theirs in ((self.cold, other.cold), (self.warm, other.warm)):
            for key, one in theirs.items():
                mine[key].add(one)
        for language, one in other.unlearned.items():
            self.unlearned[language].add(one)
        self.headroom.add_counts(other.headroom)
        self.misses += other.misses


def tally(
    rows: list[Row], *, matcher_for: Callable[[Taxonomy], Suggester] = Suggester, show_misses: bool = False
) -> Tallies:
    """Every workshop of a labelled set measured cold, then with every third note confirmed
    (the other two thirds suggested with those as examples, and with nothing learned), through
    the suggester `matcher_for` makes for its taxonomy: the shipped one by default, another
    model's when the model is measured on notes it was not trained on. A fresh suggester per
    workshop, so nothing is cached across workshops."""
    out = Tallies()
    workshops: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        workshops[row["workshop"]].append(row)
    for name, notes in sorted(workshops.items()):
        taxonomy_key = notes[0]["taxonomy"]
        matcher = matcher_for(BUILT_IN[taxonomy_key])
        pairs = [(row["text"], row["category"]) for row in notes]
        languages = [row["language"] for row in notes]
        first = evaluate(pairs, matcher)
        _tally_by_language(out.cold, taxonomy_key, languages, first)
        learned, rest = confirm_first(pairs, matcher)
        rest_languages = [language for i, language in enumerate(languages) if i % 3]
        second = evaluate(rest, matcher, learned)
        _tally_by_language(out.warm, taxonomy_key, rest_languages, second)
        alone = evaluate(rest, matcher)
        for language, outcome in zip(rest_languages, alone.outcomes, strict=True):
            _count(out.unlearned[language], outcome)
        out.headroom.add(second, alone, [learned.nearest(matcher.meaning(text)) for text, _ in rest])
        if show_misses:
            out.misses += _misses(name, "cold", first) + _misses(name, "third confirmed", second)
    return out


def run(
    rows: list[Row], *, show_misses: bool = False, timed: bool = True
) -> tuple[list[str], list[str], str, tuple[float, float]]:
    """The two tables' lines (cold, a third confirmed), the line saying how the same two
    thirds do with nothing learned, and the seconds for 3,000 notes."""
    counted = tally(rows, show_misses=show_misses)
    for line in counted.misses:
        print(line)
    timing = _timing(rows) if timed else (0.0, 0.0)
    unlearned = _unlearned(counted.unlearned) + " " + counted.headroom.line()
    return _table(counted.cold), _table(counted.warm), unlearned, timing


def _tally_by_language(
    tallies: dict[tuple[str, str], Tally], taxonomy: str, languages: list[str], result: Evaluation
) -> None:
    """Each note counted under its own language: a workshop may mix English and Welsh notes."""
    for language, outcome in zip(languages, result.outcomes, strict=True):
        _count(tallies[(taxonomy, language)], outcome)


def _count(tally: Tally, outcome: Outcome) -> None:
    verdict = outcome.verdict
    tally.correct += verdict == "correct"
    tally.wrong += verdict == "wrong"
    tally.abstained += verdict == "abstained"


def _unlearned(tallies: dict[str, Tally]) -> str:
    """How the notes of the second table do with nothing confirmed: what learning changes."""
    parts = [
        f"{name} {_pct(tallies[language], tallies[language].correct)} correct, "
        f"{_pct(tallies[language], tallies[language].wrong)} wrong"
        for language, name in (("en", "English"), ("cy", "Welsh"))
        if tallies[language].total
    ]
    return "The same notes with nothing learned: " + "; ".join(parts) + "."


@dataclass(slots=True)
class Headroom:
    """What learning from the workshop could do on a set: how many suggestions it changed, and
    of the notes still missed with a third confirmed, how many had a confirmed note of their
    own category at least `MIN_SIMILARITY` alike (the most learning could have put right).
    Counts only, so a kept-aside set's notes stay unread."""

    changed: int = 0
    notes: int = 0
    missed: int = 0
    learnable: int = 0

    def add(self, learned: Evaluation, alone: Evaluation, near: Sequence[Mapping[int, object]]) -> None:
        keys = learned.taxonomy.keys
        for with_, without, nearest in zip(learned.outcomes, alone.outcomes, near, strict=True):
            self.notes += 1
            self.changed += with_.suggested != without.suggested
            if with_.verdict != "correct":
                self.missed += 1
                self.learnable += keys.index(with_.expected) in nearest

    def add_counts(self, other: Headroom) -> None:
        self.changed += other.changed
        self.notes += other.notes
        self.missed += other.missed
        self.learnable += other.learnable

    def line(self) -> str:
        return (
            f"Learning changed {self.changed} of these {self.notes} suggestions; of the "
            f"{self.missed} notes still missed, {self.learnable} had a confirmed note of their "
            "own category alike enough to count."
        )


def _misses(name: str, when: str, result: Evaluation) -> list[str]:
    return [
        f"{name} ({when}): {o.verdict:9} expected {o.expected}, got {o.suggested} {o.confidence}: {o.text}"
        for o in result.outcomes
        if o.verdict != "correct"
    ]


def _table(tallies: dict[tuple[str, str], Tally]) -> list[str]:
    lines = ["| taxonomy, language | notes | correct | wrong | abstained |", "|---|---|---|---|---|"]
    for (taxonomy, language), tally in sorted(tallies.items()):
        lines.append(_line(f"{taxonomy}, {language}", tally))
    for language in ("en", "cy"):
        total = Tally()
        for (_, lang), tally in tallies.items():
            if lang == language:
                total.add(tally)
        lines.append(_line(f"**all, {language}**", total))
    everything = Tally()
    for tally in tallies.values():
        everything.add(tally)
    lines.append(_line("**all**", everything))
    return lines


def _timing(rows: list[Row], count: int = 3000) -> tuple[float, float]:
    """Best of five (wall seconds, CPU seconds): suggest for `count` distinct notes on a fresh
    Wakefield suggester. CPU time is what the suggesting itself costs; on a shared machine the
    wall time also holds the waits for a core."""
    texts = [f"{rows[i % len(rows)]['text']} {i}" for i in range(count)]
    wall = cpu = float("inf")
    for _ in range(5):
        matcher = Suggester(BUILT_IN["wakefield"])
        start, start_cpu = time.perf_counter(), time.process_time()
        for text in texts:
            matcher.suggest(text)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def _timing_learning(rows: list[Row], count: int = 3000) -> float:
    """Best of three, CPU seconds: a workshop of `count` distinct notes with every third
    confirmed: learning from those, then suggesting for the other two thirds."""
    notes = [(f"{rows[i % len(rows)]['text']} {i}", rows[i % len(rows)]["category"]) for i in range(count)]
    wakefield = [note for note in notes if note[1] in BUILT_IN["wakefield"].keys] or notes
    best = float("inf")
    for _ in range(3):
        matcher = Suggester(BUILT_IN["wakefield"])
        start = time.process_time()
        learned, rest = confirm_first(wakefield, matcher)
        for text, _ in rest:
            matcher.suggest(text, learned)
        best = min(best, time.process_time() - start)
    return best


def _machine() -> str:
    cores = _cpu_count()
    return f"{platform.processor() or platform.machine()}, {cores} cores, Python {platform.python_version()}"


def _cpu_count() -> int:
    return os.cpu_count() or 1


COLD = "No note confirmed"
WARM = "A third of each workshop's notes confirmed first"
WARM_HOW = (
    "Every third note of each workshop (taxonomy and language) is taken as placed by the "
    "group; the other two thirds are suggested with those as the workshop's examples."
)


@dataclass(frozen=True, slots=True)
class Measured:
    """A labelled set's two tables, how the second table's notes do with nothing learned, its
    size and how many of it are Welsh."""

    cold: list[str]
    warm: list[str]
    unlearned: str
    notes: int
    welsh: int


def measure(rows: list[Row], *, show_misses: bool = False) -> Measured:
    cold, warm, unlearned, _ = run(rows, show_misses=show_misses, timed=False)
    return Measured(cold, warm, unlearned, len(rows), sum(1 for row in rows if row["language"] == "cy"))


def _tables(measured: Measured, headed: bool = False) -> list[str]:
    """A labelled set's two tables, cold and with a third confirmed (then the same notes with
    nothing learned): under headings of their own for the main set (which also says how a
    third is confirmed), as labelled parts of their set's heading for the others."""
    out: list[str] = []
    for title, lines, how in ((COLD, measured.cold, ""), (WARM, measured.warm, WARM_HOW if headed else "")):
        out += [f"### {title}", ""] if headed else [f"{title}:", ""]
        out += [how, ""] if how else []
        out += [*lines, ""]
    return [*out, measured.unlearned, ""]


def section(
    main: Measured,
    seconds: tuple[float, float],
    later: Sequence[tuple[LaterSet, Measured]],
    rows_for_timing: list[Row],
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            SECTION,
            "",
            f"Measured by `python -m bench.categories` on {now}; machine: {_machine()}. "
            "This section is rewritten on each run. The scoring is `board categories evaluate`'s "
            "(`core/evaluation.py`), run per taxonomy and language; the tables with a third "
            "confirmed are its `--confirm-third`.",
            "",
            f"{main.notes} notes written in participants' own words (none copies a taxonomy's "
            f"example phrase), {main.welsh} of them in Welsh, across the four built-in taxonomies: "
            "`bench/data/category_notes.csv`. A suggestion below the confidence threshold "
            f"({THRESHOLD}) is not made: that note counts as *abstained*. Targets (issue #20): "
            "≥ 80 % correct and ≤ 5 % wrong in English and in Welsh; ≥ 90 % correct with a third "
            "of each workshop's notes confirmed first; 3,000 notes in under a second.",
            "",
            "**Which tables measure anything.** The suggestions are weighed by a model learned from "
            "this set and the second to eighth and the study set (`core/second_opinion.py`, "
            "trained by `python -m bench.second_opinion --write`): on those sets the model has "
            "seen every note, so their tables are near 100 % and say only that it learned them. "
            "How it does on notes it never saw is measured two ways: leaving each of those sets "
            "out of its training in turn (`python -m bench.second_opinion`), and on the sets kept "
            "aside, which it was never trained on: the ninth, the tenth and the workshop-like "
            "notes, below. Those are the figures to read.",
            "",
            *_tables(main, headed=True),
            *_later(later),
            *_speed(seconds, rows_for_timing),
        ]
    )


@dataclass(frozen=True, slots=True)
class LaterSet:
    """A labelled set written after the first, and what its section says of how it was written
    and what it measured first, before anything changed because of it."""

    path: Path
    heading: str
    story: str
    """What follows "`path`: N notes (W in Welsh)"."""


LATER: Final = (
    LaterSet(
        FRESH,
        "A second set, written after the vocabularies",
        (
            ", written once the vocabularies were written; the nearer guess at notes nobody tuned "
            "for. Its first measurement, before anything was changed after reading it, was: English "
            "80 % correct, 7 % wrong, 13 % abstained; Welsh 100 % correct. Since then a few general "
            "gaps it showed were closed (terms that shrank to one common word, such as *drop in* "
            "matching any *dropping*; social media pages as information; young people interviewing "
            "candidates as Participation; a *PR stunt* as Manipulation), so the table below flatters "
            "too: read the first measurement as the honest guess for a held-out set. The set above "
            "was read while the vocabularies were written, so its numbers flatter more."
        ),
    ),
    LaterSet(
        THIRD,
        "A third set, written in plainer words",
        (
            ", in the shorter, plainer way notes are often typed (lower case, *chippy*, *kids*). Its "
            "first measurement, before anything was changed after reading it, was: English 81 % "
            "correct, 0 % wrong, 19 % abstained (a third confirmed: 80 %); Welsh 100 %. Its "
            "abstentions were then read, beside the older sets', to choose general mechanisms (short "
            "forms written out; *public* no longer meeting *publication* by its stem; one leaning "
            "word enough in a longer note with nothing against it), so the table below flatters a "
            "little."
        ),
    ),
    LaterSet(
        FOURTH,
        "A fourth set, typed the way the public types",
        (
            ", written last, the way members of the public type notes (short, plain, lower case, "
            "*mtg*, *cllr*, *fb*, *w/*), and committed before any change: no change was made because "
            "of a note in it. Its first measurement, on the suggester as it was, was: no note "
            "confirmed, English 64 % correct, 3 % wrong, 33 % abstained, Welsh 78 %, 6 %, 17 %; a "
            "third confirmed, English 58 %, 2 %, 40 %, Welsh 80 %, 10 %, 10 %. One caveat: the short "
            "forms it uses were expected of public notes when it was written, and writing them out is"
            " one of the mechanisms added since. Before issue 20c it stood at English 83 %, 4 %, 13 %"
            " and Welsh 89 %, 6 %, 6 % (a third confirmed: English 82 %, Welsh 90 % with 10 % wrong);"
            " its misses were then read, beside the older sets', to choose 20c's general mechanisms, "
            "so it flatters a little now too."
        ),
    ),
    LaterSet(
        FIFTH,
        "A fifth set, kept aside",
        (
            ", written in participants' own words before any of issue 20c's changes and kept aside: "
            "only its totals were printed while the method was changed, never how any one of its "
            "notes came out, and nothing was chosen because of it. Its first measurement, before 20c:"
            " no note confirmed, English 89 % correct, 7 % wrong, 4 % abstained, Welsh 93 %, 0 %, 7 "
            "%; a third confirmed, English 86 %, 9 %, 6 %, Welsh 88 %, 0 %, 12 %. The lower figures "
            "with a third confirmed were never learning's doing: the same two thirds with nothing "
            "learned did exactly as well (English 83 %, 9 % wrong), as the line under its tables "
            "shows. With the sixth, the honest guess at a held-out set. Words several categories use "
            "counting less (`SHARED_WEIGHT`, issue 20d) was chosen on the first four sets alone; this"
            " set's totals were printed once, after. Before it: no note confirmed, English 88 % "
            "correct, 5 % wrong, 7 % abstained, Welsh 93 %, 0 %, 7 %; a third confirmed, English 83 "
            "%, 9 %, 9 %, Welsh 88 %, 0 %, 12 %: the same totals as after. Issue 20e's vocabulary "
            "changes were chosen on the first four sets and on notes written for the purpose; only "
            "this set's totals were printed, and they were, before them, the figures just given."
            " Issue 20f read its misses, and those of the fifth to eighth sets, to choose its "
            "changes, so from then on its figures flatter."
        ),
    ),
    LaterSet(
        SIXTH,
        "A sixth set, misspelt and colloquial, kept aside",
        (
            ", written the way members of the public scribble on sticky notes (misspelt, colloquial, "
            "*thru*, *libary*, *xmas*, *asb*, some in capitals), before learning from the workshop "
            "was changed, and kept aside like the fifth: only its totals were printed while that was "
            "done. Its first measurement, before: no note confirmed, English 80 % correct, 9 % wrong,"
            " 11 % abstained, Welsh 85 %, 5 %, 10 %; a third confirmed, English 79 %, 8 %, 13 %, "
            "Welsh 92 %, 0 %, 8 % (the same notes with nothing learned: the same figures; learning "
            "from the workshop changed none of them). Since then only words several categories use "
            "counting less (`SHARED_WEIGHT`, issue 20d) was changed, chosen on the first four sets "
            "alone, and this set's totals were printed once, after: the same totals as before it. "
            "Issue 20e's vocabulary changes were chosen the same way as for the fifth set, printing "
            "only this set's totals; before them: no note confirmed, English 80 % correct, 9 % wrong,"
            " 11 % abstained, Welsh 85 %, 5 %, 10 %; a third confirmed, English 81 %, 8 %, 12 %, "
            "Welsh 92 %, 0 %, 8 %."
            " Issue 20f read its misses, and those of the fifth to eighth sets, to choose its "
            "changes, so from then on its figures flatter."
        ),
    ),
    LaterSet(
        SEVENTH,
        "A seventh set, kept aside while the vocabularies changed",
        (
            ", written across the four taxonomies from their definitions alone (the vocabularies "
            "unread), the way the public writes at council, health board and charity workshops "
            "(methods named, or only what happened; short and long; some misspelt), and committed "
            "before issue 20e changed the vocabularies. Only its totals were printed while they "
            "changed, never how any one of its notes came out. Its first measurement, before: no note"
            " confirmed, English 87 % correct, 6 % wrong, 8 % abstained, Welsh 96 %, 0 %, 4 %; a "
            "third confirmed, English 84 %, 7 %, 9 %, Welsh 94 %, 0 %, 6 % (the same notes with "
            "nothing learned: the same figures). One caveat: whoever wrote it also made those "
            "changes, from the first four sets and from notes written for the purpose, and remembers "
            "the kinds of note in it; read its later figures as flattering a little."
            " Issue 20f read its misses, and those of the fifth to eighth sets, to choose its "
            "changes, so from then on its figures flatter."
        ),
    ),
    LaterSet(
        EIGHTH,
        "An eighth set, by another hand, kept aside",
        (
            ", written across the four taxonomies by someone who did not take part in changing the "
            "vocabularies or learning, and committed before issue 20e's changes; nobody read how its "
            "notes came out. Its first measurement, before: no note confirmed, English 89 % correct, "
            "4 % wrong, 7 % abstained, Welsh 100 %; a third confirmed, English 87 %, 4 %, 10 %, Welsh"
            " 100 % (the same notes with nothing learned: the same figures)."
            " Issue 20f read its misses, and those of the fifth to eighth sets, to choose its "
            "changes, so from then on its figures flatter."
        ),
    ),
    LaterSet(
        NINTH,
        "A ninth set, from the definitions alone, by another hand, kept aside",
        (
            ", written across the four taxonomies by someone who read only the taxonomies' "
            "definitions and the seed documents (not the vocabularies, the suggester or any other "
            "set), with notes that need their meaning read, not only their words (*posters "
            "everywhere telling us to get the flu jab* is Persuasion; a resilience course offered "
            "instead of fixing the damp, Therapy), and committed before issue 20f's changes. Its "
            "first measurement, before them: no note confirmed, English 79 % correct, 10 % wrong, "
            "12 % abstained, Welsh 79 %, 7 %, 14 %; a third confirmed, English 75 %, 11 %, 14 %, "
            "Welsh 81 %, 6 %, 12 % (the same notes with nothing learned: the same figures). 20f's "
            "changes (a message pressing people to do something read as Persuasion on the "
            "co-production spectrum, whatever carried it; *helped choose* as Participation; "
            "phrases for selling a plan, treating objections, promising nothing, half-and-half "
            "boards, ranking options) were chosen from the misses of the fifth to eighth sets, "
            "read for it, and of the first four; only this set's totals were printed, once, after. "
            "Caveat: the helper's report that delivered it quoted three of its notes, one of them "
            "the flu-jab poster above, before the pressing rule was written."
            " Issue 20g weighed the suggestions by a model learned from the read sets only "
            "(`second_opinion.py`), its rule chosen leaving one read set out; this set's totals were "
            "printed three times while that was done (the rule as the helper proposed it, then with "
            "sure suggestions kept, as chosen on the read sets). Before the model: no note confirmed, "
            "English 79 % correct, 7 % wrong, Welsh 82 %, 4 %."
        ),
    ),
    LaterSet(
        TENTH,
        "A tenth set, from the definitions alone, by another hand, kept aside",
        (
            ", written across the four taxonomies (40 notes each, every category at least four "
            "times) by someone who read only the taxonomies' definitions and the seed documents "
            "(no vocabulary, suggester, benchmark or other set), most notes saying only what "
            "happened, some with a method's everyday name, a few that look like one category and "
            "are another to a practitioner; committed after issue 20f and kept aside. Its first "
            "measurement, on the suggester as it was (commit f26657b): no note confirmed, English "
            "70 % correct, 12 % wrong, 19 % abstained, Welsh 81 %, 6 %, 12 %; a third confirmed, "
            "English 69 %, 12 %, 19 %, Welsh 80 %, 10 %, 10 % (the same notes with nothing "
            "learned: English 69 %, 11 % wrong; learning changed 1 of 104 suggestions). With the "
            "ninth, the honest guess at a held-out set; which of its notes are missed was not "
            "read."
            " Issue 20g weighed the suggestions by a model learned from the read sets only "
            "(`second_opinion.py`), its rule chosen leaving one read set out; this set's totals were "
            "printed three times while that was done (the rule as the helper proposed it, then with "
            "sure suggestions kept, as chosen on the read sets). Before the model: no note confirmed, "
            "English 70 % correct, 11 % wrong, Welsh 78 %, 0 %."
        ),
    ),
    LaterSet(
        ELEVENTH,
        "An eleventh set, from the definitions alone, as residents write, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh, every category at least four times), written by "
            "another hand from the taxonomies' definitions and the seed documents alone (no "
            "vocabulary, suggester, benchmark or other set) the way a council's residents write at"
            " a drop-in, a third in lower case, misspelt or in text-speak. Its first measurement, "
            "as it came (commit 61a1512, nothing changed for it): no note confirmed, English 93 % "
            "correct, 2 % wrong, 4 % abstained, Welsh 92 %, 0 %, 8 %; a third confirmed, English "
            "90 %, 5 %, 5 %, Welsh 92 %, 0 %, 8 % (the same notes with nothing learned: English 91"
            " %, 4 % wrong; learning changed 1 of 128 suggestions)."
            " Then added, with the twelfth, to what the learned second opinion is trained on "
            "(issue 20h): from then on its tables say only that it was learned; leaving it out of "
            "the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        TWELFTH,
        "A twelfth set, from the definitions alone, as patients and carers write, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh, every category at least four times), written by "
            "another hand from the definitions and the seed documents alone, as patients, carers, "
            "volunteers and young people write at health-board and charity workshops: fuller "
            "sentences, stories of being involved or not, services named. Its first measurement, "
            "as it came (commit 61a1512): no note confirmed, English 92 % correct, 5 % wrong, 3 % "
            "abstained, Welsh 98 %, 0 %, 2 %; a third confirmed, English 89 %, 8 %, 3 %, Welsh 96 "
            "%, 0 %, 4 % (the same notes with nothing learned: English 89 %, 8 % wrong; learning "
            "changed none of 128 suggestions)."
            " Then added, with the eleventh, to what the learned second opinion is trained on "
            "(issue 20h): from then on its tables say only that it was learned; leaving it out of "
            "the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        THIRTEENTH,
        "A thirteenth set, from the definitions alone, as young people write, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh, every category at least four times) in twelve "
            "workshops, written by another hand from the definitions and the seed documents alone "
            "as school councils, youth forums, climate groups and citizens' assemblies write: "
            "direct, sometimes sarcastic about being consulted, some very short. Its first "
            "measurement, as it came (commit cc1f07c, the model already trained on the eleventh "
            "and twelfth): no note confirmed, English 92 % correct, 2 % wrong, 6 % abstained, Welsh "
            "92 %, 2 %, 5 %; a third confirmed, English 93 %, 1 %, 6 %, Welsh 96 %, 4 %, 0 % (the "
            "same notes with nothing learned: English 93 %, 1 % wrong, Welsh 100 %, 0 %; learning "
            "changed 1 of 128 suggestions)."
            " Then added, with the fourteenth, to what the learned second opinion is trained on "
            "(issue 20h): from then on its tables say only that it was learned; leaving it out of "
            "the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        FOURTEENTH,
        "A fourteenth set, from the definitions alone, on regeneration and housing, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh) in twelve workshops, written by another hand from the "
            "definitions alone as older residents, farmers, shopkeepers and tenants write at "
            "regeneration, planning and housing workshops, with a few notes that name one method "
            "and mean another (a *consultation evening* that was only a slide show). Its first "
            "measurement, as it came (commit cc1f07c): no note confirmed, English 93 % correct, "
            "2 % wrong, 4 % abstained, Welsh 90 %, 0 %, 10 %; a third confirmed, English 92 %, "
            "4 %, 4 %, Welsh 83 %, 0 %, 17 % (the same notes with nothing learned: the same; "
            "learning changed none of 128 suggestions)."
            " Then added, with the thirteenth, to what the learned second opinion is trained on "
            "(issue 20h): from then on its tables say only that it was learned; leaving it out of "
            "the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        FIFTEENTH,
        "A fifteenth set, from the definitions alone, on social care and carers, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone "
            "as service users, families, advocates and staff write at social care, mental health,"
            " disability and carers' workshops, angry, tired or hopeful, some very short. Its first"
            " measurement, as it came (commit f7ed556, the model trained on the eleventh to "
            "fourteenth): no note confirmed, English 98 % correct, 1 % wrong, 1 % abstained, Welsh "
            "95 %, 0 %, 5 %; a third confirmed, English 97 %, 3 %, 0 %, Welsh 96 %, 0 %, 4 % (the "
            "same notes with nothing learned: English 98 %, 2 % wrong; learning changed 1 of 128 "
            "suggestions)."
            " Then added, with the sixteenth, to what the learned second opinion is trained on "
            "(issue 20h): from then on its tables say only that it was learned; leaving it out of "
            "the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        SIXTEENTH,
        "A sixteenth set, from the definitions alone, as a scribe notes it down, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone "
            "as a facilitator's scribe or an officer captures a session: terse noun phrases and "
            "abbreviations (*Q&A*, *TRA*, *CC mtg*), with some longer notes in participants' own "
            "hands. Its first measurement, as it came (commit f7ed556): no note confirmed, English"
            " 89 % correct, 5 % wrong, 6 % abstained, Welsh 90 %, 2 %, 8 %; a third confirmed, "
            "English 88 %, 6 %, 6 %, Welsh 92 %, 8 %, 0 % (the same notes with nothing learned: "
            "English 89 %, 5 % wrong, Welsh 92 %, 4 % wrong; learning changed 3 of 128 "
            "suggestions, one Welsh note to a wrong category)."
            " Then added, with the fifteenth, to what the learned second opinion is trained on "
            "(issue 20h): from then on its tables say only that it was learned; leaving it out of "
            "the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        SEVENTEENTH,
        "A seventeenth set, from the definitions alone, from a rural area, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "people in a rural, farming and market-town area write (many Welsh speakers in the Welsh "
            "notes): village halls, the agricultural show, buses, wind farms and second homes, the "
            "village school; plain, practical, a bit wry. Its first measurement, as it came (commit "
            "29af23c, the model trained on the sets up to the sixteenth): no note confirmed, English "
            "81 % correct, 6 % wrong, 12 % abstained, Welsh 82 %, 10 %, 8 %; a third confirmed, "
            "English 83 %, 8 %, 10 %, Welsh 79 %, 17 %, 4 % (the same notes with nothing learned: "
            "English 83 %, 7 % wrong, Welsh 79 %, 17 % wrong; learning changed 1 of 128 suggestions)."
            " The first set nobody had read where the cold targets were not met. Then added, with the"
            " others of the seventeenth to nineteenth, to what the learned second opinion is trained "
            "on (issue 20i): from then on its tables say only that it was learned; leaving it out of "
            "the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        EIGHTEENTH,
        "An eighteenth set, from the definitions alone, on schools and youth services, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "parents (some in a hurry on a phone), school governors and older pupils write about "
            "schools, childcare, youth services and play areas. Its first measurement, as it came "
            "(commit 29af23c, the model trained on the sets up to the sixteenth): no note confirmed, "
            "English 88 % correct, 3 % wrong, 9 % abstained, Welsh 88 %, 0 %, 12 %; a third "
            "confirmed, English 88 %, 7 %, 5 %, Welsh 88 %, 0 %, 12 % (the same notes with nothing "
            "learned: English 88 %, 5 % wrong, Welsh 88 %, 0 % wrong; learning changed 3 of 128 "
            "suggestions). Then added, with the others of the seventeenth to nineteenth, to what the "
            "learned second opinion is trained on (issue 20i): from then on its tables say only that "
            "it was learned; leaving it out of the training: the section on the learned second "
            "opinion."
        ),
    ),
    LaterSet(
        NINETEENTH,
        "A nineteenth set, from the definitions alone, as older and disabled people write, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "older and disabled people write about libraries, transport, digital exclusion, care "
            "homes, access to council buildings and flood plans: polite, sometimes long-winded, "
            "sometimes sharp about not being listened to. Its first measurement, as it came (commit "
            "29af23c, the model trained on the sets up to the sixteenth): no note confirmed, English "
            "91 % correct, 4 % wrong, 6 % abstained, Welsh 88 %, 5 %, 8 %; a third confirmed, English"
            " 90 %, 3 %, 7 %, Welsh 96 %, 4 %, 0 % (the same notes with nothing learned: English 90 "
            "%, 3 % wrong, Welsh 96 %, 4 % wrong; learning changed none of 128 suggestions). Then "
            "added, with the others of the seventeenth to nineteenth, to what the learned second "
            "opinion is trained on (issue 20i): from then on its tables say only that it was learned;"
            " leaving it out of the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        TWENTIETH,
        "A twentieth set, from the definitions alone, with English as a second language, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "refugees, minority ethnic communities and others with English as a second language write"
            " (short, simple sentences, some non-native grammar) about housing, GP access, "
            "interpreters, community centres and faith groups; the Welsh by learners and first-"
            "language speakers in Cardiff and Swansea. Its first measurement, as it came (commit "
            "3c557a2, the model trained on the sets up to the nineteenth): no note confirmed, English"
            " 89 % correct, 5 % wrong, 6 % abstained, Welsh 92 %, 0 %, 8 %; a third confirmed, "
            "English 92 %, 4 %, 4 %, Welsh 92 %, 0 %, 8 % (the same notes with nothing learned: "
            "English 92 %, 3 % wrong, Welsh 92 %, 0 % wrong; learning changed 1 of 128 suggestions). "
            "Then added, with the others of the twentieth to twenty-third, to what the learned second"
            " opinion is trained on (issue 20i): from then on its tables say only that it was "
            "learned; leaving it out of the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        TWENTYFIRST,
        "A twenty-first set, from the definitions alone, as traders write, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "shopkeepers, market traders and local business people write about town-centre "
            "regeneration, parking charges, events and roadworks: brisk, commercial, impatient with "
            "process. Its first measurement, as it came (commit 3c557a2, the model trained on the "
            "sets up to the nineteenth): no note confirmed, English 84 % correct, 3 % wrong, 13 % "
            "abstained, Welsh 88 %, 2 %, 10 %; a third confirmed, English 87 %, 4 %, 10 %, Welsh 92 "
            "%, 0 %, 8 % (the same notes with nothing learned: English 87 %, 4 % wrong, Welsh 92 %, 0"
            " % wrong; learning changed none of 128 suggestions). Then added, with the others of the "
            "twentieth to twenty-third, to what the learned second opinion is trained on (issue 20i):"
            " from then on its tables say only that it was learned; leaving it out of the training: "
            "the section on the learned second opinion."
        ),
    ),
    LaterSet(
        TWENTYSECOND,
        "A twenty-second set, from the definitions alone, as officers write, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "council officers, councillors, health-board and voluntary-sector staff write after "
            "engagement work, in their jargon (*stakeholder session*, *co-design sprint*, *lived "
            "experience panel*, *TRA*), with plain notes by residents they worked with; the same "
            "jargon in more than one category on purpose. Its first measurement, as it came (commit "
            "3c557a2, the model trained on the sets up to the nineteenth): no note confirmed, English"
            " 88 % correct, 5 % wrong, 8 % abstained, Welsh 98 %, 0 %, 2 %; a third confirmed, "
            "English 91 %, 6 %, 3 %, Welsh 100 %, 0 %, 0 % (the same notes with nothing learned: "
            "English 91 %, 5 % wrong, Welsh 100 %, 0 % wrong; learning changed 1 of 128 suggestions)."
            " Then added, with the others of the twentieth to twenty-third, to what the learned "
            "second opinion is trained on (issue 20i): from then on its tables say only that it was "
            "learned; leaving it out of the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        TWENTYTHIRD,
        "A twenty-third set, from the definitions alone, as green-space volunteers write, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "park and river volunteers, allotment holders, cyclists and dog walkers write about "
            "parks, flood defences, tree felling, active travel and planning applications: "
            "enthusiastic, detailed, sometimes cross. Its first measurement, as it came (commit "
            "3c557a2, the model trained on the sets up to the nineteenth): no note confirmed, English"
            " 93 % correct, 2 % wrong, 4 % abstained, Welsh 95 %, 0 %, 5 %; a third confirmed, "
            "English 91 %, 2 %, 7 %, Welsh 100 %, 0 %, 0 % (the same notes with nothing learned: "
            "English 91 %, 2 % wrong, Welsh 100 %, 0 % wrong; learning changed none of 128 "
            "suggestions). Then added, with the others of the twentieth to twenty-third, to what the "
            "learned second opinion is trained on (issue 20i): from then on its tables say only that "
            "it was learned; leaving it out of the training: the section on the learned second "
            "opinion."
        ),
    ),
    LaterSet(
        TWENTYFOURTH,
        "A twenty-fourth set, from the definitions alone, on community safety, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "residents, neighbourhood watch members and young people write about antisocial "
            "behaviour, street lighting, policing priorities, CCTV, alley gates, knife crime and "
            "domestic abuse services: matter-of-fact, sometimes fearful, sometimes cynical. Its first"
            " measurement, as it came (commit 62baefc, the model trained on the sets up to the "
            "twenty-third): no note confirmed, English 89 % correct, 2 % wrong, 9 % abstained, Welsh "
            "88 %, 2 %, 10 %; a third confirmed, English 88 %, 2 %, 10 %, Welsh 83 %, 4 %, 12 % (the "
            "same notes with nothing learned: English 88 %, 1 % wrong, Welsh 83 %, 4 % wrong; "
            "learning changed 1 of 128 suggestions). Then added, with the others of the twenty-fourth"
            " to twenty-seventh, to what the learned second opinion is trained on (issue 20i): from "
            "then on its tables say only that it was learned; leaving it out of the training: the "
            "section on the learned second opinion."
        ),
    ),
    LaterSet(
        TWENTYFIFTH,
        "A twenty-fifth set, from the definitions alone, from a Welsh-speaking community, then trained on",
        (
            ", 50 per taxonomy (25 in Welsh), written by another hand from the definitions alone as "
            "people in a Welsh-speaking community write (Welsh-medium schools, the eisteddfod, "
            "chapels as hubs, Menter Iaith, holiday homes, bilingual services), the Welsh in North "
            "and South forms, some without accents, the English with Welsh words in it. Its first "
            "measurement, as it came (commit 62baefc, the model trained on the sets up to the twenty-"
            "third): no note confirmed, English 86 % correct, 4 % wrong, 10 % abstained, Welsh 90 %, "
            "2 %, 8 %; a third confirmed, English 86 %, 3 %, 11 %, Welsh 91 %, 3 %, 6 % (the same "
            "notes with nothing learned: English 86 %, 3 % wrong, Welsh 91 %, 2 % wrong; learning "
            "changed 1 of 128 suggestions). Then added, with the others of the twenty-fourth to "
            "twenty-seventh, to what the learned second opinion is trained on (issue 20i): from then "
            "on its tables say only that it was learned; leaving it out of the training: the section "
            "on the learned second opinion."
        ),
    ),
    LaterSet(
        TWENTYSIXTH,
        "A twenty-sixth set, from the definitions alone, remarks typed as said, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as a"
            " volunteer scribe types remarks said at the tables: first person, spoken rhythm, asides "
            "(*I mean, they did ask us, fair play, but*), some with the speaker's role (*Carer:*), "
            "about any public service. Its first measurement, as it came (commit 62baefc, the model "
            "trained on the sets up to the twenty-third): no note confirmed, English 91 % correct, 4 "
            "% wrong, 6 % abstained, Welsh 95 %, 0 %, 5 %; a third confirmed, English 92 %, 2 %, 6 %,"
            " Welsh 92 %, 0 %, 8 % (the same notes with nothing learned: English 92 %, 2 % wrong, "
            "Welsh 92 %, 0 % wrong; learning changed 2 of 128 suggestions). Then added, with the "
            "others of the twenty-fourth to twenty-seventh, to what the learned second opinion is "
            "trained on (issue 20i): from then on its tables say only that it was learned; leaving it"
            " out of the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        TWENTYSEVENTH,
        "A twenty-seventh set, from the definitions alone, on arts, heritage and sport, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "museum and library users, amateur dramatic societies, sports clubs, festival volunteers "
            "and heritage trusts write about closures, funding, bookings, events and who runs what, "
            "naming their club or venue. Its first measurement, as it came (commit 62baefc, the model"
            " trained on the sets up to the twenty-third): no note confirmed, English 90 % correct, 6"
            " % wrong, 4 % abstained, Welsh 88 %, 2 %, 10 %; a third confirmed, English 90 %, 5 %, 5 "
            "%, Welsh 83 %, 4 %, 12 % (the same notes with nothing learned: English 90 %, 5 % wrong, "
            "Welsh 83 %, 4 % wrong; learning changed none of 128 suggestions). Then added, with the "
            "others of the twenty-fourth to twenty-seventh, to what the learned second opinion is "
            "trained on (issue 20i): from then on its tables say only that it was learned; leaving it"
            " out of the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        TWENTYEIGHTH,
        "A twenty-eighth set, from the definitions alone, on homelessness, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "people experiencing homelessness or in temporary accommodation, and their support "
            "workers, write or dictate: blunt, tired, sometimes grateful, sometimes furious. Its "
            "first measurement, as it came (commit cce1e40, the model trained on the sets up to the "
            "twenty-seventh and overruling weak words): no note confirmed, English 92 % correct, 4 % "
            "wrong, 4 % abstained, Welsh 88 %, 0 %, 12 %; a third confirmed, English 89 %, 9 %, 2 %, "
            "Welsh 92 %, 0 %, 8 % (the same notes with nothing learned: English 91 %, 6 % wrong, "
            "Welsh 88 %, 0 % wrong; learning changed 4 of 128 suggestions). Then added, with the "
            "other of the twenty-eighth and twenty-ninth, to what the learned second opinion is "
            "trained on (issue 20i): from then on its tables say only that it was learned; leaving it"
            " out of the training: the section on the learned second opinion."
        ),
    ),
    LaterSet(
        TWENTYNINTH,
        "A twenty-ninth set, from the definitions alone, as children write, then trained on",
        (
            ", 50 per taxonomy (10 in Welsh), written by another hand from the definitions alone as "
            "children of 9 to 12 write at school council, road-safety and eco sessions (their "
            "spelling, run-on sentences, exclamation marks), with their teachers' notes of what they "
            "said; the Welsh by pupils of Welsh-medium schools. Its writer saw three notes of the "
            "eighteenth set by mistake, after drafting. Its first measurement, as it came (commit "
            "cce1e40, the model trained on the sets up to the twenty-seventh and overruling weak "
            "words): no note confirmed, English 86 % correct, 7 % wrong, 7 % abstained, Welsh 85 %, 5"
            " %, 10 %; a third confirmed, English 84 %, 9 %, 8 %, Welsh 88 %, 4 %, 8 % (the same "
            "notes with nothing learned: English 84 %, 9 % wrong, Welsh 88 %, 4 % wrong; learning "
            "changed none of 128 suggestions). Then added, with the other of the twenty-eighth and "
            "twenty-ninth, to what the learned second opinion is trained on (issue 20i): from then on"
            " its tables say only that it was learned; leaving it out of the training: the section on"
            " the learned second opinion."
        ),
    ),
    LaterSet(
        WORKSHOPS_SECOND,
        "A second workshop-like set, six sessions, then trained on",
        (
            " in six sessions, each one town or service and one taxonomy (three on the Wakefield "
            "continuum, one of them wholly in Welsh), written by another hand from the definitions "
            "alone as real boards look after a session: the town's own services, events and channels "
            "by their own names (*Llais y Dref*, *the Big Swim Survey*, *Pick Your Play*), mentioned "
            "again and again in people's own words, misspelt or shortened, and some one-off notes. "
            "Its first measurement, as it came (commit 57d5003, the model trained on the sets up to "
            "the twenty-ninth and the off-topic notes): no note confirmed, English 89 % correct, 4 % "
            "wrong, 7 % abstained, Welsh 81 %, 5 %, 15 %; a third confirmed, English 87 %, 6 %, 7 %, "
            "Welsh 88 %, 2 %, 10 % (the same notes with nothing learned: English 86 %, 6 % wrong, "
            "Welsh 82 %, 2 % wrong; learning changed 4 of 158 suggestions). Then added to what the "
            "learned second opinion is trained on (issue 20i): from then on its tables say only that "
            "it was learned."
        ),
    ),
    LaterSet(
        WORKSHOPS,
        "Workshop-like notes, kept aside",
        (
            " from eight sessions written as real ones go, two per built-in taxonomy, one of each "
            "pair wholly or a fifth in Welsh: a town's own services and events (*the Tuesday drop-in "
            "at the Hub*, *the Your Say survey*, *the youth forum*), each mentioned by several people"
            " in their own words, misspelt or shortened, plus one-offs. The sets above hold one note "
            "per method, so a confirmed third has little alike to teach from; here it has. Written "
            "before learning was changed for it and kept aside: only these totals were printed. Its "
            "first measurement, before: no note confirmed, English 73 % correct, 5 % wrong, 22 % "
            "abstained, Welsh 80 %, 4 %, 16 %; a third confirmed, English 81 %, 5 %, 14 %, Welsh 77 "
            "%, 3 %, 20 % (the same notes with nothing learned: English 75 %, 5 % wrong, Welsh 77 %, "
            "3 % wrong); learning changed 8 of 177 suggestions, and of the 35 notes still missed 2 "
            "had a confirmed note of their own category alike enough. Since then learning follows the"
            " workshop's own names for things (`Learned.local`, docs/categories.md), chosen on the "
            "study set below and checked on the first four sets (the same suggestions) and on the "
            "totals of the kept-aside sets (the same). Most of what is still missed here had no "
            "confirmed note of its own category sharing a word or name with it: the third that was "
            "confirmed did not cover it, so the words alone (the vocabularies) decide those."
            " Issue 20f's changes were chosen on other sets, but the notes here whose suggestion "
            "they changed were printed while they were checked for harm."
            " Issue 20g weighed the suggestions by a model learned from the read sets only "
            "(`second_opinion.py`), its rule chosen leaving one read set out; this set's totals were "
            "printed three times while that was done (the rule as the helper proposed it, then with "
            "sure suggestions kept, as chosen on the read sets). Before the model: no note confirmed, "
            "English 78 % correct, 4 % wrong, Welsh 80 %, 4 %."
        ),
    ),
    LaterSet(
        STUDY,
        "Workshop-like notes, read while learning was changed",
        (
            " in three more sessions written the same way, whose misses were read to choose how names"
            " are learned; so these tables flatter learning. Before names were learned: a third "
            "confirmed, English 78 % correct, 4 % wrong, Welsh 83 %, 0 % (nothing learned: English 60"
            " %, 8 % wrong)."
        ),
    ),
)
"""The later sets, in the order their sections appear."""


def _later(measured: Sequence[tuple[LaterSet, Measured]]) -> list[str]:
    """Each later set's section: how it was written, then its tables."""
    lines: list[str] = []
    for later, tables in measured:
        lead = f"`bench/data/{later.path.name}`: {tables.notes} notes ({tables.welsh} in Welsh)"
        lines += [f"### {later.heading}", "", lead + later.story, "", *_tables(tables)]
    return lines


def _speed(seconds: tuple[float, float], rows_for_timing: list[Row]) -> list[str]:
    """Suggesting for 3,000 notes, and a workshop learning from a third of them."""
    return [
        "### Speed",
        "",
        "Suggesting for 3,000 distinct notes (Wakefield, a fresh suggester, best of five): "
        f"{seconds[1] * 1000:.0f} ms of CPU, {seconds[0] * 1000:.0f} ms of wall time (load "
        f"average {os.getloadavg()[0]:.1f} on {_cpu_count()} cores when it ended).",
        "",
        "CPU time also grows when the machine is shared and busy (about three times at a "
        "load average of 30 on 2 cores), so read it beside the load average.",
        "",
        "A workshop of 3,000 Wakefield notes with every third confirmed (learning from the "
        "1,000, then suggesting for the other 2,000; best of three): "
        f"{_timing_learning(rows_for_timing) * 1000:.0f} ms of CPU.",
        "",
    ]


def write(text: str, path: Path = BENCHMARKS) -> None:
    """Replace this section of BENCHMARKS.md (or add it at the end), leaving the others."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def _other(path: Path) -> Measured:
    """Another labelled set, measured."""
    return measure(load(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    parser.add_argument("--show-misses", action="store_true", help="list every note not suggested right")
    parser.add_argument("--data", type=Path, default=DATA, help="the labelled notes (CSV)")
    args = parser.parse_args()
    rows = load(args.data)
    cold, warm, unlearned, seconds = run(rows, show_misses=args.show_misses)
    welsh = sum(1 for row in rows if row["language"] == "cy")
    main = Measured(cold, warm, unlearned, len(rows), welsh)
    later = [(item, _other(item.path)) for item in LATER]
    wakefield_rows = [row for row in rows if row["taxonomy"] == "wakefield"]
    text = section(main, seconds, later, wakefield_rows)
    print(text)
    if not args.no_write:
        write(text)


if __name__ == "__main__":
    main()
