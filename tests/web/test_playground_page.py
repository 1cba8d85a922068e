"""The playground page: Japanese, labelled, live result region, served entirely from this app."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from handlers.web.samples import SAMPLES


def test_page_is_japanese_with_labelled_inputs_and_a_live_status(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="ja">' in html
    assert '<label for="sms">' in html and 'id="sms"' in html
    assert '<label for="sender">' in html and 'id="sender"' in html
    assert 'aria-live="polite"' in html
    assert 'name="viewport"' in html


def test_page_offers_every_sample_scam_and_genuine(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert {s.scam for s in SAMPLES} == {True, False}
    for sample in SAMPLES:
        assert sample.label in html


def test_page_and_assets_load_nothing_from_other_sites(client: FlaskClient) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith(("/", "#")) for a in assets)
    for asset in ("/assets/playground.js", "/assets/playground.css"):
        body = client.get(asset)
        assert body.status_code == 200
        assert "//cdn" not in body.get_data(as_text=True)


def test_samples_are_judged_as_labelled(client: FlaskClient) -> None:
    for sample in SAMPLES:
        verdict = client.post("/api/check", json={"text": sample.text, "sender": sample.sender}).get_json()["verdict"]
        assert (verdict == "danger") is sample.scam, sample.label
