"""Phone numbers and links are found however they are written."""

from __future__ import annotations

import pytest

from bot.links import find_links
from bot.normalize import clean, join_digit_gaps
from bot.phones import find_phones, parse_sender


def phones(text: str) -> list[tuple[str, str]]:
    return [(p.key, p.kind) for p in find_phones(join_digit_gaps(clean(text)))]


@pytest.mark.parametrize("text", ["(0369127894)", "03-6912-7894", "０３−６９１２−７８９４", "+81 3 6912 7894", "03 6912 7894"])
def test_a_tokyo_number_is_found_in_any_writing(text: str) -> None:
    assert ("0369127894", "fixed") in phones(f"本日中にご連絡ください。{text}")


def test_the_mangled_prefix_form_still_yields_the_number() -> None:
    assert ("0359620554", "fixed") in phones("アマゾンジャパン窓口(03 0359620554)")


def test_number_kinds_are_told_apart() -> None:
    assert phones("050-1234-5678")[0][1] == "ip"
    assert phones("090-1234-5678")[0][1] == "mobile"
    assert phones("0120-899-543")[0][1] == "toll_free"
    assert phones("+63 912 345 6789")[0][1] == "international"


def test_masked_numbers_keep_their_kind() -> None:
    found = find_phones("050-****-**** まで")
    assert found and found[0].masked and found[0].kind == "ip"


def test_sender_numbers_and_names() -> None:
    sender = parse_sender("+81 90 1234 5678")
    assert sender is not None and sender.kind == "mobile"
    assert parse_sender("SMSinfo") is None


def hosts(text: str) -> list[str | None]:
    return [link.host for link in find_links(clean(text))]


def test_links_with_scheme_bare_and_defanged_are_found() -> None:
    assert hosts("詳細 https://evil.example.top/login") == ["evil.example.top"]
    assert hosts("こちら amazon-co-jp.xyz/x") == ["amazon-co-jp.xyz"]
    assert hosts("hxxps://bad[.]top/a") == ["bad.top"]
    assert hosts("https//no-colon.example.com/") == ["no-colon.example.com"]


def test_hidden_hosts_are_links_without_a_host() -> None:
    links = find_links(clean("こちら http://○○○.com/abc"))
    assert len(links) == 1 and links[0].host is None


def test_words_with_dots_that_are_not_domains_are_not_links() -> None:
    assert hosts("ver.2 と file.txt の件") == []


def test_look_alike_letters_are_flagged_as_idn() -> None:
    (link,) = find_links(clean("https://аmazon.co.jp/"))  # Cyrillic а
    assert link.is_idn
