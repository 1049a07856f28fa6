"""Attachment checks and fitting results into Discord's upload limit, with Pillow, off the loop.

Every public coroutine does its Pillow work in :func:`asyncio.to_thread`, so a 4K image never
stalls the gateway heartbeat, and decodes each image at most once: formats are recognised by
their bytes (never by the file name), the header is read first so that the cheap refusals
(format, pixel count, size of a mask, alpha) happen before any pixel is decoded, and only then
is the image decoded completely (a truncated file is refused). An API result is not decoded just
to be checked: a PNG's chunks are verified (every CRC, up to IEND), a JPEG is decoded at 1/8 scale;
one over the upload limit is decoded once, by the fit that re-encodes it (:func:`fit_result`).

Decompression bombs are refused by our own per-call pixel limit (:data:`MAX_PIXELS`), checked
on the header before decoding; Pillow's global ``Image.MAX_IMAGE_PIXELS`` is left alone, and its
``DecompressionBombError`` (or the warning, when warnings are turned into errors) is treated as
the same refusal.

Decoding works are bounded per event loop (:data:`IMAGE_WORK_SLOTS` at once) so that many jobs
finishing together cannot hold dozens of decoded 4K images in memory at the same time.

Attachments to edit are downloaded from Discord here too (:func:`check_sources`), with a
timeout, so that no cog talks HTTP.

Long because every rule about image bytes (formats, limits, masks, fitting, previews) lives in one
place, each refusal beside the check that makes it; split it when a second reason to change appears.
"""

from __future__ import annotations

import asyncio
import io
import math
import os
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import aiohttp
import discord
from PIL import Image, ImageOps, UnidentifiedImageError

from bot.errors import AttachmentError
from bot.i18n import Msg

__all__ = [
    "IMAGE_WORK_SLOTS",
    "MAX_INPUT_BYTES",
    "MAX_INPUT_IMAGES",
    "MAX_MASK_BYTES",
    "MAX_PIXELS",
    "PREVIEW_FILENAME",
    "PREVIEW_FORMAT",
    "PREVIEW_TARGET_BYTES",
    "FittedImage",
    "ImageInfo",
    "InvalidImage",
    "Source",
    "check_attachment_meta",
    "check_metadata",
    "check_sources",
    "decode_result",
    "fit_result",
    "fit_to_limit",
    "format_bytes",
    "inspect_attachment",
    "inspect_mask",
    "looks_like_image",
    "make_preview",
]

MAX_INPUT_BYTES = 50 * 1024 * 1024
"""An input image must be under this many bytes (the provider's "< 50 MB")."""
MAX_MASK_BYTES = 4 * 1024 * 1024
"""A mask must be under this many bytes (the provider's "< 4 MB")."""
MAX_INPUT_IMAGES = 16
"""At most this many input images per edit (the provider's limit)."""
MAX_PIXELS = 8_294_400 * 4
"""Largest pixel count we decode (4x the biggest gpt-image-2 output); more is refused unopened."""

PREVIEW_FORMAT = "webp"
"""Format of :func:`make_preview` output (WebP keeps transparency and stays small)."""
PREVIEW_FILENAME = "preview.webp"
"""A file name that matches :data:`PREVIEW_FORMAT`, for uploading a preview."""
PREVIEW_TARGET_BYTES = 100 * 1024
""":func:`make_preview` lowers quality, then size, until its output is at most this big."""

IMAGE_WORK_SLOTS = max(1, min(4, os.cpu_count() or 1))
"""How many decodes/re-encodes run at once per event loop (bounds memory and CPU)."""

# Encoder settings, chosen by measurement on a 2-core machine (3840x2160):
# lossy WebP method 2 is about twice as fast as method 4 for the same size; lossless WebP only
# pays off when the PNG is close to the limit, so it is tried only then. For opaque images JPEG
# quality 95 without chroma subsampling comes first: on a noisy 4K PNG it is both more faithful
# than WebP quality 90 (PSNR 42.2 against 39.3 dB; WebP always halves the chroma) and ~14x
# faster (0.08 against 1.1 s), for 5.4 MB against 3.8 MB, far under a 10 MB limit.
_WEBP_METHOD = 2
_WEBP_LOSSLESS = {"lossless": True, "method": 2, "quality": 30}
_LOSSLESS_MAX_RATIO = 1.3  # try lossless WebP only when the PNG is at most 1.3x the limit
_JPEG_FULL_CHROMA = 95  # from this JPEG quality on, keep every chroma sample (4:4:4)
# An attempt is skipped when the one before it, times the smallest ratio seen between the two
# (noise, photos and flat drawings measured), is still over the limit: it cannot fit either.
_MIN_RATIO = {(("jpeg", 95), ("webp", 90)): 0.5, (("jpeg", 95), ("webp", 80)): 0.3,
              (("webp", 90), ("webp", 80)): 0.55}
_SCALE_STEP = 0.8  # each scaling step shrinks each side by at least this factor
_WEBP_MAX_SIDE = 16383
_MIN_SIDE = 16  # below this, give up scaling

_MAGIC_ACCEPTED = ("png", "jpeg", "webp")
_PIL_FORMAT = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
_MIME = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
_EXTENSION = {"png": "png", "jpeg": "jpg", "webp": "webp"}
_LABEL = {"png": "PNG", "jpeg": "JPEG", "webp": "WebP"}
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})

T = TypeVar("T")


# --------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class ImageInfo:
    """What we learned about an image from its bytes.

    ``format`` is ``"png"``, ``"jpeg"`` or ``"webp"``; ``has_alpha`` is true when the image can
    hold transparency (an alpha band, or a palette/colour key with ``transparency``);
    ``size_bytes`` is the length of the encoded data.
    """

    format: str
    width: int
    height: int
    has_alpha: bool
    size_bytes: int

    @property
    def mime(self) -> str:
        """The MIME type, e.g. ``"image/png"``."""
        return _MIME[self.format]

    @property
    def extension(self) -> str:
        """The usual file extension without a dot: ``"png"``, ``"jpg"`` or ``"webp"``."""
        return _EXTENSION[self.format]

    @property
    def pixels(self) -> int:
        """``width * height``."""
        return self.width * self.height


@dataclass(frozen=True)
class FittedImage:
    """An image ready to upload, at most the limit it was fitted to.

    ``changed`` is false when ``data`` is the very bytes object that was passed in. ``note`` says
    what was done for the member (e.g. "re-encoded as WebP (quality 90) to fit the 10 MB upload
    limit", "scaled to 2880x1620 and saved as WebP to fit the 10 MB upload limit"), or is None.
    """

    data: bytes
    filename: str
    format: str
    width: int
    height: int
    original_bytes: int
    changed: bool
    note: str | None
    note_msg: Msg | None = None
    """``note`` as a message of the catalogues, shown in the member's language."""


class InvalidImage(ValueError):
    """Bytes that are not a usable image; ``reason`` is a short code, str() says why.

    Reasons: ``"empty"``, ``"not_image"``, ``"unsupported_format"``, ``"too_many_pixels"``,
    ``"damaged"``, ``"cannot_fit"``. The caller turns it into a sentence for the member.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# --------------------------------------------------------------------------- helpers


def format_bytes(n: int) -> str:
    """Format a byte count for people, in binary units: ``"812 KB"``, ``"61.2 MB"``.

    Whole numbers drop their decimal ("50 MB", so ``MAX_INPUT_BYTES`` reads as the provider's
    "50 MB").
    """
    n = max(0, int(n))
    if n < 1024:
        return f"{n} byte{'s' if n != 1 else ''}"
    kb = n / 1024
    if round(kb) < 1024:
        return f"{round(kb)} KB"
    for unit in ("MB", "GB", "TB"):
        kb /= 1024
        value = round(kb, 1)
        if value < 1024 or unit == "TB":
            text = f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def _quote(name: str) -> str | Msg:
    """Show an attachment name safely inside a Discord message (in backticks, bounded)."""
    clean = (name or "").replace("`", "'").replace("\n", " ").strip()
    if not clean:
        return Msg("attachment-unnamed")
    if len(clean) > 80:
        clean = clean[:77] + "..."
    return f"`{clean}`"


def _too_big(name: str, size: int, max_bytes: int, what: str) -> AttachmentError:
    shown, limit = format_bytes(size), format_bytes(max_bytes)
    args = {"name": _quote(name), "size": shown, "limit": limit, "what": what}
    if shown == limit and size > max_bytes:
        return AttachmentError(msg_id="attachment-just-too-big", args=args)
    return AttachmentError(msg_id="attachment-too-big", args=args)


def _sniff(data: bytes) -> str | None:
    """Recognise a format by its first bytes (never by name). Returns a lower-case label."""
    head = data[:32]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:2] == b"BM":
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return "HEIC"
    if head[:4] == b"\x00\x00\x01\x00":
        return "ICO"
    return None


def _has_alpha(im: Image.Image) -> bool:
    return im.mode in _ALPHA_MODES or "transparency" in im.info


def _open(data: bytes, *, allowed: tuple[str, ...] = _MAGIC_ACCEPTED) -> tuple[str, Image.Image]:
    """Identify ``data`` by its bytes and open it lazily (header only, no pixels decoded).

    Raises :class:`InvalidImage` for empty data, unknown or unsupported formats, and images over
    :data:`MAX_PIXELS`.
    """
    if not data:
        raise InvalidImage("empty", "the file is empty")
    kind = _sniff(data)
    if kind is None:
        raise InvalidImage("not_image", "its bytes are not PNG, JPEG or WebP")
    if kind not in allowed:
        label = _LABEL.get(kind, kind)
        raise InvalidImage("unsupported_format", f"it is a {label} image")
    try:
        im = Image.open(io.BytesIO(data), formats=[_PIL_FORMAT[kind]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        match = re.search(r"\((\d+) pixels\)", str(exc))
        count = f"{int(match.group(1)):,} pixels" if match else "too many pixels"
        raise InvalidImage("too_many_pixels", f"{count}; the limit is {MAX_PIXELS:,}") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InvalidImage("damaged", f"the {_LABEL[kind]} data is damaged") from exc
    width, height = im.size
    if width < 1 or height < 1:
        im.close()
        raise InvalidImage("damaged", f"the {_LABEL[kind]} data is damaged")
    if width * height > MAX_PIXELS:
        im.close()
        raise InvalidImage(
            "too_many_pixels",
            f"{width}x{height} = {width * height:,} pixels; the limit is {MAX_PIXELS:,}",
        )
    return kind, im


def _load(im: Image.Image, kind: str) -> None:
    """Decode every pixel, refusing truncated or damaged data."""
    try:
        im.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise InvalidImage("damaged", f"the {_LABEL[kind]} data is truncated or damaged") from exc


def _info(kind: str, im: Image.Image, size_bytes: int) -> ImageInfo:
    return ImageInfo(
        format=kind,
        width=im.width,
        height=im.height,
        has_alpha=_has_alpha(im),
        size_bytes=size_bytes,
    )


def _decode_info(data: bytes, allowed: tuple[str, ...] = _MAGIC_ACCEPTED) -> ImageInfo:
    """Open, check and fully decode ``data`` once; return what it is. Runs in a worker thread."""
    kind, im = _open(data, allowed=allowed)
    with im:
        _load(im, kind)
        return _info(kind, im, len(data))


def _check_info(data: bytes) -> ImageInfo:
    """Open and check ``data`` for completeness as cheaply as its format allows; runs in a thread.

    PNG: every chunk's CRC is checked up to IEND, nothing is decompressed (0.06 ms for a 1024²
    result against 15 ms for a full decode). JPEG: decoded at 1/8 scale, which still reads every
    entropy-coded byte, so a cut file is refused. WebP (rare from the API): decoded completely.
    """
    kind, im = _open(data)
    with im:
        info = _info(kind, im, len(data))  # before ``draft``, which changes the size
        try:
            if kind == "png":
                im.verify()
            else:
                if kind == "jpeg":
                    im.draft(im.mode, (max(1, im.width // 8), max(1, im.height // 8)))
                im.load()
        except MemoryError:
            raise
        except Exception as exc:  # whatever Pillow raises on bad bytes, it is the same refusal
            raise InvalidImage("damaged", f"the {_LABEL[kind]} data is truncated or damaged") from exc
    return info


_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


async def _run(func: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Run Pillow work in a thread, at most :data:`IMAGE_WORK_SLOTS` at once on this loop."""
    loop = asyncio.get_running_loop()
    slots = _slots.get(loop)
    if slots is None:
        slots = _slots[loop] = asyncio.Semaphore(IMAGE_WORK_SLOTS)
    async with slots:
        return await asyncio.to_thread(func, *args, **kwargs)


def _attachment_error(exc: InvalidImage, name: str) -> AttachmentError:
    msg_id = {"empty": "attachment-empty", "not_image": "attachment-not-image",
              "unsupported_format": "attachment-unsupported-format",
              "too_many_pixels": "attachment-too-many-pixels"}.get(exc.reason, "attachment-damaged")
    return AttachmentError(msg_id=msg_id, args={"name": _quote(name), "detail": str(exc)},
                           admin_detail=f"{name!r}: {exc.reason}: {exc}")


# --------------------------------------------------------------------------- attachments


def check_attachment_meta(
    *, name: str, size: int, content_type: str | None, max_bytes: int = MAX_INPUT_BYTES,
    kind: str = "images",
) -> None:
    """Refuse an attachment from Discord's metadata alone, before downloading it.

    Refuses a size of zero or of ``max_bytes`` or more, and a ``content_type`` that is present
    and clearly not an image (not ``image/*``; ``application/octet-stream`` is let through). The
    bytes are checked properly by :func:`inspect_attachment` after download. Raises
    :class:`~bot.errors.AttachmentError`.
    """
    if size <= 0:
        raise AttachmentError(msg_id="attachment-empty", args={"name": _quote(name)})
    if size >= max_bytes:
        raise _too_big(name, size, max_bytes, kind)
    if content_type:
        mime = content_type.split(";", 1)[0].strip().lower()
        if mime and not mime.startswith("image/") and mime != "application/octet-stream":
            raise AttachmentError(msg_id="attachment-wrong-type", args={"name": _quote(name), "mime": mime})


async def inspect_attachment(
    data: bytes, *, name: str, max_bytes: int = MAX_INPUT_BYTES
) -> ImageInfo:
    """Check a downloaded attachment is an image the API takes, and describe it.

    Judged by its bytes, never its name: PNG, JPEG or WebP only; under ``max_bytes``; at most
    :data:`MAX_PIXELS` pixels (checked on the header, before decoding); and completely decodable
    (a truncated file is refused). Decodes once, in a worker thread. Raises
    :class:`~bot.errors.AttachmentError` whose sentence names ``name`` and the rule broken.
    """
    if not data:
        raise AttachmentError(msg_id="attachment-empty", args={"name": _quote(name)})
    if len(data) >= max_bytes:
        raise _too_big(name, len(data), max_bytes, "images")
    if _sniff(data) is None:  # cheap, no thread needed: a renamed text file stops here
        raise _attachment_error(InvalidImage("not_image", "unknown bytes"), name)
    try:
        return await _run(_decode_info, data)
    except InvalidImage as exc:
        raise _attachment_error(exc, name) from exc


def _inspect_mask_sync(data: bytes, name: str, image: ImageInfo) -> ImageInfo:
    who = _quote(name)
    kind = _sniff(data)
    if kind != "png":
        if kind is None:
            raise AttachmentError(msg_id="mask-not-image", args={"name": who})
        raise AttachmentError(msg_id="mask-not-png", args={"name": who, "format": _LABEL.get(kind, kind)})
    try:
        kind, im = _open(data, allowed=("png",))
    except InvalidImage as exc:
        raise _attachment_error(exc, name) from exc
    with im:
        if im.size != (image.width, image.height):
            raise AttachmentError(msg_id="mask-wrong-size", args={
                "name": who, "size": f"{im.width}x{im.height}", "image_size": f"{image.width}x{image.height}"})
        if not _has_alpha(im):
            raise AttachmentError(msg_id="mask-no-alpha", args={"name": who, "mode": im.mode})
        try:
            _load(im, kind)
        except InvalidImage as exc:
            raise _attachment_error(exc, name) from exc
        if _alpha_min(im) >= 255:
            raise AttachmentError(msg_id="mask-opaque", args={"name": who})
        return _info(kind, im, len(data))


def _alpha_min(im: Image.Image) -> int:
    """The smallest alpha value in a decoded image that has transparency."""
    if im.mode in _ALPHA_MODES:
        alpha = im.getchannel(im.mode[-1])
        return int(alpha.getextrema()[0])
    with im.convert("RGBA") as rgba:
        return int(rgba.getchannel("A").getextrema()[0])


async def inspect_mask(
    data: bytes, *, name: str, image: ImageInfo, max_bytes: int = MAX_MASK_BYTES
) -> ImageInfo:
    """Check an edit mask against the rules of the API, and describe it.

    The mask must be a PNG (by its bytes), under ``max_bytes`` (4 MB), exactly
    ``image.width`` x ``image.height``, have transparency (RGBA, LA, or a palette/colour key
    with transparency), decode completely, and have at least one pixel that is not fully opaque
    (otherwise it marks nothing to edit). Size, format, dimensions and alpha are checked on the
    header before decoding; decodes once, in a worker thread. Raises
    :class:`~bot.errors.AttachmentError` naming the mask and the rule.
    """
    if not data:
        raise AttachmentError(msg_id="attachment-empty", args={"name": _quote(name)})
    if len(data) >= max_bytes:
        raise _too_big(name, len(data), max_bytes, "masks")
    return await _run(_inspect_mask_sync, data, name, image)


# --------------------------------------------------------------------------- results


async def decode_result(data: bytes) -> ImageInfo:
    """Verify that an API result is a real, complete PNG, JPEG or WebP image, and describe it.

    Without decoding every pixel where the format allows (see :func:`_check_info`), in a worker
    thread. Raises :class:`InvalidImage` (a ``ValueError``) with a ``reason`` when it is empty,
    not an image, another format, over :data:`MAX_PIXELS`, or truncated/damaged.
    """
    if not data:
        raise InvalidImage("empty", "the image is empty")
    return await _run(_check_info, data)


async def fit_result(data: bytes, *, limit: int, basename: str = "image") -> FittedImage:
    """Check an API result and fit it into ``limit`` bytes, decoding it at most once.

    An image within the limit is checked as :func:`decode_result` does and comes back as it is;
    a larger one is decoded once, by the re-encoding of :func:`fit_to_limit`, and that decode is
    its check. Raises :class:`InvalidImage`: ``"cannot_fit"`` when a good image cannot be made
    small enough, any other reason when the bytes are not a usable image.
    """
    if len(data) <= limit:  # empty data included: decode_result refuses it
        return await fit_to_limit(data, limit=limit, basename=basename, info=await decode_result(data))
    return await fit_to_limit(data, limit=limit, basename=basename)


def _encode(im: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    icc = im.info.get("icc_profile")
    if icc:
        options.setdefault("icc_profile", icc)
    im.save(buffer, format=_PIL_FORMAT[fmt], **options)
    return buffer.getvalue()


def _prepare_for_encoding(im: Image.Image) -> tuple[Image.Image, bool]:
    """Turn a decoded image into RGB or RGBA; returns it and whether it has real transparency.

    An alpha channel that is opaque everywhere is dropped, so that JPEG is allowed and the
    encoders do less work. A JPEG's EXIF rotation is applied, since re-encoding drops EXIF.
    """
    if im.format == "JPEG" and im.getexif().get(0x0112, 1) != 1:
        im = ImageOps.exif_transpose(im)
    if _has_alpha(im):
        rgba = im if im.mode == "RGBA" else im.convert("RGBA")
        if rgba.getextrema()[3][0] < 255:
            return rgba, True
        return rgba.convert("RGB"), False
    return (im if im.mode == "RGB" else im.convert("RGB")), False


def _fit_sync(data: bytes, limit: int, basename: str) -> FittedImage:
    kind, opened = _open(data)
    _load(opened, kind)
    im, alpha = _prepare_for_encoding(opened)
    del opened  # the decoded source is only kept when ``im`` is the same object
    original = len(data)
    width, height = im.size
    limit_text = format_bytes(limit)

    def fitted(out: bytes, fmt: str, w: int, h: int, how: Msg) -> FittedImage:
        note = Msg(how.id, {**how.args, "limit": limit_text})
        return FittedImage(
            data=out,
            filename=f"{basename}.{_EXTENSION[fmt]}",
            format=fmt,
            width=w,
            height=h,
            original_bytes=original,
            changed=True,
            note=note.render("en"),
            note_msg=note,
        )

    # 1. Full size, from the most faithful encoding to the least. ``sizes`` remembers what each
    #    lossy encoder produced, to skip what cannot fit and to choose the encoder and the first
    #    scale of step 2.
    lossless = kind == "png" and original <= limit * _LOSSLESS_MAX_RATIO
    attempts: list[tuple[str, int | None]] = [("webp", None)] if lossless else []
    if not alpha:  # never flatten real transparency: a scaled-down WebP keeps it
        attempts.append(("jpeg", 95))
    attempts += [("webp", 90), ("webp", 80)]
    sizes: dict[tuple[str, int], int] = {}
    for fmt, quality in attempts:
        if fmt == "webp" and max(width, height) > _WEBP_MAX_SIDE:
            continue
        if any(sizes.get(before, 0) * ratio > limit for (before, after), ratio in _MIN_RATIO.items()
               if after == (fmt, quality)):
            continue  # predicted from the size before it: cannot fit, go on (or straight to scaling)
        try:
            out = _encode(im, fmt, **_encoder_options(fmt, quality))
        except (OSError, ValueError):
            continue
        if len(out) <= limit:
            how = (
                Msg("note-fit-lossless")
                if quality is None
                else Msg("note-fit-quality", {"format": _LABEL[fmt], "quality": quality})
            )
            return fitted(out, fmt, width, height, how)
        if quality is not None:
            sizes[(fmt, quality)] = len(out)
        del out

    # 2. Scale down with the lossy encoder that did best at full size, by at least
    #    ``_SCALE_STEP`` per side each time, further when the last size says it is needed
    #    (encoded size is roughly proportional to the pixel count).
    if sizes:
        (fmt, quality), last = min(sizes.items(), key=lambda item: item[1])
    else:  # nothing could be encoded at full size (e.g. too wide for WebP)
        fmt, quality, last = ("webp", 80, original) if alpha else ("jpeg", 90, original)
    options = _encoder_options(fmt, quality)
    factor = 1.0
    while True:
        factor *= min(_SCALE_STEP, math.sqrt(limit / max(last, 1)) * 0.97)
        if fmt == "webp":
            factor = min(factor, _WEBP_MAX_SIDE / max(width, height))
        w, h = max(1, round(width * factor)), max(1, round(height * factor))
        if max(w, h) < _MIN_SIDE:
            raise InvalidImage("cannot_fit", f"the image cannot be made smaller than {limit_text}")
        small = im.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
        out = _encode(small, fmt, **options)
        del small
        if len(out) <= limit:
            return fitted(out, fmt, w, h, Msg("note-fit-scaled", {"size": f"{w}x{h}", "format": _LABEL[fmt]}))
        last = len(out)
        del out


def _encoder_options(fmt: str, quality: int | None) -> dict[str, object]:
    """Encoder settings: ``quality=None`` means lossless (WebP only)."""
    if fmt == "jpeg":
        quality = quality or 90
        return {"quality": quality, "optimize": False, "subsampling": 0 if quality >= _JPEG_FULL_CHROMA else 2}
    if quality is None:
        return dict(_WEBP_LOSSLESS)
    return {"quality": quality, "method": _WEBP_METHOD}


async def fit_to_limit(
    data: bytes, *, limit: int, basename: str = "image", info: ImageInfo | None = None
) -> FittedImage:
    """Return the image as a file of at most ``limit`` bytes, re-encoding only when needed.

    When ``len(data) <= limit`` the very same bytes object comes back (``changed=False``),
    without decoding: ``info`` (from :func:`decode_result`) supplies format and size, or else
    only the header is read. Otherwise, in a worker thread and from one decode, in order: lossless
    WebP (PNG sources close enough to the limit for it to help), JPEG quality 95 without chroma
    subsampling (opaque images only: real transparency is never flattened), WebP quality 90, then
    80 (each skipped when the size before it says it cannot fit), then scaling down by at least
    0.8 per side per step with the encoder that did best, until it fits. The file name
    is ``basename`` plus the extension of the chosen format. Never returns more than ``limit``
    bytes; raises :class:`InvalidImage` when the data is not an image or cannot be made to fit.
    """
    if limit <= 0:
        raise InvalidImage("cannot_fit", f"the upload limit {limit} is not positive")
    if len(data) <= limit:
        if info is None:
            info = await asyncio.to_thread(_header_info, data)
        return FittedImage(
            data=data,
            filename=f"{basename}.{info.extension}",
            format=info.format,
            width=info.width,
            height=info.height,
            original_bytes=len(data),
            changed=False,
            note=None,
        )
    return await _run(_fit_sync, data, limit, basename)


def _header_info(data: bytes) -> ImageInfo:
    kind, im = _open(data)
    with im:
        return _info(kind, im, len(data))


# --------------------------------------------------------------------------- previews


def _preview_sync(data: bytes, max_side: int, quality: int) -> bytes:
    kind, im = _open(data)
    try:
        # ``thumbnail`` lets JPEG decode at 1/2..1/8 scale (draft) and reduces before
        # resampling, so a 4K source costs a fraction of a full decode.
        im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InvalidImage("damaged", f"the {_LABEL[kind]} data is truncated or damaged") from exc
    small = im.convert("RGBA" if _has_alpha(im) else "RGB")
    del im
    q = quality
    while True:
        out = _encode(small, "webp", quality=q, method=4)
        if len(out) <= PREVIEW_TARGET_BYTES or max(small.size) <= _MIN_SIDE:
            return out
        if q > 30:
            q = max(30, q - 20)
        else:
            w, h = max(1, round(small.width * 0.75)), max(1, round(small.height * 0.75))
            small = small.resize((w, h), Image.Resampling.LANCZOS)


async def make_preview(data: bytes, *, max_side: int = 512, quality: int = 70) -> bytes:
    """Make a small WebP preview (longest side at most ``max_side``) for progress messages.

    Always WebP (:data:`PREVIEW_FORMAT`, upload it as :data:`PREVIEW_FILENAME`), keeping
    transparency; aims for at most :data:`PREVIEW_TARGET_BYTES` (100 KB) by lowering the quality
    to 30, then the size. Runs in a worker thread; raises :class:`InvalidImage` for bytes that
    are not a complete PNG, JPEG or WebP image.
    """
    return await _run(_preview_sync, data, max(1, max_side), min(100, max(1, quality)))


# -- attachments to edit ---------------------------------------------------------------------

DOWNLOAD_TIMEOUT = 60.0
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True)
class Source:
    """An image to edit, as Discord describes it (an ``Attachment`` or the same fields)."""

    name: str
    url: str
    size: int
    content_type: str | None
    attachment: discord.Attachment | None = None

    @classmethod
    def of(cls, attachment: discord.Attachment) -> Source:
        """Describe a Discord attachment."""
        return cls(attachment.filename, attachment.url, attachment.size, attachment.content_type, attachment)


def looks_like_image(attachment: discord.Attachment) -> bool:
    """An attachment Discord calls an image (videos have a width too, so that is no sign)."""
    if attachment.content_type:
        return attachment.content_type.startswith("image/")
    return attachment.filename.lower().endswith(IMAGE_EXTENSIONS)


def check_metadata(images: list[Source] | tuple[Source, ...], mask: Source | None) -> None:
    """Refuse from Discord's metadata alone (size, type), before answering or downloading anything."""
    for source in images:
        check_attachment_meta(name=source.name, size=source.size, content_type=source.content_type)
    if mask is not None:
        check_attachment_meta(name=mask.name, size=mask.size, content_type=mask.content_type,
                              max_bytes=MAX_MASK_BYTES, kind="masks")


async def check_sources(images: list[Source] | tuple[Source, ...], mask: Source | None) -> None:
    """Check every attachment by its bytes before anything is spent; the first refusal raises.

    Each image is downloaded once and inspected off the event loop; the mask is checked against
    the first image.
    """
    first: ImageInfo | None = None
    for source in images:
        info = await inspect_attachment(await download(source), name=source.name)
        first = first or info
    if mask is not None and first is not None:
        await inspect_mask(await download(mask), name=mask.name, image=first)


async def download(source: Source) -> bytes:
    """The attachment's bytes from Discord, within :data:`DOWNLOAD_TIMEOUT`."""
    if source.attachment is None:
        raise AttachmentError(msg_id="attachment-unreadable", args={"name": source.name})
    try:
        async with asyncio.timeout(DOWNLOAD_TIMEOUT):
            return await source.attachment.read()
    except discord.HTTPException as error:
        raise AttachmentError(msg_id="attachment-download-failed",
                              args={"name": source.name, "status": str(error.status)}) from error
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        raise AttachmentError(msg_id="attachment-download-slow", args={"name": source.name}) from error
