"""The Procfile and the start-up path work as they stand: gunicorn loads the app, bad configuration stops it."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ADMIN_TOKEN", "LOG_FORMAT")}
    env.update(INSTANCE_PATH=str(tmp_path), PORT="8000", LOG_LEVEL="WARNING", **extra)
    return env


def test_procfile_runs_threaded_gunicorn_on_port_a_worker_and_migrates_on_release() -> None:
    procfile = _procfile()
    assert set(procfile) == {"web", "worker", "release"}
    assert procfile["worker"] == "python -m bot worker"  # tests/line/test_inbox.py runs it
    web = shlex.split(procfile["web"])
    assert web[0] == "gunicorn" and web[-1] == "bot.wsgi:app"
    assert "0.0.0.0:$PORT" in web and web[web.index("--worker-class") + 1] == "gthread"
    assert procfile["release"] == "python -m bot db upgrade"


def test_gunicorn_loads_the_app_with_the_procfile_web_line(tmp_path: Path) -> None:
    web = shlex.split(_procfile()["web"].replace("$PORT", "8000").replace("${WEB_CONCURRENCY:-3}", "3"))
    argv = [sys.executable, "-m", *web[:1], "--check-config", *web[1:]]
    done = subprocess.run(argv, cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_bad_variable_stops_the_wsgi_app_with_gunicorns_boot_error_code_naming_it(tmp_path: Path) -> None:
    env = _env(tmp_path, MAX_BODY_BYTES="plenty-secret")
    done = subprocess.run([sys.executable, "-c", "import bot.wsgi"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 3  # gunicorn's "worker failed to boot": the master stops instead of looping
    assert "MAX_BODY_BYTES:" in done.stderr and "plenty-secret" not in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_refuses_to_start_with_a_bad_variable(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOG_FORMAT", "yaml")
    assert main(["serve"]) == 2
    assert "LOG_FORMAT:" in capsys.readouterr().err
