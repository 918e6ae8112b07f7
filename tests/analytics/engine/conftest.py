"""Fixtures for the engine tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rule_kit import PackageFactory, write_package


@pytest.fixture
def make_package(tmp_path: Path) -> PackageFactory:
    counter = iter(range(1000))

    def make(tables: dict[str, list[dict[str, Any]]], *, fmt: str = "csv") -> Path:
        return write_package(tmp_path / f"package{next(counter)}", tables, fmt=fmt)

    return make
