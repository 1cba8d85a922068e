"""`python -m bot check`: judge a message and print the reply, or JSON Lines in and out."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.compose import compose
from bot.detect import Detector
from bot.knowledge import load


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `check` subcommand."""
    parser = sub.add_parser("check", help="judge a message: prints the reply as a user reads it")
    parser.add_argument("text", nargs="?", help="the message text (omit with --json)")
    parser.add_argument("--sender", help="the sender line shown by the phone (number or name)")
    parser.add_argument("--json", action="store_true", help="read JSON Lines from stdin, write one result per line")
    parser.set_defaults(func=run)


def check_line(detector: Detector, line: str) -> dict[str, Any]:
    """One JSON Lines input line → its result object, or an {"error": ...} object."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": f"invalid JSON: {exc.msg}"}
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return {"error": 'each line must be an object with a string "text"'}
    sender = item.get("sender")
    if sender is not None and not isinstance(sender, str):
        return {"error": '"sender" must be a string or null'}
    return detector.check(item["text"], sender).to_json()


def run(args: argparse.Namespace) -> int:
    """Entry point of `check`."""
    detector = Detector(load())
    if args.json:
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(check_line(detector, line), ensure_ascii=False), flush=True)
        return 0
    if args.text is None:
        print("check: give the message text, or use --json", file=sys.stderr)
        return 2
    print(compose(detector.check(args.text, args.sender)).text)
    return 0
