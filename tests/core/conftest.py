"""Shared fixtures for the detection core: the real knowledge base, loaded once."""

from __future__ import annotations

import pytest

from bot.detect import Detector
from bot.knowledge import Knowledge, load


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load()


@pytest.fixture(scope="session")
def detector(knowledge: Knowledge) -> Detector:
    return Detector(knowledge)
