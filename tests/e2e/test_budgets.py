"""Budgets in money end to end: reserve, settle to usage, refund, refuse, /quota and /usage."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.gptproto.registry import ImageOptions
from bot.pricing import BUILTIN_PRICES, Pricing
from tests.e2e.conftest import (
    decode,
    ephemeral_text,
    has_embed_title,
    has_files,
    wait_jobs_finished,
    wait_refusal,
)
from tests.e2e.test_quota import MANAGE_GUILD, embed_fields
from tests.fakes.imagegen import make_image

LOW = {"size": "1024x1024", "quality": "low"}
# 12 prompt bytes at $5/1M + 272 output tokens at $40/1M (previews are off in the harness).
FOX_COST = Pricing().estimate(ImageOptions(model="gpt-image-1", prompt="a fox in a box", **LOW))
USAGE = {"input_tokens": 110, "output_tokens": 1_000, "total_tokens": 1_110,
         "input_tokens_details": {"text_tokens": 10, "image_tokens": 100},
         "output_tokens_details": {"image_tokens": 1_000, "text_tokens": 0}}
USAGE_COST = 10 * 5 + 100 * 10 + 1_000 * 40  # 41,050 micro-dollars: "$0.041"


def usd(micros: int) -> str:
    """Micro-dollars as a budget variable's value."""
    return f"{micros / 1_000_000:.6f}"


async def fox(discord_fake, **kw):
    """A /generate of the same small request (its estimate is FOX_COST)."""
    return await discord_fake.slash("generate", {"prompt": "a fox in a box", **LOW}, **kw)


async def test_a_generation_is_settled_to_its_usage_and_shows_its_cost(start_bot, discord_fake, gptproto):
    """Reserve the worst case, then charge what the answer's usage says, and show it on the result."""
    running = await start_bot(USER_DAILY_BUDGET_USD="1")
    gptproto.usage = USAGE
    done = await fox(discord_fake)
    await done.wait_for(has_files, timeout=15)
    (row,) = await wait_jobs_finished(running.db)
    assert (row["cost_estimate_micros"], row["cost_micros"], row["cost_basis"]) == (FOX_COST, USAGE_COST, "usage")
    assert (row["text_input_tokens"], row["image_input_tokens"]) == (10, 100)
    fields = embed_fields({"embeds": done.original().embeds})
    assert fields["Cost"] == "$0.041"
    standing = await running.db.quotas.budget_standing(user_id=discord_fake.member_id,
                                                       guild_id=discord_fake.guild_id, role_ids=())
    assert standing.user_spent == USAGE_COST


async def test_an_edit_without_usage_is_charged_its_estimate(start_bot, discord_fake, gptproto, quick_polls):
    """Charge an edit (its prediction carries no usage) exactly the estimate reserved."""
    running = await start_bot(GUILD_DAILY_BUDGET_USD="5")
    photo = discord_fake.add_attachment(make_image(128, 128, fmt="png"), "photo.png")
    edit = await discord_fake.slash("edit", {"prompt": "snow", "image": photo["id"], "quality": "low"},
                                    attachments={"image": photo})
    await edit.wait_for(has_files, timeout=20)
    (row,) = await wait_jobs_finished(running.db)
    job = await running.db.jobs.get(row["id"])
    assert job is not None
    assert row["cost_basis"] == "estimate"
    assert row["cost_micros"] == row["cost_estimate_micros"] == Pricing().estimate(job.options) > 0


async def test_over_the_member_budget_is_refused_privately_with_spend_and_reset(start_bot, discord_fake, gptproto):
    """Refuse, privately and before any API call, what would pass the member's budget: spent, which budget, reset."""
    gptproto.latency = 0
    running = await start_bot(USER_DAILY_BUDGET_USD=usd(FOX_COST + FOX_COST // 2))
    first = await fox(discord_fake)
    await first.wait_for(has_files, timeout=15)
    await wait_jobs_finished(running.db)
    gptproto.usage = None
    text = await wait_refusal(await fox(discord_fake))
    assert "your daily budget in this server" in text and "you spent $" in text
    assert re.search(r"It resets <t:\d+:R>", text)
    assert len(gptproto.generation_requests()) == 1
    assert len(await running.db.fetchall("SELECT id FROM jobs")) == 1


async def test_a_role_budget_set_by_an_admin_applies_and_quota_show_has_the_money(start_bot, discord_fake, gptproto):
    """An admin's role budget lets its members spend while the server default blocks the others."""
    running = await start_bot()
    admin = {"user_id": discord_fake.admin_id, "permissions": MANAGE_GUILD}
    artists = discord_fake.role_ids["artists"]
    blocked = await discord_fake.slash("quota", {"budget_usd": 0}, subcommand="set", **admin)
    assert "is now a budget of $0.00 per day" in (await blocked.wait_response())["data"]["content"]
    role = await discord_fake.slash("quota", {"budget_usd": 2.5, "role": artists}, subcommand="set", **admin)
    assert "is now a budget of $2.50 per day" in (await role.wait_response())["data"]["content"]

    other = await fox(discord_fake, user_id=discord_fake.other_member_id)
    assert "switched off" in await wait_refusal(other)
    member = await fox(discord_fake, user_id=discord_fake.member_id)
    await member.wait_for(has_files, timeout=15)
    (row,) = await wait_jobs_finished(running.db)

    shown = await discord_fake.slash("quota", {}, subcommand="show", user_id=discord_fake.member_id)
    fields = embed_fields((await shown.wait_response())["data"])
    spent = row["cost_micros"]
    assert fields["Spent today"] == f"${spent / 1e6:.3f}"
    assert fields["Budget left today"] == f"${(2_500_000 - spent) / 1e6:.2f} of $2.50"
    overrides = await running.db.quotas.list_budgets(discord_fake.guild_id)
    assert [(o.scope, o.target_id, o.limit) for o in overrides] == [("server", None, 0), ("role", artists, 2_500_000)]


async def test_quota_set_refuses_a_monthly_budget_that_is_not_the_servers_and_changes_nothing(start_bot, discord_fake):
    """Refuse period:month without server_total in one sentence; store neither the budget nor the limit."""
    running = await start_bot()
    attempt = await discord_fake.slash(
        "quota", {"limit": "5", "budget_usd": 3, "period": "month", "member": discord_fake.member_id},
        subcommand="set", user_id=discord_fake.admin_id, permissions=MANAGE_GUILD)
    await attempt.wait_response()
    assert "A monthly budget is only for the server's total" in (ephemeral_text(attempt) or "")
    assert await running.db.quotas.list_budgets(discord_fake.guild_id) == []
    assert await running.db.quotas.list_overrides(discord_fake.guild_id) == []

    monthly = await discord_fake.slash("quota", {"budget_usd": 30, "period": "month", "server_total": True},
                                       subcommand="set", user_id=discord_fake.admin_id, permissions=MANAGE_GUILD)
    answer = (await monthly.wait_response())["data"]["content"]
    assert "this server's total is now a budget of $30.00 per month" in answer
    cleared = await discord_fake.slash("quota", {"server_total": True, "what": "budget"}, subcommand="clear",
                                       user_id=discord_fake.admin_id, permissions=MANAGE_GUILD)
    assert "Cleared the budget of this server's total" in (await cleared.wait_response())["data"]["content"]
    assert await running.db.quotas.list_budgets(discord_fake.guild_id) == []


async def test_members_cannot_set_budgets(start_bot, discord_fake):
    """/quota set with budget_usd checks Manage Server when it runs."""
    running = await start_bot()
    attempt = await discord_fake.slash("quota", {"budget_usd": 100, "member": discord_fake.member_id},
                                       subcommand="set", user_id=discord_fake.member_id, permissions=0)
    await attempt.wait_response()
    assert "Only server admins" in (ephemeral_text(attempt) or "")
    assert await running.db.quotas.list_budgets(discord_fake.guild_id) == []


@pytest.mark.parametrize(("fault", "route"), [
    ("content_policy", "generate"), ("500", "generate"), ("not_image", "generate"), ("403_balance", "generate"),
])
async def test_every_failure_refunds_the_budget(start_bot, discord_fake, gptproto, fault, route):
    """A failed generation gives its money back: with a budget for one job, the next one still runs."""
    running = await start_bot(USER_DAILY_BUDGET_USD=usd(FOX_COST))
    gptproto.fail_next(fault, route=route, times=5 if fault == "500" else 1)
    failed = await fox(discord_fake)
    await failed.wait_for(lambda i: has_embed_title(i, "No image this time"), timeout=15)
    (row,) = await wait_jobs_finished(running.db)
    assert row["state"] == "failed" and row["cost_micros"] == 0
    gptproto.clear_faults()
    again = await fox(discord_fake)
    await again.wait_for(has_files, timeout=15)


async def test_a_failed_edit_refunds_the_budget(start_bot, discord_fake, gptproto, quick_polls):
    """A prediction that fails at the provider gives the edit's money back."""
    running = await start_bot(USER_DAILY_BUDGET_USD="5")
    gptproto.fail_next("prediction_failed", route="edit", message="the model broke")
    photo = discord_fake.add_attachment(make_image(128, 128, fmt="png"), "photo.png")
    edit = await discord_fake.slash("edit", {"prompt": "snow", "image": photo["id"]}, attachments={"image": photo})
    await edit.wait_for(lambda i: has_embed_title(i, "No image this time"), timeout=20)
    (row,) = await wait_jobs_finished(running.db)
    assert row["state"] == "failed" and row["cost_micros"] == 0 and row["cost_estimate_micros"] > 0


async def test_hundred_concurrent_requests_against_a_budget_for_five(start_bot, discord_fake, gptproto):
    """One hundred simultaneous /generate against a budget that covers 5: exactly 5 run, 95 are refused."""
    gptproto.latency = 3  # nothing settles (and frees money) before every request has been answered
    running = await start_bot(USER_DAILY_BUDGET_USD=usd(5 * FOX_COST + FOX_COST // 2), USER_DAILY_IMAGES="unlimited",
                              GUILD_DAILY_IMAGES="unlimited", MAX_JOBS_PER_USER="100", MAX_CONCURRENT_JOBS="4")
    interactions = await asyncio.gather(*(fox(discord_fake) for _ in range(100)))
    await asyncio.gather(*(i.wait_for(lambda i: ephemeral_text(i) is not None or has_files(i), timeout=30)
                           for i in interactions))
    refused = [i for i in interactions if "your daily budget" in (ephemeral_text(i) or "")]
    accepted = [i for i in interactions if ephemeral_text(i) is None]
    assert (len(accepted), len(refused)) == (5, 95)
    assert len(gptproto.generation_requests()) == 5
    rows = await wait_jobs_finished(running.db)
    assert len(rows) == 5 and sum(r["cost_micros"] for r in rows) <= 5 * FOX_COST


async def test_a_model_without_a_price_is_refused_under_a_budget(start_bot, discord_fake, gptproto, monkeypatch):
    """Refuse a model the bot cannot price while a budget applies, saying why, before any API call."""
    monkeypatch.delitem(BUILTIN_PRICES, "gpt-image-2")
    running = await start_bot(GUILD_MONTHLY_BUDGET_USD="100")
    refused = await discord_fake.slash("generate", {"prompt": "a fox", "model": "gpt-image-2"})
    text = await wait_refusal(refused)
    assert "I don't know what `gpt-image-2` costs" in text and "budget" in text
    assert gptproto.generation_requests() == []
    assert await running.db.fetchall("SELECT id FROM jobs") == []


async def test_usage_answers_with_a_chart_and_totals(start_bot, discord_fake, gptproto):
    """/usage defers, then shows the admin a PNG chart of spend per day and an embed with totals."""
    running = await start_bot()
    gptproto.usage = USAGE
    done = await fox(discord_fake, user_id=discord_fake.member_id)
    await done.wait_for(has_files, timeout=15)
    await wait_jobs_finished(running.db)

    usage = await discord_fake.slash("usage", {"days": 7}, user_id=discord_fake.admin_id, permissions=MANAGE_GUILD)
    await usage.wait_for(lambda i: any(m.files.get("usage.png") for m in i.messages), timeout=20)
    assert usage.responses[0]["type"] == 5, "deferred first"
    (message,) = [m for m in usage.messages if m.files.get("usage.png")]
    assert message.ephemeral
    chart = decode(message.files["usage.png"])
    assert chart.format == "PNG" and chart.size == (1200, 600)
    embed = message.embeds[0]
    assert "/usage.png" in embed["image"]["url"], "the chart is the embed's image"
    assert embed["description"].startswith("**$0.041** over the last 7 days")
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Per model"] == "`gpt-image-1` $0.041"
    assert fields["Top members by spend"] == f"<@{discord_fake.member_id}>: $0.041, 1 image"
    assert fields["Refunded"].startswith("0 jobs")


async def test_usage_is_for_admins_only(start_bot, discord_fake):
    """/usage checks Manage Server when it runs, and answers a member privately."""
    await start_bot()
    attempt = await discord_fake.slash("usage", {}, user_id=discord_fake.member_id, permissions=0)
    await attempt.wait_response()
    assert "Only server admins" in (ephemeral_text(attempt) or "")
