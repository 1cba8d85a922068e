"""Messages written for this test (not from the corpus), in shapes the rules were not tuned on.

They stand for "next month's variant": new brands, new numbers, new domains, the same tricks.
"""

from __future__ import annotations

import pytest

from bot.detect import Detector
from bot.models import Verdict

SCAMS = [
 "【ゆうちょ銀行】お客様の口座で不審な取引を検知しました。ご本人確認をお願いします https://yucho-check.top/",
 "【メルカリ】お客様のアカウントは利用制限中です。こちらから解除手続きをお願いします https://mercari-jp.cc/",
 "【セブン銀行】ATMご利用に関する重要なお知らせ、必ずご確認ください。https://bit.ly/xxxx",
 "【PayPay】不正ログインを検知しました。24時間以内にご確認ください https://paypay-safe.xyz",
 "佐川急便よりお荷物のお届けに上がりましたが、宛先不明のため持ち戻りました。http://sagawa-ex.top",
 "日本郵便です。お届け物の住所に不備があるため保管しております。確認はこちら https://jppost-re.icu",
 "【楽天カード】ご利用確認のお願い。カードのご利用を一時停止しております。https://rakuten-card-jp.com.example.shop/",
 "【東京ガス】ガス料金の未払いがあります。本日中にお支払いがない場合、供給を停止します。https://tg-pay.xyz",
 "【NHK】受信料の未払いがあります。法的手続きに移行する前にご連絡ください。03-5811-2233",
 "【市役所】医療費の還付金があります。本日中に手続きしてください。https://kanpu-kin.top",
 "未払いの利用料金があります。至急ご連絡ください。担当 田中 050-4433-2211",
 "U-NEXTの未納料金が発生しております。本日中にご連絡がない場合、少額訴訟の手続きを行います。0120-555-012",
 "【Apple】お使いのApple IDがロックされました。ロックを解除するには24時間以内に確認してください https://appleid-support.jp.net/",
 "【au PAY】ご利用料金のお支払いが確認できておりません。以下よりお支払いください https://aupay-kakunin.top",
 "【ETC利用照会サービス】ETCサービスは無効になりました。引き続きご利用いただくには、手続きをお願いします https://etc-meisai.cn",
 "お客様のお荷物を発送しましたが、住所不明のため配達できませんでした。下記URLより住所をご確認ください",
 "【国税庁】未納の所得税がございます。本日中に納付がない場合、財産の差し押さえを行います。https://nta-tax.xyz",
 "【イオンカード】お客様のカードに不正利用の疑いがあるため、ご利用を制限しました。https://aeon-card.top",
 "最終通告：コンテンツ未払い料金が残っています。本日中にご連絡なき場合、裁判手続きに移行します。",
 "あなたのLINEアカウントが他の端末からログインされました。認証コードを送信してください",
 "【三菱UFJ銀行】ワンタイムパスワードの有効期限が切れています。再設定してください https://mufg-otp.shop",
 "【Amazon】プライム会員の更新に失敗しました。お支払い情報を更新してください: https://amazon-prime.jp.example.top",
 "ご当選おめでとうございます!Amazonギフト券10万円分をお受け取りください http://present.example.click",
 "【ソフトバンク】ご利用料金が高額になっております。ご確認ください http://sb-ryokin.duckdns.org",
 "【りそな銀行】詐欺被害防止のため、お客様の口座を一時停止しました。本人確認をお願いします https://resona-kakunin.top/",
 "お支払い期限を過ぎたご利用料金があります。本日中に下記までご連絡ください 03-6555-0199 料金督促センター",
]

GENUINE = [
 "【ヤマト運輸】12月3日 午前中にお荷物をお届けします。日時変更はクロネコメンバーズから",
 "【三井住友銀行】お振込みの受付が完了しました。ご利用ありがとうございます。",
 "楽天市場でのご注文ありがとうございます。発送が完了しました。",
 "[PayPay] 認証コード 482910 このコードは誰にも教えないでください",
 "ドコモからのお知らせ: 12月分のご利用料金が確定しました。My docomoでご確認いただけます。",
 "明日の会議、10時からに変更になりました",
 "今日中に書類出しておいてね、締め切りだから",
 "お父さん、口座に仕送り振り込んでおいたよ",
 "ママ、スマホの支払い方法どうやって変えるの?",
 "カード会社から不正利用の確認の電話があって、全部自分のだったよ",
 "Amazonのプライム会費、今月引き落とされてた",
 "宅配便の不在票入ってたから再配達頼んでおいて",
 "佐川の荷物、今日届くって。受け取りよろしく",
 "銀行のアプリでパスワード変更したよ",
 "水道料金の検針票きてた。先月より安かった",
 "国税庁のサイトで確定申告の書類作った",
 "NHKの受信料、口座振替にしたよ",
 "【〇〇クリニック】明日14時のご予約を承っております。変更の際はお電話ください。03-1234-5678",
 "【市立図書館】予約された資料のご用意ができました。7日以内にお受け取りください。",
 "auの料金プラン見直したら月2000円安くなった",
 "ゆうちょのATM、日曜は手数料かかるから気をつけて",
 "ETCカードの有効期限が近いから更新しないと",
 "メルカリで売れた!発送しなきゃ",
 "この前言ってたサイト https://www.example.com 見てみて",
 "お母さんの携帯の番号変わったよ 070-1234-5678",
 "【〇〇警察署】架空料金請求詐欺に注意!有料サイトの未納料金があり、本日中に連絡しないと法的手続きに移行するというSMSが届いたという相談が増えています。記載の番号には電話しないでください。",
 "【防犯情報】銀行を名乗り、口座が不正利用されているので本人確認が必要だとしてリンクを開かせる偽SMSが確認されています。リンクは開かず、不審な点は警察に相談してください。",
]


@pytest.mark.parametrize("text", SCAMS)
def test_unseen_scam_variants_are_danger(detector: Detector, text: str) -> None:
    result = detector.check(text)
    assert result.verdict is Verdict.DANGER, [(r.id, r.evidence) for r in result.reasons]


@pytest.mark.parametrize("text", GENUINE)
def test_unseen_ordinary_messages_get_no_signs(detector: Detector, text: str) -> None:
    result = detector.check(text)
    assert result.verdict is Verdict.NO_SIGNS, [(r.id, r.evidence) for r in result.reasons]
