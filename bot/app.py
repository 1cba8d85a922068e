"""The app factory: the one place where the core is wired to the web handlers (composition root)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from bot.config import Settings, load_settings
from bot.services import Services, build_services

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, services: Services | None = None, **overrides: Any) -> Flask:
    """Build the Flask app. Tests pass their own settings; nothing reads the environment at import."""
    settings = settings or load_settings(**overrides)
    services = services or build_services(settings)
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.extensions["sagi"] = services

    from handlers import line, slack, web  # handlers depend on the core, never the other way round

    web.init_app(app, services)
    if settings.line_enabled:
        line.init_app(app, services)
    else:
        log.info("LINE disabled: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN to enable /line/webhook")
    if settings.slack_enabled:
        slack.init_app(app, services)
    else:
        log.info("Slack disabled: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to enable /slack/events")
    return app
