"""The whole board for a socket that has nothing to resume from, encoded once per seq.

What everyone in a role sees is one snapshot per seq, joined from each object's cached JSON,
so a room of people reconnecting after a restart costs one encoding; a participant's own
private objects are added to it for them alone (in the text), or sent after it in a small `own`
frame (when compressed, so the compressed bytes stay one per role).

A client that says it can inflate (`compressed` in its `hello`) is sent a big board's
snapshot compressed, as a binary frame (zlib: a 10,000-object board is ~1.8 MB of JSON and
~0.3 MB compressed). Compressing is the costly part, so it happens once per role and the
result is kept: a joiner is sent the latest compressed snapshot even when ops have been
committed since, followed by an `ops` frame with those ops from the replay window (exactly
what a client resuming from that seq would get). A fresh one is compressed off the event loop
once the kept one is `STALE_OPS` behind, so a busy board costs one compression per
`STALE_OPS` ops however many people join, and nobody's edits wait for it.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Callable

import msgspec

from board.core.budget import Ledger
from board.core.delivery import Entry, Resume, ops_frame, plan_resume
from board.core.effects import Change
from board.core.model import AnyObject
from board.core.protocol import encode_own, encode_snapshot
from board.core.state import FACILITATOR, PUBLIC, Viewer, only
from board.sync.outlet import Frame, Outlet
from board.sync.sequencer import Sequencer

COMPRESS_FROM = 16_384
"""Bytes of snapshot text from which it is sent compressed: below this, inflating costs the
client more time than the bytes saved on the wire."""
STALE_OPS = 200
"""Ops committed since the kept compressed snapshot before a fresh one is made."""
LEVEL_NOW = 1
"""zlib level when a joiner is waiting on the event loop (~8 ms for 1.8 MB of JSON)."""
LEVEL_LATER = 6
"""zlib level off the loop, where the time is nobody's (~50 ms, ~25 % smaller)."""

_encoder = msgspec.json.Encoder()


def compress(text: str, level: int) -> bytes:
    """A snapshot's bytes on the wire: its JSON compressed with zlib (RFC 1950), which a
    browser inflates with `DecompressionStream("deflate")`."""
    return zlib.compress(text.encode(), level)


class Snapshots:
    """The snapshots of one board, per role, kept for the seq they were made at."""

    def __init__(self, board: Sequencer, ledger: Ledger, on_change: Callable[[], None]) -> None:
        self._board = board
        self._ledger = ledger
        self._changed = on_change
        """Called when `bytes` changed, for the room to tell the ledger."""
        self._texts: dict[str, tuple[int, bytes, Frame]] = {}
        """Per role: (seq, the objects' JSON joined by commas, the snapshot frame)."""
        self._packed: dict[str, tuple[int, Frame]] = {}
        """Per role: (seq, the compressed snapshot as a binary frame)."""
        self._packing: dict[str, asyncio.Task[None]] = {}
        self.bytes = 0
        """Bytes held: the objects' JSON, the texts, the compressed frames."""

    def send(self, outlet: Outlet, viewer: Viewer, compressed: bool) -> None:
        """Bring a socket with nothing to resume from to the head: a snapshot, compressed when
        the client can inflate it and it is big, and the ops committed since, if any."""
        text = self.text(viewer)
        if not compressed or len(text.text) < COMPRESS_FROM:
            own = self._own_unshared(viewer)
            outlet.push(self._with_own(viewer, own) if own else text)
            return
        key = _key(viewer)
        board = self._board
        kept = self._packed.get(key)
        oldest = board.ring[0].seq if board.ring else board.head + 1
        if kept is None or plan_resume(kept[0], board.head, board.floor, oldest) is Resume.SNAPSHOT:
            kept = self._keep_packed(key, board.head, Frame(compress(_str(text), LEVEL_NOW)))
        seq, packed = kept
        outlet.push(packed)
        missed = [entry for entry in board.ring if entry.seq > seq] if seq < board.head else []
        if missed:
            outlet.push(ops_frame(missed, viewer, first=seq + 1))
            if board.head - seq >= STALE_OPS and key not in self._packing:
                self._packing[key] = asyncio.create_task(self._repack(key, viewer))
        own = self._own_since(viewer, missed)
        if own:
            outlet.push(Frame(encode_own(board.head, b",".join([self._encode(obj) for obj in own]))))

    def text(self, viewer: Viewer) -> Frame:
        """The snapshot every viewer of this role is sent, as JSON text, at the head."""
        board = self._board
        key = _key(viewer)
        cached = self._texts.get(key)
        if cached is not None and cached[0] == board.head:
            return cached[2]
        shared = FACILITATOR if viewer.facilitator else PUBLIC
        objects = b",".join([self._encode(obj) for obj in board.state.visible(shared)])
        frame = Frame(encode_snapshot(board.head, board.state.settings, objects))
        if self._ledger.refuses(len(objects) + 2 * len(frame.text)):
            return frame  # sent, not kept: the server is at its memory budget
        if cached is not None:
            self.bytes -= _text_size(cached)
        cached = self._texts[key] = (board.head, objects, frame)
        self.bytes += _text_size(cached)
        self._changed()
        return frame

    def clear(self) -> None:
        self._texts.clear()
        self._packed.clear()
        for task in self._packing.values():
            task.cancel()
        self.bytes = 0

    def tasks(self) -> list[asyncio.Task[None]]:
        return list(self._packing.values())

    def _keep_packed(self, key: str, seq: int, frame: Frame) -> tuple[int, Frame]:
        old = self._packed.get(key)
        if old is not None:
            self.bytes -= len(old[1].text)
        if self._ledger.refuses(len(frame.text)):
            self._packed.pop(key, None)
            return seq, frame
        kept = self._packed[key] = (seq, frame)
        self.bytes += len(frame.text)
        self._changed()
        return kept

    async def _repack(self, key: str, viewer: Viewer) -> None:
        try:
            seq = self._board.head
            text = _str(self.text(viewer))
            packed = await asyncio.to_thread(compress, text, LEVEL_LATER)
            kept = self._packed.get(key)
            if kept is None or kept[0] < seq:
                self._keep_packed(key, seq, Frame(packed))
        finally:
            self._packing.pop(key, None)

    def _with_own(self, viewer: Viewer, own: list[AnyObject]) -> Frame:
        """The shared snapshot with a participant's own private objects added, for them alone."""
        board = self._board
        self.text(viewer)
        cached = self._texts.get(_key(viewer))
        if cached is not None and cached[0] == board.head:
            shared = cached[1]
        else:  # not kept: the server is at its memory budget
            shared = b",".join([self._encode(obj) for obj in board.state.visible(PUBLIC)])
        objects = b",".join(([shared] if shared else []) + [self._encode(obj) for obj in own])
        return Frame(encode_snapshot(board.head, board.state.settings, objects))

    def _own_unshared(self, viewer: Viewer) -> list[AnyObject]:
        """A participant's objects that only they (and facilitators) see."""
        if viewer.facilitator or viewer.ref is None:
            return []
        state = self._board.state
        mine = only(viewer.ref)
        return [state.objects[oid] for oid in state.owned_by(viewer.ref) if state.audience_of(oid) == mine]

    def _own_since(self, viewer: Viewer, missed: list[Entry]) -> list[AnyObject]:
        """What the shared snapshot and the `ops` frame after it leave out of a participant's
        board, as it is at the head: their private objects, and those that were private to
        them at some point in `missed` and are still theirs to see. The `ops` frame sends the
        latter as patches (they saw them before and after), which the client cannot apply to
        objects the shared snapshot never had: a note revealed when private mode ends."""
        own = self._own_unshared(viewer)
        if viewer.facilitator or viewer.ref is None or not missed:
            return own
        mine = only(viewer.ref)
        state = self._board.state
        sent = {obj.id for obj in own}
        for entry in missed:
            for effect in entry.effects:
                if not isinstance(effect, Change) or mine not in (effect.before, effect.after):
                    continue
                if effect.id in sent or effect.id not in state.objects:
                    continue
                if viewer.sees(state.audience_of(effect.id)):
                    own.append(state.objects[effect.id])
                    sent.add(effect.id)
        return own

    def _encode(self, obj: AnyObject) -> bytes:
        data = self._board.encoded.get(obj.id)
        return data if data is not None else _encoder.encode(obj)


def _key(viewer: Viewer) -> str:
    return "fac" if viewer.facilitator else ""


def _str(frame: Frame) -> str:
    assert isinstance(frame.text, str)
    return frame.text


def _text_size(cached: tuple[int, bytes, Frame]) -> int:
    """The objects' bytes, the snapshot's text, and its wire bytes once sent."""
    return len(cached[1]) + 2 * len(cached[2].text)
