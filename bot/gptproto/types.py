"""Typed answers of the GPTProto API, each parsed once from its JSON in ``from_dict``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.gptproto.errors import MalformedResponse


@dataclass(frozen=True)
class TokenUsage:
    """Token usage of one request, as the provider reports it.

    ``text_input_tokens`` and ``image_input_tokens`` split ``input_tokens`` as the answer's
    ``input_tokens_details`` does (both 0 when it has none); they are priced differently.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    text_input_tokens: int = 0
    image_input_tokens: int = 0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> TokenUsage:
        """Read ``usage``; missing or odd figures count as 0 rather than failing a paid job."""
        if not isinstance(data, Mapping):
            return cls()

        def number(source: Mapping[str, Any], key: str) -> int:
            value = source.get(key)
            ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
            return int(value) if ok else 0

        inp, out = number(data, "input_tokens"), number(data, "output_tokens")
        details = data.get("input_tokens_details")
        text = image = 0
        if isinstance(details, Mapping):
            text, image = number(details, "text_tokens"), number(details, "image_tokens")
        return cls(inp, out, number(data, "total_tokens") or inp + out, text, image)


@dataclass(frozen=True)
class GenerationResult:
    """A finished generation: the encoded images and what the provider said about them."""

    images: tuple[bytes, ...]
    usage: TokenUsage
    size: str | None = None
    output_format: str | None = None
    quality: str | None = None
    background: str | None = None


class PredictionStatus(StrEnum):
    """States of an asynchronous prediction; unknown ones count as still working."""

    CREATED = "created"
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: Any) -> PredictionStatus:
        """The status for ``value``; ``succeeded``/``success`` mean completed, ``error`` failed."""
        text = str(value or "").strip().lower()
        aliases = {"succeeded": "completed", "success": "completed", "error": "failed",
                   "canceled": "failed", "cancelled": "failed", "starting": "processing",
                   "running": "processing", "in_progress": "processing", "pending": "queued"}
        text = aliases.get(text, text)
        try:
            return cls(text)
        except ValueError:
            return cls.UNKNOWN

    @property
    def final(self) -> bool:
        """Whether polling can stop."""
        return self in (PredictionStatus.COMPLETED, PredictionStatus.FAILED)


@dataclass(frozen=True)
class Prediction:
    """An asynchronous prediction (image edit) as the result endpoint reports it."""

    id: str
    status: PredictionStatus
    outputs: tuple[str, ...] = ()
    error: str | None = None
    model: str | None = None
    get_url: str | None = None
    has_nsfw: bool = False

    @classmethod
    def from_envelope(cls, body: Any) -> Prediction:
        """Parse ``{"data": {...}, "code": ..., "message": ...}`` in both documented spellings."""
        if not isinstance(body, Mapping) or not isinstance(body.get("data"), Mapping):
            raise MalformedResponse(f"prediction answer without a data object: {_peek(body)}")
        data = body["data"]
        urls = data.get("urls")
        get_url = None
        if isinstance(urls, Mapping):
            get_url = urls.get("get")
        elif isinstance(urls, list) and urls and isinstance(urls[0], Mapping):
            get_url = urls[0].get("get")  # the prose's data.urls[0].get
        prediction_id = data.get("id")
        if not prediction_id and isinstance(get_url, str):
            parts = [p for p in get_url.split("/") if p]
            if "predictions" in parts and parts.index("predictions") + 1 < len(parts):
                prediction_id = parts[parts.index("predictions") + 1]
        if not prediction_id:
            raise MalformedResponse(f"prediction answer without an id: {_peek(body)}")
        outputs = data.get("outputs") or []
        if not isinstance(outputs, list):
            outputs = [outputs]
        nsfw = data.get("has_nsfw_contents", data.get("hasNsfwContents")) or []
        error = data.get("error")
        return cls(
            id=str(prediction_id),
            status=PredictionStatus.parse(data.get("status")),
            outputs=tuple(str(o) for o in outputs if o),
            error=str(error) if error else None,
            model=data.get("model"),
            get_url=get_url if isinstance(get_url, str) else None,
            has_nsfw=any(bool(x) for x in nsfw) if isinstance(nsfw, list) else bool(nsfw),
        )


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` found: the key works and how fast the API answered."""

    status: int
    latency_ms: float
    detail: str


def _peek(body: Any, limit: int = 200) -> str:
    text = repr(body)
    return text if len(text) <= limit else text[:limit] + "…"
