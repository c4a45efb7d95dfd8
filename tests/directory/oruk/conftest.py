"""Every ORUK API test starts with an empty cache and no rate limit in the way."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m"}
