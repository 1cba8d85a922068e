"""`python -m bot serve`: start the app locally under gunicorn (threaded workers) on 127.0.0.1:8000."""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `serve` subcommand."""
    parser = sub.add_parser("serve", help="run the web app locally (playground at http://127.0.0.1:8000/)")
    parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Replace this process with gunicorn serving bot.wsgi:app."""
    argv = [sys.executable, "-m", "gunicorn", "--bind", args.bind, "--worker-class", "gthread",
            "--workers", "1", "--threads", "8", "bot.wsgi:app"]
    os.execv(sys.executable, argv)
    return 0  # not reached
