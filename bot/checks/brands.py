"""Which organisation the message claims to be, and whether it says so the way scams do."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.checks import Context
from bot.knowledge import Brand, Knowledge
from bot.models import Finding

# A leading 【…】/[…]/「…」 block, or "Name:" at the very start, is how SMS senders label themselves.
_HEADER = re.compile(r"^[【\[「(]([^】\]」)]{1,24})[】\]」)]|^([^:、。【]{2,14}):")
_GENERIC_ORG = re.compile(r"銀行|国税|省|庁|電力|水道|警察|カード|運輸|急便|郵便|ガス|通信事業者")


@dataclass(frozen=True)
class BrandIndex:
    """All aliases in one regular expression, longest first, so one pass finds every brand."""

    regex: re.Pattern[str]
    by_alias: dict[str, Brand]
    lookalikes: re.Pattern[str] | None
    by_lookalike: dict[str, Brand]
    generic: tuple[tuple[re.Pattern[str], Brand], ...]


def _alternation(words: dict[str, Brand]) -> str:
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        # ASCII names (au, NTT, JCB) must stand as words, or "au" would match inside "Paulo".
        parts.append(rf"(?<![a-z]){escaped}(?![a-z])" if word.isascii() else escaped)
    return "|".join(parts)


def build_index(knowledge: Knowledge) -> BrandIndex:
    """Compile the alias and look-alike patterns of every brand."""
    by_alias = {a.lower().replace(" ", ""): b for b in knowledge.brands for a in b.aliases}
    by_lookalike = {a.lower().replace(" ", ""): b for b in knowledge.brands for a in b.lookalikes}
    generic = tuple((re.compile(p), b) for b in knowledge.brands for p in b.alias_patterns)
    return BrandIndex(
        regex=re.compile(_alternation(by_alias), re.IGNORECASE),
        by_alias=by_alias,
        lookalikes=re.compile(_alternation(by_lookalike), re.IGNORECASE) if by_lookalike else None,
        by_lookalike=by_lookalike,
        generic=generic,
    )


def identify(ctx: Context, index: BrandIndex) -> list[Finding]:
    """Set ctx.brand to the organisation named (the one in the header first); flag look-alike spellings."""
    findings: list[Finding] = []
    header = _HEADER.match(ctx.compact)
    header_text = (header.group(1) or header.group(2)) if header else ""
    named: list[tuple[int, Brand, str]] = []
    for match in index.regex.finditer(ctx.compact):
        named.append((match.start(), index.by_alias[match.group(0).lower()], match.group(0)))
    if index.lookalikes is not None:
        for match in index.lookalikes.finditer(ctx.compact):
            brand = index.by_lookalike[match.group(0).lower()]
            named.append((match.start(), brand, match.group(0)))
            findings.append(ctx.signal("brand_lookalike", match.group(0), f"brands.yaml#{brand.id}"))
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
    return findings


def check_never(ctx: Context) -> list[Finding]:
    """The named brand says it never sends this kind of message by SMS."""
    if ctx.brand is None:
        return []
    tags = ctx.tags
    for never in ctx.brand.never:
        if tags.intersection(never.tags):
            finding = ctx.signal("brand_never", ctx.brand_evidence, f"brands.yaml#{ctx.brand.id}", official=never.text)
            return [finding]
    return []
