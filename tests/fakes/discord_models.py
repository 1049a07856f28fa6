"""Data types shared by the fake Discord server (see ``tests/fakes/discord.py``).

Everything here is plain data plus small helpers: snowflakes, permission bits, the error type
the REST handlers raise, and the records tests read (:class:`FakeMessage`, :class:`FakeFile`,
:class:`FakeInteraction`). Nothing in this module imports discord.py: the fake is a server and
must not share code with the client it tests.
"""

from __future__ import annotations

import asyncio
import io
import mimetypes
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakes.discord import FakeDiscord

DISCORD_EPOCH_MS = 1_420_070_400_000
INTERACTION_TOKEN_TTL = 15 * 60.0

# Message flags.
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_COMPONENTS_V2 = 1 << 15

# Interaction types and callback types.
INTERACTION_PING = 1
INTERACTION_APPLICATION_COMMAND = 2
INTERACTION_COMPONENT = 3
INTERACTION_AUTOCOMPLETE = 4
INTERACTION_MODAL_SUBMIT = 5

CALLBACK_PONG = 1
CALLBACK_CHANNEL_MESSAGE = 4
CALLBACK_DEFERRED_CHANNEL_MESSAGE = 5
CALLBACK_DEFERRED_UPDATE_MESSAGE = 6
CALLBACK_UPDATE_MESSAGE = 7
CALLBACK_AUTOCOMPLETE_RESULT = 8
CALLBACK_MODAL = 9


class Perm:
    """Discord permission bits used by the fake (values as in Discord's documentation)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    CREATE_PUBLIC_THREADS = 1 << 35
    SEND_MESSAGES_IN_THREADS = 1 << 38
    ALL = (1 << 51) - 1

    #: What Discord gives @everyone in a new server.
    EVERYONE_DEFAULT = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CONNECT
        | SPEAK
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | CREATE_PUBLIC_THREADS
        | SEND_MESSAGES_IN_THREADS
    )
    #: What the bot's managed role holds (a typical invite link's permissions).
    BOT_DEFAULT = (
        VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | ADD_REACTIONS
        | USE_EXTERNAL_EMOJIS
        | USE_APPLICATION_COMMANDS
        | SEND_MESSAGES_IN_THREADS
    )


class Snowflakes:
    """Strictly increasing snowflakes built from the wall clock, as Discord makes them."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        """Return a new snowflake, greater than every one returned before."""
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        if candidate <= self._last:
            candidate = self._last + 1
        self._last = candidate
        return candidate

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """A new snowflake of a guild that belongs to ``shard_id`` of ``shard_count`` shards:
        ``(snowflake >> 22) % shard_count == shard_id``, as Discord routes guilds."""
        millis = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, (self._last >> 22) + 1)
        millis += (shard_id - millis) % shard_count
        self._last = millis << 22
        return self._last


def shard_of(guild_id: int | None, shard_count: int) -> int:
    """The shard that receives a guild's events (direct messages: shard 0)."""
    return 0 if guild_id is None else (guild_id >> 22) % shard_count


def snowflake_time(snowflake: int) -> float:
    """The UNIX time (seconds) encoded in a snowflake."""
    return ((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000


def iso_timestamp(ts: float) -> str:
    """ISO 8601 timestamp with an explicit UTC offset, the way Discord writes them."""
    return datetime.fromtimestamp(ts, UTC).isoformat()


class ApiError(Exception):
    """An error answer of the fake REST API: ``{"code": .., "message": .., "errors": {..}}``."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or {}
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        """The JSON body Discord would send."""
        body: dict[str, Any] = {"code": self.code, "message": self.message, "errors": self.errors}
        body.update(self.extra)
        return body


def form_error(path: str, code: str, message: str) -> ApiError:
    """A 400 ``50035 Invalid Form Body`` whose ``errors`` point at ``path`` (dotted, e.g.
    ``data.embeds.0.description``), shaped as Discord nests them."""
    errors: dict[str, Any] = {}
    node = errors
    for part in path.split("."):
        node = node.setdefault(part, {})
    node["_errors"] = [{"code": code, "message": message}]
    return ApiError(400, 50035, "Invalid Form Body", errors)


def guess_content_type(filename: str, data: bytes) -> str | None:
    """Content type Discord would report: from the extension, else sniffed for images."""
    guessed, _ = mimetypes.guess_type(filename)
    if guessed:
        return guessed
    info = image_info(data)
    if info is not None:
        return info[2]
    return None


def image_info(data: bytes) -> tuple[int, int, str] | None:
    """``(width, height, mime type)`` of image bytes, or None when Pillow cannot read them."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            mime = Image.MIME.get(img.format or "", None) or "application/octet-stream"
            return width, height, mime
    except Exception:
        return None


@dataclass
class FakeFile:
    """One attachment: uploaded by the bot or registered by a test with ``add_attachment``."""

    filename: str
    content_type: str | None
    data: bytes
    id: int
    description: str | None = None
    width: int | None = None
    height: int | None = None
    url: str = ""
    proxy_url: str = ""
    ephemeral: bool = False
    title: str | None = None

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)

    def payload(self) -> dict[str, Any]:
        """The attachment object as Discord sends it."""
        out: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.proxy_url,
        }
        if self.content_type is not None:
            out["content_type"] = self.content_type
        if self.width is not None and self.height is not None:
            out["width"] = self.width
            out["height"] = self.height
        if self.description is not None:
            out["description"] = self.description
        if self.title is not None:
            out["title"] = self.title
        if self.ephemeral:
            out["ephemeral"] = True
        return out


@dataclass
class FakeMessage:
    """A message as the fake stores it; ``edits`` keeps every edit payload, oldest first."""

    id: int
    channel_id: int
    guild_id: int | None
    author_id: int
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    attachments: list[FakeFile] = field(default_factory=list)
    message_reference: dict[str, Any] | None = None
    mentions: list[int] = field(default_factory=list)
    mention_roles: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    allowed_mentions: dict[str, Any] | None = None
    interaction_id: int | None = None
    webhook_id: int | None = None
    type: int = 0
    tts: bool = False
    nonce: str | int | None = None
    timestamp: float = field(default_factory=time.time)
    edited_timestamp: float | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    pinned: bool = False
    reactions: list[str] = field(default_factory=list)
    poll: dict[str, Any] | None = None
    #: The body of the request that created the message (files replaced by their metadata).
    created_with: dict[str, Any] = field(default_factory=dict)

    @property
    def ephemeral(self) -> bool:
        """Whether the message carries the EPHEMERAL flag (64)."""
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Whether the message is a deferred "thinking…" placeholder (flag 128)."""
        return bool(self.flags & FLAG_LOADING)

    @property
    def files(self) -> dict[str, bytes]:
        """Attachment bytes by filename (convenience for assertions)."""
        return {f.filename: f.data for f in self.attachments}

    def custom_ids(self) -> list[str]:
        """Every ``custom_id`` in the message's components, depth first."""
        return [c["custom_id"] for c in walk_components(self.components) if "custom_id" in c]


def walk_components(components: list[dict[str, Any]]):
    """Yield every component, descending into rows, sections, containers and labels."""
    for comp in components or []:
        yield comp
        for key in ("components",):
            if isinstance(comp.get(key), list):
                yield from walk_components(comp[key])
        for key in ("accessory", "component"):
            if isinstance(comp.get(key), dict):
                yield from walk_components([comp[key]])


@dataclass
class FakeInteraction:
    """An interaction the fake sent to the bot, with everything the bot answered."""

    id: int
    token: str
    type: int
    created_at: float
    payload: dict[str, Any]
    user_id: int
    guild_id: int | None
    channel_id: int
    attachment_size_limit: int
    name: str | None = None
    custom_id: str | None = None
    #: Message a component interaction came from (or the modal's origin message).
    message_id: int | None = None
    #: Every callback accepted, in order: ``{"type": int, "data": dict | None}``.
    responses: list[dict[str, Any]] = field(default_factory=list)
    #: Messages created through the followup webhook (the first one after a defer *is* the
    #: deferred @original message, edited in place, as on Discord).
    followups: list[FakeMessage] = field(default_factory=list)
    #: Every request tied to this interaction that the fake refused:
    #: ``{"method", "path", "status", "code", "message"}``.
    failures: list[dict[str, Any]] = field(default_factory=list)
    #: ``time.monotonic()`` when the INTERACTION_CREATE frame was written to the gateway socket
    #: (for benchmarks; ``time.monotonic`` is system-wide on Linux, so other processes' stamps
    #: compare with it).
    dispatched_at: float | None = None
    #: ``time.monotonic()`` when the first callback request for it reached the fake (accepted or
    #: not), for benchmarks.
    callback_at: float | None = None
    _original_id: int | None = None
    _fake: FakeDiscord | None = field(default=None, repr=False)

    @property
    def data(self) -> dict[str, Any]:
        """The ``data`` object of the INTERACTION_CREATE payload."""
        return self.payload.get("data", {})

    @property
    def responded(self) -> bool:
        """Whether a callback was accepted."""
        return bool(self.responses)

    @property
    def response_type(self) -> int | None:
        """Type of the first accepted callback, or None."""
        return self.responses[0]["type"] if self.responses else None

    @property
    def ephemeral(self) -> bool:
        """Whether the first response carried flag 64."""
        if not self.responses:
            return False
        data = self.responses[0].get("data") or {}
        return bool(int(data.get("flags", 0) or 0) & FLAG_EPHEMERAL)

    @property
    def age(self) -> float:
        """Seconds since the interaction was created, by the fake's clock."""
        assert self._fake is not None
        return self._fake.clock() - self.created_at

    def original(self) -> FakeMessage | None:
        """The ``@original`` message: the callback's message (after a defer it exists with the
        loading flag), or for component updates (types 6/7) the message the component is on."""
        if self._original_id is None or self._fake is None:
            return None
        return self._fake.messages.get(self._original_id)

    @property
    def messages(self) -> list[FakeMessage]:
        """The original (if any) followed by the followups, without duplicates."""
        out: list[FakeMessage] = []
        orig = self.original()
        if orig is not None:
            out.append(orig)
        out.extend(m for m in self.followups if m is not orig)
        return out

    async def wait_response(
        self,
        timeout: float = 5,  # noqa: ASYNC109 - the public API takes a timeout
    ) -> dict[str, Any]:
        """Wait for the first accepted callback and return it (``{"type", "data"}``)."""
        await self.wait_for(lambda i: bool(i.responses), timeout=timeout)
        return self.responses[0]

    async def wait_for(
        self,
        predicate: Callable[[FakeInteraction], bool],
        timeout: float = 10,  # noqa: ASYNC109 - the public API takes a timeout
    ) -> None:
        """Wait until ``predicate(self)`` is true; re-checked on every change the fake records."""
        assert self._fake is not None
        await self._fake.wait_for(lambda _f: predicate(self), timeout=timeout, what=repr(self))

    def __repr__(self) -> str:
        return (
            f"<FakeInteraction id={self.id} type={self.type} name={self.name!r} "
            f"custom_id={self.custom_id!r} responses={[r['type'] for r in self.responses]} "
            f"followups={len(self.followups)} failures={[f['code'] for f in self.failures]}>"
        )


class FakeClock:
    """A settable clock for ``FakeDiscord(clock=...)``: call it for the time, ``advance`` it."""

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


class Changes:
    """Wakes every waiter when the fake records something (an Event swapped on each change)."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self.counter = 0

    def notify(self) -> None:
        """Record a change and wake the waiters."""
        self.counter += 1
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait(self, predicate: Callable[[], bool], seconds: float, what: str) -> None:
        """Return once ``predicate()`` is true; re-checked on every change and every 50 ms."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {seconds}s waiting for {what}")
            if self._event is None:
                self._event = asyncio.Event()
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), timeout=min(remaining, 0.05))
            except TimeoutError:
                pass
