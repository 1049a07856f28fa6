"""``python -m bench.floor``: the least a discord.py bot can do for ``/generate``.

It defers, waits ``delay`` seconds (standing in for the image API), and posts one fixed image
made once per (size, format, noise) and cached. Same library, same fakes, same machine as the
real bot, so the benchmark reports the bot's figures as ratios to these. Configured by the
environment the bot uses (``DISCORD_TOKEN``, ``DISCORD_API_BASE_URL``, ``DISCORD_GATEWAY_URL``,
``DEV_GUILD_ID``) and carries the same loop monitor (:mod:`bench.monitor`).
"""

from __future__ import annotations

import asyncio
import io
import os

import discord
import yarl
from discord import app_commands

from bench.monitor import install
from tests.fakes.imagegen import make_image

_images: dict[tuple[str, str, bool], bytes] = {}


async def fixed_image(size: str, fmt: str, noisy: bool) -> bytes:
    """The one image posted for this size, format and noise (made once, off the loop)."""
    key = (size, fmt, noisy)
    if key not in _images:
        width, height = (int(side) for side in size.split("x"))
        _images[key] = await asyncio.to_thread(make_image, width, height, seed=7, fmt=fmt, noisy=noisy)
    return _images[key]


@app_commands.command()
async def generate(interaction: discord.Interaction, prompt: str, size: str = "1024x1024",
                   fmt: str = "png", noisy: bool = False, delay: float = 0.0) -> None:
    """Defer, wait, post a fixed image."""
    await interaction.response.defer(thinking=True)
    data = await fixed_image(size, fmt, noisy)
    if delay > 0:
        await asyncio.sleep(delay)
    file = discord.File(io.BytesIO(data), filename=f"floor.{fmt}")
    await interaction.edit_original_response(content=prompt[:100], attachments=[file])


class Floor(discord.Client):
    """A plain client with one guild command."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents(guilds=True), max_messages=None)
        self.tree = app_commands.CommandTree(self)
        self.guild = discord.Object(int(os.environ["DEV_GUILD_ID"]))
        self.tree.add_command(generate, guild=self.guild)

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=self.guild)


async def main() -> None:
    """Run until SIGTERM."""
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE_URL"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    monitor = install()
    try:
        async with Floor() as client:
            await client.start(os.environ["DISCORD_TOKEN"])
    except asyncio.CancelledError:
        pass
    finally:
        monitor.stop()
        monitor.dump()


if __name__ == "__main__":
    asyncio.run(main())
