"""Find phone numbers in a message with `phonenumbers` and say what kind they are."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberType

_ENOUGH_DIGITS = re.compile(r"(?:\d\D{0,3}){9}")
_NON_DIGIT = re.compile(r"\D")
_SENDER_PUNCT = re.compile(r"[\s()\-]")
_SENDER_NUMBER = re.compile(r"\+?\d{3,15}")
# Numbers whose digits were hidden by the page that quoted them, or by the scammer: 050-****-****, XX-XXXX-XXXX.
_MASK = "X*x×※●○#"
_MASKED = re.compile(rf"(?<![\dA-Za-z])(0\d{{1,3}}|[{_MASK}]{{2,3}})-?[{_MASK}\d]{{2,4}}-?[{_MASK}]{{3,4}}(?![\dA-Za-z])")
_TYPES = {
    PhoneNumberType.FIXED_LINE: "fixed",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.PAGER: "mobile",
    PhoneNumberType.VOIP: "ip",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium",
    PhoneNumberType.SHARED_COST: "navi_dial",
    PhoneNumberType.UAN: "navi_dial",
}


@dataclass(frozen=True)
class Phone:
    """A number found in a message: how it was written, its key, and its kind."""

    raw: str
    key: str
    kind: str
    masked: bool = False


def _key(number: phonenumbers.PhoneNumber) -> str:
    if number.country_code == 81:
        return "0" + str(number.national_number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _kind(number: phonenumbers.PhoneNumber) -> str:
    if number.country_code != 81:
        return "international"
    return _TYPES.get(phonenumbers.number_type(number), "other")


def _valid_tail(raw: str) -> phonenumbers.PhoneNumber | None:
    """A valid number at the end of an invalid digit run: scammers write "03 0359620554" for 03-5962-0554."""
    digits = _NON_DIGIT.sub("", raw)
    for length in (11, 10):
        tail = digits[-length:]
        if len(digits) > length and tail.startswith("0"):
            try:
                number = phonenumbers.parse(tail, "JP")
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return number
    return None


def national_digits(value: str) -> str | None:
    """Comparable key for a number ("0369127894", or E.164 for foreign numbers); None if not a number."""
    try:
        number = phonenumbers.parse(value, "JP")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return _key(number)


def kind_by_prefix(digits: str) -> str:
    """Kind of a Japanese number from its first digits (for masked numbers)."""
    if digits.startswith("050"):
        return "ip"
    if digits.startswith(("070", "080", "090")):
        return "mobile"
    if digits.startswith(("0120", "0800")):
        return "toll_free"
    if digits.startswith("0570"):
        return "navi_dial"
    return "fixed" if digits.startswith("0") and digits[1:2].isdigit() else "unknown"


# Candidates phonenumbers may try per message: an SMS holds a few numbers; digit-and-dash padding of 5,000
# characters offers hundreds of candidates, each a full parse (bounds the detector's worst case).
MAX_NUMBER_TRIES = 40


def find_phones(cleaned: str) -> list[Phone]:
    """Every phone number in NFKC-cleaned text, including masked ones, in order of appearance."""
    found: list[Phone] = []
    if _ENOUGH_DIGITS.search(cleaned):
        for match in phonenumbers.PhoneNumberMatcher(cleaned, "JP", leniency=phonenumbers.Leniency.POSSIBLE,
                                                     max_tries=MAX_NUMBER_TRIES):
            raw = match.raw_string.strip("( )")
            number = match.number if phonenumbers.is_valid_number(match.number) else _valid_tail(raw) or match.number
            found.append(Phone(raw=raw, key=_key(number), kind=_kind(number)))
    for masked in _MASKED.finditer(cleaned):
        raw = masked.group(0)
        found.append(Phone(raw=raw, key="", kind=kind_by_prefix(raw), masked=True))
    return found


def parse_sender(sender: str) -> Phone | None:
    """The sender as a number, if it is one ("0369237894", "+63 912 …"); None for names."""
    compact = _SENDER_PUNCT.sub("", sender)
    if not _SENDER_NUMBER.fullmatch(compact):
        return None
    try:
        number = phonenumbers.parse(compact, "JP")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return Phone(raw=sender.strip(), key=_key(number), kind=_kind(number))
