"""Dependencies point one way: handlers → core ← knowledge. The core never imports a platform SDK."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "bot"
PLATFORM = ("flask", "linebot", "slack_bolt", "slack_sdk", "handlers", "werkzeug")
COMPOSITION_ROOTS = {"app.py", "wsgi.py", "commands/worker.py"}  # the web app's, and the answering process's


def test_core_modules_do_not_import_platform_sdks_or_handlers() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        if path.relative_to(CORE).as_posix() in COMPOSITION_ROOTS or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.relative_to(CORE)}: {n}" for n in names if n.split(".")[0] in PLATFORM]
    assert offenders == []
