"""Who is on a board, and where their cursors are: ephemeral, coalesced, never stored.

A room's `Presence` collects what changed since the last tick: people who came or left and
the latest position of each moving cursor (positions in between are dropped). On the tick the
room turns that into at most two frames shared by every socket. The full list of people is
sent once, in each newcomer's `welcome`; after that only who came and went, so a thousand
people joining does not cost a thousand full lists each.

With several server processes each room also shares its own people's changes on the broker
(never what it heard from others, which would echo), and keeps the people other processes
reported, forgetting a process not heard of for `REMOTE_EXPIRY` seconds.

What processes tell each other about a person also carries who they are inside the server
(`Member`: their participant ref, and whether they facilitate), so a facilitator's request
served by any process can allocate or move people on every process. Frames for browsers are
built from cursor ids and names only: a ref never leaves the servers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from board.core.protocol import encode_cursors, encode_presence

REMOTE_EXPIRY = 6.0
"""Seconds after which the people another process reported are forgotten unless it reports
again (it does every two seconds while it has anyone on the board)."""


@dataclass(frozen=True, slots=True)
class Member:
    """A person on the board as the servers know them (never sent to a browser)."""

    name: str
    ref: str
    facilitator: bool = False

    def shared(self, cid: str) -> dict[str, Any]:
        return {"cid": cid, "name": self.name, "ref": self.ref, "fac": self.facilitator}

    @classmethod
    def from_shared(cls, data: dict[str, Any]) -> Member:
        return cls(str(data["name"]), str(data.get("ref", "")), bool(data.get("fac", False)))


@dataclass
class _Changes:
    """What changed since the last tick."""

    joined: dict[str, Member] = field(default_factory=dict)
    left: list[str] = field(default_factory=list)
    moved: dict[str, list[Any]] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.joined or self.left or self.moved or self.gone)


@dataclass
class _Remote:
    seen: float
    people: dict[str, Member] = field(default_factory=dict)


@dataclass
class Presence:
    people: dict[str, Member] = field(default_factory=dict)
    """This process's people on the board, by cursor id."""
    remote: dict[str, _Remote] = field(default_factory=dict)
    """People on this board in other processes, by process."""
    changes: _Changes = field(default_factory=_Changes)
    """Everything that changed, for this process's sockets."""
    local: _Changes = field(default_factory=_Changes)
    """What changed among this process's own people, for other processes."""

    @property
    def pending(self) -> bool:
        return bool(self.changes)

    def members(self) -> dict[str, Member]:
        """Everyone on the board, in this process and others, by cursor id."""
        everyone = dict(self.people)
        for remote in self.remote.values():
            everyone.update(remote.people)
        return everyone

    def everyone(self) -> list[dict[str, str]]:
        """Everyone on the board as browsers see them, for a newcomer's welcome."""
        return [{"cid": cid, "name": member.name} for cid, member in self.members().items()]

    def count(self) -> int:
        return len(self.people) + sum(len(remote.people) for remote in self.remote.values())

    def join(self, cid: str, member: Member) -> None:
        self.people[cid] = member
        for changes in (self.changes, self.local):
            changes.joined[cid] = member

    def leave(self, cid: str) -> None:
        self.people.pop(cid, None)
        for changes in (self.changes, self.local):
            changes.joined.pop(cid, None)
            changes.moved.pop(cid, None)
            changes.left.append(cid)
            changes.gone.append(cid)

    def move(self, cid: str, x: float | None, y: float | None) -> None:
        for changes in (self.changes, self.local):
            if x is None or y is None:
                changes.moved.pop(cid, None)
                changes.gone.append(cid)
            else:
                changes.moved[cid] = [cid, x, y]

    def take_frames(self) -> tuple[str | None, str | None]:
        """The cursors frame and the presence frame for this tick (None when nothing
        changed), clearing what they report."""
        changes, self.changes = self.changes, _Changes()
        cursors = (
            encode_cursors(list(changes.moved.values()), changes.gone)
            if changes.moved or changes.gone
            else None
        )
        presence = None
        if changes.joined or changes.left:
            joined = [{"cid": cid, "name": member.name} for cid, member in changes.joined.items()]
            presence = encode_presence(self.count(), joined, changes.left)
        return cursors, presence

    def take_shared(self) -> dict[str, Any]:
        """This process's own changes since the last call, for other processes."""
        local, self.local = self.local, _Changes()
        shared: dict[str, Any] = {}
        if local.moved or local.gone:
            shared.update(moved=list(local.moved.values()), gone=local.gone)
        if local.joined or local.left:
            shared.update(joined=[m.shared(c) for c, m in local.joined.items()], left=local.left)
        return shared

    def roster(self) -> dict[str, Any]:
        """This process's full list, shared every few seconds so others can expire it."""
        return {"roster": [member.shared(cid) for cid, member in self.people.items()]}

    def from_remote(self, origin: str, data: dict[str, Any], now: float) -> None:
        """Take what another process shared: its cursors, and who came or went there."""
        remote = self.remote.setdefault(origin, _Remote(now))
        remote.seen = now
        changes = self.changes
        for cid, *position in data.get("moved", ()):
            changes.moved[cid] = [cid, *position]
        changes.gone.extend(data.get("gone", ()))
        listed = (
            {p["cid"]: Member.from_shared(p) for p in data.get("roster", ())} if "roster" in data else None
        )
        joined = {p["cid"]: Member.from_shared(p) for p in data.get("joined", ())}
        if listed is not None:
            joined.update({cid: member for cid, member in listed.items() if cid not in remote.people})
        left = [cid for cid in data.get("left", ()) if cid in remote.people]
        if listed is not None:
            left += [cid for cid in remote.people if cid not in listed and cid not in left]
        for cid in left:
            remote.people.pop(cid, None)
            changes.left.append(cid)
            changes.gone.append(cid)
        remote.people.update(joined)
        changes.joined.update(joined)

    def expire(self, now: float) -> None:
        """Forget processes not heard of for REMOTE_EXPIRY seconds, and their people."""
        for origin, remote in list(self.remote.items()):
            if now - remote.seen > REMOTE_EXPIRY:
                del self.remote[origin]
                self.changes.left.extend(remote.people)
                self.changes.gone.extend(remote.people)
