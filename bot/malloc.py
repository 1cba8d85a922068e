"""glibc's malloc arenas, limited for long-running processes with many threads (gunicorn, the worker)."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util

_M_ARENA_MAX = -8


def limit_arenas(arenas: int = 2) -> None:
    """Use at most `arenas` malloc arenas from now on (what MALLOC_ARENA_MAX does); not glibc: nothing to do.

    glibc gives threads their own arenas (up to 8 per core); with dozens of threads a process's memory
    fragments and creeps up under load. Call it before the threads exist: in gunicorn's master, before any
    worker is forked, and in `python -m bot worker` before its processes start.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt(_M_ARENA_MAX, arenas)
