"""A fake Discord (REST API and gateway) that an unmodified discord.py client talks to.

It runs on 127.0.0.1 on a free port inside the test's own event loop::

    async with FakeDiscord() as fake, fake.patch_discord_py():
        bot = make_bot()
        task = asyncio.create_task(bot.start(fake.token))
        await fake.wait_ready()
        await bot.tree.sync(guild=discord.Object(fake.guild_id))
        inter = await fake.slash("ping")
        await inter.wait_response()

``patch_discord_py()`` points ``discord.http.Route.BASE`` at :attr:`FakeDiscord.rest_url` and
``DiscordWebSocket.DEFAULT_GATEWAY`` at :attr:`FakeDiscord.gateway_url` and restores both on exit
(a bot that sets them itself from its configuration works the same way).

The fake imitates the Discord behaviour bots trip over: the 3-second first-response deadline
(404 10062), double acknowledgement (400 40060), interaction tokens dying after 15 minutes
(401 50027), upload limits (413 40005), more than 10 files (400 30015), content limits
(400 50035), empty messages (400 50006), deferred "thinking…" messages replaced by the first
followup, missing permissions (403 50013 / 50001) and rate limits (429 with ``Via``). Everything
the bot sends is recorded (:attr:`FakeDiscord.messages`, :class:`FakeInteraction` responses,
followups and files) and every recorded change wakes :meth:`FakeDiscord.wait_for`.

Internal errors of the fake itself are answered with status 599 and kept in
:attr:`FakeDiscord.internal_errors`; tests should assert that list is empty.

:meth:`FakeDiscord.on_event` runs a test's callback the moment something happens (see
:data:`EVENTS` and :mod:`tests.fakes.hooks`): to act at an exact point, such as killing a bot
process right after Discord recorded its acknowledgement, or dropping a request on the floor.

Snowflakes and message timestamps follow the wall clock; only the interaction deadlines (3 s and
15 min) follow the injectable ``clock``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import EllipsisType
from typing import Any

from aiohttp import web

from tests.fakes.discord_gateway import (
    INTENT_GUILD_MEMBERS,
    GatewayConnection,
    GatewayMixin,
    GatewaySession,
)
from tests.fakes.discord_models import (
    CALLBACK_MODAL,
    INTERACTION_APPLICATION_COMMAND,
    INTERACTION_AUTOCOMPLETE,
    INTERACTION_COMPONENT,
    INTERACTION_MODAL_SUBMIT,
    ApiError,
    Changes,
    FakeClock,
    FakeFile,
    FakeInteraction,
    FakeMessage,
    Perm,
    Snowflakes,
    form_error,
    iso_timestamp,
    walk_components,
)
from tests.fakes.discord_rest import API_PREFIX, FakeRequest, RestMixin, json_response
from tests.fakes.hooks import DROP, Event, Hooks

__all__ = [
    "DROP",
    "EVENTS",
    "ApiError",
    "Event",
    "FakeChannel",
    "FakeClock",
    "FakeDiscord",
    "FakeFile",
    "FakeGuild",
    "FakeInteraction",
    "FakeMessage",
    "FakeRequest",
    "Perm",
    "find_custom_id",
    "form_error",
]

_log = logging.getLogger("tests.fakes.discord")

MIB = 1024 * 1024
_DM_APP_PERMISSIONS = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.ADD_REACTIONS
    | Perm.USE_EXTERNAL_EMOJIS
    | Perm.USE_APPLICATION_COMMANDS
)
_SEND_BITS = Perm.SEND_MESSAGES | Perm.ATTACH_FILES | Perm.EMBED_LINKS | Perm.SEND_MESSAGES_IN_THREADS

#: The events of :meth:`FakeDiscord.on_event`: name -> when it fires and what ``event.data`` holds.
EVENTS: dict[str, str] = {
    "interaction_create": "an INTERACTION_CREATE frame was written to the bot's gateway socket. "
                          "Data: interaction (FakeInteraction).",
    "identify": "a bot sent IDENTIFY, before READY is answered. Data: payload (the IDENTIFY d), "
                "connection (GatewayConnection).",
    "request": "a REST request under /api/v10 arrived, before it is handled; a JSON body is already "
               "in request.body, a multipart one is not read yet. Data: request (FakeRequest), "
               "interaction (the FakeInteraction whose token the path carries, or None). Droppable.",
    "upload": "a multipart REST request carrying files was read, before it is applied. Data: request "
              "(FakeRequest, body and files set), interaction (or None), files ([(filename, bytes)]). "
              "Droppable.",
    "callback": "an interaction callback was accepted and recorded, before its answer is sent. Data: "
                "interaction, request (FakeRequest), response ({'type', 'data'}).",
    "response": "a REST request was handled (request.status set), before its answer is sent; not for "
                "dropped requests. Data: request (FakeRequest), interaction (or None).",
}
_DROPPABLE = frozenset({"request", "upload"})


@dataclass
class FakeGuild:
    """A guild (server) of the fake: roles and members by id, its channels, its upload limit."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, dict[str, Any]] = field(default_factory=dict)
    members: dict[int, dict[str, Any]] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    upload_limit: int | None = None
    locale: str = "en-US"
    features: list[str] = field(default_factory=list)
    joined_at: float = field(default_factory=time.time)


@dataclass
class FakeChannel:
    """A text channel (type 0) in a guild, or a DM channel (type 1)."""

    id: int
    type: int
    name: str | None
    guild_id: int | None
    position: int = 0
    overwrites: list[dict[str, int]] = field(default_factory=list)
    recipients: list[int] = field(default_factory=list)
    #: 50013 or 50001 when :meth:`FakeDiscord.deny_channel` was called.
    denied: int | None = None
    #: Age-restricted ("NSFW") channel.
    nsfw: bool = False


class FakeDiscord(RestMixin, GatewayMixin):
    """Discord's REST API and gateway on 127.0.0.1, for discord.py bots under test."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        upload_limit: int = 10 * MIB,
        guild_upload_limit: int | None = None,
        clock: Callable[[], float] = time.time,
        first_response_deadline: float = 3.0,
        heartbeat_interval_ms: int = 41_250,
    ) -> None:
        #: The bot token the fake accepts (REST ``Authorization: Bot …`` and IDENTIFY).
        self.token = token
        #: Upload limit for DMs and guilds without their own (bytes).
        self.upload_limit = upload_limit
        #: Upload limit of the default guild (boosted servers have 50 or 100 MiB), or None.
        self.guild_upload_limit = guild_upload_limit
        #: Clock for the interaction deadlines (3 s first response, 15 min token).
        self.clock = clock
        self.first_response_deadline = first_response_deadline
        self.heartbeat_interval_ms = heartbeat_interval_ms
        #: What ``GET /gateway/bot`` recommends: shards, and how many may IDENTIFY at once.
        self.recommended_shards = 1
        self.max_concurrency = 1
        #: The gateway URL ``GET /gateway/bot`` names, when not this fake's own (a test sets one that
        #: no bot should dial, to prove a configured DISCORD_GATEWAY_URL wins).
        self.gateway_bot_url: str | None = None
        self.application_flags = (1 << 15) | (1 << 19) | (1 << 23)

        self._ids = Snowflakes()
        self._changes = Changes()
        self.hooks = Hooks(EVENTS, droppable=_DROPPABLE)
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._tasks: set = set()
        self._routes: list = []
        self._injections: list = []
        self._command_ids: dict[tuple[int | None, int, str], int] = {}
        self._by_token: dict[str, FakeInteraction] = {}
        self._sessions: dict[str, GatewaySession] = {}
        self.port: int | None = None

        #: Every REST request as ``(method, path)``; API paths are relative to ``/api/v10``
        #: (``"/channels/1/messages"``), attachment downloads keep their full path.
        self.requests: list[tuple[str, str]] = []
        #: The same requests with query, headers, JSON body, uploaded files, status and code.
        self.request_log: list[FakeRequest] = []
        #: ``(method, path)`` of requests to routes the fake does not know (answered 404 code 0).
        self.unknown_routes: list[tuple[str, str]] = []
        #: Every error answer given: ``{"method", "path", "status", "code", "message"}``.
        self.errors: list[dict[str, Any]] = []
        #: Tracebacks of bugs in the fake itself (answered 599); should stay empty.
        self.internal_errors: list[str] = []
        #: Every IDENTIFY payload (``d``), token included.
        self.identify_payloads: list[dict[str, Any]] = []
        #: Every RESUME payload (``d``).
        self.resume_payloads: list[dict[str, Any]] = []
        #: Every PRESENCE UPDATE payload (``d``).
        self.presence_updates: list[Any] = []
        #: Gateway connections, oldest first (closed ones included).
        self.connections: list[GatewayConnection] = []
        #: How many READYs / RESUMEDs were sent.
        self.ready_count = 0
        self.resume_count = 0
        #: While True the gateway refuses connections (see ``take_gateway_down``); how many it refused.
        self.gateway_down = False
        self.refused_gateway_connections = 0
        #: Last command list PUT per guild id (None = global), as the objects the fake returned
        #: (the request body plus ``id``, ``application_id``, ``version``…).
        self.synced_commands: dict[int | None, list[dict[str, Any]]] = {}
        self.command_put_count = 0
        #: Every message by id (channel posts, interaction responses, followups, user messages).
        self.messages: dict[int, FakeMessage] = {}
        #: Messages the bot posted with ``POST /channels/{id}/messages``, by channel id.
        self.channel_messages: dict[int, list[FakeMessage]] = {}
        #: Every interaction sent, by id.
        self.interactions: dict[int, FakeInteraction] = {}
        #: Every attachment served under ``/attachments/{id}/{filename}``, by id.
        self.attachment_store: dict[int, FakeFile] = {}
        #: Channel ids the bot sent a typing indicator to.
        self.typing: list[int] = []

        self.users: dict[int, dict[str, Any]] = {}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self._dm_channels: dict[int, int] = {}

        self.application_id = self._ids.next()
        self.bot_user_id = self._ids.next()
        self.owner_id = self._ids.next()
        self.admin_id = self._ids.next()
        self.member_id = self._ids.next()
        self.other_member_id = self._ids.next()
        self.verify_key = secrets.token_hex(32)
        self._add_user_record(self.bot_user_id, "imagebot", bot=True)
        self._add_user_record(self.owner_id, "owner")
        self._add_user_record(self.admin_id, "admin")
        self._add_user_record(self.member_id, "member")
        self._add_user_record(self.other_member_id, "other")

        guild = self._make_guild("Fake Server", upload_limit=guild_upload_limit)
        self.guild_id = guild.id
        self.channel_id = guild.channel_ids[0]
        #: Role ids of the default guild: everyone, admin (Manage Server), artists, vip, bot.
        self.role_ids: dict[str, int] = {r["name"].lstrip("@"): rid for rid, r in guild.roles.items()}
        guild.members[self.admin_id]["roles"] = [self.role_ids["admin"]]
        guild.members[self.member_id]["roles"] = [self.role_ids["artists"]]

        self._build_routes()

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port (in the running event loop)."""
        app = web.Application(client_max_size=1024 * MIB)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._api_handler)
        app.router.add_get("/gateway", self._gateway_handler)
        app.router.add_get("/gateway/", self._gateway_handler)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._attachment_handler)
        app.router.add_route("*", "/{tail:.*}", self._unknown_handler)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """Close every gateway connection and stop the server (idempotent)."""
        if self._runner is None:
            return
        self._closing = True
        closing = [c for c in self.connections if not c.ws.closed]
        for conn in closing:
            conn.server_closed = True
        await asyncio.gather(
            *(c.ws.close(code=1001, message=b"fake Discord closing") for c in closing),
            return_exceptions=True,
        )
        for task in list(self._tasks):
            task.cancel()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``; attachments are served under it."""
        if self.port is None:
            raise RuntimeError("FakeDiscord.start() has not been awaited")
        return f"http://127.0.0.1:{self.port}"

    @property
    def rest_url(self) -> str:
        """``http://127.0.0.1:PORT/api/v10``, the value for ``discord.http.Route.BASE``."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """``ws://127.0.0.1:PORT/gateway``, for ``DiscordWebSocket.DEFAULT_GATEWAY`` (a yarl.URL)."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    @contextlib.contextmanager
    def patch_discord_py(self) -> Iterator[None]:
        """Point discord.py's REST root and gateway at this fake; restore both on exit."""
        import discord.gateway
        import discord.http
        import yarl

        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.rest_url
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    async def _unknown_handler(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        self.unknown_routes.append((request.method, request.path))
        self._changed()
        return json_response({"code": 0, "message": "404: Not Found"}, 404)

    # -- hooks ----------------------------------------------------------------------------------

    def on_event(self, name: str, callback: Callable[[Event], Any]) -> Callable[[], None]:
        """Call ``callback(event)`` synchronously each time event ``name`` happens (see
        :data:`EVENTS`); returns a function that removes it. For the droppable events, a callback
        that returns :data:`DROP` makes the fake close the connection without applying or
        answering the request (``FakeRequest.dropped`` is set)."""
        return self.hooks.on(name, callback)

    @property
    def hook_errors(self) -> list[str]:
        """Tracebacks of ``on_event`` callbacks that raised; should stay empty."""
        return self.hooks.errors

    # -- waiting --------------------------------------------------------------------------------

    def _changed(self) -> None:
        self._changes.notify()

    def _now(self) -> float:
        return time.time()

    async def wait_for(
        self,
        predicate: Callable[[FakeDiscord], bool],
        timeout: float = 10,  # noqa: ASYNC109 - the public API takes a timeout
        *,
        what: str | None = None,
    ) -> None:
        """Wait until ``predicate(fake)`` is true; re-checked on every recorded change.

        Raises TimeoutError naming the last requests, errors and unknown routes."""
        try:
            await self._changes.wait(lambda: predicate(self), timeout, what or "predicate")
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; {self.describe()}") from None

    def describe(self) -> str:
        """A short summary of what happened, for failure messages."""
        return (
            f"last requests={self.requests[-8:]}, errors={self.errors[-4:]}, "
            f"unknown_routes={self.unknown_routes[-4:]}, internal_errors={len(self.internal_errors)}, "
            f"connections={len(self.connections)} live={len(self._live_connections())}"
        )

    async def wait_ready(
        self,
        timeout: float = 10,  # noqa: ASYNC109 - the public API takes a timeout
        *,
        count: int | None = None,
    ) -> None:
        """Wait until a bot has IDENTIFYed and received READY + GUILD_CREATE on a connection
        that is still open. With ``count``, also wait until that many READYs were sent in total
        (use ``count=2`` after restarting a bot on the same fake)."""
        await self.wait_for(
            lambda f: bool(f._live_connections()) and (count is None or f.ready_count >= count),
            timeout,
            what=f"a ready gateway connection (count={count})",
        )

    # -- world: users, guilds, channels ---------------------------------------------------------

    def _add_user_record(self, user_id: int, username: str, *, bot: bool = False) -> None:
        self.users[user_id] = {"id": user_id, "username": username, "bot": bot}

    def add_user(
        self, username: str, *, roles: list[int] | None = None, guild_id: int | None = None
    ) -> int:
        """Create a user who is a member of ``guild_id`` (default guild) with ``roles``; returns
        the user id. Members added after the bot connected are announced with GUILD_MEMBER_ADD."""
        user_id = self._ids.next()
        self._add_user_record(user_id, username)
        guild = self.guilds[guild_id or self.guild_id]
        guild.members[user_id] = {"roles": list(roles or []), "joined_at": time.time()}
        data = self._member_payload(guild.id, user_id)
        data["guild_id"] = str(guild.id)
        self._broadcast_soon("GUILD_MEMBER_ADD", data, INTENT_GUILD_MEMBERS)
        return user_id

    def set_roles(self, user_id: int, roles: list[int], *, guild_id: int | None = None) -> None:
        """Replace a member's roles (announced with GUILD_MEMBER_UPDATE)."""
        guild = self.guilds[guild_id or self.guild_id]
        guild.members[user_id]["roles"] = list(roles)
        data = self._member_payload(guild.id, user_id)
        data["guild_id"] = str(guild.id)
        self._broadcast_soon("GUILD_MEMBER_UPDATE", data, INTENT_GUILD_MEMBERS)

    def _make_guild(self, name: str, *, upload_limit: int | None,
                    shard: tuple[int, int] | None = None) -> FakeGuild:
        guild_id = self._ids.next() if shard is None else self._ids.next_on_shard(*shard)
        guild = FakeGuild(id=guild_id, name=name, owner_id=self.owner_id, upload_limit=upload_limit)
        guild.roles[guild.id] = {
            "name": "@everyone", "permissions": Perm.EVERYONE_DEFAULT, "position": 0, "managed": False,
        }
        for position, (role_name, perms) in enumerate(
            (("admin", Perm.MANAGE_GUILD | Perm.MANAGE_MESSAGES), ("artists", 0), ("vip", 0)), start=1
        ):
            guild.roles[self._ids.next()] = {
                "name": role_name, "permissions": perms, "position": position, "managed": False,
            }
        bot_role = self._ids.next()
        guild.roles[bot_role] = {
            "name": "bot", "permissions": Perm.BOT_DEFAULT, "position": 4, "managed": True,
            "tags": {"bot_id": str(self.bot_user_id)},
        }
        now = time.time()
        for uid in (self.owner_id, self.admin_id, self.member_id, self.other_member_id):
            guild.members[uid] = {"roles": [], "joined_at": now}
        guild.members[self.bot_user_id] = {"roles": [bot_role], "joined_at": now}
        self.guilds[guild.id] = guild
        self.add_channel("general", guild_id=guild.id)
        return guild

    def add_guild(self, name: str = "Second Server", *, upload_limit: int | None = None,
                  shard: tuple[int, int] | None = None) -> FakeGuild:
        """Create another guild (same default users, roles named as in the default guild, one
        text channel ``general``); a connected bot gets GUILD_CREATE for it. ``shard``
        ``(shard_id, shard_count)`` picks an id that Discord routes to that shard."""
        guild = self._make_guild(name, upload_limit=upload_limit, shard=shard)
        for conn in self._live_connections():
            assert conn.session is not None
            if not conn.session.serves(guild.id):
                continue
            task = asyncio.get_running_loop().create_task(
                conn.dispatch("GUILD_CREATE", self._guild_create_payload(guild.id, conn.session)))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            break
        return guild

    def add_channel(self, name: str, *, guild_id: int | None = None, nsfw: bool = False) -> int:
        """Create a text channel in a guild, age-restricted with ``nsfw``; returns its id
        (CHANNEL_CREATE if connected)."""
        guild = self.guilds[guild_id or self.guild_id]
        channel = FakeChannel(
            id=self._ids.next(), type=0, name=name, guild_id=guild.id, position=len(guild.channel_ids),
            nsfw=nsfw,
        )
        self.channels[channel.id] = channel
        guild.channel_ids.append(channel.id)
        self._broadcast_soon("CHANNEL_CREATE", self._channel_payload(channel))
        return channel.id

    def dm_channel_for(self, user_id: int) -> FakeChannel:
        """The DM channel between the bot and ``user_id`` (created on first use)."""
        if user_id not in self._dm_channels:
            channel = FakeChannel(id=self._ids.next(), type=1, name=None, guild_id=None, recipients=[user_id])
            self.channels[channel.id] = channel
            self._dm_channels[user_id] = channel.id
        return self.channels[self._dm_channels[user_id]]

    def deny_channel(self, channel_id: int, code: int = 50013, *, visible: bool = True) -> None:
        """Make the bot lose permissions in a channel: with 50013 (Missing Permissions)
        ``POST /channels/{id}/messages`` fails 403; with 50001 (Missing Access) every route of
        the channel does. With ``visible`` the loss also shows as a permission overwrite on the
        bot (in GUILD_CREATE, CHANNEL_UPDATE and interactions' ``app_permissions``), as on
        Discord; ``visible=False`` hides it, for a bot whose cache is stale."""
        if code not in (50013, 50001):
            raise ValueError("code must be 50013 (Missing Permissions) or 50001 (Missing Access)")
        channel = self.channels[channel_id]
        channel.denied = code
        channel.overwrites = [o for o in channel.overwrites if o["id"] != self.bot_user_id]
        if visible:
            deny = _SEND_BITS | (Perm.VIEW_CHANNEL if code == 50001 else 0)
            channel.overwrites.append({"id": self.bot_user_id, "type": 1, "allow": 0, "deny": deny})
        self._broadcast_soon("CHANNEL_UPDATE", self._channel_payload(channel))
        self._changed()

    def allow_channel(self, channel_id: int) -> None:
        """Undo :meth:`deny_channel`."""
        channel = self.channels[channel_id]
        channel.denied = None
        channel.overwrites = [o for o in channel.overwrites if o["id"] != self.bot_user_id]
        self._broadcast_soon("CHANNEL_UPDATE", self._channel_payload(channel))
        self._changed()

    def permissions_for(
        self, user_id: int, channel_id: int, *, roles: list[int] | None = None
    ) -> int:
        """A member's permissions in a guild channel, computed as Discord does (owner and
        Administrator get everything; channel overwrites apply @everyone, roles, member)."""
        channel = self.channels[channel_id]
        if channel.guild_id is None:
            return _DM_APP_PERMISSIONS
        guild = self.guilds[channel.guild_id]
        if user_id == guild.owner_id:
            return Perm.ALL
        member_roles = roles if roles is not None else guild.members.get(user_id, {}).get("roles", [])
        perms = guild.roles[guild.id]["permissions"]
        for rid in member_roles:
            if rid in guild.roles:
                perms |= guild.roles[rid]["permissions"]
        if perms & Perm.ADMINISTRATOR:
            return Perm.ALL
        overwrites = {(o["type"], o["id"]): o for o in channel.overwrites}
        everyone = overwrites.get((0, guild.id))
        if everyone:
            perms = (perms & ~everyone["deny"]) | everyone["allow"]
        allow = deny = 0
        for rid in member_roles:
            ow = overwrites.get((0, rid))
            if ow:
                allow |= ow["allow"]
                deny |= ow["deny"]
        perms = (perms & ~deny) | allow
        member_ow = overwrites.get((1, user_id))
        if member_ow:
            perms = (perms & ~member_ow["deny"]) | member_ow["allow"]
        return perms

    def attachment_size_limit_for(self, guild_id: int | None) -> int:
        """Upload limit Discord reports in interactions from this guild (None = DM)."""
        if guild_id is None:
            return self.upload_limit
        return self.guilds[guild_id].upload_limit or self.upload_limit

    def upload_limit_for(self, channel_id: int) -> int:
        """Upload limit for ``POST /channels/{id}/messages`` in this channel."""
        return self.attachment_size_limit_for(self.channels[channel_id].guild_id)

    # -- attachments and user messages ----------------------------------------------------------

    def _attachment_url(self, att_id: int, filename: str, *, proxy: bool = False) -> str:
        # Signed like Discord's CDN links (ex = expiry, is = issued, hm = signature).
        issued = int(time.time())
        query = f"ex={issued + 86400:x}&is={issued:x}&hm={secrets.token_hex(32)}&"
        return f"{self.base_url}/attachments/{att_id}/{filename}?{query}"

    def add_attachment(
        self, data: bytes, filename: str, content_type: str | None = None, *, description: str | None = None
    ) -> dict[str, Any]:
        """Store bytes as an attachment served at ``{base_url}/attachments/{id}/{filename}`` and
        return the attachment object Discord would put in ``data.resolved.attachments`` (id,
        filename, size, url, proxy_url, content_type, and width/height for images)."""
        stored = self._store_file(filename, data, description)
        if content_type is not None:
            stored.content_type = content_type
        return stored.payload()

    def remove_attachment(self, attachment_id: int | str | dict) -> None:
        """Stop serving an attachment (Discord expires option uploads and signed URLs)."""
        self.attachment_store.pop(self._id_of(attachment_id), None)

    def add_message(
        self,
        content: str = "",
        *,
        channel_id: int | None = None,
        author_id: int | None = None,
        attachments: list[dict | FakeFile] | None = None,
        embeds: list[dict] | None = None,
    ) -> FakeMessage:
        """Post a message as a member (default :attr:`member_id`) in a channel (default
        :attr:`channel_id`), e.g. an image for a message command to target. A connected bot
        with the GUILD_MESSAGES intent gets MESSAGE_CREATE."""
        cid = channel_id or self.channel_id
        files = [
            a if isinstance(a, FakeFile) else self.attachment_store[int(a["id"])]
            for a in attachments or []
        ]
        msg = self._create_message(
            channel_id=cid,
            payload={"content": content, "embeds": embeds or []},
            files=files,
            flags=0,
            author_id=author_id or self.member_id,
        )
        self._register_message(msg)
        return msg

    # -- payloads -------------------------------------------------------------------------------

    def _user_payload(self, user_id: int, *, private: bool = False) -> dict[str, Any]:
        user = self.users.get(user_id) or {"username": f"unknown-{user_id}", "bot": False}
        out: dict[str, Any] = {
            "id": str(user_id),
            "username": user["username"],
            "global_name": None if user["bot"] else user["username"].title(),
            "discriminator": "0" if not user["bot"] else "1234",
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "flags": 0,
            "collectibles": None,
            "primary_guild": None,
        }
        if user["bot"]:
            out["bot"] = True
        if private:
            out.update({"verified": True, "mfa_enabled": False, "email": None, "locale": "en-US"})
        return out

    def _member_payload(self, guild_id: int, user_id: int, *, roles: list[int] | None = None) -> dict:
        member = self.guilds[guild_id].members[user_id]
        return {
            "user": self._user_payload(user_id),
            "nick": member.get("nick"),
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in (roles if roles is not None else member["roles"])],
            "joined_at": iso_timestamp(member["joined_at"]),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
            "unusual_dm_activity_until": None,
        }

    def _role_payload(self, guild_id: int, role_id: int) -> dict:
        role = self.guilds[guild_id].roles[role_id]
        out = {
            "id": str(role_id),
            "name": role["name"],
            "description": None,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": role["position"],
            "permissions": str(role["permissions"]),
            "managed": role["managed"],
            "mentionable": False,
            "flags": 0,
        }
        if "tags" in role:
            out["tags"] = dict(role["tags"])
        return out

    def _channel_payload(self, channel: FakeChannel) -> dict:
        if channel.type == 1:
            return {
                "id": str(channel.id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self._user_payload(u) for u in channel.recipients],
            }
        return {
            "id": str(channel.id),
            "type": channel.type,
            "guild_id": str(channel.guild_id),
            "name": channel.name,
            "position": channel.position,
            "permission_overwrites": [
                {"id": str(o["id"]), "type": o["type"], "allow": str(o["allow"]), "deny": str(o["deny"])}
                for o in channel.overwrites
            ],
            "topic": None,
            "nsfw": channel.nsfw,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
            "flags": 0,
            "icon_emoji": None,
            "theme_color": None,
        }

    def _guild_payload(self, guild_id: int) -> dict:
        guild = self.guilds[guild_id]
        limit = guild.upload_limit or self.upload_limit
        premium_tier = 3 if limit >= 100 * MIB else 2 if limit >= 50 * MIB else 0
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "region": "deprecated",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "roles": [self._role_payload(guild.id, r) for r in guild.roles],
            "emojis": [],
            "stickers": [],
            "features": list(guild.features),
            "mfa_level": 0,
            "nsfw_level": 0,
            "application_id": None,
            "system_channel_id": str(guild.channel_ids[0]) if guild.channel_ids else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "vanity_url_code": None,
            "premium_tier": premium_tier,
            "premium_subscription_count": {0: 0, 2: 7, 3: 14}[premium_tier],
            "premium_progress_bar_enabled": False,
            "preferred_locale": guild.locale,
            "nsfw": False,
            "incidents_data": None,
            "home_header": None,
            "latest_onboarding_question_id": None,
            "hub_type": None,
            "inventory_settings": None,
        }

    def _guild_create_payload(self, guild_id: int, session: GatewaySession) -> dict:
        guild = self.guilds[guild_id]
        out = self._guild_payload(guild_id)
        member_ids = list(guild.members)
        if not session.intents & INTENT_GUILD_MEMBERS:
            member_ids = [self.bot_user_id]  # Discord sends only the bot itself without the intent
        out.update(
            {
                "joined_at": iso_timestamp(guild.joined_at),
                "large": False,
                "unavailable": False,
                "member_count": len(guild.members),
                "members": [self._member_payload(guild.id, u) for u in member_ids],
                "channels": [
                    {k: v for k, v in self._channel_payload(self.channels[c]).items() if k != "guild_id"}
                    for c in guild.channel_ids
                ],
                "threads": [],
                "presences": [],
                "voice_states": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "soundboard_sounds": [],
                "embedded_activities": [],
                "activity_instances": [],
                "lazy": True,
            }
        )
        return out

    def application_payload(self) -> dict[str, Any]:
        """What ``GET /oauth2/applications/@me`` answers."""
        return {
            "id": str(self.application_id),
            "name": "imagebot",
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": self.verify_key,
            "flags": self.application_flags,
            "owner": self._user_payload(self.owner_id),
            "team": None,
            "bot": self._user_payload(self.bot_user_id),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "event_webhooks_url": None,
            "event_webhooks_status": 1,
            "tags": [],
            "approximate_guild_count": len(self.guilds),
            "approximate_user_install_count": 0,
            "integration_types_config": {"0": {}},
            "is_monetized": False,
            "storefront_available": False,
        }

    # -- interactions ---------------------------------------------------------------------------

    @staticmethod
    def _id_of(value: Any) -> int:
        if isinstance(value, dict):
            return int(value["id"])
        if hasattr(value, "id"):
            return int(value.id)
        return int(value)

    def _find_command(self, name: str, guild_id: int | None, ctype: int) -> tuple[dict, int | None]:
        scopes: list[int | None] = [guild_id, None] if guild_id is not None else [None]
        for scope in scopes:
            for cmd in self.synced_commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == ctype:
                    return cmd, scope
        known = {scope: [c["name"] for c in cmds] for scope, cmds in self.synced_commands.items()}
        raise LookupError(f"command {name!r} (type {ctype}) was never synced; synced: {known}")

    def _resolve_option(
        self, otype: int, value: Any, resolved: dict, guild_id: int | None, channel_id: int
    ) -> Any:
        if otype == 3:
            return str(value)
        if otype == 4:
            return int(value)
        if otype == 5:
            return bool(value)
        if otype == 10:
            return value if isinstance(value, int | float) else float(value)
        if otype == 11:
            if isinstance(value, tuple):
                value = self.add_attachment(value[1], value[0])
            elif isinstance(value, FakeFile):
                value = value.payload()
            elif not isinstance(value, dict):
                value = self.attachment_store[int(value)].payload()
            resolved.setdefault("attachments", {})[str(value["id"])] = copy.deepcopy(value)
            return str(value["id"])
        target = self._id_of(value)
        if otype == 9:
            otype = 6 if target in self.users else 8
        if otype == 6:
            if target not in self.users:
                raise ValueError(f"unknown user {target}")
            resolved.setdefault("users", {})[str(target)] = self._user_payload(target)
            if guild_id is not None and target in self.guilds[guild_id].members:
                member = self._member_payload(guild_id, target)
                member.pop("user")
                member["permissions"] = str(self.permissions_for(target, channel_id))
                resolved.setdefault("members", {})[str(target)] = member
        elif otype == 8:
            if guild_id is None or target not in self.guilds[guild_id].roles:
                raise ValueError(f"unknown role {target}")
            resolved.setdefault("roles", {})[str(target)] = self._role_payload(guild_id, target)
        elif otype == 7:
            channel = self.channels[target]
            data = self._channel_payload(channel)
            data["permissions"] = str(self.permissions_for(self.member_id, target))
            resolved.setdefault("channels", {})[str(target)] = data
        else:
            raise ValueError(f"option type {otype} is not supported by the fake")
        return str(target)

    def _typed_options(
        self,
        cmd: dict,
        values: dict[str, Any],
        subcommand: str | None,
        resolved: dict,
        guild_id: int | None,
        channel_id: int,
        focused: str | None,
    ) -> list[dict]:
        schema = cmd.get("options") or []
        wrappers: list[tuple[int, str]] = []
        for part in (subcommand or "").split():
            found = next((o for o in schema if o["name"] == part and o["type"] in (1, 2)), None)
            if found is None:
                raise ValueError(f"/{cmd['name']} has no subcommand {part!r}")
            wrappers.append((found["type"], part))
            schema = found.get("options") or []
        if any(o["type"] in (1, 2) for o in schema):
            raise ValueError(f"/{cmd['name']} has subcommands; pass subcommand=")
        by_name = {o["name"]: o for o in schema}
        unknown = set(values) - set(by_name)
        if unknown:
            raise ValueError(f"/{cmd['name']} has no option(s) {sorted(unknown)}; it has {sorted(by_name)}")
        options: list[dict] = []
        for opt in schema:
            name = opt["name"]
            if name not in values:
                if opt.get("required") and focused is None:
                    raise ValueError(f"/{cmd['name']}: required option {name!r} missing")
                continue
            value = values[name]
            if name == focused:
                options.append({"type": opt["type"], "name": name, "value": str(value), "focused": True})
                continue
            choices = opt.get("choices")
            if choices and value not in [c["value"] for c in choices]:
                raise ValueError(f"/{cmd['name']}: {value!r} is not a choice of {name!r}: {choices}")
            typed = self._resolve_option(opt["type"], value, resolved, guild_id, channel_id)
            options.append({"type": opt["type"], "name": name, "value": typed})
        for otype, name in reversed(wrappers):
            options = [{"type": otype, "name": name, "options": options}]
        return options

    async def _send_interaction(
        self,
        itype: int,
        data: dict,
        *,
        name: str | None = None,
        custom_id: str | None = None,
        message: FakeMessage | None = None,
        user_id: int | None = None,
        guild_id: int | None = None,
        channel_id: int | None = None,
        permissions: int | None = None,
        roles: list[int] | None = None,
        locale: str = "en-US",
        guild_locale: str | None = None,
        app_permissions: int | None = None,
        attachment_size_limit: int | None = None,
    ) -> FakeInteraction:
        conn = self._current_connection(guild_id)
        uid = user_id or self.member_id
        payload: dict[str, Any] = {}
        if guild_id is not None:
            guild = self.guilds[guild_id]
            cid = channel_id or (self.channel_id if guild_id == self.guild_id else guild.channel_ids[0])
            if uid not in guild.members:
                raise ValueError(f"user {uid} is not a member of guild {guild_id}")
            member = self._member_payload(guild_id, uid, roles=roles)
            member["permissions"] = str(
                permissions if permissions is not None else self.permissions_for(uid, cid, roles=roles)
            )
            app_perms = app_permissions if app_permissions is not None else self.permissions_for(
                self.bot_user_id, cid
            )
            payload.update(
                {
                    "guild_id": str(guild_id),
                    "guild": {"id": str(guild_id), "locale": guild_locale or guild.locale,
                              "features": list(guild.features)},
                    "member": member,
                    "guild_locale": guild_locale or guild.locale,
                    "authorizing_integration_owners": {"0": str(guild_id)},
                    "context": 0,
                }
            )
        else:
            cid = channel_id or self.dm_channel_for(uid).id
            app_perms = app_permissions if app_permissions is not None else _DM_APP_PERMISSIONS
            payload.update(
                {
                    "user": self._user_payload(uid),
                    "authorizing_integration_owners": {"0": "0"},
                    "context": 1,
                }
            )
        channel = self._channel_payload(self.channels[cid])
        channel["permissions"] = str(
            payload["member"]["permissions"] if guild_id is not None else _DM_APP_PERMISSIONS
        )
        limit = attachment_size_limit or self.attachment_size_limit_for(guild_id)
        interaction_id = self._ids.next()
        id_part = base64.urlsafe_b64encode(f"interaction:{interaction_id}".encode()).decode().rstrip("=")
        token = f"{id_part}{secrets.token_urlsafe(64)}"
        payload.update(
            {
                "id": str(interaction_id),
                "application_id": str(self.application_id),
                "type": itype,
                "data": data,
                "channel_id": str(cid),
                "channel": channel,
                "token": token,
                "version": 1,
                "app_permissions": str(app_perms),
                "locale": locale,
                "entitlements": [],
                "entitlement_sku_ids": [],
                "attachment_size_limit": limit,
            }
        )
        if message is not None:
            payload["message"] = self.message_payload(message)
        inter = FakeInteraction(
            id=interaction_id,
            token=token,
            type=itype,
            created_at=self.clock(),
            payload=payload,
            user_id=uid,
            guild_id=guild_id,
            channel_id=cid,
            attachment_size_limit=limit,
            name=name,
            custom_id=custom_id,
            message_id=message.id if message is not None else None,
            _fake=self,
        )
        self.interactions[interaction_id] = inter
        self._by_token[token] = inter
        await conn.dispatch("INTERACTION_CREATE", payload)
        inter.dispatched_at = conn.last_send_at
        self._changed()
        self.hooks.emit("interaction_create", interaction=inter)
        return inter

    def _guild_arg(self, guild_id: int | EllipsisType | None) -> int | None:
        return self.guild_id if guild_id is ... else guild_id

    async def _command(
        self,
        itype: int,
        name: str,
        options: dict[str, Any] | None,
        *,
        focused: str | None = None,
        subcommand: str | None = None,
        attachments: dict[str, dict] | None = None,
        guild_id: int | EllipsisType | None = ...,
        channel_id: int | None = None,
        **kw: Any,
    ) -> FakeInteraction:
        gid = self._guild_arg(guild_id)
        cmd, scope = self._find_command(name, gid, 1)
        cid = channel_id or (
            (self.channel_id if gid == self.guild_id else self.guilds[gid].channel_ids[0])
            if gid is not None
            else self.dm_channel_for(kw.get("user_id") or self.member_id).id
        )
        values = dict(options or {})
        values.update(attachments or {})
        resolved: dict[str, Any] = {}
        typed = self._typed_options(cmd, values, subcommand, resolved, gid, cid, focused)
        data: dict[str, Any] = {"id": cmd["id"], "name": name, "type": 1}
        if typed:
            data["options"] = typed
        if resolved:
            data["resolved"] = resolved
        if scope is not None:
            data["guild_id"] = str(scope)
        return await self._send_interaction(
            itype, data, name=name, guild_id=gid, channel_id=cid, **kw
        )

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user_id: int | None = None,
        guild_id: int | EllipsisType | None = ...,
        channel_id: int | None = None,
        permissions: int | None = None,
        roles: list[int] | None = None,
        locale: str = "en-US",
        guild_locale: str | None = None,
        subcommand: str | None = None,
        attachments: dict[str, dict] | None = None,
        app_permissions: int | None = None,
        attachment_size_limit: int | None = None,
    ) -> FakeInteraction:
        """Send a slash command (INTERACTION_CREATE type 2, data.type 1) to the connected bot.

        ``options`` maps option names to values, typed from the synced command (guild first,
        then global): strings, ints, bools, numbers as given; users, roles, channels as ids (or
        objects with ``id``), resolved in ``data.resolved``; attachments as the dicts returned by
        :meth:`add_attachment`, ids of stored attachments, or ``(filename, bytes)`` tuples.
        ``attachments`` is merged into ``options``. ``subcommand`` is ``"sub"`` or
        ``"group sub"``. ``guild_id=None`` sends it from a DM. ``user_id`` defaults to
        :attr:`member_id`; ``permissions``/``roles``/``app_permissions``/
        ``attachment_size_limit`` override what the fake would compute; ``locale`` is the member's
        Discord locale, ``guild_locale`` the server's (default: the guild's own). Raises LookupError for a
        command never synced and ValueError for options Discord's client would not let through.
        """
        return await self._command(
            INTERACTION_APPLICATION_COMMAND,
            name,
            options,
            subcommand=subcommand,
            attachments=attachments,
            guild_id=guild_id,
            channel_id=channel_id,
            user_id=user_id,
            permissions=permissions,
            roles=roles,
            locale=locale,
            guild_locale=guild_locale,
            app_permissions=app_permissions,
            attachment_size_limit=attachment_size_limit,
        )

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        timeout: float = 5,  # noqa: ASYNC109 - the public API takes a timeout
        **kw: Any,
    ) -> list[dict[str, Any]]:
        """Send an autocomplete interaction (type 4) with ``focused`` as the option being typed
        (its value is sent as the raw string) and return the choices of the bot's type-8
        answer. Accepts the keyword arguments of :meth:`slash`."""
        if focused not in options:
            raise ValueError(f"focused option {focused!r} must be in options")
        inter = await self._command(INTERACTION_AUTOCOMPLETE, name, options, focused=focused, **kw)
        response = await inter.wait_response(timeout)
        return list((response.get("data") or {}).get("choices") or [])

    async def autocomplete_interaction(
        self, name: str, options: dict[str, Any], focused: str, **kw: Any
    ) -> FakeInteraction:
        """Like :meth:`autocomplete` but returns the interaction without waiting."""
        return await self._command(INTERACTION_AUTOCOMPLETE, name, options, focused=focused, **kw)

    async def message_command(
        self,
        name: str,
        target_message_id: int,
        *,
        guild_id: int | EllipsisType | None = ...,
        channel_id: int | None = None,
        **kw: Any,
    ) -> FakeInteraction:
        """Send a message context-menu command (type 2, data.type 3) on a stored message, with
        ``data.target_id`` and the message in ``data.resolved.messages``."""
        target = self.messages.get(target_message_id)
        if target is None or target.deleted:
            raise ValueError(f"unknown message {target_message_id}")
        gid = target.guild_id if guild_id is ... else guild_id
        cmd, scope = self._find_command(name, gid, 3)
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": name,
            "type": 3,
            "target_id": str(target.id),
            "resolved": {"messages": {str(target.id): self.message_payload(target)}},
        }
        if scope is not None:
            data["guild_id"] = str(scope)
        return await self._send_interaction(
            INTERACTION_APPLICATION_COMMAND, data, name=name, guild_id=gid,
            channel_id=channel_id or target.channel_id, **kw,
        )

    async def user_command(
        self,
        name: str,
        target_user_id: int,
        *,
        guild_id: int | EllipsisType | None = ...,
        channel_id: int | None = None,
        **kw: Any,
    ) -> FakeInteraction:
        """Send a user context-menu command (type 2, data.type 2) on a user."""
        gid = self._guild_arg(guild_id)
        cmd, scope = self._find_command(name, gid, 2)
        cid = channel_id or (self.channel_id if gid == self.guild_id else None)
        if cid is None:
            cid = self.guilds[gid].channel_ids[0] if gid is not None else self.dm_channel_for(
                kw.get("user_id") or self.member_id
            ).id
        resolved: dict[str, Any] = {}
        self._resolve_option(6, target_user_id, resolved, gid, cid)
        data: dict[str, Any] = {
            "id": cmd["id"], "name": name, "type": 2, "target_id": str(target_user_id), "resolved": resolved,
        }
        if scope is not None:
            data["guild_id"] = str(scope)
        return await self._send_interaction(
            INTERACTION_APPLICATION_COMMAND, data, name=name, guild_id=gid, channel_id=cid, **kw
        )

    def _component_on(self, message_id: int, custom_id: str) -> tuple[FakeMessage, dict]:
        msg = self.messages.get(message_id)
        if msg is None or msg.deleted:
            raise ValueError(f"unknown message {message_id}")
        for comp in walk_components(msg.components):
            if comp.get("custom_id") == custom_id:
                if comp.get("disabled"):
                    raise ValueError(f"component {custom_id!r} is disabled")
                return msg, comp
        raise ValueError(f"message {message_id} has no component {custom_id!r}; it has {msg.custom_ids()}")

    async def click(self, message_id: int, custom_id: str, **kw: Any) -> FakeInteraction:
        """Click a button on a stored message (INTERACTION_CREATE type 3, component_type 2).

        ``user_id`` defaults to :attr:`member_id`; the other keyword arguments of
        :meth:`slash` (permissions, roles, locale, app_permissions…) apply too."""
        msg, comp = self._component_on(message_id, custom_id)
        if comp.get("type") != 2:
            raise ValueError(f"{custom_id!r} is not a button (type {comp.get('type')}); use select()")
        return await self._component_interaction(msg, comp, None, **kw)

    async def select(self, message_id: int, custom_id: str, values: list[Any], **kw: Any) -> FakeInteraction:
        """Choose ``values`` in a select menu on a stored message (component types 3, 5-8)."""
        msg, comp = self._component_on(message_id, custom_id)
        if comp.get("type") not in (3, 5, 6, 7, 8):
            raise ValueError(f"{custom_id!r} is not a select menu")
        return await self._component_interaction(msg, comp, values, **kw)

    async def _component_interaction(
        self, msg: FakeMessage, comp: dict, values: list[Any] | None, **kw: Any
    ) -> FakeInteraction:
        data: dict[str, Any] = {"custom_id": comp["custom_id"], "component_type": comp["type"]}
        if comp.get("id") is not None:
            data["id"] = comp["id"]
        if values is not None:
            if comp["type"] == 3:
                data["values"] = [str(v) for v in values]
            else:
                resolved: dict[str, Any] = {}
                kinds = {5: 6, 6: 8, 7: 9, 8: 7}
                data["values"] = [
                    self._resolve_option(kinds[comp["type"]], v, resolved, msg.guild_id, msg.channel_id)
                    for v in values
                ]
                data["resolved"] = resolved
        kw.pop("guild_id", None)
        kw.pop("channel_id", None)
        return await self._send_interaction(
            INTERACTION_COMPONENT,
            data,
            custom_id=comp["custom_id"],
            message=msg,
            guild_id=msg.guild_id,
            channel_id=msg.channel_id,
            **kw,
        )

    async def submit_modal(self, custom_id: str, values: dict[str, Any], **kw: Any) -> FakeInteraction:
        """Submit the modal the bot last opened with ``custom_id`` (INTERACTION_CREATE type 5).

        ``values`` maps input custom ids to what the member entered: a string for text inputs
        and radio groups, a bool for checkboxes, a list for selects and checkbox groups, a list
        of attachment dicts (from :meth:`add_attachment`) for file uploads. The submitted
        components mirror the modal's structure (action rows or labels), as Discord sends them.
        User, guild and channel default to those of the interaction that opened the modal."""
        origin = None
        for inter in reversed(list(self.interactions.values())):
            for resp in inter.responses:
                if resp["type"] == CALLBACK_MODAL and (resp.get("data") or {}).get("custom_id") == custom_id:
                    origin = inter
                    break
            if origin is not None:
                break
        if origin is None:
            raise ValueError(f"the bot never opened a modal with custom_id {custom_id!r}")
        modal = next(
            r["data"] for r in origin.responses
            if r["type"] == CALLBACK_MODAL and r["data"].get("custom_id") == custom_id
        )
        remaining = dict(values)
        resolved: dict[str, Any] = {}

        def fill(comp: dict) -> dict:
            ctype = comp.get("type")
            out: dict[str, Any] = {"type": ctype}
            if comp.get("id") is not None:
                out["id"] = comp["id"]
            if ctype == 1:
                out["components"] = [fill(c) for c in comp.get("components") or []]
                return out
            if ctype == 18:
                out["component"] = fill(comp["component"])
                return out
            cid = comp.get("custom_id")
            if cid is None:
                return out
            out["custom_id"] = cid
            given = remaining.pop(cid, None)
            if ctype == 4:
                value = given if given is not None else comp.get("value") or ""
                if comp.get("required", True) and not value:
                    raise ValueError(f"text input {cid!r} is required")
                if value and not comp.get("min_length", 0) <= len(value) <= comp.get("max_length", 4000):
                    raise ValueError(f"text input {cid!r}: length {len(value)} out of bounds")
                out["value"] = value
            elif ctype == 19:
                files = list(given or [])
                ids = []
                for f in files:
                    att = f if isinstance(f, dict) else self.attachment_store[int(f)].payload()
                    resolved.setdefault("attachments", {})[str(att["id"])] = copy.deepcopy(att)
                    ids.append(str(att["id"]))
                out["values"] = ids
            elif ctype == 23:
                out["value"] = bool(given)
            elif ctype == 21:
                out["value"] = given
            else:
                out["values"] = [str(v) for v in (given or [])]
            return out

        components = [fill(c) for c in modal.get("components") or []]
        if remaining:
            raise ValueError(f"modal {custom_id!r} has no input(s) {sorted(remaining)}")
        data: dict[str, Any] = {"custom_id": custom_id, "components": components}
        if resolved:
            data["resolved"] = resolved
        message = self.messages.get(origin.message_id) if origin.message_id else None
        kw.setdefault("user_id", origin.user_id)
        guild_id = kw.pop("guild_id", origin.guild_id)
        channel_id = kw.pop("channel_id", origin.channel_id)
        return await self._send_interaction(
            INTERACTION_MODAL_SUBMIT,
            data,
            custom_id=custom_id,
            message=message,
            guild_id=guild_id,
            channel_id=channel_id,
            **kw,
        )

    def age_interaction(self, interaction: FakeInteraction, seconds: float) -> None:
        """Make an interaction (and its token) ``seconds`` older by the fake's clock, e.g. past
        the 3-second deadline or the 15-minute token lifetime. The bot's own view of the
        interaction's age (its snowflake) does not change."""
        interaction.created_at -= seconds
        self._changed()

    def interaction_for_message(self, message_id: int) -> FakeInteraction | None:
        """The interaction whose response or followup is this message, if any."""
        msg = self.messages.get(message_id)
        if msg is None or msg.interaction_id is None:
            return None
        return self.interactions.get(msg.interaction_id)

    def bot_messages(self, channel_id: int | None = None) -> list[FakeMessage]:
        """Every message authored by the bot (optionally in one channel), oldest first."""
        return [
            m for m in self.messages.values()
            if m.author_id == self.bot_user_id and (channel_id is None or m.channel_id == channel_id)
        ]


def find_custom_id(message: FakeMessage, pattern: str) -> str:
    """The first custom_id on ``message`` matching the regular expression ``pattern``."""
    for custom_id in message.custom_ids():
        if re.search(pattern, custom_id):
            return custom_id
    raise LookupError(f"no custom_id matching {pattern!r} in {message.custom_ids()}")
