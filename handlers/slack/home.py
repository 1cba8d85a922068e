"""The App Home tab: how to use the bot and the user's helper settings, with controls to change them."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services import Services
from handlers.slack import helper
from handlers.slack import texts as slack_texts
from handlers.slack.blocks import Block, button, escape, header, section
from handlers.slack.common import PLATFORM, safe

log = logging.getLogger(__name__)

ACTION_PICK_USER = "sagi_home_pick_user"
ACTION_PICK_CHANNEL = "sagi_home_pick_channel"
ACTION_SHARE = "sagi_home_share"
ACTION_STOP_ALL = "sagi_home_stop_all"


def _names(ids: list[str]) -> str:
    return ", ".join(helper.display(i) for i in ids) or slack_texts.HOME_NOBODY


def home_view(services: Services, user_id: str) -> dict[str, Any]:
    """The home view for one user."""
    blocks: list[Block] = [
        header(slack_texts.HOME_TITLE),
        section(slack_texts.HOME_USAGE.format(command=escape(services.settings.slack_slash_command))),
        {"type": "divider"},
        header(slack_texts.HOME_HELPERS_TITLE),
        section(escape(slack_texts.HOME_HELPERS_EXPLAIN)),
    ]
    store = services.store
    if store is not None:
        mine = store.helpers_of(PLATFORM, user_id)
        watching = [link for link in store.links_involving(PLATFORM, user_id) if link.helper_id == user_id]
        sharing = any(link.share_full_text for link in mine)
        blocks += [
            section(slack_texts.HOME_MY_HELPERS.format(names=_names([link.helper_id for link in mine]))),
            section(slack_texts.HOME_I_WATCH.format(names=_names([link.user_id for link in watching]))),
            {"type": "actions", "block_id": "sagi_home_pick", "elements": [
                {"type": "users_select", "action_id": ACTION_PICK_USER,
                 "placeholder": {"type": "plain_text", "text": slack_texts.HOME_PICK_USER}},
                {"type": "conversations_select", "action_id": ACTION_PICK_CHANNEL,
                 "placeholder": {"type": "plain_text", "text": slack_texts.HOME_PICK_CHANNEL},
                 "filter": {"include": ["public", "private"], "exclude_bot_users": True}},
            ]},
        ]
        controls = [button(slack_texts.HOME_SHARE_ON if sharing else slack_texts.HOME_SHARE_OFF, ACTION_SHARE,
                           "off" if sharing else "on")]
        if mine or watching:
            controls.append(button(slack_texts.HOME_STOP_ALL, ACTION_STOP_ALL, "", style="danger"))
        blocks.append({"type": "actions", "block_id": "sagi_home_controls", "elements": controls})
    return {"type": "home", "blocks": blocks}


def publish(services: Services, client: WebClient, user_id: str) -> None:
    """Show the (re)built home tab to the user."""
    view = home_view(services, user_id)
    safe("views.publish", lambda: client.views_publish(user_id=user_id, view=view))


def _dm(client: WebClient, user_id: str) -> helper.Say:
    """Answers to actions taken in the home tab go to the user's Messages tab."""

    def say(text: str) -> None:
        safe("chat.postMessage", lambda: client.chat_postMessage(channel=user_id, text=text))

    return say


def register(app: App, services: Services) -> None:
    """Wire the home tab and its controls."""

    @app.event("app_home_opened")
    def _opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home" and event.get("user"):
            publish(services, client, event["user"])

    @app.action(ACTION_PICK_USER)
    @app.action(ACTION_PICK_CHANNEL)
    def _pick(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        target = action.get("selected_user") or action.get("selected_conversation")
        if target:
            helper.request(services, client, user_id, target, _dm(client, user_id))
        publish(services, client, user_id)

    @app.action(ACTION_SHARE)
    def _share(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        if services.store is not None:
            services.store.set_share_full_text(PLATFORM, user_id, action.get("value") == "on")
        publish(services, client, user_id)

    @app.action(ACTION_STOP_ALL)
    def _stop_all(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        helper.stop(services, client, user_id, _dm(client, user_id))
        publish(services, client, user_id)
