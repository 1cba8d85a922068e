"""Alembic environment: runs on the connection the store hands over (see bot.storage.migrate)."""

from __future__ import annotations

from typing import Literal

from alembic import context
from sqlalchemy import Connection, create_engine

from bot.storage.schema import UTCDateTime, metadata

config = context.config


def run() -> None:
    """Online migrations only: there is always a database to talk to."""
    connection = config.attributes.get("connection")
    if connection is None:  # plain `alembic` CLI use: take the URL from the configuration
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _render_item(kind: str, obj: object, autogen_context: object) -> str | Literal[False]:
    """Migrations spell our UTC wrapper as the plain DateTime it stores, so they never import app code."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _migrate(connection: Connection) -> None:
    """Configure and run in one transaction; batch mode lets SQLite alter tables later."""
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True,
                      render_item=_render_item)
    with context.begin_transaction():
        context.run_migrations()


run()
