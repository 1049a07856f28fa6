"""``ImageBot``: the ``commands.Bot`` that holds the dependencies and wires the parts together."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
import yarl
from discord.ext import commands

from bot.audit import AuditLog
from bot.config import Settings
from bot.gptproto.client import GPTProtoClient
from bot.i18n import load as load_catalogues
from bot.jobs import Delivery, JobRunner, PollPolicy
from bot.metrics import Metrics
from bot.policy import Policies
from bot.storage.database import Database
from bot.translator import CatalogueTranslator
from bot.tree import ImageCommandTree

log = logging.getLogger(__name__)

EXTENSIONS = ("cogs.generate", "cogs.edit", "cogs.quota", "cogs.results", "cogs.usage", "cogs.settings",
              "cogs.blocklist", "cogs.jobs")
COMMANDS_HASH_KEY = "commands_hash"
#: Seconds a graceful stop gives uploads in progress (Docker kills 10 s after SIGTERM).
STOP_GRACE = 5.0


def point_discord_at(rest_url: str | None, gateway_url: str | None) -> None:
    """Repoint discord.py's REST and gateway roots (proxies in production, fakes in tests).

    A plain ``commands.Bot`` dials ``DiscordWebSocket.DEFAULT_GATEWAY`` without asking
    ``/gateway/bot``, so setting only the REST root is not enough.
    """
    if rest_url:
        discord.http.Route.BASE = rest_url.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def intents() -> discord.Intents:
    """Only what slash commands need: no privileged intents, so admins need not enable any."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


# The bot never joins voice: don't warn admins about voice libraries they don't need.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class ImageBot(commands.Bot):
    """The bot. Dependencies are built outside (``bot.__main__``) and passed in."""

    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        api: GPTProtoClient,
        poll: PollPolicy | None = None,
        metrics: Metrics | None = None,
        serve: bool = True,
        sync_commands: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=ImageCommandTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
            max_messages=None,
            **options,
        )
        self.settings = settings
        self.db = db
        self.api = api
        self.poll = poll
        self.serve = serve
        self.sync_on_start = sync_commands
        self.jobs: JobRunner
        self.metrics = metrics if metrics is not None else Metrics(process=False)
        #: Set by ``graceful_stop``: commands are refused with one sentence from then on.
        self.stopping = False
        # What each server's admins decided (cached), and the audit log.
        self.policies = Policies(self)
        self.audit = AuditLog(self)

    async def setup_hook(self) -> None:
        """Build the job runner, load the cogs, sync commands, resume unfinished jobs.

        The runner exists before any cog can be called; it only starts its workers (and resumes
        jobs) when the bot serves (not for ``python -m bot sync``).
        """
        # Every language's catalogue is read now, before any command; the tree's names and
        # descriptions go to Discord in each of them.
        load_catalogues()
        await self.tree.set_translator(CatalogueTranslator())
        delivery = Delivery(self, self.db.jobs)
        self.jobs = JobRunner(settings=self.settings, db=self.db, api=self.api, delivery=delivery,
                              metrics=self.metrics, policies=self.policies, audit=self.audit, poll=self.poll)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if not self.serve:
            return
        if self.sync_on_start:
            try:
                await self.sync_if_changed()
            except (discord.HTTPException, OSError) as error:
                # Serving matters more: commands pushed before still work.
                log.error("Could not push the slash commands (%s); run `python -m bot sync` later", error)
        await self.jobs.start()
        await self.audit.start()  # issue 12: posts what a stop left unposted

    async def close(self) -> None:
        """Stop the job runner first so unfinished jobs are left for the next start to resume."""
        if hasattr(self, "jobs"):  # set in setup_hook, which a failed login never reaches
            await self.jobs.close()
        await self.audit.close()  # issue 12
        await super().close()

    async def graceful_stop(self, grace: float = STOP_GRACE) -> None:
        """Refuse new commands, give uploads in progress ``grace`` seconds, then close (SIGTERM, SIGINT).

        Jobs not posted by then stay in the database and the next start resumes them.
        """
        if self.stopping:
            return
        self.stopping = True
        log.info("Stopping: new commands are refused; uploads in progress get up to %.0f s", grace)
        if hasattr(self, "jobs"):
            await self.jobs.drain(grace)
        await self.close()

    # -- command sync --------------------------------------------------------------------------

    def _sync_target(self) -> discord.Object | None:
        guild_id = self.settings.dev_guild_id
        return discord.Object(guild_id) if guild_id else None

    async def commands_hash(self) -> str:
        """A hash of the command definitions with their translations, to push them only when they changed."""
        guild = self._sync_target()
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        translator = self.tree.translator
        payload = [await c.get_translated_payload(self.tree, translator) if translator else c.to_dict(self.tree)
                   for c in self.tree.get_commands(guild=guild)]
        text = json.dumps(payload, sort_keys=True, default=str)
        target = f"guild:{guild.id}" if guild else "global"
        return target + ":" + hashlib.sha256(text.encode()).hexdigest()

    async def sync_commands(self) -> int:
        """Push the slash commands (to ``DEV_GUILD_ID`` when set) and remember their hash."""
        guild = self._sync_target()
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        await self.db.meta.set(COMMANDS_HASH_KEY, await self.commands_hash())
        where = f"server {guild.id}" if guild else "all servers (global; may take up to an hour)"
        log.info("Pushed %d commands to %s", len(synced), where)
        return len(synced)

    async def sync_if_changed(self) -> bool:
        """Push the commands when they differ from what was last pushed; a restart costs nothing."""
        if await self.db.meta.get(COMMANDS_HASH_KEY) == await self.commands_hash():
            log.info("Slash commands unchanged since the last push; not syncing")
            return False
        await self.sync_commands()
        return True

    async def on_ready(self) -> None:
        """Log once that we are connected."""
        user = self.user
        log.info("Connected as %s (id %s) in %d servers", user, user.id if user else "?", len(self.guilds))
