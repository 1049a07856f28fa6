"""Bad input through the fake Discord: refused privately, before any API call and before any job exists."""

from __future__ import annotations

import io
import random
import struct
import zlib
from typing import Any

import pytest
from PIL import Image

from tests.e2e.conftest import ephemeral_text
from tests.fakes.imagegen import make_image, truncate

MB = 1024 * 1024


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(side: int = 20_000) -> bytes:
    """A few KB of valid PNG that would decode to ``side * side`` pixels."""
    row = b"\x00" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row * 100) for _ in range(side // 100)]
    parts.append(packer.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


def encode(im: Image.Image, fmt: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def mask_png(width: int, height: int) -> bytes:
    """A valid mask: RGBA with a transparent top-left quarter."""
    im = Image.new("RGBA", (width, height), (0, 0, 0, 255))
    im.paste((0, 0, 0, 0), (0, 0, width // 2, height // 2))
    return encode(im, "PNG")


def big_mask_png(side: int = 1100) -> bytes:
    """An incompressible RGBA PNG of about 4.6 MB: over the 4 MB mask limit."""
    data = random.Random(7).randbytes(side * side * 4)
    return encode(Image.frombytes("RGBA", (side, side), data), "PNG", compress_level=0)


PHOTO = (96, 64)


def photo() -> bytes:
    return make_image(*PHOTO, fmt="png")


# Each row: command, options, attachments as {option: (filename, bytes, content_type or None, declared size or None)},
# and the fragments the private refusal must contain.
CASES = [
    pytest.param("generate", {"prompt": "   "}, {}, ["prompt is empty"], id="whitespace-prompt"),
    pytest.param("generate", {"prompt": "a cat", "model": "gpt-image-2", "size": "3088x1024"}, {},
                 ["at most 3:1"], id="over-3-to-1"),
    pytest.param("generate", {"prompt": "a cat", "model": "gpt-image-2", "size": "800x800"}, {},
                 ["at least 655,360 pixels"], id="under-pixel-range"),
    pytest.param("generate", {"prompt": "a cat", "background": "transparent", "output_format": "jpeg"}, {},
                 ["transparent background needs PNG or WebP"], id="transparent-jpeg"),
    pytest.param("generate", {"prompt": "a cat", "model": "gpt-image-2", "background": "transparent"}, {},
                 ["does not take background `transparent`"], id="transparent-unsupported"),
    pytest.param("generate", {"prompt": "a cat", "model": "gemini-2.5-flash-image", "n": 2}, {},
                 ["makes one image per request"], id="n-out-of-range"),
    pytest.param("edit", {"prompt": "snow", "size": "2048x2048"}, {"image": ("photo.png", photo, None, None)},
                 ["gpt-image-1.5-plus cannot make 2048x2048"], id="edit-size-off-grid"),
    pytest.param("edit", {"prompt": "snow"},
                 {"image": ("photo.png", lambda: b"Just some notes, renamed to .png\n" * 30, None, None)},
                 ["`photo.png` is not an image"], id="renamed-text-file"),
    pytest.param("edit", {"prompt": "snow"}, {"image": ("notes.txt", lambda: b"hello " * 50, None, None)},
                 ["`notes.txt` is not an image", "text/plain"], id="text-attachment"),
    pytest.param("edit", {"prompt": "snow"},
                 {"image": ("anim.gif", lambda: encode(Image.new("P", (32, 32), 1), "GIF"), None, None)},
                 ["`anim.gif` is not a PNG, JPEG or WebP image", "GIF"], id="gif"),
    pytest.param("edit", {"prompt": "snow"},
                 {"image": ("cut.png", lambda: truncate(make_image(256, 256, fmt="png")), None, None)},
                 ["`cut.png` is truncated or damaged"], id="truncated-png"),
    pytest.param("edit", {"prompt": "snow"}, {"image": ("bomb.png", bomb_png, None, None)},
                 ["`bomb.png` is too large to open safely"], id="decompression-bomb"),
    pytest.param("edit", {"prompt": "snow"}, {"image": ("huge.png", photo, "image/png", 60 * MB)},
                 ["`huge.png` is 60 MB", "under 50 MB"], id="60mb-declared"),
    pytest.param("edit", {"prompt": "snow"},
                 {"image": ("photo.png", photo, None, None), "mask": ("mask.png", big_mask_png, None, None)},
                 ["`mask.png` is", "masks must be under 4 MB"], id="oversized-mask"),
    pytest.param("edit", {"prompt": "snow"},
                 {"image": ("photo.png", photo, None, None),
                  "mask": ("mask.png", lambda: mask_png(32, 32), None, None)},
                 ["`mask.png` is 32x32 but the image is 96x64", "same size"], id="mask-wrong-size"),
    pytest.param("edit", {"prompt": "snow"},
                 {"image": ("photo.png", photo, None, None),
                  "mask": ("mask.jpg", lambda: encode(Image.new("RGB", PHOTO), "JPEG"), None, None)},
                 ["`mask.jpg` is a JPEG", "a mask must be a PNG"], id="mask-wrong-format"),
]


#: Rows refused from Discord's attachment metadata alone: the file is never downloaded.
METADATA_REFUSALS = {"text-attachment", "60mb-declared", "oversized-mask"}


@pytest.mark.parametrize(("command", "options", "files", "fragments"), CASES)
async def test_bad_input_is_refused_privately_before_any_api_call(
    command, options, files, fragments, start_bot, discord_fake, gptproto, request
):
    """A bad request gets a private sentence naming the problem; no API request is made and no job is stored."""
    request_id = request.node.callspec.id
    running = await start_bot()
    attachments = {}
    for option, (filename, make, content_type, declared) in files.items():
        payload = discord_fake.add_attachment(make(), filename, content_type)
        if declared is not None:
            payload["size"] = declared  # what Discord says about the file, before anything is downloaded
        attachments[option] = payload
    interaction = await discord_fake.slash(command, options, attachments=attachments or None)
    await interaction.wait_for(lambda i: ephemeral_text(i) is not None, timeout=10)

    text = ephemeral_text(interaction)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in {text!r}"
    visible = [m for m in interaction.messages if not m.ephemeral and not m.deleted]
    assert not visible, f"a public message was left behind: {[(m.content, m.embeds) for m in visible]}"
    assert gptproto.requests == [], "nothing was sent to the API"
    if request_id in METADATA_REFUSALS:
        downloads = [path for method, path in discord_fake.requests if path.startswith("/attachments/")]
        assert downloads == [], "refused from Discord's metadata, so nothing was downloaded"
    assert await running.db.fetchall("SELECT id FROM jobs") == [], "no job, so nothing reserved"
    assert not discord_fake.internal_errors
