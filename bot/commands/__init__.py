"""Subcommands of `python -m bot`; each module exposes register(subparsers)."""
