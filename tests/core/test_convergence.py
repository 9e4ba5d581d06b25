"""[P1] Any interleaving of concurrent ops, once sequenced, leaves every replica equal to the
server's view for its viewer; re-applying what was delivered changes nothing."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.core.effects import (
    Effect,
    apply_effects,
    apply_items,
    apply_ops_effects,
    from_record,
    project,
    to_record,
)
from board.core.model import AnyObject, Note, Settings
from board.core.ops import Applied, Op, adopt, apply, withdraw
from board.core.state import FACILITATOR, PUBLIC, Actor, BoardState, Viewer

PEOPLE = [Actor("ann"), Actor("bea"), Actor("cai"), Actor("fac", facilitator=True)]
VIEWERS = [PUBLIC, FACILITATOR, Viewer("ann"), Viewer("bea"), Viewer("cai")]
IDS = ["o0", "o1", "o2"]
"""Few ids, so ops collide on the same objects as often as people do on a busy board."""

coordinates = st.floats(min_value=-1000, max_value=1000, allow_nan=False)
texts = st.text(alphabet="abcŵŷ <>&\"'", max_size=12)


def _obj(oid: str, kind: str, target: str) -> dict[str, Any]:
    if kind == "comment":
        return {"type": "comment", "id": oid, "target": target, "text": "c"}
    if kind == "vote":
        return {"type": "vote", "id": oid, "target": target}
    return {"type": "note", "id": oid, "x": 0, "y": 0, "text": "n"}


moderation = st.one_of(
    st.builds(
        lambda oid, hidden: {"kind": "update", "id": oid, "props": {"hidden": hidden}},
        st.sampled_from(IDS),
        st.booleans(),
    ),
    st.builds(lambda on: {"kind": "settings", "props": {"private_mode": on}}, st.booleans()),
)
raw_ops = st.one_of(
    moderation,
    st.builds(
        lambda oid, kind, target: {"kind": "create", "obj": _obj(oid, kind, target)},
        st.sampled_from(IDS),
        st.sampled_from(["note", "note", "comment", "vote"]),
        st.sampled_from(IDS),
    ),
    st.builds(
        lambda oid, props: {"kind": "update", "id": oid, "props": props},
        st.sampled_from(IDS),
        st.fixed_dictionaries(
            {}, optional={"x": coordinates, "y": coordinates, "text": texts, "hidden": st.booleans()}
        ).filter(bool),
    ),
    st.builds(lambda oid: {"kind": "delete", "id": oid}, st.sampled_from(IDS)),
    st.builds(
        lambda props: {"kind": "settings", "props": props},
        st.fixed_dictionaries(
            {},
            optional={
                "private_mode": st.booleans(),
                "voting": st.booleans(),
                "votes_shown": st.booleans(),
                "locked": st.booleans(),
            },
        ).filter(bool),
    ),
    st.builds(
        lambda ops: {"kind": "batch", "ops": ops},
        st.lists(
            st.builds(
                lambda oid, x: {"kind": "update", "id": oid, "props": {"x": x}},
                st.sampled_from(IDS),
                coordinates,
            ),
            min_size=1,
            max_size=4,
        ),
    ),
)
actors = st.sampled_from([*PEOPLE, PEOPLE[-1], PEOPLE[-1]])  # facilitators act often: moderation, reveals
PRELUDE = [(PEOPLE[i], {"kind": "create", "obj": _obj(oid, "note", oid)}, False) for i, oid in enumerate(IDS)]
"""Every plan starts with a note on each id, so the random part changes things that exist."""
steps = st.lists(st.tuples(actors, raw_ops, st.booleans()), max_size=40).map(lambda plan: PRELUDE + plan)
ADOPT = {"kind": "adopt"}
"""A server-made step in a plan: the actor's first note is copied to a new id as theirs."""
with_adoptions = st.lists(
    st.tuples(actors, st.one_of(raw_ops, st.just(ADOPT)), st.booleans()), max_size=40
).map(lambda plan: PRELUDE + plan)


def view(state: BoardState, viewer: Viewer) -> dict[str, Any]:
    seen: dict[str, Any] = {obj.id: obj for obj in state.visible(viewer)}
    seen["__settings__"] = state.settings
    return seen


def as_view(replica: dict[str, Any]) -> dict[str, Any]:
    """A replica read back as the typed objects and settings it encodes (a replica may hold a
    default value explicitly where the server's encoding leaves it out)."""
    typed: dict[str, Any] = {
        oid: msgspec.convert(data, AnyObject) for oid, data in replica.items() if oid != "__settings__"
    }
    typed["__settings__"] = msgspec.convert(replica["__settings__"], Settings)
    return typed


def settings_items(state: BoardState) -> dict[str, Any]:
    return msgspec.to_builtins(state.settings)


def server_step(server: BoardState, actor: Actor, data: dict[str, Any], now: int) -> Applied | None:
    if data is ADOPT:
        theirs = [oid for oid in server.owned_by(actor.ref) if isinstance(server.objects[oid], Note)]
        if not theirs:
            return None
        copy = msgspec.structs.replace(server.objects[theirs[0]], id=f"copy{now}")
        return adopt(server, [(copy, actor.ref)])
    result = apply(server, msgspec.convert(data, Op), actor, now)
    return result if isinstance(result, Applied) else None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_adoptions)
def test_every_replica_converges_to_its_view_of_the_server(
    plan: list[tuple[Actor, dict[str, Any], bool]],
) -> None:
    server = BoardState()
    replicas = {viewer: {"__settings__": settings_items(server)} for viewer in VIEWERS}
    # A second set of replicas fed through the stored/broker record, as a resuming client is.
    from_log = {viewer: {"__settings__": settings_items(server)} for viewer in VIEWERS}
    mirror = BoardState()  # another process applying published effects
    published: list[tuple[list[Effect], str | None]] = []  # ... or hearing them as one group
    now = 0
    for actor, data, withdraw_after in plan:
        now += 1
        result = server_step(server, actor, data, now)
        if result is None:
            continue
        effects = result.effects
        if withdraw_after and not actor.facilitator:
            effects = effects + withdraw(result.state, actor.ref).effects
            server = withdraw(result.state, actor.ref).state
        else:
            server = result.state
        record = msgspec.json.decode(msgspec.json.encode(to_record(effects)))
        replayed = from_record(record)
        mirror = apply_effects(mirror, replayed, None if data is ADOPT else actor.ref)
        published.append((replayed, None if data is ADOPT else actor.ref))
        for viewer in VIEWERS:
            items = msgspec.json.decode(msgspec.json.encode(project(effects, viewer)))
            apply_items(replicas[viewer], items)
            logged_items = msgspec.json.decode(msgspec.json.encode(project(replayed, viewer)))
            apply_items(from_log[viewer], logged_items)
    for viewer in VIEWERS:
        expected = view(server, viewer)
        assert as_view(replicas[viewer]) == expected, viewer
        assert as_view(from_log[viewer]) == expected, viewer
    assert mirror.objects == server.objects
    assert dict(mirror.authors) == dict(server.authors)
    assert mirror.settings == server.settings
    grouped = apply_ops_effects(BoardState(), published)
    assert (grouped.objects, grouped.authors, grouped.settings) == (
        mirror.objects,
        mirror.authors,
        mirror.settings,
    )


@settings(max_examples=200, deadline=None)
@given(steps)
def test_reapplying_delivered_items_changes_nothing(plan: list[tuple[Actor, dict[str, Any], bool]]) -> None:
    server = BoardState()
    replica: dict[str, Any] = {}
    for now, (actor, data, _) in enumerate(plan):
        result = apply(server, msgspec.convert(data, Op), actor, now)
        if not isinstance(result, Applied):
            continue
        server = result.state
        items = msgspec.json.decode(msgspec.json.encode(project(result.effects, PUBLIC)))
        apply_items(replica, items)
        once = dict(replica)
        apply_items(replica, items)
        assert replica == once


@settings(max_examples=200, deadline=None)
@given(steps)
def test_applying_an_accepted_op_again_is_refused_or_changes_nothing(
    plan: list[tuple[Actor, dict[str, Any], bool]],
) -> None:
    server = BoardState()
    for now, (actor, data, _) in enumerate(plan):
        the_op = msgspec.convert(data, Op)
        result = apply(server, the_op, actor, now)
        if not isinstance(result, Applied):
            continue
        server = result.state
        again = apply(server, the_op, actor, now)
        if isinstance(again, Applied):
            assert again.state.objects == server.objects
            assert again.state.settings == server.settings
