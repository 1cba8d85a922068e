"""The detector as a specification: what it flags, why, and what it leaves alone."""

from __future__ import annotations

import pytest

from bot.detect import Detector
from bot.knowledge import Knowledge
from bot.models import CheckResult, Verdict

SMSINFO = "ご利用料金のお支払い確認が取れておりません。本日中にご連絡ください。(0369127894)"


def ids(result: CheckResult) -> set[str]:
    return {r.id for r in result.reasons}


def test_when_fee_claim_deadline_and_known_number_then_danger_with_the_number_as_evidence(detector: Detector) -> None:
    result = detector.check(SMSINFO)
    assert result.verdict is Verdict.DANGER
    known = next(r for r in result.reasons if r.id == "phone_known_scam")
    assert known.evidence == "0369127894" and "numbers.yaml#0369127894" in known.source
    assert {"unpaid_fee", "deadline_today", "callback_request", "combo_callback_fee"} <= ids(result)


def test_when_amazon_is_impersonated_then_its_real_contact_and_report_pages_are_given(detector: Detector) -> None:
    result = detector.check("未払いの会員登録料がございます。本日中にご連絡なき場合は少額訴訟に移ります。アマゾンお客様窓口")
    assert result.verdict is Verdict.DANGER and result.brand == "Amazon"
    assert any(c.phone == "0120-899-543" for c in result.contacts)
    urls = {link.url for link in result.links}
    assert "https://www.amazon.co.jp/gp/help/customer/display.html?nodeId=G4YFYCCNUSENA23B" in urls
    assert "https://www.shouhiseikatu.metro.tokyo.lg.jp/sodan/kinkyu/180606.html" in urls
    assert "mailto:reportascam@amazon.com" in urls
    assert any(c.phone == "188" for c in result.contacts) and any(c.phone == "#9110" for c in result.contacts)
    assert "brand_never" in ids(result)


def test_when_a_new_number_is_put_on_an_old_template_then_the_campaign_is_named(detector: Detector) -> None:
    result = detector.check("コンテンツ利用料金の精算確認が取れません。本日ご連絡なき場合、法的手続きに移行致します。窓口(0398765432)")
    assert result.verdict is Verdict.DANGER
    similar = next(r for r in result.reasons if r.id == "similar_known_scam")
    assert "2020" in similar.text and "templates.yaml#" in similar.source


def test_when_a_number_differs_from_the_brands_official_one_then_that_is_a_reason(detector: Detector) -> None:
    result = detector.check("【NTTドコモ】ご利用料金が未納です。至急 03-5555-0101 までご連絡ください。")
    reason = next(r for r in result.reasons if r.id == "phone_not_official")
    assert "0120-800-000" in reason.text and reason.evidence == "03-5555-0101"


def test_when_callback_is_an_ip_phone_then_it_is_explained(detector: Detector) -> None:
    result = detector.check("ご契約の件でお伝えが必要な内容がございます。本日中に担当佐藤まで 050-3111-2222 にご連絡ください。")
    assert result.verdict is Verdict.DANGER and "phone_ip_callback" in ids(result)


def test_when_a_link_imitates_a_brand_domain_then_danger(detector: Detector) -> None:
    result = detector.check("【Amazon】お支払い方法に問題があります。こちらから更新してください https://amazon.co.jp.account-verify.top/")
    assert result.verdict is Verdict.DANGER
    assert {"link_brand_lookalike", "payment_method_problem"} <= ids(result)


def test_when_a_shortened_link_follows_an_important_notice_then_danger(detector: Detector) -> None:
    result = detector.check("【国税庁】重要なお知らせ、必ずお読みください。https://bit.ly/3abcdEF")
    assert result.verdict is Verdict.DANGER and "link_shortener" in ids(result)


def test_when_delivery_absence_comes_with_a_link_then_danger(detector: Detector) -> None:
    result = detector.check("お客様宛のお荷物を配達しましたが不在のため持ち帰りました。下記よりご確認ください http://parcel-jp.example.cn/")
    assert result.verdict is Verdict.DANGER and result.reasons


def test_when_asked_for_gift_cards_then_danger(detector: Detector) -> None:
    result = detector.check("未払い料金の解決には、コンビニでGoogle Playカードを購入し番号を送ってください。本日中にお願いします")
    assert result.verdict is Verdict.DANGER and "gift_card_payment" in ids(result)


def test_when_the_sender_is_a_reported_name_then_it_is_a_reason(detector: Detector) -> None:
    result = detector.check("お支払い期限を過ぎました。本日中にご連絡ください。", sender="SMSinfo")
    assert "sender_known_name" in ids(result)


@pytest.mark.parametrize("text", [
    "Amazonで頼んだ本、明日届くって",
    "おばあちゃんの新しい番号は 080-3333-4444 だよ、登録しておいて",
    "Amazon: 確認コードは482913です。このコードは誰にも教えないでください。",
    "【ヤマト運輸】お荷物のお届け予定です。お届け日時の変更はアプリからどうぞ。",
    "見積書の修正版を本日中にお送りします。よろしくお願いいたします。",
    "電気代の請求が来てた、先月より高いね",
    "口座振替の案内が学校から届いた",
    "了解です!またあとで連絡するね",
])
def test_ordinary_messages_get_no_signs(detector: Detector, text: str) -> None:
    result = detector.check(text)
    assert result.verdict is Verdict.NO_SIGNS, [(r.id, r.evidence) for r in result.reasons]
    assert result.reasons == ()


def test_a_warning_that_quotes_a_scam_is_not_danger(detector: Detector) -> None:
    text = ("【防犯メール】市内で「有料サイトの未納料金があります。本日中にご連絡ください」という"
            "架空請求のSMSが届いています。詐欺にご注意ください。")
    assert detector.check(text).verdict is not Verdict.DANGER


@pytest.mark.parametrize("variant", [
    "ご利用料金のお支払い\u200b確認が取れて\u200bおりません。本日中にご連絡ください。(０３６９１２７８９４)",
    "ご 利 用 料 金 の お 支 払 い 確 認 が 取 れ て お り ま せ ん 。本-日-中にご連絡ください。(03 6912 7894)",
    "ご利用料金のお支払い確認が取れておりません。\n本日中にご連絡ください。\n(03-6912-7894)",
])
def test_evasions_do_not_change_the_verdict(detector: Detector, variant: str) -> None:
    assert detector.check(variant).verdict is detector.check(SMSINFO).verdict is Verdict.DANGER


def test_score_is_bounded_and_verdict_follows_thresholds(detector: Detector, knowledge: Knowledge) -> None:
    for text in (SMSINFO, "こんにちは", "【重要】" * 200):
        result = detector.check(text)
        assert 0 <= result.score <= 100
        expected = (Verdict.DANGER if result.score >= knowledge.scoring.danger
                    else Verdict.CAUTION if result.score >= knowledge.scoring.caution else Verdict.NO_SIGNS)
        assert result.verdict is expected


def test_every_reason_has_text_evidence_and_source(detector: Detector) -> None:
    result = detector.check("【三井住友銀行】お客様の口座が不正利用されています。https://smbc-login.example.xyz/ で確認してください")
    assert result.reasons
    for reason in result.reasons:
        assert reason.text and reason.evidence and reason.source


class FakeCommunity:
    """Stands in for the store's community report counts."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts

    def reporter_counts(self, keys: list[str]) -> dict[str, int]:
        return {k: self.counts[k] for k in keys if k in self.counts}


def test_when_enough_users_reported_a_number_then_it_is_a_separate_reason(knowledge: Knowledge) -> None:
    text = "お伝えしたいことがあります。03-9999-0000 までお電話ください。"
    below = Detector(knowledge, community=FakeCommunity({"0399990000": 2}), community_threshold=3).check(text)
    above = Detector(knowledge, community=FakeCommunity({"0399990000": 3}), community_threshold=3).check(text)
    assert "community_reported" not in ids(below)
    reason = next(r for r in above.reasons if r.id == "community_reported")
    assert "3人" in reason.text and "確認済みの情報ではありません" in reason.text
    assert above.score > below.score


def test_very_long_input_is_cut_and_still_judged(detector: Detector) -> None:
    result = detector.check(SMSINFO + "あ" * 100_000)
    assert result.verdict is Verdict.DANGER
