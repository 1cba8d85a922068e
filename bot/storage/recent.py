"""Recent check results for the buttons under an answer, shared by every worker and instance (30 minutes)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, exists, select, update

from bot.models import CheckResult, Contact, Finding, Link, Verdict
from bot.storage.base import StoreBase
from bot.storage.schema import helper_links, recent_checks, user_prefs
from bot.storage.values import RecentRow

RECENT_TTL = dt.timedelta(minutes=30)
SWEEP_EVERY = dt.timedelta(minutes=1)
# Stands in for the message's own words inside a reason ("リンク先(…)は…") when the text is not kept.
MASK = "…"


# Built once (asked for every kept result): the owner chose full texts and has a confirmed helper.
_SHARES = select(user_prefs.c.share_full_text).where(and_(
    user_prefs.c.platform == bindparam("platform"), user_prefs.c.user_id == bindparam("owner"),
    user_prefs.c.share_full_text,
    exists().where(helper_links.c.platform == bindparam("platform"), helper_links.c.user_id == bindparam("owner"),
                   helper_links.c.status == "confirmed"),
))


def _masked(finding: Finding) -> dict[str, Any]:
    """A reason without the message's words: knowledge text only (signal texts have the evidence spelled in)."""
    text = finding.text
    if finding.evidence and finding.kind not in ("rule", "combo"):
        text = text.replace(finding.evidence, MASK)
    return {"id": finding.id, "text": text, "weight": finding.weight, "source": finding.source,
            "kind": finding.kind, "tags": sorted(finding.tags)}


def _details(result: CheckResult) -> str:
    """Everything the buttons show besides the message's words: knowledge text, as JSON."""
    return json.dumps({
        "reasons": [_masked(f) for f in result.reasons], "brand": result.brand, "brand_never": result.brand_never,
        "similar": result.similar, "contacts": [c.to_json() for c in result.contacts],
        "links": [[link.title, link.url] for link in result.links], "advice": list(result.advice),
    }, ensure_ascii=False)


def _result(row: Any) -> CheckResult:
    """The stored result as the core's value; reasons regain their evidence only when it was kept."""
    details = json.loads(row.details)
    shared = json.loads(row.evidence) if row.evidence else None
    reasons = []
    for n, r in enumerate(details["reasons"]):
        text, evidence = shared[n] if shared and n < len(shared) else (r["text"], "")
        reasons.append(Finding(id=r["id"], text=text, evidence=evidence, weight=r["weight"], source=r["source"],
                               kind=r["kind"], tags=frozenset(r["tags"])))
    return CheckResult(
        verdict=Verdict(row.verdict), score=row.score, reasons=tuple(reasons), brand=details["brand"],
        brand_id=row.brand_id, brand_never=details["brand_never"],
        contacts=tuple(Contact(**c) for c in details["contacts"]),
        links=tuple(Link(title=t, url=u) for t, u in details["links"]), advice=tuple(details["advice"]),
        phones=tuple(json.loads(row.phones)), domains=tuple(json.loads(row.hosts)), similar=details["similar"],
        rule_ids=tuple(row.rule_ids.split()),
    )


def forget_shared_texts(conn: Connection, owner_hashes: Iterable[str]) -> None:
    """The user stopped sharing (or lost the helper): texts and evidence kept for helper notices go."""
    hashes = list(owner_hashes)
    if hashes:
        conn.execute(update(recent_checks).where(recent_checks.c.owner_hash.in_(hashes), recent_checks.c.text.is_not(None))
                     .values(text=None, evidence=None))


class RecentStore(StoreBase):
    """put_recent / get_recent; unsend, deletion and retention live in PrivacyStore."""

    text_hash: Callable[[str], str]  # RecordStore's: the same hash feedback keeps
    _next_sweep: dt.datetime | None = None

    def put_recent(self, platform: str, key: str, owner: str, result: CheckResult, *, text: str | None = None,
                   message_ids: tuple[str, ...] = ()) -> bool:
        """Keep a result for 30 minutes under the answered message id; True when the text itself was kept.

        The text (and the reasons' evidence) is kept only when the owner shares full texts with a confirmed helper
        and the verdict could be sent to them; otherwise only its keyed hash. Expired rows are dropped here too.
        """
        row = self._recent_row(platform, key, owner, result, text, message_ids)
        return self._bookkeeping(lambda conn: self._keep_recent(conn, row, platform, owner, result, text))

    def _recent_row(self, platform: str, key: str, owner: str, result: CheckResult, text: str | None,
                    message_ids: tuple[str, ...]) -> dict[str, Any]:
        """The row for put_recent, prepared before the write turn (other writers wait during it)."""
        now = self._now()
        return {
            "platform": platform, "key_hash": self._hash("message", platform, key),
            "owner_hash": self._owner_hash(platform, owner),
            "message_hashes": " ".join(self._hash("message", platform, m) for m in dict.fromkeys((key, *message_ids))),
            "verdict": result.verdict.value, "score": result.score, "rule_ids": " ".join(result.rule_ids),
            "brand_id": result.brand_id, "phones": json.dumps(list(result.phones)),
            "hosts": json.dumps(list(result.domains), ensure_ascii=False), "details": _details(result),
            "text_hash": None if text is None else self.text_hash(text), "text": None, "evidence": None,
            "created_at": now, "expires_at": now + RECENT_TTL,
        }

    def _keep_recent(self, conn: Connection, row: dict[str, Any], platform: str, owner: str, result: CheckResult,
                     text: str | None, may_share: bool = True) -> bool:
        """Write a prepared row, with the text only when the owner shares it; True when the text was kept.

        `may_share`: False when the caller already read that the owner shares with no helper (skips the check).
        """
        keep = text is not None and result.verdict is not Verdict.NO_SIGNS and may_share and \
            self._shares(conn, platform, owner)
        if keep:
            row = {**row, "text": text,
                   "evidence": json.dumps([[f.text, f.evidence] for f in result.reasons], ensure_ascii=False)}
        if self._sweep_due(row["created_at"]):
            conn.execute(delete(recent_checks).where(recent_checks.c.expires_at <= row["created_at"]))
        self._upsert(conn, recent_checks, row)
        return keep

    def _sweep_due(self, now: dt.datetime) -> bool:
        """True at most once a minute: expired rows are invisible anyway, deleting them is housekeeping."""
        if self._next_sweep is not None and now < self._next_sweep:
            return False
        self._next_sweep = now + SWEEP_EVERY
        return True

    def _shares(self, conn: Connection, platform: str, owner: str) -> bool:
        """The owner chose full texts for helpers and has at least one confirmed helper."""
        return conn.execute(_SHARES, {"platform": platform, "owner": owner}).first() is not None

    def get_recent(self, platform: str, key: str, owner: str) -> RecentRow | None:
        """The result answered under this message id, if still fresh and judged in this chat; otherwise None."""
        if not key or not owner:
            return None
        with self._read() as conn:
            row = conn.execute(select(recent_checks).where(
                recent_checks.c.platform == platform, recent_checks.c.key_hash == self._hash("message", platform, key),
                recent_checks.c.owner_hash == self._owner_hash(platform, owner),
                recent_checks.c.expires_at > self._now(),
            )).first()
        if row is None:
            return None
        return RecentRow(key=key, result=_result(row), text_hash=row.text_hash, text=row.text,
                         created_at=row.created_at, expires_at=row.expires_at)
