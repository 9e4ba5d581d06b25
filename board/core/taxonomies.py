"""Engagement taxonomies: the ordered category systems a note can be sorted into.

A taxonomy is an ordered list of categories, each with a stable key (the `CategoryKey` a note
or a frame carries, `model.py`), a label and a one-line description in English and Welsh, the
example methods its source lists, and extra keywords used only to suggest a category for a
note (`categorise.py`). Categories run from least to most involvement, the way every source
draws them, so "left to right" on a board and "top to bottom" in a report mean the same thing.

Four are built in (DESIGN.md §5), keyed `wakefield`, `coproduction`, `arnstein` and `iap2`;
a template may define its own as plain data (`taxonomy_from_data`), which is checked field by
field and answered with errors that name the field, never with an exception.

Welsh: labels use the established Welsh terms where there are some (grymuso, cyfranogiad,
cyd-gynhyrchu, ymgynghori, partneriaeth). Lines marked `# cy: check` are our own translations
and should be read by a Welsh speaker before they are relied on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS

KEY_PATTERN: Final = re.compile(r"^[a-z0-9_-]+$")
"""The pattern of taxonomy, category and group keys: the board model's `CategoryKey`."""
MAX_KEY: Final = LIMITS.max_category_key
"""Characters in a key (64), the bound a note's `category` is held to."""
MAX_CATEGORIES: Final = 24
"""Categories in one taxonomy. The largest source has eight; 24 still fits as frames on a board."""
MAX_GROUPS: Final = 8
MAX_LABEL: Final = 80
"""Characters in a label or name: it heads a column on the board and a section of the report."""
MAX_DESCRIPTION: Final = 300
"""Characters in a description: one line under a label, not a paragraph."""
MAX_EXAMPLES: Final = 60
"""Example methods, and separately keywords, per category."""
MAX_EXAMPLE: Final = 120
"""Characters in one example method or keyword."""


@dataclass(frozen=True, slots=True)
class Bilingual:
    """A text in English and Welsh. `cy` is None only in a template's own taxonomy that gives no
    Welsh; readers then fall back to English (`text`)."""

    en: str
    cy: str | None = None

    def text(self, lang: str = "en") -> str:
        return self.cy if lang == "cy" and self.cy else self.en


@dataclass(frozen=True, slots=True)
class Group:
    """A band of neighbouring categories, e.g. "doing with" on the co-production spectrum."""

    key: str
    label: Bilingual
    description: Bilingual = Bilingual("")


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label: Bilingual
    description: Bilingual
    examples: tuple[str, ...] = ()
    """Example methods as the source lists them; shown to people and matched against notes."""
    keywords: tuple[str, ...] = ()
    """More words and phrases that point to this category; matched, never shown as examples."""
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Taxonomy:
    key: str
    name: Bilingual
    categories: tuple[Category, ...]
    description: Bilingual = Bilingual("")
    groups: tuple[Group, ...] = ()
    source: str = ""
    """Where the categories come from, for the record's reader."""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(category.key for category in self.categories)

    def category(self, key: str | None) -> Category | None:
        """The category with this key, or None (also for a key from another taxonomy)."""
        return next((category for category in self.categories if category.key == key), None)

    def index(self, key: str) -> int:
        """The category's position (0 = least involvement); len(categories) for an unknown key,
        so that sorting by it puts unknown and uncategorised things last."""
        return next((i for i, c in enumerate(self.categories) if c.key == key), len(self.categories))

    def in_group(self, group: str) -> tuple[Category, ...]:
        return tuple(category for category in self.categories if category.group == group)


@dataclass(frozen=True, slots=True)
class InvalidTaxonomy:
    """A taxonomy that could not be built: every problem found, each naming its field as a
    dotted path (`categories[2].label.cy`), in the order of the data."""

    errors: tuple[ProtocolError, ...]

    def __str__(self) -> str:
        return "; ".join(str(error) for error in self.errors)


# --- checking ---------------------------------------------------------------------------------


def check(taxonomy: Taxonomy) -> tuple[ProtocolError, ...]:
    """Every rule a taxonomy must keep, built in or not: keys well formed and unique, texts
    present and one line, each category's group declared. Empty when all is well."""
    errors: list[ProtocolError] = []
    _check_key(taxonomy.key, "key", errors)
    _check_text(taxonomy.name, "name", MAX_LABEL, errors, required=True)
    _check_text(taxonomy.description, "description", MAX_DESCRIPTION, errors, required=False)
    _check_counts(len(taxonomy.categories), len(taxonomy.groups), errors)
    groups = [(f"groups[{i}]", group) for i, group in enumerate(taxonomy.groups)]
    for where, group in groups:
        _check_group(group, where, errors)
    _check_unique([(where, group.key) for where, group in groups], errors)
    group_keys = frozenset(group.key for group in taxonomy.groups)
    categories = [(f"categories[{i}]", category) for i, category in enumerate(taxonomy.categories)]
    for where, category in categories:
        _check_category(category, where, group_keys, errors)
    _check_unique([(where, category.key) for where, category in categories], errors)
    return tuple(errors)


def _check_counts(categories: int, groups: int, errors: list[ProtocolError]) -> None:
    if categories == 0:
        errors.append(ProtocolError(ErrorCode.TOO_SHORT, "categories", "must have at least 1 category"))
    if categories > MAX_CATEGORIES:
        rule = f"must have at most {MAX_CATEGORIES} categories"
        errors.append(ProtocolError(ErrorCode.TOO_MANY, "categories", rule))
    if groups > MAX_GROUPS:
        errors.append(ProtocolError(ErrorCode.TOO_MANY, "groups", f"must have at most {MAX_GROUPS} groups"))


def _check_group(group: Group, where: str, errors: list[ProtocolError]) -> None:
    _check_key(group.key, f"{where}.key", errors)
    _check_text(group.label, f"{where}.label", MAX_LABEL, errors, required=True)
    _check_text(group.description, f"{where}.description", MAX_DESCRIPTION, errors, required=False)


def _check_category(
    category: Category, where: str, group_keys: frozenset[str] | None, errors: list[ProtocolError]
) -> None:
    """`group_keys` None: the groups could not all be read, so membership is not judged."""
    _check_key(category.key, f"{where}.key", errors)
    _check_text(category.label, f"{where}.label", MAX_LABEL, errors, required=True)
    _check_text(category.description, f"{where}.description", MAX_DESCRIPTION, errors, required=False)
    for name, items in (("examples", category.examples), ("keywords", category.keywords)):
        if len(items) > MAX_EXAMPLES:
            rule = f"must have at most {MAX_EXAMPLES} items"
            errors.append(ProtocolError(ErrorCode.TOO_MANY, f"{where}.{name}", rule))
        for j, item in enumerate(items):
            _check_line(item, f"{where}.{name}[{j}]", MAX_EXAMPLE, errors, required=True)
    if category.group is not None and group_keys is not None and category.group not in group_keys:
        rule = f"'{category.group}' is not one of the groups"
        errors.append(ProtocolError(ErrorCode.NOT_FOUND, f"{where}.group", rule))


def _check_unique(keys: list[tuple[str, str]], errors: list[ProtocolError]) -> None:
    seen: set[str] = set()
    for where, key in keys:
        if key in seen:
            errors.append(ProtocolError(ErrorCode.CONFLICT, f"{where}.key", f"'{key}' is used twice"))
        seen.add(key)


def _check_key(key: str, where: str, errors: list[ProtocolError]) -> None:
    if not key:
        errors.append(ProtocolError(ErrorCode.TOO_SHORT, where, "must not be empty"))
    elif len(key) > MAX_KEY:
        errors.append(ProtocolError(ErrorCode.TOO_LONG, where, f"must be at most {MAX_KEY} characters"))
    elif not KEY_PATTERN.match(key):
        rule = "may contain only lower-case letters, digits, '_' and '-'"
        errors.append(ProtocolError(ErrorCode.BAD_FORMAT, where, rule))


def _check_text(
    text: Bilingual, where: str, limit: int, errors: list[ProtocolError], *, required: bool
) -> None:
    _check_line(text.en, f"{where}.en", limit, errors, required=required)
    if text.cy is not None:
        _check_line(text.cy, f"{where}.cy", limit, errors, required=required)


def _check_line(text: str, where: str, limit: int, errors: list[ProtocolError], *, required: bool) -> None:
    if required and not text.strip():
        errors.append(ProtocolError(ErrorCode.TOO_SHORT, where, "must not be empty"))
    elif len(text) > limit:
        errors.append(ProtocolError(ErrorCode.TOO_LONG, where, f"must be at most {limit} characters"))
    elif "\n" in text or "\r" in text:
        errors.append(ProtocolError(ErrorCode.BAD_FORMAT, where, "must be one line"))


# --- from plain data (templates) ----------------------------------------------------------------

_TAXONOMY_FIELDS: Final = frozenset({"key", "name", "description", "source", "groups", "categories"})
_GROUP_FIELDS: Final = frozenset({"key", "label", "description"})
_CATEGORY_FIELDS: Final = frozenset({"key", "label", "description", "examples", "keywords", "group"})


class _Reader:
    """Reads plain data field by field, collecting every problem (with its path) on the way."""

    def __init__(self) -> None:
        self.errors: list[ProtocolError] = []

    def add(self, code: ErrorCode, field: str, rule: str) -> None:
        self.errors.append(ProtocolError(code, field, rule))

    def mapping(self, value: object, where: str, allowed: frozenset[str]) -> Mapping[str, object] | None:
        if not isinstance(value, Mapping):
            self.add(ErrorCode.WRONG_TYPE, where, "must be a mapping")
            return None
        for name in sorted(str(k) for k in value if k not in allowed):
            expected = ", ".join(sorted(allowed))
            self.add(
                ErrorCode.UNKNOWN_FIELD, _join(where, name), f"is not a field; expected one of {expected}"
            )
        return value

    def string(self, data: Mapping[str, object], name: str, where: str, *, required: bool) -> str | None:
        value = data.get(name)
        if value is None:
            if required:
                self.add(ErrorCode.MISSING_FIELD, _join(where, name), "is required")
            return None
        if not isinstance(value, str):
            self.add(ErrorCode.WRONG_TYPE, _join(where, name), "must be text")
            return None
        return value

    def bilingual(
        self, data: Mapping[str, object], name: str, where: str, *, required: bool
    ) -> Bilingual | None:
        """Either plain text (English only) or a mapping `{en: ..., cy: ...}`; an optional text
        that is absent reads as empty."""
        value = data.get(name)
        path = _join(where, name)
        if value is None:
            if required:
                self.add(ErrorCode.MISSING_FIELD, path, "is required")
                return None
            return Bilingual("")
        if isinstance(value, str):
            return Bilingual(value)
        texts = self.mapping(value, path, frozenset({"en", "cy"}))
        if texts is None:
            return None
        en = self.string(texts, "en", path, required=True)
        cy = self.string(texts, "cy", path, required=False)
        return None if en is None else Bilingual(en, cy)

    def strings(self, data: Mapping[str, object], name: str, where: str) -> tuple[str, ...] | None:
        items = self.items(data, name, where)
        if items is None:
            return None
        texts: list[str] = []
        for i, item in enumerate(items):
            if isinstance(item, str):
                texts.append(item)
            else:
                self.add(ErrorCode.WRONG_TYPE, f"{_join(where, name)}[{i}]", "must be text")
        return tuple(texts) if len(texts) == len(items) else None

    def items(self, data: Mapping[str, object], name: str, where: str) -> Sequence[object] | None:
        """A list field: () when absent, None (with an error) when not a list."""
        value = data.get(name)
        if value is None:
            return ()
        if isinstance(value, str) or not isinstance(value, Sequence):
            self.add(ErrorCode.WRONG_TYPE, _join(where, name), "must be a list")
            return None
        return value

    def group(self, item: object, where: str) -> Group | None:
        fields = self.mapping(item, where, _GROUP_FIELDS)
        if fields is None:
            return None
        key = self.string(fields, "key", where, required=True)
        label = self.bilingual(fields, "label", where, required=True)
        description = self.bilingual(fields, "description", where, required=False)
        if key is None or label is None or description is None:
            return None
        return Group(key, label, description)

    def category(self, item: object, where: str) -> Category | None:
        fields = self.mapping(item, where, _CATEGORY_FIELDS)
        if fields is None:
            return None
        key = self.string(fields, "key", where, required=True)
        label = self.bilingual(fields, "label", where, required=True)
        description = self.bilingual(fields, "description", where, required=False)
        examples = self.strings(fields, "examples", where)
        keywords = self.strings(fields, "keywords", where)
        group = self.string(fields, "group", where, required=False)
        if key is None or label is None or description is None or examples is None or keywords is None:
            return None
        if group is None and fields.get("group") is not None:
            return None
        return Category(key, label, description, examples, keywords, group)


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def taxonomy_from_data(data: object) -> Taxonomy | InvalidTaxonomy:
    """A taxonomy from plain data, as a template in `sessions/` writes it::

        key: our_stages
        name: {en: Our stages, cy: Ein camau}      # or plain text: English only
        description: ...                            # optional
        source: ...                                 # optional
        groups: [{key: early, label: Early}]        # optional
        categories:
          - key: listening
            label: {en: Listening, cy: Gwrando}
            description: ...                        # optional
            examples: [drop-in sessions]            # optional; shown and matched
            keywords: [listening event]             # optional; matched only
            group: early                            # optional; one of the groups

    Unknown fields are refused (a misspelt `exmaples` would otherwise silently do nothing).
    The answer is a `Taxonomy`, or an `InvalidTaxonomy` listing every problem, each with its
    path in the data, in the order of the data; a problem that only follows from another one
    (a category's group when the groups could not be read) is not reported twice.
    """
    read = _Reader()
    top = read.mapping(data, "", _TAXONOMY_FIELDS)
    if top is None:
        return InvalidTaxonomy(tuple(read.errors))
    key = read.string(top, "key", "", required=True)
    if key is not None:
        _check_key(key, "key", read.errors)
    name = read.bilingual(top, "name", "", required=True)
    if name is not None:
        _check_text(name, "name", MAX_LABEL, read.errors, required=True)
    description = read.bilingual(top, "description", "", required=False)
    if description is not None:
        _check_text(description, "description", MAX_DESCRIPTION, read.errors, required=False)
    source = read.string(top, "source", "", required=False)

    groups, group_keys, groups_given = _groups(read, top)
    categories, categories_given = _categories(read, top, group_keys)
    if categories_given is not None and "categories" in top:
        _check_counts(categories_given, groups_given, read.errors)

    if read.errors or key is None or name is None or description is None:
        return InvalidTaxonomy(tuple(read.errors))
    return Taxonomy(
        key=key,
        name=name,
        categories=tuple(categories),
        description=description,
        groups=tuple(groups),
        source=source or "",
    )


def _groups(read: _Reader, top: Mapping[str, object]) -> tuple[list[Group], frozenset[str] | None, int]:
    """The taxonomy's groups; their keys when every group could be read (a category's group is
    checked against them only then, so a problem is not reported twice); how many were given."""
    raw = read.items(top, "groups", "")
    groups: list[tuple[str, Group]] = []
    for i, item in enumerate(raw or ()):
        group = read.group(item, f"groups[{i}]")
        if group is not None:
            _check_group(group, f"groups[{i}]", read.errors)
            groups.append((f"groups[{i}]", group))
    _check_unique([(where, group.key) for where, group in groups], read.errors)
    all_read = raw is not None and len(groups) == len(raw)
    keys = frozenset(group.key for _, group in groups) if all_read else None
    return [group for _, group in groups], keys, len(raw or ())


def _categories(
    read: _Reader, top: Mapping[str, object], group_keys: frozenset[str] | None
) -> tuple[list[Category], int | None]:
    """The taxonomy's categories, and how many were given (None when not a list)."""
    if "categories" not in top:
        read.add(ErrorCode.MISSING_FIELD, "categories", "is required")
    raw = read.items(top, "categories", "")
    categories: list[tuple[str, Category]] = []
    for i, item in enumerate(raw or ()):
        category = read.category(item, f"categories[{i}]")
        if category is not None:
            _check_category(category, f"categories[{i}]", group_keys, read.errors)
            categories.append((f"categories[{i}]", category))
    _check_unique([(where, category.key) for where, category in categories], read.errors)
    return [category for _, category in categories], None if raw is None else len(raw)


def resolve(spec: object) -> Taxonomy | InvalidTaxonomy:
    """What a template's `taxonomy:` field names: a built-in key (`wakefield`) or a whole
    taxonomy as plain data."""
    if isinstance(spec, str):
        found = BUILT_IN.get(spec)
        if found is not None:
            return found
        rule = f"'{spec}' is not a built-in taxonomy; expected one of {', '.join(BUILT_IN)}"
        return InvalidTaxonomy((ProtocolError(ErrorCode.NOT_FOUND, "", rule),))
    return taxonomy_from_data(spec)


# --- built in -----------------------------------------------------------------------------------


def _c(
    key: str,
    en: str,
    cy: str,
    description_en: str,
    description_cy: str,
    examples: tuple[str, ...],
    keywords: tuple[str, ...],
    group: str | None = None,
) -> Category:
    return Category(
        key, Bilingual(en, cy), Bilingual(description_en, description_cy), examples, keywords, group
    )


WAKEFIELD: Final = Taxonomy(
    key="wakefield",
    name=Bilingual(
        "Wakefield continuum of community engagement",
        "Continwwm ymgysylltu cymunedol Wakefield",  # cy: check
    ),
    description=Bilingual(
        "Six levels from minimum to maximum involvement, with the example methods the strategy lists.",
        # cy: check
        "Chwe lefel o'r ymwneud lleiaf i'r ymwneud mwyaf, gyda'r "
        "dulliau enghreifftiol a restrir yn y strategaeth.",
    ),
    source="Wakefield Together Partnership, Community Engagement Strategy: continuum of community engagement",
    categories=(
        _c(
            "giving_information",
            "Giving Information",
            "Rhoi Gwybodaeth",
            "Telling people about a service, plan or decision: information flows one way, to the public.",
            # cy: check
            "Dweud wrth bobl am wasanaeth, cynllun neu benderfyniad: mae'r "
            "wybodaeth yn llifo un ffordd, at y cyhoedd.",
            (
                "Exhibitions",
                "Leaflets & written documentation/publications",
                "The Media",
                "Web-based information",
                "SMS text",
                "Annual Report",
            ),
            (
                "exhibition",
                "display",
                "leaflet",
                "flyer",
                "poster",
                "newsletter",
                "written documentation",
                "publication",
                "media",
                "press release",
                "website",
                "web page",
                "social media post",
                "text message",
                "annual report",
                "information stand",
                "briefing",
                "arddangosfa",  # exhibition
                "taflen",  # leaflet
                "gwefan",  # website
                "cylchlythyr",  # newsletter
                "adroddiad blynyddol",  # annual report
            ),
        ),
        _c(
            "getting_information",
            "Getting Information",
            "Casglu Gwybodaeth",  # cy: check ("cael gwybodaeth" is the literal "getting")
            "Asking people for their views, needs or experience and collecting what they say.",
            # cy: check
            "Gofyn i bobl am eu barn, eu hanghenion neu eu profiad, a chasglu'r hyn maen nhw'n ei ddweud.",
            (
                "Citizens Panels",
                "Open Surgeries",
                "Radio or live phone-in",
                "Questionnaires",
                "1:1 Interviews",
                "Surveys",
                "SMS text",
                "Market Research",
                "Audits",
                "Complaints and compliments",
            ),
            (
                "citizens panel",
                "open surgery",
                "radio phone-in",
                "phone-in",
                "questionnaire",
                "interview",
                "survey",
                "satisfaction survey",
                "poll",
                "feedback form",
                "market research",
                "audit",
                "complaint",
                "compliment",
                "consultation",
                "arolwg",  # survey
                "holiadur",  # questionnaire
                "cyfweliad",  # interview
                "ymgynghoriad",  # a consultation
            ),
        ),
        _c(
            "forums_for_debate",
            "Forums for Debate",
            "Fforymau Trafod",
            "Bringing people together to discuss an issue and hear each other's views.",
            "Dod â phobl ynghyd i drafod mater a gwrando ar safbwyntiau ei gilydd.",  # cy: check
            (
                "Focus Groups",
                "Meetings with client groups",
                "Public meetings",
                "Seminars",
                "Stakeholder events",
                "Blogs",
            ),
            (
                "focus group",
                "client group",
                "public meeting",
                "community meeting",
                "town hall meeting",
                "seminar",
                "webinar",
                "stakeholder event",
                "stakeholder workshop",
                "blog",
                "discussion forum",
                "debate",
                "grŵp ffocws",  # focus group
                "cyfarfod cyhoeddus",  # public meeting
                "fforwm",  # forum
            ),
        ),
        _c(
            "participation",
            "Participation",
            "Cyfranogiad",
            "People take an active part in looking at a service or issue and shaping what happens.",
            # cy: check
            "Pobl yn cymryd rhan weithredol wrth edrych ar wasanaeth neu fater a llunio'r hyn sy'n digwydd.",
            (
                "Citizen juries",
                "Expert panels",
                "Client shadowing",
                "Mystery shopping",
                "Story telling",
                "E-panels",
                "Co-design/ co-production",
            ),
            (
                "citizen jury",
                "citizens assembly",
                "sortition",
                "expert panel",
                "shadowing",
                "mystery shopping",
                "mystery shopper",
                "storytelling",
                "e-panel",
                "online panel",
                "co-design",
                "co-production",
                "co-produced",
                "rheithgor dinasyddion",  # citizens' jury
                "cynulliad dinasyddion",  # citizens' assembly
                "siopa cudd",  # mystery shopping
                "adrodd straeon",  # storytelling
                "cyd-ddylunio",  # co-design
                "cyd-gynhyrchu",  # co-production
            ),
        ),
        _c(
            "partnership",
            "Partnership",
            "Partneriaeth",
            "Communities and organisations plan and decide together in standing groups and networks.",
            # cy: check
            "Cymunedau a sefydliadau'n cynllunio ac yn penderfynu gyda'i "
            "gilydd mewn grwpiau a rhwydweithiau sefydlog.",
            (
                "Strategic partnership groups",
                "Large group processes",
                "Local involvement networks",
                "Overview & scrutiny committees",
            ),
            (
                "partnership",
                "partnership board",
                "large group process",
                "involvement network",
                "scrutiny committee",
                "overview and scrutiny",
                "steering group",
                "advisory group",
                "partneriaeth",  # partnership
                "pwyllgor craffu",  # scrutiny committee
                "grŵp llywio",  # steering group
            ),
        ),
        _c(
            "empowerment",
            "Empowerment",
            "Grymuso",
            "Communities hold the resources and the power to decide, and act on their own priorities.",
            # cy: check
            "Mae gan gymunedau'r adnoddau a'r grym i benderfynu, ac maen "
            "nhw'n gweithredu ar eu blaenoriaethau eu hunain.",
            (
                "Community development",
                "Participatory Research",
                "Planning for Real",
                "Community Champions",
                "Participatory Budgeting",
            ),
            (
                "community development",
                "participatory research",
                "community researcher",
                "planning for real",
                "community champion",
                "participatory budgeting",
                "participatory budget",
                "community asset transfer",
                "asset based community development",
                "devolved budget",
                "datblygu cymunedol",  # community development
                "ymchwil cyfranogol",  # participatory research
                "cyllidebu cyfranogol",  # participatory budgeting
                "hyrwyddwyr cymunedol",  # community champions; cy: check
            ),
        ),
    ),
)

COPRODUCTION: Final = Taxonomy(
    key="coproduction",
    name=Bilingual(
        "Spectrum of engagement (co-production)", "Sbectrwm ymgysylltu (cyd-gynhyrchu)"
    ),  # cy: check
    description=Bilingual(
        "Eight kinds of interaction, from doing to people, through doing for them, to doing with them.",
        "Wyth math o ryngweithio, o wneud i bobl, drwy wneud dros bobl, i wneud gyda phobl.",  # cy: check
    ),
    source="Co-production Network for Wales: a spectrum of engagement",
    groups=(
        Group(
            "doing_to",
            Bilingual("Doing to", "Gwneud i bobl"),  # cy: check
            Bilingual(
                "The organisation has the knowledge, makes the decisions and enforces them.",
                # cy: check
                "Y sefydliad sydd â'r wybodaeth, sy'n gwneud y penderfyniadau ac sy'n eu gorfodi.",
            ),
        ),
        Group(
            "doing_for",
            Bilingual("Doing for", "Gwneud dros bobl"),  # cy: check
            Bilingual(
                "The organisation listens to people's knowledge, then makes and enacts the decisions.",
                # cy: check
                "Mae'r sefydliad yn gwrando ar wybodaeth pobl, ac yna'n "
                "gwneud y penderfyniadau a'u gweithredu.",
            ),
        ),
        Group(
            "doing_with",
            Bilingual("Doing with", "Gwneud gyda phobl"),  # cy: check
            Bilingual(
                "The organisation and the people listen to each other, decide together and act together.",
                # cy: check
                "Mae'r sefydliad a'r bobl yn gwrando ar ei gilydd, yn penderfynu "
                "gyda'i gilydd ac yn gweithredu gyda'i gilydd.",
            ),
        ),
    ),
    categories=(
        _c(
            "coercion",
            "Coercion",
            "Gorfodaeth",
            "Acting on people, with or without their agreement: we have "
            "a duty to act to ensure people's safety.",
            # cy: check
            "Gweithredu ar bobl, gyda'u cytundeb neu hebddo: mae dyletswydd "
            "arnom i weithredu i sicrhau diogelwch pobl.",
            ("Criminal justice",),
            ("criminal justice", "enforcement", "penalty notice", "court order", "cyfiawnder troseddol"),
            "doing_to",
        ),
        _c(
            "protection",
            "Protection",
            "Amddiffyn",
            "Stepping in to keep people who are at risk safe.",
            "Camu i mewn i gadw pobl sydd mewn perygl yn ddiogel.",  # cy: check
            ("Safeguarding",),
            ("safeguarding", "child protection", "adult protection", "welfare check", "diogelu"),
            "doing_to",
        ),
        _c(
            "education",
            "Education",
            "Addysg",
            "Teaching people what the organisation believes they need to know.",
            "Dysgu i bobl yr hyn y mae'r sefydliad yn credu sydd angen iddyn nhw ei wybod.",  # cy: check
            (),
            (
                "health education",
                "education programme",
                "training course",
                "awareness course",
                "lesson",
                "addysg",
            ),
            "doing_to",
        ),
        _c(
            "persuasion",
            "Persuasion",
            "Perswâd",  # cy: check
            "Getting people to change what they do: we know what people "
            "need to do, we need to get them to do it.",
            # cy: check
            "Cael pobl i newid yr hyn maen nhw'n ei wneud: rydym yn gwybod beth sydd angen i bobl ei wneud.",
            ("Smoking cessation programmes",),
            ("smoking cessation", "stop smoking", "behaviour change", "campaign", "nudge", "ymgyrch"),
            "doing_to",
        ),
        _c(
            "information",
            "Information",
            "Gwybodaeth",
            "We provide information where, when and how people need it.",
            "Rydym yn darparu gwybodaeth lle, pryd a sut mae ei hangen ar bobl.",  # cy: check
            ("Council website info on bin collections",),
            (
                "website",
                "bin collection",
                "leaflet",
                "newsletter",
                "poster",
                "press release",
                "social media",
                "noticeboard",
                "information",
                "gwefan",
                "taflen",
                "cylchlythyr",
            ),
            "doing_for",
        ),
        _c(
            "consultation",
            "Consultation",
            "Ymgynghori",
            "We decide what questions to ask, and collect data to inform our decisions.",
            # cy: check
            "Rydym yn penderfynu pa gwestiynau i'w gofyn, ac yn casglu data i lywio ein penderfyniadau.",
            ("Surveys", "Urban planning", "FixMyStreet", "Crowdsourcing map"),
            (
                "survey",
                "questionnaire",
                "consultation",
                "planning application",
                "fix my street",
                "poll",
                "feedback form",
                "arolwg",
                "holiadur",
                "ymgynghoriad",
            ),
            "doing_for",
        ),
        _c(
            "participation",
            "Participation",
            "Cyfranogiad",
            "We listen to people's lived experience, to inform our thinking and decisions.",
            "Rydym yn gwrando ar brofiad bywyd pobl, i lywio ein meddwl a'n penderfyniadau.",  # cy: check
            ("Drop-in events", "Focus groups"),
            (
                "drop-in",
                "focus group",
                "listening event",
                "lived experience",
                "user panel",
                "sesiwn galw heibio",  # drop-in session
                "grŵp ffocws",  # focus group
            ),
            "doing_for",
        ),
        _c(
            "co_production",
            "Co-production",
            "Cyd-gynhyrchu",
            "We listen to each other's experience and share ours, with equal power in making decisions.",
            # cy: check
            "Rydym yn gwrando ar brofiad ein gilydd ac yn rhannu ein profiad "
            "ni, gyda grym cyfartal wrth wneud penderfyniadau.",
            ("Person-centred care", "Shared decision making", "Co-design workshop"),
            (
                "co-production",
                "co-produced",
                "co-design",
                "person-centred",
                "shared decision",
                "cyd-gynhyrchu",
                "cyd-ddylunio",
            ),
            "doing_with",
        ),
    ),
)

ARNSTEIN: Final = Taxonomy(
    key="arnstein",
    name=Bilingual(
        "Arnstein's ladder of citizen participation", "Ysgol cyfranogiad dinasyddion Arnstein"
    ),  # cy: check
    description=Bilingual(
        "Eight rungs from manipulation to citizen control, in three "
        "bands: non-participation, tokenism, citizen power.",
        # cy: check
        "Wyth gris o ystrywio i reolaeth gan ddinasyddion, mewn tri band: "
        "dim cyfranogiad, tocenistiaeth, grym dinasyddion.",
    ),
    source="Sherry R. Arnstein, A Ladder of Citizen Participation (1969)",
    groups=(
        Group("non_participation", Bilingual("Non-participation", "Dim cyfranogiad")),  # cy: check
        Group("tokenism", Bilingual("Tokenism", "Tocenistiaeth")),  # cy: check
        Group("citizen_power", Bilingual("Citizen power", "Grym dinasyddion")),
    ),
    categories=(
        _c(
            "manipulation",
            "Manipulation",
            "Ystrywio",  # cy: check
            "Participation used to 'educate' people or win their support, not to hear them.",
            # cy: check
            "Defnyddio cyfranogiad i 'addysgu' pobl neu i ennill eu cefnogaeth, nid i wrando arnyn nhw.",
            (),
            ("rubber stamp", "public relations exercise", "pr exercise", "manipulation"),
            "non_participation",
        ),
        _c(
            "therapy",
            "Therapy",
            "Therapi",
            "People's views treated as something to be cured or adjusted, not as a voice in decisions.",
            # cy: check
            "Trin barn pobl fel rhywbeth i'w wella neu ei addasu, nid fel llais mewn penderfyniadau.",
            (),
            ("therapy",),
            "non_participation",
        ),
        _c(
            "informing",
            "Informing",
            "Hysbysu",
            "Telling people their rights, responsibilities and "
            "options: one way, with no channel for feedback.",
            # cy: check
            "Dweud wrth bobl am eu hawliau, eu cyfrifoldebau a'u "
            "dewisiadau: un ffordd, heb sianel ar gyfer adborth.",
            (),
            ("leaflet", "poster", "newsletter", "website", "pamphlet", "public notice", "taflen", "gwefan"),
            "tokenism",
        ),
        _c(
            "consultation",
            "Consultation",
            "Ymgynghori",
            "Inviting opinions through surveys, meetings and hearings, "
            "with no promise they will be acted on.",
            # cy: check
            "Gwahodd barn drwy arolygon, cyfarfodydd a gwrandawiadau, heb "
            "addewid y bydd rhywun yn gweithredu arni.",
            (),
            (
                "survey",
                "questionnaire",
                "consultation",
                "public meeting",
                "public hearing",
                "arolwg",
                "holiadur",
                "ymgynghoriad",
            ),
            "tokenism",
        ),
        _c(
            "placation",
            "Placation",
            "Dyhuddo",
            "A few hand-picked people sit on boards or committees, but the power-holders still decide.",
            # cy: check
            "Mae ambell berson wedi'i ddewis yn eistedd ar fyrddau neu "
            "bwyllgorau, ond y rhai sydd â grym sy'n penderfynu.",
            (),
            ("advisory board", "advisory committee", "co-opted member", "community representative"),
            "tokenism",
        ),
        _c(
            "partnership",
            "Partnership",
            "Partneriaeth",
            "Power shared through negotiation: joint boards, planning "
            "committees, agreed ways to settle disputes.",
            # cy: check
            "Rhannu grym drwy drafod: byrddau ar y cyd, pwyllgorau "
            "cynllunio, ffyrdd cytûn o ddatrys anghydfod.",
            (),
            ("partnership", "joint board", "joint planning committee", "co-production", "partneriaeth"),
            "citizen_power",
        ),
        _c(
            "delegated_power",
            "Delegated Power",
            "Pŵer Dirprwyedig",
            "Citizens hold most of the seats, or clear authority over a plan or programme.",
            # cy: check
            "Mae gan ddinasyddion y rhan fwyaf o'r seddi, neu awdurdod clir dros gynllun neu raglen.",
            (),
            ("delegated power", "delegated budget", "devolved budget", "participatory budgeting"),
            "citizen_power",
        ),
        _c(
            "citizen_control",
            "Citizen Control",
            "Rheolaeth gan Ddinasyddion",
            "Citizens govern and manage a programme or institution, its policy and its money.",
            # cy: check
            "Dinasyddion sy'n llywodraethu ac yn rheoli rhaglen neu sefydliad, ei bolisi a'i arian.",
            (),
            (
                "citizen control",
                "community ownership",
                "community owned",
                "community asset transfer",
                "community trust",
            ),
            "citizen_power",
        ),
    ),
)

IAP2: Final = Taxonomy(
    key="iap2",
    name=Bilingual(
        "IAP2 spectrum of public participation", "Sbectrwm cyfranogiad y cyhoedd IAP2"
    ),  # cy: check
    description=Bilingual(
        "Five levels of increasing public impact on a decision.",
        "Pum lefel o ddylanwad cynyddol gan y cyhoedd ar benderfyniad.",  # cy: check
    ),
    source="International Association for Public Participation (IAP2), Spectrum of Public Participation",
    categories=(
        _c(
            "inform",
            "Inform",
            "Hysbysu",
            "Give the public balanced, objective information to help "
            "them understand the problem and options.",
            # cy: check
            "Rhoi gwybodaeth gytbwys a gwrthrychol i'r cyhoedd i'w helpu i ddeall y broblem a'r opsiynau.",
            (),
            (
                "fact sheet",
                "website",
                "open house",
                "leaflet",
                "newsletter",
                "exhibition",
                "gwefan",
                "taflen",
            ),
        ),
        _c(
            "consult",
            "Consult",
            "Ymgynghori",
            "Ask the public for feedback on an analysis, the options or a decision.",
            "Gofyn i'r cyhoedd am adborth ar ddadansoddiad, yr opsiynau neu benderfyniad.",  # cy: check
            (),
            (
                "survey",
                "questionnaire",
                "focus group",
                "public comment",
                "public meeting",
                "consultation",
                "arolwg",
                "holiadur",
                "ymgynghoriad",
            ),
        ),
        _c(
            "involve",
            "Involve",
            "Cynnwys",
            "Work with the public throughout, so their concerns and hopes are understood and considered.",
            # cy: check
            "Gweithio gyda'r cyhoedd drwy gydol y broses, fel bod eu pryderon "
            "a'u gobeithion yn cael eu deall a'u hystyried.",
            (),
            (
                "deliberative workshop",
                "community workshop",
                "deliberative poll",
                "drop-in",
                "listening event",
            ),
        ),
        _c(
            "collaborate",
            "Collaborate",
            "Cydweithio",
            "Partner with the public on each part of the decision, "
            "including the options and the preferred one.",
            # cy: check
            "Partneru gyda'r cyhoedd ar bob rhan o'r penderfyniad, gan gynnwys yr opsiynau a'r un a ffefrir.",
            (),
            (
                "advisory committee",
                "consensus building",
                "co-design",
                "partnership",
                "cyd-ddylunio",
                "partneriaeth",
            ),
        ),
        _c(
            "empower",
            "Empower",
            "Grymuso",
            "Place the final decision in the hands of the public.",
            "Rhoi'r penderfyniad terfynol yn nwylo'r cyhoedd.",
            (),
            ("citizen jury", "citizens assembly", "ballot", "delegated decision", "participatory budgeting"),
        ),
    ),
)

BUILT_IN: Final[Mapping[str, Taxonomy]] = {t.key: t for t in (WAKEFIELD, COPRODUCTION, ARNSTEIN, IAP2)}
"""The built-in taxonomies by key, in the order a facilitator is offered them."""
