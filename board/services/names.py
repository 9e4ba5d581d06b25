"""Names people choose for their cursor (issue 4: "an optional display name for cursors if the
workshop allows").

Nobody is asked for a name: everyone gets a friendly made-up one. A facilitator may allow
names (`details["display_names"]`); then anyone may choose one to show beside their cursor
instead, and clear it to go back. Stopping allowing names puts everyone back on their made-up
name at once. A chosen name lives only in `participants.chosen_name` and in presence: it is
never in an object, the op log, the record or any export, so the anonymity of what people
wrote is untouched.

Everyone in the workshop hears of a change at once: the person's sockets carry the new name to
every board (`Hub.rename`, every process), and a toggle of the setting is a `names` notice.
"""

from __future__ import annotations

from typing import Final

from board.core.errors import ErrorCode, ProtocolError
from board.core.protocol import Names, encode
from board.store.details import update_details
from board.store.directory import Directory, Member, WorkshopInfo
from board.sync.hub import Hub

NAMES_DETAIL: Final = "display_names"
"""The key of a workshop's `details`: True when people may choose a name for their cursor."""


def allowed(workshop: WorkshopInfo) -> bool:
    return bool(workshop.details.get(NAMES_DETAIL, False))


def names_frame(is_allowed: bool) -> str:
    return encode(Names(allowed=is_allowed))


async def allow(directory: Directory, hub: Hub, workshop: WorkshopInfo, is_allowed: bool) -> None:
    """Allow chosen names, or stop: then every chosen name is cleared, and shown as the made-up
    one again."""
    await update_details(directory.database, workshop.id, {NAMES_DETAIL: is_allowed})
    if not is_allowed:
        for ref, name in await directory.clear_chosen_names(workshop.id):
            await hub.rename(workshop.id, ref, name)
    await hub.notify(workshop.id, names_frame(is_allowed))


async def choose(
    directory: Directory, hub: Hub, workshop: WorkshopInfo, member: Member, name: str | None
) -> str | ProtocolError:
    """Show `name` beside this person's cursor (None: their made-up name again). Returns the
    name now shown."""
    if name is not None and not allowed(workshop):
        return ProtocolError(ErrorCode.FORBIDDEN, "name", "this workshop keeps everyone's made-up name")
    made_up = await directory.choose_name(workshop.id, member.id, name)
    shown = name or made_up
    await hub.rename(workshop.id, member.id, shown)
    return shown
