"""The Slack channel: a bolt app (Flask adapter) at POST /slack/events, sharing the Flask app with LINE."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from slack_bolt.adapter.flask.handler import to_bolt_request, to_flask_response
from slack_sdk.signature import SignatureVerifier

from bot import notices
from bot.housekeeping import JOBS, Periodic
from bot.services import Services
from handlers.slack import helper, shapes
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
    assert services.settings.slack_signing_secret is not None
    verifier = SignatureVerifier(services.settings.slack_signing_secret.get_secret_value())

    def slack_events() -> Response:
        # bolt's verifier calls int() on the timestamp and answers a non-number with a 500: refuse it here.
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        if not (timestamp.isascii() and timestamp.isdigit()):
            log.warning("slack request rejected: missing or malformed timestamp")
            return Response("invalid request", status=401)
        # bolt parses the body before its own signature check: verify first, so unsigned garbage is a 401...
        if not _signed(verifier, request.get_data(), timestamp, request.headers.get("X-Slack-Signature", "")):
            log.warning("slack request rejected: bad or missing signature")
            return Response("invalid request", status=401)
        try:
            bolt_request = to_bolt_request(request)
        except (ValueError, TypeError, AttributeError, RecursionError):  # ...and signed garbage a 400, not a 500
            bolt_request = None
        if bolt_request is None or not shapes.readable(bolt_request.body):
            log.warning("slack request rejected: body is not a Slack payload")
            return Response("bad request", status=400)
        return to_flask_response(bolt.dispatch(bolt_request))

    app.add_url_rule(ROUTE, "slack_events", slack_events, methods=["POST"])
    app.extensions["slack_bolt"] = bolt
    app.extensions.setdefault(JOBS, []).append(Periodic(
        "slack-notices", lambda: helper.resend_pending(services, bolt.client), notices.RESEND_EVERY, notices.RESEND_EVERY))
    log.info("Slack enabled at %s (slash command %s)", ROUTE, services.settings.slack_slash_command)


def _signed(verifier: SignatureVerifier, body: bytes, timestamp: str, signature: str) -> bool:
    """Slack's v0 signature and 5-minute window; a body that is not UTF-8 (the SDK decodes it) is unsigned."""
    try:
        return verifier.is_valid(body, timestamp, signature)
    except UnicodeDecodeError:
        return False

