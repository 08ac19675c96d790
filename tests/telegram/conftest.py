from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.telegram.harness import Harness, make_harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async for value in make_harness(tmp_path):
        yield value
