"""Try the LINE channel locally without LINE: a fake API that prints what the bot sends, and a signed sender.

    python -m tests.line.local fake --port 8090            # terminal 1
    LINE_CHANNEL_SECRET=local LINE_CHANNEL_ACCESS_TOKEN=local \\
      LINE_API_BASE_URL=http://127.0.0.1:8090 LINE_DATA_API_BASE_URL=http://127.0.0.1:8090 make run   # terminal 2
    python -m tests.line.local send "有料動画の未納料金があります…"   # terminal 3 (also --group G1, --mention)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request

from tests.line.conftest import group, sign, text, user
from tests.line.fake_line import FakeLine


def _fake(port: int) -> int:
    fake = FakeLine()
    fake.start(port=port)
    print(f"fake LINE API on {fake.url} (Ctrl-C to stop)")
    seen = 0
    try:
        while True:
            time.sleep(0.2)
            calls = list(fake.calls)
            for call in calls[seen:]:
                target = call.body.get("to") or call.body.get("replyToken") if isinstance(call.body, dict) else ""
                print(f"\n── {call.kind} {call.path} → {target or ''} ({call.status})")
                for message in call.messages:  # what the chat shows: the text, or a card's plain altText
                    print(message.get("text") or message.get("altText") or message.get("type"))
            seen = len(calls)
    except KeyboardInterrupt:
        fake.stop()
    return 0


def _send(args: argparse.Namespace) -> int:
    source = group(args.group, args.user) if args.group else user(args.user)
    event = text(args.text, source, mention_self=args.mention)
    body = json.dumps({"destination": "Ulocal", "events": [event]}, ensure_ascii=False).encode("utf-8")
    secret = os.environ.get("LINE_CHANNEL_SECRET", "local")
    request = urllib.request.Request(args.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "X-Line-Signature": sign(body, secret)})
    with urllib.request.urlopen(request, timeout=5) as response:
        print(response.status, response.read().decode())
    return 0


def main(argv: list[str] | None = None) -> int:
    """`fake` or `send`."""
    parser = argparse.ArgumentParser(prog="python -m tests.line.local")
    sub = parser.add_subparsers(dest="command", required=True)
    fake = sub.add_parser("fake", help="serve a fake LINE API that prints what the bot sends")
    fake.add_argument("--port", type=int, default=8090)
    send = sub.add_parser("send", help="post a signed text webhook to the local app")
    send.add_argument("text")
    send.add_argument("--user", default="Ulocaluser")
    send.add_argument("--group", default=None)
    send.add_argument("--mention", action="store_true")
    send.add_argument("--url", default="http://127.0.0.1:8000/line/webhook")
    args = parser.parse_args(argv)
    return _fake(args.port) if args.command == "fake" else _send(args)


if __name__ == "__main__":
    sys.exit(main())
