"""Likeness to known scam campaigns, with numbers, links and dates masked out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.checks import Context
from bot.knowledge import Knowledge, Template
from bot.models import Finding
from bot.normalize import clean, compact

_LINK = re.compile(r"h(?:tt|xx)ps?:?//\S{0,300}|[\w.-]{1,60}\.(?:com|jp|net|org|xyz|top|ly|co)\S{0,100}", re.I)
_NUMBERISH = re.compile(r"[\d〇○●◯×※*#Xx-]{2,}")
_BRACKETED_DATE = re.compile(r"\d{1,2}月\d{1,2}日")
_NON_WORD = re.compile(r"[\W_]")


def skeleton(cleaned: str) -> str:
    """The (cleaned) message reduced to its wording: no links, numbers, dates, punctuation or spaces."""
    text = _LINK.sub("", cleaned)
    text = _BRACKETED_DATE.sub("", text)
    text = _NUMBERISH.sub("", text)
    return _NON_WORD.sub("", compact(text))


@dataclass(frozen=True)
class TemplateIndex:
    """Templates with their skeletons computed once."""

    entries: tuple[tuple[Template, str], ...]
    threshold: float
    longest: int


def build_index(knowledge: Knowledge) -> TemplateIndex:
    """Precompute every template's skeleton."""
    entries = tuple((t, skeleton(clean(t.text))) for t in knowledge.templates)
    return TemplateIndex(entries, knowledge.min_similarity, max((len(s) for _, s in entries), default=0))


def check_similar(ctx: Context, index: TemplateIndex) -> list[Finding]:
    """The closest known campaign, if it is close enough."""
    if len(ctx.compact) > 3 * index.longest + 100:  # far longer than any template: cannot be similar
        return []
    mine = skeleton(ctx.cleaned)
    if len(mine) < 8 or len(mine) > 2 * index.longest:
        return []
    best: tuple[float, Template] | None = None
    for template, theirs in index.entries:
        score = fuzz.ratio(mine, theirs, score_cutoff=index.threshold * 100) / 100
        if score and (best is None or score > best[0]):
            best = (score, template)
    if best is None:
        return []
    template = best[1]
    return [ctx.signal("similar_known_scam", f"{round(best[0] * 100)}%", f"templates.yaml#{template.id} ({template.source})",
                       campaign=template.campaign, first=template.first_reported)]
