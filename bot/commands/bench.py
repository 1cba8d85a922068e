"""`python -m bot bench`: speed of the detection core (messages/s, median and p99 latency, start-up)."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bot.detect import Detector
from bot.evaluate import read_jsonl
from bot.knowledge import load

DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev.jsonl"
FALLBACK = [
    "ご利用料金のお支払い確認が取れておりません。本日中にご連絡ください。(0369127894)",
    "有料動画の未納料金があります。本日中にご連絡無き場合、法的手続きに移行致します。アマゾンジャパン窓口",
    "【三井住友銀行】お客様の口座が不正利用されている可能性があります https://smbc-secure.xyz/",
    "帰りに牛乳買ってきて",
    "Amazon: お客様のコードは508214です。コードは共有しないでください。",
]


def adversarial_inputs() -> dict[str, str]:
    """5,000-character inputs shaped to make naive regular expressions backtrack."""
    return {
        "repeated_kanji": "未" * 5000,
        "almost_rule": ("口座" + "あ" * 11) * 357,
        "digits_and_dashes": ("0" + "-" * 3) * 1250,
        "url_like": "http://" + "a." * 2496,
        "mixed_brackets": "【" * 2500 + "】" * 2500,
        "spaces_between": "本 " * 2500,
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `bench` subcommand."""
    parser = sub.add_parser("bench", help="measure detection speed and start-up time")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=20)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Entry point of `bench`."""
    started = time.perf_counter()
    detector = Detector(load())
    startup = time.perf_counter() - started
    texts = [(str(r["text"]), r.get("sender")) for r in read_jsonl(args.corpus)] if args.corpus.exists() \
        else [(t, None) for t in FALLBACK]
    detector.check(texts[0][0])  # warm caches once
    latencies = []
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        for text, sender in texts:
            s = time.perf_counter()
            detector.check(text, sender if isinstance(sender, str) else None)
            latencies.append(time.perf_counter() - s)
    total = time.perf_counter() - t0
    print(f"knowledge load + detector start-up: {startup * 1000:.0f} ms")
    print(f"corpus: {len(texts)} messages x {args.rounds} rounds = {len(latencies)} checks")
    print(f"throughput: {len(latencies) / total:,.0f} messages/s (one core)")
    print(f"latency: median {statistics.median(latencies) * 1000:.3f} ms, "
          f"p99 {_percentile(latencies, 0.99) * 1000:.3f} ms, max {max(latencies) * 1000:.3f} ms")
    for name, text in adversarial_inputs().items():
        runs = []
        for _ in range(5):
            s = time.perf_counter()
            detector.check(text)
            runs.append(time.perf_counter() - s)
        print(f"adversarial {name:18} ({len(text)} chars): worst {max(runs) * 1000:.2f} ms")
    return 0
