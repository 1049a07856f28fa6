"""What a server's admins decided, in force: models, moderation, previews, blocked terms, log.

:class:`Policies` reads a server's settings once, compiles its blocked terms once, and keeps the
result (:class:`Policy`) in memory until an admin changes something (``forget``), so checking a
request costs no database read. :meth:`Policies.screen` is the one check every request passes
through before anything is spent (the job runner's ``submit`` calls it first): ``/generate``,
``/edit``, the "Edit image" form, the result's Edit form and Reroll.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.audit import Outcome, Refusal
from bot.blocklist import Matcher
from bot.errors import ValidationError
from bot.gptproto.registry import EDIT_MODELS, GENERATE_MODELS, MODELS, ImageOptions, JobKind
from bot.i18n import ENGLISH, Msg, text

if TYPE_CHECKING:
    from bot.app import ImageBot
    from bot.storage.settings import GuildSettings

log = logging.getLogger(__name__)

DEFAULT_PREVIEWS_WHEN_ON = 2
"""Previews per image when a server turns them on although ``PREVIEW_IMAGES`` is 0."""
SERVER = "server setting"
ENVIRONMENT = "environment default"


class BlockedPrompt(ValidationError):
    """The prompt holds a term this server blocked. The sentence never repeats the term."""

    def __init__(self, term: str) -> None:
        super().__init__(msg_id="prompt-blocked", admin_detail=f"blocked term {term!r}")
        self.term = term


class ModelNotAllowed(ValidationError):
    """The chosen model is not one this server allows."""


@dataclass(frozen=True)
class Policy:
    """Everything in force for one server (or direct messages), and where each value comes from."""

    guild_id: int | None
    default_model: str
    default_model_source: str
    default_edit_model: str
    allowed_models: tuple[str, ...] | None
    moderation: str
    moderation_source: str
    preview_images: int
    previews_source: str
    log_channel_id: int | None
    log_error: str | None
    matcher: Matcher

    def allows(self, model: str) -> bool:
        """Whether members may use ``model`` here."""
        return self.allowed_models is None or model in self.allowed_models

    def allowed_of(self, kind: JobKind) -> tuple[str, ...]:
        """The models of one kind members may pick here, in the registry's order."""
        every = GENERATE_MODELS if kind is JobKind.GENERATE else EDIT_MODELS
        return tuple(m for m in every if self.allows(m))


def build_policy(settings: GuildSettings | None, *, env_default: str, env_edit_default: str,
                 env_previews: int, terms: list[str]) -> Policy:
    """Combine a server's settings with the bot's defaults (``settings`` ``None``: direct messages)."""
    allowed = settings.allowed_models if settings else None
    default, default_source = env_default, ENVIRONMENT
    if settings and settings.default_model:
        default, default_source = settings.default_model, SERVER
    edit_default = env_edit_default
    if allowed is not None and edit_default not in allowed:
        # The environment's edit model is not allowed here: the first allowed one stands in.
        edit_default = next((m for m in EDIT_MODELS if m in allowed), edit_default)
    moderation, moderation_source = "auto", ENVIRONMENT
    if settings and settings.moderation:
        moderation, moderation_source = settings.moderation, SERVER
    previews, previews_source = env_previews, ENVIRONMENT
    if settings and settings.previews is not None:
        previews = (env_previews or DEFAULT_PREVIEWS_WHEN_ON) if settings.previews else 0
        previews_source = SERVER
    return Policy(
        guild_id=settings.guild_id if settings else None,
        default_model=default, default_model_source=default_source, default_edit_model=edit_default,
        allowed_models=allowed, moderation=moderation, moderation_source=moderation_source,
        preview_images=previews, previews_source=previews_source,
        log_channel_id=settings.log_channel_id if settings else None,
        log_error=settings.log_error if settings else None,
        matcher=Matcher.build(terms),
    )


def channel_is_age_restricted(channel: object) -> bool:
    """Whether Discord marks the channel age-restricted (a thread follows its parent)."""
    is_nsfw = getattr(channel, "is_nsfw", None)
    try:
        return bool(is_nsfw()) if callable(is_nsfw) else bool(getattr(channel, "nsfw", False))
    except AttributeError:  # a thread whose parent is not cached
        return False


class Policies:
    """Each server's :class:`Policy`, cached until an admin changes something."""

    def __init__(self, bot: ImageBot) -> None:
        self.bot = bot
        self._cache: dict[int | None, Policy] = {}

    async def get(self, guild_id: int | None) -> Policy:
        """The policy in force in a server (``None``: direct messages, the bot's defaults)."""
        cached = self._cache.get(guild_id)
        if cached is not None:
            return cached
        env = self.bot.settings
        if guild_id is None:
            settings, terms = None, []
        else:
            settings = await self.bot.db.settings.get(guild_id)
            terms = [t.term for t in await self.bot.db.settings.terms(guild_id)]
        policy = build_policy(settings, env_default=env.default_model, env_edit_default=env.default_edit_model,
                              env_previews=env.preview_images, terms=terms)
        self._cache[guild_id] = policy
        return policy

    def known(self, guild_id: int | None) -> Policy | None:
        """The cached policy of a server, if there is one (no database read)."""
        return self._cache.get(guild_id)

    def forget(self, guild_id: int | None) -> None:
        """Drop a server's cached policy after its settings or terms changed."""
        self._cache.pop(guild_id, None)

    async def screen(self, interaction: discord.Interaction, kind: JobKind, options: ImageOptions) -> ImageOptions:
        """Check a request against the server's rules before anything is spent.

        Raises ``BlockedPrompt`` or ``ModelNotAllowed`` (each reported to the audit log as a
        refusal); returns the options with the server's moderation level applied.
        """
        policy = await self.get(interaction.guild_id)
        try:
            term = policy.matcher.find(options.prompt)
            if term is not None:
                raise BlockedPrompt(term)
            if not policy.allows(options.model):
                allowed = policy.allowed_of(kind)
                if not allowed:
                    raise ModelNotAllowed(msg_id="no-model-allowed", args={"kind": str(kind)})
                raise ModelNotAllowed(msg_id="model-not-allowed",
                                      args={"model": options.model, "models": ", ".join(allowed)})
        except ValidationError as error:
            audit = getattr(self.bot, "audit", None)
            if audit is not None:
                reason = Msg("audit-blocked-term" if isinstance(error, BlockedPrompt) else "audit-model-not-allowed")
                audit.job_ended(Refusal.of(interaction, kind, options), Outcome.REFUSED, reason)
            raise
        if (policy.moderation == "low" and MODELS[options.model].moderation
                and channel_is_age_restricted(interaction.channel)):
            return dataclasses.replace(options, moderation="low")
        if options.moderation is not None:
            return dataclasses.replace(options, moderation=None)
        return options


def model_suggestions(policy: Policy, kind: JobKind, typed: str, lang: str = ENGLISH) -> list[tuple[str, str]]:
    """Autocomplete ``(label, value)`` for a model option: only what this server allows (in ``lang``)."""
    typed = typed.strip().lower()
    default = policy.default_model if kind is JobKind.GENERATE else policy.default_edit_model
    out = []
    for model in policy.allowed_of(kind):
        label = MODELS[model].label
        if model == default:
            label = text(lang, "model-default-label", model=label)
        if not typed or typed in model or typed in label.lower():
            out.append((label, model))
    return out[:25]
