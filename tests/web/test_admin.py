"""/admin: off without ADMIN_TOKEN; Bearer header or login cookie; aggregates only, never message text."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from handlers.web.admin import COOKIE, SESSION_SECONDS, session_cookie
from tests.web.conftest import ADMIN_TOKEN, SCAM

BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def test_when_admin_token_is_unset_then_dashboard_is_404(make_app: Callable[..., Flask]) -> None:
    client = make_app().test_client()
    assert client.get("/admin").status_code == 404
    assert client.get("/admin/login").status_code == 404


def test_without_credentials_the_dashboard_sends_a_browser_to_the_login_form(client: FlaskClient) -> None:
    response = client.get("/admin")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/login")


def test_a_wrong_bearer_token_is_401(client: FlaskClient) -> None:
    response = client.get("/admin", headers={"Authorization": "Bearer not-the-token-at-all"})
    assert response.status_code == 401
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_the_right_bearer_token_shows_the_dashboard(client: FlaskClient) -> None:
    response = client.get("/admin", headers=BEARER)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for heading in ("日ごとのチェック数", "なりすまされたブランド", "よく当たったルール", "利用者の評価", "確認待ち"):
        assert heading in html
    assert response.headers["Cache-Control"] == "no-store"


def test_dashboard_shows_counts_brands_rules_and_reports_but_never_message_text(app: Flask, client: FlaskClient) -> None:
    client.post("/api/check", json={"text": SCAM})
    store = app.extensions["sagi"].store
    store.add_report("line", "U1", ["0358004127"])
    store.add_feedback("line", "U1", "danger", ["delivery_failed"], "helpful", SCAM)
    html = client.get("/admin?days=7", headers=BEARER).get_data(as_text=True)
    assert "ヤマト運輸" in html
    assert "delivery_failed" in html
    assert "0358004127" in html
    assert "役に立った" in html and "100%" in html
    assert "yamato-hxq" not in html and "住所不明" not in html
    assert "<svg" in html and "<rect" in html


def test_login_form_with_the_wrong_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/admin/login", data={"token": "wrong-token-wrong-token"})
    assert response.status_code == 401
    assert "トークンが違います" in response.get_data(as_text=True)
    assert COOKIE not in response.headers.get("Set-Cookie", "")


def test_login_form_sets_an_httponly_strict_cookie_that_opens_the_dashboard(client: FlaskClient) -> None:
    response = client.post("/admin/login", data={"token": ADMIN_TOKEN})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    assert ADMIN_TOKEN not in cookie
    assert client.get("/admin").status_code == 200
    client.post("/admin/logout")
    assert client.get("/admin").status_code == 302


def test_a_forged_or_expired_cookie_does_not_open_the_dashboard(app: Flask, client: FlaskClient) -> None:
    with app.test_request_context():
        expired = session_cookie(now=time.time() - 2 * SESSION_SECONDS)
        fresh = session_cookie()
    client.set_cookie(COOKIE, fresh, path="/admin")
    assert client.get("/admin").status_code == 200  # the same construction, still valid, does open it
    client.set_cookie(COOKIE, expired, path="/admin")
    assert client.get("/admin").status_code == 302
    client.set_cookie(COOKIE, f"{int(time.time()) + 3600}.{'0' * 64}", path="/admin")
    assert client.get("/admin").status_code == 302
    client.set_cookie(COOKIE, "12345.abc", path="/admin")
    assert client.get("/admin").status_code == 302


def test_dashboard_stylesheet_is_served_without_login(client: FlaskClient) -> None:
    assert client.get("/admin/assets/admin.css").status_code == 200


def test_behind_an_https_proxy_the_session_cookie_is_secure(client: FlaskClient) -> None:
    response = client.post("/admin/login", data={"token": ADMIN_TOKEN}, headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in response.headers["Set-Cookie"]
