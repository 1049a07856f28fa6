"""A fake GPTProto image API on 127.0.0.1 for the bot's tests and benchmarks.

It follows ``/work/shared/api-docs`` (the five provider pages and the README that lists where
they disagree), including the disagreements the bot must cope with: both ``Authorization``
forms, ``image`` vs ``images``, ``createdAt``/``hasNsfwContents`` vs
``created_at``/``has_nsfw_contents``, ``created`` in seconds vs milliseconds.

Run it in the test's own event loop::

    async with FakeGPTProto() as fake:
        ...  # point the bot at fake.base_url with fake.api_key
        fake.fail_next("429", retry_after=0.01)
        assert fake.generation_requests()[0].json["model"] == "gpt-image-1"

Endpoints: ``POST /v1/images/generations`` (synchronous, optionally SSE streaming),
``POST /api/v3/openai/{model}/image-edit`` (asynchronous prediction),
``GET /api/v3/predictions/{id}/result`` (poll) and ``GET /outputs/{name}`` (result files).
Images are real encoded bytes of the requested size and format (see :mod:`tests.fakes.imagegen`).

:meth:`FakeGPTProto.on_event` runs a test's callback the moment a request arrives, a partial
image is streamed or an answer is ready (see :data:`EVENTS` and :mod:`tests.fakes.hooks`).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from tests.fakes import imagegen
from tests.fakes.gptproto_models import (
    STREAM_MODELS,
    EditParams,
    GenerationParams,
    InvalidRequest,
    generation_usage,
    validate_edit,
    validate_generation,
)
from tests.fakes.hooks import Event, Hooks

__all__ = [
    "ANY_ROUTES",
    "EVENTS",
    "FAULT_KINDS",
    "FakeGPTProto",
    "FakePrediction",
    "Fault",
    "RecordedRequest",
]

Route = Literal["generate", "edit", "poll", "output", "other"]

#: Routes that ``route="any"`` matches (output downloads only match ``route="output"``).
ANY_ROUTES = frozenset({"generate", "edit", "poll"})
_ALL = frozenset({"generate", "edit", "poll", "output"})

#: Faults answered at once, before the request is validated or any work is done.
HTTP_FAULTS = frozenset({
    "401", "403_balance", "403_permission", "429", "500", "502", "503", "504",
    "content_policy", "bad_request", "non_json", "no_data", "hang", "close",
})
#: Faults that alter a valid request's result instead of replacing the answer.
CONTENT_FAULTS = frozenset({
    "bad_base64", "not_image", "truncated_image", "fewer_images", "output_404",
    "prediction_failed", "prediction_never_completes", "stream_break",
})
#: fault kind -> the routes it can apply to
FAULT_KINDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(HTTP_FAULTS, _ALL),
    "bad_base64": frozenset({"generate", "edit", "poll"}),
    "not_image": _ALL,
    "truncated_image": _ALL,
    "fewer_images": frozenset({"generate", "edit", "poll"}),
    "output_404": frozenset({"edit", "poll", "output"}),
    "prediction_failed": frozenset({"edit", "poll"}),
    "prediction_never_completes": frozenset({"edit", "poll"}),
    "stream_break": frozenset({"generate"}),
}

#: The events of :meth:`FakeGPTProto.on_event`: name -> when it fires and what ``event.data`` holds.
EVENTS: dict[str, str] = {
    "request": "a request arrived and was recorded, before it is handled. Data: request "
               "(RecordedRequest: route, json…). Droppable: the connection is closed unanswered "
               "and the fake does nothing more with it.",
    "partial": "a partial image of a streamed generation was written. Data: request, index.",
    "response": "a request was handled, before its answer is sent (not for dropped ones). Data: "
                "request (status set).",
}

#: Seconds, or a function of the request that gives them (``latency``, ``prediction_duration``).
Seconds = float | Callable[["RecordedRequest"], float]

_ASYNC_ROUTES = frozenset({"edit", "poll"})
_ROUTE_BY_HANDLER = {"_generate": "generate", "_edit": "edit", "_poll": "poll",
                     "_output": "output"}
_BAD_BASE64 = "iVBORw0KGgo!!not*base64@@" + "%" * 7
_CONTENT_POLICY_BODIES: tuple[dict[str, Any], ...] = (
    {"error": {
        "message": "Your request was rejected as a result of our safety system. Your request "
                   "may contain content that is not allowed by our safety system.",
        "type": "content_policy_violation",
        "code": "content_policy_violation",
    }},
    {"error": {"message": "Content blocked due to safety concerns", "type": "503"}},
    {"code": 400,
     "message": "content policy violation: the prompt or image was flagged by the safety system",
     "data": None},
)
_HTTP_FAULT_DEFAULTS: dict[str, tuple[int, str]] = {
    "401": (401, "Invalid signature"),
    "403_balance": (403, "Insufficient balance for the requested operation"),
    "403_permission": (403, "Your API key doesn't have permission to access this resource"),
    "429": (429, "Rate limit exceeded"),
    "500": (500, "An internal server error occurred"),
    "502": (502, "Bad Gateway"),
    "503": (503, "Service temporarily unavailable"),
    "504": (504, "Gateway Time-out"),
    "bad_request": (400, "Invalid request"),
}
_HTML_BY_DEFAULT = frozenset({"502", "504"})
_NGINX_PAGE = (
    "<html>\r\n<head><title>{code} {text}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {text}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_NON_JSON_PAGE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    "<body><h1>Checking your browser before accessing gptproto.com</h1></body></html>"
)


class _Closing(Exception):
    """Raised inside a handler when the fake shuts down under it."""


@dataclass
class RecordedRequest:
    """One request the fake received, recorded before it was answered."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any  # the parsed body, or None when absent or not JSON
    body: bytes  # the raw body
    time: float  # time.monotonic() on arrival
    route: Route = "other"
    #: how the Authorization header was written: "bearer", "bare", "missing", "invalid";
    #: None where no key is needed (output files, unknown paths)
    auth: str | None = None
    status: int | None = None  # HTTP status sent (None when the connection was dropped)
    fault: str | None = None  # the fail_next kind applied to this request, if any
    #: time.monotonic() when the answer was ready (None while being handled or when dropped)
    finished: float | None = None

    @property
    def raw_body(self) -> bytes:
        """Alias of :attr:`body`."""
        return self.body


_RECORD = web.RequestKey("gptproto_record", RecordedRequest)
_DROPPED = web.RequestKey("gptproto_dropped", bool)


@dataclass
class Fault:
    """A queued ``fail_next`` fault: applies to the next ``times`` matching requests."""

    kind: str
    route: str
    times: int
    options: dict[str, Any]

    def matches(self, route: str, *, streaming: bool = False) -> bool:
        """Whether this fault applies to a request on ``route``."""
        if self.route != route and not (self.route == "any" and route in ANY_ROUTES):
            return False
        if route not in FAULT_KINDS[self.kind]:
            return False
        return self.kind != "stream_break" or streaming


@dataclass
class FakePrediction:
    """An asynchronous image-edit job; its status follows the clock.

    ``created`` for the first quarter of ``duration``, then ``processing``, then
    ``completed`` (or ``failed``) once ``duration`` seconds have passed since submission.
    """

    id: str
    model: str
    params: EditParams
    created_at: float  # time.monotonic() at submission
    created_wall: float  # time.time() at submission
    duration: float  # seconds, already multiplied by time_scale
    inputs: list[bytes] = field(default_factory=list)  # downloaded input images
    mask: bytes | None = None  # downloaded mask
    poll_count: int = 0
    #: time.monotonic() when a poll first reported the final status (None before)
    completed_at: float | None = None
    #: content faults attached to this prediction: kind -> options
    faults: dict[str, dict[str, Any]] = field(default_factory=dict)
    images: list[bytes] = field(default_factory=list)  # rendered outputs, once ready
    output_names: list[str] = field(default_factory=list)
    _render: asyncio.Task | None = field(default=None, repr=False)

    @property
    def input_key(self) -> str:
        """The JSON key the request used for input images ("image" or "images")."""
        return self.params.input_key

    @property
    def completes_at(self) -> float | None:
        """time.monotonic() at which the prediction becomes final (None: never)."""
        if "prediction_never_completes" in self.faults:
            return None
        return self.created_at + self.duration

    def status_at(self, now: float) -> str:
        """The status a poll at monotonic time ``now`` reports."""
        elapsed = now - self.created_at
        done = self.completes_at
        if done is not None and now >= done:
            return "failed" if "prediction_failed" in self.faults else "completed"
        if elapsed < self.duration * 0.25:
            return "created"
        return "processing"

    @property
    def status(self) -> str:
        """The status a poll made now would report."""
        return self.status_at(time.monotonic())

    @property
    def error(self) -> str | None:
        """The failure message once failed, else None."""
        if self.status != "failed":
            return None
        return self.faults["prediction_failed"].get("message", "Image generation failed")


class FakeGPTProto:
    """The fake provider. Start it with ``await start()`` or ``async with``.

    Attributes tests may set at any time:

    - ``latency``: seconds each text-to-image generation takes (before ``time_scale``); or a
      function of the :class:`RecordedRequest` giving them, for a different latency per request.
    - ``prediction_duration``: seconds an edit prediction takes to complete (default 2.0),
      fixed for a prediction when it is submitted; or a function of the request, like ``latency``.
    - ``time_scale``: multiplies every simulated duration (latency, prediction duration,
      stream spacing, hangs with ``seconds=``); benchmarks use tiny scales.
    - ``stream_partial_delay``: seconds between SSE partial images (default 0.1).
    - ``output_mode``: "url" or "b64" forces how edit outputs are given; None follows the
      request's ``response_format``.
    - ``stream_completed_first``: send the completed event(s) before the partials.
    - ``ignore_stream``: answer streaming requests with plain JSON.
    - ``noisy_images``: make large, incompressible images (for upload-limit tests).
    - ``usage``: a ``usage`` object every generation answers with instead of the plausible one
      (for settling tests: a real provider's usage differs from any estimate).
    """

    def __init__(self, *, api_key: str = "sk-test-0123456789abcdef", latency: Seconds = 0.0,
                 time_scale: float = 1.0) -> None:
        self.api_key = api_key
        self.latency: Seconds = latency
        self.time_scale = time_scale
        self.prediction_duration: Seconds = 2.0
        self.stream_partial_delay = 0.1
        self.output_mode: Literal["url", "b64"] | None = None
        self.stream_completed_first = False
        self.ignore_stream = False
        self.noisy_images = False
        self.usage: dict[str, Any] | None = None
        self.requests: list[RecordedRequest] = []
        self.predictions: dict[str, FakePrediction] = {}
        self.faults: list[Fault] = []
        #: generation and edit-submit requests being handled right now, and the peak
        self.in_flight = 0
        self.max_in_flight = 0
        self.base_url = ""
        self.port = 0
        self._outputs: dict[str, tuple[FakePrediction, int]] = {}
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._closing = asyncio.Event()
        self.hooks = Hooks(EVENTS, droppable=frozenset({"request"}))

    # ------------------------------------------------------------------ lifecycle

    def make_app(self) -> web.Application:
        """The aiohttp application (routes plus the recording middleware)."""
        app = web.Application(middlewares=[self._record_middleware],
                              client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/images/generations", self._generate)
        app.router.add_post("/api/v3/openai/{model}/image-edit", self._edit)
        app.router.add_get("/api/v3/predictions/{id}/result", self._poll)
        app.router.add_get("/outputs/{name}", self._output)
        return app

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port and set ``base_url``."""
        self._closing = asyncio.Event()
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._runner = web.AppRunner(self.make_app(), shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{self.port}"

    async def close(self) -> None:
        """Stop serving: hanging and streaming handlers end, pending renders are cancelled."""
        self._closing.set()
        renders = [p._render for p in self.predictions.values()
                   if p._render is not None and not p._render.done()]
        for task in renders:
            task.cancel()
        await asyncio.gather(*renders, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> FakeGPTProto:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ test API

    def fail_next(self, kind: str, *, times: int = 1, route: str = "any", **kw: Any) -> None:
        """Queue a fault for the next ``times`` requests that match ``route``.

        ``route`` is "generate", "edit" (submit), "poll", "output" (result file download)
        or "any" (generate, edit or poll; the first one the kind applies to). Faults are taken
        in the order they were queued. Kinds, with their keyword options:

        - "401", "403_balance", "403_permission", "500", "503": JSON error body
          ``{"error": {"message", "type"}}``; "502", "504": an nginx HTML page by default.
          All take ``message=``, ``retry_after=`` (sets ``Retry-After``), ``body="html"|"json"``
          and ``shape="error"|"envelope"`` (the async ``{"code","message","data":null}`` form).
        - "429": ``retry_after=`` seconds (default 1) in ``Retry-After`` and the rate-limit body.
        - "content_policy": HTTP 400, ``variant=`` 0 (OpenAI safety system), 1 ("type": "503")
          or 2 (async envelope).
        - "bad_request": HTTP 400 with ``message=`` (envelope form on edit/poll).
        - "non_json": 200 with an HTML page. "no_data": 200 JSON without ``data``.
        - "hang": no answer until the fake closes (the connection is then dropped), or for
          ``seconds=`` (times ``time_scale``) after which the request is served normally.
        - "close": drop the connection without an answer.
        - "bad_base64", "not_image", "truncated_image": the images are broken that way (for
          URL outputs the file served is non-image or truncated bytes).
        - "fewer_images": ``count=`` images (default n - 1) instead of n.
        - "output_404": the prediction's output URLs answer 404.
        - "prediction_failed": the prediction ends ``failed`` with ``error=message``.
        - "prediction_never_completes": the prediction stays ``processing``.
        - "stream_break": a streaming generation is cut after its first event (only matches
          requests with ``"stream": true`` that are streamed).

        Content faults given to "edit" or "poll" attach to that prediction.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {sorted(FAULT_KINDS)}")
        if route != "any" and route not in FAULT_KINDS[kind]:
            raise ValueError(f"fault {kind!r} cannot apply to route {route!r}")
        if route == "any" and not FAULT_KINDS[kind] & ANY_ROUTES:
            raise ValueError(f"fault {kind!r} needs an explicit route")
        if times < 1:
            raise ValueError("times must be at least 1")
        if kind == "content_policy" and kw.get("variant", 0) not in (0, 1, 2):
            raise ValueError("content_policy variant must be 0, 1 or 2")
        self.faults.append(Fault(kind, route, times, dict(kw)))

    def on_event(self, name: str, callback: Callable[[Event], Any]) -> Callable[[], None]:
        """Call ``callback(event)`` synchronously each time event ``name`` happens (see
        :data:`EVENTS`); returns a function that removes it. A ``request`` callback that returns
        :data:`~tests.fakes.hooks.DROP` makes the fake close that connection unanswered."""
        return self.hooks.on(name, callback)

    @property
    def hook_errors(self) -> list[str]:
        """Tracebacks of ``on_event`` callbacks that raised; should stay empty."""
        return self.hooks.errors

    def clear_faults(self) -> None:
        """Forget every queued fault."""
        self.faults.clear()

    def reset(self) -> None:
        """Forget recorded requests, queued faults and the in-flight peak (predictions stay)."""
        self.requests.clear()
        self.faults.clear()
        self.max_in_flight = self.in_flight

    def prediction(self, id: str) -> FakePrediction:
        """The prediction with this id (KeyError if unknown)."""
        return self.predictions[id]

    def requests_for(self, route: str) -> list[RecordedRequest]:
        """Recorded requests on one route: generate, edit, poll, output or other."""
        return [r for r in self.requests if r.route == route]

    def generation_requests(self) -> list[RecordedRequest]:
        """Every ``POST /v1/images/generations``."""
        return self.requests_for("generate")

    def edit_requests(self) -> list[RecordedRequest]:
        """Every ``POST /api/v3/openai/{model}/image-edit``."""
        return self.requests_for("edit")

    def poll_requests(self) -> list[RecordedRequest]:
        """Every ``GET /api/v3/predictions/{id}/result``."""
        return self.requests_for("poll")

    def output_requests(self) -> list[RecordedRequest]:
        """Every ``GET /outputs/{name}``."""
        return self.requests_for("output")

    def output_url(self, name: str) -> str:
        """The URL at which output file ``name`` is served."""
        return f"{self.base_url}/outputs/{name}"

    def result_url(self, prediction_id: str) -> str:
        """The poll URL of a prediction."""
        return f"{self.base_url}/api/v3/predictions/{prediction_id}/result"

    # ------------------------------------------------------------------ plumbing

    @web.middleware
    async def _record_middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        body = await request.read()
        parsed = None
        if body:
            with contextlib.suppress(ValueError):
                parsed = json.loads(body)
        handler_name = getattr(request.match_info.handler, "__name__", "")
        route: Route = _ROUTE_BY_HANDLER.get(handler_name, "other")  # type: ignore[assignment]
        rec = RecordedRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=dict(request.headers),
            json=parsed,
            body=body,
            time=time.monotonic(),
            route=route,
        )
        self.requests.append(rec)
        request[_RECORD] = rec
        if self.hooks.emit("request", request=rec):
            self._drop(request)
            return web.Response(status=503)
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            rec.status = exc.status
            raise
        except _Closing:
            rec.status = None
            self._drop(request)
            return web.Response(status=503)
        rec.status = None if request.get(_DROPPED) else response.status
        if rec.status is not None:
            rec.finished = time.monotonic()
            self.hooks.emit("response", request=rec)
        return response

    def _drop(self, request: web.Request) -> None:
        request[_DROPPED] = True
        transport = request.transport
        if transport is not None:
            transport.close()

    def _scaled(self, seconds: float) -> float:
        return max(0.0, seconds * self.time_scale)

    @staticmethod
    def _seconds(value: Seconds, rec: RecordedRequest) -> float:
        """A duration attribute's value for this request (see ``latency``)."""
        return float(value(rec)) if callable(value) else float(value)

    async def _sleep(self, seconds: float) -> None:
        """Sleep, unless the fake closes first (then raise _Closing)."""
        if self._closing.is_set():
            raise _Closing
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)
            raise _Closing

    def _check_auth(self, request: web.Request) -> str:
        value = request.headers.get("Authorization")
        if value is None:
            return "missing"
        value = value.strip()
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "bearer" and rest.strip() == self.api_key:
            return "bearer"
        if value == self.api_key:
            return "bare"
        return "invalid"

    def _take_fault(self, route: str, *, streaming: bool = False) -> Fault | None:
        for fault in self.faults:
            if fault.matches(route, streaming=streaming):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _restore_fault(self, fault: Fault) -> None:
        if fault in self.faults:
            fault.times += 1
        else:
            fault.times = 1
            self.faults.insert(0, fault)

    def _bump(self, delta: int) -> None:
        self.in_flight += delta
        self.max_in_flight = max(self.max_in_flight, self.in_flight)

    @staticmethod
    def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None
              ) -> web.Response:
        return web.Response(status=status, text=json.dumps(data),
                            content_type="application/json", headers=headers)

    @staticmethod
    def _unauthorized() -> web.Response:
        return FakeGPTProto._json({"error": {"message": "Invalid signature", "type": "401"}}, 401)

    def _invalid(self, route: str, exc: InvalidRequest) -> web.Response:
        if route in _ASYNC_ROUTES:
            return self._json({"code": 400, "message": exc.message, "data": None}, 400)
        err: dict[str, Any] = {"message": exc.message, "type": "400"}
        if exc.param:
            err["param"] = exc.param
        return self._json({"error": err}, 400)

    async def _http_fault(self, request: web.Request, route: str, fault: Fault
                          ) -> web.StreamResponse | None:
        """Answer an HTTP-level fault; None means "carry on normally" (a finite hang)."""
        kind, opts = fault.kind, fault.options
        request[_RECORD].fault = kind
        if kind == "hang":
            if "seconds" in opts:
                await self._sleep(self._scaled(float(opts["seconds"])))
                return None
            await self._closing.wait()
            raise _Closing
        if kind == "close":
            self._drop(request)
            return web.Response(status=500)
        if kind == "non_json":
            return web.Response(status=200, text=_NON_JSON_PAGE, content_type="text/html")
        if kind == "no_data":
            if route == "generate":
                return self._json({"created": int(time.time()), "output_format": "png",
                                   "usage": {"input_tokens": 0, "output_tokens": 0,
                                             "total_tokens": 0}})
            return self._json({"code": 200, "message": "success"})
        if kind == "content_policy":
            return self._json(_CONTENT_POLICY_BODIES[int(opts.get("variant", 0))], 400)
        status, message = _HTTP_FAULT_DEFAULTS[kind]
        message = opts.get("message", message)
        headers: dict[str, str] = {}
        retry_after = opts.get("retry_after", 1 if kind == "429" else None)
        if retry_after is not None:
            headers["Retry-After"] = _retry_after_text(retry_after)
        body_kind = opts.get("body", "html" if kind in _HTML_BY_DEFAULT else "json")
        if body_kind == "html":
            text = _NGINX_PAGE.format(code=status, text=message)
            return web.Response(status=status, text=text, content_type="text/html",
                                headers=headers)
        default_shape = "envelope" if kind == "bad_request" and route in _ASYNC_ROUTES else "error"
        if opts.get("shape", default_shape) == "envelope":
            return self._json({"code": status, "message": message, "data": None}, status,
                              headers)
        return self._json({"error": {"message": message, "type": str(status)}}, status, headers)

    async def _prologue(self, request: web.Request, route: str, *, streaming: bool = False
                        ) -> tuple[web.StreamResponse | None, Fault | None]:
        """Auth, then the next matching fault: (answer to send now, content fault to apply)."""
        rec: RecordedRequest = request[_RECORD]
        if route != "output":
            rec.auth = self._check_auth(request)
            if rec.auth not in ("bearer", "bare"):
                return self._unauthorized(), None
        fault = self._take_fault(route, streaming=streaming)
        if fault is None:
            return None, None
        if fault.kind in HTTP_FAULTS:
            return await self._http_fault(request, route, fault), None
        rec.fault = fault.kind
        return None, fault

    # ------------------------------------------------------------------ text to image

    async def _generate(self, request: web.Request) -> web.StreamResponse:
        rec: RecordedRequest = request[_RECORD]
        body = rec.json
        streaming = (isinstance(body, dict) and body.get("stream") is True
                     and not self.ignore_stream
                     and (body.get("model") or "gpt-image-1") in STREAM_MODELS)
        answer, fault = await self._prologue(request, "generate", streaming=streaming)
        if answer is not None:
            return answer
        try:
            params = validate_generation(body)
        except InvalidRequest as exc:
            if fault is not None:
                rec.fault = None
                self._restore_fault(fault)
            return self._invalid("generate", exc)
        self._bump(+1)
        try:
            if streaming:
                return await self._stream(request, params, fault)
            await self._sleep(self._scaled(self._seconds(self.latency, rec)))
            images = await self._make_generation_images(params)
            data = [{"b64_json": b} for b in self._broken_b64(images, params.n, fault)]
            return self._json(self._generation_body(params, data, partials=0))
        finally:
            self._bump(-1)

    async def _make_generation_images(self, p: GenerationParams) -> list[bytes]:
        alpha = p.background == "transparent"
        quality = p.output_compression if p.output_format in ("jpeg", "webp") else None

        def args(i: int) -> dict[str, Any]:
            return {"width": p.width, "height": p.height, "seed": imagegen.seed_for(p.model, p.prompt, i),
                    "fmt": p.output_format, "alpha": alpha, "quality": quality, "noisy": self.noisy_images}

        # Images made before are answered at once, with no trip to a thread: ``latency`` is all
        # the time a request should take, and such a trip costs a turn of this fake's loop, which
        # under a benchmark's burst (hundreds of requests) is milliseconds of delay per request.
        known = [image for i in range(p.n) if (image := imagegen.cached_image(**args(i))) is not None]
        if len(known) == p.n:
            return known
        return list(await asyncio.gather(*(asyncio.to_thread(functools.partial(imagegen.make_image, **args(i)))
                                           for i in range(p.n))))

    def _broken_b64(self, images: list[bytes], n: int, fault: Fault | None) -> list[str]:
        """Base64 strings of ``images``, broken as ``fault`` says."""
        kind = fault.kind if fault else None
        if kind == "fewer_images":
            images = images[: int(fault.options.get("count", max(0, n - 1)))]
        if kind == "bad_base64":
            return [_BAD_BASE64 for _ in images]
        if kind == "not_image":
            images = [imagegen.NOT_IMAGE_BYTES for _ in images]
        elif kind == "truncated_image":
            images = [imagegen.truncate(b) for b in images]
        return [base64.b64encode(b).decode("ascii") for b in images]

    def _generation_body(self, p: GenerationParams, data: list[dict[str, Any]], *,
                         partials: int) -> dict[str, Any]:
        usage = self.usage if self.usage is not None else generation_usage(p, images=p.n, partials=partials)
        if p.model == "gemini-2.5-flash-image":
            return {
                "created": int(time.time() * 1000),
                "data": data,
                "output_format": p.output_format,
                "quality": "high",
                "size": p.size,
                "usage": usage,
            }
        return {
            "created": int(time.time()),
            "background": "opaque" if p.background == "auto" else p.background,
            "data": data,
            "output_format": p.output_format,
            "quality": "medium" if p.quality == "auto" else p.quality,
            "size": "1024x1024" if p.size == "auto" else p.size,
            "usage": usage,
        }

    async def _stream(self, request: web.Request, p: GenerationParams, fault: Fault | None
                      ) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                           "Cache-Control": "no-cache"})
        try:
            await resp.prepare(request)
        except ConnectionResetError:  # the client went away before the stream began
            self._drop(request)
            return resp
        body = self._generation_body(p, [], partials=p.partial_images)
        common = {
            "size": body["size"],
            "output_format": p.output_format,
            "quality": body["quality"],
            "background": body["background"],
            "created_at": body["created"],
        }
        images = await self._make_generation_images(p)
        finals = self._broken_b64(images, p.n, fault)
        partials: list[dict[str, Any]] = []
        if p.partial_images:
            partial_bytes = await asyncio.gather(*(
                asyncio.to_thread(imagegen.make_partial, images[0], index=i, fmt=p.output_format)
                for i in range(p.partial_images)
            ))
            partials = [
                {"type": "image_generation.partial_image",
                 "b64_json": base64.b64encode(b).decode("ascii"),
                 "partial_image_index": i, **common}
                for i, b in enumerate(partial_bytes)
            ]
        completed = [
            {"type": "image_generation.completed", "b64_json": b, **common,
             "usage": body["usage"]}
            for b in finals
        ]
        delay = self._scaled(self.stream_partial_delay)
        latency = self._scaled(self._seconds(self.latency, request[_RECORD]))
        steps: list[tuple[float, dict[str, Any]]] = []
        if self.stream_completed_first:
            steps += [(latency if i == 0 else 0.0, ev) for i, ev in enumerate(completed)]
            steps += [(delay, ev) for ev in partials]
        else:
            steps += [(delay, ev) for ev in partials]
            steps += [(latency if i == 0 else 0.0, ev) for i, ev in enumerate(completed)]
        for i, (pause, event) in enumerate(steps):
            await self._sleep(pause)
            try:
                await resp.write(_sse(event))
            except ConnectionResetError:  # the client went away (a killed bot, say)
                self._drop(request)
                return resp
            if event["type"] == "image_generation.partial_image":
                self.hooks.emit("partial", request=request[_RECORD], index=event["partial_image_index"])
            if i == 0 and fault is not None and fault.kind == "stream_break":
                await asyncio.sleep(0)
                self._drop(request)
                return resp
        with contextlib.suppress(ConnectionResetError):
            await resp.write_eof()
        return resp

    # ------------------------------------------------------------------ image edit

    async def _edit(self, request: web.Request) -> web.StreamResponse:
        rec: RecordedRequest = request[_RECORD]
        model = request.match_info["model"]
        answer, fault = await self._prologue(request, "edit")
        if answer is not None:
            return answer
        try:
            params = validate_edit(model, rec.json)
        except InvalidRequest as exc:
            if fault is not None:
                rec.fault = None
                self._restore_fault(fault)
            return self._invalid("edit", exc)
        self._bump(+1)
        try:
            try:
                inputs = [await self._download(u) for u in params.image_urls]
                mask = await self._download(params.mask_url) if params.mask_url else None
                self._check_mask(inputs[0], mask)
            except InvalidRequest as exc:
                if fault is not None:
                    rec.fault = None
                    self._restore_fault(fault)
                return self._invalid("edit", exc)
            pred = FakePrediction(
                id=uuid.uuid4().hex,
                model=model,
                params=params,
                created_at=time.monotonic(),
                created_wall=time.time(),
                duration=self._scaled(self._seconds(self.prediction_duration, rec)),
                inputs=inputs,
                mask=mask,
            )
            if fault is not None:
                pred.faults[fault.kind] = fault.options
            self.predictions[pred.id] = pred
            pred._render = asyncio.create_task(self._render_prediction(pred))
            return self._json(self._envelope(pred, "created"))
        finally:
            self._bump(-1)

    async def _download(self, url: str) -> bytes:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname != "127.0.0.1":
            raise InvalidRequest(f"could not fetch image: {url}", "image")
        assert self._session is not None
        try:
            async with self._session.get(url) as resp:
                if resp.status != 200:
                    raise InvalidRequest(
                        f"failed to download image: {url} answered HTTP {resp.status}", "image"
                    )
                data = await resp.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise InvalidRequest(f"failed to download image: {url}: {exc!r}", "image") from exc
        if len(data) >= 50 * 1024 * 1024:
            raise InvalidRequest(f"image too large (must be under 50 MB): {url}", "image")
        try:
            fmt, _, _ = await asyncio.to_thread(imagegen.describe, data)
        except Exception as exc:
            raise InvalidRequest(f"failed to download image: {url} is not an image",
                                 "image") from exc
        if fmt not in ("PNG", "JPEG", "WEBP"):
            raise InvalidRequest(f"unsupported image format {fmt}: use png, webp or jpg",
                                 "image")
        return data

    @staticmethod
    def _check_mask(first: bytes, mask: bytes | None) -> None:
        if mask is None:
            return
        fmt, size, _ = imagegen.describe(mask)
        if fmt != "PNG":
            raise InvalidRequest("mask must be a valid PNG file", "mask")
        if len(mask) >= 4 * 1024 * 1024:
            raise InvalidRequest("mask must be less than 4MB", "mask")
        if size != imagegen.describe(first)[1]:
            raise InvalidRequest("mask must have the same dimensions as image", "mask")

    async def _render_prediction(self, pred: FakePrediction) -> None:
        p = pred.params

        def one(i: int) -> bytes:
            return imagegen.derive_edit(
                pred.inputs, p.width, p.height, seed=imagegen.seed_for(p.prompt, i),
                fmt=p.output_format, alpha=p.background == "transparent", mask=pred.mask,
            )

        pred.images = list(await asyncio.gather(*(asyncio.to_thread(one, i)
                                                  for i in range(p.n))))
        ext = "jpg" if p.output_format == "jpeg" else p.output_format
        pred.output_names = [f"{pred.id}-{i}.{ext}" for i in range(p.n)]
        for i, name in enumerate(pred.output_names):
            self._outputs[name] = (pred, i)

    def _envelope(self, pred: FakePrediction, status: str, outputs: list[str] | None = None,
                  error: str | None = None) -> dict[str, Any]:
        final = status in ("completed", "failed")
        ms = int(pred.duration * 1000) if final else 0
        outputs = outputs or []
        created = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(pred.created_wall))
        data: dict[str, Any] = {
            "id": pred.id,
            "model": pred.model,
            "outputs": outputs,
            "urls": {"get": self.result_url(pred.id)},
        }
        if pred.model == "gpt-image-1.5-plus":
            data.update({
                "hasNsfwContents": [False] * len(outputs),
                "status": status,
                "createdAt": created,
                "error": error or "",
                "executionTime": ms,
                "timings": {"inference": ms},
            })
        else:
            data.update({
                "status": status,
                "error": error,
                "executionTime": ms,
                "timings": {"inference": ms},
                "has_nsfw_contents": [False] * len(outputs),
                "created_at": created,
            })
        return {"data": data, "message": "success", "code": 200}

    # ------------------------------------------------------------------ polling, outputs

    async def _poll(self, request: web.Request) -> web.StreamResponse:
        rec: RecordedRequest = request[_RECORD]
        pred = self.predictions.get(request.match_info["id"])
        if pred is not None and self._check_auth(request) in ("bearer", "bare"):
            pred.poll_count += 1
        answer, fault = await self._prologue(request, "poll")
        if answer is not None:
            return answer
        if pred is None:
            if fault is not None:
                rec.fault = None
                self._restore_fault(fault)
            return self._json({"code": 404, "message": "prediction not found", "data": None},
                              404)
        if fault is not None:
            pred.faults[fault.kind] = fault.options
        status = pred.status
        if status == "failed":
            pred.completed_at = pred.completed_at or time.monotonic()
            return self._json(self._envelope(pred, "failed", error=pred.error))
        if status != "completed":
            return self._json(self._envelope(pred, status))
        if pred._render is not None:
            await pred._render
        pred.completed_at = pred.completed_at or time.monotonic()
        return self._json(self._envelope(pred, "completed", outputs=self._outputs_for(pred)))

    def _outputs_for(self, pred: FakePrediction) -> list[str]:
        count = len(pred.images)
        if "fewer_images" in pred.faults:
            count = int(pred.faults["fewer_images"].get("count", max(0, count - 1)))
        mode = self.output_mode or ("b64" if pred.params.response_format == "b64_json" else "url")
        if mode == "url":
            return [self.output_url(name) for name in pred.output_names[:count]]
        if "bad_base64" in pred.faults:
            return [_BAD_BASE64] * count
        return [base64.b64encode(self._file_bytes(pred, i, pred.faults)).decode("ascii")
                for i in range(count)]

    @staticmethod
    def _file_bytes(pred: FakePrediction, index: int, faults: dict[str, Any]) -> bytes:
        if "not_image" in faults or "bad_base64" in faults:
            return imagegen.NOT_IMAGE_BYTES
        if "truncated_image" in faults:
            return imagegen.truncate(pred.images[index])
        return pred.images[index]

    async def _output(self, request: web.Request) -> web.StreamResponse:
        answer, fault = await self._prologue(request, "output")
        if answer is not None:
            return answer
        found = self._outputs.get(request.match_info["name"])
        if found is None or "output_404" in found[0].faults or (
                fault is not None and fault.kind == "output_404"):
            return web.Response(status=404, text="404: Not Found")
        pred, index = found
        faults = dict(pred.faults)
        if fault is not None:
            faults[fault.kind] = fault.options
        ext = pred.params.output_format
        return web.Response(body=self._file_bytes(pred, index, faults),
                            content_type=imagegen.MIME_TYPES[ext])


def _retry_after_text(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _sse(event: dict[str, Any]) -> bytes:
    return f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode()
