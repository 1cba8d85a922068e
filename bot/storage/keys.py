"""HASH_KEY: from the settings, or a random key created once and kept in the instance folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_FILE = "hash_key"


def instance_hash_key(instance_path: Path) -> bytes:
    """Read instance/hash_key, creating it (32 random bytes, hex, mode 0600) atomically the first time."""
    path = instance_path / KEY_FILE
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        temp = instance_path / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # fails if another process won the race: then everyone uses its key
        except FileExistsError:
            pass
        finally:
            temp.unlink()
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < 32:
        raise ValueError(f"{path} is too short to be a hash key; delete it to create a new one")
    return key.encode("utf-8")
