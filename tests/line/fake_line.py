"""A local stand-in for api.line.me and api-data.line.me: records every call, misbehaves on demand."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from linebot.v3.messaging import PushMessageRequest, ReplyMessageRequest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

ROUTES = (
    ("reply", re.compile(r"^/v2/bot/message/reply$")),
    ("push", re.compile(r"^/v2/bot/message/push$")),
    ("loading", re.compile(r"^/v2/bot/chat/loading/start$")),
    ("content", re.compile(r"^/v2/bot/message/(?P<id>[^/]+)/content$")),
    ("profile", re.compile(r"^/v2/bot/profile/(?P<id>[^/]+)$")),
    ("leave", re.compile(r"^/v2/bot/(?:group|room)/(?P<id>[^/]+)/leave$")),
)
QUOTA = {"message": "You have reached your monthly limit."}
# The bot posts plain JSON; like LINE, the fake refuses a body the SDK's own models do not accept.
SCHEMAS: dict[str, Any] = {"reply": ReplyMessageRequest, "push": PushMessageRequest}


@dataclass(frozen=True)
class Call:
    """One request the bot made."""

    kind: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The messages of a reply or push."""
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def texts(self) -> list[str]:
        """Every text a user would read: text messages, Flex alt texts and Flex/template texts."""
        out: list[str] = []
        for message in self.messages:
            out.append(message.get("text") or message.get("altText") or "")
            out.extend(_strings(message.get("contents") or message.get("template") or {}))
        return out

    @property
    def all_text(self) -> str:
        """All the texts joined, for `in` checks."""
        return "\n".join(self.texts)


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [str(node["text"])] if isinstance(node.get("text"), str) else []
        for key in ("label", "uri", "data"):
            if isinstance(node.get(key), str):
                found.append(str(node[key]))
        for value in node.values():
            if isinstance(value, (dict, list)):
                found += _strings(value)
        return found
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


@dataclass
class Behaviour:
    """How the fake answers the next call of a kind: status, body, and a delay before answering."""

    status: int = 200
    body: Any = None
    delay: float = 0.0
    accept: bool = False  # push: accept the retry key even though the answer is an error (lost response)


@dataclass
class FakeLine:
    """Start with `start()`; `url` is what LINE_API_BASE_URL and LINE_DATA_API_BASE_URL point at."""

    calls: list[Call] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    content: dict[str, bytes] = field(default_factory=dict)
    accepted_keys: set[str] = field(default_factory=set)
    _scripts: dict[str, deque[Behaviour]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, port: int = 0) -> FakeLine:
        """Serve on loopback (a free port by default) in a background thread."""
        self._server = make_server("127.0.0.1", port, self._app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        self._server.shutdown()

    @property
    def url(self) -> str:
        """Base URL of the fake."""
        return f"http://127.0.0.1:{self._server.server_port}"

    def then(self, kind: str, status: int = 200, body: Any = None, delay: float = 0.0, accept: bool = False) -> None:
        """Queue how the next call of this kind is answered (later calls answer normally)."""
        with self._lock:
            self._scripts.setdefault(kind, deque()).append(Behaviour(status, body, delay, accept))

    def of(self, kind: str) -> list[Call]:
        """Recorded calls of one kind, in order."""
        with self._lock:
            return [c for c in self.calls if c.kind == kind]

    def sent(self) -> list[Call]:
        """Replies and pushes that LINE accepted (what users actually received)."""
        with self._lock:
            return [c for c in self.calls if c.kind in ("reply", "push") and c.status == 200]

    def sent_to(self, to: str) -> list[Call]:
        """Accepted pushes to one chat."""
        return [c for c in self.sent() if c.kind == "push" and c.body.get("to") == to]

    def clear(self) -> None:
        """Forget recorded calls."""
        with self._lock:
            self.calls.clear()

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        kind, found = next(((k, m) for k, p in ROUTES if (m := p.match(request.path))), ("unknown", None))
        raw = request.get_data()
        body = json.loads(raw) if raw and request.mimetype == "application/json" else None
        headers = {k: v for k, v in request.headers.items()}
        with self._lock:
            script = self._scripts.get(kind)
            behaviour = script.popleft() if script else Behaviour()
        status, payload = self._answer(kind, found, headers, body, behaviour)
        with self._lock:
            self.calls.append(Call(kind, request.path, headers, body, status))
        if behaviour.delay:
            time.sleep(behaviour.delay)
        response_headers = {"X-Line-Request-Id": str(uuid.uuid4())}
        if isinstance(payload, bytes):
            response = Response(payload, status=status, headers=response_headers, content_type="image/png")
        else:
            response = Response(json.dumps(payload), status=status, headers=response_headers,
                                content_type="application/json")
        return response(environ, start_response)

    def _answer(self, kind: str, found: re.Match[str] | None, headers: dict[str, str], body: Any,
                behaviour: Behaviour) -> tuple[int, Any]:
        key = headers.get("X-Line-Retry-Key")
        if kind == "push" and key:
            with self._lock:
                if key in self.accepted_keys:
                    return 409, {"message": "The retry key is already accepted", "sentMessages": []}
                if behaviour.status == 200 or behaviour.accept:
                    self.accepted_keys.add(key)
        if behaviour.status != 200:
            return behaviour.status, behaviour.body or {"message": "fake failure"}
        if kind in SCHEMAS:
            problem = _invalid(SCHEMAS[kind], body)
            if problem:
                return 400, {"message": "The request body has 1 error(s)", "details": [{"message": problem}]}
        if behaviour.body is not None:
            return 200, behaviour.body
        if kind in ("reply", "push"):
            return 200, {"sentMessages": [{"id": str(uuid.uuid4().int)[:18], "quoteToken": "qt"}]}
        if kind == "content" and found:
            return 200, self.content.get(found.group("id"), b"\x89PNG\r\n\x1a\nnot really")
        if kind == "profile" and found:
            user = found.group("id")
            return 200, {"userId": user, "displayName": self.names.get(user, "利用者")}
        return 200, {}


def _invalid(schema: Any, body: Any) -> str | None:
    """Why the SDK's model refuses this request body, or None when it is valid."""
    try:
        schema.from_dict(body)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        return f"{type(exc).__name__}: {str(exc)[:300]}"
    return None
