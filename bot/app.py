"""``ImageBot``: the ``commands.AutoShardedBot`` that holds the dependencies and wires the parts together.

Shards: with ``SHARD_COUNT`` and ``SHARD_IDS`` this process runs those shards of that many
(:class:`ShardedImageBot`, discord.py's ``AutoShardedBot``); without them it runs every shard
Discord recommends (``GET /gateway/bot``): one plain connection when that is one shard, as before,
and all of them in this process when it is more (:func:`bot_class`). Only the process that runs
shard 0 pushes the slash commands, so several processes never race to push them.
"""

from __future__ import annotations

import asyncio
import gc
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
#: Seconds between two IDENTIFYs of one rate-limit bucket, as Discord asks (discord.py's default).
IDENTIFY_DELAY = 5.0
#: Seconds to ask Discord how many shards to run.
GATEWAY_ASK_TIMEOUT = 15.0


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
        identify_delay: float = IDENTIFY_DELAY,
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
        #: Seconds between IDENTIFYs of one bucket; tests that start several shards set 0.
        self.identify_delay = identify_delay
        #: How many shards may IDENTIFY at once (Discord's ``max_concurrency``); 1 until it says more.
        self.max_concurrency = 1
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
        if self.sync_on_start and self.runs_shard_zero:
            try:
                await self.sync_if_changed()
            except (discord.HTTPException, OSError) as error:
                # Serving matters more: commands pushed before still work.
                log.error("Could not push the slash commands (%s); run `python -m bot sync` later", error)
        await self.jobs.start()
        await self.audit.start()  # posts what a stop left unposted
        # Everything built so far (modules, catalogues, the command tree) lives as long as the
        # process: moved out of the collector's sight, a full collection during a burst of
        # commands walks only what the commands create, not the whole program.
        gc.freeze()

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

    # -- shards --------------------------------------------------------------------------------

    @property
    def runs_shard_zero(self) -> bool:
        """Whether this process runs shard 0: the one that pushes the slash commands."""
        return self.settings.shard_ids is None or 0 in self.settings.shard_ids

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


class ShardedImageBot(ImageBot, commands.AutoShardedBot):
    """The bot running several shards in this process (``SHARD_COUNT``, ``SHARD_IDS``, or Discord's
    recommendation of more than one), each with its own gateway connection."""

    def __init__(self, *, settings: Settings, **kwargs: Any) -> None:
        if settings.shard_count is not None:
            kwargs.setdefault("shard_count", settings.shard_count)
        if settings.shard_ids is not None:
            kwargs.setdefault("shard_ids", list(settings.shard_ids))
        super().__init__(settings=settings, **kwargs)

    async def launch_shards(self) -> None:
        """Ask Discord how many shards to run when nobody said, then connect them.

        discord.py dials the URL of ``GET /gateway/bot`` when it asks for the count itself, which
        would bypass ``DISCORD_GATEWAY_URL`` (a gateway proxy); with the count known it dials
        ``DiscordWebSocket.DEFAULT_GATEWAY``, which ``point_discord_at`` set. So the count is asked
        here and the configured gateway kept.
        """
        if self.shard_count is None:
            count, _url, limits = await self.http.get_bot_gateway()
            self.shard_count = count
            self.max_concurrency = max(1, int(limits.get("max_concurrency") or 1))
            if not self.settings.discord_gateway_url:
                discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(_url)
        log.info("Running shard(s) %s of %d", ", ".join(map(str, self.shard_ids or range(self.shard_count))),
                 self.shard_count)
        await super().launch_shards()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Space IDENTIFYs as Discord asks: shards of one batch (``max_concurrency``) go together,
        each next batch ``identify_delay`` seconds later."""
        if initial or self.identify_delay <= 0:
            return
        if shard_id is not None and self.max_concurrency > 1 and shard_id % self.max_concurrency:
            return
        await asyncio.sleep(self.identify_delay)


async def bot_class(settings: Settings) -> type[ImageBot]:
    """The bot to build: sharded when shards are configured or Discord recommends more than one.

    Asks ``GET /gateway/bot`` (with the token, bounded by a timeout) only when no shard count is
    configured; if Discord cannot be asked, the sharded bot asks again itself when it connects.
    """
    if settings.shard_count is not None:
        return ShardedImageBot
    http = discord.http.HTTPClient(loop=asyncio.get_running_loop())
    try:
        async with asyncio.timeout(GATEWAY_ASK_TIMEOUT):
            await http.static_login(settings.discord_token)
            shards, _url, _limits = await http.get_bot_gateway()
    except discord.LoginFailure:
        raise
    except (TimeoutError, OSError, discord.HTTPException, discord.GatewayNotFound) as error:
        log.warning("Could not ask Discord how many shards to run (%s); the sharded client will ask", error)
        return ShardedImageBot
    finally:
        await http.close()
    log.info("Discord recommends %d shard(s)", shards)
    return ShardedImageBot if shards > 1 else ImageBot
