"""`/admin`: the maintainer dashboard behind ADMIN_TOKEN (Bearer header or a login cookie). Counts only, no text."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from typing import Any

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request, url_for

from bot.services import Services
from handlers.web.charts import BAR_MAX, daily_bars, share_rows

COOKIE = "sagi_admin"
SESSION_SECONDS = 12 * 3600
FEEDBACK_LABELS = {"helpful": "役に立った", "wrong": "判定が違う"}
MAX_REPORT_ROWS = 100

bp = Blueprint("admin", __name__, template_folder="templates", static_folder="static", static_url_path="/admin/assets")


def _services() -> Services:
    services: Services = current_app.extensions["sagi"]
    return services


def _token() -> bytes:
    token = _services().settings.admin_token
    assert token is not None  # the blueprint is only registered when a token is set
    return token.get_secret_value().encode()


def _sign(expires: int) -> str:
    return hmac.new(_token(), f"admin-session:{expires}".encode(), hashlib.sha256).hexdigest()


def session_cookie(now: float | None = None) -> str:
    """A cookie value valid for SESSION_SECONDS: expiry and its HMAC under the token (rotating the token logs out)."""
    expires = int((now or time.time()) + SESSION_SECONDS)
    return f"{expires}.{_sign(expires)}"


def _cookie_ok(value: str | None) -> bool:
    if not value or "." not in value:
        return False
    expires, signature = value.split(".", 1)
    if not expires.isdigit() or int(expires) < time.time():
        return False
    return hmac.compare_digest(signature, _sign(int(expires)))


def _bearer_ok(header: str | None) -> bool:
    if not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer "):].strip().encode(), _token())


def _login_page(status: int, error: str | None = None) -> Any:
    return render_template("admin_login.html", error=error), status, {"Cache-Control": "no-store"}


@bp.before_request
def _require_login() -> Any:
    """Every /admin page needs the Bearer token or a valid session cookie, except the login form itself."""
    if request.endpoint in ("admin.login", "admin.login_submit", "admin.static"):
        return None
    if "Authorization" in request.headers:
        if _bearer_ok(request.headers.get("Authorization")):
            return None
        return Response("invalid token\n", 401, {"WWW-Authenticate": 'Bearer realm="admin"', "Cache-Control": "no-store"})
    if _cookie_ok(request.cookies.get(COOKIE)):
        return None
    return redirect(url_for("admin.login"))


@bp.get("/admin/login")
def login() -> Any:
    """The login form."""
    return _login_page(200)


@bp.post("/admin/login")
def login_submit() -> Any:
    """Check the typed token; on success set the session cookie (HttpOnly, SameSite=Strict, path /admin)."""
    typed = (request.form.get("token") or "").strip().encode()
    if not hmac.compare_digest(typed, _token()):
        return _login_page(401, "トークンが違います。")
    response = redirect(url_for("admin.dashboard"))
    response.set_cookie(COOKIE, session_cookie(), max_age=SESSION_SECONDS, path="/admin", httponly=True,
                        samesite="Strict", secure=request.is_secure)
    return response


@bp.post("/admin/logout")
def logout() -> Any:
    """Forget the session cookie."""
    response = redirect(url_for("admin.login"))
    response.delete_cookie(COOKIE, path="/admin")
    return response


def _days() -> int:
    try:
        return max(1, min(365, int(request.args.get("days", "30"))))
    except ValueError:
        return 30


@bp.get("/admin")
def dashboard() -> Any:
    """Checks per day by verdict, top brands and rules, feedback rates and community reports."""
    services = _services()
    days = _days()
    store = services.store
    if store is None:
        return render_template("admin.html", store=False, days=days), 200, {"Cache-Control": "no-store"}
    stats = store.stats(days)
    names = {b.id: b.name for b in services.knowledge.brands}
    threshold = services.settings.community_threshold
    reports = store.list_reports(1)[:MAX_REPORT_ROWS]
    answered = sum(stats.feedback.values())
    feedback = [
        {"label": FEEDBACK_LABELS.get(answer, answer), "count": count,
         "rate": round(100 * count / answered) if answered else 0,
         "width": round(BAR_MAX * count / answered) if answered else 0}
        for answer, count in sorted(stats.feedback.items())
    ]
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=9))).date()
    context = {
        "store": True, "days": days, "total": stats.total_checks,
        "chart": daily_bars(stats.checks_by_day, today, days),
        "brands": share_rows([(names.get(key, key), n) for key, n in stats.top_brands]),
        "rules": share_rows(stats.top_rules), "feedback": feedback, "answered": answered,
        "reports": reports, "threshold": threshold,
    }
    return render_template("admin.html", **context), 200, {"Cache-Control": "no-store"}


def init_app(app: Flask, services: Services) -> None:
    """Register the dashboard (only called when ADMIN_TOKEN is set)."""
    app.register_blueprint(bp)
