"""What an op did, and what each viewer is told of it.

`ops.apply` turns an op into *effects*: one `Change` per object it created, changed or removed
(cascades included) and a `SettingsChange` when settings moved. A change records the object's
audience before and after (`state.py`), so the effects alone say what every viewer sees:

    saw before  sees after   the viewer receives
    no          yes          put     (the whole object: it appears)
    yes         yes          patch   (only the properties that changed)
    yes         no           del
    no          no           nothing

Effects are what the op log stores and the broker carries; `project` turns them into the wire
items one viewer receives. Applying the same wire item twice changes nothing (`apply_items`),
which is what lets a client ignore a resent frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from board.core.model import AnyObject, Settings
from board.core.state import BoardState, Viewer

WireItem = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Change:
    id: str
    before: str | None
    """Audience before the op; None when the object did not exist."""
    after: str | None
    """Audience after the op; None when the object was removed."""
    obj: AnyObject | None = None
    """The whole object after the op (None when removed)."""
    props: Mapping[str, Any] | None = None
    """The properties that changed, when the object existed before and after."""
    author: str | None = None
    """Who made an object the server placed on their behalf (a merged vote, a note pulled
    into the main board), so every process keeps the author link withdrawal needs. Unset when
    the op's own actor made it."""


@dataclass(frozen=True, slots=True)
class SettingsChange:
    props: Mapping[str, Any]


Effect = Change | SettingsChange


def project(effects: Iterable[Effect], viewer: Viewer) -> list[WireItem]:
    """The wire items `viewer` receives for these effects, in order."""
    items: list[WireItem] = []
    for effect in effects:
        if isinstance(effect, SettingsChange):
            items.append({"op": "settings", "props": dict(effect.props)})
            continue
        saw = effect.before is not None and viewer.sees(effect.before)
        sees = effect.after is not None and viewer.sees(effect.after)
        if sees and saw and effect.props is not None:
            items.append({"op": "patch", "id": effect.id, "props": dict(effect.props)})
        elif sees and effect.obj is not None:
            items.append({"op": "put", "obj": effect.obj})
        elif saw and not sees:
            items.append({"op": "del", "id": effect.id})
    return items


def to_record(effects: Sequence[Effect]) -> list[dict[str, Any]]:
    """Effects as plain data for the op log and the broker.

    A plain update stores only its props; a put stores the whole object. Audiences name a
    participant only for private objects and hidden votes, so a public op's record holds no
    author link at all.
    """
    out: list[dict[str, Any]] = []
    for effect in effects:
        if isinstance(effect, SettingsChange):
            out.append({"settings": dict(effect.props)})
            continue
        row: dict[str, Any] = {"id": effect.id, "a0": effect.before, "a1": effect.after}
        if effect.author is not None:
            row["by"] = effect.author
        if effect.props is not None and effect.before == effect.after:
            row["props"] = dict(effect.props)
        elif effect.obj is not None:
            row["obj"] = effect.obj
            if effect.props is not None:
                row["props"] = dict(effect.props)
        out.append(row)
    return out


def from_record(rows: Sequence[Mapping[str, Any]]) -> list[Effect]:
    """Effects back from their record (the op log, or a frame from the broker)."""
    effects: list[Effect] = []
    for row in rows:
        if "settings" in row:
            effects.append(SettingsChange(row["settings"]))
            continue
        obj = msgspec.convert(row["obj"], AnyObject) if "obj" in row else None
        effects.append(Change(row["id"], row["a0"], row["a1"], obj, row.get("props"), row.get("by")))
    return effects


def apply_effects(state: BoardState, effects: Iterable[Effect], author: str | None) -> BoardState:
    """The state after effects produced elsewhere (another process, or the op log).

    Objects an op creates are made by its actor, so `author` restores the author link that the
    effects themselves do not carry. A plain update arrives as props only and is merged into
    the object this state already holds.
    """
    return apply_ops_effects(state, [(effects, author)])


def apply_ops_effects(state: BoardState, ops: Iterable[tuple[Iterable[Effect], str | None]]) -> BoardState:
    """The state after several ops' effects, each with its author, in order (`apply_effects`):
    the board copied once for all of them, not once an op."""
    objects = dict(state.objects)
    authors = dict(state.authors)
    settings = state.settings
    gone = dict(state.gone)
    for effects, author in ops:
        for effect in effects:
            if isinstance(effect, SettingsChange):
                settings = msgspec.structs.replace(settings, **_settings_props(effect.props))
            elif effect.after is None:
                if objects.pop(effect.id, None) is not None:
                    gone[effect.id] = author
                authors.pop(effect.id, None)
            else:
                made_by = effect.author or author
                if effect.before is None and made_by is not None:
                    authors[effect.id] = made_by
                gone.pop(effect.id, None)
                objects[effect.id] = effect.obj or _merged(objects[effect.id], effect.props or {})
    return BoardState(objects, authors, settings, gone)


def _merged(obj: AnyObject, props: Mapping[str, Any]) -> AnyObject:
    merged: AnyObject = msgspec.convert({**msgspec.to_builtins(obj), **props}, AnyObject)
    return merged


def _settings_props(props: Mapping[str, Any]) -> dict[str, Any]:
    converted: Settings = msgspec.convert({**msgspec.to_builtins(Settings()), **props}, Settings)
    return {name: getattr(converted, name) for name in props}


def apply_items(objects: dict[str, dict[str, Any]], items: Iterable[WireItem]) -> None:
    """A replica applying what it received (the client does the same in `state.js`).

    Objects here are plain dicts, as a client holds them. Settings are kept under the key
    `"__settings__"`.
    """
    for item in items:
        kind = item["op"]
        if kind == "put":
            obj = msgspec.to_builtins(item["obj"])
            objects[obj["id"]] = obj
        elif kind == "patch":
            if item["id"] in objects:
                objects[item["id"]] = {**objects[item["id"]], **msgspec.to_builtins(item["props"])}
        elif kind == "del":
            objects.pop(item["id"], None)
        elif kind == "settings":
            current = objects.get("__settings__", {})
            objects["__settings__"] = {**current, **msgspec.to_builtins(item["props"])}
