"""English and Welsh (issue 8): every string in both languages, every key a page or script uses
present in the catalogue, and the language chosen from the switch or the browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from board import i18n
from board.core.errors import ErrorCode
from tests.conftest import RunningServer

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")
SCRIPT_KEY = re.compile(r"""\bt[n]?\(\s*["'`]([a-z0-9_.]+)["'`]""")
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


def used_keys() -> dict[str, set[str]]:
    """Literal keys used by templates and scripts, with the files using them."""
    found: dict[str, set[str]] = {}
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("static/js/**/*.js")]:
        if "vendor" in path.parts:
            continue
        pattern = TEMPLATE_KEY if path.suffix == ".html" else SCRIPT_KEY
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            found.setdefault(key, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_key_a_page_or_script_uses_is_in_both_languages() -> None:
    catalog = i18n.catalog()
    keys = used_keys()
    assert keys, "the scan finds the keys in use"
    missing = {
        key: sorted(files)
        for key, files in keys.items()
        if key not in catalog and not any(f"{key}.{form}" in catalog for form in PLURAL_FORMS)
    }
    assert missing == {}


def test_plural_keys_always_have_an_other_form() -> None:
    catalog = i18n.catalog()
    for key in catalog:
        stem, _, form = key.rpartition(".")
        if form in PLURAL_FORMS:
            assert f"{stem}.other" in catalog, key


def test_every_error_code_reads_in_both_languages() -> None:
    for code in ErrorCode:
        assert f"error.{code.value}" in i18n.catalog(), code


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"board.json": '{"board.a": {"en": "Hi"}}'}, "exactly 'en' and 'cy'"),
        ({"board.json": '{"board.a": {"en": "Hi", "cy": " "}}'}, "non-empty"),
        ({"board.json": '{"poll.a": {"en": "Hi", "cy": "Hwyl"}}'}, "must start with 'board'"),
        ({"board.json": '{"board.a": {"en": "{count} notes", "cy": "{nifer} nodyn"}}'}, "placeholders"),
    ],
)
def test_a_broken_catalogue_is_refused_naming_file_and_key(files: dict[str, str], problem: str) -> None:
    with pytest.raises(i18n.CatalogError, match=problem) as caught:
        i18n.parse_catalog(files)
    assert "board.json" in str(caught.value)


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, None, "en"),
        (None, "cy", "cy"),
        (None, "cy-GB,cy;q=0.9,en;q=0.8", "cy"),
        (None, "en-GB,en;q=0.9,cy;q=0.8", "en"),
        (None, "fr-FR,cy;q=0.5,en;q=0.4", "cy"),
        (None, "en;q=0.2,cy;q=0.9", "cy"),
        (None, "cy;q=0", "en"),
        (None, "de", "en"),
        ("en", "cy", "en"),
        ("cy", "en", "cy"),
        ("fr", "cy", "cy"),
    ],
)
def test_language_comes_from_the_switch_then_the_browser(
    cookie: str | None, header: str | None, expected: str
) -> None:
    assert i18n.choose_language(cookie, header) == expected


async def test_pages_speak_welsh_when_the_browser_asks_and_the_switch_remembers(
    server: RunningServer,
) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        welsh = await http.get("/", headers={"Accept-Language": "cy"})
        assert '<html lang="cy"' in welsh.text
        assert i18n.translate("cy", "home.join") in welsh.text
        config = json.loads(re.search(r'id="config">(.*?)</script>', welsh.text, re.S).group(1))  # type: ignore[union-attr]
        assert config["lang"] == "cy"
        assert config["strings"]["home.join"] == i18n.translate("cy", "home.join")

        switched = await http.get(
            "/lang/en", params={"next": "/join?code=NOPE"}, headers={"Accept-Language": "cy"}
        )
        assert switched.status_code == 303
        assert switched.headers["location"] == "/join?code=NOPE"
        english = await http.get("/", headers={"Accept-Language": "cy"})
        assert '<html lang="en"' in english.text, "the switch wins over the browser"

        away = await http.get("/lang/cy", params={"next": "https://evil.example/"})
        assert away.headers["location"] == "/", "the switch never sends anyone to another site"
