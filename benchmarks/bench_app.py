"""The app the load benchmark serves: the real app plus a bare endpoint that only checks the LINE signature.

Served by gunicorn exactly as the Procfile does (`--pythonpath benchmarks bench_app:app`), so the two
endpoints share the process, the middleware and the metrics hooks; the difference is the bot's work.
"""

from __future__ import annotations

import os

from flask import Response, request

from bot.wsgi import app
from handlers.line.webhook import signature_ok

_SECRET = os.environ["LINE_CHANNEL_SECRET"].encode("utf-8")


@app.post("/bench/bare")
def bare() -> Response:
    """Verify X-Line-Signature on the raw body and answer 200, nothing else."""
    if not signature_ok(_SECRET, request.get_data(), request.headers.get("X-Line-Signature", "")):
        return Response("bad signature", status=400)
    return Response("OK", status=200)
