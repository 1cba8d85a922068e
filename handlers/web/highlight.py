"""Where each reason's evidence sits in the original message, so the playground can mark it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.models import CheckResult

# Characters the detector ignores inside words (see bot.normalize.compact); skipped on the second pass.
_VOICING = frozenset("ﾞﾟ")
_SEPARATORS = frozenset("-_*・.･~〜‐‑‒–—―−ｰ－﹣")


@dataclass(frozen=True)
class Span:
    """Code-point offsets [start, end) in the original text and the reasons (by index) quoting them."""

    start: int
    end: int
    reasons: tuple[int, ...]


def _fold(text: str, skip_separators: bool) -> tuple[str, list[int]]:
    """Width- and case-folded text without spaces, and for each kept character its original index."""
    folded: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        if ch in _VOICING:
            continue  # folded together with the kana before it
        if index + 1 < len(text) and text[index + 1] in _VOICING:
            ch += text[index + 1]  # half-width ｿﾞ is one letter (ゾ) in two characters
        for part in unicodedata.normalize("NFKC", ch).lower():
            if part.isspace() or unicodedata.category(part) in ("Cf", "Mn", "Me", "Cc"):
                continue
            if skip_separators and part in _SEPARATORS:
                continue
            folded.append(part)
            origin.append(index)
    return "".join(folded), origin


def _find(text: str, evidence: str) -> list[tuple[int, int]]:
    """Every place `evidence` occurs in `text`, ignoring width, case, spacing and then in-word separators."""
    for skip in (False, True):
        haystack, origin = _fold(text, skip)
        needle, _ = _fold(evidence, skip)
        if not needle:
            return []
        found = []
        at = haystack.find(needle)
        while at != -1:
            found.append((origin[at], origin[at + len(needle) - 1] + 1))
            at = haystack.find(needle, at + len(needle))
        if found:
            return found
    return []


def spans(text: str, result: CheckResult, limit: int = 5) -> list[Span]:
    """Non-overlapping highlighted spans for the first `limit` reasons (those the reply shows)."""
    marks: dict[int, set[int]] = {}
    for number, finding in enumerate(result.reasons[:limit]):
        places = _find(text, finding.evidence)
        if not places and "・" in finding.evidence:  # combos join the evidence of their parts with ・
            places = [p for part in finding.evidence.split("・") for p in _find(text, part)]
        for start, end in places:
            for i in range(start, end):
                marks.setdefault(i, set()).add(number)
    out: list[Span] = []
    for i in sorted(marks):
        key = tuple(sorted(marks[i]))
        if out and out[-1].end == i and out[-1].reasons == key:
            out[-1] = Span(out[-1].start, i + 1, key)
        else:
            out.append(Span(i, i + 1, key))
    return out


def segments(text: str, marked: list[Span]) -> list[dict[str, object]]:
    """The text cut into plain and marked pieces, in order (easy to render safely with textContent)."""
    pieces: list[dict[str, object]] = []
    at = 0
    for span in marked:
        if span.start > at:
            pieces.append({"text": text[at:span.start], "reasons": []})
        pieces.append({"text": text[span.start:span.end], "reasons": list(span.reasons)})
        at = span.end
    if at < len(text):
        pieces.append({"text": text[at:], "reasons": []})
    return pieces
