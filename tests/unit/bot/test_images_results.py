"""Unit tests for checking and fitting the API's results: cheap checks, one decode, the encoders.

Decodes are counted at Pillow's decoder factory (``Image._getdecoder``): every decode of PNG or
JPEG pixels, full or reduced, asks it for a decoder ("zip", "jpeg"), and verifying a PNG's chunks
does not. Making test images (``frombytes``) asks for "raw" decoders, which are not counted.
"""

from __future__ import annotations

import io
import os
import struct
import time
import zlib

import pytest
from PIL import Image

from bot import images
from bot.gptproto.errors import MalformedResponse
from bot.gptproto.registry import ImageOptions, JobKind
from bot.images import InvalidImage, decode_result, fit_result
from bot.jobs.delivery import Delivery
from bot.storage.jobs import JobRecord, JobState, ReplyTarget
from tests.fakes import imagegen


def encode(im: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def noise(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Random pixels: about the worst case for every encoder."""
    return Image.frombytes(mode, size, os.urandom(size[0] * size[1] * len(mode)))


def grainy(size: tuple[int, int]) -> Image.Image:
    """A picture with heavy grain, like the fake API's noisy results: JPEG 95 takes ~0.43x its PNG."""
    return imagegen.render(*size, seed=1, noisy=True)


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, body) chunks of a PNG."""
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        chunks.append((data[at + 4:at + 8], data[at + 8:at + 8 + length]))
        at += 12 + length
    return chunks


def png_from(chunks: list[tuple[bytes, bytes]], *, bad_crc: bytes = b"") -> bytes:
    """A PNG of ``chunks``; the chunk of type ``bad_crc`` gets a wrong checksum."""
    out = b"\x89PNG\r\n\x1a\n"
    for kind, body in chunks:
        crc = zlib.crc32(kind + body) ^ (1 if kind == bad_crc else 0)
        out += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
    return out


@pytest.fixture
def decodes(monkeypatch) -> list[str]:
    """The decoder of every PNG or JPEG decode Pillow starts while the test runs."""
    seen: list[str] = []
    real = Image._getdecoder

    def counting(mode, decoder_name, *args, **kwargs):
        if decoder_name != "raw":
            seen.append(decoder_name)
        return real(mode, decoder_name, *args, **kwargs)

    monkeypatch.setattr(Image, "_getdecoder", counting)
    return seen


# --------------------------------------------------------------------------- the cheap check


async def test_a_good_png_is_checked_without_decoding_its_pixels(decodes) -> None:
    """A complete PNG result is described from its header and its chunks' checksums alone."""
    data = encode(noise((300, 200)), "PNG")
    info = await decode_result(data)
    assert (info.format, info.width, info.height, info.has_alpha) == ("png", 300, 200, False)
    assert decodes == []


@pytest.mark.parametrize("damage", ["crc-of-idat", "no-iend", "cut-in-idat"])
async def test_a_damaged_png_is_refused_without_decoding(damage: str, decodes) -> None:
    """A PNG with a wrong checksum, without its end or cut short is refused as damaged, undecoded."""
    chunks = png_chunks(encode(noise((300, 200)), "PNG"))
    if damage == "crc-of-idat":
        data = png_from(chunks, bad_crc=b"IDAT")
    elif damage == "no-iend":
        data = png_from([c for c in chunks if c[0] != b"IEND"])
    else:
        whole = png_from(chunks)
        data = whole[: len(whole) // 2]
    with pytest.raises(InvalidImage) as caught:
        await decode_result(data)
    assert caught.value.reason == "damaged"
    assert decodes == []


async def test_a_truncated_jpeg_is_refused_from_a_reduced_decode(decodes) -> None:
    """A JPEG cut short is refused as damaged, from a decode at 1/8 scale (not a full one)."""
    data = encode(noise((640, 480)), "JPEG", quality=90)
    info = await decode_result(data)
    assert (info.format, info.width, info.height) == ("jpeg", 640, 480)  # the real size, not the draft's
    with pytest.raises(InvalidImage) as caught:
        await decode_result(data[: len(data) - 200])
    assert caught.value.reason == "damaged"
    assert decodes == ["jpeg", "jpeg"]


# --------------------------------------------------------------------------- one decode per result


async def test_a_result_over_the_limit_is_decoded_exactly_once(decodes) -> None:
    """A large PNG result is decoded once, by its re-encoding, which is its check too."""
    data = encode(noise((1600, 900)), "PNG", compress_level=1)
    fitted = await fit_result(data, limit=len(data) // 2, basename="r")
    assert fitted.changed and len(fitted.data) <= len(data) // 2
    assert decodes == ["zip"]


async def test_a_result_within_the_limit_comes_back_as_it_is_undecoded(decodes) -> None:
    """A PNG within the limit is checked, not decoded, and the very same bytes come back."""
    data = encode(noise((200, 100)), "PNG")
    fitted = await fit_result(data, limit=len(data), basename="r")
    assert fitted.data is data and not fitted.changed
    assert decodes == []


async def test_a_damaged_result_over_the_limit_is_refused_as_damaged() -> None:
    """A truncated PNG over the limit is refused by the fit's decode as damaged, not as too big."""
    data = encode(noise((400, 300)), "PNG")
    with pytest.raises(InvalidImage) as caught:
        await fit_result(data[: len(data) * 3 // 4], limit=len(data) // 4)
    assert caught.value.reason == "damaged"


async def test_an_opaque_result_is_fitted_as_full_chroma_jpeg_first() -> None:
    """An opaque image that JPEG quality 95 fits keeps its size and every chroma sample."""
    data = encode(grainy((800, 600)), "PNG", compress_level=1)
    fitted = await fit_result(data, limit=len(data) // 2)
    assert (fitted.format, fitted.width, fitted.height) == ("jpeg", 800, 600)
    limit = images.format_bytes(len(data) // 2)
    assert fitted.note == f"re-encoded as JPEG (quality 95) to fit the {limit} upload limit"
    with Image.open(io.BytesIO(fitted.data)) as im:
        assert im.layer[0][1:3] == im.layer[1][1:3] == (1, 1)  # no chroma subsampling (4:4:4)


async def test_webp_attempts_that_cannot_fit_are_skipped(monkeypatch) -> None:
    """When JPEG 95 is far over the limit, WebP 90 and 80 are not tried; scaling comes at once."""
    tried: list[str] = []
    real = images._encode

    def recording(im, fmt, **options):
        tried.append(f"{fmt}{options.get('quality')}@{im.width}")
        return real(im, fmt, **options)

    monkeypatch.setattr(images, "_encode", recording)
    data = encode(grainy((600, 400)), "PNG", compress_level=1)
    fitted = await fit_result(data, limit=len(data) // 8)
    assert len(fitted.data) <= len(data) // 8 and fitted.width < 600
    assert tried[0] == "jpeg95@600"
    assert not any(t.startswith("webp") and t.endswith("@600") for t in tried)


# --------------------------------------------------------------------------- Delivery.fit


def a_job(upload_limit: int) -> JobRecord:
    """A job answering through a live interaction whose upload limit is ``upload_limit``."""
    reply = ReplyTarget(channel_id=2, application_id=3, token="tok", created_at=time.time(),
                        upload_limit=upload_limit)
    return JobRecord(
        id="b" * 32, kind=JobKind.GENERATE, state=JobState.DELIVERING, user_id=5, guild_id=None,
        options=ImageOptions(model="gpt-image-1", prompt="a red fox"), reply=reply,
        images_requested=2, images_reserved=2, images_delivered=0, prediction_id=None, message_id=None,
        result_message_ids=[], input_tokens=0, output_tokens=0, total_tokens=0, error=None,
        quota_day="2026-03-14", created_at=time.time(), started_at=None, finished_at=None, parent_job_id=None)


async def test_delivery_skips_a_damaged_large_image_and_keeps_the_good_one(decodes) -> None:
    """Of two large results, the damaged one is skipped; the good one is decoded once and fitted."""
    good = encode(grainy((600, 400)), "PNG", compress_level=1)
    damaged = good[: len(good) * 3 // 4]
    raw = [damaged, good]
    fitted = await Delivery(client=None, jobs=None).fit(a_job(len(good) // 2), raw,  # type: ignore[arg-type]
                                                        via_channel=False)
    assert raw == []
    assert [(f.filename, f.width) for f in fitted] == [("bbbbbbbb-1.jpg", 600)]
    assert decodes == ["zip", "zip"]  # the damaged one's failed decode, the good one's only decode


async def test_delivery_says_malformed_when_no_large_image_decodes() -> None:
    """When every result is damaged, the answer is malformed (the member is refunded)."""
    good = encode(noise((300, 200)), "PNG")
    with pytest.raises(MalformedResponse):
        await Delivery(client=None, jobs=None).fit(a_job(len(good) // 4), [good[:-100], b"junk"],  # type: ignore[arg-type]
                                                   via_channel=False)


async def test_delivery_passes_on_an_image_that_cannot_fit() -> None:
    """A good image that cannot be made small enough is not 'unusable': cannot_fit goes up."""
    good = encode(noise((300, 200)), "PNG")
    with pytest.raises(InvalidImage) as caught:
        await Delivery(client=None, jobs=None).fit(a_job(10), [good], via_channel=False)  # type: ignore[arg-type]
    assert caught.value.reason == "cannot_fit"
