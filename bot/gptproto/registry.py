"""The model registry: what each GPTProto model accepts, checked before any money is spent.

The rules come from ``shared/api-docs`` (see its README for where the provider's pages disagree).
``validate_generate`` and ``validate_edit`` turn a member's raw options into an ``ImageOptions``
the client can send, or raise ``ValidationError`` with a sentence that says what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.errors import ValidationError
from bot.i18n import ENGLISH, OrList, plain, text

MAX_PROMPT_CHARS = 32_000
MAX_INPUT_IMAGES = 16

# gpt-image-2's custom-size rules (api-docs README, "Text to image").
GPT2_MULTIPLE = 16
GPT2_MAX_EDGE = 3840
GPT2_MAX_RATIO = 3.0
GPT2_MIN_PIXELS = 655_360
GPT2_MAX_PIXELS = 8_294_400
GPT2_EXPERIMENTAL_PIXELS = 2560 * 1440

GPT_IMAGE_1_SIZES = ("auto", "1024x1024", "1536x1024", "1024x1536")
GPT2_PRESETS = ("auto", "1024x1024", "1536x1024", "1024x1536", "2048x2048", "2048x1152",
                "3840x2160", "2160x3840")
EDIT_15_SIZES = ("256x256", "512x512", "1024x1024", "1536x1024", "1024x1536")
GEMINI_RATIOS: dict[str, str] = {
    "1:1": "1024x1024", "2:3": "832x1248", "3:2": "1248x832", "3:4": "864x1184",
    "4:3": "1184x864", "4:5": "896x1152", "5:4": "1152x896", "9:16": "768x1344",
    "16:9": "1344x768", "21:9": "1536x672",
}

QUALITIES = ("auto", "low", "medium", "high")
BACKGROUNDS = ("auto", "opaque", "transparent")
FORMATS = ("auto", "png", "jpeg", "webp")


class JobKind(StrEnum):
    """What a job does, and so which endpoint its model is called through."""

    GENERATE = "generate"  # POST /v1/images/generations, synchronous, images inline
    EDIT = "edit"  # POST /api/v3/openai/{model}/image-edit, then poll a prediction


class SizeRule(StrEnum):
    """How a model's ``size`` is checked."""

    FIXED = "fixed"  # one of ``sizes``
    GPT2 = "gpt2"  # presets, or any WxH within gpt-image-2's rules
    ASPECT = "aspect"  # an aspect ratio from ``GEMINI_RATIOS``


@dataclass(frozen=True)
class ModelSpec:
    """What one model accepts."""

    id: str
    kind: JobKind
    label: str
    size_rule: SizeRule
    sizes: tuple[str, ...]
    default_size: str | None
    qualities: tuple[str, ...]
    backgrounds: tuple[str, ...]
    formats: tuple[str, ...]
    max_n: int = 10
    streams: bool = False
    image_key: str | None = None  # JSON key of the input image URLs, for edit models
    moderation: bool = False  # takes the ``moderation`` parameter (auto or low)

    def pixel_size(self, size: str) -> tuple[int, int] | None:
        """The pixel size a ``size`` value produces, or ``None`` for ``auto``."""
        if self.size_rule is SizeRule.ASPECT:
            size = GEMINI_RATIOS.get(size, size)
        parsed = parse_size(size)
        return parsed


MODELS: dict[str, ModelSpec] = {
    spec.id: spec
    for spec in (
        ModelSpec("gpt-image-1", JobKind.GENERATE, "GPT Image 1", SizeRule.FIXED,
                  GPT_IMAGE_1_SIZES, None, QUALITIES, BACKGROUNDS, FORMATS, streams=True, moderation=True),
        ModelSpec("gpt-image-1-mini", JobKind.GENERATE, "GPT Image 1 mini", SizeRule.FIXED,
                  GPT_IMAGE_1_SIZES, None, QUALITIES, ("auto", "opaque"), FORMATS, streams=True, moderation=True),
        ModelSpec("gpt-image-1.5", JobKind.GENERATE, "GPT Image 1.5", SizeRule.FIXED,
                  GPT_IMAGE_1_SIZES, None, QUALITIES, ("auto", "opaque"), FORMATS, streams=True, moderation=True),
        ModelSpec("gpt-image-2", JobKind.GENERATE, "GPT Image 2", SizeRule.GPT2,
                  GPT2_PRESETS, None, QUALITIES, ("auto", "opaque"), FORMATS, streams=True, moderation=True),
        ModelSpec("gpt-4o-image-vip", JobKind.GENERATE, "GPT-4o Image VIP", SizeRule.FIXED,
                  GPT_IMAGE_1_SIZES, None, QUALITIES, ("auto", "opaque"), ("auto", "png")),
        ModelSpec("gemini-2.5-flash-image", JobKind.GENERATE, "Gemini 2.5 Flash Image",
                  SizeRule.ASPECT, tuple(GEMINI_RATIOS), "1:1", ("auto",), ("auto",),
                  ("auto", "png"), max_n=1),
        ModelSpec("gpt-image-1.5-plus", JobKind.EDIT, "GPT Image 1.5 Plus (edit)", SizeRule.FIXED,
                  EDIT_15_SIZES, "1024x1024", ("auto", "low", "medium", "high"), BACKGROUNDS,
                  ("auto",), image_key="image"),
        ModelSpec("gpt-image-2-plus", JobKind.EDIT, "GPT Image 2 Plus (edit)", SizeRule.GPT2,
                  GPT2_PRESETS[1:], "1024x1024", QUALITIES, ("auto", "opaque"), ("auto",),
                  image_key="images"),
    )
}
GENERATE_MODELS: tuple[str, ...] = tuple(m for m, s in MODELS.items() if s.kind is JobKind.GENERATE)
EDIT_MODELS: tuple[str, ...] = tuple(m for m, s in MODELS.items() if s.kind is JobKind.EDIT)

_SIZE_RE = re.compile(r"^\s*(\d{1,6})\s*[x×X*]\s*(\d{1,6})\s*$")


def parse_size(size: str) -> tuple[int, int] | None:
    """``"1024x768"`` (also ``1024×768``, ``1024 X 768``) as ``(1024, 768)``; else ``None``."""
    match = _SIZE_RE.match(size)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True)
class ImageOptions:
    """A validated request: what goes to the API, ready to be stored and replayed."""

    model: str
    prompt: str
    size: str | None = None
    quality: str | None = None
    n: int = 1
    background: str | None = None
    output_format: str | None = None
    images: tuple[str, ...] = ()
    mask: str | None = None
    moderation: str | None = None  # "low" where a server allows it; None sends nothing (auto)
    notes: tuple[str, ...] = field(default=(), compare=False)  # message ids of the catalogues

    @property
    def spec(self) -> ModelSpec:
        """The registry entry of this request's model."""
        return MODELS[self.model]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form for the job store (``from_dict`` reads it back)."""
        return {
            "model": self.model, "prompt": self.prompt, "size": self.size,
            "quality": self.quality, "n": self.n, "background": self.background,
            "output_format": self.output_format, "images": list(self.images), "mask": self.mask,
            "moderation": self.moderation,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImageOptions:
        """Read back what ``to_dict`` wrote."""
        return cls(
            model=data["model"], prompt=data["prompt"], size=data.get("size"),
            quality=data.get("quality"), n=int(data.get("n") or 1),
            background=data.get("background"), output_format=data.get("output_format"),
            images=tuple(data.get("images") or ()), mask=data.get("mask"),
            moderation=data.get("moderation"),
        )


def get_model(model: str | None, *, kind: JobKind, default: str) -> ModelSpec:
    """The spec of ``model`` (or ``default``), refusing models of the other kind."""
    name = (model or default).strip()
    spec = MODELS.get(name)
    wanted = GENERATE_MODELS if kind is JobKind.GENERATE else EDIT_MODELS
    if spec is None or spec.kind is not kind:
        raise ValidationError(msg_id="model-unknown", args={"model": name, "models": ", ".join(wanted)})
    return spec


def check_prompt(prompt: str | None) -> str:
    """The prompt stripped of outer white space, refused when empty or too long."""
    text = (prompt or "").strip()
    if not text:
        raise ValidationError(msg_id="prompt-empty")
    if len(text) > MAX_PROMPT_CHARS:
        raise ValidationError(msg_id="prompt-too-long", args={"length": len(text), "limit": MAX_PROMPT_CHARS})
    if "\x00" in text:
        raise ValidationError(msg_id="prompt-null")
    return text


def _choice(spec: ModelSpec, what: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    value = value.strip().lower()
    if value not in allowed:
        raise ValidationError(msg_id="option-not-taken",
                              args={"model": spec.id, "option": what, "value": value, "allowed": _or(allowed)})
    return value


def _or(values: tuple[str, ...] | list[str]) -> OrList:
    return OrList(tuple(f"`{v}`" for v in values))


def check_size(spec: ModelSpec, size: str | None) -> str | None:
    """The normalised size for ``spec``, or ``None`` when the member chose none."""
    if size is None or not size.strip():
        return spec.default_size
    raw = size.strip()
    if spec.size_rule is SizeRule.ASPECT:
        ratio = raw.split(" ")[0]
        if ratio in GEMINI_RATIOS:
            return ratio
        for name, pixels in GEMINI_RATIOS.items():
            if parse_size(raw) == parse_size(pixels):
                return name
        raise ValidationError(msg_id="size-aspect-only",
                              args={"model": spec.id, "size": raw, "allowed": _or(list(GEMINI_RATIOS))})
    if raw.lower() == "auto":
        if "auto" in spec.sizes:
            return "auto"
        raise ValidationError(msg_id="size-needs-explicit", args={"model": spec.id, "allowed": _or(spec.sizes)})
    parsed = parse_size(raw)
    if parsed is None:
        raise ValidationError(msg_id="size-invalid", args={"size": raw})
    width, height = parsed
    normal = f"{width}x{height}"
    if spec.size_rule is SizeRule.FIXED:
        if normal not in spec.sizes:
            raise ValidationError(msg_id="size-not-offered",
                                      args={"model": spec.id, "size": normal, "allowed": _or(spec.sizes)})
        return normal
    check_gpt2_size(spec.id, width, height)
    return normal


def check_gpt2_size(model: str, width: int, height: int) -> None:
    """gpt-image-2's custom-size rules; each refusal says which rule and the number."""
    size = f"{width}x{height}"
    if width <= 0 or height <= 0:
        raise ValidationError(msg_id="size-not-positive", args={"model": model, "size": size})
    if width % GPT2_MULTIPLE or height % GPT2_MULTIPLE:
        raise ValidationError(msg_id="size-not-multiple",
                              args={"model": model, "size": size, "multiple": GPT2_MULTIPLE})
    if max(width, height) > GPT2_MAX_EDGE:
        raise ValidationError(msg_id="size-edge-too-long", args={
            "model": model, "size": size, "max": plain(GPT2_MAX_EDGE), "edge": plain(max(width, height))})
    if max(width, height) > GPT2_MAX_RATIO * min(width, height):
        raise ValidationError(msg_id="size-ratio", args={"model": model, "size": size})
    pixels = width * height
    if pixels < GPT2_MIN_PIXELS:
        raise ValidationError(msg_id="size-too-few-pixels",
                              args={"model": model, "size": size, "min": GPT2_MIN_PIXELS, "pixels": pixels})
    if pixels > GPT2_MAX_PIXELS:
        raise ValidationError(msg_id="size-too-many-pixels",
                              args={"model": model, "size": size, "max": GPT2_MAX_PIXELS, "pixels": pixels})


def check_n(spec: ModelSpec, n: int | None) -> int:
    """How many images; refused outside the model's range."""
    if n is None:
        return 1
    if not 1 <= n <= spec.max_n:
        if spec.max_n == 1:
            raise ValidationError(msg_id="n-one-only", args={"model": spec.id})
        raise ValidationError(msg_id="n-out-of-range", args={"model": spec.id, "max": spec.max_n, "n": n})
    return n


def validate_generate(
    *,
    model: str | None,
    prompt: str | None,
    size: str | None = None,
    quality: str | None = None,
    n: int | None = None,
    background: str | None = None,
    output_format: str | None = None,
    default_model: str = "gpt-image-1",
) -> ImageOptions:
    """Check a ``/generate`` request against the registry; raise ``ValidationError`` if wrong."""
    text = check_prompt(prompt)
    spec = get_model(model, kind=JobKind.GENERATE, default=default_model)
    checked_size = check_size(spec, size)
    checked_quality = _choice(spec, "quality", quality, spec.qualities)
    checked_n = check_n(spec, n)
    checked_background = _choice(spec, "background", background, spec.backgrounds)
    checked_format = _choice(spec, "output_format", output_format, spec.formats)
    if checked_background == "transparent":
        if checked_format == "jpeg":
            raise ValidationError(msg_id="transparent-needs-png")
    notes = []
    if spec.size_rule is SizeRule.GPT2 and checked_size not in (None, "auto"):
        pixels = spec.pixel_size(checked_size)
        if pixels and pixels[0] * pixels[1] > GPT2_EXPERIMENTAL_PIXELS:
            notes.append("note-experimental-size")  # a message id: shown in the member's language
    return ImageOptions(
        model=spec.id, prompt=text, size=checked_size, quality=checked_quality, n=checked_n,
        background=checked_background, output_format=checked_format, notes=tuple(notes),
    )


def validate_edit(
    *,
    model: str | None,
    prompt: str | None,
    images: list[str] | tuple[str, ...],
    mask: str | None = None,
    size: str | None = None,
    quality: str | None = None,
    n: int | None = None,
    background: str | None = None,
    default_model: str = "gpt-image-1.5-plus",
) -> ImageOptions:
    """Check an ``/edit`` request; image bytes are checked separately (``bot.images``)."""
    text = check_prompt(prompt)
    spec = get_model(model, kind=JobKind.EDIT, default=default_model)
    if not images:
        raise ValidationError(msg_id="edit-no-image")
    if len(images) > MAX_INPUT_IMAGES:
        raise ValidationError(msg_id="edit-too-many-images", args={"max": MAX_INPUT_IMAGES, "count": len(images)})
    return ImageOptions(
        model=spec.id, prompt=text, size=check_size(spec, size),
        quality=_choice(spec, "quality", quality, spec.qualities), n=check_n(spec, n),
        background=_choice(spec, "background", background, spec.backgrounds),
        images=tuple(images), mask=mask,
    )


def size_suggestions(model: str | None, typed: str, *, default_model: str,
                     lang: str = ENGLISH) -> list[tuple[str, str]]:
    """Autocomplete choices ``(label, value)`` for ``size``, limited to what ``model`` takes,
    labelled in ``lang``."""
    spec = MODELS.get(model or default_model) or MODELS[default_model]
    typed = typed.strip().lower()
    choices: list[tuple[str, str]] = []
    if spec.size_rule is SizeRule.ASPECT:
        for ratio, pixels in GEMINI_RATIOS.items():
            choices.append((f"{ratio} ({pixels.replace('x', '×')})", ratio))
    else:
        for size in spec.sizes:
            label = text(lang, "size-auto-label") if size == "auto" else size.replace("x", "×")
            if spec.size_rule is SizeRule.GPT2 and size != "auto":
                w, h = parse_size(size) or (0, 0)
                if w * h > GPT2_EXPERIMENTAL_PIXELS:
                    label = text(lang, "size-experimental-label", size=label)
            choices.append((label, size))
        if spec.size_rule is SizeRule.GPT2 and typed and typed not in spec.sizes:
            parsed = parse_size(typed)
            if parsed:
                try:
                    check_gpt2_size(spec.id, *parsed)
                    value = f"{parsed[0]}x{parsed[1]}"
                    choices.insert(0, (text(lang, "size-custom-label", size=value.replace("x", "×")), value))
                except ValidationError as error:
                    # Autocomplete cannot show an error; the label explains instead.
                    choices.insert(0, (error.render(lang)[:100], typed[:100]))
    if typed:
        matching = [c for c in choices if typed in c[0].lower() or typed in c[1]]
        if matching:
            choices = matching
    return choices[:25]
