"""`python -m bot reports list|export`: community reports for maintainers to review (no reporter ids kept)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import TextIO

from bot.commands._store import store_or_none
from bot.storage import ReportRow

FIELDS = ("key", "reporters", "first_reported", "last_reported")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `reports` subcommand group."""
    parser = sub.add_parser("reports", help="numbers and hosts users reported as scams")
    actions = parser.add_subparsers(dest="action", required=True)
    for name, text in (("list", "print a table, most reported first"), ("export", "write CSV or JSON for review")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--min", type=int, default=1, metavar="N", help="only keys with at least N distinct reporters")
        if name == "export":
            action.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.set_defaults(func=run)


def _as_dict(row: ReportRow) -> dict[str, object]:
    """A row with ISO timestamps (seconds)."""
    return {"key": row.key, "reporters": row.reporters,
            "first_reported": row.first_reported.isoformat(timespec="seconds"),
            "last_reported": row.last_reported.isoformat(timespec="seconds")}


def write_export(rows: list[ReportRow], fmt: str, out: TextIO) -> None:
    """CSV with a header row, or a JSON array."""
    if fmt == "json":
        json.dump([_as_dict(row) for row in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_as_dict(row) for row in rows)


def run(args: argparse.Namespace) -> int:
    """Entry point of `reports`."""
    if args.min < 1:
        print("reports: --min must be at least 1", file=sys.stderr)
        return 2
    store = store_or_none()
    if store is None:
        return 2
    try:
        rows = store.list_reports(min_reporters=args.min)
    finally:
        store.close()
    if args.action == "export":
        write_export(rows, args.format, sys.stdout)
        return 0
    if not rows:
        print(f"no keys with at least {args.min} reporter(s)")
        return 0
    width = max(len(row.key) for row in rows)
    print(f"{'key'.ljust(width)}  reporters  last reported")
    for row in rows:
        print(f"{row.key.ljust(width)}  {row.reporters:9d}  {row.last_reported:%Y-%m-%d %H:%M}")
    return 0
