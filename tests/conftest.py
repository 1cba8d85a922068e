"""What every test folder shares: the shipped knowledge, a detector over it, the CI PostgreSQL server, SQLite's log."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from bot.detect import Detector
from bot.knowledge import Knowledge, load
from bot.storage.migrate import upgrade
from bot.storage.schema import metadata


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The real knowledge base (loading it takes a noticeable fraction of a second)."""
    return load()


@pytest.fixture(scope="session")
def detector(knowledge: Knowledge) -> Detector:
    """The real detector, without community reports (tests that need them build their own)."""
    return Detector(knowledge)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The CI PostgreSQL server; skipped locally without one, but never silently skipped in CI."""
    url = os.environ.get("TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI is true but TEST_POSTGRES_URL is unset: .ci/postgres.sh must start PostgreSQL")
        pytest.skip("TEST_POSTGRES_URL is unset: PostgreSQL runs only where a server is available (CI)")
    return url


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """One engine for resetting the PostgreSQL test database between tests."""
    engine = create_engine(postgres_url)
    yield engine
    engine.dispose()


def reset_postgres(engine: Engine) -> None:
    """Schema at head and every table empty, so each test starts from a fresh database."""
    upgrade(engine)  # a test may have taken the schema down
    with engine.begin() as conn:  # DELETE beats TRUNCATE on a dozen tiny tables (no new files per table)
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())


def sqlite_log(database: Path) -> tuple[int, int]:
    """A SQLite file's pages of log (-wal), and how many of them are copied into the file, from its -shm index.

    The index starts with two copies of a 48-byte header (pages of log at byte 16), then the checkpoint's
    progress (byte 96), in the machine's byte order (https://sqlite.org/walformat.html).
    """
    index = database.with_name(database.name + "-shm").read_bytes()
    return int.from_bytes(index[16:20], sys.byteorder), int.from_bytes(index[96:100], sys.byteorder)
