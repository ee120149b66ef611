"""``python -m karstsim`` is the ``karstsim`` command."""

from karstsim.experiments.cli import console

console()
