"""gunicorn reads this file from the working directory: its own log lines follow LOG_FORMAT like the app's."""

import ctypes
import ctypes.util
import os

# glibc gives threads their own malloc arenas (up to 8 per core); with dozens of threads per worker they
# fragment and a worker's memory creeps up under load. Two arenas, set here in the master before any worker
# or thread exists, is the usual cure (what MALLOC_ARENA_MAX=2 does); not glibc: nothing to do.
_M_ARENA_MAX = -8
try:
    ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt(_M_ARENA_MAX, 2)
except (OSError, AttributeError):
    pass

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
