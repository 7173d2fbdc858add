"""The self-test the bundle check relies on: it passes here, and it can fail."""

from __future__ import annotations

import pytest

from gtvision.console import selftest
from gtvision.console.players import PLAYERS
from tests.console.conftest import Loop


def test_self_test_plays_the_clip_and_passes(loop: Loop) -> None:
    assert loop.run(selftest.run_self_test()) == []


def test_self_test_reports_a_missing_player_and_translation(
    loop: Loop, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.delitem(PLAYERS, "webrtc")
    monkeypatch.setattr(selftest, "I18N_DIR", tmp_path)
    problems = loop.run(selftest.run_self_test())
    assert "player 'webrtc' is not registered" in problems
    assert any("pt-BR translation is missing" in p for p in problems)
