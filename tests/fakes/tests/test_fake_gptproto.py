"""Tests of the fake GPTProto server itself, driven with plain aiohttp.

The bot's end-to-end tests trust this fake to behave like the provider's documentation; these
tests pin that behaviour down: answer shapes, real image bytes, both auth forms, streaming,
prediction lifecycle, input downloads and every injectable fault.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import functools
import io
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from PIL import Image

from tests.fakes import imagegen
from tests.fakes.files import FileServer
from tests.fakes.gptproto import FAULT_KINDS, FakeGPTProto
from tests.fakes.hooks import DROP

GEN = "/v1/images/generations"


def bounded(seconds: float = 5.0) -> Callable[[Callable[..., Awaitable[None]]],
                                               Callable[..., Awaitable[None]]]:
    """Fail a test that runs longer than ``seconds`` instead of letting it hang."""

    def wrap(fn: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        @functools.wraps(fn)
        async def run(*args: Any, **kwargs: Any) -> None:
            async with asyncio.timeout(seconds):
                await fn(*args, **kwargs)

        return run

    return wrap


# --------------------------------------------------------------------------- fixtures, helpers


@pytest.fixture
async def fake() -> AsyncIterator[FakeGPTProto]:
    """A started fake whose predictions complete in 0.2 s and streams are spaced 10 ms."""
    async with FakeGPTProto(time_scale=0.1) as server:
        server.stream_partial_delay = 0.1
        yield server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A client session whose requests give up after 5 s."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as s:
        yield s


@pytest.fixture
async def files() -> AsyncIterator[FileServer]:
    """A running :class:`FileServer`."""
    async with FileServer() as server:
        yield server


def solid(width: int, height: int, color: tuple[int, ...], mode: str = "RGB",
          fmt: str = "PNG") -> bytes:
    """Encoded bytes of a one-colour image."""
    buf = io.BytesIO()
    Image.new(mode, (width, height), color).save(buf, fmt)
    return buf.getvalue()


def auth(fake: FakeGPTProto, form: str = "bearer") -> dict[str, str]:
    """Headers carrying the fake's key in the documented "Bearer" or bare form."""
    value = f"Bearer {fake.api_key}" if form == "bearer" else fake.api_key
    return {"Authorization": value}


def decode(b64: str) -> Image.Image:
    """A fully loaded Pillow image from a base64 string."""
    img = Image.open(io.BytesIO(base64.b64decode(b64, validate=True)))
    img.load()
    return img


async def call(session: aiohttp.ClientSession, fake: FakeGPTProto, method: str, path: str,
               body: Any = None, headers: dict[str, str] | None = None
               ) -> tuple[int, Any, aiohttp.typedefs.LooseHeaders]:
    """(status, parsed JSON or text, headers) of one request to the fake."""
    hdrs = auth(fake) if headers is None else headers
    async with session.request(method, fake.base_url + path, json=body, headers=hdrs) as resp:
        text = await resp.text()
        try:
            payload: Any = json.loads(text)
        except ValueError:
            payload = text
        return resp.status, payload, resp.headers


async def generate(session: aiohttp.ClientSession, fake: FakeGPTProto, **body: Any
                   ) -> tuple[int, Any, Any]:
    """POST a text-to-image request (model gpt-image-1 and a prompt unless given)."""
    body.setdefault("model", "gpt-image-1")
    body.setdefault("prompt", "a red fox")
    return await call(session, fake, "POST", GEN, body)


async def submit(session: aiohttp.ClientSession, fake: FakeGPTProto, files: FileServer,
                 model: str = "gpt-image-1.5-plus", **body: Any) -> tuple[int, Any, Any]:
    """POST an image edit of one 64x64 input (under the model's documented key)."""
    key = "image" if model == "gpt-image-1.5-plus" else "images"
    if "image" not in body and "images" not in body:
        body[key] = [files.add("in.png", solid(64, 64, (200, 30, 30)))]
    body.setdefault("prompt", "make it blue")
    return await call(session, fake, "POST", f"/api/v3/openai/{model}/image-edit", body)


async def poll(session: aiohttp.ClientSession, fake: FakeGPTProto, pid: str
               ) -> tuple[int, Any, Any]:
    """GET a prediction's result."""
    return await call(session, fake, "GET", f"/api/v3/predictions/{pid}/result")


async def wait_final(session: aiohttp.ClientSession, fake: FakeGPTProto, pid: str) -> Any:
    """Poll every 20 ms until the prediction is completed or failed; return the envelope."""
    while True:
        status, env, _ = await poll(session, fake, pid)
        assert status == 200, env
        if env["data"]["status"] in ("completed", "failed"):
            return env
        await asyncio.sleep(0.02)


# --------------------------------------------------------------------------- text to image


@bounded()
async def test_generation_answer_has_the_documented_shape(fake, session):
    """A plain generation answers exactly the documented keys, n images and a full usage."""
    before = int(time.time())
    status, body, headers = await generate(session, fake, n=2, quality="low")
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert list(body) == ["created", "background", "data", "output_format", "quality", "size",
                          "usage"]
    assert before <= body["created"] <= time.time() + 1  # seconds, not milliseconds
    assert body["background"] == "opaque"
    assert body["output_format"] == "png"
    assert body["quality"] == "low"
    assert body["size"] == "1024x1024"
    assert len(body["data"]) == 2 and all(list(d) == ["b64_json"] for d in body["data"])
    usage = body["usage"]
    assert set(usage) == {"input_tokens", "input_tokens_details", "output_tokens",
                          "output_tokens_details", "total_tokens"}
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert usage["output_tokens_details"]["image_tokens"] == usage["output_tokens"]


@bounded()
@pytest.mark.parametrize(
    ("model", "size", "fmt", "expected_size", "pil_format"),
    [
        ("gpt-image-1", None, None, (1024, 1024), "PNG"),
        ("gpt-image-1", "auto", "png", (1024, 1024), "PNG"),
        ("gpt-image-1-mini", "1536x1024", "jpeg", (1536, 1024), "JPEG"),
        ("gpt-image-1.5", "1024x1536", "webp", (1024, 1536), "WEBP"),
        ("gpt-4o-image-vip", "512x512", None, (512, 512), "PNG"),
        ("gpt-image-2", "2048x1152", "jpeg", (2048, 1152), "JPEG"),
        ("gpt-image-2", "1248x832", "png", (1248, 832), "PNG"),
        ("gemini-2.5-flash-image", "16:9", None, (1344, 768), "PNG"),
        ("gemini-2.5-flash-image", "21:9", None, (1536, 672), "PNG"),
    ],
)
async def test_generation_returns_real_images_of_the_requested_size_and_format(
        fake, session, model, size, fmt, expected_size, pil_format):
    """Each image decodes with Pillow to the requested pixel size and output format."""
    body: dict[str, Any] = {"model": model}
    if size:
        body["size"] = size
    if fmt:
        body["output_format"] = fmt
    status, answer, _ = await generate(session, fake, **body)
    assert status == 200, answer
    img = decode(answer["data"][0]["b64_json"])
    assert img.size == expected_size
    assert img.format == pil_format
    assert img.mode == "RGB"


@bounded()
@pytest.mark.parametrize("fmt", ["png", "webp"])
async def test_transparent_background_gives_rgba_with_transparent_pixels(fake, session, fmt):
    """background=transparent on gpt-image-1 yields RGBA whose corner is see-through."""
    status, body, _ = await generate(session, fake, background="transparent", output_format=fmt,
                                     size="1024x1536")
    assert status == 200, body
    assert body["background"] == "transparent"
    img = decode(body["data"][0]["b64_json"])
    assert img.mode == "RGBA" and img.size == (1024, 1536)
    assert img.getpixel((0, 0))[3] == 0
    assert img.getpixel((512, 768))[3] == 255


@bounded()
async def test_gemini_answer_uses_milliseconds_and_no_output_details(fake, session):
    """gemini-2.5-flash-image answers like its page: created in ms, aspect-ratio size."""
    status, body, _ = await generate(session, fake, model="gemini-2.5-flash-image", size="4:5")
    assert status == 200, body
    assert body["created"] > 10**12  # milliseconds
    assert "background" not in body
    assert body["size"] == "4:5"
    assert "output_tokens_details" not in body["usage"]
    assert decode(body["data"][0]["b64_json"]).size == (896, 1152)


@bounded()
async def test_images_differ_between_prompts_and_within_a_request(fake, session):
    """Different prompts and the n images of one request are different pictures."""
    _, one, _ = await generate(session, fake, prompt="a cat", n=2)
    _, other, _ = await generate(session, fake, prompt="a dog")
    a, b = (d["b64_json"] for d in one["data"])
    assert len({a, b, other["data"][0]["b64_json"]}) == 3


@bounded()
async def test_usage_grows_with_quality_size_and_count(fake, session):
    """Output tokens grow with quality, pixel count and n, so usage accounting can be tested."""
    async def tokens(**kw: Any) -> int:
        status, body, _ = await generate(session, fake, model="gpt-image-2", **kw)
        assert status == 200, body
        return body["usage"]["output_tokens"]

    low = await tokens(quality="low")
    high = await tokens(quality="high")
    big = await tokens(quality="low", size="2048x2048")
    two = await tokens(quality="low", n=2)
    assert low < high and low < big and two == 2 * low


@bounded()
@pytest.mark.parametrize(
    "body",
    [
        {"model": "dall-e-3"},
        {"prompt": ""},
        {"prompt": None},
        {"prompt": "x" * 32_001},
        {"n": 0},
        {"n": 11},
        {"n": "2"},
        {"size": "1792x1024"},
        {"size": "512x512"},
        {"model": "gpt-image-2", "size": "1000x1000"},
        {"model": "gpt-image-2", "size": "4096x1024"},
        {"model": "gpt-image-2", "size": "3840x1024"},
        {"model": "gpt-image-2", "size": "640x640"},
        {"model": "gpt-image-2", "size": "big"},
        {"model": "gpt-image-2", "background": "transparent"},
        {"model": "gpt-image-1.5", "background": "transparent"},
        {"background": "transparent", "output_format": "jpeg"},
        {"model": "gemini-2.5-flash-image", "size": "1024x1024"},
        {"quality": "ultra"},
        {"output_format": "gif"},
        {"output_compression": 101},
        {"moderation": "none"},
        {"stream": True, "partial_images": 4},
    ],
)
async def test_generation_rejects_what_the_provider_rejects(fake, session, body):
    """Out-of-range fields answer 400 with an error message, as the provider does."""
    status, answer, _ = await generate(session, fake, **body)
    assert status == 400, answer
    assert answer["error"]["message"]
    assert answer["error"]["type"] == "400"


@bounded()
@pytest.mark.parametrize("size", ["3840x2160", "2160x3840", "3840x1280", "816x816"])
async def test_gpt_image_2_accepts_custom_sizes_within_the_rules(fake, session, size):
    """Custom WxH sizes on the edge of gpt-image-2's rules are accepted and honoured."""
    status, body, _ = await generate(session, fake, model="gpt-image-2", size=size)
    assert status == 200, body
    w, h = map(int, size.split("x"))
    assert decode(body["data"][0]["b64_json"]).size == (w, h)


@bounded()
async def test_latency_is_scaled_by_time_scale(fake, session):
    """A generation takes latency x time_scale seconds, so benchmarks can shrink time."""
    fake.latency = 2.0  # x 0.1
    t0 = time.monotonic()
    status, _, _ = await generate(session, fake)
    elapsed = time.monotonic() - t0
    assert status == 200
    assert 0.19 <= elapsed < 1.0


@bounded()
async def test_concurrent_generations_overlap_and_are_counted(fake, session):
    """Slow generations run side by side (the loop is not blocked) and max_in_flight sees it."""
    fake.latency = 3.0  # 0.3 s each
    t0 = time.monotonic()
    results = await asyncio.gather(*(generate(session, fake, prompt=f"p{i}") for i in range(3)))
    assert all(r[0] == 200 for r in results)
    assert time.monotonic() - t0 < 0.8
    assert fake.max_in_flight == 3 and fake.in_flight == 0


# --------------------------------------------------------------------------- auth, records


@bounded()
@pytest.mark.parametrize("form", ["bearer", "bare"])
async def test_both_documented_authorization_forms_are_accepted(fake, session, form):
    """"Bearer <key>" and the bare key both work, and the record says which was used."""
    status, _, _ = await call(session, fake, "POST", GEN, {"model": "gpt-image-1", "prompt": "x"},
                              auth(fake, form))
    assert status == 200
    assert fake.generation_requests()[-1].auth == form


@bounded()
@pytest.mark.parametrize("header", [None, "Bearer sk-wrong", "sk-wrong", "Token {key}",
                                    "Bearer", ""])
@pytest.mark.parametrize("route", ["generate", "edit", "poll"])
async def test_a_bad_or_missing_key_answers_401_invalid_signature(fake, session, header, route):
    """Anything but the key (bare or Bearer) answers 401 with the documented body on every route."""
    headers = {} if header is None else {"Authorization": header.format(key=fake.api_key)}
    method, path = {
        "generate": ("POST", GEN),
        "edit": ("POST", "/api/v3/openai/gpt-image-1.5-plus/image-edit"),
        "poll": ("GET", "/api/v3/predictions/nonexistent/result"),
    }[route]
    status, body, _ = await call(session, fake, method, path, {"prompt": "x"}, headers)
    assert status == 401
    assert body == {"error": {"message": "Invalid signature", "type": "401"}}
    assert fake.requests[-1].auth in ("missing", "invalid")


@bounded()
async def test_polling_an_unknown_prediction_is_a_404_envelope(fake, session):
    """With a good key a nonexistent id answers 404 {"code": 404, ...} (the bot's auth check)."""
    status, body, _ = await poll(session, fake, "does-not-exist")
    assert status == 404
    assert body == {"code": 404, "message": "prediction not found", "data": None}


@bounded()
async def test_every_request_is_recorded_with_its_details(fake, session):
    """RecordedRequest keeps method, path, query, headers, parsed and raw body, time and status."""
    t0 = time.monotonic()
    async with session.post(fake.base_url + GEN + "?trace=1", headers=auth(fake, "bare"),
                            json={"model": "gpt-image-1", "prompt": "recorded"}) as resp:
        assert resp.status == 200
    async with session.post(fake.base_url + GEN, headers=auth(fake),
                            data=b"{not json") as resp:
        assert resp.status == 400
    first, second = fake.generation_requests()
    assert (first.method, first.path, first.query) == ("POST", GEN, {"trace": "1"})
    assert first.headers["Authorization"] == fake.api_key and first.auth == "bare"
    assert first.json == {"model": "gpt-image-1", "prompt": "recorded"}
    assert json.loads(first.body) == first.json and first.raw_body == first.body
    assert t0 <= first.time <= second.time
    assert first.status == 200 and second.status == 400
    assert second.json is None and second.body == b"{not json"
    assert fake.requests == [first, second]


# --------------------------------------------------------------------------- streaming


async def read_events(resp: aiohttp.ClientResponse) -> list[tuple[str, dict[str, Any], float]]:
    """Parse an SSE body into (event name, data, arrival time) triples."""
    events = []
    name = None
    async for raw in resp.content:
        line = raw.decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[len("event: "):]
        elif line.startswith("data: "):
            data = json.loads(line[len("data: "):])
            events.append((name, data, time.monotonic()))
    return events


async def stream(session: aiohttp.ClientSession, fake: FakeGPTProto, **body: Any
                 ) -> tuple[aiohttp.ClientResponse, list[tuple[str, dict[str, Any], float]]]:
    """POST a streaming generation and read all of its events."""
    body = {"model": "gpt-image-1", "prompt": "streamed", "stream": True, **body}
    async with session.post(fake.base_url + GEN, json=body, headers=auth(fake)) as resp:
        return resp, await read_events(resp)


@bounded()
async def test_stream_sends_spaced_partials_then_the_completed_image(fake, session):
    """stream=true answers SSE: partial_images coarse previews, spaced, then the final image."""
    fake.stream_partial_delay = 0.5  # x 0.1 = 50 ms
    t0 = time.monotonic()
    resp, events = await stream(session, fake, partial_images=2, size="1536x1024")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/event-stream")
    names = [e[0] for e in events]
    assert names == ["image_generation.partial_image", "image_generation.partial_image",
                     "image_generation.completed"]
    assert [e[1]["type"] for e in events] == names
    assert [e[1]["partial_image_index"] for e in events[:2]] == [0, 1]
    assert events[0][2] - t0 >= 0.045 and events[1][2] - events[0][2] >= 0.045
    final = decode(events[2][1]["b64_json"])
    for _, data, _ in events:
        assert data["size"] == "1536x1024" and data["output_format"] == "png"
        assert decode(data["b64_json"]).size == final.size == (1536, 1024)
    partial = decode(events[0][1]["b64_json"])
    assert partial.tobytes() != final.tobytes()
    assert len(partial.getcolors(1 << 20) or []) < len(final.getcolors(1 << 20) or [1 << 20])
    _, plain, _ = await generate(session, fake, prompt="streamed", size="1536x1024")
    assert events[2][1]["usage"]["output_tokens"] == plain["usage"]["output_tokens"] + 200


@bounded()
async def test_stream_without_partials_sends_only_the_completed_event(fake, session):
    """partial_images=0 (the default) streams just the completed event."""
    _, events = await stream(session, fake)
    assert [e[0] for e in events] == ["image_generation.completed"]
    assert "usage" in events[0][1]


@bounded()
async def test_stream_completed_first_switch_reorders_events(fake, session):
    """stream_completed_first sends the final image before the partials."""
    fake.stream_completed_first = True
    _, events = await stream(session, fake, partial_images=1)
    assert [e[0] for e in events] == ["image_generation.completed",
                                      "image_generation.partial_image"]


@bounded()
async def test_stream_break_cuts_the_stream_after_the_first_partial(fake, session):
    """fail_next("stream_break") ends a stream mid-way, only on a streaming request."""
    fake.fail_next("stream_break")
    status, _, _ = await generate(session, fake)  # not streamed: untouched
    assert status == 200
    seen: list[str] = []
    with pytest.raises(aiohttp.ClientPayloadError):
        body = {"model": "gpt-image-1", "prompt": "x", "stream": True, "partial_images": 3}
        async with session.post(fake.base_url + GEN, json=body, headers=auth(fake)) as resp:
            async for raw in resp.content:
                if raw.startswith(b"event: "):
                    seen.append(raw.decode().strip())
    assert seen == ["event: image_generation.partial_image"]
    assert fake.generation_requests()[-1].fault == "stream_break"
    _, events = await stream(session, fake, partial_images=1)
    assert len(events) == 2


@bounded()
@pytest.mark.parametrize("model", ["gpt-image-1", "gemini-2.5-flash-image"])
async def test_ignored_stream_answers_plain_json(fake, session, model):
    """ignore_stream (and models without streaming) answer stream=true with the JSON body."""
    fake.ignore_stream = model == "gpt-image-1"
    status, body, headers = await generate(session, fake, model=model, stream=True,
                                           partial_images=2)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert decode(body["data"][0]["b64_json"])


# --------------------------------------------------------------------------- image edit


@bounded()
async def test_edit_submit_gpt_image_1_5_plus_envelope(fake, session, files):
    """gpt-image-1.5-plus answers its page's envelope (camelCase) and downloads the input."""
    status, env, _ = await submit(session, fake, files, quality="medium", size="1024x1024")
    assert status == 200, env
    assert env["code"] == 200 and env["message"] == "success"
    data = env["data"]
    assert set(data) == {"id", "model", "outputs", "urls", "hasNsfwContents", "status",
                         "createdAt", "error", "executionTime", "timings"}
    assert data["model"] == "gpt-image-1.5-plus" and data["status"] == "created"
    assert data["outputs"] == [] and data["hasNsfwContents"] == [] and not data["error"]
    assert data["urls"]["get"] == f"{fake.base_url}/api/v3/predictions/{data['id']}/result"
    time.strptime(data["createdAt"], "%Y-%m-%d %H:%M:%S")
    assert files.hits == ["in.png"]
    pred = fake.prediction(data["id"])
    assert pred.input_key == "image" and pred.status == "created"
    assert fake.edit_requests()[0].json["image"] == [f"{files.base_url}/in.png"]


@bounded()
async def test_edit_submit_gpt_image_2_plus_envelope(fake, session, files):
    """gpt-image-2-plus answers snake_case has_nsfw_contents/created_at and error null."""
    status, env, _ = await submit(session, fake, files, model="gpt-image-2-plus")
    assert status == 200, env
    data = env["data"]
    assert set(data) == {"id", "model", "outputs", "urls", "status", "error", "executionTime",
                         "timings", "has_nsfw_contents", "created_at"}
    assert data["error"] is None and data["status"] == "created"
    assert fake.prediction(data["id"]).input_key == "images"


@bounded()
@pytest.mark.parametrize(("model", "key"), [("gpt-image-1.5-plus", "images"),
                                            ("gpt-image-2-plus", "image")])
async def test_edit_accepts_the_other_models_input_key_and_records_it(fake, session, files,
                                                                      model, key):
    """Either key works for either model; the prediction records which one was sent."""
    url = files.add("k.png", solid(32, 32, (0, 0, 255)))
    status, env, _ = await submit(session, fake, files, model=model, **{key: [url]})
    assert status == 200, env
    assert fake.prediction(env["data"]["id"]).input_key == key


@bounded()
async def test_prediction_moves_created_processing_completed_and_outputs_download(
        fake, session, files):
    """Polls see created, processing, then completed with URL outputs that serve the images."""
    fake.prediction_duration = 4.0  # x 0.1 = 0.4 s
    status, env, _ = await submit(session, fake, files, size="1536x1024", n=2)
    assert status == 200
    pid = env["data"]["id"]
    seen = []
    while True:
        status, env, _ = await poll(session, fake, pid)
        assert status == 200 and env["code"] == 200
        seen.append(env["data"]["status"])
        if seen[-1] == "completed":
            break
        await asyncio.sleep(0.03)
    assert seen[0] == "created" and "processing" in seen
    assert seen.index("processing") > 0 and seen.count("completed") == 1
    data = env["data"]
    assert len(data["outputs"]) == 2 and data["hasNsfwContents"] == [False, False]
    assert data["executionTime"] == 400
    pred = fake.prediction(pid)
    assert pred.poll_count == len(seen) == len(fake.poll_requests())
    assert pred.completed_at is not None and pred.completed_at >= pred.completes_at
    for index, url in enumerate(data["outputs"]):
        assert url.startswith(fake.base_url + "/outputs/")
        async with session.get(url) as resp:  # no key needed, like a temporary URL
            assert resp.status == 200 and resp.content_type == "image/png"
            img = Image.open(io.BytesIO(await resp.read()))
            img.load()
        assert img.size == (1536, 1024)
        # the result is the red input tinted with the prompt's colour: a test can tell
        tint = imagegen.tint_color(imagegen.seed_for("make it blue", index))
        expected = tuple(round(c * 0.65 + t * 0.35) for c, t in zip((200, 30, 30), tint,
                                                                     strict=True))
        got = img.getpixel((10, 10))
        assert all(abs(a - b) <= 2 for a, b in zip(got, expected, strict=True)), (got, expected)
    assert len(fake.output_requests()) == 2


@bounded()
async def test_b64_json_outputs_and_output_mode_override(fake, session, files):
    """response_format=b64_json gives base64 outputs; output_mode forces one form or the other."""
    fake.prediction_duration = 0.0
    _, env, _ = await submit(session, fake, files, model="gpt-image-2-plus",
                             response_format="b64_json", size="2048x1152")
    env = await wait_final(session, fake, env["data"]["id"])
    assert env["data"]["has_nsfw_contents"] == [False]
    assert decode(env["data"]["outputs"][0]).size == (2048, 1152)
    fake.output_mode = "url"
    env = await wait_final(session, fake, env["data"]["id"])
    assert env["data"]["outputs"][0].startswith(fake.base_url)
    fake.output_mode = "b64"
    _, env, _ = await submit(session, fake, files, response_format="url", size="512x512")
    env = await wait_final(session, fake, env["data"]["id"])
    assert decode(env["data"]["outputs"][0]).size == (512, 512)


@bounded()
async def test_edit_uses_every_input_and_the_mask(fake, session, files):
    """Extra inputs and a mask are downloaded; only the mask's transparent part is edited."""
    fake.prediction_duration = 0.0
    first = files.add("first.png", solid(64, 64, (200, 30, 30)))
    second = files.add("second.jpg", solid(40, 40, (0, 255, 0), fmt="JPEG"), "image/jpeg")
    mask_img = Image.new("RGBA", (64, 64), (0, 0, 0, 255))
    mask_img.paste((0, 0, 0, 0), (0, 0, 32, 64))  # left half transparent: edit there
    buf = io.BytesIO()
    mask_img.save(buf, "PNG")
    mask = files.add("mask.png", buf.getvalue())
    _, env, _ = await submit(session, fake, files, image=[first, second], mask=mask,
                             response_format="b64_json", size="1024x1024")
    assert sorted(files.hits) == ["first.png", "mask.png", "second.jpg"]
    env = await wait_final(session, fake, env["data"]["id"])
    img = decode(env["data"]["outputs"][0])
    assert img.getpixel((900, 100)) == (200, 30, 30)  # outside the mask: untouched
    assert img.getpixel((100, 100)) != (200, 30, 30)  # inside: tinted
    assert img.getpixel((50, 1000))[1] > 200  # second input as a green thumbnail


@bounded()
async def test_transparent_edit_gives_rgba(fake, session, files):
    """background=transparent on an edit yields RGBA outputs."""
    fake.prediction_duration = 0.0
    _, env, _ = await submit(session, fake, files, background="transparent",
                             response_format="b64_json")
    env = await wait_final(session, fake, env["data"]["id"])
    assert decode(env["data"]["outputs"][0]).mode == "RGBA"


@bounded()
@pytest.mark.parametrize(
    ("model", "body"),
    [
        ("gpt-image-1.5-plus", {"prompt": ""}),
        ("gpt-image-1.5-plus", {"prompt": "y" * 32_001}),
        ("gpt-image-1.5-plus", {"image": []}),
        ("gpt-image-1.5-plus", {"image": ["http://127.0.0.1:1/a.png"] * 17}),
        ("gpt-image-1.5-plus", {"image": None}),
        ("gpt-image-1.5-plus", {"size": "2048x2048"}),
        ("gpt-image-1.5-plus", {"size": "auto"}),
        ("gpt-image-2-plus", {"size": "1000x1000"}),
        ("gpt-image-2-plus", {"size": "3840x3840"}),
        ("gpt-image-2-plus", {"n": 11}),
        ("gpt-image-2-plus", {"response_format": "file"}),
        ("gpt-image-2-plus", {"quality": "ultra"}),
        ("gpt-image-2-plus", {"mask": 5}),
        ("gpt-image-9-plus", {}),
    ],
)
async def test_edit_rejects_invalid_requests_with_a_400_envelope(fake, session, files, model,
                                                                 body):
    """Bad edit fields answer 400 in the async envelope and create no prediction."""
    status, env, _ = await submit(session, fake, files, model=model, **body)
    assert status == 400, env
    assert env["code"] == 400 and env["message"] and env["data"] is None
    assert not fake.predictions


@bounded()
@pytest.mark.parametrize("url", ["https://cdn.discordapp.com/attachments/1/2/cat.png",
                                 "http://localhost:9/cat.png", "file:///etc/passwd"])
async def test_edit_refuses_to_fetch_anything_but_127_0_0_1(fake, session, files, url):
    """Input URLs off 127.0.0.1 are never fetched: 400 "could not fetch image"."""
    status, env, _ = await submit(session, fake, files, image=[url])
    assert status == 400
    assert env["message"].startswith("could not fetch image")


@bounded()
@pytest.mark.parametrize("what", ["missing", "text", "mask_missing", "mask_jpeg", "mask_size"])
async def test_edit_download_failures_answer_failed_to_download(fake, session, files, what):
    """An input that 404s or is not an image, or a bad mask, answers 400 before any prediction."""
    good = files.add("good.png", solid(64, 64, (1, 2, 3)))
    body: dict[str, Any] = {"image": [good]}
    if what == "missing":
        body["image"] = [f"{files.base_url}/gone.png"]
    elif what == "text":
        body["image"] = [files.add("t.png", b"hello", "text/plain")]
    elif what == "mask_missing":
        body["mask"] = f"{files.base_url}/gone-mask.png"
    elif what == "mask_jpeg":
        body["mask"] = files.add("m.jpg", solid(64, 64, (0, 0, 0), fmt="JPEG"), "image/jpeg")
    else:
        body["mask"] = files.add("m.png", solid(32, 32, (0, 0, 0, 0), "RGBA"))
    status, env, _ = await submit(session, fake, files, **body)
    assert status == 400, env
    if what in ("missing", "text", "mask_missing"):
        assert env["message"].startswith("failed to download image")
    else:
        assert "mask" in env["message"]
    assert not fake.predictions


# --------------------------------------------------------------------------- faults

HTTP_EXPECT: dict[str, tuple[int, Callable[[Any], bool]]] = {
    "401": (401, lambda b: b == {"error": {"message": "Invalid signature", "type": "401"}}),
    "403_balance": (403, lambda b: "balance" in b["error"]["message"]
                    and b["error"]["type"] == "403"),
    "403_permission": (403, lambda b: "permission" in b["error"]["message"]),
    "429": (429, lambda b: b == {"error": {"message": "Rate limit exceeded", "type": "429"}}),
    "500": (500, lambda b: b["error"]["type"] == "500"),
    "502": (502, lambda b: isinstance(b, str) and "502 Bad Gateway" in b),
    "503": (503, lambda b: b["error"]["type"] == "503"),
    "504": (504, lambda b: isinstance(b, str) and "504 Gateway Time-out" in b),
    "non_json": (200, lambda b: isinstance(b, str) and b.startswith("<!DOCTYPE html>")),
}


async def hit(session: aiohttp.ClientSession, fake: FakeGPTProto, files: FileServer,
              route: str) -> tuple[int, Any, Any]:
    """One valid request on ``route`` (poll uses an id that does not exist)."""
    if route == "generate":
        return await generate(session, fake)
    if route == "edit":
        return await submit(session, fake, files)
    return await poll(session, fake, "whatever")


@bounded()
@pytest.mark.parametrize("route", ["generate", "edit", "poll"])
@pytest.mark.parametrize("kind", sorted(HTTP_EXPECT))
async def test_http_faults_answer_their_status_and_body_on_every_route(fake, session, files,
                                                                       kind, route):
    """Each HTTP fault answers once on the route asked for, then the service is normal again."""
    fake.fail_next(kind, route=route)
    status, body, headers = await hit(session, fake, files, route)
    want_status, check = HTTP_EXPECT[kind]
    assert status == want_status and check(body), (status, body)
    if kind == "429":
        assert headers["Retry-After"] == "1"
    assert fake.requests[-1].fault == kind and fake.requests[-1].status == want_status
    status, _, _ = await hit(session, fake, files, route)
    assert status == (404 if route == "poll" else 200)


@bounded()
async def test_429_retry_after_is_configurable_and_times_repeats(fake, session):
    """retry_after sets the header (fractions allowed) and times=2 fails twice in a row."""
    fake.fail_next("429", times=2, retry_after=0.25)
    for _ in range(2):
        status, _, headers = await generate(session, fake)
        assert status == 429 and headers["Retry-After"] == "0.25"
    status, _, _ = await generate(session, fake)
    assert status == 200


@bounded()
async def test_http_fault_options_message_body_and_envelope_shape(fake, session, files):
    """message=, body="json" and shape="envelope" change the error answer as documented."""
    fake.fail_next("403_balance", message="Insufficient balance: top up", shape="envelope",
                   route="edit")
    status, env, _ = await submit(session, fake, files)
    assert status == 403
    assert env == {"code": 403, "message": "Insufficient balance: top up", "data": None}
    fake.fail_next("502", body="json")
    status, body, _ = await generate(session, fake)
    assert status == 502 and body["error"]["type"] == "502"
    fake.fail_next("503", retry_after=2)
    status, _, headers = await generate(session, fake)
    assert status == 503 and headers["Retry-After"] == "2"


@bounded()
@pytest.mark.parametrize("route", ["generate", "edit", "poll"])
@pytest.mark.parametrize("variant", [0, 1, 2])
async def test_content_policy_variants(fake, session, files, variant, route):
    """content_policy answers HTTP 400 in each of the three body shapes seen from the provider."""
    fake.fail_next("content_policy", variant=variant, route=route)
    status, body, _ = await hit(session, fake, files, route)
    assert status == 400
    if variant == 0:
        assert body["error"]["type"] == body["error"]["code"] == "content_policy_violation"
        assert body["error"]["message"].startswith("Your request was rejected as a result of "
                                                   "our safety system")
    elif variant == 1:
        assert body == {"error": {"message": "Content blocked due to safety concerns",
                                  "type": "503"}}
    else:
        assert body["code"] == 400 and body["data"] is None
        assert body["message"].startswith("content policy violation")


@bounded()
async def test_bad_request_fault_uses_each_routes_error_shape(fake, session, files):
    """bad_request answers 400 with the message: error object on generate, envelope on edit."""
    fake.fail_next("bad_request", message="size not allowed", route="generate")
    fake.fail_next("bad_request", message="image too small", route="edit")
    status, body, _ = await generate(session, fake)
    assert status == 400 and body["error"]["message"] == "size not allowed"
    status, env, _ = await submit(session, fake, files)
    assert status == 400 and env == {"code": 400, "message": "image too small", "data": None}


@bounded()
@pytest.mark.parametrize("route", ["generate", "edit", "poll"])
async def test_no_data_fault_answers_200_without_data(fake, session, files, route):
    """no_data answers 200 JSON that lacks "data", which the client must call malformed."""
    fake.fail_next("no_data", route=route)
    status, body, _ = await hit(session, fake, files, route)
    assert status == 200 and isinstance(body, dict) and "data" not in body


@bounded()
async def test_hang_never_answers_until_the_client_gives_up(fake, session):
    """hang keeps the request open past the client's timeout; the next request is served."""
    fake.fail_next("hang")
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.2):
            await generate(session, fake)
    status, _, _ = await generate(session, fake)
    assert status == 200


@bounded()
async def test_hang_with_seconds_delays_then_answers(fake, session):
    """hang with seconds= (scaled) answers normally after the delay."""
    fake.fail_next("hang", seconds=2.0, route="poll")  # x 0.1
    t0 = time.monotonic()
    status, _, _ = await poll(session, fake, "x")
    assert status == 404 and time.monotonic() - t0 >= 0.19


@bounded()
async def test_close_releases_a_hanging_request_quickly(session):
    """Closing the fake ends a hung request (connection dropped) without waiting for timeouts."""
    fake = FakeGPTProto()
    await fake.start()
    fake.fail_next("hang")
    task = asyncio.create_task(generate(session, fake))
    await asyncio.sleep(0.1)
    t0 = time.monotonic()
    await fake.close()
    assert time.monotonic() - t0 < 1.0
    with pytest.raises(aiohttp.ClientError):
        await task


@bounded()
@pytest.mark.parametrize("route", ["generate", "edit", "poll"])
async def test_close_drops_the_connection(fake, session, files, route):
    """close drops the connection without an answer (GETs get it twice: aiohttp retries once)."""
    fake.fail_next("close", route=route, times=2 if route == "poll" else 1)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await hit(session, fake, files, route)
    assert fake.requests[-1].fault == "close" and fake.requests[-1].status is None
    status, _, _ = await hit(session, fake, files, route)
    assert status == (404 if route == "poll" else 200)


def broken(b64: str, kind: str) -> None:
    """Assert that ``b64`` fails the way ``kind`` says."""
    if kind == "bad_base64":
        with pytest.raises(binascii.Error):
            base64.b64decode(b64, validate=True)
        return
    raw = base64.b64decode(b64, validate=True)
    with pytest.raises(OSError):  # PIL.UnidentifiedImageError and truncation are OSErrors
        Image.open(io.BytesIO(raw)).load()
    if kind == "truncated_image":
        Image.open(io.BytesIO(raw))  # the header still parses


@bounded()
@pytest.mark.parametrize("kind", ["bad_base64", "not_image", "truncated_image"])
async def test_broken_image_faults_on_generation(fake, session, kind):
    """bad_base64, not_image and truncated_image break every b64_json of a generation."""
    fake.fail_next(kind)
    status, body, _ = await generate(session, fake, n=2)
    assert status == 200 and len(body["data"]) == 2
    for item in body["data"]:
        broken(item["b64_json"], kind)


@bounded()
@pytest.mark.parametrize("kind", ["bad_base64", "not_image", "truncated_image"])
@pytest.mark.parametrize("response_format", ["b64_json", "url"])
async def test_broken_image_faults_on_edits(fake, session, files, kind, response_format):
    """The same faults break an edit's outputs, whether given as base64 or as file URLs."""
    fake.prediction_duration = 0.0
    fake.fail_next(kind, route="edit")
    _, env, _ = await submit(session, fake, files, response_format=response_format)
    env = await wait_final(session, fake, env["data"]["id"])
    (out,) = env["data"]["outputs"]
    if response_format == "url":
        async with session.get(out) as resp:
            assert resp.status == 200
            raw = await resp.read()
        with pytest.raises(OSError):
            Image.open(io.BytesIO(raw)).load()
    else:
        broken(out, kind)


@bounded()
async def test_fewer_images_on_generation_and_edit(fake, session, files):
    """fewer_images returns n - 1 images by default, or count= images."""
    fake.prediction_duration = 0.0
    fake.fail_next("fewer_images", route="generate")
    _, body, _ = await generate(session, fake, n=3)
    assert len(body["data"]) == 2
    fake.fail_next("fewer_images", route="generate", count=0)
    _, body, _ = await generate(session, fake, n=1)
    assert body["data"] == []
    fake.fail_next("fewer_images", route="edit")
    _, env, _ = await submit(session, fake, files, n=2)
    env = await wait_final(session, fake, env["data"]["id"])
    assert len(env["data"]["outputs"]) == 1


@bounded()
async def test_prediction_failed_ends_failed_with_the_error(fake, session, files):
    """prediction_failed makes the prediction end "failed" with error=message."""
    fake.prediction_duration = 1.0
    fake.fail_next("prediction_failed", message="upstream exploded")
    _, env, _ = await submit(session, fake, files, model="gpt-image-2-plus")
    assert env["data"]["status"] == "created"
    env = await wait_final(session, fake, env["data"]["id"])
    assert env["code"] == 200
    assert env["data"]["status"] == "failed" and env["data"]["error"] == "upstream exploded"
    assert env["data"]["outputs"] == []


@bounded()
async def test_prediction_faults_can_be_given_to_a_poll(fake, session, files):
    """A content fault with route="poll" attaches to the prediction that poll asks about."""
    fake.prediction_duration = 1.0
    _, env, _ = await submit(session, fake, files)
    pid = env["data"]["id"]
    fake.fail_next("prediction_failed", route="poll")
    await poll(session, fake, pid)
    env = await wait_final(session, fake, pid)
    assert env["data"]["status"] == "failed" and env["data"]["error"]
    assert fake.prediction(pid).error == env["data"]["error"]


@bounded()
async def test_prediction_never_completes_stays_processing(fake, session, files):
    """prediction_never_completes keeps reporting processing long after the duration."""
    fake.prediction_duration = 0.5
    fake.fail_next("prediction_never_completes", route="edit")
    _, env, _ = await submit(session, fake, files)
    pid = env["data"]["id"]
    await asyncio.sleep(0.15)
    for _ in range(3):
        _, env, _ = await poll(session, fake, pid)
        assert env["data"]["status"] == "processing"
    assert fake.prediction(pid).completes_at is None
    assert fake.prediction(pid).poll_count == 3


@bounded()
async def test_output_404_makes_result_urls_disappear(fake, session, files):
    """output_404 makes the completed prediction's output URLs answer 404."""
    fake.prediction_duration = 0.0
    fake.fail_next("output_404", route="edit")
    _, env, _ = await submit(session, fake, files)
    env = await wait_final(session, fake, env["data"]["id"])
    async with session.get(env["data"]["outputs"][0]) as resp:
        assert resp.status == 404


@bounded()
async def test_faults_on_the_output_route(fake, session, files):
    """route="output" faults hit the result file download only (and not "any")."""
    fake.prediction_duration = 0.0
    _, env, _ = await submit(session, fake, files)
    env = await wait_final(session, fake, env["data"]["id"])
    url = env["data"]["outputs"][0]
    fake.fail_next("500", route="output")
    fake.fail_next("truncated_image", route="output")
    async with session.get(url) as resp:
        assert resp.status == 500
    async with session.get(url) as resp:
        with pytest.raises(OSError):
            Image.open(io.BytesIO(await resp.read())).load()
    async with session.get(url) as resp:
        Image.open(io.BytesIO(await resp.read())).load()


@bounded()
async def test_faults_match_their_route_and_queue_order(fake, session, files):
    """A fault waits for its route; route="any" takes the next request; order is kept."""
    fake.fail_next("500", route="edit")
    fake.fail_next("503")
    assert (await generate(session, fake))[0] == 503  # "any" skipped by nothing, edit waits
    assert (await generate(session, fake))[0] == 200
    assert (await submit(session, fake, files))[0] == 500
    assert not fake.faults


@bounded()
async def test_content_fault_survives_an_invalid_request(fake, session):
    """A content fault is not used up by a request the fake rejects as invalid."""
    fake.fail_next("bad_base64")
    status, _, _ = await generate(session, fake, n=0)
    assert status == 400
    _, body, _ = await generate(session, fake)
    broken(body["data"][0]["b64_json"], "bad_base64")


@bounded()
async def test_reset_forgets_requests_and_faults(fake, session):
    """reset() empties the request log and the fault queue between benchmark rounds."""
    fake.fail_next("500", times=3)
    await generate(session, fake)
    fake.reset()
    assert fake.requests == [] and fake.faults == [] and fake.max_in_flight == 0
    assert (await generate(session, fake))[0] == 200


def test_fail_next_refuses_unknown_kinds_and_impossible_routes():
    """fail_next raises at once on a typo or a kind that cannot apply to the route."""
    fake = FakeGPTProto()
    with pytest.raises(ValueError):
        fake.fail_next("418")
    with pytest.raises(ValueError):
        fake.fail_next("stream_break", route="poll")
    with pytest.raises(ValueError):
        fake.fail_next("prediction_failed", route="generate")
    with pytest.raises(ValueError):
        fake.fail_next("content_policy", variant=3)
    with pytest.raises(ValueError):
        fake.fail_next("500", route="everything")
    for kind in FAULT_KINDS:
        fake.fail_next(kind, route=sorted(FAULT_KINDS[kind])[0])
    assert len(fake.faults) == len(FAULT_KINDS) == 22


# --------------------------------------------------------------------------- speed


@bounded(10)
async def test_generation_is_fast_even_for_4k_png(fake, session):
    """A 1024x1024 PNG answers in well under 0.5 s and a 3840x2160 PNG in under 1.5 s."""
    timings = {}
    for size in ("1024x1024", "3840x2160"):
        t0 = time.perf_counter()
        status, body, _ = await generate(session, fake, model="gpt-image-2", size=size,
                                         prompt=f"speed {time.time_ns()}")
        timings[size] = time.perf_counter() - t0
        assert status == 200
        assert decode(body["data"][0]["b64_json"]).size == tuple(map(int, size.split("x")))
    print(f"fake generation timings: {timings}")
    assert timings["1024x1024"] < 0.5
    assert timings["3840x2160"] < 1.5


@bounded()
async def test_noisy_images_are_big(fake, session):
    """noisy_images makes hard-to-compress images, for tests of fitting the upload limit."""
    fake.noisy_images = True
    status, body, _ = await generate(session, fake, prompt="noise")
    assert status == 200
    raw = base64.b64decode(body["data"][0]["b64_json"])
    assert len(raw) > 1_000_000
    assert decode(body["data"][0]["b64_json"]).size == (1024, 1024)


# --------------------------------------------------------------------------- hooks


@bounded()
async def test_hooks_see_each_request_its_partials_and_its_answer(fake, session):
    """on_event: ``request`` on arrival (recorded, not yet handled), ``partial`` after each
    streamed preview is written, ``response`` once the answer is ready."""
    seen: list[tuple[Any, ...]] = []
    fake.on_event("request", lambda e: seen.append(("request", e["request"].route, e["request"].status)))
    fake.on_event("partial", lambda e: seen.append(("partial", e["index"])))
    fake.on_event("response", lambda e: seen.append(("response", e["request"].route, e["request"].status)))
    _, events = await stream(session, fake, partial_images=2)
    assert [name for name, _, _ in events][-1] == "image_generation.completed"
    assert seen == [("request", "generate", None), ("partial", 0), ("partial", 1), ("response", "generate", 200)]
    assert not fake.hook_errors


@bounded()
async def test_a_dropped_request_is_cut_and_creates_nothing(fake, session, files):
    """A ``request`` callback returning DROP closes the connection unanswered: no prediction."""
    fake.on_event("request", lambda e: DROP if e["request"].route == "edit" else None)
    with pytest.raises(aiohttp.ClientError):
        await submit(session, fake, files)
    assert fake.predictions == {}
    assert [r.status for r in fake.edit_requests()] == [None]


@bounded()
async def test_latency_and_prediction_duration_may_depend_on_the_request(fake, session, files):
    """``latency`` and ``prediction_duration`` may be functions of the request (per-prompt timing)."""
    fake.latency = lambda rec: 3.0 if rec.json["prompt"] == "slow" else 0.0  # x 0.1
    fake.prediction_duration = lambda rec: len(rec.json["prompt"])  # x 0.1
    t0 = time.monotonic()
    await generate(session, fake, prompt="quick")
    quick = time.monotonic() - t0
    t0 = time.monotonic()
    await generate(session, fake, prompt="slow")
    assert time.monotonic() - t0 >= 0.29 > quick
    status, env, _ = await submit(session, fake, files, prompt="abcd")
    assert status == 200
    assert fake.prediction(env["data"]["id"]).duration == pytest.approx(0.4)
