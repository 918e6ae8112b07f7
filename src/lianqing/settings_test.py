"""Test settings: the real settings, made fast. Nothing here changes behaviour under test."""

import os
import tempfile

os.environ.setdefault("LIANQING_MODE", "test")
os.environ.setdefault("LIANQING_HOME", tempfile.mkdtemp(prefix="lianqing-test-"))

from lianqing.settings import *  # noqa: F403

# argon2 at full strength would dominate the suite; one test checks the real hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file, not SQLite's shared-cache memory database: the live server's threads, the worker and the
# test then lock the way they do in production (WAL, busy timeout) instead of failing with
# "database table is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(HOME / "test.sqlite3")}  # noqa: F405
