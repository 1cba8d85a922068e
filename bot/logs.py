"""Logging set-up: JSON lines in production (LOG_FORMAT=json), readable text locally.

Log ids, verdict levels and rule ids only, never message text: handlers pass ids as `extra` fields.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

try:  # python-json-logger 3+
    from pythonjsonlogger.json import JsonFormatter
except ImportError:  # pragma: no cover - python-json-logger 2.x
    from pythonjsonlogger.jsonlogger import JsonFormatter  # type: ignore[no-redef,attr-defined]

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
# Exceptions whose message a database server writes: PostgreSQL's DETAIL quotes a duplicate key or a whole
# failing row ("Failing row contains (…)"), which can be a kept text. Their tracebacks keep the type only.
_DATABASE_MODULES = ("sqlalchemy.", "psycopg", "sqlite3")
WITHHELD = "(message withheld: database errors can quote stored values)"
_CAUSE = "\n\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\n\nDuring handling of the above exception, another exception occurred:\n\n"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and the ones it was raised from or during, oldest first (as a traceback prints them)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return seen[::-1]


def safe_traceback(ei: ExcInfo) -> str:
    """The traceback as Python prints it, except that database errors show their type without the message."""
    exc = ei[1]
    if exc is None or not any(type(e).__module__.startswith(_DATABASE_MODULES) for e in _chain(exc)):
        return "".join(traceback.format_exception(*ei)).rstrip("\n")  # type: ignore[arg-type]
    text = ""
    for e in _chain(exc):
        if text:
            text += _CAUSE if e.__cause__ is not None else _CONTEXT
        message = WITHHELD if type(e).__module__.startswith(_DATABASE_MODULES) else str(e)
        text += "Traceback (most recent call last):\n" + "".join(traceback.format_tb(e.__traceback__))
        text += f"{type(e).__module__}.{type(e).__qualname__}: {message}"
    return text


class _TextFormatter(logging.Formatter):
    """Readable lines; database errors' messages withheld from tracebacks (the JSON formatter inherits this)."""

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info:  # another handler may have cached the full text on the record already
            record.exc_text = safe_traceback(record.exc_info)
        return super().format(record)

    def formatException(self, ei: ExcInfo) -> str:
        return safe_traceback(ei)


class _JsonFormatter(_TextFormatter, JsonFormatter):  # type: ignore[misc]
    """One JSON object a line, with the same withheld database messages."""


class _OurHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module installed, so a second set-up replaces it instead of doubling lines."""


def formatter(log_format: str) -> logging.Formatter:
    """The formatter for LOG_FORMAT ("json" or "text")."""
    if log_format == "json":
        return _JsonFormatter(  # type: ignore[no-any-return]
            JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
    return _TextFormatter(TEXT_FORMAT)


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
