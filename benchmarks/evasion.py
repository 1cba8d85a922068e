"""Evasion benchmark: rewrite each scam in the corpus the ways scammers disguise text and check the verdict holds.

    .venv/bin/python benchmarks/evasion.py [../shared/corpus/dev.jsonl] [--seed 1]

Prints, per kind of rewrite, the share of variants whose verdict equals the original message's verdict.
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bot.detect import Detector
from bot.evaluate import read_jsonl
from bot.knowledge import load

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
HOMOGLYPHS = {"a": "а", "o": "о", "e": "е", "c": "с", "p": "р"}  # Cyrillic look-alikes
DIGIT_SYMBOLS = {"0": "０", "1": "１", "3": "３", "5": "５", "9": "９"}


def _every_other(text: str, rng: random.Random, insert: Callable[[], str]) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if not ch.isspace() and rng.random() < 0.5:
            out.append(insert())
    return "".join(out)


def zero_width(text: str, rng: random.Random) -> str:
    """Invisible characters between letters."""
    return _every_other(text, rng, lambda: rng.choice(ZERO_WIDTH))


def spaces(text: str, rng: random.Random) -> str:
    """Spaces (ASCII or ideographic) between letters."""
    return _every_other(text, rng, lambda: rng.choice([" ", "\u3000"]))


def width_swap(text: str, rng: random.Random) -> str:
    """Full-width ASCII and half-width katakana."""
    swapped = []
    for ch in text:
        if "!" <= ch <= "~":
            swapped.append(chr(ord(ch) + 0xFEE0))
        elif "\u30a1" <= ch <= "\u30f6" and rng.random() < 0.7:
            half = unicodedata.normalize("NFKC", ch)
            swapped.append(_HALF.get(half, half))
        else:
            swapped.append(ch)
    return "".join(swapped)


_HALF = {full: half for half, full in ((chr(c), unicodedata.normalize("NFKC", chr(c))) for c in range(0xFF66, 0xFF9E))}


def digit_symbols(text: str, rng: random.Random) -> str:
    """Digits written full-width and numbers broken with dots or spaces."""
    out = []
    for ch in text:
        out.append(DIGIT_SYMBOLS.get(ch, ch) if rng.random() < 0.5 else ch)
        if ch.isdigit() and rng.random() < 0.2:
            out.append(rng.choice([" ", "-"]))
    return "".join(out)


def line_breaks(text: str, rng: random.Random) -> str:
    """Line breaks in the middle of sentences."""
    return "".join(ch + ("\n" if rng.random() < 0.08 else "") for ch in text)


def homoglyph_domains(text: str, rng: random.Random) -> str:
    """Latin letters in links replaced by Cyrillic look-alikes."""
    return "".join(HOMOGLYPHS.get(ch, ch) if ch.isascii() and rng.random() < 0.3 else ch for ch in text)


REWRITES: dict[str, Callable[[str, random.Random], str]] = {
    "zero_width": zero_width, "spaces": spaces, "width_swap": width_swap,
    "digit_symbols": digit_symbols, "line_breaks": line_breaks, "homoglyph_domains": homoglyph_domains,
}


def main() -> int:
    """Run every rewrite over every scam message and print the agreement."""
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev.jsonl")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    detector = Detector(load())
    rng = random.Random(args.seed)
    rows = [r for r in read_jsonl(args.corpus) if r.get("label") == "scam"]
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for row in rows:
        text = str(row["text"])
        sender = row.get("sender") if isinstance(row.get("sender"), str) else None
        original = detector.check(text, sender).verdict  # type: ignore[arg-type]
        for name, rewrite in REWRITES.items():
            variant = detector.check(rewrite(text, rng), sender).verdict  # type: ignore[arg-type]
            total[name] += 1
            agree[name] += variant is original
            if args.verbose and variant is not original:
                print(f"  {name}: {row.get('id')} {original.value} -> {variant.value}")
    for name in REWRITES:
        print(f"{name:18} {agree[name]}/{total[name]} = {agree[name] / total[name]:.1%}")
    print(f"{'all':18} {sum(agree.values())}/{sum(total.values())} = {sum(agree.values()) / sum(total.values()):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
