"""Which organisation the message claims to be, and whether it says so the way scams do."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.checks import Context
from bot.knowledge import Brand, Knowledge
from bot.models import Finding

# A leading 【…】/[…]/「…」 block, or "Name:" at the very start, is how SMS senders label themselves.
_HEADER = re.compile(r"^[【\[「(]([^】\]」)]{1,24})[】\]」)]|^([^:、。【■\s]{2,10}):")
_GENERIC_ORG = re.compile(r"銀行|国税|省|庁|電力|水道|警察|カード|運輸|急便|郵便|ガス|通信事業者")


@dataclass(frozen=True)
class WordIndex:
    """Lower-cased words in one plain alternation (longest first), and the brand of each word."""

    regex: re.Pattern[str] | None
    brands: dict[str, Brand]

    def find(self, lowered: str) -> list[tuple[int, Brand, str]]:
        """(position, brand, word) for each occurrence; ASCII words only where they stand alone."""
        if self.regex is None:
            return []
        found = []
        for match in self.regex.finditer(lowered):
            start, end = match.span()
            word = match.group(0)
            # ASCII names (au, NTT, JCB) must stand as words, or "au" would match inside "Paulo".
            if word.isascii() and (_letter_at(lowered, start - 1) or _letter_at(lowered, end)):
                continue
            found.append((start, self.brands[word], word))
        return found


def _letter_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalpha()


def _index(pairs: list[tuple[str, Brand]]) -> WordIndex:
    brands = {word.lower().replace(" ", ""): brand for word, brand in pairs}
    words = sorted(brands, key=len, reverse=True)
    return WordIndex(re.compile("|".join(map(re.escape, words))) if words else None, brands)


@dataclass(frozen=True)
class BrandIndex:
    """Aliases and look-alike spellings of every brand, and the generic patterns, prepared once."""

    aliases: WordIndex
    lookalikes: WordIndex
    generic: tuple[tuple[re.Pattern[str], Brand], ...]


def build_index(knowledge: Knowledge) -> BrandIndex:
    """Prepare the alias and look-alike lists of every brand."""
    return BrandIndex(
        aliases=_index([(a, b) for b in knowledge.brands for a in b.aliases]),
        lookalikes=_index([(a, b) for b in knowledge.brands for a in b.lookalikes]),
        generic=tuple((re.compile(p), b) for b in knowledge.brands for p in b.alias_patterns),
    )


def identify(ctx: Context, index: BrandIndex) -> list[Finding]:
    """Set ctx.brand to the organisation named (the one in the header first); flag look-alike spellings."""
    findings: list[Finding] = []
    header = _HEADER.match(ctx.compact)
    header_text = (header.group(1) or header.group(2)) if header else ""
    lowered = ctx.compact.lower()
    named = index.aliases.find(lowered)
    for start, brand, word in index.lookalikes.find(lowered):
        shown = ctx.compact[start:start + len(word)]
        named.append((start, brand, shown))
        findings.append(ctx.signal("brand_lookalike", shown, f"brands.yaml#{brand.id}"))
    named = [(start, brand, ctx.compact[start:start + len(word)]) for start, brand, word in named]
    if not named:
        for pattern, brand in index.generic:
            match = pattern.search(ctx.compact)
            if match:
                named.append((match.start(), brand, match.group(0)))
    if named:
        in_header = [n for n in named if header and n[0] < header.end()]
        _, ctx.brand, ctx.brand_evidence = min(in_header or named, key=lambda n: n[0])
    brand_in_header = header is not None and any(n[0] < header.end() for n in named)
    if header_text and (brand_in_header or _GENERIC_ORG.search(header_text)):
        source = f"brands.yaml#{ctx.brand.id}" if ctx.brand else "signals.yaml#brand_header"
        findings.append(ctx.signal("brand_header", header_text, source))
    elif ctx.brand is not None:
        findings.append(ctx.signal("brand_named", ctx.brand_evidence, f"brands.yaml#{ctx.brand.id}"))
    return findings


def check_never(ctx: Context) -> list[Finding]:
    """The named brand says it never sends this kind of message by SMS."""
    if ctx.brand is None or ctx.is_warning:  # a warning names brands, it does not claim to be one
        return []
    tags = ctx.tags
    for never in ctx.brand.never:
        if tags.intersection(never.tags):
            finding = ctx.signal("brand_never", ctx.brand_evidence, f"brands.yaml#{ctx.brand.id}", official=never.text)
            return [finding]
    return []
