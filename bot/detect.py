"""The detector: runs every check on a message and adds the findings up into a verdict."""

from __future__ import annotations

import logging
import re

from bot.checks import CommunityLookup, Context
from bot.checks.brands import build_index as build_brand_index
from bot.checks.brands import check_never, identify
from bot.checks.community import check_community
from bot.checks.links import check_links
from bot.checks.phones import check_phones, check_sender
from bot.checks.phrases import check_phrases
from bot.checks.similar import build_index as build_template_index
from bot.checks.similar import check_similar
from bot.knowledge import Knowledge
from bot.links import find_links
from bot.models import CheckResult, Contact, Finding, Link, Verdict
from bot.normalize import clean, compact, join_digit_gaps
from bot.phones import find_phones

log = logging.getLogger(__name__)

_WHITESPACE = re.compile(r"\s+")
# Longer input is cut here: no SMS is this long, and it bounds the work per message.
MAX_CHARS = 5000


class Detector:
    """Stateless after construction; safe to share between threads."""

    def __init__(
        self,
        knowledge: Knowledge,
        community: CommunityLookup | None = None,
        community_threshold: int = 3,
        use_templates: bool = True,
    ) -> None:
        self.knowledge = knowledge
        self.community = community
        self.community_threshold = community_threshold
        self.use_templates = use_templates
        self._brands = build_brand_index(knowledge)
        self._templates = build_template_index(knowledge)
        find_links("warm.example.com")  # build the public-suffix trie now, not on the first request

    def prepare(self, text: str, sender: str | None = None) -> Context:
        """Normalise the message and find its numbers and links once, for every check."""
        cleaned = clean(text[:MAX_CHARS])
        # A link broken up by spaces ("h t t p s : / / …") is looked for again with the spaces taken out.
        links = find_links(cleaned)
        if not links and (unspaced := _WHITESPACE.sub("", cleaned)) != cleaned:
            links = find_links(unspaced)
        return Context(
            knowledge=self.knowledge, text=text, cleaned=cleaned, compact=compact(cleaned),
            sender=clean(sender)[:200] if sender else None,
            phones=find_phones(join_digit_gaps(cleaned)), links=links,
        )

    def findings(self, ctx: Context) -> list[Finding]:
        """Run the checks in dependency order: brand and phrases first, then what depends on them."""
        ctx.findings.extend(identify(ctx, self._brands))
        ctx.findings.extend(check_phrases(ctx))
        ctx.findings.extend(check_links(ctx))
        ctx.findings.extend(check_phones(ctx))
        ctx.findings.extend(check_sender(ctx))
        # A text close to a known campaign always trips some rule first; plain chat skips the comparison.
        if self.use_templates and any(f.weight > 0 for f in ctx.findings):
            ctx.findings.extend(check_similar(ctx, self._templates))
        ctx.findings.extend(check_community(ctx, self.community, self.community_threshold))
        if len(ctx.compact) <= self.knowledge.scoring.terse_chars:
            ctx.findings.append(Finding(id="terse", text="", evidence="", weight=0, source="signals.yaml#scoring",
                                        kind="shape", tags=frozenset({"terse"})))
        ctx.findings.extend(self._combos(ctx))
        ctx.findings.extend(check_never(ctx))
        return ctx.findings

    def _combos(self, ctx: Context) -> list[Finding]:
        if ctx.is_warning:  # a warning describes scam shapes, it is not one
            return []
        tags = ctx.tags
        found = []
        for combo in self.knowledge.combos:
            if all(tag in tags for tag in combo.requires):
                # The first shown evidence of each required tag (shape-only tags such as `terse` have none).
                firsts = (next((f.evidence for f in ctx.findings if tag in f.tags and f.weight > 0), "")
                          for tag in combo.requires)
                evidence = "・".join(e for e in firsts if e)
                found.append(Finding(id=combo.id, text=combo.reason, evidence=evidence, weight=combo.weight,
                                     source=f"signals.yaml#{combo.id}", kind="combo", tags=frozenset()))
        return found

    def check(self, text: str, sender: str | None = None) -> CheckResult:
        """Judge one message (several forwarded texts can be joined with newlines)."""
        ctx = self.prepare(text, sender)
        findings = self.findings(ctx)
        score = max(0, min(100, sum(f.weight for f in findings)))
        scoring = self.knowledge.scoring
        if score >= scoring.danger:
            verdict = Verdict.DANGER
        elif score >= scoring.caution:
            verdict = Verdict.CAUTION
        else:
            verdict = Verdict.NO_SIGNS
        reasons = tuple(sorted((f for f in findings if f.weight > 0), key=lambda f: -f.weight))
        log.debug("verdict=%s score=%d rules=%s", verdict.value, score, ",".join(f.id for f in findings))
        brand = ctx.brand
        return CheckResult(
            verdict=verdict,
            score=score,
            reasons=reasons if verdict is not Verdict.NO_SIGNS else (),
            brand=brand.name if brand and verdict is not Verdict.NO_SIGNS else None,
            brand_id=brand.id if brand else None,
            brand_never=next((f.text for f in findings if f.id == "brand_never"), None),
            contacts=self._contacts(ctx, verdict),
            links=self._links(ctx, verdict, reasons),
            advice=self._advice(verdict, reasons),
            phones=tuple(p.key for p in ctx.phones if p.key),
            domains=tuple(link.host for link in ctx.links if link.host),
            similar=next((f.text for f in findings if f.id == "similar_known_scam"), None),
            rule_ids=tuple(f.id for f in findings),
        )

    def _contacts(self, ctx: Context, verdict: Verdict) -> tuple[Contact, ...]:
        contacts: list[Contact] = []
        if ctx.brand is not None and verdict is not Verdict.NO_SIGNS:
            c = ctx.brand.contact
            contacts.append(Contact(name=c.name, phone=c.phone, url=c.url, note=ctx.brand.check_tip))
        for hotline in self.knowledge.hotlines:
            if verdict is not Verdict.NO_SIGNS or hotline.id == "hotline_188":
                contacts.append(Contact(name=hotline.name, phone=hotline.phone, note=hotline.note))
        return tuple(contacts)

    def _links(self, ctx: Context, verdict: Verdict, reasons: tuple[Finding, ...]) -> tuple[Link, ...]:
        if verdict is Verdict.NO_SIGNS:
            return ()
        links: list[Link] = []
        if ctx.brand is not None:
            for page in ctx.brand.report:
                if page.url:
                    links.append(Link(title=page.title, url=page.url))
                elif page.email:
                    links.append(Link(title=page.title, url=f"mailto:{page.email}"))
        tags = {t for f in reasons for t in f.tags} | {"any"}
        for site in self.knowledge.report_pages:
            if tags.intersection(site.for_tags) and all(site.url != link.url for link in links):
                links.append(Link(title=site.title, url=site.url))
        return tuple(links)

    def _advice(self, verdict: Verdict, reasons: tuple[Finding, ...]) -> tuple[str, ...]:
        advice = self.knowledge.advice
        lines = list(getattr(advice, verdict.value))
        if verdict is Verdict.NO_SIGNS:
            return tuple(lines)
        tags = {t for f in reasons for t in f.tags}
        lines += [text for tag, text in advice.by_tag.items() if tag in tags]
        return tuple(lines[:4])
