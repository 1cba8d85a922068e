"""The storage commands: db, reports, retention — run through the real CLI entry point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import Store
from bot.storage.migrate import head_revision
from tests.storage.conftest import KEY


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    """DATABASE_URL and HASH_KEY for the commands, as a deployment would set them."""
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("HASH_KEY", KEY.decode())
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    return database_url


def reported(url: str) -> None:
    """Two distinct reporters for one number, one for a host."""
    store = Store(url, KEY)
    store.add_report("line", "U1", ["0369127894", "bad.example"])
    store.add_report("slack", "U2", ["0369127894"])
    store.close()


def test_db_upgrade_then_current_reports_head(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    assert f"current: {head_revision()}" in capsys.readouterr().out


def test_reports_list_filters_by_distinct_reporters(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    reported(env)
    assert main(["reports", "list", "--min", "2"]) == 0
    out = capsys.readouterr().out
    assert "0369127894" in out and "bad.example" not in out


def test_reports_export_csv(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    reported(env)
    assert main(["reports", "export", "--min", "1", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["key"], row["reporters"]) for row in rows] == [("0369127894", "2"), ("bad.example", "1")]


def test_reports_export_json(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    reported(env)
    assert main(["reports", "export", "--min", "2", "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["key"], row["reporters"]) == ("0369127894", 2) and row["first_reported"].endswith("+00:00")


def test_reports_reject_a_minimum_below_one(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reports", "list", "--min", "0"]) == 2


def test_retention_run_prints_rows_deleted_per_table(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["retention", "run"]) == 0
    out = capsys.readouterr().out
    assert "deliveries" in out and "total           0" in out


def test_commands_name_a_bad_variable_instead_of_a_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMMUNITY_THRESHOLD", "zero")
    assert main(["retention", "run"]) == 2
    assert "COMMUNITY_THRESHOLD" in capsys.readouterr().err
