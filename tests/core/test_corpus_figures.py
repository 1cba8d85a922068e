"""The detection figures promised for the shared corpus, kept true in CI (the corpus is measured, not copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.detect import Detector
from bot.evaluate import Tally, evaluate, read_jsonl
from bot.models import Verdict

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev.jsonl"
pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason=f"no shared corpus at {CORPUS}")


@pytest.fixture(scope="module")
def tallies(detector: Detector) -> dict[str, Tally]:
    return evaluate(detector, read_jsonl(CORPUS))


def test_scams_are_detected_and_mostly_as_danger(tallies: dict[str, Tally]) -> None:
    scams = tallies["scam_sms"]
    assert scams.share(Verdict.DANGER, Verdict.CAUTION) >= 0.97
    assert scams.share(Verdict.DANGER) >= 0.90


def test_genuine_organisation_sms_are_never_danger_and_rarely_caution(tallies: dict[str, Tally]) -> None:
    org = tallies["org_sms"]
    assert org.counts["danger"] == 0
    assert org.share(Verdict.CAUTION) <= 0.03


@pytest.mark.parametrize("kind", ["chat", "dataset"])
def test_everyday_chat_is_never_danger_and_rarely_caution(tallies: dict[str, Tally], kind: str) -> None:
    chat = tallies[kind]
    assert chat.counts["danger"] == 0
    assert chat.share(Verdict.CAUTION) <= 0.02
