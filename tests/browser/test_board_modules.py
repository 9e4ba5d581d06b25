"""The board's pure modules, run in Chromium as the page runs them (no Node, no build): the
replica's per-property rebase and rollback, the outbox's persistence and coalescing, undo
steps that skip what is gone, pen strokes kept under the server's point limit, notes' text
fitted to their size, and the connection's reconnect backoff and jitter. Each test imports
the real files from the running server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from board.core.limits import LIMITS
from tests.browser.helpers import module_server
from tests.conftest import ROOT, RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()


@pytest.fixture(scope="module")
async def page(browser: Any, board_server: RunningServer) -> Any:
    context = await browser.new_context(base_url=board_server.base_url)
    opened = await context.new_page()
    await opened.goto("/")
    yield opened
    await context.close()


async def run(page: Any, body: str, arg: Any = None) -> Any:
    """Evaluate an async function body with the board's modules imported as `m.<name>`."""
    script = f"""async (arg) => {{
        const m = {{
          replica: await import('/static/js/board/replica.js'),
          outbox: await import('/static/js/board/outbox.js'),
          history: await import('/static/js/board/history.js'),
          ink: await import('/static/js/board/ink.js'),
          fit: await import('/static/js/board/fit.js'),
          order: await import('/static/js/board/order.js'),
        }};
        {body}
    }}"""
    return await page.evaluate(script, arg)


MEMORY_STORAGE = """
    const memory = () => { const data = new Map(); return {
      getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)),
      removeItem: (k) => data.delete(k), data }; };
"""


async def test_concurrent_edits_to_different_properties_both_survive_the_rebase(page: Any) -> None:
    """[P4] Our pending text change stays on top of someone else's confirmed move; once ours is
    acked the view is the server's, with both."""
    result = await run(
        page,
        MEMORY_STORAGE
        + """
        const replica = new m.replica.Replica(new m.outbox.Outbox('b', memory()));
        replica.snapshot({seq: 1, settings: {}, objects: [{type: 'note', id: 'n', x: 0, y: 0, text: 'old'}]});
        replica.submit('op1', {kind: 'update', id: 'n', props: {text: 'mine'}});
        const pending = {...replica.get('n')};
        const patch = (seq, props) =>
          ({from: seq, to: seq, ops: [{seq, changes: [{op: 'patch', id: 'n', props}]}]});
        replica.applyOps(patch(2, {x: 50, text: 'theirs'}));
        const rebased = {...replica.get('n')};
        replica.applyOps(patch(3, {text: 'mine'}));
        replica.ack({op1: 3});
        return {pending, rebased, acked: {...replica.get('n')}, waiting: replica.outbox.size};
    """,
    )
    assert result["pending"]["text"] == "mine"
    assert (result["rebased"]["x"], result["rebased"]["text"]) == (50, "mine")
    assert (result["acked"]["x"], result["acked"]["text"]) == (50, "mine")
    assert result["waiting"] == 0


async def test_a_refused_op_is_rolled_back_and_a_refused_create_disappears(page: Any) -> None:
    result = await run(
        page,
        MEMORY_STORAGE
        + """
        const replica = new m.replica.Replica(new m.outbox.Outbox('b', memory()));
        const kept = {type: 'note', id: 'n', x: 0, y: 0, text: 'kept'};
        replica.snapshot({seq: 0, settings: {}, objects: [kept]});
        const seen = [];
        replica.addEventListener('objects', (e) => seen.push([...e.detail.ids]));
        replica.submit('a', {kind: 'update', id: 'n', props: {text: 'refused'}});
        replica.submit('b', {kind: 'create', obj: {type: 'note', id: 'new', x: 1, y: 1}});
        const before = [replica.get('n').text, replica.view.has('new')];
        replica.refuse('a');
        replica.refuse('b');
        return {before, after: [replica.get('n').text, replica.view.has('new')], seen};
    """,
    )
    assert result["before"] == ["refused", True]
    assert result["after"] == ["kept", False]
    assert result["seen"][-2:] == [["n"], ["new"]], "listeners hear of each rollback"


async def test_ops_frames_with_a_gap_are_refused_and_duplicates_ignored(page: Any) -> None:
    result = await run(
        page,
        MEMORY_STORAGE
        + """
        const replica = new m.replica.Replica(new m.outbox.Outbox('b', memory()));
        replica.snapshot({seq: 5, settings: {locked: false}, objects: []});
        const frame = (from, to, seq, change) => ({from, to, ops: [{seq, changes: [change]}]});
        const put = (seq, id) => frame(seq, seq, seq, {op: 'put', obj: {type: 'note', id, x: 0, y: 0}});
        return [replica.applyOps(put(7, 'x')), replica.applyOps(put(6, 'a')), replica.applyOps(put(6, 'a')),
                replica.applyOps(frame(7, 9, 8, {op: 'settings', props: {locked: true}})),
                replica.seq, replica.settings.locked, replica.view.size];
    """,
    )
    assert result == ["gap", "ok", "stale", "ok", 9, True, 1]


async def test_the_outbox_survives_a_reload_and_coalesces_only_what_never_left(page: Any) -> None:
    result = await run(
        page,
        MEMORY_STORAGE
        + """
        const storage = memory();
        const first = new m.outbox.Outbox('board-1', storage);
        first.add('c', {kind: 'create', obj: {type: 'note', id: 'n', x: 0, y: 0, text: ''}}, {merge: true});
        first.add('u1', {kind: 'update', id: 'n', props: {text: 'typed'}}, {merge: true});
        const merged = first.entries.map((e) => e.id);
        first.entries[0].sent = 1;  // it left on socket 1, unacknowledged
        first.add('u2', {kind: 'update', id: 'n', props: {text: 'typed more'}}, {merge: true});
        first.add('u3', {kind: 'update', id: 'n', props: {x: 5}}, {merge: true});
        const reloaded = new m.outbox.Outbox('board-1', storage);
        const other = new m.outbox.Outbox('board-2', storage);
        return {merged, create: first.entries[0].op.obj.text, ids: reloaded.entries.map((e) => e.id),
                last: reloaded.entries[1].op.props, sent: reloaded.entries.map((e) => e.sent),
                other: other.size, unsent: reloaded.unsent(1).length};
    """,
    )
    assert result["merged"] == ["c"], "typing into a note not yet sent joins its create"
    assert result["create"] == "typed"
    assert result["ids"] == ["c", "u2"], "never merged into an op that already left"
    assert result["last"] == {"text": "typed more", "x": 5}
    assert result["sent"] == [-1, -1], "after a reload everything is resent"
    assert result["other"] == 0, "each board has its own outbox"
    assert result["unsent"] == 2


async def test_undo_skips_what_someone_else_removed_and_never_recreates_a_present_object(page: Any) -> None:
    result = await run(
        page,
        """
        const ops = [
          {kind: 'update', id: 'gone', props: {x: 1}},
          {kind: 'create', obj: {type: 'note', id: 'here', x: 0, y: 0}},
          {kind: 'create', obj: {type: 'note', id: 'back', x: 0, y: 0}},
          {kind: 'update', id: 'back', props: {text: 'x'}},
          {kind: 'delete', id: 'gone'},
        ];
        const exists = (id) => id === 'here';
        const kept = m.history.stillApplicable(ops, exists).map((op) => op.kind + ':' + (op.id ?? op.obj.id));
        const clean = m.history.creatable(
          {type: 'note', id: 'n', x: 0, y: 0, created: 5, private: true, hidden: false, groups: [1]});
        return {kept, clean};
    """,
    )
    assert result["kept"] == ["create:back", "update:back"]
    assert result["clean"] == {"type": "note", "id": "n", "x": 0, "y": 0}


async def test_a_long_pen_stroke_is_simplified_under_the_servers_point_limit(page: Any) -> None:
    limit = LIMITS.max_stroke_points
    result = await run(
        page,
        """
        const raw = [];
        for (let i = 0; i < 12000; i += 1) raw.push(i * 0.5, Math.sin(i / 7) * 80 + Math.random());
        const points = m.ink.prepare(raw, 0.5, arg);
        const line = m.ink.prepare([0, 0, 10, 0, 20, 0, 30, 0], 0.5, arg);
        const dot = m.ink.prepare([3, 4], 0.5, arg);
        return {count: points.length / 2, even: points.length % 2 === 0,
                finite: points.every(Number.isFinite), line, dot,
                path: m.ink.smoothPath([0, 0, 10, 10, 20, 0]).startsWith('M0.00 0.00Q')};
    """,
        limit,
    )
    assert 2 <= result["count"] <= limit
    assert result["even"]
    assert result["finite"]
    assert result["line"] == [0, 0, 30, 0], "a straight line keeps only its ends"
    assert result["dot"] == [3, 4, 3, 4], "a tap is a dot of two points"
    assert result["path"]


async def test_note_text_shrinks_to_fit_and_order_keys_interoperate_with_the_server(page: Any) -> None:
    result = await run(
        page,
        """
        const short = m.fit.fitFont('Yes', 200, 200);
        const thought = 'A much longer thought about buses, trains and the walk to school ';
        const long = m.fit.fitFont(thought.repeat(6), 200, 200);
        const big = m.fit.fitFont('Yes', 600, 600);
        const lines = m.fit.lineCount('one two three four five six', 20, 60);
        const keys = m.order.keysAt([{z: 'a0'}, {z: 'a5'}], 3, 'front');
        const back = m.order.keysAt([{z: 'a0'}, {z: 'a5'}], 1, 'back');
        return {short, long, big, lines, keys, back};
    """,
    )
    assert result["long"] < result["short"] <= result["big"]
    assert result["long"] >= 9
    assert result["lines"] >= 3
    assert result["keys"] == sorted(result["keys"])
    assert all(key > "a5" for key in result["keys"])
    assert result["back"][0] < "a0"
    from board.core.ordering import is_valid_key

    assert all(is_valid_key(key) for key in [*result["keys"], *result["back"]]), json.dumps(result)


async def test_reconnect_delays_grow_are_capped_and_are_jittered(page: Any) -> None:
    """The product's own backoff (sync.js `scheduleRetry`), with `Math.random` stubbed and
    timers recorded rather than run: the delay doubles from 250 ms, stops growing at 10 s, and
    is spread from half to one and a half times that, so a room of people coming back after a
    restart does not arrive at once (docs/protocol.md, close codes)."""
    result = await page.evaluate(
        """async () => {
        const sync = await import('/static/js/board/sync.js');
        const realTimeout = globalThis.setTimeout, realRandom = Math.random;
        const delays = [];
        globalThis.setTimeout = (fn, ms) => { delays.push(ms); return 0; };
        const connection = new sync.Connection({
          url: 'ws://127.0.0.1:9/never', board: 'b', version: 1,
          replica: { ready: false, seq: -1 }, outbox: { size: 0 }, limits: {},
        });
        const series = (random) => {
          Math.random = () => random;
          connection.attempt = 0;
          delays.length = 0;
          for (let i = 0; i < 10; i++) connection.scheduleRetry();
          return [...delays];
        };
        try {
          return {
            first: sync.BACKOFF_FIRST_MS, max: sync.BACKOFF_MAX_MS,
            low: series(0), middle: series(0.5), high: series(0.999999),
          };
        } finally {
          globalThis.setTimeout = realTimeout;
          Math.random = realRandom;
          connection.stop();
        }
    }"""
    )
    first, cap = result["first"], result["max"]
    assert (first, cap) == (250, 10_000)
    base = [min(cap, first * 2**n) for n in range(10)]
    assert result["middle"] == base, "no jitter at the middle: doubling from 250 ms, capped at 10 s"
    assert all(b < a for a, b in zip(base[1:6], base[:5], strict=True)), "they grow"
    assert base[-3:] == [cap] * 3, "and stop growing at the cap"
    assert result["low"] == [b * 0.5 for b in base], "at least half the base"
    assert all(1.4999 * b < d < 1.5 * b for b, d in zip(base, result["high"], strict=True)), "below 1.5x"
    assert len({round(d) for d in (result["low"][3], result["middle"][3], result["high"][3])}) == 3, (
        "another draw, another delay"
    )
    protocol = (ROOT / "docs" / "protocol.md").read_text()
    assert "0.25 s doubling to 10 s, ± 50 %" in protocol, "the documented schedule is this one"
