"""The objects on a board, and the board's settings.

Objects are frozen msgspec structs tagged by `type`: the same declaration decodes a client's
`create`, bounds every property (numbers come from `limits.LIMITS`), and encodes the object for
the wire and the store. An object carries only what may be shown to people who can see it:
who made it is kept apart, in `BoardState.authors` (see `state.py`), so no encoding of an
object can leak it.

Fields common to every object, and why they exist:

- `id`: chosen by the client, so an op can refer to an object before the server has seen it
  (offline edits, undo of a delete restoring the same id).
- `private`: made while private mode was on; only its author and facilitators see it until the
  facilitator reveals. Set by the server, never by the client.
- `hidden`: hidden by a facilitator (moderation); only facilitators see it.
- `created`: milliseconds since the epoch, set by the server at creation (the record shows it).
- `origin`: for a copy (pulled into the main board, duplicated, pasted, moved by a merge), the
  original it copies, always the root original (a copy of a copy names the first). The record
  counts a contribution once however many copies it has (`provenance.py`).
"""

from __future__ import annotations

from typing import Annotated, Final, Literal, get_args

from msgspec import UNSET, Meta, Struct, UnsetType

from board.core.limits import LIMITS

ObjectId = Annotated[str, Meta(min_length=1, max_length=LIMITS.max_id_length, pattern=r"^[A-Za-z0-9_-]+$")]
Coord = Annotated[float, Meta(ge=-LIMITS.max_coordinate, le=LIMITS.max_coordinate)]
Extent = Annotated[float, Meta(ge=-LIMITS.max_extent, le=LIMITS.max_extent)]
Size = Annotated[float, Meta(ge=1.0, le=LIMITS.max_extent)]
NoteSize = Annotated[float, Meta(ge=LIMITS.min_note_size, le=LIMITS.max_extent)]
OrderKey = Annotated[str, Meta(min_length=2, max_length=128, pattern=r"^[A-Za-z][0-9A-Za-z]*$")]
Hex = Annotated[str, Meta(pattern=r"^#[0-9a-fA-F]{6}$")]
CategoryKey = Annotated[str, Meta(min_length=1, max_length=LIMITS.max_category_key, pattern=r"^[a-z0-9_-]+$")]
NoteText = Annotated[str, Meta(max_length=LIMITS.max_note_text)]
FreeText = Annotated[str, Meta(max_length=LIMITS.max_text_text)]
Label = Annotated[str, Meta(max_length=LIMITS.max_label_text)]
CommentText = Annotated[str, Meta(min_length=1, max_length=LIMITS.max_comment_text)]
Title = Annotated[str, Meta(max_length=LIMITS.max_title_text)]
StrokeWidth = Annotated[float, Meta(ge=LIMITS.min_stroke_width, le=LIMITS.max_stroke_width)]
FontSize = Annotated[float, Meta(ge=LIMITS.min_font_size, le=LIMITS.max_font_size)]
Points = Annotated[tuple[Coord, ...], Meta(max_length=2 * LIMITS.max_stroke_points)]
PollText = Annotated[str, Meta(min_length=1, max_length=LIMITS.max_poll_text)]
PollWords = Annotated[int, Meta(ge=1, le=LIMITS.max_poll_words)]
Groups = Annotated[
    tuple[Annotated[int, Meta(ge=0, le=LIMITS.max_boards)], ...], Meta(max_length=LIMITS.max_boards + 1)
]

NoteColour = Literal["yellow", "orange", "pink", "purple", "blue", "green", "grey", "white"]
NOTE_COLOURS: Final = get_args(NoteColour)
ShapeKind = Literal["rect", "ellipse", "diamond", "line", "arrow"]
SHAPE_KINDS: Final = get_args(ShapeKind)
LINE_KINDS: Final = frozenset({"line", "arrow"})


BoardNumber = Annotated[int, Meta(ge=0, le=LIMITS.max_boards)]
"""A board of the workshop by its number: 0 the main board, 1... the breakouts."""


class Origin(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """What a copy copies: object `id` on board `board` of the same workshop. A client names
    an object on the board it is on (`board` left out), or on another board of its workshop
    (a paste between boards, checked there first: `board/services/copies.py`); the server resolves
    that to the root original, and fills in `board` when it copies between boards (`ops.py`,
    `breakout.py`)."""

    id: ObjectId
    board: Annotated[int, Meta(ge=0, le=LIMITS.max_boards)] | None = None


class BoardObject(
    Struct,
    frozen=True,
    kw_only=True,
    tag_field="type",
    forbid_unknown_fields=True,
    omit_defaults=True,
):
    id: ObjectId
    private: bool = False
    hidden: bool = False
    created: int = 0
    origin: Origin | None = None


class Placed(BoardObject, frozen=True, kw_only=True):
    """An object with a place on the canvas and a place in the stacking order.

    `z` is a fractional order key (`ordering.py`): bringing a note to the front changes one
    property of one object, never the keys of others. Two people reordering at once may pick
    the same key; ties are broken by `id`, so the order is still total and the same everywhere.
    """

    x: Coord
    y: Coord
    z: OrderKey = "a0"


class Note(Placed, frozen=True, kw_only=True, tag="note"):
    w: NoteSize = 200.0
    h: NoteSize = 200.0
    text: NoteText = ""
    color: NoteColour = "yellow"
    category: CategoryKey | None = None
    """Set explicitly by a person; it wins over the frame a note sits in (`categorise.py`)."""
    groups: Groups = ()
    """When near-duplicates from several breakout groups were merged into this note, the board
    numbers of the groups that raised it ("raised in 3 of 4 groups"). Set by the server."""


class Shape(Placed, frozen=True, kw_only=True, tag="shape"):
    """A box shape spans (x, y)-(x+w, y+h) with w, h > 0; a line or arrow runs from (x, y) to
    (x+w, y+h), so its w and h may be negative."""

    kind: ShapeKind = "rect"
    w: Extent = 160.0
    h: Extent = 100.0
    fill: Hex | None = None
    stroke: Hex = "#1f2937"
    text: Label = ""


class Stroke(Placed, frozen=True, kw_only=True, tag="stroke"):
    """A pen stroke: points are x0, y0, x1, y1, ... relative to (x, y), so moving a stroke is
    one change of x and y however many points it has."""

    points: Points
    width: StrokeWidth = 3.0
    color: Hex = "#1f2937"


class Texts(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A text object's words in each language, from a template written in English and Welsh:
    each person is shown the one for their own language, and `text` (the workshop's language)
    is what the record keeps. Changing `text` drops them (`ops.py`): what a person wrote is in
    one language."""

    en: FreeText
    cy: FreeText


class Titles(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A frame's title in each language, as `Texts` is for a text object."""

    en: Title
    cy: Title


class Text(Placed, frozen=True, kw_only=True, tag="text"):
    text: FreeText = ""
    texts: Texts | None = None
    """The text in English and Welsh, when a bilingual template placed it."""
    w: Size = 240.0
    size: FontSize = 20.0
    color: Hex = "#111827"


class Frame(Placed, frozen=True, kw_only=True, tag="frame"):
    """A titled region: category columns, breakout galleries, agenda areas. A note whose centre
    lies inside a frame with a category takes that category unless set explicitly."""

    w: Size = 800.0
    h: Size = 600.0
    title: Title = ""
    titles: Titles | None = None
    """The title in English and Welsh, when a bilingual template (or its taxonomy) gave it."""
    category: CategoryKey | None = None


class Definition(Placed, frozen=True, kw_only=True, tag="definition"):
    """A "defining our categories" card (seed 000): for one category, the group's definition,
    why you would use this kind of activity, and what excellent looks like."""

    category: CategoryKey
    w: Size = 360.0
    h: Size = 320.0
    definition: NoteText = ""
    why: NoteText = ""
    excellent: NoteText = ""


class Comment(BoardObject, frozen=True, kw_only=True, tag="comment"):
    """Pinned on an object (`target`) or on a point of the canvas (`x`, `y`). A reply names the
    comment it answers as `parent` and inherits its pin; replies are one level deep."""

    text: CommentText
    target: ObjectId | None = None
    parent: ObjectId | None = None
    x: Coord | None = None
    y: Coord | None = None
    resolved: bool = False


class Vote(BoardObject, frozen=True, kw_only=True, tag="vote"):
    """One dot of a dot vote. Seen by its voter and facilitators; by everyone once the
    facilitator shows the results. Carries no voter: tallies are counts of these."""

    target: ObjectId


class PollWord(BoardObject, frozen=True, kw_only=True, tag="pollword"):
    """One exit-poll answer (seed 000: "one or two words ... turned into wordles"), on the
    workshop's main board. Seen by its author and facilitators only, like an unshown vote:
    everyone else sees the answers only as counts in the word cloud (`core/poll.py`), so no
    one can tell who wrote what. It has no place on the canvas and cannot be changed, only
    withdrawn; its word rule is checked when it is created (`poll.refusal`). `board` is the
    number of the board its author gave it on (0 the main board), so their withdrawal list
    names where they were, not where answers are kept; None when given on the poll's own page."""

    text: PollText
    board: BoardNumber | None = None


AnyObject = Note | Shape | Stroke | Text | Frame | Definition | Comment | Vote | PollWord
OBJECT_TYPES: Final[dict[str, type[BoardObject]]] = {
    cls.__struct_config__.tag: cls  # type: ignore[misc]
    for cls in (Note, Shape, Stroke, Text, Frame, Definition, Comment, Vote, PollWord)
}


class Patch(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """The properties an `update` may change. Bounds here are the loosest across types; the
    changed object is checked again against its own type (`ops.py`), so a note's text is held
    to the note limit. `id`, `type`, `created`, `private`, `origin`, `target` and `parent` never change."""

    x: Coord | UnsetType = UNSET
    y: Coord | UnsetType = UNSET
    z: OrderKey | UnsetType = UNSET
    w: Extent | UnsetType = UNSET
    h: Extent | UnsetType = UNSET
    text: FreeText | UnsetType = UNSET
    color: str | UnsetType = UNSET
    category: CategoryKey | UnsetType | None = UNSET
    kind: ShapeKind | UnsetType = UNSET
    fill: Hex | UnsetType | None = UNSET
    stroke: Hex | UnsetType = UNSET
    points: Points | UnsetType = UNSET
    width: StrokeWidth | UnsetType = UNSET
    size: FontSize | UnsetType = UNSET
    title: Title | UnsetType = UNSET
    definition: NoteText | UnsetType = UNSET
    why: NoteText | UnsetType = UNSET
    excellent: NoteText | UnsetType = UNSET
    resolved: bool | UnsetType = UNSET
    hidden: bool | UnsetType = UNSET

    def changes(self) -> dict[str, object]:
        """The properties this patch sets, by name."""
        return {name: value for name in self.__struct_fields__ if (value := getattr(self, name)) is not UNSET}


class Timer(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """A countdown everyone sees, kept on the server's clock. Running: `ends_at` (ms since the
    epoch, server time) is set. Paused: `remaining` (ms) is set. Facilitators change it with
    `timer` ops (`ops.py`: start, pause, resume, add, clear), which the server applies at its
    own time; clients learn the server's time (`now` in `welcome` and the `clock` notice) and
    count down by the difference from their own clock, so a device whose clock is wrong still
    shows the right time left."""

    total: Annotated[int, Meta(ge=0, le=LIMITS.max_timer_ms)]
    ends_at: int | None = None
    remaining: Annotated[int, Meta(ge=0, le=LIMITS.max_timer_ms)] | None = None


class Settings(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """Board-wide switches, changed only by facilitators, seen by everyone."""

    title: Title = ""
    titles: Titles | None = None
    """The title in English and Welsh, when a bilingual template named the board: each person
    is shown their own, as with a frame's `titles`. Set only when the board is made; a
    facilitator who changes `title` drops it (`ops.py`)."""
    locked: bool = False
    """Participants may look but not change anything."""
    closed: bool = False
    """The workshop is closed: nobody changes anything; export still works."""
    private_mode: bool = False
    """New notes from participants are private; turning it off reveals them all."""
    voting: bool = False
    """Dot voting is open."""
    votes_shown: bool = False
    """Everyone sees the tallies (otherwise only their own dots)."""
    vote_budget: Annotated[int, Meta(ge=0, le=LIMITS.max_vote_budget)] = 3
    cursors: bool = True
    """Participants see each other's cursors."""
    timer: Timer | None = None
    poll_open: bool = False
    """The exit poll is open: participants may add `pollword` answers (main board)."""
    poll_words: PollWords = 2
    """Most words in one exit-poll answer ("one or two words")."""


class SettingsPatch(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """The settings a `settings` op may change. The timer is not among them: it runs on the
    server's clock, changed only by `timer` ops."""

    title: Title | UnsetType = UNSET
    locked: bool | UnsetType = UNSET
    closed: bool | UnsetType = UNSET
    private_mode: bool | UnsetType = UNSET
    voting: bool | UnsetType = UNSET
    votes_shown: bool | UnsetType = UNSET
    vote_budget: Annotated[int, Meta(ge=0, le=LIMITS.max_vote_budget)] | UnsetType = UNSET
    cursors: bool | UnsetType = UNSET
    poll_open: bool | UnsetType = UNSET
    poll_words: PollWords | UnsetType = UNSET

    def changes(self) -> dict[str, object]:
        return {name: value for name in self.__struct_fields__ if (value := getattr(self, name)) is not UNSET}
