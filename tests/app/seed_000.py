"""A scripted run of the seed-000 workshop ("building an engagement network", issue 5) over real
websockets, shared by the export, categories and CLI tests.

A facilitator opens a workshop with three breakout boards and puts the Wakefield continuum's six
category frames on each as columns; two participants per board add notes: some inside a
column (the frame gives the category), some with a category set explicitly (from creation, or
by an update afterwards, one of them inside another column: explicit wins), some outside every
column, left to suggestion ("satisfaction survey in children's services", "citizens' jury",
"participatory budgeting"), one that matches nothing. Two near-duplicates sit on different
boards ("Focus groups in planning" / "planning focus group"). People vote, comment, reply,
and write "defining our categories" cards; the facilitator hides one note; the facilitator
opens the exit poll and people answer it from their breakout boards. The script knows what
every note's category must be, and every identity it met on the way.

`curate` is what the facilitator then does on the dashboard, without the browser: accept one
suggestion, then the rest in bulk, and merge the near-duplicate cluster.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from board.core.taxonomies import WAKEFIELD
from board.services.credentials import digest
from board.store import tables
from tests.support import BoardClient, Workshop, create_workshop, join

TITLE = "Engagement network: session 1 – Rhwydwaith ymgysylltu"
COLUMN_W = 600
COLUMN_H = 2000
OUTSIDE_Y = 2600
"""Below every column: a note here has no frame."""
WELSH = "Grŵp ffocws gyda'r gymuned – ŵ ŷ â ê î ô û ï"
FORMULA = '=HYPERLINK("http://example.com/x","click me")'


def new_id(kind: str) -> str:
    """Distinctive ids, so that finding one in an export cannot be a coincidence."""
    return f"{kind}-{uuid.uuid4().hex[:20]}"


async def do(client: BoardClient, op: dict[str, Any]) -> int:
    """Send an op and wait for its ack. Op ids are UUIDs, as the protocol asks: the server
    deduplicates by (person, op id) across boards, so one person's sockets on two boards must
    not both count from `op-1`."""
    return await client.wait_acked(await client.op(op, new_id("op")))


@dataclass(frozen=True)
class PlannedNote:
    key: str
    board: int
    author: int
    """Which of the board's two participants writes it (0 or 1)."""
    text: str
    column: str | None
    """The category frame it is placed in, or None for outside every frame."""
    explicit: str | None = None
    """A category set at creation."""
    set_later: str | None = None
    """A category set by an update after creation (from the note's menu)."""
    category: str | None = None
    """What the record must say."""
    source: str = "none"


NOTES = (
    PlannedNote("leaflets", 1, 0, "Leaflets through every door", "giving_information",
                category="giving_information", source="frame"),
    PlannedNote("focus-1", 1, 0, "Focus groups in planning", "forums_for_debate",
                category="forums_for_debate", source="frame"),
    PlannedNote("survey", 1, 1, "satisfaction survey in children's services", None,
                category="getting_information", source="suggested"),
    PlannedNote("welsh", 1, 1, WELSH, "participation", explicit="forums_for_debate",
                category="forums_for_debate", source="explicit"),
    PlannedNote("focus-2", 2, 0, "planning focus group", "forums_for_debate",
                category="forums_for_debate", source="frame"),
    PlannedNote("jury", 2, 0, "citizens' jury", None, category="participation", source="suggested"),
    PlannedNote("formula", 2, 1, FORMULA, None, explicit="giving_information",
                category="giving_information", source="explicit"),
    PlannedNote("panel", 2, 1, "Residents' panel on the high street", "partnership",
                category="partnership", source="frame"),
    PlannedNote("budgeting", 3, 0, "participatory budgeting", None,
                category="empowerment", source="suggested"),
    PlannedNote("champions", 3, 0, "Community champions in every ward", "empowerment",
                category="empowerment", source="frame"),
    PlannedNote("tea", 3, 1, "A cup of tea afterwards", None),
    PlannedNote("codesign", 3, 1, "Co-design workshop with young people", None, set_later="partnership",
                category="partnership", source="explicit"),
)  # fmt: skip
HIDDEN_TEXT = "Name and address of the person who complained"
"""A note the facilitator hides: it stays out of the record."""
VOTES = {"leaflets": 1, "focus-1": 2, "survey": 1, "focus-2": 2, "jury": 1, "budgeting": 2, "champions": 1}
"""Votes each note gets, cast by the participants of its board (budget 3 each)."""
COMMENTS = {"focus-1": ["We ran these in 2023"], "focus-2": ["Same as board 1?"]}
REPLY = ("focus-2", "Yes, but with the youth club")
DEFINITIONS = (
    (1, "participation", "People take part in shaping the service.", "To share decisions early.",
     "- Everyone can take part\n- Feedback happens"),
    (2, "empowerment", "The community decides.", "When people hold the budget.",
     "1. Real money\n2. Real power"),
)  # fmt: skip


POLL_QUESTION = {"en": "One or two words about today?", "cy": "Un neu ddau air am heddiw?"}
POLL_ANSWERS = ((1, 0, "Inspired"), (1, 1, "inspired!"), (2, 0, "hopeful"), (3, 1, "Ysbrydoledig"))
"""Exit-poll answers: (board, which of its participants, text). "Inspired" and "inspired!"
count as one word."""
POLL_COUNTS = {"inspired": 2, "hopeful": 1, "Ysbrydoledig": 1}
"""The record's exit poll, as the cloud shows it."""
ACCEPT_FIRST = "survey"
"""The suggestion accepted on its own; the others are accepted in bulk."""


@dataclass
class Participant:
    token: str
    board: int
    client: BoardClient


@dataclass
class Seeded:
    workshop: Workshop
    facilitator: dict[int, BoardClient]
    """The facilitator's socket on each board, by number."""
    participants: list[Participant]
    ids: dict[str, str]
    """Each planned note's object id, by its key."""
    identities: set[str] = field(default_factory=set)
    """Every token, participant id, cursor id and name and client object id the run met."""

    @property
    def boards(self) -> dict[int, str]:
        return dict(enumerate(self.workshop.boards))

    def ref(self, key: str) -> str:
        """The API's name of a planned note: `board:id`."""
        note = next(n for n in NOTES if n.key == key)
        return f"{note.board}:{self.ids[key]}"

    def clients(self, board: int) -> list[BoardClient]:
        return [self.facilitator[board]] + [p.client for p in self.participants if p.board == board]

    def everyone(self) -> list[BoardClient]:
        return [c for number in self.boards for c in self.clients(number)]

    async def settle(self) -> None:
        """Wait until every socket has applied everything committed on its board."""
        for number in self.boards:
            clients = self.clients(number)
            head = max(max(c.acks.values(), default=0) for c in clients)
            head = max(head, max(c.seq for c in clients))
            for client in clients:
                await client.wait_seq(head)

    async def settle_curation(self, curated: Curated) -> None:
        """Wait until every socket shows the curation: each accepted note with its category,
        the merged-away notes gone, the kept note with every vote (a facilitator sees votes)."""
        accepted = [*curated.accepted_one["accepted"], *curated.accepted_rest["accepted"]]
        for item in accepted:
            number, oid = item["note"].split(":", 1)
            for client in self.clients(int(number)):
                await client.wait_for(
                    lambda c=client, i=oid, k=item["category"]: c.objects.get(i, {}).get("category") == k
                )
        for gone in curated.merged["removed"]:
            number, oid = gone.split(":", 1)
            for client in self.clients(int(number)):
                await client.wait_for(lambda c=client, i=oid: i not in c.objects)
        number, kept = curated.merged["kept"].split(":", 1)
        facilitator = self.facilitator[int(number)]
        await facilitator.wait_for(
            lambda: (
                sum(
                    1
                    for o in facilitator.objects.values()
                    if o.get("type") == "vote" and o.get("target") == kept
                )
                == curated.merged["votes"]
            )
        )

    async def close(self) -> None:
        for client in self.everyone():
            await client.close()


def expected_counts() -> dict[str, tuple[int, int]]:
    """(confirmed, suggested) per category, as the script placed the notes."""
    confirmed = Counter(n.category for n in NOTES if n.source in ("frame", "explicit"))
    suggested = Counter(n.category for n in NOTES if n.source == "suggested")
    return {key: (confirmed[key], suggested[key]) for key in WAKEFIELD.keys}


async def run(base_url: str, ws_url: str, database_url: str) -> Seeded:
    workshop = await create_workshop(base_url, title=TITLE, breakouts=3)
    facilitator = {
        number: await BoardClient(ws_url, board, workshop.facilitator_token).connect()
        for number, board in enumerate(workshop.boards)
    }
    participants = []
    for number in (1, 2, 3):
        for _ in range(2):
            token = await join(workshop)
            participants.append(
                Participant(
                    token, number, await BoardClient(ws_url, workshop.boards[number], token).connect()
                )
            )
    seeded = Seeded(workshop, facilitator, participants, {})
    seeded.identities.add(workshop.facilitator_token)

    for number in (1, 2, 3):
        fac = facilitator[number]
        await do(fac, {"kind": "settings", "props": {"voting": True, "vote_budget": 3}})
        frames = [
            {
                "kind": "create",
                "obj": {
                    "type": "frame",
                    "id": new_id("frame"),
                    "x": i * COLUMN_W,
                    "y": 0,
                    "w": COLUMN_W,
                    "h": COLUMN_H,
                    "title": category.label.en,
                    "category": category.key,
                },
            }
            for i, category in enumerate(WAKEFIELD.categories)
        ]
        await do(fac, {"kind": "batch", "ops": frames})

    on_board = {number: [p for p in participants if p.board == number] for number in (1, 2, 3)}
    placed = Counter[tuple[int, str | None]]()
    for note in NOTES:
        author = on_board[note.board][note.author].client
        oid = seeded.ids[note.key] = new_id("note")
        slot = placed[(note.board, note.column)]
        placed[(note.board, note.column)] += 1
        if note.column is None:
            x, y = slot * 250, OUTSIDE_Y
        else:
            x, y = WAKEFIELD.keys.index(note.column) * COLUMN_W + 200, 100 + slot * 250
        obj = {"type": "note", "id": oid, "text": note.text, "x": x, "y": y}
        if note.explicit:
            obj["category"] = note.explicit
        await do(author, {"kind": "create", "obj": obj})
        if note.set_later:
            await do(author, {"kind": "update", "id": oid, "props": {"category": note.set_later}})

    hidden = new_id("note")
    writer = on_board[3][1].client
    await do(
        writer, {"kind": "create", "obj": {"type": "note", "id": hidden, "text": HIDDEN_TEXT, "x": 0, "y": 0}}
    )
    await do(facilitator[3], {"kind": "update", "id": hidden, "props": {"hidden": True}})

    for key, count in VOTES.items():
        note = next(n for n in NOTES if n.key == key)
        for i in range(count):
            voter = on_board[note.board][i % 2].client
            vote = {"type": "vote", "id": new_id("vote"), "target": seeded.ids[key]}
            await do(voter, {"kind": "create", "obj": vote})

    comment_ids: dict[str, str] = {}
    for key, texts in COMMENTS.items():
        note = next(n for n in NOTES if n.key == key)
        for text in texts:
            commenter = on_board[note.board][1].client
            comment_ids[key] = new_id("comment")
            comment = {"type": "comment", "id": comment_ids[key], "target": seeded.ids[key], "text": text}
            await do(commenter, {"kind": "create", "obj": comment})
    key, text = REPLY
    replier = on_board[2][0].client
    reply = {"type": "comment", "id": new_id("reply"), "parent": comment_ids[key], "text": text}
    await do(replier, {"kind": "create", "obj": reply})

    for number, category, definition, why, excellent in DEFINITIONS:
        card = {
            "type": "definition",
            "id": new_id("definition"),
            "x": 0,
            "y": -800,
            "category": category,
            "definition": definition,
            "why": why,
            "excellent": excellent,
        }
        writer = on_board[number][0].client
        await do(writer, {"kind": "create", "obj": card})

    async with http(workshop, workshop.facilitator_token) as as_facilitator:
        opened = await as_facilitator.put(
            f"/api/workshops/{workshop.id}/poll", json={"open": True, "question": POLL_QUESTION}
        )
        assert opened.status_code == 200, opened.text
    for number, author, text in POLL_ANSWERS:
        answer_id = new_id("pollword")
        seeded.identities.add(answer_id)
        async with http(workshop, on_board[number][author].token) as as_participant:
            given = await as_participant.post(
                f"/api/workshops/{workshop.id}/poll/entries", json={"text": text, "id": answer_id}
            )
            assert given.status_code == 201, given.text

    await seeded.settle()
    seeded.identities |= await identities(seeded, database_url)
    return seeded


def http(workshop: Workshop, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=workshop.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


@dataclass(frozen=True)
class Curated:
    """The API's answers to the facilitator's curation (`curate`)."""

    accepted_one: dict[str, Any]
    accepted_rest: dict[str, Any]
    cluster: dict[str, Any]
    merged: dict[str, Any]


async def curate(seeded: Seeded) -> Curated:
    """As the facilitator on the dashboard: accept one suggestion (`ACCEPT_FIRST`), then all the
    others at once, then merge the one near-duplicate cluster keeping the note the dashboard
    proposes. Waits until every socket has the changes."""
    workshop = seeded.workshop
    api = f"/api/workshops/{workshop.id}"
    async with http(workshop, workshop.facilitator_token) as as_facilitator:
        one = await as_facilitator.post(
            f"{api}/categories/accept", json={"notes": [seeded.ref(ACCEPT_FIRST)]}
        )
        assert one.status_code == 200, one.text
        rest = await as_facilitator.post(f"{api}/categories/accept", json={"all": True})
        assert rest.status_code == 200, rest.text
        found = await as_facilitator.get(f"{api}/duplicates")
        assert found.status_code == 200, found.text
        [cluster] = found.json()["clusters"]
        merged = await as_facilitator.post(
            f"{api}/duplicates/merge", json={"notes": [n["note"] for n in cluster["notes"]]}
        )
        assert merged.status_code == 200, merged.text
    done = Curated(one.json(), rest.json(), cluster, merged.json())
    await seeded.settle_curation(done)
    return done


async def identities(seeded: Seeded, database_url: str) -> set[str]:
    """What identifies the people of this run: tokens, their ids in the store, their cursor ids
    and names, and every object id their clients chose."""
    found: set[str] = set()
    tokens = [seeded.workshop.facilitator_token] + [p.token for p in seeded.participants]
    found.update(tokens)
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(tables.participants.c.id, tables.participants.c.name).where(
                    tables.participants.c.token_hash.in_([digest(t) for t in tokens])
                )
            )
            for member_id, name in rows:
                found.update((member_id, name))
    finally:
        await engine.dispose()
    for client in seeded.everyone():
        found.add(client.welcome["you"]["cid"])
        found.update(oid for oid in client.objects if oid != "__settings__")
    found.add("127.0.0.1")
    return found
