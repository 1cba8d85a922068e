"""Spacing, width and invisible characters must not change what the rules see."""

from __future__ import annotations

from bot.normalize import clean, compact, join_digit_gaps


def test_full_width_digits_and_letters_become_ascii() -> None:
    assert clean("０３６９１２７８９４ ＡＭＡＺＯＮ") == "0369127894 AMAZON"


def test_half_width_katakana_becomes_full_width() -> None:
    assert clean("ｱﾏｿﾞﾝ") == "アマゾン"


def test_zero_width_and_direction_marks_are_removed() -> None:
    assert clean("未\u200b納\u200d料\u2060金\ufeff\u202e") == "未納料金"


def test_stray_combining_marks_are_removed_but_kana_voicing_survives() -> None:
    assert clean("お\u0749客\u0749様") == "お客様"
    assert clean("か\u3099") == "が"


def test_compact_drops_spaces_and_separators_inside_japanese_words() -> None:
    assert compact(clean("本 日 中 に 要-確-認")) == "本日中に要確認"


def test_compact_keeps_hyphens_inside_numbers() -> None:
    assert compact("03-6912-7894") == "03-6912-7894"


def test_digit_gaps_are_closed_for_number_search() -> None:
    assert join_digit_gaps("0 3 6 9 1 2 7 8 9 4") == "0369127894"
