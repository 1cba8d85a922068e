"""The web adapter: playground page and JSON API, health and metrics, and the maintainer dashboard."""

from __future__ import annotations

import logging

from flask import Flask

from bot.services import Services

log = logging.getLogger(__name__)


def init_app(app: Flask, services: Services) -> None:
    """Register the web routes; the playground (and its API) and the dashboard can each be switched off."""
    from handlers.web import admin, api, health, playground

    app.register_blueprint(health.bp)
    settings = services.settings
    if settings.playground:
        app.register_blueprint(playground.bp)
        app.register_blueprint(api.bp)
    else:
        log.info("playground off (PLAYGROUND=0): / and /api/check answer 404")
    if settings.admin_enabled:
        admin.init_app(app, services)
    else:
        log.info("dashboard off: set ADMIN_TOKEN to enable /admin")
