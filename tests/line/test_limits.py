"""LINE's limits: UTF-16 text length, 5 messages per call, Flex bubble size and altText length."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import create_app
from bot.compose import Reply
from bot.config import load_settings
from bot.models import Link, Verdict
from handlers.line import postback
from handlers.line.limits import ALT_TEXT_LIMIT, BUBBLE_BYTES, batches, cut, json_bytes, split_text, utf16_len
from handlers.line.replies import text_messages, verdict_flex


def test_length_is_counted_in_utf16_code_units() -> None:
    assert utf16_len("詐欺") == 2
    assert utf16_len("😀") == 2  # outside the BMP: a surrogate pair
    assert utf16_len("𠮷野家") == 4


def test_cutting_never_splits_a_surrogate_pair() -> None:
    assert cut("あ😀い", 2) == "あ"
    assert cut("あ😀い", 3) == "あ😀"


def test_long_text_is_split_within_5000_units_preferring_line_breaks() -> None:
    line = "詐欺にご注意ください😀。" * 20 + "\n"
    chunks = split_text(line * 60)
    assert len(chunks) > 1
    assert all(utf16_len(c) <= 5000 for c in chunks)
    assert all(c.endswith("。") for c in chunks[:-1])
    assert "\n".join(chunks) == line * 60  # nothing lost but the line breaks split at


def test_text_without_line_breaks_is_still_split_within_the_limit() -> None:
    chunks = split_text("😀" * 6000)
    assert [utf16_len(c) for c in chunks] == [5000, 5000, 2000]


def test_messages_are_sent_at_most_five_per_call() -> None:
    messages = text_messages("あ" * 26_000)
    assert [len(b) for b in batches(messages)] == [5, 1]


def test_flex_stays_within_the_bubble_limit_and_alt_text_within_1500() -> None:
    huge = Reply(
        verdict=Verdict.DANGER, label="危険", title="危険", summary="要約",
        reasons=tuple("理由" * 200 for _ in range(40)), actions=tuple("行動" * 200 for _ in range(40)),
        contacts=tuple("連絡先" * 100 for _ in range(40)),
        links=tuple(Link(title="報告先" * 30, url=f"https://example.jp/{n}") for n in range(40)),
        text="本文" * 5000,
    )
    flex = verdict_flex(huge, key="1234567890", rule_ids=tuple(f"rule_{n}" for n in range(100)))
    assert json_bytes(flex["contents"]) <= BUBBLE_BYTES
    assert utf16_len(flex["altText"]) <= ALT_TEXT_LIMIT


def test_postback_data_fits_300_characters_by_dropping_rule_ids() -> None:
    data = postback.encode(postback.FEEDBACK, k="1" * 18, v="danger", ans="wrong",
                           r=",".join(f"some_long_rule_id_{n}" for n in range(50)))
    assert len(data) <= 300
    fields = postback.decode(data)
    assert fields["a"] == "fb" and fields["v"] == "danger" and fields["r"].startswith("some_long_rule_id_0,")


def test_without_credentials_the_line_route_is_off_and_the_app_still_starts(tmp_path: Path) -> None:
    settings = load_settings(line_channel_secret=None, line_channel_access_token=None, instance_path=tmp_path,
                             database_url=f"sqlite:///{tmp_path / 'off.sqlite3'}")
    app = create_app(settings)
    assert "line" not in app.extensions
    assert app.test_client().post("/line/webhook", data=b"{}").status_code in (404, 405)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.one_of(st.text(max_size=30), st.from_regex(r"[A-Za-z0-9_.~,-]*",
                                                                                          fullmatch=True))))
def test_postback_fields_are_encoded_exactly_as_urlencode_would(fields: dict[str, str]) -> None:
    data = postback.encode(postback.FEEDBACK, **{f"x{key}": value for key, value in fields.items()})
    assert data == urlencode({"a": postback.FEEDBACK, **{f"x{k}": v for k, v in fields.items()}}, safe=",")[:300]
