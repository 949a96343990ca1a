"""What the bundled executables run: the ``walkthrough`` command line.

With no command it opens the desktop app, exactly like the installed
``walkthrough`` script (``[project.scripts]`` in pyproject.toml).  A file of
its own, rather than ``walkthrough/__main__.py``, so PyInstaller does not put
the package folder itself on the module search path.
"""

from walkthrough.cli import main

raise SystemExit(main())
