"""``/generate`` end to end: slash command in through the fake gateway, image file out."""

from __future__ import annotations

from tests.e2e.conftest import API_KEY, decode, ephemeral_text, has_embed_title, has_files, wait_jobs_finished


async def test_generate_posts_image_of_requested_size(start_bot, discord_fake, gptproto):
    """A member's /generate ends with the image file, of the asked size, in the channel."""
    running = await start_bot()
    interaction = await discord_fake.slash(
        "generate", {"prompt": "a lighthouse in a storm", "size": "1536x1024", "quality": "low"},
        user_id=discord_fake.member_id)
    await interaction.wait_for(has_files, timeout=15)

    assert interaction.responses[0]["type"] == 5, "the command must defer first"
    message = interaction.original()
    assert len(message.attachments) == 1
    assert decode(message.attachments[0].data).size == (1536, 1024)
    embed = message.embeds[0]
    assert "a lighthouse in a storm" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Model"] == "gpt-image-1"
    assert fields["Size"] == "1536×1024"
    assert fields["Quality"] == "low"
    assert fields["Time"].endswith(" s")
    assert fields["Your quota"] == "19 of 20 images left today"
    assert {"img:reroll", "img:edit", "img:delete"} <= {c.rsplit(":", 1)[0] for c in message.custom_ids()}

    (request,) = gptproto.generation_requests()
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.json == {"model": "gpt-image-1", "prompt": "a lighthouse in a storm",
                            "size": "1536x1024", "quality": "low"}

    (job,) = await wait_jobs_finished(running.db)
    assert (job["state"], job["images_reserved"]) == ("done", 1)
    assert job["total_tokens"] > 0


async def test_generate_several_images_in_one_message(start_bot, discord_fake, gptproto):
    """n images arrive as n files in one message, each charged once."""
    running = await start_bot()
    interaction = await discord_fake.slash("generate", {"prompt": "three cats", "n": 3})
    await interaction.wait_for(has_files, timeout=15)
    message = interaction.original()
    assert len(message.attachments) == 3
    assert all(decode(f.data).size == (1024, 1024) for f in message.attachments)
    (row,) = await wait_jobs_finished(running.db)
    assert row["images_reserved"] == 3


async def test_invalid_size_refused_privately_without_api_call(start_bot, discord_fake, gptproto):
    """An invalid size is refused privately at once, with the rule, and costs nothing."""
    running = await start_bot()
    interaction = await discord_fake.slash(
        "generate", {"prompt": "a cat", "model": "gpt-image-2", "size": "1000x1000"})
    await interaction.wait_response()
    text = ephemeral_text(interaction)
    assert text == "gpt-image-2 sizes must be multiples of 16 px; 1000x1000 is not."
    assert gptproto.generation_requests() == []
    assert await running.db.fetchall("SELECT id FROM jobs") == []


async def test_content_policy_refusal_is_explained_and_refunded(start_bot, discord_fake, gptproto):
    """A content-policy refusal ends as a clear sentence in the message, and the quota is refunded."""
    running = await start_bot()
    gptproto.fail_next("content_policy", route="generate")
    interaction = await discord_fake.slash("generate", {"prompt": "something the provider refuses"})
    await interaction.wait_for(lambda i: has_embed_title(i, "No image this time"), timeout=15)
    embed = interaction.original().embeds[0]
    assert "blocked by the provider's safety system; you were not charged" in embed["description"]
    assert len(gptproto.generation_requests()) == 1, "a content-policy refusal is never retried"
    (job,) = await wait_jobs_finished(running.db)
    assert (job["state"], job["images_reserved"]) == ("failed", 0)


async def test_bad_key_tells_member_account_problem_without_details(start_bot, discord_fake, gptproto, caplog):
    """With a wrong API key the member reads that the account has a problem; the admin log says which."""
    await start_bot(GPTPROTO_API_KEY="sk-wrong-key-0000000000")
    interaction = await discord_fake.slash("generate", {"prompt": "a cat"})
    await interaction.wait_for(lambda i: has_embed_title(i, "No image this time"), timeout=15)
    text = interaction.original().embeds[0]["description"]
    assert "The bot's image API account has a problem" in text
    assert "401" not in text and "key" not in text.lower()
    assert any("GPTPROTO_API_KEY" in r.getMessage() for r in caplog.records)


async def test_size_autocomplete_offers_what_the_model_supports(start_bot, discord_fake):
    """Size autocomplete lists the chosen model's sizes: ratios for gemini, pixels for gpt-image-1."""
    await start_bot()
    gemini = await discord_fake.autocomplete(
        "generate", {"prompt": "x", "model": "gemini-2.5-flash-image", "size": ""}, focused="size")
    assert [c["value"] for c in gemini][:3] == ["1:1", "2:3", "3:2"]
    default = await discord_fake.autocomplete("generate", {"prompt": "x", "size": ""}, focused="size")
    assert [c["value"] for c in default] == ["auto", "1024x1024", "1536x1024", "1024x1536"]
    custom = await discord_fake.autocomplete(
        "generate", {"prompt": "x", "model": "gpt-image-2", "size": "1280x720"}, focused="size")
    assert custom[0]["value"] == "1280x720"


async def test_commands_pushed_once_and_not_again_after_restart(start_bot, discord_fake):
    """The first start pushes the commands; a restart with the same commands pushes nothing."""
    first = await start_bot()
    names = {c["name"] for c in discord_fake.synced_commands[discord_fake.guild_id]}
    assert {"generate", "edit", "quota", "Edit image"} <= names
    pushes = discord_fake.command_put_count
    await first.stop()
    await start_bot()
    assert discord_fake.command_put_count == pushes
