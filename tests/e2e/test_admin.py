"""Issue 12 end to end: /settings, /blocklist, the audit log and /jobs, through the fake Discord."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.money import format_usd
from tests.e2e.conftest import (
    ephemeral_text,
    has_embed_title,
    has_files,
    modal_inputs,
    wait_job_state,
    wait_jobs_finished,
    wait_refusal,
)
from tests.fakes.discord import find_custom_id
from tests.fakes.imagegen import make_image

MANAGE_GUILD = 1 << 5
BLOCKED = "Your prompt contains a word or phrase this server's admins have blocked"


async def admin(discord_fake, command: str, subcommand: str | None, options: dict | None = None, **kw):
    """Run an admin command as the server's admin (Manage Server); return it once answered."""
    interaction = await discord_fake.slash(command, options or {}, subcommand=subcommand,
                                           user_id=discord_fake.admin_id, permissions=MANAGE_GUILD, **kw)
    response = await interaction.wait_response()
    if response["type"] == 5:  # deferred ("thinking…"): the answer follows
        await interaction.wait_for(lambda i: ephemeral_text(i) is not None, timeout=10)
    return interaction


def answer(interaction) -> str:
    """The private text (or first embed's text) the bot answered with."""
    text = ephemeral_text(interaction)
    if text:
        return text
    for response in interaction.responses:
        for embed in (response.get("data") or {}).get("embeds") or []:
            return embed.get("title", "") + "\n" + embed.get("description", "") + "\n" + "\n".join(
                f"{f['name']}: {f['value']}" for f in embed.get("fields") or [])
    return ""


ADMIN_COMMANDS = [
    ("settings", "show", {}),
    ("settings", "models", {"default": "gpt-image-2"}),
    ("settings", "log", {"off": True}),
    ("settings", "moderation", {"level": "low"}),
    ("settings", "previews", {"on": True}),
    ("blocklist", "add", {"term": "kite"}),
    ("blocklist", "remove", {"term": "kite"}),
    ("blocklist", "list", {}),
    ("jobs", None, {"server": True}),
]


@pytest.mark.parametrize(("command", "sub", "options"), ADMIN_COMMANDS, ids=lambda v: str(v))
async def test_members_are_refused_every_admin_command(start_bot, discord_fake, command, sub, options):
    """Each admin command checks Manage Server when it runs, even where a server loosened default_permissions."""
    running = await start_bot()
    attempt = await discord_fake.slash(command, options, subcommand=sub, user_id=discord_fake.member_id,
                                       permissions=0)
    await attempt.wait_response()
    assert "Only server admins (Manage Server)" in (ephemeral_text(attempt) or "")
    settings = await running.db.settings.get(discord_fake.guild_id)
    assert settings.updated_at is None, "nothing was changed"
    assert await running.db.settings.terms(discord_fake.guild_id) == []


async def test_settings_show_says_where_each_value_comes_from(start_bot, discord_fake):
    """/settings show lists the values in force, marking server settings and environment defaults."""
    await start_bot(DEFAULT_MODEL="gpt-image-1")
    await admin(discord_fake, "settings", "models", {"default": "gpt-image-2"})
    shown = answer(await admin(discord_fake, "settings", "show"))
    assert "Default /generate model: `gpt-image-2` *server setting*" in shown
    assert "Moderation: `auto` *environment default" in shown
    assert "Live previews: off *environment default `PREVIEW_IMAGES`*" in shown
    assert "Audit log: off" in shown


async def test_models_not_allowed_are_refused_before_anything_is_spent(start_bot, discord_fake, gptproto):
    """A model outside the server's allowed list is refused privately, naming the allowed ones, with no API call."""
    running = await start_bot()
    done = await admin(discord_fake, "settings", "models", {"allowed": "gpt-image-1, gpt-image-2, gpt-image-2-plus"})
    assert answer(done).startswith("Done. Default model: `gpt-image-1`. Allowed: `gpt-image-1`, `gpt-image-2`")
    refused = await discord_fake.slash("generate", {"prompt": "a fox", "model": "gpt-image-1.5"})
    text = await wait_refusal(refused)
    assert text == "`gpt-image-1.5` is not allowed in this server; choose one of: gpt-image-1, gpt-image-2."
    choices = await discord_fake.autocomplete("generate", {"prompt": "x", "model": ""}, "model")
    assert [c["value"] for c in choices] == ["gpt-image-1", "gpt-image-2"], "autocomplete offers only allowed models"
    accepted = await discord_fake.slash("generate", {"prompt": "a fox", "model": "gpt-image-2"})
    await accepted.wait_for(has_files, timeout=15)
    assert [r.json["model"] for r in gptproto.generation_requests()] == ["gpt-image-2"]
    assert len(await running.db.fetchall("SELECT id FROM jobs")) == 1


@pytest.mark.parametrize(("options", "expected"), [
    ({"allowed": "gpt-image-1, dall-e-9"}, "I don't know the model `dall-e-9`; nothing was changed."),
    ({"allowed": "gpt-image-2"}, "The default model `gpt-image-1` would not be allowed"),
    ({"default": "gpt-image-1.5-plus"}, "`gpt-image-1.5-plus` is not a /generate model"),
    ({"allowed": " , "}, "`allowed` is empty"),
])
async def test_bad_model_settings_change_nothing(start_bot, discord_fake, options, expected):
    """Unknown models, a default outside the list or of the wrong kind: a clear sentence, nothing changed."""
    running = await start_bot()
    refused = await admin(discord_fake, "settings", "models", options)
    assert expected in (ephemeral_text(refused) or "")
    assert (await running.db.settings.get(discord_fake.guild_id)).updated_at is None


DISGUISES = ["nsfw", "N.S.F.W art", "a n s f w scene", "n-s-f-w", "N_S_F_W", "n\u200bs\u200bf\u200bw",
             "ｎｓｆｗ please", "nssfww", "Nsfw!"]


async def test_blocked_terms_in_every_disguise_are_refused_for_free(start_bot, discord_fake, gptproto):
    """A blocked term, however disguised, is refused privately without echoing it; innocent words pass."""
    running = await start_bot()
    for term in ("nsfw", "ass"):
        added = await admin(discord_fake, "blocklist", "add", {"term": term})
        assert (ephemeral_text(added) or "").startswith(f"Blocked: prompts containing `{term}`")
    for prompt in DISGUISES:
        refused = await discord_fake.slash("generate", {"prompt": prompt})
        text = await wait_refusal(refused)
        assert text.startswith(BLOCKED), prompt
        assert "nsfw" not in text.lower()
    assert gptproto.generation_requests() == []
    assert await running.db.fetchall("SELECT id FROM jobs") == []
    innocent = await discord_fake.slash("generate", {"prompt": "a class of assistants with a glass"})
    await innocent.wait_for(has_files, timeout=15)
    assert len(gptproto.generation_requests()) == 1


async def test_the_blocklist_covers_edit_menus_buttons_and_reroll(start_bot, discord_fake, gptproto, quick_polls):
    """/edit, the Edit image menu, the result's Edit form and Reroll all pass the blocklist, with no API call."""
    running = await start_bot()
    made = await discord_fake.slash("generate", {"prompt": "a red kite"})
    await made.wait_for(has_files, timeout=15)
    await wait_jobs_finished(running.db)
    await admin(discord_fake, "blocklist", "add", {"term": "kite"})
    result = made.original()
    calls = len(gptproto.requests)

    reroll = await discord_fake.click(result.id, find_custom_id(result, r"^img:reroll:"))
    assert (await wait_refusal(reroll)).startswith(BLOCKED)

    opened = await discord_fake.click(result.id, find_custom_id(result, r"^img:edit:"))
    await opened.wait_response()
    modal_id, (prompt_id,) = modal_inputs(opened)
    edit_form = await discord_fake.submit_modal(modal_id, {prompt_id: "add a K I T E"})
    assert (await wait_refusal(edit_form)).startswith(BLOCKED)

    image = discord_fake.add_attachment(make_image(128, 128, fmt="png"), "photo.png")
    edit = await discord_fake.slash("edit", {"prompt": "a kite in the sky"}, attachments={"image": image})
    assert (await wait_refusal(edit)).startswith(BLOCKED)

    menu = await discord_fake.message_command("Edit image", result.id)
    await menu.wait_response()
    modal_id, (prompt_id,) = modal_inputs(menu)
    menu_form = await discord_fake.submit_modal(modal_id, {prompt_id: "kites everywhere kite"})
    assert (await wait_refusal(menu_form)).startswith(BLOCKED)

    assert len(gptproto.requests) == calls, "no API call for any of them"
    assert len(await running.db.fetchall("SELECT id FROM jobs")) == 1


@pytest.mark.parametrize(("term", "expected"), [
    ("   ", "The term is empty"),
    ("x" * 2000, "a blocked term may have at most 100"),
    ("?!...", "has no letters or digits"),
])
async def test_bad_terms_change_nothing(start_bot, discord_fake, term, expected):
    """An empty, punctuation-only or 2,000-character term gets a clear sentence and is not stored."""
    running = await start_bot()
    refused = await admin(discord_fake, "blocklist", "add", {"term": term})
    assert expected in (ephemeral_text(refused) or "")
    assert await running.db.settings.terms(discord_fake.guild_id) == []


async def test_five_hundred_terms_still_work_and_the_limit_is_told(start_bot, discord_fake, gptproto, monkeypatch):
    """With 500 terms a prompt is still screened correctly; a server at the limit is told so and nothing changes."""
    running = await start_bot()
    await running.db.settings.add_terms(discord_fake.guild_id, [f"word{i}x" for i in range(499)], by=1)
    await admin(discord_fake, "blocklist", "add", {"term": "dragon"})
    listed = answer(await admin(discord_fake, "blocklist", "list"))
    assert "Blocked terms in this server: 500 of at most 1000" in listed
    refused = await discord_fake.slash("generate", {"prompt": "a d-r-a-g-o-n and word77x"})
    assert (await wait_refusal(refused)).startswith(BLOCKED)
    fine = await discord_fake.slash("generate", {"prompt": "a dragonfly over word77xy"})
    await fine.wait_for(has_files, timeout=15)

    monkeypatch.setattr("bot.storage.settings.MAX_TERMS", 500)
    full = await admin(discord_fake, "blocklist", "add", {"term": "griffin"})
    assert "already blocks 500 terms, the most I keep" in (ephemeral_text(full) or "")
    assert len(await running.db.settings.terms(discord_fake.guild_id)) == 500
    removed = await admin(discord_fake, "blocklist", "remove", {"term": "D R A G O N"})
    assert ephemeral_text(removed) == "`D R A G O N` is no longer blocked."


async def test_a_log_channel_the_bot_cannot_see_is_refused(start_bot, discord_fake):
    """/settings log with a channel the bot cannot see (or post in) says so and changes nothing."""
    running = await start_bot()
    hidden = discord_fake.add_channel("mods-only")
    closed = discord_fake.add_channel("read-only")
    discord_fake.deny_channel(hidden, 50001)
    discord_fake.deny_channel(closed, 50013)
    await asyncio.sleep(0.2)  # the bot's cache gets CHANNEL_UPDATE
    seen = await admin(discord_fake, "settings", "log", {"channel": hidden})
    assert f"I can't see <#{hidden}>" in await wait_refusal(seen)
    posting = await admin(discord_fake, "settings", "log", {"channel": closed})
    assert "I need the Send Messages, Embed Links permissions" in await wait_refusal(posting)
    assert (await running.db.settings.get(discord_fake.guild_id)).log_channel_id is None


async def test_moderation_low_is_sent_only_in_age_restricted_channels(start_bot, discord_fake, gptproto):
    """Moderation low reaches the API only from an age-restricted channel, and only for models that take it."""
    await start_bot()
    adult = discord_fake.add_channel("after-dark", nsfw=True)
    await asyncio.sleep(0.2)
    await admin(discord_fake, "settings", "moderation", {"level": "low"})
    for channel, model in ((adult, "gpt-image-1"), (discord_fake.channel_id, "gpt-image-1"),
                           (adult, "gemini-2.5-flash-image")):
        done = await discord_fake.slash("generate", {"prompt": "a fox", "model": model}, channel_id=channel)
        await done.wait_for(has_files, timeout=15)
    bodies = [r.json for r in gptproto.generation_requests()]
    assert bodies[0]["moderation"] == "low"
    assert "moderation" not in bodies[1] and "moderation" not in bodies[2]


async def test_previews_setting_turns_previews_on_for_the_server(start_bot, discord_fake, gptproto):
    """/settings previews on:True streams partial images here although PREVIEW_IMAGES is 0."""
    await start_bot(PREVIEW_IMAGES="0")
    await admin(discord_fake, "settings", "previews", {"on": True})
    done = await discord_fake.slash("generate", {"prompt": "a fox"})
    await done.wait_for(has_files, timeout=15)
    (request,) = gptproto.generation_requests()
    assert request.json.get("stream") is True and request.json.get("partial_images") == 2


def audit_posts(discord_fake, channel_id: int) -> list:
    """The bot's audit entries in a channel (its embeds carry ``job <id>`` in the footer)."""
    return [m for m in discord_fake.channel_messages.get(channel_id, [])
            if m.embeds and (m.embeds[0].get("footer") or {}).get("text", "").startswith("job ")]


async def wait_audit(discord_fake, channel_id: int, count: int, seconds: float = 10) -> list:
    """Wait for ``count`` audit entries in the channel."""
    await discord_fake.wait_for(lambda f: len(audit_posts(f, channel_id)) >= count, timeout=seconds)
    return audit_posts(discord_fake, channel_id)


async def test_audit_log_has_one_entry_per_job_and_per_refusal(start_bot, discord_fake, gptproto):
    """Each finished job and each refusal is logged once, without pinging, with a link to the result."""
    running = await start_bot()
    log_channel = discord_fake.add_channel("bot-log")
    await asyncio.sleep(0.2)
    done = await admin(discord_fake, "settings", "log", {"channel": log_channel})
    assert "every finished image job will be logged" in (ephemeral_text(done) or "")
    await admin(discord_fake, "blocklist", "add", {"term": "nsfw"})
    made = await discord_fake.slash("generate", {"prompt": "a lighthouse"})
    await made.wait_for(has_files, timeout=15)
    refused = await discord_fake.slash("generate", {"prompt": "n.s.f.w"})
    await wait_refusal(refused)
    gptproto.fail_next("content_policy", route="generate")
    failed = await discord_fake.slash("generate", {"prompt": "refused upstream"})
    await failed.wait_for(lambda i: has_embed_title(i, "No image this time"), timeout=15)

    posts = await wait_audit(discord_fake, log_channel, 3)
    await running.bot.audit.wait_idle()
    assert len(audit_posts(discord_fake, log_channel)) == 3
    by_title = {p.embeds[0]["title"]: p for p in posts}
    delivered = by_title["Delivered: /generate"]
    fields = {f["name"]: f["value"] for f in delivered.embeds[0]["fields"]}
    assert fields["Member"] == f"<@{discord_fake.member_id}>" and fields["Model"] == "gpt-image-1"
    (cost,) = [r["cost_micros"] for r in await running.db.fetchall("SELECT cost_micros FROM jobs WHERE state = 'done'")]
    assert fields["Cost"] == format_usd(cost) and cost > 0 and fields["Images"] == "1 of 1"
    assert f"/{made.original().id})" in fields["Result"]
    assert delivered.mentions == [], "the member is named but not pinged"
    assert "n.s.f.w" not in str(by_title["Refused: /generate"].embeds[0].get("fields"))
    failed_fields = {f["name"]: f["value"] for f in by_title["Failed: /generate"].embeds[0]["fields"]}
    assert failed_fields["Cost"] == "$0.00", "a failed job is refunded: it cost nothing"
    rows = await running.db.fetchall("SELECT state FROM audit_entries")
    assert [r["state"] for r in rows] == ["posted"] * 3


async def test_audit_entry_is_posted_once_across_a_restart(start_bot, discord_fake, gptproto, quick_polls):
    """A job resumed after a restart is logged once; entries claimed before a stop are posted once, never twice."""
    running = await start_bot()
    log_channel = discord_fake.add_channel("bot-log")
    await asyncio.sleep(0.2)
    await admin(discord_fake, "settings", "log", {"channel": log_channel})
    gptproto.prediction_duration = 1.0
    image = discord_fake.add_attachment(make_image(256, 256, fmt="png"), "photo.png")
    edit = await discord_fake.slash("edit", {"prompt": "make it snow"}, attachments={"image": image})
    await wait_job_state(running.db, "submitted", 5)
    await running.stop()

    running = await start_bot()
    await edit.wait_for(has_files, timeout=10)
    (job,) = await wait_jobs_finished(running.db)
    posts = await wait_audit(discord_fake, log_channel, 1)
    await running.bot.audit.wait_idle()
    assert [p.embeds[0]["footer"]["text"] for p in posts] == [f"job {job['id']}"]

    # A stop between the claim and the record: one entry whose message is out, one whose is not.
    posted_id = posts[0].id
    await running.db.fetchall("SELECT 1")  # the store is idle
    async with running.db.write() as conn:
        await conn.execute("UPDATE audit_entries SET state = 'claimed', message_id = NULL")
        await conn.execute(
            "INSERT INTO audit_entries (job_id, guild_id, log_channel_id, state, outcome, payload, created_at) "
            "SELECT 'refused-1', guild_id, log_channel_id, 'claimed', 'refused', payload, created_at "
            "FROM audit_entries")
    await running.stop()
    running = await start_bot()
    await wait_audit(discord_fake, log_channel, 2)
    await running.bot.audit.wait_idle()
    await asyncio.sleep(0.2)
    footers = [p.embeds[0]["footer"]["text"] for p in audit_posts(discord_fake, log_channel)]
    assert footers == [f"job {job['id']}", "job refused-1"], "the posted one was found, the other posted once"
    rows = {r["job_id"]: r for r in await running.db.fetchall("SELECT * FROM audit_entries")}
    assert rows[job["id"]]["state"] == "posted" and rows[job["id"]]["message_id"] == posted_id
    await running.stop()
    running = await start_bot()
    await running.bot.audit.wait_idle()
    assert len(audit_posts(discord_fake, log_channel)) == 2, "a further restart posts nothing"


async def test_a_log_channel_that_stops_working_is_reported_once(start_bot, discord_fake, gptproto, log_records):
    """When the bot loses the log channel, jobs still deliver, the log says so once and /settings show tells why."""
    running = await start_bot()
    log_channel = discord_fake.add_channel("bot-log")
    await asyncio.sleep(0.2)
    await admin(discord_fake, "settings", "log", {"channel": log_channel})
    discord_fake.deny_channel(log_channel, 50013, visible=False)
    for prompt in ("one", "two"):
        made = await discord_fake.slash("generate", {"prompt": prompt})
        await made.wait_for(has_files, timeout=15)
        await wait_jobs_finished(running.db)
        await running.bot.audit.wait_idle()
    warnings = [r for r in log_records.records if r.levelno == logging.WARNING and "cannot post in log channel"
                in r.getMessage()]
    assert len(warnings) == 1
    shown = answer(await admin(discord_fake, "settings", "show"))
    assert "I could not post there: 403 Missing Permissions" in shown


async def test_jobs_lists_a_members_jobs_and_an_admin_cancels_a_running_one(start_bot, discord_fake, gptproto):
    """/jobs shows a member their jobs; an admin cancels a running job from /jobs server:True, refunding it."""
    running = await start_bot(USER_DAILY_IMAGES="2")
    running.bot.jobs.delivery.progress_interval = 0.01
    running.bot.jobs.delivery.first_edit_after = 0.0
    first = await discord_fake.slash("generate", {"prompt": "a quick fox"})
    await first.wait_for(has_files, timeout=15)
    gptproto.latency = 30
    slow = await discord_fake.slash("generate", {"prompt": "a slow snail"})
    await wait_job_state(running.db, "running", 5)

    mine = await discord_fake.slash("jobs", {})
    listing = answer(await mine.wait_response() and mine)
    assert "Your image jobs here: 1 under way" in listing
    assert "running" in listing and "done" in listing and "<t:" in listing

    server = await admin(discord_fake, "jobs", None, {"server": True})
    message = server.original()
    cancel_id = find_custom_id(message, r"^jobs:cancel:")
    clicked = await discord_fake.click(message.id, cancel_id, user_id=discord_fake.admin_id, permissions=MANAGE_GUILD)
    await clicked.wait_for(lambda i: bool(ephemeral_text(i)), timeout=10)
    assert ephemeral_text(clicked).startswith("Cancelled job")
    await slow.wait_for(lambda i: has_embed_title(i, "No image this time"), timeout=10)
    assert f"Cancelled by <@{discord_fake.admin_id}> (a server admin); nothing was charged." in \
        slow.original().embeds[0]["description"]
    rows = await wait_jobs_finished(running.db)
    assert [(r["state"], r["images_reserved"]) for r in rows] == [("done", 1), ("cancelled", 0)]
    gptproto.latency = 0
    again = await discord_fake.slash("generate", {"prompt": "quota was refunded"})
    await again.wait_for(has_files, timeout=15)


async def test_members_cannot_cancel_other_members_jobs(start_bot, discord_fake, gptproto):
    """A Cancel button of /jobs refuses a member who neither owns the job nor manages the server."""
    running = await start_bot()
    gptproto.latency = 30
    await discord_fake.slash("generate", {"prompt": "a slow snail"})
    await wait_job_state(running.db, "running", 5)
    mine = await discord_fake.slash("jobs", {})
    await mine.wait_response()
    message = mine.original()
    stranger = await discord_fake.click(message.id, find_custom_id(message, r"^jobs:cancel:"),
                                        user_id=discord_fake.other_member_id, permissions=0)
    await stranger.wait_response()
    assert "Only the member who asked" in (ephemeral_text(stranger) or "")
    assert (await running.db.fetchone("SELECT state FROM jobs"))["state"] == "running"
    gptproto.latency = 0
