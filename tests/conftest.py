"""Fixtures every test folder shares: the shipped knowledge, a detector over it, and the CI PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Iterator

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
