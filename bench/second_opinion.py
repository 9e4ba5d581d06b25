"""A learned second opinion on category suggestions (`board/core/second_opinion.py`), measured
leaving one labelled set out, and its shipped counts trained (issue #20).

    .venv/bin/python -m bench.second_opinion                    # leave-one-set-out tables
    .venv/bin/python -m bench.second_opinion --prune 0.4        # ... without near-copies
    .venv/bin/python -m bench.second_opinion --vocab-at 04bcde1 --sets fifth sixth seventh eighth
    .venv/bin/python -m bench.second_opinion --write            # train on every read set
    .venv/bin/python -m bench.second_opinion --held-out PATH    # totals on a kept-aside set
    .venv/bin/python -m bench.second_opinion --warm             # ... cold and a third confirmed

Only the sets that may be read are used (`READ`); the kept-aside ones (the ninth, the tenth,
the workshop-like set) are never trained on, and `--held-out` prints only their totals.

For each read set in turn: a model per taxonomy is trained on the other read sets and the
taxonomies' own definitions (`second_opinion.definitions`), and each held-out note is scored,
cold (nothing confirmed), as correct, wrong or abstained (`evaluation.Outcome`) for the
suggester alone, the model alone, and their combinations, English and Welsh apart:

- *agree*: the suggester's category only when the model's first choice is the same;
- *veto*: the suggester's category unless the model gives it less than `VETO_BELOW`;
- *fill*: the suggester's, or where it abstains the model's when at least `FILL_FROM` sure;
- *veto + fill*: both (`second_opinion.combine`).

`--warm` measures the product as a workshop meets it, leaving one set out the same way: for
each read set in turn, the suggester with the model trained without it (`Suggester(model=)`),
measured as `bench.categories` measures a set (`tally`): cold, then with every third note of
each workshop confirmed first and the other two thirds suggested with those as examples,
beside the same two thirds with nothing learned. The read sets' own tables in
`bench.categories` say nothing about this: the shipped model has seen every note of them.

The sets were mostly written by the same few hands and share turns of phrase ("residents and
planners drew up the options together" in two of them), which flatters a model that learns
phrases. `--prune J` drops from training every note whose stems overlap a held-out note's by
a Jaccard index of J or more, as if the held-out set had been written by someone else.

The suggester's own figures on these sets flatter too: its vocabularies were written reading
them. `--vocab-at COMMIT` takes the suggester as it was at that commit (from `git archive`,
run in a subprocess): at 04bcde1 the fifth to eighth sets had not been read note by note
(issue 20's commit 924f7b1 was the first chosen from their misses), so with `--sets fifth
sixth seventh eighth` it measures the combination where the suggester has not seen the notes
(taxonomies.py, stemming.py and welsh.py, which the model is trained and reads through, are
the same at 04bcde1 as when this was written, so only the suggester is older). With `--warm`,
the older suggester's readings, cold and with the third confirmed, are weighed by the model
as it is now.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from bench.categories import (
    DATA,
    EIGHTEENTH,
    EIGHTH,
    ELEVENTH,
    FIFTEENTH,
    FIFTH,
    FOURTEENTH,
    FOURTH,
    FRESH,
    NINETEENTH,
    OFFTOPIC,
    SEVENTEENTH,
    SEVENTH,
    SIXTEENTH,
    SIXTH,
    STUDY,
    THIRD,
    THIRTEENTH,
    TWELFTH,
    TWENTIETH,
    TWENTYEIGHTH,
    TWENTYFIFTH,
    TWENTYFIRST,
    TWENTYFOURTH,
    TWENTYNINTH,
    TWENTYSECOND,
    TWENTYSEVENTH,
    TWENTYSIXTH,
    TWENTYTHIRD,
    WORKSHOPS_SECOND,
    Row,
    Tallies,
    load,
    tally,
)
from board.core.categorise import Learned, Suggester, Suggestion
from board.core.evaluation import Outcome, Tally
from board.core.second_opinion import (
    FILL_FROM,
    MODEL_FILE,
    NONE_OF_THEM,
    SURE_STANDS,
    VETO_BELOW,
    CategoryModel,
    Counts,
    Opinion,
    combine,
    count,
    definitions,
    dump,
    features,
)
from board.core.taxonomies import BUILT_IN, Taxonomy

READ: Final = {
    "first": DATA,
    "fresh": FRESH,
    "third": THIRD,
    "fourth": FOURTH,
    "fifth": FIFTH,
    "sixth": SIXTH,
    "seventh": SEVENTH,
    "eighth": EIGHTH,
    "eleventh": ELEVENTH,
    "twelfth": TWELFTH,
    "thirteenth": THIRTEENTH,
    "fourteenth": FOURTEENTH,
    "fifteenth": FIFTEENTH,
    "sixteenth": SIXTEENTH,
    "seventeenth": SEVENTEENTH,
    "eighteenth": EIGHTEENTH,
    "nineteenth": NINETEENTH,
    "twentieth": TWENTIETH,
    "twentyfirst": TWENTYFIRST,
    "twentysecond": TWENTYSECOND,
    "twentythird": TWENTYTHIRD,
    "twentyfourth": TWENTYFOURTH,
    "twentyfifth": TWENTYFIFTH,
    "twentysixth": TWENTYSIXTH,
    "twentyseventh": TWENTYSEVENTH,
    "twentyeighth": TWENTYEIGHTH,
    "twentyninth": TWENTYNINTH,
    "study": STUDY,
    "workshops_second": WORKSHOPS_SECOND,
}
"""The labelled sets that may be read and trained on. The ninth, the tenth and the workshop-like
set are kept aside (bench/categories.py) and are not here."""
MODEL_PATH: Final = Path(__file__).parent.parent / "board" / "core" / "data" / MODEL_FILE
ROOT: Final = Path(__file__).parent.parent

Vocab = tuple[str | None, float | None]
"""The suggester's category for a note and its confidence (None, None when it abstained)."""
Rule = Callable[[Vocab, Opinion | None], str | None]


def _model_top(least: float) -> Rule:
    def top(vocab: Vocab, opinion: Opinion | None) -> str | None:
        if opinion is None or opinion.probability < least or opinion.category == NONE_OF_THEM:
            return None
        return opinion.category

    return top


def _agree(vocab: Vocab, opinion: Opinion | None) -> str | None:
    return vocab[0] if opinion is not None and opinion.category == vocab[0] else None


def _veto(vocab: Vocab, opinion: Opinion | None) -> str | None:
    return combine(vocab[0], vocab[1], opinion).category if vocab[0] is not None else None


def _fill(vocab: Vocab, opinion: Opinion | None) -> str | None:
    return vocab[0] if vocab[0] is not None else combine(None, None, opinion).category


RULES: Final[dict[str, Rule]] = {
    "suggester alone": lambda vocab, opinion: vocab[0],
    "model alone (first choice)": _model_top(0.0),
    f"model alone, >= {FILL_FROM}": _model_top(FILL_FROM),
    "agree": _agree,
    f"veto (< {VETO_BELOW}, unless {SURE_STANDS} sure)": _veto,
    f"fill (>= {FILL_FROM})": _fill,
    "veto + fill (combine)": lambda vocab, opinion: combine(vocab[0], vocab[1], opinion).category,
}


@dataclass(frozen=True, slots=True)
class Scored:
    """One held-out note: its set and language, its category, the suggester's and the model's."""

    held: str
    language: str
    expected: str
    vocab: Vocab
    opinion: Opinion | None


def _stems(text: str) -> frozenset[str]:
    return frozenset(feature for feature in features(text) if " " not in feature)


def _near(one: frozenset[str], others: Sequence[frozenset[str]], least: float) -> bool:
    return any(len(one & other) >= least * len(one | other) for other in others if one | other)


def training(rows: dict[str, list[Row]], key: str, held: str | None = None) -> list[tuple[str, str]]:
    """(text, category) of every read set's notes in the taxonomy `key`, but the set `held`
    out's: the labelled notes a model learns from (`trained`)."""
    return [
        (r["text"], r["category"])
        for name in READ
        if name != held
        for r in rows[name]
        if r["taxonomy"] == key
    ]


def trained(
    taxonomy: Taxonomy, notes: list[tuple[str, str]], unplaced: Sequence[str] | None = None
) -> Counts:
    """A model's counts learned from labelled notes and the taxonomy's own definitions, which
    give every category something to go on however few notes it has, and from notes about none
    of them (every off-topic note unless `unplaced` says which)."""
    return count(taxonomy, notes + definitions(taxonomy), _off_topic() if unplaced is None else unplaced)


@cache
def _off_topic() -> tuple[str, ...]:
    """The off-topic notes' texts, read once for every model a run trains."""
    return tuple(row["text"] for row in load(OFFTOPIC))


def off_topic(rows: dict[str, list[Row]]) -> list[str]:
    """How many off-topic notes get a category, each half measured with the model trained on the
    other half (and every read set), and with no off-topic note learned: English and Welsh."""
    notes = load(OFFTOPIC)
    halves = [notes[0::2], notes[1::2]]
    given: dict[tuple[str, str], list[int]] = {}
    for i, half in enumerate(halves):
        for learned, unplaced in (("learned", [r["text"] for r in halves[1 - i]]), ("none learned", [])):
            for key, taxonomy in BUILT_IN.items():
                matcher = Suggester(
                    taxonomy, model=CategoryModel(trained(taxonomy, training(rows, key), unplaced))
                )
                for row in half:
                    counted = given.setdefault((learned, row["language"]), [0, 0])
                    counted[0] += matcher.suggest(row["text"]) is not None
                    counted[1] += 1
    return [
        f"Off-topic notes given a category (each of the four taxonomies), {learned}: "
        + "; ".join(
            f"{name} {100 * given[(learned, language)][0] / given[(learned, language)][1]:.1f} % "
            f"of {given[(learned, language)][1]}"
            for language, name in (("en", "English"), ("cy", "Welsh"))
        )
        for learned in ("none learned", "learned")
    ]


def leave_one_out(
    rows: dict[str, list[Row]], held_sets: Sequence[str], vocab: dict[str, list[Vocab]], prune: float | None
) -> tuple[list[Scored], int, int]:
    """Every note of each held-out set scored by a model trained without its set; with how many
    training notes pruning dropped, of how many."""
    scored: list[Scored] = []
    dropped = offered = 0
    for held in held_sets:
        for key, taxonomy in BUILT_IN.items():
            test = [(i, row) for i, row in enumerate(rows[held]) if row["taxonomy"] == key]
            if not test:
                continue
            train = training(rows, key, held)
            offered += len(train)
            if prune is not None:
                tested = [_stems(row["text"]) for _, row in test]
                kept = [
                    (text, category) for text, category in train if not _near(_stems(text), tested, prune)
                ]
                dropped += len(train) - len(kept)
                train = kept
            model = CategoryModel(trained(taxonomy, train))
            for i, row in test:
                opinion = model.opinion(row["text"])
                scored.append(Scored(held, row["language"], row["category"], vocab[held][i], opinion))
    return scored, dropped, offered


def warm(rows: dict[str, list[Row]], held_sets: Sequence[str], commit: str | None = None) -> list[str]:
    """Each held-out set measured as `bench.categories` measures a set (cold, a third of each
    workshop confirmed, the same two thirds with nothing learned) with the model trained
    without it, on the suggester's words as they are or as they were at `commit`: the totals
    per language, then per set."""
    older = _at(commit, _DUMP_WARM, {name: READ[name] for name in held_sets}) if commit else {}
    total = Tallies()
    lines = []
    for held in held_sets:
        models = {
            key: CategoryModel(trained(taxonomy, training(rows, key, held)))
            for key, taxonomy in BUILT_IN.items()
        }
        readings = _readings(rows[held], older[held]) if commit else None
        one = tally(rows[held], matcher_for=_matchers(models, readings))
        total.add(one)
        lines.append(f"{held}: " + "; ".join(_totals(one)))
    return [
        "| measured | language | notes | correct | wrong | abstained |",
        "|---|---|---|---|---|---|",
        *_warm_rows(total),
        total.headroom.line(),
        "Per set (both languages), correct/wrong/abstained:",
        *lines,
    ]


Reading = tuple[Suggestion | None, Suggestion | None]
"""An older suggester's reading of a note: cold, and with the workshop's third confirmed."""


def _readings(rows: list[Row], found: list[list[Any]]) -> dict[str, Reading]:
    """An older suggester's readings (`_DUMP_WARM`) by note text, which `by_words` is given."""
    if len({row["text"] for row in rows}) != len(rows):
        raise ValueError("a set with two notes of the same text: their readings would be confused")
    return {
        row["text"]: (_suggestion(cold), _suggestion(warm))
        for row, (cold, warm) in zip(rows, found, strict=True)
    }


def _matchers(
    models: dict[str, CategoryModel], readings: dict[str, Reading] | None
) -> Callable[[Taxonomy], Suggester]:
    """A suggester per taxonomy with the model given, reading the words as it does or, given
    `readings`, as an older suggester read them."""
    if readings is None:
        return lambda taxonomy: Suggester(taxonomy, model=models[taxonomy.key])
    return lambda taxonomy: _Older(taxonomy, models[taxonomy.key], readings)


def _suggestion(found: list[Any] | None) -> Suggestion | None:
    """[category, confidence, like] as a `Suggestion`: what the model's weighing reads of it."""
    return None if found is None else Suggestion(found[0], found[1], None, like=found[2])


class _Older(Suggester):
    """The suggester as it is, the model given, but with the words (and the confirmed notes)
    read as an older suggester read them: what the model adds to a reading that had not seen
    the held-out notes."""

    def __init__(self, taxonomy: Taxonomy, model: CategoryModel, readings: dict[str, Reading]) -> None:
        super().__init__(taxonomy, model=model)
        self._readings = readings

    def by_words(self, text: str, learned: Learned | None = None) -> Suggestion | None:
        cold, warm = self._readings[text]
        return cold if learned is None else warm


def _by_language(tallies: dict[tuple[str, str], Tally], language: str) -> Tally:
    out = Tally()
    for (_, lang), one in tallies.items():
        if lang == language:
            out.add(one)
    return out


def _warm_rows(counted: Tallies) -> list[str]:
    """Correct / wrong / abstained cold, a third confirmed and the same two thirds with
    nothing learned, English and Welsh apart."""
    lines = []
    for what, found_in in (
        ("cold", lambda language: _by_language(counted.cold, language)),
        ("a third confirmed", lambda language: _by_language(counted.warm, language)),
        ("the same two thirds, nothing learned", lambda language: counted.unlearned[language]),
    ):
        for language in ("en", "cy"):
            found = found_in(language)
            if found.total:
                lines.append(
                    f"| {what} | {language} | {found.total} | {_pct(found, found.correct)} "
                    f"| {_pct(found, found.wrong)} | {_pct(found, found.abstained)} |"
                )
    return lines


def _totals(counted: Tallies) -> list[str]:
    parts = []
    for what, tallies in (("cold", counted.cold), ("a third confirmed", counted.warm)):
        found = Tally()
        for one in tallies.values():
            found.add(one)
        parts.append(f"{what} {found.correct}/{found.wrong}/{found.abstained}")
    return parts


def table(scored: list[Scored]) -> list[str]:
    """Correct / wrong / abstained for each rule, English and Welsh apart."""
    lines = ["| rule | language | notes | correct | wrong | abstained |", "|---|---|---|---|---|---|"]
    for name, rule in RULES.items():
        for language in ("en", "cy"):
            tally = Tally()
            for note in scored:
                if note.language == language:
                    outcome = Outcome("", note.expected, rule(note.vocab, note.opinion), None)
                    tally.correct += outcome.verdict == "correct"
                    tally.wrong += outcome.verdict == "wrong"
                    tally.abstained += outcome.verdict == "abstained"
            if tally.total:
                lines.append(
                    f"| {name} | {language} | {tally.total} | {_pct(tally, tally.correct)} "
                    f"| {_pct(tally, tally.wrong)} | {_pct(tally, tally.abstained)} |"
                )
    return lines


def per_set(scored: list[Scored]) -> list[str]:
    """Each held-out set's correct / wrong / abstained (both languages), the suggester alone and
    combined: whether a change holds across sets or comes from one of them."""
    lines = []
    for held in dict.fromkeys(note.held for note in scored):
        parts = []
        for name in ("suggester alone", "veto + fill (combine)"):
            tally = Tally()
            for note in scored:
                if note.held == held:
                    verdict = Outcome("", note.expected, RULES[name](note.vocab, note.opinion), None).verdict
                    tally.correct += verdict == "correct"
                    tally.wrong += verdict == "wrong"
                    tally.abstained += verdict == "abstained"
            parts.append(f"{tally.correct}/{tally.wrong}/{tally.abstained}")
        lines.append(f"{held}: {parts[0]} -> {parts[1]}")
    return ["Per set, correct/wrong/abstained, suggester alone -> combined: " + "; ".join(lines)]


def _pct(tally: Tally, count: int) -> str:
    return f"{100 * tally.share(count):.1f} % ({count})"


_DUMP: Final = """
import csv, json, sys
from board.core.categorise import Suggester
from board.core.taxonomies import BUILT_IN
matchers = {key: Suggester(taxonomy) for key, taxonomy in BUILT_IN.items()}
out = {}
for name, path in json.loads(sys.argv[1]).items():
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = [matchers[row["taxonomy"]].suggest(row["text"]) for row in rows]
    out[name] = [[s.category, s.confidence] if s else [None, None] for s in found]
print(json.dumps(out))
"""
"""Run against the suggester of another commit: only what every version of it has."""

_DUMP_WARM: Final = """
import csv, json, sys
from collections import defaultdict
from board.core.categorise import Suggester
from board.core.evaluation import confirm_first
from board.core.taxonomies import BUILT_IN
def said(s):
    return [s.category, s.confidence, s.like] if s else None
out = {}
for name, path in json.loads(sys.argv[1]).items():
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    workshops = defaultdict(list)
    for i, row in enumerate(rows):
        workshops[row["workshop"]].append(i)
    found = [None] * len(rows)
    for _, indices in sorted(workshops.items()):
        matcher = Suggester(BUILT_IN[rows[indices[0]]["taxonomy"]])
        pairs = [(rows[i]["text"], rows[i]["category"]) for i in indices]
        learned, _ = confirm_first(pairs, matcher)
        for n, i in enumerate(indices):
            text = rows[i]["text"]
            found[i] = [said(matcher.suggest(text)), said(matcher.suggest(text, learned)) if n % 3 else None]
    out[name] = found
print(json.dumps(out))
"""
"""An older suggester's readings of every note, cold and (but for the confirmed third) with
every third note of its workshop confirmed, as `bench.categories` confirms them. At commits
before the model (`second_opinion.py`), its `suggest` read only the words."""


def suggestions(paths: dict[str, Path], commit: str | None) -> dict[str, list[Vocab]]:
    """The suggester's cold suggestion for every note, as it is now or as it was at `commit`."""
    if commit is None:
        matchers = {key: Suggester(taxonomy) for key, taxonomy in BUILT_IN.items()}
        out: dict[str, list[Vocab]] = {}
        for name, path in paths.items():
            found = [matchers[row["taxonomy"]].by_words(row["text"]) for row in load(path)]
            out[name] = [(s.category, s.confidence) if s else (None, None) for s in found]
        return out
    return {name: [(c, f) for c, f in found] for name, found in _at(commit, _DUMP, paths).items()}


def _at(commit: str, script: str, paths: dict[str, Path]) -> dict[str, list[Any]]:
    """`script`'s JSON output for the sets `paths`, run with the `board` package as it was at
    `commit`."""
    with tempfile.TemporaryDirectory(prefix="second-opinion-") as where:
        archive = Path(where) / "board.tar"
        subprocess.run(["git", "archive", "-o", str(archive), commit, "board"], cwd=ROOT, check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(where, filter="data")
        # -c puts the working directory first on sys.path: the archived board, not this one.
        done = subprocess.run(
            [sys.executable, "-c", script, json.dumps({name: str(path) for name, path in paths.items()})],
            cwd=where,
            env={"PYTHONPATH": where, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
    found: dict[str, list[Any]] = json.loads(done.stdout)
    return found


def write() -> None:
    """Train on every read set and each taxonomy's definitions; write the shipped counts."""
    rows = {name: load(path) for name, path in READ.items()}
    counts = [trained(taxonomy, training(rows, key)) for key, taxonomy in BUILT_IN.items()]
    MODEL_PATH.write_text(dump(counts), encoding="utf-8")
    size = MODEL_PATH.stat().st_size
    notes = sum(len(read) for read in rows.values())
    print(f"{MODEL_PATH.relative_to(ROOT)}: {size / 1024:.0f} KiB, {notes} notes, ", end="")
    print(", ".join(f"{c.taxonomy} {len(c.carried)} features" for c in counts))


def held_out(path: Path) -> None:
    """A model trained on every read set, and the suggester as it is, on a kept-aside set:
    totals only, so its notes stay unread."""
    if path.resolve() in {p.resolve() for p in READ.values()}:
        print(f"{path} is a read set: the model is trained on it too, so this flatters it.")
    rows = {name: load(p) for name, p in READ.items()}
    rows["held-out"] = load(path)
    vocab = suggestions({"held-out": path}, None)
    scored: list[Scored] = []
    for key, taxonomy in BUILT_IN.items():
        model = CategoryModel(trained(taxonomy, training(rows, key)))
        for i, row in enumerate(rows["held-out"]):
            if row["taxonomy"] == key:
                opinion = model.opinion(row["text"])
                scored.append(
                    Scored("held-out", row["language"], row["category"], vocab["held-out"][i], opinion)
                )
    print("\n".join(table(scored)))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help=f"train on every read set, write {MODEL_FILE}")
    parser.add_argument(
        "--prune", type=float, help="drop training notes this alike (Jaccard) to a held-out one"
    )
    parser.add_argument("--vocab-at", help="the suggester as it was at this commit")
    parser.add_argument(
        "--sets", nargs="+", choices=sorted(READ), help="the sets held out in turn (default all)"
    )
    parser.add_argument("--held-out", type=Path, help="a kept-aside set: totals only")
    parser.add_argument("--warm", action="store_true", help="cold and a third confirmed, as bench.categories")
    args = parser.parse_args(argv)
    if args.write:
        write()
        return
    if args.held_out:
        held_out(args.held_out)
        return
    held_sets = args.sets or list(READ)
    rows = {name: load(path) for name, path in READ.items()}
    if args.warm:
        words = f"the words read as at {args.vocab_at}" if args.vocab_at else "the suggester as it is"
        print(f"Held out in turn: {', '.join(held_sets)}; {words}, with the model trained without it.")
        print("\n".join(warm(rows, held_sets, args.vocab_at)))
        return
    vocab = suggestions({name: READ[name] for name in held_sets}, args.vocab_at)
    scored, dropped, offered = leave_one_out(rows, held_sets, vocab, args.prune)
    suggester = f"the suggester at {args.vocab_at}" if args.vocab_at else "the suggester as it is"
    print(f"Held out in turn: {', '.join(held_sets)}; {suggester}; cold (nothing confirmed).")
    if args.prune is not None:
        print(f"Pruned {dropped} of {offered} training notes (Jaccard >= {args.prune} to a held-out note).")
    print("\n".join(table(scored) + per_set(scored) + off_topic(rows)))


if __name__ == "__main__":
    main()
