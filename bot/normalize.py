"""Text normalisation so that spacing, width and invisible characters cannot change a verdict."""

from __future__ import annotations

import re
import unicodedata

# Dash-like characters scammers and keyboards use inside numbers and words.
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−ｰ－﹣"), "-")
# Symbols people (and scammers) put between the characters of a word: 要-確-認, 本 日 中, 0 3-1 2.
_SEPARATORS = "-_*・.･~〜"
_CJK = r"\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
_SEPARATED_CJK = re.compile(rf"(?<=[{_CJK}])[{re.escape(_SEPARATORS)}]{{1,3}}(?=[{_CJK}])")
_SPACE = re.compile(r"\s+")
_DIGIT_GAPS = re.compile(r"(?<=\d)[ \u3000]{1,2}(?=\d)")


# Characters that can never be invisible or combining; only the others are looked up one by one (speed).
_SUSPECT = re.compile("[^\n\t\u0020-\u007e\u3000-\u3098\u309b-\u30ff\u4e00-\u9fff\uff01-\uff9f]")


def _drop_invisible(match: re.Match[str]) -> str:
    """Drop format characters (zero-width, direction marks), controls and stray combining marks."""
    ch = match.group(0)
    return "" if unicodedata.category(ch) in ("Cf", "Mn", "Me", "Cc", "Cs", "Co") else ch


def clean(text: str) -> str:
    """NFKC (full/half width), unified dashes, no invisible or combining characters; spacing kept."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return _SUSPECT.sub(_drop_invisible, text)


# Cyrillic and Greek letters that look like Latin ones ("Аmazon" with a Cyrillic А), folded for word matching.
CONFUSABLES = str.maketrans(
    "АВЕКМНОРСТХаеорсухіјѕԁԛԝΑΒΕΗΙΚΜΝΟΡΤΧΥΖαοιν",
    "ABEKMHOPCTXaeopcyxijsdqwABEHIKMNOPTXYZaoiv",
)


def compact(cleaned: str) -> str:
    """The cleaned text without whitespace, in-word separators or look-alike letters, for phrase rules."""
    text = _SPACE.sub("", cleaned).translate(CONFUSABLES)
    return _SEPARATED_CJK.sub("", text)


def join_digit_gaps(cleaned: str) -> str:
    """Close single spaces inside digit runs ("0 3 6 9") so phone numbers are found whole."""
    return _DIGIT_GAPS.sub("", cleaned)
