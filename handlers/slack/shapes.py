"""The shapes of Slack payloads that bolt and our listeners index without checking; anything else is a 400.

Slack always sends these fields; a signed payload without them (or with the wrong types) can only come from
someone holding the signing secret, and without this gate it becomes a 500 in bolt or a crash in a listener.
"""

from __future__ import annotations

import re
from typing import Any

# Per event type: fields that must be strings when the event is one we handle.
EVENT_STRINGS = {
    "message": ("channel", "ts"),
    "app_mention": ("channel", "ts"),
    "member_joined_channel": ("channel",),
}
OPTIONAL_STRINGS = ("user", "text", "thread_ts", "subtype", "channel_type", "bot_id")
OBJECT_OR_NONE = ("message", "previous_message")
# JSON escapes can spell lone UTF-16 surrogates, which Slack never sends and no database driver can store.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _str(value: Any) -> bool:
    return isinstance(value, str)


def _dict_with_id(value: Any) -> bool:
    return isinstance(value, dict) and _str(value.get("id"))


def _event_ok(event: Any) -> bool:
    if not isinstance(event, dict):
        return False
    if any(key in event and not _str(event[key]) for key in ("type", *OPTIONAL_STRINGS)):
        return False
    if any(not isinstance(event.get(key), (dict, type(None))) for key in OBJECT_OR_NONE):
        return False
    files = event.get("files")
    if files is not None and not (isinstance(files, list) and all(isinstance(f, dict) for f in files)):
        return False
    if event.get("type") == "workflow_step_execute" and not (
            isinstance(event.get("workflow_step"), dict) and _str(event.get("callback_id"))):
        return False
    return all(_str(event.get(key)) for key in EVENT_STRINGS.get(str(event.get("type")), ()))


def _interaction_ok(body: dict[str, Any]) -> bool:
    kind = body.get("type")
    if not _dict_with_id(body.get("user")):
        return False
    if any(key in body and not _dict_with_id(body[key]) for key in ("channel", "team")):
        return False
    if "message" in body and not isinstance(body["message"], dict):
        return False
    if kind in ("block_actions", "interactive_message"):
        actions = body.get("actions")
        if not (isinstance(actions, list) and actions and isinstance(actions[0], dict)):
            return False
        first = actions[0]
        if not _str(first.get("action_id")) or not _str(first.get("value", "")):
            return False
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        return isinstance(view, dict) and _str(view.get("type"))
    return True


def _encodable(body: Any) -> bool:
    """No string anywhere in the payload holds a lone surrogate (walked without recursion)."""
    stack = [body]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _LONE_SURROGATE.search(value):
                return False
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return True


TOP_STRINGS = ("type", "token", "team_id", "api_app_id", "event_id", "trigger_id", "response_url", "callback_id",
               "enterprise_id", "command", "text", "user_id", "channel_id", "challenge")
TOP_OBJECTS = ("container", "team", "enterprise", "event", "view", "message", "channel", "user")


def readable(body: Any) -> bool:
    """True when the payload has the shape Slack sends for its type (events, interactions, commands)."""
    if not isinstance(body, dict) or not _encodable(body):
        return False
    if any(key in body and not _str(body[key]) for key in TOP_STRINGS):
        return False
    if any(body.get(key) is not None and not isinstance(body[key], dict) for key in TOP_OBJECTS if key != "enterprise"):
        return False
    authorizations = body.get("authorizations")
    if authorizations is not None and not (isinstance(authorizations, list) and
                                           all(isinstance(a, dict) for a in authorizations)):
        return False
    if "event" in body and not _event_ok(body["event"]):
        return False
    if "view" in body and not isinstance(body["view"], dict):
        return False
    if body.get("type") in ("block_actions", "interactive_message", "shortcut", "message_action", "view_submission",
                            "view_closed"):
        return _interaction_ok(body)
    return True
