"""Request validation of the fake GPTProto, following ``/work/shared/api-docs``.

Kept apart from the server so the rules can be read (and tuned) in one place. Every check
raises :class:`InvalidRequest` with the sentence the fake sends back in its 400 answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

GENERATION_MODELS = (
    "gpt-image-1",
    "gpt-image-1-mini",
    "gpt-image-1.5",
    "gpt-image-2",
    "gpt-4o-image-vip",
    "gemini-2.5-flash-image",
)
GEMINI = "gemini-2.5-flash-image"
#: image-edit model -> the JSON key its documentation page uses for input image URLs
EDIT_MODELS = {"gpt-image-1.5-plus": "image", "gpt-image-2-plus": "images"}

GPT_IMAGE_1_SIZES = ("auto", "1024x1024", "1536x1024", "1024x1536")
#: gpt-4o-image-vip's own page also lists these two in its size range
VIP_EXTRA_SIZES = ("256x256", "512x512")
EDIT_15_SIZES = ("256x256", "512x512", "1024x1024", "1536x1024", "1024x1536")
GEMINI_SIZES = {
    "1:1": (1024, 1024),
    "2:3": (832, 1248),
    "3:2": (1248, 832),
    "3:4": (864, 1184),
    "4:3": (1184, 864),
    "4:5": (896, 1152),
    "5:4": (1152, 896),
    "9:16": (768, 1344),
    "16:9": (1344, 768),
    "21:9": (1536, 672),
}
#: "transparent is only supported by gpt-image-1 (not gpt-image-2)"
TRANSPARENT_MODELS = frozenset({"gpt-image-1"})
#: models that stream partial images; the others answer plain JSON even with "stream": true
STREAM_MODELS = frozenset({"gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2"})

QUALITIES = ("auto", "low", "medium", "high")
BACKGROUNDS = ("auto", "opaque", "transparent")
OUTPUT_FORMATS = ("auto", "png", "jpeg", "webp")
MODERATIONS = ("auto", "low")
RESPONSE_FORMATS = ("url", "b64_json")
MAX_PROMPT = 32_000
MAX_EDIT_IMAGES = 16

_SIZE_RE = re.compile(r"^(\d{1,5})x(\d{1,5})$")


class InvalidRequest(Exception):
    """A request the provider would refuse with HTTP 400; ``str()`` is the message sent."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


@dataclass
class GenerationParams:
    """A validated ``POST /v1/images/generations`` body with defaults filled in."""

    model: str
    prompt: str
    n: int
    size: str  # as requested ("auto", "1536x1024", "16:9")
    width: int
    height: int
    quality: str
    background: str
    output_format: str  # resolved: png, jpeg or webp
    output_compression: int | None
    moderation: str
    stream: bool
    partial_images: int


@dataclass
class EditParams:
    """A validated ``POST /api/v3/openai/{model}/image-edit`` body with defaults filled in."""

    model: str
    prompt: str
    input_key: str  # "image" or "images": the key the request actually used
    image_urls: list[str]
    mask_url: str | None
    n: int
    size: str
    width: int
    height: int
    quality: str
    background: str
    output_format: str
    response_format: str
    enable_sync_mode: bool
    extra: dict[str, Any] = field(default_factory=dict)


def _int(body: dict, key: str, default: int, lo: int, hi: int) -> int:
    value = body.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(f"'{key}' must be an integer", key)
    if not lo <= value <= hi:
        raise InvalidRequest(f"'{key}' must be between {lo} and {hi}, got {value}", key)
    return value


def _choice(body: dict, key: str, default: str, allowed: tuple[str, ...]) -> str:
    value = body.get(key, default)
    if value is None:
        return default
    if value not in allowed:
        raise InvalidRequest(
            f"Invalid value for '{key}': {value!r}. Supported values are: "
            + ", ".join(repr(a) for a in allowed),
            key,
        )
    return value


def _prompt(body: dict) -> str:
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt:
        raise InvalidRequest("'prompt' is required", "prompt")
    if len(prompt) > MAX_PROMPT:
        raise InvalidRequest(
            f"'prompt' is too long: {len(prompt)} characters, the maximum is {MAX_PROMPT}",
            "prompt",
        )
    return prompt


def _bool(body: dict, key: str) -> bool:
    value = body.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidRequest(f"'{key}' must be a boolean", key)
    return value


def gpt_image_2_size(size: str) -> tuple[int, int]:
    """Pixel size of a gpt-image-2 ``size`` ("auto" or custom ``WxH``), or InvalidRequest."""
    if size == "auto":
        return 1024, 1024
    m = _SIZE_RE.match(size) if isinstance(size, str) else None
    if not m:
        raise InvalidRequest(f"Invalid size {size!r}: expected 'auto' or 'WIDTHxHEIGHT'", "size")
    w, h = int(m[1]), int(m[2])
    problems = []
    if w % 16 or h % 16:
        problems.append("both sides must be multiples of 16")
    if max(w, h) > 3840:
        problems.append("the longest edge must be at most 3840")
    if min(w, h) == 0 or max(w, h) > 3 * min(w, h):
        problems.append("the aspect ratio must be at most 3:1")
    if not 655_360 <= w * h <= 8_294_400:
        problems.append("total pixels must be between 655360 and 8294400")
    if problems:
        raise InvalidRequest(f"Invalid size {size!r}: " + "; ".join(problems), "size")
    return w, h


def _fixed_size(size: str, allowed: tuple[str, ...], model: str) -> tuple[int, int]:
    if size not in allowed:
        raise InvalidRequest(
            f"Invalid size {size!r} for {model}. Supported sizes are: " + ", ".join(allowed),
            "size",
        )
    if size == "auto":
        return 1024, 1024
    w, h = size.split("x")
    return int(w), int(h)


def generation_size(model: str, size: Any) -> tuple[str, int, int]:
    """(size label, width, height) for a generation ``size`` of ``model``, or InvalidRequest."""
    if model == GEMINI:
        label = "1:1" if size is None else size
        if label not in GEMINI_SIZES:
            raise InvalidRequest(
                f"Invalid size {label!r} for {model}: use an aspect ratio, one of "
                + ", ".join(GEMINI_SIZES),
                "size",
            )
        return (label, *GEMINI_SIZES[label])
    label = "auto" if size is None else size
    if not isinstance(label, str):
        raise InvalidRequest("'size' must be a string", "size")
    if model == "gpt-image-2":
        return (label, *gpt_image_2_size(label))
    allowed = GPT_IMAGE_1_SIZES + (VIP_EXTRA_SIZES if model == "gpt-4o-image-vip" else ())
    return (label, *_fixed_size(label, allowed, model))


def validate_generation(body: Any) -> GenerationParams:
    """Check a text-to-image body the way the provider does; return it with defaults applied."""
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object")
    model = body.get("model") or "gpt-image-1"
    if model not in GENERATION_MODELS:
        raise InvalidRequest(f"Invalid model {model!r}. Supported: "
                             + ", ".join(GENERATION_MODELS), "model")
    prompt = _prompt(body)
    n = _int(body, "n", 1, 1, 10)
    size, width, height = generation_size(model, body.get("size"))
    quality = _choice(body, "quality", "auto", QUALITIES)
    background = _choice(body, "background", "auto", BACKGROUNDS)
    moderation = _choice(body, "moderation", "auto", MODERATIONS)
    fmt = _choice(body, "output_format", "auto", OUTPUT_FORMATS)
    compression = body.get("output_compression")
    if compression is not None:
        compression = _int(body, "output_compression", 100, 0, 100)
    stream = _bool(body, "stream")
    partials = _int(body, "partial_images", 0, 0, 3)
    if background == "transparent":
        if model not in TRANSPARENT_MODELS:
            raise InvalidRequest(
                f"Transparent background is not supported for model {model}", "background"
            )
        if fmt == "jpeg":
            raise InvalidRequest(
                "Transparent background requires output_format png or webp", "background"
            )
    return GenerationParams(
        model=model,
        prompt=prompt,
        n=n,
        size=size,
        width=width,
        height=height,
        quality=quality,
        background=background,
        output_format="png" if fmt == "auto" else fmt,
        output_compression=compression,
        moderation=moderation,
        stream=stream,
        partial_images=partials,
    )


def validate_edit(model: str, body: Any) -> EditParams:
    """Check an image-edit body for ``model``; return it with defaults applied.

    Input URLs are read from the model's documented key (``image`` for gpt-image-1.5-plus,
    ``images`` for gpt-image-2-plus) or, failing that, the other one; ``input_key`` says which.
    """
    if model not in EDIT_MODELS:
        raise InvalidRequest(f"Unsupported model {model!r} for image-edit", "model")
    if not isinstance(body, dict):
        raise InvalidRequest("The request body must be a JSON object")
    prompt = _prompt(body)
    own = EDIT_MODELS[model]
    other = "images" if own == "image" else "image"
    key = own if body.get(own) is not None else other
    urls = body.get(key)
    if urls is None:
        raise InvalidRequest(f"'{own}' is required: a list of image URLs", own)
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not all(isinstance(u, str) and u for u in urls):
        raise InvalidRequest(f"'{key}' must be a list of image URLs", key)
    if not 1 <= len(urls) <= MAX_EDIT_IMAGES:
        raise InvalidRequest(
            f"'{key}' must hold between 1 and {MAX_EDIT_IMAGES} images, got {len(urls)}", key
        )
    mask = body.get("mask")
    if mask is not None and (not isinstance(mask, str) or not mask):
        raise InvalidRequest("'mask' must be an image URL", "mask")
    n = _int(body, "n", 1, 1, 10)
    size = body.get("size") or "1024x1024"
    if not isinstance(size, str):
        raise InvalidRequest("'size' must be a string", "size")
    if model == "gpt-image-2-plus":
        width, height = gpt_image_2_size(size)
    else:
        width, height = _fixed_size(size, EDIT_15_SIZES, model)
    quality = _choice(body, "quality", "medium", QUALITIES)
    background = _choice(body, "background", "auto", BACKGROUNDS)
    response_format = _choice(body, "response_format", "url", RESPONSE_FORMATS)
    fmt = _choice(body, "output_format", "auto", OUTPUT_FORMATS)
    if background == "transparent" and fmt == "jpeg":
        raise InvalidRequest(
            "Transparent background requires output_format png or webp", "background"
        )
    sync = _bool(body, "enable_sync_mode")
    return EditParams(
        model=model,
        prompt=prompt,
        input_key=key,
        image_urls=list(urls),
        mask_url=mask,
        n=n,
        size=size,
        width=width,
        height=height,
        quality=quality,
        background=background,
        output_format="png" if fmt == "auto" else fmt,
        response_format=response_format,
        enable_sync_mode=sync,
    )


QUALITY_IMAGE_TOKENS = {"low": 272, "medium": 1056, "high": 4160}


def generation_usage(p: GenerationParams, *, images: int, partials: int) -> dict[str, Any]:
    """Plausible token usage: grows with pixels, quality, image count and partial images."""
    text_tokens = max(1, len(p.prompt) // 4)
    if p.model == GEMINI:
        output = 1290 * images
        return {
            "input_tokens": text_tokens,
            "input_tokens_details": {"image_tokens": 0, "text_tokens": text_tokens},
            "output_tokens": output,
            "total_tokens": text_tokens + output,
        }
    quality = "medium" if p.quality == "auto" else p.quality
    per_image = round(QUALITY_IMAGE_TOKENS[quality] * p.width * p.height / (1024 * 1024))
    image_tokens = per_image * images + 100 * partials
    return {
        "input_tokens": text_tokens,
        "input_tokens_details": {"image_tokens": 0, "text_tokens": text_tokens},
        "output_tokens": image_tokens,
        "output_tokens_details": {"image_tokens": image_tokens, "text_tokens": 0},
        "total_tokens": text_tokens + image_tokens,
    }
