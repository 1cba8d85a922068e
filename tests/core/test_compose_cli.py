"""The reply words and the command line, as a user and other tools see them."""

from __future__ import annotations

import io
import json

import pytest

from bot.cli import main
from bot.compose import compose, group_alert
from bot.detect import Detector
from bot.models import Verdict

SCAM = "有料動画の未納料金があります。本日中にご連絡無き場合、法的手続きに移行致します。アマゾンジャパン窓口"


def test_a_danger_reply_names_verdict_reasons_actions_contacts_and_links(detector: Detector) -> None:
    reply = compose(detector.check(SCAM))
    assert reply.verdict is Verdict.DANGER and reply.label == "危険"
    for part in ("危険", "【こう判断した理由】", "「未納」", "【いますぐすること】", "0120-899-543", "188", "#9110", "【報告先】"):
        assert part in reply.text
    assert len(reply.reasons) <= 5


def test_a_no_signs_reply_never_calls_a_message_safe(detector: Detector) -> None:
    reply = compose(detector.check("今日の夕飯はカレーでいい?"))
    assert reply.label == "目立った特徴なし"
    assert "安全と決まったわけではありません" in reply.text
    assert "安全です" not in reply.text


def test_the_group_alert_is_short_and_names_the_first_reason(detector: Detector) -> None:
    text = group_alert(detector.check(SCAM))
    assert text.startswith("⚠️") and "理由：" in text and len(text) < 300


def test_cli_check_prints_the_reply(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", SCAM]) == 0
    out = capsys.readouterr().out
    assert "危険" in out and "0120-899-543" in out


def test_cli_check_json_answers_each_line_in_order_and_reports_bad_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.dumps({"text": SCAM}), "not json", json.dumps({"text": "帰りに牛乳買ってきて", "sender": "母"}),
             json.dumps({"sender": "x"})]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["check", "--json"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o.get("verdict") for o in out] == ["danger", None, "no_signs", None]
    assert "error" in out[1] and "error" in out[3]
    first = out[0]
    assert set(first) >= {"verdict", "score", "brand", "reasons", "contacts", "links"}
    assert first["brand"] == "Amazon" and all({"id", "text", "evidence"} <= set(r) for r in first["reasons"])


def test_cli_eval_prints_rates_by_kind(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "a", "text": SCAM, "label": "scam", "kind": "scam_sms"},
        {"id": "b", "text": "駅に着いたよ", "label": "legit", "kind": "chat"},
    ]), encoding="utf-8")
    assert main(["eval", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "scam_sms" in out and "detected=100.0%" in out and "chat" in out
