"""One store fixture, parametrised over SQLite (a temp file) and PostgreSQL (TEST_POSTGRES_URL, tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.storage import Store
from bot.storage.engine import build_engine
from bot.storage.migrate import upgrade
from tests.conftest import reset_postgres

KEY = b"test-hash-key-0123456789abcdef0123456789"
START = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)  # 12:00 in Japan


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "store.sqlite3"
    engine = build_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind, at the newest schema."""
    if request.param == "sqlite":
        path = tmp_path / "store.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    reset_postgres(request.getfixturevalue("postgres_engine"))
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def clock() -> FakeClock:
    """Time stands still unless the test moves it."""
    return FakeClock()


@pytest.fixture
def open_store(database_url: str, clock: FakeClock) -> Iterator[Callable[..., Store]]:
    """Open (more) stores on the test database; all are closed afterwards."""
    opened: list[Store] = []

    def _open(**options: object) -> Store:
        store = Store(database_url, KEY, **{"helper_daily_cap": 3, "clock": clock, **options})  # type: ignore[arg-type]
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[..., Store]) -> Store:
    """A store on an empty database with a hand-moved clock and a daily helper cap of 3."""
    return open_store()
