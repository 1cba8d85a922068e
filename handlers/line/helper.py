"""Family helper on LINE: code, consent, notices on danger, unlinking from either side."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from bot import notices, texts
from bot.compose import compose
from bot.models import CheckResult
from bot.storage import HelperLink, PendingNotice
from handlers.line import postback, replies
from handlers.line.conversation import Conversation
from handlers.line.runtime import PLATFORM, LineRuntime

log = logging.getLogger(__name__)

# LINE gives bots no phone numbers; this opens the helper's chat list, where a LINE call is one tap away.
CONTACT_LABEL = "LINEで声をかける"
CONTACT_URI = "https://line.me/R/nv/chat"

REDEEM_ANSWERS = {
    "wrong": texts.HELPER_CODE_WRONG,
    "expired": texts.HELPER_CODE_WRONG,
    "locked": texts.HELPER_CODE_LOCKED,
    "self": texts.HELPER_CODE_SELF,
}


def _name(runtime: LineRuntime, user_id: str) -> str:
    return runtime.client.display_name(user_id) or texts.HELPER_DEFAULT_NAME


def _say(conv: Conversation, text: str, quick: replies.Msg | None = None) -> None:
    conv.send(replies.text_messages(text, quick=quick))


def setup(runtime: LineRuntime, conv: Conversation, user_id: str, found: re.Match[str]) -> None:
    """「見守り設定」: a one-time code for the helper to type."""
    code = runtime.store.create_link_code(PLATFORM, user_id)
    _say(conv, texts.HELPER_SETUP.format(code=code))


def redeem(runtime: LineRuntime, conv: Conversation, helper_id: str, found: re.Match[str]) -> None:
    """「見守り 123456」 from the helper: on a good code, ask the user to consent."""
    result = runtime.store.redeem_link_code(PLATFORM, helper_id, found.group(1))
    log.info("line helper code status=%s", result.status)
    if result.status != "ok":
        _say(conv, REDEEM_ANSWERS.get(result.status, texts.HELPER_CODE_WRONG))
        return
    ask = texts.HELPER_ASK_CONFIRM.format(helper=_name(runtime, helper_id))
    yes = replies.postback_action(texts.HELPER_CONFIRM_YES, postback.LINK, id=str(result.link_id), ok="1")
    no = replies.postback_action(texts.HELPER_CONFIRM_NO, postback.LINK, id=str(result.link_id), ok="0")
    runtime.client.push(result.user_id, [replies.confirm(ask, yes, no)])
    _say(conv, texts.HELPER_REQUEST_SENT)


def on_link_answer(runtime: LineRuntime, conv: Conversation, user_id: str, fields: dict[str, str]) -> None:
    """The user's consent (or refusal); both sides are told."""
    accept = fields.get("ok") == "1"
    try:
        link_id = int(fields.get("id", ""))
    except ValueError:
        return
    link = runtime.store.confirm_link(PLATFORM, user_id, link_id, accept)
    if link is None:
        _say(conv, texts.HELPER_LINK_GONE)
        return
    if accept:
        share = replies.quick_reply(
            replies.postback_action(texts.HELPER_SHARE_FULL_LABEL, postback.SHARE, on="1"),
            replies.postback_action(texts.HELPER_SHARE_SUMMARY_LABEL, postback.SHARE, on="0"),
        )
        _say(conv, texts.HELPER_LINKED_USER, quick=share)
        runtime.client.push(link.helper_id, replies.text_messages(texts.HELPER_LINKED_HELPER))
    else:
        _say(conv, texts.HELPER_DECLINED)
        runtime.client.push(link.helper_id, replies.text_messages(texts.HELPER_DECLINED_HELPER))


def on_share(runtime: LineRuntime, conv: Conversation, user_id: str, fields: dict[str, str]) -> None:
    """The user chooses whether helpers get the full text or the verdict and reasons only."""
    share = fields.get("on") == "1"
    runtime.store.set_share_full_text(PLATFORM, user_id, share)
    _say(conv, texts.HELPER_SHARE_ON if share else texts.HELPER_SHARE_OFF)


def unlink_everyone(runtime: LineRuntime, someone: str) -> list[Any]:
    """End every link involving this person and tell the other side of each confirmed one."""
    if runtime.store is None:
        return []
    links = list(runtime.store.unlink(PLATFORM, someone))
    confirmed = [link for link in links if getattr(link, "confirmed_at", None) is not None]
    if confirmed:
        note = texts.HELPER_UNLINKED_OTHER.format(name=_name(runtime, someone))
        for link in confirmed:
            other = link.helper_id if link.user_id == someone else link.user_id
            runtime.client.push(other, replies.text_messages(note))
    log.info("line unlinked links=%d", len(links))
    return links


def unlink(runtime: LineRuntime, conv: Conversation, someone: str, found: re.Match[str]) -> None:
    """「見守り解除」 from the user or the helper."""
    _say(conv, texts.HELPER_UNLINKED if unlink_everyone(runtime, someone) else texts.HELPER_NONE)


def notice_text(user: str, key_result: Any, full_text: str | None) -> str:
    """Who, the verdict, the brand and the reasons; the message itself only when the user shares it."""
    reply = compose(key_result)
    brand = texts.HELPER_BRAND_LINE.format(brand=key_result.brand) if key_result.brand else ""
    reasons = "\n".join(f"・{r}" for r in reply.reasons) or "・-"
    text = texts.HELPER_NOTICE.format(user=user, label=reply.label, brand_line=brand, reasons=reasons)
    return text + (texts.HELPER_NOTICE_FULL_TEXT.format(text=full_text) if full_text else "")


def notify(runtime: LineRuntime, user_id: str, key: str) -> str:
    """「家族に知らせる」: notices for a result kept in the store; "sent", "none", "failed" or "expired"."""
    entry = runtime.recall(key, user_id)
    if entry is None:
        return "expired"
    return send_notices(runtime, user_id, key, entry.result, entry.text)


def resend_pending(runtime: LineRuntime) -> int:
    """Send again each notice LINE has not accepted yet (same retry key: it arrives once); returns how many got through.

    Run every minute by the web process (bot.wsgi), so a notice is not lost when LINE was down while the user
    was answered. Several workers or instances may run it at once: the retry key makes that harmless.
    """
    def send(notice: PendingNotice) -> bool:
        return runtime.client.push(notice.helper_id, json.loads(notice.messages), retry_key=notice.retry_key,
                                   attempts=1)

    return notices.resend_pending(runtime.store, PLATFORM, send)


def send_notices(runtime: LineRuntime, user_id: str, key: str, result: CheckResult, text: str | None,
                 links: Sequence[HelperLink] | None = None) -> str:
    """Push a notice to each confirmed helper, once per message and within the daily cap.

    "sent", "none" (no helper) or "failed" (LINE did not take a notice: the 「家族に知らせる」 button sends it
    again with the same retry key, so it arrives once even if an earlier try did get through).
    `links`: the user's confirmed helpers when the caller already read them (store.keep_answer does).
    """
    if links is None:
        links = runtime.store.helpers_of(PLATFORM, user_id)
    if not links:
        return "none"
    user = _name(runtime, user_id)
    failed = False
    for link in links:
        retry_key = runtime.store.helper_notice_turn(link.id, key)
        if retry_key is None:
            log.info("line helper notice skipped (already delivered or daily cap) link=%s", link.id)
            continue
        body = notice_text(user, result, text if link.share_full_text else None)
        messages = [replies.notice_flex(body, CONTACT_LABEL, CONTACT_URI)]
        sent = runtime.client.push(link.helper_id, messages, retry_key=retry_key)
        if sent:
            runtime.store.helper_notice_delivered(link.id, key)
        else:  # kept for resend_pending (and the button), which send it with the same retry key
            runtime.store.helper_notice_failed(link.id, key, json.dumps(messages, ensure_ascii=False))
        failed = failed or not sent
        log.info("line helper notice link=%s sent=%s", link.id, sent)
    return "failed" if failed else "sent"
