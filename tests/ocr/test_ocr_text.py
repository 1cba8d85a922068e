"""Repairing OCR text and reading an SMS screen's layout from Tesseract's lines (no Tesseract needed)."""

from __future__ import annotations

import pytest

from bot.ocr_repair import repair
from bot.ocr_text import Line, latin_tail, merge_passes, read_lines, with_tail


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("O3-6923-7894", "03-6923-7894"),
        ("O9O l234 5678", "09012345678"),
        ("0120ー123ー456", "0120-123-456"),
        ("電話03 1234 5678まで", "電話0312345678まで"),
        ("+81 90 9617 5262", "+819096175262"),
        ("有 料 動 画 の 未 納 料 金", "有料動画の未納料金"),
        ("ア力ウントに口グインして", "アカウントにログインして"),
        ("ご認ください", "ご確認ください"),
        ("サ一ビス", "サービス"),
        ("本人確認を行つてください", "本人確認を行ってください"),
        ("h t t p s : // example . com / a", "https://example.com/a"),
        ("三井住友銀行】お取引", "【三井住友銀行】お取引"),
    ],
)
def test_repair_undoes_ocr_confusions(read: str, meant: str) -> None:
    assert repair(read) == meant


@pytest.mark.parametrize(
    "text",
    ["SMSinfo", "Amazon Prime", "口座を確認", "一時的に制限", "東京電力ホールディングス", "口コミ", "ページへアクセス",
     "ご認識ください", "2024 11 28", "料金 3000円", "Good 1000"],
)
def test_repair_keeps_words_and_unrelated_numbers(text: str) -> None:
    assert repair(text).replace(" ", "") == text.replace(" ", "")


def test_spaces_are_closed_inside_one_phone_number_only() -> None:
    assert repair("2024 11 28 090 1234 5678") == "2024 11 28 09012345678"


def test_masked_number_read_as_letters_stays_masked_not_zeros() -> None:
    assert repair("050-OOOO-OOOO") == "050-●●●●-●●●●"
    assert repair("〇〇銀行") == "○○銀行"


def _line(text: str, top: int, confidence: float = 92.0, left: int = 60, height: int = 40) -> Line:
    return Line(text=text, top=top, left=left, height=height, confidence=confidence, chars=len(text), right=left + 600)


def test_screen_layout_gives_sender_and_message_without_clock_or_date() -> None:
    lines = [
        _line("9:41", 40),
        _line("< 0369237894", 170, left=30),
        _line("今日 10:23", 330, left=450),
        _line("お支払いが確認できておりませ", 460),
        _line("ん。本日中にご連絡ください。", 520),
        _line("050-3155-0921", 580),
    ]

    reading = read_lines(lines, 1080, 2340)

    assert reading.sender == "0369237894"
    assert reading.text == "お支払いが確認できておりません。本日中にご連絡ください。\n050-3155-0921"
    assert reading.japanese == 26


def test_cropped_bubble_has_no_sender_and_keeps_its_first_line() -> None:
    lines = [_line("SMSinfo", 10), _line("ご利用料金が未納です。", 60)]

    reading = read_lines(lines, 900, 300)

    assert reading.sender is None
    assert reading.text.startswith("SMSinfo")


def test_url_cut_at_the_bubble_edge_is_rejoined() -> None:
    lines = [_line("下記よりご確認ください", 460), _line("https://example-", 520), _line("check.top/a", 580)]

    assert read_lines(lines, 1080, 2340).text.endswith("\nhttps://example-check.top/a")


def test_second_pass_replaces_only_the_lines_it_read_better() -> None:
    first = [_line("【MyJCB】iRし巡s", 400, 40.0), _line("下記よりご確認ください", 460, 93.0)]
    second = [_line("【MyJCB】ご利用が停止されました。", 402, 88.0), _line("下記よりご確詔ください", 461, 80.0)]

    merged = merge_passes(first, second)

    assert [line.text for line in merged] == ["【MyJCB】ご利用が停止されました。", "下記よりご確認ください"]


def test_row_split_in_two_is_read_left_to_right_and_repaired_across_the_split() -> None:
    lines = [_line("お支払いが確認できません。", 400), _line("認ください。", 459, left=254),
             _line("す。必ずご", 460, left=55)]

    assert read_lines(lines, 1080, 2340).text == "お支払いが確認できません。す。必ずご確認ください。"


def test_masked_link_split_over_lines_stays_one_masked_link() -> None:
    lines = [_line("ご確認くださいませ。http:O〇", 460), _line("O(URL)", 520)]

    assert read_lines(lines, 1080, 2340).text == "ご確認くださいませ。http:○○○(URL)"


def test_url_ending_a_japanese_line_is_picked_for_an_english_reread() -> None:
    line = Line(text="拒否してください:https://am", top=0, left=80, height=40, confidence=90.0, chars=20, right=900,
                words=(("拒否", 80), ("して", 180), ("ください", 260), (":", 490), ("https://am", 540)))

    start = latin_tail(line)

    assert start == 3
    assert with_tail(line, 3, ":https://am", 80.0).text == "拒否してください:https://am"
    assert latin_tail(_line("お支払いをお願いします", 0)) is None


def test_host_names_lose_their_ocr_capitals() -> None:
    assert repair("https://amazOn.CO.jp/z/Kq7R") == "https://amazon.co.jp/z/Kq7R"


def test_masked_link_is_not_handed_to_the_english_model() -> None:
    assert latin_tail(_line("https://t.co/〇〇〇〇〇〇", 0)) is None
