"""The manifest a workspace admin installs matches what the code listens to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from handlers.slack.listeners import SHORTCUT_CALLBACK
from handlers.slack.texts import SHORTCUT_NAME

MANIFEST = Path(__file__).resolve().parents[2] / "slack" / "manifest.yml"


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_every_url_points_at_the_one_slack_route() -> None:
    data = manifest()
    urls = [data["settings"]["event_subscriptions"]["request_url"], data["settings"]["interactivity"]["request_url"],
            *(c["url"] for c in data["features"]["slash_commands"])]
    assert all(url.endswith("/slack/events") and url.startswith("https://") for url in urls)


def test_shortcut_and_slash_command_match_the_code_and_the_default_setting() -> None:
    features = manifest()["features"]
    assert [(s["name"], s["callback_id"], s["type"]) for s in features["shortcuts"]] == [
        (SHORTCUT_NAME, SHORTCUT_CALLBACK, "message")]
    assert [c["command"] for c in features["slash_commands"]] == [Settings.model_fields["slack_slash_command"].default]
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]


def test_events_and_scopes_cover_every_listener() -> None:
    data = manifest()
    events = set(data["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "message.channels", "message.groups", "app_home_opened",
            "member_joined_channel"} <= events
    scopes = set(data["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "channels:history", "groups:history", "im:history", "chat:write", "commands",
            "files:read", "users:read"} <= scopes
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is False
