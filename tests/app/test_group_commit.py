"""A group commit on PostgreSQL with Redis costs at most two round trips (issue 19): one
statement that locks the board, checks for resends, stores the ops and objects and advances
the head (its own transaction), and the publication to other processes. Counted on the wire,
by a proxy between the server and each of PostgreSQL and Redis. When the statement stores
nothing (another process committed first, an op is a resend), its answer lets the board catch
up and try once more: two round trips, one for resends alone; when it waited for another
process's lock, one read more. Every op is kept exactly once and in order."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import asyncpg

from tests.app.test_crash import op_log_counts
from tests.conftest import RedisServer, RunningServer, ServerProcess
from tests.support import BoardClient, create_workshop, join


class TurnCounter:
    """A TCP proxy that counts round trips: each time a client speaks after the server has
    (or first), on every connection through it. It runs its own event loop in a thread, since
    the test server starts (and connects through it) while the test's loop waits."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.turns = 0
        self._open = asyncio.Event()
        """Clear while what clients send waits in the proxy (the server hears nothing). Only the
        proxy's loop changes it (`hold`), as an asyncio.Event must not be set from another."""
        self._open.set()
        self.churn = 0
        """Connections opened or closed while `held`: a client that gave up waiting."""
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    def start(self) -> None:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._connect, "127.0.0.1", 0), self._loop
        ).result()
        self.port = self._server.sockets[0].getsockname()[1]

    @property
    def held(self) -> bool:
        """Whether what clients send waits in the proxy."""
        return not self._open.is_set()

    def hold(self, held: bool) -> None:
        """Hold what clients send (True) or let it through (False), from the test's thread: the
        change is made on the proxy's loop, and this returns once it has been, so what the
        test does next is held (or let through) for sure."""

        async def change() -> None:
            if held:
                self._open.clear()
            else:
                self._open.set()

        asyncio.run_coroutine_threadsafe(change(), self._loop).result()

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _connect(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        self.churn += self.held
        server_in, server_out = await asyncio.open_connection(*self.target)
        client_spoke_last = [False]

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter, from_client: bool) -> None:
            with contextlib.suppress(Exception):
                while data := await source.read(65536):
                    if from_client:
                        await self._open.wait()
                    if from_client and not client_spoke_last[0]:
                        self.turns += 1
                    client_spoke_last[0] = from_client
                    sink.write(data)
                    await sink.drain()
            self.churn += self.held
            sink.close()

        await asyncio.gather(pipe(client_in, server_out, True), pipe(server_in, client_out, False))


@contextlib.contextmanager
def counted(url: str) -> Iterator[tuple[TurnCounter, str]]:
    """A proxy in front of the server `url` names, and the same URL through it."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    counter = TurnCounter(parts.hostname, parts.port)
    counter.start()
    netloc = parts.netloc.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{counter.port}")
    try:
        yield counter, parts._replace(netloc=netloc).geturl()
    finally:
        counter.stop()


async def published(redis: TurnCounter) -> None:
    """Until the server has spoken to Redis since the counters were reset (its publication),
    for at most 5 s: the count then says how many round trips it took."""
    for _ in range(500):
        if redis.turns:
            return
        await asyncio.sleep(0.01)


async def test_one_edit_is_committed_and_published_in_two_round_trips(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str
) -> None:
    with counted(postgres_url) as (database, database_url), counted(redis_url) as (redis, broker_url):
        server = make_server(database_url=database_url, broker_url=broker_url)
        workshop = await create_workshop(server.base_url)
        writer = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
        await writer.wait_acked(await writer.create_note("n", text="first"))  # statements prepared
        costs = []
        for k in range(5):
            database.turns = redis.turns = 0
            await writer.wait_acked(await writer.op({"kind": "update", "id": "n", "props": {"text": f"{k}"}}))
            await published(redis)  # the ack does not wait for it
            costs.append((database.turns, redis.turns))

        # The way round: a resent op (its ack was lost) is found in the log by the same
        # statement, which says at what seq: nothing more to store, nothing to publish.
        resends = []
        for k in range(3):
            op_id = await writer.op({"kind": "update", "id": "n", "props": {"text": f"resent {k}"}})
            seq = await writer.wait_acked(op_id)
            del writer.acks[op_id]
            database.turns = 0
            await writer.send(writer.sent[op_id])
            assert await writer.wait_acked(op_id) == seq
            resends.append(database.turns)

        # Another process committed first (its own broker: this one learns of it only from
        # the database): the statement stores nothing and sends the op this copy missed; it
        # catches up from that and stores the group in one more.
        other = make_server(database_url=postgres_url)
        elsewhere = await BoardClient(other.ws_url, workshop.main, await join(workshop)).connect()
        behind = []
        for k in range(3):
            await elsewhere.wait_acked(
                await elsewhere.op({"kind": "update", "id": "n", "props": {"text": f"there {k}"}})
            )
            database.turns = 0
            await writer.wait_acked(
                await writer.op({"kind": "update", "id": "n", "props": {"text": f"here {k}"}})
            )
            behind.append(database.turns)
        assert writer.objects["n"]["text"] == "here 2"
        assert writer.seqs_applied == list(range(1, writer.seq + 1)), "every op, the other's too, in order"
        repeated, logged = await op_log_counts(postgres_url)
        assert (repeated, logged) == ([], writer.seq)
        await elsewhere.close()
        await writer.close()
    # The least of a few: the room also polls the head and shares presence now and then.
    assert min(costs, key=sum) == (1, 1), costs
    assert min(resends) == 1, resends
    assert min(behind) == 2, behind


async def test_acks_do_not_wait_for_the_broker_and_publications_keep_their_order(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str
) -> None:
    """An op committed is acked, and the board's next group committed, without waiting for
    Redis to take the publication: a broker slow to answer (here, hearing nothing until let go)
    costs this process's participants nothing. What was held reaches the other process in
    order once the broker hears it."""
    with counted(redis_url) as (redis, gated_url):
        server = make_server(database_url=postgres_url, broker_url=gated_url)
        workshop = await create_workshop(server.base_url)
        other = make_server(database_url=postgres_url, broker_url=redis_url)
        writer = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
        watcher = await BoardClient(other.ws_url, workshop.main, await join(workshop)).connect()
        await writer.wait_acked(await writer.create_note("n", text="first"))
        await watcher.wait_seq(writer.seq)
        redis.hold(True)
        try:
            for k in range(3):
                await writer.wait_acked(
                    await writer.op({"kind": "update", "id": "n", "props": {"text": f"{k}"}})
                )
            assert redis.churn == 0, "the server waited for the broker until it gave up on it"
        finally:
            redis.hold(False)
        await watcher.wait_seq(writer.seq)
        assert watcher.objects["n"]["text"] == "2"
        assert watcher.seqs_applied == list(range(1, writer.seq + 1)), "every op, in order"
        await watcher.close()
        await writer.close()


BROKER_TIMEOUT = 2
"""Seconds redis-py waits for Redis to answer (its `socket_timeout`, 5 by default), set in the
broker's URL: a publication Redis never hears ends then, and the next one is sent."""


async def test_a_server_stops_without_waiting_for_a_broker_that_hears_nothing(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str
) -> None:
    """What Redis has not taken when the server stops is dropped (other processes read it from
    the database): a hung broker does not keep the server from stopping, not even until
    redis-py gives up on it (`BROKER_TIMEOUT`), which would otherwise end the wait."""
    with counted(redis_url) as (redis, gated_url):
        broker_url = f"{gated_url}?socket_timeout={BROKER_TIMEOUT}"
        server = make_server(database_url=postgres_url, broker_url=broker_url)
        workshop = await create_workshop(server.base_url)
        writer = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
        redis.hold(True)
        try:
            await writer.wait_acked(await writer.create_note("n", text="held"))
            began = time.monotonic()
            await asyncio.to_thread(server.stop)
            took = time.monotonic() - began
            assert not server.thread.is_alive(), "the server waited for the broker"
            assert took < BROKER_TIMEOUT, f"the server waited {took:.1f} s for the broker to time out"
        finally:
            redis.hold(False)
        await writer.close()
    repeated, logged = await op_log_counts(postgres_url)
    assert (repeated, logged) == ([], 1), "committed, and kept, whatever the broker did"


async def test_two_processes_writing_one_board_keep_every_op_once_in_order(
    server_process: Callable[..., ServerProcess], postgres_url: str, redis_url: str, redis_server: RedisServer
) -> None:
    """Each process's one-statement commit fails whenever the other committed since it last
    looked; it catches up from the statement's answer (or the long way round) and commits.
    Nothing is lost or doubled."""
    servers = [server_process(database_url=postgres_url, broker_url=redis_url) for _ in range(2)]
    workshop = await create_workshop(servers[0].base_url)
    writers = [
        await BoardClient(servers[n % 2].ws_url, workshop.main, await join(workshop)).connect()
        for n in range(4)
    ]

    async def write(n: int, client: BoardClient) -> list[str]:
        ids = []
        for k in range(15):
            ids.append(await client.create_note(f"w{n}-{k}", text=f"{n} {k}"))
            if k % 3 == 0:
                await client.reconnect()  # resends whatever is not acked yet
        return ids

    sent = await asyncio.gather(*(write(n, client) for n, client in enumerate(writers)))
    pairs = [(client, op_id) for client, ids in zip(writers, sent, strict=True) for op_id in ids]
    seqs = [await client.wait_acked(op_id) for client, op_id in pairs]
    assert sorted(seqs) == list(range(1, len(seqs) + 1)), "one seq per op, no gap, none twice"
    for client in writers:
        await client.wait_seq(len(seqs))
        assert client.seqs_applied == sorted(set(client.seqs_applied))
        assert len(client.notes()) == len(seqs)
    repeated, logged = await op_log_counts(postgres_url)
    assert repeated == []
    assert logged == len(seqs)
    for client in writers:
        await client.close()


async def test_a_commit_that_waited_for_another_writers_lock_catches_up_in_one_read(
    make_server: Callable[..., RunningServer], postgres_url: str
) -> None:
    """Two processes committing at the same moment: one statement waits for the other's lock on
    the board and, once it may go on, reads the log as it was before that commit, so it cannot
    say which ops this copy missed. The copy reads them (one round trip) and stores its group
    (one more), rather than going the long way round, a transaction of several round trips
    holding the lock that the other process then waits for."""
    with counted(postgres_url) as (database, database_url):
        server = make_server(database_url=database_url)
        workshop = await create_workshop(server.base_url)
        writer = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
        await writer.wait_acked(await writer.create_note("n", text="first"))  # statements prepared
        dsn = postgres_url.replace("postgresql+asyncpg://", "postgresql://")
        other = await asyncpg.connect(dsn)
        try:
            # "Another process" holds the board's lock while it commits one op of its own.
            async with other.transaction():
                head = await other.fetchval(
                    "SELECT head_seq FROM boards WHERE id = $1 FOR UPDATE", workshop.main
                )
                database.turns = 0
                op_id = await writer.op({"kind": "update", "id": "n", "props": {"text": "here"}})
                await asyncio.sleep(0.5)  # the writer's statement is waiting for the lock
                await other.execute(
                    "INSERT INTO ops (board_id, seq, participant_id, op_id, effects, created_at)"
                    " VALUES ($1, $2, NULL, NULL, '[]', 0)",
                    workshop.main,
                    head + 1,
                )
                await other.execute("UPDATE boards SET head_seq = $2 WHERE id = $1", workshop.main, head + 1)
            assert await writer.wait_acked(op_id) == head + 2, "after the other's op, in one sequence"
            # Three: the statement that waited, the read, the statement that stored (one more
            # when the room's poll of the head falls in that half second); 17 the long way.
            assert database.turns <= 4, database.turns
        finally:
            await other.close()
        assert writer.objects["n"]["text"] == "here"
        await writer.wait_seq(head + 2)  # the other's op (empty) and its own, in one sequence
        repeated, logged = await op_log_counts(postgres_url)
        assert (repeated, logged) == ([], 2), "the note and the edit, once each"
        await writer.close()
