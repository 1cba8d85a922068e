"""Route one unit of webhook events to its flow, once per webhookEventId, isolated from the others."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    GroupSource,
    ImageMessageContent,
    JoinEvent,
    LeaveEvent,
    MessageEvent,
    PostbackEvent,
    RoomSource,
    TextMessageContent,
    UnfollowEvent,
    UnsendEvent,
    UserSource,
)

from bot import texts
from handlers.line import group as group
from handlers.line import helper, images, one_to_one, postbacks, replies
from handlers.line.conversation import Conversation
from handlers.line.runtime import PLATFORM, LineRuntime

log = logging.getLogger(__name__)

Flow = Callable[[LineRuntime, Conversation, list[Event]], None]


def conversation_for(runtime: LineRuntime, event: Event, received: float) -> Conversation:
    """Where answers to this event go: the reply token first, the chat id for pushes."""
    source = event.source
    kind, to = "user", None
    if isinstance(source, GroupSource):
        kind, to = "group", source.group_id
    elif isinstance(source, RoomSource):
        kind, to = "room", source.room_id
    elif isinstance(source, UserSource):
        to = source.user_id
    if event.delivery_context.is_redelivery:
        # A redelivered event may be minutes old and its reply token with it: count its age from the event.
        received -= max(0.0, time.time() - event.timestamp / 1000)
    return Conversation(client=runtime.client, to=to, reply_token=getattr(event, "reply_token", None),
                        received=received, window=runtime.reply_window, kind=kind)


def sender_of(event: Event) -> str | None:
    """The user behind an event (absent in groups when the user did not consent)."""
    return getattr(event.source, "user_id", None) if event.source is not None else None


def _on_message(runtime: LineRuntime, conv: Conversation, batch: list[Event]) -> None:
    message = batch[0].message  # type: ignore[attr-defined]
    if conv.in_group:
        if isinstance(message, TextMessageContent):
            group.on_text(runtime, conv, batch[0])  # type: ignore[arg-type]
        return  # stickers, images and the like in groups: stay silent
    user_id = sender_of(batch[0]) or ""
    if isinstance(message, TextMessageContent):
        one_to_one.on_texts(runtime, conv, user_id, batch)  # type: ignore[arg-type]
    elif isinstance(message, ImageMessageContent):
        images.on_image(runtime, conv, user_id, batch[0])  # type: ignore[arg-type]
    else:
        conv.send(replies.text_messages(texts.NON_TEXT_HINT))


def _on_follow(runtime: LineRuntime, conv: Conversation, batch: list[Event]) -> None:
    sample = {"type": "message", "label": texts.TRY_SAMPLE_LABEL, "text": texts.SAMPLE_SCAM}
    conv.send(replies.text_messages(texts.WELCOME, quick=replies.quick_reply(sample)))


def _on_unfollow(runtime: LineRuntime, conv: Conversation, batch: list[Event]) -> None:
    user_id = sender_of(batch[0])
    if user_id:
        helper.unlink_everyone(runtime, user_id)


def _on_join(runtime: LineRuntime, conv: Conversation, batch: list[Event]) -> None:
    conv.send(replies.text_messages(texts.GROUP_INTRO))


def _on_leave(runtime: LineRuntime, conv: Conversation, batch: list[Event]) -> None:
    if runtime.store is not None and conv.to:
        runtime.store.forget_group(PLATFORM, conv.to)


def _on_unsend(runtime: LineRuntime, conv: Conversation, batch: list[Event]) -> None:
    message_id = batch[0].unsend.message_id  # type: ignore[attr-defined]
    if runtime.store is not None:  # also the kept result, and what was recorded under its batch's first id
        runtime.store.forget_message(PLATFORM, message_id)


def _on_postback(runtime: LineRuntime, conv: Conversation, batch: list[Event]) -> None:
    postbacks.on_postback(runtime, conv, sender_of(batch[0]), batch[0].postback.data)  # type: ignore[attr-defined]


FLOWS: dict[type[Event], Flow] = {
    MessageEvent: _on_message,
    FollowEvent: _on_follow,
    UnfollowEvent: _on_unfollow,
    JoinEvent: _on_join,
    LeaveEvent: _on_leave,
    UnsendEvent: _on_unsend,
    PostbackEvent: _on_postback,
}


def handle(runtime: LineRuntime, batch: tuple[Event, ...], received: float, forwarded: bool = False) -> None:
    """Claim each event, then run its flow; any failure is logged and stays inside this unit.

    `forwarded`: 1:1 texts to judge (webhook.plan): they are claimed in the same write that keeps their answer,
    one transaction for the bot's busiest path instead of a claim first and the rest after.
    """
    ids = ",".join(e.webhook_event_id for e in batch)
    try:
        if forwarded:
            conv = conversation_for(runtime, batch[0], received)
            claims = tuple(e.webhook_event_id for e in batch)
            one_to_one.judge_texts(runtime, conv, sender_of(batch[0]) or "", list(batch), claims)  # type: ignore[arg-type]
            return
        fresh = [e for e in batch if runtime.claim(e.webhook_event_id)]
        if not fresh:
            log.info("line events already handled: %s", ids)
            return
        flow = FLOWS.get(type(fresh[0]))
        if flow is None:
            log.info("line event type not handled: %s", fresh[0].type)
            return
        log.info("line handling type=%s events=%s", fresh[0].type, ids)
        flow(runtime, conversation_for(runtime, fresh[0], received), fresh)
    except Exception:
        log.exception("line event failed: %s", ids)
