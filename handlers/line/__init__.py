"""The LINE channel: `POST /line/webhook`, built on line-bot-sdk v3 (linebot.v3 modules only)."""

from __future__ import annotations

import logging

from flask import Flask

from bot import notices
from bot.housekeeping import JOBS, Periodic
from bot.services import Services
from handlers.line import helper
from handlers.line.client import LineClient
from handlers.line.runtime import WORKERS, LineRuntime
from handlers.line.webhook import make_blueprint

log = logging.getLogger(__name__)


def init_app(app: Flask, services: Services) -> None:
    """Register the webhook; the runtime (client, workers) is kept in app.extensions["line"]."""
    settings = services.settings
    if settings.line_channel_secret is None or settings.line_channel_access_token is None:
        log.info("LINE disabled: LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN are not both set")
        return
    client = LineClient(
        access_token=settings.line_channel_access_token.get_secret_value(),
        api_base_url=settings.line_api_base_url,
        data_api_base_url=settings.line_data_api_base_url,
        connections=WORKERS,
    )
    runtime = LineRuntime(services, client)
    app.extensions["line"] = runtime
    app.extensions.setdefault(JOBS, []).append(Periodic(
        "line-notices", lambda: helper.resend_pending(runtime), notices.RESEND_EVERY, notices.RESEND_EVERY))
    app.register_blueprint(make_blueprint(runtime, settings.line_channel_secret.get_secret_value()))
    log.info("LINE enabled at POST /line/webhook (api %s)", settings.line_api_base_url)
