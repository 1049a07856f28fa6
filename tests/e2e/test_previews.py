"""Live previews end to end: partial images streamed while gpt-image models draw."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import decode, has_embed_title, wait_jobs_finished


@pytest.fixture
async def streaming_bot(start_bot, gptproto):
    """A bot with two previews and progress edits not throttled beyond 20 ms."""
    running = await start_bot(PREVIEW_IMAGES="2")
    running.bot.jobs.delivery.progress_interval = 0.02
    running.bot.jobs.delivery.first_edit_after = 0.0
    gptproto.stream_partial_delay = 0.15
    return running


def has_result(interaction) -> bool:
    """The message carries the final image (not a preview)."""
    message = interaction.original()
    return bool(message and message.attachments
                and not any(f.filename.startswith("preview") for f in message.attachments))


def preview_titles(message) -> list[str]:
    """Titles of the progress embeds that carried a preview image, in the order they were shown."""
    titles = []
    for edit in message.edits:
        for embed in edit.get("embeds") or []:
            if (embed.get("image") or {}).get("url", "").startswith("attachment://preview"):
                titles.append(embed.get("title"))
    return titles


async def test_previews_appear_in_order_then_the_final_image(streaming_bot, discord_fake, gptproto):
    """Each partial replaces the preview in order, and the final image replaces the previews."""
    interaction = await discord_fake.slash("generate", {"prompt": "a lighthouse", "size": "1536x1024"})
    await interaction.wait_for(has_result, timeout=15)
    message = interaction.original()
    assert preview_titles(message) == ["Generating… preview 1 of 2", "Generating… preview 2 of 2"]
    (request,) = gptproto.generation_requests()
    assert request.json["stream"] is True and request.json["partial_images"] == 2
    (final,) = message.attachments
    assert not final.filename.startswith("preview")
    assert decode(final.data).size == (1536, 1024)
    preview_bytes = [e for e in message.edits if "preview" in str(e.get("attachments"))]
    assert preview_bytes, "previews must be uploaded as files"
    (job,) = await wait_jobs_finished(streaming_bot.db)
    assert job["state"] == "done"
    assert job["output_tokens"] >= 200, "usage includes the partials' tokens"


async def test_preview_uploads_are_small(streaming_bot, discord_fake, gptproto):
    """Previews are downscaled so each progress edit stays small and fast."""
    interaction = await discord_fake.slash("generate", {"prompt": "a big one", "size": "1536x1024"})
    await interaction.wait_for(has_result, timeout=15)
    sizes = [size for entry in discord_fake.request_log for (name, size) in (getattr(entry, "files", None) or [])
             if name.startswith("preview")]
    assert len(sizes) == 2, "one upload per preview"
    final_size = len(interaction.original().attachments[0].data)
    assert all(size < 100_000 and size < final_size for size in sizes)


async def test_final_event_before_partials_keeps_the_final_image(streaming_bot, discord_fake, gptproto):
    """When the final event arrives before the partials, late partials never replace the result."""
    gptproto.stream_completed_first = True
    interaction = await discord_fake.slash("generate", {"prompt": "out of order"})
    await interaction.wait_for(has_result, timeout=15)
    (job,) = await wait_jobs_finished(streaming_bot.db)
    assert job["state"] == "done"
    message = interaction.original()
    assert [f.filename for f in message.attachments] != ["preview.webp"]
    assert decode(message.attachments[0].data).size == (1024, 1024)


async def test_broken_stream_is_told_and_refunded(streaming_bot, discord_fake, gptproto):
    """A stream cut before the final image tells the member, refunds, and is not retried."""
    gptproto.fail_next("stream_break", route="generate")
    interaction = await discord_fake.slash("generate", {"prompt": "cut short"})
    await interaction.wait_for(lambda i: has_embed_title(i, "No image this time"), timeout=15)
    text = interaction.original().embeds[0]["description"]
    assert "broke before the image was finished" in text
    assert len(gptproto.generation_requests()) == 1
    (job,) = await wait_jobs_finished(streaming_bot.db)
    assert (job["state"], job["images_reserved"]) == ("failed", 0)


async def test_plain_json_answer_to_a_stream_request_still_delivers(streaming_bot, discord_fake, gptproto):
    """A provider that ignores `stream` and answers JSON is handled as a normal answer."""
    gptproto.ignore_stream = True
    interaction = await discord_fake.slash("generate", {"prompt": "plain"})
    await interaction.wait_for(has_result, timeout=15)
    (job,) = await wait_jobs_finished(streaming_bot.db)
    assert job["state"] == "done"


async def test_previews_off_sends_no_stream_field(start_bot, discord_fake, gptproto):
    """With PREVIEW_IMAGES=0 the request carries no stream field at all."""
    await start_bot(PREVIEW_IMAGES="0")
    interaction = await discord_fake.slash("generate", {"prompt": "no previews"})
    await interaction.wait_for(has_result, timeout=15)
    (request,) = gptproto.generation_requests()
    assert "stream" not in request.json and "partial_images" not in request.json


async def test_models_without_streaming_get_no_stream_field(streaming_bot, discord_fake, gptproto):
    """Gemini does not stream: its request has no stream field even with previews on."""
    interaction = await discord_fake.slash(
        "generate", {"prompt": "banana", "model": "gemini-2.5-flash-image", "size": "16:9"})
    await interaction.wait_for(has_result, timeout=15)
    (request,) = gptproto.generation_requests()
    assert "stream" not in request.json
    assert decode(interaction.original().attachments[0].data).size == (1344, 768)
