"""Every test runs with its own home and state directory, so that no test
reads or writes the user's real files, and with no knowledge base chosen by
the environment."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("CHATBOT_KB", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture(scope="session")
def bot():
    """One bot over the bundled knowledge base, shared: a Bot is read-only."""
    from chatbot import Bot

    return Bot()
