"""Proves the fake Discord works with a real, unmodified discord.py ``commands.Bot``.

Each test starts the fake on 127.0.0.1, points discord.py at it, runs a tiny bot defined here
in a background task and injects interactions, then checks what the fake recorded.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord
import discord.gateway
import discord.http
import pytest
from discord import app_commands
from discord.ext import commands
from PIL import Image

from tests.fakes.discord import DROP, FakeClock, FakeDiscord, FakeInteraction, Perm

TIMEOUT = 5


def png_bytes(width: int, height: int) -> bytes:
    """A real PNG of the given size."""
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 90)).save(buf, format="PNG")
    return buf.getvalue()


PNG = png_bytes(64, 48)
MODELS = ["gpt-image-1", "gpt-image-1.5-plus", "flux-kontext"]


@dataclass
class BotState:
    """What the test bot saw and did, and the switches the tests flip."""

    hold: bool = False
    release: asyncio.Event = field(default_factory=asyncio.Event)
    errors: list[Exception] = field(default_factory=list)
    downloads: list[bytes] = field(default_factory=list)
    clicks: list[str] = field(default_factory=list)
    modal_values: list[str] = field(default_factory=list)
    targets: list[discord.Message] = field(default_factory=list)
    uploads: list[tuple[str, bytes]] = field(default_factory=list)
    file_size: int = 10
    file_count: int = 1
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Again(discord.ui.DynamicItem[discord.ui.Button], template=r"again:(?P<n>[0-9]+)"):
    """A persistent button: its state lives in the custom_id, so it survives a restart."""

    def __init__(self, n: int) -> None:
        super().__init__(discord.ui.Button(label="Again", custom_id=f"again:{n}"))
        self.n = n

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        state: BotState = interaction.client.state  # type: ignore[attr-defined]
        state.clicks.append(interaction.data["custom_id"])  # type: ignore[index]
        await interaction.response.send_modal(PromptModal())


class PromptModal(discord.ui.Modal, title="New prompt"):
    """The modal opened by the Again button."""

    prompt = discord.ui.TextInput(label="Prompt", custom_id="prompt", max_length=200)

    def __init__(self) -> None:
        super().__init__(custom_id="prompt-modal")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        state: BotState = interaction.client.state  # type: ignore[attr-defined]
        state.modal_values.append(self.prompt.value)
        await interaction.response.send_message(f"got {self.prompt.value}", ephemeral=True)


class AskModal(discord.ui.Modal, title="Ask"):
    """A modal in the newer shape: labels holding a text input and a file upload."""

    def __init__(self) -> None:
        super().__init__(custom_id="ask-modal")
        self.question = discord.ui.TextInput(custom_id="q")
        self.image = discord.ui.FileUpload(custom_id="img")
        self.add_item(discord.ui.Label(text="Question", component=self.question))
        self.add_item(discord.ui.Label(text="Image", component=self.image))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        state: BotState = interaction.client.state  # type: ignore[attr-defined]
        state.modal_values.append(self.question.value)
        for attachment in self.image.values:
            state.uploads.append((attachment.filename, await attachment.read()))
        await interaction.response.send_message(f"{len(self.image.values)} file(s)", ephemeral=True)


class MenuView(discord.ui.View):
    """A select that edits its message (type 7) and a button that deletes it (type 6)."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.select(
        custom_id="menu:size",
        options=[discord.SelectOption(label=s) for s in ("1024x1024", "1536x1024")],
    )
    async def size(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.edit_message(content=f"size {select.values[0]}", view=None)

    @discord.ui.button(label="Delete", custom_id="menu:delete")
    async def delete(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.defer()
        await interaction.delete_original_response()


class TestBot(commands.Bot):
    """A tiny bot exercising what the project's bot uses."""

    __test__ = False

    def __init__(self, state: BotState, guild_id: int) -> None:
        super().__init__(command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.1)
        self.state = state
        guild = discord.Object(guild_id)
        tree = self.tree

        @tree.command(name="ping", description="Defer, then answer with a file and an embed", guild=guild)
        async def ping(interaction: discord.Interaction, ephemeral: bool = False) -> None:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
            embed = discord.Embed(title="Pong", description="a result").set_image(url="attachment://pong.png")
            view = discord.ui.View(timeout=None).add_item(Again(7))
            await interaction.followup.send(
                "pong", file=discord.File(io.BytesIO(PNG), "pong.png"), embed=embed, view=view,
                ephemeral=ephemeral,
            )
            state.done.set()

        @tree.command(name="describe", description="Read an attachment option", guild=guild)
        async def describe(interaction: discord.Interaction, image: discord.Attachment) -> None:
            state.downloads.append(await image.read())
            await interaction.response.send_message(
                f"{image.filename} {image.content_type} {image.width}x{image.height} {image.size}",
                ephemeral=True,
            )

        async def model_autocomplete(interaction: discord.Interaction, current: str):
            return [app_commands.Choice(name=m, value=m) for m in MODELS if current in m]

        @tree.command(name="pick", description="Autocomplete a model", guild=guild)
        @app_commands.autocomplete(model=model_autocomplete)
        async def pick(interaction: discord.Interaction, model: str, n: int = 1) -> None:
            await interaction.response.send_message(f"{model} x{n}")

        @tree.command(name="late", description="Answer only when released", guild=guild)
        async def late(interaction: discord.Interaction) -> None:
            await state.release.wait()
            try:
                await interaction.response.send_message("late")
            except discord.HTTPException as exc:
                state.errors.append(exc)
            state.done.set()

        @tree.command(name="job", description="Defer, then deliver files", guild=guild)
        async def job(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            if state.hold:
                await state.release.wait()
            files = [
                discord.File(io.BytesIO(b"x" * state.file_size), f"f{i}.bin")
                for i in range(state.file_count)
            ]
            try:
                await interaction.followup.send("done", files=files)
            except discord.HTTPException as exc:
                state.errors.append(exc)
            state.done.set()

        @tree.command(name="say", description="Send some content", guild=guild)
        async def say(interaction: discord.Interaction, text: str, count: int = 1) -> None:
            try:
                await interaction.response.send_message(text * count)
            except discord.HTTPException as exc:
                state.errors.append(exc)
            state.done.set()

        @tree.command(name="post", description="Post in the channel", guild=guild)
        async def post(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True)
            try:
                await interaction.channel.send("hello channel")  # type: ignore[union-attr]
                await interaction.followup.send("posted", ephemeral=True)
            except discord.Forbidden as exc:
                state.errors.append(exc)
                await interaction.followup.send(f"cannot post: {exc.code}", ephemeral=True)
            state.done.set()

        @tree.command(name="swap", description="Send, then edit the attachments", guild=guild)
        async def swap(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("v1", file=discord.File(io.BytesIO(b"a"), "a.txt"))
            msg = await interaction.original_response()
            msg = await interaction.edit_original_response(
                content="v2", attachments=[msg.attachments[0], discord.File(io.BytesIO(b"bb"), "b.txt")]
            )
            await interaction.edit_original_response(content="v3", attachments=[msg.attachments[1]])
            state.done.set()

        @tree.context_menu(name="Edit image", guild=guild)
        async def edit_image(interaction: discord.Interaction, message: discord.Message) -> None:
            state.targets.append(message)
            await interaction.response.send_message(
                f"{len(message.attachments)} attachment(s)", ephemeral=True
            )

        @tree.command(name="menu", description="A select and a delete button", guild=guild)
        async def menu(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pick a size", view=MenuView())

        @tree.command(name="ask", description="Open a modal with a file upload", guild=guild)
        async def ask(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(AskModal())

        @tree.command(name="notify", description="Reply in the channel and DM the member", guild=guild)
        async def notify(interaction: discord.Interaction, message_id: str) -> None:
            await interaction.response.defer(ephemeral=True)
            channel = interaction.channel
            assert isinstance(channel, discord.TextChannel)
            await channel.send(
                f"{interaction.user.mention} your image is ready (not <@{interaction.client.user.id}>)",
                reference=channel.get_partial_message(int(message_id)),
                allowed_mentions=discord.AllowedMentions(users=[interaction.user], replied_user=False),
            )
            await interaction.user.send("a copy for you")
            await interaction.followup.send("ok", ephemeral=True)
            state.done.set()

        @tree.context_menu(name="Who", guild=guild)
        async def who(interaction: discord.Interaction, member: discord.Member) -> None:
            await interaction.response.send_message(
                f"{member.name} {member.guild_permissions.manage_guild} {interaction.app_permissions.attach_files}"
            )

        limits = app_commands.Group(name="limits", description="Admin limits", guild_ids=[guild_id])
        member_group = app_commands.Group(name="member", description="Per member", parent=limits)

        @member_group.command(name="set", description="Set a member's limit")
        async def limits_member_set(
            interaction: discord.Interaction,
            member: discord.Member,
            role: discord.Role,
            where: discord.TextChannel,
            limit: int,
            ratio: float = 1.0,
        ) -> None:
            await interaction.response.send_message(
                f"{member.id} {member.name} {role.name} {where.name} {limit} {ratio} "
                f"{interaction.permissions.manage_guild}",
                ephemeral=True,
            )

        tree.add_command(limits)

        @tree.command(name="hello", description="Works in DMs too")
        async def hello(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"hello {interaction.user.id}")

    async def setup_hook(self) -> None:
        self.add_dynamic_items(Again)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s here before every non-initial IDENTIFY; not needed on a fake."""


@pytest.fixture
def interaction_clock() -> FakeClock:
    """The fake's own clock (epoch seconds) for interaction deadlines, frozen until a test advances it."""
    return FakeClock()


@pytest.fixture
async def fake(interaction_clock: FakeClock) -> AsyncIterator[FakeDiscord]:
    """A started fake Discord that discord.py points at; restores discord.py afterwards."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    async with FakeDiscord(clock=interaction_clock, upload_limit=64 * 1024) as fake:
        with fake.patch_discord_py():
            yield fake
        assert not fake.internal_errors, fake.internal_errors
    assert discord.http.Route.BASE == old_base
    assert discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY == old_gateway


class Running:
    """A test bot running in a background task against the fake."""

    def __init__(self, fake: FakeDiscord, state: BotState | None = None) -> None:
        self.fake = fake
        self.state = state or BotState()
        self.bot = TestBot(self.state, fake.guild_id)
        self.task: asyncio.Task | None = None

    async def start(self, *, ready_count: int = 1) -> Running:
        self.task = asyncio.create_task(self.bot.start(self.fake.token))
        await self.fake.wait_ready(TIMEOUT, count=ready_count)
        return self

    async def stop(self) -> None:
        await asyncio.wait_for(self.bot.close(), TIMEOUT)
        if self.task is not None:
            await asyncio.wait_for(self.task, TIMEOUT)


@pytest.fixture
async def running(fake: FakeDiscord) -> AsyncIterator[Running]:
    """A connected test bot whose guild commands are synced to the fake."""
    run = Running(fake)
    try:
        await run.start()
        await asyncio.wait_for(run.bot.tree.sync(guild=discord.Object(fake.guild_id)), TIMEOUT)
        yield run
    finally:
        await run.stop()


async def raw(fake: FakeDiscord, method: str, path: str, **kw: Any) -> tuple[int, Any, str]:
    """A direct request to the fake's REST API: (status, JSON body or text, content type)."""
    async with aiohttp.ClientSession() as session, session.request(
        method, fake.rest_url + path, **kw
    ) as resp:
        text = await resp.text()
        body = await resp.json(content_type=None) if text else None
        return resp.status, body, resp.headers.get("Content-Type", "")


async def done(state: BotState) -> None:
    """Wait until the bot's command handler finished."""
    await asyncio.wait_for(state.done.wait(), TIMEOUT)


# -- connecting and commands ---------------------------------------------------------------------


async def test_bot_identifies_and_syncs_guild_commands(running: Running) -> None:
    """A real bot logs in, identifies with its token and gets ids for the commands it syncs."""
    fake = running.fake
    assert [p["token"] for p in fake.identify_payloads] == [fake.token]
    assert running.bot.user is not None and running.bot.user.id == fake.bot_user_id
    assert running.bot.application_id == fake.application_id
    synced = fake.synced_commands[fake.guild_id]
    names = {c["name"] for c in synced}
    assert {"ping", "describe", "pick", "Edit image"} <= names
    assert all(c["application_id"] == str(fake.application_id) and c["id"] for c in synced)
    ids = {c["name"]: c["id"] for c in synced}
    again = await running.bot.tree.sync(guild=discord.Object(fake.guild_id))
    assert {c.name: str(c.id) for c in again} == ids  # ids are stable across syncs
    assert fake.command_put_count == 2
    assert ("GET", "/users/@me") in fake.requests
    assert ("GET", "/oauth2/applications/@me") in fake.requests


# -- responses, files, embeds, flags -------------------------------------------------------------


async def test_deferred_followup_replaces_thinking_message_with_file_and_embed(running: Running) -> None:
    """A defer creates a loading @original that the first followup fills with file, embed, button."""
    fake = running.fake
    inter = await fake.slash("ping")
    first = await inter.wait_response()
    assert first["type"] == 5
    await done(running.state)
    original = inter.original()
    assert original is not None
    assert inter.followups == [original]  # the followup replaced the "thinking…" message
    assert not original.loading and not original.ephemeral and not inter.ephemeral
    assert original.content == "pong"
    assert original.files == {"pong.png": PNG}
    assert original.attachments[0].width == 64 and original.attachments[0].content_type == "image/png"
    embed = original.embeds[0]
    assert embed["title"] == "Pong" and embed["type"] == "rich"
    assert embed["image"]["url"] == original.attachments[0].url  # attachment:// resolved
    assert original.custom_ids() == ["again:7"]
    assert original.type == 20 and original.interaction_id == inter.id


async def test_ephemeral_defer_keeps_flag_on_followup(running: Running) -> None:
    """An ephemeral defer carries flag 64 and the followup that replaces it stays ephemeral."""
    inter = await running.fake.slash("ping", {"ephemeral": True})
    await done(running.state)
    assert inter.ephemeral
    assert inter.responses[0]["data"] == {"flags": 64}
    original = inter.original()
    assert original is not None and original.ephemeral and original.flags == 64
    assert original.attachments[0].ephemeral


async def test_attachment_option_is_resolved_and_downloadable(running: Running) -> None:
    """An attachment option arrives with its object in data.resolved and its bytes downloadable."""
    fake = running.fake
    att = fake.add_attachment(PNG, "cat.png")
    assert (att["width"], att["height"], att["content_type"]) == (64, 48, "image/png")
    inter = await fake.slash("describe", attachments={"image": att})
    response = await inter.wait_response()
    assert running.state.downloads == [PNG]
    assert response["data"]["content"] == f"cat.png image/png 64x48 {len(PNG)}"
    assert response["data"]["flags"] == 64 and inter.ephemeral
    option = inter.data["options"][0]
    assert option == {"type": 11, "name": "image", "value": att["id"]}


async def test_autocomplete_returns_the_bots_choices(running: Running) -> None:
    """Autocomplete (type 4) sends the focused option and returns the bot's type-8 choices."""
    choices = await running.fake.autocomplete("pick", {"model": "image-1", "n": 2}, focused="model")
    assert choices == [
        {"name": "gpt-image-1", "value": "gpt-image-1"},
        {"name": "gpt-image-1.5-plus", "value": "gpt-image-1.5-plus"},
    ]
    inter = await running.fake.slash("pick", {"model": "flux-kontext", "n": 3})
    response = await inter.wait_response()
    assert response["data"]["content"] == "flux-kontext x3"
    assert inter.data["options"] == [
        {"type": 3, "name": "model", "value": "flux-kontext"},
        {"type": 4, "name": "n", "value": 3},
    ]


async def test_button_custom_id_and_modal_round_trip(running: Running) -> None:
    """A button click reaches the bot with its custom_id, and the modal it opens can be submitted."""
    fake = running.fake
    inter = await fake.slash("ping")
    await done(running.state)
    message = inter.original()
    assert message is not None
    click = await fake.click(message.id, "again:7")
    response = await click.wait_response()
    assert running.state.clicks == ["again:7"]
    assert response["type"] == 9 and response["data"]["custom_id"] == "prompt-modal"
    submit = await fake.submit_modal("prompt-modal", {"prompt": "a red fox"})
    answer = await submit.wait_response()
    assert running.state.modal_values == ["a red fox"]
    assert answer["data"]["content"] == "got a red fox" and submit.ephemeral


async def test_edit_keeps_listed_attachments_only(running: Running) -> None:
    """PATCH @original keeps the attachments listed by id and adds new files, as Discord does."""
    inter = await running.fake.slash("swap")
    await done(running.state)
    original = inter.original()
    assert original is not None
    assert original.content == "v3"
    assert original.files == {"b.txt": b"bb"}
    assert [e.get("content") for e in original.edits] == ["v2", "v3"]


async def test_message_command_resolves_target_message(running: Running) -> None:
    """A message context menu reaches the bot with the target message and its attachments."""
    fake = running.fake
    att = fake.add_attachment(PNG, "source.png")
    target = fake.add_message("make it blue", attachments=[att])
    inter = await fake.message_command("Edit image", target.id)
    response = await inter.wait_response()
    assert response["data"]["content"] == "1 attachment(s)"
    seen = running.state.targets[0]
    assert seen.id == target.id and seen.attachments[0].url == att["url"]
    assert await seen.attachments[0].read() == PNG


async def test_dm_interaction_uses_a_dm_channel(running: Running) -> None:
    """guild_id=None sends the command from a DM with a user object and a global command."""
    fake = running.fake
    await asyncio.wait_for(running.bot.tree.sync(), TIMEOUT)
    inter = await fake.slash("hello", guild_id=None, user_id=fake.other_member_id)
    response = await inter.wait_response()
    assert response["data"]["content"] == f"hello {fake.other_member_id}"
    assert "user" in inter.payload and "member" not in inter.payload
    assert fake.channels[inter.channel_id].type == 1


# -- Discord's refusals --------------------------------------------------------------------------


async def test_first_response_after_deadline_fails_10062(running: Running, interaction_clock: FakeClock) -> None:
    """A first callback later than 3 s (by the injected clock) fails 404 10062 Unknown interaction."""
    inter = await running.fake.slash("late")
    interaction_clock.advance(3.5)
    running.state.release.set()
    await done(running.state)
    (error,) = running.state.errors
    assert isinstance(error, discord.NotFound) and error.code == 10062
    assert not inter.responded and inter.failures[0]["code"] == 10062


async def test_second_acknowledgement_fails_40060(running: Running) -> None:
    """A second callback on an answered interaction fails 400 40060."""
    inter = await running.fake.slash("pick", {"model": "flux-kontext"})
    await inter.wait_response()
    status, body, content_type = await raw(
        running.fake, "POST", f"/interactions/{inter.id}/{inter.token}/callback",
        json={"type": 4, "data": {"content": "again"}},
    )
    assert (status, body["code"], content_type) == (400, 40060, "application/json")
    assert len(inter.responses) == 1


async def test_token_older_than_15_minutes_fails_50027(running: Running) -> None:
    """A followup with an interaction token older than 15 minutes fails 401 50027."""
    fake, state = running.fake, running.state
    state.hold = True
    inter = await fake.slash("job")
    await inter.wait_response()
    fake.age_interaction(inter, 15 * 60 + 1)
    state.release.set()
    await done(state)
    (error,) = state.errors
    assert isinstance(error, discord.HTTPException) and (error.status, error.code) == (401, 50027)
    original = inter.original()
    assert original is not None and original.loading  # still "thinking…"


async def test_file_over_the_limit_fails_413(running: Running) -> None:
    """A file larger than the interaction's attachment_size_limit fails 413 40005."""
    running.state.file_size = 64 * 1024 + 1
    inter = await running.fake.slash("job")
    assert inter.payload["attachment_size_limit"] == 64 * 1024
    await done(running.state)
    (error,) = running.state.errors
    assert (error.status, error.code) == (413, 40005)
    assert inter.followups == []


async def test_eleven_files_fail_30015(running: Running) -> None:
    """More than 10 files in one message fails 400 30015."""
    running.state.file_count = 11
    inter = await running.fake.slash("job")
    await done(running.state)
    (error,) = running.state.errors
    assert (error.status, error.code) == (400, 30015)
    assert inter.failures[-1]["code"] == 30015


async def test_long_and_empty_content_are_refused(running: Running) -> None:
    """Content over 2,000 characters fails 400 50035 and an empty message 400 50006."""
    fake, state = running.fake, running.state
    await fake.slash("say", {"text": "x" * 1000, "count": 3})
    await done(state)
    state.done.clear()
    too_long = state.errors.pop()
    assert (too_long.status, too_long.code) == (400, 50035)
    assert "content" in str(too_long)
    await fake.slash("say", {"text": "   "})
    await done(state)
    empty = state.errors.pop()
    assert (empty.status, empty.code) == (400, 50006)


@pytest.mark.parametrize("code", [50013, 50001])
async def test_denied_channel_fails_with_the_chosen_code(running: Running, code: int) -> None:
    """deny_channel makes channel posts fail 403 50013 (or 50001) while the interaction works."""
    fake, state = running.fake, running.state
    fake.deny_channel(fake.channel_id, code=code)
    inter = await fake.slash("post")
    await done(state)
    (error,) = state.errors
    assert isinstance(error, discord.Forbidden) and error.code == code
    assert inter.followups[0].content == f"cannot post: {code}"
    assert not int(inter.payload["app_permissions"]) & (1 << 11)  # SEND_MESSAGES shown as denied
    channel = running.bot.get_channel(fake.channel_id)
    assert isinstance(channel, discord.TextChannel)
    assert not channel.permissions_for(channel.guild.me).send_messages  # CHANNEL_UPDATE arrived
    fake.allow_channel(fake.channel_id)
    state.done.clear()
    await fake.slash("post")
    await done(state)
    assert [m.content for m in fake.channel_messages[fake.channel_id]] == ["hello channel"]


async def test_rate_limited_callback_is_retried(running: Running) -> None:
    """A 429 with Via and retry_after makes discord.py wait and retry, as with Discord."""
    fake = running.fake
    fake.rate_limit_next("/interactions/", 0.05)
    inter = await fake.slash("pick", {"model": "flux-kontext"})
    await inter.wait_response()
    callbacks = [r for r in fake.request_log if r.path.startswith("/interactions/")]
    assert [r.status for r in callbacks] == [429, 200]


async def test_unknown_routes_are_logged(running: Running) -> None:
    """Routes the fake does not know answer 404 code 0 and are listed in unknown_routes."""
    fake = running.fake
    with pytest.raises(discord.NotFound):
        await running.bot.http.request(discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=1))
    assert fake.unknown_routes == [("GET", "/guilds/1/bans")]
    status, body, content_type = await raw(fake, "GET", "/gateway")
    assert (status, content_type) == (200, "application/json")
    assert body == {"url": fake.gateway_url}


async def test_select_edits_its_message_and_delete_button_removes_one(running: Running) -> None:
    """A select answered with type 7 edits its message; a type-6 defer then @original deletes it."""
    fake = running.fake
    first = await fake.slash("menu")
    await first.wait_response()
    message = first.original()
    assert message is not None and message.custom_ids() == ["menu:size", "menu:delete"]
    chosen = await fake.select(message.id, "menu:size", ["1536x1024"])
    response = await chosen.wait_response()
    assert response["type"] == 7 and chosen.original() is message
    assert (message.content, message.components) == ("size 1536x1024", [])
    assert message.edits[-1]["content"] == "size 1536x1024"
    second = await fake.slash("menu")
    await second.wait_response()
    doomed = second.original()
    assert doomed is not None
    clicked = await fake.click(doomed.id, "menu:delete")
    await clicked.wait_for(lambda i: doomed.deleted)
    assert clicked.response_type == 6 and not message.deleted


async def test_channel_reply_mentions_and_direct_message(running: Running) -> None:
    """Channel posts keep replies and allowed mentions; user.send opens a DM and posts there."""
    fake = running.fake
    source = fake.add_message("please draw a cat")
    await fake.slash("notify", {"message_id": str(source.id)})
    await done(running.state)
    (posted,) = fake.channel_messages[fake.channel_id]
    assert posted.type == 19 and posted.message_reference is not None
    assert posted.message_reference["message_id"] == str(source.id)
    assert posted.mentions == [fake.member_id]  # the bot's own mention was not allowed
    dm = fake.dm_channel_for(fake.member_id)
    assert [m.content for m in fake.channel_messages[dm.id]] == ["a copy for you"]
    status, history, _ = await raw(
        fake, "GET", f"/channels/{fake.channel_id}/messages",
        headers={"Authorization": f"Bot {fake.token}"},
    )
    assert status == 200 and [m["id"] for m in history] == [str(posted.id), str(source.id)]


async def test_label_modal_with_file_upload(running: Running) -> None:
    """A modal made of labels gets its text and uploaded files back in the submit."""
    fake = running.fake
    opened = await fake.slash("ask")
    await opened.wait_response()
    att = fake.add_attachment(PNG, "my drawing.png")
    assert att["filename"] == "my_drawing.png"  # Discord's file name rules
    submit = await fake.submit_modal("ask-modal", {"q": "what is it?", "img": [att]})
    answer = await submit.wait_response()
    assert answer["data"]["content"] == "1 file(s)"
    assert running.state.modal_values == ["what is it?"]
    assert running.state.uploads == [("my_drawing.png", PNG)]
    assert submit.user_id == opened.user_id


async def test_user_command_resolves_member_and_app_permissions(running: Running) -> None:
    """A user context menu reaches the bot with the member resolved and app_permissions as set."""
    fake = running.fake
    inter = await fake.user_command("Who", fake.admin_id)
    response = await inter.wait_response()
    assert response["data"]["content"] == "admin True True"
    limited = await fake.user_command("Who", fake.member_id, app_permissions=Perm.SEND_MESSAGES)
    response = await limited.wait_response()
    assert response["data"]["content"] == "member False False"  # the app_permissions knob


async def test_second_guild_gets_global_commands_only(running: Running) -> None:
    """add_guild announces a guild to the bot; it finds global commands there, not the first guild's."""
    fake, bot = running.fake, running.bot
    other = fake.add_guild("Other", upload_limit=50 * 1024 * 1024)
    await fake.wait_for(lambda f: bot.get_guild(other.id) is not None, TIMEOUT)
    guild = bot.get_guild(other.id)
    assert guild is not None and guild.filesize_limit == 50 * 1024 * 1024
    await asyncio.wait_for(bot.tree.sync(), TIMEOUT)
    inter = await fake.slash("hello", guild_id=other.id)
    await inter.wait_response()
    assert inter.payload["attachment_size_limit"] == 50 * 1024 * 1024
    with pytest.raises(LookupError):
        await fake.slash("ping", guild_id=other.id)


async def test_subcommand_group_with_resolved_options(running: Running) -> None:
    """Options of a nested subcommand arrive typed, with members, roles and channels resolved."""
    fake = running.fake
    inter = await fake.slash(
        "limits",
        {
            "member": fake.member_id,
            "role": fake.role_ids["vip"],
            "where": fake.channel_id,
            "limit": "3",
            "ratio": 0.5,
        },
        subcommand="member set",
        user_id=fake.admin_id,
    )
    response = await inter.wait_response()
    assert response["data"]["content"] == f"{fake.member_id} member vip general 3 0.5 True"
    (group,) = inter.data["options"]
    assert (group["type"], group["name"], group["options"][0]["name"]) == (2, "member", "set")
    assert set(inter.data["resolved"]) == {"users", "members", "roles", "channels"}


async def test_helpers_refuse_what_discord_clients_cannot_send(running: Running) -> None:
    """slash() refuses unknown options, missing required ones and unknown commands up front."""
    fake = running.fake
    with pytest.raises(ValueError, match="no option"):
        await fake.slash("pick", {"model": "x", "colour": "red"})
    with pytest.raises(ValueError, match="required"):
        await fake.slash("pick", {"n": 2})
    with pytest.raises(LookupError):
        await fake.slash("nope")


async def test_fail_next_injects_an_error(running: Running) -> None:
    """fail_next makes the next matching request fail with the given status and code."""
    fake = running.fake
    fake.fail_next("/webhooks/", 404, 10015, "Unknown Webhook", method="POST")
    inter = await fake.slash("job")
    await done(running.state)
    (error,) = running.state.errors
    assert (error.status, error.code) == (404, 10015)
    assert inter.original() is not None and inter.original().loading  # type: ignore[union-attr]


async def test_wait_for_timeout_describes_what_happened(fake: FakeDiscord) -> None:
    """A wait that times out says what the fake saw, to make failures readable."""
    with pytest.raises(TimeoutError, match="last requests"):
        await fake.wait_for(lambda f: False, timeout=0.1)
    with pytest.raises(RuntimeError, match="no bot is connected"):
        await fake._send_interaction(2, {})


# -- restarts and reconnects ---------------------------------------------------------------------


async def test_new_bot_instance_after_restart_handles_old_buttons(fake: FakeDiscord) -> None:
    """A second bot instance connects to the same fake and handles buttons the first one posted."""
    first = Running(fake)
    try:
        await first.start()
        await asyncio.wait_for(first.bot.tree.sync(guild=discord.Object(fake.guild_id)), TIMEOUT)
        inter = await fake.slash("ping")
        await done(first.state)
    finally:
        await first.stop()
    await fake.wait_for(lambda f: not f.connected, TIMEOUT)
    second = Running(fake)
    try:
        await second.start(ready_count=2)
        message = inter.original()
        assert message is not None
        click = await fake.click(message.id, "again:7")
        await click.wait_response()
        assert second.state.clicks == ["again:7"] and first.state.clicks == []
        assert [p["token"] for p in fake.identify_payloads] == [fake.token, fake.token]
    finally:
        await second.stop()


async def test_bot_resumes_after_the_gateway_drops(running: Running) -> None:
    """After the fake drops the websocket, discord.py RESUMEs at resume_gateway_url and works on."""
    fake = running.fake
    await fake.disconnect_bots(code=4000)
    await fake.wait_for(lambda f: f.resume_count == 1 and f.connected, TIMEOUT)
    assert fake.resume_payloads[0]["session_id"] == fake.connections[0].session.id  # type: ignore[union-attr]
    assert len(fake.identify_payloads) == 1
    inter = await fake.slash("pick", {"model": "flux-kontext"})
    await inter.wait_response()


async def test_gateway_down_refuses_connections_until_it_is_back(running: Running) -> None:
    """take_gateway_down drops the bot and refuses its reconnects; once back up, the bot resumes."""
    fake = running.fake
    await fake.take_gateway_down()
    await fake.wait_for(lambda f: f.refused_gateway_connections >= 1 and not f.connected, TIMEOUT)
    fake.bring_gateway_up()
    await fake.wait_for(lambda f: f.resume_count == 1 and f.connected, TIMEOUT)
    assert len(fake.identify_payloads) == 1


async def test_invalid_session_makes_the_bot_identify_again(running: Running) -> None:
    """An unknown session on RESUME gets INVALID_SESSION and discord.py identifies afresh."""
    fake = running.fake
    await fake.disconnect_bots(code=4000, resumable=False)
    await fake.wait_ready(TIMEOUT, count=2)
    assert len(fake.identify_payloads) == 2 and fake.resume_count == 0
    inter = await fake.slash("pick", {"model": "flux-kontext"})
    await inter.wait_response()


async def test_reconnect_request_is_resumed(running: Running) -> None:
    """RECONNECT (op 7) makes discord.py reconnect and RESUME without a new IDENTIFY."""
    fake = running.fake
    await fake.request_reconnect()
    await fake.wait_for(lambda f: f.resume_count == 1 and f.connected, TIMEOUT)
    assert len(fake.identify_payloads) == 1
    inter = await fake.slash("pick", {"model": "flux-kontext"})
    await inter.wait_response()


async def test_members_intent_gets_members_and_chunks(fake: FakeDiscord) -> None:
    """With the members intent GUILD_CREATE lists every member and op 8 is answered with a chunk."""
    intents = discord.Intents.default()
    intents.members = True
    client = discord.Client(intents=intents, guild_ready_timeout=0.1)
    task = asyncio.create_task(client.start(fake.token))
    try:
        await fake.wait_ready(TIMEOUT)
        await asyncio.wait_for(client.wait_until_ready(), TIMEOUT)
        guild = client.get_guild(fake.guild_id)
        assert guild is not None and guild.get_member(fake.admin_id) is not None
        found = await asyncio.wait_for(guild.query_members(user_ids=[fake.member_id]), TIMEOUT)
        assert [m.id for m in found] == [fake.member_id]
        assert fake.identify_payloads[0]["intents"] & (1 << 1)
    finally:
        await asyncio.wait_for(client.close(), TIMEOUT)
        await asyncio.wait_for(task, TIMEOUT)


async def test_wrong_token_fails_login(fake: FakeDiscord) -> None:
    """A bot with the wrong token is refused at login (401), as Discord does."""
    client = discord.Client(intents=discord.Intents.default())
    try:
        with pytest.raises(discord.LoginFailure):
            await asyncio.wait_for(client.login("not-the-token"), TIMEOUT)
    finally:
        await client.close()
    assert fake.errors[-1]["status"] == 401


def test_fake_interaction_repr_is_readable() -> None:
    """FakeInteraction's repr names its type and responses, for readable assertion failures."""
    inter = FakeInteraction(
        id=1, token="t", type=2, created_at=0.0, payload={}, user_id=2, guild_id=None,
        channel_id=3, attachment_size_limit=10, name="ping",
    )
    assert "name='ping'" in repr(inter) and "responses=[]" in repr(inter)


# -- hooks (on_event) ----------------------------------------------------------------------------


async def test_hooks_fire_at_identify_interaction_callback_and_response(fake: FakeDiscord) -> None:
    """on_event callbacks run in order: IDENTIFY, the INTERACTION_CREATE sent, the callback
    recorded (before its answer), then each handled request."""
    seen: list[tuple[str, Any]] = []
    fake.on_event("identify", lambda e: seen.append(("identify", e["payload"]["token"] == fake.token)))
    fake.on_event("interaction_create", lambda e: seen.append(("interaction_create", e["interaction"].name)))
    fake.on_event("callback", lambda e: seen.append(
        ("callback", e["response"]["type"], bool(e["interaction"].responses))))
    remove = fake.on_event("response", lambda e: seen.append(("response", e["request"].path.split("/")[1],
                                                              e["interaction"] is not None)))
    run = Running(fake)
    await run.start()
    try:
        await asyncio.wait_for(run.bot.tree.sync(guild=discord.Object(fake.guild_id)), TIMEOUT)
        assert ("identify", True) in seen
        seen.clear()
        inter = await fake.slash("ping")
        await done(run.state)
        remove()
        run.state.done.clear()
        await fake.slash("ping")
        await done(run.state)
    finally:
        await run.stop()
    assert seen[:3] == [("interaction_create", "ping"), ("callback", 5, True), ("response", "interactions", True)]
    assert ("response", "webhooks", True) in seen  # the followup, tied to the same interaction
    assert [s for s in seen if s[0] == "callback"] == [("callback", 5, True), ("callback", 5, True)]
    assert inter.responded and not fake.hook_errors


async def test_hook_can_drop_a_request_which_is_then_neither_applied_nor_answered(running: Running) -> None:
    """A ``request`` callback returning DROP closes the connection: the client sees it cut, the
    fake applies nothing and marks the request dropped; JSON bodies are readable in the hook."""
    fake = running.fake
    bodies: list[Any] = []

    def drop_hello(event):
        bodies.append(event["request"].body)
        return DROP if (event["request"].body or {}).get("content") == "dropped" else None

    fake.on_event("request", drop_hello)
    path = f"/channels/{fake.channel_id}/messages"
    headers = {"Authorization": f"Bot {fake.token}"}
    with pytest.raises(aiohttp.ClientError):
        await raw(fake, "POST", path, json={"content": "dropped"}, headers=headers)
    status, _, _ = await raw(fake, "POST", path, json={"content": "kept"}, headers=headers)
    assert status == 200
    assert [m.content for m in fake.channel_messages[fake.channel_id]] == ["kept"]
    assert {"content": "dropped"} in bodies
    dropped = [r for r in fake.request_log if r.dropped]
    assert [(r.method, r.path, r.status) for r in dropped] == [("POST", path, None)]


async def test_upload_hook_sees_the_files_and_can_drop_the_upload(running: Running) -> None:
    """``upload`` fires once a multipart body with files is read, before it is applied."""
    fake = running.fake
    uploads: list[list[tuple[str, int]]] = []

    def on_upload(event):
        uploads.append([(name, len(data)) for name, data in event["files"]])
        return DROP if len(uploads) == 1 else None

    fake.on_event("upload", on_upload)

    def form(text: str) -> aiohttp.FormData:
        data = aiohttp.FormData()
        data.add_field("payload_json", json.dumps({"content": text, "attachments": [{"id": 0, "filename": "a.png"}]}),
                       content_type="application/json")
        data.add_field("files[0]", PNG, filename="a.png", content_type="image/png")
        return data

    path = f"/channels/{fake.channel_id}/messages"
    headers = {"Authorization": f"Bot {fake.token}"}
    with pytest.raises(aiohttp.ClientError):
        await raw(fake, "POST", path, data=form("first"), headers=headers)
    status, body, _ = await raw(fake, "POST", path, data=form("second"), headers=headers)
    assert status == 200 and body["attachments"][0]["filename"] == "a.png"
    assert uploads == [[("a.png", len(PNG))], [("a.png", len(PNG))]]
    assert [m.content for m in fake.channel_messages[fake.channel_id]] == ["second"]


async def test_a_client_that_dies_mid_upload_is_not_an_internal_error(running: Running) -> None:
    """A client killed while its multipart body is on the wire (the chaos test kills the bot at any
    moment) leaves the request unapplied and unanswered; the fake records no failure of its own."""
    fake = running.fake
    inter = await fake.slash("ping")
    await inter.wait_response()
    await done(running.state)
    _reader, writer = await asyncio.open_connection("127.0.0.1", fake.port)
    body = b'--x\r\nContent-Disposition: form-data; name="payload_json"\r\n'  # cut off mid-part
    path = f"/api/v10/webhooks/{fake.application_id}/{inter.token}/messages/@original"
    writer.write(f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
                 + b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n" + body)
    await writer.drain()
    await asyncio.sleep(0.05)
    writer.transport.abort()  # as a killed process's socket: reset, not a clean close
    for _ in range(100):
        if fake.request_log[-1].finished_at is not None:
            break
        await asyncio.sleep(0.01)
    assert fake.request_log[-1].path.endswith("/messages/@original")
    assert fake.request_log[-1].status == 499
    assert fake.internal_errors == []
