"""The catalogues: complete, consistent with English, within Discord's limits; the layer's rules."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pytest
from discord import app_commands
from fluent.syntax import FluentParser, ast, visitor

from bot import i18n
from bot.app import EXTENSIONS, ImageBot
from bot.config import Settings
from bot.errors import QuotaExceeded, TooManyJobs
from bot.gptproto.errors import APITimeout
from bot.translator import CatalogueTranslator, message_id

OTHERS = [lang for lang in i18n.available() if lang != i18n.ENGLISH]
#: Discord's limits on what forms and buttons show (the API refuses longer ones).
UI_LIMITS = {"form-edit-result-title": 45, "form-edit-menu-title": 45, "form-prompt-label": 45,
             "form-edit-result-placeholder": 100, "form-edit-menu-placeholder": 100,
             "button-reroll": 80, "button-edit": 80, "button-delete": 80, "button-cancel": 80}


class Variables(visitor.Visitor):
    """The variables ($name) a message uses, in its value and its selectors."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)
        self.generic_visit(node)


@cache
def parsed(lang: str) -> ast.Resource:
    return FluentParser().parse((i18n.LOCALES_DIR / lang / i18n.CATALOGUE).read_text(encoding="utf-8"))


def messages(lang: str) -> dict[str, set[str]]:
    """Each message id of a catalogue and the variables it uses."""
    found: dict[str, set[str]] = {}
    for entry in parsed(lang).body:
        if isinstance(entry, ast.Message):
            seen = Variables()
            seen.visit(entry)
            found[entry.id.name] = seen.names
    return found


@pytest.mark.parametrize("lang", i18n.available())
def test_catalogue_parses_without_errors(lang):
    """Every catalogue is valid Fluent: a typo would silently drop a message."""
    junk = [entry.content.strip()[:80] for entry in parsed(lang).body if isinstance(entry, ast.Junk)]
    assert junk == [], f"{lang}: not valid Fluent near {junk}"


@pytest.mark.parametrize("lang", OTHERS)
def test_catalogue_has_every_message_with_the_same_variables(lang):
    """A translation misses no message id, adds none, and uses exactly English's variables."""
    english, other = messages(i18n.ENGLISH), messages(lang)
    assert sorted(set(english) - set(other)) == [], f"{lang} lacks these messages"
    assert sorted(set(other) - set(english)) == [], f"{lang} has messages English does not"
    differing = {mid: (sorted(english[mid]), sorted(other[mid])) for mid in english if english[mid] != other[mid]}
    assert differing == {}, f"{lang}: variables differ from English (English, {lang})"


def test_every_discord_locale_of_the_table_has_a_catalogue():
    """The locale table names only catalogues that exist, and English for both English locales."""
    assert i18n.LANGUAGES["en-US"] == i18n.LANGUAGES["en-GB"] == i18n.ENGLISH
    for lang in set(i18n.LANGUAGES.values()):
        assert (i18n.LOCALES_DIR / lang / i18n.CATALOGUE).is_file(), lang


def test_language_is_the_members_then_the_servers_then_english():
    """The member's locale wins, the server's is next, English is last."""
    assert i18n.language("de", "fr") == i18n.LANGUAGES.get("de", "en")
    assert i18n.language("ko", "fr") == i18n.LANGUAGES.get("fr", "en")
    assert i18n.language("ko", None) == "en"
    assert i18n.language(None, "en-GB") == "en"
    if "es-419" in i18n.LANGUAGES:
        assert i18n.language("es-419") == i18n.language("es-ES")


@pytest.mark.parametrize("lang", i18n.available())
def test_forms_and_buttons_fit_discord(lang):
    """Modal titles, labels, placeholders and button labels stay within Discord's limits."""
    for msg_id, limit in UI_LIMITS.items():
        shown = i18n.text(lang, msg_id)
        assert 1 <= len(shown) <= limit, f"{lang} {msg_id}: {len(shown)} characters, limit {limit}"


def test_english_errors_read_as_before():
    """English renderings are the sentences members read before translation (str() of the error)."""
    resets = datetime(2026, 1, 1, tzinfo=UTC)
    error = QuotaExceeded(scope="member", used=19, limit=20, requested=2, resets_at=resets)
    assert str(error) == (
        "That would go over your daily limit in this server: 19 of 20 images used today, 1 left, and you "
        "asked for 2 images. It resets <t:1767225600:R> (<t:1767225600:t>).")
    assert str(TooManyJobs(running=1, limit=1)).startswith("You already have 1 job queued or running")
    assert str(APITimeout(1)).startswith("The image service did not answer within 1 second;")


@pytest.mark.parametrize("lang", OTHERS)
def test_an_error_renders_in_every_language(lang):
    """A typed error renders in each language, with its numbers and Discord's timestamps kept."""
    resets = datetime(2026, 1, 1, tzinfo=UTC)
    error = QuotaExceeded(scope="server", used=200, limit=200, requested=1, resets_at=resets)
    shown = error.render(lang)
    assert shown != str(error) and "200" in shown and "<t:1767225600:R>" in shown


# -- the command tree ---------------------------------------------------------------------------


class Recorder(app_commands.Translator):
    """Notes every string of the command tree with its message id (and translates nothing)."""

    def __init__(self) -> None:
        super().__init__()
        self.strings: dict[str, tuple[str, app_commands.TranslationContextLocation]] = {}

    async def translate(self, string, locale, context) -> None:
        mid = message_id(string, context)
        assert mid is not None, f"no message id for {string.message!r} at {context.location}"
        self.strings.setdefault(mid, (string.message, context.location))
        return None


async def command_tree() -> ImageBot:
    """A bot with every cog loaded (never connected): its tree is what ``sync`` pushes."""
    settings = Settings.from_env({"DISCORD_TOKEN": "x", "GPTPROTO_API_KEY": "sk-test"})
    bot = ImageBot(settings=settings, db=None, api=None)  # type: ignore[arg-type]
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    return bot


async def translated_payloads(translator: app_commands.Translator) -> list[dict[str, Any]]:
    bot = await command_tree()
    try:
        return [await command.get_translated_payload(bot.tree, translator) for command in bot.tree.get_commands()]
    finally:
        await bot.close()


async def test_english_catalogue_holds_the_commands_as_the_code_writes_them():
    """Every command, option and choice has its id in English, with the code's own text."""
    recorder = Recorder()
    await translated_payloads(recorder)
    assert len(recorder.strings) > 100
    wrong = {mid: (code, i18n.text("en", mid) if i18n.has("en", mid) else None)
             for mid, (code, _) in recorder.strings.items()
             if not i18n.has("en", mid) or i18n.text("en", mid) != code}
    assert wrong == {}, "English catalogue differs from the code (code, catalogue)"


def valid_name(name: str) -> bool:
    """Discord's rule for command and option names: ^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$,
    lowercase. Devanagari and Thai combining marks are letters' marks (category M)."""
    def allowed(char: str) -> bool:
        category = unicodedata.category(char)
        script_mark = category.startswith("M") and unicodedata.name(char, "").startswith(("DEVANAGARI", "THAI"))
        return char in "-_" or category[0] in "LN" or script_mark
    return 1 <= len(name) <= 32 and name == name.lower() and all(allowed(c) for c in name)


def walk(payload: dict[str, Any], path: str):
    """Every (path, item, kind) of a command payload; kind is command, menu, option or choice."""
    yield path, payload, "command" if payload.get("type", 1) == 1 else "menu"
    for option in payload.get("options") or []:
        yield from walk_option(option, f"{path} {option['name']}")


def walk_option(option: dict[str, Any], path: str):
    yield path, option, "option"
    for choice in option.get("choices") or []:
        yield f"{path}={choice['value']}", choice, "choice"
    for child in option.get("options") or []:
        yield from walk_option(child, f"{path} {child['name']}")


async def test_localised_commands_fit_discord_in_every_language():
    """Every name, description and choice is localised for every language and within Discord's limits:
    names valid (lowercase, no spaces, at most 32), descriptions and choices at most 100, and
    names unique among their siblings in each language."""
    payloads = await translated_payloads(CatalogueTranslator())
    locales = {locale for locale, lang in i18n.LANGUAGES.items() if lang != i18n.ENGLISH}
    problems: list[str] = []
    for payload in payloads:
        for path, item, kind in walk(payload, payload["name"]):
            names = item.get("name_localizations") or {}
            if set(names) != locales:
                problems.append(f"{path}: name localised for {sorted(names)}, not {sorted(locales)}")
            for locale, name in names.items():
                if kind in ("command", "option") and not valid_name(name):
                    problems.append(f"{path} [{locale}]: invalid name {name!r}")
                limit = 32 if kind == "menu" else 100 if kind == "choice" else 32
                if not 1 <= len(name) <= limit:
                    problems.append(f"{path} [{locale}]: name of {len(name)} characters")
            if kind in ("command", "option"):
                descriptions = item.get("description_localizations") or {}
                if set(descriptions) != locales:
                    problems.append(f"{path}: description localised for {sorted(descriptions)}")
                for locale, text in descriptions.items():
                    if not 1 <= len(text) <= 100:
                        problems.append(f"{path} [{locale}]: description of {len(text)} characters")
            for locale in locales:
                siblings = [(o.get("name_localizations") or {}).get(locale, o["name"])
                            for o in item.get("options") or []]
                if len(siblings) != len(set(siblings)):
                    problems.append(f"{path} [{locale}]: two options share a name: {siblings}")
    assert problems == []


def test_rendered_sentences_are_remembered_by_their_arguments():
    """A sentence rendered again comes from memory, and only for the same language and arguments."""
    text = i18n.text
    first = text("en", "quota-left", left=3, limit=20)
    assert text("en", "quota-left", left=3, limit=20) is first
    assert text("en", "quota-left", left=4, limit=20) != first
    assert text("de", "quota-left", left=3, limit=20) != first
    assert text("en", "cancelled-by-admin-notice", by=True) != text("en", "cancelled-by-admin-notice", by=1)
    # Plain numbers (no thousands separator) are remembered too, apart from grouped ones.
    grouped = text("en", "quota-left", left=3, limit=20000)
    plain = text("en", "quota-left", left=i18n.plain(3), limit=i18n.plain(20000))
    assert (grouped, plain) == ("3 of 20,000 images left today", "3 of 20000 images left today")
    assert text("en", "quota-left", left=i18n.plain(3), limit=i18n.plain(20000)) is plain
    assert text("en", "quota-left", left=3, limit=20000) is grouped
    nested = text("en", "cancelled-by-admin-notice", by="7")
    assert nested == text("en-US", "cancelled-by-admin-notice", by="7")
