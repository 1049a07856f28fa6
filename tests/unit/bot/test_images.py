"""Unit tests for bot.images: attachment checks, result checks, fitting and previews.

Every input is made here with Pillow (or by hand, for a decompression bomb), so the tests need no
files and no network.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import os
import resource
import struct
import time
import zlib

import pytest
from PIL import Image

from bot import images
from bot.errors import AttachmentError, ValidationError
from bot.images import (
    MAX_INPUT_BYTES,
    MAX_PIXELS,
    FittedImage,
    ImageInfo,
    InvalidImage,
    check_attachment_meta,
    decode_result,
    fit_to_limit,
    format_bytes,
    inspect_attachment,
    inspect_mask,
    make_preview,
)

# --------------------------------------------------------------------------- makers


def encode(im: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def solid(size=(64, 48), mode="RGB", color=(200, 30, 30)) -> Image.Image:
    return Image.new(mode, size, color)


def noise(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Random pixels: about the worst case for every encoder."""
    bands = len(mode)
    return Image.frombytes(mode, size, os.urandom(size[0] * size[1] * bands))


def noise_with_hole(size: tuple[int, int]) -> Image.Image:
    """Noisy RGBA whose left half is fully transparent."""
    im = noise(size, "RGBA")
    alpha = Image.new("L", size, 255)
    alpha.paste(0, (0, 0, size[0] // 2, size[1]))
    im.putalpha(alpha)
    return im


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of ``width`` x ``height`` zeros: a few KB that would decode huge."""
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row * 100) for _ in range(height // 100)]
    parts.append(packer.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", b"".join(parts))
        + png_chunk(b"IEND", b"")
    )


def opened(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


# --------------------------------------------------------------------------- format_bytes


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (812 * 1024, "812 KB"),
        (int(61.2 * 1024 * 1024), "61.2 MB"),
        (MAX_INPUT_BYTES, "50 MB"),
        (1024 * 1024 - 1, "1 MB"),
        (3 * 1024**3, "3 GB"),
    ],
)
def test_format_bytes(n: int, text: str) -> None:
    """Sizes read the way the error sentences promise ("61.2 MB", "812 KB", "50 MB")."""
    assert format_bytes(n) == text


# --------------------------------------------------------------------------- attachments


@pytest.mark.parametrize(
    ("fmt", "mode", "options", "expected"),
    [
        ("PNG", "RGB", {}, ("png", False, "image/png", "png")),
        ("PNG", "RGBA", {}, ("png", True, "image/png", "png")),
        ("JPEG", "RGB", {"quality": 90}, ("jpeg", False, "image/jpeg", "jpg")),
        ("WEBP", "RGB", {"quality": 80}, ("webp", False, "image/webp", "webp")),
        ("WEBP", "RGBA", {"lossless": True}, ("webp", True, "image/webp", "webp")),
    ],
)
async def test_inspect_attachment_accepts_png_jpeg_webp(fmt, mode, options, expected) -> None:
    """PNG, JPEG and WebP are accepted and described correctly, whatever the file is called."""
    color = (10, 20, 30, 128) if mode == "RGBA" else (10, 20, 30)
    data = encode(solid((70, 40), mode, color), fmt, **options)
    info = await inspect_attachment(data, name="whatever.bin")
    fmt_name, alpha, mime, ext = expected
    assert info == ImageInfo(
        format=fmt_name, width=70, height=40, has_alpha=alpha, size_bytes=len(data)
    )
    assert (info.mime, info.extension) == (mime, ext)


async def test_inspect_attachment_refuses_gif() -> None:
    """A GIF is refused by its bytes with a sentence naming the file and the accepted formats."""
    data = encode(solid(mode="P", color=1), "GIF")
    with pytest.raises(AttachmentError) as caught:
        await inspect_attachment(data, name="cat.png")
    message = str(caught.value)
    assert "`cat.png`" in message and "GIF" in message and "PNG, JPEG or WebP" in message
    assert isinstance(caught.value, ValidationError)


async def test_inspect_attachment_refuses_renamed_text_file() -> None:
    """A text file renamed .png is refused as not an image, in the member's words."""
    with pytest.raises(AttachmentError) as caught:
        await inspect_attachment(b"hello, I am text\n" * 20, name="cat.png")
    assert str(caught.value) == "`cat.png` is not an image (its bytes are not PNG, JPEG or WebP)."


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
async def test_inspect_attachment_refuses_truncated_image(fmt: str) -> None:
    """A truncated file is refused, because it is fully decoded (not just its header read)."""
    data = encode(noise((200, 200)), fmt)
    with pytest.raises(AttachmentError) as caught:
        await inspect_attachment(data[: len(data) // 2], name="x.png")
    assert str(caught.value) == "`x.png` is truncated or damaged."


async def test_inspect_attachment_refuses_decompression_bomb_without_decoding() -> None:
    """A tiny PNG declaring 20000x20000 is refused from its header, without allocating pixels."""
    data = bomb_png(20000, 20000)
    assert len(data) < 200_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(AttachmentError) as caught:
        await inspect_attachment(data, name="bomb.png")
    elapsed = time.perf_counter() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    message = str(caught.value)
    assert message.startswith("`bomb.png` is too large to open safely (")
    assert "400,000,000 pixels" in message
    assert grown_mb < 100, "decoding 400 megapixels would have raised the peak memory"
    assert elapsed < 1


async def test_inspect_attachment_refuses_images_over_our_pixel_limit() -> None:
    """An image under Pillow's own bomb limit but over MAX_PIXELS is refused by ours."""
    side = 6000  # 36 MP: over MAX_PIXELS (33.2 MP), under Pillow's 89 MP warning
    assert side * side > MAX_PIXELS
    with pytest.raises(AttachmentError, match=r"too large to open safely \(6000x6000"):
        await inspect_attachment(bomb_png(side, side), name="big.png")


async def test_inspect_attachment_refuses_too_many_bytes() -> None:
    """Bytes at or over max_bytes are refused before decoding, with both sizes in MB/KB."""
    data = encode(noise((100, 100)), "PNG")
    with pytest.raises(AttachmentError) as caught:
        await inspect_attachment(data, name="big.png", max_bytes=10 * 1024)
    assert str(caught.value) == (
        f"`big.png` is {format_bytes(len(data))}; images must be under 10 KB."
    )


async def test_inspect_attachment_refuses_empty_file() -> None:
    """An empty attachment gets its own plain sentence."""
    with pytest.raises(AttachmentError, match=r"`e\.png` is empty"):
        await inspect_attachment(b"", name="e.png")


def test_check_attachment_meta() -> None:
    """Discord's metadata alone refuses oversized or non-image attachments before download."""
    check_attachment_meta(name="a.png", size=1000, content_type="image/png")
    check_attachment_meta(name="a.png", size=1000, content_type=None)
    check_attachment_meta(name="a.png", size=1000, content_type="application/octet-stream")
    with pytest.raises(AttachmentError) as caught:
        check_attachment_meta(name="big.png", size=int(61.2 * 1024 * 1024), content_type=None)
    assert str(caught.value) == "`big.png` is 61.2 MB; images must be under 50 MB."
    with pytest.raises(AttachmentError, match="just over 50 MB"):
        check_attachment_meta(name="b.png", size=MAX_INPUT_BYTES + 1, content_type="image/png")
    with pytest.raises(AttachmentError, match=r"`notes.txt` is not an image .*text/plain"):
        check_attachment_meta(name="notes.txt", size=10, content_type="text/plain; charset=utf-8")
    with pytest.raises(AttachmentError, match="empty"):
        check_attachment_meta(name="z.png", size=0, content_type="image/png")


# --------------------------------------------------------------------------- masks

IMAGE_INFO = ImageInfo(format="png", width=128, height=96, has_alpha=False, size_bytes=1)


def good_mask(size=(128, 96)) -> bytes:
    im = Image.new("RGBA", size, (0, 0, 0, 255))
    im.paste((0, 0, 0, 0), (10, 10, 50, 50))
    return encode(im, "PNG")


async def test_inspect_mask_accepts_rgba_png_of_same_size() -> None:
    """A PNG mask of the image's size with transparent pixels is accepted."""
    data = good_mask()
    info = await inspect_mask(data, name="mask.png", image=IMAGE_INFO)
    assert (info.format, info.width, info.height, info.has_alpha) == ("png", 128, 96, True)


async def test_inspect_mask_accepts_palette_png_with_transparency() -> None:
    """A paletted PNG whose palette has a transparent entry counts as having alpha."""
    im = Image.new("P", (128, 96), 1)
    im.paste(0, (0, 0, 20, 20))
    data = encode(im, "PNG", transparency=0)
    info = await inspect_mask(data, name="mask.png", image=IMAGE_INFO)
    assert info.has_alpha


async def test_inspect_mask_refuses_wrong_size() -> None:
    """A mask of other dimensions is refused, naming both sizes."""
    with pytest.raises(AttachmentError) as caught:
        await inspect_mask(good_mask((64, 64)), name="mask.png", image=IMAGE_INFO)
    assert str(caught.value).startswith("`mask.png` is 64x64 but the image is 128x96; ")


async def test_inspect_mask_refuses_non_png() -> None:
    """A WebP mask (even with alpha) is refused: masks must be PNG."""
    data = encode(Image.new("RGBA", (128, 96), (0, 0, 0, 0)), "WEBP", lossless=True)
    with pytest.raises(AttachmentError, match=r"`mask.png` is a WebP; a mask must be a PNG"):
        await inspect_mask(data, name="mask.png", image=IMAGE_INFO)


async def test_inspect_mask_refuses_png_without_alpha() -> None:
    """An RGB PNG mask is refused for having no alpha channel."""
    data = encode(solid((128, 96)), "PNG")
    with pytest.raises(AttachmentError, match=r"`mask\.png` has no alpha channel"):
        await inspect_mask(data, name="mask.png", image=IMAGE_INFO)


async def test_inspect_mask_refuses_fully_opaque_mask() -> None:
    """An RGBA mask with no transparent pixel marks nothing to edit, so it is refused."""
    data = encode(Image.new("RGBA", (128, 96), (0, 0, 0, 255)), "PNG")
    with pytest.raises(AttachmentError, match="no transparent pixels"):
        await inspect_mask(data, name="mask.png", image=IMAGE_INFO)


async def test_inspect_mask_refuses_too_many_bytes() -> None:
    """A mask at or over the byte limit (4 MB; smaller here) is refused before decoding."""
    data = good_mask()
    with pytest.raises(AttachmentError) as caught:
        await inspect_mask(data, name="mask.png", image=IMAGE_INFO, max_bytes=len(data))
    assert "masks must be under" in str(caught.value)
    assert str(caught.value).startswith("`mask.png` is ")


# --------------------------------------------------------------------------- results


async def test_decode_result_accepts_real_image() -> None:
    """A complete result image is described."""
    data = encode(solid((32, 16)), "PNG")
    info = await decode_result(data)
    assert (info.format, info.width, info.height) == ("png", 32, 16)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<html>502 Bad Gateway</html>", "not_image"),
        (encode(noise((120, 120)), "PNG")[:3000], "damaged"),
        (encode(noise((120, 120)), "WEBP")[:1000], "damaged"),
        (encode(solid(mode="P", color=1), "GIF"), "unsupported_format"),
        (bomb_png(20000, 20000), "too_many_pixels"),
    ],
    ids=["empty", "garbage", "truncated-png", "truncated-webp", "gif", "bomb"],
)
async def test_decode_result_rejects_bad_data(data: bytes, reason: str) -> None:
    """Garbage, truncated, foreign or bomb results raise InvalidImage (a ValueError)."""
    with pytest.raises(InvalidImage) as caught:
        await decode_result(data)
    assert caught.value.reason == reason
    assert isinstance(caught.value, ValueError)


# --------------------------------------------------------------------------- fit_to_limit


async def test_fit_returns_small_image_untouched_without_decoding(monkeypatch) -> None:
    """Under the limit with info given, the same bytes object comes back and Pillow is not used."""
    data = encode(solid((40, 30)), "PNG")
    info = await decode_result(data)

    def explode(*args, **kwargs):
        raise AssertionError("Pillow must not open an image that already fits")

    monkeypatch.setattr(images.Image, "open", explode)
    fitted = await fit_to_limit(data, limit=len(data), basename="result-1", info=info)
    assert fitted.data is data
    assert fitted == FittedImage(
        data=data,
        filename="result-1.png",
        format="png",
        width=40,
        height=30,
        original_bytes=len(data),
        changed=False,
        note=None,
    )


async def test_fit_without_info_reads_only_the_header() -> None:
    """Under the limit without info, the same bytes come back, described from the header."""
    data = encode(solid((40, 30)), "JPEG")
    fitted = await fit_to_limit(data, limit=10_000_000)
    assert fitted.data is data
    assert (fitted.filename, fitted.format, fitted.width, fitted.height) == (
        "image.jpg",
        "jpeg",
        40,
        30,
    )


async def test_fit_big_noisy_image_under_limit_and_reports_true_size() -> None:
    """A noisy PNG far over the limit comes back under it, decodable, with its real size."""
    data = encode(noise((900, 600)), "PNG", compress_level=1)
    limit = 150 * 1024
    fitted = await fit_to_limit(data, limit=limit, basename="out")
    assert fitted.changed and len(fitted.data) <= limit
    assert fitted.original_bytes == len(data)
    im = opened(fitted.data)
    assert im.size == (fitted.width, fitted.height)
    assert im.format.lower() == fitted.format
    assert fitted.width < 900 and fitted.width / fitted.height == pytest.approx(1.5, abs=0.01)
    assert fitted.filename == f"out.{'jpg' if fitted.format == 'jpeg' else 'webp'}"
    assert fitted.note and "scaled to" in fitted.note and "150 KB upload limit" in fitted.note


async def test_fit_reencodes_at_full_size_when_that_is_enough() -> None:
    """When re-encoding alone fits, the size is kept and the note says how it was re-encoded."""
    data = encode(noise((400, 300)), "PNG", compress_level=0)
    fitted = await fit_to_limit(data, limit=len(data) // 2)
    assert len(fitted.data) <= len(data) // 2
    assert (fitted.width, fitted.height) == (400, 300)
    assert fitted.note and fitted.note.startswith("re-encoded as ")


async def test_fit_keeps_transparency_in_webp() -> None:
    """A transparent PNG is fitted as WebP with its alpha intact, never flattened to JPEG."""
    data = encode(noise_with_hole((600, 400)), "PNG")
    fitted = await fit_to_limit(data, limit=120 * 1024)
    assert len(fitted.data) <= 120 * 1024
    assert fitted.format == "webp"
    im = opened(fitted.data)
    assert im.mode == "RGBA"
    assert im.getpixel((2, 2))[3] == 0  # the transparent half stayed transparent
    assert im.getpixel((im.width - 3, 2))[3] == 255


async def test_fit_never_returns_more_than_an_impossible_limit() -> None:
    """A limit too tiny for any image raises InvalidImage instead of returning too much."""
    data = encode(noise((200, 200)), "PNG")
    with pytest.raises(InvalidImage) as caught:
        await fit_to_limit(data, limit=20)
    assert caught.value.reason == "cannot_fit"


async def test_fit_refuses_garbage_over_the_limit() -> None:
    """Bytes that are not an image raise InvalidImage rather than being uploaded."""
    with pytest.raises(InvalidImage):
        await fit_to_limit(b"not an image" * 100, limit=10)


async def test_fit_does_not_block_the_event_loop() -> None:
    """A ticker keeps ticking while fit_to_limit re-encodes a big image in a worker thread."""
    # Transparent, so that it takes the slow WebP path (an opaque one fits as JPEG in ~0.1 s).
    data = encode(noise((1600, 1200), "RGBA"), "PNG", compress_level=1)
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.005)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)  # the ticker has ticked once
    started = time.perf_counter()
    fitted = await fit_to_limit(data, limit=200 * 1024)
    ended = time.perf_counter()
    task.cancel()
    elapsed = ended - started
    moments = [*ticks, ended]
    longest = max(b - a for a, b in itertools.pairwise(moments))
    assert len(fitted.data) <= 200 * 1024
    assert elapsed > 0.2, "the work must take long enough for the test to mean something"
    assert longest < max(0.1, elapsed / 4), f"loop stalled {longest:.3f}s of {elapsed:.3f}s"


# --------------------------------------------------------------------------- previews


async def test_make_preview_is_small_webp() -> None:
    """A preview of a big noisy image is a WebP of at most 512 px a side and under 100 KB."""
    data = encode(noise((1800, 1200)), "PNG", compress_level=1)
    preview = await make_preview(data)
    assert len(preview) <= images.PREVIEW_TARGET_BYTES
    im = opened(preview)
    assert im.format == "WEBP" and max(im.size) <= 512 and im.size[0] == 512


async def test_make_preview_keeps_alpha_and_refuses_garbage() -> None:
    """A transparent source previews with alpha; bytes that are not an image raise InvalidImage."""
    preview = await make_preview(encode(noise_with_hole((300, 200)), "PNG"), max_side=100)
    im = opened(preview)
    assert im.mode == "RGBA" and im.size == (100, 67)
    with pytest.raises(InvalidImage):
        await make_preview(b"garbage")
