"""Make the repository's ``bench`` package importable (it is not an installed package)."""

from __future__ import annotations

import sys

from pipelines.config import PROJECT_ROOT

if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))
