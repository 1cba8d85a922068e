"""Undo Tesseract's confusions in Japanese SMS text, keeping Japanese words and unrelated numbers intact."""

from __future__ import annotations

import re
import unicodedata

_CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60"
_KATAKANA = "\u30a1-\u30fa\u30fc"
# Kanji Tesseract returns for katakana look-alikes (サ一ビス, ア力ウント, 口グイン). Repaired only inside a katakana
# word and never next to kanji, so that 電力ホールディングス, 口座 and 一時 stay as they are.
_KATAKANA_TWINS = {"一": "ー", "口": "ロ", "力": "カ", "工": "エ", "夕": "タ", "卜": "ト"}
_TWINS = "".join(_KATAKANA_TWINS)
_TWIN = re.compile(rf"(?<=[{_KATAKANA}])[{_TWINS}](?![\u3400-\u9fff])|(?<![\u3400-\u9fff])[{_TWINS}](?=[{_KATAKANA}]{{3}})")
# 確 of ご確認 is often dropped; ご認 alone is not a word (ご認識, ご認定 and the like are kept).
_LOST_KAKU = re.compile(r"(?<![確])[ごこ]認(?![識定証可知め])")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
# A run that is mostly digits, possibly with letters OCR confuses for digits and stray dashes or spaces.
_DIGIT_RUN = re.compile(r"(?<![A-Za-z0-9])\+?[0-9OoDlI|](?:[0-9OoDlI|]|[-ー一―—–‐ ](?=[0-9OoDlI|])){3,24}(?![A-Za-z0-9])")
_MASK_RUN = re.compile(r"[OoD]{2,}")
_ZERO_MASK = re.compile(r"(?=[O〇○]{0,8}[〇○])[O〇○]{2,}")
_DIGIT_TWINS = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1",
                              "ー": "-", "一": "-", "―": "-", "—": "-", "–": "-", "‐": "-"})
_URL_SCHEME = re.compile(r"\b(h\s*t\s*t\s*p\s*s?)\s*[:;]\s*/\s*/\s*", re.IGNORECASE)
_HOST = re.compile(r"(https?://)([A-Za-z0-9.\-]{1,253})")
_URL_GAP = re.compile(r"(?<=[A-Za-z0-9])\s*([./])\s*(?=[A-Za-z0-9])")
# Tesseract often misses the opening 【 at the start of a bubble: "三井住友銀行】お取引…".
_LOST_BRACKET = re.compile(r"^([^【】\n]{1,24})】", re.MULTILINE)
# The small っ of a verb ending comes back full size: 行つて, あつた.
_BIG_TSU = re.compile(r"(?<=[\u3041-\u309f\u4e00-\u9fff])つ(?=[てた])")


def repair(text: str) -> str:
    """Undo OCR confusions: digits read as letters, dashes as 一/ー, spaces inside numbers, words and URLs."""
    text = unicodedata.normalize("NFKC", text)
    text = _CJK_GAP.sub("", text)
    text = _LOST_BRACKET.sub(r"【\1】", text)
    text = _BIG_TSU.sub("っ", text)
    text = _LOST_KAKU.sub("ご確認", text)
    text = _TWIN.sub(lambda m: _KATAKANA_TWINS[m.group()], text)
    text = _ZERO_MASK.sub(lambda m: "○" * len(m.group()), text)  # ○○ masks come back as kanji zeros or Os
    text = _DIGIT_RUN.sub(_repair_digits, text)
    text = _URL_SCHEME.sub(lambda m: re.sub(r"\s", "", m.group(1)).lower() + "://", text)
    if "://" in text or "www" in text.lower():
        text = _URL_GAP.sub(r"\1", text)
    return _HOST.sub(lambda m: m.group(1) + m.group(2).lower(), text)  # host names have no case


def _repair_digits(match: re.Match[str]) -> str:
    run = match.group()
    # "OO" in a number is a mask (●●, ○○) read as letters, not zeros: never invent a real number.
    fixed = _MASK_RUN.sub(lambda m: "●" * len(m.group()), run)
    digits, masks = sum(ch.isdigit() for ch in fixed), fixed.count("●")
    if digits < 2 or digits + masks < 4 or digits + masks < 0.6 * sum(ch.isalnum() for ch in fixed):
        return run
    fixed = fixed.translate(_DIGIT_TWINS)
    # Join the space-separated groups of one phone number (from a leading 0 or +, up to 11 digits or 13
    # with a country code); dates, amounts and a second number stay apart.
    out: list[str] = []
    for part in fixed.split(" "):
        if out and out[-1][:1] in "0+" and _digit_count(out[-1] + part) <= (13 if out[-1][0] == "+" else 11):
            out[-1] += part
        else:
            out.append(part)
    return " ".join(out)


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() or ch == "●" for ch in text)
