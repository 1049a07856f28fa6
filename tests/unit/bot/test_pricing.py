"""Prices: micro-dollar arithmetic, worst-case estimates, settling to usage, PRICES_FILE and check."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.__main__ import price_report
from bot.config import ConfigError, Settings
from bot.gptproto.registry import MODELS, ImageOptions
from bot.gptproto.types import TokenUsage
from bot.pricing import (
    BUILTIN_PRICES,
    INPUT_IMAGE_TOKENS,
    PARTIAL_IMAGE_TOKENS,
    PriceKind,
    PricesFileError,
    Pricing,
    format_usd,
    load_prices_file,
    output_tokens_per_image,
    usd_to_micros,
)

REQUIRED = {"DISCORD_TOKEN": "token-abc", "GPTPROTO_API_KEY": "sk-test"}


def options(model: str = "gpt-image-1", **kw) -> ImageOptions:
    """A request with the test's defaults."""
    return ImageOptions(model=model, prompt=kw.pop("prompt", "a lighthouse"), **kw)


# Money arithmetic -------------------------------------------------------------------------------


def test_usd_becomes_exact_micro_dollars():
    """Read dollars through Decimal, so 0.1 is exactly 100,000 micro-dollars and never a float's 99,999."""
    assert usd_to_micros(0.1) == 100_000
    assert usd_to_micros("0.30") == 300_000
    assert usd_to_micros(Decimal("40.00")) == 40_000_000
    assert usd_to_micros("$2.50") == 2_500_000
    assert usd_to_micros(7) == 7_000_000
    assert usd_to_micros("0.0000001") == 1  # a fraction of a micro-dollar rounds up, never to free
    for bad in ("-1", "abc", "nan", "inf", True, ""):
        with pytest.raises(ValueError):
            usd_to_micros(bad)


def test_format_usd_shows_enough_digits():
    """Show cents for large sums and more digits for small ones, as in "$0.042"."""
    assert format_usd(42_000) == "$0.042"
    assert format_usd(12_345_678) == "$12.35"
    assert format_usd(123) == "$0.0001"
    assert format_usd(0) == "$0.00"
    assert format_usd(2_500_000, 2) == "$2.50"


# Worst-case estimates -----------------------------------------------------------------------------


def test_estimate_of_a_known_request_is_exact():
    """Count the prompt's bytes at the text price and the table's output tokens at the image price."""
    pricing = Pricing(preview_images=0)
    # 12 bytes × $5/1M = 60 µ$; 272 tokens × $40/1M = 10,880 µ$ per image.
    assert pricing.estimate(options(size="1024x1024", quality="low")) == 60 + 10_880
    assert pricing.estimate(options(size="1024x1024", quality="low", n=3)) == 60 + 3 * 10_880


def test_auto_size_and_quality_count_as_the_dearest():
    """Reserve for the largest size and highest quality when the model may choose them."""
    assert output_tokens_per_image(options()) == 6_240
    assert output_tokens_per_image(options(quality="auto", size="1024x1024")) == 4_160
    assert output_tokens_per_image(options(quality="medium", size="1536x1024")) == 1_568


def test_custom_sizes_scale_with_pixels_and_never_below_1024():
    """A 4K gpt-image-2 image costs about 8× a 1024² one; a small size is not assumed cheaper."""
    big = output_tokens_per_image(options("gpt-image-2", size="3840x2160", quality="high"))
    assert big >= 4_160 * 3840 * 2160 / (1024 * 1024)
    assert output_tokens_per_image(options("gpt-image-1.5-plus", size="256x256", quality="low")) == 272


def test_previews_add_output_tokens_only_for_streaming_models():
    """Count 100 output tokens per partial image when previews are on and the model streams."""
    off, on = Pricing(preview_images=0), Pricing(preview_images=2)
    request = options(size="1024x1024", quality="low")
    assert on.estimate(request) - off.estimate(request) == PARTIAL_IMAGE_TOKENS * 2 * 40
    vip = options("gpt-4o-image-vip", size="1024x1024", quality="low")  # does not stream
    assert on.estimate(vip) == off.estimate(vip)


def test_edits_count_their_input_images_and_mask():
    """Reserve image input tokens for each input image and the mask of an edit."""
    pricing = Pricing(preview_images=3)
    one = pricing.estimate(options("gpt-image-1.5-plus", size="1024x1024", quality="low", images=("u1",)))
    three = pricing.estimate(options("gpt-image-1.5-plus", size="1024x1024", quality="low",
                                     images=("u1", "u2"), mask="m"))
    assert three - one == 2 * INPUT_IMAGE_TOKENS * 8  # $8 per 1M image input tokens


def test_gemini_costs_about_four_cents_an_image():
    """Price Gemini at its ~1,290 output tokens per image, whatever the aspect ratio."""
    cost = Pricing().estimate(options("gemini-2.5-flash-image", size="16:9", prompt="x"))
    assert 38_000 < cost < 40_000


def test_a_model_without_a_price_has_no_estimate():
    """Give no estimate (None) for a model missing from the table."""
    prices = dict(BUILTIN_PRICES)
    del prices["gpt-image-2"]
    pricing = Pricing(prices)
    assert pricing.estimate(options("gpt-image-2")) is None
    assert pricing.unpriced_models() == ["gpt-image-2"]


def test_every_model_has_a_built_in_price_with_its_source():
    """Ship a price for every registry model; the ones nobody published are marked as estimates."""
    assert set(BUILTIN_PRICES) == set(MODELS)
    assert all(p.source for p in BUILTIN_PRICES.values())
    estimates = {m for m, p in BUILTIN_PRICES.items() if p.estimate}
    assert {"gpt-image-2", "gpt-4o-image-vip", "gpt-image-1.5-plus", "gpt-image-2-plus"} <= estimates
    assert "gpt-image-1" not in estimates


# Settling ------------------------------------------------------------------------------------------


def test_charge_prices_the_usage_split_between_text_and_image_input():
    """Charge text and image input tokens at their own prices, and output at the image price."""
    usage = TokenUsage.from_dict({"input_tokens": 110, "output_tokens": 1_000, "total_tokens": 1_110,
                                  "input_tokens_details": {"text_tokens": 10, "image_tokens": 100}})
    assert (usage.text_input_tokens, usage.image_input_tokens) == (10, 100)
    charge = Pricing().charge(options(), usage, estimate=999_999, delivered=1)
    assert charge.basis == "usage"
    assert charge.micros == 10 * 5 + 100 * 10 + 1_000 * 40


def test_charge_without_details_counts_input_as_text():
    """Count input tokens as text when the answer does not split them (a generation's input is its prompt)."""
    usage = TokenUsage.from_dict({"input_tokens": 8, "output_tokens": 196})
    assert Pricing().charge(options(), usage, estimate=1, delivered=1).micros == 8 * 5 + 196 * 40


def test_an_answer_without_usage_is_charged_its_estimate():
    """Charge an edit (its answer has no usage) the estimate that was reserved."""
    charge = Pricing().charge(options("gpt-image-1.5-plus"), TokenUsage(), estimate=12_345, delivered=1)
    assert (charge.micros, charge.basis, charge.shown) == (12_345, "estimate", 12_345)


def test_per_image_models_are_charged_per_image_delivered(tmp_path: Path):
    """Charge a per-image model for the images delivered, whatever the tokens say."""
    path = tmp_path / "prices.toml"
    path.write_text('[models."gpt-image-2-plus"]\nper_image = 0.08\n')
    pricing = Pricing().with_file(path)
    assert pricing.estimate(options("gpt-image-2-plus", n=3)) == 240_000
    charge = pricing.charge(options("gpt-image-2-plus", n=3), TokenUsage(5, 5, 10), estimate=240_000, delivered=2)
    assert (charge.micros, charge.basis) == (160_000, "per_image")


# PRICES_FILE ---------------------------------------------------------------------------------------


def test_prices_file_overrides_the_built_in_table(tmp_path: Path):
    """Replace the given keys of a model exactly; other keys and other models keep their built-in price."""
    path = tmp_path / "prices.toml"
    path.write_text('[models."gpt-image-1"]\nimage_output = 32.1\n\n[models."gemini-2.5-flash-image"]\n'
                    'per_image = 0.039\n')
    prices = load_prices_file(path, BUILTIN_PRICES)
    assert prices["gpt-image-1"].image_output == 32_100_000
    assert prices["gpt-image-1"].text_input == 5_000_000
    assert prices["gpt-image-1"].source.startswith("PRICES_FILE")
    assert prices["gemini-2.5-flash-image"].kind is PriceKind.PER_IMAGE
    assert prices["gemini-2.5-flash-image"].per_image == 39_000
    assert prices["gpt-image-1-mini"] == BUILTIN_PRICES["gpt-image-1-mini"]


@pytest.mark.parametrize(("text", "fragment"), [
    ("not toml ===", "is not valid TOML"),
    ('[models."dall-e-9"]\nper_image = 1\n', "is not a model this bot knows"),
    ('[models."gpt-image-1"]\nimage_output = "lots"\n', "must be a number of USD"),
    ('[models."gpt-image-1"]\nimage_output = -1.0\n', "must be between 0 and"),
    ('[models."gpt-image-1"]\nper_image = 0.1\nimage_output = 1.0\n', "billed one way"),
    ('[models."gpt-image-1"]\ncolour = 1\n', "unknown key 'colour'"),
    ('[prices]\nx = 1\n', "unknown section"),
])
def test_a_bad_prices_file_is_one_clear_config_line(tmp_path: Path, text: str, fragment: str):
    """Stop at start with a line that names PRICES_FILE and says what is wrong."""
    path = tmp_path / "prices.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**REQUIRED, "PRICES_FILE": str(path)})
    (line,) = caught.value.problems
    assert line.startswith("PRICES_FILE") and fragment in line


def test_a_missing_prices_file_is_refused(tmp_path: Path):
    """Refuse a PRICES_FILE that does not exist, naming it."""
    with pytest.raises(PricesFileError, match="does not exist"):
        load_prices_file(tmp_path / "nope.toml", BUILTIN_PRICES)


# Configuration and check -------------------------------------------------------------------------


def test_budgets_parse_into_micro_dollars():
    """Read the three budgets as micro-dollars; unlimited by default, 0 blocks."""
    s = Settings.from_env(dict(REQUIRED))
    assert (s.user_daily_budget, s.guild_daily_budget, s.guild_monthly_budget) == (None, None, None)
    s = Settings.from_env({**REQUIRED, "USER_DAILY_BUDGET_USD": "0.50", "GUILD_DAILY_BUDGET_USD": "0",
                           "GUILD_MONTHLY_BUDGET_USD": "unlimited"})
    assert (s.user_daily_budget, s.guild_daily_budget, s.guild_monthly_budget) == (500_000, 0, None)
    limits = s.quota_limits()
    assert (limits.user_daily_budget, limits.guild_daily_budget) == (500_000, 0)
    assert limits.pricing is s.pricing


def test_a_bad_budget_names_its_variable():
    """Refuse a negative or wordy budget with one line naming the variable."""
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**REQUIRED, "USER_DAILY_BUDGET_USD": "-1", "GUILD_MONTHLY_BUDGET_USD": "lots"})
    assert [p.split()[0] for p in caught.value.problems] == ["USER_DAILY_BUDGET_USD", "GUILD_MONTHLY_BUDGET_USD"]


def test_check_reports_prices_estimates_and_models_without_one(monkeypatch: pytest.MonkeyPatch):
    """`check` lists each model's price and source, warns about estimates and says an unpriced model is refused."""
    monkeypatch.delitem(BUILTIN_PRICES, "gpt-4o-image-vip")
    settings = Settings.from_env({**REQUIRED, "USER_DAILY_BUDGET_USD": "2"})
    lines = dict((text.strip().split(":")[0], (mark, text)) for mark, text in price_report(settings))
    assert lines["budgets"][1].startswith("budgets: $2.00 per member per day")
    assert lines["gpt-image-1"] == ("ok", "  gpt-image-1: $5.00 / $10.00 / $40.00 per 1M tokens (text in / "
                                          "image in / image out); OpenAI model page, list price found 2026-11-27")
    assert lines["gpt-image-2"][0] == "warn" and "ESTIMATE" in lines["gpt-image-2"][1]
    assert lines["gpt-4o-image-vip"][0] == "warn"
    assert "NO PRICE; refused while a money budget applies" in lines["gpt-4o-image-vip"][1]


def test_a_server_s_previews_override_the_environment_s_in_the_worst_case():
    """The previews a server streams (its /settings) count, whatever PREVIEW_IMAGES says."""
    options = ImageOptions(model="gpt-image-1", prompt="a fox", size="1024x1024", quality="low")
    off, on = Pricing(preview_images=0), Pricing(preview_images=2)
    assert off.estimate(options, previews=2) == on.estimate(options)
    assert on.estimate(options, previews=0) == off.estimate(options)
    assert off.estimate(options, previews=None) == off.estimate(options)
