"""Property-based: Detector.check survives any text (long, invisible, mixed-script, surrogates) with a sane verdict."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commands.bench import adversarial_inputs
from bot.detect import Detector
from bot.models import CheckResult, Verdict
from bot.texts import SAMPLE_SCAM
from tests.hardening.strategies import CASES, FUZZ, NASTY, nasty_text, seeds, text_variants

# Long texts are made by repeating a drawn fragment: cheap to generate, and repetition is what backtracks.
long_text = st.builds(lambda part, times: (part * times)[:6000], nasty_text.filter(bool), st.integers(1, 2000))
any_text = st.one_of(nasty_text, nasty_text, long_text, st.text(max_size=200))
senders = st.one_of(st.none(), nasty_text, st.text(max_size=300))


def _sane(result: CheckResult) -> None:
    assert isinstance(result.verdict, Verdict)
    assert 0 <= result.score <= 100
    assert all(f.id and f.text for f in result.reasons)


def test_any_text_and_sender_give_a_sane_result(detector: Detector) -> None:
    cases = 0

    @FUZZ
    @given(generated=any_text, sender=senders, seed=seeds)
    def case(generated: str, sender: str | None, seed: int) -> None:
        nonlocal cases
        for text in text_variants(generated, seed):
            cases += 1
            _sane(detector.check(text, sender))

    case()
    assert cases >= CASES
    print(f"detector fuzz: {cases} cases")


@pytest.mark.parametrize("name", list(adversarial_inputs()))
def test_inputs_built_to_backtrack_finish_quickly_with_no_verdict_of_danger(detector: Detector, name: str) -> None:
    text = adversarial_inputs()[name]
    started = time.perf_counter()
    result = detector.check(text)
    # Generous bound (shared CI machines): a catastrophic backtrack takes seconds or hours, not a fraction of one.
    assert time.perf_counter() - started < 1.0
    _sane(result)
    assert result.verdict is not Verdict.DANGER, "padding alone must not make a message dangerous"


@pytest.mark.parametrize("noise", NASTY)
def test_a_scam_stays_a_scam_with_any_nasty_character_sprinkled_through_it(detector: Detector, noise: str) -> None:
    original = detector.check(SAMPLE_SCAM).verdict
    noisy = "".join(ch + noise for ch in SAMPLE_SCAM) if noise.isspace() or len(noise) < 3 else SAMPLE_SCAM + noise
    result = detector.check(noisy)
    _sane(result)
    if noise in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202e"):
        assert result.verdict is original, f"invisible {noise!r} changed the verdict"
