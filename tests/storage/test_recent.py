"""Recent check results for LINE buttons: kept 30 minutes in the database, per chat, text only when shared."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import create_engine, select

from bot.models import CheckResult, Contact, Finding, Link, Verdict
from bot.storage import Store
from bot.storage.schema import recent_checks
from tests.storage.conftest import FakeClock
from tests.storage.test_links import linked

TEXT = "【Amazon】未払いがあります。本日中に http://amaz0n-pay.top/x へ。ミカン星人"
RESULT = CheckResult(
    verdict=Verdict.DANGER, score=90,
    reasons=(
        Finding(id="unpaid", text="料金の未払いを口実にしています。", evidence="未払い", weight=30, source="rules.yaml#unpaid",
                kind="rule", tags=frozenset({"money"})),
        Finding(id="link_risky_tld", text="リンク先(amaz0n-pay.top)は、詐欺サイトによく使われる種類のアドレスです。",
                evidence="amaz0n-pay.top", weight=30, source="signals.yaml#link_risky_tld", kind="link",
                tags=frozenset({"link"})),
    ),
    brand="Amazon", brand_id="amazon", contacts=(Contact(name="Amazon", phone="0120-899-543"),),
    links=(Link(title="Amazon 報告", url="https://www.amazon.co.jp/report"),), advice=("リンクを開かない",),
    phones=("0369127894",), domains=("amaz0n-pay.top",), rule_ids=("unpaid", "link_risky_tld", "brand_name"),
)


def rows(url: str) -> list[dict[str, object]]:
    """Every kept row, read behind the store's back."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(select(recent_checks))]
    finally:
        engine.dispose()


def test_a_result_put_by_one_store_is_found_by_another_on_the_same_database(
        open_store: Callable[..., Store]) -> None:
    writer, reader = open_store(), open_store()
    writer.put_recent("line", "m-1", "U1", RESULT, text=TEXT, message_ids=("m-1", "m-2"))
    row = reader.get_recent("line", "m-1", "U1")
    assert row is not None and row.key == "m-1"
    got = row.result
    assert (got.verdict, got.score, got.brand, got.brand_id, got.rule_ids) == (
        Verdict.DANGER, 90, "Amazon", "amazon", RESULT.rule_ids)
    assert (got.phones, got.domains, got.contacts, got.links, got.advice) == (
        RESULT.phones, RESULT.domains, RESULT.contacts, RESULT.links, RESULT.advice)
    assert row.text is None and row.text_hash == writer.text_hash(TEXT)


def test_without_sharing_reasons_are_kept_without_the_messages_words(store: Store, database_url: str) -> None:
    store.put_recent("line", "m-1", "U1", RESULT, text=TEXT)
    row = store.get_recent("line", "m-1", "U1")
    assert row is not None
    assert [(f.id, f.text, f.evidence) for f in row.result.reasons] == [
        ("unpaid", "料金の未払いを口実にしています。", ""),
        ("link_risky_tld", "リンク先(…)は、詐欺サイトによく使われる種類のアドレスです。", ""),
    ]
    (stored,) = rows(database_url)
    dump = " ".join(str(v) for k, v in stored.items() if k not in ("phones", "hosts"))
    assert "ミカン星人" not in dump and "amaz0n-pay.top" not in dump and "m-1" not in dump and "U1" not in dump


def test_text_and_evidence_are_kept_only_while_the_user_shares_with_a_confirmed_helper(store: Store) -> None:
    store.set_share_full_text("line", "U1", True)
    assert not store.put_recent("line", "m-0", "U1", RESULT, text=TEXT)  # sharing, but nobody to share with yet
    linked(store, user="U1", helper="U-helper")
    assert store.put_recent("line", "m-1", "U1", RESULT, text=TEXT)
    assert not store.put_recent("line", "m-2", "U1", CheckResult(verdict=Verdict.NO_SIGNS, score=0, reasons=()),
                                text="おはよう")  # nothing a helper would be told about
    row = store.get_recent("line", "m-1", "U1")
    assert row is not None and row.text == TEXT and row.result.reasons == RESULT.reasons

    store.set_share_full_text("line", "U1", False)
    row = store.get_recent("line", "m-1", "U1")
    assert row is not None and row.text is None and row.result.reasons[1].evidence == ""


def test_unlinking_forgets_the_shared_texts(store: Store) -> None:
    store.set_share_full_text("line", "U1", True)
    linked(store, user="U1", helper="U-helper")
    store.put_recent("line", "m-1", "U1", RESULT, text=TEXT)
    store.unlink("line", "U-helper")
    row = store.get_recent("line", "m-1", "U1")
    assert row is not None and row.text is None and row.result.verdict is Verdict.DANGER


def test_another_chat_cannot_read_a_result(store: Store) -> None:
    store.put_recent("line", "m-1", "U1", RESULT)
    assert store.get_recent("line", "m-1", "U2") is None
    assert store.get_recent("slack", "m-1", "U1") is None
    assert store.get_recent("line", "m-1", "") is None


def test_a_result_expires_after_30_minutes_and_is_purged(store: Store, clock: FakeClock, database_url: str) -> None:
    store.put_recent("line", "m-1", "U1", RESULT)
    clock.advance(minutes=29)
    assert store.get_recent("line", "m-1", "U1") is not None
    clock.advance(minutes=2)
    assert store.get_recent("line", "m-1", "U1") is None
    assert store.purge_expired()["recent_checks"] == 1 and rows(database_url) == []


def test_putting_a_result_drops_expired_ones(store: Store, clock: FakeClock, database_url: str) -> None:
    store.put_recent("line", "m-old", "U1", RESULT, text=TEXT)
    clock.advance(minutes=31)
    store.put_recent("line", "m-new", "U2", RESULT)
    assert len(rows(database_url)) == 1


def test_putting_the_same_key_again_replaces_the_result(store: Store) -> None:
    store.put_recent("line", "m-1", "G1", RESULT)
    store.put_recent("line", "m-1", "G1", CheckResult(verdict=Verdict.CAUTION, score=40, reasons=()))
    row = store.get_recent("line", "m-1", "G1")
    assert row is not None and row.result.verdict is Verdict.CAUTION


def test_unsending_any_message_of_a_batch_forgets_the_result_and_what_was_recorded_under_its_key(
        store: Store, database_url: str) -> None:
    store.put_recent("line", "m-1", "U1", RESULT, text=TEXT, message_ids=("m-1", "m-2"))
    store.put_recent("line", "m-3", "U1", RESULT)
    store.add_feedback("line", "U1", "danger", [], "helpful", "", message_id="m-1")
    assert store.forget_message("line", "m-2") == 2  # the kept result and the feedback under the batch's key
    assert store.get_recent("line", "m-1", "U1") is None and store.get_recent("line", "m-3", "U1") is not None
    assert store.stats().feedback == {}


def test_data_deletion_and_leaving_a_group_remove_their_results(store: Store) -> None:
    store.put_recent("line", "m-1", "U1", RESULT)
    store.put_recent("line", "m-2", "U2", RESULT)
    store.put_recent("line", "m-3", "G1", RESULT)
    store.delete_user("line", "U1")
    store.forget_group("line", "G1")
    assert store.get_recent("line", "m-1", "U1") is None and store.get_recent("line", "m-3", "G1") is None
    assert store.get_recent("line", "m-2", "U2") is not None
