"""``python -m karstsim`` is the ``karstsim`` command."""

import sys

from karstsim.experiments.cli import main

sys.exit(main())
