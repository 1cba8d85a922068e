"""Forgetting: LINE unsend, 「データ削除」, and retention periods."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import IntegrityError

from bot.logs import setup_logging
from bot.models import CheckResult, Verdict
from bot.storage import Store
from bot.storage.engine import build_engine
from bot.storage.privacy import RETENTION
from bot.storage.schema import deliveries, feedback, helper_links, helper_notices, metadata
from tests.storage.conftest import FakeClock
from tests.storage.test_links import linked, taken


def count(url: str, table: object) -> int:
    """Rows in a table, counted behind the store's back."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]
    finally:
        engine.dispose()


def test_unsend_deletes_feedback_and_notices_of_that_message_only(store: Store, database_url: str) -> None:
    link_id = linked(store)
    taken(store, link_id, "msg-gone")
    taken(store, link_id, "msg-kept")
    store.add_feedback("line", "U-user", "danger", [], "helpful", "a", message_id="msg-gone")
    store.add_feedback("line", "U-user", "danger", [], "helpful", "b", message_id="msg-kept")
    assert store.forget_message("line", "msg-gone") == 2
    assert count(database_url, feedback) == 1 and count(database_url, helper_notices) == 1
    assert store.forget_message("slack", "msg-kept") == 0  # ids are per platform


def test_data_deletion_removes_everything_about_the_user(store: Store, database_url: str) -> None:
    linked(store, user="U-me", helper="U-daughter")
    linked(store, user="U-mother", helper="U-me")
    store.create_link_code("line", "U-me")
    store.set_share_full_text("line", "U-me", True)
    store.add_feedback("line", "U-me", "danger", [], "helpful", "x", share_text=True)
    store.add_report("line", "U-me", ["0369127894"])
    store.add_report("line", "U-other", ["0369127894"])
    assert store.delete_user("line", "U-me") >= 6
    assert store.links_involving("line", "U-daughter") == [] and store.links_involving("line", "U-mother") == []
    assert count(database_url, helper_links) == 0 and count(database_url, feedback) == 0
    assert store.reporter_counts(["0369127894"]) == {"0369127894": 1}
    assert store.delete_user("line", "U-me") == 0


def test_data_deletion_keeps_other_users_data(store: Store) -> None:
    linked(store, user="U-other", helper="U-helper")
    store.add_feedback("line", "U-other", "danger", [], "helpful", "x")
    store.delete_user("line", "U-me")
    assert len(store.helpers_of("line", "U-other")) == 1
    assert store.stats().feedback == {"helpful": 1}


def test_purge_keeps_everything_still_within_retention(store: Store, clock: FakeClock) -> None:
    linked(store)
    store.claim_delivery("line", "ev-1")
    store.add_feedback("line", "U1", "danger", [], "helpful", "x", share_text=True)
    store.add_report("line", "U1", ["0369127894"])
    store.record_check("line", "danger", None, ["r1"])
    clock.advance(days=6)
    assert set(store.purge_expired().values()) == {0}


def test_purge_removes_each_kind_after_its_period(store: Store, clock: FakeClock, database_url: str) -> None:
    confirmed = linked(store, user="U-kept", helper="U-h1")
    taken(store, confirmed, "msg-1")
    linked(store, user="U-ended", helper="U-h2")
    store.unlink("line", "U-ended")
    store.redeem_link_code("line", "U-h3", store.create_link_code("line", "U-never-answered"))
    store.create_link_code("line", "U-code")
    store.redeem_link_code("line", "U-guesser", "not a code")
    store.claim_delivery("line", "ev-1")
    store.add_feedback("line", "U1", "danger", [], "helpful", "x", share_text=True)
    store.add_report("line", "U1", ["0369127894"])
    store.record_check("line", "danger", "sagawa", ["r1"])
    store.put_recent("line", "m-1", "U1", CheckResult(verdict=Verdict.CAUTION, score=40, reasons=()))

    assert store.purge_expired(clock.now + RETENTION["deliveries"] + dt.timedelta(seconds=1)) == {
        "deliveries": 1, "link_codes": 1, "link_attempts": 1, "recent_checks": 1, "helper_notices": 1, "helper_links": 1,
        "helper_notice_messages": 0, "feedback": 0, "feedback_text": 0, "reports": 0, "stats": 0, "inbox": 0,
    }
    assert count(database_url, deliveries) == 0
    assert store.purge_expired(clock.now + RETENTION["helper_links"] + dt.timedelta(seconds=1))["helper_links"] == 1
    assert [link.id for link in store.helpers_of("line", "U-kept")] == [confirmed]  # confirmed links stay
    later = store.purge_expired(clock.now + RETENTION["feedback_text"] + dt.timedelta(seconds=1))
    assert later["feedback_text"] == 1 and count(database_url, feedback) == 1
    last = store.purge_expired(clock.now + RETENTION["stats"] + dt.timedelta(days=1))
    assert (last["feedback"], last["reports"], last["stats"]) == (1, 1, 3)
    assert [link.id for link in store.helpers_of("line", "U-kept")] == [confirmed]


def test_an_undelivered_notices_messages_are_blanked_after_the_resend_window(store: Store, clock: FakeClock) -> None:
    link_id = linked(store)
    assert store.helper_notice_turn(link_id, "msg-1")
    store.helper_notice_failed(link_id, "msg-1", '[{"type": "text", "text": "お知らせ"}]')
    assert [n.messages for n in store.pending_helper_notices("line")] == ['[{"type": "text", "text": "お知らせ"}]']
    assert store.purge_expired(clock.now + RETENTION["helper_notice_messages"])["helper_notice_messages"] == 0
    later = clock.now + RETENTION["helper_notice_messages"] + dt.timedelta(seconds=1)
    assert store.purge_expired(later)["helper_notice_messages"] == 1
    assert store.pending_helper_notices("line") == []
    assert store.helper_notice_turn(link_id, "msg-1")  # still counted in the cap, still resendable by the button


def test_every_table_has_a_retention_rule_or_a_documented_reason() -> None:
    purged = {"deliveries", "link_codes", "link_attempts", "helper_links", "helper_notices", "feedback", "reports",
              "stat_checks", "stat_brands", "stat_rules", "recent_checks", "inbox"}
    kept_until_asked = {"user_prefs", "group_settings"}  # deleted by 「データ削除」 and by leaving the group
    assert {table.name for table in metadata.sorted_tables} == purged | kept_until_asked


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_logged_database_error_shows_no_stored_value(store: Store, database_url: str, log_format: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    engine = build_engine(database_url)  # built as every store builds it
    secret = "0369127894-very-private"
    row = {"platform": "line", "delivery_id": secret, "received_at": dt.datetime.now(dt.UTC)}
    try:
        with engine.begin() as conn:
            conn.execute(deliveries.insert(), row)
        with pytest.raises(IntegrityError) as caught, engine.begin() as conn:
            conn.execute(deliveries.insert(), row)  # the same key again
    finally:
        engine.dispose()
    assert "parameters hidden" in str(caught.value)  # SQLAlchemy does not repeat the values
    if store.dialect == "postgresql":
        assert secret in str(caught.value)  # the server itself quotes the duplicate key…
    setup_logging(log_format, "INFO")
    logging.getLogger("bot.example").error("write failed", exc_info=caught.value)
    logged = capsys.readouterr().err
    assert "IntegrityError" in logged and "Traceback" in logged
    assert secret not in logged  # …and the log leaves it out
