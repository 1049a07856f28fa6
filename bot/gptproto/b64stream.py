"""A text-to-image answer read from the socket, its images decoded from base64 as they arrive.

A 4K answer is ~27 MB of JSON, nearly all of it one base64 string. Read whole and then decoded, it
cost the body plus the image twice at its widest (tracemalloc at the benchmark's peak: 41 MB per
answer in the decoded slices and their join, two answers at once, beside their 27 MB bodies). Here
only the JSON around the base64 strings is kept (a few hundred bytes, each string emptied), and
each string is decoded piece by piece as the body comes in, into one growing buffer whose bytes
become the image without a copy: an answer costs its image and one chunk.

Decoding a 256 KB chunk takes ~1.5 ms, so it is done on the event loop, between reads.
"""

from __future__ import annotations

import binascii
import io
import re
from dataclasses import dataclass

import aiohttp

from bot.gptproto.errors import MalformedResponse

CHUNK = 256 * 1024
#: The start of a ``b64_json`` string. In valid JSON such quotes cannot be inside another string
#: (there they would be escaped), so a match is always the key itself.
_KEY = re.compile(rb'"b64_json"\s*:\s*"')
_KEY_SPAN = 64  # a key split between two chunks is found again from this far back
_DATA_URL = b"data:"
_DATA_URL_HEAD = 256  # "data:image/png;base64," and the like, at most this long


@dataclass(frozen=True)
class StreamedAnswer:
    """An answer's JSON with every ``b64_json`` string emptied, and those strings decoded, in order."""

    skeleton: bytes
    images: tuple[bytes, ...]


class Base64Splitter:
    """Takes an answer's bytes in order (``feed``), keeps its JSON, decodes its ``b64_json`` strings.

    Strict base64, as the whole-answer parse was: a character outside the alphabet, bad padding or
    a length that is not a multiple of 4 raises ``MalformedResponse``; a ``data:`` URL prefix and
    escaped slashes (``\\/``, written by some JSON encoders) are allowed.
    """

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.size = 0
        self.skeleton = bytearray()
        self.images: list[bytes] = []
        self._scan = 0
        self._done = 0  # the skeleton up to here is final (the keys before it are handled)
        self._out: io.BytesIO | None = None
        self._carry = b""  # characters that do not make a whole base64 quantum yet
        self._head = True  # no character of the current string decoded yet (a data: URL may come)

    def feed(self, chunk: bytes) -> None:
        """The next bytes of the answer."""
        self.size += len(chunk)
        if self.size > self.cap:
            raise MalformedResponse(f"answer larger than {self.cap} bytes")
        while chunk:
            chunk = self._outside(chunk) if self._out is None else self._inside(chunk)

    def finish(self) -> StreamedAnswer:
        """The answer once every byte was fed."""
        if self._out is not None:
            raise MalformedResponse("answer ends inside an image's base64")
        return StreamedAnswer(bytes(self.skeleton), tuple(self.images))

    def _outside(self, chunk: bytes) -> bytes:
        self.skeleton += chunk
        match = _KEY.search(self.skeleton, self._scan)
        if match is None:
            self._scan = max(self._done, len(self.skeleton) - _KEY_SPAN)
            return b""
        rest = bytes(self.skeleton[match.end():])
        del self.skeleton[match.end():]
        self._out, self._carry, self._head = io.BytesIO(), b"", True
        return rest

    def _inside(self, chunk: bytes) -> bytes:
        end = chunk.find(b'"')
        text = self._carry + (chunk if end < 0 else chunk[:end])
        closed = end >= 0
        if self._head:
            if not closed and len(text) < len(_DATA_URL):
                self._carry = text  # too short yet to tell a data: URL
                return b""
            if text.startswith(_DATA_URL):
                comma = text.find(b",")
                if comma < 0:
                    if closed or len(text) > _DATA_URL_HEAD:  # a data: URL's head is a few words
                        raise MalformedResponse("image data URL without a comma")
                    self._carry = text
                    return b""
                text = text[comma + 1:]
            self._head = False
        pending = b""
        if b"\\" in text:
            if not closed and text.endswith(b"\\") and not text.endswith(b"\\\\"):
                text, pending = text[:-1], b"\\"  # its escaped character is in the next chunk
            text = text.replace(b"\\/", b"/")
            if b"\\" in text:
                raise MalformedResponse("image base64 has an unexpected escape")
        whole = len(text) if closed else len(text) - len(text) % 4
        assert self._out is not None
        if whole:
            try:
                self._out.write(binascii.a2b_base64(text[:whole], strict_mode=True))
            except binascii.Error as error:
                raise MalformedResponse(f"image base64 does not decode: {error}") from error
        if not closed:
            self._carry = text[whole:] + pending
            return b""
        image = self._out.getvalue()  # the buffer itself, not a copy (CPython's BytesIO)
        self._out.close()
        self._out = None
        if not image:
            raise MalformedResponse("generation answer item without b64_json")
        self.images.append(image)
        self.skeleton += b'"'
        self._scan = self._done = len(self.skeleton)
        return chunk[end + 1:]


async def read_answer(stream: aiohttp.StreamReader, cap: int) -> StreamedAnswer:
    """Read a whole answer from ``stream`` (at most ``cap`` bytes), decoding its images as they come."""
    splitter = Base64Splitter(cap)
    async for chunk in stream.iter_chunked(CHUNK):
        splitter.feed(chunk)
    return splitter.finish()
