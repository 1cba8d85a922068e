"""gunicorn reads this file from the working directory: fewer malloc arenas, and its log lines follow LOG_FORMAT."""

import os

from bot.malloc import limit_arenas

limit_arenas()  # here in the master, before any worker or thread exists

if os.environ.get("LOG_FORMAT", "").lower() == "json":
    _stream = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": []},  # the app installs its own root handler (bot.logs)
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
        "handlers": {"console": _stream, "error_console": _stream},
        "formatters": {"json": {"()": "bot.logs.formatter", "log_format": "json"}},
    }
