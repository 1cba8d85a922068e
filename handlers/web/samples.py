"""Sample messages for the playground, written for it (invented numbers and domains; not from the corpus)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    """One pickable example: a label, the SMS text, the sender line and whether it is a scam."""

    label: str
    text: str
    sender: str
    scam: bool


SAMPLES = (
    Sample("宅配業者を装った偽SMS",
           "【ヤマト運輸】お届け予定のお荷物が住所不明のため保管しております。配送先の確認はこちら https://yamato-hxq.top/d",
           "+8107012345678", scam=True),
    Sample("未納料金で電話させる偽SMS",
           "ご利用料金の未払いがあります。本日中にご連絡がない場合、法的手続きに移行いたします。お問い合わせ窓口 03-5800-4127",
           "08012345678", scam=True),
    Sample("カード会社を装った偽SMS",
           "【三井住友カード】お客様のカードに不正利用の疑いがあるため、ご利用を一時停止しました。"
           "再開のお手続き: https://smbc-card-check.com/login",
           "SMBC", scam=True),
    Sample("本物の認証コード", "【Amazon】認証コードは 482913 です。このコードを誰にも教えないでください。",
           "Amazon", scam=False),
    Sample("家族からのメッセージ", "今日は遅くなるから先にごはん食べててね。駅に着いたら連絡する", "090-1111-2222", scam=False),
    Sample("病院の予約確認", "【みどり歯科】明日11月29日 10:30にご予約をいただいております。変更の際はお電話ください。",
           "0312345678", scam=False),
)
