"""A tiny file server on 127.0.0.1 that stands in for Discord's CDN (images to edit)."""

from __future__ import annotations

from typing import Self

from aiohttp import web


class FileServer:
    """A tiny attachment server on 127.0.0.1 (stands in for Discord's CDN)."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.hits: list[str] = []
        self.base_url = ""

    def add(self, name: str, data: bytes, content_type: str = "image/png") -> str:
        """Serve ``data`` under ``name`` and return its URL."""
        self.files[name] = (data, content_type)
        return f"{self.base_url}/{name}"

    async def handle(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.hits.append(name)
        if name not in self.files:
            return web.Response(status=404, text="404: Not Found")
        data, ctype = self.files[name]
        return web.Response(body=data, content_type=ctype)

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_get("/{name}", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._runner.cleanup()
