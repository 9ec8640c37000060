"""``python -m sinoperu``: the command line (see :mod:`sinoperu.cli`)."""

import sys

from .cli import main

sys.exit(main())
