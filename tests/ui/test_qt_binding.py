"""The installed Qt binding keeps Python's reference counts straight.

PySide6 6.12.0 returns None from every method that returns nothing without
taking a reference to it.  On Python 3.11, where None is an ordinary counted
object, a few thousand such calls (``setText``, ``update``,
``processEvents``...) free None and the interpreter aborts with "Fatal Python
error: none_dealloc": the app dies in the middle of a walkthrough.
pyproject.toml excludes that release; this test catches any other release
that brings the fault back.  It runs in a subprocess so that a bad binding
fails this test instead of killing the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

CALLS = 2000


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on (PEP 683)")
def test_methods_that_return_nothing_keep_none_alive() -> None:
    script = textwrap.dedent(f"""
        import sys
        from PySide6.QtWidgets import QApplication, QLabel

        app = QApplication(["check"])
        label = QLabel("x")
        before = sys.getrefcount(None)
        for _ in range({CALLS}):
            label.setText("y")
            app.processEvents()
        print(sys.getrefcount(None) - before)
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    import PySide6

    # A few references come and go with the event loop; a faulty binding loses one per call.
    assert done.returncode == 0 and int(done.stdout.strip() or 0) > -CALLS // 10, (
        f"PySide6 {PySide6.__version__} loses references to None "
        f"(change in None's count after {CALLS} calls: {done.stdout.strip() or done.stderr.strip()[-200:]}); "
        "the app would abort with none_dealloc. Install another PySide6 release."
    )
