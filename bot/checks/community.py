"""Numbers and hosts that enough distinct users reported as scams (kept apart from curated knowledge)."""

from __future__ import annotations

from bot.checks import CommunityLookup, Context
from bot.models import Finding


def community_keys(ctx: Context) -> list[str]:
    """The keys a community report is stored under: phone keys and link hosts."""
    keys = [p.key for p in ctx.phones if p.key]
    keys += [link.host for link in ctx.links if link.host]
    return keys


def check_community(ctx: Context, lookup: CommunityLookup | None, threshold: int) -> list[Finding]:
    """One finding for the most-reported number or host at or above the threshold."""
    keys = community_keys(ctx)
    if lookup is None or not keys:
        return []
    counts = lookup.reporter_counts(keys)
    reported = [(count, key) for key, count in counts.items() if count >= threshold]
    if not reported:
        return []
    count, key = max(reported)
    return [ctx.signal("community_reported", key, "community reports", count=str(count))]
