"""The LINE channel: `POST /line/webhook`, built on line-bot-sdk v3 (linebot.v3 modules only)."""

from __future__ import annotations

import logging

from flask import Flask

from bot import notices
from bot.housekeeping import JOBS, Periodic
from bot.services import Services
from handlers.line import helper
from handlers.line.client import LineClient
from handlers.line.inbox import Inbox
from handlers.line.runtime import WORKERS, LineRuntime
from handlers.line.webhook import make_blueprint

log = logging.getLogger(__name__)


def build_runtime(services: Services, workers: int = WORKERS, max_pending: int = 1000) -> LineRuntime:
    """The API client and the answering threads, for the web process or `python -m bot worker`."""
    token = services.settings.line_channel_access_token
    assert token is not None, "LINE is enabled only with both credentials (Settings.line_enabled)"
    client = LineClient(
        access_token=token.get_secret_value(),
        api_base_url=services.settings.line_api_base_url,
        data_api_base_url=services.settings.line_data_api_base_url,
        connections=workers,
    )
    return LineRuntime(services, client, workers=workers, max_pending=max_pending)


def init_app(app: Flask, services: Services) -> None:
    """Register the webhook; the runtime (client, workers) is kept in app.extensions["line"]."""
    settings = services.settings
    if settings.line_channel_secret is None or not settings.line_enabled:
        log.info("LINE disabled: LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN are not both set")
        return
    runtime = build_runtime(services)
    app.extensions["line"] = runtime
    app.extensions.setdefault(JOBS, []).append(Periodic(
        "line-notices", lambda: helper.resend_pending(runtime), notices.RESEND_EVERY, notices.RESEND_EVERY))
    store = services.store
    inbox = Inbox(store.inbox) if settings.event_queue == "database" and store is not None else None
    if inbox is not None:
        app.extensions["line_inbox"] = inbox
    app.register_blueprint(make_blueprint(runtime, settings.line_channel_secret.get_secret_value(), inbox))
    log.info("LINE enabled at POST /line/webhook (api %s; events answered %s)", settings.line_api_base_url,
             "by `python -m bot worker`, through the database" if inbox else "by this process")
