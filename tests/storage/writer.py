"""A busy writer for the kill -9 test: links people and prints each link id once the user would be told.

Run as `python -m tests.storage.writer DATABASE_URL`; it writes until it is killed.
"""

from __future__ import annotations

import os
import sys

from bot.storage import Store
from tests.storage.workers import KEY


def main(url: str) -> None:
    """Link, confirm, report, count — forever; a line on stdout means "confirmed to the user"."""
    store = Store(url, KEY, migrate=False)  # the test migrated already; skipping alembic starts us faster
    prefix = f"{os.getpid()}"
    n = 0
    while True:
        user, helper = f"U-{prefix}-{n}", f"H-{prefix}-{n}"
        result = store.redeem_link_code("line", helper, store.create_link_code("line", user))
        assert result.link_id is not None
        link = store.confirm_link("line", user, result.link_id, accept=True)
        assert link is not None and link.status == "confirmed"
        print(link.id, user, flush=True)
        # More writes in flight, so the kill often lands inside a transaction.
        store.claim_delivery("line", f"ev-{prefix}-{n}")
        store.add_report("line", user, [f"0369{n % 1000:06d}"])
        store.record_check("line", "danger", "sagawa", ["r1", "r2"])
        n += 1


if __name__ == "__main__":
    main(sys.argv[1])
