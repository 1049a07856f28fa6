"""One table of bad attachments: each is refused before any API call, with a sentence naming the problem.

Rows go through the attachment checks of ``bot.images`` the cogs run before anything is spent
(``check_attachment_meta`` on Discord's metadata, ``inspect_attachment`` and ``inspect_mask`` on the
bytes). Every refusal must be a ``ValidationError`` (what the command tree answers privately) and
its sentence must contain the fragments of the row, which name the rule that was broken. Bad
options have their own table in ``tests/unit/bot/gptproto/test_registry_bad_input.py``.
"""

from __future__ import annotations

import functools
import inspect
import io
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from bot.errors import AttachmentError, ValidationError
from bot.images import (
    MAX_INPUT_BYTES,
    MAX_MASK_BYTES,
    MAX_PIXELS,
    ImageInfo,
    check_attachment_meta,
    inspect_attachment,
    inspect_mask,
)

MB = 1024 * 1024


# --------------------------------------------------------------------------- makers


def _encode(im: Image.Image, fmt: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **options)
    return buffer.getvalue()


@functools.cache
def png(width: int = 64, height: int = 48, mode: str = "RGB", alpha: int = 255) -> bytes:
    """A small PNG; RGBA/LA ones get the given alpha everywhere, and a transparent corner when alpha < 255."""
    if mode == "RGBA":
        im = Image.new("RGBA", (width, height), (200, 30, 30, 255))
        if alpha < 255:
            im.paste((0, 0, 0, alpha), (0, 0, width // 2, height // 2))
        return _encode(im, "PNG")
    return _encode(Image.new(mode, (width, height), 128 if mode in ("L", "P") else (200, 30, 30)), "PNG")


@functools.cache
def encoded(fmt: str, mode: str = "RGB") -> bytes:
    """A 64x48 image in another container format."""
    colour = 1 if mode == "P" else (10, 20, 30)
    return _encode(Image.new(mode, (64, 48), colour), fmt)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@functools.cache
def bomb(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of zeros: a few KB on disk that would decode to ``width * height`` pixels."""
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row * 100) for _ in range(height // 100)]
    parts.append(packer.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


@functools.cache
def noisy_png(side: int, mode: str = "RGBA") -> bytes:
    """An incompressible PNG (several MB for a large ``side``)."""
    import random

    rng = random.Random(side)
    data = rng.randbytes(side * side * len(mode))
    return _encode(Image.frombytes(mode, (side, side), data), "PNG", compress_level=0)


def truncated(data: bytes) -> bytes:
    """The first half of an encoded image: a header that parses, pixels that do not."""
    return data[: len(data) // 2]


PHOTO = ImageInfo(format="png", width=64, height=48, has_alpha=False, size_bytes=1000)


# --------------------------------------------------------------------------- the table


def meta(name: str, size: int, content_type: str | None = "image/png", **kw: Any) -> Callable[[], Any]:
    """Discord's attachment metadata, checked before download."""
    return lambda: check_attachment_meta(name=name, size=size, content_type=content_type, **kw)


def attachment(name: str, make: Callable[[], bytes]) -> Callable[[], Any]:
    """Downloaded attachment bytes (made lazily, when the row runs)."""
    return lambda: inspect_attachment(make(), name=name)


def mask(name: str, make: Callable[[], bytes], image: ImageInfo = PHOTO) -> Callable[[], Any]:
    """Downloaded mask bytes, checked against the first image."""
    return lambda: inspect_mask(make(), name=name, image=image)


ROWS: list[Any] = [
    # -- attachments by Discord's metadata (before download)
    pytest.param(meta("photo.png", 0), ["`photo.png` is empty"], id="meta-empty"),
    pytest.param(meta("huge.png", 60 * MB), ["`huge.png` is 60 MB", "under 50 MB"], id="meta-60mb"),
    pytest.param(meta("edge.png", MAX_INPUT_BYTES), ["`edge.png`", "under 50 MB"], id="meta-exactly-50mb"),
    pytest.param(meta("notes.txt", 2000, "text/plain; charset=utf-8"), ["`notes.txt` is not an image", "text/plain"],
                 id="meta-text"),
    pytest.param(meta("doc.pdf", 2000, "application/pdf"), ["`doc.pdf` is not an image", "application/pdf"],
                 id="meta-pdf"),
    pytest.param(meta("clip.mp4", 2000, "video/mp4"), ["`clip.mp4` is not an image", "video/mp4"], id="meta-video"),
    pytest.param(meta("mask.png", 5 * MB, max_bytes=MAX_MASK_BYTES), ["`mask.png` is 5 MB", "under 4 MB"],
                 id="meta-mask-5mb"),
    # -- attachments by their bytes
    pytest.param(attachment("photo.png", lambda: b"Dear diary, today I renamed a text file.\n" * 20),
                 ["`photo.png` is not an image", "PNG, JPEG or WebP"], id="bytes-renamed-text"),
    pytest.param(attachment("photo.png", lambda: b""), ["`photo.png` is empty"], id="bytes-empty"),
    pytest.param(attachment("anim.png", lambda: encoded("GIF", "P")), ["`anim.png` is not a PNG, JPEG or WebP",
                                                                       "GIF"], id="bytes-gif"),
    pytest.param(attachment("scan.jpg", lambda: encoded("BMP")), ["not a PNG, JPEG or WebP", "BMP"], id="bytes-bmp"),
    pytest.param(attachment("scan.png", lambda: encoded("TIFF")), ["not a PNG, JPEG or WebP", "TIFF"], id="bytes-tiff"),
    pytest.param(attachment("cut.png", lambda: truncated(png(256, 256))), ["`cut.png` is truncated or damaged"],
                 id="bytes-truncated-png"),
    pytest.param(attachment("cut.jpg", lambda: truncated(encoded("JPEG"))), ["`cut.jpg` is truncated or damaged"],
                 id="bytes-truncated-jpeg"),
    pytest.param(attachment("cut.webp", lambda: truncated(encoded("WEBP"))), ["`cut.webp` is truncated or damaged"],
                 id="bytes-truncated-webp"),
    pytest.param(attachment("magic.png", lambda: b"\x89PNG\r\n\x1a\n"), ["`magic.png` is truncated or damaged"],
                 id="bytes-png-signature-only"),
    pytest.param(attachment("bomb.png", lambda: bomb(20_000, 20_000)), ["`bomb.png` is too large to open safely",
                                                                       "400,000,000 pixels"], id="bytes-bomb"),
    pytest.param(attachment("big.png", lambda: bomb(5800, 5800)), ["too large to open safely", f"{MAX_PIXELS:,}"],
                 id="bytes-just-over-max-pixels"),
    pytest.param(attachment("fat.png", lambda: b"\x89PNG\r\n\x1a\n" + bytes(MAX_INPUT_BYTES)),
                 ["`fat.png`", "under 50 MB"], id="bytes-over-50mb"),
    # -- masks
    pytest.param(mask("mask.jpg", lambda: encoded("JPEG")), ["`mask.jpg` is a JPEG", "a mask must be a PNG"],
                 id="mask-jpeg"),
    pytest.param(mask("mask.webp", lambda: encoded("WEBP")), ["is a WebP", "a mask must be a PNG"], id="mask-webp"),
    pytest.param(mask("mask.png", lambda: b"not a png at all" * 10), ["`mask.png` is not an image", "must be a PNG"],
                 id="mask-text"),
    pytest.param(mask("mask.png", lambda: png(32, 32, "RGBA", 0)), ["`mask.png` is 32x32 but the image is 64x48",
                                                                   "exactly the same size"], id="mask-wrong-size"),
    pytest.param(mask("mask.png", lambda: png(64, 48, "RGB")), ["has no alpha channel", "RGB"], id="mask-no-alpha"),
    pytest.param(mask("mask.png", lambda: png(64, 48, "RGBA", 255)), ["has no transparent pixels"],
                 id="mask-fully-opaque"),
    pytest.param(mask("mask.png", lambda: truncated(noisy_png(64)), ImageInfo("png", 64, 64, False, 0)),
                 ["`mask.png` is truncated or damaged"], id="mask-truncated"),
    pytest.param(mask("mask.png", lambda: b""), ["`mask.png` is empty"], id="mask-empty"),
    pytest.param(mask("mask.png", lambda: bomb(20_000, 20_000)), ["too large to open safely"], id="mask-bomb"),
    pytest.param(mask("mask.png", lambda: noisy_png(1100), ImageInfo("png", 1100, 1100, True, 0)),
                 ["`mask.png` is", "masks must be under 4 MB"], id="mask-over-4mb"),
]


@pytest.mark.parametrize(("check", "fragments"), ROWS)
async def test_bad_input_is_refused_with_a_sentence_naming_the_problem(check, fragments):
    """A bad input raises a ValidationError whose sentence names what is wrong (so nothing is ever sent)."""
    with pytest.raises(ValidationError) as caught:
        result = check()
        if inspect.isawaitable(result):
            await result
    sentence = str(caught.value)
    for fragment in fragments:
        assert fragment in sentence, f"{fragment!r} not in {sentence!r}"
    assert "Traceback" not in sentence and len(sentence) < 400


def test_attachment_refusals_are_attachment_errors():
    """Attachment refusals are AttachmentErrors, so the cog can tell them from option errors."""
    with pytest.raises(AttachmentError):
        check_attachment_meta(name="notes.txt", size=10, content_type="text/plain")
