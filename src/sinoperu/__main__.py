"""``python -m sinoperu``: the command line (see :mod:`sinoperu.cli`)."""

import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while starting up: the same one line as later
    sys.stderr.write("sinoperu: interrupted\n")
    sys.exit(130)

sys.exit(main())
