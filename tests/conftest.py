"""Shared pytest fixtures. Sections are owned by different parts of the suite; append, keep them separate."""

from __future__ import annotations

import pytest

BUILD_EPOCH = "1795132800"  # 2026-11-20T00:00:00Z: a fixed build date for every date-dependent test


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same build date unless it sets SOURCE_DATE_EPOCH itself."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
