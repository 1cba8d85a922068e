"""Small recognizers. Each takes the prepared message (`Context`) and returns findings with evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from bot.knowledge import Brand, Knowledge
from bot.links import Link
from bot.models import Finding
from bot.phones import Phone


class CommunityLookup(Protocol):
    """How many distinct users reported each of these numbers/hosts (storage implements this)."""

    def reporter_counts(self, keys: list[str]) -> dict[str, int]: ...


@dataclass
class Context:
    """A message prepared once for every check."""

    knowledge: Knowledge
    text: str
    cleaned: str
    compact: str
    sender: str | None
    phones: list[Phone]
    links: list[Link]
    brand: Brand | None = None
    brand_evidence: str = ""
    findings: list[Finding] = field(default_factory=list)

    @property
    def tags(self) -> set[str]:
        """Tags of the findings so far (signs of a genuine message, with negative weight, excluded)."""
        return {tag for f in self.findings if f.weight >= 0 for tag in f.tags}

    @property
    def is_warning(self) -> bool:
        """The message talks about scams (a police or city warning, a relative asking): rules tagged `awareness`."""
        return any("awareness" in f.tags for f in self.findings)

    def signal(self, signal_id: str, evidence: str, source: str, **values: str) -> Finding:
        """A finding for a structural signal, with weight and wording from signals.yaml."""
        spec = self.knowledge.signals[signal_id]
        text = spec.reason.format(evidence=evidence, **values)
        return Finding(
            id=signal_id, text=text, evidence=evidence, weight=spec.weight, source=source,
            kind=signal_id.split("_", 1)[0], tags=frozenset(spec.tags),
        )


Check = Callable[[Context], list[Finding]]
