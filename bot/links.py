"""Find links in a message (also defanged or half-hidden ones) and take their host apart offline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tldextract

from bot.normalize import CONFUSABLES

# "hxxp", "[.]", "(.)" and "[dot]" are how people defang links; undo it before looking.
_DEFANG = (
    (re.compile(r"hxxp", re.IGNORECASE), "http"),
    (re.compile(r"\[\.\]|\(\.\)|\[dot\]|\(dot\)", re.IGNORECASE), "."),
)
_SCHEME_URL = re.compile(r"h(?:tt|xx)ps?(?::?//|:(?=[〇○●*~…]))[^\s\"”“'<>「」()（）【】、。]{0,300}", re.IGNORECASE)
_BARE_HOST = re.compile(
    r"(?<![\w.@/-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,6}[a-z]{2,24})(?![\w@-])(?:/[^\s、。「」]{0,200})?",
    re.IGNORECASE,
)
_IP_HOST = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_SCHEME = re.compile(r"^\w{4,5}:?(?://)?")
_PATH = re.compile(r"[/?#:]")
# Characters quoting pages and scammers use to hide part of an address (〇 is a "number", not a letter).
_MASKING = re.compile(r"[〇○●◯×※*＊~…・#]")


@dataclass(frozen=True)
class Link:
    """A link in a message. `host` is None when the address was hidden (○○.com, https://~)."""

    raw: str
    host: str | None
    domain: str | None  # registrable domain, e.g. "example.co.jp"
    suffix: str | None  # public suffix, e.g. "co.jp"
    hint: str = ""  # the host as written, even when partly hidden ("tepco-..."), for look-alike checks

    @property
    def is_ip(self) -> bool:
        """The host is a bare IPv4 address."""
        return self.host is not None and bool(_IP_HOST.match(self.host))

    @property
    def is_idn(self) -> bool:
        """The host holds non-ASCII or punycode labels (look-alike letters)."""
        return self.host is not None and ("xn--" in self.host or not self.host.isascii())


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # The bundled public-suffix snapshot only: no network, no cache directory.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def undefang(text: str) -> str:
    """Turn defanged links back into ordinary ones."""
    for pattern, replacement in _DEFANG:
        text = pattern.sub(replacement, text)
    return text


def _host_of(url: str) -> str:
    rest = _SCHEME.sub("", url)
    host = _PATH.split(rest, maxsplit=1)[0]
    return host.strip(".").lower()


def parse_host(raw: str, host: str) -> Link:
    """Describe one host; a host with hidden or missing parts keeps only its `hint`."""
    if not host or _MASKING.search(host) or not all(ch.isalnum() or ch in ".-" for ch in host):
        return Link(raw=raw, host=None, domain=None, suffix=None, hint=host)
    if _IP_HOST.match(host):
        return Link(raw=raw, host=host, domain=host, suffix=None, hint=host)
    parts = _extractor()(host)
    if not parts.suffix or not parts.domain:
        return Link(raw=raw, host=None, domain=None, suffix=None, hint=host)
    return Link(raw=raw, host=host, domain=f"{parts.domain}.{parts.suffix}", suffix=parts.suffix, hint=host)


# An SMS carries one or two links; a flood of hundreds must not multiply the per-link brand checks.
MAX_LINKS = 20


def find_links(cleaned: str) -> list[Link]:
    """The links in NFKC-cleaned text (the first MAX_LINKS): with a scheme, or a bare host with a known public suffix."""
    if "." not in cleaned and ":" not in cleaned:  # every link form needs one of them; most chat has neither
        return []
    text = undefang(cleaned)
    # Look for links with look-alike letters folded ("httрs" with a Cyrillic р), but take the host from the
    # original: folding is one character for one, so the spans line up and a Cyrillic host stays visible.
    folded = text.translate(CONFUSABLES)
    links: list[Link] = []
    taken: list[tuple[int, int]] = []
    for match in _SCHEME_URL.finditer(folded):
        if len(links) >= MAX_LINKS:
            break
        start, end = match.span()
        links.append(parse_host(text[start:end], _host_of(text[start:end])))
        taken.append((start, end))
    for match in _BARE_HOST.finditer(folded):
        if len(links) >= MAX_LINKS:
            break
        if any(start <= match.start() < end for start, end in taken):
            continue
        start, end = match.span(1)
        link = parse_host(text[match.start():match.end()], text[start:end].lower())
        if link.domain is not None:  # a bare word.word is a link only with a real public suffix
            links.append(link)
    return links
