"""Japanese copy shared by every channel (LINE, Slack, playground): same words, different layout.

The verdict reply itself is composed in bot/compose.py; this module holds the surrounding conversation.
"""

from __future__ import annotations

SAMPLE_SCAM = "有料動画の未納料金があります。本日中にご連絡無き場合、法的手続きに移行致します。アマゾンジャパン窓口"

WELCOME = (
    "友だち追加ありがとうございます。詐欺SMSチェッカーです。\n\n"
    "気になるSMSが届いたら、その文章をコピーしてここに送ってください。スクリーンショットでも大丈夫です。"
    "詐欺の特徴があるかどうかと、本物の連絡先をお知らせします。\n\n"
    "・「見守り設定」と送ると、ご家族に見守ってもらう設定ができます。\n"
    "・下の「例を試す」で、どんな返事が来るか試せます。"
)
TRY_SAMPLE_LABEL = "例を試す"

GROUP_INTRO = (
    "詐欺SMSチェッカーです。グループに詐欺の可能性が高いメッセージが投稿されたときだけ、お知らせします。"
    "ふだんの会話には反応しません。\n"
    "・気になるメッセージは、私にメンションして送るとチェックします。\n"
    "・「詐欺チェック 注意も」で注意レベルでもお知らせ、「詐欺チェック 危険のみ」で元に戻します。\n"
    "・「詐欺チェック 静かに」でお知らせを止め、「詐欺チェック 再開」で戻します。\n"
    "・「詐欺チェック 退出」と送ると、このグループから退出します。"
)
GROUP_LEAVING = "詐欺SMSチェッカーはこのグループから退出します。ご利用ありがとうございました。"
GROUP_MUTED = "お知らせを止めました。「詐欺チェック 再開」で再開します。"
GROUP_UNMUTED = "お知らせを再開しました。"
GROUP_LEVEL_CAUTION = "「危険」に加えて「注意」のときもお知らせします。"
GROUP_LEVEL_DANGER = "「危険」のときだけお知らせします。"

NON_TEXT_HINT = (
    "ごめんなさい、このメッセージは読み取れませんでした。"
    "気になるSMSの文章をコピーして送るか、画面のスクリーンショットを送ってください。"
)
EMPTY_HINT = "チェックしたいSMSの文章を送ってください。"
TOO_LONG = "文章が長すぎるため、最初の部分だけをチェックしました。"
OCR_UNAVAILABLE = "画像の読み取りは利用できません。お手数ですが、SMSの文章をコピーして送ってください。"
OCR_UNREADABLE = (
    "画像から文字をうまく読み取れませんでした。"
    "お手数ですが、SMSの文章をコピーして送るか、文字がはっきり写った画像を送ってください。"
)
OCR_READ_PREFIX = "画像から読み取った文章:"
OCR_INVALID = (
    "この画像は開けませんでした(画像でないか、大きすぎるか、壊れています)。"
    "スクリーンショットを送り直すか、SMSの文章をコピーして送ってください。"
)

BUTTON_REPORT_PAGES = "報告先を見る"
BUTTON_AFTER_CONTACT = "もう電話した・払ってしまった"
BUTTON_TELL_FAMILY = "家族に知らせる"
BUTTON_HELPFUL = "役に立った"
BUTTON_WRONG = "判定が違う"
BUTTON_DETAILS = "詳しく見る"
FEEDBACK_THANKS = "ご意見ありがとうございます。今後の判定の改善に使わせていただきます。"

HELPER_SETUP = (
    "見守り設定をはじめます。\n"
    "ご家族(見守る方)にもこのアカウントを友だち追加してもらい、10分以内に次のように送ってもらってください。\n\n"
    "見守り {code}\n\n"
    "届いたら、こちらで確認のボタンを押していただきます。"
)
HELPER_CODE_WRONG = "番号が違うか、有効期限(10分)が切れています。もう一度、見守られる方に「見守り設定」から番号を出してもらってください。"
HELPER_CODE_LOCKED = "番号の入力に続けて失敗したため、しばらく受け付けを止めています。時間をおいてお試しください。"
HELPER_ASK_CONFIRM = "{helper}さんが見守りを申し出ています。危険なメッセージを送ったときに、この方にお知らせしてよいですか?"
HELPER_CONFIRM_YES = "はい、お願いします"
HELPER_CONFIRM_NO = "やめておく"
HELPER_LINKED_USER = "見守りを設定しました。危険なメッセージをチェックしたとき、ご家族にお知らせします。「見守り解除」でいつでもやめられます。"
HELPER_LINKED_HELPER = "見守りが設定されました。危険なメッセージが届いたとき、お知らせします。「見守り解除」でいつでもやめられます。"
HELPER_DECLINED = "見守りの申し出をお断りしました。"
HELPER_UNLINKED = "見守りを解除しました。"
HELPER_NONE = "見守りの設定はありません。"
HELPER_NOTICE = (
    "【見守りのお知らせ】\n"
    "{user}さんが、詐欺の可能性が高いメッセージをチェックしました。\n"
    "判定: {label}\n"
    "{brand_line}"
    "理由:\n{reasons}\n\n"
    "電話などで、お金を払ったり連絡したりしていないか、声をかけてあげてください。"
)
HELPER_NOTICE_FULL_TEXT = "\n\n届いたメッセージ:\n{text}"
HELPER_CALL_BUTTON = "電話で声をかける"
TELL_FAMILY_SENT = "見守りのご家族にお知らせしました。"
TELL_FAMILY_NONE = "見守りのご家族が設定されていません。「見守り設定」で設定できます。"

DATA_DELETED = "あなたに関して保存していたデータを削除しました。"

# Added for the chat channels (LINE first; Slack can use the same words).
REPORT_PAGES_NONE = "このメッセージについての報告先はありません。困ったときは消費者ホットライン 188 に相談してください。"
HELPER_REQUEST_SENT = "見守りの申し出を送りました。相手の方が確認のボタンを押すと設定されます。"
HELPER_CODE_SELF = "これはご自身で出した番号です。見守る方(ご家族)のアカウントから送ってもらってください。"
HELPER_DECLINED_HELPER = "見守りの申し出は、相手の方がお断りしました。"
HELPER_LINK_GONE = "この申し出はもう有効ではありません。必要なら、もう一度「見守り設定」からやり直してください。"
HELPER_UNLINKED_OTHER = "{name}さんとの見守りが解除されました。"
HELPER_DEFAULT_NAME = "ご家族"
HELPER_BRAND_LINE = "名乗っている会社・サービス: {brand}\n"
HELPER_SHARE_FULL_LABEL = "文章も知らせる"
HELPER_SHARE_SUMMARY_LABEL = "理由だけ知らせる"
HELPER_SHARE_ON = "これからは、届いたメッセージの文章もご家族にお知らせします。"
HELPER_SHARE_OFF = "ご家族には判定と理由だけをお知らせします(文章は送りません)。"
TELL_FAMILY_EXPIRED = "時間がたったため、この結果はお知らせできません。もう一度メッセージを送ってから押してください。"
TELL_FAMILY_FAILED = "いまご家族へのお知らせを送れませんでした。少し時間をおいて、もう一度押してください。"
DETAILS_EXPIRED = "時間がたったため、詳しい結果を表示できません。メッセージをもう一度送ってください。"
MENTION_HINT = "チェックしたいメッセージの文章を、メンションと一緒に送ってください。"
QUOTED_UNKNOWN = "引用されたメッセージは読み取れませんでした。文章をコピーして、メンションと一緒に送ってください。"
