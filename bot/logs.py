"""Logging set-up: JSON lines in production (LOG_FORMAT=json), readable text locally.

Log ids, verdict levels and rule ids only, never message text: handlers pass ids as `extra` fields.
"""

from __future__ import annotations

import logging
import sys

try:  # python-json-logger 3+
    from pythonjsonlogger.json import JsonFormatter
except ImportError:  # pragma: no cover - python-json-logger 2.x
    from pythonjsonlogger.jsonlogger import JsonFormatter  # type: ignore[no-redef,attr-defined]

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class _OurHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module installed, so a second set-up replaces it instead of doubling lines."""


def formatter(log_format: str) -> logging.Formatter:
    """The formatter for LOG_FORMAT ("json" or "text")."""
    if log_format == "json":
        return JsonFormatter(  # type: ignore[no-any-return]
            JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
    return logging.Formatter(TEXT_FORMAT)


def setup_logging(log_format: str = "text", level: str = "INFO") -> None:
    """Send our logs to stderr in the chosen format; idempotent (the app factory may run many times)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(handler)
    handler = _OurHandler(sys.stderr)
    handler.setFormatter(formatter(log_format))
    root.addHandler(handler)
    root.setLevel(level)
    # Third-party chatter at INFO (HTTP client connection lines) adds nothing an operator needs.
    for noisy in ("urllib3", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.getLevelName(level), logging.WARNING))
