"""Slack channel tests."""
