"""The dependency audit (.ci/audit.py) against a local stand-in for PyPI's JSON API: it must catch what it claims to."""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADVISORY = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-1"], "fixed_in": ["2.0.1"], "withdrawn": None}
PAGES: dict[str, Any] = {
    "/pypi/oldlib/1.0/json": {"info": {"version": "1.0"}, "vulnerabilities": [ADVISORY]},  # per-release data
    "/pypi/newest/json": {"info": {"version": "2.0.1"}, "vulnerabilities": []},  # project page only, pin is newest
    "/pypi/stale/json": {"info": {"version": "9.0"}, "vulnerabilities": []},  # project page only, pin is older
    "/pypi/badnewest/json": {"info": {"version": "3.0"}, "vulnerabilities": [
        ADVISORY, {**ADVISORY, "id": "GHSA-gone", "withdrawn": "2099-02-01T00:00:00Z"}]},
}


class _PyPI(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        page = PAGES.get(self.path)
        body = json.dumps(page).encode() if page is not None else b""
        self.send_response(200 if page is not None else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def audit() -> Iterator[ModuleType]:
    """.ci/audit.py, pointed at a fake PyPI on loopback."""
    spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PyPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    setattr(module, "PYPI", f"http://127.0.0.1:{server.server_address[1]}/pypi")  # noqa: B010 (a module from a path)
    yield module
    server.shutdown()


def test_a_pinned_release_with_an_advisory_is_reported(audit: ModuleType) -> None:
    assert audit.audit("oldlib", "1.0") == ("audited", ["PYSEC-2099-1 (fixed in 2.0.1)"])


def test_the_project_page_counts_only_when_the_pin_is_the_newest_release(audit: ModuleType) -> None:
    assert audit.audit("newest", "2.0.1") == ("audited", [])
    status, ids = audit.audit("stale", "1.0")
    assert status.startswith("not audited") and ids == []
    assert audit.audit("nowhere", "1.0")[0] == "not audited: unknown to PyPI"


def test_withdrawn_advisories_do_not_count(audit: ModuleType) -> None:
    assert audit.audit("badnewest", "3.0") == ("audited", ["PYSEC-2099-1 (fixed in 2.0.1)"])


def test_the_command_fails_on_a_vulnerable_pin_and_lists_what_it_could_not_audit(
        audit: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("# pins\noldlib==1.0\nnewest==2.0.1\nstale==1.0  # a comment\n", encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["audit.py", str(lock)])
    assert audit.main() == 1
    out = capsys.readouterr().out
    assert "VULNERABLE oldlib==1.0" in out and "stale==1.0: not audited" in out
    assert "2 of 3 pins audited, 1 with known vulnerabilities, 1 not audited" in out
