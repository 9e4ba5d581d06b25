"""A workshop template (`sessions/*.yaml`) read and checked into a `Plan`: the workshop's title
and purpose, its agenda steps, its boards with their frames, its taxonomy, its dot-vote
budget and its exit-poll question. Its texts are in English and Welsh (`{en: ..., cy: ...}`),
or all in one language (plain text, in the language `language:` names, English by default):
a template is one or the other, never a mix. `docs/templates.md` describes the format field by
field.

Pure: the YAML text comes in (the edge, `board/services/templates.py`, reads the file), a `Plan` or an
`InvalidTemplate` comes out. The YAML is composed into PyYAML's node tree first, not loaded
straight into Python values, so that every value keeps the line it was written on: each
problem names the file, the line and the field, e.g.

    sessions/engagement-network.yaml, line 14: agenda[2].minutes: must be a whole number from 1 to 600

Every problem found is reported, in the order of the file, never just the first one. Unknown
fields are refused: a misspelt `promt:` would otherwise do nothing, silently.

A plan also lays its boards out (`objects`): prompts as text at the top of a board, frames
where the template puts them, one column per category of the taxonomy (`columns:`) and one
"defining our categories" card per category (`definitions:`). The ids of these objects are
fixed (`tpl-...`), so laying a board out twice places nothing twice (`ops.adopt` skips ids
already taken). A bilingual template's prompts and frame titles carry both languages
(`Text.texts`, `Frame.titles`), so each person reads them in their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.model import AnyObject, Definition, Frame, Settings, Text, Texts, Titles
from board.core.purpose import AUDIENCE_DETAIL, CONTACT_DETAIL, MAX_AUDIENCE, MAX_CONTACT, MAX_STATEMENT
from board.core.taxonomies import Bilingual, InvalidTaxonomy, Taxonomy, resolve

Lang = Literal["en", "cy", "both"]
"""What a template's texts become on the boards: English, Welsh, or both ("English / Cymraeg")."""
LANGS: Final[tuple[Lang, ...]] = ("en", "cy", "both")
BOTH_SEPARATOR: Final = " / "
Language = Literal["en", "cy"]
LANGUAGES: Final[tuple[Language, ...]] = ("en", "cy")
"""The languages a template may be written in: both, or one of them."""

KEY_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
"""A template's key is its file name without `.yaml`: it is stored with each workshop made from
it (`workshops.template`, 100 characters)."""
MAX_STEPS: Final = 40
"""Agenda steps in one template: a day-long workshop has a dozen."""
MAX_STEP_MINUTES: Final = 600
MAX_FRAMES: Final = 100
"""Frames declared on one board (columns generated from the taxonomy not counted)."""
MAX_PURPOSE: Final = MAX_STATEMENT
"""Characters of the purpose statement, in each language, `use` included: the two make the
statement people read before they join (`core/purpose.py`)."""
USE_SEPARATOR: Final = "\n"
"""Between `purpose` and `use` in the statement: the join page shows each line as a paragraph."""
MAX_PROMPT: Final = 1_000
"""Characters of a prompt, in each language (both together must fit a text object)."""
MAX_GROUP_SIZE: Final = 20
MIN_GROUP_SIZE: Final = 2
MAX_NODES: Final = 20_000
"""YAML nodes read from one template. YAML aliases can make a small file stand for an
enormous tree ("billion laughs"); past this the template is refused, not expanded."""
NUMBER_PLACEHOLDER: Final = "{number}"
"""In a breakout board's title: replaced by the board's number ("Board {number}")."""

PROMPT_ID: Final = "tpl-prompt"
PROMPT_Y: Final = -220.0
PROMPT_WIDTH: Final = 800.0
"""A prompt's width on its board: about 40 characters a line at PROMPT_SIZE, a comfortable
measure on a projector, and narrow enough that a 360 px phone shows its lines whole with its
type at 14 px (`static/js/board/opening.js`). A prompt of up to about 160 characters (every
shipped template's) stays in the room above the frames (PROMPT_Y)."""
PROMPT_SIZE: Final = 36.0
CARD_WIDTH: Final = 360.0
CARD_HEIGHT: Final = 320.0

Where = Literal["main", "breakouts"]


# --- the plan -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One agenda step: what happens, for how long, what people are asked, and where."""

    title: Bilingual
    minutes: int
    prompt: Bilingual | None = None
    where: Where | None = None


@dataclass(frozen=True, slots=True)
class FramePlan:
    title: Bilingual
    x: float
    y: float
    w: float
    h: float
    category: str | None = None
    id: str = ""


@dataclass(frozen=True, slots=True)
class CardPlan:
    """An empty "defining our categories" card for one category."""

    category: str
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class BoardPlan:
    title: Bilingual
    prompt: Bilingual | None = None
    frames: tuple[FramePlan, ...] = ()
    cards: tuple[CardPlan, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    key: str
    title: Bilingual
    purpose: Bilingual
    taxonomy: Taxonomy
    taxonomy_spec: object
    """What the template's `taxonomy:` says: a built-in key, or the whole taxonomy as data."""
    agenda: tuple[Step, ...]
    main: BoardPlan
    breakout: BoardPlan
    poll_question: Bilingual
    breakouts: int = 0
    group_size: int = 2
    vote_budget: int = 3
    use: Bilingual | None = None
    """How the notes will be used (and by when): the second paragraph of the statement."""
    audience: Bilingual | None = None
    """Who will see the record."""
    contact: str = ""
    """Who to ask: left empty in a shipped template, for the facilitator to fill in (the
    dashboard warns while it is empty)."""
    languages: tuple[Language, ...] = LANGUAGES
    """The languages its texts are written in. A template in one language holds each text
    twice (the same words as `en` and `cy`), so every reader of a `Bilingual` gets its words;
    the dashboard says that people reading the other language will see them untranslated."""

    def statement(self) -> Bilingual:
        """What people read before they join: the purpose, then how the notes will be used."""
        if self.use is None:
            return self.purpose
        cy = f"{self.purpose.cy or self.purpose.en}{USE_SEPARATOR}{self.use.cy or self.use.en}"
        return Bilingual(f"{self.purpose.en}{USE_SEPARATOR}{self.use.en}", cy)

    def board(self, number: int) -> BoardPlan:
        return self.main if number == 0 else self.breakout

    def board_title(self, number: int, lang: Lang) -> str:
        text = words(self.board(number).title, lang)
        return text.replace(NUMBER_PLACEHOLDER, str(number))

    def settings(self, number: int, lang: Lang) -> Settings:
        """A new board's settings: its title (in each language, when the template gives both)
        and the template's vote budget."""
        both = translations(numbered(self.board(number).title, number))
        return Settings(
            title=self.board_title(number, lang),
            titles=None if both is None else Titles(en=both[0], cy=both[1]),
            vote_budget=self.vote_budget,
        )

    def objects(self, number: int, lang: Lang) -> list[AnyObject]:
        """What a new board starts with: its prompt, its frames and columns, its cards."""
        board = self.board(number)
        placed: list[AnyObject] = []
        if board.prompt is not None:
            prompt = numbered(board.prompt, number)
            texts = translations(prompt)
            placed.append(
                Text(
                    id=PROMPT_ID,
                    x=0.0,
                    y=PROMPT_Y,
                    w=PROMPT_WIDTH,
                    size=PROMPT_SIZE,
                    text=words(prompt, lang),
                    texts=None if texts is None else Texts(en=texts[0], cy=texts[1]),
                )
            )
        for frame in board.frames:
            placed.append(frame_object(frame, lang))
        for card in board.cards:
            placed.append(Definition(id=f"tpl-d-{card.category}", x=card.x, y=card.y, category=card.category))
        return placed

    def details(self) -> dict[str, Any]:
        """What a workshop made from this template carries in its `details` (read by the exit
        poll, the "what we heard" page and the record)."""
        return {
            "purpose": _bilingual_data(self.statement()),
            **({AUDIENCE_DETAIL: _bilingual_data(self.audience)} if self.audience else {}),
            **({CONTACT_DETAIL: self.contact} if self.contact else {}),
            "poll_question": _bilingual_data(self.poll_question),
            "agenda": [
                {
                    "title": _bilingual_data(step.title),
                    "minutes": step.minutes,
                    **({"prompt": _bilingual_data(step.prompt)} if step.prompt else {}),
                    **({"where": step.where} if step.where else {}),
                }
                for step in self.agenda
            ],
            "taxonomy": self.taxonomy_spec,
            "vote_budget": self.vote_budget,
            "group_size": self.group_size,
        }

    def agenda_lines(self, lang: Lang = "en") -> tuple[str, ...]:
        """The agenda as the record lists it: "Title (10 min): prompt"."""
        lines = []
        for step in self.agenda:
            line = f"{words(step.title, lang)} ({step.minutes} min)"
            if step.prompt is not None:
                line += f": {words(step.prompt, lang)}"
            lines.append(line)
        return tuple(lines)


def frame_object(plan: FramePlan, lang: Lang, oid: str | None = None) -> Frame:
    """A planned frame placed on a board: titled in the workshop's language `lang` (what the
    record keeps), and in each language when it has two (what each person reads)."""
    titles = translations(plan.title)
    return Frame(
        id=oid or plan.id,
        x=plan.x,
        y=plan.y,
        w=plan.w,
        h=plan.h,
        title=words(plan.title, lang),
        titles=None if titles is None else Titles(en=titles[0], cy=titles[1]),
        category=plan.category,
    )


def translations(text: Bilingual) -> tuple[str, str] | None:
    """A text's English and Welsh for a board object to carry, so each person is shown their
    own; None when it has one language (or the same words in both): nothing to choose."""
    if not text.cy or text.cy == text.en:
        return None
    return text.en, text.cy


def numbered(text: Bilingual, number: int) -> Bilingual:
    """A board's text with its number filled in ("Board {number}" on board 2: "Board 2")."""
    mark = str(number)
    return Bilingual(
        text.en.replace(NUMBER_PLACEHOLDER, mark), (text.cy or text.en).replace(NUMBER_PLACEHOLDER, mark)
    )


def words(text: Bilingual, lang: Lang) -> str:
    """A bilingual text as a board shows it."""
    if lang == "both":
        return f"{text.en}{BOTH_SEPARATOR}{text.cy}" if text.cy and text.cy != text.en else text.en
    return text.text(lang)


def _bilingual_data(text: Bilingual) -> dict[str, str]:
    return {"en": text.en, "cy": text.cy or text.en}


# --- problems -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    file: str
    line: int | None
    """1-based; None when the problem is the file as a whole."""
    field: str
    """The dotted path of the field in the template (`agenda[2].minutes`); empty for the file."""
    rule: str
    code: ErrorCode = ErrorCode.BAD_VALUE

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.rule}" if self.field else f"{where}: {self.rule}"


@dataclass(frozen=True, slots=True)
class InvalidTemplate:
    problems: tuple[TemplateProblem, ...]

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


# --- reading YAML with its lines -----------------------------------------------------------------


class _TooBig(Exception):
    pass


@dataclass
class _Lines:
    """The line of each value in the template, by its path."""

    at: dict[str, int] = field(default_factory=dict)
    nodes: int = 0

    def of(self, path: str) -> int | None:
        """The line of `path`, else of its nearest ancestor present (a missing field is
        reported on the line of the mapping that lacks it)."""
        while True:
            if path in self.at:
                return self.at[path]
            if not path:
                return None
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _plain(
    node: Node, path: str, lines: _Lines, constructor: SafeConstructor, problems: list[ProtocolError]
) -> object:
    """The node as plain Python data, noting the line of every value on the way."""
    lines.nodes += 1
    if lines.nodes > MAX_NODES:
        raise _TooBig
    lines.at.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or not isinstance(key_node.value, str):
                problems.append(ProtocolError(ErrorCode.WRONG_TYPE, path, "keys must be plain words"))
                continue
            key = key_node.value
            child = _join(path, key)
            if key in result:
                lines.at[child] = key_node.start_mark.line + 1
                problems.append(ProtocolError(ErrorCode.CONFLICT, child, "is given twice"))
                continue
            lines.at[child] = key_node.start_mark.line + 1
            result[key] = _plain(value_node, child, lines, constructor, problems)
        return result
    if isinstance(node, SequenceNode):
        return [
            _plain(item, f"{path}[{i}]", lines, constructor, problems) for i, item in enumerate(node.value)
        ]
    try:
        return constructor.construct_object(node)
    except ConstructorError as error:
        problems.append(ProtocolError(ErrorCode.BAD_FORMAT, path, str(error.problem or "unreadable value")))
        return None


# --- checking -------------------------------------------------------------------------------------

_TOP: Final = frozenset(
    {
        "title",
        "purpose",
        "use",
        "audience",
        "contact",
        "taxonomy",
        "breakouts",
        "group_size",
        "voting",
        "exit_poll",
        "agenda",
        "boards",
        "language",
    }
)
_STEP: Final = frozenset({"title", "minutes", "prompt", "where"})
_BOARDS: Final = frozenset({"main", "breakouts"})
_BOARD: Final = frozenset({"title", "prompt", "frames"})
_FRAME: Final = frozenset({"title", "x", "y", "w", "h", "category"})
_COLUMNS: Final = frozenset({"x", "y", "w", "h", "gap"})
_CARDS: Final = frozenset({"x", "y", "gap"})
_VOTING: Final = frozenset({"budget"})
_POLL: Final = frozenset({"question"})


class _Check:
    """Reads plain data field by field, collecting every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[ProtocolError] = []
        self.plain: list[str] = []
        """The paths of texts written plainly, in one language."""
        self.bilingual: list[str] = []
        """The paths of texts written in English and Welsh."""

    def add(self, code: ErrorCode, where: str, rule: str) -> None:
        self.problems.append(ProtocolError(code, where, rule))

    def mapping(self, value: object, where: str, allowed: frozenset[str]) -> Mapping[str, object] | None:
        if not isinstance(value, Mapping):
            self.add(ErrorCode.WRONG_TYPE, where, "must be a mapping of fields")
            return None
        for name in value:
            if name not in allowed:
                expected = ", ".join(sorted(allowed))
                self.add(
                    ErrorCode.UNKNOWN_FIELD, _join(where, name), f"is not a field here; expected {expected}"
                )
        return value

    def text(self, data: Mapping[str, object], name: str, where: str, limit: int) -> Bilingual | None:
        """A required text: `{en: ..., cy: ...}`, or plain text in the template's one language
        (held as the same words in both, so that every reader finds them). Which of the two a
        template uses is checked once every text has been read (`languages`)."""
        path = _join(where, name)
        value = data.get(name)
        if value is None:
            self.add(ErrorCode.MISSING_FIELD, path, "is required: some text, or {en: ..., cy: ...}")
            return None
        if isinstance(value, str):
            return self._plain_text(value, path, limit)
        if not isinstance(value, Mapping):
            self.add(
                ErrorCode.WRONG_TYPE, path, "must be some text, or English and Welsh: {en: ..., cy: ...}"
            )
            return None
        texts = self.mapping(value, path, frozenset({"en", "cy"}))
        if texts is None:
            return None
        if "en" in texts and "cy" in texts:
            self.bilingual.append(path)
        found: dict[str, str] = {}
        for lang in ("en", "cy"):
            text = texts.get(lang)
            if text is None:
                name = "Welsh" if lang == "cy" else "English"
                rule = f"is missing: give the {name} too, as {{en: ..., cy: ...}} needs both languages"
                self.add(ErrorCode.MISSING_FIELD, f"{path}.{lang}", rule)
            elif not isinstance(text, str) or not text.strip():
                self.add(ErrorCode.WRONG_TYPE, f"{path}.{lang}", "must be some text")
            elif len(text) > limit:
                self.add(ErrorCode.TOO_LONG, f"{path}.{lang}", f"must be at most {limit} characters")
            else:
                found[lang] = text.strip()
        if len(found) < 2:
            return None
        both = len(found["en"]) + len(BOTH_SEPARATOR) + len(found["cy"])
        if limit <= LIMITS.max_title_text and both > LIMITS.max_title_text:
            # A title may be shown in both languages at once (`Lang` "both"), on one frame.
            rule = f"English and Welsh together must fit in {LIMITS.max_title_text} characters"
            self.add(ErrorCode.TOO_LONG, path, rule)
            return None
        return Bilingual(found["en"], found["cy"])

    def _plain_text(self, value: str, path: str, limit: int) -> Bilingual | None:
        self.plain.append(path)
        if not value.strip():
            self.add(ErrorCode.WRONG_TYPE, path, "must be some text")
            return None
        if len(value) > limit:
            self.add(ErrorCode.TOO_LONG, path, f"must be at most {limit} characters")
            return None
        return Bilingual(value.strip(), value.strip())

    def languages(self, top: Mapping[str, object]) -> tuple[Language, ...]:
        """The template's languages: English and Welsh when every text gives both, else the
        one `language:` names. A template is one or the other: a text in one language among
        texts in two would leave Welsh readers with a board half in English, unexplained."""
        given = top.get("language")
        if given is not None and given not in LANGUAGES:
            self.add(ErrorCode.BAD_VALUE, "language", "must be en or cy")
            given = None
        if not self.bilingual:
            return ("cy",) if given == "cy" else ("en",)
        if given is not None:
            rule = "is for a template in one language; this one gives its texts in English and Welsh"
            self.add(ErrorCode.CONFLICT, "language", rule)
        example = self.bilingual[0]
        for path in self.plain:
            rule = (
                f"is in one language only, but this template gives its other texts in English and "
                f"Welsh (as {example}): write it as {{en: ..., cy: ...}}"
            )
            self.add(ErrorCode.MISSING_FIELD, path, rule)
        return LANGUAGES

    def optional_text(
        self, data: Mapping[str, object], name: str, where: str, limit: int
    ) -> Bilingual | None:
        return self.text(data, name, where, limit) if name in data else None

    def integer(
        self, data: Mapping[str, object], name: str, where: str, low: int, high: int, default: int | None
    ) -> int | None:
        path = _join(where, name)
        value = data.get(name)
        if value is None and default is not None and name not in data:
            return default
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.add(ErrorCode.OUT_OF_RANGE, path, f"must be a whole number from {low} to {high}")
            return None
        return value

    def number(
        self, data: Mapping[str, object], name: str, where: str, low: float, high: float, default: float
    ) -> float:
        path = _join(where, name)
        if name not in data:
            return default
        value = data[name]
        if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
            self.add(ErrorCode.OUT_OF_RANGE, path, f"must be a number from {low:g} to {high:g}")
            return default
        return float(value)

    def items(self, data: Mapping[str, object], name: str, where: str, most: int) -> Sequence[object]:
        path = _join(where, name)
        value = data.get(name)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add(ErrorCode.WRONG_TYPE, path, "must be a list")
            return ()
        if len(value) > most:
            self.add(ErrorCode.TOO_MANY, path, f"must have at most {most} items")
        return value[:most]


def _taxonomy(check: _Check, top: Mapping[str, object]) -> tuple[Taxonomy | None, object]:
    spec = top.get("taxonomy")
    if spec is None:
        check.add(
            ErrorCode.MISSING_FIELD, "taxonomy", "is required: a built-in key or a taxonomy of your own"
        )
        return None, None
    found = resolve(spec)
    if isinstance(found, InvalidTaxonomy):
        for error in found.errors:
            check.problems.append(
                error.under("taxonomy") if error.field else ProtocolError(error.code, "taxonomy", error.rule)
            )
        return None, spec
    return found, spec


def _step(check: _Check, item: object, where: str) -> Step | None:
    data = check.mapping(item, where, _STEP)
    if data is None:
        return None
    title = check.text(data, "title", where, LIMITS.max_title_text)
    minutes = check.integer(data, "minutes", where, 1, MAX_STEP_MINUTES, None)
    prompt = check.optional_text(data, "prompt", where, MAX_PROMPT)
    place: Where | None = None
    given = data.get("where")
    if given == "main" or given == "breakouts":
        place = given
    elif given is not None:
        check.add(ErrorCode.BAD_VALUE, _join(where, "where"), "must be main or breakouts")
    if title is None or minutes is None or ("prompt" in data and prompt is None):
        return None
    return Step(title, minutes, prompt, place)


COLUMN_W: Final = 420.0
COLUMN_H: Final = 1_600.0
COLUMN_GAP: Final = 40.0
"""A template's `columns:` defaults (docs/templates.md): one frame per category, side by side."""


def _columns(
    check: _Check, value: object, where: str, taxonomy: Taxonomy | None, board: str
) -> list[FramePlan]:
    data = check.mapping(value, where, _COLUMNS)
    if data is None:
        return []
    coord = LIMITS.max_coordinate
    x = check.number(data, "x", where, -coord, coord, 0.0)
    y = check.number(data, "y", where, -coord, coord, 0.0)
    w = check.number(data, "w", where, 1.0, LIMITS.max_extent, COLUMN_W)
    h = check.number(data, "h", where, 1.0, LIMITS.max_extent, COLUMN_H)
    gap = check.number(data, "gap", where, 0.0, LIMITS.max_extent, COLUMN_GAP)
    if taxonomy is None:
        return []
    return category_columns(taxonomy, x, y, w, h, gap)


def category_columns(
    taxonomy: Taxonomy,
    x: float,
    y: float,
    w: float = COLUMN_W,
    h: float = COLUMN_H,
    gap: float = COLUMN_GAP,
) -> list[FramePlan]:
    """A frame per category, left to right from (x, y): where notes dropped in them take
    that category."""
    return [
        FramePlan(category.label, x + i * (w + gap), y, w, h, category.key, f"tpl-c-{category.key}")
        for i, category in enumerate(taxonomy.categories)
    ]


def _cards(check: _Check, value: object, where: str, taxonomy: Taxonomy | None) -> list[CardPlan]:
    data = check.mapping(value, where, _CARDS)
    if data is None:
        return []
    coord = LIMITS.max_coordinate
    x = check.number(data, "x", where, -coord, coord, 0.0)
    y = check.number(data, "y", where, -coord, coord, 0.0)
    gap = check.number(data, "gap", where, 0.0, LIMITS.max_extent, 40.0)
    if taxonomy is None:
        return []
    return [
        CardPlan(category.key, x + i * (CARD_WIDTH + gap), y)
        for i, category in enumerate(taxonomy.categories)
    ]


def _frame(
    check: _Check, item: object, where: str, taxonomy: Taxonomy | None, index: int
) -> FramePlan | None:
    data = check.mapping(item, where, _FRAME)
    if data is None:
        return None
    coord = LIMITS.max_coordinate
    title = check.text(data, "title", where, LIMITS.max_title_text)
    x = check.number(data, "x", where, -coord, coord, 0.0)
    y = check.number(data, "y", where, -coord, coord, 0.0)
    w = check.number(data, "w", where, 1.0, LIMITS.max_extent, 800.0)
    h = check.number(data, "h", where, 1.0, LIMITS.max_extent, 600.0)
    category = data.get("category")
    if category is not None:
        if not isinstance(category, str):
            check.add(ErrorCode.WRONG_TYPE, _join(where, "category"), "must be a category key")
            category = None
        elif taxonomy is not None and taxonomy.category(category) is None:
            keys = ", ".join(taxonomy.keys)
            check.add(
                ErrorCode.NOT_FOUND, _join(where, "category"), f"'{category}' is not in the taxonomy: {keys}"
            )
            category = None
    if title is None:
        return None
    return FramePlan(title, x, y, w, h, category, f"tpl-f{index}")


def _board(
    check: _Check, value: object, where: str, taxonomy: Taxonomy | None, numbered: bool
) -> BoardPlan | None:
    data = check.mapping(value, where, _BOARD)
    if data is None:
        return None
    title = check.text(data, "title", where, LIMITS.max_title_text)
    if (
        title is not None
        and numbered
        and not all(NUMBER_PLACEHOLDER in t for t in (title.en, title.cy or ""))
    ):
        rule = f"a breakout board's title must show its number: put {NUMBER_PLACEHOLDER} in both languages"
        check.add(ErrorCode.BAD_VALUE, _join(where, "title"), rule)
    prompt = check.optional_text(data, "prompt", where, MAX_PROMPT)
    frames: list[FramePlan] = []
    cards: list[CardPlan] = []
    columns_seen = cards_seen = False
    for i, item in enumerate(check.items(data, "frames", where, MAX_FRAMES)):
        path = f"{_join(where, 'frames')}[{i}]"
        if isinstance(item, Mapping) and "columns" in item:
            if len(item) > 1:
                check.add(
                    ErrorCode.UNKNOWN_FIELD, path, "columns: stands alone; put its x, y, w, h, gap inside it"
                )
            if columns_seen:
                check.add(ErrorCode.CONFLICT, path, "a board has one set of category columns")
            columns_seen = True
            frames += _columns(check, item["columns"], _join(path, "columns"), taxonomy, where)
        elif isinstance(item, Mapping) and "definitions" in item:
            if len(item) > 1:
                check.add(
                    ErrorCode.UNKNOWN_FIELD, path, "definitions: stands alone; put its x, y, gap inside it"
                )
            if cards_seen:
                check.add(ErrorCode.CONFLICT, path, "a board has one set of definition cards")
            cards_seen = True
            cards += _cards(check, item["definitions"], _join(path, "definitions"), taxonomy)
        else:
            frame = _frame(check, item, path, taxonomy, i)
            if frame is not None:
                frames.append(frame)
    if title is None or ("prompt" in data and prompt is None):
        return None
    return BoardPlan(title, prompt, tuple(frames), tuple(cards))


def check_plan(data: object, key: str) -> Plan | tuple[ProtocolError, ...]:
    """A plan from a template's plain data, or every problem with its path."""
    check = _Check()
    if not KEY_PATTERN.match(key):
        check.add(
            ErrorCode.BAD_FORMAT, "", "a template's file name must be lower-case letters, digits and '-'"
        )
    top = check.mapping(data, "", _TOP)
    if top is None:
        return tuple(check.problems)
    title = check.text(top, "title", "", LIMITS.max_title_text)
    purpose, use = _purpose_and_use(check, top)
    audience = check.optional_text(top, "audience", "", MAX_AUDIENCE)
    contact = _contact(check, top)
    taxonomy, spec = _taxonomy(check, top)
    breakouts = check.integer(top, "breakouts", "", 0, LIMITS.max_boards, 0)
    group_size = check.integer(top, "group_size", "", MIN_GROUP_SIZE, MAX_GROUP_SIZE, 2)
    budget = _vote_budget(check, top)
    question = _poll_question(check, top)
    steps_data = check.items(top, "agenda", "", MAX_STEPS)
    if not steps_data:
        check.add(ErrorCode.MISSING_FIELD, "agenda", "needs at least one step")
    steps = [_step(check, item, f"agenda[{i}]") for i, item in enumerate(steps_data)]
    main, breakout = _boards(check, top, taxonomy)
    languages = check.languages(top)
    if check.problems:
        return tuple(check.problems)
    # No problem means every part was read (each None above came with a problem).
    assert title is not None
    assert purpose is not None
    assert taxonomy is not None
    assert question is not None
    assert main is not None
    assert breakout is not None
    assert breakouts is not None
    assert group_size is not None
    assert budget is not None
    return Plan(
        key=key,
        title=title,
        purpose=purpose,
        taxonomy=taxonomy,
        taxonomy_spec=spec,
        agenda=tuple(step for step in steps if step is not None),
        main=main,
        breakout=breakout,
        poll_question=question,
        breakouts=breakouts,
        group_size=group_size,
        vote_budget=budget,
        use=use,
        audience=audience,
        contact=contact,
        languages=languages,
    )


def _purpose_and_use(check: _Check, top: Mapping[str, object]) -> tuple[Bilingual | None, Bilingual | None]:
    """The purpose, and what the words will be used for: shown together, so they share one
    length limit in each language."""
    purpose = check.text(top, "purpose", "", MAX_PURPOSE)
    use = check.optional_text(top, "use", "", MAX_PURPOSE)
    if purpose is not None and use is not None:
        for lang in ("en", "cy"):
            length = len(purpose.text(lang)) + len(USE_SEPARATOR) + len(use.text(lang))
            if length > MAX_PURPOSE:
                rule = f"purpose and use together must fit in {MAX_PURPOSE} characters"
                check.add(ErrorCode.TOO_LONG, f"use.{lang}", rule)
                break
    return purpose, use


def _vote_budget(check: _Check, top: Mapping[str, object]) -> int | None:
    if "voting" not in top:
        return 3
    voting = check.mapping(top["voting"], "voting", _VOTING)
    return None if voting is None else check.integer(voting, "budget", "voting", 0, LIMITS.max_vote_budget, 3)


def _poll_question(check: _Check, top: Mapping[str, object]) -> Bilingual | None:
    if "exit_poll" not in top:
        check.add(ErrorCode.MISSING_FIELD, "exit_poll", "is required: {question: {en: ..., cy: ...}}")
        return None
    poll = check.mapping(top.get("exit_poll"), "exit_poll", _POLL)
    return None if poll is None else check.text(poll, "question", "exit_poll", LIMITS.max_title_text)


def _boards(
    check: _Check, top: Mapping[str, object], taxonomy: Taxonomy | None
) -> tuple[BoardPlan | None, BoardPlan | None]:
    """The main board's plan and the breakout boards' (a plain "Board N" when not given)."""
    if "boards" not in top:
        check.add(ErrorCode.MISSING_FIELD, "boards", "is required, with at least main:")
        return None, None
    boards = check.mapping(top.get("boards"), "boards", _BOARDS)
    if boards is None:
        return None, None
    main = None
    if "main" not in boards:
        check.add(ErrorCode.MISSING_FIELD, "boards.main", "is required")
    else:
        main = _board(check, boards["main"], "boards.main", taxonomy, numbered=False)
    if "breakouts" not in boards:
        return main, BoardPlan(Bilingual("Board {number}", "Bwrdd {number}"))
    return main, _board(check, boards["breakouts"], "boards.breakouts", taxonomy, numbered=True)


def _contact(check: _Check, top: Mapping[str, object]) -> str:
    """Who to ask: one line, the same in both languages (an address or a number); may be
    empty, for the facilitator to fill in."""
    value = top.get("contact")
    if value is None:
        return ""
    if not isinstance(value, str) or "\n" in value.strip():
        rule = "must be one line of text: an e-mail address, phone or web page"
        check.add(ErrorCode.WRONG_TYPE, "contact", rule)
        return ""
    if len(value.strip()) > MAX_CONTACT:
        check.add(ErrorCode.TOO_LONG, "contact", f"must be at most {MAX_CONTACT} characters")
        return ""
    return value.strip()


def parse_template(text: str, file: str, key: str) -> Plan | InvalidTemplate:
    """A template's YAML text (from `file`, named `key`) as a plan, or every problem in it
    with its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        rule = f"this is not valid YAML: {error.problem or error.context}"
        return InvalidTemplate((TemplateProblem(file, line, "", rule, ErrorCode.BAD_FORMAT),))
    except yaml.YAMLError as error:
        return InvalidTemplate((TemplateProblem(file, None, "", f"this is not valid YAML: {error}"),))
    if root is None:
        return InvalidTemplate(
            (TemplateProblem(file, None, "", "the template is empty", ErrorCode.MISSING_FIELD),)
        )
    lines = _Lines()
    reading: list[ProtocolError] = []
    try:
        data = _plain(root, "", lines, SafeConstructor(), reading)
    except _TooBig:
        rule = f"the template is too large (more than {MAX_NODES} values once aliases are expanded)"
        return InvalidTemplate((TemplateProblem(file, None, "", rule, ErrorCode.TOO_LARGE),))
    checked = check_plan(data, key)
    problems = [*reading, *(checked if isinstance(checked, tuple) else ())]
    if problems:
        found = [TemplateProblem(file, lines.of(p.field), p.field, p.rule, p.code) for p in problems]
        found.sort(key=lambda problem: problem.line or 0)
        return InvalidTemplate(tuple(found))
    assert isinstance(checked, Plan)
    return checked
