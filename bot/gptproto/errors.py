"""Errors of the GPTProto client, one class per failure a member must hear about.

Each is a ``BotError``: its message id names the member's sentence in the catalogues
(``str(error)`` is the English one; never an admin detail, never the key), and ``admin_detail``
is the line for the admin's log. The client raises them ``from`` the
low-level aiohttp error, so nothing above it imports aiohttp.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bot.errors import BotError


class APIError(BotError):
    """Any failure of the image API."""

    log_level = logging.WARNING
    status: int | None = None

    def __init__(self, message: str | None = None, *, msg_id: str | None = None,
                 args: Mapping[str, Any] | None = None, admin_detail: str | None = None,
                 status: int | None = None):
        super().__init__(message, msg_id=msg_id, args=args, admin_detail=admin_detail)
        if status is not None:
            self.status = status


class AccountProblem(APIError):
    """The bot's API account cannot be used (bad key, no balance, no permission)."""

    log_level = logging.ERROR  # only the admin can fix the key or the balance

    def __init__(self, admin_detail: str, *, status: int | None = None) -> None:
        super().__init__(
            msg_id="api-account-problem",
            admin_detail=admin_detail,
            status=status,
        )


class AuthenticationError(AccountProblem):
    """401: the API key is missing or wrong."""

    status = 401


class InsufficientBalance(AccountProblem):
    """403: the account has no balance left."""

    status = 403


class PermissionDenied(AccountProblem):
    """403: the key may not use this model or endpoint."""

    status = 403


class RateLimited(APIError):
    """429, still there after the client's bounded retries."""

    status = 429

    def __init__(self, retry_after: float | None, *, admin_detail: str | None = None) -> None:
        self.retry_after = retry_after
        if retry_after is None:
            msg_id, args = "api-rate-limited", {}
        else:
            msg_id, args = "api-rate-limited-wait", {"seconds": max(1, round(retry_after))}
        super().__init__(
            msg_id=msg_id, args=args,
            admin_detail=admin_detail or f"GPTProto rate limit (429), Retry-After {retry_after}",
        )


class ContentPolicyViolation(APIError):
    """The provider's safety system refused the prompt or image (HTTP 400)."""

    status = 400

    def __init__(self, admin_detail: str | None = None) -> None:
        super().__init__(
            msg_id="api-content-policy",
            admin_detail=admin_detail,
        )


class BadRequest(APIError):
    """The provider refused the request as invalid; its own message is passed on, shortened."""

    status = 400

    def __init__(self, provider_message: str, *, admin_detail: str | None = None) -> None:
        self.provider_message = provider_message
        short = shorten(provider_message, 300)
        super().__init__(
            msg_id="api-bad-request", args={"reason": short},
            admin_detail=admin_detail or f"GPTProto 400: {provider_message}",
        )


class InputUnavailable(APIError):
    """The provider could not download an input image (Discord's links expire)."""

    status = 400

    def __init__(self, *, admin_detail: str | None = None) -> None:
        super().__init__(
            msg_id="api-input-unavailable",
            admin_detail=admin_detail,
        )


class ProviderError(APIError):
    """500/502/503/504 from the provider, after the client's retries."""


    def __init__(self, status: int, *, admin_detail: str | None = None) -> None:
        super().__init__(
            msg_id="api-provider-error", args={"status": str(status)},
            admin_detail=admin_detail or f"GPTProto answered HTTP {status}",
            status=status,
        )


class APITimeout(APIError):
    """The provider did not answer in time."""

    def __init__(self, seconds: float, *, admin_detail: str | None = None) -> None:
        self.seconds = seconds
        super().__init__(
            msg_id="api-timeout", args={"seconds": max(1, round(seconds))},
            admin_detail=admin_detail or f"GPTProto request timed out after {seconds:.0f} s",
        )


class APIConnectionError(APIError):
    """The provider could not be reached (refused, reset, DNS)."""


    def __init__(self, admin_detail: str) -> None:
        super().__init__(
            msg_id="api-connection",
            admin_detail=admin_detail,
        )


class MalformedResponse(APIError):
    """The answer was not what the documentation describes (no JSON, no data, no image)."""

    def __init__(self, admin_detail: str) -> None:
        super().__init__(
            msg_id="api-malformed",
            admin_detail=admin_detail,
        )


class PredictionFailed(APIError):
    """An asynchronous prediction ended with status ``failed``."""

    def __init__(self, error: str | None, *, prediction_id: str | None = None) -> None:
        self.error = error
        super().__init__(
            msg_id="api-prediction-failed" if error else "api-prediction-failed-no-reason",
            args={"reason": shorten(error, 300)} if error else {},
            admin_detail=f"prediction {prediction_id} failed: {error}",
        )


class PredictionTimeout(APIError):
    """A prediction did not complete before the deadline."""

    def __init__(self, seconds: float, *, prediction_id: str | None = None) -> None:
        super().__init__(
            msg_id="api-prediction-timeout", args={"seconds": max(1, round(seconds))},
            admin_detail=f"prediction {prediction_id} not completed after {seconds:.0f} s",
        )


class StreamBroken(APIError):
    """A streamed generation ended before its final image."""

    def __init__(self, admin_detail: str) -> None:
        super().__init__(
            msg_id="api-stream-broken",
            admin_detail=admin_detail,
        )


class NotFound(APIError):
    """The provider does not know the thing asked for (for instance a prediction id)."""

    status = 404

    def __init__(self, admin_detail: str) -> None:
        super().__init__(msg_id="api-not-found", admin_detail=admin_detail)


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
