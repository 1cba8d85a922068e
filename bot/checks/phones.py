"""Phone numbers given as call-back points, and the sender's own number or name."""

from __future__ import annotations

from bot.checks import Context
from bot.models import Finding
from bot.phones import find_phones, parse_sender

_CLAIM_TAGS = {"fee", "account", "vague", "delivery", "claim"}


def _official(ctx: Context) -> set[str]:
    if ctx.brand is None:
        return set()
    return {n.replace("-", "") for n in ctx.brand.official_numbers}


def check_phones(ctx: Context) -> list[Finding]:
    """Known scam numbers always; other numbers only when the message makes a company claim."""
    findings: list[Finding] = []
    known = ctx.knowledge.numbers_by_key
    company_voice = ctx.brand is not None or bool(ctx.tags & _CLAIM_TAGS)
    claim = bool(ctx.tags & _CLAIM_TAGS)
    official = _official(ctx)
    seen: set[str] = set()
    for phone in ctx.phones:
        if phone.key in known:
            entry = known[phone.key]
            findings.append(ctx.signal("phone_known_scam", phone.raw, f"numbers.yaml#{phone.key} ({entry.source})"))
            continue
        if not company_voice or phone.key in official:
            continue
        kind_signal = {
            "ip": "phone_ip_callback", "international": "phone_international",
            "mobile": "phone_mobile_callback", "fixed": "phone_fixed_callback",
        }.get(phone.kind)
        if kind_signal == "phone_fixed_callback" and not claim:
            kind_signal = None
        if kind_signal and kind_signal not in seen:
            seen.add(kind_signal)
            findings.append(ctx.signal(kind_signal, phone.raw, f"signals.yaml#{kind_signal}"))
        if ctx.brand is not None and official and not phone.masked and "phone_not_official" not in seen:
            seen.add("phone_not_official")
            shown = "、".join(ctx.brand.official_numbers)
            findings.append(ctx.signal("phone_not_official", phone.raw, f"brands.yaml#{ctx.brand.id}",
                                       brand=ctx.brand.name, official=shown))
    return findings


def check_sender(ctx: Context) -> list[Finding]:
    """A sender that is a reported name or number, a foreign number, or a mobile posing as a company."""
    if not ctx.sender:
        return []
    findings: list[Finding] = []
    lowered = ctx.sender.lower()
    for name in ctx.knowledge.senders:
        if name.name.lower() in lowered:
            findings.append(ctx.signal("sender_known_name", name.name, f"senders.yaml#{name.name} ({name.source})"))
            break
    known = ctx.knowledge.numbers_by_key
    numbers = [p for p in [parse_sender(ctx.sender)] if p] or [p for p in find_phones(ctx.sender) if not p.masked]
    for phone in numbers[:1]:
        if phone.key in known:
            findings.append(ctx.signal("sender_known_number", phone.raw,
                                       f"numbers.yaml#{phone.key} ({known[phone.key].source})"))
        elif phone.kind == "international":
            findings.append(ctx.signal("sender_international", phone.raw, "signals.yaml#sender_international"))
        elif phone.kind == "mobile" and (ctx.brand is not None or ctx.tags & _CLAIM_TAGS):
            findings.append(ctx.signal("sender_mobile_brand", phone.raw, "signals.yaml#sender_mobile_brand"))
    return findings
