"""``python -m orchestration.cli`` = the ``healthplan`` console script."""

import sys

from orchestration.cli import main

sys.exit(main())
