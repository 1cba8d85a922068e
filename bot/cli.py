"""`python -m bot …`: the command line (check, eval, bench, knowledge, and the storage commands)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot.config import ConfigError
from bot.knowledge import KnowledgeError

# Each module registers one subcommand; adding a command means adding a module here.
COMMANDS = (
    "bot.commands.check",
    "bot.commands.evaluation",
    "bot.commands.bench",
    "bot.commands.knowledge",
    "bot.commands.serve",
    "bot.commands.worker",
    "bot.commands.config",
    "bot.commands.db",
    "bot.commands.reports",
    "bot.commands.retention",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="詐欺SMSチェッカー")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; knowledge errors end with their message, not a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KnowledgeError as exc:
        print(f"knowledge error:\n{exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
