"""The result buttons (Reroll, Edit, Delete) on a message posted before the bot restarted.

Each test makes a result, stops the bot and starts a new one on the same database (the buttons
are ``DynamicItem``s whose ``custom_id`` is ``img:<action>:<job id>``; the rest comes from the
database), then clicks on the old message.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import (
    ephemeral_text,
    has_files,
    modal_inputs,
    posted_images,
    wait_jobs_finished,
    wait_refusal,
)
from tests.fakes.discord import find_custom_id
from tests.fakes.imagegen import make_image

ONLY_OWNER = "Only the member who asked for this image, or a server admin, can delete it."


async def result_then_restart(start_bot, discord_fake, command: str = "generate", options=None,
                              attachments=None, **env: str):
    """Run ``command`` to a posted result as the default member, then restart the bot.

    Returns the new bot, the result message and the finished job's row.
    """
    running = await start_bot(**env)
    interaction = await discord_fake.slash(command, options or {"prompt": "a red kite", "quality": "low"},
                                           attachments=attachments, user_id=discord_fake.member_id)
    await interaction.wait_for(has_files, timeout=10)
    (job,) = await wait_jobs_finished(running.db)
    assert job["state"] == "done"
    await running.stop()
    running = await start_bot(**env)
    return running, interaction.original(), job


async def click(discord_fake, message, action: str, **kw):
    """Click the ``action`` button of a result message; return the click once answered."""
    interaction = await discord_fake.click(message.id, find_custom_id(message, rf"^img:{action}:"), **kw)
    await interaction.wait_response()
    return interaction


async def test_reroll_after_a_restart_makes_a_new_image(start_bot, discord_fake, gptproto):
    """Reroll on a message from before the restart sends the same request again as a new, charged job."""
    running, message, old = await result_then_restart(start_bot, discord_fake)
    assert find_custom_id(message, r"^img:reroll:") == f"img:reroll:{old['id']}"
    reroll = await click(discord_fake, message, "reroll")
    await reroll.wait_for(has_files, timeout=10)

    first, again = gptproto.generation_requests()
    assert again.json == first.json == {"model": "gpt-image-1", "prompt": "a red kite", "quality": "low"}
    new = reroll.original()
    assert new.id != message.id and len(new.attachments) == 1
    assert len(discord_fake.messages[message.id].attachments) == 1, "the old result is left as it was"
    rows = await wait_jobs_finished(running.db)
    assert [(r["state"], r["images_reserved"], r["parent_job_id"]) for r in rows] == [
        ("done", 1, None), ("done", 1, old["id"])]


async def test_edit_button_after_a_restart_edits_the_result(start_bot, discord_fake, gptproto, quick_polls):
    """Edit on a message from before the restart asks for a prompt and edits that result's image."""
    running, message, old = await result_then_restart(start_bot, discord_fake)
    gptproto.prediction_duration = 0.2
    opened = await click(discord_fake, message, "edit")
    modal_id, (prompt_id,) = modal_inputs(opened)
    assert modal_id == f"img-edit-modal:{old['id']}"
    submitted = await discord_fake.submit_modal(modal_id, {prompt_id: "add a second kite"})
    await submitted.wait_for(has_files, timeout=10)

    (request,) = gptproto.edit_requests()
    assert request.path == "/api/v3/openai/gpt-image-1.5-plus/image-edit"
    assert request.json["image"] == [message.attachments[0].url]
    assert request.json["prompt"] == "add a second kite"
    rows = await wait_jobs_finished(running.db)
    assert [(r["kind"], r["state"], r["parent_job_id"]) for r in rows] == [
        ("generate", "done", None), ("edit", "done", old["id"])]


@pytest.mark.parametrize(("who", "deleted"), [("requester", True), ("admin", True), ("other member", False)])
async def test_delete_after_a_restart_is_for_the_requester_and_admins(start_bot, discord_fake, gptproto, who, deleted):
    """Delete on a message from before the restart works for its requester or an admin; others are refused privately."""
    await result_then_restart(start_bot, discord_fake)
    message = posted_images(discord_fake)[0]
    user = {"requester": discord_fake.member_id, "admin": discord_fake.admin_id,
            "other member": discord_fake.other_member_id}[who]
    clicked = await click(discord_fake, message, "delete", user_id=user)
    if deleted:
        await discord_fake.wait_for(lambda f: f.messages[message.id].deleted, timeout=5)
        assert ephemeral_text(clicked) is None
    else:
        assert ephemeral_text(clicked) == ONLY_OWNER
        assert not discord_fake.messages[message.id].deleted
    assert len(gptproto.generation_requests()) == 1


async def test_reroll_and_edit_are_refused_over_the_quota(start_bot, discord_fake, gptproto):
    """Reroll and Edit go through the daily quota: over it they are refused privately, with no API call and no job."""
    running, message, _ = await result_then_restart(start_bot, discord_fake, USER_DAILY_IMAGES="1")
    reroll = await click(discord_fake, message, "reroll")
    opened = await click(discord_fake, message, "edit")
    modal_id, (prompt_id,) = modal_inputs(opened)
    edit = await discord_fake.submit_modal(modal_id, {prompt_id: "more kites"})
    for refused in (reroll, edit):
        assert (await wait_refusal(refused)).startswith(
            "That would go over your daily limit in this server: 1 of 1 images used today, 0 left")
    assert len(gptproto.generation_requests()) == 1 and gptproto.edit_requests() == []
    assert len(await running.db.fetchall("SELECT id FROM jobs")) == 1


async def test_edit_button_validates_the_prompt(start_bot, discord_fake, gptproto):
    """A blank prompt in the Edit modal is refused privately by validation, with no API call."""
    running, message, _ = await result_then_restart(start_bot, discord_fake)
    opened = await click(discord_fake, message, "edit")
    modal_id, (prompt_id,) = modal_inputs(opened)
    edit = await discord_fake.submit_modal(modal_id, {prompt_id: "   "})
    await edit.wait_response()
    assert ephemeral_text(edit) == "Your prompt is empty: describe the image you want."
    assert gptproto.edit_requests() == []
    assert len(await running.db.fetchall("SELECT id FROM jobs")) == 1


async def test_reroll_of_an_edit_after_a_restart_resubmits_the_same_images(start_bot, discord_fake, gptproto,
                                                                            quick_polls):
    """Reroll of an /edit result sends the same model, input key and image URLs again, as a new prediction."""
    gptproto.prediction_duration = 0.2
    image = discord_fake.add_attachment(make_image(256, 256, fmt="png"), "photo.png")
    running, message, old = await result_then_restart(
        start_bot, discord_fake, "edit", {"prompt": "night", "model": "gpt-image-2-plus"}, {"image": image})
    reroll = await click(discord_fake, message, "reroll")
    await reroll.wait_for(has_files, timeout=10)
    first, again = gptproto.edit_requests()
    assert again.path == first.path == "/api/v3/openai/gpt-image-2-plus/image-edit"
    assert again.json["images"] == first.json["images"] == [image["url"]]
    rows = await wait_jobs_finished(running.db)
    assert rows[1]["parent_job_id"] == old["id"] and rows[1]["prediction_id"] != old["prediction_id"]


async def test_edit_modal_opened_before_a_restart_still_works(start_bot, discord_fake, gptproto, quick_polls):
    """A member who opened the Edit modal before a restart and submits it afterwards still gets their edit."""
    running = await start_bot()
    gptproto.prediction_duration = 0.2
    interaction = await discord_fake.slash("generate", {"prompt": "a red kite"})
    await interaction.wait_for(has_files, timeout=10)
    await wait_jobs_finished(running.db)
    opened = await click(discord_fake, interaction.original(), "edit")
    modal_id, (prompt_id,) = modal_inputs(opened)
    await running.stop()
    await start_bot()
    submitted = await discord_fake.submit_modal(modal_id, {prompt_id: "add a second kite"})
    await submitted.wait_response(timeout=3)
    await submitted.wait_for(has_files, timeout=10)
    assert len(gptproto.edit_requests()) == 1
