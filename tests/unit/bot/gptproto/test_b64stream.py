"""Unit tests for reading a text-to-image answer with its images decoded as they arrive.

``Base64Splitter`` gets the answer in chunks of every size (down to one byte, so that keys, escapes
and data URL prefixes fall across chunk boundaries); ``generation_from`` then parses what it kept.
Both are held to the results and refusals of parsing the whole answer as JSON, and to the memory:
one image and one chunk, never the body or a second copy of the image.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import tracemalloc

import pytest

from bot.gptproto.b64stream import CHUNK, Base64Splitter
from bot.gptproto.client import generation_from
from bot.gptproto.errors import BadRequest, MalformedResponse
from bot.gptproto.types import GenerationResult

SIZES = [1, 3, 7, 1000, CHUNK]


def answer(*images: bytes, **fields) -> bytes:
    """A JSON body as the API sends it, with ``images`` as ``b64_json``."""
    body = {"created": 1, "data": [{"b64_json": base64.b64encode(i).decode()} for i in images],
            "usage": {"input_tokens": 3, "output_tokens": 5, "total_tokens": 8}, "size": "1024x1024", **fields}
    return json.dumps(body).encode()


def parse(body: bytes, size: int) -> GenerationResult:
    """The answer fed in chunks of ``size`` bytes, then parsed."""
    splitter = Base64Splitter(len(body))
    for start in range(0, len(body), size):
        splitter.feed(body[start:start + size])
    return asyncio.run(generation_from(splitter.finish()))


@pytest.mark.parametrize("size", SIZES)
def test_images_and_fields_come_out_as_from_a_whole_parse(size: int) -> None:
    """Two images and the answer's other fields are read exactly, however the body is cut."""
    first, second = os.urandom(3 * 1024 + 1), os.urandom(100)
    result = parse(answer(first, second, quality="high"), size)
    assert result.images == (first, second)
    assert (result.size, result.quality, result.usage.total_tokens) == ("1024x1024", "high", 8)


@pytest.mark.parametrize("size", SIZES)
def test_escaped_slashes_spaces_and_data_urls_are_allowed(size: int) -> None:
    """'\\/' in the base64, spaces around the colon and a data: URL prefix all read the same bytes."""
    image = bytes(range(256)) * 20  # plenty of '/' in its base64
    text = "data:image/png;base64," + base64.b64encode(image).decode()
    body = json.dumps({"data": [{"b64_json": text}]}).replace('"b64_json": ', '"b64_json" :  ')
    assert parse(body.replace("/", "\\/").encode(), size).images == (image,)


def test_a_key_named_b64_json_inside_another_string_is_not_taken_for_an_image() -> None:
    """Text quoting the key (its quotes escaped) is left in the JSON as text."""
    image = os.urandom(3000)
    result = parse(answer(image, revised_prompt='say "b64_json": "QUJD" please'), 7)
    assert result.images == (image,)


@pytest.mark.parametrize(("body", "error"), [
    (b'{"data": [{"b64_json": "QUJ!"}]}', MalformedResponse),
    (b'{"data": [{"b64_json": "QUJDR"}]}', MalformedResponse),
    (b'{"data": [{"b64_json": ""}]}', MalformedResponse),
    (b'{"data": [{"b64_json": "QU\\u0041D"}]}', MalformedResponse),
    (b'{"data": []}', MalformedResponse),
    (b'<html>502 Bad Gateway</html>', MalformedResponse),
    (b'{"data": [{"b64_json": "QUJD', MalformedResponse),
    (b'{"data": [{"b64_json": "QUJD"}', MalformedResponse),
    (b'{"data": [{"b64_json": "QUJD"}], "usage": {"b64_json": "QUJD"}}', MalformedResponse),
    (b'{"error": {"message": "bad size", "type": "invalid_request_error"}}', BadRequest),
], ids=["alphabet", "length", "empty", "escape", "no-data", "html", "cut-in-image", "cut-after", "stray", "error"])
@pytest.mark.parametrize("size", [1, 1000])
def test_broken_answers_are_refused_as_by_a_whole_parse(body: bytes, error: type[Exception], size: int) -> None:
    """Bad base64, no image, not JSON, cut short or an error object: the errors a whole parse raises."""
    with pytest.raises(error):
        parse(body, size)


def test_an_answer_over_the_cap_is_refused_as_it_arrives() -> None:
    """More than the cap is refused without reading on."""
    splitter = Base64Splitter(100)
    splitter.feed(b"x" * 100)
    with pytest.raises(MalformedResponse) as refused:
        splitter.feed(b"x")
    assert "larger than 100 bytes" in refused.value.admin_detail


def test_reading_holds_the_image_and_a_chunk_not_the_body() -> None:
    """At its peak, reading a 6 MB image's answer holds about the image, not the 8 MB body as well
    (holding the body and then decoding it took over twice the image)."""
    image = os.urandom(6 * 1024 * 1024)
    body = answer(image)
    chunks = [body[i:i + CHUNK] for i in range(0, len(body), CHUNK)]
    del body
    splitter = Base64Splitter(sum(map(len, chunks)))
    tracemalloc.start()
    try:
        while chunks:
            splitter.feed(chunks.pop(0))  # each chunk goes once fed, as aiohttp's would
        streamed = splitter.finish()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert streamed.images == (image,)
    assert peak < 1.25 * len(image), f"peak {peak / len(image):.2f}x the image"
