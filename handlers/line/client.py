"""Outbound calls to the LINE Messaging API: timeouts on every call, push retries with a fixed retry key."""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    ApiResponse,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    ShowLoadingAnimationRequest,
)

from bot.metrics import OUTBOUND_ERRORS

log = logging.getLogger(__name__)

MAX_PER_CALL = 5
ApiCall = Callable[[], Any]


class JsonApiClient(ApiClient):  # type: ignore[misc]  # the SDK has no type hints
    """The SDK's ApiClient, taking a plain JSON dict as it is.

    The SDK walks every node of a body to turn models into dicts; the bot's bodies are dicts already (a Flex
    bubble has hundreds of nodes), and the walk cost more CPU than the rest of the HTTP call. Models (the typed
    calls: loading, profile, leave) still go through the SDK's own conversion.
    """

    def sanitize_for_serialization(self, obj: Any) -> Any:
        """Plain dicts (bodies, headers) as they are; anything else the SDK's way."""
        if isinstance(obj, dict):
            return obj
        return super().sanitize_for_serialization(obj)


class ReplyOutcome(enum.Enum):
    """What became of a reply: sent, or whether a push may still deliver it."""

    SENT = "sent"
    TRY_PUSH = "try_push"  # token expired/invalid, 5xx or timeout: the answer has not (knowingly) arrived
    GIVE_UP = "give_up"  # quota, rate limit or a request LINE refuses: pushing would not help


def _request_id(headers: Mapping[str, str] | None) -> str:
    return (headers or {}).get("X-Line-Request-Id", "-")


def _error_message(exc: ApiException) -> str:
    """LINE's error message (no user content in it), for logs and for telling quota from rate limit."""
    try:
        return str(json.loads(exc.body or "{}").get("message", ""))[:200]
    except (ValueError, AttributeError):
        return ""


class LineClient:
    """The few Messaging API calls the bot makes, with the failure policy in one place."""

    def __init__(
        self,
        access_token: str,
        api_base_url: str,
        data_api_base_url: str,
        timeout: tuple[float, float] = (3.0, 10.0),
        push_attempts: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        connections: int = 32,
    ) -> None:
        self.timeout = timeout
        self.push_attempts = push_attempts
        self.backoff = backoff
        self._sleep = sleep
        self.api = MessagingApi(JsonApiClient(self._configuration(access_token, api_base_url, connections)))
        self.blob = MessagingApiBlob(ApiClient(self._configuration(access_token, data_api_base_url, connections)))

    @staticmethod
    def _configuration(access_token: str, host: str, connections: int) -> Configuration:
        config = Configuration(access_token=access_token, host=host.rstrip("/"))
        config.retries = 0  # our own retry policy decides; urllib3 would silently re-send
        # One kept-alive connection per worker thread: the SDK's default (5 per CPU) made the other threads open
        # (and throw away) a new TLS connection for every call while LINE answered slowly.
        config.connection_pool_maxsize = connections
        return config

    def _call(self, name: str, call: ApiCall) -> Any:
        """Run one API call, logging its X-Line-Request-Id; errors propagate to the caller's policy."""
        try:
            response = call()
        except ApiException as exc:
            OUTBOUND_ERRORS.labels(platform="line").inc()
            log.warning("line %s failed status=%s request_id=%s message=%s",
                        name, exc.status, _request_id(exc.headers), _error_message(exc))
            raise
        except urllib3.exceptions.HTTPError as exc:
            OUTBOUND_ERRORS.labels(platform="line").inc()
            log.warning("line %s failed: %s", name, type(exc).__name__)
            raise
        log.info("line %s ok status=%s request_id=%s", name, response.status_code, _request_id(response.headers))
        return response

    def _post_messages(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> ApiResponse:
        """POST a reply/push body through the SDK's ApiClient (auth, connection pool, timeouts, ApiException).

        The messages stay the plain dicts handlers/line/replies.py builds: the typed wrappers would turn every
        Flex bubble into SDK models and back, about half of the CPU an answered event costs. The fake API in
        tests/line validates every body against the SDK's models, as LINE validates it. The answer's body (the
        sent messages' ids) is not read, so no response type is given and the SDK does not parse it.
        """
        return self.api.api_client.call_api(
            path, "POST", header_params={"Accept": "application/json", "Content-Type": "application/json",
                                         **(headers or {})},
            body=body, auth_settings=["Bearer"], response_types_map={}, _request_timeout=self.timeout,
            _host=self.api.line_base_path)

    def reply(self, reply_token: str, messages: list[dict[str, Any]]) -> ReplyOutcome:
        """Answer with the reply token (free of quota). Never retried: a token is single use."""
        body = {"replyToken": reply_token, "messages": messages}
        try:
            self._call("reply", lambda: self._post_messages("/v2/bot/message/reply", body))
        except ApiException as exc:
            if exc.status == 400 and "reply token" in _error_message(exc).lower():
                return ReplyOutcome.TRY_PUSH
            return ReplyOutcome.TRY_PUSH if (exc.status or 0) >= 500 else ReplyOutcome.GIVE_UP
        except urllib3.exceptions.HTTPError:
            return ReplyOutcome.TRY_PUSH
        return ReplyOutcome.SENT

    def push(self, to: str, messages: list[dict[str, Any]], retry_key: str | None = None,
             attempts: int | None = None) -> bool:
        """Push (counts against the quota): retry 5xx/timeouts with one retry key; 409 means already sent.

        `retry_key`: the caller's own, when it may send the same push again later (helper notices).
        `attempts`: instead of push_attempts (a caller that retries later on its own tries once).
        """
        body = {"to": to, "messages": messages}
        retry_key = retry_key or str(uuid.uuid4())  # fixed for every attempt so LINE can drop duplicates
        attempts = attempts or self.push_attempts
        for attempt in range(1, attempts + 1):
            try:
                self._call("push", lambda: self._post_messages("/v2/bot/message/push", body,
                                                               {"X-Line-Retry-Key": retry_key}))
                return True
            except ApiException as exc:
                if exc.status == 409:
                    log.info("line push already accepted (retry key seen) attempt=%d", attempt)
                    return True
                if exc.status == 429:
                    log.error("line push stopped: %s", _error_message(exc) or "rate limit or monthly quota")
                    return False
                if (exc.status or 0) < 500:
                    return False
            except urllib3.exceptions.HTTPError:
                pass
            if attempt < attempts:
                self._sleep(self.backoff * 2 ** (attempt - 1))
        log.error("line push gave up after %d attempts", attempts)
        return False

    def show_loading(self, chat_id: str, seconds: int = 20) -> None:
        """The typing dots in a 1:1 chat while slow work (OCR) runs; best effort."""
        request = ShowLoadingAnimationRequest(chat_id=chat_id, loading_seconds=seconds)
        with contextlib.suppress(ApiException, urllib3.exceptions.HTTPError):
            self._call("loading", lambda: self.api.show_loading_animation_with_http_info(
                request, _request_timeout=self.timeout))

    def content(self, message_id: str) -> bytes | None:
        """The bytes of an image the user sent (from the data API host), or None."""
        try:
            response = self._call("content", lambda: self.blob.get_message_content_with_http_info(
                message_id, _request_timeout=self.timeout))
        except (ApiException, urllib3.exceptions.HTTPError):
            return None
        return bytes(response.data)

    def display_name(self, user_id: str) -> str | None:
        """The user's LINE display name (for helper messages), or None."""
        try:
            response = self._call("profile", lambda: self.api.get_profile_with_http_info(
                user_id, _request_timeout=self.timeout))
            return str(response.data.display_name)
        except Exception:  # a name is a nicety: any failure, even an unreadable answer, means "no name"
            return None

    def leave(self, kind: str, chat_id: str) -> bool:
        """Leave a group ("group") or multi-person chat ("room")."""
        def call() -> Any:
            if kind == "room":
                return self.api.leave_room_with_http_info(chat_id, _request_timeout=self.timeout)
            return self.api.leave_group_with_http_info(chat_id, _request_timeout=self.timeout)
        try:
            self._call("leave", call)
        except (ApiException, urllib3.exceptions.HTTPError):
            return False
        return True
