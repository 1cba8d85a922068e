"""`/`: the playground page (Japanese). The page calls POST /api/check and draws the reply as LINE shows it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from bot.detect import MAX_CHARS
from handlers.web.samples import SAMPLES

# Static files live next to the page; served under /assets so no external CDN is ever needed.
bp = Blueprint("playground", __name__, template_folder="templates", static_folder="static", static_url_path="/assets")


# Only our own files may run or load: the page shows untrusted text, so no inline script, no third party.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@bp.get("/")
def page() -> Any:
    """The playground page."""
    html = render_template("playground.html", samples=SAMPLES, max_chars=MAX_CHARS)
    return html, 200, SECURITY_HEADERS
