"""Prometheus metrics shared by every channel: requests, verdicts, detection latency, outbound errors.

With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR to an empty directory so /metrics adds up
every worker's figures (prometheus-client's multiprocess mode); without it each worker reports its own.
"""

from __future__ import annotations

import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from bot.detect import Detector
from bot.models import CheckResult

REQUESTS = Counter(
    "sagi_http_requests_total", "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "sagi_http_request_seconds", "Time to answer an HTTP request, by route template.", ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
VERDICTS = Counter("sagi_verdicts_total", "Messages judged, by channel and verdict.", ["platform", "verdict"])
DETECTION_SECONDS = Histogram(
    "sagi_detection_seconds", "Time the detector takes for one message.",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25),
)
OUTBOUND_ERRORS = Counter(
    "sagi_outbound_errors_total", "Failed calls to a platform API (LINE, Slack), by platform.", ["platform"],
)
INBOX_WAITING = Gauge(  # every web process counts the same table: across processes, the newest count stands
    "sagi_inbox_waiting", "Webhook deliveries in the inbox, waiting or being answered (EVENT_QUEUE=database).",
    ["platform"], multiprocess_mode="mostrecent",
)


def timed_check(detector: Detector, text: str, sender: str | None, platform: str) -> CheckResult:
    """Judge one message, observing the detection latency and counting the verdict for this channel."""
    start = time.perf_counter()
    result = detector.check(text, sender)
    DETECTION_SECONDS.observe(time.perf_counter() - start)
    VERDICTS.labels(platform=platform, verdict=result.verdict.value).inc()
    return result


def exposition() -> tuple[bytes, str]:
    """The text exposition format and its content type, across workers when multiprocess mode is on."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
