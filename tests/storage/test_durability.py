"""A writer process killed with SIGKILL mid-run loses nothing it already confirmed, and the database stays sound."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.storage import Store

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 3
ROUNDS = 1


def start_writer(url: str) -> subprocess.Popen[str]:
    """A fresh interpreter running tests/storage/writer.py against the database."""
    return subprocess.Popen([sys.executable, "-m", "tests.storage.writer", url], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def confirmed_until_killed(writer: subprocess.Popen[str], lines: int) -> list[tuple[int, str]]:
    """Read `lines` confirmations, SIGKILL the writer, and return every confirmation it printed."""
    assert writer.stdout is not None
    seen = []
    while len(seen) < lines:
        line = writer.stdout.readline()
        assert line, f"writer stopped early: {writer.stderr.read() if writer.stderr else ''}"
        seen.append(line)
    os.kill(writer.pid, signal.SIGKILL)
    rest, _ = writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    confirmations = []
    for line in seen + rest.splitlines(keepends=True):
        if line.endswith("\n"):  # a line cut off by the kill was never shown to anyone
            link_id, user = line.split()
            confirmations.append((int(link_id), user))
    return confirmations


def test_kill_9_of_writers_loses_no_confirmed_link(database_url: str, open_store: Callable[..., Store]) -> None:
    open_store().close()  # migrate first, so the writers start writing at once
    confirmed: list[tuple[int, str]] = []
    for _ in range(ROUNDS):
        writers = [start_writer(database_url) for _ in range(WRITERS)]
        for writer in writers:
            confirmed += confirmed_until_killed(writer, random.randint(5, 20))
        store = open_store()  # a new process would open it just like this after the crash
        for link_id, user in confirmed:
            link = store.link(link_id)
            assert link is not None and (link.status, link.user_id) == ("confirmed", user)
            assert [helper.id for helper in store.helpers_of("line", user)] == [link_id]
        assert store.claim_delivery("line", f"after-kill-{len(confirmed)}")  # writable, not stuck locked
    assert len(confirmed) >= ROUNDS * WRITERS * 5
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url)
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        engine.dispose()
