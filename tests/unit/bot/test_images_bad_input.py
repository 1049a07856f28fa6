"""One table of bad inputs: each is refused before any API call, with a sentence naming the problem.

Rows go through the same checks the cogs run before anything is spent: ``validate_generate`` and
``validate_edit`` (the model registry) and the attachment checks of ``bot.images``
(``check_attachment_meta`` on Discord's metadata, ``inspect_attachment`` and ``inspect_mask`` on the
bytes). Every refusal must be a ``ValidationError`` (what the command tree answers privately) and
its sentence must contain the fragments of the row, which name the rule that was broken.
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
from bot.gptproto.models import validate_edit, validate_generate
from bot.images import (
    MAX_INPUT_BYTES,
    MAX_MASK_BYTES,
    MAX_PIXELS,
    ImageInfo,
    check_attachment_meta,
    inspect_attachment,
    inspect_mask,
)

IMG = ["https://cdn.discordapp.com/attachments/1/2/photo.png"]
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


def gen(**kw: Any) -> Callable[[], Any]:
    """A ``/generate`` request with a valid prompt unless the row sets one."""
    kw.setdefault("prompt", "a red fox in the snow")
    kw.setdefault("model", None)
    return lambda: validate_generate(**kw)


def edit(**kw: Any) -> Callable[[], Any]:
    """An ``/edit`` request with a valid prompt and one image unless the row sets them."""
    kw.setdefault("prompt", "make it snow")
    kw.setdefault("model", None)
    kw.setdefault("images", IMG)
    return lambda: validate_edit(**kw)


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
    # -- prompt
    pytest.param(gen(prompt=""), ["prompt is empty"], id="prompt-empty"),
    pytest.param(gen(prompt="   "), ["prompt is empty"], id="prompt-spaces"),
    pytest.param(gen(prompt="\n\t \u3000\xa0"), ["prompt is empty"], id="prompt-unicode-whitespace"),
    pytest.param(gen(prompt=None), ["prompt is empty"], id="prompt-none"),
    pytest.param(gen(prompt="x" * 32_001), ["32,001 characters", "limit is 32,000"], id="prompt-32001"),
    pytest.param(gen(prompt="y" * 100_000), ["100,000 characters", "limit is 32,000"], id="prompt-100000"),
    pytest.param(gen(prompt="a cat\x00"), ["null character"], id="prompt-null-char"),
    pytest.param(edit(prompt=" \n "), ["prompt is empty"], id="edit-prompt-whitespace"),
    pytest.param(edit(prompt="z" * 32_001), ["32,001 characters", "32,000"], id="edit-prompt-32001"),
    # -- model
    pytest.param(gen(model="dall-e-3"), ["`dall-e-3` is not a model", "gpt-image-1"], id="model-unknown"),
    pytest.param(gen(model="GPT-IMAGE-1"), ["`GPT-IMAGE-1` is not a model"], id="model-wrong-case"),
    pytest.param(gen(model="gpt-image-1.5-plus"), ["`gpt-image-1.5-plus` is not a model"],
                 id="model-edit-for-generate"),
    pytest.param(edit(model="gpt-image-1"), ["`gpt-image-1` is not a model", "gpt-image-1.5-plus, gpt-image-2-plus"],
                 id="model-generate-for-edit"),
    pytest.param(edit(model="midjourney"), ["`midjourney` is not a model"], id="edit-model-unknown"),
    # -- sizes off the grid
    pytest.param(gen(size="512x512"), ["gpt-image-1 cannot make 512x512", "1024x1024"], id="size-gpt1-512"),
    pytest.param(gen(size="1024x1025"), ["cannot make 1024x1025"], id="size-gpt1-odd"),
    pytest.param(gen(model="gpt-image-1-mini", size="2048x2048"), ["gpt-image-1-mini cannot make 2048x2048"],
                 id="size-mini-2048"),
    pytest.param(gen(model="gpt-image-2", size="1000x1000"), ["multiples of 16 px; 1000x1000"], id="size-gpt2-grid"),
    pytest.param(gen(model="gpt-image-2", size="1024x1030"), ["multiples of 16 px; 1024x1030"], id="size-gpt2-grid-h"),
    pytest.param(edit(model="gpt-image-2-plus", size="1000x1000"), ["multiples of 16 px"], id="size-edit-gpt2-grid"),
    pytest.param(edit(size="2048x2048"), ["gpt-image-1.5-plus cannot make 2048x2048", "256x256"],
                 id="size-edit15-2048"),
    pytest.param(edit(size="auto"), ["gpt-image-1.5-plus needs an explicit size"], id="size-edit15-auto"),
    pytest.param(edit(model="gpt-image-2-plus", size="auto"), ["needs an explicit size"], id="size-edit2-auto"),
    # -- over the edge, over 3:1, pixel range
    pytest.param(gen(model="gpt-image-2", size="3856x2160"), ["at most 3840 px on the longest edge", "3856"],
                 id="size-gpt2-edge"),
    pytest.param(gen(model="gpt-image-2", size="2160x4096"), ["at most 3840 px on the longest edge"],
                 id="size-gpt2-edge-portrait"),
    pytest.param(gen(model="gpt-image-2", size="3088x1024"), ["at most 3:1"], id="size-gpt2-ratio-wide"),
    pytest.param(gen(model="gpt-image-2", size="512x2048"), ["at most 3:1 (or 1:3)"], id="size-gpt2-ratio-tall"),
    pytest.param(edit(model="gpt-image-2-plus", size="3840x1264"), ["at most 3:1"], id="size-edit2-ratio"),
    pytest.param(gen(model="gpt-image-2", size="800x800"), ["at least 655,360 pixels", "800x800 has 640,000"],
                 id="size-gpt2-too-few-pixels"),
    pytest.param(gen(model="gpt-image-2", size="512x512"), ["at least 655,360 pixels"], id="size-gpt2-512"),
    pytest.param(gen(model="gpt-image-2", size="3840x2176"), ["at most 8,294,400 pixels", "8,355,840"],
                 id="size-gpt2-too-many-pixels"),
    pytest.param(gen(model="gpt-image-2", size="2896x2880"), ["at most 8,294,400 pixels"], id="size-gpt2-square-big"),
    pytest.param(gen(model="gpt-image-2", size="0x1024"), ["must be positive"], id="size-gpt2-zero"),
    # -- sizes that are not sizes
    pytest.param(gen(size="big"), ["`big` is not a size", "WIDTHxHEIGHT"], id="size-word"),
    pytest.param(gen(size="1024"), ["`1024` is not a size"], id="size-one-number"),
    pytest.param(gen(size="1024x"), ["`1024x` is not a size"], id="size-missing-height"),
    pytest.param(gen(size="-1024x1024"), ["is not a size"], id="size-negative"),
    pytest.param(gen(size="1024.5x1024"), ["is not a size"], id="size-fraction"),
    pytest.param(gen(model="gemini-2.5-flash-image", size="1024x768"),
                 ["takes an aspect ratio, not `1024x768`", "16:9"], id="size-gemini-pixels"),
    pytest.param(gen(model="gemini-2.5-flash-image", size="7:5"), ["takes an aspect ratio, not `7:5`"],
                 id="size-gemini-ratio"),
    # -- n out of range
    pytest.param(gen(n=0), ["1 to 10 images per request, not 0"], id="n-zero"),
    pytest.param(gen(n=11), ["1 to 10 images per request, not 11"], id="n-eleven"),
    pytest.param(gen(n=-3), ["not -3"], id="n-negative"),
    pytest.param(gen(model="gemini-2.5-flash-image", n=2), ["makes one image per request"], id="n-gemini-two"),
    pytest.param(edit(n=12), ["1 to 10 images per request, not 12"], id="edit-n-twelve"),
    # -- quality, background, format
    pytest.param(gen(quality="ultra"), ["does not take quality `ultra`", "`high`"], id="quality-unknown"),
    pytest.param(gen(model="gemini-2.5-flash-image", quality="high"), ["does not take quality `high`"],
                 id="quality-gemini"),
    pytest.param(edit(quality="best"), ["does not take quality `best`"], id="edit-quality-unknown"),
    pytest.param(gen(model="gpt-image-2", background="transparent"), ["gpt-image-2 does not take background "
                                                                      "`transparent`"], id="transparent-gpt2"),
    pytest.param(gen(model="gpt-image-1-mini", background="transparent"), ["does not take background `transparent`"],
                 id="transparent-mini"),
    pytest.param(gen(model="gemini-2.5-flash-image", background="transparent"), ["does not take background"],
                 id="transparent-gemini"),
    pytest.param(edit(model="gpt-image-2-plus", size="1024x1024", background="transparent"),
                 ["gpt-image-2-plus does not take background `transparent`"], id="transparent-edit2"),
    pytest.param(gen(background="transparent", output_format="jpeg"), ["transparent background needs PNG or WebP",
                                                                       "JPEG"], id="transparent-jpeg"),
    pytest.param(gen(background="sky"), ["does not take background `sky`"], id="background-unknown"),
    pytest.param(gen(output_format="gif"), ["does not take output format `gif`"], id="format-gif"),
    pytest.param(gen(model="gpt-4o-image-vip", output_format="webp"), ["does not take output format `webp`"],
                 id="format-vip-webp"),
    # -- edit images
    pytest.param(edit(images=[]), ["Attach at least one image"], id="edit-no-image"),
    pytest.param(edit(images=IMG * 17), ["at most 16 images, not 17"], id="edit-17-images"),
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


def test_the_table_is_big_enough():
    """The issue asks for at least 50 bad inputs in one table."""
    assert len(ROWS) >= 50


def test_attachment_refusals_are_attachment_errors():
    """Attachment refusals are AttachmentErrors, so the cog can tell them from option errors."""
    with pytest.raises(AttachmentError):
        check_attachment_meta(name="notes.txt", size=10, content_type="text/plain")
