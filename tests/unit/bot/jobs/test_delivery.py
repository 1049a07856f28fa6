"""The permission check before a job: which channel permissions the bot needs, in channels and threads."""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest

from bot.errors import NotAllowed
from bot.jobs.delivery import check_channel_permissions

BASE = discord.Permissions(view_channel=True, embed_links=True, attach_files=True)


def interaction(permissions: discord.Permissions, channel_type: discord.ChannelType, guild_id: int | None = 1):
    """Just the fields the check reads from a discord.Interaction."""
    return SimpleNamespace(guild_id=guild_id, channel_id=2, app_permissions=permissions,
                           channel=SimpleNamespace(type=channel_type))


def test_text_channel_needs_send_messages():
    """In a text channel, Send Messages is required and named when missing."""
    check_channel_permissions(interaction(BASE | discord.Permissions(send_messages=True), discord.ChannelType.text))
    with pytest.raises(NotAllowed, match="Send Messages permission here"):
        check_channel_permissions(interaction(BASE, discord.ChannelType.text))


@pytest.mark.parametrize("kind", [discord.ChannelType.public_thread, discord.ChannelType.private_thread])
def test_threads_need_send_messages_in_threads_instead(kind):
    """In a thread, Send Messages in Threads is what counts (Send Messages is often off there)."""
    check_channel_permissions(interaction(BASE | discord.Permissions(send_messages_in_threads=True), kind))
    with pytest.raises(NotAllowed, match="Send Messages in Threads"):
        check_channel_permissions(interaction(BASE | discord.Permissions(send_messages=True), kind))


def test_several_missing_permissions_are_all_named():
    """Every missing permission is named in one sentence."""
    with pytest.raises(NotAllowed) as refused:
        check_channel_permissions(interaction(discord.Permissions(view_channel=True), discord.ChannelType.text))
    assert "Send Messages, Attach Files, Embed Links permissions" in str(refused.value)


def test_direct_messages_are_not_checked():
    """In DMs there are no channel permissions to check."""
    check_channel_permissions(interaction(discord.Permissions.none(), discord.ChannelType.private, guild_id=None))
