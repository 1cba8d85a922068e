"""Hypothesis strategies for hostile input: garbled JSON, mutated platform events and nasty texts."""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# 10,000 cases per target in CI; HARDENING_EXAMPLES lowers it for a quick local run or raises it for a long one.
EXAMPLES = int(os.environ.get("HARDENING_EXAMPLES", "10000"))

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
nasty_text = st.lists(
    st.one_of(st.text(max_size=12), st.sampled_from(NASTY), st.sampled_from(SCAMMY)), max_size=25,
).map("".join)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                         nasty_text)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(nasty_text, inner, max_size=4)),
    max_leaves=12,
)


def mutate(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid object with fields dropped, replaced by any JSON value, or added; nested dicts too."""

    def apply(draw: Any) -> dict[str, Any]:
        result = dict(base)
        for key in list(result):
            choice = draw(st.integers(0, 9))
            if choice == 0:
                del result[key]
            elif choice == 1:
                result[key] = draw(json_values)
            elif choice == 2 and isinstance(result[key], dict):
                result[key] = draw(mutate(result[key]))
        if draw(st.booleans()):
            result[draw(nasty_text)] = draw(json_values)
        return result

    return st.composite(lambda draw: apply(draw))()


def deep_nesting(depth: int) -> bytes:
    """Arrays and objects nested `depth` levels: enough to exhaust a recursive parser."""
    return ('{"a":[' * depth + "1" + "]}" * depth).encode()


def dumps(value: Any, ascii_only: bool = False) -> bytes:
    """JSON bytes; lone surrogates escaped (they cannot be UTF-8 encoded as they are)."""
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
