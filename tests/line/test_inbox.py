"""EVENT_QUEUE=database: the webhook only queues, a worker (its own runtime, as in its own process) answers."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from multiprocessing import Pipe
from pathlib import Path

import pytest

from bot import texts
from bot.detect import Detector
from bot.knowledge import Knowledge
from bot.storage.inbox import LEASE
from handlers.line import build_runtime
from handlers.line.answering import Answerer, Dispatcher, Worker, answer_lane
from handlers.line.conversation import REPLY_WINDOW
from handlers.line.inbox import Inbox
from tests.conftest import reset_postgres, sqlite_log
from tests.line.conftest import SECRET, TOKEN, CurrentStore, Line, line_app, sign, text, user
from tests.line.fake_line import FakeLine

ROOT = Path(__file__).resolve().parents[2]
SCAM = texts.SAMPLE_SCAM


class Queued(Line):
    """The web side of the app, with a worker that answers what it queued when asked to."""

    def __init__(self, tester: Line) -> None:
        super().__init__(tester.app, tester.fake, tester.clock)
        self.inbox: Inbox = tester.app.extensions["line_inbox"]
        self.worker = self.new_worker()

    def new_worker(self) -> Worker:
        """A worker with its own runtime, as `python -m bot worker` builds it."""
        runtime = build_runtime(self.app.extensions["sagi"], workers=4)
        runtime.client.timeout = (1.0, 0.5)
        runtime.client.backoff = 0.01
        return Worker(runtime)

    def answer(self, worker: Worker | None = None) -> int:
        """One worker round, its answers, and the round that finishes them; returns deliveries taken."""
        worker = worker or self.worker
        taken = worker.step()
        assert worker.runtime.drain(15), "worker threads did not finish"
        worker.step(take=False)
        return taken

    @property
    def waiting(self) -> int:
        """Deliveries in the inbox."""
        return self.inbox._store.queued_deliveries("line")


@pytest.fixture
def queued(fake: FakeLine, tmp_path: Path, core: tuple[Knowledge, Detector, CurrentStore, Path]) -> Iterator[Queued]:
    """The app with EVENT_QUEUE=database and one worker, on SQLite."""
    with line_app(fake, tmp_path, core, event_queue="database") as tester:
        app = Queued(tester)
        yield app
        app.worker.runtime.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def queued_on(request: pytest.FixtureRequest, fake: FakeLine, tmp_path: Path,
              core: tuple[Knowledge, Detector, CurrentStore, Path]) -> Iterator[Queued]:
    """The same on each database: on PostgreSQL the inbox is a table of the store's database."""
    database: dict[str, str] = {}
    if request.param == "postgres":
        engine = request.getfixturevalue("postgres_engine")
        reset_postgres(engine)
        database["database_url"] = request.getfixturevalue("postgres_url")
    with line_app(fake, tmp_path, core, event_queue="database", **database) as tester:
        app = Queued(tester)
        yield app
        app.worker.runtime.close()


def test_the_webhook_only_queues_and_the_worker_answers(queued_on: Queued) -> None:
    response = queued_on.post(text(SCAM, user("U1")))
    assert response.status_code == 200 and queued_on.fake.sent() == [] and queued_on.waiting == 1
    assert queued_on.answer() == 1
    (reply,) = queued_on.fake.of("reply")
    assert reply.messages[0]["contents"]["header"]["contents"][0]["text"] == "危険"
    assert queued_on.waiting == 0  # the body, which holds the text, is gone once answered


def test_a_duplicate_delivery_is_answered_once(queued_on: Queued) -> None:
    event = text(SCAM, user("U1"))
    queued_on.post(event)
    queued_on.post(event)
    assert queued_on.answer() == 2
    assert len(queued_on.fake.sent()) == 1 and queued_on.waiting == 0


def test_a_delivery_whose_worker_died_is_taken_again_and_not_answered_twice(queued_on: Queued) -> None:
    queued_on.post(text(SCAM, user("U1")), text("こんにちは", user("U2")))
    dying = queued_on.new_worker()
    assert dying.step() == 1 and dying.runtime.drain(15)  # answered, but gone before its finishing round
    assert len(queued_on.fake.sent()) == 2 and queued_on.waiting == 1
    assert queued_on.answer() == 0  # still leased to the dead worker
    queued_on.clock.advance(seconds=LEASE.total_seconds() + 1)
    assert queued_on.answer() == 1
    assert len(queued_on.fake.sent()) == 2 and queued_on.waiting == 0
    dying.runtime.close()


def test_a_round_copies_the_sqlite_log_into_the_file(queued: Queued, tmp_path: Path) -> None:
    queued.post(text(SCAM, user("U1")), text("こんにちは", user("U2")))
    side = tmp_path / "line.sqlite3-inbox"
    assert sqlite_log(side)[1] == 0  # the webhook's INSERTs leave it to the rounds
    assert queued.worker.step() == 1 and queued.worker.runtime.drain(15)
    pages, copied = sqlite_log(side)
    assert pages > 0 and copied == pages


def test_an_event_that_waited_past_the_reply_window_is_pushed(queued: Queued) -> None:
    queued.clock.advance(seconds=-(REPLY_WINDOW + 5))  # queued "a minute ago" by the clock the inbox keeps
    queued.post(text(SCAM, user("U1")))
    queued.answer()
    assert queued.fake.of("reply") == [] and [c.body["to"] for c in queued.fake.of("push")] == ["U1"]


def test_a_full_inbox_refuses_with_503_and_queues_nothing(queued: Queued) -> None:
    queued.inbox.limit = 1
    assert queued.post(text(SCAM, user("U1"))).status_code == 200
    queued.clock.advance(seconds=1)
    time.sleep(1.01)  # the backlog count is trusted for a second
    refused = queued.post(text(SCAM, user("U2")))
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "1" and queued.waiting == 1
    assert 'sagi_inbox_waiting{platform="line"} 1.0' in queued.http.get("/metrics").get_data(as_text=True)


def test_forged_and_empty_deliveries_queue_nothing(queued: Queued) -> None:
    assert queued.post(text(SCAM, user("U1")), signature=sign(b"other body")).status_code == 400
    assert queued.post().status_code == 200  # the console's "Verify": no events
    assert queued.waiting == 0


def test_the_worker_command_refuses_without_the_database_queue(tmp_path: Path) -> None:
    env = {**os.environ, "EVENT_QUEUE": "memory", "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
           "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    done = subprocess.run([sys.executable, "-m", "bot", "worker"], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "EVENT_QUEUE" in done.stderr


def test_the_worker_command_answers_queued_events_and_stops_on_sigterm(queued_on: Queued, tmp_path: Path) -> None:
    queued_on.clock.now = dt.datetime.now(dt.UTC)
    event = text(SCAM, user("U1"))
    queued_on.post(event)
    body = json.dumps({"destination": "Ubot", "events": [event]}).encode()
    assert queued_on.waiting == 1 and body
    env = {**os.environ, "EVENT_QUEUE": "database", "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
           "LINE_API_BASE_URL": queued_on.fake.url, "LINE_DATA_API_BASE_URL": queued_on.fake.url,
           "INSTANCE_PATH": str(tmp_path), "HASH_KEY": "line-test-key",
           "DATABASE_URL": queued_on.store._engine.url.render_as_string(hide_password=False)}
    worker = subprocess.Popen([sys.executable, "-m", "bot", "worker", "--processes", "2"], env=env, cwd=ROOT,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while (queued_on.waiting or not queued_on.fake.sent()) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=60)
    assert worker.returncode == 0, errors
    assert [c.body.get("replyToken") for c in queued_on.fake.sent()] == [event["replyToken"]] and queued_on.waiting == 0
    assert SCAM not in errors  # the log never carries the text


def test_the_dispatcher_shares_deliveries_and_what_a_dead_lane_held_is_answered_by_the_other(queued: Queued) -> None:
    """Answering processes as threads on real pipes: what one lane held when it died is answered after the lease."""
    for n in range(6):
        queued.post(text(SCAM, user(f"U{n}")))
    answerers = [Answerer(queued.new_worker().runtime) for _ in range(2)]
    pipes = [Pipe() for _ in answerers]
    dead_end, _ = pipes[1]
    stops = [threading.Event() for _ in answerers]
    lanes = [threading.Thread(target=answer_lane, args=(theirs, answerer, stop))
             for (_, theirs), answerer, stop in zip(pipes, answerers, stops, strict=True)]
    lanes[0].start()  # the second lane never answers: as if its process died with what it was sent
    dispatcher = Dispatcher(queued.inbox._store, [ours for ours, _ in pipes], capacity=3)
    stop = threading.Event()
    running = threading.Thread(target=dispatcher.run, args=(stop, lambda: [s.set() for s in stops]),
                               kwargs={"grace": 5.0})
    running.start()
    try:
        deadline = time.monotonic() + 20
        while len(queued.fake.sent()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(queued.fake.sent()) == 3  # three each: the live lane answered its own
        pipes[1][1].close()  # the dead process's end closes with it
        queued.clock.advance(seconds=LEASE.total_seconds() + 1)
        while (len(queued.fake.sent()) < 6 or queued.waiting) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        running.join(30)
        lanes[0].join(30)
        for answerer in answerers:
            answerer.runtime.close()
    assert sorted(c.body["replyToken"] for c in queued.fake.sent()) == sorted(
        {c.body["replyToken"] for c in queued.fake.sent()})  # nobody answered twice
    assert len(queued.fake.sent()) == 6 and queued.waiting == 0 and dead_end.closed
