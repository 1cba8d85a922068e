"""Property-based: POST /api/check answers 200, 400 or 413 to any body, and a 200 always holds a verdict."""

from __future__ import annotations

from collections import Counter

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

VERDICTS = {"danger", "caution", "no_signs"}

api_bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(dumps),
    st.builds(lambda text, sender, ascii_only: dumps({"text": text, "sender": sender}, ascii_only),
              nasty_text, st.one_of(st.none(), nasty_text, json_values), st.booleans()),
    st.builds(lambda text, times: dumps({"text": text * times}), nasty_text, st.integers(1, 300)),
    mutate({"text": "未納料金があります 03-1234-5678", "sender": "SMS"}).map(dumps),
    st.sampled_from([10, 1000, 100_000]).map(deep_nesting),
)


def test_any_body_gets_200_400_or_413_and_a_200_always_holds_a_verdict(shared_world: World) -> None:
    world = shared_world
    statuses: Counter[int] = Counter()

    @FUZZ
    @given(generated=api_bodies, seed=seeds)
    def case(generated: bytes, seed: int) -> None:
        world.crashes.records.clear()
        for body in byte_variants(generated, seed):
            response = world.http.post("/api/check", data=body, content_type="application/json")
            statuses[response.status_code] += 1
            assert response.status_code in (200, 400, 413), (response.status_code, body[:200])
            answer = response.get_json()
            assert isinstance(answer, dict), body[:200]
            if response.status_code == 200:
                assert answer["verdict"] in VERDICTS and 0 <= answer["score"] <= 100
            else:
                assert isinstance(answer.get("error"), str)
        assert world.crashes.summary() == [], generated[:200]

    case()
    assert sum(statuses.values()) >= CASES, statuses
    assert statuses[200] > CASES // 10 and statuses[400] > CASES // 10, statuses
    print(f"api fuzz: {sum(statuses.values())} cases, statuses {dict(statuses)}")
