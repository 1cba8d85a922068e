"""A local stand-in for the Slack Web API (and response_url / file hosts) that records every call."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"
TOKEN = "xoxb-test-token"


@dataclass
class Call:
    """One recorded request: the API method (or path) and its parameters, merged from query, form and JSON."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]


@dataclass
class FakeSlack:
    """Records calls; answers like Slack; can answer 429 with Retry-After for a method a number of times."""

    calls: list[Call] = field(default_factory=list)
    replies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # thread ts -> messages
    files: dict[str, bytes] = field(default_factory=dict)
    failing: dict[str, str] = field(default_factory=dict)  # method -> Slack error code
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel (D… for a DM) -> posted messages
    troubled: dict[str, str] = field(default_factory=dict)  # channel -> "fail" (not posted) or "lose" (posted, 500)
    _rate_limits: dict[str, tuple[int, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: int = 0
    url: str = ""

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 and Retry-After."""
        self._rate_limits[method] = (times, retry_after)

    def record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def of(self, method: str) -> list[Call]:
        """Recorded calls of one method."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Poll (bounded) until `count` calls of `method` were recorded; listeners run on bolt's thread pool."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(method)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"expected {count} {method} call(s), got {len(self.of(method))}: "
                             f"{[c.method for c in self.calls]}")

    def settle(self, quiet: float = 0.15) -> None:
        """Wait until no call arrived for `quiet` seconds, to check that something did NOT happen."""
        last = -1
        while True:
            time.sleep(quiet)
            with self._lock:
                now = len(self.calls)
            if now == last:
                return
            last = now

    def next_ts(self) -> str:
        with self._lock:
            self._ts += 1
            return f"1800000000.{self._ts:06d}"

    def trouble(self, channel: str, kind: str = "fail") -> None:
        """Posts to this channel (or user's DM) fail: "fail" answers an error and posts nothing; "lose" posts
        the message but answers 500, so the caller cannot tell it arrived. `heal` ends it."""
        self.troubled[dm_channel(channel)] = kind

    def heal(self) -> None:
        self.troubled.clear()

    def trouble_for(self, method: str, params: dict[str, Any]) -> str | None:
        if method != "chat.postMessage":
            return None
        return self.troubled.get(dm_channel(str(params.get("channel"))))

    def posted_to(self, channel: str) -> list[dict[str, Any]]:
        """Messages in a conversation, oldest first (a user id means the bot's DM with that user)."""
        with self._lock:
            return list(reversed(self.history.get(dm_channel(channel), [])))

    def take_rate_limit(self, method: str) -> int | None:
        with self._lock:
            times, retry_after = self._rate_limits.get(method, (0, 0))
            if times <= 0:
                return None
            self._rate_limits[method] = (times - 1, retry_after)
            return retry_after

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Slack-shaped JSON for each API method the bot uses."""
        if method in self.failing:
            return {"ok": False, "error": self.failing[method]}
        if method == "auth.test":
            return {"ok": True, "url": "https://example.slack.com/", "team": "Test", "user": "sagi", "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID, "bot_id": BOT_ID}
        if self.trouble_for(method, params) == "fail":
            return {"ok": False, "error": "internal_error"}
        if method == "chat.postMessage":
            channel, ts = dm_channel(str(params.get("channel"))), self.next_ts()
            with self._lock:
                self.history.setdefault(channel, []).insert(0, {"ts": ts, "text": params.get("text"),
                                                                "metadata": params.get("metadata")})
            return {"ok": True, "channel": channel, "ts": ts, "message": {"text": ""}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": dm_channel(str(params.get("users")))}}
        if method == "conversations.history":
            with self._lock:
                messages = list(self.history.get(str(params.get("channel")), []))[: int(params.get("limit") or 100)]
            with_metadata = str(params.get("include_all_metadata")).lower() in ("1", "true")
            return {"ok": True, "has_more": False, "messages": [
                {k: v for k, v in m.items() if v is not None and (with_metadata or k != "metadata")} for m in messages]}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self.next_ts()}
        if method == "conversations.replies":
            return {"ok": True, "messages": self.replies.get(str(params.get("ts")), []), "has_more": False}
        if method == "users.info":
            user = self.users.get(str(params.get("user")), {"id": params.get("user"), "is_bot": False})
            return {"ok": True, "user": user}
        return {"ok": True}


def dm_channel(channel: str) -> str:
    """Posting to a user id posts to the bot's DM with them, a D… conversation."""
    return "D" + channel[1:] if channel[:1] in ("U", "W") else channel


def _params(handler: BaseHTTPRequestHandler, body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(urlsplit(handler.path).query))
    content_type = handler.headers.get("Content-Type", "")
    if body and "json" in content_type:
        params.update(json.loads(body))
    elif body:
        params.update(parse_qsl(body.decode("utf-8")))
    for key in ("blocks", "view", "metadata"):
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:  # keep test output clean
            return

        def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None,
                  content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlsplit(self.path).path
            params = _params(self, body)
            headers = {k.lower(): v for k, v in self.headers.items()}
            if path.startswith("/files/"):
                fake.record(Call("files.download", {"path": path}, headers))
                data = fake.files.get(path)
                if data is None or headers.get("authorization") != f"Bearer {TOKEN}":
                    self._send(404, b"not found", content_type="text/plain")
                else:
                    self._send(200, data, content_type="image/png")
                return
            if path.startswith("/response/"):
                fake.record(Call("response_url", params, headers))
                self._send(200, b"ok", content_type="text/plain")
                return
            method = path.removeprefix("/api/").strip("/")
            fake.record(Call(method, params, headers))
            retry_after = fake.take_rate_limit(method)
            if retry_after is not None:
                self._send(429, b'{"ok":false,"error":"ratelimited"}', {"Retry-After": str(retry_after)})
                return
            answer = json.dumps(fake.answer(method, params)).encode("utf-8")
            if fake.trouble_for(method, params) == "lose":
                self._send(500, b"upstream error", content_type="text/plain")
                return
            self._send(200, answer)

        do_GET = _handle  # http.server calls do_<VERB>
        do_POST = _handle

    return Handler


def start(fake: FakeSlack) -> Callable[[], None]:
    """Serve the fake on a free loopback port; returns the stop function."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return stop
