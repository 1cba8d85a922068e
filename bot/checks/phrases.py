"""Phrase rules from knowledge/rules.yaml, matched on the space-free normalised text."""

from __future__ import annotations

from bot.checks import Context
from bot.models import Finding


def check_phrases(ctx: Context) -> list[Finding]:
    """One finding per rule whose pattern occurs; the matched words are the evidence."""
    findings = []
    for rule in ctx.knowledge.rules:
        match = rule.regex.search(ctx.compact)
        if match:
            findings.append(Finding(
                id=rule.id, text=rule.reason, evidence=match.group(0), weight=rule.weight,
                source=f"rules.yaml#{rule.id} ({rule.source})", kind="rule", tags=frozenset(rule.tags),
            ))
    return findings
