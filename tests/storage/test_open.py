"""open_store: the default SQLite file, the instance hash key, and migrations run on open."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, Table, create_engine, inspect

from bot.config import load_settings
from bot.storage import Store, hash_key_for, open_store
from bot.storage.engine import build_engine
from bot.storage.migrate import MIGRATIONS, alembic_config, current_revision, head_revision, new_revision, upgrade
from bot.storage.schema import UTCDateTime, metadata
from tests.storage.conftest import KEY


def test_without_database_url_a_sqlite_file_is_created_in_the_instance_folder(tmp_path: Path) -> None:
    settings = load_settings(instance_path=tmp_path / "instance", database_url="", hash_key="")
    store = open_store(settings)
    try:
        assert store.dialect == "sqlite" and store.claim_delivery("line", "ev-1")
    finally:
        store.close()
    assert (tmp_path / "instance" / "sagi.sqlite3").is_file()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    engine = build_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 5000
    engine.dispose()


def test_empty_hash_key_is_created_once_private_and_reused(tmp_path: Path) -> None:
    settings = load_settings(instance_path=tmp_path, hash_key="")
    first = hash_key_for(settings)
    assert len(first) >= 32 and hash_key_for(settings) == first
    assert stat.S_IMODE((tmp_path / "hash_key").stat().st_mode) == 0o600


def test_configured_hash_key_wins_and_writes_no_file(tmp_path: Path) -> None:
    settings = load_settings(instance_path=tmp_path, hash_key="a-configured-key-of-enough-length")
    assert hash_key_for(settings) == b"a-configured-key-of-enough-length"
    assert not (tmp_path / "hash_key").exists()


def test_migrations_produce_exactly_the_tables_the_code_uses(database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert differences == []


def test_opening_the_store_upgrades_an_old_database(database_url: str) -> None:
    engine = build_engine(database_url)
    upgrade(engine)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert current_revision(engine) is None and "feedback" not in inspect(engine).get_table_names()
    Store(database_url, KEY).close()
    assert current_revision(engine) == head_revision() and "feedback" in inspect(engine).get_table_names()
    engine.dispose()


def test_store_refuses_an_empty_hash_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="hash_key"):
        Store(f"sqlite:///{tmp_path / 'x.sqlite3'}", b"", migrate=False)


def test_new_revision_writes_the_next_numbered_migration_with_the_schema_changes(tmp_path: Path) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    engine = build_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    upgrade(engine)
    extra = Table("extra", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime))
    try:
        path = new_revision(engine, "add extra", scripts)
    finally:
        metadata.remove(extra)
        engine.dispose()
    source = path.read_text(encoding="utf-8")
    head = int(head_revision() or 0)
    assert path.name == f"{head + 1:04d}_add_extra.py" and f"revision = '{head + 1:04d}'" in source
    assert f"down_revision = '{head:04d}'" in source
    assert "op.create_table('extra'" in source and "sa.DateTime()" in source and "bot.storage" not in source
