"""The playground in a real browser: Debian's headless Chromium driven by Playwright, the app on loopback."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from bot.app import create_app
from bot.config import load_settings
from tests.web.conftest import OTP, SCAM

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def _browser_or_skip() -> Any:
    """Playwright's sync API, or a skip (a failure when REQUIRE_BROWSER=1, as in CI)."""
    problem = None
    try:
        from playwright import sync_api
    except ImportError:
        problem = "playwright is not installed"
    if problem is None and not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (run .ci/system-packages.sh)"
    if problem is not None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(problem)
        pytest.skip(problem)
    return sync_api


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by werkzeug on a free loopback port, in a thread (one server for this module)."""
    app = create_app(load_settings(instance_path=tmp_path_factory.mktemp("browser"), _env_file=None))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module (starting it is the slow part)."""
    sync_api = _browser_or_skip()
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh phone-sized page on the playground; fails if it asks for anything outside the app."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="ja-JP")
    page = context.new_page()
    outside: list[str] = []

    def loopback_only(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", loopback_only)
    page.goto(base_url + "/")
    yield page
    context.close()
    assert outside == [], "the page asked for something outside this app"


def _no_sideways_scrolling(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"))


def test_pasting_a_scam_shows_danger_its_reasons_and_a_group_alert(page: Any) -> None:
    expect = _browser_or_skip().expect
    page.get_by_label("届いたSMSの文章").fill(SCAM)
    page.get_by_role("button", name="チェックする").click()
    expect(page.locator("#card .flex-header")).to_contain_text("危険")
    expect(page.get_by_role("status")).to_contain_text("危険")
    expect(page.locator("#card")).to_contain_text("こう判断した理由")
    assert page.locator("#card .flex-reasons .reason-number").count() >= 2
    expect(page.locator("#message mark.evidence").first).to_be_visible()
    expect(page.locator("#group-alert")).to_be_visible()
    expect(page.locator("#group-alert")).to_contain_text("ヤマト運輸")
    assert _no_sideways_scrolling(page)


def test_pasting_a_genuine_otp_shows_no_alert(page: Any) -> None:
    expect = _browser_or_skip().expect
    page.get_by_label("届いたSMSの文章").fill(OTP)
    page.get_by_label("届いたSMSの文章").press("Control+Enter")  # keyboard only
    expect(page.locator("#card .flex-header")).to_contain_text("目立った特徴なし")
    expect(page.locator("#group-text")).to_contain_text("お知らせしません")
    expect(page.locator("#group-alert")).to_be_hidden()
    assert page.locator("#message mark").count() == 0


def test_a_sample_can_be_picked_and_large_text_still_fits_a_phone(page: Any) -> None:
    expect = _browser_or_skip().expect
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # as a reader with large text set
    page.get_by_role("button", name="宅配業者を装った偽SMS").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#card .flex-header")).to_contain_text("危険")
    assert _no_sideways_scrolling(page)
