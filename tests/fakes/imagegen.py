"""Real, quickly made image bytes for the test fakes.

Everything here is synchronous Pillow work; the fake servers call it through
``asyncio.to_thread`` so that the event loop they share with the bot under test keeps running,
except :func:`cached_image`, which never renders and is meant for the event loop itself.

The pictures are deliberately cheap: a coarse colour gradient (16-pixel blocks, enlarged with
NEAREST so that PNG's row filters and zlib squeeze it fast) plus a few solid shapes, all chosen
from a seed, so two prompts give visibly different images. A 3840x2160 PNG takes well under a
quarter of a second. ``noisy=True`` adds incompressible noise for tests that need big files
(fitting results into Discord's upload limit).
"""

from __future__ import annotations

import hashlib
import io
import random
import threading
import zlib
from collections import OrderedDict
from typing import Any

from PIL import Image, ImageDraw

#: output_format name -> Pillow format name
PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "jpg": "JPEG", "webp": "WEBP"}
#: output_format name -> MIME type
MIME_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "webp": "image/webp"}

#: Bytes that are certainly not an image (used by the ``not_image`` fault).
NOT_IMAGE_BYTES = b"This is plain text, not an image. " * 8

_BLOCK = 16  # side of the gradient blocks, in pixels


def seed_for(*parts: object) -> int:
    """A stable 63-bit seed from any printable parts (``hash()`` is salted per process)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def tint_color(seed: int) -> tuple[int, int, int]:
    """The colour an edit made with ``seed`` is tinted with (tests can look for it)."""
    rnd = random.Random(seed ^ 0x5EED)
    return (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))


def render(width: int, height: int, *, seed: int, alpha: bool = False,
           noisy: bool = False) -> Image.Image:
    """Draw exactly ``width`` x ``height``: RGB, or RGBA with a transparent background."""
    rnd = random.Random(seed)
    sw, sh = max(1, -(-width // _BLOCK)), max(1, -(-height // _BLOCK))
    linear = Image.linear_gradient("L")
    channels = [
        linear.rotate(rnd.randrange(360)).resize((sw, sh)),
        Image.radial_gradient("L").resize((sw, sh)),
        linear.rotate(rnd.randrange(360)).resize((sw, sh)),
    ]
    rnd.shuffle(channels)
    img = Image.merge("RGB", channels).resize((width, height), Image.Resampling.NEAREST)
    if noisy:
        noise = Image.effect_noise((width, height), 64).convert("RGB")
        img = Image.blend(img, noise, 0.5)
    shapes = Image.new("L", (width, height), 0) if alpha else None
    draw = ImageDraw.Draw(img)
    mask_draw = ImageDraw.Draw(shapes) if shapes is not None else None
    for i in range(4):
        x0, y0 = rnd.randrange(width), rnd.randrange(height)
        box = [x0, y0, x0 + max(1, width // 4), y0 + max(1, height // 4)]
        fill = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        if i % 2:
            draw.ellipse(box, fill=fill)
            if mask_draw is not None:
                mask_draw.ellipse(box, fill=255)
        else:
            draw.rectangle(box, fill=fill)
            if mask_draw is not None:
                mask_draw.rectangle(box, fill=255)
    if shapes is not None:
        # Transparent background, opaque subject in the middle and the shapes.
        mask_draw.ellipse([width // 4, height // 4, 3 * width // 4, 3 * height // 4], fill=255)
        img.putalpha(shapes)
    return img


def encode(img: Image.Image, fmt: str = "png", *, quality: int | None = None) -> bytes:
    """Encode with low effort: PNG zlib level 1 (RLE), WebP method 0, JPEG as asked (default 90)."""
    fmt = fmt.lower()
    pil = PILLOW_FORMATS[fmt]
    buf = io.BytesIO()
    if pil == "PNG":
        img.save(buf, "PNG", compress_level=1, compress_type=zlib.Z_RLE)
    elif pil == "JPEG":
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        img.save(buf, "JPEG", quality=90 if quality is None else max(1, min(100, quality)))
    else:
        img.save(buf, "WEBP", quality=80 if quality is None else max(1, min(100, quality)),
                 method=0)
    return buf.getvalue()


_CACHE_BYTES = 96 * 1024 * 1024
_cache: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
_cache_size = 0
_cache_lock = threading.Lock()


def cached_image(width: int, height: int, *, seed: int = 0, fmt: str = "png", alpha: bool = False,
                 quality: int | None = None, noisy: bool = False) -> bytes | None:
    """What :func:`make_image` would return, if it is cached already; else ``None`` (never renders).

    Cheap enough for an event loop: a caller skips the thread that rendering would need. Safe
    to call while other threads render.
    """
    key = (width, height, seed, fmt, alpha, quality, noisy)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    return None


def make_image(width: int, height: int, *, seed: int = 0, fmt: str = "png", alpha: bool = False,
               quality: int | None = None, noisy: bool = False) -> bytes:
    """Encoded bytes of :func:`render`.

    Cached by every argument (least recently used first out, at most 96 MB in all), so a
    repeated request costs nothing. Safe to call from several threads.
    """
    global _cache_size
    known = cached_image(width, height, seed=seed, fmt=fmt, alpha=alpha, quality=quality, noisy=noisy)
    if known is not None:
        return known
    key = (width, height, seed, fmt, alpha, quality, noisy)
    data = encode(render(width, height, seed=seed, alpha=alpha, noisy=noisy), fmt,
                  quality=quality)
    with _cache_lock:
        if key not in _cache and len(data) <= _CACHE_BYTES // 4:
            _cache[key] = data
            _cache_size += len(data)
            while _cache_size > _CACHE_BYTES:
                _, old = _cache.popitem(last=False)
                _cache_size -= len(old)
    return data


def make_partial(data: bytes, *, index: int, fmt: str = "png") -> bytes:
    """A coarser version of the final image ``data`` (partial ``index`` 0 is the coarsest).

    The image is shrunk by 64, 32 or 16 and blown up again, so it has the final size and
    mode but much less detail, like a provider's preview.
    """
    with Image.open(io.BytesIO(data)) as src:
        src.load()
        factor = max(4, 64 >> index)
        small = src.reduce(min(factor, max(1, min(src.size))))
        coarse = small.resize(src.size, Image.Resampling.NEAREST)
    return encode(coarse, fmt)


def derive_edit(inputs: list[bytes], width: int, height: int, *, seed: int, fmt: str = "png",
                alpha: bool = False, mask: bytes | None = None) -> bytes:
    """An "edited" image: the first input resized to the target size and tinted.

    The tint colour is :func:`tint_color` of ``seed`` blended at 35 %; further inputs appear
    as thumbnails along the bottom edge; with a ``mask`` only its transparent pixels are
    tinted (as the docs describe masks). The result is RGBA when ``alpha`` is set.
    """
    with Image.open(io.BytesIO(inputs[0])) as first:
        first.load()
        src_alpha = first.getchannel("A") if "A" in first.getbands() else None
        base = first.convert("RGB").resize((width, height), Image.Resampling.BILINEAR)
    tinted = Image.blend(base, Image.new("RGB", (width, height), tint_color(seed)), 0.35)
    if mask is not None:
        with Image.open(io.BytesIO(mask)) as m:
            m.load()
            editable = (m.getchannel("A") if "A" in m.getbands() else m.convert("L"))
            editable = editable.resize((width, height)).point(lambda v: 255 if v == 0 else 0)
        tinted = Image.composite(tinted, base, editable)
    thumb_side = max(1, min(width, height) // 5)
    for i, extra in enumerate(inputs[1:]):
        with Image.open(io.BytesIO(extra)) as other:
            thumb = other.convert("RGB").resize((thumb_side, thumb_side))
        tinted.paste(thumb, (i * thumb_side % max(1, width), height - thumb_side))
    if alpha:
        a = src_alpha.resize((width, height)) if src_alpha is not None else None
        tinted.putalpha(a if a is not None else Image.new("L", (width, height), 255))
    return encode(tinted, fmt)


def describe(data: bytes) -> tuple[str, tuple[int, int], str]:
    """(Pillow format, (width, height), mode) of encoded image bytes; raises if not an image."""
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        return img.format, img.size, img.mode


def truncate(data: bytes) -> bytes:
    """The first half of ``data``: a header that parses, pixel data that cannot be decoded."""
    return data[: max(16, len(data) // 2)]
