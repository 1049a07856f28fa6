"""The one translation layer: every sentence a member reads comes from a Fluent catalogue.

The catalogues are ``bot/locales/<language>/bot.ftl`` (Project Fluent), read once at start. A
sentence is named by a message id and rendered with its arguments in one language; plurals and
other variants are the catalogue's business (Fluent selectors), so no sentence is ever assembled
from fragments. The language is the member's Discord locale, else their server's, else English
(:func:`language`). Deep code that raises does not know the member: it names the sentence
(``BotError(msg_id=..., args=...)``, or a :class:`Msg`) and the code that answers renders it.

This module knows nothing of Discord: the command tree's translator (``bot.translator``) and the
error path use it, and so may the API client's errors and the storage layer's refusals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_skeleton
from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.types import fluent_number

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
CATALOGUE = "bot.ftl"
ENGLISH = "en"

#: Discord's locales (``interaction.locale``) → the catalogue that speaks them. To add a
#: language: copy ``locales/en/bot.ftl``, translate it, and add its Discord locale(s) here.
LANGUAGES: dict[str, str] = {
    "en-US": "en",
    "en-GB": "en",
    "de": "de",
    "fr": "fr",
    "es-ES": "es",
    "es-419": "es",
    "pt-BR": "pt-BR",
    "ja": "ja",
}
#: The locale Fluent (and Babel, for numbers and plural rules) uses for each catalogue.
BABEL_LOCALE = {"en": "en-US", "es": "es-ES"}


@dataclass(frozen=True)
class Msg:
    """A sentence not yet rendered: its message id and arguments (which may be ``Msg`` too)."""

    id: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str | None) -> str:
        """The sentence in ``lang`` (a catalogue name or a Discord locale)."""
        return text(lang, self.id, **self.args)


@dataclass(frozen=True)
class OrList:
    """Items shown as one alternative list in the reader's language: "`a`, `b` or `c`"."""

    items: tuple[str | Msg, ...]


@dataclass(frozen=True)
class AndList:
    """Items shown as one list joined by "and" in the reader's language: "`a`, `b` and `c`"."""

    items: tuple[str | Msg, ...]


@dataclass(frozen=True)
class CommaList:
    """Items only separated by the reader's list separator: "a, b, c" ("a、b、c" in Japanese)."""

    items: tuple[str | Msg, ...]


class Plain(int):
    """A number shown without thousands separators (pixel sizes, counts of images), still a number
    for plurals: made by :func:`plain`. An ``int`` (equal to its value), so a sentence with one is
    remembered like any other (see ``text``)."""

    __slots__ = ()


def plain(number: int) -> Plain:
    """A number shown without thousands separators (pixel sizes, years), still a number for plurals."""
    return Plain(number)


def available() -> tuple[str, ...]:
    """Every catalogue, English first."""
    return (ENGLISH, *sorted({lang for lang in LANGUAGES.values() if lang != ENGLISH}))


@cache
def _bundle(lang: str) -> FluentBundle:
    bundle = FluentBundle([BABEL_LOCALE.get(lang, lang)], use_isolating=False)
    path = LOCALES_DIR / lang / CATALOGUE
    bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return bundle


def load() -> None:
    """Read every catalogue now (at start), so that no command waits for a file later."""
    for lang in available():
        _bundle(lang)


def catalogue(lang: str | None) -> str:
    """The catalogue for a Discord locale or a catalogue name (English when unknown)."""
    if lang is None:
        return ENGLISH
    lang = str(lang)
    if lang in LANGUAGES:
        return LANGUAGES[lang]
    return lang if lang in LANGUAGES.values() else ENGLISH


def language(*locales: object) -> str:
    """The first of ``locales`` (member's, then server's) that has a catalogue, else English."""
    for locale in locales:
        if locale is not None and str(locale) in LANGUAGES:
            return LANGUAGES[str(locale)]
    return ENGLISH


def has(lang: str, msg_id: str) -> bool:
    """Whether the catalogue ``lang`` has the message ``msg_id``."""
    return _bundle(catalogue(lang)).has_message(msg_id)


#: Sentences already rendered, by language, message and plain arguments: Fluent's formatting
#: costs ~50 µs a sentence, and a job's embeds and buttons render about twenty, mostly the same.
_rendered: dict[tuple[Any, ...], str] = {}
_rendered_lock = threading.Lock()
_RENDERED_MAX = 4096
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), Plain})


def text(lang: str | None, msg_id: str, /, **args: Any) -> str:
    """The message ``msg_id`` in ``lang``, with ``args``; English when ``lang`` lacks it."""
    lang = catalogue(lang)
    key = None
    if all(type(value) in _PLAIN_TYPES for value in args.values()):
        # The type is part of the key: True == 1 and 1 == 1.0 as keys, but render differently.
        key = (lang, msg_id, *sorted((name, type(value), value) for name, value in args.items()))
        known = _rendered.get(key)
        if known is not None:
            return known
    result = _render(lang, msg_id, args)
    if key is not None:
        with _rendered_lock:  # worker threads render too (notes of fitted images, refusals)
            if len(_rendered) >= _RENDERED_MAX:
                del _rendered[next(iter(_rendered))]  # the oldest goes first
            _rendered[key] = result
    return result


def _render(lang: str, msg_id: str, args: Mapping[str, Any]) -> str:
    bundle = _bundle(lang)
    if not bundle.has_message(msg_id):
        if lang == ENGLISH:
            raise KeyError(f"no message {msg_id!r} in the English catalogue")
        log.warning("catalogue %s has no message %r; English is shown", lang, msg_id)
        return text(ENGLISH, msg_id, **args)
    message = bundle.get_message(msg_id)
    if message.value is None:
        raise KeyError(f"message {msg_id!r} of catalogue {lang} has no value")
    result, errors = bundle.format_pattern(message.value, _arguments(lang, args))
    if errors:
        log.warning("catalogue %s, message %r: %s", lang, msg_id, "; ".join(map(str, errors)))
    return result


def _arguments(lang: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments Fluent can take: nested messages and lists rendered in ``lang``, None as ""."""
    out: dict[str, Any] = {}
    for name, value in args.items():
        if isinstance(value, Msg):
            value = value.render(lang)
        elif isinstance(value, OrList | AndList | CommaList):
            items = [item.render(lang) if isinstance(item, Msg) else item for item in value.items]
            if isinstance(value, CommaList):
                value = text(lang, "list-sep").join(items)
            else:
                value = join(lang, items, "list-or" if isinstance(value, OrList) else "list-and")
        elif type(value) is Plain:
            value = fluent_number(int(value), useGrouping=False)
        elif value is None:
            value = ""
        elif isinstance(value, bool):
            value = str(value).lower()
        out[name] = value
    return out


def short_date(lang: str, day: date) -> str:
    """A day and month for a chart's axis: ``27 Nov`` in English, ``27. Nov.``, ``11月27日``…"""
    if catalogue(lang) == ENGLISH:
        return f"{day.day} {day:%b}"
    return format_skeleton("MMMd", day, locale=BABEL_LOCALE.get(catalogue(lang), catalogue(lang)).replace("-", "_"))


def join(lang: str, items: Iterable[str], msg_id: str = "list-and") -> str:
    """``a``; ``a and b``; ``a, b and c`` (by the catalogue's ``list-sep`` and ``msg_id``)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    separator = text(lang, "list-sep")
    return text(lang, msg_id, first=separator.join(items[:-1]), last=items[-1])
