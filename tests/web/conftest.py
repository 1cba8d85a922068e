"""Fixtures for the web adapter: the real knowledge base loaded once, a fresh app and database per test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.app import create_app
from bot.config import load_settings
from bot.detect import Detector
from bot.knowledge import Knowledge
from bot.services import Services
from bot.storage import open_store

ADMIN_TOKEN = "test-admin-token-0123456789"
SCAM = "【ヤマト運輸】お届け予定のお荷物が住所不明のため保管しております。配送先の確認はこちら https://yamato-hxq.top/d"
OTP = "【Amazon】認証コードは 482913 です。このコードを誰にも教えないでください。"


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests see no developer .env and no stray variables: they pass their configuration explicitly."""
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "ADMIN_TOKEN", "PLAYGROUND", "LOG_FORMAT", "LOG_LEVEL", "MAX_BODY_BYTES",
                 "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET",
                 "PROMETHEUS_MULTIPROC_DIR", "HASH_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def make_app(tmp_path: Path, knowledge: Knowledge, detector: Detector) -> Callable[..., Flask]:
    """Build an app with these settings, an SQLite file in tmp_path and the shared detector."""

    def build(store: Any = "real", **overrides: Any) -> Flask:
        settings = load_settings(instance_path=tmp_path / "instance", **overrides)
        real_store = open_store(settings) if store == "real" else store
        services = Services(settings=settings, knowledge=knowledge, detector=detector, store=real_store)
        app = create_app(settings, services)
        app.config["TESTING"] = True
        return app

    return build


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(admin_token=ADMIN_TOKEN)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
