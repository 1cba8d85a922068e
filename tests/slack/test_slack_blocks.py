"""Block Kit layout and Slack markup: limits, escaping, defanged scam links, what the buttons carry."""

from __future__ import annotations

import json

from bot.compose import compose
from bot.models import CheckResult, Finding, Link, Verdict
from handlers.slack.blocks import MAX_VALUE, defang, escape, fallback, feedback_value, reply_blocks
from handlers.slack.common import plain_text, without_mentions


def huge_result() -> CheckResult:
    reasons = tuple(Finding(id=f"r{i}", text="理由" * 2000, evidence="x", weight=10, source="s") for i in range(20))
    return CheckResult(verdict=Verdict.DANGER, score=100, reasons=reasons, advice=("する" * 3000,) * 5,
                       links=tuple(Link(title=f"報告{i}", url=f"https://example.jp/{i}") for i in range(80)),
                       rule_ids=tuple(f"rule_{i:03d}_with_a_long_name" for i in range(200)))


def test_blocks_stay_within_slacks_limits_however_long_the_reply() -> None:
    result = huge_result()
    blocks = reply_blocks(compose(result), result, "本文" * 5000)
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        for element in block.get("elements", []):
            assert len(element.get("value", "")) <= MAX_VALUE


def test_feedback_value_is_valid_json_within_2000_chars_and_keeps_the_verdict() -> None:
    result = huge_result()
    value = feedback_value(result, "長い本文" * 1000)
    assert len(value) <= MAX_VALUE
    assert json.loads(value)["v"] == "danger"


def test_fallback_text_carries_the_verdict_and_defanged_reasons() -> None:
    finding = Finding(id="link", text="偽のサイトに誘導するリンクです", evidence="https://sagawa-xyz.com/a", weight=50,
                      source="s")
    result = CheckResult(verdict=Verdict.DANGER, score=80, reasons=(finding,))
    text = fallback(compose(result))
    assert text.startswith("⚠️ 危険")
    assert "hxxps://sagawa-xyz[.]com/a" in text and "https://sagawa-xyz.com" not in text


def test_defang_leaves_ordinary_japanese_and_numbers_alone() -> None:
    assert defang("3.5万円を今日中に") == "3.5万円を今日中に"
    assert defang("amaz0n-security.top") == "amaz0n-security[.]top"


def test_escape_neutralises_slack_control_characters() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_plain_text_turns_slack_markup_back_into_what_was_typed() -> None:
    markup = ("<@UBOT> 【佐川急便】<http://sagawa-xyz.com|sagawa-xyz.com> <https://bit.ly/x> "
              "<tel:0312345678|03-1234-5678> <#C1|general> <!here> A &amp; B &lt;3")
    assert plain_text(markup) == "【佐川急便】sagawa-xyz.com https://bit.ly/x 03-1234-5678 #general  A & B <3"


def test_without_mentions_removes_every_user_mention() -> None:
    assert without_mentions("<@UBOT> 静かに <@U2|taro>") == "静かに"
