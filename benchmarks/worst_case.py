#!/usr/bin/env python3
"""Worst-case detection time on 5,000-character inputs built to make regexes and parsers backtrack.

    .venv/bin/python benchmarks/worst_case.py [--runs 20] [--limit-ms 20]

Each input is judged `--runs` times; the best run is the input's cost on an idle core (the rest is
noise from other processes), the worst is printed too. Exits 1 when an input's best run exceeds the limit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from bot.commands.bench import adversarial_inputs
from bot.detect import MAX_CHARS, Detector
from bot.knowledge import load


def _fill(unit: str) -> str:
    return (unit * (MAX_CHARS // len(unit) + 1))[:MAX_CHARS]


def inputs(detector: Detector) -> dict[str, str]:
    """The bench command's shapes plus number, link, phrase and invisible-character floods."""
    cases = dict(adversarial_inputs())
    cases.update({
        "valid_numbers": _fill("03-1234-5678 "),
        "number_like_dots": _fill("090.1234.567"),
        "parenthesised_digits": _fill("(0)(1)"),
        "masked_numbers": _fill("080-****-12"),
        "many_links": _fill("https://a.top/x "),
        "defanged_links": _fill("hxxps[:]//evil[.]top "),
        "bare_hosts": _fill("a.b.c.d.e.f.g."),
        "percent_soup": _fill("%E3%81%82"),
        "zero_width_flood": _fill("未\u200b納\u200d"),
        "combining_marks": _fill("あ\u3099\u0301"),
        "emoji_zwj": _fill("👨\u200d👩\u200d👧"),
        "rtl_marks": _fill("\u202e123\u202c"),
        "katakana_halfwidth": _fill("ｶﾞｲﾄﾞ"),
        "every_rule_hit": _fill(" ".join(r.hit[0] for r in detector.knowledge.rules)),
        "brand_names": _fill(" ".join(alias for b in detector.knowledge.brands for alias in b.aliases[:1])),
    })
    return cases


def main() -> int:
    """Print best/median/worst per input; fail when the best run is over the limit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--limit-ms", type=float, default=20.0)
    args = parser.parse_args()
    detector = Detector(load())
    detector.check("warm up")
    over = []
    print(f"{'input':22} {'chars':>6} {'best ms':>8} {'median':>8} {'worst':>8}  verdict")
    for name, text in inputs(detector).items():
        runs = []
        for _ in range(max(1, args.runs)):
            started = time.perf_counter()
            result = detector.check(text)
            runs.append((time.perf_counter() - started) * 1000)
        best, median, worst = min(runs), statistics.median(runs), max(runs)
        print(f"{name:22} {len(text):>6} {best:>8.2f} {median:>8.2f} {worst:>8.2f}  {result.verdict.value}")
        if best > args.limit_ms:
            over.append(name)
    print(f"limit {args.limit_ms} ms per message: " + ("all inputs within it" if not over else f"over: {', '.join(over)}"))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
