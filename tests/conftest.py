"""Shared test setup: the disk cache goes to a temporary directory, never the user's."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_cache_directory(tmp_path_factory):
    """Point ``$POSITRONS_CACHE_DIR`` at a fresh directory for the whole session (tests that
    need their own set it again with monkeypatch)."""
    import os

    from positrons.cache import CACHE_ENV

    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("positrons-cache"))
    yield
    if previous is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = previous
