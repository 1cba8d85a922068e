"""Values that cross layers: findings, verdicts and check results."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """The three answers the bot gives; there is deliberately no "safe"."""

    DANGER = "danger"
    CAUTION = "caution"
    NO_SIGNS = "no_signs"


@dataclass(frozen=True)
class Finding:
    """One reason a check raised: which knowledge entry, what in the message, how much it weighs."""

    id: str
    text: str
    evidence: str
    weight: int
    source: str
    kind: str = "rule"
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Contact:
    """A real contact point (phone and/or web page) someone can use instead of the message's."""

    name: str
    phone: str | None = None
    url: str | None = None
    email: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain dict for the JSON API and CLI."""
        return {"name": self.name, "phone": self.phone, "url": self.url, "email": self.email, "note": self.note}


@dataclass(frozen=True)
class Link:
    """A page to read or report at."""

    title: str
    url: str

    def to_json(self) -> dict[str, Any]:
        """Plain dict for the JSON API and CLI."""
        return {"title": self.title, "url": self.url}


@dataclass(frozen=True)
class Message:
    """What a channel hands the core: the text and, where known, the sender line."""

    text: str
    sender: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """The core's answer for one message."""

    verdict: Verdict
    score: int
    reasons: tuple[Finding, ...]
    brand: str | None = None
    brand_id: str | None = None
    brand_never: str | None = None
    contacts: tuple[Contact, ...] = ()
    links: tuple[Link, ...] = ()
    advice: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    similar: str | None = None
    rule_ids: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (`python -m bot check --json`, `POST /api/check`)."""
        return {
            "verdict": self.verdict.value,
            "score": self.score,
            "brand": self.brand,
            "reasons": [
                {"id": f.id, "text": f.text, "evidence": f.evidence, "source": f.source} for f in self.reasons
            ],
            "contacts": [c.to_json() for c in self.contacts],
            "links": [link.to_json() for link in self.links],
        }
