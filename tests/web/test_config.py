"""Configuration: read from the environment and .env, validated at start-up, secrets never printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_settings

# (variable, a bad value, words the error must contain about what is expected)
BAD = [
    ("DATABASE_URL", "mysql://root:hunter2secret@db/x", "postgresql://"),
    ("LINE_API_BASE_URL", "ftp://hunter2secret", "http://"),
    ("LINE_DATA_API_BASE_URL", "hunter2secret", "http://"),
    ("SLACK_API_BASE_URL", "hunter2secret", "http://"),
    ("PLAYGROUND", "hunter2secret", "1 or 0"),
    ("ADMIN_TOKEN", "hunter2secret", "at least 16"),
    ("LOG_FORMAT", "hunter2secret", "text or json"),
    ("LOG_LEVEL", "hunter2secret", "DEBUG, INFO"),
    ("MAX_BODY_BYTES", "hunter2secret", "whole number"),
    ("MAX_BODY_BYTES", "777", "1024"),
    ("COMMUNITY_THRESHOLD", "5555", "from 1 to 1000"),
    ("HELPER_DAILY_CAP", "hunter2secret", "from 1 to 100"),
]


@pytest.mark.parametrize(("name", "value", "expected"), BAD)
def test_a_bad_variable_stops_start_up_naming_it_and_what_is_expected_but_not_its_value(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str,
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert f"{name}:" in message
    assert expected in message
    assert value not in message


def test_every_error_is_reported_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_FORMAT", "xml")
    monkeypatch.setenv("MAX_BODY_BYTES", "lots")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "LOG_FORMAT:" in str(caught.value) and "MAX_BODY_BYTES:" in str(caught.value)


def test_defaults_need_no_variables_and_disable_the_platforms() -> None:
    settings = load_settings()
    assert settings.playground is True
    assert not settings.line_enabled and not settings.slack_enabled and not settings.admin_enabled
    assert settings.effective_database_url.startswith("sqlite:///")


def test_playground_0_switches_it_off_and_an_empty_admin_token_means_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYGROUND", "0")
    monkeypatch.setenv("ADMIN_TOKEN", "")
    settings = load_settings()
    assert settings.playground is False
    assert settings.admin_enabled is False


def test_a_dot_env_file_in_the_working_directory_is_read_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    (tmp_path / ".env").write_text("LOG_FORMAT=json\nCOMMUNITY_THRESHOLD=7\nUNRELATED=1\n", encoding="utf-8")
    monkeypatch.setenv("COMMUNITY_THRESHOLD", "9")
    settings = load_settings()
    assert settings.log_format == "json"
    assert settings.community_threshold == 9


def test_heroku_style_postgres_urls_use_the_psycopg_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/sagi")
    assert load_settings().effective_database_url == "postgresql+psycopg://u:p@db.example:5432/sagi"


def test_config_command_prints_the_configuration_with_secrets_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    secrets = {
        "LINE_CHANNEL_SECRET": "line-secret-value", "LINE_CHANNEL_ACCESS_TOKEN": "line-token-value",
        "ADMIN_TOKEN": "admin-token-value-0123", "HASH_KEY": "hash-key-value",
        "DATABASE_URL": "postgresql://sagi:db-password-value@db.example/sagi",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    for value in ("line-secret-value", "line-token-value", "admin-token-value-0123", "hash-key-value", "db-password-value"):
        assert value not in out
    assert "LINE_CHANNEL_SECRET" in out and "(set)" in out
    assert "db.example" in out
    assert "SLACK_BOT_TOKEN" in out and "(unset)" in out


def test_config_command_exits_2_naming_the_bad_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    assert main(["config"]) == 2
    assert "LOG_LEVEL:" in capsys.readouterr().err
