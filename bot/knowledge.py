"""Load and validate the data in knowledge/: brands, numbers, domains, rules, signals, templates."""

from __future__ import annotations

import hashlib
import re
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.phones import national_digits

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "knowledge"
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9-]{1,63}$")
# Unbounded wildcards and quantified groups invite catastrophic backtracking on long hostile input.
_RISKY_REGEX = re.compile(r"\.\*|\.\+|\)[*+]|\][*+]\)")


class KnowledgeError(Exception):
    """A knowledge file is broken; the message names the file and the entry."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_pattern(value: str) -> str:
    if _RISKY_REGEX.search(value):
        raise ValueError("unbounded repeat (.*, .+ or a quantified group); use a bounded {0,N}")
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from exc
    return value


def _check_phone(value: str) -> str:
    digits = national_digits(value)
    if digits is None:
        raise ValueError(f"not a phone number: {value!r}")
    return value


class Rule(_Model):
    """A phrase rule: a pattern, what it means (tags, weight) and how it is explained."""

    id: str
    tags: tuple[str, ...]
    weight: int = Field(ge=-100, le=100)
    pattern: str
    reason: str = Field(min_length=4)
    source: str = Field(min_length=4)
    hit: tuple[str, ...] = Field(min_length=1)
    miss: tuple[str, ...] = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        return _check_pattern(value)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern (case-insensitive)."""
        return re.compile(self.pattern, re.IGNORECASE)


class Never(_Model):
    """Something a brand says it never does by SMS, keyed by the rule tags that describe it."""

    tags: tuple[str, ...]
    text: str


class ReportPage(_Model):
    """Where to report an impersonation of a brand."""

    title: str
    url: str | None = None
    email: str | None = None


class BrandContact(_Model):
    """The real contact point of a brand."""

    name: str
    phone: str | None = None
    url: str | None = None


class Brand(_Model):
    """An organisation scam SMS pretend to be."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    alias_patterns: tuple[str, ...] = ()
    lookalikes: tuple[str, ...] = ()
    domain_keywords: tuple[str, ...] = ()
    official_domains: tuple[str, ...] = ()
    official_numbers: tuple[str, ...] = ()
    contact: BrandContact
    check_tip: str
    never: tuple[Never, ...] = ()
    report: tuple[ReportPage, ...] = ()
    source: str

    @field_validator("official_domains")
    @classmethod
    def _hosts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for host in value:
            if not _HOST.match(host):
                raise ValueError(f"not a host name: {host!r}")
        return value

    @field_validator("official_numbers")
    @classmethod
    def _numbers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for number in value:
            if not number.isdigit() or len(number) > 4:  # short codes such as 151 are kept as they are
                _check_phone(number)
        return value

    @field_validator("alias_patterns")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_pattern(v) for v in value)

    @model_validator(mode="after")
    def _named(self) -> Brand:
        if not self.aliases and not self.alias_patterns:
            raise ValueError("a brand needs aliases or alias_patterns")
        return self


class KnownNumber(_Model):
    """A phone number reported as used by scams."""

    number: str
    note: str
    brand: str | None = None
    first_reported: str
    source: str

    @field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        return _check_phone(value)


class KnownSender(_Model):
    """A sender name reported as used by scams."""

    name: str
    note: str
    first_reported: str
    source: str


class KnownHost(_Model):
    """A link host reported as used by scams."""

    host: str
    note: str
    first_reported: str
    source: str


class HostList(_Model):
    """A sourced list of host names (shorteners, free hosts)."""

    source: str
    hosts: tuple[str, ...]


class TldList(_Model):
    """A sourced list of top-level domains."""

    source: str
    tlds: tuple[str, ...]


class Signal(_Model):
    """Weight and explanation for a structural check."""

    tags: tuple[str, ...]
    weight: int = Field(ge=-100, le=100)
    reason: str


class Combo(_Model):
    """Extra weight when several tags appear in one message."""

    id: str
    requires: tuple[str, ...] = Field(min_length=2)
    weight: int = Field(ge=0, le=100)
    reason: str


class Scoring(_Model):
    """Score thresholds for the verdicts."""

    danger: int = Field(ge=1, le=100)
    caution: int = Field(ge=1, le=100)
    max_reasons: int = Field(ge=1, le=20)
    terse_chars: int = Field(ge=10, le=500)


class Template(_Model):
    """A known scam campaign, quoted from the warning that reported it."""

    id: str
    campaign: str
    first_reported: str
    text: str
    source: str


class Hotline(_Model):
    """A public hotline shown under warnings."""

    id: str
    name: str
    phone: str
    note: str
    source: str


class ReportSite(_Model):
    """A public reporting page, shown when the message has one of its tags."""

    id: str
    title: str
    url: str
    for_tags: tuple[str, ...] = Field(alias="for")
    source: str


class Advice(_Model):
    """What to do now, by verdict and by tag."""

    danger: tuple[str, ...]
    caution: tuple[str, ...]
    no_signs: tuple[str, ...]
    by_tag: dict[str, str]


class Knowledge(_Model):
    """Everything the detector knows, validated."""

    version: str
    brands: tuple[Brand, ...]
    numbers: tuple[KnownNumber, ...]
    senders: tuple[KnownSender, ...]
    known_hosts: tuple[KnownHost, ...]
    shorteners: HostList
    free_hosts: HostList
    risky_tlds: TldList
    rules: tuple[Rule, ...]
    signals: dict[str, Signal]
    combos: tuple[Combo, ...]
    scoring: Scoring
    templates: tuple[Template, ...]
    min_similarity: float = Field(ge=0.1, le=1.0)
    hotlines: tuple[Hotline, ...]
    report_pages: tuple[ReportSite, ...]
    advice: Advice

    @model_validator(mode="after")
    def _consistent(self) -> Knowledge:
        for kind, ids in (("brand", [b.id for b in self.brands]), ("rule", [r.id for r in self.rules])):
            dupes = {i for i in ids if ids.count(i) > 1}
            if dupes:
                raise ValueError(f"duplicate {kind} ids: {sorted(dupes)}")
        brand_ids = {b.id for b in self.brands}
        for number in self.numbers:
            if number.brand is not None and number.brand not in brand_ids:
                raise ValueError(f"number {number.number}: unknown brand {number.brand!r}")
        if self.scoring.caution >= self.scoring.danger:
            raise ValueError("scoring: caution must be below danger")
        return self

    @cached_property
    def numbers_by_key(self) -> dict[str, KnownNumber]:
        """Reported numbers by their national digits (looked up for every number in every message)."""
        return {n.number: n for n in self.numbers}

    @cached_property
    def hosts_by_name(self) -> dict[str, KnownHost]:
        """Reported hosts by name."""
        return {h.host: h for h in self.known_hosts}

    def brand(self, brand_id: str) -> Brand:
        """The brand with this id."""
        return next(b for b in self.brands if b.id == brand_id)


_FILES = ("brands", "numbers", "senders", "domains", "rules", "signals", "templates", "resources")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path.name}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path.name}: expected a mapping at the top level")
    return data


def _locate(exc: ValidationError, raw: dict[str, dict[str, Any]], fields: dict[str, str]) -> str:
    """Turn a pydantic error into 'file: entry: problem' lines."""
    lines = []
    for error in exc.errors():
        loc = list(error["loc"])
        top = str(loc[0]) if loc else "?"
        where = fields.get(top, "?")
        entry = ""
        if len(loc) > 1 and isinstance(loc[1], int):
            items = raw.get(where, {}).get(_KEYS.get(top, top), [])
            if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
                item = items[loc[1]]
                entry = str(item.get("id") or item.get("number") or item.get("host") or item.get("name") or loc[1])
        path = ".".join(str(p) for p in loc[2:])
        lines.append(f"{where}.yaml: {top}[{entry}]{'.' + path if path else ''}: {error['msg']}")
    return "\n".join(lines)


# Knowledge field → key inside its file, where they differ.
_KEYS = {"known_hosts": "known_scam", "senders": "names"}


def load(directory: Path | None = None) -> Knowledge:
    """Read and validate every knowledge file; raise KnowledgeError naming the file and entry."""
    directory = directory or DEFAULT_DIR
    raw = {name: _read(directory / f"{name}.yaml") for name in _FILES}
    digest = hashlib.sha256()
    for name in _FILES:
        digest.update((directory / f"{name}.yaml").read_bytes())
    fields = {
        "brands": "brands", "numbers": "numbers", "senders": "senders", "known_hosts": "domains",
        "shorteners": "domains", "free_hosts": "domains", "risky_tlds": "domains", "rules": "rules",
        "signals": "signals", "combos": "signals", "scoring": "signals", "templates": "templates",
        "min_similarity": "templates", "hotlines": "resources", "report_pages": "resources", "advice": "resources",
    }
    values: dict[str, Any] = {
        "version": f"{raw['rules'].get('version', '?')}+{digest.hexdigest()[:10]}",
        "brands": raw["brands"].get("brands"),
        "numbers": raw["numbers"].get("numbers"),
        "senders": raw["senders"].get("names"),
        "known_hosts": raw["domains"].get("known_scam"),
        "shorteners": raw["domains"].get("shorteners"),
        "free_hosts": raw["domains"].get("free_hosts"),
        "risky_tlds": raw["domains"].get("risky_tlds"),
        "rules": raw["rules"].get("rules"),
        "signals": raw["signals"].get("signals"),
        "combos": raw["signals"].get("combos"),
        "scoring": raw["signals"].get("scoring"),
        "templates": raw["templates"].get("templates"),
        "min_similarity": raw["templates"].get("min_similarity"),
        "hotlines": raw["resources"].get("hotlines"),
        "report_pages": raw["resources"].get("report_pages"),
        "advice": raw["resources"].get("advice"),
    }
    try:
        return Knowledge.model_validate(values)
    except ValidationError as exc:
        raise KnowledgeError(_locate(exc, raw, fields)) from None

