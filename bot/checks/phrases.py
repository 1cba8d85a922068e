"""Phrase rules from knowledge/rules.yaml, matched on the space-free normalised text."""

from __future__ import annotations

import re

from bot.checks import Context
from bot.knowledge import Rule
from bot.models import Finding

# Quoted passages: a warning that quotes a scam should be judged on its own words, not the quote.
_QUOTED = re.compile(r"「[^「」]{0,300}」|『[^『』]{0,300}』")


def _finding(rule: Rule, evidence: str, damped: bool = False) -> Finding:
    weight = rule.weight // 2 if damped and rule.weight > 0 else rule.weight
    return Finding(
        id=rule.id, text=rule.reason, evidence=evidence, weight=weight,
        source=f"rules.yaml#{rule.id} ({rule.source})", kind="rule", tags=frozenset(rule.tags),
    )


def check_phrases(ctx: Context) -> list[Finding]:
    """One finding per rule whose pattern occurs; the matched words are the evidence.

    In a message that talks about scams (a police or city warning, a relative asking), quoted passages are
    left out and the scam phrases it describes count half: such a text names the tricks, it does not use them.
    """
    rules = ctx.knowledge.rules
    findings = [_finding(r, m.group(0)) for r in rules if "awareness" in r.tags and (m := r.regex.search(ctx.compact))]
    warning = bool(findings)
    text = _QUOTED.sub("」", ctx.compact) if warning else ctx.compact
    for rule in rules:
        if "awareness" in rule.tags:
            continue
        match = rule.regex.search(text)
        if match:
            findings.append(_finding(rule, match.group(0), damped=warning))
    return findings
