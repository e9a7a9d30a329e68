"""Regenerate the golden results from live runs: `python -m tests.golden` (see tests/golden/__init__.py)."""

from __future__ import annotations

from tests import conftest
from tests.golden import path, produce, write

try:
    files = produce()
finally:
    conftest.stop_shared_opa()
write(files)
for name in files:
    print(f"wrote {path(name).relative_to(conftest.REPO)}")
