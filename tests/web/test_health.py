"""/healthz (process up), /readyz (database and knowledge), /metrics (Prometheus)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from bot import metrics
from tests.web.conftest import SCAM
from tests.web.test_api import BrokenStore


def test_healthz_answers_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_reports_database_knowledge_and_the_knowledge_version(client: FlaskClient, app: Flask) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["checks"] == {"database": True, "knowledge": True}
    assert body["knowledge_version"] == app.extensions["sagi"].knowledge.version


def test_when_database_is_unreachable_then_readyz_is_503_but_healthz_stays_ok(make_app: Callable[..., Flask]) -> None:
    client = make_app(store=BrokenStore()).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] is False
    assert client.get("/healthz").status_code == 200


def test_when_there_is_no_store_then_readyz_is_503(make_app: Callable[..., Flask]) -> None:
    assert make_app(store=None).test_client().get("/readyz").status_code == 503


def _samples(client: FlaskClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    out = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def test_metrics_count_requests_by_route_and_status_verdicts_and_detection_latency(client: FlaskClient) -> None:
    before = _samples(client)
    client.post("/api/check", json={"text": SCAM})
    client.post("/api/check", json={"text": 5})
    after = _samples(client)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert delta("sagi_http_requests_total", route="/api/check", method="POST", status="200") == 1
    assert delta("sagi_http_requests_total", route="/api/check", method="POST", status="400") == 1
    assert delta("sagi_verdicts_total", platform="web", verdict="danger") == 1
    assert delta("sagi_detection_seconds_count") == 1
    assert delta("sagi_http_request_seconds_count", route="/api/check") == 2


def test_outbound_errors_are_exported_by_platform(client: FlaskClient) -> None:
    before = _samples(client).get(("sagi_outbound_errors_total", (("platform", "line"),)), 0.0)
    metrics.OUTBOUND_ERRORS.labels(platform="line").inc()
    assert _samples(client)[("sagi_outbound_errors_total", (("platform", "line"),))] == before + 1
