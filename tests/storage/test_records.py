"""Deliveries, group settings, feedback, community reports and statistics."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select

from bot.detect import Detector
from bot.knowledge import load
from bot.storage import GroupSettings, Store
from bot.storage.schema import feedback, reports
from tests.storage.conftest import FakeClock

SCAM = "【佐川急便】お荷物の配達に伺いましたが不在のため持ち帰りました。03-6912-7894 までご連絡ください"


def rows(url: str, table: object) -> list[dict[str, object]]:
    """Every row of a table, read behind the store's back."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(select(table))]  # type: ignore[call-overload]
    finally:
        engine.dispose()


def test_delivery_is_claimed_once_per_platform(store: Store) -> None:
    assert store.claim_delivery("line", "01HXYZ") is True
    assert store.claim_delivery("line", "01HXYZ") is False
    assert store.claim_delivery("slack", "01HXYZ") is True


def test_unknown_group_has_default_settings(store: Store) -> None:
    assert store.group_settings("line", "C-group") == GroupSettings(alert_level="danger", muted=False)


def test_group_settings_change_one_field_at_a_time(store: Store) -> None:
    assert store.set_group_settings("line", "C-group", muted=True) == GroupSettings("danger", True)
    assert store.set_group_settings("line", "C-group", alert_level="caution") == GroupSettings("caution", True)
    assert store.group_settings("line", "C-group") == GroupSettings("caution", True)
    assert store.group_settings("slack", "C-group") == GroupSettings()


def test_forgotten_group_returns_to_defaults(store: Store) -> None:
    store.set_group_settings("slack", "C1", alert_level="caution", muted=True)
    store.forget_group("slack", "C1")
    assert store.group_settings("slack", "C1") == GroupSettings()


def test_group_alert_level_must_be_known(store: Store) -> None:
    with pytest.raises(ValueError, match="alert_level"):
        store.set_group_settings("line", "C1", alert_level="everything")


def test_feedback_keeps_no_text_or_user_id_unless_shared(store: Store, database_url: str) -> None:
    store.add_feedback("line", "U-secret-user", "danger", ["r1", "r2"], "helpful", "秘密のメッセージ 090-1234-5678")
    [row] = rows(database_url, feedback)
    assert row["text"] is None and row["rule_ids"] == "r1 r2" and row["answer"] == "helpful"
    dump = repr(row)
    assert "U-secret-user" not in dump and "090-1234-5678" not in dump and len(str(row["text_hash"])) == 64


def test_feedback_keeps_the_text_the_user_chose_to_share(store: Store, database_url: str) -> None:
    store.add_feedback("line", "U1", "no_signs", [], "wrong", "確認してほしい文面", share_text=True)
    assert [row["text"] for row in rows(database_url, feedback)] == ["確認してほしい文面"]


def test_feedback_text_hash_ignores_width_and_spacing(store: Store, database_url: str) -> None:
    store.add_feedback("line", "U1", "danger", [], "helpful", "お荷物 ０３－１２３４")
    store.add_feedback("line", "U2", "danger", [], "helpful", "お荷物03-1234")
    store.add_feedback("line", "U3", "danger", [], "helpful", "別の文面")
    hashes = [row["text_hash"] for row in rows(database_url, feedback)]
    assert hashes[0] == hashes[1] != hashes[2]


def test_feedback_hash_depends_on_the_key(database_url: str, clock: FakeClock) -> None:
    a = Store(database_url, b"key-a" * 8, clock=clock)
    b = Store(database_url, b"key-b" * 8, clock=clock)
    try:
        assert a.text_hash("同じ文面") != b.text_hash("同じ文面")
    finally:
        a.close()
        b.close()


def test_reports_count_distinct_reporters(store: Store) -> None:
    store.add_report("line", "U1", ["0369127894", "bad.example"])
    store.add_report("line", "U1", ["0369127894"])  # the same person again
    store.add_report("slack", "U1", ["0369127894"])  # another person who happens to share the id
    store.add_report("line", "U2", ["0369127894", "0369127894"])
    assert store.reporter_counts(["0369127894", "bad.example", "never.example"]) == {"0369127894": 3, "bad.example": 1}
    assert store.reporter_counts([]) == {}


def test_reporters_are_stored_hashed(store: Store, database_url: str) -> None:
    store.add_report("line", "U-reporter-id", ["0369127894"])
    assert "U-reporter-id" not in repr(rows(database_url, reports))


def test_list_reports_filters_by_reporters_most_reported_first(store: Store, clock: FakeClock) -> None:
    for user in ("U1", "U2", "U3"):
        store.add_report("line", user, ["0369127894"])
        clock.advance(minutes=1)
    store.add_report("line", "U1", ["bad.example"])
    listed = store.list_reports(min_reporters=1)
    assert [(row.key, row.reporters) for row in listed] == [("0369127894", 3), ("bad.example", 1)]
    assert listed[0].last_reported > listed[0].first_reported
    assert [row.key for row in store.list_reports(min_reporters=2)] == ["0369127894"]


def test_number_becomes_a_reason_once_enough_distinct_users_report_it(store: Store) -> None:
    detector = Detector(load(), community=store, community_threshold=2)
    store.add_report("line", "U1", ["0369127894"])
    assert "community_reported" not in {f.id for f in detector.check(SCAM, None).reasons}
    store.add_report("line", "U2", ["0369127894"])
    [finding] = [f for f in detector.check(SCAM, None).reasons if f.id == "community_reported"]
    assert "2人" in finding.text and finding.source == "community reports"


def test_stats_count_checks_brands_rules_and_feedback(store: Store, clock: FakeClock) -> None:
    store.record_check("line", "danger", "sagawa", ["r1", "r2"])
    store.record_check("slack", "danger", "sagawa", ["r1"])
    store.record_check("line", "no_signs", "amazon", [])  # a genuine message naming a brand: not an impersonation
    clock.advance(days=1)
    store.record_check("line", "caution", "jp-post", ["r2"])
    store.add_feedback("line", "U1", "danger", ["r1"], "helpful", "x")
    store.add_feedback("line", "U2", "danger", ["r1"], "wrong", "y")
    store.add_feedback("line", "U3", "danger", ["r1"], "helpful", "z")
    stats = store.stats(days=30)
    assert stats.checks_by_day == {"2026-11-28": {"danger": 2, "no_signs": 1}, "2026-11-29": {"caution": 1}}
    assert stats.total_checks == 4
    assert stats.top_brands == [("sagawa", 2), ("jp-post", 1)]
    assert stats.top_rules == [("r1", 2), ("r2", 2)]
    assert stats.feedback == {"helpful": 2, "wrong": 1}
    assert store.stats(days=1).checks_by_day == {"2026-11-29": {"caution": 1}}


def test_ping_answers_true_when_the_database_is_there(store: Store) -> None:
    assert store.ping() is True


def test_ping_answers_false_when_the_database_is_unreachable() -> None:
    store = Store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1", b"k" * 32, migrate=False)
    assert store.ping() is False
