"""`POST /api/check`: the documented JSON API the playground uses (same core, same reply composer).

It also returns the exact Flex message the LINE channel would send (handlers.line.replies), so the
playground draws what a LINE user sees rather than an imitation of it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from bot import metrics
from bot.compose import compose
from bot.compose import group_alert as group_alert_text
from bot.detect import MAX_CHARS
from bot.models import CheckResult, Verdict
from bot.services import Services
from handlers.line.replies import verdict_flex
from handlers.web.highlight import segments, spans

log = logging.getLogger(__name__)
MAX_SENDER = 200

bp = Blueprint("api", __name__)


class InvalidRequest(Exception):
    """The body is not what the API accepts; the message says what is expected."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _parse() -> tuple[str, str | None]:
    """Validate the body at the edge: a JSON object with a string "text" and an optional string "sender"."""
    try:
        body = json.loads(request.get_data(cache=False) or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # RecursionError: nested thousands deep
        raise InvalidRequest("body must be JSON (UTF-8)") from None
    if not isinstance(body, dict):
        raise InvalidRequest('body must be a JSON object like {"text": "…", "sender": "…"}')
    text, sender = body.get("text"), body.get("sender")
    if not isinstance(text, str):
        raise InvalidRequest('"text" is required and must be a string')
    if not text.strip():
        raise InvalidRequest('"text" is empty')
    if len(text) > MAX_CHARS:
        raise InvalidRequest(f'"text" is too long: at most {MAX_CHARS} characters', 413)
    if sender is not None and not isinstance(sender, str):
        raise InvalidRequest('"sender" must be a string or null')
    if sender is not None and len(sender) > MAX_SENDER:
        raise InvalidRequest(f'"sender" is too long: at most {MAX_SENDER} characters')
    return text, sender or None


def result_json(text: str, result: CheckResult) -> dict[str, Any]:
    """CheckResult.to_json() plus the rendered reply, the group decision and the evidence positions."""
    reply = compose(result)
    alerted = result.verdict is Verdict.DANGER  # a group with default settings hears about danger only
    marked = spans(text, result)
    return {
        **result.to_json(),
        "reply": reply.text,
        "group_alert": alerted,
        "group_alert_text": group_alert_text(result) if alerted else None,
        "card": {
            "label": reply.label, "title": reply.title, "summary": reply.summary, "reasons": list(reply.reasons),
            "actions": list(reply.actions), "contacts": [c.to_json() for c in result.contacts],
            "links": [link.to_json() for link in reply.links],
        },
        "line_flex": verdict_flex(reply, key="playground", rule_ids=result.rule_ids),
        "highlights": [{"start": s.start, "end": s.end, "reasons": list(s.reasons)} for s in marked],
        "segments": segments(text, marked),
    }


def _record(services: Services, result: CheckResult) -> None:
    """Count the check for the dashboard; a database hiccup must not cost the user the answer."""
    if services.store is None:
        return
    # A brand named in a message judged harmless was not impersonated: the dashboard's brand list is about scams.
    brand_id = result.brand_id if result.verdict is not Verdict.NO_SIGNS else None
    try:
        services.store.record_check("web", result.verdict.value, brand_id, list(result.rule_ids))
    except Exception:  # the edge: log and carry on; /readyz reports a broken database
        log.warning("record_check failed", exc_info=True)


@bp.post("/api/check")
def check() -> Any:
    """Judge one message."""
    try:
        text, sender = _parse()
    except InvalidRequest as exc:
        return jsonify(error=str(exc), status=exc.status), exc.status
    services: Services = current_app.extensions["sagi"]
    result = metrics.timed_check(services.detector, text, sender, "web")
    _record(services, result)
    log.debug("web check verdict=%s rules=%s", result.verdict.value, ",".join(result.rule_ids))
    return jsonify(result_json(text, result))
