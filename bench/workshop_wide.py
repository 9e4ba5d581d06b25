"""Workshop-wide actions under load: what a facilitator's one press costs with 500 people on
fifteen boards, and how long until every one of them sees it.

    .venv/bin/python -m bench.workshop_wide              # 500 people, 14 breakouts; updates BENCHMARKS.md
    .venv/bin/python -m bench.workshop_wide --participants 100 --no-write

One `board serve` process on SQLite (as `bench.run`). Participants are spread evenly over the
main board and 14 breakout boards, each with its own note, editing it at random moments (a
Poisson process, one edit every 5 s on average). Meanwhile the facilitator presses the
dashboard's "Every board at once" buttons at random moments (exponential gaps, 1.5 s on
average): a timer for all breakouts, a message to everyone, private mode on and off (reveal),
voting opened and closed. For each press we time the request (sent → answered) and, for every
participant on a board it names, sent → the frame that tells them (the `ops` frame holding the
board's change, or the `message` notice). Numbers, not a test: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.adapters import create_workshop, join_many
from bench.probes import Observer
from bench.report import write_section
from bench.server import Server, machine_line

SECTION = "Workshop-wide actions (one process, SQLite)"
BREAKOUTS = 14
EDIT_EVERY_S = 5.0
PRESS_EVERY_S = 1.5

ACTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "timer, all breakouts": (
        "boards/timer",
        {"boards": "breakouts", "timer": {"action": "start", "ms": 180_000}},
    ),
    "message, every board": ("message", {"boards": "all", "text": "Two minutes left: start wrapping up"}),
    "private mode on, breakouts": (
        "boards/settings",
        {"boards": "breakouts", "settings": {"private_mode": True}},
    ),
    "reveal, breakouts": ("boards/settings", {"boards": "breakouts", "settings": {"private_mode": False}}),
    "voting open, every board": ("boards/settings", {"boards": "all", "settings": {"voting": True}}),
    "voting closed, every board": ("boards/settings", {"boards": "all", "settings": {"voting": False}}),
}


class Person(Observer):
    """A participant's socket that also notes when a board's settings change or a
    facilitator's message arrives (the two things a press sends)."""

    def __init__(self, board: str, token: str) -> None:
        super().__init__(board, token)
        self.notices: list[int] = []
        self.settings: list[int] = []

    def _on_text(self, ws: Any, payload: bytes, now: int) -> None:
        head = payload[:48]
        if b'"type":"notice"' in head:
            if b'"kind":"message"' in head:
                self.notices.append(now)
            return
        if payload.startswith(b'{"type":"ops"') and b'"op":"settings"' in payload:
            self.settings.append(now)
        super()._on_text(ws, payload, now)

    def first_after(self, sent: int, message: bool) -> int | None:
        """When the frame that told this person of a press sent at `sent` arrived."""
        later = [t for t in (self.notices if message else self.settings) if t >= sent]
        return min(later) if later else None


@dataclass
class Press:
    action: str
    boards: set[str]
    sent: int
    answered: int = 0
    seqs: dict[str, int] = field(default_factory=dict)


async def edit_forever(person: Person, note: str, rng: random.Random) -> None:
    while True:
        await asyncio.sleep(rng.expovariate(1 / EDIT_EVERY_S))
        person.send_op({"kind": "update", "id": note, "props": {"text": f"idea {rng.random():.6f}"}})


def targets(action: str, boards: list[dict[str, Any]]) -> set[str]:
    chosen = ACTIONS[action][1]["boards"]
    numbers = {"breakouts": lambda n: n > 0, "main": lambda n: n == 0, "all": lambda n: True}[chosen]
    return {b["id"] for b in boards if numbers(b["number"])}


async def press(http: httpx.AsyncClient, workshop: str, action: str, boards: list[dict[str, Any]]) -> Press:
    path, body = ACTIONS[action]
    done = Press(action, targets(action, boards), time.monotonic_ns())
    response = await http.post(f"/api/workshops/{workshop}/{path}", json=body)
    done.answered = time.monotonic_ns()
    response.raise_for_status()
    return done


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(participants: int, presses: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    with Server() as server:
        created = await create_workshop(server.base_url, "Workshop-wide benchmark", breakouts=BREAKOUTS)
        workshop = created["id"]
        auth = {"Authorization": f"Bearer {created['token']}", "Origin": server.base_url}
        async with httpx.AsyncClient(base_url=server.base_url, headers=auth, timeout=60) as http:
            boards = (await http.get(f"/api/workshops/{workshop}/present")).json()["all_boards"]
            tokens = await join_many(server.base_url, created["join_code"], participants)
            people: list[Person] = []
            for i, token in enumerate(tokens):
                person = Person(boards[i % len(boards)]["id"], token)
                await person.connect(server.host, server.port)
                people.append(person)
            notes = [f"p{i}" for i in range(participants)]
            for person, note in zip(people, notes, strict=True):
                person.send_op(
                    {"kind": "create", "obj": {"type": "note", "id": note, "x": 0, "y": 0, "text": ""}}
                )
            editors = [
                asyncio.create_task(edit_forever(p, n, random.Random(rng.random())))
                for p, n in zip(people, notes, strict=True)
            ]
            await asyncio.sleep(3)  # warm-up: edits flowing on every board
            done: list[Press] = []
            order = list(ACTIONS)
            for k in range(presses):
                await asyncio.sleep(rng.expovariate(1 / PRESS_EVERY_S))
                done.append(await press(http, workshop, order[k % len(order)], boards))
            await asyncio.sleep(2)  # let the last press arrive everywhere
            for task in editors:
                task.cancel()
            results = summarise(done, people)
            for person in people:
                with contextlib.suppress(Exception):
                    await person.close()
    return results


def summarise(done: list[Press], people: list[Person]) -> dict[str, Any]:
    rows: dict[str, dict[str, list[float]]] = {}
    missed = 0
    for item in done:
        row = rows.setdefault(item.action, {"request_ms": [], "delivery_ms": []})
        row["request_ms"].append((item.answered - item.sent) / 1e6)
        message = item.action.startswith("message")
        for person in people:
            if person.board not in item.boards:
                continue
            arrived = person.first_after(item.sent, message)
            if arrived is None:
                missed += 1
            else:
                row["delivery_ms"].append((arrived - item.sent) / 1e6)
    return {"rows": rows, "missed": missed, "presses": len(done), "people": len(people)}


def render(results: dict[str, Any], participants: int, when: str, seconds: float) -> str:
    lines = [
        f"## {SECTION}",
        "",
        f"Measured by `python -m bench.workshop_wide` on {when}; the run took {seconds:.0f} s. "
        "This section is rewritten on each run.",
        "",
        machine_line(),
        "",
        f"{participants} participants spread evenly over the main board and {BREAKOUTS} breakout "
        f"boards, each editing its own note at random moments (one edit every {EDIT_EVERY_S:.0f} s "
        f'on average, Poisson), while the facilitator presses one "Every board at once" button '
        f"at random moments ({results['presses']} presses, {PRESS_EVERY_S} s apart on average). "
        "*Request*: the facilitator's POST, sent → answered (every board changed and committed). "
        "*Delivery*: sent → the frame that tells each participant on a board the press names "
        "(the `ops` frame holding the settings change, or the `message` notice), over every "
        "(press, participant) pair. Server and load generator share the "
        "machine's cores.",
        "",
        "| action | presses | request p50 / p99 | delivery p50 / p99 / max | pairs |",
        "|---|---|---|---|---|",
    ]
    for action, row in results["rows"].items():
        req, dl = row["request_ms"], row["delivery_ms"]
        lines.append(
            f"| {action} | {len(req)} | {statistics.median(req):.1f} / {percentile(req, 0.99):.1f} ms | "
            f"{statistics.median(dl):.1f} / {percentile(dl, 0.99):.1f} / {max(dl):.1f} ms | {len(dl):,} |"
        )
    lines += ["", f"Pairs with nothing received after the press: {results['missed']}.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    args = parser.parse_args()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    began = time.monotonic()
    results = asyncio.run(run(args.participants, args.presses, args.seed))
    text = render(results, args.participants, when, time.monotonic() - began)
    print(text)
    if not args.no_write:
        write_section(SECTION, text + "\n")


if __name__ == "__main__":
    main()
