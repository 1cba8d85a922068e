"""The app factory: the one place where the core is wired to the web handlers (composition root)."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import metrics
from bot.config import Settings, load_settings
from bot.logs import setup_logging
from bot.services import Services, build_services

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, services: Services | None = None, **overrides: Any) -> Flask:
    """Build the Flask app. Tests pass their own settings; nothing reads the environment at import."""
    settings = settings or load_settings(**overrides)
    setup_logging(settings.log_format, settings.log_level)
    services = services or build_services(settings)
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.extensions["sagi"] = services
    # PaaS routers and reverse proxies end TLS and say so in X-Forwarded-Proto: trust that one header (not
    # X-Forwarded-For), so the dashboard's cookie is marked Secure behind HTTPS.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=1, x_host=0, x_port=0, x_prefix=0)  # type: ignore[method-assign]
    _count_requests(app)
    _json_errors(app)

    # Handlers depend on the core, never the other way round. A disabled channel's SDK is not even
    # imported: slack_bolt alone costs a worker about 20 MB.
    from handlers import web

    web.init_app(app, services)
    if settings.line_enabled:
        from handlers import line

        line.init_app(app, services)
    else:
        log.info("LINE disabled: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN to enable /line/webhook")
    if settings.slack_enabled:
        from handlers import slack

        slack.init_app(app, services)
    else:
        log.info("Slack disabled: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to enable /slack/events")
    return app


# Machine clients (the JSON API, the platform webhooks) get JSON errors; people get Flask's HTML pages.
API_PREFIXES = ("/api/", "/line/", "/slack/")
ERROR_TEXT = {
    400: "bad request",
    404: "not found",
    405: "method not allowed",
    413: "request body too large",
    500: "internal error",
}


def _json_errors(app: Flask) -> None:
    """JSON bodies for errors on API routes, and for 413 everywhere (a webhook or form that is too big)."""

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        code = exc.code or 500
        if code != 413 and not request.path.startswith(API_PREFIXES):
            return exc
        message = ERROR_TEXT.get(code, exc.name.lower())
        if code == 413:
            message += f" (limit {app.config['MAX_CONTENT_LENGTH']} bytes)"
        response = jsonify(error=message, status=code)
        response.status_code = code
        return response

    @app.errorhandler(InternalServerError)
    def _server_error(exc: InternalServerError) -> Any:
        # Logged with the route only: the request body may hold the message text.
        log.error("unhandled error on %s %s", request.method, request.url_rule.rule if request.url_rule else "-",
                  exc_info=exc.original_exception)
        return _http_error(exc)


def _count_requests(app: Flask) -> None:
    """Count every answered request by route template (not raw path, which would explode the labels)."""

    @app.before_request
    def _start() -> None:
        g.sagi_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else "<unmatched>"
        metrics.REQUESTS.labels(route=route, method=request.method, status=str(response.status_code)).inc()
        started = g.get("sagi_started")
        if started is not None:
            metrics.REQUEST_SECONDS.labels(route=route).observe(time.perf_counter() - started)
        return response
