#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris / libFuzzer) of the detector and of the webhook and API edges.

    .venv/bin/pip install atheris        # not a project dependency: binary wheels for CPython on x86-64 Linux
    .venv/bin/python benchmarks/fuzz_atheris.py detector -runs=20000
    .venv/bin/python benchmarks/fuzz_atheris.py line -runs=20000 -max_len=4096
    .venv/bin/python benchmarks/fuzz_atheris.py slack -runs=20000
    .venv/bin/python benchmarks/fuzz_atheris.py api -runs=20000

Each target must not raise: any uncaught exception, or a 5xx from the app, stops the run with the input
saved by libFuzzer (crash-…). Bounded by -runs (default 10,000) and -max_total_time (default 120 s).
The webhook targets run the real app (LINE, Slack and the API on) in-process with the Flask test client,
against the test suite's fake LINE and Slack APIs on loopback. They fuzz the edge (signature, parsing,
shape checks, dispatch); work done later on worker threads is covered by tests/hardening.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports():
    from bot.app import create_app
    from bot.config import load_settings
    from bot.detect import Detector
    from bot.knowledge import load

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test fakes stand in for LINE and Slack
from tests.line.fake_line import FakeLine
from tests.slack.fake_slack import FakeSlack, start

LINE_SECRET, SLACK_SECRET = "fuzz-line-secret", "fuzz-slack-secret"


def _app() -> Any:
    folder = Path(tempfile.mkdtemp(prefix="sagi-atheris-"))
    line_api, slack_api = FakeLine().start(), FakeSlack()
    start(slack_api)
    settings = load_settings(
        line_channel_secret=LINE_SECRET, line_channel_access_token="t", line_api_base_url=line_api.url,
        line_data_api_base_url=line_api.url, slack_bot_token="xoxb-test-token", slack_signing_secret=SLACK_SECRET,
        slack_api_base_url=f"{slack_api.url}/api/", database_url=f"sqlite:///{folder / 'fuzz.sqlite3'}",
        instance_path=folder, hash_key="fuzz", log_level="ERROR")
    app = create_app(settings)
    logging.disable(logging.CRITICAL)  # the edge logs every refusal; a fuzzer sends millions
    return app


def detector_target() -> Any:
    detector = Detector(load())

    def run(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        text = provider.ConsumeUnicode(6000)
        sender = provider.ConsumeUnicode(50) if provider.ConsumeBool() else None
        result = detector.check(text, sender)
        assert 0 <= result.score <= 100

    return run


def line_target() -> Any:
    client = _app().test_client()

    def run(data: bytes) -> None:
        signature = base64.b64encode(hmac.new(LINE_SECRET.encode(), data, hashlib.sha256).digest()).decode()
        response = client.post("/line/webhook", data=data, headers={"X-Line-Signature": signature})
        assert response.status_code < 500, response.status_code

    return run


def slack_target() -> Any:
    client = _app().test_client()

    def run(data: bytes) -> None:
        ts = str(int(time.time()))
        signature = "v0=" + hmac.new(SLACK_SECRET.encode(), b"v0:" + ts.encode() + b":" + data, hashlib.sha256).hexdigest()
        kind = "application/json" if data[:1] in (b"{", b"[") else "application/x-www-form-urlencoded"
        response = client.post("/slack/events", data=data, headers={
            "Content-Type": kind, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature})
        assert response.status_code < 500, response.status_code

    return run


def api_target() -> Any:
    client = _app().test_client()

    def run(data: bytes) -> None:
        response = client.post("/api/check", data=data, content_type="application/json")
        assert response.status_code < 500, response.status_code

    return run


TARGETS = {"detector": detector_target, "line": line_target, "slack": slack_target, "api": api_target}


def main() -> None:
    """Pick the target from the first argument; the rest goes to libFuzzer."""
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options]")
    target = TARGETS[sys.argv[1]]()
    args = [sys.argv[0], *sys.argv[2:]]
    if not any(a.startswith("-runs=") for a in args):
        args.append("-runs=10000")
    if not any(a.startswith("-max_total_time=") for a in args):
        args.append("-max_total_time=120")
    atheris.Setup(args, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
