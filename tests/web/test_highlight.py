"""Evidence positions: found in the original text whatever its width, case or spacing."""

from __future__ import annotations

from bot.detect import Detector
from bot.models import CheckResult, Finding, Verdict
from handlers.web.highlight import segments, spans


def _result(*evidence: str) -> CheckResult:
    reasons = tuple(Finding(id=f"r{i}", text="理由", evidence=e, weight=10, source="test") for i, e in enumerate(evidence))
    return CheckResult(verdict=Verdict.DANGER, score=80, reasons=reasons)


def test_evidence_is_found_across_full_width_and_case() -> None:
    text = "ＵＲＬ：ＨＴＴＰＳ://Example.COM/x へ"
    [span] = spans(text, _result("example.com"))
    assert text[span.start:span.end] == "Example.COM"


def test_evidence_is_found_across_spaces_and_in_word_separators() -> None:
    text = "本 日 中に要-確-認"
    marked = spans(text, _result("本日中", "要確認"))
    assert [text[s.start:s.end] for s in marked] == ["本 日 中", "要-確-認"]


def test_half_width_kana_with_voicing_marks_match_their_full_width_form() -> None:
    text = "ｱﾏｿﾞﾝからです"
    [span] = spans(text, _result("アマゾン"))
    assert text[span.start:span.end] == "ｱﾏｿﾞﾝ"


def test_combined_evidence_is_marked_part_by_part_and_overlaps_keep_both_reasons() -> None:
    text = "未納料金があります。法的手続きへ"
    marked = spans(text, _result("未納", "未納・法的手続"))
    assert [(text[s.start:s.end], s.reasons) for s in marked] == [("未納", (0, 1)), ("法的手続", (1,))]


def test_evidence_not_in_the_text_marks_nothing() -> None:
    assert spans("こんにちは", _result("85%")) == []


def test_segments_cover_the_whole_text_in_order(detector: Detector) -> None:
    text = "【佐川急便】不在の為持ち帰りました。下記よりご確認ください https://sagawa-abc.com/x 😀"
    pieces = segments(text, spans(text, detector.check(text)))
    assert "".join(str(p["text"]) for p in pieces) == text
    assert any(p["reasons"] for p in pieces)
