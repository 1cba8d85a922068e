"""`python -m bot config`: print the effective configuration, secrets masked, or say which variable is wrong."""

from __future__ import annotations

import argparse

from pydantic import SecretStr

from bot.config import Settings, load_settings

MASK = "******** (set)"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `config` subcommand."""
    parser = sub.add_parser("config", help="print the effective configuration (secrets masked) and check it")
    parser.set_defaults(func=run)


def _mask_url(url: str) -> str:
    """A database URL with its password hidden."""
    from sqlalchemy.engine import make_url  # only this command needs it

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: show only the scheme
        return url.split(":", 1)[0] + ":…"


def rows(settings: Settings) -> list[tuple[str, str]]:
    """(VARIABLE, shown value) for every setting, then the derived switches."""
    out = []
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            shown = MASK if value.get_secret_value() else "(unset)"
        elif value is None:
            shown = "(unset)"
        elif name == "database_url":
            shown = _mask_url(value) if value else "(unset: embedded SQLite)"
        else:
            shown = str(value)
        out.append((name.upper(), shown))
    out += [
        ("→ database", _mask_url(settings.effective_database_url)),
        ("→ LINE", "on (/line/webhook)" if settings.line_enabled else "off"),
        ("→ Slack", "on (/slack/events)" if settings.slack_enabled else "off"),
        ("→ playground", "on (/ and /api/check)" if settings.playground else "off"),
        ("→ dashboard", "on (/admin)" if settings.admin_enabled else "off"),
    ]
    return out


def run(args: argparse.Namespace) -> int:
    """Entry point of `config`: exit 2 with the variable's name when the configuration is invalid."""
    settings = load_settings()  # a ConfigError ends in bot.cli.main with the variable's name
    width = max(len(name) for name, _ in rows(settings))
    for name, shown in rows(settings):
        print(f"{name.ljust(width)}  {shown}")
    return 0
