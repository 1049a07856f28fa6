"""The gateway half of the fake Discord: a websocket speaking plain-text JSON frames.

HELLO (op 10) on connect, HEARTBEAT_ACK (op 11) for each HEARTBEAT (op 1), READY and one
GUILD_CREATE per guild after IDENTIFY (op 2), RESUMED after a RESUME (op 6) of a known session
(INVALID_SESSION op 9 otherwise, so discord.py identifies again), GUILD_MEMBERS_CHUNK for
REQUEST_GUILD_MEMBERS (op 8). Dispatches carry increasing sequence numbers per session and are
kept so a resumed session gets what it missed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from tests.fakes.discord_models import shard_of

if TYPE_CHECKING:
    from tests.fakes.discord import FakeDiscord

_log = logging.getLogger("tests.fakes.discord.gateway")

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE = 3
OP_VOICE_STATE = 4
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11

INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12


@dataclass
class GatewaySession:
    """A gateway session (what IDENTIFY creates and RESUME continues)."""

    id: str
    token: str
    identify: dict[str, Any]
    intents: int
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    connection: GatewayConnection | None = None
    #: ``(shard_id, shard_count)`` from IDENTIFY, or ``None`` for an unsharded connection.
    shard: tuple[int, int] | None = None

    def serves(self, guild_id: int | None) -> bool:
        """Whether this session receives the events of ``guild_id`` (``None``: direct messages)."""
        return self.shard is None or shard_of(guild_id, self.shard[1]) == self.shard[0]


@dataclass
class GatewayConnection:
    """One websocket connection from a bot."""

    number: int
    ws: web.WebSocketResponse
    query: dict[str, str]
    session: GatewaySession | None = None
    ready: bool = False
    closed: bool = False
    close_code: int | None = None
    #: True when the fake closed the socket (the session survives for a RESUME).
    server_closed: bool = False
    heartbeats: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: ``time.monotonic()`` just before the last frame was written (for benchmarks).
    last_send_at: float | None = None

    @property
    def live(self) -> bool:
        """Open and past READY (or RESUMED)."""
        return self.ready and not self.closed and not self.ws.closed

    async def send(self, frame: dict[str, Any]) -> None:
        """Send one JSON text frame; silently dropped once the socket is closed."""
        async with self.lock:
            if self.ws.closed:
                return
            text = json.dumps(frame)
            self.last_send_at = time.monotonic()
            try:
                await self.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                _log.debug("gateway connection %s: send failed", self.number)

    async def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Send a DISPATCH (op 0) with the session's next sequence number; returns it."""
        assert self.session is not None, "dispatch before IDENTIFY"
        self.session.seq += 1
        frame = {"op": OP_DISPATCH, "t": event, "s": self.session.seq, "d": data}
        self.session.sent.append(frame)
        del self.session.sent[:-500]
        await self.send(frame)
        return self.session.seq


class GatewayMixin:
    """Gateway handling for :class:`~tests.fakes.discord.FakeDiscord`."""

    async def _gateway_handler(self: FakeDiscord, request: web.Request) -> web.StreamResponse:
        if self.gateway_down:
            # As during an outage: the websocket handshake fails, and discord.py retries with backoff.
            self.refused_gateway_connections += 1
            self._changed()
            return web.Response(status=503, text="fake gateway is down")
        # timeout: how long a close waits for the client's answer (keeps teardown quick).
        ws = web.WebSocketResponse(max_msg_size=0, timeout=2.0)
        await ws.prepare(request)
        conn = GatewayConnection(
            number=len(self.connections) + 1, ws=ws, query=dict(request.query)
        )
        self.connections.append(conn)
        self._changed()
        await conn.send(
            {
                "op": OP_HELLO,
                "s": None,
                "t": None,
                "d": {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["fake-gw"]},
            }
        )
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    try:
                        frame = json.loads(msg.data)
                    except ValueError:
                        await ws.close(code=4002, message=b"Error while decoding payload.")
                        break
                    conn.received.append(frame)
                    await self._gateway_frame(conn, frame)
                elif msg.type is WSMsgType.BINARY:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
        except Exception:  # pragma: no cover - a bug in the fake
            _log.exception("gateway connection %s failed", conn.number)
            self.internal_errors.append(f"gateway connection {conn.number} crashed")
        finally:
            conn.closed = True
            conn.close_code = ws.close_code
            session = conn.session
            if session is not None and session.connection is conn:
                session.connection = None
                # A client that closes with 1000/1001 ends its session, as on Discord.
                if ws.close_code in (1000, 1001) and not conn.server_closed:
                    self._sessions.pop(session.id, None)
            self._changed()
        return ws

    async def _gateway_frame(self: FakeDiscord, conn: GatewayConnection, frame: dict) -> None:
        op = frame.get("op")
        data = frame.get("d")
        if op == OP_HEARTBEAT:
            conn.heartbeats += 1
            await conn.send({"op": OP_HEARTBEAT_ACK, "s": None, "t": None, "d": None})
            return
        if op == OP_IDENTIFY:
            await self._gateway_identify(conn, data or {})
            return
        if op == OP_RESUME:
            await self._gateway_resume(conn, data or {})
            return
        if conn.session is None:
            await conn.ws.close(code=4003, message=b"Not authenticated.")
            return
        if op == OP_PRESENCE:
            self.presence_updates.append(data)
            self._changed()
        elif op == OP_REQUEST_MEMBERS:
            await self._gateway_request_members(conn, data or {})
        elif op == OP_VOICE_STATE:
            pass
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")

    async def _gateway_identify(self: FakeDiscord, conn: GatewayConnection, data: dict) -> None:
        self.identify_payloads.append(data)
        self._changed()
        self.hooks.emit("identify", payload=data, connection=conn)
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard = data.get("shard")
        if shard is not None:
            valid = (isinstance(shard, list) and len(shard) == 2 and all(isinstance(n, int) for n in shard)
                     and 0 <= shard[0] < shard[1])
            if not valid:
                await conn.ws.close(code=4010, message=b"Invalid shard.")
                return
        session = GatewaySession(
            id=secrets.token_hex(16),
            token=data["token"],
            identify=data,
            intents=int(data.get("intents", 0) or 0),
            shard=(shard[0], shard[1]) if shard is not None else None,
        )
        self._sessions[session.id] = session
        session.connection = conn
        conn.session = session
        ready: dict[str, Any] = {
            "v": 10,
            "user": self._user_payload(self.bot_user_id, private=True),
            "guilds": [{"id": str(gid), "unavailable": True} for gid in self.guilds if session.serves(gid)],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": self.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "user_settings": {},
            "auth": {},
            "_trace": ["fake-gw"],
        }
        if data.get("shard") is not None:
            ready["shard"] = data["shard"]
        await conn.dispatch("READY", ready)
        for guild_id in self.guilds:
            if session.serves(guild_id):
                await conn.dispatch("GUILD_CREATE", self._guild_create_payload(guild_id, session))
        conn.ready = True
        self.ready_count += 1
        self._changed()

    async def _gateway_resume(self: FakeDiscord, conn: GatewayConnection, data: dict) -> None:
        self.resume_payloads.append(data)
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != session.token:
            await conn.send({"op": OP_INVALID_SESSION, "s": None, "t": None, "d": False})
            self._changed()
            return
        old = session.connection
        if old is not None and old is not conn and not old.ws.closed:
            old.server_closed = True
            await old.ws.close(code=4000, message=b"Session resumed elsewhere.")
        session.connection = conn
        conn.session = session
        last_seen = int(data.get("seq") or 0)
        for frame in [f for f in session.sent if f["s"] > last_seen]:
            await conn.send(frame)
        await conn.dispatch("RESUMED", {"_trace": ["fake-gw"]})
        conn.ready = True
        self.resume_count += 1
        self._changed()

    async def _gateway_request_members(
        self: FakeDiscord, conn: GatewayConnection, data: dict
    ) -> None:
        guild = self.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        wanted = data.get("user_ids")
        query = (data.get("query") or "").lower()
        members = []
        for user_id in guild.members:
            if wanted is not None:
                ids = wanted if isinstance(wanted, list) else [wanted]
                if str(user_id) not in {str(i) for i in ids}:
                    continue
            elif query and not self.users[user_id]["username"].lower().startswith(query):
                continue
            members.append(self._member_payload(guild.id, user_id))
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        if data.get("presences"):
            chunk["presences"] = []
        await conn.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    # -- helpers used by the REST side and by tests ------------------------------------------

    def _live_connections(self: FakeDiscord) -> list[GatewayConnection]:
        return [c for c in self.connections if c.live]

    def _current_connection(self: FakeDiscord, guild_id: int | None = None) -> GatewayConnection:
        """The newest live connection that receives ``guild_id``'s events (its shard's, when sharded)."""
        live = self._live_connections()
        if not live:
            raise RuntimeError(
                "no bot is connected to the fake gateway (call `await fake.wait_ready()` first)"
            )
        serving = [c for c in live if c.session is not None and c.session.serves(guild_id)]
        if not serving:
            raise RuntimeError(f"no live connection runs the shard of guild {guild_id}")
        return serving[-1]

    async def _broadcast(self: FakeDiscord, event: str, data: dict, intent: int = 0) -> None:
        """Dispatch an event to every live connection whose IDENTIFY asked for ``intent``."""
        for conn in self._live_connections():
            assert conn.session is not None
            if intent and not conn.session.intents & intent:
                continue
            await conn.dispatch(event, data)

    def _broadcast_soon(self: FakeDiscord, event: str, data: dict, intent: int = 0) -> None:
        """Schedule :meth:`_broadcast` from synchronous code (test helpers)."""
        if not self._live_connections():
            return
        task = asyncio.get_running_loop().create_task(self._broadcast(event, data, intent))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def connected(self: FakeDiscord) -> bool:
        """Whether some bot holds a live (ready) gateway connection."""
        return bool(self._live_connections())

    async def disconnect_bots(self: FakeDiscord, code: int = 4000, *, resumable: bool = True) -> None:
        """Close every gateway connection from the server side (as a Discord outage would).

        With ``resumable`` (and a code discord.py treats as resumable, such as 4000) the bot
        comes back with RESUME and gets RESUMED; without it the sessions are forgotten, so the
        bot's RESUME gets INVALID_SESSION and it identifies again."""
        if not resumable:
            self._sessions.clear()
        closing = [c for c in self.connections if not c.ws.closed]
        for conn in closing:
            conn.server_closed = True
        await asyncio.gather(
            *(c.ws.close(code=code, message=b"fake disconnect") for c in closing),
            return_exceptions=True,
        )

    async def take_gateway_down(self: FakeDiscord) -> None:
        """Drop every gateway connection and refuse new ones (HTTP 503) until :meth:`bring_gateway_up`.

        Sessions are kept, so the bot resumes once the gateway is back."""
        self.gateway_down = True
        await self.disconnect_bots(4000, resumable=True)

    def bring_gateway_up(self: FakeDiscord) -> None:
        """Accept gateway connections again."""
        self.gateway_down = False
        self._changed()

    async def request_reconnect(self: FakeDiscord) -> None:
        """Send RECONNECT (op 7) on every live connection; discord.py reconnects and resumes."""
        for conn in self._live_connections():
            await conn.send({"op": OP_RECONNECT, "s": None, "t": None, "d": None})

    async def invalidate_session(self: FakeDiscord, resumable: bool = False) -> None:
        """Send INVALID_SESSION (op 9) on every live connection."""
        if not resumable:
            for conn in self._live_connections():
                if conn.session is not None:
                    self._sessions.pop(conn.session.id, None)
        for conn in self._live_connections():
            await conn.send({"op": OP_INVALID_SESSION, "s": None, "t": None, "d": resumable})
