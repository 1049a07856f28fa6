"""A small typed client for the GPTProto image API over one shared ``aiohttp.ClientSession``.

One method per endpoint; answers are parsed once into the dataclasses of ``types``; every
failure becomes one of the exceptions of ``errors``, raised ``from`` the aiohttp error. It knows
nothing of Discord. Retries follow one rule: only what cannot have been accepted is sent again
(429, 502/503/504, a connection that was never made); a timeout on a paid request is not retried.

Long because it is the whole wire protocol of one API (requests, retries, the event stream, base64
decoding and the mapping of every error answer), kept in one place so that each retry rule sits
beside the request it governs and the key is scrubbed from every error on one path.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import dataclasses
import functools
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import aiohttp
from yarl import URL

from bot.gptproto.b64stream import StreamedAnswer, read_answer
from bot.gptproto.errors import (
    APIConnectionError,
    APIError,
    APITimeout,
    AuthenticationError,
    BadRequest,
    ContentPolicyViolation,
    InputUnavailable,
    InsufficientBalance,
    MalformedResponse,
    NotFound,
    PermissionDenied,
    ProviderError,
    RateLimited,
    StreamBroken,
    shorten,
)
from bot.gptproto.registry import MODELS, ImageOptions
from bot.gptproto.types import CheckResult, GenerationResult, Prediction, TokenUsage

log = logging.getLogger(__name__)
T = TypeVar("T")

GENERATIONS_PATH = "/v1/images/generations"
EDIT_PATH = "/api/v3/openai/{model}/image-edit"
PREDICTION_PATH = "/api/v3/predictions/{id}/result"
CHECK_PREDICTION_ID = "connection-check"

#: Base64 is decoded in slices of this many characters, so the event loop's thread gets the GIL
#: between slices instead of waiting ~90 ms for a whole 4K image.
B64_SLICE = 1 << 20
#: Parse JSON off the event loop above this many bytes (a 4K PNG is ~25 MB of base64).
BIG_BODY = 256 * 1024
MAX_BODY = 512 * 1024 * 1024
RETRYABLE_5XX = frozenset({502, 503, 504})
# Specific phrases only: a bare "blocked" or "moderation" also matches "this key is blocked" (an
# account problem the admin must hear about) or a refused ``moderation`` parameter.
CONTENT_POLICY_WORDS = ("content_policy", "content policy", "safety", "moderation_blocked", "nsfw")
FETCH_WORDS = ("could not fetch", "failed to download", "could not download", "unable to download",
               "failed to fetch", "cannot access", "unreachable")
BALANCE_WORDS = ("balance", "insufficient", "quota", "credit", "funds", "billing")

PartialCallback = Callable[[int, bytes], Awaitable[None]]
BodyHook = Callable[[int | None], Awaitable[None]]
REDACTED_KEY = "[redacted]"


def _keeps_key_out(method):
    """Providers echo a wrong key in their messages ("Incorrect API key provided: sk-..."); those
    messages reach the member's sentence and the admin's log, so the key is replaced in any
    ``APIError`` the method raises."""

    @functools.wraps(method)
    async def wrapper(self: GPTProtoClient, *args: Any, **kwargs: Any) -> Any:
        try:
            return await method(self, *args, **kwargs)
        except APIError as error:
            self._scrub(error)
            raise

    return wrapper


@dataclass(frozen=True)
class RetryPolicy:
    """How hard the client tries again; the defaults suit production, tests shrink the delays."""

    max_5xx_retries: int = 2
    max_429_retries: int = 3
    max_retry_after: float = 60.0  # a longer Retry-After is passed to the member instead
    base_delay: float = 1.0
    max_delay: float = 8.0

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for retry number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed per kind of call. Generation can take the provider over 3 minutes."""

    generate: float = 330.0
    submit: float = 60.0
    poll: float = 30.0
    download: float = 60.0
    connect: float = 10.0


class GPTProtoClient:
    """The GPTProto image API. Construct with a session the caller owns and closes."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        api_key: str,
        base_url: str = "https://gptproto.com",
        retry: RetryPolicy | None = None,
        timeouts: Timeouts | None = None,
    ) -> None:
        self._session = session
        self._api_key = api_key
        self._base = URL(base_url.rstrip("/"))
        self.retry = retry or RetryPolicy()
        self.timeouts = timeouts or Timeouts()

    def __repr__(self) -> str:
        return f"GPTProtoClient(base_url={str(self._base)!r})"

    # -- endpoints ---------------------------------------------------------------------------

    @_keeps_key_out
    async def generate(self, options: ImageOptions, *, before_body: BodyHook | None = None) -> GenerationResult:
        """Text to image, synchronous: ``POST /v1/images/generations``.

        ``before_body(size)`` is awaited once the answer's headers are in, before its body is
        read, with the body's declared size (``None`` if unknown): a caller can hold large answers
        back there (the connection waits) to bound the memory in use.
        """
        body = generation_body(options)
        async with self._request("POST", GENERATIONS_PATH, body, self.timeouts.generate) as resp:
            if before_body is not None:
                await before_body(resp.content_length)
            answer = await self._read(read_answer(resp.content, MAX_BODY))
            kind = resp.headers.get("Content-Type", "?")
        return await generation_from(answer, secret=self._api_key, content_type=kind)

    @_keeps_key_out
    async def generate_stream(
        self, options: ImageOptions, *, partial_images: int, on_partial: PartialCallback
    ) -> GenerationResult:
        """Text to image with partial images streamed as server-sent events.

        ``on_partial(index, image_bytes)`` is awaited for each partial that arrives before the
        final image. A provider that ignores ``stream`` and answers JSON is handled as
        ``generate``. A stream that ends before its final image raises ``StreamBroken``; it is not
        retried, since asking again may be charged again.
        """
        body = generation_body(options)
        body["stream"] = True
        body["partial_images"] = partial_images
        async with self._request("POST", GENERATIONS_PATH, body, self.timeouts.generate) as resp:
            if "text/event-stream" not in resp.headers.get("Content-Type", ""):
                return await parse_generation(await self._json(resp), secret=self._api_key)
            return await self._read_stream(resp, on_partial)

    @_keeps_key_out
    async def submit_edit(self, options: ImageOptions) -> Prediction:
        """Start an asynchronous edit: ``POST /api/v3/openai/{model}/image-edit``."""
        path = EDIT_PATH.format(model=options.model)
        body = edit_body(options)
        async with self._request("POST", path, body, self.timeouts.submit) as resp:
            payload = await self._json(resp)
        raise_for_envelope(payload, secret=self._api_key)
        return Prediction.from_envelope(payload)

    @_keeps_key_out
    async def get_prediction(self, prediction_id: str) -> Prediction:
        """Poll a prediction: ``GET /api/v3/predictions/{id}/result`` (safe to retry)."""
        path = PREDICTION_PATH.format(id=prediction_id)
        async with self._request("GET", path, None, self.timeouts.poll, idempotent=True) as resp:
            payload = await self._json(resp)
        raise_for_envelope(payload, secret=self._api_key)
        prediction = Prediction.from_envelope(payload)
        if prediction.error:  # becomes the member's sentence when the edit failed
            prediction = dataclasses.replace(prediction, error=self._hide_key(prediction.error))
        return prediction

    async def fetch_output(self, output: str, *, max_bytes: int) -> bytes:
        """The bytes of one prediction output: a URL to download, or base64 (maybe a data URL)."""
        if output.startswith(("http://", "https://")):
            return await self.download(output, max_bytes=max_bytes)
        return await asyncio.to_thread(decode_b64, output, max_bytes)

    async def download(self, url: str, *, max_bytes: int) -> bytes:
        """Download a result URL: http/https only, a timeout and a size cap, and no API key."""
        parsed = URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise MalformedResponse(f"refused to download a non-http(s) output URL ({parsed.scheme}:)")
        timeout = aiohttp.ClientTimeout(total=self.timeouts.download, sock_connect=self.timeouts.connect)
        try:
            # No Authorization header: output URLs may live on another host (a CDN).
            async with self._session.get(parsed, timeout=timeout, allow_redirects=True,
                                         max_redirects=3) as resp:
                if resp.status != 200:
                    raise DownloadFailed(f"output URL {parsed.with_query(None)} answered HTTP {resp.status}")
                declared = resp.content_length
                if declared is not None and declared > max_bytes:
                    raise DownloadFailed(f"output is {declared} bytes, over the {max_bytes} cap")
                try:
                    return await read_capped(resp, max_bytes)
                except MalformedResponse as error:
                    raise DownloadFailed(f"output larger than the {max_bytes} byte cap") from error
        except TimeoutError as error:
            raise DownloadFailed(f"output download timed out after {self.timeouts.download:.0f} s") from error
        except aiohttp.ClientError as error:
            raise DownloadFailed(f"output download failed: {type(error).__name__}") from error

    @_keeps_key_out
    async def check(self) -> CheckResult:
        """A free, harmless call that proves the key works: poll a prediction that doesn't exist.

        The provider checks the key first, so a bad key answers 401 and a good one 404 (or an
        envelope saying the prediction is unknown). Nothing is created and nothing is charged.
        """
        started = time.perf_counter()
        path = PREDICTION_PATH.format(id=CHECK_PREDICTION_ID)
        try:
            async with self._request("GET", path, None, self.timeouts.poll, idempotent=True) as resp:
                payload = await self._json(resp, allow_non_json=True)
                status = resp.status
            raise_for_envelope(payload, secret=self._api_key)
        except NotFound:
            status = 404
        latency = (time.perf_counter() - started) * 1000
        return CheckResult(status=status, latency_ms=latency,
                           detail=f"the API accepted the key (HTTP {status} for a test lookup)")

    # -- secrets -----------------------------------------------------------------------------

    def _hide_key(self, text: str) -> str:
        key = self._api_key
        return text.replace(key, REDACTED_KEY) if len(key) >= 6 and key in text else text

    def _scrub(self, error: APIError) -> None:
        """Replace the API key in every text of ``error`` (it may quote the provider)."""
        for attr in ("message", "admin_detail", "provider_message", "error"):
            value = getattr(error, attr, None)
            if isinstance(value, str):
                setattr(error, attr, self._hide_key(value))
        error.args = tuple(self._hide_key(a) if isinstance(a, str) else a for a in error.args)

    # -- transport ---------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}

    def _request(
        self, method: str, path: str, body: Mapping[str, Any] | None, total: float,
        *, idempotent: bool = False,
    ) -> _Response:
        return _Response(self, method, self._base.with_path(self._base.path.rstrip("/") + path),
                         body, total, idempotent)

    async def _send(
        self, method: str, url: URL, body: Mapping[str, Any] | None, total: float, idempotent: bool
    ) -> aiohttp.ClientResponse:
        """Send with the retry rule; return a response whose status is 2xx, else raise."""
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=self.timeouts.connect)
        tries_5xx = tries_429 = 0
        while True:
            try:
                resp = await self._session.request(
                    method, url, json=body, headers=self._headers(), timeout=timeout
                )
            except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
                # The connection was never made, so nothing was accepted: safe to try again.
                tries_5xx += 1
                if tries_5xx <= self.retry.max_5xx_retries:
                    await asyncio.sleep(self.retry.backoff(tries_5xx))
                    continue
                reason = getattr(error, "os_error", None) or type(error).__name__
                raise APIConnectionError(f"cannot connect to {url.host}:{url.port}: {reason}") from error
            except TimeoutError as error:
                # A paid request that timed out may still be running: only idempotent calls go again.
                tries_5xx += 1
                if idempotent and tries_5xx <= self.retry.max_5xx_retries:
                    await asyncio.sleep(self.retry.backoff(tries_5xx))
                    continue
                raise APITimeout(total, admin_detail=f"{method} {url.path} timed out after {total:.0f} s") from error
            except aiohttp.ClientError as error:
                # The request may have reached the provider: only idempotent calls go again.
                tries_5xx += 1
                if idempotent and tries_5xx <= self.retry.max_5xx_retries:
                    await asyncio.sleep(self.retry.backoff(tries_5xx))
                    continue
                raise APIConnectionError(f"{method} {url.path} failed: {type(error).__name__}: {error}") from error

            if resp.status < 400:
                return resp
            try:
                raw = await read_capped(resp, 1024 * 1024)
            except (aiohttp.ClientError, TimeoutError, APIError):
                raw = b""
            finally:
                resp.release()
            error = error_for(resp.status, resp.headers, raw, secret=self._api_key)
            if isinstance(error, RateLimited) and tries_429 < self.retry.max_429_retries:
                wait = error.retry_after if error.retry_after is not None else self.retry.backoff(tries_429 + 1)
                if wait <= self.retry.max_retry_after:
                    tries_429 += 1
                    log.info("GPTProto rate limit on %s; retrying in %.1f s", url.path, wait)
                    await asyncio.sleep(wait)
                    continue
            retry_5xx = resp.status in RETRYABLE_5XX or (idempotent and resp.status >= 500)
            if isinstance(error, ProviderError) and retry_5xx and tries_5xx < self.retry.max_5xx_retries:
                tries_5xx += 1
                delay = self.retry.backoff(tries_5xx)
                log.info("GPTProto answered %s on %s; retry %d in %.1f s", resp.status, url.path, tries_5xx, delay)
                await asyncio.sleep(delay)
                continue
            raise error

    async def _read(self, reading: Awaitable[T]) -> T:
        """Await the reading of an answer's body, its network failures turned into ours."""
        try:
            return await reading
        except TimeoutError as error:
            raise APITimeout(self.timeouts.generate) from error
        except aiohttp.ClientError as error:
            raise APIConnectionError(f"reading the answer failed: {type(error).__name__}") from error

    async def _json(self, resp: aiohttp.ClientResponse, *, allow_non_json: bool = False) -> Any:
        raw = await self._read(read_body(resp, MAX_BODY))
        try:
            if len(raw) > BIG_BODY:
                return await asyncio.to_thread(json.loads, raw)
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            if allow_non_json:
                return None
            raise not_json(raw, resp.headers.get("Content-Type", "?")) from error

    async def _read_stream(self, resp: aiohttp.ClientResponse, on_partial: PartialCallback) -> GenerationResult:
        finals: list[bytes] = []
        last: dict[str, Any] = {}
        try:
            async for event in iter_sse(resp.content):
                kind = str(event.get("type", ""))
                if kind.endswith("partial_image"):
                    if finals or not event.get("b64_json"):
                        continue  # a final image already came: a late partial must not replace it
                    index = int(event.get("partial_image_index") or 0)
                    image = await asyncio.to_thread(decode_b64, str(event["b64_json"]), MAX_BODY)
                    await on_partial(index, image)
                elif kind.endswith("completed"):
                    if not event.get("b64_json"):
                        raise MalformedResponse("stream completed without b64_json")
                    # One completed event per image when n > 1.
                    finals.append(await asyncio.to_thread(decode_b64, str(event["b64_json"]), MAX_BODY))
                    last = event
                elif kind == "error" or "error" in event:
                    detail = event.get("error") or event
                    raise error_for(400, {}, json.dumps(detail).encode(), secret=self._api_key)
        except (aiohttp.ClientError, TimeoutError) as error:
            if not finals:
                raise StreamBroken(f"stream broke before the final image: {type(error).__name__}") from error
            log.info("stream closed uncleanly after %d final image(s) (%s)", len(finals), type(error).__name__)
        if not finals:
            raise StreamBroken("stream ended before the final image")
        return GenerationResult(
            images=tuple(finals), usage=TokenUsage.from_dict(last.get("usage")), size=last.get("size"),
            output_format=last.get("output_format"), quality=last.get("quality"),
            background=last.get("background"),
        )


class DownloadFailed(MalformedResponse):
    """A result URL could not be downloaded (404, too big, timed out)."""

    def __init__(self, admin_detail: str) -> None:
        APIError.__init__(
            self,
            "The finished image could not be downloaded from the image service. You were not charged.",
            admin_detail=admin_detail,
        )


class _Response:
    """``async with client._request(...) as resp``: send with retries, release on exit."""

    def __init__(self, client: GPTProtoClient, method: str, url: URL, body: Any, total: float,
                 idempotent: bool) -> None:
        self._args = (method, url, body, total, idempotent)
        self._client = client
        self._resp: aiohttp.ClientResponse | None = None

    async def __aenter__(self) -> aiohttp.ClientResponse:
        self._resp = await self._client._send(*self._args)
        return self._resp

    async def __aexit__(self, *exc: object) -> None:
        if self._resp is not None:
            self._resp.release()


# -- request bodies ----------------------------------------------------------------------------


def generation_body(options: ImageOptions) -> dict[str, Any]:
    """The JSON of a text-to-image request: only the fields the member set, as the API names them."""
    body: dict[str, Any] = {"model": options.model, "prompt": options.prompt}
    return _with_set_fields(body, options, ("size", "quality", "background", "output_format", "moderation"))


def edit_body(options: ImageOptions) -> dict[str, Any]:
    """The JSON of an image edit; the input key (``image`` or ``images``) follows the model's page."""
    key = MODELS[options.model].image_key or "image"
    body: dict[str, Any] = {key: list(options.images), "prompt": options.prompt,
                            "response_format": "url", "enable_sync_mode": False}
    return _with_set_fields(body, options, ("size", "quality", "background", "mask"))


def _with_set_fields(body: dict[str, Any], options: ImageOptions, names: tuple[str, ...]) -> dict[str, Any]:
    """``body`` plus ``n`` when not 1 and each of ``names`` the member set."""
    if options.n != 1:
        body["n"] = options.n
    body.update({name: value for name in names if (value := getattr(options, name)) is not None})
    return body


# -- answers -------------------------------------------------------------------------------------


def not_json(raw: bytes | bytearray, content_type: str) -> MalformedResponse:
    """The error for an answer that should be JSON and is not, quoting its start."""
    start = shorten(bytes(raw[:120]).decode("utf-8", "replace"), 120)
    return MalformedResponse(f"answer is not JSON ({content_type}, {len(raw)} bytes): {start}")


def _generation_items(payload: Any, *, secret: str, images: int | None = None) -> list[Any]:
    """The ``data`` items of a text-to-image answer, checked; ``images`` when already taken out."""
    if not isinstance(payload, Mapping):
        raise MalformedResponse(f"generation answer is not an object: {shorten(repr(payload), 120)}")
    if "error" in payload and "data" not in payload:
        raise error_for(400, {}, json.dumps(payload).encode(), secret=secret)
    data = payload.get("data")
    if not isinstance(data, list) or not data:
        raise MalformedResponse(f"generation answer without data: keys {sorted(payload)[:8]}")
    for item in data:
        b64 = item.get("b64_json") if isinstance(item, Mapping) else None
        if not isinstance(b64, str) or not (b64 or images):
            raise MalformedResponse("generation answer item without b64_json")
    return data


def _generation_result(payload: Mapping[str, Any], images: tuple[bytes, ...]) -> GenerationResult:
    return GenerationResult(
        images=images,
        usage=TokenUsage.from_dict(payload.get("usage")),
        size=payload.get("size"),
        output_format=payload.get("output_format"),
        quality=payload.get("quality"),
        background=payload.get("background"),
    )


async def generation_from(answer: StreamedAnswer, *, secret: str = "", content_type: str = "?") -> GenerationResult:
    """A text-to-image answer read by ``read_answer``: its JSON parsed, its images already decoded.

    When no image was found in it (an error object, or a layout the reader does not know), the
    whole answer is its ``skeleton`` and is parsed as ``parse_generation`` always did.
    """
    raw = answer.skeleton
    try:
        payload = await asyncio.to_thread(json.loads, raw) if len(raw) > BIG_BODY else json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise not_json(raw, content_type) from error
    if not answer.images:
        return await parse_generation(payload, secret=secret)
    data = _generation_items(payload, secret=secret, images=len(answer.images))
    if len(data) != len(answer.images) or any(item.get("b64_json") != "" for item in data):
        raise MalformedResponse("generation answer with base64 images outside its data items")
    return _generation_result(payload, answer.images)


async def parse_generation(payload: Any, *, secret: str = "") -> GenerationResult:
    """Parse a text-to-image answer; base64 is decoded off the event loop."""
    data = _generation_items(payload, secret=secret)

    def decode_all() -> tuple[bytes, ...]:
        # Each base64 string is dropped from the answer as soon as it is decoded.
        return tuple(decode_b64(item.pop("b64_json"), MAX_BODY) for item in data)

    return _generation_result(payload, await asyncio.to_thread(decode_all))


def decode_b64(text: str, max_bytes: int) -> bytes:
    """Strict base64 (a ``data:`` URL prefix allowed) to bytes; ``MalformedResponse`` if not."""
    if text.startswith("data:"):
        text = text.partition(",")[2]
    if len(text) * 3 // 4 > max_bytes:
        raise MalformedResponse(f"base64 image larger than {max_bytes} bytes")
    try:
        if len(text) <= B64_SLICE:
            return base64.b64decode(text, validate=True)
        if len(text) % 4:
            raise binascii.Error("base64 length is not a multiple of 4")
        out = bytearray()
        for start in range(0, len(text), B64_SLICE):  # B64_SLICE is a multiple of 4
            out += base64.b64decode(text[start:start + B64_SLICE], validate=True)
        return bytes(out)
    except (binascii.Error, ValueError) as error:
        raise MalformedResponse(f"image base64 does not decode: {error}") from error


def raise_for_envelope(payload: Any, *, secret: str = "") -> None:
    """The asynchronous endpoints answer HTTP 200 with ``{"code": 4xx, "message": ...}`` too."""
    if not isinstance(payload, Mapping):
        return
    code = payload.get("code")
    if isinstance(code, int) and code >= 400:
        raise error_for(code, {}, json.dumps(payload).encode(), secret=secret)


def error_for(status: int, headers: Mapping[str, str], raw: bytes, *, secret: str = "") -> APIError:
    """Map an error answer to the exception the member hears about.

    ``secret`` (the API key) is removed from the body before anything reads or shortens it:
    providers echo a wrong key, and a key cut in half by shortening would no longer be found.
    """
    if secret:
        raw = raw.replace(secret.encode(), b"[redacted]")
    message, kind = _error_text(raw)
    text = f"{kind} {message}".lower()
    detail = f"GPTProto HTTP {status}: {shorten(message or raw[:200].decode('utf-8', 'replace'), 300)}"
    if status in (400, 403, 422, 451, 503) and any(w in text for w in CONTENT_POLICY_WORDS):
        # The docs list a "503 content policy violation" whose real status is 400.
        return ContentPolicyViolation(admin_detail=detail)
    if status == 401:
        return AuthenticationError(
            f"GPTProto rejected the API key (HTTP 401: {shorten(message or 'no message', 80)}); "
            "check GPTPROTO_API_KEY", status=401)
    if status == 403:
        if any(w in text for w in BALANCE_WORDS):
            return InsufficientBalance(f"GPTProto account has insufficient balance (HTTP 403: {shorten(message, 120)})")
        return PermissionDenied(f"GPTProto refused the key's permission (HTTP 403: {shorten(message, 120)})")
    if status == 404:
        return NotFound(detail)
    if status == 429:
        return RateLimited(retry_after_seconds(headers, raw), admin_detail=detail)
    if status >= 500:
        return ProviderError(status, admin_detail=detail)
    if any(w in text for w in FETCH_WORDS) and "image" in text:
        return InputUnavailable(admin_detail=detail)
    return BadRequest(message or f"HTTP {status}", admin_detail=detail)


def _error_text(raw: bytes) -> tuple[str, str]:
    try:
        body = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        return shorten(raw[:300].decode("utf-8", "replace"), 300), ""
    if not isinstance(body, Mapping):
        return (str(body) if body is not None else ""), ""
    error = body.get("error")
    if isinstance(error, Mapping):
        kind = " ".join(str(error.get(k, "")) for k in ("type", "code"))
        return str(error.get("message") or ""), kind
    if isinstance(error, str):
        return error, ""
    return str(body.get("message") or body.get("msg") or ""), str(body.get("type") or "")


def retry_after_seconds(headers: Mapping[str, str], raw: bytes = b"") -> float | None:
    """Seconds from a ``Retry-After`` header (or a JSON ``retry_after``); ``None`` if absent."""
    value = headers.get("Retry-After") or headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
            except (TypeError, ValueError):
                return None
    try:
        body = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(body, Mapping) and isinstance(body.get("retry_after"), int | float):
        return float(body["retry_after"])
    return None


async def read_body(resp: aiohttp.ClientResponse, cap: int) -> bytearray:
    """The whole body in one buffer, sized from ``Content-Length`` when given (no regrowth, no
    copy); more than ``cap`` bytes is refused without buffering past it."""
    declared = resp.content_length
    if declared is None or declared > cap:
        return bytearray(await read_capped(resp, cap))
    body = bytearray(declared)
    filled = 0
    with memoryview(body) as view:
        async for chunk in resp.content.iter_chunked(256 * 1024):
            if filled + len(chunk) > declared:
                raise MalformedResponse(f"answer longer than its Content-Length ({declared} bytes)")
            view[filled:filled + len(chunk)] = chunk
            filled += len(chunk)
    del body[filled:]  # aiohttp raises on a short body; this only guards an odd server
    return body


async def read_capped(resp: aiohttp.ClientResponse, cap: int) -> bytes:
    """The whole body, refusing more than ``cap`` bytes without buffering past it."""
    chunks = bytearray()
    async for chunk in resp.content.iter_chunked(256 * 1024):
        chunks += chunk
        if len(chunks) > cap:
            raise MalformedResponse(f"answer larger than {cap} bytes")
    return bytes(chunks)


async def iter_sse(stream: aiohttp.StreamReader):
    """Server-sent events as JSON objects. Lines can be megabytes (base64), so no ``readline``."""
    buffer = bytearray()
    data_lines: list[bytes] = []
    scan = 0
    async for chunk in stream.iter_any():
        buffer += chunk
        while True:
            newline = buffer.find(b"\n", scan)
            if newline < 0:
                scan = len(buffer)
                break
            line = bytes(buffer[:newline]).rstrip(b"\r")
            del buffer[: newline + 1]
            scan = 0
            if not line:
                if data_lines:
                    event = await _sse_json(b"\n".join(data_lines))
                    data_lines = []
                    if event is not None:
                        yield event
                continue
            if line.startswith(b"data:"):
                data_lines.append(line[5:].lstrip(b" "))
    if buffer.strip():
        line = bytes(buffer).strip()
        if line.startswith(b"data:"):
            data_lines.append(line[5:].lstrip(b" "))
    if data_lines:
        event = await _sse_json(b"\n".join(data_lines))
        if event is not None:
            yield event


async def _sse_json(data: bytes) -> dict[str, Any] | None:
    if data.strip() == b"[DONE]":
        return None
    try:
        parsed = await asyncio.to_thread(json.loads, data) if len(data) > BIG_BODY else json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        start = shorten(data[:80].decode("utf-8", "replace"), 80)
        raise MalformedResponse(f"stream event is not JSON: {start}") from error
    return parsed if isinstance(parsed, dict) else None
