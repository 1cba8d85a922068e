"""Screenshot agreement: does a scam SMS get the same verdict from its screenshot as from its text?

Renders each scam text of ../shared/corpus/dev.jsonl as SMS-app screenshots (light and dark mode, a
1080x2340 and a 750x1334 phone), reads them with bot.ocr.read_image and judges the OCR text and sender
with the Detector. Prints the agreement share (target >= 90%) and the time per image; `--label legit` does the same for
genuine messages, to check that a screenshot adds no false alarm.

    .venv/bin/python benchmarks/ocr_agreement.py [--limit N] [--jobs 2] [--misses]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one Tesseract per core; its threads only contend

from bot.detect import Detector  # noqa: E402
from bot.knowledge import load  # noqa: E402
from bot.ocr import ocr_available, read_image_details  # noqa: E402
from tests.ocr.sms_screens import PHONE_SIZES, png, render_sms  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "dev.jsonl"
# (phone, dark mode, bubble style): both resolutions, both modes, both bubble colours.
VARIANTS = [("android", False, "blue"), ("android", True, "grey"), ("iphone", False, "grey"), ("iphone", True, "blue")]
_DETECTOR: Detector | None = None


def screen_sender(sender: str | None) -> str | None:
    """The sender as an SMS app would show it: a number or a short name, not a reporter's description."""
    if not sender or len(sender) > 20 or re.search(r"[、。や等*※●○X]|など|番号|から|ランダム|英数字", sender):
        return None
    return sender


def _detector() -> Detector:
    global _DETECTOR
    if _DETECTOR is None:
        _DETECTOR = Detector(load())
    return _DETECTOR


def run_one(job: tuple[str, str, str | None, str, bool, str]) -> dict[str, object]:
    """Render, read and judge one screenshot; compare with the verdict of the text itself."""
    row_id, text, sender, phone, dark, bubble = job
    detector = _detector()
    expected = detector.check(text, sender).verdict.value
    data = png(render_sms(text, sender, size=PHONE_SIZES[phone], dark=dark, bubble=bubble))
    started = time.monotonic()
    result, reading = read_image_details(data, timeout=20.0)
    elapsed = time.monotonic() - started
    got = detector.check(result.text, result.sender).verdict.value if result.status == "ok" else result.status
    return {"id": row_id, "variant": f"{phone}-{'dark' if dark else 'light'}", "expected": expected, "got": got,
            "seconds": elapsed, "text": text, "read": reading.text if reading else "",
            "conf": round(reading.confidence) if reading else None, "sender": sender, "read_sender": result.sender}


def main() -> int:
    """Run the measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N scam texts")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--misses", action="store_true", help="print every disagreement")
    parser.add_argument("--label", choices=("scam", "legit"), default="scam",
                        help="legit: genuine messages instead, to check screenshots add no false alarms")
    args = parser.parse_args()
    if not ocr_available():
        print("tesseract with the jpn model is not installed", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    scams = [r for r in rows if r["label"] == args.label][: args.limit or None]
    jobs = [(r["id"], r["text"], screen_sender(r.get("sender")), *v) for r in scams for v in VARIANTS]
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(run_one, jobs, chunksize=4))
    wall = time.monotonic() - started
    agree = [r for r in results if r["got"] == r["expected"]]
    flagged = [r for r in results if r["expected"] != "no_signs"]
    kept = [r for r in flagged if r["got"] in ("danger", "caution")]
    unreadable = [r for r in results if r["got"] == "unreadable"]
    worse = [r for r in results if r["got"] == "no_signs" and r["expected"] != "no_signs"]
    seconds = sorted(float(str(r["seconds"])) for r in results)
    print(f"{args.label} texts: {len(scams)}  screenshots: {len(results)}  ({len(VARIANTS)} variants each)")
    print(f"same verdict as the text: {len(agree)}/{len(results)} = {len(agree) / len(results):.1%}")
    print(f"flagged texts still flagged from the screenshot: {len(kept)}/{len(flagged)} = {len(kept) / max(1, len(flagged)):.1%}")
    raised = [r for r in results if r["got"] in ("danger", "caution") and r["expected"] != r["got"]
              and (r["expected"] == "no_signs" or r["got"] == "danger")]
    print(f"unreadable: {len(unreadable)}  flagged text read as no_signs: {len(worse)}  "
          f"screenshot judged more severe than its text: {len(raised)}")
    for variant in sorted({str(r["variant"]) for r in results}):
        part = [r for r in results if r["variant"] == variant]
        print(f"  {variant:14s} {sum(r['got'] == r['expected'] for r in part) / len(part):.1%}")
    print(f"seconds per image: median {statistics.median(seconds):.2f}, p95 {seconds[int(0.95 * (len(seconds) - 1))]:.2f}, "
          f"max {seconds[-1]:.2f}  (wall {wall:.0f}s on {args.jobs} workers)")
    if args.misses:
        for r in results:
            if r["got"] != r["expected"]:
                print(f"\n{r['id']} {r['variant']} expected={r['expected']} got={r['got']} "
                      f"sender={r['sender']!r} read_sender={r['read_sender']!r} confidence={r['conf']}")
                print("  text:", str(r["text"]).replace("\n", " / "))
                print("  read:", str(r["read"]).replace("\n", " / "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
