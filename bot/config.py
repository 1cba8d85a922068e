"""One settings object, read from the environment (and .env) once at start-up and validated."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

INSTANCE_DIR = Path(__file__).resolve().parents[1] / "instance"
DATABASE_SCHEMES = ("sqlite://", "postgres://", "postgresql://", "postgresql+psycopg://")
MIN_ADMIN_TOKEN = 16

# What each variable must look like, for start-up errors (which never echo the value itself).
EXPECTED = {
    "DATABASE_URL": "empty, or a URL starting with sqlite:// or postgresql://",
    "HASH_KEY": "any secret string",
    "LINE_API_BASE_URL": "a URL starting with http:// or https://",
    "LINE_DATA_API_BASE_URL": "a URL starting with http:// or https://",
    "SLACK_API_BASE_URL": "a URL starting with http:// or https://",
    "PLAYGROUND": "1 or 0 (true/false, on/off)",
    "ADMIN_TOKEN": f"unset, or a random string of at least {MIN_ADMIN_TOKEN} characters",
    "LOG_FORMAT": "text or json",
    "LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR",
    "MAX_BODY_BYTES": "a whole number of bytes from 1024 to 50000000",
    "COMMUNITY_THRESHOLD": "a whole number from 1 to 1000",
    "HELPER_DAILY_CAP": "a whole number from 1 to 100",
    "INSTANCE_PATH": "a directory path",
    "EVENT_QUEUE": "memory (answered by the web process) or database (answered by `python -m bot worker`)",
}


class ConfigError(Exception):
    """A variable is missing or malformed; the message names it and what is expected, never its value."""


class Settings(BaseSettings):
    """Every configuration variable of the app. Unset platform credentials disable that platform."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True)

    database_url: str = Field("", description="SQLAlchemy URL; empty: SQLite file in instance/")
    hash_key: SecretStr = Field(SecretStr(""), description="key for hashing feedback texts; empty: derived per instance")
    line_channel_secret: SecretStr | None = None
    line_channel_access_token: SecretStr | None = None
    line_api_base_url: str = "https://api.line.me"
    line_data_api_base_url: str = "https://api-data.line.me"
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_base_url: str = "https://slack.com/api/"
    slack_slash_command: str = "/sagi"
    playground: bool = True
    admin_token: SecretStr | None = None
    log_format: str = Field("text", pattern="^(text|json)$")
    log_level: str = Field("INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$")
    max_body_bytes: int = Field(1_000_000, ge=1024, le=50_000_000)
    community_threshold: int = Field(3, ge=1, le=1000)
    helper_daily_cap: int = Field(5, ge=1, le=100)
    instance_path: Path = INSTANCE_DIR
    # Where LINE webhook events wait to be answered: in the web process's memory, or in the database for
    # `python -m bot worker` (the Procfile's worker line), which keeps the webhook fast under load.
    event_queue: str = Field("memory", pattern="^(memory|database)$")

    @field_validator("line_api_base_url", "line_data_api_base_url", "slack_api_base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if value and not value.startswith(DATABASE_SCHEMES):
            raise ValueError("unsupported database")
        return value

    @field_validator("admin_token")
    @classmethod
    def _admin_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None  # ADMIN_TOKEN= (empty) means the dashboard is off, like leaving it unset
        if len(value.get_secret_value()) < MIN_ADMIN_TOKEN:
            raise ValueError("too short")
        return value

    @property
    def admin_enabled(self) -> bool:
        """The dashboard is on only with a token."""
        return self.admin_token is not None

    @property
    def line_enabled(self) -> bool:
        """LINE is on only with both credentials."""
        return bool(self.line_channel_secret and self.line_channel_access_token)

    @property
    def slack_enabled(self) -> bool:
        """Slack is on only with both credentials."""
        return bool(self.slack_bot_token and self.slack_signing_secret)

    @property
    def effective_database_url(self) -> str:
        """DATABASE_URL, or the embedded SQLite file in the instance folder."""
        if self.database_url:
            # Heroku-style postgres:// URLs name the psycopg 3 driver for SQLAlchemy.
            url = self.database_url
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix):]
            return url
        return f"sqlite:///{self.instance_path / 'sagi.sqlite3'}"


def load_settings(**overrides: object) -> Settings:
    """Build Settings from the environment; raise ConfigError naming each bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "?"
            expected = EXPECTED.get(name)
            # error["msg"] describes the rule broken; error["input"] would be the value, which we never print.
            lines.append(f"{name}: {error['msg']}" + (f"; expected {expected}" if expected else ""))
        raise ConfigError("invalid configuration:\n" + "\n".join(lines)) from None
