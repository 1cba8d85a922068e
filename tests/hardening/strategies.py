"""Hypothesis strategies for hostile input: garbled JSON, mutated platform events and nasty texts."""

from __future__ import annotations

import json
import os
import random
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each hypothesis example is sent as VARIANTS cases (as generated, then mutated byte- or character-wise):
# generating an example costs 1-4 ms, a mutant almost nothing. 2,500 x 4 = 10,000 cases per target in CI;
# HARDENING_EXAMPLES lowers it for a quick local run or raises it for a long one.
EXAMPLES = int(os.environ.get("HARDENING_EXAMPLES", "2500"))
VARIANTS = 4
CASES = EXAMPLES * VARIANTS

FUZZ = settings(
    max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much, HealthCheck.large_base_example],
)

# Characters that break naive text handling: controls, zero-width and direction marks, combining marks,
# variation selectors, emoji (with ZWJ sequences), look-alike letters, full-width forms, lone surrogates.
NASTY = [
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\r", "\n", "\t", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202e", "\u2066", "\u2067", "\u2069", "\u0301", "\u3099", "\ufe0f",
    "\U000e0001", "😀", "👨\u200d👩\u200d👧", "🇯🇵", "\ud800", "\udfff", "а", "о", "ｈｔｔｐｓ", "ｰ", "\u3000", "\u00a0",
    "عربي", "עברית", "한국어", "中文", "ｶﾀｶﾅ", "\uffff", "\U0010ffff", "%s", "{0}", "<script>", "'; DROP TABLE x;--",
]
SCAMMY = [
    "【ヤマト運輸】", "お荷物", "不在", "https://", "http://", "yamato-hxq.top/d", "bit.ly/x", "03-1234-5678",
    "0120", "050-", "+81", "未納料金", "本日中", "ご連絡", "口座", "停止", "認証コード", "Amazon", "ログイン",
    "0", "-", ".", "/", "@", ":", "h t t p", "０９０", "１２３４",
]
# Generation is most of a case's cost: fragments come from fixed pools, with some fully arbitrary text.
nasty_text = st.one_of(
    st.lists(st.sampled_from(NASTY + SCAMMY), max_size=10).map("".join),
    st.text(max_size=16),
)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                         nasty_text)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(nasty_text, inner, max_size=3)),
    max_leaves=6,
)

# Values that break code expecting something else: wrong types, extremes, empty and nested containers.
HOSTILE_VALUES: list[Any] = [
    None, True, False, 0, -1, 2**63, -(2**63) - 1, 1e308, -0.0, 0.5, "", " ", "0", "null", "x" * 5000, "\ud800",
    "\x00", "😀" * 100, [], [None], [[[]]], {}, {"": None}, {"type": None}, {"a": {"b": {"c": []}}},
    *NASTY, *SCAMMY,
]


def _mutated(value: dict[str, Any], rng: random.Random, depth: int = 0) -> dict[str, Any]:
    result = dict(value)
    for key in list(result):
        roll = rng.random()
        if roll < 0.1:
            del result[key]
        elif roll < 0.2:
            result[key] = rng.choice(HOSTILE_VALUES)
        elif roll < 0.4 and isinstance(result[key], dict) and depth < 4:
            result[key] = _mutated(result[key], rng, depth + 1)
    if rng.random() < 0.3:
        result[rng.choice(NASTY + SCAMMY)] = rng.choice(HOSTILE_VALUES)
    return result


def mutate(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid object with fields dropped, replaced by hostile values, or added; nested dicts too."""
    return st.randoms(use_true_random=True).map(lambda rng: _mutated(base, rng))


def deep_nesting(depth: int) -> bytes:
    """Arrays and objects nested `depth` levels: enough to exhaust a recursive parser."""
    return ('{"a":[' * depth + "1" + "]}" * depth).encode()


def dumps(value: Any, ascii_only: bool = False) -> bytes:
    """JSON bytes; lone surrogates escaped (they cannot be UTF-8 encoded as they are)."""
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


seeds = st.integers(0, 2**32 - 1)


def byte_variants(body: bytes, seed: int) -> list[bytes]:
    """The body, then cut short, with one byte changed, and with hostile bytes spliced in (VARIANTS in all)."""
    rng = random.Random(seed)
    cut = body[:rng.randrange(len(body) + 1)]
    flipped = bytearray(body or b"{")
    flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    at = rng.randrange(len(body) + 1)
    spliced = body[:at] + rng.choice([b"\x00", b"\xff\xfe", b'"', b"\\", b"\\ud800", b"{" * 50, b"]"]) + body[at:]
    return [body, cut, bytes(flipped), spliced]


def text_variants(text: str, seed: int) -> list[str]:
    """The text, then reversed, cut short, and with a hostile character inserted every few characters."""
    rng = random.Random(seed)
    noise = rng.choice(NASTY)
    step = rng.randrange(1, 8)
    sprinkled = "".join(ch + (noise if i % step == 0 else "") for i, ch in enumerate(text))
    return [text, text[::-1], text[:rng.randrange(len(text) + 1)], sprinkled]
