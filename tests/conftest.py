"""Fixtures every test folder shares: the shipped knowledge and a detector over it, loaded once per run."""

from __future__ import annotations

import pytest

from bot.detect import Detector
from bot.knowledge import Knowledge, load


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The real knowledge base (loading it takes a noticeable fraction of a second)."""
    return load()


@pytest.fixture(scope="session")
def detector(knowledge: Knowledge) -> Detector:
    """The real detector, without community reports (tests that need them build their own)."""
    return Detector(knowledge)
