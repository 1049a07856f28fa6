"""Members read the bot in their own language, end to end: results, refusals, failures, and the
slash commands' names and descriptions as Discord shows them.

Each language's row names phrases that only a correct translation contains; English phrases must
not appear where the member's language is expected.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from bot import i18n
from tests.e2e.conftest import ephemeral_text, has_embed_title, has_files, wait_jobs_finished, wait_refusal
from tests.e2e.test_restart import generation_in_flight

MANAGE_GUILD = 1 << 5


@dataclass(frozen=True)
class Language:
    """One language under test: its Discord locale and phrases of its catalogue."""

    locale: str
    model_field: str  # the result embed's "Model" field
    quota_field: str  # "Your quota"
    quota_left: str  # "19 of 20 images left today", for a member's first image of 20
    reroll: str  # the Reroll button
    over_limit: str  # from the quota refusal
    failure_title: str  # "No image this time"
    policy: str  # from the content-policy sentence
    command: str  # /generate's name
    prompt_option: str  # /generate's prompt option
    quota_group: str  # /quota's name


LANGUAGES = [
    Language("de", "Modell", "Dein Kontingent", "noch 19 von 20 Bildern heute", "Neu würfeln",
             "Das würde dein Tageslimit auf diesem Server überschreiten", "Diesmal kein Bild",
             "Dein Prompt wurde vom Sicherheitssystem des Anbieters blockiert", "generieren", "prompt",
             "kontingent"),
    Language("ja", "モデル", "あなたの枠", "本日の残り 19 / 20 枚", "もう一度生成",
             "このサーバーでのあなたの1日の上限を超えてしまいます", "今回は画像を作成できませんでした",
             "プロンプトが提供元の安全システムによってブロックされました", "生成", "プロンプト", "利用枠"),
]
LANGUAGES = [lang for lang in LANGUAGES if lang.locale in i18n.LANGUAGES]
ENGLISH_ONLY = ("Your quota", "No image this time", "That would go over", "Your prompt was blocked")


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.locale)
async def test_generate_answers_in_the_members_language(start_bot, discord_fake, gptproto, lang):
    """A member's /generate, its result embed and its buttons are in the member's language, even in
    a server whose language is English."""
    running = await start_bot()
    interaction = await discord_fake.slash("generate", {"prompt": "a lighthouse"}, locale=lang.locale,
                                           guild_locale="en-US")
    await interaction.wait_for(has_files, timeout=15)
    message = interaction.original()
    fields = {f["name"]: f["value"] for f in message.embeds[0]["fields"]}
    assert fields[lang.model_field] == "gpt-image-1"
    assert fields[lang.quota_field] == lang.quota_left
    labels = [c.get("label") for row in message.components for c in row.get("components", [])]
    assert lang.reroll in labels
    assert not any(word in str(message.embeds) for word in ENGLISH_ONLY)
    (job,) = await wait_jobs_finished(running.db)
    assert job["state"] == "done"


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.locale)
async def test_refusal_and_failure_in_the_members_language(start_bot, discord_fake, gptproto, lang):
    """An over-quota refusal and a failed job are told in the member's language; an English-speaking
    member of the same server still reads English."""
    await start_bot(USER_DAILY_IMAGES="1")
    gptproto.fail_next("content_policy", route="generate")
    failed = await discord_fake.slash("generate", {"prompt": "a storm"}, locale=lang.locale)
    await failed.wait_for(lambda i: has_embed_title(i, lang.failure_title), timeout=15)
    assert lang.policy in failed.original().embeds[0]["description"]

    first = await discord_fake.slash("generate", {"prompt": "a fox"}, locale=lang.locale)
    await first.wait_for(has_files, timeout=15)
    refused = await discord_fake.slash("generate", {"prompt": "another fox"}, locale=lang.locale)
    text = await wait_refusal(refused)
    assert lang.over_limit in text and "<t:" in text
    assert not any(word in text for word in ENGLISH_ONLY)

    english = await discord_fake.slash("generate", {"prompt": "a third fox"}, locale="en-GB",
                                       guild_locale=lang.locale)
    assert "That would go over your daily limit in this server" in await wait_refusal(english)


async def test_a_locale_without_catalogue_falls_back_to_the_servers_then_english(start_bot, discord_fake, gptproto):
    """A member whose Discord speaks a language the bot lacks reads the server's language."""
    if not LANGUAGES:
        pytest.skip("no language besides English yet")
    lang = LANGUAGES[0]
    await start_bot(USER_DAILY_IMAGES="0")
    refused = await discord_fake.slash("generate", {"prompt": "a fox"}, locale="ko", guild_locale=lang.locale)
    assert "Image generation is switched off" not in await wait_refusal(refused)
    english = await discord_fake.slash("generate", {"prompt": "a fox"}, locale="ko", guild_locale="ko")
    assert (await wait_refusal(english)).startswith("Image generation is switched off")


async def test_synced_commands_carry_their_translations(start_bot, discord_fake, gptproto):
    """The pushed commands carry name and description localisations for every language, down to
    options and choices, in Discord's locales (es-419 like es-ES); English is the default."""
    await start_bot()
    commands = {c["name"]: c for c in discord_fake.synced_commands[discord_fake.guild_id]}
    locales = {locale for locale, lang in i18n.LANGUAGES.items() if lang != i18n.ENGLISH}
    generate = commands["generate"]
    assert set(generate["name_localizations"]) == locales
    assert set(generate["description_localizations"]) == locales
    assert generate["description"] == "Make an image from a description."
    prompt = next(o for o in generate["options"] if o["name"] == "prompt")
    quality = next(o for o in generate["options"] if o["name"] == "quality")
    assert set(prompt["description_localizations"]) == locales
    assert all(set(c["name_localizations"]) == locales for c in quality["choices"])
    for lang in LANGUAGES:
        assert generate["name_localizations"][lang.locale] == lang.command
        assert prompt["name_localizations"][lang.locale] == lang.prompt_option
        assert commands["quota"]["name_localizations"][lang.locale] == lang.quota_group
    if "es-419" in locales:
        assert generate["name_localizations"]["es-419"] == generate["name_localizations"]["es-ES"]
    menu = next(c for c in discord_fake.synced_commands[discord_fake.guild_id] if c["type"] == 3)
    assert set(menu["name_localizations"]) == locales


async def test_audit_log_speaks_the_servers_language(start_bot, discord_fake, gptproto):
    """The audit log is written in the server's language whatever the member's: a Japanese member
    in a German server is answered in Japanese, and the server's log reads German, reason included."""
    if "de" not in i18n.LANGUAGES or "ja" not in i18n.LANGUAGES:
        pytest.skip("needs the German and Japanese catalogues")
    running = await start_bot()
    log_channel = discord_fake.add_channel("bot-log")
    await asyncio.sleep(0.2)
    setup = await discord_fake.slash("settings", {"channel": log_channel}, subcommand="log",
                                     user_id=discord_fake.admin_id, permissions=MANAGE_GUILD, locale="de",
                                     guild_locale="de")
    await setup.wait_for(lambda i: ephemeral_text(i) is not None, timeout=10)
    assert ephemeral_text(setup).startswith("Erledigt: Jeder abgeschlossene Bildauftrag")
    first_line = discord_fake.channel_messages[log_channel][0].content
    assert first_line.startswith("Die Bildaufträge dieses Servers werden hier protokolliert")

    gptproto.fail_next("content_policy", route="generate")
    failed = await discord_fake.slash("generate", {"prompt": "a storm"}, locale="ja", guild_locale="de")
    await failed.wait_for(lambda i: has_embed_title(i, "今回は画像を作成できませんでした"), timeout=15)
    made = await discord_fake.slash("generate", {"prompt": "a fox"}, locale="ja", guild_locale="de")
    await made.wait_for(has_files, timeout=15)

    await discord_fake.wait_for(lambda f: len(audit_posts(f, log_channel)) >= 2, timeout=10)
    await running.bot.audit.wait_idle()
    by_title = {p.embeds[0]["title"]: p.embeds[0] for p in audit_posts(discord_fake, log_channel)}
    assert set(by_title) == {"Geliefert: /generate", "Fehlgeschlagen: /generate"}
    failed_fields = {f["name"]: f["value"] for f in by_title["Fehlgeschlagen: /generate"]["fields"]}
    assert failed_fields["Grund"].startswith("Dein Prompt wurde vom Sicherheitssystem des Anbieters blockiert")
    delivered_fields = {f["name"]: f["value"] for f in by_title["Geliefert: /generate"]["fields"]}
    assert delivered_fields["Mitglied"] == f"<@{discord_fake.member_id}>" and delivered_fields["Bilder"] == "1 von 1"


def audit_posts(discord_fake, channel_id: int) -> list:
    """The bot's audit entries in a channel (their footer reads ``job <id>``)."""
    return [m for m in discord_fake.channel_messages.get(channel_id, [])
            if m.embeds and (m.embeds[0].get("footer") or {}).get("text", "").startswith("job ")]


async def test_a_job_cut_off_by_a_restart_is_told_in_its_members_language(start_bot, discord_fake, gptproto):
    """The language travels with the job: after a restart the new process tells the member, in
    their language, that their generation was interrupted."""
    if not LANGUAGES:
        pytest.skip("no language besides English yet")
    lang = LANGUAGES[0]
    running = await start_bot()
    gptproto.latency = 5
    interaction = await discord_fake.slash("generate", {"prompt": "a slow castle"}, locale=lang.locale,
                                           guild_locale="en-US")
    await asyncio.wait_for(generation_in_flight(running, gptproto), 5)
    await running.stop()

    await start_bot()
    await interaction.wait_for(lambda i: has_embed_title(i, lang.failure_title), timeout=5)
    told = interaction.original().embeds[0]["description"]
    assert told == i18n.text(lang.locale, "interrupted-notice") and "The bot restarted" not in told
