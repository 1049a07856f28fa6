"""``/edit`` and the "Edit image" message menu end to end: attachments in, edited image out.

The fake GPTProto downloads the attachment URLs from the fake Discord, as the real provider does.
Most tests use ``quick_polls`` (a poll policy of 50-100 ms);
the one test that checks the real backoff keeps the bot's own 1 s / 1.5 s intervals.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from tests.e2e.conftest import (
    decode,
    ephemeral_text,
    has_files,
    modal_inputs,
    posted_images,
    wait_jobs_finished,
)
from tests.fakes.imagegen import make_image, truncate

MB = 1024 * 1024
PHOTO = make_image(256, 256, fmt="png")


def title(interaction) -> str | None:
    """The title of the first embed on the interaction's message."""
    message = interaction.original()
    return message.embeds[0].get("title") if message and message.embeds else None


def titles_seen(interaction) -> list[str]:
    """Every embed title the interaction's message showed, oldest first."""
    message = interaction.original()
    return [e["embeds"][0].get("title") for e in message.edits if e.get("embeds")]


def png(image: Image.Image) -> bytes:
    """PNG bytes of a Pillow image."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def mask(width: int = 256, height: int = 256, *, mode: str = "RGBA", hole: bool = True) -> bytes:
    """A mask: opaque, with a transparent square in the middle when ``hole``."""
    image = Image.new(mode, (width, height), (0, 0, 0, 255) if mode == "RGBA" else (0, 0, 0))
    if hole and mode == "RGBA":
        image.paste((0, 0, 0, 0), (width // 4, height // 4, width * 3 // 4, height * 3 // 4))
    return png(image)


def with_png_size(data: bytes, width: int, height: int) -> bytes:
    """The PNG ``data`` with its header claiming ``width`` x ``height`` (a decompression bomb header)."""
    assert data[12:16] == b"IHDR"
    body = struct.pack(">II", width, height) + data[24:29]
    return data[:8] + data[8:12] + b"IHDR" + body + struct.pack(">I", zlib.crc32(b"IHDR" + body)) + data[33:]


def gif() -> bytes:
    """A small GIF image."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, format="GIF")
    return buffer.getvalue()


def visible_messages(interaction) -> list:
    """The interaction's messages everybody can see."""
    return [m for m in interaction.messages if not m.deleted and not m.ephemeral]


async def test_edit_posts_the_edited_image_and_polls_with_backoff(start_bot, discord_fake, gptproto):
    """/edit sends the attachment URL under `image`, polls with growing intervals until completed, posts the result."""
    running = await start_bot()
    gptproto.prediction_duration = 1.2  # still processing at the first poll (about 1 s), done at the second
    image = discord_fake.add_attachment(PHOTO, "photo.png")
    interaction = await discord_fake.slash("edit", {"prompt": "make it snow", "image": image["id"]},
                                           attachments={"image": image})
    await interaction.wait_for(has_files, timeout=10)

    assert interaction.responses[0]["type"] == 5, "the command defers before downloading anything"
    (request,) = gptproto.edit_requests()
    assert request.path == "/api/v3/openai/gpt-image-1.5-plus/image-edit"
    assert request.json["image"] == [image["url"]] and "images" not in request.json
    assert request.json["prompt"] == "make it snow"

    prediction = next(iter(gptproto.predictions.values()))
    polls = gptproto.poll_requests()
    assert len(polls) >= 2 and all(p.path.endswith(f"/{prediction.id}/result") for p in polls)
    assert [prediction.status_at(p.time) for p in polls][-1] == "completed"
    assert all(prediction.status_at(p.time) != "completed" for p in polls[:-1]), "no poll after completion"
    first_wait, second_wait = polls[0].time - request.time, polls[1].time - polls[0].time
    assert 0.8 <= first_wait <= 2.0, f"first poll after about 1 s, not {first_wait:.2f} s"
    # The bot waits 1 s, then 1.5 s (each +-15 %): a second wait of 1.2 s or more shows the backoff.
    assert 1.2 <= second_wait <= 3.0, f"backoff grows: {first_wait:.2f} s then {second_wait:.2f} s"

    message = interaction.original()
    (result,) = message.attachments
    assert decode(result.data).size == (1024, 1024)
    fields = {f["name"]: f["value"] for f in message.embeds[0]["fields"]}
    assert fields["Model"] == "gpt-image-1.5-plus"
    assert {"img:reroll", "img:edit", "img:delete"} <= {c.rsplit(":", 1)[0] for c in message.custom_ids()}
    (job,) = await wait_jobs_finished(running.db)
    assert (job["kind"], job["state"], job["images_reserved"]) == ("edit", "done", 1)
    assert job["prediction_id"] == prediction.id
    assert posted_images(discord_fake) == [message]


async def test_progress_is_shown_while_the_prediction_runs(start_bot, discord_fake, gptproto, quick_polls):
    """While the edit is pending the message shows its progress (sending, queued, in progress) before the result."""
    running = await start_bot()
    running.bot.jobs.delivery.progress_interval = 0.05
    running.bot.jobs.delivery.first_edit_after = 0.0  # every phase, from the first
    gptproto.prediction_duration = 1.0
    image = discord_fake.add_attachment(PHOTO, "photo.png")
    interaction = await discord_fake.slash("edit", {"prompt": "add a moon", "image": image["id"]},
                                           attachments={"image": image})
    await interaction.wait_for(lambda i: title(i) == "Editing… in progress", timeout=5)
    assert not has_files(interaction)
    await interaction.wait_for(has_files, timeout=10)
    seen = titles_seen(interaction)
    assert "Editing… queued at the provider" in seen
    assert seen.index("Editing… queued at the provider") < seen.index("Editing… in progress")


async def test_gpt_image_2_plus_sends_every_attachment_under_images(start_bot, discord_fake, gptproto, quick_polls):
    """With gpt-image-2-plus the request carries `images` with the URLs of image, image2 and image3, in order."""
    running = await start_bot()
    gptproto.prediction_duration = 0.2
    first = discord_fake.add_attachment(PHOTO, "first.png")
    second = discord_fake.add_attachment(make_image(128, 128, seed=2, fmt="jpeg"), "second.jpg")
    third = discord_fake.add_attachment(make_image(96, 64, seed=3, fmt="webp"), "third.webp")
    interaction = await discord_fake.slash(
        "edit", {"prompt": "merge them", "model": "gpt-image-2-plus"},
        attachments={"image": first, "image2": second, "image3": third})
    await interaction.wait_for(has_files, timeout=10)
    (request,) = gptproto.edit_requests()
    assert request.path == "/api/v3/openai/gpt-image-2-plus/image-edit"
    assert request.json["images"] == [first["url"], second["url"], third["url"]]
    assert "image" not in request.json
    (job,) = await wait_jobs_finished(running.db)
    assert job["state"] == "done"


async def test_default_edit_model_comes_from_the_configuration(start_bot, discord_fake, gptproto, quick_polls):
    """Without a model option /edit uses DEFAULT_EDIT_MODEL, with that model's input key."""
    await start_bot(DEFAULT_EDIT_MODEL="gpt-image-2-plus")
    gptproto.prediction_duration = 0.2
    image = discord_fake.add_attachment(PHOTO, "photo.png")
    interaction = await discord_fake.slash("edit", {"prompt": "sepia"}, attachments={"image": image})
    await interaction.wait_for(has_files, timeout=10)
    (request,) = gptproto.edit_requests()
    assert request.path == "/api/v3/openai/gpt-image-2-plus/image-edit"
    assert request.json["images"] == [image["url"]]


async def test_size_quality_and_mask_reach_the_api(start_bot, discord_fake, gptproto, quick_polls):
    """size, quality and a valid mask are sent as given, and the result has the asked size."""
    running = await start_bot()
    gptproto.prediction_duration = 0.2
    image = discord_fake.add_attachment(PHOTO, "photo.png")
    hole = discord_fake.add_attachment(mask(), "mask.png")
    interaction = await discord_fake.slash(
        "edit", {"prompt": "a window", "size": "1536x1024", "quality": "high"},
        attachments={"image": image, "mask": hole})
    await interaction.wait_for(has_files, timeout=10)
    (request,) = gptproto.edit_requests()
    assert (request.json["size"], request.json["quality"], request.json["mask"]) == ("1536x1024", "high", hole["url"])
    assert decode(interaction.original().attachments[0].data).size == (1536, 1024)
    (job,) = await wait_jobs_finished(running.db)
    assert job["state"] == "done"


async def test_base64_outputs_are_delivered(start_bot, discord_fake, gptproto, quick_polls):
    """A prediction whose outputs are base64 instead of URLs is decoded and posted."""
    running = await start_bot()
    gptproto.prediction_duration = 0.2
    gptproto.output_mode = "b64"
    image = discord_fake.add_attachment(PHOTO, "photo.png")
    interaction = await discord_fake.slash("edit", {"prompt": "b64"}, attachments={"image": image})
    await interaction.wait_for(has_files, timeout=10)
    assert decode(interaction.original().attachments[0].data).size == (1024, 1024)
    assert gptproto.output_requests() == [], "nothing to download: the image came inline"
    (job,) = await wait_jobs_finished(running.db)
    assert (job["state"], job["images_reserved"]) == ("done", 1)


async def test_rate_limits_and_server_errors_while_polling_are_retried(start_bot, discord_fake, gptproto, quick_polls):
    """429 and 5xx answers to a poll do not end the job: polling goes on and the image is delivered, submitted once."""
    running = await start_bot()
    gptproto.prediction_duration = 0.3
    gptproto.fail_next("429", route="poll", retry_after=0.05)
    gptproto.fail_next("500", route="poll")
    gptproto.fail_next("503", route="poll", times=3)
    image = discord_fake.add_attachment(PHOTO, "photo.png")
    interaction = await discord_fake.slash("edit", {"prompt": "storm"}, attachments={"image": image})
    await interaction.wait_for(has_files, timeout=10)
    statuses = [p.status for p in gptproto.poll_requests()]
    assert {429, 500, 503} <= set(statuses) and statuses[-1] == 200
    assert len(gptproto.edit_requests()) == 1
    (job,) = await wait_jobs_finished(running.db)
    assert (job["state"], job["images_reserved"]) == ("done", 1)


# -- the "Edit image" message menu ----------------------------------------------------------------


async def test_edit_image_menu_opens_a_modal_and_edits_the_messages_images(start_bot, discord_fake, gptproto,
                                                                            quick_polls):
    """The message menu asks for a prompt in a modal, then edits every image of that message (and only images)."""
    running = await start_bot()
    gptproto.prediction_duration = 0.2
    one = discord_fake.add_attachment(PHOTO, "one.png")
    two = discord_fake.add_attachment(make_image(200, 100, seed=5, fmt="jpeg"), "two.jpg")
    notes = discord_fake.add_attachment(b"just some notes\n", "notes.txt")
    target = discord_fake.add_message("look at these", attachments=[one, notes, two],
                                      author_id=discord_fake.other_member_id)
    menu = await discord_fake.message_command("Edit image", target.id)
    response = await menu.wait_response()
    assert response["type"] == 9, "the menu answers with a modal"
    assert response["data"]["title"] == "Edit image"
    modal_id, (prompt_id,) = modal_inputs(menu)
    assert gptproto.edit_requests() == [], "nothing is sent before the prompt"

    submitted = await discord_fake.submit_modal(modal_id, {prompt_id: "paint them blue"})
    await submitted.wait_for(has_files, timeout=10)
    (request,) = gptproto.edit_requests()
    assert request.json["image"] == [one["url"], two["url"]]
    assert request.json["prompt"] == "paint them blue"
    (job,) = await wait_jobs_finished(running.db)
    assert (job["kind"], job["state"], job["user_id"]) == ("edit", "done", discord_fake.member_id)
    assert posted_images(discord_fake) == [submitted.original()]


async def test_edit_image_menu_on_a_message_without_images_is_refused(start_bot, discord_fake, gptproto):
    """The menu on a message without images says so privately and opens no modal."""
    running = await start_bot()
    target = discord_fake.add_message("no pictures here",
                                      attachments=[discord_fake.add_attachment(b"text\n", "notes.txt")])
    menu = await discord_fake.message_command("Edit image", target.id)
    await menu.wait_response()
    assert ephemeral_text(menu) == "That message has no images to edit; pick a message with an image attached."
    assert all(r["type"] != 9 for r in menu.responses)
    assert gptproto.edit_requests() == [] and await running.db.fetchall("SELECT id FROM jobs") == []


async def test_edit_image_menu_refuses_a_bad_attachment_after_the_modal(start_bot, discord_fake, gptproto):
    """A text file named .png in the message is refused by its bytes after the modal, naming it, without an API call."""
    running = await start_bot()
    fake_png = discord_fake.add_attachment(b"I am not a picture at all.\n" * 20, "sneaky.png")
    target = discord_fake.add_message("", attachments=[discord_fake.add_attachment(PHOTO, "ok.png"), fake_png])
    menu = await discord_fake.message_command("Edit image", target.id)
    await menu.wait_response()
    modal_id, (prompt_id,) = modal_inputs(menu)
    submitted = await discord_fake.submit_modal(modal_id, {prompt_id: "brighter"})
    await submitted.wait_for(lambda i: ephemeral_text(i) is not None, timeout=5)
    assert ephemeral_text(submitted) == "`sneaky.png` is not an image (its bytes are not PNG, JPEG or WebP)."
    assert visible_messages(submitted) == []
    assert gptproto.edit_requests() == [] and await running.db.fetchall("SELECT id FROM jobs") == []


async def test_edit_image_menu_leaves_out_a_video_next_to_an_image(start_bot, discord_fake, gptproto, quick_polls):
    """A video beside an image in the message is left out (Discord gives videos a width too); the image is edited."""
    await start_bot()
    gptproto.prediction_duration = 0.2
    photo = discord_fake.add_attachment(PHOTO, "photo.png")
    clip = discord_fake.add_attachment(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "clip.mp4")
    # Discord reports width and height for videos as well as images.
    stored = discord_fake.attachment_store[int(clip["id"])]
    stored.width, stored.height = 1280, 720
    target = discord_fake.add_message("", attachments=[photo, clip])
    menu = await discord_fake.message_command("Edit image", target.id)
    await menu.wait_response()
    modal_id, (prompt_id,) = modal_inputs(menu)
    submitted = await discord_fake.submit_modal(modal_id, {prompt_id: "warmer"})
    await submitted.wait_for(lambda i: has_files(i) or ephemeral_text(i) is not None, timeout=10)
    assert ephemeral_text(submitted) is None
    (request,) = gptproto.edit_requests()
    assert request.json["image"] == [photo["url"]]


# -- attachments refused before anything is spent --------------------------------------------------


def _case(attachments: dict[str, tuple[str, bytes, dict]], expected: str, **options: str):
    return attachments, expected, options


BAD_ATTACHMENTS = {
    "renamed-text-file": _case(
        {"image": ("photo.png", b"This is a shopping list, not a photo.\n" * 10, {})},
        "`photo.png` is not an image (its bytes are not PNG, JPEG or WebP)."),
    "text-file": _case(
        {"image": ("list.txt", b"eggs, milk\n", {})},
        "`list.txt` is not an image (Discord says it is `text/plain`); attach a PNG, JPEG or WebP image."),
    "truncated-png": _case(
        {"image": ("cut.png", truncate(make_image(512, 512, seed=9, fmt="png")), {})},
        "`cut.png` is truncated or damaged."),
    "decompression-bomb": _case(
        {"image": ("bomb.png", png(Image.new("1", (8000, 8000))), {})},
        "`bomb.png` is too large to open safely (8000x8000 = 64,000,000 pixels; the limit is 33,177,600)."),
    "decompression-bomb-over-pillows-limit": _case(
        {"image": ("huge-bomb.png", with_png_size(png(Image.new("1", (16, 16))), 30000, 30000), {})},
        "`huge-bomb.png` is too large to open safely (900,000,000 pixels; the limit is 33,177,600)."),
    "gif": _case(
        {"image": ("anim.gif", gif(), {})},
        "`anim.gif` is not a PNG, JPEG or WebP image (it is a GIF image); only those three are accepted."),
    "over-50-mb": _case(
        {"image": ("huge.png", PHOTO, {"size": 60 * MB})},
        "`huge.png` is 60 MB; images must be under 50 MB."),
    "bad-second-image": _case(
        {"image": ("good.png", PHOTO, {}), "image2": ("second.png", truncate(make_image(300, 300, fmt="png")), {})},
        "`second.png` is truncated or damaged."),
    "mask-not-png": _case(
        {"image": ("photo.png", PHOTO, {}), "mask": ("mask.jpg", make_image(256, 256, fmt="jpeg"), {})},
        "`mask.jpg` is a JPEG; a mask must be a PNG whose transparent pixels mark where to edit."),
    "mask-wrong-size": _case(
        {"image": ("photo.png", PHOTO, {}), "mask": ("mask.png", mask(128, 128), {})},
        "`mask.png` is 128x128 but the image is 256x256; a mask must be exactly the same size as the image."),
    "mask-without-alpha": _case(
        {"image": ("photo.png", PHOTO, {}), "mask": ("mask.png", mask(mode="RGB"), {})},
        "`mask.png` has no alpha channel (it is RGB); a mask must be a PNG with transparency, whose "
        "transparent pixels mark where to edit."),
    "mask-fully-opaque": _case(
        {"image": ("photo.png", PHOTO, {}), "mask": ("mask.png", mask(hole=False), {})},
        "`mask.png` has no transparent pixels, so it marks nothing to edit; make the area to change transparent."),
}


async def refused(discord_fake, attachments: dict[str, tuple[str, bytes, dict]], options: dict[str, str]):
    """Send /edit with these attachments; return the interaction once the member got a private answer."""
    payloads = {}
    for option, (name, data, overrides) in attachments.items():
        payload = discord_fake.add_attachment(data, name)
        payload.update(overrides)  # what Discord reports, e.g. the size of a file too big to store here
        payloads[option] = payload
    interaction = await discord_fake.slash("edit", {"prompt": "make it better", **options}, attachments=payloads)
    await interaction.wait_for(lambda i: ephemeral_text(i) is not None, timeout=5)
    return interaction


@pytest.mark.parametrize(("attachments", "expected", "options"), list(BAD_ATTACHMENTS.values()),
                         ids=list(BAD_ATTACHMENTS))
async def test_bad_attachment_is_refused_before_any_api_call(start_bot, discord_fake, gptproto,
                                                             attachments, expected, options):
    """Each bad attachment is refused privately with a sentence naming it and the rule; no API call, no charge."""
    running = await start_bot()
    interaction = await refused(discord_fake, attachments, options)
    assert ephemeral_text(interaction) == expected
    assert visible_messages(interaction) == [], "no public 'thinking…' message is left behind"
    assert gptproto.requests == [], "nothing reached the API"
    assert await running.db.fetchall("SELECT id FROM jobs") == [], "nothing was reserved"


async def test_oversized_mask_is_refused_with_the_mask_rule(start_bot, discord_fake, gptproto):
    """A mask of 4 MB or more is refused with the mask's own rule (masks under 4 MB), not the images' rule."""
    running = await start_bot()
    interaction = await refused(
        discord_fake, {"image": ("photo.png", PHOTO, {}), "mask": ("mask.png", mask(), {"size": 5 * MB})}, {})
    assert ephemeral_text(interaction) == "`mask.png` is 5 MB; masks must be under 4 MB."
    assert gptproto.requests == [] and await running.db.fetchall("SELECT id FROM jobs") == []


async def test_attachment_gone_from_discord_is_refused_before_any_api_call(start_bot, discord_fake, gptproto):
    """An attachment Discord no longer serves is refused privately, naming it, before anything is sent or reserved."""
    running = await start_bot()
    image = discord_fake.add_attachment(PHOTO, "gone.png")
    discord_fake.remove_attachment(image)
    interaction = await discord_fake.slash("edit", {"prompt": "x"}, attachments={"image": image})
    await interaction.wait_for(lambda i: ephemeral_text(i) is not None, timeout=5)
    assert ephemeral_text(interaction) == "`gone.png` could not be downloaded from Discord (404); attach it again."
    assert visible_messages(interaction) == []
    assert gptproto.requests == [] and await running.db.fetchall("SELECT id FROM jobs") == []


async def test_edit_image_menu_form_submitted_after_a_restart_still_works(start_bot, discord_fake, gptproto,
                                                                          quick_polls):
    """A member who fills the "Edit image" form while the bot restarts still gets the edit."""
    first = await start_bot()
    gptproto.prediction_duration = 0.2
    photo = discord_fake.add_attachment(PHOTO, "one.png")
    target = discord_fake.add_message("look", attachments=[photo], author_id=discord_fake.other_member_id)
    menu = await discord_fake.message_command("Edit image", target.id)
    await menu.wait_response()
    modal_id, (prompt_id,) = modal_inputs(menu)
    await first.stop()
    await start_bot()
    submitted = await discord_fake.submit_modal(modal_id, {prompt_id: "after the restart"})
    await submitted.wait_for(has_files, timeout=10)
    (request,) = gptproto.edit_requests()
    assert request.json["image"] == [photo["url"]] and request.json["prompt"] == "after the restart"
