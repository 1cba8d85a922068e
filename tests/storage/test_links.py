"""Family helper links: codes, consent, unlinking, notices."""

from __future__ import annotations

import pytest

from bot.storage import Store
from tests.storage.conftest import FakeClock


def linked(store: Store, user: str = "U-user", helper: str = "U-helper", platform: str = "line") -> int:
    """A confirmed link from code to consent; returns its id."""
    result = store.redeem_link_code(platform, helper, store.create_link_code(platform, user))
    assert result.status == "ok" and result.link_id is not None
    link = store.confirm_link(platform, user, result.link_id, accept=True)
    assert link is not None
    return link.id


def taken(store: Store, link_id: int, message_key: str) -> bool:
    """A new notice took its place (within the daily cap, on a confirmed link)."""
    return store.helper_notice_turn(link_id, message_key, new_only=True) is not None


def test_code_is_six_random_digits_and_new_each_time(store: Store) -> None:
    codes = [store.create_link_code("line", f"U{i}") for i in range(20)]
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(set(codes)) > 15


def test_redeemed_code_creates_pending_link_naming_the_user(store: Store) -> None:
    code = store.create_link_code("line", "U-user")
    result = store.redeem_link_code("line", "U-helper", code)
    assert (result.status, result.user_id) == ("ok", "U-user")
    assert store.helpers_of("line", "U-user") == []  # nothing until the user consents


def test_code_works_once_only(store: Store) -> None:
    code = store.create_link_code("line", "U-user")
    assert store.redeem_link_code("line", "U-helper", code).status == "ok"
    assert store.redeem_link_code("line", "U-other", code).status == "wrong"


def test_code_expires_after_ten_minutes(store: Store, clock: FakeClock) -> None:
    code = store.create_link_code("line", "U-user")
    clock.advance(minutes=10, seconds=1)
    assert store.redeem_link_code("line", "U-helper", code).status == "expired"


def test_code_still_works_just_before_expiry(store: Store, clock: FakeClock) -> None:
    code = store.create_link_code("line", "U-user")
    clock.advance(minutes=9, seconds=59)
    assert store.redeem_link_code("line", "U-helper", code).status == "ok"


def test_new_code_replaces_the_previous_one(store: Store) -> None:
    first = store.create_link_code("line", "U-user")
    second = store.create_link_code("line", "U-user")
    if first == second:
        pytest.skip("the two random codes happened to be equal")
    assert store.redeem_link_code("line", "U-helper", first).status == "wrong"
    assert store.redeem_link_code("line", "U-helper", second).status == "ok"


def test_code_typed_with_full_width_digits_and_spaces_is_accepted(store: Store) -> None:
    code = store.create_link_code("line", "U-user")
    typed = " ".join(chr(ord("０") + int(d)) for d in code)
    assert store.redeem_link_code("line", "U-helper", typed).status == "ok"


def test_code_of_one_platform_does_not_work_on_the_other(store: Store) -> None:
    code = store.create_link_code("line", "U-user")
    assert store.redeem_link_code("slack", "U-helper", code).status == "wrong"


def test_user_cannot_become_their_own_helper(store: Store) -> None:
    code = store.create_link_code("line", "U-user")
    assert store.redeem_link_code("line", "U-user", code).status == "self"
    assert store.redeem_link_code("line", "U-helper", code).status == "ok"  # the code is not used up


def test_five_wrong_codes_lock_the_helper_even_for_the_right_code(store: Store) -> None:
    code = store.create_link_code("line", "U-user")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert [store.redeem_link_code("line", "U-guesser", wrong).status for _ in range(5)] == ["wrong"] * 5
    assert store.redeem_link_code("line", "U-guesser", code).status == "locked"
    assert store.redeem_link_code("line", "U-helper", code).status == "ok"  # the lock is per helper


def test_lock_lifts_after_fifteen_minutes(store: Store, clock: FakeClock) -> None:
    for _ in range(5):
        store.redeem_link_code("line", "U-guesser", "000000x")
    clock.advance(minutes=15, seconds=1)
    code = store.create_link_code("line", "U-user")
    assert store.redeem_link_code("line", "U-guesser", code).status == "ok"


def test_user_consent_confirms_the_link_for_both_sides(store: Store) -> None:
    link_id = linked(store)
    [link] = store.helpers_of("line", "U-user")
    assert (link.id, link.helper_id, link.status, link.share_full_text) == (link_id, "U-helper", "confirmed", False)
    assert link.confirmed_at is not None
    assert store.links_involving("line", "U-helper") == [link]
    assert store.links_involving("line", "U-user") == [link]


def test_user_refusal_declines_the_link(store: Store) -> None:
    result = store.redeem_link_code("line", "U-helper", store.create_link_code("line", "U-user"))
    assert result.link_id is not None
    link = store.confirm_link("line", "U-user", result.link_id, accept=False)
    assert link is not None and link.status == "declined"
    assert store.helpers_of("line", "U-user") == []
    assert store.confirm_link("line", "U-user", result.link_id, accept=True) is None  # refusal is final


def test_only_the_watched_user_can_consent(store: Store) -> None:
    result = store.redeem_link_code("line", "U-helper", store.create_link_code("line", "U-user"))
    assert result.link_id is not None
    assert store.confirm_link("line", "U-helper", result.link_id, accept=True) is None
    assert store.confirm_link("slack", "U-user", result.link_id, accept=True) is None
    assert store.helpers_of("line", "U-user") == []


def test_unanswered_request_lapses_after_a_day(store: Store, clock: FakeClock) -> None:
    result = store.redeem_link_code("line", "U-helper", store.create_link_code("line", "U-user"))
    assert result.link_id is not None
    clock.advance(days=1, seconds=1)
    assert store.confirm_link("line", "U-user", result.link_id, accept=True) is None


def test_relinking_the_same_pair_keeps_one_confirmed_link(store: Store) -> None:
    linked(store)
    second = linked(store)
    assert [link.id for link in store.helpers_of("line", "U-user")] == [second]


def test_user_can_have_several_helpers(store: Store) -> None:
    linked(store, helper="U-daughter")
    linked(store, helper="U-son")
    assert {link.helper_id for link in store.helpers_of("line", "U-user")} == {"U-daughter", "U-son"}


@pytest.mark.parametrize("who", ["U-user", "U-helper"])
def test_unlink_by_either_side_revokes_and_reports_the_link(store: Store, who: str) -> None:
    link_id = linked(store)
    linked(store, user="U-other", helper="U-someone")
    revoked = store.unlink("line", who)
    assert [(link.id, link.status) for link in revoked] == [(link_id, "revoked")]
    assert store.helpers_of("line", "U-user") == [] and store.links_involving("line", "U-helper") == []
    assert len(store.helpers_of("line", "U-other")) == 1
    assert store.unlink("line", who) == []


def test_share_full_text_is_the_users_choice_shown_on_their_links(store: Store) -> None:
    linked(store)
    store.set_share_full_text("line", "U-user", True)
    assert [link.share_full_text for link in store.helpers_of("line", "U-user")] == [True]
    store.set_share_full_text("line", "U-user", False)
    assert [link.share_full_text for link in store.helpers_of("line", "U-user")] == [False]


def test_helper_notice_is_claimed_once_per_message(store: Store) -> None:
    link_id = linked(store)
    assert taken(store, link_id, "msg-1")
    assert not taken(store, link_id, "msg-1")


def test_helper_notices_stop_at_the_daily_cap_and_resume_the_next_japanese_day(store: Store, clock: FakeClock) -> None:
    link_id = linked(store)
    assert [taken(store, link_id, f"msg-{i}") for i in range(4)] == [True, True, True, False]
    clock.advance(hours=11, minutes=59)  # 23:59 JST: still the same day
    assert not taken(store, link_id, "msg-late")
    clock.advance(minutes=2)  # 00:01 JST
    assert taken(store, link_id, "msg-next-day")


def test_a_notice_turn_keeps_its_retry_key_until_delivered(store: Store) -> None:
    link_id = linked(store)
    key = store.helper_notice_turn(link_id, "msg-1")
    assert key is not None and len(key) == 36
    assert store.helper_notice_turn(link_id, "msg-1") == key  # not delivered yet: the same key, for a safe retry
    store.helper_notice_delivered(link_id, "msg-1")
    assert store.helper_notice_turn(link_id, "msg-1") is None
    assert not taken(store, link_id, "msg-1")


def test_notice_retries_take_no_extra_place_in_the_daily_cap(store: Store) -> None:
    link_id = linked(store)
    first = store.helper_notice_turn(link_id, "msg-1")
    assert all(store.helper_notice_turn(link_id, "msg-1") == first for _ in range(5))
    assert [store.helper_notice_turn(link_id, f"msg-{i}") is not None for i in range(2, 5)] == [True, True, False]


def test_a_new_only_turn_never_hands_out_a_notice_taken_before(store: Store) -> None:
    link_id = linked(store)
    key = store.helper_notice_turn(link_id, "msg-1", new_only=True)
    assert key is not None
    assert store.helper_notice_turn(link_id, "msg-1", new_only=True) is None  # Slack: only its resend job may
    assert store.helper_notice_turn(link_id, "msg-1") == key  # LINE's button still can (LINE drops repeats)


def test_no_notice_for_a_revoked_or_unknown_link(store: Store) -> None:
    link_id = linked(store)
    store.unlink("line", "U-user")
    assert not taken(store, link_id, "msg-1")
    assert not taken(store, 999_999, "msg-1")


@pytest.mark.parametrize("odd_id", ["x'); DROP TABLE helper_links; --", "利用者\u3000ID", "U" + "f" * 2000, "%_\\"])
def test_platform_ids_are_opaque_strings_of_any_shape(store: Store, odd_id: str) -> None:
    link_id = linked(store, user=odd_id, helper=odd_id[::-1] + "-helper")
    assert [link.user_id for link in store.helpers_of("line", odd_id)] == [odd_id]
    assert store.helpers_of("line", "x") == [] and [link.id for link in store.unlink("line", odd_id)] == [link_id]
    assert store.claim_delivery("line", odd_id) and store.set_group_settings("slack", odd_id, muted=True).muted
