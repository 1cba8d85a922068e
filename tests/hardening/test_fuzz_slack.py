"""Property-based: any correctly signed Slack request gets a 2xx/4xx answer, and no listener crashes on it."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from tests.hardening.conftest import World
from tests.hardening.strategies import (
    CASES,
    FUZZ,
    byte_variants,
    deep_nesting,
    dumps,
    json_values,
    mutate,
    nasty_text,
    seeds,
)
from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID

_ids = itertools.count()
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def _envelope(event: dict[str, Any]) -> dict[str, Any]:
    return {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0001", "type": "event_callback",
            "event_id": f"EvFUZZ{next(_ids):08d}", "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}]}


@st.composite
def slack_event(draw: Any) -> dict[str, Any]:
    """A message, mention, membership or App Home event, then sometimes mutated."""
    kind = draw(st.sampled_from(["im", "im", "channel", "mention", "joined", "left", "home", "edited", "file"]))
    ts = f"{time.time():.6f}"
    body = draw(nasty_text)
    if kind in ("im", "channel"):
        event = {"type": "message", "channel_type": kind, "channel": "D1" if kind == "im" else "C1", "user": "U1",
                 "text": body, "ts": ts}
    elif kind == "mention":
        event = {"type": "app_mention", "channel": "C1", "user": "U2", "text": f"<@{BOT_USER_ID}> {body}", "ts": ts}
    elif kind == "joined":
        event = {"type": "member_joined_channel", "channel": "C1", "user": BOT_USER_ID}
    elif kind == "left":
        event = {"type": "channel_left", "channel": "C1", "actor_id": "U1"}
    elif kind == "home":
        event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    elif kind == "edited":
        event = {"type": "message", "subtype": "message_changed", "channel_type": "im", "channel": "D1",
                 "message": {"text": body, "user": "U1"}, "ts": ts}
    else:
        event = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": body, "ts": ts,
                 "files": [{"id": "F1", "mimetype": "image/png", "url_private": "http://FAKE-HOST/files/x.png"}]}
    return draw(mutate(event)) if draw(st.integers(0, 3)) == 0 else event


@st.composite
def interaction(draw: Any) -> dict[str, Any]:
    """A button press, shortcut or modal submission, then sometimes mutated."""
    kind = draw(st.sampled_from(["block_actions", "message_action", "shortcut", "view_submission"]))
    payload: dict[str, Any] = {"type": kind, "team": {"id": TEAM_ID}, "user": {"id": "U1"}, "api_app_id": "A0001",
                               "token": "legacy", "trigger_id": "trig.1", "response_url": "http://FAKE-HOST/response/r"}
    if kind == "block_actions":
        payload.update(channel={"id": "D1"}, container={"type": "message", "message_ts": "1.1", "channel_id": "D1"},
                       actions=[{"type": "button", "action_id": draw(st.sampled_from(
                           ["sagi_feedback_ok", "sagi_feedback_wrong", "sagi_share", "helper_accept", "helper_decline",
                            "helper_stop", "x"])), "block_id": "b", "value": draw(nasty_text), "action_ts": "1"}])
    elif kind == "message_action":
        payload.update(callback_id="sagi_check_message", channel={"id": "C1"},
                       message={"text": draw(nasty_text), "ts": "1.1", "user": "U2"}, message_ts="1.1")
    elif kind == "view_submission":
        payload.update(view={"callback_id": "x", "state": {"values": draw(json_values)}})
    return draw(mutate(payload)) if draw(st.integers(0, 2)) == 0 else payload


def _form(fields: dict[str, Any]) -> bytes:
    return urlencode(fields, encoding="utf-8", errors="surrogatepass").encode("ascii")


slack_requests = st.one_of(
    st.tuples(st.binary(max_size=300), st.sampled_from([JSON, FORM])),
    st.tuples(json_values.map(dumps), st.just(JSON)),
    st.tuples(st.builds(lambda event, ascii_only: dumps(_envelope(event), ascii_only), slack_event(), st.booleans()),
              st.just(JSON)),
    st.tuples(interaction().map(lambda p: urlencode({"payload": dumps(p, True).decode()}).encode()), st.just(FORM)),
    st.tuples(st.builds(lambda text, command: _form({"token": "legacy", "team_id": TEAM_ID, "channel_id": "C1",
                                                      "user_id": "U1", "command": command, "text": text,
                                                      "response_url": "http://FAKE-HOST/response/r", "trigger_id": "t"}),
                        nasty_text, st.sampled_from(["/sagi", "/other", ""])), st.just(FORM)),
    st.tuples(json_values.map(lambda v: urlencode({"payload": dumps(v, True).decode()}).encode()), st.just(FORM)),
    st.tuples(st.sampled_from([10, 1000, 100_000]).map(deep_nesting), st.sampled_from([JSON, FORM])),
    st.tuples(st.sampled_from([10, 1000, 100_000]).map(lambda d: b"payload=" + deep_nesting(d)), st.just(FORM)),
    st.tuples(st.builds(lambda challenge: dumps({"type": "url_verification", "challenge": challenge}), json_values),
              st.just(JSON)),
)


def test_any_signed_slack_request_is_answered_without_5xx_and_no_listener_crashes(shared_world: World) -> None:
    world = shared_world
    statuses: Counter[int] = Counter()
    fake_host = world.slack_api.url.removeprefix("http://").encode()

    @FUZZ
    @given(request=slack_requests, seed=seeds)
    def case(request: tuple[bytes, str], seed: int) -> None:
        generated, content_type = request
        for variant in byte_variants(generated, seed):  # mutate first: the same cases whatever the fake's port
            body = variant.replace(b"FAKE-HOST", fake_host)  # response_url and file links reach the fake
            response = world.slack(body, content_type)
            statuses[response.status_code] += 1
            assert response.status_code < 500, (response.status_code, body[:300])
        assert [r for r in world.crashes.records if r.name == "bot.app"] == [], generated[:300]

    case()
    world.settle()
    assert world.crashes.summary() == [] and world.thread_errors == []
    assert sum(statuses.values()) >= CASES, statuses
    assert statuses[200] > CASES // 10 and statuses[400] > CASES // 10, statuses
    print(f"slack events fuzz: {sum(statuses.values())} cases, statuses {dict(statuses)}")
