"""Unit tests for parsing a text-to-image answer straight from its body (``parse_generation_body``).

The answer's base64 strings are located in the body and decoded from it, the rest parsed as JSON;
these tests hold it to the same results and refusals as parsing the whole answer as JSON, and to
its memory: the image and the body's remains, never extra copies of the base64.
"""

from __future__ import annotations

import base64
import json
import os
import tracemalloc

import pytest

from bot.gptproto.client import B64_SLICE, parse_generation_body
from bot.gptproto.errors import BadRequest, MalformedResponse


def answer(*images: bytes, **fields) -> bytearray:
    """A JSON body as the API sends it, with ``images`` as ``b64_json``."""
    body = {"created": 1, "data": [{"b64_json": base64.b64encode(i).decode()} for i in images],
            "usage": {"input_tokens": 3, "output_tokens": 5, "total_tokens": 8}, "size": "1024x1024", **fields}
    return bytearray(json.dumps(body).encode())


def test_images_and_fields_come_out_as_from_a_whole_parse() -> None:
    """Two images (one over several slices) and the answer's other fields are read exactly."""
    first, second = os.urandom(B64_SLICE + 5), os.urandom(100)
    raw = answer(first, second, quality="high")
    result = parse_generation_body(raw)
    assert result.images == (first, second)
    assert (result.size, result.quality, result.usage.total_tokens) == ("1024x1024", "high", 8)
    assert len(raw) < 200, "the body was consumed as the images were decoded"


def test_escaped_slashes_fall_back_to_a_whole_parse() -> None:
    """An encoder that writes '\\/' inside the base64 still gives the right bytes."""
    image = bytes(range(256)) * 50  # plenty of '/' in its base64
    raw = bytearray(answer(image).replace(b"/", b"\\/"))
    assert parse_generation_body(raw).images == (image,)


def test_a_key_named_b64_json_inside_another_string_is_not_taken_for_the_image() -> None:
    """Text quoting the key (escaped quotes) does not confuse the locating of the image."""
    image = os.urandom(3000)
    raw = answer(image, revised_prompt='say "b64_json": "QUJD" please')
    result = parse_generation_body(raw)
    assert result.images == (image,)


@pytest.mark.parametrize(("body", "error"), [
    (b'{"data": [{"b64_json": "QUJ!"}]}', MalformedResponse),
    (b'{"data": [{"b64_json": "QUJDR"}]}', MalformedResponse),
    (b'{"data": [{"b64_json": ""}]}', MalformedResponse),
    (b'{"data": []}', MalformedResponse),
    (b'<html>502 Bad Gateway</html>', MalformedResponse),
    (b'{"data": [{"b64_json": "QUJD"}', MalformedResponse),
    (b'{"error": {"message": "bad size", "type": "invalid_request_error"}}', BadRequest),
])
def test_broken_answers_are_refused_as_before(body: bytes, error: type[Exception]) -> None:
    """Bad base64, no image, not JSON, cut short or an error object: the same errors as a whole parse."""
    with pytest.raises(error):
        parse_generation_body(bytearray(body))


def test_a_data_url_prefix_is_allowed() -> None:
    """A ``data:image/png;base64,`` prefix is skipped, as for a whole parse."""
    image = os.urandom(999)
    raw = bytearray(json.dumps({"data": [{"b64_json": "data:image/png;base64," + base64.b64encode(image).decode()}]})
                    .encode())
    assert parse_generation_body(raw).images == (image,)


def test_parsing_holds_no_extra_copy_of_the_base64() -> None:
    """At its peak, parsing holds about two images' worth (the slices and their join), not the
    body's text and base64 string as well (a whole JSON parse holds over four)."""
    image = os.urandom(6 * B64_SLICE)
    raw = answer(image)
    tracemalloc.start()
    try:
        result = parse_generation_body(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.images == (image,)
    assert peak < 2.3 * len(image), f"peak {peak / len(image):.2f}x the image"
