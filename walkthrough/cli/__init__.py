"""The ``walkthrough`` command line: :func:`main` (in :mod:`walkthrough.cli.run`).

``parser`` declares the commands and options, ``commands`` carries each one
out through the services, ``output`` prints what the user reads, and ``run``
ties them together: locks, signals, errors as one line, the crash log.
Headless commands never import Qt.
"""

from walkthrough.cli.commands import _COMMANDS
from walkthrough.cli.parser import build_parser
from walkthrough.cli.run import _lock_for, main

__all__ = ["_COMMANDS", "_lock_for", "build_parser", "main"]
