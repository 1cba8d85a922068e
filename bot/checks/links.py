"""Links: reported hosts, hosts imitating a brand, shorteners, free hosts, bare IPs, look-alike letters."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from bot.checks import Context
from bot.knowledge import Brand
from bot.links import Link
from bot.models import Finding
from bot.normalize import CONFUSABLES

# Digits and letter pairs that pass for letters in a host name: amaz0n, arnazon, paypa1.
_SKELETON = str.maketrans({"0": "o", "1": "l", "3": "e", "5": "s"})


def _matches(host: str, hosts: tuple[str, ...]) -> str | None:
    for known in hosts:
        if host == known or host.endswith("." + known):
            return known
    return None


def _is_official(link: Link, brand: Brand) -> bool:
    return link.host is not None and _matches(link.host, brand.official_domains) is not None


def _imitated(hint: str, brands: tuple[Brand, ...]) -> Brand | None:
    """The brand whose keyword hides in this host (exactly, via digit look-alikes, or one letter off)."""
    skeleton = hint.translate(_SKELETON).replace("rn", "m")
    labels = [part for part in skeleton.replace(".", "-").split("-") if part]
    for brand in brands:
        if _matches(hint, brand.official_domains):
            continue
        for keyword in brand.domain_keywords:
            if keyword in skeleton and (len(keyword) >= 4 or keyword in labels):
                return brand
            if len(keyword) >= 5 and any(Levenshtein.distance(label, keyword, score_cutoff=1) <= 1
                                         for label in labels if abs(len(label) - len(keyword)) <= 1):
                return brand
    return None


def check_links(ctx: Context) -> list[Finding]:
    """Judge every link offline from its address alone."""
    k = ctx.knowledge
    findings: list[Finding] = []
    seen: set[str] = set()

    def add(signal_id: str, evidence: str, source: str, **values: str) -> None:
        if signal_id not in seen:
            seen.add(signal_id)
            findings.append(ctx.signal(signal_id, evidence, source, **values))

    known = k.hosts_by_name
    for link in ctx.links:
        hint = link.hint.translate(CONFUSABLES).lower()  # a Cyrillic "а" must not hide a listed host
        shown = link.host or link.raw
        hit = _matches(hint, tuple(known))
        if hit:
            add("link_known_scam", shown, f"domains.yaml#{hit} ({known[hit].source})")
        imitated = _imitated(hint, k.brands) if hint else None
        if imitated is not None:
            add("link_brand_lookalike", shown, f"brands.yaml#{imitated.id}", brand=imitated.name)
            if ctx.brand is None:
                ctx.brand, ctx.brand_evidence = imitated, shown
        if _matches(hint, k.shorteners.hosts):
            add("link_shortener", shown, f"domains.yaml#shorteners ({k.shorteners.source})")
        elif _matches(hint, k.free_hosts.hosts):
            add("link_free_host", shown, f"domains.yaml#free_hosts ({k.free_hosts.source})")
        elif link.is_ip:
            add("link_ip_address", shown, "signals.yaml#link_ip_address")
        if link.is_idn:
            add("link_punycode", shown, "signals.yaml#link_punycode")
        if link.suffix and link.suffix.rsplit(".", 1)[-1] in k.risky_tlds.tlds:
            add("link_risky_tld", shown, f"domains.yaml#risky_tlds ({k.risky_tlds.source})")
        brand = ctx.brand
        if (brand is not None and brand.official_domains and link.host is not None and imitated is None
                and not _is_official(link, brand) and not _matches(hint, k.shorteners.hosts)):
            add("link_not_official", shown, f"brands.yaml#{brand.id}", brand=brand.name,
                official="、".join(brand.official_domains[:2]))
    if ctx.links and not all(ctx.brand is not None and _is_official(link, ctx.brand) for link in ctx.links):
        add("link_present", ctx.links[0].host or ctx.links[0].raw, "signals.yaml#link_present")
    return findings
