"""`python -m bot knowledge check|add-number|add-domain`: validate and extend the knowledge base."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from bot.knowledge import DEFAULT_DIR, Knowledge, KnowledgeError, load
from bot.normalize import clean, compact
from bot.phones import national_digits


def rule_example_failures(knowledge: Knowledge) -> list[str]:
    """Every rule example that does not behave as its rule says (hit must match, miss must not)."""
    failures = []
    for rule in knowledge.rules:
        for text in rule.hit:
            if not rule.regex.search(compact(clean(text))):
                failures.append(f"rules.yaml: {rule.id}: should hit but does not: {text}")
        for text in rule.miss:
            if rule.regex.search(compact(clean(text))):
                failures.append(f"rules.yaml: {rule.id}: should miss but hits: {text}")
    return failures


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `knowledge` subcommand group."""
    parser = sub.add_parser("knowledge", help="validate or extend knowledge/")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="knowledge directory")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("check", help="validate every file and run every rule's examples")
    number = actions.add_parser("add-number", help="add a phone number reported as used by scams")
    number.add_argument("number")
    number.add_argument("--source", required=True, help="URL or document where it was reported")
    number.add_argument("--note", required=True, help="what the message said, in Japanese")
    number.add_argument("--brand", help="id of the brand it impersonated (see brands.yaml)")
    number.add_argument("--first-reported", default=str(dt.date.today().year))
    domain = actions.add_parser("add-domain", help="add a link host reported as used by scams")
    domain.add_argument("host")
    domain.add_argument("--source", required=True)
    domain.add_argument("--note", required=True)
    domain.add_argument("--first-reported", default=str(dt.date.today().year))
    parser.set_defaults(func=run)


def _append(path: Path, block: str, directory: Path) -> None:
    """Append an entry, then reload everything; on any error put the file back as it was."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + "\n" + block, encoding="utf-8")
    try:
        load(directory)
    except KnowledgeError:
        path.write_text(before, encoding="utf-8")
        raise


def run(args: argparse.Namespace) -> int:
    """Entry point of `knowledge`."""
    directory: Path = args.dir
    if args.action == "check":
        knowledge = load(directory)
        failures = rule_example_failures(knowledge)
        for failure in failures:
            print(failure)
        print(f"knowledge {knowledge.version}: {len(knowledge.rules)} rules, {len(knowledge.signals)} signals, "
              f"{len(knowledge.combos)} combos, {len(knowledge.brands)} brands, {len(knowledge.numbers)} numbers, "
              f"{len(knowledge.templates)} templates — {'FAILED' if failures else 'ok'}")
        return 1 if failures else 0
    if args.action == "add-number":
        key = national_digits(args.number)
        if key is None:
            print(f"add-number: not a phone number: {args.number}")
            return 2
        if any(n.number == key for n in load(directory).numbers):
            print(f"add-number: {key} is already listed")
            return 0
        block = (f"  - number: \"{key}\"\n    note: {json.dumps(args.note, ensure_ascii=False)}\n"
                 f"    brand: {args.brand or 'null'}\n    first_reported: \"{args.first_reported}\"\n"
                 f"    source: {json.dumps(args.source, ensure_ascii=False)}\n")
        _append(directory / "numbers.yaml", block, directory)
        print(f"added {key}")
        return 0
    host = args.host.lower().strip(".")
    block = (f"  - host: {host}\n    note: {json.dumps(args.note, ensure_ascii=False)}\n"
             f"    first_reported: \"{args.first_reported}\"\n    source: {json.dumps(args.source, ensure_ascii=False)}\n")
    _append(directory / "domains.yaml", block, directory)
    print(f"added {host}")
    return 0
