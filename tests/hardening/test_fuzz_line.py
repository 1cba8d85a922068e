"""Property-based: any correctly signed LINE webhook body gets 200 or 400, never a 5xx or a crash in a worker."""

from __future__ import annotations

from collections import Counter
from typing import Any

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
from tests.line.conftest import event, group, image, postback, sticker, text, user

SOURCES = [user("Ufuzz1"), user("Ufuzz2"), group("Cfuzz", "Ufuzz3"), {"type": "room", "roomId": "Rfuzz", "userId": "U4"}]


@st.composite
def line_event(draw: Any) -> dict[str, Any]:
    """A real event shape (text, postback, image, follow, unsend, …), then mutated."""
    source = draw(st.sampled_from(SOURCES))
    kind = draw(st.sampled_from(["text", "text", "text", "postback", "image", "sticker", "follow", "unfollow", "join",
                                 "leave", "unsend", "memberJoined", "videoPlayComplete", "unknown"]))
    if kind == "text":
        base = text(draw(nasty_text), source, mention_self=draw(st.booleans()))
    elif kind == "postback":
        base = postback(draw(st.one_of(nasty_text, st.sampled_from(["a=family&k=1", "a=share&k=x", "a=fb&v=ok"]))), source)
    elif kind == "image":
        base = image(source)
    elif kind == "sticker":
        base = sticker(source)
    elif kind == "unsend":
        base = event("unsend", source, unsend={"messageId": draw(nasty_text)})
    else:
        base = event(kind, source)
    return draw(mutate(base)) if draw(st.integers(0, 3)) == 0 else base


webhook_bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(dumps),
    st.builds(lambda events, ascii_only: dumps({"destination": "Ubot", "events": events}, ascii_only),
              st.lists(line_event(), max_size=3), st.booleans()),
    st.builds(lambda payload: dumps(payload), mutate({"destination": "Ubot", "events": []})),
    st.sampled_from([10, 1000, 20_000, 100_000]).map(deep_nesting),
    st.sampled_from([b"", b"null", b"[]", b"{}", b'{"events": null}', b'{"events": {}}', b'{"events": "x"}',
                     b'{"events": [null, 1, "x", []]}', b"\xef\xbb\xbf{}", b'{"events": [{}]}']),
)


def test_any_signed_webhook_body_is_answered_200_or_400_and_never_crashes(shared_world: World) -> None:
    world = shared_world
    statuses: Counter[int] = Counter()

    @FUZZ
    @given(generated=webhook_bodies, seed=seeds)
    def case(generated: bytes, seed: int) -> None:
        world.crashes.records.clear()
        for body in byte_variants(generated, seed):
            response = world.line(body)
            statuses[response.status_code] += 1
            assert response.status_code in (200, 400), (response.status_code, body[:200])
        assert world.line_runtime.drain(20), "LINE workers did not finish"
        assert world.crashes.summary() == [], generated[:300]

    case()
    world.settle()
    assert world.crashes.summary() == [] and world.thread_errors == []
    assert sum(statuses.values()) >= CASES, statuses
    assert statuses[200] > CASES // 10 and statuses[400] > CASES // 10, statuses  # both paths were exercised
    print(f"line webhook fuzz: {sum(statuses.values())} cases, statuses {dict(statuses)}")
