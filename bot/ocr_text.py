"""Turn Tesseract's word boxes into an SMS: lines in reading order, the sender line, the message text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.ocr_repair import repair

_CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60"
_WIDE = re.compile(rf"[{_CJK}]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_MASKS = re.compile(r"[〇○●◯※＊×]")
# Screen furniture that is not part of the message: clock, dates, "today 10:23", read receipts, labels.
_FURNITURE = re.compile(
    r"^(?:[<く〈‹]\s*)?(?:(?:今日|昨日|\d{1,4}[年/.]\d{1,2}[月/.]\d{1,2}日?(?:\s*[(（]\S[)）])?|[月火水木金土日]曜日?)?\s*"
    r"(?:午前|午後)?\s*\d{1,2}[:：;]\d{2}(?:\s*[AP]M)?|(?:今日|昨日)\s*\d{0,2}[:：;]?|\d{1,2}|既読|SMS|MMS|SMS/MMS|テキストメッセージ|"
    r"\d{1,4}[年/.]\d{1,2}[月/.]\d{1,2}日?(?:\s*[(（]\S[)）])?)$",
    re.IGNORECASE,
)
# A line Tesseract is at least this sure of is text, even if short or seen in one pass only.
_SURE = 70.0
_PHONE_LIKE = re.compile(r"^\+?[\d\s()\-]{9,20}$")
_NAME_LIKE = re.compile(r"^[\w\s.&@'+\-・ー()（）]{2,30}$")


@dataclass(frozen=True)
class Line:
    """One OCR line: its text, where it sits and how sure Tesseract was."""

    text: str
    top: int
    left: int
    height: int
    confidence: float
    chars: int
    right: int = 0
    words: tuple[tuple[str, int], ...] = ()  # (text, left) of each word, left to right


@dataclass(frozen=True)
class Reading:
    """What was read: the message text, the sender if shown, and quality measures of the message."""

    text: str
    sender: str | None
    confidence: float
    japanese: int


def _joiner(left: str, right: str) -> str:
    """Tesseract splits Japanese into 'words': rejoin without spaces unless both sides are Latin or digits."""
    if left[-1:].isascii() and right[:1].isascii() and left[-1:].isalnum() and right[:1].isalnum():
        return " "
    return ""


def lines_from_data(data: Mapping[str, Sequence[object]], min_conf: float = 0.0, scale: float = 1.0) -> list[Line]:
    """Group `image_to_data` words into lines in reading order, in the coordinates of an image `scale` times smaller.

    Words below `min_conf` are left out of the text but still count (as their confidence) in the line's.
    """
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if str(word).strip():
            key = (int(str(data["block_num"][i])), int(str(data["par_num"][i])), int(str(data["line_num"][i])))
            groups.setdefault(key, []).append(i)
    lines = []
    for indices in groups.values():
        kept = [i for i in sorted(indices, key=lambda i: int(str(data["left"][i])))
                if float(str(data["conf"][i])) >= min_conf]
        if not kept:
            continue
        text = ""
        for i in kept:
            word = str(data["text"][i]).strip()
            text = text + _joiner(text, word) + word if text else word
        weights = [len(str(data["text"][i]).strip()) for i in indices]
        conf = sum(max(0.0, float(str(data["conf"][i]))) * w for i, w in zip(indices, weights, strict=True)) / sum(weights)
        lines.append(Line(text=text, top=round(min(int(str(data["top"][i])) for i in indices) / scale),
                          left=round(min(int(str(data["left"][i])) for i in kept) / scale),
                          height=round(max(int(str(data["height"][i])) for i in indices) / scale),
                          confidence=conf, chars=len(text),
                          right=round(max(int(str(data["left"][i])) + int(str(data["width"][i])) for i in kept) / scale),
                          words=tuple((str(data["text"][i]).strip(), round(int(str(data["left"][i])) / scale)) for i in kept)))
    return reading_order(lines)


def reading_order(lines: Sequence[Line]) -> list[Line]:
    """Top to bottom, and left to right within a row: Tesseract sometimes splits one row into two lines."""
    ordered = sorted(lines, key=lambda line: line.top)
    for i in range(1, len(ordered)):
        j = i
        while j > 0 and _same_row(ordered[j - 1], ordered[j]) and ordered[j].left < ordered[j - 1].left:
            ordered[j - 1], ordered[j] = ordered[j], ordered[j - 1]
            j -= 1
    return ordered


def _same_row(a: Line, b: Line) -> bool:
    return abs((a.top + a.height / 2) - (b.top + b.height / 2)) < min(a.height, b.height) / 2


def is_latin(text: str) -> bool:
    """A line of mostly Latin letters and digits (a URL, an address): the Japanese model misreads these."""
    return len(text) >= 6 and sum(ch.isascii() for ch in text) >= 0.8 * len(text)


def latin_tail(line: Line) -> int | None:
    """Index of the first word of a URL, domain or address ending the line (or of a Latin line), else None.

    The Japanese model misreads Latin letters (amazon.co.jp → amazOn.CO.jD), and a misread host looks like
    a fake domain, so these are read again with the English model.
    """
    if _MASKS.search(line.text):  # the English model has no ○ or ●: it would turn a mask into letters
        return None
    if is_latin(line.text):
        return 0
    start = len(line.words)
    while start > 0 and line.words[start - 1][0].isascii():
        start -= 1
    tail = "".join(word for word, _ in line.words[start:])
    return start if len(tail) >= 6 and re.search(r"[./@]\w", tail) else None


def with_tail(line: Line, start: int, tail: str, confidence: float) -> Line:
    """The line with its words from `start` on replaced by `tail`."""
    head = ""
    for word, _ in line.words[:start]:
        head = head + _joiner(head, word) + word if head else word
    text = head + tail
    return Line(text=text, top=line.top, left=line.left, height=line.height, chars=len(text), right=line.right,
                confidence=(line.confidence * len(head) + confidence * len(tail)) / max(1, len(text)))


def weakest(lines: Sequence[Line]) -> float:
    """The lowest line confidence (100 for no lines): decides whether another pass is worth it."""
    return min((line.confidence for line in lines if line.chars > 2), default=100.0)


def merge_passes(first: Sequence[Line], second: Sequence[Line]) -> list[Line]:
    """Line by line, the more confident of two readings of the same screen; lines only one pass saw are kept."""
    merged: list[Line] = []
    used: set[int] = set()
    for line in first:
        centre = line.top + line.height / 2
        match = next((j for j, other in enumerate(second) if j not in used
                      and abs(other.top + other.height / 2 - centre) < max(line.height, other.height) / 2), None)
        if match is None:
            merged.append(line)
            continue
        used.add(match)
        other = second[match]
        merged.append(other if other.confidence > line.confidence else line)
    merged.extend(other for j, other in enumerate(second) if j not in used and other.confidence >= _SURE)
    return reading_order(merged)


def _is_sender(text: str) -> bool:
    if _FURNITURE.match(text) or "。" in text or "、" in text:
        return False
    return bool(_PHONE_LIKE.match(text) or _NAME_LIKE.match(text))


def _clean_header(line: Line, width: int) -> str:
    """The header line without the back arrow and icons Tesseract reads at its edges."""
    words = line.text.split(" ")
    if len(words) > 1 and len(words[0]) <= 2 and line.left < width * 0.15 and not words[0].isdigit():
        words = words[1:]
    text = " ".join(words).strip(" <>〈〉‹›=|-_")
    text = re.sub(r"^[<く〈‹]\s*(?=\S{2})", "", text) if line.left < width * 0.15 else text
    return repair(text).strip()


def read_lines(lines: Sequence[Line], width: int, height: int) -> Reading:
    """Split the screen into header (sender) and message, drop furniture, repair and join the text."""
    tall = height >= 1.5 * width  # a full phone screen, so a title bar is at the top
    header_limit = height * 0.16 if tall else -1
    status_limit = height * 0.045 if tall else -1
    sender: str | None = None
    body: list[Line] = []
    # Date and time labels are small and grey; Tesseract splits them into stray pieces on the same band.
    bands = [(line.top, line.top + line.height) for line in lines if _FURNITURE.match(repair(line.text).strip())]
    for line in reading_order(lines):
        centre = line.top + line.height / 2
        if centre < status_limit or any(top <= centre <= bottom for top, bottom in bands):
            continue
        if line.top < header_limit and sender is None:
            candidate = _clean_header(line, width)
            if _is_sender(candidate):
                sender = candidate
                continue
        if line.top < header_limit and (_FURNITURE.match(line.text.strip()) or line.chars <= 2):
            continue
        if line.chars <= 3 and line.confidence < _SURE:
            continue
        body.append(line)
    while body and body[0].chars <= 2:  # pieces of the date label above the first bubble
        body.pop(0)
    text = repair(_join([repair(line.text) for line in body]))  # again: some repairs span a line break
    chars = sum(line.chars for line in body)
    confidence = sum(line.confidence * line.chars for line in body) / chars if chars else 0.0
    return Reading(text=text, sender=sender, confidence=confidence, japanese=len(_JAPANESE.findall(text)))


def _continues(previous: str, line: str) -> bool:
    """A wrapped line: Japanese on both sides of the break, or a URL cut at the bubble's edge."""
    if _WIDE.match(previous[-1]) and _WIDE.match(line[0]):
        return True
    return bool(re.search(r"h(?:tt|xx)ps?:\S*$", previous) and re.match(r"[A-Za-z0-9/._\-?=&%#~○●*()]+$", line))


def _join(lines: list[str]) -> str:
    """Rejoin the wrapped lines of a bubble; keep real line breaks."""
    out = ""
    for line in filter(None, lines):
        out += line if out and _continues(out, line) else ("\n" if out else "") + line
    return out
