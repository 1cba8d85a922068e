"""`python -m bot serve`: start the app locally under gunicorn (threaded workers) on 127.0.0.1:8000."""

from __future__ import annotations

import argparse
import os
import sys

from bot.config import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `serve` subcommand."""
    parser = sub.add_parser("serve", help="run the web app locally (playground at http://127.0.0.1:8000/)")
    parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check the configuration first (a clear message instead of a worker traceback), then exec gunicorn."""
    settings = load_settings()  # a ConfigError ends in bot.cli.main with the variable's name
    host = args.bind.rsplit(":", 1)[0]
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{args.bind.rsplit(':', 1)[-1]}/"
    if settings.playground:
        print(f"playground: {url}", file=sys.stderr)
    if settings.event_queue == "database" and settings.line_enabled:
        print("EVENT_QUEUE=database: LINE events wait in the database until `python -m bot worker` answers them;"
              " run it beside this", file=sys.stderr)
    argv = [sys.executable, "-m", "gunicorn", "--bind", args.bind, "--worker-class", "gthread",
            "--workers", str(args.workers), "--threads", str(args.threads), "bot.wsgi:app"]
    os.execv(sys.executable, argv)
    return 0  # not reached
