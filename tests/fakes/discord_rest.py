"""The REST half of the fake Discord (everything under ``/api/v10`` plus attachment bytes).

Handlers raise :class:`~tests.fakes.discord_models.ApiError` for Discord's error answers; the
dispatcher turns them into ``{"code", "message", "errors"}`` JSON with the right status. Every
JSON answer carries ``Content-Type: application/json`` exactly (discord.py compares the string).
"""

from __future__ import annotations

import copy
import json
import logging
import re
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.fakes.discord_gateway import INTENT_DIRECT_MESSAGES, INTENT_GUILD_MESSAGES
from tests.fakes.discord_models import (
    CALLBACK_AUTOCOMPLETE_RESULT,
    CALLBACK_CHANNEL_MESSAGE,
    CALLBACK_DEFERRED_CHANNEL_MESSAGE,
    CALLBACK_DEFERRED_UPDATE_MESSAGE,
    CALLBACK_MODAL,
    CALLBACK_PONG,
    CALLBACK_UPDATE_MESSAGE,
    FLAG_COMPONENTS_V2,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    FLAG_SUPPRESS_EMBEDS,
    FLAG_SUPPRESS_NOTIFICATIONS,
    INTERACTION_APPLICATION_COMMAND,
    INTERACTION_AUTOCOMPLETE,
    INTERACTION_COMPONENT,
    INTERACTION_MODAL_SUBMIT,
    INTERACTION_PING,
    INTERACTION_TOKEN_TTL,
    ApiError,
    FakeFile,
    FakeInteraction,
    FakeMessage,
    form_error,
    guess_content_type,
    image_info,
    iso_timestamp,
    walk_components,
)

if TYPE_CHECKING:
    from tests.fakes.discord import FakeDiscord

_log = logging.getLogger("tests.fakes.discord.rest")

API_PREFIX = "/api/v10"
MAX_FILES = 10
MAX_CONTENT = 2000

_ALLOWED_CALLBACKS = {
    INTERACTION_PING: {CALLBACK_PONG},
    INTERACTION_APPLICATION_COMMAND: {
        CALLBACK_CHANNEL_MESSAGE,
        CALLBACK_DEFERRED_CHANNEL_MESSAGE,
        CALLBACK_MODAL,
    },
    INTERACTION_COMPONENT: {
        CALLBACK_CHANNEL_MESSAGE,
        CALLBACK_DEFERRED_CHANNEL_MESSAGE,
        CALLBACK_DEFERRED_UPDATE_MESSAGE,
        CALLBACK_UPDATE_MESSAGE,
        CALLBACK_MODAL,
    },
    INTERACTION_AUTOCOMPLETE: {CALLBACK_AUTOCOMPLETE_RESULT},
    INTERACTION_MODAL_SUBMIT: {
        CALLBACK_CHANNEL_MESSAGE,
        CALLBACK_DEFERRED_CHANNEL_MESSAGE,
        CALLBACK_DEFERRED_UPDATE_MESSAGE,
        CALLBACK_UPDATE_MESSAGE,
    },
}
_COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")
#: Discord's locales, the keys it accepts in ``name_localizations`` and ``description_localizations``.
DISCORD_LOCALES = frozenset({
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl",
    "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja",
    "zh-TW", "ko",
})


def _check_localized(path: str, item: dict[str, Any], *, chat_name: bool, description: bool) -> None:
    """Refuse localisations Discord refuses: unknown locales, invalid names, wrong lengths."""
    for key, is_name in (("name_localizations", True), ("description_localizations", False)):
        values = item.get(key) or {}
        for locale, value in values.items():
            where = f"{path}.{key}.{locale}"
            if locale not in DISCORD_LOCALES:
                raise form_error(where, "LOCALE_INVALID", f"Invalid locale: {locale}")
            if is_name and chat_name and (not _COMMAND_NAME.match(value) or value != value.lower()):
                raise form_error(where, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
            limit = 32 if is_name and (chat_name or not description) else 100
            if not 1 <= len(value) <= limit:
                raise form_error(where, "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limit} in length.")


def _check_options_localized(path: str, options: list[dict[str, Any]]) -> None:
    """Options, subcommands and choices: names as for chat commands, choice names up to 100."""
    for j, option in enumerate(options or []):
        _check_localized(f"{path}.{j}", option, chat_name=True, description=True)
        for k, choice in enumerate(option.get("choices") or []):
            _check_localized(f"{path}.{j}.choices.{k}", choice, chat_name=False, description=True)
        _check_options_localized(f"{path}.{j}.options", option.get("options") or [])


def json_response(obj: Any, status: int = 200, headers: dict[str, str] | None = None):
    """A JSON answer whose Content-Type is exactly ``application/json``."""
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    return web.Response(body=json.dumps(obj).encode(), status=status, headers=all_headers)


def no_content() -> web.Response:
    """A 204 answer."""
    return web.Response(status=204)


@dataclass
class FakeRequest:
    """One REST request as the fake saw it (``path`` is relative to ``/api/v10``)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any = None
    files: list[tuple[str, int]] = field(default_factory=list)
    status: int | None = None
    code: int | None = None
    #: ``time.monotonic()`` when the request reached the fake, and when its answer was ready.
    received_at: float = field(default_factory=time.monotonic)
    finished_at: float | None = None
    #: True when a hook dropped it (see :mod:`tests.fakes.hooks`): neither applied nor answered.
    dropped: bool = False


_RequestKey = getattr(web, "RequestKey", None)  # aiohttp >= 3.12; plain strings before
ENTRY_KEY: Any = _RequestKey("fake_entry", FakeRequest) if _RequestKey else "fake_entry"
INTERACTION_KEY: Any = (
    _RequestKey("fake_interaction", FakeInteraction) if _RequestKey else "fake_interaction"
)


class _Dropped(Exception):
    """A hook asked to drop the request being handled."""


_INTERACTION_PATH = re.compile(r"^/(?:interactions/\d+|webhooks/\d+)/([^/]+)")


@dataclass
class _Injection:
    method: str | None
    prefix: str
    count: int
    error: ApiError


@dataclass
class _Body:
    json: Any
    uploads: dict[int, tuple[str, bytes]]


def discord_filename(filename: str) -> str:
    """The name Discord gives an uploaded file: whitespace becomes ``_``, path and reserved
    characters go away (``"my cat.png"`` -> ``"my_cat.png"``)."""
    name = re.sub(r"\s+", "_", filename.strip())
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "", name)
    return name or "unknown"


def _flag_int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError) as exc:
        raise form_error("flags", "NUMBER_TYPE_COERCE", f"Value \"{value}\" is not int.") from exc


class RestMixin:
    """REST handling for :class:`~tests.fakes.discord.FakeDiscord`."""

    # -- routing --------------------------------------------------------------------------------

    def _build_routes(self: FakeDiscord) -> None:
        table: list[tuple[str, str, Callable[..., Awaitable[Any]], bool]] = [
            # (method, path, handler, needs bot authorization)
            ("GET", "/users/@me", self._get_me, True),
            ("POST", "/users/@me/channels", self._create_dm, True),
            ("GET", "/users/{user_id}", self._get_user, True),
            ("GET", "/oauth2/applications/@me", self._get_application, True),
            ("GET", "/applications/@me", self._get_application, True),
            ("GET", "/gateway", self._get_gateway, False),
            ("GET", "/gateway/bot", self._get_gateway_bot, True),
            ("GET", "/applications/{app_id}/commands", self._get_commands, True),
            ("PUT", "/applications/{app_id}/commands", self._put_commands, True),
            ("GET", "/applications/{app_id}/commands/{command_id}", self._get_command, True),
            ("GET", "/applications/{app_id}/guilds/{guild_id}/commands", self._get_commands, True),
            ("PUT", "/applications/{app_id}/guilds/{guild_id}/commands", self._put_commands, True),
            (
                "GET",
                "/applications/{app_id}/guilds/{guild_id}/commands/permissions",
                self._get_command_permissions,
                True,
            ),
            (
                "GET",
                "/applications/{app_id}/guilds/{guild_id}/commands/{command_id}",
                self._get_command,
                True,
            ),
            ("GET", "/applications/{app_id}/emojis", self._get_app_emojis, True),
            ("GET", "/applications/{app_id}/entitlements", self._get_entitlements, True),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback, False),
            ("POST", "/webhooks/{app_id}/{token}", self._followup, False),
            ("GET", "/webhooks/{app_id}/{token}/messages/{message_id}", self._wh_get, False),
            ("PATCH", "/webhooks/{app_id}/{token}/messages/{message_id}", self._wh_edit, False),
            ("DELETE", "/webhooks/{app_id}/{token}/messages/{message_id}", self._wh_delete, False),
            ("GET", "/channels/{channel_id}", self._get_channel, True),
            ("GET", "/channels/{channel_id}/messages", self._get_history, True),
            ("POST", "/channels/{channel_id}/messages", self._post_message, True),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message, True),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message, True),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message, True),
            ("POST", "/channels/{channel_id}/typing", self._typing, True),
            (
                "PUT",
                "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
                self._add_reaction,
                True,
            ),
            (
                "DELETE",
                "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
                self._remove_reaction,
                True,
            ),
            ("GET", "/guilds/{guild_id}", self._get_guild, True),
            ("GET", "/guilds/{guild_id}/channels", self._get_guild_channels, True),
            ("GET", "/guilds/{guild_id}/roles", self._get_guild_roles, True),
            ("GET", "/guilds/{guild_id}/members", self._get_guild_members, True),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_guild_member, True),
        ]
        self._routes = []
        for method, path, handler, auth in table:
            pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path)
            self._routes.append((method, re.compile(f"^{pattern}$"), handler, auth))

    def _match_route(self: FakeDiscord, method: str, path: str):
        path_matched = False
        for route_method, pattern, handler, auth in self._routes:
            m = pattern.match(path)
            if m is None:
                continue
            path_matched = True
            if route_method == method:
                return handler, m.groupdict(), auth
        if path_matched:
            raise ApiError(405, 0, "405: Method Not Allowed")
        self.unknown_routes.append((method, path))
        raise ApiError(404, 0, "404: Not Found")

    async def _api_handler(self: FakeDiscord, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX) :] or "/"
        method = request.method
        entry = FakeRequest(
            method=method, path=path, query=dict(request.query), headers=dict(request.headers)
        )
        request[ENTRY_KEY] = entry
        self.requests.append((method, path))
        self.request_log.append(entry)
        interaction = self._interaction_of_path(path)
        try:
            await self._peek_json(request, entry)
            if self.hooks.emit("request", request=entry, interaction=interaction):
                raise _Dropped
            injected = self._take_injection(method, path)
            if injected is not None:
                raise injected
            handler, params, needs_auth = self._match_route(method, path)
            if needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
                raise ApiError(401, 0, "401: Unauthorized")
            result = await handler(request, **params)
            response = result if isinstance(result, web.StreamResponse) else json_response(result)
        except _Dropped:
            return self._drop_request(request, entry)
        except ApiError as err:
            entry.code = err.code
            response = json_response(err.body(), err.status, err.headers)
            inter = request.get(INTERACTION_KEY)
            if inter is not None:
                inter.failures.append(
                    {
                        "method": method,
                        "path": path,
                        "status": err.status,
                        "code": err.code,
                        "message": err.message,
                    }
                )
            self.errors.append(
                {"method": method, "path": path, "status": err.status, "code": err.code,
                 "message": err.message}
            )
        except ConnectionResetError:
            # The client went away while its request was read (a process killed mid-upload): the
            # request was not applied and nobody is left to answer. Discord's side did not fail.
            _log.info("fake Discord: the client left during %s %s", method, path)
            entry.status = 499
            entry.finished_at = time.monotonic()
            self._changed()
            return web.Response(status=499)
        except Exception as exc:
            _log.exception("fake Discord failed on %s %s", method, path)
            self.internal_errors.append(f"{method} {path}: {traceback.format_exc()}")
            # 599: discord.py's HTTPClient raises at once (no retry) on an unusual 5xx.
            response = json_response(
                {"code": 0, "message": f"fake Discord internal error: {exc!r}"}, 599
            )
        entry.status = response.status
        entry.finished_at = time.monotonic()
        self._changed()
        self.hooks.emit("response", request=entry, interaction=interaction)
        return response

    def _interaction_of_path(self: FakeDiscord, path: str) -> FakeInteraction | None:
        """The interaction whose token the path carries (callbacks and its webhook), if any."""
        match = _INTERACTION_PATH.match(path)
        return self._by_token.get(match.group(1)) if match else None

    @staticmethod
    async def _peek_json(request: web.Request, entry: FakeRequest) -> None:
        """Parse a JSON body into ``entry.body`` early, for the ``request`` hook (aiohttp keeps the
        bytes, so the handler reads them again); a body that is not JSON is left to the handler."""
        if not request.can_read_body or request.content_type.startswith("multipart/"):
            return
        text = await request.text()
        if text.strip():
            try:
                entry.body = json.loads(text)
            except ValueError:
                pass

    def _drop_request(self: FakeDiscord, request: web.Request, entry: FakeRequest) -> web.Response:
        """Close the connection without applying or answering the request (a hook asked so)."""
        entry.dropped = True
        entry.finished_at = time.monotonic()
        if request.transport is not None:
            request.transport.close()
        self._changed()
        return web.Response(status=499)

    def _take_injection(self: FakeDiscord, method: str, path: str) -> ApiError | None:
        for inj in self._injections:
            if inj.count <= 0:
                continue
            if inj.method is not None and inj.method != method:
                continue
            if not path.startswith(inj.prefix):
                continue
            inj.count -= 1
            self._injections = [i for i in self._injections if i.count > 0]
            return inj.error
        return None

    def rate_limit_next(
        self: FakeDiscord,
        path_prefix: str,
        retry_after: float = 0.1,
        *,
        count: int = 1,
        method: str | None = None,
        is_global: bool = False,
    ) -> None:
        """Answer the next ``count`` requests whose path (relative to ``/api/v10``) starts with
        ``path_prefix`` with 429, a ``Via`` header and JSON ``retry_after``, as Discord does, so
        discord.py sleeps and retries."""
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        error = ApiError(
            429,
            0,
            "You are being rate limited.",
            headers=headers,
            extra={"retry_after": retry_after, "global": is_global},
        )
        self._injections.append(_Injection(method, path_prefix, count, error))

    def fail_next(
        self: FakeDiscord,
        path_prefix: str,
        status: int,
        code: int,
        message: str,
        *,
        count: int = 1,
        method: str | None = None,
        errors: dict | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests with this error (any status and code).

        Note that discord.py retries 500/502/504/524 (and webhooks retry every 5xx) with
        1 + 2n second sleeps, so prefer 4xx or an unusual 5xx such as 503 on REST routes."""
        self._injections.append(
            _Injection(method, path_prefix, count, ApiError(status, code, message, errors))
        )

    # -- request bodies -------------------------------------------------------------------------

    async def _read_body(self: FakeDiscord, request: web.Request) -> _Body:
        uploads: dict[int, tuple[str, bytes]] = {}
        payload: Any = None
        entry: FakeRequest = request[ENTRY_KEY]
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            next_index = 0
            while True:
                part = await reader.next()
                if part is None:
                    break
                name = part.name or ""
                if name == "payload_json":
                    text = await part.text()
                    payload = self._parse_json(text)
                    continue
                data = await part.read(decode=False)
                if part.filename is None and not name.startswith("file"):
                    continue  # a plain form field; Discord ignores unknown ones
                m = re.fullmatch(r"files\[(\d+)\]", name)
                if m is not None:
                    index = int(m.group(1))
                else:
                    while next_index in uploads:
                        next_index += 1
                    index = next_index
                uploads[index] = (part.filename or f"file{index}", bytes(data))
            entry.files = [(fname, len(data)) for fname, data in uploads.values()]
        else:
            text = await request.text()
            payload = self._parse_json(text) if text.strip() else None
        entry.body = payload
        if uploads and self.hooks.emit(
            "upload", request=entry, interaction=request.get(INTERACTION_KEY) or self._interaction_of_path(entry.path),
            files=list(uploads.values()),
        ):
            raise _Dropped
        return _Body(payload if payload is not None else {}, uploads)

    @staticmethod
    def _parse_json(text: str) -> Any:
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ApiError(400, 50109, "The request body contains invalid JSON.") from exc

    # -- message building -----------------------------------------------------------------------

    def _prepare_files(
        self: FakeDiscord,
        payload: dict,
        uploads: dict[int, tuple[str, bytes]],
        *,
        limit: int,
        existing: list[FakeFile] | None,
        prefix: str = "",
    ) -> list[FakeFile] | None:
        """The message's new attachment list, or None when an edit leaves it unchanged."""
        if len(uploads) > MAX_FILES:
            raise ApiError(
                400, 30015, f"Maximum number of attachments in a message reached ({MAX_FILES})"
            )
        for _filename, data in uploads.values():
            if len(data) > limit:
                raise ApiError(413, 40005, "Request entity too large")
        entries = payload.get("attachments")
        if entries is None and not uploads:
            return None
        if entries is not None and not isinstance(entries, list):
            raise form_error(f"{prefix}attachments", "LIST_TYPE_CONVERT", "Must be an array.")
        existing_by_id = {f.id: f for f in existing or []}
        result: list[FakeFile] = []
        used: set[int] = set()
        for i, entry in enumerate(entries or []):
            try:
                att_id = int(entry["id"])
            except (KeyError, TypeError, ValueError) as exc:
                raise form_error(
                    f"{prefix}attachments.{i}.id", "BASE_TYPE_REQUIRED", "This field is required"
                ) from exc
            if att_id in existing_by_id:
                kept = existing_by_id[att_id]
                if "description" in entry:
                    kept.description = entry["description"]
                result.append(kept)
            elif att_id in uploads and att_id not in used:
                used.add(att_id)
                filename = entry.get("filename") or uploads[att_id][0]
                result.append(
                    self._store_file(filename, uploads[att_id][1], entry.get("description"))
                )
            else:
                raise form_error(
                    f"{prefix}attachments.{i}.id",
                    "ATTACHMENT_NOT_FOUND",
                    f"Unknown attachment id {att_id}",
                )
        for index in sorted(uploads):
            if index not in used:
                result.append(self._store_file(uploads[index][0], uploads[index][1], None))
        if entries is None and existing:
            result = list(existing) + result
        if len(result) > MAX_FILES:
            raise ApiError(
                400, 30015, f"Maximum number of attachments in a message reached ({MAX_FILES})"
            )
        return result

    def _store_file(
        self: FakeDiscord, filename: str, data: bytes, description: str | None
    ) -> FakeFile:
        filename = discord_filename(filename)
        att_id = self._ids.next()
        info = image_info(data)
        content_type = guess_content_type(filename, data)
        fake_file = FakeFile(
            filename=filename,
            content_type=content_type,
            data=data,
            id=att_id,
            description=description,
            width=info[0] if info else None,
            height=info[1] if info else None,
        )
        fake_file.url = self._attachment_url(att_id, filename)
        fake_file.proxy_url = self._attachment_url(att_id, filename, proxy=True)
        self.attachment_store[att_id] = fake_file
        return fake_file

    def _validate_message(self: FakeDiscord, payload: dict, prefix: str, flags: int) -> None:
        """Discord's form checks on content, embeds and components (400 50035)."""
        content = payload.get("content")
        if content is not None and not isinstance(content, str):
            raise form_error(f"{prefix}content", "BASE_TYPE_STRING", "Must be a string.")
        if content and len(content) > MAX_CONTENT:
            raise form_error(
                f"{prefix}content",
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {MAX_CONTENT} or fewer in length.",
            )
        embeds = payload.get("embeds") or []
        if len(embeds) > 10:
            raise form_error(f"{prefix}embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        total = 0
        limits = {"title": 256, "description": 4096}
        for i, embed in enumerate(embeds):
            where = f"{prefix}embeds.{i}"
            for key, limit in limits.items():
                value = str(embed.get(key) or "")
                total += len(value)
                if len(value) > limit:
                    raise form_error(
                        f"{where}.{key}", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."
                    )
            fields = embed.get("fields") or []
            if len(fields) > 25:
                raise form_error(f"{where}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            for j, fld in enumerate(fields):
                for key, limit in (("name", 256), ("value", 1024)):
                    value = str(fld.get(key) or "")
                    if not value.strip():
                        raise form_error(
                            f"{where}.fields.{j}.{key}", "BASE_TYPE_REQUIRED", "This field is required"
                        )
                    total += len(value)
                    if len(value) > limit:
                        raise form_error(
                            f"{where}.fields.{j}.{key}",
                            "BASE_TYPE_MAX_LENGTH",
                            f"Must be {limit} or fewer in length.",
                        )
            for key, sub, limit in (("footer", "text", 2048), ("author", "name", 256)):
                value = str((embed.get(key) or {}).get(sub) or "")
                total += len(value)
                if len(value) > limit:
                    raise form_error(
                        f"{where}.{key}.{sub}", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."
                    )
        if total > 6000:
            raise form_error(
                f"{prefix}embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
            )
        self._validate_components(payload.get("components") or [], prefix, flags)
        if flags & FLAG_COMPONENTS_V2 and (content or embeds):
            raise form_error(
                f"{prefix}content",
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )

    def _validate_components(self: FakeDiscord, components: list, prefix: str, flags: int) -> None:
        where = f"{prefix}components"
        if not flags & FLAG_COMPONENTS_V2:
            if len(components) > 5:
                raise form_error(where, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
            for i, row in enumerate(components):
                if row.get("type") != 1:
                    raise form_error(
                        f"{where}.{i}.type",
                        "UNION_TYPE_CHOICES",
                        "Value of field \"type\" must be one of (1,).",
                    )
                children = row.get("components") or []
                if not 1 <= len(children) <= 5:
                    raise form_error(
                        f"{where}.{i}.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
                    )
        seen: set[str] = set()
        for comp in walk_components(components):
            custom_id = comp.get("custom_id")
            if custom_id is not None:
                if not 1 <= len(custom_id) <= 100:
                    raise form_error(
                        f"{where}.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                    )
                if custom_id in seen:
                    raise form_error(
                        f"{where}.custom_id",
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    )
                seen.add(custom_id)
            if comp.get("type") == 2:
                if len(comp.get("label") or "") > 80:
                    raise form_error(
                        f"{where}.label", "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length."
                    )
                if comp.get("style") == 5 and not comp.get("url"):
                    raise form_error(f"{where}.url", "BASE_TYPE_REQUIRED", "This field is required")
                if comp.get("style") not in (5, 6) and custom_id is None:
                    raise form_error(
                        f"{where}.custom_id", "BASE_TYPE_REQUIRED", "This field is required"
                    )

    @staticmethod
    def _is_empty(msg: FakeMessage) -> bool:
        return not (
            (msg.content or "").strip()
            or msg.embeds
            or msg.attachments
            or msg.components
            or msg.poll
        )

    def _process_embeds(self: FakeDiscord, embeds: list[dict], files: list[FakeFile]) -> list[dict]:
        """Copy embeds as Discord stores them: ``type`` rich, ``attachment://`` URLs resolved."""
        by_name = {f.filename: f for f in files}
        out = []
        for embed in embeds or []:
            embed = copy.deepcopy(embed)
            embed.setdefault("type", "rich")
            for key in ("image", "thumbnail"):
                media = embed.get(key)
                if isinstance(media, dict) and str(media.get("url", "")).startswith("attachment://"):
                    target = by_name.get(media["url"][len("attachment://") :])
                    if target is not None:
                        media["url"] = target.url
                        media["proxy_url"] = target.proxy_url
                        if target.width is not None:
                            media["width"], media["height"] = target.width, target.height
            for key in ("author", "footer"):
                part = embed.get(key)
                if isinstance(part, dict) and str(part.get("icon_url", "")).startswith("attachment://"):
                    target = by_name.get(part["icon_url"][len("attachment://") :])
                    if target is not None:
                        part["icon_url"] = target.url
                        part["proxy_icon_url"] = target.proxy_url
            out.append(embed)
        return out

    def _resolve_mentions(self: FakeDiscord, msg: FakeMessage) -> None:
        content = msg.content or ""
        allowed = msg.allowed_mentions
        parse = set(allowed.get("parse") or []) if allowed is not None else {"users", "roles", "everyone"}
        allowed_users = {int(u) for u in (allowed or {}).get("users") or []}
        allowed_roles = {int(r) for r in (allowed or {}).get("roles") or []}
        mentions: list[int] = []
        for m in re.finditer(r"<@!?(\d+)>", content):
            uid = int(m.group(1))
            if uid in self.users and ("users" in parse or uid in allowed_users) and uid not in mentions:
                mentions.append(uid)
        if msg.message_reference is not None:
            replied_user = (allowed or {}).get("replied_user", allowed is None)
            target = self.messages.get(int(msg.message_reference.get("message_id", 0) or 0))
            if replied_user and target is not None and target.author_id not in mentions:
                mentions.append(target.author_id)
        roles: list[int] = []
        guild = self.guilds.get(msg.guild_id) if msg.guild_id else None
        for m in re.finditer(r"<@&(\d+)>", content):
            rid = int(m.group(1))
            if guild and rid in guild.roles and ("roles" in parse or rid in allowed_roles):
                if rid not in roles:
                    roles.append(rid)
        msg.mentions = mentions
        msg.mention_roles = roles
        msg.mention_everyone = bool(re.search(r"@(everyone|here)", content)) and "everyone" in parse

    def _create_message(
        self: FakeDiscord,
        *,
        channel_id: int,
        payload: dict,
        files: list[FakeFile] | None,
        flags: int,
        author_id: int | None = None,
        interaction: FakeInteraction | None = None,
        msg_type: int = 0,
        webhook_id: int | None = None,
    ) -> FakeMessage:
        channel = self.channels[channel_id]
        msg = FakeMessage(
            id=self._ids.next(),
            channel_id=channel_id,
            guild_id=channel.guild_id,
            author_id=author_id if author_id is not None else self.bot_user_id,
            content=payload.get("content") or "",
            components=copy.deepcopy(payload.get("components") or []),
            flags=flags,
            attachments=list(files or []),
            message_reference=copy.deepcopy(payload.get("message_reference")),
            allowed_mentions=copy.deepcopy(payload.get("allowed_mentions")),
            interaction_id=interaction.id if interaction is not None else None,
            webhook_id=webhook_id,
            type=msg_type,
            tts=bool(payload.get("tts", False)),
            nonce=payload.get("nonce"),
            poll=copy.deepcopy(payload.get("poll")),
            created_with=self._describe_payload(payload, files),
        )
        msg.embeds = self._process_embeds(payload.get("embeds") or [], msg.attachments)
        if msg.ephemeral:
            for f in msg.attachments:
                f.ephemeral = True
        self._resolve_mentions(msg)
        return msg

    def _describe_payload(self, payload: dict, files: list[FakeFile] | None) -> dict:
        described = copy.deepcopy(payload)
        if files:
            described["_files"] = [f.filename for f in files]
        return described

    def _register_message(self: FakeDiscord, msg: FakeMessage) -> None:
        self.messages[msg.id] = msg
        self._changed()
        if not msg.ephemeral:
            self._broadcast_soon("MESSAGE_CREATE", self._gateway_message(msg), self._intent_for(msg))

    def _intent_for(self: FakeDiscord, msg: FakeMessage) -> int:
        return INTENT_GUILD_MESSAGES if msg.guild_id else INTENT_DIRECT_MESSAGES

    def _gateway_message(self: FakeDiscord, msg: FakeMessage) -> dict:
        data = self.message_payload(msg)
        if msg.guild_id:
            data["guild_id"] = str(msg.guild_id)
            if msg.author_id in self.guilds[msg.guild_id].members:
                member = self._member_payload(msg.guild_id, msg.author_id)
                member.pop("user", None)
                data["member"] = member
        return data

    def _apply_edit(
        self: FakeDiscord,
        msg: FakeMessage,
        payload: dict,
        files: list[FakeFile] | None,
        *,
        clear_loading: bool = True,
        record: dict | None = None,
    ) -> None:
        """Apply an edit payload (PATCH semantics: absent keys are left alone)."""
        msg.edits.append(record if record is not None else self._describe_payload(payload, files))
        if "content" in payload:
            msg.content = payload["content"] or ""
        if files is not None:
            msg.attachments = files
            if msg.ephemeral:
                for f in files:
                    f.ephemeral = True
        if "embeds" in payload:
            msg.embeds = self._process_embeds(payload["embeds"] or [], msg.attachments)
        elif files is not None:
            msg.embeds = self._process_embeds(msg.embeds, msg.attachments)
        if "components" in payload:
            msg.components = copy.deepcopy(payload["components"] or [])
        if "allowed_mentions" in payload:
            msg.allowed_mentions = copy.deepcopy(payload["allowed_mentions"])
        if "flags" in payload and payload["flags"] is not None:
            new = _flag_int(payload["flags"])
            keep = msg.flags & ~(FLAG_SUPPRESS_EMBEDS | FLAG_COMPONENTS_V2)
            msg.flags = keep | (new & (FLAG_SUPPRESS_EMBEDS | FLAG_COMPONENTS_V2))
        if "poll" in payload:
            msg.poll = copy.deepcopy(payload["poll"])
        if clear_loading:
            msg.flags &= ~FLAG_LOADING
        msg.edited_timestamp = self._now()
        self._resolve_mentions(msg)

    def _edit_checked(
        self: FakeDiscord,
        msg: FakeMessage,
        body: _Body,
        *,
        limit: int,
        prefix: str = "",
        record: dict | None = None,
    ) -> None:
        """Validate and apply an edit; the message is left untouched when Discord would refuse."""
        payload = body.json if isinstance(body.json, dict) else {}
        files = self._prepare_files(
            payload, body.uploads, limit=limit, existing=msg.attachments, prefix=prefix
        )
        new_flags = msg.flags
        if payload.get("flags") is not None:
            new_flags |= _flag_int(payload["flags"]) & FLAG_COMPONENTS_V2
        self._validate_message(payload, prefix, new_flags)
        probe = copy.copy(msg)
        probe.content = payload.get("content", msg.content) or ""
        probe.embeds = payload.get("embeds", msg.embeds) or []
        probe.components = payload.get("components", msg.components) or []
        probe.attachments = files if files is not None else msg.attachments
        if self._is_empty(probe):
            raise ApiError(400, 50006, "Cannot send an empty message")
        self._apply_edit(msg, payload, files, record=record)
        self._changed()
        if not msg.ephemeral:
            self._broadcast_soon("MESSAGE_UPDATE", self._gateway_message(msg), self._intent_for(msg))

    def message_payload(self: FakeDiscord, msg: FakeMessage, *, depth: int = 0) -> dict[str, Any]:
        """The message object Discord would send for ``msg`` (REST shape)."""
        out: dict[str, Any] = {
            "id": str(msg.id),
            "channel_id": str(msg.channel_id),
            "author": self._user_payload(msg.author_id),
            "content": msg.content,
            "timestamp": iso_timestamp(msg.timestamp),
            "edited_timestamp": iso_timestamp(msg.edited_timestamp) if msg.edited_timestamp else None,
            "tts": msg.tts,
            "mention_everyone": msg.mention_everyone,
            "mentions": [self._user_payload(u) for u in msg.mentions],
            "mention_roles": [str(r) for r in msg.mention_roles],
            "attachments": [f.payload() for f in msg.attachments],
            "embeds": copy.deepcopy(msg.embeds),
            "pinned": msg.pinned,
            "type": msg.type,
            "flags": msg.flags,
            "components": copy.deepcopy(msg.components),
        }
        if msg.nonce is not None:
            out["nonce"] = msg.nonce
        if msg.poll is not None:
            out["poll"] = copy.deepcopy(msg.poll)
        if msg.webhook_id is not None:
            out["webhook_id"] = str(msg.webhook_id)
            out["application_id"] = str(self.application_id)
        if msg.reactions:
            out["reactions"] = [self._reaction_payload(e) for e in dict.fromkeys(msg.reactions)]
        inter = self.interactions.get(msg.interaction_id) if msg.interaction_id else None
        if inter is not None:
            metadata: dict[str, Any] = {
                "id": str(inter.id),
                "type": inter.type,
                "user": self._user_payload(inter.user_id),
                "authorizing_integration_owners": inter.payload.get("authorizing_integration_owners", {}),
            }
            if inter.type == INTERACTION_APPLICATION_COMMAND:
                metadata["name"] = inter.name
                metadata["command_type"] = inter.data.get("type", 1)
            if inter.message_id is not None:
                metadata["interacted_message_id"] = str(inter.message_id)
            if msg.id != inter._original_id and inter._original_id is not None:
                metadata["original_response_message_id"] = str(inter._original_id)
            out["interaction_metadata"] = metadata
            if inter.type == INTERACTION_APPLICATION_COMMAND:
                out["interaction"] = {
                    "id": str(inter.id),
                    "type": inter.type,
                    "name": inter.name,
                    "user": self._user_payload(inter.user_id),
                }
        if msg.message_reference is not None:
            ref = dict(msg.message_reference)
            ref.setdefault("type", 0)
            ref.setdefault("channel_id", str(msg.channel_id))
            if msg.guild_id:
                ref.setdefault("guild_id", str(msg.guild_id))
            out["message_reference"] = ref
            target = self.messages.get(int(ref.get("message_id", 0) or 0))
            if depth == 0:
                out["referenced_message"] = (
                    self.message_payload(target, depth=1)
                    if target is not None and not target.deleted
                    else None
                )
        return out

    @staticmethod
    def _reaction_payload(emoji: str) -> dict:
        if ":" in emoji:
            name, _, emoji_id = emoji.partition(":")
            emoji_obj: dict[str, Any] = {"id": emoji_id, "name": name}
        else:
            emoji_obj = {"id": None, "name": emoji}
        return {
            "count": 1,
            "count_details": {"burst": 0, "normal": 1},
            "me": True,
            "me_burst": False,
            "burst_colors": [],
            "emoji": emoji_obj,
        }

    # -- users, application, gateway ------------------------------------------------------------

    async def _get_me(self: FakeDiscord, request: web.Request):
        return self._user_payload(self.bot_user_id, private=True)

    async def _get_user(self: FakeDiscord, request: web.Request, user_id: str):
        uid = self._int_or(user_id, 404, 10013, "Unknown User")
        if uid not in self.users:
            raise ApiError(404, 10013, "Unknown User")
        return self._user_payload(uid)

    async def _create_dm(self: FakeDiscord, request: web.Request):
        body = await self._read_body(request)
        uid = self._int_or(body.json.get("recipient_id"), 400, 50035, "Invalid Form Body")
        if uid not in self.users:
            raise ApiError(400, 50035, "Invalid Form Body",
                           {"recipient_id": {"_errors": [{"code": "USER_NOT_FOUND", "message": "Unknown user"}]}})
        return self._channel_payload(self.dm_channel_for(uid))

    async def _get_application(self: FakeDiscord, request: web.Request):
        return self.application_payload()

    async def _get_gateway(self: FakeDiscord, request: web.Request):
        return {"url": self.gateway_url}

    async def _get_gateway_bot(self: FakeDiscord, request: web.Request):
        return {
            "url": self.gateway_bot_url or self.gateway_url,
            "shards": self.recommended_shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000 - len(self.identify_payloads),
                "reset_after": 14_400_000,
                "max_concurrency": self.max_concurrency,
            },
        }

    # -- application commands -------------------------------------------------------------------

    def _check_app(self: FakeDiscord, app_id: str) -> None:
        if app_id != str(self.application_id):
            raise ApiError(403, 50001, "Missing Access")

    def _check_guild(self: FakeDiscord, guild_id: str | None) -> int | None:
        if guild_id is None:
            return None
        gid = self._int_or(guild_id, 404, 10004, "Unknown Guild")
        if gid not in self.guilds:
            raise ApiError(404, 10004, "Unknown Guild")
        return gid

    async def _get_commands(self: FakeDiscord, request: web.Request, app_id: str, guild_id=None):
        self._check_app(app_id)
        gid = self._check_guild(guild_id)
        return copy.deepcopy(self.synced_commands.get(gid, []))

    async def _get_command(
        self: FakeDiscord, request: web.Request, app_id: str, command_id: str, guild_id=None
    ):
        self._check_app(app_id)
        gid = self._check_guild(guild_id)
        for cmd in self.synced_commands.get(gid, []):
            if cmd["id"] == command_id:
                return copy.deepcopy(cmd)
        raise ApiError(404, 10063, "Unknown application command")

    async def _get_command_permissions(
        self: FakeDiscord, request: web.Request, app_id: str, guild_id: str
    ):
        self._check_app(app_id)
        self._check_guild(guild_id)
        return []

    async def _put_commands(self: FakeDiscord, request: web.Request, app_id: str, guild_id=None):
        self._check_app(app_id)
        gid = self._check_guild(guild_id)
        body = (await self._read_body(request)).json
        if not isinstance(body, list):
            raise form_error("_root", "LIST_TYPE_CONVERT", "Must be an array.")
        seen: set[tuple[int, str]] = set()
        chat_input = 0
        for i, cmd in enumerate(body):
            ctype = int(cmd.get("type", 1) or 1)
            name = cmd.get("name") or ""
            if ctype == 1:
                chat_input += 1
                if not _COMMAND_NAME.match(name) or name != name.lower():
                    raise form_error(f"{i}.name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
                if not 1 <= len(cmd.get("description") or "") <= 100:
                    raise form_error(
                        f"{i}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                    )
            elif not 1 <= len(name) <= 32:
                raise form_error(f"{i}.name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
            _check_localized(str(i), cmd, chat_name=ctype == 1, description=ctype == 1)
            _check_options_localized(f"{i}.options", cmd.get("options") or [])
            if len(cmd.get("options") or []) > 25:
                raise form_error(f"{i}.options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            if (ctype, name) in seen:
                raise form_error(
                    f"{i}.name",
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique: {name}",
                )
            seen.add((ctype, name))
        if chat_input > 100:
            raise ApiError(400, 30032, "Maximum number of application commands reached (100)")
        result = [self._command_object(cmd, gid) for cmd in body]
        self.synced_commands[gid] = result
        self.command_put_count += 1
        self._changed()
        return copy.deepcopy(result)

    def _command_object(self: FakeDiscord, cmd: dict, guild_id: int | None) -> dict:
        ctype = int(cmd.get("type", 1) or 1)
        key = (guild_id, ctype, cmd["name"])
        if key not in self._command_ids:
            self._command_ids[key] = self._ids.next()
        out = copy.deepcopy(cmd)
        out.update(
            {
                "id": str(self._command_ids[key]),
                "application_id": str(self.application_id),
                "version": str(self._ids.next()),
                "type": ctype,
                "name": cmd["name"],
                "description": cmd.get("description") or "",
                "default_member_permissions": cmd.get("default_member_permissions"),
                "nsfw": bool(cmd.get("nsfw", False)),
            }
        )
        out.setdefault("name_localizations", None)
        out.setdefault("description_localizations", None)
        out.setdefault("integration_types", [0])
        out.setdefault("contexts", None)
        if guild_id is not None:
            out["guild_id"] = str(guild_id)
        else:
            out.setdefault("dm_permission", True)
        return out

    async def _get_app_emojis(self: FakeDiscord, request: web.Request, app_id: str):
        self._check_app(app_id)
        return {"items": []}

    async def _get_entitlements(self: FakeDiscord, request: web.Request, app_id: str):
        self._check_app(app_id)
        return []

    # -- interaction callback -------------------------------------------------------------------

    async def _callback(self: FakeDiscord, request: web.Request, interaction_id: str, token: str):
        inter = self.interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        if inter is None or inter.token != token:
            raise ApiError(404, 10062, "Unknown interaction")
        request[INTERACTION_KEY] = inter
        if inter.callback_at is None:
            inter.callback_at = request[ENTRY_KEY].received_at
        if inter.responses:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if self.clock() - inter.created_at > self.first_response_deadline:
            raise ApiError(404, 10062, "Unknown interaction")
        body = await self._read_body(request)
        payload = body.json if isinstance(body.json, dict) else {}
        rtype = payload.get("type")
        data = payload.get("data") or {}
        if rtype not in _ALLOWED_CALLBACKS.get(inter.type, set()):
            raise form_error(
                "type", "INTERACTION_RESPONSE_TYPE_INVALID", f"Invalid interaction response type {rtype!r}"
            )
        message: FakeMessage | None = None
        if rtype == CALLBACK_CHANNEL_MESSAGE:
            message = self._new_interaction_message(inter, data, body, prefix="data.")
            inter._original_id = message.id
        elif rtype == CALLBACK_DEFERRED_CHANNEL_MESSAGE:
            flags = (_flag_int(data.get("flags")) & FLAG_EPHEMERAL) | FLAG_LOADING
            message = self._create_message(
                channel_id=inter.channel_id,
                payload={},
                files=None,
                flags=flags,
                interaction=inter,
                msg_type=self._interaction_message_type(inter),
                webhook_id=self.application_id,
            )
            inter._original_id = message.id
        elif rtype in (CALLBACK_DEFERRED_UPDATE_MESSAGE, CALLBACK_UPDATE_MESSAGE):
            target = self.messages.get(inter.message_id) if inter.message_id else None
            if target is None or target.deleted:
                raise ApiError(404, 10008, "Unknown Message")
            if rtype == CALLBACK_UPDATE_MESSAGE:
                self._edit_checked(
                    target,
                    _Body(data, body.uploads),
                    limit=inter.attachment_size_limit,
                    prefix="data.",
                )
            inter._original_id = target.id
            message = target
        elif rtype == CALLBACK_AUTOCOMPLETE_RESULT:
            choices = data.get("choices")
            if not isinstance(choices, list) or len(choices) > 25:
                raise form_error("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            for i, choice in enumerate(choices):
                if not 1 <= len(str(choice.get("name", ""))) <= 100:
                    raise form_error(
                        f"data.choices.{i}.name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                    )
        elif rtype == CALLBACK_MODAL:
            if not 1 <= len(data.get("custom_id") or "") <= 100:
                raise form_error("data.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
            if not 1 <= len(data.get("title") or "") <= 45:
                raise form_error("data.title", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
            if not 1 <= len(data.get("components") or []) <= 5:
                raise form_error(
                    "data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
                )
        inter.responses.append({"type": rtype, "data": copy.deepcopy(payload.get("data"))})
        if message is not None and rtype in (CALLBACK_CHANNEL_MESSAGE, CALLBACK_DEFERRED_CHANNEL_MESSAGE):
            self._register_message(message)
        self._changed()
        self.hooks.emit("callback", interaction=inter, request=request[ENTRY_KEY], response=inter.responses[-1])
        if request.query.get("with_response") not in ("1", "true", "True"):
            return no_content()
        answer: dict[str, Any] = {"interaction": {"id": str(inter.id), "type": inter.type}}
        if message is not None:
            answer["interaction"].update(
                {
                    "response_message_id": str(message.id),
                    "response_message_loading": message.loading,
                    "response_message_ephemeral": message.ephemeral,
                }
            )
            if rtype != CALLBACK_DEFERRED_UPDATE_MESSAGE:
                answer["resource"] = {"type": rtype, "message": self.message_payload(message)}
        return answer

    def _interaction_message_type(self: FakeDiscord, inter: FakeInteraction) -> int:
        if inter.type == INTERACTION_APPLICATION_COMMAND:
            return 20 if inter.data.get("type", 1) == 1 else 23
        return 0

    def _new_interaction_message(
        self: FakeDiscord,
        inter: FakeInteraction,
        data: dict,
        body: _Body,
        *,
        prefix: str,
        msg_type: int | None = None,
    ) -> FakeMessage:
        flags = _flag_int(data.get("flags")) & (
            FLAG_EPHEMERAL | FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2
        )
        files = self._prepare_files(
            data, body.uploads, limit=inter.attachment_size_limit, existing=None, prefix=prefix
        )
        self._validate_message(data, prefix, flags)
        message = self._create_message(
            channel_id=inter.channel_id,
            payload=data,
            files=files,
            flags=flags,
            interaction=inter,
            msg_type=self._interaction_message_type(inter) if msg_type is None else msg_type,
            webhook_id=self.application_id,
        )
        if self._is_empty(message):
            raise ApiError(400, 50006, "Cannot send an empty message")
        return message

    # -- interaction webhooks -------------------------------------------------------------------

    def _webhook_interaction(
        self: FakeDiscord, request: web.Request, app_id: str, token: str
    ) -> FakeInteraction:
        if app_id != str(self.application_id):
            raise ApiError(404, 10015, "Unknown Webhook")
        inter = self._by_token.get(token)
        if inter is None:
            raise ApiError(401, 50027, "Invalid Webhook Token")
        request[INTERACTION_KEY] = inter
        if self.clock() - inter.created_at > INTERACTION_TOKEN_TTL:
            raise ApiError(401, 50027, "Invalid Webhook Token")
        return inter

    def _webhook_message(
        self: FakeDiscord, inter: FakeInteraction, message_id: str
    ) -> FakeMessage:
        if message_id == "@original":
            msg = inter.original()
        else:
            mid = self._int_or(message_id, 404, 10008, "Unknown Message")
            msg = self.messages.get(mid)
            if msg is not None and msg.interaction_id != inter.id and msg.id != inter._original_id:
                msg = None
        if msg is None or msg.deleted:
            raise ApiError(404, 10008, "Unknown Message")
        return msg

    async def _followup(self: FakeDiscord, request: web.Request, app_id: str, token: str):
        inter = self._webhook_interaction(request, app_id, token)
        if not inter.responses:
            raise ApiError(404, 10015, "Unknown Webhook")
        body = await self._read_body(request)
        payload = body.json if isinstance(body.json, dict) else {}
        original = inter.original()
        if (original is not None and original.loading and not original.deleted
                and original.interaction_id == inter.id):
            # The first followup after a defer replaces the "thinking…" message; once that message
            # was deleted, a followup is a new message with its own flags (discord-api-docs#2739).
            self._edit_checked(
                original,
                body,
                limit=inter.attachment_size_limit,
                record={"_via": "followup", **self._describe_payload(payload, None)},
            )
            message = original
        else:
            message = self._new_interaction_message(inter, payload, body, prefix="", msg_type=0)
            self._register_message(message)
        inter.followups.append(message)
        self._changed()
        if request.query.get("wait") in ("1", "true", "True"):
            return self.message_payload(message)
        return no_content()

    async def _wh_get(self: FakeDiscord, request: web.Request, app_id: str, token: str, message_id: str):
        inter = self._webhook_interaction(request, app_id, token)
        return self.message_payload(self._webhook_message(inter, message_id))

    async def _wh_edit(self: FakeDiscord, request: web.Request, app_id: str, token: str, message_id: str):
        inter = self._webhook_interaction(request, app_id, token)
        msg = self._webhook_message(inter, message_id)
        body = await self._read_body(request)
        self._edit_checked(msg, body, limit=inter.attachment_size_limit)
        return self.message_payload(msg)

    async def _wh_delete(self: FakeDiscord, request: web.Request, app_id: str, token: str, message_id: str):
        inter = self._webhook_interaction(request, app_id, token)
        msg = self._webhook_message(inter, message_id)
        self._delete(msg)
        return no_content()

    def _delete(self: FakeDiscord, msg: FakeMessage) -> None:
        msg.deleted = True
        self._changed()
        if not msg.ephemeral:
            data: dict[str, Any] = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
            if msg.guild_id:
                data["guild_id"] = str(msg.guild_id)
            self._broadcast_soon("MESSAGE_DELETE", data, self._intent_for(msg))

    # -- channels -------------------------------------------------------------------------------

    def _channel_or_404(self: FakeDiscord, channel_id: str):
        cid = self._int_or(channel_id, 404, 10003, "Unknown Channel")
        channel = self.channels.get(cid)
        if channel is None:
            raise ApiError(404, 10003, "Unknown Channel")
        if channel.denied == 50001:
            raise ApiError(403, 50001, "Missing Access")
        return channel

    def _channel_message(self: FakeDiscord, channel, message_id: str) -> FakeMessage:
        mid = self._int_or(message_id, 404, 10008, "Unknown Message")
        msg = self.messages.get(mid)
        if msg is None or msg.deleted or msg.ephemeral or msg.channel_id != channel.id:
            raise ApiError(404, 10008, "Unknown Message")
        return msg

    async def _get_channel(self: FakeDiscord, request: web.Request, channel_id: str):
        return self._channel_payload(self._channel_or_404(channel_id))

    async def _get_history(self: FakeDiscord, request: web.Request, channel_id: str):
        channel = self._channel_or_404(channel_id)
        query = request.query
        limit = max(1, min(100, self._int_or(query.get("limit", 50), 400, 50035, "Invalid Form Body")))
        before = self._int_or(query["before"], 400, 50035, "Invalid Form Body") if "before" in query else None
        after = self._int_or(query["after"], 400, 50035, "Invalid Form Body") if "after" in query else None
        msgs = [
            m
            for m in self.messages.values()
            if m.channel_id == channel.id and not m.deleted and not m.ephemeral
            and (before is None or m.id < before)
            and (after is None or m.id > after)
        ]
        msgs.sort(key=lambda m: m.id, reverse=True)
        if after is not None and before is None:
            msgs = sorted(msgs, key=lambda m: m.id)[:limit]
            msgs.reverse()
        return [self.message_payload(m) for m in msgs[:limit]]

    async def _post_message(self: FakeDiscord, request: web.Request, channel_id: str):
        channel = self._channel_or_404(channel_id)
        if channel.denied == 50013:
            raise ApiError(403, 50013, "Missing Permissions")
        body = await self._read_body(request)
        payload = body.json if isinstance(body.json, dict) else {}
        flags = _flag_int(payload.get("flags")) & (
            FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2
        )
        files = self._prepare_files(
            payload, body.uploads, limit=self.upload_limit_for(channel.id), existing=None
        )
        self._validate_message(payload, "", flags)
        ref = payload.get("message_reference")
        msg_type = 0
        if ref is not None:
            target_id = self._int_or(ref.get("message_id"), 400, 50035, "Invalid Form Body")
            target = self.messages.get(target_id)
            if target is None or target.deleted or target.ephemeral or (
                target.channel_id != int(ref.get("channel_id") or channel.id)
            ):
                if ref.get("fail_if_not_exists", True):
                    raise form_error(
                        "message_reference",
                        "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                        "Unknown message",
                    )
                payload = {k: v for k, v in payload.items() if k != "message_reference"}
            else:
                msg_type = 19
                normalized: dict[str, Any] = {
                    "type": int(ref.get("type", 0) or 0),
                    "message_id": str(target.id),
                    "channel_id": str(target.channel_id),
                }
                if target.guild_id:
                    normalized["guild_id"] = str(target.guild_id)
                payload = {**payload, "message_reference": normalized}
        message = self._create_message(
            channel_id=channel.id, payload=payload, files=files, flags=flags, msg_type=msg_type
        )
        if self._is_empty(message):
            raise ApiError(400, 50006, "Cannot send an empty message")
        self.channel_messages.setdefault(channel.id, []).append(message)
        self._register_message(message)
        return self.message_payload(message)

    async def _get_message(self: FakeDiscord, request: web.Request, channel_id: str, message_id: str):
        channel = self._channel_or_404(channel_id)
        return self.message_payload(self._channel_message(channel, message_id))

    async def _edit_message(self: FakeDiscord, request: web.Request, channel_id: str, message_id: str):
        channel = self._channel_or_404(channel_id)
        msg = self._channel_message(channel, message_id)
        if msg.author_id != self.bot_user_id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        body = await self._read_body(request)
        self._edit_checked(msg, body, limit=self.upload_limit_for(channel.id))
        return self.message_payload(msg)

    async def _delete_message(self: FakeDiscord, request: web.Request, channel_id: str, message_id: str):
        channel = self._channel_or_404(channel_id)
        msg = self._channel_message(channel, message_id)
        self._delete(msg)
        return no_content()

    async def _typing(self: FakeDiscord, request: web.Request, channel_id: str):
        self._channel_or_404(channel_id)
        self.typing.append(int(channel_id))
        return no_content()

    async def _add_reaction(
        self: FakeDiscord, request: web.Request, channel_id: str, message_id: str, emoji: str
    ):
        channel = self._channel_or_404(channel_id)
        msg = self._channel_message(channel, message_id)
        if emoji not in msg.reactions:
            msg.reactions.append(emoji)
        return no_content()

    async def _remove_reaction(
        self: FakeDiscord, request: web.Request, channel_id: str, message_id: str, emoji: str
    ):
        channel = self._channel_or_404(channel_id)
        msg = self._channel_message(channel, message_id)
        if emoji in msg.reactions:
            msg.reactions.remove(emoji)
        return no_content()

    # -- guilds ---------------------------------------------------------------------------------

    def _guild_or_404(self: FakeDiscord, guild_id: str):
        gid = self._int_or(guild_id, 404, 10004, "Unknown Guild")
        guild = self.guilds.get(gid)
        if guild is None:
            raise ApiError(404, 10004, "Unknown Guild")
        return guild

    async def _get_guild(self: FakeDiscord, request: web.Request, guild_id: str):
        guild = self._guild_or_404(guild_id)
        out = self._guild_payload(guild.id)
        if request.query.get("with_counts") in ("1", "true", "True"):
            out["approximate_member_count"] = len(guild.members)
            out["approximate_presence_count"] = 0
        return out

    async def _get_guild_channels(self: FakeDiscord, request: web.Request, guild_id: str):
        guild = self._guild_or_404(guild_id)
        return [self._channel_payload(self.channels[c]) for c in guild.channel_ids]

    async def _get_guild_roles(self: FakeDiscord, request: web.Request, guild_id: str):
        guild = self._guild_or_404(guild_id)
        return [self._role_payload(guild.id, r) for r in guild.roles]

    async def _get_guild_members(self: FakeDiscord, request: web.Request, guild_id: str):
        guild = self._guild_or_404(guild_id)
        limit = max(1, min(1000, self._int_or(request.query.get("limit", 1), 400, 50035, "Invalid Form Body")))
        after = self._int_or(request.query.get("after", 0), 400, 50035, "Invalid Form Body")
        ids = sorted(u for u in guild.members if u > after)[:limit]
        return [self._member_payload(guild.id, u) for u in ids]

    async def _get_guild_member(self: FakeDiscord, request: web.Request, guild_id: str, user_id: str):
        guild = self._guild_or_404(guild_id)
        uid = self._int_or(user_id, 404, 10007, "Unknown Member")
        if uid not in guild.members:
            raise ApiError(404, 10007, "Unknown Member")
        return self._member_payload(guild.id, uid)

    # -- attachments (outside /api/v10) ---------------------------------------------------------

    async def _attachment_handler(self: FakeDiscord, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        self._changed()
        try:
            att_id = int(request.match_info["attachment_id"])
        except ValueError:
            return web.Response(status=404, text="Not Found")
        stored = self.attachment_store.get(att_id)
        if stored is None or stored.filename != request.match_info["filename"]:
            return web.Response(status=404, text="Not Found")
        return web.Response(
            body=stored.data,
            headers={"Content-Type": stored.content_type or "application/octet-stream"},
        )

    # -- small helpers --------------------------------------------------------------------------

    @staticmethod
    def _int_or(value: Any, status: int, code: int, message: str) -> int:
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ApiError(status, code, message) from exc
