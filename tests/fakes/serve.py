"""Run the fake Discord and the fake GPTProto on 127.0.0.1 to try the bot without either.

    python -m tests.fakes.serve            # prints the settings to use, then waits
    # in another terminal, with those settings in the environment or .env:
    python -m bot check
    python -m bot

Each line typed here becomes a ``/generate`` from a member of the fake server; the bot's answer
is printed and its images are saved to ``./fake-output/``. Ctrl-D or Ctrl-C stops.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path

from tests.fakes.discord import FakeDiscord
from tests.fakes.gptproto import FakeGPTProto

DEFAULT_KEY = "sk-fake-0123456789abcdef0123456789"
DEFAULT_TOKEN = "fake-discord-token-for-local-tries"


async def serve(key: str, token: str, output: Path) -> None:
    """Start both fakes, print the settings, and turn stdin lines into /generate commands."""
    async with FakeGPTProto(api_key=key) as api, FakeDiscord(token=token) as discord:
        print("Fakes running. Settings for the bot (paste into .env or export):\n")
        print(f"DISCORD_TOKEN={token}")
        print(f"GPTPROTO_API_KEY={key}")
        print(f"GPTPROTO_BASE_URL={api.base_url}")
        print(f"DISCORD_API_BASE_URL={discord.rest_url}")
        print(f"DISCORD_GATEWAY_URL={discord.gateway_url}")
        print(f"DEV_GUILD_ID={discord.guild_id}")
        print("\nStart the bot, then type a prompt and press Enter.", flush=True)
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                return
            prompt = line.strip()
            if not prompt:
                continue
            if not discord.connected:
                print("The bot is not connected yet.", flush=True)
                continue
            try:
                interaction = await discord.slash("generate", {"prompt": prompt})
                await interaction.wait_for(_finished, timeout=300)
            except Exception as error:
                print(f"! {type(error).__name__}: {error}", flush=True)
                continue
            await asyncio.to_thread(_report, interaction, output)


def _finished(interaction) -> bool:
    if interaction.ephemeral and interaction.responses:
        return True
    message = interaction.original()
    if message is None or not message.embeds:
        return False
    embed = message.embeds[0]
    return embed.get("title") == "No image this time" or bool(
        message.attachments and not message.attachments[0].filename.startswith("preview"))


def _report(interaction, output: Path) -> None:
    for response in interaction.responses:
        content = (response.get("data") or {}).get("content")
        if content:
            print(f"(only you) {content}", flush=True)
    message = interaction.original()
    if message is None:
        return
    for embed in message.embeds:
        fields = ", ".join(f"{f['name']}: {f['value']}" for f in embed.get("fields", []))
        print(f"{embed.get('title') or 'Result'}: {embed.get('description', '')} {fields}", flush=True)
    for file in message.attachments:
        path = output / f"{message.id}-{file.filename}"
        path.write_bytes(file.data)
        print(f"saved {path} ({len(file.data)} bytes)", flush=True)


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", default=DEFAULT_KEY, help="the API key the fake GPTProto accepts")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the bot token the fake Discord accepts")
    parser.add_argument("--output", type=Path, default=Path("fake-output"))
    args = parser.parse_args()
    args.output.mkdir(exist_ok=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.key, args.token, args.output))


if __name__ == "__main__":
    main()
