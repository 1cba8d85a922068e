"""`python -m bot retention run`: delete what is past its retention period (run it daily, e.g. from cron)."""

from __future__ import annotations

import argparse

from bot.commands._store import store_or_none
from bot.storage.privacy import RETENTION


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `retention` subcommand group."""
    parser = sub.add_parser("retention", help="enforce the retention period of every table (docs/storage.md)")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("run", help="delete expired rows now and print how many per table")
    actions.add_parser("show", help="print the retention period of each kind of record")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Entry point of `retention`."""
    if args.action == "show":
        for name, period in RETENTION.items():
            print(f"{name:15s} {period.days} days" if period.days else f"{name:15s} {period.seconds // 60} minutes")
        return 0
    store = store_or_none()
    if store is None:
        return 2
    try:
        purged = store.purge_expired()
    finally:
        store.close()
    for name, count in purged.items():
        print(f"{name:15s} {count}")
    print(f"total           {sum(purged.values())}")
    return 0
