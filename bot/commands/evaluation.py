"""`python -m bot eval FILE`: detection and false-alarm rates by kind on a labelled corpus."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.detect import Detector
from bot.evaluate import evaluate, read_jsonl, report
from bot.knowledge import load


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `eval` subcommand."""
    parser = sub.add_parser("eval", help="measure detection and false alarms on a JSON Lines corpus")
    parser.add_argument("file", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the ids of misjudged messages")
    parser.add_argument("--no-templates", action="store_true",
                        help="leave out the known-campaign similarity check (how well the general rules do alone)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Entry point of `eval`."""
    detector = Detector(load(), use_templates=not args.no_templates)
    print(report(evaluate(detector, read_jsonl(args.file)), verbose=args.verbose))
    return 0
