"""WSGI entry point for gunicorn: `gunicorn bot.wsgi:app`."""

import sys

from bot.app import create_app
from bot.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    print(exc, file=sys.stderr)
    # Exit code 3 is gunicorn's "worker failed to boot": the master stops instead of respawning forever.
    sys.exit(3)
