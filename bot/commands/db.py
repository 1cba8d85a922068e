"""`python -m bot db upgrade|current|revision`: apply migrations, show where the database is, or write a new one."""

from __future__ import annotations

import argparse

from sqlalchemy.engine import make_url

from bot.commands._store import settings_or_none
from bot.storage.engine import build_engine
from bot.storage.migrate import current_revision, head_revision, new_revision, upgrade


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `db` subcommand group."""
    parser = sub.add_parser("db", help="database schema: upgrade to the newest migration, or show the current one")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("upgrade", help="apply every pending migration (the app also does this on start)")
    actions.add_parser("current", help="print the database's migration and the newest one in the code")
    revision = actions.add_parser("revision", help="write the next migration from schema.py changes (database at head)")
    revision.add_argument("-m", "--message", required=True, help="what the migration changes")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Entry point of `db`."""
    settings = settings_or_none()
    if settings is None:
        return 2
    url = settings.effective_database_url
    if make_url(url).get_backend_name() == "sqlite":
        settings.instance_path.mkdir(parents=True, exist_ok=True)
    engine = build_engine(url)
    try:
        if args.action == "upgrade":
            before = current_revision(engine)
            upgrade(engine)
            shown = make_url(url).render_as_string(hide_password=True)
            print(f"database {shown}: {before or 'empty'} → {current_revision(engine)}")
            return 0
        if args.action == "revision":
            upgrade(engine)  # compare against the newest schema, not an old one
            print(f"wrote {new_revision(engine, args.message)}: review it, then run `python -m bot db upgrade`")
            return 0
        current, head = current_revision(engine), head_revision()
        print(f"current: {current or 'empty'}\nhead:    {head}")
        return 0 if current == head else 1
    finally:
        engine.dispose()
