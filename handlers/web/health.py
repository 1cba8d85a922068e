"""`/healthz` (the process answers), `/readyz` (database and knowledge ready) and `/metrics` (Prometheus)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from bot import metrics
from bot.services import Services

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness: answers as long as the process serves requests; checks nothing else on purpose."""
    return jsonify(status="ok")


def _database_ok(services: Services) -> bool:
    if services.store is None:
        return False
    try:
        return bool(services.store.ping())
    except Exception:  # any driver error means "not ready"; the detail goes to the log, not the probe
        log.warning("database ping failed", exc_info=True)
        return False


@bp.get("/readyz")
def readyz() -> Any:
    """Readiness: the database answers and the knowledge base is loaded; 503 otherwise."""
    services: Services = current_app.extensions["sagi"]
    knowledge = services.knowledge
    checks = {
        "database": _database_ok(services),
        "knowledge": knowledge is not None and bool(knowledge.rules),
    }
    ready = all(checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": checks,
        "knowledge_version": knowledge.version if knowledge is not None else None,
    }
    return jsonify(body), 200 if ready else 503


@bp.get("/metrics")
def prometheus() -> Response:
    """Prometheus text exposition."""
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type)
