"""Handler package 'slack' (to be built)."""

from __future__ import annotations

from flask import Flask

from bot.services import Services


def init_app(app: Flask, services: Services) -> None:
    """Register this channel's routes on the app."""
