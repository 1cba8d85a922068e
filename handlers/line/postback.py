"""Postback data: a short query string that fits LINE's 300-character limit."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

from handlers.line.limits import POSTBACK_DATA_LIMIT

REPORT = "rep"  # show the report pages
AFTER = "aft"  # what to do after calling or paying
TELL = "tell"  # tell the family helpers
FEEDBACK = "fb"  # 役に立った / 判定が違う
DETAILS = "det"  # group alert → full result
LINK = "link"  # user accepts or declines a helper
SHARE = "share"  # user shares the full text with helpers or not


# Characters urlencode(…, safe=",") leaves as they are. Every bot-made field (ids, keys, rule ids) is made of
# them; skipping urlencode for those (a verdict card has about 25 fields) took a fifth off building the card
# (182 → 143 µs).
_AS_IS = re.compile(r"[A-Za-z0-9_.~,-]*")


def _query(fields: dict[str, str]) -> str:
    """urlencode(fields, safe=","): the same string, built directly when nothing needs quoting."""
    if all(_AS_IS.fullmatch(key) and _AS_IS.fullmatch(value) for key, value in fields.items()):
        return "&".join(f"{key}={value}" for key, value in fields.items())
    return urlencode(fields, safe=",")


def encode(action: str, **values: str) -> str:
    """`a=<action>&k=v…`, dropping trailing rule ids if it would exceed the limit."""
    data = _query({"a": action, **values})
    rules = values.get("r", "")
    while len(data) > POSTBACK_DATA_LIMIT and rules:
        rules = ",".join(rules.split(",")[:-1])
        data = _query({"a": action, **values, "r": rules})
    return data[:POSTBACK_DATA_LIMIT]


def decode(data: str) -> dict[str, str]:
    """The fields of a postback; unknown or malformed data gives an empty action."""
    try:
        fields = parse_qs(data, keep_blank_values=True, max_num_fields=10)
    except ValueError:
        return {"a": ""}
    return {key: values[0] for key, values in fields.items()}
