"""Prices of the models, and what a job may cost (its worst case) and did cost (its usage).

All money in the bot is a whole number of **micro-dollars** (``int``; $1 = 1,000,000): sums and
comparisons of budgets stay exact, which floats would not. Figures from outside (the built-in
table below, ``PRICES_FILE``, ``/quota set budget_usd``) are turned into micro-dollars once,
through ``Decimal``, by :func:`usd_to_micros`.

A model is billed either by tokens (USD per 1M tokens of text input, image input and image
output) or per image. :meth:`Pricing.estimate` gives the most a request can cost, reserved
against budgets when the job is accepted; :meth:`Pricing.charge` gives what the answer's
``usage`` says it cost, which the reservation is settled to.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from bot.gptproto.registry import MODELS, ImageOptions, SizeRule, parse_size
from bot.gptproto.types import TokenUsage
from bot.money import format_usd, usd_to_micros

TOKENS_PER_PRICE_UNIT = 1_000_000  # prices are per 1M tokens
MAX_PRICE_USD = Decimal(10_000)  # per 1M tokens or per image: anything above is a typo

PARTIAL_IMAGE_TOKENS = 100
"""Output tokens each streamed partial image adds (shared/api-docs/README.md, ``partial_images``)."""

INPUT_IMAGE_TOKENS = 1_500
"""Image input tokens assumed per input image of an edit (and for its mask).

An estimate, not a published figure: OpenAI's vision formula (85 + 170 per 512-px tile after
scaling to 768 px on the short side) gives 765 tokens for a square image and at most about 1,445
for a 3:1 one. Edits are charged their estimate (their answers carry no ``usage``), so this is
what an edit's input images cost.
"""

# Output image tokens of one image per quality at 1024x1024, 1024x1536 and 1536x1024.
# gpt-image-1 (and 1.5): shared/api-docs/PRICES.md, "Output image tokens of gpt-image-1 per image".
GPT_IMAGE_TOKENS: dict[str, tuple[int, int, int]] = {
    "low": (272, 408, 400),
    "medium": (1_056, 1_584, 1_568),
    "high": (4_160, 6_240, 6_208),
}
# gpt-image-1-mini: its per-image prices do not fit the table above (PRICES.md), so its tokens are
# derived from OpenAI's per-image list prices for the mini (1024x1024: $0.005 / $0.011 / $0.036;
# 1024x1536 and 1536x1024: $0.006 / $0.015 / $0.052) divided by its $8 per 1M output tokens.
MINI_IMAGE_TOKENS: dict[str, tuple[int, int, int]] = {
    "low": (625, 750, 750),
    "medium": (1_375, 1_875, 1_875),
    "high": (4_500, 6_500, 6_500),
}
GEMINI_IMAGE_TOKENS = 1_290  # Google: about 1,290 output tokens per image, whatever the aspect ratio
_TABLE_SIZES = ((1024, 1024), (1024, 1536), (1536, 1024))


class PriceKind(StrEnum):
    """How a model is billed."""

    TOKENS = "tokens"
    PER_IMAGE = "per_image"


@dataclass(frozen=True)
class ModelPrice:
    """One model's price, in micro-dollars per 1M tokens (or per image), and where it came from.

    ``estimate`` marks a figure nobody published (``check`` says so); ``source`` says where a
    figure came from, for the admin reading ``python -m bot check``.
    """

    kind: PriceKind
    text_input: int = 0
    image_input: int = 0
    image_output: int = 0
    per_image: int = 0
    source: str = ""
    estimate: bool = False

    def describe(self) -> str:
        """``$5.00 / $10.00 / $40.00 per 1M tokens (text in / image in / image out)`` or per image."""
        if self.kind is PriceKind.PER_IMAGE:
            return f"{format_usd(self.per_image)} per image"
        return (f"{format_usd(self.text_input, 2)} / {format_usd(self.image_input, 2)} / "
                f"{format_usd(self.image_output, 2)} per 1M tokens (text in / image in / image out)")


def _tokens(text_input: str, image_input: str, image_output: str, source: str, *,
            estimate: bool = False) -> ModelPrice:
    return ModelPrice(PriceKind.TOKENS, usd_to_micros(text_input), usd_to_micros(image_input),
                      usd_to_micros(image_output), source=source, estimate=estimate)


_FOUND = "list price found 2026-11-27"
_NO_FIGURE = ("ESTIMATE: no public figure found by 2026-11-27; copy the real price from the GPTProto "
              "dashboard into PRICES_FILE")

# Built-in list prices, USD per 1M tokens: text input, image input, image output.
# GPTProto resells these models at prices of its own (its API pages give none): these are the model
# makers' public list prices as collected in shared/api-docs/PRICES.md on 2026-11-27, a default for
# admins who have not written a PRICES_FILE. Admins should copy their real prices from the
# GPTProto dashboard into PRICES_FILE.
BUILTIN_PRICES: dict[str, ModelPrice] = {
    # OpenAI model page, 2026-11-27 (cached input 1.25 / 2.50 is not used: the bot never caches).
    "gpt-image-1": _tokens("5.00", "10.00", "40.00", f"OpenAI model page, {_FOUND}"),
    # OpenAI model page, 2026-11-27.
    "gpt-image-1-mini": _tokens("2.00", "2.50", "8.00", f"OpenAI model page, {_FOUND}"),
    # Third-party listings only, 2026-11-27; not confirmed on an OpenAI page (text input 5.00 in
    # parentheses there): marked as an estimate.
    "gpt-image-1.5": _tokens("5.00", "8.00", "32.00", "ESTIMATE: third-party listings of 2026-11-27, "
                             "not confirmed by OpenAI", estimate=True),
    # Google's list price, 2026-11-27: about 1,290 output tokens per image, so about $0.039 an image.
    "gemini-2.5-flash-image": _tokens("0.30", "0.30", "30.00", f"Google's list price, {_FOUND}"),
    # ESTIMATES (no public figure): gpt-image-1's prices, the highest of the family, so that a
    # worst-case reservation is not too small.
    "gpt-image-2": _tokens("5.00", "10.00", "40.00", _NO_FIGURE, estimate=True),
    "gpt-4o-image-vip": _tokens("5.00", "10.00", "40.00", _NO_FIGURE, estimate=True),
    "gpt-image-2-plus": _tokens("5.00", "10.00", "40.00", _NO_FIGURE, estimate=True),
    # ESTIMATE (no public figure): gpt-image-1.5's third-party prices.
    "gpt-image-1.5-plus": _tokens("5.00", "8.00", "32.00", _NO_FIGURE, estimate=True),
}


def _cost(tokens: int, micros_per_million: int) -> int:
    """Micro-dollars of ``tokens`` at a price per 1M tokens, rounded up to a whole micro-dollar."""
    return -(-tokens * micros_per_million // TOKENS_PER_PRICE_UNIT)


@dataclass(frozen=True)
class Charge:
    """What a finished job cost, and whether the figure comes from the answer's usage."""

    micros: int
    basis: str  # "usage", "estimate" or "per_image"
    known: bool = True  # False for a model with no price (charged 0; shown as no cost)

    @property
    def shown(self) -> int | None:
        """The cost to show a member, or ``None`` when the model has no price."""
        return self.micros if self.known else None


@dataclass(frozen=True)
class Pricing:
    """The prices in force (built-in, overridden by ``PRICES_FILE``) and the preview setting.

    ``preview_images`` is ``PREVIEW_IMAGES``: each partial image of a streaming model costs
    :data:`PARTIAL_IMAGE_TOKENS` output tokens, so the worst case counts them. A server's own
    previews setting (``/settings previews``) is what a job streams: reservations pass it.
    """

    prices: Mapping[str, ModelPrice] = field(default_factory=lambda: dict(BUILTIN_PRICES))
    preview_images: int = 0

    def price(self, model: str) -> ModelPrice | None:
        """The price of ``model``, or ``None`` when the bot knows none."""
        return self.prices.get(model)

    def unpriced_models(self) -> list[str]:
        """Models of the registry with no price (refused while a money budget applies)."""
        return [model for model in MODELS if model not in self.prices]

    # Worst case ------------------------------------------------------------------------------

    def estimate(self, options: ImageOptions, *, previews: int | None = None) -> int | None:
        """The most this request can cost, in micro-dollars; ``None`` for a model with no price.

        Counts every image asked for at the largest token count its size and quality allow
        (``auto`` counts as the dearest), the partial images of a streaming model when previews
        are on (``previews`` of them: the server's setting; ``PREVIEW_IMAGES`` when not given),
        the prompt as one token per UTF-8 byte (no tokenizer makes more), and
        :data:`INPUT_IMAGE_TOKENS` per input image and mask of an edit.
        """
        previews = self.preview_images if previews is None else previews
        price = self.price(options.model)
        if price is None:
            return None
        if price.kind is PriceKind.PER_IMAGE:
            return price.per_image * options.n
        output = output_tokens_per_image(options) * options.n
        spec = MODELS.get(options.model)
        if spec is not None and spec.streams and previews and not options.images:
            output += PARTIAL_IMAGE_TOKENS * previews
        text = len(options.prompt.encode("utf-8"))
        inputs = (len(options.images) + (1 if options.mask else 0)) * INPUT_IMAGE_TOKENS
        return (_cost(text, price.text_input) + _cost(inputs, price.image_input)
                + _cost(output, price.image_output))

    # Actual cost -----------------------------------------------------------------------------

    def charge(self, options: ImageOptions, usage: TokenUsage | None, *, estimate: int,
               delivered: int) -> Charge:
        """What a finished job cost: from ``usage`` when the answer had one, else ``estimate``.

        A per-image model is charged per image delivered. Input tokens without the
        text/image split count as text (a generation's input is its prompt).
        """
        price = self.price(options.model)
        if price is None:
            return Charge(estimate, "estimate", known=False)
        if price.kind is PriceKind.PER_IMAGE:
            return Charge(price.per_image * delivered, "per_image")
        if usage is None or not (usage.input_tokens or usage.output_tokens):
            return Charge(estimate, "estimate")
        text, image = usage.text_input_tokens, usage.image_input_tokens
        if text + image == 0:
            text = usage.input_tokens
        micros = (_cost(text, price.text_input) + _cost(image, price.image_input)
                  + _cost(usage.output_tokens, price.image_output))
        return Charge(micros, "usage")

    # Configuration ---------------------------------------------------------------------------

    def with_file(self, path: Path) -> Pricing:
        """These prices overridden by the TOML file ``path``; ``PricesFileError`` lists every problem."""
        return replace(self, prices=load_prices_file(path, self.prices))


def output_tokens_per_image(options: ImageOptions) -> int:
    """Image output tokens of one image of this request, at the worst its options allow."""
    spec = MODELS.get(options.model)
    if spec is not None and spec.size_rule is SizeRule.ASPECT:
        return GEMINI_IMAGE_TOKENS
    table = MINI_IMAGE_TOKENS if options.model == "gpt-image-1-mini" else GPT_IMAGE_TOKENS
    quality = options.quality if options.quality in table else "high"  # auto or unset: the dearest
    counts = table[quality]
    pixels = parse_size(options.size) if options.size else None
    if pixels is None:  # auto: the model may pick any of its table sizes
        return max(counts)
    if pixels in _TABLE_SIZES:
        return counts[_TABLE_SIZES.index(pixels)]
    # Other sizes (gpt-image-2's custom ones) scale with the pixel count, never below 1024x1024.
    per_pixel = max(c / (w * h) for c, (w, h) in zip(counts, _TABLE_SIZES, strict=True))
    return max(counts[0], math.ceil(per_pixel * pixels[0] * pixels[1]))


class PricesFileError(ValueError):
    """``PRICES_FILE`` is unusable; ``problems`` holds one readable line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


_TOKEN_KEYS = ("text_input", "image_input", "image_output")


def load_prices_file(path: Path, base: Mapping[str, ModelPrice]) -> dict[str, ModelPrice]:
    """``base`` with the models of the TOML file at ``path`` replaced (see DESIGN.md for its shape).

    A model given token prices keeps its built-in figures for the keys left out (a model with no
    built-in token price needs all three); a model given ``per_image`` is billed per image.
    """
    where = f"PRICES_FILE ({path})"
    try:
        with path.open("rb") as file:
            data = tomllib.load(file, parse_float=Decimal)
    except FileNotFoundError:
        raise PricesFileError([f"{where} does not exist"]) from None
    except OSError as error:
        raise PricesFileError([f"{where} cannot be read ({error.strerror})"]) from None
    except tomllib.TOMLDecodeError as error:
        raise PricesFileError([f"{where} is not valid TOML: {error}"]) from None
    problems: list[str] = []
    unknown_top = sorted(set(data) - {"models"})
    if unknown_top:
        problems.append(f"{where}: unknown section {unknown_top[0]!r}; prices go under [models.\"<model>\"]")
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise PricesFileError([*problems, f"{where}: 'models' must be a table of [models.\"<model>\"] sections"])
    prices = dict(base)
    for model, entry in models.items():
        name = f'{where}: [models."{model}"]'
        if model not in MODELS:
            problems.append(f"{name} is not a model this bot knows; use one of {', '.join(MODELS)}")
            continue
        if not isinstance(entry, dict):
            problems.append(f"{name} must be a table with text_input, image_input, image_output or per_image")
            continue
        unknown = sorted(set(entry) - {*_TOKEN_KEYS, "per_image"})
        if unknown:
            problems.append(f"{name} has an unknown key {unknown[0]!r}; use text_input, image_input, "
                            "image_output (USD per 1M tokens) or per_image (USD per image)")
            continue
        amounts: dict[str, int] = {}
        for key, value in entry.items():
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                problems.append(f"{name} {key} must be a number of USD, not {value!r}")
                continue
            if value < 0 or value > MAX_PRICE_USD:
                problems.append(f"{name} {key} must be between 0 and {MAX_PRICE_USD} USD, not {value}")
                continue
            amounts[key] = usd_to_micros(value)
        if len(amounts) != len(entry):
            continue
        source = f"PRICES_FILE {path.name}"
        if "per_image" in amounts:
            if len(amounts) > 1:
                problems.append(f"{name} sets per_image and token prices; a model is billed one way")
                continue
            prices[model] = ModelPrice(PriceKind.PER_IMAGE, per_image=amounts["per_image"], source=source)
            continue
        old = base.get(model)
        if old is None or old.kind is not PriceKind.TOKENS:
            missing = [k for k in _TOKEN_KEYS if k not in amounts]
            if missing:
                problems.append(f"{name} needs {', '.join(missing)} too (it has no built-in token price)")
                continue
            old = ModelPrice(PriceKind.TOKENS)
        prices[model] = replace(old, **amounts, source=source, estimate=False)
    if problems:
        raise PricesFileError(problems)
    return prices
