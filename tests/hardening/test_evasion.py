"""Evasion: scams rewritten the ways scammers disguise them keep their verdict (benchmarks/evasion.py's rewrites)."""

from __future__ import annotations

import importlib.util
import random
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from bot.detect import Detector
from bot.evaluate import read_jsonl

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "dev.jsonl"
TARGET = 0.97


def _evasion() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evasion_benchmark", ROOT / "benchmarks" / "evasion.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not CORPUS.exists(), reason=f"shared corpus not found at {CORPUS}")
def test_at_least_97_percent_of_rewritten_scams_keep_their_verdict(detector: Detector) -> None:
    evasion = _evasion()
    rng = random.Random(1)
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for row in (r for r in read_jsonl(CORPUS) if r.get("label") == "scam"):
        text = str(row["text"])
        sender = row["sender"] if isinstance(row.get("sender"), str) else None
        original = detector.check(text, sender).verdict
        for name, rewrite in evasion.REWRITES.items():
            total[name] += 1
            agree[name] += detector.check(rewrite(text, rng), sender).verdict is original
    assert set(total) >= {"zero_width", "spaces", "width_swap", "digit_symbols", "line_breaks", "homoglyph_domains"}
    assert sum(total.values()) >= 600, "the corpus should give hundreds of variants"
    share = sum(agree.values()) / sum(total.values())
    print(f"evasion agreement {sum(agree.values())}/{sum(total.values())} = {share:.1%}")
    assert share >= TARGET, {name: f"{agree[name]}/{total[name]}" for name in total}
    for name in total:  # no single disguise may be a reliable way through
        assert agree[name] / total[name] >= 0.9, (name, agree[name], total[name])
