"""Build the bolt App: Web API client with rate-limit retries, signature verification, de-duplication, listeners."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.config import ConfigError
from bot.services import Services
from handlers.slack import helper, home, listeners, watch
from handlers.slack.common import PLATFORM, is_from_bot

log = logging.getLogger(__name__)

API_TIMEOUT = 10
RATE_LIMIT_RETRIES = 2
LOCAL_MEMORY = 10_000


class Deliveries:
    """Claims an event id once: in the shared store when there is one (across processes), else in memory."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, delivery_id: str) -> bool:
        """True the first time this id is seen."""
        if self.store is not None:
            return bool(self.store.claim_delivery(PLATFORM, delivery_id))
        with self._lock:
            if delivery_id in self._seen:
                return False
            self._seen[delivery_id] = None
            while len(self._seen) > LOCAL_MEMORY:
                self._seen.popitem(last=False)
            return True


def web_client(services: Services) -> WebClient:
    """The Web API client: configured base URL, a timeout, and retries that honour 429 Retry-After."""
    settings = services.settings
    assert settings.slack_bot_token is not None
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_base_url, timeout=API_TIMEOUT,
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)],
    )


def _new_app(services: Services, client: WebClient, verify_token: bool) -> App:
    settings = services.settings
    assert settings.slack_signing_secret is not None
    return App(
        client=client, signing_secret=settings.slack_signing_secret.get_secret_value(),
        request_verification_enabled=True,  # bad signature or older than 5 minutes: 401, nothing runs
        process_before_response=False,  # ack at once; listeners run on bolt's thread pool
        token_verification_enabled=verify_token, logger=logging.getLogger("handlers.slack.bolt"),
    )


def new_app(services: Services, client: WebClient) -> App:
    """The bolt App; a token Slack rejects stops start-up, an unreachable Slack only defers the check."""
    try:
        return _new_app(services, client, verify_token=True)
    except BoltError as exc:
        raise ConfigError(f"SLACK_BOT_TOKEN: rejected by Slack ({type(exc).__name__})") from None
    except (SlackClientError, OSError) as exc:
        if isinstance(exc, SlackApiError):
            raise ConfigError(f"SLACK_BOT_TOKEN: rejected by Slack ({exc.response.get('error')})") from None
        log.warning("Slack unreachable at start-up (%s): the token is checked on the first request", type(exc).__name__)
        return _new_app(services, client, verify_token=False)


def build_bolt_app(services: Services) -> App:
    """The whole Slack app for these services."""
    app = new_app(services, web_client(services))
    deliveries = Deliveries(services.store)

    @app.middleware
    def once_per_event(request: BoltRequest, body: dict[str, Any], next: Any) -> BoltResponse | None:
        """Slack retries (X-Slack-Retry-Num) and duplicate event ids are acknowledged and dropped."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not deliveries.claim(str(event_id)):
            retry = (request.headers.get("x-slack-retry-num") or ["0"])[0]
            log.info("slack duplicate event %s dropped (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="")
        next()
        return None

    @app.event("message")
    def on_message(event: dict[str, Any], client: WebClient, context: Any) -> None:
        if event.get("channel_type") == "im":
            if not _is_person(event):
                return
            listeners.on_dm(services, client, event)
        elif event.get("channel_type") in ("channel", "group"):
            watch.on_channel_message(services, client, event, context.bot_user_id)

    listeners.register(app, services)
    watch.register(app, services)
    helper.register(app, services)
    home.register(app, services)
    return app


def _is_person(event: dict[str, Any]) -> bool:
    """A DM from a person: not a bot, not an edit or deletion."""
    return not is_from_bot(event) and event.get("subtype") in watch.HUMAN_SUBTYPES and bool(event.get("user"))
