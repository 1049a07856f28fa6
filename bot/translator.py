"""The command tree's translator: slash command names, descriptions, options and choices in every
language of the catalogues, pushed to Discord as ``name_localizations`` and
``description_localizations`` (``tree.set_translator`` in ``ImageBot.setup_hook``).

Each string of the tree has a message id derived from where it is, so the code keeps its English
names and docstrings as they are and the catalogues carry the rest:

- ``cmd-<command>`` and ``cmd-<command>-desc``, for commands, groups and the message menu
  (``cmd-quota-show``, ``cmd-edit-image`` for "Edit image");
- ``opt-<command>-<option>`` and ``opt-<command>-<option>-desc``;
- a choice's own id (``choices`` below gives ``choice-<group>-<value>``), else ``choice-<value>``.

English is Discord's default (the code's strings), so it is never sent as a localisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from discord import Locale, app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import ENGLISH, LANGUAGES, has, text


def slug(name: str) -> str:
    """A command's name as part of a message id: ``quota show`` → ``quota-show``."""
    return re.sub(r"[^a-z0-9_]+", "-", name.lower()).strip("-")


def choices(group: str, values: Iterable[str]) -> list[app_commands.Choice[str]]:
    """Choices shown by their value in English, translated as ``choice-<group>-<value>``."""
    return [app_commands.Choice(name=app_commands.locale_str(value, id=f"choice-{group}-{slug(value)}"), value=value)
            for value in values]


def message_id(string: app_commands.locale_str, context: app_commands.TranslationContextTypes) -> str | None:
    """The catalogue's message id of a string of the command tree (see the module docstring)."""
    if "id" in string.extras:
        return str(string.extras["id"])
    where, data = context.location, context.data
    if where in (Where.command_name, Where.group_name):
        return f"cmd-{slug(getattr(data, 'qualified_name', data.name))}"
    if where in (Where.command_description, Where.group_description):
        return f"cmd-{slug(getattr(data, 'qualified_name', data.name))}-desc"
    if where is Where.parameter_name:
        return f"opt-{slug(data.command.qualified_name)}-{data.name}"
    if where is Where.parameter_description:
        return f"opt-{slug(data.command.qualified_name)}-{data.name}-desc"
    if where is Where.choice_name:
        return f"choice-{slug(str(data.value))}"
    return None


class CatalogueTranslator(app_commands.Translator):
    """Looks every string of the command tree up in the Fluent catalogues."""

    async def translate(self, string: app_commands.locale_str, locale: Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        """The string in ``locale``, or ``None`` (Discord then shows the English default)."""
        lang = LANGUAGES.get(str(locale))
        msg_id = message_id(string, context)
        if lang is None or lang == ENGLISH or msg_id is None or not has(lang, msg_id):
            return None
        return text(lang, msg_id)
