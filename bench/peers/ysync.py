"""The little of the y-protocol (y-websocket's wire format) the peer load generator needs.

Every websocket message is binary: a lib0 varuint message type, then its body.

- messageSync (0), then a varuint sync type: syncStep1 (0) + a varuint8array state vector,
  syncStep2 (1) + a varuint8array update, or update (2) + a varuint8array update. A server
  greets each new socket with syncStep1; after that every change to the shared document
  reaches the socket as an `update`.
- messageAwareness (1) + a varuint8array awareness update: a varuint count, then per client
  its varuint id, varuint clock and a varstring of JSON state (null = gone). Cursors travel here.

lib0's varuint is LEB128: 7 bits a byte, low bits first, high bit set on every byte but the
last. The Yjs updates themselves are made by pycrdt (bench/adapters.py); nothing here
decodes them: receivers find the send time the edit carries by scanning the bytes for
`MARKER` (see `edit_text` and `markers`).
"""

from __future__ import annotations

MESSAGE_SYNC = 0
MESSAGE_AWARENESS = 1
SYNC_STEP1 = 0
SYNC_STEP2 = 1
SYNC_UPDATE = 2

MARKER = b"@bench:"
"""Starts the edited string; a Yjs update stores a string value as raw UTF-8, so the marker
appears verbatim in the update bytes. Neither a varuint header nor a client id is likely to
spell these seven ASCII bytes."""


def varuint(value: int) -> bytes:
    """lib0 `writeVarUint`."""
    if value < 0:
        raise ValueError("varuint of a negative number")
    out = bytearray()
    while value > 0x7F:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)
    return bytes(out)


def read_varuint(data: bytes, pos: int = 0) -> tuple[int, int]:
    """lib0 `readVarUint`: the value and the position after it."""
    value = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varuint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def varuint8array(payload: bytes) -> bytes:
    return varuint(len(payload)) + payload


def sync_update(update: bytes) -> bytes:
    """messageSync / update: how a client sends a change (y-websocket's provider does this)."""
    return bytes((MESSAGE_SYNC, SYNC_UPDATE)) + varuint8array(update)


def sync_step1(state_vector: bytes) -> bytes:
    return bytes((MESSAGE_SYNC, SYNC_STEP1)) + varuint8array(state_vector)


def awareness(client_id: int, clock: int, state_json: str) -> bytes:
    """messageAwareness with one client's state (a cursor, say)."""
    state = state_json.encode()
    body = varuint(1) + varuint(client_id) + varuint(clock) + varuint8array(state)
    return bytes((MESSAGE_AWARENESS,)) + varuint8array(body)


def edit_text(sent_ns: int, who: int) -> str:
    """The string a participant writes: the send time and who sent it, found again by `markers`."""
    return f"{MARKER.decode()}{sent_ns}:{who}@"


def markers(message: bytes) -> tuple[tuple[int, int], ...]:
    """(send time ns, participant) of every edit carried by a message (usually one)."""
    found = []
    start = message.find(MARKER)
    while start >= 0:
        begin = start + len(MARKER)
        end = message.find(b"@", begin)
        if end < 0:
            break
        sent, _, who = message[begin:end].partition(b":")
        if sent.isdigit() and who.isdigit():
            found.append((int(sent), int(who)))
        start = message.find(MARKER, end)
    return tuple(found)


def kind(message: bytes) -> str:
    """ "update", "step1", "step2", "awareness" or "other", from the first two bytes."""
    if not message:
        return "other"
    if message[0] == MESSAGE_SYNC and len(message) > 1:
        return {SYNC_STEP1: "step1", SYNC_STEP2: "step2", SYNC_UPDATE: "update"}.get(message[1], "other")
    if message[0] == MESSAGE_AWARENESS:
        return "awareness"
    return "other"
