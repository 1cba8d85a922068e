#!/usr/bin/env python3
"""Audit requirements.lock against PyPI's advisories (the data pip-audit's PyPI service reads).

pip-audit asks PyPI for each pinned release (`/pypi/<name>/<version>/json`); the mirror this workplace reaches
serves only each project's page (`/pypi/<name>/json`), whose `vulnerabilities` are those of the newest
release, so pip-audit reports every package as "not found". This script asks for the release first and falls
back to the project's page when the pin is the newest release. Pins it cannot audit are listed, not hidden.

    python .ci/audit.py requirements.lock     # exit 1 on a known vulnerability, 2 when PyPI cannot be asked
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

PYPI = "https://pypi.org/pypi"


def _json(url: str) -> dict[str, Any] | None:
    """The JSON at url, or None when PyPI says there is none (404)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data: dict[str, Any] = json.load(response)
            return data
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def audit(name: str, version: str) -> tuple[str, list[str]]:
    """("audited", advisory ids) or ("not audited: why", [])."""
    release = _json(f"{PYPI}/{name}/{version}/json")
    if release is None:
        project = _json(f"{PYPI}/{name}/json")
        if project is None:
            return "not audited: unknown to PyPI", []
        newest = project["info"]["version"]
        if newest != version:
            return f"not audited: pinned {version}, newest {newest}, no data for older releases here", []
        release = project
    found = [v for v in release.get("vulnerabilities") or [] if not v.get("withdrawn")]
    return "audited", [f"{v['id']} (fixed in {', '.join(v.get('fixed_in') or ['-'])})" for v in found]


def pins(path: str) -> list[tuple[str, str]]:
    """(name, version) of every `name==version` line."""
    found = []
    with open(path, encoding="utf-8") as lock:
        lines = lock.read().splitlines()
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found.append((name.strip(), version.split(";")[0].strip()))
    return found


def main() -> int:
    locked = pins(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock")
    try:
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda pin: (pin, audit(*pin)), locked))
    except (urllib.error.URLError, OSError) as exc:
        print(f"audit: cannot reach PyPI's JSON API ({exc})", file=sys.stderr)
        return 2
    vulnerable = [(pin, ids) for pin, (_, ids) in results if ids]
    skipped = [(pin, status) for pin, (status, _) in results if status != "audited"]
    for (name, version), ids in vulnerable:
        print(f"VULNERABLE {name}=={version}: {'; '.join(ids)}")
    for (name, version), status in skipped:
        print(f"{name}=={version}: {status}")
    print(f"audit: {len(locked) - len(skipped)} of {len(locked)} pins audited, {len(vulnerable)} with known "
          f"vulnerabilities, {len(skipped)} not audited")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
