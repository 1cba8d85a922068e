"""The Slack channel: a bolt app (Flask adapter) at POST /slack/events, sharing the Flask app with LINE."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from slack_bolt.adapter.flask import SlackRequestHandler

from bot.services import Services
from handlers.slack.bolt_app import build_bolt_app

log = logging.getLogger(__name__)

ROUTE = "/slack/events"


# At DEBUG these SDK loggers print request and event bodies, i.e. message text: never below INFO.
SDK_LOGGERS = ("slack_sdk", "slack_bolt", "handlers.slack.bolt")


def init_app(app: Flask, services: Services) -> None:
    """Build the bolt app and register its route; the adapter only translates requests and responses."""
    for name in SDK_LOGGERS:
        sdk_log = logging.getLogger(name)
        sdk_log.setLevel(max(sdk_log.getEffectiveLevel(), logging.INFO))
    bolt = build_bolt_app(services)
    handler = SlackRequestHandler(bolt)

    def slack_events() -> Response:
        # bolt's verifier calls int() on the timestamp and answers a non-number with a 500: refuse it here.
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not (timestamp.isascii() and timestamp.isdigit()):
            log.warning("slack request rejected: missing or malformed timestamp")
            return Response("invalid request", status=401)
        return handler.handle(request)

    app.add_url_rule(ROUTE, "slack_events", slack_events, methods=["POST"])
    app.extensions["slack_bolt"] = bolt
    log.info("Slack enabled at %s (slash command %s)", ROUTE, services.settings.slack_slash_command)
