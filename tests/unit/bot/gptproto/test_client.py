"""Unit tests for bot.gptproto.client: the real client against the fake GPTProto on 127.0.0.1.

Delays are shrunk (``RetryPolicy(base_delay=0.01, max_delay=0.02)``, tiny prediction durations and
stream spacing) and every wait is bounded, so each test runs well under a second. Odd answers the
fake cannot give (HTTP 200 envelopes with an error code, undeclared oversized downloads, SSE error
events) come from a small aiohttp app started in the test.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
from aiohttp import web

from bot.errors import BotError
from bot.gptproto.client import (
    DownloadFailed,
    GPTProtoClient,
    RetryPolicy,
    Timeouts,
    decode_b64,
    error_for,
    raise_for_envelope,
    retry_after_seconds,
)
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
)
from bot.gptproto.registry import ImageOptions, validate_edit, validate_generate
from bot.gptproto.types import Prediction, PredictionStatus, TokenUsage
from tests.fakes import imagegen
from tests.fakes.gptproto import FakeGPTProto

KEY = "sk-test-unit-0123456789abcdef"
FAST = RetryPolicy(base_delay=0.01, max_delay=0.02)
QUICK = Timeouts(generate=3.0, submit=3.0, poll=3.0, download=3.0, connect=1.0)
PNG = b"\x89PNG\r\n\x1a\n"
LIMIT = 2.0  # seconds any single awaited call may take


async def within(awaitable: Awaitable, seconds: float = LIMIT):
    """Await with a hard bound so that a bug cannot hang the suite."""
    return await asyncio.wait_for(awaitable, seconds)


def assert_no_key(error: BaseException, key: str = KEY) -> None:
    """Neither the member's sentence nor the admin's line may hold the API key."""
    assert key not in str(error)
    assert key not in repr(error)
    if isinstance(error, BotError):
        assert key not in (error.admin_detail or "")
        assert key not in error.message
    assert key[-10:] not in str(error)


async def expect(error_type: type[APIError], awaitable: Awaitable) -> APIError:
    """Await, expecting ``error_type``; check that it leaks no key and return it."""
    with pytest.raises(error_type) as info:
        await within(awaitable)
    assert_no_key(info.value)
    return info.value


def gen(model: str = "gpt-image-1", prompt: str = "a red fox in the snow", **kw) -> ImageOptions:
    return validate_generate(model=model, prompt=prompt, **kw)


# --------------------------------------------------------------------------- servers and clients


@pytest.fixture
async def fake() -> AsyncIterator[FakeGPTProto]:
    async with FakeGPTProto(api_key=KEY) as server:
        server.stream_partial_delay = 0.01
        server.prediction_duration = 0.05
        yield server


@pytest.fixture
async def session(fake) -> AsyncIterator[aiohttp.ClientSession]:
    # Depends on ``fake`` so that it is closed before the fake shuts down.
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture
def client(fake, session) -> GPTProtoClient:
    return GPTProtoClient(session, api_key=KEY, base_url=fake.base_url, retry=FAST, timeouts=QUICK)


@contextlib.asynccontextmanager
async def serve(routes: dict[str, Callable]) -> AsyncIterator[str]:
    """A throw-away aiohttp app on 127.0.0.1; yields its base URL."""
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_route("*", path, handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def json_handler(body: object, status: int = 200) -> Callable:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response(body, status=status)
    return handler


@pytest.fixture
async def inputs() -> AsyncIterator[str]:
    """Serves /in.png (64x64) and /mask.png (the same size) for edits; yields the base URL."""
    picture = imagegen.make_image(64, 64, seed=1)
    mask = imagegen.make_image(64, 64, seed=2, alpha=True)

    async def image(request: web.Request) -> web.Response:
        return web.Response(body=picture, content_type="image/png")

    async def mask_file(request: web.Request) -> web.Response:
        return web.Response(body=mask, content_type="image/png")

    async with serve({"/in.png": image, "/mask.png": mask_file}) as base:
        yield base


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- generate


async def test_generate_returns_decoded_images_and_usage(client, fake):
    """generate answers the decoded PNG bytes and the provider's token usage."""
    result = await within(client.generate(gen(size="1024x1024", quality="low")))
    assert len(result.images) == 1
    assert result.images[0].startswith(PNG)
    assert imagegen.describe(result.images[0])[:2] == ("PNG", (1024, 1024))
    assert result.usage.input_tokens > 0 and result.usage.output_tokens > 0
    assert result.usage.total_tokens == result.usage.input_tokens + result.usage.output_tokens
    assert (result.size, result.quality, result.output_format) == ("1024x1024", "low", "png")


async def test_generate_sends_bearer_key_and_the_request(client, fake):
    """The request carries ``Authorization: Bearer <key>`` and the model, prompt, size and options."""
    await within(client.generate(gen("gpt-image-2", size="1280x720", quality="high", n=2,
                                     output_format="webp")))
    [request] = fake.generation_requests()
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.auth == "bearer"
    assert request.json == {"model": "gpt-image-2", "prompt": "a red fox in the snow", "size": "1280x720",
                            "quality": "high", "n": 2, "output_format": "webp"}


async def test_generate_leaves_out_unset_options(client, fake):
    """Options the member didn't choose are not sent, so the provider's defaults apply."""
    await within(client.generate(gen()))
    assert fake.generation_requests()[0].json == {"model": "gpt-image-1", "prompt": "a red fox in the snow"}


async def test_generate_several_images(client, fake):
    """n images asked for are n images answered, each decoded."""
    result = await within(client.generate(gen(n=3, size="1024x1024", quality="low")))
    assert len(result.images) == 3
    assert all(image.startswith(PNG) for image in result.images)


async def test_generate_gemini_sends_the_aspect_ratio(client, fake):
    """gemini requests send the aspect ratio as the size and decode the image of that ratio."""
    result = await within(client.generate(gen("gemini-2.5-flash-image", size="1344x768")))
    assert fake.generation_requests()[0].json["size"] == "16:9"
    assert imagegen.describe(result.images[0])[1] == (1344, 768)


async def test_base_url_with_a_path_and_trailing_slash(fake, session):
    """A base URL given with a trailing slash still reaches /v1/images/generations."""
    client = GPTProtoClient(session, api_key=KEY, base_url=fake.base_url + "/", retry=FAST, timeouts=QUICK)
    await within(client.generate(gen()))
    assert fake.generation_requests()[0].path == "/v1/images/generations"


def test_repr_does_not_show_the_key(session):
    """The client's repr shows its base URL only."""
    client = GPTProtoClient(session, api_key=KEY, base_url="http://127.0.0.1:1")
    assert KEY not in repr(client) and "127.0.0.1" in repr(client)


# --------------------------------------------------------------------------- HTTP errors


@pytest.mark.parametrize(("kind", "error_type"), [
    ("401", AuthenticationError),
    ("403_balance", InsufficientBalance),
    ("403_permission", PermissionDenied),
])
async def test_account_problems(client, fake, kind, error_type):
    """401 is a bad key, 403 is told apart as insufficient balance or missing permission; none is retried."""
    fake.fail_next(kind)
    error = await expect(error_type, client.generate(gen()))
    assert len(fake.generation_requests()) == 1
    assert "admin has been told" in str(error) and "not charged" in str(error)
    assert str(error.status) in error.admin_detail


async def test_wrong_key_is_an_authentication_error(fake, session):
    """A key the provider does not know answers 401 and becomes AuthenticationError."""
    wrong = "sk-wrong-key-9876543210"
    client = GPTProtoClient(session, api_key=wrong, base_url=fake.base_url, retry=FAST, timeouts=QUICK)
    error = await expect(AuthenticationError, client.generate(gen()))
    assert_no_key(error, wrong)
    assert "Invalid signature" in error.admin_detail
    assert fake.generation_requests()[0].auth == "invalid"


async def test_403_in_envelope_shape(client, fake, inputs):
    """A 403 in the asynchronous endpoints' envelope shape is still told apart by its message."""
    fake.fail_next("403_balance", route="edit", shape="envelope")
    options = validate_edit(model="gpt-image-1.5-plus", prompt="blue", images=[f"{inputs}/in.png"])
    await expect(InsufficientBalance, client.submit_edit(options))


async def test_429_is_retried_honouring_retry_after(client, fake):
    """A 429 is retried after the Retry-After the provider asked for, then succeeds."""
    fake.fail_next("429", retry_after=0.3)
    started = time.monotonic()
    result = await within(client.generate(gen()))
    assert result.images
    requests = fake.generation_requests()
    assert [r.status for r in requests] == [429, 200]
    assert requests[1].time - requests[0].time >= 0.29
    assert time.monotonic() - started < 1.5


async def test_429_gives_up_after_bounded_retries_with_retry_after(client, fake):
    """After the bounded retries a 429 becomes RateLimited carrying the provider's Retry-After."""
    fake.fail_next("429", times=10, retry_after=0.01)
    error = await expect(RateLimited, client.generate(gen()))
    assert error.retry_after == pytest.approx(0.01)
    assert len(fake.generation_requests()) == FAST.max_429_retries + 1 == 4


async def test_429_without_retry_after_backs_off_and_gives_up(client, fake):
    """A 429 without Retry-After is retried with backoff and then has retry_after None."""
    fake.fail_next("429", times=10, retry_after=None)
    error = await expect(RateLimited, client.generate(gen()))
    assert error.retry_after is None
    assert len(fake.generation_requests()) == 4
    assert "in a minute" in str(error)


async def test_429_with_a_long_retry_after_is_not_waited_for(client, fake):
    """A Retry-After longer than the policy's maximum is passed on at once instead of slept through."""
    fake.fail_next("429", retry_after=120)
    started = time.monotonic()
    error = await expect(RateLimited, client.generate(gen()))
    assert error.retry_after == 120
    assert len(fake.generation_requests()) == 1
    assert time.monotonic() - started < 0.5
    assert "120 seconds" in str(error)


async def test_500_is_not_retried(client, fake):
    """A 500 on a paid request is not retried: the provider may have done the work."""
    fake.fail_next("500", times=3)
    error = await expect(ProviderError, client.generate(gen()))
    assert error.status == 500
    assert len(fake.generation_requests()) == 1


@pytest.mark.parametrize("kind", ["502", "503", "504"])
async def test_gateway_errors_are_retried_at_most_twice(client, fake, kind):
    """502/503/504 are retried at most twice (three requests), then become ProviderError."""
    fake.fail_next(kind, times=5)
    error = await expect(ProviderError, client.generate(gen()))
    assert error.status == int(kind)
    assert len(fake.generation_requests()) == 3
    assert kind in str(error)


@pytest.mark.parametrize("kind", ["502", "503", "504"])
async def test_gateway_error_then_success(client, fake, kind):
    """Two gateway errors in a row are ridden out and the third request's images are returned."""
    fake.fail_next(kind, times=2)
    result = await within(client.generate(gen()))
    assert result.images[0].startswith(PNG)
    assert [r.status for r in fake.generation_requests()] == [int(kind), int(kind), 200]


async def test_poll_500_is_retried(client, fake, inputs):
    """Polling is idempotent, so even a 500 on a poll is retried."""
    options = validate_edit(model="gpt-image-1.5-plus", prompt="blue", images=[f"{inputs}/in.png"])
    prediction = await within(client.submit_edit(options))
    fake.fail_next("500", route="poll")
    await within(client.get_prediction(prediction.id))
    assert [r.status for r in fake.poll_requests()] == [500, 200]


@pytest.mark.parametrize("variant", [0, 1, 2])
async def test_content_policy_in_every_body_shape(client, fake, variant):
    """Each documented content-policy body becomes ContentPolicyViolation and is never retried."""
    fake.fail_next("content_policy", variant=variant, times=3)
    error = await expect(ContentPolicyViolation, client.generate(gen()))
    assert "safety" in str(error) and "not charged" in str(error)
    assert len(fake.generation_requests()) == 1


@pytest.mark.parametrize("body", [
    {"error": {"message": "Content blocked due to safety concerns", "type": "503"}},
    {"error": {"message": "Your request was rejected by the safety system.", "code": "moderation_blocked"}},
    {"code": 503, "message": "content policy violation", "data": None},
])
async def test_documented_503_content_policy_is_not_retried(fake, session, body):
    """The docs' '503 content policy violation' is a refusal, not a gateway error: never retried."""
    hits = []

    async def handler(request: web.Request) -> web.Response:
        hits.append(request)
        return web.json_response(body, status=503)

    async with serve({"/v1/images/generations": handler}) as base:
        client = GPTProtoClient(session, api_key=KEY, base_url=base, retry=FAST, timeouts=QUICK)
        await expect(ContentPolicyViolation, client.generate(gen()))
    assert len(hits) == 1


async def test_bad_request_passes_the_provider_message_shortened(client, fake):
    """Another 400 becomes BadRequest whose sentence holds the provider's message, cut short."""
    long_message = "Invalid value for 'size': " + "very long explanation " * 40
    fake.fail_next("bad_request", message=long_message)
    error = await expect(BadRequest, client.generate(gen()))
    assert error.provider_message == long_message
    assert "Invalid value for 'size'" in str(error)
    assert "…" in str(error)
    assert len(str(error)) < 400
    assert len(fake.generation_requests()) == 1


async def test_provider_validation_error_is_a_bad_request(client, fake):
    """The provider's own refusal of a request (here a size it rejects) is a BadRequest."""
    options = ImageOptions(model="gpt-image-1", prompt="x", size="999x999")  # bypasses the registry
    error = await expect(BadRequest, client.generate(options))
    assert "999x999" in str(error)


async def test_non_json_answer_is_malformed(client, fake):
    """An HTML page with HTTP 200 (a proxy's challenge page) is MalformedResponse."""
    fake.fail_next("non_json")
    error = await expect(MalformedResponse, client.generate(gen()))
    assert "not JSON" in error.admin_detail and "text/html" in error.admin_detail


async def test_answer_without_data_is_malformed(client, fake):
    """A JSON answer without ``data`` is MalformedResponse."""
    fake.fail_next("no_data")
    error = await expect(MalformedResponse, client.generate(gen()))
    assert "without data" in error.admin_detail


async def test_bad_base64_is_malformed(client, fake):
    """Image data that isn't valid base64 is MalformedResponse, not a crash."""
    fake.fail_next("bad_base64")
    error = await expect(MalformedResponse, client.generate(gen()))
    assert "base64" in error.admin_detail


async def test_error_object_with_http_200_is_mapped(fake, session):
    """An ``{"error": ...}`` body sent with HTTP 200 is mapped like the error it describes."""
    body = {"error": {"message": "Your request was rejected as a result of our safety system",
                      "type": "content_policy_violation"}}
    async with serve({"/v1/images/generations": json_handler(body)}) as base:
        client = GPTProtoClient(session, api_key=KEY, base_url=base, retry=FAST, timeouts=QUICK)
        await expect(ContentPolicyViolation, client.generate(gen()))


async def test_dropped_connection_on_generate_is_not_retried(client, fake):
    """A connection dropped after the request was sent is APIConnectionError and not sent again."""
    fake.fail_next("close", times=3)
    await expect(APIConnectionError, client.generate(gen()))
    assert len(fake.generation_requests()) == 1


async def test_dropped_connection_on_poll_is_retried(client, fake, inputs):
    """A dropped connection on an idempotent poll is retried."""
    options = validate_edit(model="gpt-image-1.5-plus", prompt="blue", images=[f"{inputs}/in.png"])
    prediction = await within(client.submit_edit(options))
    fake.fail_next("close", route="poll")
    await within(client.get_prediction(prediction.id))
    assert len(fake.poll_requests()) == 2


async def test_connection_refused_is_a_connection_error(session):
    """A port nobody listens on gives APIConnectionError after the bounded retries, quickly."""
    port = closed_port()
    client = GPTProtoClient(session, api_key=KEY, base_url=f"http://127.0.0.1:{port}", retry=FAST, timeouts=QUICK)
    started = time.monotonic()
    error = await expect(APIConnectionError, client.generate(gen()))
    assert f"127.0.0.1:{port}" in error.admin_detail
    assert time.monotonic() - started < 1.0


async def test_timeout_is_not_retried(fake, session):
    """A request the provider never answers becomes APITimeout after the limit, sent exactly once."""
    client = GPTProtoClient(session, api_key=KEY, base_url=fake.base_url, retry=FAST,
                            timeouts=Timeouts(generate=0.3, connect=1.0))
    fake.fail_next("hang", times=3)
    started = time.monotonic()
    await expect(APITimeout, client.generate(gen()))
    elapsed = time.monotonic() - started
    assert 0.25 <= elapsed < 1.0
    assert len(fake.generation_requests()) == 1


async def test_a_short_hang_within_the_timeout_is_served(client, fake):
    """A slow answer inside the time limit is simply waited for."""
    fake.fail_next("hang", seconds=0.1)
    assert (await within(client.generate(gen()))).images


@pytest.mark.parametrize(("kind", "error_type", "options"), [
    ("401", AuthenticationError, {}),
    ("403_balance", InsufficientBalance, {}),
    ("500", ProviderError, {}),
    ("503", ProviderError, {"times": 3}),
    ("429", RateLimited, {"times": 4, "retry_after": 0.01}),
    ("bad_request", BadRequest, {}),
])
async def test_provider_echoing_the_key_does_not_leak_it(client, fake, kind, error_type, options):
    """Even when the provider's error message repeats the key, no sentence or admin line shows it."""
    fake.fail_next(kind, message=f"Incorrect API key provided: {KEY} (or insufficient balance)", **options)
    await expect(error_type, client.generate(gen()))


# --------------------------------------------------------------------------- edits and predictions


@pytest.mark.parametrize(("model", "key", "size"), [("gpt-image-1.5-plus", "image", "256x256"),
                                                    ("gpt-image-2-plus", "images", "1024x640")])
async def test_edit_round_trip_with_the_models_own_input_key(client, fake, inputs, model, key, size):
    """submit_edit sends ``image`` or ``images`` as the model's page says; the prediction completes
    and its output URL downloads as the edited image."""
    options = validate_edit(model=model, prompt="make it blue", images=[f"{inputs}/in.png"],
                            mask=f"{inputs}/mask.png", size=size, quality="low")
    submitted = await within(client.submit_edit(options))
    assert submitted.status is PredictionStatus.CREATED
    assert submitted.model == model
    assert submitted.get_url == fake.result_url(submitted.id)

    [request] = fake.edit_requests()
    assert request.path == f"/api/v3/openai/{model}/image-edit"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    other = "images" if key == "image" else "image"
    assert request.json[key] == [f"{inputs}/in.png"] and other not in request.json
    assert request.json["prompt"] == "make it blue" and request.json["size"] == size
    assert request.json["mask"] == f"{inputs}/mask.png"
    assert request.json["response_format"] == "url"
    assert fake.prediction(submitted.id).input_key == key

    await asyncio.sleep(0.06)
    done = await within(client.get_prediction(submitted.id))
    assert done.status is PredictionStatus.COMPLETED and done.error is None and not done.has_nsfw
    [url] = done.outputs
    assert url.startswith(fake.base_url + "/outputs/")
    image = await within(client.fetch_output(url, max_bytes=10_000_000))
    assert imagegen.describe(image)[:2] == ("PNG", tuple(int(x) for x in size.split("x")))
    assert "Authorization" not in fake.output_requests()[0].headers


async def test_prediction_in_progress(client, fake, inputs):
    """A poll before the prediction is done reports a non-final status and no outputs."""
    fake.prediction_duration = 5.0
    options = validate_edit(model="gpt-image-2-plus", prompt="blue", images=[f"{inputs}/in.png"])
    submitted = await within(client.submit_edit(options))
    polled = await within(client.get_prediction(submitted.id))
    assert not polled.status.final and polled.outputs == ()


@pytest.mark.parametrize("model", ["gpt-image-1.5-plus", "gpt-image-2-plus"])
async def test_failed_prediction_carries_its_error(client, fake, inputs, model):
    """A prediction that ends ``failed`` is parsed with the provider's error (both spellings)."""
    fake.fail_next("prediction_failed", route="edit", message="upstream render failed")
    options = validate_edit(model=model, prompt="blue", images=[f"{inputs}/in.png"])
    submitted = await within(client.submit_edit(options))
    await asyncio.sleep(0.06)
    polled = await within(client.get_prediction(submitted.id))
    assert polled.status is PredictionStatus.FAILED and polled.status.final
    assert polled.error == "upstream render failed"
    assert polled.outputs == ()


async def test_failed_prediction_echoing_the_key_does_not_leak_it(client, fake, inputs):
    """A failed prediction's error that quotes the key is returned with the key removed."""
    fake.fail_next("prediction_failed", route="edit", message=f"upstream rejected key {KEY}")
    options = validate_edit(model="gpt-image-2-plus", prompt="blue", images=[f"{inputs}/in.png"])
    submitted = await within(client.submit_edit(options))
    await asyncio.sleep(0.06)
    polled = await within(client.get_prediction(submitted.id))
    assert polled.status is PredictionStatus.FAILED
    assert KEY not in polled.error and polled.error.startswith("upstream rejected key")


async def test_unknown_prediction_is_not_found(client, fake):
    """Polling an id the provider doesn't know is NotFound (the provider answers 404 in an envelope)."""
    error = await expect(NotFound, client.get_prediction("does-not-exist"))
    assert "404" in error.admin_detail


async def test_edit_answer_without_data_is_malformed(client, fake, inputs):
    """An edit answer envelope without ``data`` is MalformedResponse."""
    fake.fail_next("no_data", route="edit")
    options = validate_edit(model="gpt-image-1.5-plus", prompt="blue", images=[f"{inputs}/in.png"])
    await expect(MalformedResponse, client.submit_edit(options))


async def test_edit_input_the_provider_cannot_fetch(client, fake, inputs):
    """A 400 saying the provider could not download an input image asks the member to attach it again."""
    options = validate_edit(model="gpt-image-1.5-plus", prompt="blue", images=["http://127.0.0.1:1/gone.png"])
    error = await expect(InputUnavailable, client.submit_edit(options))
    assert "Attach the image again" in str(error)
    assert "gone.png" in error.admin_detail


@pytest.mark.parametrize(("envelope", "error_type"), [
    ({"code": 401, "message": "Invalid signature", "data": None}, AuthenticationError),
    ({"code": 403, "message": "insufficient balance", "data": None}, InsufficientBalance),
    ({"code": 403, "message": "no permission for this model", "data": None}, PermissionDenied),
    ({"code": 400, "message": "content policy violation: flagged", "data": None}, ContentPolicyViolation),
    ({"code": 400, "message": "prompt too long", "data": None}, BadRequest),
    ({"code": 404, "message": "prediction not found", "data": None}, NotFound),
    ({"code": 429, "message": "slow down", "data": None}, RateLimited),
    ({"code": 500, "message": "oops", "data": None}, ProviderError),
])
async def test_envelope_errors_with_http_200(session, inputs, envelope, error_type):
    """The asynchronous endpoints' HTTP 200 envelope with an error ``code`` is mapped by that code."""
    routes = {"/api/v3/openai/{model}/image-edit": json_handler(envelope),
              "/api/v3/predictions/{id}/result": json_handler(envelope)}
    async with serve(routes) as base:
        client = GPTProtoClient(session, api_key=KEY, base_url=base, retry=FAST, timeouts=QUICK)
        options = validate_edit(model="gpt-image-1.5-plus", prompt="blue", images=[f"{inputs}/in.png"])
        await expect(error_type, client.submit_edit(options))
        await expect(error_type, client.get_prediction("abc"))


# --------------------------------------------------------------------------- Prediction parsing


def test_prediction_camel_case_spelling():
    """The gpt-image-1.5-plus page's spelling (hasNsfwContents, createdAt, error "") parses."""
    body = {"data": {"id": "7ba2419", "model": "gpt-image-1.5-plus", "outputs": ["https://x/o.png"],
                     "urls": {"get": "https://gptproto.com/api/v3/predictions/7ba2419/result"},
                     "status": "completed", "createdAt": "2025-12-17 15:05:05", "error": "",
                     "hasNsfwContents": [True], "executionTime": 0},
            "message": "success", "code": 200}
    p = Prediction.from_envelope(body)
    assert (p.id, p.status, p.outputs, p.error, p.has_nsfw) == (
        "7ba2419", PredictionStatus.COMPLETED, ("https://x/o.png",), None, True)
    assert p.get_url.endswith("/7ba2419/result")


def test_prediction_snake_case_spelling():
    """The gpt-image-2-plus page's spelling (has_nsfw_contents, created_at, error null) parses."""
    body = {"data": {"id": "abc", "status": "processing", "outputs": [], "urls": {"get": "u"},
                     "has_nsfw_contents": [], "created_at": "2025-12-17 15:05:05", "error": None},
            "code": 200, "message": "success"}
    p = Prediction.from_envelope(body)
    assert (p.id, p.status, p.outputs, p.error, p.has_nsfw) == ("abc", PredictionStatus.PROCESSING, (), None, False)


def test_prediction_id_from_the_urls_list():
    """With no ``data.id``, the id is read from ``data.urls[0].get`` as the prose describes."""
    body = {"data": {"status": "created", "urls": [{"get": "https://gptproto.com/api/v3/predictions/zz9/result"}]}}
    assert Prediction.from_envelope(body).id == "zz9"


@pytest.mark.parametrize(("status", "expected"), [
    ("created", PredictionStatus.CREATED), ("queued", PredictionStatus.QUEUED),
    ("succeeded", PredictionStatus.COMPLETED), ("FAILED", PredictionStatus.FAILED),
    ("error", PredictionStatus.FAILED), ("running", PredictionStatus.PROCESSING),
    ("something-new", PredictionStatus.UNKNOWN), (None, PredictionStatus.UNKNOWN),
])
def test_prediction_status_spellings(status, expected):
    """Status words, including common aliases and unknown ones, map to the client's states."""
    assert PredictionStatus.parse(status) is expected


@pytest.mark.parametrize("body", [None, [], {"code": 200}, {"data": None}, {"data": {"status": "created"}}])
def test_prediction_without_data_or_id_is_malformed(body):
    """A prediction answer without a data object or an id is MalformedResponse."""
    with pytest.raises(MalformedResponse):
        Prediction.from_envelope(body)


def test_usage_tolerates_odd_figures():
    """Missing or odd usage figures count as 0; a missing total is the sum."""
    assert TokenUsage.from_dict(None) == TokenUsage()
    assert TokenUsage.from_dict({"input_tokens": 8, "output_tokens": "x"}) == TokenUsage(8, 0, 8)
    assert TokenUsage.from_dict({"input_tokens": 8, "output_tokens": 196}) == TokenUsage(8, 196, 204)


# --------------------------------------------------------------------------- outputs and downloads


async def test_fetch_output_base64(client, fake, inputs):
    """A prediction output given as base64 is decoded to the image bytes."""
    fake.output_mode = "b64"
    options = validate_edit(model="gpt-image-1.5-plus", prompt="blue", images=[f"{inputs}/in.png"],
                            size="256x256")
    submitted = await within(client.submit_edit(options))
    await asyncio.sleep(0.06)
    [output] = (await within(client.get_prediction(submitted.id))).outputs
    assert not output.startswith("http")
    image = await within(client.fetch_output(output, max_bytes=10_000_000))
    assert imagegen.describe(image)[:2] == ("PNG", (256, 256))
    assert fake.output_requests() == []


async def test_fetch_output_bad_base64_is_malformed(client, fake, inputs):
    """A base64 output that doesn't decode is MalformedResponse."""
    fake.output_mode = "b64"
    fake.fail_next("bad_base64", route="edit")
    options = validate_edit(model="gpt-image-1.5-plus", prompt="blue", images=[f"{inputs}/in.png"])
    submitted = await within(client.submit_edit(options))
    await asyncio.sleep(0.06)
    [output] = (await within(client.get_prediction(submitted.id))).outputs
    await expect(MalformedResponse, client.fetch_output(output, max_bytes=10_000_000))


@pytest.mark.parametrize("prefix", ["data:image/png;base64,", "data:;base64,", ""])
async def test_fetch_output_data_url(client, prefix):
    """A data: URL (or bare base64) output is decoded without any download."""
    picture = imagegen.make_image(32, 32, seed=3)
    data = await within(client.fetch_output(prefix + base64.b64encode(picture).decode(), max_bytes=10_000))
    assert data == picture


async def test_fetch_output_base64_over_the_cap(client):
    """Base64 output larger than max_bytes is refused before decoding."""
    await expect(MalformedResponse, client.fetch_output(base64.b64encode(b"x" * 3000).decode(), max_bytes=1000))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x.png", "data:image/png;base64,AAAA",
                                 "javascript:alert(1)", "http:///no-host.png"])
async def test_download_refuses_non_http_urls(client, url):
    """download only fetches http(s) URLs with a host."""
    await expect(MalformedResponse, client.download(url, max_bytes=1000))


async def test_download_404_is_download_failed(client, fake):
    """An output URL answering 404 is DownloadFailed, which says the member was not charged."""
    error = await expect(DownloadFailed, client.download(fake.output_url("missing.png"), max_bytes=1000))
    assert "404" in error.admin_detail and "not charged" in str(error)


async def test_output_404_fault(client, fake, inputs):
    """A completed prediction whose output URL answers 404 gives DownloadFailed."""
    fake.fail_next("output_404", route="edit")
    options = validate_edit(model="gpt-image-1.5-plus", prompt="blue", images=[f"{inputs}/in.png"])
    submitted = await within(client.submit_edit(options))
    await asyncio.sleep(0.06)
    [url] = (await within(client.get_prediction(submitted.id))).outputs
    await expect(DownloadFailed, client.fetch_output(url, max_bytes=10_000_000))


async def test_download_caps_a_declared_size(client, session):
    """A download whose Content-Length is over the cap is refused without reading it."""
    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * 5000, content_type="image/png")

    async with serve({"/big.png": big}) as base:
        error = await expect(DownloadFailed, client.download(f"{base}/big.png", max_bytes=1000))
    assert "5000 bytes" in error.admin_detail


async def test_download_caps_an_undeclared_size(client, session):
    """A chunked download without Content-Length is cut off once it passes the cap."""
    async def chunked(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for _ in range(10):
            await resp.write(b"y" * 1000)
        await resp.write_eof()
        return resp

    async with serve({"/stream.png": chunked}) as base:
        await expect(MalformedResponse, client.download(f"{base}/stream.png", max_bytes=2500))
        assert len(await within(client.download(f"{base}/stream.png", max_bytes=10_000))) == 10_000


async def test_download_timeout_is_download_failed(fake, session):
    """A download that doesn't finish in time is DownloadFailed."""
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(release.wait(), 2)
        return web.Response(body=b"late")

    client = GPTProtoClient(session, api_key=KEY, base_url=fake.base_url, retry=FAST,
                            timeouts=Timeouts(download=0.2, connect=1.0))
    async with serve({"/slow.png": slow}) as base:
        started = time.monotonic()
        error = await expect(DownloadFailed, client.download(f"{base}/slow.png", max_bytes=1000))
        assert time.monotonic() - started < 1.0 and "timed out" in error.admin_detail
        release.set()


# --------------------------------------------------------------------------- streaming


class Partials:
    """Records on_partial calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, bytes]] = []

    async def __call__(self, index: int, image: bytes) -> None:
        self.calls.append((index, image))


async def test_stream_partials_in_order_then_the_final_image(client, fake):
    """Partial images reach the callback in order, then the final image is returned."""
    partials = Partials()
    options = gen(size="1024x1024", quality="low")
    result = await within(client.generate_stream(options, partial_images=3, on_partial=partials))
    request = fake.generation_requests()[0]
    assert request.json["stream"] is True and request.json["partial_images"] == 3
    assert [i for i, _ in partials.calls] == [0, 1, 2]
    assert all(image.startswith(PNG) for _, image in partials.calls)
    plain = await within(client.generate(options))
    assert result.images == plain.images
    assert all(image != result.images[0] for _, image in partials.calls)
    assert result.usage.output_tokens > 0


async def test_stream_completed_first_keeps_the_final_image(client, fake):
    """When the completed event arrives before the partials, late partials don't replace the final image."""
    fake.stream_completed_first = True
    partials = Partials()
    options = gen(size="1024x1024", quality="low")
    result = await within(client.generate_stream(options, partial_images=2, on_partial=partials))
    plain = await within(client.generate(options))
    assert result.images == plain.images
    assert partials.calls == []


async def test_stream_with_several_images_returns_them_all(client, fake):
    """A streamed request for n images returns all n final images, not only the last."""
    options = gen(size="1024x1024", quality="low", n=3)
    result = await within(client.generate_stream(options, partial_images=1, on_partial=Partials()))
    plain = await within(client.generate(options))
    assert len(result.images) == 3
    assert result.images == plain.images


async def test_broken_stream_is_stream_broken(client, fake):
    """A stream cut off before the final image is StreamBroken and not retried."""
    fake.fail_next("stream_break")
    partials = Partials()
    error = await expect(StreamBroken, client.generate_stream(gen(), partial_images=2, on_partial=partials))
    assert "did not retry" in str(error)
    assert len(fake.generation_requests()) == 1
    assert len(partials.calls) <= 1


async def test_plain_json_answer_to_a_stream_request(client, fake):
    """A provider that ignores ``stream`` and answers JSON still gives the image."""
    fake.ignore_stream = True
    partials = Partials()
    result = await within(client.generate_stream(gen(), partial_images=2, on_partial=partials))
    assert result.images[0].startswith(PNG)
    assert partials.calls == []


async def test_stream_request_for_a_model_that_does_not_stream(client, fake):
    """gpt-4o-image-vip answers a stream request with plain JSON, which is handled."""
    result = await within(client.generate_stream(gen("gpt-4o-image-vip"), partial_images=1, on_partial=Partials()))
    assert result.images[0].startswith(PNG)


async def test_stream_http_errors_are_mapped(client, fake):
    """An HTTP error answering a stream request is mapped as for generate."""
    fake.fail_next("content_policy")
    await expect(ContentPolicyViolation, client.generate_stream(gen(), partial_images=1, on_partial=Partials()))


def sse(*events: object) -> bytes:
    return b"".join(b"data: " + (e if isinstance(e, bytes) else json.dumps(e).encode()) + b"\n\n" for e in events)


@pytest.mark.parametrize(("events", "error_type"), [
    ([{"type": "error", "error": {"message": "Your request was rejected by our safety system",
                                  "type": "content_policy_violation"}}], ContentPolicyViolation),
    ([{"type": "error", "error": {"message": "bad size"}}], BadRequest),
    ([{"type": "image_generation.completed"}], MalformedResponse),
    ([b"{not json"], MalformedResponse),
    ([b"[DONE]"], StreamBroken),
    ([], StreamBroken),
])
async def test_odd_streams(session, events, error_type):
    """Error events, a completed event without an image, non-JSON and empty streams each fail cleanly."""
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=sse(*events), content_type="text/event-stream")

    async with serve({"/v1/images/generations": handler}) as base:
        client = GPTProtoClient(session, api_key=KEY, base_url=base, retry=FAST, timeouts=QUICK)
        await expect(error_type, client.generate_stream(gen(), partial_images=1, on_partial=Partials()))


async def test_stream_with_crlf_and_a_final_event_without_blank_line(session):
    """CRLF line ends and a last event not followed by a blank line are still read."""
    picture = imagegen.make_image(32, 32, seed=4)
    b64 = base64.b64encode(picture).decode()
    body = (b"event: image_generation.partial_image\r\ndata: "
            + json.dumps({"type": "image_generation.partial_image", "b64_json": b64,
                          "partial_image_index": 0}).encode()
            + b"\r\n\r\ndata: "
            + json.dumps({"type": "image_generation.completed", "b64_json": b64,
                          "usage": {"input_tokens": 3}}).encode())

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/event-stream")

    partials = Partials()
    async with serve({"/v1/images/generations": handler}) as base:
        client = GPTProtoClient(session, api_key=KEY, base_url=base, retry=FAST, timeouts=QUICK)
        result = await within(client.generate_stream(gen(), partial_images=1, on_partial=partials))
    assert result.images == (picture,) and partials.calls == [(0, picture)]
    assert result.usage == TokenUsage(3, 0, 3)


# --------------------------------------------------------------------------- check()


async def test_check_with_a_good_key(client, fake):
    """check() proves a good key with a free lookup and creates nothing."""
    result = await within(client.check())
    assert result.status == 404 and result.latency_ms >= 0
    assert "accepted the key" in result.detail
    assert fake.predictions == {} and fake.generation_requests() == [] and fake.edit_requests() == []
    assert fake.poll_requests()[0].auth == "bearer"


async def test_check_with_a_bad_key(fake, session):
    """check() with a key the provider rejects raises AuthenticationError."""
    client = GPTProtoClient(session, api_key="sk-bad-key-000000000", base_url=fake.base_url, retry=FAST,
                            timeouts=QUICK)
    error = await expect(AuthenticationError, client.check())
    assert_no_key(error, "sk-bad-key-000000000")


async def test_check_unreachable(session):
    """check() against a closed port raises APIConnectionError."""
    client = GPTProtoClient(session, api_key=KEY, base_url=f"http://127.0.0.1:{closed_port()}", retry=FAST,
                            timeouts=QUICK)
    await expect(APIConnectionError, client.check())


# --------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(("headers", "raw", "expected"), [
    ({"Retry-After": "2"}, b"", 2.0),
    ({"Retry-After": "0.5"}, b"", 0.5),
    ({"retry-after": "-3"}, b"", 0.0),
    ({}, b'{"retry_after": 7}', 7.0),
    ({}, b"", None),
    ({"Retry-After": "soon"}, b"", None),
])
def test_retry_after_seconds(headers, raw, expected):
    """Retry-After is read in seconds from the header or a JSON ``retry_after``."""
    assert retry_after_seconds(headers, raw) == expected


def test_retry_after_http_date():
    """An HTTP-date Retry-After is turned into seconds from now."""
    from email.utils import formatdate

    seconds = retry_after_seconds({"Retry-After": formatdate(time.time() + 30, usegmt=True)})
    assert 25 <= seconds <= 31


def test_decode_b64_strict():
    """decode_b64 refuses characters outside the base64 alphabet."""
    assert decode_b64(base64.b64encode(b"abc").decode(), 10) == b"abc"
    with pytest.raises(MalformedResponse):
        decode_b64("YW Jj!", 10)


def test_raise_for_envelope_ignores_success():
    """An envelope with code 200 (or no code) is not an error."""
    raise_for_envelope({"code": 200, "message": "success", "data": {}})
    raise_for_envelope({"data": {}})
    raise_for_envelope(None)


@pytest.mark.parametrize(("status", "body", "error_type"), [
    (400, {"error": {"message": "Invalid value for 'moderation': 'x'", "type": "invalid_request_error"}},
     BadRequest),
    (403, {"error": {"message": "This key is blocked from using gpt-image-2", "type": "403"}}, PermissionDenied),
    (422, {"error": {"message": "Unprocessable", "type": "422"}}, BadRequest),
])
def test_error_for_does_not_mistake_ordinary_refusals_for_content_policy(status, body, error_type):
    """Messages that merely mention a parameter or a block are not reported as a safety refusal."""
    assert isinstance(error_for(status, {}, json.dumps(body).encode()), error_type)


def test_large_base64_is_decoded_in_slices_exactly():
    """Base64 longer than one slice decodes to the same bytes, and a bad character in a later slice is refused."""
    from bot.gptproto.client import B64_SLICE, decode_b64

    data = os.urandom(B64_SLICE)  # ~1.33 slices of base64
    text = base64.b64encode(data).decode()
    assert len(text) > B64_SLICE
    assert decode_b64(text, len(data) + 10) == data
    broken = text[: B64_SLICE + 8] + "!" + text[B64_SLICE + 9:]
    with pytest.raises(MalformedResponse):
        decode_b64(broken, len(data) + 10)
