"""Every phrase rule's own examples (knowledge/rules.yaml `hit` / `miss`) behave as the rule says."""

from __future__ import annotations

import pytest

from bot.knowledge import load
from bot.normalize import clean, compact

RULES = load().rules
HITS = [(r.id, text) for r in RULES for text in r.hit]
MISSES = [(r.id, text) for r in RULES for text in r.miss]


@pytest.mark.parametrize(("rule_id", "text"), HITS, ids=[f"{i}:{t[:12]}" for i, t in HITS])
def test_rule_hits_its_hit_examples(rule_id: str, text: str) -> None:
    rule = next(r for r in RULES if r.id == rule_id)
    assert rule.regex.search(compact(clean(text))), f"{rule_id} should match {text!r}"


@pytest.mark.parametrize(("rule_id", "text"), MISSES, ids=[f"{i}:{t[:12]}" for i, t in MISSES])
def test_rule_misses_its_miss_examples(rule_id: str, text: str) -> None:
    rule = next(r for r in RULES if r.id == rule_id)
    assert not rule.regex.search(compact(clean(text))), f"{rule_id} should not match {text!r}"
