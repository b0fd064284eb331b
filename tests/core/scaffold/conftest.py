"""Fixtures for scaffold tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.scaffold.helpers import isolate_git


@pytest.fixture
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate_git(tmp_path, monkeypatch)
